/* eval_stat: figures from summed unit vectors, bootstrap intervals,
 * approximate randomization, calibration error. */
#include "eval/eval_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

static const char *const metric_names[EVAL_NM] = {
	"accuracy",
	"micro_precision", "micro_recall", "micro_f1",
	"macro_precision", "macro_recall", "macro_f1",
	"weighted_precision", "weighted_recall", "weighted_f1",
	"example_precision", "example_recall", "example_f1",
	"jaccard", "hamming_loss",
	"ece",
};

const char *eval_metric_name(int i)
{
	return i >= 0 && i < EVAL_NM ? metric_names[i] : NULL;
}

void eval_opts_init(eval_opts *o)
{
	o->rules = EVAL_RULES_AUTO;
	o->labels = EVAL_LABELS_AUTO;
	o->resamples = EVAL_DEFAULT_RESAMPLES;
	o->seed = EVAL_DEFAULT_SEED;
	o->bins = EVAL_DEFAULT_BINS;
}

void evl_init(eval_layout *ly, int kind, uint32_t nlabels, int bins)
{
	ly->kind = kind;
	ly->nlabels = nlabels;
	ly->bins = bins;
	ly->ex = 2 + 3 * nlabels;
	ly->cal = ly->ex + (kind == EVAL_MULTI ? 5 : 0);
	ly->dim = ly->cal + 3 * (uint32_t)bins;
}

void evu_unit(eval_units *u)
{
	if (u->failed)
		return;
	if (u->n + 2 > u->ncap) {
		size_t nc = u->ncap ? u->ncap * 2 : 256;
		uint32_t *tmp = realloc(u->start, nc * sizeof(*tmp));
		if (!tmp) {
			u->failed = 1;
			return;
		}
		u->start = tmp;
		u->ncap = nc;
	}
	if (u->n == 0)
		u->start[0] = 0;
	u->n++;
	u->start[u->n] = (uint32_t)u->nnz;
}

void evu_add(eval_units *u, uint32_t d, double v)
{
	if (u->failed || u->n == 0)
		return;
	if (u->nnz == u->cap) {
		size_t nc = u->cap ? u->cap * 2 : 1024;
		uint32_t *ti;
		double *tv;
		if (nc > UINT32_MAX) {
			u->failed = 1;
			return;
		}
		ti = realloc(u->idx, nc * sizeof(*ti));
		if (!ti) {
			u->failed = 1;
			return;
		}
		u->idx = ti;
		tv = realloc(u->val, nc * sizeof(*tv));
		if (!tv) {
			u->failed = 1;
			return;
		}
		u->val = tv;
		u->cap = nc;
	}
	u->idx[u->nnz] = d;
	u->val[u->nnz] = v;
	u->nnz++;
	u->start[u->n] = (uint32_t)u->nnz;
}

void evu_free(eval_units *u)
{
	free(u->start);
	free(u->idx);
	free(u->val);
	memset(u, 0, sizeof(*u));
}

static double ratio(double a, double b)
{
	return b > 0 ? a / b : 0.0;
}

static double fscore(double p, double r)
{
	return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
}

int evs_bin(double conf, int bins)
{
	int b = (int)floor(conf * bins);
	if (b < 0)
		b = 0;
	if (b >= bins)
		b = bins - 1;
	return b;
}

void evl_metrics(const eval_layout *ly, const double *s, double *m, double *f1)
{
	double tp = 0, pred = 0, gold = 0;
	double mp = 0, mr = 0, mf = 0, wp = 0, wr = 0, wf = 0;
	uint32_t k = 0;

	for (int i = 0; i < EVAL_NM; i++)
		m[i] = NAN;
	m[EVAL_M_ACCURACY] = ratio(s[1], s[0]);
	for (uint32_t l = 0; l < ly->nlabels; l++) {
		const double *c = s + 2 + 3 * l;
		double p = ratio(c[2], c[1]), r = ratio(c[2], c[0]), f = fscore(p, r);
		if (f1)
			f1[l] = f;
		gold += c[0];
		pred += c[1];
		tp += c[2];
		if (c[0] > 0 || c[1] > 0) {
			k++;
			mp += p;
			mr += r;
			mf += f;
		}
		wp += c[0] * p;
		wr += c[0] * r;
		wf += c[0] * f;
	}
	m[EVAL_M_MICRO_P] = ratio(tp, pred);
	m[EVAL_M_MICRO_R] = ratio(tp, gold);
	m[EVAL_M_MICRO_F1] = fscore(m[EVAL_M_MICRO_P], m[EVAL_M_MICRO_R]);
	m[EVAL_M_MACRO_P] = ratio(mp, k);
	m[EVAL_M_MACRO_R] = ratio(mr, k);
	m[EVAL_M_MACRO_F1] = ratio(mf, k);
	m[EVAL_M_WEIGHTED_P] = ratio(wp, gold);
	m[EVAL_M_WEIGHTED_R] = ratio(wr, gold);
	m[EVAL_M_WEIGHTED_F1] = ratio(wf, gold);
	if (ly->kind == EVAL_MULTI) {
		const double *x = s + ly->ex;
		m[EVAL_M_EXAMPLE_P] = ratio(x[0], s[0]);
		m[EVAL_M_EXAMPLE_R] = ratio(x[1], s[0]);
		m[EVAL_M_EXAMPLE_F1] = ratio(x[2], s[0]);
		m[EVAL_M_JACCARD] = ratio(x[3], s[0]);
		m[EVAL_M_HAMMING] = ratio(x[4], s[0] * ly->nlabels);
	}
	if (ly->bins > 0) {
		double n = 0, gap = 0;
		for (int b = 0; b < ly->bins; b++) {
			const double *c = s + ly->cal + 3 * b;
			n += c[0];
			gap += fabs(c[2] - c[1]);
		}
		m[EVAL_M_ECE] = ratio(gap, n);
	}
}

