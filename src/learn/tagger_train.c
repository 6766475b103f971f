/* tagger_train: training a tagger: feature ids precomputed once per token
 * (for the CRF, those of word templates once per word and offset: word
 * groups), then either a CRF fitted by L-BFGS/OWL-QN (gradient over
 * sentence shards in threads) or an averaged structured perceptron; early
 * stopping on dev. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_rng.h>

#include "features/wclust.h"
#include "learn/tagger_int.h"
#include "learn/lbfgs.h"

void tagger_train_defaults(tagger_train_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->method = TAGGER_CRF;
	o->templates = tfeat_default_entities();
	o->c1 = 0;
	o->c2 = 0.05;
	o->max_iter = 200;
	o->patience = 20;
	o->threads = 2;
	o->seed = 1;
	o->min_freq = 1;
	o->hash_bits = 0;
	o->clusters = 0;
	o->epsilon = 1e-5;
	o->tune_bias = 1;
	o->tbias = TAGGER_TBIAS_DEFAULT;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ---- the training table: key -> temporary attribute id ---- */

typedef struct ttab {
	uint64_t *key;     /* [cap], 0 = empty (keys are never 0: see tkey) */
	uint32_t *id;      /* [cap] */
	uint64_t mask;
	uint32_t n;
	uint64_t *keys;    /* [n] key of each id */
	uint32_t *freq;    /* [n] */
	uint64_t *labs;    /* [n] label bit set */
	uint32_t ncap;
} ttab;

static inline uint64_t tkey(uint64_t k)
{
	return k ? k : 1;
}

static void ttab_free(ttab *t)
{
	free(t->key);
	free(t->id);
	free(t->keys);
	free(t->freq);
	free(t->labs);
}

static int ttab_init(ttab *t)
{
	memset(t, 0, sizeof(*t));
	t->mask = (1u << 16) - 1;
	t->key = calloc(t->mask + 1, sizeof(*t->key));
	t->id = calloc(t->mask + 1, sizeof(*t->id));
	return t->key && t->id ? 0 : ERR_NOMEM;
}

static int ttab_grow(ttab *t)
{
	uint64_t cap = (t->mask + 1) * 2;
	uint64_t *k = calloc(cap, sizeof(*k));
	uint32_t *id = calloc(cap, sizeof(*id));

	if (!k || !id) {
		free(k);
		free(id);
		return ERR_NOMEM;
	}
	for (uint64_t i = 0; i <= t->mask; i++) {
		if (!t->key[i])
			continue;
		uint64_t j = t->key[i] & (cap - 1);
		while (k[j])
			j = (j + 1) & (cap - 1);
		k[j] = t->key[i];
		id[j] = t->id[i];
	}
	free(t->key);
	free(t->id);
	t->key = k;
	t->id = id;
	t->mask = cap - 1;
	return 0;
}

/* Id of key, adding it when add is set; UINT32_MAX if absent (or out of
 * memory, with *fail set). */
static uint32_t ttab_get(ttab *t, uint64_t key, int add, int *fail)
{
	key = tkey(key);
	uint64_t i = key & t->mask;
	while (t->key[i]) {
		if (t->key[i] == key)
			return t->id[i];
		i = (i + 1) & t->mask;
	}
	if (!add)
		return UINT32_MAX;
	if ((uint64_t)(t->n + 1) * 2 > t->mask + 1) {
		if (ttab_grow(t)) {
			*fail = 1;
			return UINT32_MAX;
		}
		return ttab_get(t, key, add, fail);
	}
	if (t->n == t->ncap) {
		uint32_t nc = t->ncap ? t->ncap * 2 : 1 << 16;
		uint64_t *k = realloc(t->keys, (size_t)nc * sizeof(*k));
		if (!k) {
			*fail = 1;
			return UINT32_MAX;
		}
		t->keys = k;
		uint32_t *f = realloc(t->freq, (size_t)nc * sizeof(*f));
		if (!f) {
			*fail = 1;
			return UINT32_MAX;
		}
		t->freq = f;
		uint64_t *l = realloc(t->labs, (size_t)nc * sizeof(*l));
		if (!l) {
			*fail = 1;
			return UINT32_MAX;
		}
		t->labs = l;
		t->ncap = nc;
	}
	t->key[i] = key;
	t->id[i] = t->n;
	t->keys[t->n] = key;
	t->freq[t->n] = 0;
	t->labs[t->n] = 0;
	return t->n++;
}

/* ---- a data set: attribute ids per token ---- */

typedef struct dset {
	uint32_t nsent;
	uint32_t *sfirst;     /* [nsent + 1] first token of each sentence */
	uint32_t ntok;
	uint32_t *gold;       /* [ntok] label ids (UINT32_MAX: unknown label) */
	uint64_t *toff;       /* [ntok + 1] token t's occurrences: attr (occ) [toff[t], toff[t+1]) */
	uint32_t *attr;       /* [nattr_total] while building; then NULL */
	uint64_t *occ;        /* [nattr_total] the same occurrences packed (occ_pack) */
	uint64_t nattr_total, acap;
	uint32_t maxlen;
	uint32_t G;           /* word groups of each token (0: none, all in occ) */
	uint32_t *tgrp;       /* [ntok * G] the token's word groups (gtab) */
} dset;

static void dset_free(dset *d)
{
	free(d->sfirst);
	free(d->gold);
	free(d->toff);
	free(d->attr);
	free(d->occ);
	free(d->tgrp);
}

/* ---- word groups ----
 *
 * Most of a token's attributes come from word templates (tfeat.h): their
 * keys are a function of the word they read at a fixed offset. Training
 * keeps them once per (word, offset), a word group, and a token lists its
 * G groups instead of their attributes (about 35 of 45). Each evaluation
 * sums a group's weights once into a row of label scores, which a token
 * adds as a whole; the gradient gathers a token's label marginals in its
 * groups' rows and spreads each row over the group's parameters once.
 * The objective and gradient are those of the flat attributes, summed in
 * another order. */

typedef struct gtab {
	dict_t *words;        /* word strings; word id = dict id + 2 (0, 1: boundaries) */
	uint32_t *gid;        /* [wcap * TFEAT_WORD_OFFSETS] group of (word, offset + 3), UINT32_MAX none */
	uint32_t wcap;
	uint32_t ng, gcap;
	uint64_t *goff;       /* [ng + 1] group g's attributes [goff[g], goff[g+1]) */
	uint32_t *gattr;      /* [na] attribute ids; NULL once packed */
	uint64_t *gocc;       /* [na] the same packed (occ_pack) */
	uint32_t na, acap;
	double *gs;           /* [ng * L] each group's label scores under the current x */
	int off[TFEAT_WORD_OFFSETS]; /* the offsets of the groups a token has, in order */
	uint32_t G;
} gtab;

static void gtab_free(gtab *g)
{
	dict_free(g->words);
	free(g->gid);
	free(g->goff);
	free(g->gattr);
	free(g->gocc);
	free(g->gs);
}

/* No groups yet, for the word templates in mask. 0, or ERR_NOMEM. */
static int gtab_init(gtab *g, uint64_t mask)
{
	memset(g, 0, sizeof(*g));
	g->G = tfeat_word_offsets(mask, g->off);
	g->words = dict_new();
	g->goff = malloc(sizeof(*g->goff));
	if (!g->words || !g->goff)
		return ERR_NOMEM;
	g->goff[0] = 0;
	return 0;
}

/* The group of the word the templates of offset o read from token i of
 * tok[0..n) (its layers ly, hashes h), made when new: its attributes are
 * those of the word keys of the templates of offset o, registered in tab.
 * UINT32_MAX when out of memory (or past 2^30 groups or group
 * attributes). */
