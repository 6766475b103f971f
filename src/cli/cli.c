#include "cli/cli.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "evtag %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'evtag %s --help'.\n", cmd);
	return EXIT_USAGE;
}

int cli_fail(const err_t *e)
{
	fprintf(stderr, "evtag: %s\n", e->msg[0] ? e->msg : err_code_str(e->code));
	return EXIT_RUNTIME;
}

void cli_help(FILE *f, const cli_opt *opts, const char *cmd, const char *usage,
	      const char *summary)
{
	fprintf(f, "Usage: evtag %s %s\n\n%s\n\nOptions:\n", cmd, usage, summary);
	for (const cli_opt *o = opts; o->type != CLI_T_END; o++) {
		char left[64];
		if (o->shortname)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->shortname, o->name,
				 o->metavar ? " " : "", o->metavar ? o->metavar : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->name,
				 o->metavar ? " " : "", o->metavar ? o->metavar : "");
		fprintf(f, "  %-28s %s\n", left, o->help);
	}
	fprintf(f, "  %-28s %s\n", "-h, --help", "show this help and exit");
}

const char *cli_prescan(int argc, char **argv, const char *name)
{
	const char *val = NULL;
	size_t n = strlen(name);

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0)
			break;
		if (a[0] != '-' || a[1] != '-' || strncmp(a + 2, name, n) != 0)
			continue;
		if (a[2 + n] == '=')
			val = a + 3 + n;
		else if (a[2 + n] == '\0' && i + 1 < argc)
			val = argv[++i];
	}
	return val;
}

char *cli_shared_path(char *out, size_t n, const char *rel)
{
	const char *root = getenv("EVTAG_SHARED");

	snprintf(out, n, "%s/%s", root && *root ? root : "../shared", rel);
	return out;
}

static const cli_opt *find_long(const cli_opt *opts, const char *name, size_t n)
{
	for (const cli_opt *o = opts; o->type != CLI_T_END; o++)
		if (strlen(o->name) == n && strncmp(o->name, name, n) == 0)
			return o;
	return NULL;
}

static const cli_opt *find_short(const cli_opt *opts, char c)
{
	for (const cli_opt *o = opts; o->type != CLI_T_END; o++)
		if (o->shortname == c)
			return o;
	return NULL;
}

static int set_value(const cli_opt *o, const char *cmd, const char *val)
{
	char *end;

	switch (o->type) {
	case CLI_T_INT: {
		long v;
		errno = 0;
		v = strtol(val, &end, 10);
		if (errno || end == val || *end || v < INT_MIN || v > INT_MAX)
			return cli_usage_error(cmd, "--%s expects an integer, got '%s'", o->name, val);
		*(int *)o->dst = (int)v;
		return 0;
	}
	case CLI_T_DOUBLE: {
		double v;
		errno = 0;
		v = strtod(val, &end);
		if (errno || end == val || *end || v != v)
			return cli_usage_error(cmd, "--%s expects a number, got '%s'", o->name, val);
		*(double *)o->dst = v;
		return 0;
	}
	case CLI_T_STR:
		*(const char **)o->dst = val;
		return 0;
	default:
		return 0;
	}
}

int cli_parse(const cli_opt *opts, const char *cmd, const char *usage,
	      const char *summary, int argc, char **argv, char ***pos, int *npos)
{
	int out = 0, only_pos = 0;

	/* Positionals are compacted to the front of argv[1..]. */
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		const cli_opt *o;
		const char *val = NULL;

		if (only_pos || a[0] != '-' || a[1] == '\0') {
			argv[1 + out++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_pos = 1;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			cli_help(stdout, opts, cmd, usage, summary);
			return EXIT_OK;
		}
		if (a[1] == '-') {
			const char *eq = strchr(a + 2, '=');
			size_t n = eq ? (size_t)(eq - (a + 2)) : strlen(a + 2);
			o = find_long(opts, a + 2, n);
			if (!o)
				return cli_usage_error(cmd, "unknown option '%.*s'", (int)n + 2, a);
			if (eq)
				val = eq + 1;
		} else {
			o = find_short(opts, a[1]);
			if (!o)
				return cli_usage_error(cmd, "unknown option '-%c'", a[1]);
			if (a[2])
				val = a + 2;
		}
		if (o->type == CLI_T_FLAG) {
			if (val)
				return cli_usage_error(cmd, "--%s takes no value", o->name);
			*(int *)o->dst = 1;
			continue;
		}
		if (!val) {
			if (i + 1 >= argc)
				return cli_usage_error(cmd, "--%s needs a value (%s)", o->name,
						       o->metavar ? o->metavar : "VALUE");
			val = argv[++i];
		}
		if (set_value(o, cmd, val))
			return EXIT_USAGE;
	}
	*pos = argv + 1;
	*npos = out;
	return -1;
}
