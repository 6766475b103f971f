/* eval_clf: classification scoring (single- and multi-label), calibration. */
#include "eval/eval_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/dict.h"
#include "text/tsv.h"
#include "base/utf8.h"

typedef struct clf_ex {
	uint64_t line;
	uint32_t gold, pred;  /* ids of the whole label strings in strs */
	double prob;          /* < 0: none */
} clf_ex;

struct eval_clf {
	char *name;
	dict_t *strs;
	clf_ex *ex;           /* [n] */
	size_t n, cap;
	size_t nprob;         /* examples with a probability */
};

eval_clf_t *eval_clf_new(const char *name)
{
	eval_clf_t *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->name = strdup(name ? name : "<examples>");
	c->strs = dict_new();
	if (!c->name || !c->strs) {
		eval_clf_free(c);
		return NULL;
	}
	return c;
}

void eval_clf_free(eval_clf_t *c)
{
	if (!c)
		return;
	free(c->name);
	dict_free(c->strs);
	free(c->ex);
	free(c);
}

uint64_t eval_clf_examples(const eval_clf_t *c)
{
	return c->n;
}

int eval_clf_add(eval_clf_t *c, const char *gold, size_t gn, const char *pred,
		 size_t pn, double prob, uint64_t line, err_t *e)
{
	clf_ex *x;

	if (prob > 1 || isnan(prob))
		return err_set(e, ERR_FORMAT, "%s:%llu: probability %g is not in [0, 1]",
			       c->name, (unsigned long long)line, prob);
	if (c->n > 0 && (prob >= 0) != (c->nprob > 0))
		return err_set(e, ERR_FORMAT,
			       "%s:%llu: %s a probability, but earlier lines %s (give one "
			       "on every line or on none)",
			       c->name, (unsigned long long)line,
			       prob >= 0 ? "has" : "lacks", prob >= 0 ? "do not" : "do");
	if (c->n == c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 1024;
		clf_ex *tmp = realloc(c->ex, nc * sizeof(*tmp));
		if (!tmp)
			return err_set(e, ERR_NOMEM, "%s: out of memory", c->name);
		c->ex = tmp;
		c->cap = nc;
	}
	x = &c->ex[c->n];
	x->gold = dict_add(c->strs, gold, gn);
	x->pred = dict_add(c->strs, pred, pn);
	if (x->gold == DICT_NONE || x->pred == DICT_NONE)
		return err_set(e, ERR_NOMEM, "%s: out of memory", c->name);
	x->line = line;
	x->prob = prob >= 0 ? prob : -1;
	c->n++;
	if (prob >= 0)
		c->nprob++;
	return 0;
}

static int clf_readf(void *c, FILE *f, const char *name, err_t *e)
{
	return eval_clf_readf(c, f, name, e);
}

int eval_clf_read(eval_clf_t *c, const char *path, err_t *e)
{
	return eval_read_path(path, c, clf_readf, e);
}

int eval_clf_readf(eval_clf_t *c, FILE *f, const char *fname, err_t *e)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	uint64_t lineno = 0;
	int rc = 0;

	while ((len = getline(&line, &cap, f)) >= 0) {
		size_t n = (size_t)len, bad;
		const char *why;
		char *t1, *t2 = NULL;
		double prob = -1;
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (lineno == 1 && n >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
			memmove(line, line + 3, n - 2); /* a UTF-8 byte-order mark */
			n -= 3;
		}
		if (n == 0)
			continue;
		if (memchr(line, '\0', n)) {
			rc = err_set(e, ERR_FORMAT, "%s:%llu: NUL byte in line", fname,
				     (unsigned long long)lineno);
			break;
		}
		if ((bad = utf8_check(line, n, &why)) < n) {
			rc = err_set(e, ERR_UTF8, "%s:%llu: invalid UTF-8 at byte %zu (%s)", fname,
				     (unsigned long long)lineno, bad + 1, why);
			break;
		}
		t1 = strchr(line, '\t');
		if (t1)
			t2 = strchr(t1 + 1, '\t');
		if (!t1 || (t2 && strchr(t2 + 1, '\t'))) {
			rc = err_set(e, ERR_FORMAT,
				     "%s:%llu: %s columns; want GOLD<TAB>PREDICTED or "
				     "GOLD<TAB>PREDICTED<TAB>PROBABILITY",
				     fname, (unsigned long long)lineno, t1 ? "more than 3" : "1");
			break;
		}
		if (t2) {
			char *end;
			errno = 0;
			prob = strtod(t2 + 1, &end);
			if (errno || end == t2 + 1 || *end || !(prob >= 0 && prob <= 1)) {
				rc = err_set(e, ERR_FORMAT,
					     "%s:%llu: probability '%.40s' is not a number in "
					     "[0, 1]",
					     fname, (unsigned long long)lineno, t2 + 1);
				break;
			}
		}
		rc = eval_clf_add(c, line, (size_t)(t1 - line), t1 + 1,
				  (size_t)((t2 ? t2 : line + n) - (t1 + 1)), prob, lineno, e);
		if (rc < 0)
			break;
	}
	if (rc == 0 && ferror(f))
		rc = err_set(e, ERR_IO, "%s: read error", fname);
	free(line);
	return rc;
}

