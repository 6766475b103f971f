/* eval: scoring predictions against gold data, with uncertainty.
 *
 * Two kinds of data:
 *   - spans (eval_spans_t): tagged tokens, scored exactly as the CoNLL-2000
 *     script conlleval (version 2004-01-26) scores them: a phrase counts as
 *     correct only with the exact start, end and type; chunk starts and ends
 *     follow conlleval's rules for B-, I-, E-, O and the bracket tags
 *     [ ] . (so IOB1, IOB2 and IOE input all work, an I- after O or after a
 *     different type starts a phrase, and sentence ends close phrases);
 *     precision, recall and F1 per type and overall, token accuracy.
 *     When S- tags occur, or B- and E- tags together (IOBES), conlleval's
 *     rules are extended with the usual S/E rules (EVAL_RULES_AUTO).
 *   - classification (eval_clf_t): one gold and one predicted label per
 *     example, optionally the predicted label's probability; labels joined
 *     by commas make the data multi-label.
 *
 * Scoring returns an eval_report: accuracy, per-label and micro, macro and
 * weighted precision/recall/F1, a confusion matrix (single-label), example-
 * based scores (multi-label), expected calibration error (with
 * probabilities), 95% percentile-bootstrap intervals (resampling sentences
 * or examples with GSL's MT19937 generator and a fixed seed), and, given a
 * second system on the same gold data, the difference of every headline
 * figure with a two-sided approximate-randomization p-value and a paired-
 * bootstrap interval. The same seed gives the same figures.
 *
 * Nothing here prints; reports are written into a buf_t as a table, JSON
 * or conlleval's own text. */
#ifndef EVTAG_EVAL_H
#define EVTAG_EVAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/buf.h"
#include "base/err.h"

#define EVAL_DEFAULT_SEED 12345UL
#define EVAL_DEFAULT_RESAMPLES 1000
#define EVAL_DEFAULT_BINS 10

enum { EVAL_SPANS = 1, EVAL_SINGLE = 2, EVAL_MULTI = 3 };

/* Chunk rules for spans. AUTO: conlleval's, plus the S/E rules of IOBES
 * when the data has S- tags or both B- and E- tags. */
enum { EVAL_RULES_AUTO = 0, EVAL_RULES_CONLLEVAL = 1, EVAL_RULES_IOBES = 2 };

/* Flags for eval_spans_new(). */
enum {
	EVAL_RAW = 1 /* conlleval -r: tags are bare types; every non-O tag T is read as B-T */
};

/* Label mode for eval_clf_score(). */
enum { EVAL_LABELS_AUTO = 0, EVAL_LABELS_SINGLE = 1, EVAL_LABELS_MULTI = 2 };

/* The headline figures, indices into eval_report.m/lo/hi. All are
 * fractions in [0, 1]. Figures a kind of data does not have are NaN. */
enum {
	EVAL_M_ACCURACY = 0,   /* token accuracy (spans), accuracy (single), subset accuracy (multi) */
	EVAL_M_MICRO_P, EVAL_M_MICRO_R, EVAL_M_MICRO_F1, /* spans: conlleval's overall */
	EVAL_M_MACRO_P, EVAL_M_MACRO_R, EVAL_M_MACRO_F1,
	EVAL_M_WEIGHTED_P, EVAL_M_WEIGHTED_R, EVAL_M_WEIGHTED_F1,
	EVAL_M_EXAMPLE_P, EVAL_M_EXAMPLE_R, EVAL_M_EXAMPLE_F1, /* multi-label only */
	EVAL_M_JACCARD, EVAL_M_HAMMING,                        /* multi-label only */
	EVAL_M_ECE,            /* with probabilities only */
	EVAL_NM
};

/* Stable name of figure i ("accuracy", "micro_f1", ...); NULL if out of range. */
const char *eval_metric_name(int i);

typedef struct eval_opts {
	int rules;            /* EVAL_RULES_* (spans) */
	int labels;           /* EVAL_LABELS_* (classification) */
	int resamples;        /* bootstrap resamples and randomization trials; 0: none */
	unsigned long seed;   /* seeds gsl_rng_mt19937 */
	int bins;             /* calibration bins (equal width over [0, 1]) */
} eval_opts;

