/* Tests for eval: conlleval's chunk rules on hand-made edge cases (the
 * expected counts are worked out by hand from conlleval's startOfChunk /
 * endOfChunk in the comments), classification figures, bootstrap
 * reproducibility, comparisons with a known answer, calibration error. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval/eval.h"
#include "t.h"

static eval_opts quiet(void)
{
	eval_opts o;
	eval_opts_init(&o);
	o.resamples = 0;
	return o;
}

/* Reads conlleval-format text into span data; NULL on error (message in e). */
static eval_spans_t *spans_of(const char *text, int flags, err_t *e)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	eval_spans_t *s = eval_spans_new("t.conll", flags);

	if (!f || !s || eval_spans_readf(s, f, "t.conll", e) < 0) {
		eval_spans_free(s);
		s = NULL;
	}
	if (f)
		fclose(f);
	return s;
}

/* Scores text with opts; returns the report (NULL on error). */
static eval_report *score_spans(const char *text, const eval_opts *o)
{
	err_t e;
	eval_report *r = NULL;
	eval_spans_t *s = spans_of(text, 0, &e);

	if (s && eval_spans_score(s, NULL, o, &r, &e) < 0)
		r = NULL;
	if (!r)
		fprintf(stderr, "score failed: %s\n", e.msg);
	eval_spans_free(s);
	return r;
}

static const eval_label *label(const eval_report *r, const char *name)
{
	for (size_t l = 0; l < r->nlabels; l++)
		if (strcmp(r->labels[l].name, name) == 0)
			return &r->labels[l];
	return NULL;
}

/* Checks the totals of a span report: gold phrases, found, correct,
 * tokens, correctly tagged tokens. */
static void check_counts(const char *what, const char *text, double gold, double found,
			 double correct, long long tokens, long long ok_tokens)
{
	eval_opts o = quiet();
	eval_report *r = score_spans(text, &o);

	CHECK(r != NULL);
	if (!r)
		return;
	if (r->gold != gold || r->found != found || r->correct != correct ||
	    r->n != tokens || r->n_correct != ok_tokens)
		fprintf(stderr, "%s: got gold %g found %g correct %g tokens %lld ok %lld\n",
			what, r->gold, r->found, r->correct, r->n, r->n_correct);
	CHECK(r->gold == gold);
	CHECK(r->found == found);
	CHECK(r->correct == correct);
	CHECK(r->n == tokens);
	CHECK(r->n_correct == ok_tokens);
	eval_report_free(r);
}

static void test_conlleval_rules(void)
{
	/* I- after O starts a phrase (IOB1): gold PER[b c], predicted PER[b c d];
	 * they start together but end apart: 0 correct. */
	check_counts("I after O", "a O O\nb I-PER I-PER\nc I-PER I-PER\nd O I-PER\n",
		     1, 1, 0, 4, 3);
	/* A type switch inside I- tags starts a new phrase: gold PER[x] LOC[y],
	 * predicted PER[x y]. At y the gold phrase ends (type changed) while the
	 * predicted one goes on, so x is not correct. */
	check_counts("type switch", "x I-PER I-PER\ny I-LOC I-PER\n", 2, 1, 0, 2, 1);
	/* IOB1: B- separates two adjacent phrases of one type. */
	check_counts("IOB1 B", "a I-PER I-PER\nb B-PER I-PER\n", 2, 1, 0, 2, 1);
	/* B- followed by I- of another type: gold PER[a] LOC[b], predicted PER[a b]. */
	check_counts("B then other I", "a B-PER B-PER\nb I-LOC I-PER\n", 2, 1, 0, 2, 1);
	/* ... and the other way round: gold PER[a b], predicted PER[a] LOC[b]. */
	check_counts("B then other I (pred)", "a B-PER B-PER\nb I-PER I-LOC\n", 1, 2, 0, 2, 1);
	/* A sentence end closes a phrase: the I- after the blank line starts a
	 * new one, in both columns: 2 phrases, both correct; the last phrase is
	 * closed by the end of the file (no blank line after it). */
	check_counts("sentence end", "a B-PER B-PER\n\nb I-PER I-PER\n", 2, 2, 2, 2, 2);
	/* Without the blank line the two tokens are one phrase. */
	check_counts("no sentence end", "a B-PER B-PER\nb I-PER I-PER\n", 1, 1, 1, 2, 2);
	/* -X- in the first column ends a sentence like a blank line. */
	check_counts("-X- break", "a B-PER B-PER\n-X- O O\nb I-PER I-PER\n", 2, 2, 2, 2, 2);
	/* IOB1 gold, IOB2 prediction: the same phrase (correct), but the first
	 * token's tags differ (I-PER vs B-PER), so token accuracy is 2/3. */
	check_counts("IOB1 vs IOB2", "a I-PER B-PER\nb I-PER I-PER\nc O O\n", 1, 1, 1, 3, 2);
	/* IOE: E- ends a phrase; E after E and I after E start one. Gold
	 * NP[a b] NP[c], predicted NP[a b] NP[c]: both correct; token c differs. */
	check_counts("IOE", "a I-NP I-NP\nb E-NP E-NP\nc E-NP I-NP\nd O O\n", 2, 2, 2, 4, 3);
	/* All O: no phrases, every token right; P = R = F1 = 0 as in conlleval. */
	check_counts("all O", "a O O\nb O O\n\nc O O\n", 0, 0, 0, 3, 3);
	/* Types may contain hyphens: conlleval splits at the first one only. */
	check_counts("hyphen type", "a B-GPE-LOC B-GPE-LOC\nb I-GPE-LOC I-GPE\n", 1, 2, 0, 2, 1);
	/* A -DOCSTART- line with both tag columns is a token (conlleval counts
	 * it); a lone -DOCSTART- only ends a sentence. */
	check_counts("docstart token", "-DOCSTART- O O\n\na B-PER B-PER\n", 1, 1, 1, 2, 2);
	check_counts("docstart alone", "-DOCSTART-\n\na B-PER B-PER\nb O O\n", 1, 1, 1, 2, 2);
	/* Extra columns and tabs: only the last two count. */
	check_counts("columns", "EU\tNNP B-NP\tB-ORG B-ORG\nrejects VBZ B-VP O O\n", 1, 1, 1, 2, 2);
	/* A predicted phrase with the right span but the wrong type is found but
	 * not correct, and counts against both types. */
	check_counts("wrong type", "a B-PER B-LOC\nb I-PER I-LOC\nc O O\n", 1, 1, 0, 3, 1);
}

