/* The HTML view's writer (pipe_write_html and the page around it):
 * escaping, spans nested or cut where they cross, dimmed sentences. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "coder/pipe.h"
#include "t.h"

/* The text of b as a C string (b keeps it). */
static const char *str(buf_t *b)
{
	buf_put_u8(b, 0);
	b->len--;
	return (const char *)b->data;
}

/* 1 when every <span ...> in s has its </span>, in order, and the
 * innermost one opened is the first closed. */
static int balanced(const char *s)
{
	long depth = 0;
	for (const char *p = s; *p; p++) {
		if (strncmp(p, "<span", 5) == 0)
			depth++;
		else if (strncmp(p, "</span>", 7) == 0 && --depth < 0)
			return 0;
	}
	return depth == 0;
}

static pipe_span span(uint32_t s, uint32_t e, const char *type, double sc)
{
	pipe_span p = { s, e, s, e, type, sc, -1, "", NULL, "", 0, 0, 0 };
	return p;
}

static void test_escape(void)
{
	const char *text = "A <script>alert('x')</script> & \"B\"\rC\x01\x7f.";
	pipe_doc d = { "id<&>\"'", NULL, text, strlen(text), 0 };
	pipe_span ent[1] = { span(1, 9, "O<R>G", 0.5) }; /* " <script" */
	pipe_record r;
	memset(&r, 0, sizeof(r));
	r.start = 0, r.end = (uint32_t)strlen(text);
	r.cstart = 0, r.cend = r.end;
	r.ent = ent, r.nent = 1;
	r.plover = "NONE", r.penta = "NONE", r.none_score = 0.75;
	buf_t b;
	buf_init(&b);
	pipe_write_html_doc(&b, &d, 0);
	pipe_write_html(&b, &d, &r);
	pipe_write_html_doc(&b, &d, 1);
	const char *h = str(&b);
	CHECK(strstr(h, "<script") == NULL);
	CHECK(strstr(h, "data-doc=\"id&lt;&amp;&gt;&quot;&#39;\"") != NULL);
	CHECK(strstr(h, "<h2>id&lt;&amp;&gt;&quot;&#39;</h2>") != NULL);
	CHECK(strstr(h, "data-type=\"O&lt;R&gt;G\"") != NULL);
	CHECK(strstr(h, "&lt;/script&gt; &amp; &quot;B&quot;&#13;C\xE2\x90\x81\xE2\x90\xA1.") != NULL);
	CHECK(strstr(h, "<div class=\"sent none\"") != NULL);
	CHECK(strstr(h, "no event 0.75") != NULL);
	CHECK(balanced(h));
	buf_free(&b);
}