static uint32_t gtab_group(gtab *g, const tagger_t *t, ttab *tab, const tfeat_tok *tok,
			   uint32_t n, uint32_t i, int o, const tfeat_layers *ly,
			   const uint64_t *h)
{
	int64_t p = (int64_t)i + o;
	int where = p < 0 ? -1 : p >= n ? 1 : 0;
	uint32_t w = where < 0 ? 0 : where > 0 ? 1 : UINT32_MAX;
	static const uint32_t zcl[1];
	static const uint16_t zvc[TFEAT_VC_MAX_LEVELS];
	static const uint8_t zlex[1];

	if (where == 0) {
		uint32_t d = dict_add(g->words, tok[p].s, tok[p].len);
		if (d == DICT_NONE || d > UINT32_MAX / TFEAT_WORD_OFFSETS - 3)
			return UINT32_MAX;
		w = d + 2;
	}
	if (w >= g->wcap) {
		uint32_t nc = g->wcap ? g->wcap : 1024;
		while (nc <= w)
			nc *= 2;
		uint32_t *tmp = realloc(g->gid, (size_t)nc * TFEAT_WORD_OFFSETS * sizeof(*tmp));
		if (!tmp)
			return UINT32_MAX;
		memset(tmp + (size_t)g->wcap * TFEAT_WORD_OFFSETS, 0xff,
		       (size_t)(nc - g->wcap) * TFEAT_WORD_OFFSETS * sizeof(*tmp));
		g->gid = tmp;
		g->wcap = nc;
	}
	uint32_t *slot = &g->gid[(size_t)w * TFEAT_WORD_OFFSETS + (uint32_t)(o + 3)];
	if (*slot != UINT32_MAX)
		return *slot;

	/* the word's layers, as the word cache gives them (tagger_wcache.c) */
	tfeat_layers l1 = { 0 };
	if (ly->cl)
		l1.cl = where == 0 ? ly->cl + p : zcl;
	if (ly->vc) {
		l1.vc = where == 0 ? ly->vc + (size_t)p * ly->vclev : zvc;
		l1.vclev = ly->vclev;
	}
	if (ly->lex)
		l1.lex = where == 0 ? ly->lex + p : zlex;
	uint64_t keys[TFEAT_MAX_WORD_KEYS];
	uint8_t cnt[TF_NTEMPLATES];
	tfeat_word_keys(t->mask, where == 0 ? tok + p : NULL, &l1,
			where == 0 ? h + (size_t)p * TFEAT_NH : NULL, where, keys, cnt);
	if (g->ng + 1 >= g->gcap) {
		if (g->gcap >= 1u << 30)
			return UINT32_MAX;
		uint32_t nc = g->gcap ? g->gcap * 2 : 1 << 14;
		uint64_t *tmp = realloc(g->goff, ((size_t)nc + 1) * sizeof(*tmp));
		if (!tmp)
			return UINT32_MAX;
		g->goff = tmp;
		g->gcap = nc;
	}
	uint32_t k = 0;
	for (int id = 0; id < TF_NTEMPLATES; id++) {
		int d;
		if (!cnt[id])
			continue;
		if (!tfeat_template_word(id, &d) || d != o) {
			k += cnt[id];
			continue;
		}
		for (uint32_t q = 0; q < cnt[id]; q++, k++) {
			int fail = 0;
			uint32_t a = ttab_get(tab, tagger_key(keys[k], t->hash_bits), 1, &fail);
			if (fail)
				return UINT32_MAX;
			if (g->na == g->acap) {
				if (g->acap >= 1u << 30)
					return UINT32_MAX;
				uint32_t nc = g->acap ? g->acap * 2 : 1 << 16;
				uint32_t *tmp = realloc(g->gattr, (size_t)nc * sizeof(*tmp));
				if (!tmp)
					return UINT32_MAX;
				g->gattr = tmp;
				g->acap = nc;
			}
			g->gattr[g->na++] = a;
		}
	}
	g->goff[++g->ng] = g->na;
	*slot = g->ng - 1;
	return *slot;
}

/* Rewrites n lists of attribute ids, list i ids[off[i], off[i + 1]),
 * through map (UINT32_MAX: drop), in place. Returns their new total. */
static uint64_t remap_lists(uint64_t *off, uint32_t n, uint32_t *ids, const uint32_t *map)
{
	uint64_t w = 0;

	for (uint32_t i = 0; i < n; i++) {
		uint64_t from = off[i], to = off[i + 1];
		off[i] = w;
		for (uint64_t k = from; k < to; k++) {
			uint32_t a = map[ids[k]];
			if (a != UINT32_MAX)
				ids[w++] = a;
		}
	}
	off[n] = w;
	return w;
}

/* Extracts every sentence of c: with add set, registers keys in tab with
 * their frequency and labels; without, drops unknown keys. With gt (only
 * with add set), the word templates' attributes go to word groups. */
static int dset_build(dset *d, const conll_corpus *c, const tagger_t *t,
		      ttab *tab, int add, gtab *gt, err_t *e)
{
	tagger_ws *ws = tagger_ws_new(t);
	tfeat_tok *tok = NULL;
	uint32_t tcap = 0;
	int rc = 0, fail = 0;
	tdoc_t *doc = NULL;

	memset(d, 0, sizeof(*d));
	if (!ws)
		return err_set(e, ERR_NOMEM, "out of memory");

	d->nsent = c->nsent;
	d->ntok = c->nrow;
	d->sfirst = malloc(((size_t)c->nsent + 1) * sizeof(*d->sfirst));
	d->gold = malloc(((size_t)c->nrow + 1) * sizeof(*d->gold));
	d->toff = malloc(((size_t)c->nrow + 1) * sizeof(*d->toff));
	if (gt) {
		d->G = gt->G;
		d->tgrp = malloc(((size_t)c->nrow * gt->G + 1) * sizeof(*d->tgrp));
	}
	if (!d->sfirst || !d->gold || !d->toff || (gt && !d->tgrp)) {
		rc = err_set(e, ERR_NOMEM, "out of memory");
		goto out;
	}
	uint32_t tpos = 0;
	for (uint32_t s = 0; s < c->nsent; s++) {
		const conll_sent *cs = &c->sent[s];
		uint32_t n = cs->n;
		tfeat_layers ly;
		d->sfirst[s] = tpos;
		if (n > d->maxlen)
			d->maxlen = n;
		if (tagger_tok_reserve(&tok, &tcap, n)) {
			rc = err_set(e, ERR_NOMEM, "out of memory");
			goto out;
		}
		/* the doc template: each -DOCSTART- block is a document */
		if ((rc = tagger_conll_doc(t, ws, c, s, &doc, e)))
			goto out;
		for (uint32_t i = 0; i < n; i++)
			tok[i].s = conll_token(c, cs->first + i, &tok[i].len);
		if (tagger_ws_reserve(ws, t->nlab, n)) {
			rc = err_set(e, ERR_NOMEM, "out of memory");
			goto out;
		}
		rc = tagger_layers(t, ws, tok, n, &ly, e);
		if (rc)
			goto out;
		/* (ws->wh has room for n tokens' hashes: tagger_ws_reserve) */
		if (gt)
			for (uint32_t i = 0; i < n; i++)
				tfeat_token_hashes(&tok[i], ws->wh + (size_t)i * TFEAT_NH);
		if (gt ? tfeat_extract_split(t->mask, tok, n, &ly, ws->wh, &ws->fw) :
			 tfeat_extract(t->mask, tok, n, &ly, &ws->fw)) {
			rc = err_set(e, ERR_NOMEM, "out of memory");
			goto out;
		}
		if (d->nattr_total + ws->fw.nkeys > d->acap) {
			uint64_t nc = d->acap ? d->acap : 1 << 20;
			while (nc < d->nattr_total + ws->fw.nkeys)
				nc *= 2;
			uint32_t *tmp = realloc(d->attr, nc * sizeof(*tmp));
			if (!tmp) {
				rc = err_set(e, ERR_NOMEM, "out of memory");
				goto out;
			}
			d->attr = tmp;
			d->acap = nc;
		}
		for (uint32_t i = 0; i < n; i++) {
			const conll_row *r = &c->row[cs->first + i];
			uint32_t g = UINT32_MAX;
			if (r->tag != CONLL_NO_TAG) {
				size_t tl;
				const char *ts = dict_str(c->tags, r->tag, &tl);
				g = ts ? dict_get(t->labels, ts, tl) : UINT32_MAX;
			}
			d->gold[tpos + i] = g;
			d->toff[tpos + i] = d->nattr_total;
			for (uint32_t j = 0; gt && j < gt->G; j++) {
				uint32_t q = gtab_group(gt, t, tab, tok, n, i, gt->off[j], &ly, ws->wh);
				if (q == UINT32_MAX) {
					rc = err_set(e, ERR_NOMEM, "out of memory");
					goto out;
				}
				d->tgrp[(size_t)(tpos + i) * gt->G + j] = q;
				for (uint64_t k = gt->goff[q]; k < gt->goff[q + 1]; k++) {
					uint32_t id = gt->gattr[k];
					tab->freq[id]++;
					if (g != UINT32_MAX)
						tab->labs[id] |= (uint64_t)1 << g;
				}
			}
			for (uint32_t k = ws->fw.off[i]; k < ws->fw.off[i + 1]; k++) {
				uint64_t key = tagger_key(ws->fw.keys[k], t->hash_bits);
				uint32_t id = ttab_get(tab, key, add, &fail);
				if (fail) {
					rc = err_set(e, ERR_NOMEM, "out of memory");
					goto out;
				}
				if (id == UINT32_MAX)
					continue;
				if (add) {
					tab->freq[id]++;
					if (g != UINT32_MAX)
						tab->labs[id] |= (uint64_t)1 << g;
				}
				d->attr[d->nattr_total++] = id;
			}
		}
		tpos += n;
	}
	d->sfirst[c->nsent] = tpos;
	d->toff[tpos] = d->nattr_total;
out:
	free(tok);
	tagger_ws_free(ws);
	tdoc_free(doc);
	return rc;
}