static void test_conlleval_figures(void)
{
	/* conlleval on this file prints (worked out by hand):
	 *   processed 13 tokens with 5 phrases; found: 5 phrases; correct: 4.
	 * MISC 2/2 correct (an I-MISC after O starts a phrase like B-MISC),
	 * PER 1/1, LOC 1 gold 0 found, ORG 1 gold, 2 found (one is the LOC
	 * token), 1 correct. Accuracy 11/13 = 84.62. */
	const char *text =
		"EU NNP B-ORG B-ORG\nrejects VBZ O O\nGerman JJ B-MISC B-MISC\ncall NN O O\n"
		"to TO O O\nboycott VB O O\nBritish JJ B-MISC I-MISC\nlamb NN O O\n. . O O\n\n"
		"Peter NNP B-PER B-PER\nBlackburn NNP I-PER I-PER\n\n"
		"BRUSSELS NNP B-LOC B-ORG\n1996-08-22 CD O O\n";
	const char *want =
		"processed 13 tokens with 5 phrases; found: 5 phrases; correct: 4.\n"
		"accuracy:  84.62%; precision:  80.00%; recall:  80.00%; FB1:  80.00\n"
		"              LOC: precision:   0.00%; recall:   0.00%; FB1:   0.00  0\n"
		"             MISC: precision: 100.00%; recall: 100.00%; FB1: 100.00  2\n"
		"              ORG: precision:  50.00%; recall: 100.00%; FB1:  66.67  2\n"
		"              PER: precision: 100.00%; recall: 100.00%; FB1: 100.00  1\n";
	eval_opts o = quiet();
	eval_report *r = score_spans(text, &o);
	buf_t b;

	CHECK(r != NULL);
	if (!r)
		return;
	buf_init(&b);
	eval_report_conlleval(r, &b);
	buf_put_u8(&b, 0);
	CHECK_STR((const char *)b.data, want);
	buf_free(&b);
	CHECK_STR(r->scheme, "IOB2");
	CHECK_NEAR(r->m[EVAL_M_MICRO_F1], 0.8, 1e-12);
	CHECK_NEAR(r->m[EVAL_M_ACCURACY], 11.0 / 13, 1e-12);
	CHECK(label(r, "ORG") && label(r, "ORG")->found == 2 && label(r, "ORG")->support == 1);
	CHECK_NEAR(label(r, "ORG")->f1, 2.0 / 3, 1e-12);
	/* macro over the four types: P (0 + 1 + .5 + 1) / 4, R 3/4,
	 * F1 (0 + 1 + 2/3 + 1) / 4; weighted by support (1, 2, 1, 1)/5. */
	CHECK_NEAR(r->m[EVAL_M_MACRO_P], 2.5 / 4, 1e-12);
	CHECK_NEAR(r->m[EVAL_M_MACRO_R], 0.75, 1e-12);
	CHECK_NEAR(r->m[EVAL_M_MACRO_F1], (2 + 2.0 / 3) / 4, 1e-12);
	CHECK_NEAR(r->m[EVAL_M_WEIGHTED_F1], (0 + 2 + 2.0 / 3 + 1) / 5, 1e-12);
	CHECK(r->units == 3);
	eval_report_free(r);

	/* IOB1 detection. */
	r = score_spans("a I-PER I-PER\nb B-PER I-PER\n", &o);
	CHECK(r && strcmp(r->scheme, "IOB1") == 0);
	eval_report_free(r);
}

