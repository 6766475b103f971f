#include "base/utf8.h"

#include <string.h>

/* Length of the sequence a lead byte announces, 0 for bytes that cannot
 * start one (continuation bytes, C0/C1 overlong leads, F5..FF). */
static unsigned lead_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c < 0xc2)
		return 0;
	if (c < 0xe0)
		return 2;
	if (c < 0xf0)
		return 3;
	if (c < 0xf5)
		return 4;
	return 0;
}

/* Length of the valid sequence at u[0..n), or 0 with *why set. */
static size_t seq_len(const unsigned char *u, size_t n, const char **why)
{
	unsigned len = lead_len(u[0]);

	if (len == 0) {
		*why = (u[0] & 0xc0) == 0x80 ? "unexpected continuation byte"
		       : u[0] < 0xc2 ? "overlong encoding" : "byte never valid in UTF-8";
		return 0;
	}
	if (len == 1)
		return 1;
	if (len > n) {
		/* check what is there first, for a precise reason */
		for (size_t k = 1; k < n; k++)
			if ((u[k] & 0xc0) != 0x80) {
				*why = "truncated sequence";
				return 0;
			}
		*why = "truncated sequence at end of text";
		return 0;
	}
	for (unsigned k = 1; k < len; k++)
		if ((u[k] & 0xc0) != 0x80) {
			*why = "truncated sequence";
			return 0;
		}
	/* second-byte ranges that exclude overlongs, surrogates, > U+10FFFF */
	if (len == 3) {
		if (u[0] == 0xe0 && u[1] < 0xa0) {
			*why = "overlong encoding";
			return 0;
		}
		if (u[0] == 0xed && u[1] >= 0xa0) {
			*why = "UTF-16 surrogate";
			return 0;
		}
	} else if (len == 4) {
		if (u[0] == 0xf0 && u[1] < 0x90) {
			*why = "overlong encoding";
			return 0;
		}
		if (u[0] == 0xf4 && u[1] >= 0x90) {
			*why = "code point above U+10FFFF";
			return 0;
		}
	}
	return len;
}

size_t utf8_check(const char *s, size_t n, const char **why)
{
	const unsigned char *u = (const unsigned char *)s;
	const char *dummy;
	size_t i = 0;

	if (!why)
		why = &dummy;
	while (i < n) {
		/* ASCII fast path, eight bytes at a time */
		while (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, u + i, 8);
			if (w & 0x8080808080808080ull)
				break;
			i += 8;
		}
		if (i >= n)
			break;
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		size_t len = seq_len(u + i, n - i, why);
		if (len == 0)
			return i;
		i += len;
	}
	return n;
}

int32_t utf8_next(const char *s, size_t n, size_t *i)
{
	const unsigned char *u = (const unsigned char *)s + *i;
	const char *why;
	size_t len = seq_len(u, n - *i, &why);
	int32_t cp;

	if (len == 0) {
		(*i)++;
		return -1;
	}
	*i += len;
	switch (len) {
	case 1: return u[0];
	case 2: cp = u[0] & 0x1f; break;
	case 3: cp = u[0] & 0x0f; break;
	default: cp = u[0] & 0x07; break;
	}
	for (size_t k = 1; k < len; k++)
		cp = (cp << 6) | (u[k] & 0x3f);
	return cp;
}

size_t utf8_count(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t cont = 0, i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, u + i, 8);
		/* continuation bytes are 10xxxxxx: bit 7 set, bit 6 clear */
		uint64_t c = w & ~(w << 1) & 0x8080808080808080ull;
		cont += (size_t)__builtin_popcountll(c);
	}
	for (; i < n; i++)
		cont += (u[i] & 0xc0) == 0x80;
	return n - cont;
}

int utf8_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xc0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp >= 0xd800 && cp <= 0xdfff)
		return 0;
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xe0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	if (cp > 0x10ffff)
		return 0;
	o[0] = (unsigned char)(0xf0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}
