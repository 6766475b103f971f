#include "base/json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s[0..n), or 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	unsigned cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

void json_str(buf_t *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0;

	buf_reserve(b, n + 2);
	buf_put_u8(b, '"');
	while (i < n) {
		unsigned c = u[i];
		size_t len;
		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0x80 && (len = utf8_seq(u + i, n - i)) > 0) {
			i += len;
			continue;
		}
		buf_put(b, u + run, i - run);
		switch (c) {
		case '"': buf_put(b, "\\\"", 2); break;
		case '\\': buf_put(b, "\\\\", 2); break;
		case '\n': buf_put(b, "\\n", 2); break;
		case '\r': buf_put(b, "\\r", 2); break;
		case '\t': buf_put(b, "\\t", 2); break;
		case '\b': buf_put(b, "\\b", 2); break;
		case '\f': buf_put(b, "\\f", 2); break;
		default:
			if (c < 0x20) {
				char esc[8];
				snprintf(esc, sizeof(esc), "\\u%04x", c);
				buf_put(b, esc, 6);
			} else {
				buf_put(b, "\xef\xbf\xbd", 3); /* U+FFFD */
			}
		}
		i++;
		run = i;
	}
	buf_put(b, u + run, i - run);
	buf_put_u8(b, '"');
}

void json_cstr(buf_t *b, const char *s)
{
	if (!s)
		json_raw(b, "null");
	else
		json_str(b, s, strlen(s));
}

void json_int(buf_t *b, long long v)
{
	/* what "%lld" prints, without printf's cost: every offset and count
	 * of the output goes through here */
	char tmp[24];
	size_t i = sizeof(tmp);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	do
		tmp[--i] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		tmp[--i] = '-';
	buf_put(b, tmp + i, sizeof(tmp) - i);
}

void json_num(buf_t *b, double v, int digits)
{
	char tmp[64];
	int n;

	if (!isfinite(v)) {
		json_raw(b, "null");
		return;
	}
	if (v == floor(v) && fabs(v) < 1e15) {
		json_int(b, (long long)v);
		return;
	}
	if (digits < 1 || digits > 17)
		digits = 17;
	n = snprintf(tmp, sizeof(tmp), "%.*g", digits, v);
	/* %g honours LC_NUMERIC: force '.' */
	for (int i = 0; i < n; i++)
		if (tmp[i] == ',')
			tmp[i] = '.';
	buf_put(b, tmp, (size_t)n);
}

void json_raw(buf_t *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void json_key(buf_t *b, const char *key)
{
	buf_put_u8(b, '"');
	json_raw(b, key);
	buf_put(b, "\":", 2);
}
