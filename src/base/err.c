#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const err_names[] = {
	"ok",
	"out of memory",
	"input/output error",
	"malformed input",
	"invalid UTF-8",
	"bad model file",
	"invalid argument",
	"numerical failure",
	"empty input",
};

const char *err_code_str(int code)
{
	if (code > 0 || code <= ERR_LAST_)
		return "unknown error";
	return err_names[-code];
}

int err_set(err_t *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return code;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return code;
}

void err_prefix(err_t *e, const char *prefix)
{
	char tmp[sizeof(e->msg)];

	if (!e || !prefix)
		return;
	/* both parts bounded, so the result always fits (truncated if long) */
	snprintf(tmp, sizeof(tmp), "%.255s: %.760s", prefix, e->msg);
	memcpy(e->msg, tmp, sizeof(tmp));
}

void err_clear(err_t *e)
{
	if (!e)
		return;
	e->code = ERR_OK;
	e->msg[0] = '\0';
}

void err_say(err_say_fn fn, void *ctx, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!fn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fn(ctx, msg);
}