static void test_iobes(void)
{
	/* Two single-token phrases S-PER S-PER: with the IOBES rules (chosen
	 * automatically because S- occurs) 2 phrases, both correct. conlleval
	 * itself has no S rule: S after S of the same type neither ends nor
	 * starts a phrase, so it sees one phrase of two tokens. */
	const char *text = "a S-PER S-PER\nb S-PER S-PER\n";
	eval_opts o = quiet();
	eval_report *r = score_spans(text, &o);

	CHECK(r && r->gold == 2 && r->found == 2 && r->correct == 2);
	CHECK(r && strcmp(r->rules, "conlleval+iobes") == 0 && strcmp(r->scheme, "IOBES") == 0);
	eval_report_free(r);
	o.rules = EVAL_RULES_CONLLEVAL;
	r = score_spans(text, &o);
	CHECK(r && r->gold == 1 && r->found == 1 && r->correct == 1);
	eval_report_free(r);
	/* B- E- B- E- : two phrases with IOBES rules (E then B ends and starts). */
	o.rules = EVAL_RULES_AUTO;
	r = score_spans("a B-X B-X\nb E-X E-X\nc B-X B-X\nd E-X I-X\ne O O\n", &o);
	/* gold X[a b] X[c d]; predicted X[a b] X[c d] too (I ends at O), but
	 * token d differs. */
	CHECK(r && r->gold == 2 && r->found == 2 && r->correct == 2 && r->n_correct == 4);
	eval_report_free(r);
}

static void test_span_errors(void)
{
	err_t e;
	eval_spans_t *s;
	eval_report *r = NULL;
	eval_opts o = quiet();

	err_clear(&e);
	CHECK(spans_of("a O O\nb PER O\n", 0, &e) == NULL);
	CHECK(e.code == ERR_FORMAT && strstr(e.msg, "t.conll:2:") && strstr(e.msg, "'PER'"));
	/* --raw accepts bare types: each non-O token is its own phrase. */
	s = spans_of("a PER PER\nb PER O\nc O LOC\n", EVAL_RAW, &e);
	CHECK(s && eval_spans_score(s, NULL, &o, &r, &e) == 0);
	CHECK(r && r->gold == 2 && r->found == 2 && r->correct == 1);
	eval_report_free(r);
	eval_spans_free(s);
	CHECK(spans_of("a B-X B-X\nb O\n", 0, &e) == NULL);
	CHECK(e.code == ERR_FORMAT && strstr(e.msg, "t.conll:2:") && strstr(e.msg, "columns"));
	CHECK(spans_of("a\nb\n", 0, &e) == NULL);
	CHECK(e.code == ERR_FORMAT && strstr(e.msg, "t.conll:1:"));
	CHECK(spans_of("a b-per O\n", 0, &e) == NULL);
	s = spans_of("\n\n", 0, &e);
	CHECK(s != NULL);
	r = NULL;
	CHECK(s && eval_spans_score(s, NULL, &o, &r, &e) == ERR_EMPTY && r == NULL);
	eval_spans_free(s);
	s = spans_of("", 0, &e);
	CHECK(s && eval_spans_score(s, NULL, &o, &r, &e) == ERR_EMPTY);
	eval_spans_free(s);
}

/* Single-label case worked by hand (rows gold, columns predicted):
 *        A  B  C
 *   A    1  1  0
 *   B    0  2  0
 *   C    1  0  1
 * A: P 1/2 R 1/2 F 1/2; B: P 2/3 R 1 F 4/5; C: P 1 R 1/2 F 2/3. */
