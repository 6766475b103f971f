/* jsonr: a small, strict pull parser for JSON text held in memory (RFC
 * 8259): one value, pulled piece by piece. Used to read JSON-lines
 * articles; nothing is allocated except the caller's output buffers.
 *
 *   jsonr p; jsonr_init(&p, line, len);
 *   if (jsonr_object(&p, e)) fail;
 *   while ((rc = jsonr_key(&p, &key, e)) == 1) {
 *       if (key is "text") rc = jsonr_string(&p, &text, e);
 *       else rc = jsonr_skip(&p, e);
 *       if (rc < 0) fail;
 *   }
 *   if (rc < 0 || jsonr_end(&p, e)) fail;
 *
 * Errors are ERR_FORMAT with e set to "column N: reason" (N counts bytes
 * from 1); callers prefix the file and line. Nesting deeper than
 * JSONR_MAX_DEPTH is refused. The input must be valid UTF-8 (check it
 * first); the parser does not re-validate bytes inside strings. */
#ifndef EVTAG_JSONR_H
#define EVTAG_JSONR_H

#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

enum { JSONR_MAX_DEPTH = 64 };

/* Kinds of value, as seen from their first character. */
typedef enum {
	JSONR_BAD = 0, JSONR_NULL, JSONR_BOOL, JSONR_NUMBER, JSONR_STRING,
	JSONR_ARRAY, JSONR_OBJECT
} jsonr_kind;

typedef struct jsonr {
	const char *s; /* [n], not owned */
	size_t n, pos;
	int first;     /* no member read yet in the current object */
} jsonr;

/* Starts parsing s[0..n); s must outlive p. */
void jsonr_init(jsonr *p, const char *s, size_t n);

/* Kind of the next value (after whitespace), JSONR_BAD if none fits. */
jsonr_kind jsonr_peek(jsonr *p);

/* Consumes '{'. 0 or ERR_FORMAT. */
int jsonr_object(jsonr *p, err_t *e);

/* Reads the next member's key (decoded into key, replacing its contents,
 * NUL-terminated after key->len) and its ':'. Returns 1 when a key was
 * read (the value comes next), 0 after the closing '}', or ERR_FORMAT /
 * ERR_NOMEM. */
int jsonr_key(jsonr *p, buf_t *key, err_t *e);

/* Decodes a string value into out (replacing its contents; NUL-terminated
 * after out->len; \u0000 yields an embedded NUL). \uXXXX escapes,
 * including surrogate pairs, become UTF-8; a lone surrogate, a raw control
 * character or a bad escape is ERR_FORMAT. */
int jsonr_string(jsonr *p, buf_t *out, err_t *e);

/* Checks a number value and returns its text (pointing into the input)
 * in *s, *n. ERR_FORMAT if it is not a JSON number. */
int jsonr_number(jsonr *p, const char **s, size_t *n, err_t *e);

/* Consumes `null`. 0 or ERR_FORMAT. */
int jsonr_null(jsonr *p, err_t *e);

/* Skips one value of any kind, checking its syntax. 0 or ERR_FORMAT. */
int jsonr_skip(jsonr *p, err_t *e);

/* Checks that only whitespace is left. 0 or ERR_FORMAT. */
int jsonr_end(jsonr *p, err_t *e);

#endif
