/* Tests of art (article reading) and jsonr (the JSON reader). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text/art.h"
#include "base/buf.h"
#include "base/jsonr.h"
#include "t.h"

static char dir[] = "/tmp/evtag-test-art-XXXXXX";

/* Writes n bytes to a file in the scratch folder; returns its path. */
static const char *put(const char *name, const char *s, size_t n)
{
	static char path[4][512];
	static int k;
	char *p = path[k++ % 4];
	FILE *f;

	snprintf(p, 512, "%s/%s", dir, name);
	f = fopen(p, "wb");
	if (f) {
		fwrite(s, 1, n, f);
		fclose(f);
	}
	return p;
}

static void test_date_prefix(void)
{
	char date[11];
	size_t body;
	err_t e;
	const char *s = " date 2020-10-09 In a bid";

	CHECK(art_date_prefix(s, strlen(s), date, &body, &e) == 0);
	CHECK_STR(date, "2020-10-09");
	CHECK(body == 17 && strncmp(s + body, "In a bid", 8) == 0);
	s = "Date: 2024-02-29\n\nBody";
	CHECK(art_date_prefix(s, strlen(s), date, &body, &e) == 0);
	CHECK_STR(date, "2024-02-29");
	CHECK(strcmp(s + body, "Body") == 0);
	s = "\xef\xbb\xbf" "date 1999-12-31";
	CHECK(art_date_prefix(s, strlen(s), date, &body, &e) == 0);
	CHECK_STR(date, "1999-12-31");
	CHECK(body == strlen(s));
	/* not a prefix */
	s = "Date palms grow in 2020-10-09 heat";
	CHECK(art_date_prefix(s, strlen(s), date, &body, &e) == 0);
	CHECK(date[0] == 0 && body == 0);
	s = "dated 2020-10-09 x";
	CHECK(art_date_prefix(s, strlen(s), date, &body, &e) == 0 && body == 0);
	s = "date 2020-10-091 x";
	CHECK(art_date_prefix(s, strlen(s), date, &body, &e) == 0 && body == 0);
	CHECK(art_date_prefix("", 0, date, &body, &e) == 0 && body == 0);
	/* impossible dates */
	s = "date 2021-02-29 text";
	CHECK(art_date_prefix(s, strlen(s), date, &body, &e) == ERR_FORMAT);
	CHECK(strstr(e.msg, "2021-02-29") != NULL);
	s = "date 2020-13-01 text";
	CHECK(art_date_prefix(s, strlen(s), date, &body, &e) == ERR_FORMAT);
	CHECK(art_is_date("2000-02-29", 10) && !art_is_date("1900-02-29", 10));
	CHECK(!art_is_date("2020-04-31", 10) && art_is_date("2020-12-31", 10));
}

static void test_plain(void)
{
	art_reader *r;
	art_article a;
	err_t e;
	const char txt[] = " date 2020-10-09 In a bid.\r\nSecond\0line.";
	const char *p = put("a.txt", txt, sizeof(txt) - 1);

	CHECK(art_open(&r, p, ART_AUTO, &e) == 0);
	CHECK(art_format_of(r) == ART_PLAIN);
	CHECK(art_next(r, &a, &e) == 1);
	CHECK(a.len == sizeof(txt) - 1 && memcmp(a.text, txt, a.len) == 0);
	CHECK(a.text[a.len] == 0);
	CHECK_STR(a.date, "2020-10-09");
	CHECK(a.body == 17);
	CHECK_STR(a.id, p);
	CHECK(a.line == 1 && a.index == 0);
	CHECK(art_next(r, &a, &e) == 0);
	CHECK(art_next(r, &a, &e) == 0);
	art_close(r);

	/* empty file: one empty article */
	p = put("empty.txt", "", 0);
	CHECK(art_open(&r, p, ART_PLAIN, &e) == 0);
	CHECK(art_next(r, &a, &e) == 1 && a.len == 0 && a.date[0] == 0);
	CHECK(art_next(r, &a, &e) == 0);
	art_close(r);

	/* invalid UTF-8: file, line and byte offset */
	p = put("bad.txt", "line one\nline \xc3\x28 two\n", 20);
	CHECK(art_open(&r, p, ART_PLAIN, &e) == 0);
	CHECK(art_next(r, &a, &e) == ERR_UTF8);
	CHECK(strstr(e.msg, "bad.txt:2: byte 14: invalid UTF-8") != NULL);
	CHECK(art_next(r, &a, &e) == 0);
	art_close(r);

	/* bad date in the prefix */
	p = put("baddate.txt", "date 2020-02-30 x", 17);
	CHECK(art_open(&r, p, ART_PLAIN, &e) == 0);
	CHECK(art_next(r, &a, &e) == ERR_FORMAT);
	CHECK(strstr(e.msg, "baddate.txt:1: bad date") != NULL);
	art_close(r);

	/* missing file, directory */
	CHECK(art_open(&r, "/nonexistent/x.txt", ART_PLAIN, &e) == ERR_IO && r == NULL);
	CHECK(strstr(e.msg, "/nonexistent/x.txt: ") != NULL);
	CHECK(art_open(&r, dir, ART_PLAIN, &e) == ERR_IO);
	CHECK(strstr(e.msg, "is a directory") != NULL);
	art_close(NULL);
}