static void test_classification(void)
{
	static const char *const pairs[][2] = { { "A", "A" }, { "A", "B" }, { "B", "B" },
						{ "B", "B" }, { "C", "A" }, { "C", "C" } };
	eval_clf_t *c = eval_clf_new("t.tsv");
	eval_opts o = quiet();
	eval_report *r = NULL;
	err_t e;

	for (int i = 0; i < 6; i++)
		CHECK(eval_clf_add(c, pairs[i][0], 1, pairs[i][1], 1, -1, i + 1, &e) == 0);
	CHECK(eval_clf_score(c, NULL, &o, &r, &e) == 0);
	if (!r) {
		eval_clf_free(c);
		return;
	}
	CHECK(r->kind == EVAL_SINGLE && r->nlabels == 3);
	CHECK_NEAR(r->m[EVAL_M_ACCURACY], 4.0 / 6, 1e-12);
	CHECK_NEAR(r->m[EVAL_M_MICRO_F1], 4.0 / 6, 1e-12);
	CHECK_NEAR(r->labels[0].precision, 0.5, 1e-12);
	CHECK_NEAR(r->labels[1].precision, 2.0 / 3, 1e-12);
	CHECK_NEAR(r->labels[1].f1, 0.8, 1e-12);
	CHECK_NEAR(r->labels[2].recall, 0.5, 1e-12);
	CHECK_NEAR(r->labels[2].f1, 2.0 / 3, 1e-12);
	CHECK_NEAR(r->m[EVAL_M_MACRO_P], (0.5 + 2.0 / 3 + 1) / 3, 1e-12);
	CHECK_NEAR(r->m[EVAL_M_MACRO_R], 2.0 / 3, 1e-12);
	CHECK_NEAR(r->m[EVAL_M_MACRO_F1], (0.5 + 0.8 + 2.0 / 3) / 3, 1e-12);
	CHECK_NEAR(r->m[EVAL_M_WEIGHTED_F1], (0.5 + 0.8 + 2.0 / 3) / 3, 1e-12);
	CHECK(r->confusion[0] == 1 && r->confusion[1] == 1 && r->confusion[2] == 0);
	CHECK(r->confusion[3] == 0 && r->confusion[4] == 2 && r->confusion[6] == 1 &&
	      r->confusion[8] == 1);
	CHECK(isnan(r->m[EVAL_M_ECE]) && r->bins == NULL);
	eval_report_free(r);
	eval_clf_free(c);

	/* Unequal supports for the weighted average: gold A A A B, predicted
	 * A A B B. A: P 1 R 2/3 F 4/5; B: P 1/2 R 1 F 2/3; weighted F1
	 * (3 * 4/5 + 1 * 2/3) / 4. */
	c = eval_clf_new("w.tsv");
	CHECK(eval_clf_add(c, "A", 1, "A", 1, -1, 1, &e) == 0);
	CHECK(eval_clf_add(c, "A", 1, "A", 1, -1, 2, &e) == 0);
	CHECK(eval_clf_add(c, "A", 1, "B", 1, -1, 3, &e) == 0);
	CHECK(eval_clf_add(c, "B", 1, "B", 1, -1, 4, &e) == 0);
	CHECK(eval_clf_score(c, NULL, &o, &r, &e) == 0);
	CHECK(r && fabs(r->m[EVAL_M_WEIGHTED_F1] - (3 * 0.8 + 2.0 / 3) / 4) < 1e-12);
	CHECK(r && fabs(r->m[EVAL_M_WEIGHTED_R] - 0.75) < 1e-12);
	eval_report_free(r);
	eval_clf_free(c);
}

/* Multi-label, worked by hand:
 *   gold {A,B} pred {A}:   p 1,   r 1/2, f1 2/3, jaccard 1/2, 1 wrong label
 *   gold {B}   pred {B,C}: p 1/2, r 1,   f1 2/3, jaccard 1/2, 1 wrong label
 *   gold {}    pred {}:    p 1,   r 1,   f1 1,   jaccard 1,   exact match
 *   gold {C}   pred {A}:   p 0,   r 0,   f1 0,   jaccard 0,   2 wrong labels
 * per label: A gold 1 pred 2 tp 1; B gold 2 pred 1 tp 1; C gold 1 pred 1 tp 0. */
