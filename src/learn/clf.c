#include "learn/clf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <svm.h>

#if defined(__SSE2__) && !defined(CLF_NO_SIMD)
#include <emmintrin.h>
#endif

#include "base/buf.h"
#include "base/dict.h"
#include "base/model.h"
#include "text/tsv.h"

#define CLF_MAX_LABELS 256
#define CLF_SAVE_VERSION 1

struct clf {
	sfeat_t *feat;
	char **labels;          /* [k] in libsvm's class order */
	size_t k, npairs;
	int kernel, unit, probability, degree;
	int max_sent;           /* texts are cut to their first max_sent sentences (0: all) */
	double C, gamma, coef0;
	unsigned seed;
	double *rho;            /* [npairs] */
	double *probA, *probB;  /* [npairs] or NULL */
	double *cw;             /* [k] class weights of training (balanced rule) */
	int decision;           /* CLF_DECIDE_* */
	/* linear: folded weights, by feature (CSR) */
	uint32_t dim;
	uint32_t *fstart;       /* [dim+1] */
	uint16_t *fpair;        /* [nnz] */
	double *fw;             /* [nnz] */
	/* other kernels: support vectors in a libsvm model we own */
	struct svm_model own;
	int has_own;
	struct svm_node *sv_space;
	/* fresh from training: libsvm's model and the problem it points into */
	struct svm_model *ref;
	struct svm_node *xspace;
	struct svm_node **xrows;
	double *yv;
	/* C selection */
	double *cv_grid, *cv_f1;
	size_t ncv;
};

struct clf_ws {
	sfeat_ws *fw;
	sv_t x;
	tok_doc doc;
	double *dec;     /* [npairs] */
	int *vote;       /* [k] */
	double *pw;      /* [k*k] pairwise probabilities */
	double *Q;       /* [k*k] */
	double *Qp;      /* [k] */
	struct svm_node *nodes;
	size_t ncap;
};

static void quiet(const char *s)
{
	(void)s;
}

/* ---------- names ---------- */
static const char *const kernel_names[] = { "linear", "poly", "rbf", "sigmoid" };
static const char *const unit_names[] = { "story", "sentence", "lead", "mixed" };

const char *clf_kernel_name(int kernel)
{
	return kernel >= 0 && kernel <= 3 ? kernel_names[kernel] : "?";
}

int clf_kernel_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(s, kernel_names[i]) == 0)
			return i;
	return -1;
}

const char *clf_unit_name(int unit)
{
	return unit >= 0 && unit <= 3 ? unit_names[unit] : "?";
}

int clf_unit_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(s, unit_names[i]) == 0)
			return i;
	return -1;
}

/* ---------- accessors ---------- */
size_t clf_nlabels(const clf_t *c) { return c->k; }
const sfeat_t *clf_features(const clf_t *c) { return c->feat; }
int clf_kernel(const clf_t *c) { return c->kernel; }
int clf_unit(const clf_t *c) { return c->unit; }
int clf_has_probability(const clf_t *c) { return c->probability; }
int clf_decision(const clf_t *c) { return c->decision; }
double clf_cost(const clf_t *c) { return c->C; }

const char *clf_label_name(const clf_t *c, size_t i)
{
	return i < c->k ? c->labels[i] : NULL;
}

int clf_label_index(const clf_t *c, const char *name)
{
	for (size_t i = 0; i < c->k; i++)
		if (strcmp(c->labels[i], name) == 0)
			return (int)i;
	return -1;
}

size_t clf_size(const clf_t *c)
{
	return c->kernel == CLF_LINEAR ? (c->fstart ? c->fstart[c->dim] : 0) : (size_t)c->own.l;
}

const double *clf_cv_scores(const clf_t *c, const double **grid, size_t *n)
{
	*grid = c->cv_grid;
	*n = c->ncv;
	return c->cv_f1;
}

void clf_free(clf_t *c)
{
	if (!c)
		return;
	sfeat_free(c->feat);
	for (size_t i = 0; i < c->k; i++)
		free(c->labels[i]);
	free(c->labels);
	free(c->rho);
	free(c->probA);
	free(c->probB);
	free(c->cw);
	free(c->fstart);
	free(c->fpair);
	free(c->fw);
	if (c->has_own) {
		free(c->own.SV);
		if (c->own.sv_coef)
			for (size_t i = 0; i + 1 < c->k; i++)
				free(c->own.sv_coef[i]);
		free(c->own.sv_coef);
		free(c->own.label);
		free(c->own.nSV);
		free(c->sv_space);
	}
	if (c->ref)
		svm_free_and_destroy_model(&c->ref);
	free(c->xspace);
	free(c->xrows);
	free(c->yv);
	free(c->cv_grid);
	free(c->cv_f1);
	free(c);
}

/* ---------- scoring ---------- */
double clf_macro_f1(const int *gold, const int *pred, size_t n, size_t nlabels, double *acc)
{
	size_t *tp = calloc(nlabels + 1, sizeof(*tp)), *fp = calloc(nlabels + 1, sizeof(*fp)),
	       *fn = calloc(nlabels + 1, sizeof(*fn));
	size_t correct = 0, used = 0;
	double sum = 0;

	if (!tp || !fp || !fn) {
		free(tp); free(fp); free(fn);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		int g = gold[i] >= 0 && (size_t)gold[i] < nlabels ? gold[i] : (int)nlabels;
		int p = pred[i] >= 0 && (size_t)pred[i] < nlabels ? pred[i] : (int)nlabels;
		if (g == p) {
			tp[g]++;
			correct++;
		} else {
			fp[p]++;
			fn[g]++;
		}
	}
	for (size_t l = 0; l < nlabels; l++) {
		if (tp[l] + fp[l] + fn[l] == 0)
			continue;
		used++;
		sum += 2.0 * tp[l] / (2.0 * tp[l] + fp[l] + fn[l]);
	}
	if (acc)
		*acc = n ? (double)correct / n : 0;
	free(tp); free(fp); free(fn);
	return used ? sum / used : 0;
}

/* ---------- prediction ---------- */
clf_ws *clf_ws_new(const clf_t *c)
{
	clf_ws *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->fw = sfeat_ws_new();
	w->dec = calloc(c->npairs + 1, sizeof(*w->dec));
	w->vote = calloc(c->k, sizeof(*w->vote));
	w->pw = calloc(c->k * c->k, sizeof(*w->pw));
	w->Q = calloc(c->k * c->k, sizeof(*w->Q));
	w->Qp = calloc(c->k, sizeof(*w->Qp));
	if (!w->fw || !w->dec || !w->vote || !w->pw || !w->Q || !w->Qp) {
		clf_ws_free(w);
		return NULL;
	}
	return w;
}

