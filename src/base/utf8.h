/* utf8: validating, decoding, encoding and counting UTF-8 text. Strict
 * (RFC 3629): overlong forms, surrogates and code points above U+10FFFF
 * are invalid. Pure functions over caller-owned bytes; no allocation. */
#ifndef EVTAG_UTF8_H
#define EVTAG_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Offset of the first byte of s[0..n) that does not start a valid UTF-8
 * sequence, or n when all of it is valid. When the result is < n and why
 * is non-NULL, *why is set to a static text naming the problem
 * ("unexpected continuation byte", "truncated sequence", ...). */
size_t utf8_check(const char *s, size_t n, const char **why);

/* Decodes the sequence starting at s[*i] (with *i < n): returns the code
 * point and advances *i past it. On an invalid sequence returns -1 and
 * advances *i by one byte. */
int32_t utf8_next(const char *s, size_t n, size_t *i);

/* Number of code points in s[0..n), which must be valid UTF-8 (it counts
 * the bytes that are not continuation bytes). */
size_t utf8_count(const char *s, size_t n);

/* Writes cp as UTF-8 into out (room for 4 bytes); returns the length, or
 * 0 if cp is a surrogate or above U+10FFFF. */
int utf8_encode(uint32_t cp, char *out);

#endif