/* ---- scoring ---- */

/* Calls fn on every label of s (the whole string when !multi; else the
 * comma-separated items, spaces around them trimmed, empty items skipped). */
typedef int (*label_fn)(void *ctx, const char *s, size_t n);

static int each_label(const char *s, size_t n, int multi, label_fn fn, void *ctx)
{
	size_t i = 0;

	if (!multi)
		return fn(ctx, s, n);
	while (i <= n) {
		size_t st = i, en;
		while (i < n && s[i] != ',')
			i++;
		en = i;
		while (st < en && (s[st] == ' ' || s[st] == '\t'))
			st++;
		while (en > st && (s[en - 1] == ' ' || s[en - 1] == '\t'))
			en--;
		if (en > st) {
			int rc = fn(ctx, s + st, en - st);
			if (rc < 0)
				return rc;
		}
		i++;
	}
	return 0;
}

static int add_name(void *ctx, const char *s, size_t n)
{
	return dict_add((dict_t *)ctx, s, n) == DICT_NONE ? ERR_NOMEM : 0;
}

typedef struct set_ctx {
	const dict_t *names;
	const uint32_t *rank;  /* dict id -> sorted label index */
	uint32_t *ids;         /* [cap] */
	uint32_t n, cap;
} set_ctx;

static int add_member(void *ctx, const char *s, size_t n)
{
	set_ctx *c = ctx;
	uint32_t id = dict_get(c->names, s, n), l;

	if (id == DICT_NONE)
		return ERR_ARG;
	l = c->rank[id];
	for (uint32_t i = 0; i < c->n; i++)
		if (c->ids[i] == l)
			return 0;
	if (c->n == c->cap)
		return ERR_NOMEM;
	c->ids[c->n++] = l;
	return 0;
}

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return a < b ? -1 : a > b;
}

