/* Fuzz target: `evtag score`'s readers (conlleval-style CoNLL and
 * GOLD<TAB>PRED[<TAB>PROB] lines), then scoring with a few bootstrap
 * resamples and all three report writers. The first byte picks the
 * reader, the span rules or label mode, and raw tags. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/buf.h"
#include "eval/eval.h"

static void report(const eval_report *r)
{
	buf_t b;

	buf_init(&b);
	eval_report_json(r, &b);
	eval_report_table(r, &b);
	eval_report_conlleval(r, &b);
	buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	eval_opts o;
	eval_report *r = NULL;
	err_t e;
	FILE *f;
	int mode;

	if (size < 1)
		return 0;
	mode = data[0];
	f = fmemopen((void *)(data + 1), size - 1 ? size - 1 : 1, "r");
	if (!f)
		return 0;
	if (size == 1)
		fgetc(f); /* fmemopen needs a size > 0: read past the one byte */
	eval_opts_init(&o);
	o.resamples = 3;
	o.rules = mode >> 1 & 3;   /* EVAL_RULES_* and one out of range */
	o.labels = mode >> 3 & 3;  /* EVAL_LABELS_* and one out of range */
	o.bins = 1 + (mode >> 5);
	if (mode & 1) {
		eval_clf_t *c = eval_clf_new("fuzz.tsv");
		if (c && eval_clf_readf(c, f, "fuzz.tsv", &e) == 0 &&
		    eval_clf_score(c, NULL, &o, &r, &e) == 0) {
			report(r);
			eval_report_free(r);
			r = NULL;
			if (eval_clf_score(c, c, &o, &r, &e) == 0) /* a system against itself */
				report(r);
		}
		eval_clf_free(c);
	} else {
		eval_spans_t *s = eval_spans_new("fuzz.conll", mode & 0x80 ? EVAL_RAW : 0);
		if (s && eval_spans_readf(s, f, "fuzz.conll", &e) == 0 &&
		    eval_spans_score(s, NULL, &o, &r, &e) == 0) {
			report(r);
			eval_report_free(r);
			r = NULL;
			if (eval_spans_score(s, s, &o, &r, &e) == 0)
				report(r);
		}
		eval_spans_free(s);
	}
	eval_report_free(r);
	fclose(f);
	return 0;
}