void clf_ws_free(clf_ws *w)
{
	if (!w)
		return;
	sfeat_ws_free(w->fw);
	sv_free(&w->x);
	tok_doc_free(&w->doc);
	free(w->dec);
	free(w->vote);
	free(w->pw);
	free(w->Q);
	free(w->Qp);
	free(w->nodes);
	free(w);
}

static int to_nodes(clf_ws *w, const sv_t *x)
{
	if (x->n + 1 > w->ncap) {
		struct svm_node *t = realloc(w->nodes, (x->n + 1) * sizeof(*t));
		if (!t)
			return ERR_NOMEM;
		w->nodes = t;
		w->ncap = x->n + 1;
	}
	for (size_t i = 0; i < x->n; i++) {
		w->nodes[i].index = (int)x->e[i].idx + 1;
		w->nodes[i].value = x->e[i].val;
	}
	w->nodes[x->n].index = -1;
	w->nodes[x->n].value = 0;
	return 0;
}

/* libsvm's sigmoid of a decision value (same formula, same guards). */
static double sigmoid_predict(double f, double A, double B)
{
	double fApB = f * A + B;

	if (fApB >= 0) {
		double e = exp(-fApB); /* once: the compiler calls exp twice (errno) */
		return e / (1.0 + e);
	}
	return 1.0 / (1 + exp(fApB));
}

/* y[j] += a * x[j] for j < k: each product and sum rounded as the plain
 * loop rounds them (two at a time where there is SSE2). */
static inline void add_scaled(double *restrict y, const double *restrict x, double a, size_t k)
{
	size_t j = 0;

#if defined(__SSE2__) && !defined(CLF_NO_SIMD)
	__m128d av = _mm_set1_pd(a);
	for (; j + 2 <= k; j += 2)
		_mm_storeu_pd(y + j, _mm_add_pd(_mm_loadu_pd(y + j), _mm_mul_pd(av, _mm_loadu_pd(x + j))));
#endif
	for (; j < k; j++)
		y[j] += a * x[j];
}

/* The coupling's update after p[t] moved by diff: Qp[j] = (Qp[j] + diff *
 * q[j]) / (1 + diff) and p[j] /= 1 + diff, rounded as written. */
static inline void rescale(double *restrict Qp, double *restrict p, const double *restrict q,
			   double diff, size_t k)
{
	double d1 = 1 + diff;
	size_t j = 0;

#if defined(__SSE2__) && !defined(CLF_NO_SIMD)
	__m128d dv = _mm_set1_pd(diff), d1v = _mm_set1_pd(d1);
	for (; j + 2 <= k; j += 2) {
		__m128d v = _mm_add_pd(_mm_loadu_pd(Qp + j), _mm_mul_pd(dv, _mm_loadu_pd(q + j)));
		_mm_storeu_pd(Qp + j, _mm_div_pd(v, d1v));
		_mm_storeu_pd(p + j, _mm_div_pd(_mm_loadu_pd(p + j), d1v));
	}
#endif
	for (; j < k; j++) {
		Qp[j] = (Qp[j] + diff * q[j]) / d1;
		p[j] /= d1;
	}
}

/* Pairwise coupling (Wu, Lin and Weng 2004, method 2), as libsvm does it:
 * r[i*k+j] = P(i | i or j); p[k] receives the distribution. */
static void couple(size_t k, const double *r, double *p, double *Q, double *Qp)
{
	size_t t, j;
	int iter, max_iter = k > 100 ? (int)k : 100;
	double pQp, eps = 0.005 / k;

	for (t = 0; t < k; t++) {
		p[t] = 1.0 / k;
		Q[t * k + t] = 0;
		for (j = 0; j < t; j++) {
			Q[t * k + t] += r[j * k + t] * r[j * k + t];
			Q[t * k + j] = Q[j * k + t];
		}
		for (j = t + 1; j < k; j++) {
			Q[t * k + t] += r[j * k + t] * r[j * k + t];
			Q[t * k + j] = -r[j * k + t] * r[t * k + j];
		}
	}
	for (iter = 0; iter < max_iter; iter++) {
		double max_error = 0;
		pQp = 0;
		/* Qp[t] = sum over j, in order, of Q[t][j] p[j]; Q is symmetric
		 * (the copies above), so the same products of Q[j][t] sum for
		 * every t at once down the rows */
		for (t = 0; t < k; t++)
			Qp[t] = 0;
		for (j = 0; j < k; j++)
			add_scaled(Qp, Q + j * k, p[j], k);
		for (t = 0; t < k; t++)
			pQp += p[t] * Qp[t];
		for (t = 0; t < k; t++) {
			double err = fabs(Qp[t] - pQp);
			if (err > max_error)
				max_error = err;
		}
		if (max_error < eps)
			break;
		for (t = 0; t < k; t++) {
			double diff = (-Qp[t] + pQp) / Q[t * k + t];
			p[t] += diff;
			pQp = (pQp + diff * (diff * Q[t * k + t] + 2 * Qp[t])) / (1 + diff) / (1 + diff);
			rescale(Qp, p, Q + t * k, diff, k);
		}
	}
}

/* Balances a coupled distribution with the training class weights:
 * p(c) * w(c), renormalised. With weights n/(k n_c) this divides out the
 * training prior, the same balance the SVM was trained for, so rare
 * labels are not lost to frequent ones when choosing the label. */
static void reweight(const clf_t *c, double *p)
{
	double sum = 0;

	if (!c->cw)
		return;
	for (size_t i = 0; i < c->k; i++)
		sum += p[i] *= c->cw[i];
	if (sum > 0)
		for (size_t i = 0; i < c->k; i++)
			p[i] /= sum;
}

/* The label by the model's rule, from its distribution p (reweighted in
 * place for the balanced rule) and the one-vs-one vote winner vb. */
static int label_of(const clf_t *c, double *p, int vb)
{
	int pb = 0;

	if (c->decision == CLF_DECIDE_VOTES)
		return vb;
	if (c->decision == CLF_DECIDE_BALANCED)
		reweight(c, p);
	for (size_t i = 1; i < c->k; i++)
		if (p[i] > p[pb])
			pb = (int)i;
	return pb;
}

