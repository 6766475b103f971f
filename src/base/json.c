#include "base/json.h"

#include <math.h>
#include <stdint.h>
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

#ifdef __SIZEOF_INT128__
/* What snprintf(out, 32, "%.*g", p, v) writes, for 1 <= p <= 9 and
 * 1e-5 <= |v| < 10^p, without printf's cost (every score of the output
 * goes through here): the length, or 0 when v is outside that range.
 * Exact: v = m 2^-sh with m an integer of 53 bits, so v 10^s is the
 * integer m 10^s over 2^sh, rounded to nearest, ties to even, as glibc
 * rounds. */
static int fmt_g(char *out, double v, int p)
{
	static const uint64_t POW10[] = { 1, 10, 100, 1000, 10000, 100000, 1000000,
					  10000000, 100000000, 1000000000,
					  10000000000ULL, 100000000000ULL, 1000000000000ULL,
					  10000000000000ULL, 100000000000000ULL };
	double a = fabs(v);
	int e, x, n = 0;
	uint64_t q;

	if (p < 1 || p > 9 || !(a >= 1e-5) || !(a < (double)POW10[p]))
		return 0;
	uint64_t m = (uint64_t)ldexp(frexp(a, &e), 53); /* a = m 2^(e-53) */
	int sh = 53 - e;                                /* > 0: a < 2^30 */
	/* x: the decimal exponent of a, so that 10^(p-1) <= a 10^(p-1-x) < 10^p */
	x = (int)floor(log10(a));
	for (int tries = 0;; tries++) {
		int s = p - 1 - x;
		if (s < 0 || s > 14 || tries > 3)
			return 0;
		unsigned __int128 t = (unsigned __int128)m * POW10[s];
		q = (uint64_t)(t >> sh);
		if (q >= POW10[p]) {
			x++;
			continue;
		}
		if (q < POW10[p - 1]) {
			x--;
			continue;
		}
		unsigned __int128 r = t & (((unsigned __int128)1 << sh) - 1);
		unsigned __int128 half = (unsigned __int128)1 << (sh - 1);
		if (r > half || (r == half && (q & 1)))
			q++;
		if (q == POW10[p]) { /* rounded up to the next power of ten */
			q = POW10[p - 1];
			x++;
		}
		break;
	}
	char dig[10];
	for (int i = p - 1; i >= 0; i--, q /= 10)
		dig[i] = (char)('0' + q % 10);
	int nd = p; /* significant digits left once trailing zeros go */
	while (nd > 1 && dig[nd - 1] == '0')
		nd--;
	if (v < 0)
		out[n++] = '-';
	if (x >= -4 && x < p) {
		if (x >= 0) {
			for (int i = 0; i <= x; i++)
				out[n++] = dig[i];
			if (nd > x + 1) {
				out[n++] = '.';
				for (int i = x + 1; i < nd; i++)
					out[n++] = dig[i];
			}
		} else {
			out[n++] = '0';
			out[n++] = '.';
			for (int i = -1; i > x; i--)
				out[n++] = '0';
			for (int i = 0; i < nd; i++)
				out[n++] = dig[i];
		}
	} else { /* x is -5, or p when rounding made 10^p */
		out[n++] = dig[0];
		if (nd > 1) {
			out[n++] = '.';
			for (int i = 1; i < nd; i++)
				out[n++] = dig[i];
		}
		out[n++] = 'e';
		out[n++] = x < 0 ? '-' : '+';
		int ax = x < 0 ? -x : x;
		out[n++] = (char)('0' + ax / 10);
		out[n++] = (char)('0' + ax % 10);
	}
	return n;
}
#endif

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
#ifdef __SIZEOF_INT128__
	if ((n = fmt_g(tmp, v, digits)) > 0) {
		buf_put(b, tmp, (size_t)n);
		return;
	}
#endif
	n = snprintf(tmp, sizeof(tmp), "%.*g", digits, v);
	/* %g honours LC_NUMERIC: force '.' */
	for (int i = 0; i < n; i++)
		if (tmp[i] == ',')
			tmp[i] = '.';
	buf_put(b, tmp, (size_t)n);
}