/* Moves a seeded random fraction of d's sentences into h. */
static int dset_split(dset *d, dset *h, double frac, uint64_t seed)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	uint8_t *pick = malloc((size_t)d->nsent + 1);
	dset a, b;
	int rc = ERR_NOMEM;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	if (!rng || !pick)
		goto out;
	gsl_rng_set(rng, (unsigned long)seed ^ 0x5eedUL);
	uint32_t nh = 0, th = 0;
	uint64_t ah = 0;
	for (uint32_t s = 0; s < d->nsent; s++) {
		pick[s] = gsl_rng_uniform(rng) < frac;
		if (pick[s]) {
			nh++;
			th += d->sfirst[s + 1] - d->sfirst[s];
			ah += d->toff[d->sfirst[s + 1]] - d->toff[d->sfirst[s]];
		}
	}
	if (nh == 0 || nh == d->nsent) {
		rc = ERR_ARG;
		goto out;
	}
	dset *parts[2] = { &a, &b };
	uint32_t ns[2] = { d->nsent - nh, nh }, nt[2] = { d->ntok - th, th };
	uint64_t na[2] = { d->nattr_total - ah, ah };
	for (int k = 0; k < 2; k++) {
		dset *p = parts[k];
		p->sfirst = malloc(((size_t)ns[k] + 1) * sizeof(*p->sfirst));
		p->gold = malloc(((size_t)nt[k] + 1) * sizeof(*p->gold));
		p->toff = malloc(((size_t)nt[k] + 1) * sizeof(*p->toff));
		p->attr = malloc((na[k] + 1) * sizeof(*p->attr));
		p->G = d->G;
		if (d->G)
			p->tgrp = malloc(((size_t)nt[k] * d->G + 1) * sizeof(*p->tgrp));
		if (!p->sfirst || !p->gold || !p->toff || !p->attr || (d->G && !p->tgrp))
			goto out;
		p->acap = na[k] + 1;
	}
	for (uint32_t s = 0; s < d->nsent; s++) {
		dset *p = parts[pick[s]];
		uint32_t f = d->sfirst[s], n = d->sfirst[s + 1] - f;
		p->sfirst[p->nsent++] = p->ntok;
		if (n > p->maxlen)
			p->maxlen = n;
		for (uint32_t i = 0; i < n; i++) {
			p->gold[p->ntok] = d->gold[f + i];
			p->toff[p->ntok] = p->nattr_total;
			if (d->G)
				memcpy(p->tgrp + (size_t)p->ntok * d->G,
				       d->tgrp + (size_t)(f + i) * d->G, d->G * sizeof(*d->tgrp));
			for (uint64_t k = d->toff[f + i]; k < d->toff[f + i + 1]; k++)
				p->attr[p->nattr_total++] = d->attr[k];
			p->ntok++;
		}
	}
	for (int k = 0; k < 2; k++) {
		parts[k]->sfirst[parts[k]->nsent] = parts[k]->ntok;
		parts[k]->toff[parts[k]->ntok] = parts[k]->nattr_total;
	}
	dset_free(d);
	*d = a;
	*h = b;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	rc = 0;
out:
	dset_free(&a);
	dset_free(&b);
	free(pick);
	if (rng)
		gsl_rng_free(rng);
	return rc;
}

/* ---- the trainer's state ---- */

typedef struct trainer trainer;

typedef struct worker {
	trainer *tr;
	uint32_t s0, s1;      /* sentences [s0, s1) */
	double *g;            /* [P] */
	double *gg;           /* [gt.ng * L] marginals gathered per word group */
	double loss;
	double *sc, *a, *b, *c;
	uint32_t *lab;
	uint8_t *bp;
	double *vd;           /* [(maxlen + 1) * tagger_lpad(L)] Viterbi scratch */
	uint32_t d0, d1;      /* dev sentences [d0, d1) */
	uint64_t correct, npred, ngold; /* dev spans (worker_dev) */
	pthread_t th;
} worker;

struct trainer {
	tagger_t *t;          /* labels, resources; weights at the end */
	const tagger_train_opts *o;
	uint32_t L, nattr;
	uint64_t nw;          /* attribute-label parameters */
	size_t P;             /* nw + (L+1)L + L */
	uint32_t *aoff;       /* [nattr + 1] */
	uint8_t *alab;        /* [nw] */
	uint64_t *keys;       /* [nattr] */
	dset train, dev;
	gtab gt;              /* the word groups of train (and of a held-out dev) */
	double *emp;          /* [P] empirical counts */
	const double *x;      /* current parameters (during eval) */
	worker *w;
	int nthreads;
	/* early stopping */
	double *best;         /* [P] */
	double best_f1;
	int best_iter, since_best, iter;
	double t0;
	tagger_progress_fn progress;
	void *ctx;
	double last_obj;
	/* dev decoding (dev_f1_bias) */
	double dev_obias;
	double dev_trp[(TAGGER_MAX_LABELS + 1) *
		       ((TAGGER_MAX_LABELS + TAGGER_VB - 1) / TAGGER_VB * TAGGER_VB)];
};

/* An attribute occurrence packed for the sums: its first parameter j0
 * (bits 0-31), its label count n (bits 32-38) and, when n <= OCC_INLINE,
 * the labels themselves, 6 bits each from bit 39. Reading one occurrence
 * then costs one load from a sequential array instead of three dependent
 * random ones (the attribute's offset, its labels, its weights). */
#define OCC_INLINE 4u
#define OCC_AHEAD 8u /* occurrences whose weights are fetched ahead */

static uint64_t occ_pack(const trainer *tr, uint32_t a)
{
	uint32_t j0 = tr->aoff[a], n = tr->aoff[a + 1] - j0;
	uint64_t o = j0 | (uint64_t)n << 32;

	if (n <= OCC_INLINE)
		for (uint32_t m = 0; m < n; m++)
			o |= (uint64_t)tr->alab[j0 + m] << (39 + 6 * m);
	return o;
}