/* Defaults: AUTO rules and labels, EVAL_DEFAULT_RESAMPLES, EVAL_DEFAULT_SEED,
 * EVAL_DEFAULT_BINS. */
void eval_opts_init(eval_opts *o);

typedef struct eval_label {
	char *name;           /* type or label ("" for chunks without a type) */
	double support;       /* gold phrases / examples with this label */
	double found;         /* predicted */
	double correct;       /* true positives */
	double precision, recall, f1;
	double f1_lo, f1_hi;  /* 95% bootstrap interval of f1; NaN without bootstrap */
} eval_label;

typedef struct eval_bin {
	double lo, hi;        /* confidence range [lo, hi) ([lo, 1] for the last) */
	long long count;
	double confidence;    /* mean confidence in the bin (NaN when empty) */
	double accuracy;      /* observed accuracy in the bin (NaN when empty) */
} eval_bin;

typedef struct eval_report {
	int kind;             /* EVAL_SPANS, EVAL_SINGLE or EVAL_MULTI */
	char *name;           /* the scored file or system */
	char *data;           /* the gold data file when name is a model; else NULL */
	const char *scheme;   /* spans: gold tag scheme "IOB1", "IOB2", "IOE", "IOBES",
	                       * "brackets" or "none"; classification: "single-label"
	                       * or "multi-label" (static strings) */
	const char *rules;    /* spans: "conlleval" or "conlleval+iobes"; else NULL */
	long long units;      /* sentences (spans) or examples */
	long long n;          /* tokens (spans) or examples */
	long long n_correct;  /* correctly tagged tokens, correct (or exactly matching) examples */
	double gold, found, correct; /* totals over labels: gold, predicted, true positives */
	double m[EVAL_NM];    /* the headline figures */
	double lo[EVAL_NM], hi[EVAL_NM]; /* 95% intervals; NaN without bootstrap */
	size_t nlabels;
	eval_label *labels;   /* [nlabels], sorted by name (byte order) */
	long long *confusion; /* [nlabels * nlabels], row = gold, column = predicted;
	                       * single-label only, else NULL */
	size_t nbins;
	eval_bin *bins;       /* [nbins] reliability table; NULL without probabilities */
	int resamples;        /* 0 when no bootstrap was run */
	unsigned long seed;

	/* Comparison with a second system on the same gold data (has_compare). */
	int has_compare;
	char *compare_name;
	double cmp_m[EVAL_NM];    /* the second system's figures */
	double cmp_p[EVAL_NM];    /* approximate-randomization p-value of the difference */
	double cmp_lo[EVAL_NM], cmp_hi[EVAL_NM]; /* paired-bootstrap 95% interval of
	                                          * the difference (second - first) */
} eval_report;

/* Frees r; NULL is a no-op. */
void eval_report_free(eval_report *r);

/* ---- spans ---- */

typedef struct eval_spans eval_spans_t;

/* Empty span data named name (used in messages; copied). flags: 0 or
 * EVAL_RAW. NULL if out of memory. eval_spans_free(NULL) is a no-op. */
eval_spans_t *eval_spans_new(const char *name, int flags);
void eval_spans_free(eval_spans_t *s);

/* Adds one token with its gold and predicted tags (not NUL-terminated).
 * line is the source line for messages. 0, ERR_FORMAT ("name:line: unknown
 * tag form ...") for a tag that is not O, B-, I-, E-, S- + type or a
 * bracket tag, or ERR_NOMEM. */
int eval_spans_add(eval_spans_t *s, const char *gold, size_t gn, const char *pred,
		   size_t pn, uint64_t line, err_t *e);

/* Ends the current sentence (a blank line). 0 or ERR_NOMEM. */
int eval_spans_break(eval_spans_t *s, uint64_t line, err_t *e);

/* Reads a file as conlleval does ("-": standard input): columns separated
 * by runs of spaces or tabs, the last two are the gold and predicted tags;
 * every non-blank line must have the same number of columns; a blank line
 * or a line whose first column is -X- ends a sentence. A -DOCSTART- line
 * with all the columns is a token, as in conlleval; one with fewer
 * columns (e.g. alone) ends a sentence. 0, or ERR_IO, ERR_FORMAT
 * ("file:line: reason"), ERR_NOMEM with e set. */