static void test_jsonl(void)
{
	art_reader *r;
	art_article a;
	err_t e;
	const char *lines =
		"{\"id\": \"a1\", \"date\": \"2020-10-09\", \"text\": \"He said \\\"no\\\".\\nOK \\u00e9\\u20ac \\ud83d\\ude00\"}\r\n"
		"\n"
		"   \n"
		"{\"text\": \"x\", \"id\": 42, \"meta\": {\"a\": [1, 2.5e3, true, false, null, {\"b\": \"}\"}]}}\n"
		"{\"id\": \"bad\", \"text\": \"lone \\ud800 surrogate\"}\n"
		"{\"id\": \"c\", \"text\": \"ok\" trailing}\n"
		"not json\n"
		"{\"id\": \"d\"}\n"
		"{\"id\": \"e\", \"text\": 5}\n"
		"{\"id\": \"f\", \"text\": \"bad \xff byte\"}\n"
		"{\"id\": [1], \"text\": \"x\"}\n"
		"{\"date\": \"2020-10-09T12:00:00Z\", \"text\": \"a\\u0000b\"}\n"
		"{\"date\": \"2020-1-9\", \"text\": \"a\"}\n"
		"{\"text\": \"date 2019-05-06 Body here.\", \"id\": null}\n"
		"{\"id\": \"last\", \"text\": \"raw\ttab\"}\n"
		"{\"date\": \"2021-01-01\", \"text\": \"date 2019-05-06 Body.\"}";
	const char *p = put("b.jsonl", lines, strlen(lines));

	CHECK(art_open(&r, p, ART_AUTO, &e) == 0);
	CHECK(art_format_of(r) == ART_JSONL);
	CHECK(art_next(r, &a, &e) == 1);
	CHECK_STR(a.id, "a1");
	CHECK_STR(a.date, "2020-10-09");
	CHECK_STR(a.text, "He said \"no\".\nOK \xc3\xa9\xe2\x82\xac \xf0\x9f\x98\x80");
	CHECK(a.line == 1 && a.index == 0 && a.body == 0);

	CHECK(art_next(r, &a, &e) == 1); /* blank lines skipped */
	CHECK_STR(a.id, "42");
	CHECK_STR(a.text, "x");
	CHECK(a.date[0] == 0 && a.line == 4 && a.index == 1);

	CHECK(art_next(r, &a, &e) == ERR_FORMAT);
	CHECK(strstr(e.msg, "b.jsonl:5: column") && strstr(e.msg, "surrogate"));
	CHECK(art_next(r, &a, &e) == ERR_FORMAT);
	CHECK(strstr(e.msg, "b.jsonl:6: column 26:") != NULL);
	CHECK(art_next(r, &a, &e) == ERR_FORMAT);
	CHECK(strstr(e.msg, "b.jsonl:7: column 1:") != NULL);
	CHECK(art_next(r, &a, &e) == ERR_FORMAT);
	CHECK(strstr(e.msg, "b.jsonl:8: no \"text\"") != NULL);
	CHECK(art_next(r, &a, &e) == ERR_FORMAT);
	CHECK(strstr(e.msg, "b.jsonl:9: column") && strstr(e.msg, "must be a string"));
	CHECK(art_next(r, &a, &e) == ERR_UTF8);
	/* byte offset in the file of the 0xff */
	char want[64];
	snprintf(want, sizeof(want), "b.jsonl:10: byte %zu: invalid UTF-8", (size_t)(strchr(lines, '\xff') - lines));
	CHECK(strstr(e.msg, want) != NULL);
	CHECK(art_next(r, &a, &e) == ERR_FORMAT);
	CHECK(strstr(e.msg, "b.jsonl:11:") && strstr(e.msg, "\"id\" must be"));

	CHECK(art_next(r, &a, &e) == 1); /* skipped the bad ones, continued */
	CHECK_STR(a.date, "2020-10-09");
	CHECK(a.len == 3 && memcmp(a.text, "a\0b", 3) == 0);
	CHECK(strstr(a.id, "b.jsonl:12") != NULL); /* no id: FILE:LINE */
	CHECK(art_next(r, &a, &e) == ERR_FORMAT);
	CHECK(strstr(e.msg, "b.jsonl:13:") && strstr(e.msg, "bad date"));
	CHECK(art_next(r, &a, &e) == 1);
	CHECK_STR(a.date, "2019-05-06"); /* from the text's prefix */
	CHECK_STR(a.text + a.body, "Body here.");
	CHECK(art_next(r, &a, &e) == ERR_FORMAT); /* raw tab inside a string */
	CHECK(strstr(e.msg, "b.jsonl:15:") && strstr(e.msg, "control character"));
	CHECK(art_next(r, &a, &e) == 1); /* "date" wins over the prefix, which is skipped */
	CHECK_STR(a.date, "2021-01-01");
	CHECK_STR(a.text + a.body, "Body.");
	CHECK(art_next(r, &a, &e) == 0);
	CHECK(art_next(r, &a, &e) == 0);
	art_close(r);

	/* forced format: a .txt file read as JSON lines, and the reverse */
	p = put("c.txt", "{\"text\": \"t\"}\n", 14);
	CHECK(art_open(&r, p, ART_JSONL, &e) == 0);
	CHECK(art_next(r, &a, &e) == 1 && strcmp(a.text, "t") == 0);
	art_close(r);
	p = put("d.jsonl", "{\"text\": \"t\"}\n", 14);
	CHECK(art_open(&r, p, ART_PLAIN, &e) == 0);
	CHECK(art_next(r, &a, &e) == 1 && a.len == 14);
	art_close(r);

	/* empty JSONL input: no article */
	p = put("e.jsonl", "", 0);
	CHECK(art_open(&r, p, ART_JSONL, &e) == 0);
	CHECK(art_next(r, &a, &e) == 0);
	art_close(r);
}