/* The label set of whole-label string id in c, sorted, into sc->ids. */
static int label_set(const eval_clf_t *c, uint32_t id, int multi, set_ctx *sc)
{
	size_t n;
	const char *s = dict_str(c->strs, id, &n);
	int rc;

	sc->n = 0;
	rc = each_label(s, n, multi, add_member, sc);
	if (rc == 0 && sc->n > 1)
		qsort(sc->ids, sc->n, sizeof(*sc->ids), cmp_u32);
	return rc;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static int any_comma(const eval_clf_t *c)
{
	for (uint32_t i = 0; i < dict_size(c->strs); i++)
		if (strchr(dict_str(c->strs, i, NULL), ','))
			return 1;
	return 0;
}

/* One system's unit vectors; with gold_ref (a's units' gold sets), checks
 * that the gold sets agree. */
static int build(const eval_clf_t *c, const eval_clf_t *ref, const eval_layout *ly,
		 set_ctx *g, set_ctx *p, set_ctx *rg, eval_units *u,
		 long long *confusion, int calib, err_t *e)
{
	int multi = ly->kind == EVAL_MULTI;

	for (size_t i = 0; i < c->n; i++) {
		const clf_ex *x = &c->ex[i];
		uint32_t inter = 0, gi = 0, pi = 0;
		int rc;

		if (!multi) {
			size_t gn, pn;
			dict_str(c->strs, x->gold, &gn);
			dict_str(c->strs, x->pred, &pn);
			if (gn == 0 || pn == 0)
				return err_set(e, ERR_FORMAT, "%s:%llu: empty %s label", c->name,
					       (unsigned long long)x->line,
					       gn == 0 ? "gold" : "predicted");
		}
		rc = label_set(c, x->gold, multi, g);
		if (rc == 0)
			rc = label_set(c, x->pred, multi, p);
		if (rc == 0 && ref)
			rc = label_set(ref, ref->ex[i].gold, multi, rg);
		if (rc < 0)
			return err_set(e, ERR_NOMEM, "out of memory while scoring %s", c->name);
		if (ref && (rg->n != g->n || memcmp(rg->ids, g->ids, g->n * sizeof(*g->ids)))) {
			const char *sa = dict_str(ref->strs, ref->ex[i].gold, NULL);
			const char *sb = dict_str(c->strs, x->gold, NULL);
			return err_set(e, ERR_FORMAT,
				       "%s:%llu: gold label '%.60s' differs from %s:%llu's "
				       "'%.60s' (--compare needs the same gold data)",
				       c->name, (unsigned long long)x->line, sb, ref->name,
				       (unsigned long long)ref->ex[i].line, sa);
		}
		evu_unit(u);
		evu_add(u, 0, 1);
		for (uint32_t k = 0; k < g->n; k++)
			evu_add(u, 2 + 3 * g->ids[k] + 0, 1);
		for (uint32_t k = 0; k < p->n; k++)
			evu_add(u, 2 + 3 * p->ids[k] + 1, 1);
		while (gi < g->n && pi < p->n) {
			if (g->ids[gi] == p->ids[pi]) {
				evu_add(u, 2 + 3 * g->ids[gi] + 2, 1);
				inter++;
				gi++;
				pi++;
			} else if (g->ids[gi] < p->ids[pi]) {
				gi++;
			} else {
				pi++;
			}
		}
		int exact = inter == g->n && inter == p->n;
		if (exact)
			evu_add(u, 1, 1);
		if (multi) {
			double ng = g->n, np = p->n, uni = ng + np - inter;
			evu_add(u, ly->ex + 0, np > 0 ? inter / np : (ng == 0 ? 1 : 0));
			evu_add(u, ly->ex + 1, ng > 0 ? inter / ng : (np == 0 ? 1 : 0));
			evu_add(u, ly->ex + 2, ng + np > 0 ? 2 * inter / (ng + np) : 1);
			evu_add(u, ly->ex + 3, uni > 0 ? inter / uni : 1);
			evu_add(u, ly->ex + 4, ng + np - 2 * inter);
		} else if (confusion) {
			confusion[(size_t)g->ids[0] * ly->nlabels + p->ids[0]]++;
		}
		if (calib) {
			int b = evs_bin(x->prob, ly->bins);
			evu_add(u, ly->cal + 3 * b + 0, 1);
			evu_add(u, ly->cal + 3 * b + 1, x->prob);
			evu_add(u, ly->cal + 3 * b + 2, exact ? 1 : 0);
		}
	}
	return u->failed ? err_set(e, ERR_NOMEM, "out of memory while scoring %s", c->name)
			 : 0;
}

int eval_clf_score(const eval_clf_t *a, const eval_clf_t *b, const eval_opts *o,
		   eval_report **out, err_t *e)
{
	dict_t *names = NULL;
	uint32_t *rank = NULL, L = 0;
	const char **sorted = NULL;
	set_ctx g = { 0 }, p = { 0 }, rg = { 0 };
	eval_units ua = { 0 }, ub = { 0 };
	eval_layout ly;
	eval_report *r = NULL;
	int multi, calib, calib_a, rc = 0;
	double ece = NAN;

	*out = NULL;
	if (o->resamples < 0 || o->bins < 1 || o->bins > 1000)
		return err_set(e, ERR_ARG, "bad options (resamples >= 0, 1 <= bins <= 1000)");
	if (a->n == 0)
		return err_set(e, ERR_EMPTY, "%s: no examples to score", a->name);
	if (b && b->n != a->n)
		return err_set(e, ERR_FORMAT,
			       "%s has %zu examples, %s has %zu (--compare needs the same "
			       "gold data)",
			       a->name, a->n, b->name, b->n);
	if (o->labels == EVAL_LABELS_MULTI)
		multi = 1;
	else if (o->labels == EVAL_LABELS_SINGLE)
		multi = 0;
	else
		multi = any_comma(a) || (b && any_comma(b));

	/* The label set: every label of a and b, sorted by name. */
	names = dict_new();
	if (!names)
		goto nomem;
	for (int k = 0; k < 2; k++) {
		const eval_clf_t *c = k ? b : a;
		if (!c)
			continue;
		for (uint32_t i = 0; i < dict_size(c->strs); i++) {
			size_t n;
			const char *s = dict_str(c->strs, i, &n);
			if (each_label(s, n, multi, add_name, names) < 0)
				goto nomem;
		}
	}
	L = dict_size(names);
	sorted = malloc((L ? L : 1) * sizeof(*sorted));
	rank = malloc((L ? L : 1) * sizeof(*rank));
	g.ids = malloc((L ? L : 1) * sizeof(uint32_t));
	p.ids = malloc((L ? L : 1) * sizeof(uint32_t));
	rg.ids = malloc((L ? L : 1) * sizeof(uint32_t));
	if (!sorted || !rank || !g.ids || !p.ids || !rg.ids)
		goto nomem;
	for (uint32_t i = 0; i < L; i++)
		sorted[i] = dict_str(names, i, NULL);
	qsort(sorted, L, sizeof(*sorted), cmp_str);
	for (uint32_t i = 0; i < L; i++)
		rank[dict_get(names, sorted[i], strlen(sorted[i]))] = i;
	g.names = p.names = rg.names = names;
	g.rank = p.rank = rg.rank = rank;
	g.cap = p.cap = rg.cap = L;

	/* Calibration of a whenever it has probabilities; inside the unit
	 * vectors (bootstrap, comparison) only when b has them too. */
	calib_a = !multi && a->nprob == a->n;
	calib = calib_a && (!b || b->nprob == b->n);
	evl_init(&ly, multi ? EVAL_MULTI : EVAL_SINGLE, L, calib ? o->bins : 0);
	r = evr_new(ly.kind, a->name);
	if (!r)
		goto nomem;
	r->scheme = multi ? "multi-label" : "single-label";
	r->units = (long long)a->n;
	r->labels = calloc(L ? L : 1, sizeof(*r->labels));
	if (!r->labels)
		goto nomem;
	for (uint32_t l = 0; l < L; l++) {
		if (!(r->labels[l].name = strdup(sorted[l])))
			goto nomem;
		r->nlabels++;
	}
	if (!multi && !(r->confusion = calloc(L ? (size_t)L * L : 1, sizeof(*r->confusion))))
		goto nomem;
	if (b && !(r->compare_name = strdup(b->name)))
		goto nomem;
	rc = build(a, NULL, &ly, &g, &p, &rg, &ua, r->confusion, calib, e);
	if (rc == 0 && b)
		rc = build(b, a, &ly, &g, &p, &rg, &ub, NULL, calib, e);
	if (rc < 0)
		goto fail;
	if (calib_a) {
		double *conf = malloc(a->n * sizeof(double));
		unsigned char *ok = malloc(a->n);
		r->bins = calloc((size_t)o->bins, sizeof(*r->bins));
		if (!conf || !ok || !r->bins) {
			free(conf);
			free(ok);
			goto nomem;
		}
		for (size_t i = 0; i < a->n; i++) {
			size_t gn, pn;
			const char *gs = dict_str(a->strs, a->ex[i].gold, &gn);
			const char *ps = dict_str(a->strs, a->ex[i].pred, &pn);
			conf[i] = a->ex[i].prob;
			ok[i] = gn == pn && memcmp(gs, ps, gn) == 0;
		}
		ece = eval_ece(conf, ok, a->n, o->bins, r->bins);
		r->nbins = (size_t)o->bins;
		free(conf);
		free(ok);
	}
	rc = evs_run(&ly, &ua, b ? &ub : NULL, o, r, e);
	if (rc < 0)
		goto fail;
	if (calib_a && !calib)
		r->m[EVAL_M_ECE] = ece;
	*out = r;
	r = NULL;
	goto done;
nomem:
	rc = err_set(e, ERR_NOMEM, "out of memory while scoring %s", a->name);
fail:
	eval_report_free(r);
done:
	dict_free(names);
	free(sorted);
	free(rank);
	free(g.ids);
	free(p.ids);
	free(rg.ids);
	evu_free(&ua);
	evu_free(&ub);
	return rc;
}