double eval_ece(const double *conf, const unsigned char *ok, size_t n, int bins,
		eval_bin *out)
{
	double gap = 0;

	if (n == 0 || bins < 1)
		return NAN;
	if (out) {
		for (int b = 0; b < bins; b++) {
			out[b].lo = (double)b / bins;
			out[b].hi = (double)(b + 1) / bins;
			out[b].count = 0;
			out[b].confidence = 0;
			out[b].accuracy = 0;
		}
	}
	/* Per-bin sums, then |correct - confidence| / n summed over bins. */
	double *sum = calloc((size_t)bins * 2, sizeof(double));
	long long *cnt = calloc((size_t)bins, sizeof(long long));
	if (!sum || !cnt) {
		free(sum);
		free(cnt);
		return NAN;
	}
	for (size_t i = 0; i < n; i++) {
		int b = evs_bin(conf[i], bins);
		cnt[b]++;
		sum[2 * b] += conf[i];
		sum[2 * b + 1] += ok[i] ? 1.0 : 0.0;
	}
	for (int b = 0; b < bins; b++) {
		gap += fabs(sum[2 * b + 1] - sum[2 * b]);
		if (out) {
			out[b].count = cnt[b];
			out[b].confidence = cnt[b] ? sum[2 * b] / cnt[b] : NAN;
			out[b].accuracy = cnt[b] ? sum[2 * b + 1] / cnt[b] : NAN;
		}
	}
	free(sum);
	free(cnt);
	return gap / (double)n;
}

static void add_unit(const eval_units *u, uint32_t j, double *sum)
{
	for (uint32_t k = u->start[j]; k < u->start[j + 1]; k++)
		sum[u->idx[k]] += u->val[k];
}

static void sum_all(const eval_units *u, double *sum, uint32_t dim)
{
	memset(sum, 0, dim * sizeof(double));
	for (uint32_t j = 0; j < u->n; j++)
		add_unit(u, j, sum);
}

/* Percentile interval of v[0..n) (sorted in place); NaN-free input. */
static void interval(double *v, size_t n, double *lo, double *hi)
{
	gsl_sort(v, 1, n);
	*lo = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.025);
	*hi = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.975);
}