static void test_multilabel(void)
{
	const char *text = "A,B\tA\nB\tB, C\n\t\nC\tA\n";
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	eval_clf_t *c = eval_clf_new("m.tsv");
	eval_opts o = quiet();
	eval_report *r = NULL;
	err_t e;

	CHECK(f && c && eval_clf_readf(c, f, "m.tsv", &e) == 0);
	if (f)
		fclose(f);
	CHECK(eval_clf_examples(c) == 4);
	CHECK(eval_clf_score(c, NULL, &o, &r, &e) == 0);
	if (r) {
		CHECK(r->kind == EVAL_MULTI && r->nlabels == 3);
		CHECK_NEAR(r->m[EVAL_M_ACCURACY], 0.25, 1e-12);
		CHECK_NEAR(r->m[EVAL_M_EXAMPLE_P], 2.5 / 4, 1e-12);
		CHECK_NEAR(r->m[EVAL_M_EXAMPLE_R], 2.5 / 4, 1e-12);
		CHECK_NEAR(r->m[EVAL_M_EXAMPLE_F1], (2.0 / 3 + 2.0 / 3 + 1) / 4, 1e-12);
		CHECK_NEAR(r->m[EVAL_M_JACCARD], 0.5, 1e-12);
		CHECK_NEAR(r->m[EVAL_M_HAMMING], 4.0 / 12, 1e-12);
		CHECK_NEAR(r->m[EVAL_M_MICRO_P], 0.5, 1e-12);
		CHECK_NEAR(r->m[EVAL_M_MICRO_R], 0.5, 1e-12);
		CHECK_NEAR(r->labels[0].f1, 2.0 / 3, 1e-12);
		CHECK_NEAR(r->labels[1].f1, 2.0 / 3, 1e-12);
		CHECK(r->labels[2].f1 == 0 && r->labels[2].found == 1);
		CHECK(r->confusion == NULL);
	}
	eval_report_free(r);
	eval_clf_free(c);
}

static void test_calibration(void)
{
	/* Bins of width 0.1: {0.9, 0.9} with 1 right -> |1 - 1.8| = 0.8;
	 * {0.6, 0.6} both right -> |2 - 1.2| = 0.8; {0.2} wrong -> 0.2.
	 * ECE = (0.8 + 0.8 + 0.2) / 5 = 0.36. */
	const double conf[5] = { 0.9, 0.9, 0.6, 0.6, 0.2 };
	const unsigned char ok[5] = { 1, 0, 1, 1, 0 };
	eval_bin bins[10];
	eval_clf_t *c = eval_clf_new("p.tsv");
	eval_opts o = quiet();
	eval_report *r = NULL;
	err_t e;

	CHECK_NEAR(eval_ece(conf, ok, 5, 10, bins), 0.36, 1e-12);
	CHECK(bins[9].count == 2 && fabs(bins[9].accuracy - 0.5) < 1e-12);
	CHECK(bins[6].count == 2 && fabs(bins[6].confidence - 0.6) < 1e-12);
	CHECK(bins[0].count == 0 && isnan(bins[0].accuracy));
	CHECK(isnan(eval_ece(conf, ok, 0, 10, NULL)));
	/* A perfectly calibrated case: confidence 1 and always right. */
	{
		const double one[2] = { 1.0, 1.0 };
		const unsigned char yes[2] = { 1, 1 };
		CHECK_NEAR(eval_ece(one, yes, 2, 10, NULL), 0.0, 1e-15);
	}
	/* The same through the classification scorer. */
	for (int i = 0; i < 5; i++)
		CHECK(eval_clf_add(c, "A", 1, ok[i] ? "A" : "B", 1, conf[i], i + 1, &e) == 0);
	CHECK(eval_clf_add(c, "A", 1, "A", 1, -1, 6, &e) == ERR_FORMAT);
	CHECK(eval_clf_add(c, "A", 1, "A", 1, 1.5, 6, &e) == ERR_FORMAT);
	CHECK(eval_clf_score(c, NULL, &o, &r, &e) == 0);
	CHECK(r && fabs(r->m[EVAL_M_ECE] - 0.36) < 1e-12 && r->nbins == 10);
	eval_report_free(r);
	eval_clf_free(c);
}

/* n sentences with one PER phrase each; the prediction is right on the
 * sentences where right(i) holds. */
static eval_spans_t *phrases(const char *name, int n, int (*right)(int))
{
	eval_spans_t *s = eval_spans_new(name, 0);
	err_t e;

	for (int i = 0; s && i < n; i++) {
		eval_spans_add(s, "B-PER", 5, right(i) ? "B-PER" : "O", right(i) ? 5 : 1,
			       3 * i + 1, &e);
		eval_spans_add(s, "O", 1, "O", 1, 3 * i + 2, &e);
		eval_spans_break(s, 3 * i + 3, &e);
	}
	return s;
}

static int always(int i) { (void)i; return 1; }
static int mostly(int i) { return i % 5 != 0; }
static int rarely(int i) { return i % 5 == 0; }