/* The label of an occurrence's m-th parameter. */
static inline uint32_t occ_label(const trainer *tr, uint64_t o, uint32_t m)
{
	uint32_t n = (uint32_t)(o >> 32) & 127;

	if (n <= OCC_INLINE)
		return (uint32_t)(o >> (39 + 6 * m)) & 63;
	return tr->alab[(uint32_t)o + m];
}

/* Replaces the groups' attribute ids by packed occurrences, and makes
 * room for their scores. */
static int gtab_pack(gtab *g, const trainer *tr)
{
	g->gocc = malloc(((size_t)g->na + 1) * sizeof(*g->gocc));
	g->gs = malloc(((size_t)g->ng * tr->L + 1) * sizeof(*g->gs));
	if (!g->gocc || !g->gs)
		return ERR_NOMEM;
	for (uint32_t k = 0; k < g->na; k++)
		g->gocc[k] = occ_pack(tr, g->gattr[k]);
	free(g->gattr);
	g->gattr = NULL;
	return 0;
}

/* Replaces d's attribute ids by packed occurrences. */
static int dset_pack(dset *d, const trainer *tr)
{
	if (!d->attr)
		return 0;
	/* in place, from the end: occ[k] covers attr[2k] and attr[2k + 1],
	 * which are read before (k > 0) or just now (k = 0) */
	uint64_t *occ = realloc(d->attr, (d->nattr_total + 1) * sizeof(*occ));
	if (!occ)
		return ERR_NOMEM;
	for (uint64_t k = d->nattr_total; k-- > 0;) {
		uint32_t a;
		memcpy(&a, (const char *)occ + k * sizeof(a), sizeof(a));
		occ[k] = occ_pack(tr, a);
	}
	d->occ = occ;
	d->attr = NULL;
	d->acap = 0;
	return 0;
}

/* row[y] += the weight of occurrence o for label y, for each of its labels. */
static inline void occ_add(const trainer *tr, double *restrict row, const double *x,
			   uint64_t o)
{
	uint32_t j0 = (uint32_t)o, nl = (uint32_t)(o >> 32) & 127;

	if (nl == tr->L) {
		/* every label, in order (labels are kept sorted) */
		tagger_add(row, x + j0, nl);
	} else if (nl <= OCC_INLINE) {
		uint64_t l = o >> 39;
		for (uint32_t m = 0; m < nl; m++, l >>= 6)
			row[l & 63] += x[j0 + m];
	} else {
		for (uint32_t m = 0; m < nl; m++)
			row[tr->alab[j0 + m]] += x[j0 + m];
	}
}

/* The gradient of occurrence o's parameters: g[param of label y] += p[y]. */
static inline void occ_spread(const trainer *tr, double *g, const double *restrict p,
			      uint64_t o)
{
	uint32_t j0 = (uint32_t)o, nl = (uint32_t)(o >> 32) & 127;

	if (nl == tr->L) {
		tagger_add(g + j0, p, nl);
	} else if (nl <= OCC_INLINE) {
		uint64_t l = o >> 39;
		for (uint32_t m = 0; m < nl; m++, l >>= 6)
			g[j0 + m] += p[l & 63];
	} else {
		for (uint32_t m = 0; m < nl; m++)
			g[j0 + m] += p[tr->alab[j0 + m]];
	}
}

/* Each word group's label scores under x, into gt.gs. */
static void group_scores(trainer *tr, const double *x)
{
	gtab *gt = &tr->gt;
	uint32_t L = tr->L;

	for (uint32_t q = 0; q < gt->ng; q++) {
		double *row = gt->gs + (size_t)q * L;
		for (uint32_t y = 0; y < L; y++)
			row[y] = 0;
		for (uint64_t k = gt->goff[q]; k < gt->goff[q + 1]; k++)
			occ_add(tr, row, x, gt->gocc[k]);
	}
}

/* State scores of sentence s under x (L-major per token); the rows of the
 * tokens' word groups are group_scores' under the same x. */
static void state_scores(const trainer *tr, const dset *d, uint32_t s,
			 const double *x, double *sc)
{
	uint32_t L = tr->L, G = d->G;
	uint32_t f = d->sfirst[s], n = d->sfirst[s + 1] - f;
	uint64_t kend = d->toff[f + n];
	const double *gs = tr->gt.gs;

	for (uint32_t i = 0; i < n; i++) {
		double *row = sc + (size_t)i * L;
		const uint32_t *tg = d->tgrp + (size_t)(f + i) * G;
		if (G) {
			memcpy(row, gs + (size_t)tg[0] * L, L * sizeof(*row));
			for (uint32_t j = 1; j < G; j++)
				tagger_add(row, gs + (size_t)tg[j] * L, L);
		} else {
			for (uint32_t y = 0; y < L; y++)
				row[y] = 0;
		}
		for (uint64_t k = d->toff[f + i]; k < d->toff[f + i + 1]; k++) {
			if (k + OCC_AHEAD < kend)
				__builtin_prefetch(x + (uint32_t)d->occ[k + OCC_AHEAD]);
			occ_add(tr, row, x, d->occ[k]);
		}
	}
}

/* g[y] += a * e[y] * q[y] for y < L, rounded as written (left to right),
 * two at a time where there is SSE2. */
static inline void add_scaled_product(double *restrict g, const double *restrict e,
				      const double *restrict q, double a, uint32_t L)
{
	uint32_t y = 0;

#if defined(__SSE2__) && !defined(TAGGER_NO_SIMD)
	__m128d av = _mm_set1_pd(a);
	for (; y + 2 <= L; y += 2) {
		__m128d v = _mm_mul_pd(_mm_mul_pd(av, _mm_loadu_pd(e + y)), _mm_loadu_pd(q + y));
		_mm_storeu_pd(g + y, _mm_add_pd(_mm_loadu_pd(g + y), v));
	}
#endif
	for (; y < L; y++)
		g[y] += a * e[y] * q[y];
}

static void *worker_grad(void *arg)
{
	worker *w = arg;
	trainer *tr = w->tr;
	const dset *d = &tr->train;
	const double *x = tr->x;
	uint32_t L = tr->L, G = d->G;
	const double *trw = x + tr->nw, *ew = trw + (size_t)(L + 1) * L;
	double etr[(TAGGER_MAX_LABELS + 1) * TAGGER_MAX_LABELS], eew[TAGGER_MAX_LABELS];
	double *g = w->g, *gtr = g + tr->nw, *gend = gtr + (size_t)(L + 1) * L;

	memset(g, 0, tr->P * sizeof(*g));
	if (G)
		memset(w->gg, 0, (size_t)tr->gt.ng * L * sizeof(*w->gg));
	w->loss = 0;
	for (uint32_t k = 0; k < (L + 1) * L; k++)
		etr[k] = exp(trw[k]);
	for (uint32_t y = 0; y < L; y++)
		eew[y] = exp(ew[y]);
	for (uint32_t s = w->s0; s < w->s1; s++) {
		uint32_t f = d->sfirst[s], n = d->sfirst[s + 1] - f;
		if (n == 0)
			continue;
		uint64_t kend = d->toff[f + n];
		state_scores(tr, d, s, x, w->sc);
		/* score of the gold path */
		double gs = 0;
		uint32_t prev = L;
		for (uint32_t i = 0; i < n; i++) {
			uint32_t y = d->gold[f + i];
			gs += w->sc[(size_t)i * L + y] + trw[(size_t)prev * L + y];
			prev = y;
		}
		gs += ew[prev];
		double zp;
		double logz = tagger_forward_backward(w->sc, etr, eew, L, n, w->a, w->b,
						   w->c, &zp);
		w->loss += logz - gs;
		double izp = 1.0 / zp;
		for (uint32_t i = 0; i < n; i++) {
			const double *ai = w->a + (size_t)i * L, *bi = w->b + (size_t)i * L;
			double p[TAGGER_MAX_LABELS];
			for (uint32_t y = 0; y < L; y++)
				p[y] = ai[y] * bi[y] * izp;
			for (uint32_t j = 0; j < G; j++)
				tagger_add(w->gg + (size_t)d->tgrp[(size_t)(f + i) * G + j] * L, p, L);
			for (uint64_t k = d->toff[f + i]; k < d->toff[f + i + 1]; k++) {
				if (k + OCC_AHEAD < kend)
					__builtin_prefetch(g + (uint32_t)d->occ[k + OCC_AHEAD], 1);
				occ_spread(tr, g, p, d->occ[k]);
			}
			if (i == 0) {
				for (uint32_t y = 0; y < L; y++)
					gtr[(size_t)L * L + y] += p[y];
			} else {
				const double *ap = w->a + (size_t)(i - 1) * L;
				const double *es = w->sc + (size_t)i * L;
				double q[TAGGER_MAX_LABELS];
				double ic = izp / w->c[i];
				for (uint32_t y = 0; y < L; y++)
					q[y] = es[y] * bi[y] * ic;
				for (uint32_t pl = 0; pl < L; pl++)
					add_scaled_product(gtr + (size_t)pl * L, etr + (size_t)pl * L,
							   q, ap[pl], L);
			}
			if (i == n - 1)
				for (uint32_t y = 0; y < L; y++)
					gend[y] += p[y];
		}
	}
	/* each group's gathered marginals to its parameters */
	for (uint32_t q = 0; G && q < tr->gt.ng; q++)
		for (uint64_t k = tr->gt.goff[q]; k < tr->gt.goff[q + 1]; k++)
			occ_spread(tr, g, w->gg + (size_t)q * L, tr->gt.gocc[k]);
	return NULL;
}