static void test_nesting(void)
{
	/*          0123456789012345678901234 */
	const char *text = "Aaa Bbb Ccc Ddd Eee Fff.";
	pipe_doc d = { "x", "2020-01-02", text, strlen(text), 0 };
	/* entities B..C and E; a source A..B (ends inside the entity B..C),
	 * a target C..E (starts inside it), and a reciprocal actor on E
	 * (a source and a target with the same extent as the entity) */
	pipe_span ent[2] = { span(4, 11, "PER", 0.9), span(16, 19, "LOC", 0.8) };
	pipe_span src[2] = { span(0, 7, "SOURCE", 0.7), span(16, 19, "RECIPROCAL", 0.6) };
	pipe_span tgt[2] = { span(8, 19, "TARGET", 0.5), span(16, 19, "RECIPROCAL", 0.6) };
	pipe_record r;
	memset(&r, 0, sizeof(r));
	r.sent = 3;
	r.start = 0, r.end = (uint32_t)strlen(text);
	r.cstart = 0, r.cend = r.end;
	r.ent = ent, r.nent = 2;
	r.src = src, r.nsrc = 2;
	r.tgt = tgt, r.ntgt = 2;
	r.plover = "ASSAULT", r.plover_score = 0.625;
	r.penta = "MATERIAL_CONFLICT", r.penta_score = 0.5;
	r.status.negated = 1, r.status.neg_score = 0.875;
	r.date.src = DATE_SRC_ARTICLE;
	r.date.date = (date_t){ 2020, 1, 2 };
	buf_t b;
	buf_init(&b);
	pipe_write_html(&b, &d, &r);
	const char *h = str(&b);
	const char *p = strstr(h, "<p class=\"text\">");
	CHECK(p != NULL);
	CHECK(balanced(h));
	CHECK(strstr(h, "<div class=\"sent event\" data-sent=\"3\"") != NULL);
	CHECK(strstr(h, "data-plover=\"ASSAULT\" data-score=\"0.625\">ASSAULT 0.62") != NULL ||
	      strstr(h, "data-plover=\"ASSAULT\" data-score=\"0.625\">ASSAULT 0.63") != NULL);
	CHECK(strstr(h, "data-flag=\"negated\" data-score=\"0.875\"") != NULL);
	CHECK(strstr(h, "data-date=\"2020-01-02\" data-source=\"article\"") != NULL);
	/* the source opens first; the entity B..C is cut at 7, where the
	 * source ends, and opened again as part 2, inside which the target
	 * starts at 8 and cuts it once more at 11 */
	if (p) {
		const char *want =
			"<p class=\"text\">"
			"<span class=\"role\" data-role=\"source\" data-start=\"0\" data-end=\"7\" "
			"data-score=\"0.7\" title=\"source: 0.70\">Aaa "
			"<span class=\"ent\" data-type=\"PER\" data-start=\"4\" data-end=\"11\" "
			"data-score=\"0.9\" title=\"PER 0.90\">Bbb</span></span>"
			"<span class=\"ent\" data-type=\"PER\" data-start=\"4\" data-end=\"11\" "
			"data-score=\"0.9\" data-part=\"2\" title=\"PER 0.90\"> "
			"<span class=\"role\" data-role=\"target\" data-start=\"8\" data-end=\"19\" "
			"data-score=\"0.5\" title=\"target: 0.50\">Ccc</span></span>"
			"<span class=\"role\" data-role=\"target\" data-start=\"8\" data-end=\"19\" "
			"data-score=\"0.5\" data-part=\"2\" title=\"target: 0.50\"> Ddd "
			"<span class=\"role\" data-role=\"source\" data-start=\"16\" data-end=\"19\" "
			"data-score=\"0.6\" title=\"source: 0.60\">"
			"<span class=\"role\" data-role=\"target\" data-start=\"16\" data-end=\"19\" "
			"data-score=\"0.6\" title=\"target: 0.60\">"
			"<span class=\"ent\" data-type=\"LOC\" data-start=\"16\" data-end=\"19\" "
			"data-score=\"0.8\" title=\"LOC 0.80\">Eee</span></span></span></span>"
			" Fff.</p>";
		if (strncmp(p, want, strlen(want)) != 0)
			fprintf(stderr, "got:  %.*s\nwant: %s\n", (int)strlen(want), p, want);
		CHECK(strncmp(p, want, strlen(want)) == 0);
	}
	buf_free(&b);
}

/* Many spans (more than the writer keeps on its stack), and the page. */
static void test_many_and_page(void)
{
	enum { N = 100 };
	char text[4 * N + 1];
	pipe_span ent[N], src[N];
	for (int i = 0; i < N; i++) {
		memcpy(text + 4 * i, "ab, ", 4);
		ent[i] = span(4 * i, 4 * i + 2, "ORG", 0.5);
		src[i] = span(4 * i + 1, 4 * i + 3, "SOURCE", 0.5);
	}
	text[4 * N] = 0;
	pipe_doc d = { "m", NULL, text, 4 * N, 0 };
	pipe_record r;
	memset(&r, 0, sizeof(r));
	r.start = 0, r.end = 4 * N;
	r.cstart = 0, r.cend = 4 * N;
	r.ent = ent, r.nent = N;
	r.src = src, r.nsrc = N;
	r.plover = "PROTEST", r.plover_score = 1;
	buf_t b;
	buf_init(&b);
	pipe_write_html_head(&b);
	pipe_write_html_doc(&b, &d, 0);
	pipe_write_html(&b, &d, &r);
	pipe_write_html_doc(&b, &d, 1);
	pipe_write_html_foot(&b);
	const char *h = str(&b);
	CHECK(!b.failed);
	CHECK(strncmp(h, "<!DOCTYPE html>\n", 16) == 0);
	CHECK(strstr(h, "<meta charset=\"utf-8\">") != NULL);
	CHECK(strstr(h, "http") == NULL && strstr(h, "src=") == NULL && strstr(h, "<script") == NULL);
	CHECK(b.len > 16 && strcmp(h + b.len - 16, "</body>\n</html>\n") == 0);
	CHECK(balanced(h));
	/* each source opens inside its entity and is cut where the entity
	 * ends: one second part each */
	size_t parts = 0;
	for (const char *p = h; (p = strstr(p, "data-part=\"2\"")); p++)
		parts++;
	CHECK(parts == N);
	CHECK(strstr(h, "<article class=\"doc\" data-doc=\"m\">\n<h2>m</h2>\n"
			"<p class=\"meta\">no article date</p>") != NULL);
	buf_free(&b);
}