static void test_bootstrap_and_compare(void)
{
	eval_spans_t *a = phrases("a", 200, mostly), *a2 = phrases("a2", 200, mostly);
	eval_spans_t *good = phrases("good", 200, always), *bad = phrases("bad", 200, rarely);
	eval_report *r1 = NULL, *r2 = NULL, *r3 = NULL;
	eval_opts o;
	err_t e;

	eval_opts_init(&o);
	o.resamples = 500;
	/* Same seed, same intervals, to the bit. */
	CHECK(eval_spans_score(a, NULL, &o, &r1, &e) == 0);
	CHECK(eval_spans_score(a, NULL, &o, &r2, &e) == 0);
	CHECK(r1 && r2 && r1->resamples == 500 && r1->seed == EVAL_DEFAULT_SEED);
	if (r1 && r2) {
		CHECK(memcmp(r1->lo, r2->lo, sizeof(r1->lo)) == 0);
		CHECK(memcmp(r1->hi, r2->hi, sizeof(r1->hi)) == 0);
		/* recall 160/200 = 0.8 sits inside its interval, which is not empty. */
		CHECK_NEAR(r1->m[EVAL_M_MICRO_R], 0.8, 1e-12);
		CHECK(r1->lo[EVAL_M_MICRO_R] < 0.8 && r1->hi[EVAL_M_MICRO_R] > 0.8);
		CHECK(r1->hi[EVAL_M_MICRO_R] - r1->lo[EVAL_M_MICRO_R] < 0.2);
		CHECK(r1->lo[EVAL_M_MICRO_P] == 1 && r1->hi[EVAL_M_MICRO_P] == 1);
	}
	eval_report_free(r2);
	r2 = NULL;
	o.seed = 7;
	CHECK(eval_spans_score(a, NULL, &o, &r2, &e) == 0);
	CHECK(r1 && r2 && (r1->lo[EVAL_M_MICRO_R] != r2->lo[EVAL_M_MICRO_R] ||
			   r1->hi[EVAL_M_MICRO_R] != r2->hi[EVAL_M_MICRO_R] ||
			   r1->lo[EVAL_M_MICRO_F1] != r2->lo[EVAL_M_MICRO_F1]));
	eval_report_free(r1);
	eval_report_free(r2);
	r1 = r2 = NULL;

	/* Identical systems: difference 0, p = 1, difference interval [0, 0]. */
	o.seed = EVAL_DEFAULT_SEED;
	CHECK(eval_spans_score(a, a2, &o, &r1, &e) == 0);
	CHECK(r1 && r1->has_compare);
	if (r1) {
		for (int k = 0; k < EVAL_NM; k++) {
			if (isnan(r1->m[k]))
				continue;
			CHECK(r1->cmp_m[k] - r1->m[k] == 0);
			CHECK(r1->cmp_p[k] == 1.0);
			CHECK(r1->cmp_lo[k] == 0 && r1->cmp_hi[k] == 0);
		}
	}
	/* A clearly better system: p at its floor 1/(trials+1), the difference
	 * (good - bad recall = 1 - 0.2) inside a positive interval. */
	CHECK(eval_spans_score(bad, good, &o, &r2, &e) == 0);
	if (r2) {
		CHECK_NEAR(r2->cmp_m[EVAL_M_MICRO_F1] - r2->m[EVAL_M_MICRO_F1],
			   1 - 2 * 0.2 / 1.2, 1e-12);
		CHECK(r2->cmp_p[EVAL_M_MICRO_F1] <= 1.0 / 501 + 1e-12);
		CHECK(r2->cmp_lo[EVAL_M_MICRO_R] > 0.6 && r2->cmp_hi[EVAL_M_MICRO_R] < 0.95);
	}
	/* Reproducible comparison. */
	CHECK(eval_spans_score(bad, good, &o, &r3, &e) == 0);
	CHECK(r2 && r3 && memcmp(r2->cmp_p, r3->cmp_p, sizeof(r2->cmp_p)) == 0 &&
	      memcmp(r2->cmp_lo, r3->cmp_lo, sizeof(r2->cmp_lo)) == 0);
	eval_report_free(r1);
	eval_report_free(r2);
	eval_report_free(r3);
	eval_spans_free(a);
	eval_spans_free(a2);
	eval_spans_free(good);
	eval_spans_free(bad);
}