/* From decision values in w->dec to votes, probabilities and the label. */
static void decide(const clf_t *c, clf_ws *w, double *prob, int *best)
{
	size_t k = c->k, p = 0;
	int vb = 0;

	for (size_t i = 0; i < k; i++)
		w->vote[i] = 0;
	for (size_t i = 0; i < k; i++)
		for (size_t j = i + 1; j < k; j++, p++) {
			if (w->dec[p] > 0)
				w->vote[i]++;
			else
				w->vote[j]++;
		}
	for (size_t i = 1; i < k; i++)
		if (w->vote[i] > w->vote[vb])
			vb = (int)i;
	if (!c->probability) {
		if (prob)
			for (size_t i = 0; i < k; i++)
				prob[i] = (double)w->vote[i] / c->npairs;
		*best = vb;
		return;
	}
	double tmp[CLF_MAX_LABELS];
	double *pr = prob ? prob : tmp;
	const double min_prob = 1e-7;
	p = 0;
	for (size_t i = 0; i < k; i++)
		for (size_t j = i + 1; j < k; j++, p++) {
			double v = sigmoid_predict(w->dec[p], c->probA[p], c->probB[p]);
			v = v < min_prob ? min_prob : v > 1 - min_prob ? 1 - min_prob : v;
			w->pw[i * k + j] = v;
			w->pw[j * k + i] = 1 - v;
		}
	if (k == 2) {
		pr[0] = w->pw[0 * k + 1];
		pr[1] = w->pw[1 * k + 0];
	} else {
		couple(k, w->pw, pr, w->Q, w->Qp);
	}
	*best = label_of(c, pr, vb);
}

/* y += a * x over n doubles: each product and sum rounded as the plain
 * loop rounds them (four at a time in two SSE2 registers where there is
 * SSE2: the sums of a sentence's dense rows were a third of its cost). */
static void axpy(double *restrict y, const double *restrict x, double a, size_t n)
{
	size_t i = 0;

#if defined(__SSE2__) && !defined(CLF_NO_SIMD)
	__m128d av = _mm_set1_pd(a);
	for (; i + 4 <= n; i += 4) {
		__m128d y0 = _mm_add_pd(_mm_loadu_pd(y + i), _mm_mul_pd(av, _mm_loadu_pd(x + i)));
		__m128d y1 = _mm_add_pd(_mm_loadu_pd(y + i + 2), _mm_mul_pd(av, _mm_loadu_pd(x + i + 2)));
		_mm_storeu_pd(y + i, y0);
		_mm_storeu_pd(y + i + 2, y1);
	}
#endif
	for (; i < n; i++)
		y[i] += a * x[i];
}

int clf_predict_sv(const clf_t *c, clf_ws *w, const sv_t *x, double *prob, int *best)
{
	if (c->kernel == CLF_LINEAR) {
		for (size_t p = 0; p < c->npairs; p++)
			w->dec[p] = -c->rho[p];
		for (size_t i = 0; i < x->n; i++) {
			uint32_t f = x->e[i].idx;
			if (f >= c->dim)
				continue;
			double v = x->e[i].val;
			uint32_t q0 = c->fstart[f], q1 = c->fstart[f + 1];
			if (q1 - q0 == c->npairs) {
				/* every pair: pairs are stored in order, a dense row */
				axpy(w->dec, c->fw + q0, v, c->npairs);
			} else {
				for (uint32_t q = q0; q < q1; q++)
					w->dec[c->fpair[q]] += v * c->fw[q];
			}
		}
	} else {
		if (to_nodes(w, x) < 0)
			return ERR_NOMEM;
		svm_predict_values(&c->own, w->nodes, w->dec);
	}
	decide(c, w, prob, best);
	return 0;
}

int clf_predict_tokens(const clf_t *c, clf_ws *w, const char *text, const tok_token *tok,
		       size_t ntok, double *prob, int *best)
{
	sfeat_ws_reset(w->fw);
	if (sfeat_add(c->feat, w->fw, text, tok, ntok) < 0 ||
	    sfeat_vector(c->feat, w->fw, &w->x) < 0)
		return ERR_NOMEM;
	return clf_predict_sv(c, w, &w->x, prob, best);
}

int clf_keys_cover(const clf_t *a, const clf_t *b)
{
	return sfeat_keys_cover(a->feat, b->feat);
}

int clf_predict_keys(const clf_t *b, clf_ws *w, clf_ws *wa, double *prob, int *best)
{
	if (sfeat_vector(b->feat, wa->fw, &w->x) < 0)
		return ERR_NOMEM;
	return clf_predict_sv(b, w, &w->x, prob, best);
}

int clf_predict_text(const clf_t *c, clf_ws *w, const char *text, size_t len, double *prob,
		     int *best, err_t *e)
{
	int rc = tok_split(&w->doc, text, len, 0, 0, e);
	uint32_t ns = w->doc.nsent;

	if (rc < 0)
		return rc;
	if (c->max_sent > 0 && ns > (uint32_t)c->max_sent)
		ns = (uint32_t)c->max_sent;
	sfeat_ws_reset(w->fw);
	for (uint32_t i = 0; i < ns; i++) {
		const tok_sent *st = &w->doc.sent[i];
		if (sfeat_add(c->feat, w->fw, text, w->doc.tok + st->first, st->n) < 0)
			return err_set(e, ERR_NOMEM, "out of memory");
	}
	if (sfeat_vector(c->feat, w->fw, &w->x) < 0 || clf_predict_sv(c, w, &w->x, prob, best) < 0)
		return err_set(e, ERR_NOMEM, "out of memory");
	return 0;
}

int clf_predict_libsvm(const clf_t *c, const sv_t *x, double *prob, int *best)
{
	struct svm_node *nodes;
	double pr[CLF_MAX_LABELS];
	double lab;

	if (!c->ref)
		return ERR_ARG;
	nodes = malloc((x->n + 1) * sizeof(*nodes));
	if (!nodes)
		return ERR_NOMEM;
	for (size_t i = 0; i < x->n; i++) {
		nodes[i].index = (int)x->e[i].idx + 1;
		nodes[i].value = x->e[i].val;
	}
	nodes[x->n].index = -1;
	*best = -1;
	lab = svm_predict(c->ref, nodes); /* the vote winner */
	for (size_t i = 0; i < c->k; i++)
		if (c->ref->label[i] == (int)lab)
			*best = (int)i;
	if (c->probability) {
		/* libsvm's own distribution, then the model's decision rule */
		svm_predict_probability(c->ref, nodes, pr);
		*best = label_of(c, pr, *best);
		if (prob)
			for (size_t i = 0; i < c->k; i++)
				prob[i] = pr[i];
	}
	free(nodes);
	return 0;
}