/* Runs fn on every worker, the first in this thread (and any whose
 * thread could not be started). */
static void run_workers(trainer *tr, void *(*fn)(void *))
{
	int started = 0;

	for (int i = 1; i < tr->nthreads; i++) {
		if (pthread_create(&tr->w[i].th, NULL, fn, &tr->w[i]) != 0)
			break;
		started = i;
	}
	fn(&tr->w[0]);
	for (int i = 1; i <= started; i++)
		pthread_join(tr->w[i].th, NULL);
	for (int i = started + 1; i < tr->nthreads; i++)
		fn(&tr->w[i]);
}

static double tagger_eval(void *inst, const double *x, double *g, size_t P)
{
	trainer *tr = inst;
	double f = 0;

	tr->x = x;
	if (tr->train.G)
		group_scores(tr, x);
	run_workers(tr, worker_grad);
	/* sum in a fixed order: reproducible for a given thread count */
	memcpy(g, tr->w[0].g, P * sizeof(*g));
	f = tr->w[0].loss;
	for (int i = 1; i < tr->nthreads; i++) {
		const double *gi = tr->w[i].g;
		for (size_t k = 0; k < P; k++)
			g[k] += gi[k];
		f += tr->w[i].loss;
	}
	double c2 = tr->o->c2, reg = 0;
	for (size_t k = 0; k < P; k++) {
		g[k] += -tr->emp[k] + 2 * c2 * x[k];
		reg += x[k] * x[k];
	}
	return f + c2 * reg;
}

/* Entity-level F1 (percent) on the dev set with parameters x. */
static double dev_f1_bias(trainer *tr, const double *x, double obias);

static double dev_f1(trainer *tr, const double *x)
{
	return dev_f1_bias(tr, x, 0);
}

/* Decodes the worker's dev sentences under tr->x with tr->dev_obias
 * subtracted from the O label's scores and counts their spans. */
static void *worker_dev(void *arg)
{
	worker *w = arg;
	trainer *tr = w->tr;
	const dset *d = &tr->dev;
	const double *x = tr->x;
	uint32_t L = tr->L;

	w->correct = w->npred = w->ngold = 0;
	for (uint32_t s = w->d0; s < w->d1; s++) {
		uint32_t f = d->sfirst[s], n = d->sfirst[s + 1] - f;
		if (n == 0)
			continue;
		state_scores(tr, d, s, x, w->sc);
		if (tr->dev_obias != 0)
			for (uint32_t i = 0; i < n; i++)
				w->sc[(size_t)i * L] -= tr->dev_obias;
		tagger_viterbi_blocked(w->sc, tr->dev_trp, x + tr->nw + (size_t)(L + 1) * L,
				    L, n, w->vd, w->lab);
		tagger_count_spans(tr->t, d->gold + f, w->lab, n, &w->correct,
				   &w->npred, &w->ngold);
	}
	return NULL;
}

/* Same, with obias subtracted from the O label's scores. The counts are
 * integers, so the F1 is the same for any thread count. */
static double dev_f1_bias(trainer *tr, const double *x, double obias)
{
	uint32_t L = tr->L;
	uint64_t correct = 0, npred = 0, ngold = 0;
	/* the transitions with rows padded, for the blocked Viterbi (the same
	 * paths as tagger_viterbi) */
	uint32_t LP = tagger_lpad(L);

	for (uint32_t p = 0; p <= L; p++)
		for (uint32_t y = 0; y < LP; y++)
			tr->dev_trp[(size_t)p * LP + y] = y < L ? x[tr->nw + (size_t)p * L + y] : 0;
	tr->x = x;
	tr->dev_obias = obias;
	if (tr->dev.G)
		group_scores(tr, x);
	run_workers(tr, worker_dev);
	for (int i = 0; i < tr->nthreads; i++) {
		correct += tr->w[i].correct;
		npred += tr->w[i].npred;
		ngold += tr->w[i].ngold;
	}
	double p = npred ? (double)correct / npred : 0;
	double r = ngold ? (double)correct / ngold : 0;
	return p + r > 0 ? 200 * p * r / (p + r) : 0;
}

static uint64_t count_active(const trainer *tr, const double *x)
{
	uint64_t n = 0;
	for (uint64_t j = 0; j < tr->nw; j++)
		n += x[j] != 0;
	return n;
}

/* After an iteration: dev F1, best weights, patience. Returns nonzero to
 * stop. */
static int after_iteration(trainer *tr, const double *x, double obj, int k)
{
	tagger_progress pr;

	tr->iter = k;
	tr->last_obj = obj;
	memset(&pr, 0, sizeof(pr));
	pr.iter = k;
	pr.objective = obj;
	pr.dev_f1 = -1;
	if (tr->dev.nsent) {
		pr.dev_f1 = dev_f1(tr, x);
		if (pr.dev_f1 > tr->best_f1) {
			tr->best_f1 = pr.dev_f1;
			tr->best_iter = k;
			tr->since_best = 0;
			memcpy(tr->best, x, tr->P * sizeof(*x));
		} else {
			tr->since_best++;
		}
	} else {
		memcpy(tr->best, x, tr->P * sizeof(*x));
		tr->best_iter = k;
	}
	pr.best_f1 = tr->dev.nsent ? tr->best_f1 : -1;
	pr.best_iter = tr->best_iter;
	pr.elapsed = now() - tr->t0;
	pr.active = count_active(tr, x);
	if (tr->progress)
		tr->progress(&pr, tr->ctx);
	return tr->dev.nsent && tr->o->patience > 0 &&
	       tr->since_best >= tr->o->patience;
}

static int lbfgs_progress_cb(void *inst, const double *x, double fx, int k)
{
	return after_iteration(inst, x, fx, k);
}

/* ---- averaged perceptron ---- */

/* The parameter of occurrence o for label y, or -1. */
static int find_param(const trainer *tr, uint64_t o, uint32_t y)
{
	uint32_t n = (uint32_t)(o >> 32) & 127;

	for (uint32_t m = 0; m < n; m++)
		if (occ_label(tr, o, m) == y)
			return (int)((uint32_t)o + m);
	return -1;
}