/* Random spans of all three kinds, crossing each other anyhow: the markup
 * stays balanced and the pieces of every span, put together in page order,
 * give exactly its text. */
static void test_random(void)
{
	const char *text = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	uint32_t len = (uint32_t)strlen(text);
	unsigned seed = 12345;
	int bad = 0;
	for (int trial = 0; trial < 500 && !bad; trial++) {
		pipe_span sp[3][8];
		uint32_t n[3] = { 0, 0, 0 };
		for (int k = 0; k < 12; k++) {
			seed = seed * 1103515245u + 12345u;
			int kind = (int)((seed >> 16) % 3);
			seed = seed * 1103515245u + 12345u;
			uint32_t a = (seed >> 16) % len;
			seed = seed * 1103515245u + 12345u;
			uint32_t b = a + 1 + (seed >> 16) % 20;
			if (b > len)
				b = len;
			int dup = 0;
			for (uint32_t i = 0; i < n[kind]; i++)
				dup |= sp[kind][i].start == a && sp[kind][i].end == b;
			if (!dup && n[kind] < 8)
				sp[kind][n[kind]++] = span(a, b, kind == 2 ? "LOC" : "X", 0.5);
		}
		pipe_doc d = { "r", NULL, text, len, 0 };
		pipe_record r;
		memset(&r, 0, sizeof(r));
		r.end = r.cend = len;
		r.src = sp[0], r.nsrc = n[0];
		r.tgt = sp[1], r.ntgt = n[1];
		r.ent = sp[2], r.nent = n[2];
		r.plover = "PROTEST", r.plover_score = 1;
		buf_t b;
		buf_init(&b);
		pipe_write_html(&b, &d, &r);
		const char *h = str(&b), *p = strstr(h, "<p class=\"text\">");
		if (!p || !balanced(h)) {
			bad = 1;
			break;
		}
		p += strlen("<p class=\"text\">");
		/* walk the text: the open spans' kinds and ranges; each span's
		 * text so far in got[kind][i] */
		char got[3][8][64];
		memset(got, 0, sizeof(got));
		int stk[64][2], depth = 0;
		size_t at = 0;
		while (*p && strncmp(p, "</p>", 4) != 0) {
			if (strncmp(p, "</span>", 7) == 0) {
				depth--;
				p += 7;
			} else if (*p == '<') {
				const char *q = strchr(p, '>');
				char tag[256];
				unsigned st = 0, en = 0;
				size_t tl = q && (size_t)(q - p) < sizeof(tag) ? (size_t)(q - p) : 0;
				memcpy(tag, p, tl);
				tag[tl] = '\0';
				const char *ds = strstr(tag, "data-start=\""), *de = strstr(tag, "data-end=\"");
				int kind = strstr(tag, "data-role=\"source\"") ? 0 :
					   strstr(tag, "data-role=\"target\"") ? 1 : 2;
				if (!ds || !de || sscanf(ds, "data-start=\"%u\"", &st) != 1 ||
				    sscanf(de, "data-end=\"%u\"", &en) != 1) {
					bad = 6;
					break;
				}
				int idx = -1;
				for (uint32_t i = 0; i < n[kind]; i++)
					if (sp[kind][i].start == st && sp[kind][i].end == en)
						idx = (int)i;
				if (idx < 0 || depth >= 64) {
					bad = 2;
					break;
				}
				stk[depth][0] = kind, stk[depth][1] = idx;
				depth++;
				p = q + 1;
			} else {
				for (int i = 0; i < depth; i++) {
					char *g = got[stk[i][0]][stk[i][1]];
					size_t gl = strlen(g);
					if (gl < 63)
						g[gl] = *p;
				}
				if (*p != text[at])
					bad = 3;
				at++;
				p++;
			}
		}
		if (at != len)
			bad = 4;
		for (int k = 0; k < 3; k++)
			for (uint32_t i = 0; i < n[k]; i++) {
				size_t l = sp[k][i].end - sp[k][i].start;
				if (strlen(got[k][i]) != l ||
				    strncmp(got[k][i], text + sp[k][i].start, l) != 0)
					bad = 5;
			}
		if (bad)
			fprintf(stderr, "random trial %d failed (%d): %s\n", trial, bad, h);
		buf_free(&b);
	}
	CHECK(!bad);
}

int main(void)
{
	test_escape();
	test_nesting();
	test_many_and_page();
	test_random();
	return t_done();
}
