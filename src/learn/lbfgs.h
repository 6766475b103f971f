/* lbfgs: limited-memory BFGS minimisation, with OWL-QN (orthant-wise
 * L-BFGS) when an L1 coefficient is given, so L1-regularised objectives
 * get exact zeros. Backtracking (Armijo) line search. One entry point; the
 * caller's state travels through `inst`. */
#ifndef EVTAG_LBFGS_H
#define EVTAG_LBFGS_H

#include <stddef.h>

/* Returns f(x) and writes its gradient into g[n] (the smooth part: the L1
 * term is added by the minimiser). */
typedef double (*lbfgs_eval_fn)(void *inst, const double *x, double *g,
				size_t n);
/* Called after each iteration k (1-based) with the objective fx (L1
 * included); returns nonzero to stop. */
typedef int (*lbfgs_progress_fn)(void *inst, const double *x, double fx,
				 int k);

typedef struct lbfgs_param {
	int m;            /* corrections kept (6) */
	int max_iter;     /* iterations (0: no limit) */
	double epsilon;   /* stop when |pg| / max(1, |x|) < epsilon (1e-5) */
	int past;         /* stop when the objective improved less than */
	double delta;     /* delta (relative) over `past` iterations (10, 1e-5) */
	double c1;        /* L1 coefficient; > 0 switches to OWL-QN */
	int max_linesearch; /* trials per line search (40) */
} lbfgs_param;

void lbfgs_defaults(lbfgs_param *p);

enum {
	LBFGS_CONVERGED = 0, LBFGS_MAX_ITER = 1, LBFGS_STOPPED = 2
};

/* Minimises from x[n] (updated in place); *fx gets the final objective.
 * Returns LBFGS_* (>= 0), or ERR_NOMEM, ERR_ARG (bad parameters) or
 * ERR_NUMERIC (the line search failed; x holds the best point found). */
int lbfgs_minimize(size_t n, double *x, double *fx, lbfgs_eval_fn eval,
		   lbfgs_progress_fn progress, void *inst,
		   const lbfgs_param *p);

#endif