const char *clf_decide(const clf_t *c, const double *prob, int best, double threshold)
{
	if (best < 0 || (size_t)best >= c->k)
		return CLF_NONE;
	if (threshold > 0 && prob && prob[best] < threshold)
		return CLF_NONE;
	return c->labels[best];
}

/* ---------- training ---------- */
/* One progress line through the caller's callback. */
#define progress(o, ...) err_say((o)->progress, (o)->progress_ctx, __VA_ARGS__)

/* Calls fn(ctx, tokens) for each training example of text per unit. */
typedef int (*unit_fn)(void *ctx, const char *text, const tok_doc *d, uint32_t s0, uint32_t s1);

static int for_units(int unit, int max_sent, const char *text, const tok_doc *d, unit_fn fn,
		     void *ctx)
{
	int rc = 0;
	uint32_t ns = d->nsent;

	if (max_sent > 0 && ns > (uint32_t)max_sent)
		ns = (uint32_t)max_sent;
	if (d->nsent == 0)
		return fn(ctx, text, d, 0, 0);
	switch (unit) {
	case CLF_UNIT_STORY:
		return fn(ctx, text, d, 0, ns);
	case CLF_UNIT_LEAD:
		return fn(ctx, text, d, 0, 1);
	case CLF_UNIT_SENTENCE:
		for (uint32_t i = 0; i < ns && rc == 0; i++)
			rc = fn(ctx, text, d, i, i + 1);
		return rc;
	case CLF_UNIT_MIXED:
		rc = fn(ctx, text, d, 0, ns);
		if (rc == 0 && ns > 1)
			rc = fn(ctx, text, d, 0, 1);
		return rc;
	}
	return ERR_ARG;
}

typedef struct train_ctx {
	sfeat_t *feat;
	sfeat_ws *ws;
	int pass;            /* 0: observe; 1: vectors */
	int label;
	/* pass 1 output */
	sv_t *vecs;
	int *y;
	size_t n, cap, nnz;
} train_ctx;

static int collect(sfeat_ws *ws, const sfeat_t *f, const char *text, const tok_doc *d,
		   uint32_t s0, uint32_t s1)
{
	sfeat_ws_reset(ws);
	for (uint32_t s = s0; s < s1; s++)
		if (sfeat_add(f, ws, text, d->tok + d->sent[s].first, d->sent[s].n) < 0)
			return ERR_NOMEM;
	return 0;
}

static int unit_cb(void *vctx, const char *text, const tok_doc *d, uint32_t s0, uint32_t s1)
{
	train_ctx *t = vctx;

	if (collect(t->ws, t->feat, text, d, s0, s1) < 0)
		return ERR_NOMEM;
	if (t->pass == 0)
		return sfeat_observe(t->feat, t->ws);
	if (t->n == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 1024;
		sv_t *v = realloc(t->vecs, nc * sizeof(*v));
		if (!v)
			return ERR_NOMEM;
		t->vecs = v;
		int *y = realloc(t->y, nc * sizeof(*y));
		if (!y)
			return ERR_NOMEM;
		t->y = y;
		t->cap = nc;
	}
	sv_init(&t->vecs[t->n]);
	t->y[t->n] = t->label;
	if (sfeat_vector(t->feat, t->ws, &t->vecs[t->n]) < 0) {
		sv_free(&t->vecs[t->n]);
		return ERR_NOMEM;
	}
	t->nnz += t->vecs[t->n].n;
	t->n++;
	return 0;
}

/* Folds the linear model's support vectors into per-feature weights. */
static int fold_linear(clf_t *c, const struct svm_model *m)
{
	size_t k = c->k, dim = c->dim, p = 0;
	int *start = calloc(k, sizeof(*start));
	double *acc = calloc(dim + 1, sizeof(*acc));
	uint32_t *cnt = calloc(dim + 1, sizeof(*cnt));
	/* triples collected pair by pair */
	uint32_t *tf = NULL;
	uint16_t *tp = NULL;
	double *tw = NULL;
	size_t nt = 0, cap = 0;
	int rc = ERR_NOMEM;

	if (!start || !acc || !cnt)
		goto out;
	for (size_t i = 1; i < k; i++)
		start[i] = start[i - 1] + m->nSV[i - 1];
	for (size_t i = 0; i < k; i++)
		for (size_t j = i + 1; j < k; j++, p++) {
			const double *coef1 = m->sv_coef[j - 1], *coef2 = m->sv_coef[i];
			for (int s = 0; s < m->nSV[i]; s++)
				for (const struct svm_node *nd = m->SV[start[i] + s]; nd->index != -1; nd++)
					acc[nd->index - 1] += coef1[start[i] + s] * nd->value;
			for (int s = 0; s < m->nSV[j]; s++)
				for (const struct svm_node *nd = m->SV[start[j] + s]; nd->index != -1; nd++)
					acc[nd->index - 1] += coef2[start[j] + s] * nd->value;
			for (size_t f = 0; f < dim; f++) {
				if (acc[f] == 0)
					continue;
				if (nt == cap) {
					size_t nc = cap ? cap * 2 : 65536;
					uint32_t *a = realloc(tf, nc * sizeof(*a));
					if (!a)
						goto out;
					tf = a;
					uint16_t *b = realloc(tp, nc * sizeof(*b));
					if (!b)
						goto out;
					tp = b;
					double *d = realloc(tw, nc * sizeof(*d));
					if (!d)
						goto out;
					tw = d;
					cap = nc;
				}
				tf[nt] = (uint32_t)f;
				tp[nt] = (uint16_t)p;
				tw[nt] = acc[f];
				nt++;
				cnt[f]++;
				acc[f] = 0;
			}
		}
	c->fstart = malloc((dim + 1) * sizeof(*c->fstart));
	c->fpair = malloc((nt + 1) * sizeof(*c->fpair));
	c->fw = malloc((nt + 1) * sizeof(*c->fw));
	if (!c->fstart || !c->fpair || !c->fw)
		goto out;
	c->fstart[0] = 0;
	for (size_t f = 0; f < dim; f++)
		c->fstart[f + 1] = c->fstart[f] + cnt[f];
	memcpy(cnt, c->fstart, dim * sizeof(*cnt)); /* fill positions */
	for (size_t t = 0; t < nt; t++) {
		uint32_t at = cnt[tf[t]]++;
		c->fpair[at] = tp[t];
		c->fw[at] = tw[t];
	}
	rc = 0;
out:
	free(start);
	free(acc);
	free(cnt);
	free(tf);
	free(tp);
	free(tw);
	return rc;
}

