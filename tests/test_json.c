/* Tests of the JSON writer (json.h), checked against jsonr: what json_str
 * writes must parse back to the same text. */
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/jsonr.h"
#include "base/utf8.h"
#include "t.h"

static char out[4096];

static const char *str(const char *s, size_t n)
{
	buf_t b;

	buf_init(&b);
	json_str(&b, s, n);
	snprintf(out, sizeof(out), "%.*s", (int)b.len, (const char *)b.data);
	buf_free(&b);
	return out;
}

static const char *num(double v, int digits)
{
	buf_t b;

	buf_init(&b);
	json_num(&b, v, digits);
	snprintf(out, sizeof(out), "%.*s", (int)b.len, (const char *)b.data);
	buf_free(&b);
	return out;
}

/* json_str(s) parses back (jsonr) to exactly s. */
static int round_trips(const char *s, size_t n)
{
	buf_t b, back;
	jsonr p;
	err_t e;
	int ok;

	buf_init(&b);
	buf_init(&back);
	json_str(&b, s, n);
	ok = utf8_check((const char *)b.data, b.len, NULL) == b.len;
	jsonr_init(&p, (const char *)b.data, b.len);
	ok = ok && jsonr_string(&p, &back, &e) == 0 && jsonr_end(&p, &e) == 0 &&
	     back.len == n && memcmp(back.data, s, n) == 0;
	buf_free(&b);
	buf_free(&back);
	return ok;
}

int main(void)
{
	/* quotes, backslashes, control characters */
	CHECK_STR(str("plain", 5), "\"plain\"");
	CHECK_STR(str("say \"hi\"", 8), "\"say \\\"hi\\\"\"");
	CHECK_STR(str("a\\b", 3), "\"a\\\\b\"");
	CHECK_STR(str("l1\nl2\r\t\b\f", 9), "\"l1\\nl2\\r\\t\\b\\f\"");
	CHECK_STR(str("\x01\x1f", 2), "\"\\u0001\\u001f\"");
	CHECK_STR(str("a\0b", 3), "\"a\\u0000b\"");
	CHECK_STR(str("/", 1), "\"/\"");
	CHECK_STR(str("", 0), "\"\"");
	/* non-ASCII kept as UTF-8 */
	CHECK_STR(str("\xe2\x80\x9c" "Azerbaijan\xe2\x80\x99s\xe2\x80\x9d \xf0\x9f\x98\x80", 25),
		  "\"\xe2\x80\x9c" "Azerbaijan\xe2\x80\x99s\xe2\x80\x9d \xf0\x9f\x98\x80\"");
	CHECK_STR(str("caf\xc3\xa9", 5), "\"caf\xc3\xa9\"");
	/* invalid UTF-8 becomes U+FFFD, one per bad byte */
	CHECK_STR(str("a\xff" "b", 3), "\"a\xef\xbf\xbd" "b\"");
	CHECK_STR(str("\xc3\x28", 2), "\"\xef\xbf\xbd(\"");
	CHECK_STR(str("\xed\xa0\x80", 3), "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
	CHECK_STR(str("x\xe2\x80", 3), "\"x\xef\xbf\xbd\xef\xbf\xbd\"");
	/* DEL is legal in JSON strings */
	CHECK_STR(str("\x7f", 1), "\"\x7f\"");
	/* round trips through the reader */
	const char all[] = "q\"b\\s/\n\r\t\b\f\x01\x1f\x7f \xc3\xa9\xe2\x80\x9d\xf0\x9f\x98\x80\0end";
	CHECK(round_trips(all, sizeof(all) - 1));
	char bytes[128];
	for (int i = 0; i < 128; i++)
		bytes[i] = (char)i;
	CHECK(round_trips(bytes, sizeof(bytes)));
	/* json_cstr, numbers */
	buf_t b;
	buf_init(&b);
	json_cstr(&b, NULL);
	json_raw(&b, ",");
	json_cstr(&b, "x");
	json_raw(&b, ",");
	json_key(&b, "k");
	json_int(&b, -42);
	CHECK(b.len == 16 && memcmp(b.data, "null,\"x\",\"k\":-42", 16) == 0);
	buf_free(&b);
	/* json_int writes what printf's %lld writes, extremes included */
	const long long ints[] = { 0, 1, -1, 9, 10, -10, 99, 100, 123456789, -987654321,
				   4294967295LL, -4294967296LL, LLONG_MAX, LLONG_MIN,
				   LLONG_MIN + 1 };
	for (size_t k = 0; k < sizeof(ints) / sizeof(ints[0]); k++) {
		char want[32];
		int n = snprintf(want, sizeof(want), "%lld", ints[k]);
		buf_init(&b);
		json_int(&b, ints[k]);
		CHECK(b.len == (size_t)n && memcmp(b.data, want, (size_t)n) == 0);
		buf_free(&b);
	}
	CHECK_STR(num(3, 6), "3");
	CHECK_STR(num(0.125, 6), "0.125");
	CHECK_STR(num(1.0 / 3, 4), "0.3333");
	CHECK_STR(num(0.0 / 0.0, 6), "null");
	/* a locale with a decimal comma must not leak into the output */
	if (setlocale(LC_NUMERIC, "de_DE.UTF-8") || setlocale(LC_NUMERIC, "fr_FR.UTF-8"))
		CHECK_STR(num(2.5, 6), "2.5");
	setlocale(LC_NUMERIC, "C");
	CHECK_STR(num(2.5, 6), "2.5");
	/* json_num formats most numbers itself: the same bytes as "%.*g" for
	 * scores, coordinates and values at or next to decimal ties, powers
	 * of ten and the exponent forms (rounded up to a power of ten too) */
	CHECK_STR(num(0.99996, 4), "1");
	CHECK_STR(num(9999.7, 4), "1e+04");
	CHECK_STR(num(0.000012345, 4), "1.234e-05");
	CHECK_STR(num(0.0001, 4), "0.0001");
	CHECK_STR(num(0.00012345, 4), "0.0001234");
	CHECK_STR(num(-0.125, 2), "-0.12");
	CHECK_STR(num(0.375, 2), "0.38");
	CHECK_STR(num(-48.85661, 8), "-48.85661");
	{
		uint64_t r = 88172645463325252ULL;
		const int dig[] = { 1, 2, 3, 4, 5, 8, 9, 10 };
		int bad = 0;
		for (int i = 0; i < 200000; i++) {
			double v;
			uint64_t u;
			char want[64];
			r ^= r << 13, r ^= r >> 7, r ^= r << 17;
			int d = dig[r % 8], k = (int)(r >> 3 & 3), p = (int)(r >> 5 & 15);
			if (k == 0)
				v = (double)(r >> 11) / 9007199254740992.0;
			else if (k == 1)
				v = pow(10, -6 + 15.0 * ((r >> 11) / 9007199254740992.0));
			else /* next to a tie: (j + 1/2) / 10^p, a few ulps either side */
				v = ((double)(r >> 20 & 0xfffff) + 0.5) / pow(10, p % 10);
			memcpy(&u, &v, sizeof(u));
			u += (r >> 40 & 7) - 3;
			memcpy(&v, &u, sizeof(v));
			if (r >> 63)
				v = -v;
			snprintf(want, sizeof(want), "%.*g", d, v);
			if (v == floor(v) && fabs(v) < 1e15)
				continue;
			if (strcmp(num(v, d), want) != 0 && bad++ < 5)
				printf("json_num(%.17g, %d): %s, not %s\n", v, d, out, want);
		}
		CHECK(bad == 0);
	}
	return t_done();
}