static void perc_update(trainer *tr, double *w, double *u, double c,
			size_t j, double v)
{
	(void)tr;
	w[j] += v;
	u[j] += c * v;
}

static int train_perceptron(trainer *tr, err_t *e)
{
	const dset *d = &tr->train;
	uint32_t L = tr->L;
	size_t P = tr->P;
	double *w = calloc(P, sizeof(*w)), *u = calloc(P, sizeof(*u));
	double *avg = malloc(P * sizeof(*avg));
	uint32_t *order = malloc(((size_t)d->nsent + 1) * sizeof(*order));
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	worker *wk = &tr->w[0];
	double c = 1;
	int rc = 0;

	if (!w || !u || !avg || !order || !rng) {
		rc = err_set(e, ERR_NOMEM, "out of memory");
		goto out;
	}
	gsl_rng_set(rng, (unsigned long)tr->o->seed);
	for (uint32_t s = 0; s < d->nsent; s++)
		order[s] = s;
	for (int ep = 1; ep <= tr->o->max_iter; ep++) {
		uint64_t errors = 0;
		/* Fisher-Yates with the seeded generator */
		for (uint32_t s = d->nsent; s > 1; s--) {
			uint32_t j = (uint32_t)gsl_rng_uniform_int(rng, s);
			uint32_t tmp = order[s - 1];
			order[s - 1] = order[j];
			order[j] = tmp;
		}
		for (uint32_t k = 0; k < d->nsent; k++) {
			uint32_t s = order[k];
			uint32_t f = d->sfirst[s], n = d->sfirst[s + 1] - f;
			if (n == 0)
				continue;
			state_scores(tr, d, s, w, wk->sc);
			tagger_viterbi(wk->sc, w + tr->nw, w + tr->nw + (size_t)(L + 1) * L,
				    L, n, wk->bp, wk->lab);
			const uint32_t *gold = d->gold + f, *pred = wk->lab;
			int diff = 0;
			for (uint32_t i = 0; i < n; i++)
				diff |= gold[i] != pred[i];
			if (diff) {
				errors++;
				for (uint32_t i = 0; i < n; i++) {
					uint32_t gp = i ? gold[i - 1] : L, pp = i ? pred[i - 1] : L;
					if (gold[i] != pred[i] || gp != pp) {
						perc_update(tr, w, u, c, tr->nw + (size_t)gp * L + gold[i], 1);
						perc_update(tr, w, u, c, tr->nw + (size_t)pp * L + pred[i], -1);
					}
					if (gold[i] == pred[i])
						continue;
					for (uint64_t q = d->toff[f + i]; q < d->toff[f + i + 1]; q++) {
						uint64_t a = d->occ[q];
						int jg = find_param(tr, a, gold[i]);
						int jp = find_param(tr, a, pred[i]);
						if (jg >= 0)
							perc_update(tr, w, u, c, (size_t)jg, 1);
						if (jp >= 0)
							perc_update(tr, w, u, c, (size_t)jp, -1);
					}
				}
				size_t eoff = tr->nw + (size_t)(L + 1) * L;
				if (gold[n - 1] != pred[n - 1]) {
					perc_update(tr, w, u, c, eoff + gold[n - 1], 1);
					perc_update(tr, w, u, c, eoff + pred[n - 1], -1);
				}
			}
			c++;
		}
		for (size_t j = 0; j < P; j++)
			avg[j] = w[j] - u[j] / c;
		if (after_iteration(tr, avg, (double)errors, ep))
			break;
	}
out:
	free(w);
	free(u);
	free(avg);
	free(order);
	if (rng)
		gsl_rng_free(rng);
	return rc;
}

/* ---- word clusters (see cluster.c) ---- */
int tagger_learn_clusters(const conll_corpus *const *corpora, int ncorpora,
		       uint32_t nclusters, uint64_t seed, tagger_clusters **out,
		       err_t *e);

/* ---- putting it together ---- */

static int skeleton(const tagger_train_opts *o, const conll_corpus *train,
		    const conll_corpus *dev, tagger_t **out, err_t *e)
{
	tagger_t *t = calloc(1, sizeof(*t));
	int rc = 0;

	*out = NULL;
	if (!t)
		return err_set(e, ERR_NOMEM, "out of memory");
	t->labels = dict_new();
	if (!t->labels) {
		rc = err_set(e, ERR_NOMEM, "out of memory");
		goto fail;
	}
	/* "O" first, then the corpus's tags in order */
	if (dict_add(t->labels, "O", 1) == DICT_NONE) {
		rc = err_set(e, ERR_NOMEM, "out of memory");
		goto fail;
	}
	for (uint32_t i = 0; i < dict_size(train->tags); i++) {
		size_t n;
		const char *s = dict_str(train->tags, i, &n);
		if (dict_add(t->labels, s, n) == DICT_NONE) {
			rc = err_set(e, ERR_NOMEM, "out of memory");
			goto fail;
		}
	}
	if (dict_size(t->labels) > TAGGER_MAX_LABELS) {
		rc = err_set(e, ERR_ARG, "%s: %u labels; at most %u are supported",
			     train->name, dict_size(t->labels), TAGGER_MAX_LABELS);
		goto fail;
	}
	rc = tagger_label_meta(t);
	if (rc) {
		rc = err_set(e, rc, "%s: bad labels", train->name);
		goto fail;
	}
	t->mask = o->templates;
	t->hash_bits = o->hash_bits;
	if (o->trained && !(t->trained = strdup(o->trained))) {
		rc = err_set(e, ERR_NOMEM, "out of memory");
		goto fail;
	}
	if (o->gazetteer) {
		rc = gaz_read(o->gazetteer, &t->gaz, e);
		if (rc)
			goto fail;
	}
	if (o->lexicon && !(t->lex = tagger_lex_read(o->lexicon, e))) {
		rc = e ? e->code : ERR_IO;
		goto fail;
	}
	if (o->entities) {
		rc = tagger_load(o->entities, &t->ent, e);
		if (rc)
			goto fail;
		if (t->ent->ent) {
			rc = err_set(e, ERR_ARG, "%s: the entity model itself uses an entity model",
				     o->entities);
			goto fail;
		}
	}
	if (o->vclusters) {
		uint32_t lv[TFEAT_VC_MAX_LEVELS], nl = o->nvclevels;
		if (nl) {
			memcpy(lv, o->vclevels, nl * sizeof(*lv));
		} else {
			/* every column of the file */
			wclust_t *w = NULL;
			if ((rc = wclust_read(o->vclusters, &w, e)))
				goto fail;
			nl = w->nlev < TFEAT_VC_MAX_LEVELS ? w->nlev : TFEAT_VC_MAX_LEVELS;
			memcpy(lv, w->k, nl * sizeof(*lv));
			wclust_free(w);
		}
		if ((rc = tagger_vc_read(o->vclusters, lv, nl, o->vctop, &t->vc, e)))
			goto fail;
	}
	if (o->clusters) {
		conll_corpus *extra = NULL;
		if (o->cluster_text && (rc = conll_read(o->cluster_text, 0, &extra, e)))
			goto fail;
		const conll_corpus *cs[3] = { train, dev, extra };
		rc = tagger_learn_clusters(cs, 3, o->clusters, o->seed, &t->cl, e);
		conll_free(extra);
		if (rc)
			goto fail;
	}
	*out = t;
	return 0;
fail:
	tagger_free(t);
	return rc;
}

static void trainer_free(trainer *tr)
{
	dset_free(&tr->train);
	dset_free(&tr->dev);
	gtab_free(&tr->gt);
	free(tr->aoff);
	free(tr->alab);
	free(tr->keys);
	free(tr->emp);
	free(tr->best);
	if (tr->w) {
		for (int i = 0; i < tr->nthreads; i++) {
			free(tr->w[i].g);
			free(tr->w[i].gg);
			free(tr->w[i].sc);
			free(tr->w[i].a);
			free(tr->w[i].b);
			free(tr->w[i].c);
			free(tr->w[i].lab);
			free(tr->w[i].bp);
			free(tr->w[i].vd);
		}
		free(tr->w);
	}
}