int evs_run(const eval_layout *ly, const eval_units *a, const eval_units *b,
	    const eval_opts *o, eval_report *r, err_t *e)
{
	const uint32_t dim = ly->dim, L = ly->nlabels, nm = EVAL_NM + L;
	const size_t R = o->resamples > 0 ? (size_t)o->resamples : 0;
	double *sa = NULL, *sb = NULL, *ma = NULL, *mb = NULL, *vals = NULL, *dvals = NULL;
	double obs_a[EVAL_NM], obs_b[EVAL_NM];
	size_t *exceed = NULL;
	gsl_rng *rng = NULL;
	int rc = ERR_NOMEM;

	if (b && b->n != a->n) {
		rc = err_set(e, ERR_ARG, "the two systems have %u and %u units", a->n, b->n);
		goto out;
	}
	sa = calloc(dim ? dim : 1, sizeof(double));
	sb = calloc(dim ? dim : 1, sizeof(double));
	ma = calloc(nm, sizeof(double));
	mb = calloc(nm, sizeof(double));
	if (!sa || !sb || !ma || !mb)
		goto nomem;

	/* The observed figures. */
	sum_all(a, sa, dim);
	evl_metrics(ly, sa, r->m, ma + EVAL_NM);
	memcpy(obs_a, r->m, sizeof(obs_a));
	r->n = (long long)llround(sa[0]);
	r->n_correct = (long long)llround(sa[1]);
	r->gold = r->found = r->correct = 0;
	for (uint32_t l = 0; l < L; l++) {
		eval_label *lb = &r->labels[l];
		const double *c = sa + 2 + 3 * l;
		lb->support = c[0];
		lb->found = c[1];
		lb->correct = c[2];
		lb->precision = ratio(c[2], c[1]);
		lb->recall = ratio(c[2], c[0]);
		lb->f1 = fscore(lb->precision, lb->recall);
		lb->f1_lo = lb->f1_hi = NAN;
		r->gold += c[0];
		r->found += c[1];
		r->correct += c[2];
	}
	if (b) {
		sum_all(b, sb, dim);
		evl_metrics(ly, sb, r->cmp_m, NULL);
		memcpy(obs_b, r->cmp_m, sizeof(obs_b));
		r->has_compare = 1;
		for (int i = 0; i < EVAL_NM; i++)
			r->cmp_p[i] = r->cmp_lo[i] = r->cmp_hi[i] = NAN;
	}
	if (R == 0 || a->n == 0) {
		rc = 0;
		goto out;
	}

	vals = malloc(R * nm * sizeof(double));
	if (!vals)
		goto nomem;
	if (b) {
		dvals = malloc(R * EVAL_NM * sizeof(double));
		exceed = calloc(EVAL_NM, sizeof(size_t));
		if (!dvals || !exceed)
			goto nomem;
	}
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (!rng) {
		rc = err_set(e, ERR_NUMERIC, "cannot allocate a random number generator");
		goto out;
	}

	/* Bootstrap: resample units with replacement; with b, the same units
	 * for both systems (paired), keeping the difference. */
	gsl_rng_set(rng, o->seed);
	for (size_t t = 0; t < R; t++) {
		memset(sa, 0, dim * sizeof(double));
		if (b)
			memset(sb, 0, dim * sizeof(double));
		for (uint32_t i = 0; i < a->n; i++) {
			uint32_t j = (uint32_t)gsl_rng_uniform_int(rng, a->n);
			add_unit(a, j, sa);
			if (b)
				add_unit(b, j, sb);
		}
		evl_metrics(ly, sa, ma, ma + EVAL_NM);
		for (uint32_t k = 0; k < nm; k++)
			vals[k * R + t] = ma[k];
		if (b) {
			evl_metrics(ly, sb, mb, NULL);
			for (int k = 0; k < EVAL_NM; k++)
				dvals[k * R + t] = mb[k] - ma[k];
		}
	}
	for (uint32_t k = 0; k < nm; k++) {
		double lo, hi;
		if (isnan(vals[k * R]))
			continue;
		interval(vals + k * R, R, &lo, &hi);
		if (k < EVAL_NM) {
			r->lo[k] = lo;
			r->hi[k] = hi;
		} else {
			r->labels[k - EVAL_NM].f1_lo = lo;
			r->labels[k - EVAL_NM].f1_hi = hi;
		}
	}
	r->resamples = (int)R;
	r->seed = o->seed;
	if (!b) {
		rc = 0;
		goto out;
	}
	for (int k = 0; k < EVAL_NM; k++)
		if (!isnan(dvals[k * R]))
			interval(dvals + k * R, R, &r->cmp_lo[k], &r->cmp_hi[k]);

	/* Approximate randomization: swap the two systems' outputs on each
	 * unit with probability 1/2; p = (1 + #{|d*| >= |d|}) / (1 + R). */
	gsl_rng_set(rng, o->seed);
	for (size_t t = 0; t < R; t++) {
		memset(sa, 0, dim * sizeof(double));
		memset(sb, 0, dim * sizeof(double));
		for (uint32_t i = 0; i < a->n; i++) {
			if (gsl_rng_uniform_int(rng, 2)) {
				add_unit(a, i, sb);
				add_unit(b, i, sa);
			} else {
				add_unit(a, i, sa);
				add_unit(b, i, sb);
			}
		}
		evl_metrics(ly, sa, ma, NULL);
		evl_metrics(ly, sb, mb, NULL);
		for (int k = 0; k < EVAL_NM; k++) {
			double d = fabs(obs_b[k] - obs_a[k]);
			if (!isnan(d) && fabs(mb[k] - ma[k]) >= d - 1e-12)
				exceed[k]++;
		}
	}
	for (int k = 0; k < EVAL_NM; k++)
		if (!isnan(obs_a[k]) && !isnan(obs_b[k]))
			r->cmp_p[k] = (double)(exceed[k] + 1) / (double)(R + 1);
	rc = 0;
	goto out;
nomem:
	rc = err_set(e, ERR_NOMEM, "out of memory while scoring");
out:
	gsl_rng_free(rng);
	free(sa);
	free(sb);
	free(ma);
	free(mb);
	free(vals);
	free(dvals);
	free(exceed);
	return rc;
}

eval_report *evr_new(int kind, const char *name)
{
	eval_report *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->kind = kind;
	r->name = strdup(name ? name : "");
	if (!r->name) {
		free(r);
		return NULL;
	}
	for (int i = 0; i < EVAL_NM; i++)
		r->m[i] = r->lo[i] = r->hi[i] = r->cmp_m[i] = r->cmp_p[i] =
			r->cmp_lo[i] = r->cmp_hi[i] = NAN;
	return r;
}

void eval_report_free(eval_report *r)
{
	if (!r)
		return;
	for (size_t l = 0; l < r->nlabels; l++)
		free(r->labels[l].name);
	free(r->labels);
	free(r->confusion);
	free(r->bins);
	free(r->name);
	free(r->data);
	free(r->compare_name);
	free(r);
}