/* Copies a non-linear model's support vectors into c->own. */
static int copy_svs(clf_t *c, const struct svm_model *m)
{
	size_t k = c->k, l = (size_t)m->l, total = 0;

	c->has_own = 1;
	c->own.param = m->param;
	c->own.param.nr_weight = 0;
	c->own.param.weight = NULL;
	c->own.param.weight_label = NULL;
	c->own.nr_class = (int)k;
	c->own.l = (int)l;
	c->own.rho = c->rho;
	c->own.probA = c->probA;
	c->own.probB = c->probB;
	c->own.free_sv = 0;
	for (size_t s = 0; s < l; s++) {
		const struct svm_node *nd = m->SV[s];
		while (nd->index != -1)
			nd++, total++;
		total++;
	}
	c->sv_space = malloc((total + 1) * sizeof(*c->sv_space));
	c->own.SV = malloc((l + 1) * sizeof(*c->own.SV));
	c->own.sv_coef = calloc(k, sizeof(*c->own.sv_coef));
	c->own.label = malloc(k * sizeof(int));
	c->own.nSV = malloc(k * sizeof(int));
	if (!c->sv_space || !c->own.SV || !c->own.sv_coef || !c->own.label || !c->own.nSV)
		return ERR_NOMEM;
	for (size_t i = 0; i + 1 < k; i++) {
		c->own.sv_coef[i] = malloc((l + 1) * sizeof(double));
		if (!c->own.sv_coef[i])
			return ERR_NOMEM;
		memcpy(c->own.sv_coef[i], m->sv_coef[i], l * sizeof(double));
	}
	for (size_t i = 0; i < k; i++) {
		c->own.label[i] = (int)i;
		c->own.nSV[i] = m->nSV[i];
	}
	size_t at = 0;
	for (size_t s = 0; s < l; s++) {
		c->own.SV[s] = c->sv_space + at;
		const struct svm_node *nd = m->SV[s];
		do
			c->sv_space[at++] = *nd;
		while ((nd++)->index != -1);
	}
	return 0;
}

static const double default_grid[] = { 0.1, 0.3, 1, 3, 10, 30 };