/* Copies the weights of x into t: 32-bit keys (an attribute whose folded
 * key collides with an earlier one is dropped), weights quantised to 16
 * bits, zeros skipped. The in-memory model is exactly what loading its file
 * gives back. */
static int finish_model(trainer *tr, const double *x, tagger_t *t)
{
	uint32_t L = tr->L;
	uint64_t nw = 0;
	double maxw = 0;

	for (uint64_t j = 0; j < tr->nw; j++)
		if (fabs(x[j]) > maxw)
			maxw = fabs(x[j]);
	t->wscale = maxw > 0 ? maxw / 32767.0 : 1;
	t->key = malloc(((size_t)tr->nattr + 1) * sizeof(*t->key));
	t->aoff = malloc(((size_t)tr->nattr + 1) * sizeof(*t->aoff));
	t->alab = malloc(tr->nw + 1);
	t->aw = malloc((tr->nw + 1) * sizeof(*t->aw));
	t->qw = malloc((tr->nw + 1) * sizeof(*t->qw));
	t->trans = malloc((size_t)(L + 1) * L * sizeof(*t->trans));
	t->endw = malloc((size_t)L * sizeof(*t->endw));
	if (!t->key || !t->aoff || !t->alab || !t->aw || !t->qw || !t->trans || !t->endw)
		return ERR_NOMEM;
	/* a table of folded keys to find collisions */
	t->nattr = tr->nattr;
	if (tagger_table_alloc(t, tr->nattr))
		return ERR_NOMEM;
	uint32_t a2 = 0;
	for (uint32_t a = 0; a < tr->nattr; a++) {
		uint64_t start = nw;
		for (uint32_t j = tr->aoff[a]; j < tr->aoff[a + 1]; j++) {
			double q = nearbyint(x[j] / t->wscale);
			if (q == 0)
				continue;
			if (q > 32767)
				q = 32767;
			if (q < -32767)
				q = -32767;
			t->alab[nw] = tr->alab[j];
			t->qw[nw] = (int16_t)q;
			t->aw[nw] = (float)(q * t->wscale);
			nw++;
		}
		if (nw == start)
			continue;
		uint32_t k = tagger_fold(tr->keys[a]);
		uint64_t i = k & t->tab.mask;
		int dup = 0;
		while (t->tab.slot[i].attr != UINT32_MAX) {
			if (t->tab.slot[i].key == k) {
				dup = 1;
				break;
			}
			i = (i + 1) & t->tab.mask;
		}
		if (dup) {
			nw = start;
			continue;
		}
		t->tab.slot[i].key = k;
		t->tab.slot[i].attr = a2;
		t->key[a2] = k;
		t->aoff[a2] = (uint32_t)start;
		a2++;
	}
	t->aoff[a2] = (uint32_t)nw;
	t->nattr = a2;
	t->nw = nw;
	memcpy(t->trans, x + tr->nw, (size_t)(L + 1) * L * sizeof(double));
	memcpy(t->endw, x + tr->nw + (size_t)(L + 1) * L, (size_t)L * sizeof(double));
	return tagger_index_build(t) ? ERR_NOMEM : 0;
}