static void test_compare_errors(void)
{
	err_t e;
	eval_opts o = quiet();
	eval_report *r = NULL;
	eval_spans_t *a = spans_of("a B-X B-X\nb O O\n\nc O O\n", 0, &e);
	eval_spans_t *b = spans_of("a B-X O\nb O O\n\n\nc O O\n", 0, &e); /* extra blank: fine */
	eval_spans_t *c = spans_of("a B-X B-X\nb O O\n", 0, &e);         /* shorter */
	eval_spans_t *d = spans_of("a B-Y B-X\nb O O\n\nc O O\n", 0, &e); /* other gold */
	eval_clf_t *x = eval_clf_new("x.tsv"), *y = eval_clf_new("y.tsv");

	CHECK(a && b && c && d);
	CHECK(eval_spans_score(a, b, &o, &r, &e) == 0);
	CHECK(r && r->has_compare && r->cmp_m[EVAL_M_MICRO_R] == 0 && r->m[EVAL_M_MICRO_R] == 1);
	eval_report_free(r);
	r = NULL;
	CHECK(eval_spans_score(a, c, &o, &r, &e) == ERR_FORMAT && r == NULL);
	CHECK(strstr(e.msg, "t.conll") != NULL);
	CHECK(eval_spans_score(a, d, &o, &r, &e) == ERR_FORMAT && strstr(e.msg, "t.conll:1:"));
	CHECK(eval_clf_add(x, "A", 1, "A", 1, -1, 1, &e) == 0);
	CHECK(eval_clf_add(x, "B", 1, "A", 1, -1, 2, &e) == 0);
	CHECK(eval_clf_add(y, "A", 1, "A", 1, -1, 1, &e) == 0);
	CHECK(eval_clf_score(x, y, &o, &r, &e) == ERR_FORMAT);
	CHECK(eval_clf_add(y, "C", 1, "A", 1, -1, 2, &e) == 0);
	CHECK(eval_clf_score(x, y, &o, &r, &e) == ERR_FORMAT && strstr(e.msg, "y.tsv:2:"));
	eval_spans_free(a);
	eval_spans_free(b);
	eval_spans_free(c);
	eval_spans_free(d);
	eval_clf_free(x);
	eval_clf_free(y);
}

static void test_json_shape(void)
{
	eval_opts o;
	eval_report *r;
	buf_t b;

	eval_opts_init(&o);
	o.resamples = 50;
	r = score_spans("a B-PER B-PER\nb O O\n\nc B-LOC O\n", &o);
	CHECK(r != NULL);
	if (!r)
		return;
	buf_init(&b);
	eval_report_json(r, &b);
	buf_put_u8(&b, 0);
	CHECK(strstr((char *)b.data, "\"micro\":{\"precision\":1,\"recall\":0.5,\"f1\":") != NULL);
	CHECK(strstr((char *)b.data, "\"labels\":{\"LOC\":{\"precision\":0,") != NULL);
	CHECK(strstr((char *)b.data, "\"ci95\":{\"method\":\"percentile bootstrap\"") != NULL);
	CHECK(strstr((char *)b.data, "\"scheme\":\"IOB2\"") != NULL);
	buf_free(&b);
	eval_report_free(r);
}

/* The SVG drawing: a whole document, labels escaped (control bytes and
 * invalid UTF-8 replaced), the F1 figures and interval whiskers drawn,
 * the same bytes twice; a classification report draws its cell counts and
 * ECE. */
static void test_svg(void)
{
	eval_opts o;
	eval_report *r;
	buf_t b, b2;
	err_t e;
	eval_clf_t *c;

	eval_opts_init(&o);
	o.resamples = 50;
	r = score_spans("a B-A<&\"x B-A<&\"x\nb O O\n\nc B-\x01\xff B-\x01\xff\n", &o);
	CHECK(r != NULL);
	if (!r)
		return;
	buf_init(&b);
	buf_init(&b2);
	eval_report_svg(r, &b);
	eval_report_svg(r, &b2);
	CHECK(!b.failed && b.len == b2.len && memcmp(b.data, b2.data, b.len) == 0);
	buf_put_u8(&b, 0);
	CHECK(strncmp((char *)b.data, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 44) == 0);
	CHECK(strstr((char *)b.data, "</svg>\n") != NULL);
	CHECK(strstr((char *)b.data, ">A&lt;&amp;&quot;x</text>") != NULL);
	CHECK(strstr((char *)b.data, "\xef\xbf\xbd\xef\xbf\xbd</text>") != NULL);
	CHECK(strstr((char *)b.data, "\x01") == NULL && strstr((char *)b.data, "A<") == NULL);
	CHECK(strstr((char *)b.data, "class=\"f1\"") != NULL);
	CHECK(strstr((char *)b.data, ">100.00</text>") != NULL);
	CHECK(strstr((char *)b.data, "class=\"ci\"") != NULL);
	CHECK(strstr((char *)b.data, "<script") == NULL);
	buf_free(&b);
	buf_free(&b2);
	eval_report_free(r);

	c = eval_clf_new("c.tsv");
	CHECK(c != NULL);
	if (!c)
		return;
	r = NULL;
	CHECK(eval_clf_add(c, "X", 1, "X", 1, 0.9, 1, &e) == 0);
	CHECK(eval_clf_add(c, "X", 1, "Y", 1, 0.6, 2, &e) == 0);
	CHECK(eval_clf_add(c, "Y", 1, "Y", 1, 0.8, 3, &e) == 0);
	o.resamples = 0;
	CHECK(eval_clf_score(c, NULL, &o, &r, &e) == 0);
	if (r) {
		buf_init(&b);
		eval_report_svg(r, &b);
		buf_put_u8(&b, 0);
		CHECK(strstr((char *)b.data, "class=\"confusion\"") != NULL);
		CHECK(strstr((char *)b.data, "fill=\"#ffffff\">1</text>") != NULL);
		CHECK(strstr((char *)b.data, "class=\"ece\"") != NULL);
		buf_free(&b);
	}
	eval_report_free(r);
	eval_clf_free(c);
}