int eval_spans_read(eval_spans_t *s, const char *path, err_t *e);
/* Same from an open stream f (not closed); name is used in messages. */
int eval_spans_readf(eval_spans_t *s, FILE *f, const char *name, err_t *e);

/* Number of tokens added so far. */
uint64_t eval_spans_tokens(const eval_spans_t *s);

/* Scores a (and compares it with b when b is not NULL: b must have the same
 * sentences and gold tags). *out is a new report the caller frees with
 * eval_report_free(). 0, or ERR_EMPTY (no tokens), ERR_FORMAT (b's gold
 * differs, naming both lines), ERR_ARG (bad options), ERR_NUMERIC,
 * ERR_NOMEM; *out NULL and e set on failure. */
int eval_spans_score(const eval_spans_t *a, const eval_spans_t *b,
		     const eval_opts *o, eval_report **out, err_t *e);

/* ---- classification ---- */

typedef struct eval_clf eval_clf_t;

/* Empty classification data named name (copied). NULL if out of memory. */
eval_clf_t *eval_clf_new(const char *name);
void eval_clf_free(eval_clf_t *c);

/* Adds one example: gold and predicted labels (several joined by commas
 * for multi-label data), and the predicted label's probability prob in
 * [0, 1] or a negative value for none. Either all or no examples carry a
 * probability. 0, ERR_FORMAT ("name:line: ...": empty label, probability
 * out of range or missing on some examples), ERR_NOMEM. */
int eval_clf_add(eval_clf_t *c, const char *gold, size_t gn, const char *pred,
		 size_t pn, double prob, uint64_t line, err_t *e);

/* Reads GOLD<TAB>PREDICTED[<TAB>PROBABILITY] lines ("-": standard input);
 * blank lines are skipped, a final CR is dropped. 0, or ERR_IO, ERR_FORMAT,
 * ERR_UTF8 ("file:line: reason"), ERR_NOMEM. */
int eval_clf_read(eval_clf_t *c, const char *path, err_t *e);
/* Same from an open stream f (not closed); name is used in messages. */
int eval_clf_readf(eval_clf_t *c, FILE *f, const char *name, err_t *e);

/* Number of examples added so far. */
uint64_t eval_clf_examples(const eval_clf_t *c);

/* Scores a (and compares with b, which must have the same gold labels in
 * the same order). Multi-label when o->labels says so, or (AUTO) when any
 * label contains a comma. *out freed with eval_report_free(). 0, or
 * ERR_EMPTY, ERR_FORMAT (b differs), ERR_ARG, ERR_NUMERIC, ERR_NOMEM. */
int eval_clf_score(const eval_clf_t *a, const eval_clf_t *b, const eval_opts *o,
		   eval_report **out, err_t *e);

/* ---- output ---- */

/* Appends the report as one JSON object (the schema is in docs/evaluation.md,
 * section "JSON schema") and a newline. */
void eval_report_json(const eval_report *r, buf_t *b);

/* Appends a readable table: figures in percent with two decimals, labels
 * sorted by support (largest first). */
void eval_report_table(const eval_report *r, buf_t *b);

/* Appends conlleval's own report text for span reports (the same lines
 * and figures conlleval prints); nothing for other kinds. */
void eval_report_conlleval(const eval_report *r, buf_t *b);

/* Appends the report drawn as one self-contained SVG 1.1 document: for
 * single-label classification the confusion matrix (counts in the cells,
 * colour by row share), else per-label precision/recall/F1 bars with the
 * F1 bootstrap interval; with probabilities also the reliability diagram
 * and the ECE. Text is XML-escaped; the same report gives the same bytes.
 * b->failed is set when memory runs out. */
void eval_report_svg(const eval_report *r, buf_t *b);

/* ---- primitives (exposed for tests and other modules) ---- */

/* Expected calibration error of n predictions with confidence conf[i] in
 * [0, 1] and correctness ok[i] (0/1) over `bins` equal-width bins:
 * sum over bins of (count/n) * |accuracy - mean confidence|. Fills
 * out[bins] when out is not NULL. NaN when n == 0 or bins < 1. */
double eval_ece(const double *conf, const unsigned char *ok, size_t n, int bins,
		eval_bin *out);

#endif
