/* Tests of the CoNLL reader: columns, sentences, documents, IOB1 -> IOB2,
 * and errors naming file and line. */
#include <stdlib.h>
#include <string.h>

#include "text/conll.h"
#include "t.h"

static const char *tag_of(const conll_corpus *c, uint32_t row)
{
	return dict_str(c->tags, c->row[row].tag, NULL);
}

static int tok_is(const conll_corpus *c, uint32_t row, const char *s)
{
	uint32_t n;
	const char *p = conll_token(c, row, &n);
	return n == strlen(s) && memcmp(p, s, n) == 0;
}

static void test_basic(void)
{
	const char *text =
		"-DOCSTART- -X- -X- O\n"
		"\n"
		"EU NNP B-NP I-ORG\n"
		"rejects\tVBZ\tB-VP\tO\r\n"
		"German JJ B-NP I-MISC\n"
		"call NN I-NP O\n"
		"\n\n"
		"Peter NNP B-NP I-PER\n"
		"Blackburn NNP I-NP I-PER\n"
		"Smith NNP I-NP B-PER\n"
		"-DOCSTART- -X- -X- O\n"
		"Paris NNP I-NP I-LOC";
	conll_corpus *c = NULL;
	err_t e = { 0 };

	CHECK(conll_parse("x.conll", text, strlen(text), CONLL_TAGS, &c, &e) == 0);
	if (!c)
		return;
	CHECK(c->nsent == 3);
	CHECK(c->nrow == 8);
	CHECK(c->ndoc == 2);
	CHECK(c->sent[0].n == 4 && c->sent[1].n == 3 && c->sent[2].n == 1);
	CHECK(c->sent[2].doc == 1);
	CHECK(tok_is(c, 0, "EU"));
	CHECK(tok_is(c, 1, "rejects"));
	CHECK_STR(tag_of(c, 0), "B-ORG");   /* IOB1 I- at start -> B- */
	CHECK_STR(tag_of(c, 1), "O");
	CHECK_STR(tag_of(c, 2), "B-MISC");  /* after O */
	CHECK_STR(tag_of(c, 4), "B-PER");
	CHECK_STR(tag_of(c, 5), "I-PER");   /* continues */
	CHECK_STR(tag_of(c, 6), "B-PER");   /* IOB1 B- splits two entities */
	CHECK_STR(tag_of(c, 7), "B-LOC");
	CHECK(c->row[1].ncol == 4);
	CHECK(c->row[1].line == 4);
	uint32_t n;
	const char *p = conll_column(c, 1, 1, &n);
	CHECK(p && n == 3 && memcmp(p, "VBZ", 3) == 0);
	CHECK(conll_column(c, 1, 4, &n) == NULL);
	/* the raw line has no CR */
	CHECK(c->row[1].len == strlen("rejects\tVBZ\tB-VP\tO"));
	CHECK(dict_get(c->tags, "O", 1) == 0);
	conll_free(c);
}

static void test_columns_eval(void)
{
	/* conlleval style: token gold pred, the pred in IOB1 */
	const char *text = "John B-PER I-PER\nSmith I-PER I-PER\nsaid O O\n";
	conll_corpus *c = NULL;
	err_t e = { 0 };
	uint32_t ids[3];
	dict_t *tags = dict_new();

	CHECK(conll_parse("e.txt", text, strlen(text), 0, &c, &e) == 0);
	if (!c || !tags) {
		dict_free(tags);
		conll_free(c);
		return;
	}
	CHECK(c->row[0].tag == CONLL_NO_TAG);
	CHECK(conll_column_tags(c, 0, 0, tags, ids, &e) == 0);
	CHECK_STR(dict_str(tags, ids[0], NULL), "B-PER");
	CHECK_STR(dict_str(tags, ids[1], NULL), "I-PER");
	CHECK(conll_column_tags(c, 0, 1, tags, ids, &e) == 0);
	CHECK_STR(dict_str(tags, ids[0], NULL), "B-PER");
	CHECK(conll_column_tags(c, 0, 2, tags, ids, &e) == ERR_FORMAT);
	CHECK(strstr(e.msg, "e.txt:1:") != NULL);
	dict_free(tags);
	conll_free(c);
}

static void expect_error(const char *text, const char *want)
{
	conll_corpus *c = NULL;
	err_t e = { 0 };
	int rc = conll_parse("bad.conll", text, strlen(text), CONLL_TAGS, &c, &e);

	CHECK(rc == ERR_FORMAT);
	CHECK(c == NULL);
	if (!strstr(e.msg, want)) {
		fprintf(stderr, "message '%s' lacks '%s'\n", e.msg, want);
		CHECK(0);
	}
	conll_free(c);
}

static void test_errors(void)
{
	expect_error("a O\nb\n", "bad.conll:2: expected at least 2 columns");
	expect_error("a O\n\nb X-PER\n", "bad.conll:3: bad tag 'X-PER'");
	expect_error("a O\nb B-\n", "bad.conll:2: bad tag");
	expect_error("a x O\nb O\n", "bad.conll:2: 2 columns, but the sentence started with 3 (line 1)");
	char nul[] = "a O\nb\0c O\n";
	conll_corpus *c = NULL;
	err_t e = { 0 };
	CHECK(conll_parse("n.conll", nul, sizeof(nul) - 1, CONLL_TAGS, &c, &e) == ERR_FORMAT);
	CHECK(strstr(e.msg, "n.conll:2: NUL") != NULL);
	CHECK(conll_read("/nonexistent/file.conll", CONLL_TAGS, &c, &e) == ERR_IO);
	CHECK(strstr(e.msg, "/nonexistent/file.conll") != NULL);
}

static void test_empty(void)
{
	conll_corpus *c = NULL;
	err_t e = { 0 };

	CHECK(conll_parse("empty", "", 0, CONLL_TAGS, &c, &e) == 0);
	CHECK(c && c->nsent == 0 && c->nrow == 0);
	conll_free(c);
	CHECK(conll_parse("blank", "\n\n  \n\t\n", 6, CONLL_TAGS, &c, &e) == 0);
	CHECK(c && c->nsent == 0);
	conll_free(c);
}

int main(void)
{
	test_basic();
	test_columns_eval();
	test_errors();
	test_empty();
	return t_done();
}