/* A 40 MB line without a newline, and many small lines after a long one. */
static void test_long_lines(void)
{
	const size_t n = 40u << 20;
	char *s = malloc(n + 64);
	art_reader *r;
	art_article a;
	err_t e;
	size_t k;

	CHECK(s != NULL);
	if (!s)
		return;
	k = (size_t)sprintf(s, "{\"id\":\"big\",\"text\":\"");
	memset(s + k, 'w', n - k - 2);
	memcpy(s + n - 2, "\"}", 2);
	const char *p = put("big.jsonl", s, n);
	CHECK(art_open(&r, p, ART_JSONL, &e) == 0);
	CHECK(art_next(r, &a, &e) == 1);
	CHECK(a.len == n - k - 2 && a.text[0] == 'w' && a.text[a.len - 1] == 'w');
	CHECK(art_next(r, &a, &e) == 0);
	art_close(r);
	/* the same bytes as a plain article */
	CHECK(art_open(&r, p, ART_PLAIN, &e) == 0);
	CHECK(art_next(r, &a, &e) == 1 && a.len == n);
	art_close(r);
	free(s);
}

static void test_jsonr(void)
{
	jsonr p;
	buf_t b;
	err_t e;
	const char *num;
	size_t nn;
	const char *good[] = { "0", "-1.5e+3", "\"\"", "[]", "{}", "[[[]]]",
			       "{\"a\":{\"b\":[1,{}]}}", " true ", "null", NULL };
	const char *bad[] = { "01", "1.", "-", "+1", "[1,]", "{\"a\"}", "{\"a\":1,}",
			      "tru", "\"\\x\"", "\"abc", "[1 2]", "{1:2}", "nul", "\"\\u12g4\"",
			      "\"\\udc00\"", "1 2", "", NULL };

	buf_init(&b);
	for (int i = 0; good[i]; i++) {
		jsonr_init(&p, good[i], strlen(good[i]));
		int ok = jsonr_skip(&p, &e) == 0 && jsonr_end(&p, &e) == 0;
		CHECK(ok);
		if (!ok)
			fprintf(stderr, "  good: %s: %s\n", good[i], e.msg);
	}
	for (int i = 0; bad[i]; i++) {
		jsonr_init(&p, bad[i], strlen(bad[i]));
		int rc = jsonr_skip(&p, &e);
		if (rc == 0)
			rc = jsonr_end(&p, &e);
		CHECK(rc == ERR_FORMAT);
		if (rc != ERR_FORMAT)
			fprintf(stderr, "  bad accepted: %s\n", bad[i]);
	}
	/* nesting is bounded */
	char deep[200];
	memset(deep, '[', 100);
	memset(deep + 100, ']', 100);
	jsonr_init(&p, deep, 200);
	CHECK(jsonr_skip(&p, &e) == ERR_FORMAT && strstr(e.msg, "nested"));
	/* escapes */
	const char *s = "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u0041\\u00E9\\uD834\\uDD1E\"";
	jsonr_init(&p, s, strlen(s));
	CHECK(jsonr_peek(&p) == JSONR_STRING);
	CHECK(jsonr_string(&p, &b, &e) == 0);
	CHECK(b.len == 19 && memcmp(b.data, "a\"b\\c/d\b\f\n\r\tA\xc3\xa9\xf0\x9d\x84\x9e", 19) == 0);
	CHECK(b.data[b.len] == 0);
	jsonr_init(&p, "-12.5e2,", 8);
	CHECK(jsonr_number(&p, &num, &nn, &e) == 0 && nn == 7 && p.pos == 7);
	/* member loop */
	s = "{ \"x\" : 1 , \"y\":\"z\" }";
	jsonr_init(&p, s, strlen(s));
	CHECK(jsonr_object(&p, &e) == 0);
	CHECK(jsonr_key(&p, &b, &e) == 1 && strcmp((char *)b.data, "x") == 0);
	CHECK(jsonr_skip(&p, &e) == 0);
	CHECK(jsonr_key(&p, &b, &e) == 1 && strcmp((char *)b.data, "y") == 0);
	CHECK(jsonr_string(&p, &b, &e) == 0 && strcmp((char *)b.data, "z") == 0);
	CHECK(jsonr_key(&p, &b, &e) == 0);
	CHECK(jsonr_end(&p, &e) == 0);
	buf_free(&b);
}

