/* json: writing JSON text into a buf_t. Strings are escaped (quotes,
 * backslashes, control characters); non-ASCII UTF-8 is kept as UTF-8.
 * Numbers are written in the C locale's form regardless of setlocale(). */
#ifndef EVTAG_JSON_H
#define EVTAG_JSON_H

#include <stddef.h>
#include <string.h>

#include "base/buf.h"

/* Appends s[0..n) as a quoted, escaped JSON string. Invalid UTF-8 bytes
 * are written as U+FFFD so the output is always valid JSON. */
void json_str(buf_t *b, const char *s, size_t n);
/* json_str(b, s, strlen(s)); NULL writes null. */
void json_cstr(buf_t *b, const char *s);
/* Appends a number: integers exactly, others with up to `digits`
 * significant digits (shortest form); NaN and infinities become null. */
void json_num(buf_t *b, double v, int digits);
void json_int(buf_t *b, long long v);
/* Appends raw text (punctuation, keys already quoted, ...). Inline, as
 * json_key: their texts are mostly literals, whose length the compiler
 * knows. */
static inline void json_raw(buf_t *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

/* Appends "\"key\":" (key must need no escaping). */
static inline void json_key(buf_t *b, const char *key)
{
	buf_put_u8(b, '"');
	json_raw(b, key);
	buf_put(b, "\":", 2);
}

#endif
