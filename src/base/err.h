/* err: error codes and the small error record every fallible call fills. */
#ifndef EVTAG_ERR_H
#define EVTAG_ERR_H

#include <stddef.h>

/* One table of codes; err_code_str() gives the text, so they cannot drift. */
enum {
	ERR_OK = 0,
	ERR_NOMEM = -1,   /* out of memory */
	ERR_IO = -2,      /* read, write, open or rename failed */
	ERR_FORMAT = -3,  /* malformed input (corpus, JSON, TSV, article) */
	ERR_UTF8 = -4,    /* invalid UTF-8 */
	ERR_MODEL = -5,   /* model file damaged, wrong version or wrong kind */
	ERR_ARG = -6,     /* invalid argument or option value */
	ERR_NUMERIC = -7, /* numerical failure (GSL, libsvm) */
	ERR_EMPTY = -8,   /* empty input where data is required */
	ERR_LAST_ = -9
};

/* "file:line: reason" messages; the front end prints msg. */
typedef struct err {
	int code;
	char msg[1024];
} err_t;

/* Static text naming code; never NULL. */
const char *err_code_str(int code);

/* Sets e (if non-NULL) to code and a printf-style message; returns code. */
int err_set(err_t *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefixes e->msg with "prefix: " (for adding a file name at a higher level). */
void err_prefix(err_t *e, const char *prefix);

/* Clears e to ERR_OK and an empty message. */
void err_clear(err_t *e);

/* A progress callback: receives one message line (no newline). */
typedef void (*err_say_fn)(void *ctx, const char *msg);
/* Formats a message (at most 511 bytes) and hands it to fn(ctx, msg);
 * nothing when fn is NULL. The library's way to say how far it is. */
void err_say(err_say_fn fn, void *ctx, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