int clf_train(const clf_opts *o, size_t n, char *const *labels, char *const *texts,
	      const size_t *lens, clf_t **out, err_t *e)
{
	clf_t *c = NULL;
	dict_t *labd = NULL;
	int *lab = NULL;
	train_ctx t = { 0 };
	tok_doc doc = { 0 };
	struct svm_problem prob = { 0 };
	struct svm_parameter param = { 0 };
	int *wl = NULL;
	double *wv = NULL, *target = NULL;
	int *yi = NULL, *pi = NULL;
	size_t k;
	int rc = 0;

	*out = NULL;
	if (o->kernel < 0 || o->kernel > 3 || o->unit < 0 || o->unit > 3 || o->c < 0 ||
	    o->max_sentences < 0 || o->decision < 0 || o->decision > 2 ||
	    !(o->c == 0 || isfinite(o->c)) || o->cv_folds < 2 || o->eps <= 0 || o->cache_mb <= 0 ||
	    o->gamma < 0 || o->degree < 1)
		return err_set(e, ERR_ARG, "invalid classifier training options");
	if (n == 0)
		return err_set(e, ERR_EMPTY, "no training examples");
	svm_set_print_string_function(quiet);
	c = calloc(1, sizeof(*c));
	labd = dict_new();
	lab = malloc(n * sizeof(*lab));
	t.ws = sfeat_ws_new();
	if (!c || !labd || !lab || !t.ws) {
		rc = err_set(e, ERR_NOMEM, "out of memory");
		goto out;
	}
	c->kernel = o->kernel;
	c->unit = o->unit;
	c->probability = o->probability ? 1 : 0;
	c->degree = o->degree;
	c->coef0 = o->coef0;
	c->seed = o->seed;
	c->max_sent = o->max_sentences;
	for (size_t i = 0; i < n; i++) {
		uint32_t id = dict_add(labd, labels[i], strlen(labels[i]));
		if (id == DICT_NONE) {
			rc = err_set(e, ERR_NOMEM, "out of memory");
			goto out;
		}
		if (id >= CLF_MAX_LABELS) {
			rc = err_set(e, ERR_ARG, "more than %d labels", CLF_MAX_LABELS);
			goto out;
		}
		lab[i] = (int)id;
	}
	k = dict_size(labd);
	if (k < 2) {
		rc = err_set(e, ERR_ARG, "training data has %zu label(s); at least 2 are needed", k);
		goto out;
	}
	c->feat = sfeat_new(&o->feat, e);
	if (!c->feat) {
		rc = e ? e->code : ERR_ARG;
		goto out;
	}
	if (o->feat.lexicon && o->lex_verbs) {
		rc = sfeat_load_lexicon(c->feat, o->lex_verbs, o->lex_patterns, e);
		if (rc < 0)
			goto out;
	}
	if (o->feat.clusters) {
		if (!o->clusters) {
			rc = err_set(e, ERR_ARG, "the clusters template needs a cluster file");
			goto out;
		}
		rc = sfeat_load_clusters(c->feat, o->clusters, e);
		if (rc < 0)
			goto out;
		progress(o, "%zu words in the cluster table of %s", sfeat_cluster_words(c->feat), o->clusters);
	}
	/* pass 0: vocabulary; pass 1: vectors */
	t.feat = c->feat;
	for (t.pass = 0; t.pass < 2; t.pass++) {
		for (size_t i = 0; i < n; i++) {
			rc = tok_split(&doc, texts[i], lens[i], 0, 0, e);
			if (rc < 0) {
				char where[64];
				snprintf(where, sizeof(where), "example %zu", i + 1);
				err_prefix(e, where);
				goto out;
			}
			t.label = lab[i];
			rc = for_units(o->unit, o->max_sentences, texts[i], &doc, unit_cb, &t);
			if (rc < 0) {
				rc = err_set(e, rc, "out of memory");
				goto out;
			}
		}
		if (t.pass == 0) {
			rc = sfeat_freeze(c->feat, e);
			if (rc < 0)
				goto out;
			progress(o, "%zu texts, %zu labels, %u features (%s unit)", n, k,
				 sfeat_dim(c->feat), clf_unit_name(o->unit));
		}
	}
	c->dim = sfeat_dim(c->feat);
	/* libsvm problem; c keeps it alive for clf_predict_libsvm */
	c->xspace = malloc((t.nnz + t.n) * sizeof(*c->xspace));
	c->xrows = malloc(t.n * sizeof(*c->xrows));
	c->yv = malloc(t.n * sizeof(*c->yv));
	if (!c->xspace || !c->xrows || !c->yv) {
		rc = err_set(e, ERR_NOMEM, "out of memory");
		goto out;
	}
	{
		size_t at = 0;
		for (size_t i = 0; i < t.n; i++) {
			c->xrows[i] = c->xspace + at;
			c->yv[i] = t.y[i];
			for (size_t j = 0; j < t.vecs[i].n; j++) {
				c->xspace[at].index = (int)t.vecs[i].e[j].idx + 1;
				c->xspace[at].value = t.vecs[i].e[j].val;
				at++;
			}
			c->xspace[at].index = -1;
			c->xspace[at].value = 0;
			at++;
		}
	}
	prob.l = (int)t.n;
	prob.y = c->yv;
	prob.x = c->xrows;
	/* balanced class weights */
	wl = malloc(k * sizeof(*wl));
	wv = malloc(k * sizeof(*wv));
	if (!wl || !wv) {
		rc = err_set(e, ERR_NOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < k; i++) {
		size_t nc = 0;
		for (size_t j = 0; j < t.n; j++)
			nc += t.y[j] == (int)i;
		wl[i] = (int)i;
		wv[i] = o->class_weights && nc ? (double)t.n / ((double)k * nc) : 1.0;
	}
	param.svm_type = C_SVC;
	param.kernel_type = o->kernel;
	param.degree = o->degree;
	param.gamma = o->gamma > 0 ? o->gamma : o->feat.l2 ? 1.0 : 1.0 / (c->dim ? c->dim : 1);
	param.coef0 = o->coef0;
	param.cache_size = o->cache_mb;
	param.eps = o->eps;
	param.C = o->c > 0 ? o->c : 1.0;
	param.nr_weight = (int)k;
	param.weight_label = wl;
	param.weight = wv;
	param.shrinking = 1;
	param.probability = 0;
	c->gamma = param.gamma;
	{
		const char *bad = svm_check_parameter(&prob, &param);
		if (bad) {
			rc = err_set(e, ERR_NUMERIC, "libsvm: %s", bad);
			goto out;
		}
	}
	/* C by cross-validation */
	if (o->c == 0) {
		const double *grid = o->c_grid ? o->c_grid : default_grid;
		size_t ng = o->c_grid ? o->n_c_grid : sizeof(default_grid) / sizeof(*default_grid);
		double best = -1;
		target = malloc(t.n * sizeof(*target));
		yi = malloc(t.n * sizeof(*yi));
		pi = malloc(t.n * sizeof(*pi));
		c->cv_grid = malloc((ng + 1) * sizeof(double));
		c->cv_f1 = malloc((ng + 1) * sizeof(double));
		if (!target || !yi || !pi || !c->cv_grid || !c->cv_f1) {
			rc = err_set(e, ERR_NOMEM, "out of memory");
			goto out;
		}
		if (ng == 0) {
			rc = err_set(e, ERR_ARG, "empty grid for C");
			goto out;
		}
		for (size_t g = 0; g < ng; g++) {
			if (!(grid[g] > 0)) {
				rc = err_set(e, ERR_ARG, "C must be positive");
				goto out;
			}
			param.C = grid[g];
			srand(o->seed);
			svm_cross_validation(&prob, &param, o->cv_folds, target);
			for (size_t i = 0; i < t.n; i++) {
				yi[i] = t.y[i];
				pi[i] = (int)target[i];
			}
			double acc, f1 = clf_macro_f1(yi, pi, t.n, k, &acc);
			c->cv_grid[g] = grid[g];
			c->cv_f1[g] = f1;
			c->ncv = g + 1;
			progress(o, "C=%g: %d-fold macro-F1 %.2f, accuracy %.2f", grid[g],
				 o->cv_folds, 100 * f1, 100 * acc);
			if (f1 > best + 1e-12) {
				best = f1;
				c->C = grid[g];
			}
		}
		param.C = c->C;
		progress(o, "chose C=%g", c->C);
	}
	c->C = param.C;
	param.probability = c->probability;
	progress(o, "training libsvm C-SVC (%s kernel, C=%g) on %zu examples%s",
		 clf_kernel_name(o->kernel), param.C, t.n,
		 c->probability ? ", with probability estimates" : "");
	srand(o->seed);
	c->ref = svm_train(&prob, &param);
	if (!c->ref) {
		rc = err_set(e, ERR_NUMERIC, "libsvm training failed");
		goto out;
	}
	if (c->ref->nr_class != (int)k) {
		rc = err_set(e, ERR_NUMERIC, "libsvm saw %d classes, expected %zu", c->ref->nr_class, k);
		goto out;
	}
	/* labels and pairwise values in libsvm's class order */
	c->k = k;
	c->npairs = k * (k - 1) / 2;
	c->labels = calloc(k, sizeof(*c->labels));
	c->rho = malloc(c->npairs * sizeof(double));
	if (!c->labels || !c->rho) {
		rc = err_set(e, ERR_NOMEM, "out of memory");
		goto out;
	}
	/* our label i is libsvm's class i (libsvm orders classes itself) */
	for (size_t i = 0; i < k; i++) {
		const char *name = dict_str(labd, (uint32_t)c->ref->label[i], NULL);
		c->labels[i] = name ? strdup(name) : NULL;
		if (!c->labels[i]) {
			rc = err_set(e, ERR_NOMEM, "out of memory");
			goto out;
		}
	}
	memcpy(c->rho, c->ref->rho, c->npairs * sizeof(double));
	c->decision = c->probability ? o->decision : CLF_DECIDE_VOTES;
	if (c->decision == CLF_DECIDE_BALANCED) {
		c->cw = malloc(k * sizeof(double));
		if (!c->cw) {
			rc = err_set(e, ERR_NOMEM, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < k; i++)
			c->cw[i] = wv[c->ref->label[i]];
	}
	if (c->probability) {
		c->probA = malloc(c->npairs * sizeof(double));
		c->probB = malloc(c->npairs * sizeof(double));
		if (!c->probA || !c->probB || !c->ref->probA || !c->ref->probB) {
			rc = err_set(e, ERR_NOMEM, "out of memory");
			goto out;
		}
		memcpy(c->probA, c->ref->probA, c->npairs * sizeof(double));
		memcpy(c->probB, c->ref->probB, c->npairs * sizeof(double));
	}
	rc = copy_svs(c, c->ref);
	if (rc == 0 && c->kernel == CLF_LINEAR)
		rc = fold_linear(c, &c->own);
	if (rc < 0) {
		rc = err_set(e, ERR_NOMEM, "out of memory");
		goto out;
	}
	progress(o, "%d support vectors; %zu %s", c->ref->l, clf_size(c),
		 c->kernel == CLF_LINEAR ? "folded weights" : "stored vectors");
	rc = 0;
out:
	for (size_t i = 0; i < t.n; i++)
		sv_free(&t.vecs[i]);
	free(t.vecs);
	free(t.y);
	sfeat_ws_free(t.ws);
	tok_doc_free(&doc);
	dict_free(labd);
	free(lab);
	free(wl);
	free(wv);
	free(target);
	free(yi);
	free(pi);
	if (rc < 0)
		clf_free(c);
	else
		*out = c;
	return rc;
}

/* ---------- model I/O ---------- */
static void save_clfm(const clf_t *c, buf_t *b)
{
	buf_put_u32(b, CLF_SAVE_VERSION);
	buf_put_u32(b, (uint32_t)c->k);
	for (size_t i = 0; i < c->k; i++)
		buf_put_str(b, c->labels[i]);
	buf_put_i32(b, c->kernel);
	buf_put_i32(b, c->unit);
	buf_put_i32(b, c->probability);
	buf_put_i32(b, c->degree);
	buf_put_f64(b, c->C);
	buf_put_f64(b, c->gamma);
	buf_put_f64(b, c->coef0);
	buf_put_u32(b, c->seed);
	buf_put_i32(b, c->max_sent);
	for (size_t p = 0; p < c->npairs; p++)
		buf_put_f64(b, c->rho[p]);
	if (c->probability)
		for (size_t p = 0; p < c->npairs; p++) {
			buf_put_f64(b, c->probA[p]);
			buf_put_f64(b, c->probB[p]);
		}
	/* support vectors (values are floats widened to double: f32 is exact) */
	const struct svm_model *m = &c->own;
	buf_put_u32(b, c->dim);
	buf_put_u32(b, (uint32_t)m->l);
	for (size_t i = 0; i < c->k; i++)
		buf_put_u32(b, (uint32_t)m->nSV[i]);
	for (size_t i = 0; i + 1 < c->k; i++)
		for (int s = 0; s < m->l; s++)
			buf_put_f64(b, m->sv_coef[i][s]);
	for (int s = 0; s < m->l; s++) {
		uint32_t nn = 0;
		for (const struct svm_node *nd = m->SV[s]; nd->index != -1; nd++)
			nn++;
		buf_put_u32(b, nn);
		for (const struct svm_node *nd = m->SV[s]; nd->index != -1; nd++) {
			buf_put_u32(b, (uint32_t)nd->index);
			buf_put_f32(b, (float)nd->value);
		}
	}
}

int clf_save(const clf_t *c, const char *path, err_t *e)
{
	buf_t fb, cb, wb;
	model_sec secs[3];
	size_t nsecs = 2;
	int rc;

	buf_init(&fb);
	buf_init(&cb);
	buf_init(&wb);
	sfeat_save(c->feat, &fb);
	save_clfm(c, &cb);
	if (c->probability && c->decision != CLF_DECIDE_PROB) {
		/* the label decision rule and its class weights (own section;
		 * absent means the highest probability) */
		buf_put_u32(&wb, (uint32_t)c->decision);
		buf_put_u32(&wb, c->cw ? (uint32_t)c->k : 0);
		for (size_t i = 0; c->cw && i < c->k; i++)
			buf_put_f64(&wb, c->cw[i]);
	}
	if (fb.failed || cb.failed || wb.failed) {
		rc = err_set(e, ERR_NOMEM, "%s: out of memory", path);
		goto out;
	}
	memcpy(secs[0].tag, "SFEA", 5);
	secs[0].data = fb.data;
	secs[0].len = fb.len;
	memcpy(secs[1].tag, "CLFM", 5);
	secs[1].data = cb.data;
	secs[1].len = cb.len;
	if (wb.len) {
		memcpy(secs[2].tag, "CLFD", 5);
		secs[2].data = wb.data;
		secs[2].len = wb.len;
		nsecs = 3;
	}
	rc = model_write(path, "classifier", secs, nsecs, e);
out:
	buf_free(&fb);
	buf_free(&cb);
	buf_free(&wb);
	return rc;
}

static int finite_(double v)
{
	return isfinite(v) && fabs(v) < 1e300;
}

static int load_clfm(clf_t *c, rd_t *r)
{
	uint32_t ver = rd_u32(r);
	uint32_t k = rd_count(r, CLF_MAX_LABELS, 4);

	if (!rd_ok(r) || ver != CLF_SAVE_VERSION || k < 2)
		return -1;
	c->labels = calloc(k, sizeof(*c->labels));
	if (!c->labels)
		return -1;
	c->k = k;
	c->npairs = (size_t)k * (k - 1) / 2;
	for (uint32_t i = 0; i < k; i++) {
		c->labels[i] = rd_strdup(r);
		if (!c->labels[i] || !c->labels[i][0] || strchr(c->labels[i], '\t') ||
		    strchr(c->labels[i], '\n'))
			return -1;
		for (uint32_t j = 0; j < i; j++)
			if (strcmp(c->labels[i], c->labels[j]) == 0)
				return -1;
	}
	c->kernel = rd_i32(r);
	c->unit = rd_i32(r);
	c->probability = rd_i32(r);
	c->degree = rd_i32(r);
	c->C = rd_f64(r);
	c->gamma = rd_f64(r);
	c->coef0 = rd_f64(r);
	c->seed = rd_u32(r);
	c->max_sent = rd_i32(r);
	if (!rd_ok(r) || c->kernel < 0 || c->kernel > 3 || c->unit < 0 || c->unit > 3 ||
	    (c->probability != 0 && c->probability != 1) || c->max_sent < 0 || c->degree < 1 || c->degree > 100 ||
	    !finite_(c->C) || !finite_(c->gamma) || !finite_(c->coef0))
		return -1;
	if (rd_left(r) < c->npairs * 8 * (c->probability ? 3 : 1))
		return -1;
	c->rho = malloc(c->npairs * sizeof(double));
	if (!c->rho)
		return -1;
	for (size_t p = 0; p < c->npairs; p++)
		if (!finite_(c->rho[p] = rd_f64(r)))
			return -1;
	if (c->probability) {
		c->probA = malloc(c->npairs * sizeof(double));
		c->probB = malloc(c->npairs * sizeof(double));
		if (!c->probA || !c->probB)
			return -1;
		for (size_t p = 0; p < c->npairs; p++) {
			c->probA[p] = rd_f64(r);
			c->probB[p] = rd_f64(r);
			if (!finite_(c->probA[p]) || !finite_(c->probB[p]))
				return -1;
		}
	}
	{
		struct svm_model *m = &c->own;
		uint32_t dim = rd_u32(r);
		uint32_t l = rd_count(r, 1u << 28, 4);
		size_t total = 0, at = 0;
		if (!rd_ok(r) || l == 0 || dim != sfeat_dim(c->feat))
			return -1;
		c->has_own = 1;
		c->dim = dim;
		memset(&m->param, 0, sizeof(m->param));
		m->param.svm_type = C_SVC;
		m->param.kernel_type = c->kernel;
		m->param.degree = c->degree;
		m->param.gamma = c->gamma;
		m->param.coef0 = c->coef0;
		m->param.probability = c->probability;
		m->nr_class = (int)k;
		m->l = (int)l;
		m->rho = c->rho;
		m->probA = c->probA;
		m->probB = c->probB;
		m->free_sv = 0;
		m->label = malloc(k * sizeof(int));
		m->nSV = malloc(k * sizeof(int));
		m->sv_coef = calloc(k, sizeof(*m->sv_coef));
		m->SV = malloc(((size_t)l + 1) * sizeof(*m->SV));
		if (!m->label || !m->nSV || !m->sv_coef || !m->SV)
			return -1;
		uint64_t sum = 0;
		for (uint32_t i = 0; i < k; i++) {
			m->label[i] = (int)i;
			uint32_t v = rd_u32(r);
			m->nSV[i] = (int)v;
			sum += v;
			if (v > l)
				return -1;
		}
		if (!rd_ok(r) || sum != l || rd_left(r) / 8 / (k - 1) < l)
			return -1;
		for (uint32_t i = 0; i + 1 < k; i++) {
			m->sv_coef[i] = malloc((size_t)l * sizeof(double));
			if (!m->sv_coef[i])
				return -1;
			for (uint32_t s = 0; s < l; s++)
				if (!finite_(m->sv_coef[i][s] = rd_f64(r)))
					return -1;
		}
		/* first pass over the vectors to size the storage */
		rd_t probe = *r;
		for (uint32_t s = 0; s < l; s++) {
			uint32_t nn = rd_count(&probe, 1u << 26, 8);
			if (!rd_ok(&probe) || !rd_raw(&probe, (size_t)nn * 8))
				return -1;
			total += nn + 1;
		}
		c->sv_space = malloc((total + 1) * sizeof(*c->sv_space));
		if (!c->sv_space)
			return -1;
		for (uint32_t s = 0; s < l; s++) {
			uint32_t nn = rd_u32(r);
			int prev = 0;
			m->SV[s] = c->sv_space + at;
			for (uint32_t q = 0; q < nn; q++) {
				uint32_t idx = rd_u32(r);
				double v = rd_f32(r);
				if (!rd_ok(r) || idx < 1 || idx > c->dim || (int)idx <= prev || !finite_(v))
					return -1;
				prev = (int)idx;
				c->sv_space[at].index = (int)idx;
				c->sv_space[at].value = v;
				at++;
			}
			c->sv_space[at].index = -1;
			c->sv_space[at].value = 0;
			at++;
		}
		if (c->kernel == CLF_LINEAR && fold_linear(c, m) < 0)
			return -1;
	}
	return rd_ok(r) && rd_left(r) == 0 ? 0 : -1;
}

int clf_load(const char *path, clf_t **out, err_t *e)
{
	model_file *mf = NULL;
	int rc;

	*out = NULL;
	rc = model_read(path, "classifier", &mf, e);
	if (rc < 0)
		return rc;
	rc = clf_from_model(mf, path, out, e);
	model_file_free(mf);
	return rc;
}

int clf_from_model(const model_file *mf, const char *path, clf_t **out, err_t *e)
{
	const model_sec *fs, *cs, *ws;
	clf_t *c = NULL;
	rd_t r;
	int rc;

	*out = NULL;
	if (model_check_kind(path, mf->kind, "classifier", e))
		return ERR_MODEL;
	fs = model_find(mf, "SFEA");
	cs = model_find(mf, "CLFM");
	if (!fs || !cs) {
		rc = err_set(e, ERR_MODEL, "%s: classifier model lacks its %s section", path,
			     fs ? "CLFM" : "SFEA");
		goto out;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		rc = err_set(e, ERR_NOMEM, "out of memory");
		goto out;
	}
	rd_init(&r, fs->data, fs->len);
	c->feat = sfeat_load(&r, e);
	if (!c->feat) {
		err_prefix(e, path);
		rc = e ? e->code : ERR_MODEL;
		goto out;
	}
	if (rd_left(&r) != 0) {
		rc = err_set(e, ERR_MODEL, "%s: damaged sentence-feature section", path);
		goto out;
	}
	rd_init(&r, cs->data, cs->len);
	if (load_clfm(c, &r) < 0) {
		rc = err_set(e, ERR_MODEL, "%s: damaged or unsupported classifier section", path);
		goto out;
	}
	c->decision = c->probability ? CLF_DECIDE_PROB : CLF_DECIDE_VOTES;
	ws = model_find(mf, "CLFD");
	if (ws) {
		rd_init(&r, ws->data, ws->len);
		uint32_t rule = rd_u32(&r), k = rd_u32(&r);
		int bad = !rd_ok(&r) || !c->probability || rule > 2 || rule == CLF_DECIDE_PROB ||
			  (rule == CLF_DECIDE_BALANCED ? k != c->k : k != 0);
		if (!bad && k) {
			c->cw = malloc((size_t)k * sizeof(double));
			if (!c->cw) {
				rc = err_set(e, ERR_NOMEM, "out of memory");
				goto out;
			}
			for (size_t i = 0; i < k; i++) {
				c->cw[i] = rd_f64(&r);
				if (!(c->cw[i] > 0 && c->cw[i] < 1e9))
					bad = 1;
			}
		}
		if (bad || !rd_ok(&r) || rd_left(&r) != 0) {
			rc = err_set(e, ERR_MODEL, "%s: damaged decision-rule section", path);
			goto out;
		}
		c->decision = (int)rule;
	}
	rc = 0;
out:
	if (rc < 0)
		clf_free(c);
	else
		*out = c;
	return rc;
}