/* Oracle: with B-, I- and O tags, conlleval's phrases are the maximal runs
 * that start at B-X, or at I-X after O, a sentence start or another type,
 * and go on through I-X; a phrase is correct when gold and prediction have
 * the same (start, end, type). Random tag sequences, scored both ways. */
typedef struct phrase {
	int start, end, type;
} phrase;

static int phrases_of(const int *pre, const int *type, int n, phrase *out)
{
	int k = 0;
	for (int i = 0; i < n; i++) {
		int starts = pre[i] == 'B' ||
			     (pre[i] == 'I' && (i == 0 || pre[i - 1] == 'O' || pre[i - 1] == '|' ||
						type[i - 1] != type[i]));
		if (pre[i] == 'O' || pre[i] == '|')
			continue;
		if (starts) {
			out[k].start = i;
			out[k].type = type[i];
			k++;
		}
		out[k - 1].end = i;
	}
	return k;
}

static void test_oracle(void)
{
	unsigned long long x = 88172645463325252ULL;
	enum { N = 60 };
	static const char *const names[3] = { "PER", "LOC", "ORG" };
	eval_opts o = quiet();

	for (int trial = 0; trial < 300; trial++) {
		int gp[N], gt[N], pp[N], pt[N];
		phrase g[N], p[N];
		int ng, np, both = 0, ok_tokens = 0, ntok = 0, added_ok = 1;
		eval_spans_t *s = eval_spans_new("oracle", 0);
		eval_report *r = NULL;
		err_t e;

		for (int i = 0; i < N; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			if (i > 0 && x % 11 == 0) { /* a sentence break */
				gp[i] = pp[i] = '|';
				gt[i] = pt[i] = -1;
				eval_spans_break(s, i + 1, &e);
				continue;
			}
			gp[i] = "BIOO"[x % 4];
			gt[i] = gp[i] == 'O' ? -1 : (int)((x >> 8) % 3);
			pp[i] = (x >> 16) % 3 ? gp[i] : "BIOO"[(x >> 20) % 4];
			pt[i] = pp[i] == 'O' ? -1 : (x >> 24) % 4 ? (gt[i] < 0 ? 0 : gt[i])
								 : (int)((x >> 28) % 3);
			char gs[8], ps[8];
			snprintf(gs, sizeof(gs), gp[i] == 'O' ? "O" : "%c-%s", gp[i],
				 gt[i] < 0 ? "" : names[gt[i]]);
			snprintf(ps, sizeof(ps), pp[i] == 'O' ? "O" : "%c-%s", pp[i],
				 pt[i] < 0 ? "" : names[pt[i]]);
			if (eval_spans_add(s, gs, strlen(gs), ps, strlen(ps), i + 1, &e) < 0)
				added_ok = 0;
			ntok++;
			ok_tokens += strcmp(gs, ps) == 0;
		}
		ng = phrases_of(gp, gt, N, g);
		np = phrases_of(pp, pt, N, p);
		for (int i = 0; i < ng; i++)
			for (int j = 0; j < np; j++)
				both += g[i].start == p[j].start && g[i].end == p[j].end &&
					g[i].type == p[j].type;
		CHECK(added_ok && eval_spans_score(s, NULL, &o, &r, &e) == 0);
		if (r && (r->gold != ng || r->found != np || r->correct != both ||
			  r->n_correct != ok_tokens || r->n != ntok)) {
			fprintf(stderr, "oracle trial %d: gold %g/%d found %g/%d correct %g/%d\n",
				trial, r->gold, ng, r->found, np, r->correct, both);
			CHECK(0);
		}
		eval_report_free(r);
		eval_spans_free(s);
	}
}

int main(void)
{
	test_oracle();
	test_conlleval_rules();
	test_conlleval_figures();
	test_iobes();
	test_span_errors();
	test_classification();
	test_multilabel();
	test_calibration();
	test_bootstrap_and_compare();
	test_compare_errors();
	test_json_shape();
	test_svg();
	return t_done();
}