int tagger_train(const tagger_train_opts *o, const conll_corpus *train,
		 const conll_corpus *dev, tagger_t **out,
		 tagger_progress_fn progress, void *ctx,
		 tagger_train_stats *stats, err_t *e)
{
	trainer tr;
	tagger_t *t = NULL;
	ttab tab;
	uint32_t *map = NULL;
	int rc;

	*out = NULL;
	memset(&tr, 0, sizeof(tr));
	memset(&tab, 0, sizeof(tab));
	if (stats)
		memset(stats, 0, sizeof(*stats));
	if (!(o->holdout >= 0 && o->holdout < 1))
		return err_set(e, ERR_ARG, "holdout must be in [0, 1)");
	if (!dev && o->holdout > 0 && o->refit) {
		/* find the iteration count on a held-out part, then retrain on all */
		tagger_train_opts o1 = *o, o2 = *o;
		tagger_train_stats s1;
		o1.refit = 0;
		rc = tagger_train(&o1, train, NULL, out, progress, ctx, &s1, e);
		if (rc)
			return rc;
		tagger_free(*out);
		*out = NULL;
		o2.holdout = 0;
		o2.refit = 0;
		o2.obias = s1.obias;
		o2.obias_set = 1;
		o2.max_iter = s1.best_iter > 0 ? s1.best_iter : 1;
		o2.patience = 0;
		rc = tagger_train(&o2, train, NULL, out, progress, ctx, stats, e);
		if (rc == 0 && stats) {
			stats->best_f1 = s1.best_f1;
			stats->best_iter = s1.best_iter;
			stats->seconds += s1.seconds;
		}
		return rc;
	}
	if (train->nsent == 0)
		return err_set(e, ERR_EMPTY, "%s: no sentences to train on", train->name);
	if (o->threads < 1 || o->threads > 64 || o->max_iter < 1 || o->c2 < 0 ||
	    o->c1 < 0 || !isfinite(o->c1) || !isfinite(o->c2) || o->hash_bits > 40 ||
	    (o->hash_bits && o->hash_bits < 8) || o->templates == 0 ||
	    (o->rules & ~TAGGER_RULES_ALL) || !(o->tbias >= 0 && o->tbias <= 100))
		return err_set(e, ERR_ARG, "bad training options");
	tr.t0 = now();
	tr.o = o;
	tr.progress = progress;
	tr.ctx = ctx;
	rc = skeleton(o, train, dev, &t, e);
	if (rc)
		return rc;
	tr.t = t;
	tr.L = t->nlab;
	if (ttab_init(&tab)) {
		rc = err_set(e, ERR_NOMEM, "out of memory");
		goto out;
	}
	/* word groups for the CRF's sums (the perceptron updates weights
	 * sentence by sentence, so a group's scores would go stale) */
	int grouped = o->method == TAGGER_CRF && !o->flat;
	if (grouped && gtab_init(&tr.gt, t->mask)) {
		rc = err_set(e, ERR_NOMEM, "out of memory");
		goto out;
	}
	rc = dset_build(&tr.train, train, t, &tab, 1, grouped ? &tr.gt : NULL, e);
	if (rc)
		goto out;
	/* keep attributes seen min_freq times */
	map = malloc(((size_t)tab.n + 1) * sizeof(*map));
	if (!map) {
		rc = err_set(e, ERR_NOMEM, "out of memory");
		goto out;
	}
	uint32_t na = 0;
	uint64_t nw = 0;
	for (uint32_t i = 0; i < tab.n; i++) {
		if (tab.freq[i] >= o->min_freq && tab.labs[i]) {
			map[i] = na++;
			nw += (uint64_t)__builtin_popcountll(tab.labs[i]);
		} else {
			map[i] = UINT32_MAX;
		}
	}
	if (stats)
		stats->nattrs_seen = tab.n;
	tr.nattr = na;
	tr.nw = nw;
	tr.P = nw + (size_t)(tr.L + 1) * tr.L + tr.L;
	tr.aoff = malloc(((size_t)na + 1) * sizeof(*tr.aoff));
	tr.alab = malloc(nw + 1);
	tr.keys = malloc(((size_t)na + 1) * sizeof(*tr.keys));
	tr.emp = calloc(tr.P, sizeof(*tr.emp));
	tr.best = calloc(tr.P, sizeof(*tr.best));
	if (!tr.aoff || !tr.alab || !tr.keys || !tr.emp || !tr.best) {
		rc = err_set(e, ERR_NOMEM, "out of memory");
		goto out;
	}
	uint64_t j = 0;
	for (uint32_t i = 0; i < tab.n; i++) {
		if (map[i] == UINT32_MAX)
			continue;
		uint32_t a = map[i];
		tr.aoff[a] = (uint32_t)j;
		tr.keys[a] = tab.keys[i];
		for (uint32_t y = 0; y < tr.L; y++)
			if ((tab.labs[i] >> y) & 1)
				tr.alab[j++] = (uint8_t)y;
	}
	tr.aoff[na] = (uint32_t)j;
	tr.train.nattr_total = remap_lists(tr.train.toff, tr.train.ntok, tr.train.attr, map);
	if (grouped)
		tr.gt.na = (uint32_t)remap_lists(tr.gt.goff, tr.gt.ng, tr.gt.gattr, map);
	if (!dev && o->holdout > 0) {
		rc = dset_split(&tr.train, &tr.dev, o->holdout, o->seed);
		if (rc) {
			rc = err_set(e, rc, rc == ERR_ARG ?
				     "%s: too few sentences to hold out %.0f%% for early stopping" :
				     "out of memory", train->name, 100 * o->holdout);
			goto out;
		}
	} else if (dev && dev->nsent) {
		rc = dset_build(&tr.dev, dev, t, &tab, 0, NULL, e);
		if (rc)
			goto out;
		tr.dev.nattr_total = remap_lists(tr.dev.toff, tr.dev.ntok, tr.dev.attr, map);
	}
	free(map);
	map = NULL;
	ttab_free(&tab);
	memset(&tab, 0, sizeof(tab));
	if (dset_pack(&tr.train, &tr) || dset_pack(&tr.dev, &tr) ||
	    (grouped && gtab_pack(&tr.gt, &tr))) {
		rc = err_set(e, ERR_NOMEM, "out of memory");
		goto out;
	}
	/* empirical counts; gold labels must be known in training */
	{
		const dset *d = &tr.train;
		uint32_t L = tr.L;
		for (uint32_t s = 0; s < d->nsent; s++) {
			uint32_t f = d->sfirst[s], n = d->sfirst[s + 1] - f, prev = L;
			for (uint32_t i = 0; i < n; i++) {
				uint32_t y = d->gold[f + i];
				for (uint64_t k = d->toff[f + i]; k < d->toff[f + i + 1]; k++) {
					int jj = find_param(&tr, d->occ[k], y);
					if (jj >= 0)
						tr.emp[jj] += 1;
				}
				for (uint32_t q = 0; q < d->G; q++) {
					uint32_t gq = d->tgrp[(size_t)(f + i) * d->G + q];
					for (uint64_t k = tr.gt.goff[gq]; k < tr.gt.goff[gq + 1]; k++) {
						int jj = find_param(&tr, tr.gt.gocc[k], y);
						if (jj >= 0)
							tr.emp[jj] += 1;
					}
				}
				tr.emp[tr.nw + (size_t)prev * L + y] += 1;
				prev = y;
			}
			if (n)
				tr.emp[tr.nw + (size_t)(L + 1) * L + prev] += 1;
		}
	}
	/* workers: shards balanced by tokens */
	tr.nthreads = o->method == TAGGER_CRF ? o->threads : 1;
	if ((uint32_t)tr.nthreads > tr.train.nsent)
		tr.nthreads = (int)tr.train.nsent;
	tr.w = calloc((size_t)tr.nthreads, sizeof(*tr.w));
	if (!tr.w) {
		rc = err_set(e, ERR_NOMEM, "out of memory");
		goto out;
	}
	{
		uint32_t maxlen = tr.train.maxlen > tr.dev.maxlen ? tr.train.maxlen : tr.dev.maxlen;
		size_t cl = (size_t)maxlen * tr.L + 1;
		uint32_t s = 0;
		for (int i = 0; i < tr.nthreads; i++) {
			worker *w = &tr.w[i];
			w->tr = &tr;
			w->s0 = s;
			uint64_t target = (uint64_t)tr.train.ntok * (uint64_t)(i + 1) / (uint64_t)tr.nthreads;
			while (s < tr.train.nsent && (i == tr.nthreads - 1 || tr.train.sfirst[s] < target))
				s++;
			w->s1 = s;
			w->d0 = (uint32_t)((uint64_t)tr.dev.nsent * (uint64_t)i / (uint64_t)tr.nthreads);
			w->d1 = (uint32_t)((uint64_t)tr.dev.nsent * (uint64_t)(i + 1) / (uint64_t)tr.nthreads);
			w->g = o->method == TAGGER_CRF ? malloc(tr.P * sizeof(*w->g)) : NULL;
			w->gg = grouped ? malloc(((size_t)tr.gt.ng * tr.L + 1) * sizeof(*w->gg)) : NULL;
			w->sc = malloc(cl * sizeof(double));
			w->a = malloc(cl * sizeof(double));
			w->b = malloc(cl * sizeof(double));
			w->c = malloc(((size_t)maxlen + 1) * sizeof(double));
			w->lab = malloc(((size_t)maxlen + 1) * sizeof(uint32_t));
			w->bp = malloc(cl);
			w->vd = malloc(((size_t)maxlen + 1) * tagger_lpad(tr.L) * sizeof(double));
			if ((o->method == TAGGER_CRF && !w->g) || (grouped && !w->gg) || !w->sc || !w->a ||
			    !w->b || !w->c || !w->lab || !w->bp || !w->vd) {
				rc = err_set(e, ERR_NOMEM, "out of memory");
				goto out;
			}
		}
	}
	tr.best_f1 = -1;
	if (o->method == TAGGER_PERCEPTRON) {
		rc = train_perceptron(&tr, e);
		if (rc)
			goto out;
	} else {
		double *x = calloc(tr.P, sizeof(*x)), fx;
		lbfgs_param lp;
		if (!x) {
			rc = err_set(e, ERR_NOMEM, "out of memory");
			goto out;
		}
		lbfgs_defaults(&lp);
		lp.max_iter = o->max_iter;
		lp.c1 = o->c1;
		lp.delta = o->epsilon;
		lp.epsilon = o->epsilon;
		int lr = lbfgs_minimize(tr.P, x, &fx, tagger_eval, lbfgs_progress_cb, &tr, &lp);
		if (lr < 0 && lr != ERR_NUMERIC) {
			free(x);
			rc = err_set(e, lr, "training failed: %s", err_code_str(lr));
			goto out;
		}
		if (tr.iter == 0) /* no iteration completed: keep what we have */
			memcpy(tr.best, x, tr.P * sizeof(*x));
		free(x);
	}
	/* the O-label bias that maximises dev F1 (recall vs precision) */
	t->rules = o->rules;
	t->tbias = (o->rules & TAGGER_RULE_TARGET) ? o->tbias : 0;
	t->obias = o->obias_set ? o->obias : 0;
	if (!o->obias_set && o->tune_bias && tr.dev.nsent) {
		double best = dev_f1_bias(&tr, tr.best, 0);
		for (int k = 1; k <= 12; k++) {
			double b = 0.25 * k, f1 = dev_f1_bias(&tr, tr.best, b);
			if (f1 > best + 1e-9) {
				best = f1;
				t->obias = b;
			}
		}
		tr.best_f1 = best;
	}
	rc = finish_model(&tr, tr.best, t);
	if (rc) {
		rc = err_set(e, rc, "out of memory");
		goto out;
	}
	if (stats) {
		stats->iterations = tr.iter;
		stats->best_iter = tr.best_iter;
		stats->best_f1 = tr.dev.nsent ? tr.best_f1 : -1;
		stats->obias = t->obias;
		stats->seconds = now() - tr.t0;
		stats->nattrs = t->nattr;
		stats->nweights = t->nw;
		stats->ntokens = tr.train.ntok;
		stats->nsentences = tr.train.nsent;
	}
	*out = t;
	t = NULL;
out:
	free(map);
	ttab_free(&tab);
	trainer_free(&tr);
	tagger_free(t);
	return rc;
}
