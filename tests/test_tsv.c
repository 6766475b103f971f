/* tsv reader: records, CRLF, long lines, and errors naming file:line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t.h"
#include "text/tsv.h"

static char tmpdir[] = "/tmp/evtag-tsv-XXXXXX";

static const char *write_file(const char *name, const char *data, size_t n)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	if (!f)
		return NULL;
	fwrite(data, 1, n, f);
	fclose(f);
	return path;
}

static void expect_error(const char *name, const char *data, int code,
			 const char *where)
{
	const char *p = write_file(name, data, strlen(data));
	tsv_data d;
	err_t e = { 0 };
	int rc = tsv_read_all(p, 0, &d, &e);

	CHECK(rc == code);
	CHECK(strstr(e.msg, where) != NULL);
	if (!strstr(e.msg, where))
		fprintf(stderr, "message was: %s\n", e.msg);
	tsv_data_free(&d);
}

int main(void)
{
	tsv_data d;
	err_t e = { 0 };
	const char *p;

	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	{ const char *ok = "A\thello world\r\n\nB\ttab\tinside\nC\t\n"; p = write_file("ok.tsv", ok, strlen(ok)); }
	CHECK(tsv_read_all(p, 0, &d, &e) == 0);
	CHECK(d.n == 3);
	if (d.n == 3) {
		CHECK_STR(d.label[0], "A");
		CHECK_STR(d.text[0], "hello world");
		CHECK_STR(d.text[1], "tab\tinside");
		CHECK(d.line[1] == 3);
		CHECK_STR(d.label[2], "C");
		CHECK(d.text_len[2] == 0);
	}
	tsv_data_free(&d);

	/* a 3 MB line */
	{
		size_t n = 3u << 20;
		char *big = malloc(n + 4);
		CHECK(big != NULL);
		if (big) {
			memcpy(big, "L\t", 2);
			memset(big + 2, 'x', n);
			big[n + 2] = '\n';
			p = write_file("big.tsv", big, n + 3);
			CHECK(tsv_read_all(p, 0, &d, &e) == 0);
			CHECK(d.n == 1 && d.text_len[0] == n);
			tsv_data_free(&d);
			free(big);
		}
	}

	expect_error("notab.tsv", "A\tfine\nno tab here\n", ERR_FORMAT, "notab.tsv:2: ");
	expect_error("nolabel.tsv", "A\tfine\nB\tok\n\tempty label\n", ERR_FORMAT, "nolabel.tsv:3: empty label");
	expect_error("utf8.tsv", "A\tcaf\xc3\n", ERR_UTF8, "utf8.tsv:1: invalid UTF-8");
	expect_error("overlong.tsv", "A\t\xc0\xafx\n", ERR_UTF8, "overlong.tsv:1:");
	expect_error("surrogate.tsv", "A\tok\nB\t\xed\xa0\x80\n", ERR_UTF8, "surrogate.tsv:2:");
	CHECK(tsv_read_all("/nonexistent/x.tsv", 0, &d, &e) == ERR_IO);
	CHECK(strstr(e.msg, "/nonexistent/x.tsv") != NULL);
	tsv_data_free(&d);

	/* plain text mode: every line is an example, labels optional */
	{ const char *pl = "first line\n\nL\tlabeled\n"; p = write_file("plain.txt", pl, strlen(pl)); }
	CHECK(tsv_read_all(p, TSV_TEXT_ONLY, &d, &e) == 0);
	CHECK(d.n == 3);
	if (d.n == 3) {
		CHECK(d.label[0] == NULL);
		CHECK_STR(d.text[0], "first line");
		CHECK(d.text_len[1] == 0);
		CHECK_STR(d.label[2], "L");
	}
	tsv_data_free(&d);

	{
		char cmd[300];
		snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
		CHECK(system(cmd) == 0);
	}
	return t_done();
}
