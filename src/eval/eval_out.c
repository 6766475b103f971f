/* eval_out: reports as JSON, as a table, and as conlleval's text. */
#include "eval/eval_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"

static void bprintf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void bprintf(buf_t *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(tmp)) {
		buf_put(b, tmp, (size_t)n);
		return;
	}
	if (buf_reserve(b, (size_t)n + 1) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* conlleval's percentages, computed in its order of operations so the
 * printed two decimals agree with it. */
static double pct(double c, double n)
{
	return n > 0 ? 100 * c / n : 0.0;
}

static double fb1(double p, double r)
{
	return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
}

static const char *kind_name(int kind)
{
	return kind == EVAL_SPANS ? "spans" : kind == EVAL_MULTI ? "multi-label" : "single-label";
}

/* ---- JSON ---- */

static void jnum(buf_t *b, double v)
{
	json_num(b, v, 10);
}

static void jpair(buf_t *b, double lo, double hi)
{
	if (isnan(lo) || isnan(hi)) {
		json_raw(b, "null");
		return;
	}
	json_raw(b, "[");
	jnum(b, lo);
	json_raw(b, ",");
	jnum(b, hi);
	json_raw(b, "]");
}

/* {"key":value,...} for the n metrics r->m[first..first+n) (or their
 * lo/hi pairs with ci), named by keys. */
static void jmetrics(buf_t *b, const eval_report *r, int first, const char *const *keys,
		     int n, int ci)
{
	json_raw(b, "{");
	for (int k = 0; k < n; k++) {
		if (k)
			json_raw(b, ",");
		json_key(b, keys[k]);
		if (ci)
			jpair(b, r->lo[first + k], r->hi[first + k]);
		else
			jnum(b, r->m[first + k]);
	}
	json_raw(b, "}");
}

/* {"precision":..,"recall":..,"f1":..} */
static void jprf(buf_t *b, const eval_report *r, int first, int ci)
{
	static const char *const keys[3] = { "precision", "recall", "f1" };
	jmetrics(b, r, first, keys, 3, ci);
}

static void jexample(buf_t *b, const eval_report *r, int ci)
{
	static const char *const keys[5] = { "precision", "recall", "f1", "jaccard",
					     "hamming_loss" };
	jmetrics(b, r, EVAL_M_EXAMPLE_P, keys, 5, ci);
}

void eval_report_json(const eval_report *r, buf_t *b)
{
	int spans = r->kind == EVAL_SPANS;

	json_raw(b, "{");
	json_key(b, "kind");
	json_cstr(b, kind_name(r->kind));
	json_raw(b, ",");
	json_key(b, "file");
	json_cstr(b, r->name);
	if (r->data) {
		json_raw(b, ",");
		json_key(b, "data");
		json_cstr(b, r->data);
	}
	json_raw(b, ",");
	json_key(b, "scheme");
	json_cstr(b, r->scheme);
	if (spans) {
		json_raw(b, ",");
		json_key(b, "rules");
		json_cstr(b, r->rules);
	}
	json_raw(b, ",");
	json_key(b, "counts");
	json_raw(b, "{");
	if (spans) {
		json_key(b, "sentences");
		json_int(b, r->units);
		json_raw(b, ",");
		json_key(b, "tokens");
		json_int(b, r->n);
		json_raw(b, ",");
		json_key(b, "correct_tokens");
		json_int(b, r->n_correct);
		json_raw(b, ",");
		json_key(b, "phrases");
	} else {
		json_key(b, "examples");
		json_int(b, r->n);
		json_raw(b, ",");
		json_key(b, "correct");
		json_int(b, r->n_correct);
		json_raw(b, ",");
		json_key(b, "gold_labels");
	}
	jnum(b, r->gold);
	json_raw(b, ",");
	json_key(b, "found");
	jnum(b, r->found);
	json_raw(b, ",");
	json_key(b, spans ? "correct_phrases" : "true_positives");
	jnum(b, r->correct);
	json_raw(b, "},");

	json_key(b, "accuracy");
	jnum(b, r->m[EVAL_M_ACCURACY]);
	if (spans) {
		json_raw(b, ",");
		json_key(b, "overall");
		jprf(b, r, EVAL_M_MICRO_P, 0);
	}
	json_raw(b, ",");
	json_key(b, "micro");
	jprf(b, r, EVAL_M_MICRO_P, 0);
	json_raw(b, ",");
	json_key(b, "macro");
	jprf(b, r, EVAL_M_MACRO_P, 0);
	json_raw(b, ",");
	json_key(b, "weighted");
	jprf(b, r, EVAL_M_WEIGHTED_P, 0);
	if (r->kind == EVAL_MULTI) {
		json_raw(b, ",");
		json_key(b, "example");
		jexample(b, r, 0);
	}

	json_raw(b, ",");
	json_key(b, "labels");
	json_raw(b, "{");
	for (size_t l = 0; l < r->nlabels; l++) {
		const eval_label *lb = &r->labels[l];
		if (l)
			json_raw(b, ",");
		json_cstr(b, lb->name);
		json_raw(b, ":{");
		json_key(b, "precision");
		jnum(b, lb->precision);
		json_raw(b, ",");
		json_key(b, "recall");
		jnum(b, lb->recall);
		json_raw(b, ",");
		json_key(b, "f1");
		jnum(b, lb->f1);
		json_raw(b, ",");
		json_key(b, "support");
		jnum(b, lb->support);
		json_raw(b, ",");
		json_key(b, "found");
		jnum(b, lb->found);
		json_raw(b, ",");
		json_key(b, "correct");
		jnum(b, lb->correct);
		json_raw(b, ",");
		json_key(b, "f1_ci95");
		jpair(b, lb->f1_lo, lb->f1_hi);
		json_raw(b, "}");
	}
	json_raw(b, "}");

	json_raw(b, ",");
	json_key(b, "confusion");
	if (r->confusion) {
		json_raw(b, "{");
		json_key(b, "labels");
		json_raw(b, "[");
		for (size_t l = 0; l < r->nlabels; l++) {
			if (l)
				json_raw(b, ",");
			json_cstr(b, r->labels[l].name);
		}
		json_raw(b, "],");
		json_key(b, "matrix");
		json_raw(b, "[");
		for (size_t i = 0; i < r->nlabels; i++) {
			json_raw(b, i ? ",[" : "[");
			for (size_t j = 0; j < r->nlabels; j++) {
				if (j)
					json_raw(b, ",");
				json_int(b, r->confusion[i * r->nlabels + j]);
			}
			json_raw(b, "]");
		}
		json_raw(b, "]}");
	} else {
		json_raw(b, "null");
	}

	json_raw(b, ",");
	json_key(b, "calibration");
	if (r->bins) {
		json_raw(b, "{");
		json_key(b, "ece");
		jnum(b, r->m[EVAL_M_ECE]);
		json_raw(b, ",");
		json_key(b, "bins");
		json_raw(b, "[");
		for (size_t k = 0; k < r->nbins; k++) {
			const eval_bin *bn = &r->bins[k];
			if (k)
				json_raw(b, ",");
			json_raw(b, "{");
			json_key(b, "lo");
			jnum(b, bn->lo);
			json_raw(b, ",");
			json_key(b, "hi");
			jnum(b, bn->hi);
			json_raw(b, ",");
			json_key(b, "count");
			json_int(b, bn->count);
			json_raw(b, ",");
			json_key(b, "confidence");
			jnum(b, bn->confidence);
			json_raw(b, ",");
			json_key(b, "accuracy");
			jnum(b, bn->accuracy);
			json_raw(b, "}");
		}
		json_raw(b, "]}");
	} else {
		json_raw(b, "null");
	}

	json_raw(b, ",");
	json_key(b, "ci95");
	if (r->resamples > 0) {
		json_raw(b, "{");
		json_key(b, "method");
		json_cstr(b, "percentile bootstrap");
		json_raw(b, ",");
		json_key(b, "unit");
		json_cstr(b, spans ? "sentence" : "example");
		json_raw(b, ",");
		json_key(b, "resamples");
		json_int(b, r->resamples);
		json_raw(b, ",");
		json_key(b, "seed");
		json_int(b, (long long)r->seed);
		json_raw(b, ",");
		json_key(b, "accuracy");
		jpair(b, r->lo[EVAL_M_ACCURACY], r->hi[EVAL_M_ACCURACY]);
		json_raw(b, ",");
		json_key(b, "micro");
		jprf(b, r, EVAL_M_MICRO_P, 1);
		json_raw(b, ",");
		json_key(b, "macro");
		jprf(b, r, EVAL_M_MACRO_P, 1);
		json_raw(b, ",");
		json_key(b, "weighted");
		jprf(b, r, EVAL_M_WEIGHTED_P, 1);
		if (r->kind == EVAL_MULTI) {
			json_raw(b, ",");
			json_key(b, "example");
			jexample(b, r, 1);
		}
		if (r->bins) {
			json_raw(b, ",");
			json_key(b, "ece");
			jpair(b, r->lo[EVAL_M_ECE], r->hi[EVAL_M_ECE]);
		}
		json_raw(b, "}");
	} else {
		json_raw(b, "null");
	}

	if (r->has_compare) {
		int first = 1;
		json_raw(b, ",");
		json_key(b, "compare");
		json_raw(b, "{");
		json_key(b, "file");
		json_cstr(b, r->compare_name);
		json_raw(b, ",");
		json_key(b, "difference");
		json_cstr(b, "second - first");
		json_raw(b, ",");
		json_key(b, "method");
		json_cstr(b, "approximate randomization (two-sided) and paired bootstrap");
		json_raw(b, ",");
		json_key(b, "trials");
		json_int(b, r->resamples);
		json_raw(b, ",");
		json_key(b, "seed");
		json_int(b, (long long)r->seed);
		json_raw(b, ",");
		json_key(b, "metrics");
		json_raw(b, "{");
		for (int k = 0; k < EVAL_NM; k++) {
			if (isnan(r->m[k]) || isnan(r->cmp_m[k]))
				continue;
			if (!first)
				json_raw(b, ",");
			first = 0;
			json_key(b, eval_metric_name(k));
			json_raw(b, "{");
			json_key(b, "first");
			jnum(b, r->m[k]);
			json_raw(b, ",");
			json_key(b, "second");
			jnum(b, r->cmp_m[k]);
			json_raw(b, ",");
			json_key(b, "difference");
			jnum(b, r->cmp_m[k] - r->m[k]);
			json_raw(b, ",");
			json_key(b, "p_value");
			if (isnan(r->cmp_p[k]))
				json_raw(b, "null");
			else
				jnum(b, r->cmp_p[k]);
			json_raw(b, ",");
			json_key(b, "ci95");
			jpair(b, r->cmp_lo[k], r->cmp_hi[k]);
			json_raw(b, "}");
		}
		json_raw(b, "}}");
	}
	json_raw(b, "}\n");
}

/* ---- table ---- */

static int by_support(const void *x, const void *y)
{
	const eval_label *a = *(const eval_label *const *)x, *b = *(const eval_label *const *)y;
	if (a->support != b->support)
		return a->support > b->support ? -1 : 1;
	return strcmp(a->name, b->name);
}

static void ci_cell(buf_t *b, double lo, double hi)
{
	if (!isnan(lo) && !isnan(hi))
		bprintf(b, "  [%6.2f, %6.2f]", 100 * lo, 100 * hi);
}

static const char *shown(const char *name)
{
	return name[0] ? name : "(no type)";
}

void eval_report_table(const eval_report *r, buf_t *b)
{
	int spans = r->kind == EVAL_SPANS, w = 10, ci = r->resamples > 0;
	const eval_label **order = NULL;

	for (size_t l = 0; l < r->nlabels; l++) {
		int n = (int)strlen(shown(r->labels[l].name));
		if (n > w)
			w = n;
	}
	if (w > 40)
		w = 40;
	if (r->data)
		bprintf(b, "data: %s\n", r->data);
	if (spans)
		bprintf(b, "%s: spans, gold scheme %s, %s rules\n"
			   "%lld tokens in %lld sentences; %.0f gold phrases, %.0f found, "
			   "%.0f correct\n\n",
			r->name, r->scheme, r->rules, r->n, r->units, r->gold, r->found,
			r->correct);
	else
		bprintf(b, "%s: %s classification, %lld examples, %lld correct\n\n", r->name,
			r->scheme, r->n, r->n_correct);

	bprintf(b, "%-*s %9s %9s %9s %9s %9s %9s%s\n", w, "label", "precision", "recall",
		"f1", "support", "found", "correct", ci ? "    f1 95% CI" : "");
	order = malloc((r->nlabels ? r->nlabels : 1) * sizeof(*order));
	if (order) {
		for (size_t l = 0; l < r->nlabels; l++)
			order[l] = &r->labels[l];
		qsort(order, r->nlabels, sizeof(*order), by_support);
		for (size_t l = 0; l < r->nlabels; l++) {
			const eval_label *lb = order[l];
			double p = pct(lb->correct, lb->found), rc = pct(lb->correct, lb->support);
			bprintf(b, "%-*.*s %9.2f %9.2f %9.2f %9.0f %9.0f %9.0f", w, w,
				shown(lb->name), p, rc, fb1(p, rc), lb->support, lb->found,
				lb->correct);
			ci_cell(b, lb->f1_lo, lb->f1_hi);
			buf_put(b, "\n", 1);
		}
		free(order);
	}
	{
		double p = pct(r->correct, r->found), rc = pct(r->correct, r->gold);
		bprintf(b, "%-*s %9.2f %9.2f %9.2f %9.0f %9.0f %9.0f", w,
			spans ? "overall" : "micro", p, rc, fb1(p, rc), r->gold, r->found,
			r->correct);
		ci_cell(b, r->lo[EVAL_M_MICRO_F1], r->hi[EVAL_M_MICRO_F1]);
		buf_put(b, "\n", 1);
	}
	bprintf(b, "%-*s %9.2f %9.2f %9.2f", w, "macro", 100 * r->m[EVAL_M_MACRO_P],
		100 * r->m[EVAL_M_MACRO_R], 100 * r->m[EVAL_M_MACRO_F1]);
	if (ci)
		bprintf(b, "%30s", "");
	ci_cell(b, r->lo[EVAL_M_MACRO_F1], r->hi[EVAL_M_MACRO_F1]);
	bprintf(b, "\n%-*s %9.2f %9.2f %9.2f", w, "weighted", 100 * r->m[EVAL_M_WEIGHTED_P],
		100 * r->m[EVAL_M_WEIGHTED_R], 100 * r->m[EVAL_M_WEIGHTED_F1]);
	if (ci)
		bprintf(b, "%30s", "");
	ci_cell(b, r->lo[EVAL_M_WEIGHTED_F1], r->hi[EVAL_M_WEIGHTED_F1]);
	bprintf(b, "\n\n%s %.2f", spans ? "token accuracy" :
		r->kind == EVAL_MULTI ? "subset accuracy (exact match)" : "accuracy",
		pct((double)r->n_correct, (double)r->n));
	if (ci)
		bprintf(b, "  95%% CI [%.2f, %.2f]", 100 * r->lo[EVAL_M_ACCURACY],
			100 * r->hi[EVAL_M_ACCURACY]);
	buf_put(b, "\n", 1);
	if (r->kind == EVAL_MULTI) {
		static const char *const nm[5] = { "precision", "recall", "f1", "jaccard",
						   "hamming loss" };
		bprintf(b, "example-based:");
		for (int k = 0; k < 5; k++)
			bprintf(b, " %s %.2f%s", nm[k], 100 * r->m[EVAL_M_EXAMPLE_P + k],
				k < 4 ? ";" : "");
		buf_put(b, "\n", 1);
		if (ci)
			bprintf(b, "example-based f1 95%% CI [%.2f, %.2f]\n",
				100 * r->lo[EVAL_M_EXAMPLE_F1], 100 * r->hi[EVAL_M_EXAMPLE_F1]);
	}
	if (ci)
		bprintf(b, "95%% intervals: percentile bootstrap over %s, %d resamples, "
			   "seed %lu\n",
			spans ? "sentences" : "examples", r->resamples, r->seed);

	if (r->confusion && r->nlabels <= 30) {
		bprintf(b, "\nconfusion (rows gold, columns predicted, numbered as the rows)\n");
		bprintf(b, "%*s", w + 4, "");
		for (size_t j = 0; j < r->nlabels; j++)
			bprintf(b, " %6zu", j + 1);
		buf_put(b, "\n", 1);
		for (size_t i = 0; i < r->nlabels; i++) {
			bprintf(b, "%2zu %-*.*s", i + 1, w, w, r->labels[i].name);
			buf_put(b, " ", 1);
			for (size_t j = 0; j < r->nlabels; j++)
				bprintf(b, " %6lld", r->confusion[i * r->nlabels + j]);
			buf_put(b, "\n", 1);
		}
	} else if (r->confusion) {
		bprintf(b, "\n(confusion matrix of %zu labels: see --json)\n", r->nlabels);
	}

	if (r->bins) {
		bprintf(b, "\ncalibration: expected calibration error %.2f", 100 * r->m[EVAL_M_ECE]);
		if (!isnan(r->lo[EVAL_M_ECE]))
			bprintf(b, " (95%% CI [%.2f, %.2f])", 100 * r->lo[EVAL_M_ECE],
				100 * r->hi[EVAL_M_ECE]);
		bprintf(b, "\n%-13s %8s %11s %9s\n", "confidence", "count", "mean conf", "accuracy");
		for (size_t k = 0; k < r->nbins; k++) {
			const eval_bin *bn = &r->bins[k];
			char range[32];
			snprintf(range, sizeof(range), "[%.2f,%.2f%c", bn->lo, bn->hi,
				 k + 1 == r->nbins ? ']' : ')');
			if (bn->count)
				bprintf(b, "%-13s %8lld %11.2f %9.2f\n", range, bn->count,
					100 * bn->confidence, 100 * bn->accuracy);
			else
				bprintf(b, "%-13s %8d %11s %9s\n", range, 0, "-", "-");
		}
	}

	if (r->has_compare) {
		bprintf(b, "\ncomparison: %s (first) vs %s (second); difference = second - first\n",
			r->name, r->compare_name);
		bprintf(b, "%-20s %8s %8s %8s %20s %8s\n", "figure", "first", "second",
			"diff", "diff 95% CI", "p");
		for (int k = 0; k < EVAL_NM; k++) {
			if (isnan(r->m[k]) || isnan(r->cmp_m[k]))
				continue;
			if (k == EVAL_M_MICRO_P || k == EVAL_M_MICRO_R || k == EVAL_M_MACRO_P ||
			    k == EVAL_M_MACRO_R || k == EVAL_M_WEIGHTED_P || k == EVAL_M_WEIGHTED_R)
				continue;
			bprintf(b, "%-20s %8.2f %8.2f %+8.2f", eval_metric_name(k), 100 * r->m[k],
				100 * r->cmp_m[k], 100 * (r->cmp_m[k] - r->m[k]));
			if (!isnan(r->cmp_lo[k]))
				bprintf(b, "   [%7.2f, %7.2f] %8.4f\n", 100 * r->cmp_lo[k],
					100 * r->cmp_hi[k], r->cmp_p[k]);
			else
				bprintf(b, " %20s %8s\n", "-", "-");
		}
		if (r->resamples > 0)
			bprintf(b, "p: two-sided approximate randomization, %d trials; CI: paired "
				   "bootstrap; seed %lu\n",
				r->resamples, r->seed);
		else
			bprintf(b, "(no p-value: --bootstrap 0)\n");
	}
}

/* ---- conlleval's text ---- */

void eval_report_conlleval(const eval_report *r, buf_t *b)
{
	double p, rc;

	if (r->kind != EVAL_SPANS)
		return;
	bprintf(b, "processed %lld tokens with %.0f phrases; found: %.0f phrases; correct: %.0f.\n",
		r->n, r->gold, r->found, r->correct);
	if (r->n > 0) {
		p = pct(r->correct, r->found);
		rc = pct(r->correct, r->gold);
		bprintf(b, "accuracy: %6.2f%%; precision: %6.2f%%; recall: %6.2f%%; FB1: %6.2f\n",
			100 * (double)r->n_correct / (double)r->n, p, rc, fb1(p, rc));
	}
	for (size_t l = 0; l < r->nlabels; l++) {
		const eval_label *lb = &r->labels[l];
		/* conlleval lists the empty type twice when both columns have it. */
		int times = lb->name[0] == '\0' && lb->support > 0 && lb->found > 0 ? 2 : 1;
		if (lb->support == 0 && lb->found == 0)
			continue;
		p = pct(lb->correct, lb->found);
		rc = pct(lb->correct, lb->support);
		while (times--)
			bprintf(b, "%17s: precision: %6.2f%%; recall: %6.2f%%; FB1: %6.2f  %.0f\n",
				lb->name, p, rc, fb1(p, rc), lb->found);
	}
}