/* Mutated JSON lines: every line gives an article or an error, never a
 * crash, and the reader goes on to the end. */
static void test_mutations(void)
{
	static const char base[] =
		"{\"id\": \"x1\", \"date\": \"2020-10-09\", \"text\": \"A \\\"q\\\" \\u00e9\\ud83d\\ude00 b\", \"m\": [1, {\"k\": null}]}";
	static const char repl[] = "\"\\{}[]:,u0dDeE \t\x01\xff\xc3\xa9n-";
	const size_t n = sizeof(base) - 1, lines = 3000;
	char *buf = malloc(lines * (n + 1)), *p = buf;
	unsigned long seed = 99;
	art_reader *r;
	art_article a;
	err_t e;
	long good = 0, bad = 0, blank = 0;
	int rc;

	CHECK(buf != NULL);
	if (!buf)
		return;
	for (size_t l = 0; l < lines; l++) {
		memcpy(p, base, n);
		int edits = 1 + (int)(l % 4), is_blank = 1;
		for (int k = 0; k < edits; k++) {
			seed = seed * 6364136223846793005ul + 1442695040888963407ul;
			size_t at = (seed >> 20) % n;
			p[at] = repl[(seed >> 40) % (sizeof(repl) - 1)];
		}
		for (size_t i = 0; i < n; i++)
			if (p[i] != ' ' && p[i] != '\t')
				is_blank = 0;
		blank += is_blank;
		p[n] = '\n';
		p += n + 1;
	}
	const char *path = put("mut.jsonl", buf, lines * (n + 1));
	CHECK(art_open(&r, path, ART_JSONL, &e) == 0);
	int odd = 0;
	while ((rc = art_next(r, &a, &e)) != 0) {
		if (rc == 1) {
			good++;
			odd += !(a.text && a.text[a.len] == 0 && a.id && a.line >= 1);
		} else {
			bad++;
			odd += !((rc == ERR_FORMAT || rc == ERR_UTF8) && strstr(e.msg, "mut.jsonl:"));
		}
	}
	art_close(r);
	CHECK(odd == 0);
	CHECK(good + bad + blank == (long)lines);
	CHECK(good > 0 && bad > 0);
	free(buf);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_date_prefix();
	test_plain();
	test_jsonl();
	test_long_lines();
	test_jsonr();
	test_mutations();
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return t_done();
}
