/* eval_int: the evaluation modules' shared internals (not installed API).
 *
 * Every scored unit (a sentence for spans, an example for classification)
 * becomes a sparse vector of counts; every figure is a function of the sum
 * of those vectors. Bootstrap resampling and approximate randomization
 * then only re-sum unit vectors, whatever the kind of data. Layout of a
 * vector with L labels:
 *   [0] tokens or examples, [1] correct ones,
 *   [2 + 3l + 0] gold count of label l, [+1] predicted, [+2] true positives,
 *   multi-label: [ex + 0..4] example precision, recall, F1, Jaccard sums
 *                and the symmetric-difference count (Hamming),
 *   calibration: [cal + 3b + 0..2] count, confidence sum, correct sum of bin b. */
#ifndef EVTAG_EVAL_INT_H
#define EVTAG_EVAL_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "eval/eval.h"

/* Opens path ("-" is standard input, named "<stdin>") and hands it to
 * readf(obj, f, name, e); returns readf's result, or ERR_IO with e set
 * when the file cannot be opened. */
int eval_read_path(const char *path, void *obj,
		   int (*readf)(void *obj, FILE *f, const char *name, err_t *e),
		   err_t *e);

typedef struct eval_units {
	uint32_t n;         /* units */
	uint32_t *start;    /* [n + 1] entries of unit u: [start[u], start[u+1]) */
	uint32_t *idx;      /* [nnz] dimension */
	double *val;        /* [nnz] value (a dimension may repeat; values add) */
	size_t nnz, cap, ncap;
	int failed;         /* an allocation failed */
} eval_units;

typedef struct eval_layout {
	int kind;           /* EVAL_SPANS, EVAL_SINGLE, EVAL_MULTI */
	uint32_t nlabels;
	int bins;           /* calibration bins, 0 for none */
	uint32_t ex, cal;   /* offsets of the multi-label and calibration parts */
	uint32_t dim;
} eval_layout;

void evl_init(eval_layout *ly, int kind, uint32_t nlabels, int bins);

/* Starts a new unit; later evu_add() calls go to it. */
void evu_unit(eval_units *u);
/* Adds v at dimension d of the current unit. Allocation failure sets
 * u->failed (checked once by the caller). */
void evu_add(eval_units *u, uint32_t d, double v);
void evu_free(eval_units *u);

/* Figures from a summed vector: m[EVAL_NM]; f1[nlabels] when not NULL. */
void evl_metrics(const eval_layout *ly, const double *sum, double *m, double *f1);

/* Fills r->m, r->labels' counts and figures, r->n/n_correct/gold/found/
 * correct, and with o->resamples > 0 the intervals (and, with b, the
 * comparison). r->labels must hold ly->nlabels named labels. 0, ERR_NOMEM,
 * ERR_NUMERIC (no generator), ERR_ARG (units differ). */
int evs_run(const eval_layout *ly, const eval_units *a, const eval_units *b,
	    const eval_opts *o, eval_report *r, err_t *e);

/* Bin of a confidence in [0, 1] among `bins` equal-width bins. */
int evs_bin(double conf, int bins);

/* Allocates an empty report (everything NaN / NULL); NULL if out of memory. */
eval_report *evr_new(int kind, const char *name);

#endif
