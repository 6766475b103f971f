/* tagger_wcache: the word cache of a tagging workspace (tagger_int.h).
 *
 * A word's entry holds what every token that reads the word takes from
 * it: its hashes, its layer values (cluster path, vector cluster ids,
 * lexicon class) and, from the index values of its keys of each word
 * template (tfeat_word_keys, looked up once), its rows: for each offset
 * the word templates read at, the label sums of their values. A window's
 * tokens then add up the rows of the words they read (the sentence
 * boundary has entries of its own) and the values of their context keys
 * (tfeat_extract_split), looked up as before: the same scores as
 * tfeat_extract's keys summed in order, bit for bit (tagger_int.h says
 * why). Entries are checked on the whole word, never on a hash alone: a
 * wrong hit would change the output silently. */
#include <stdlib.h>
#include <string.h>

#include "learn/tagger_int.h"

/* ---- the model's fingerprint ---- */

static uint64_t fp_bytes(uint64_t fp, const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t v;
		memcpy(&v, b + i, 8);
		fp = (fp ^ v) * 0x9E3779B97F4A7C15ULL;
		fp ^= fp >> 29;
	}
	uint64_t v = 0;
	memcpy(&v, b + i, n - i);
	return dict_mix(fp ^ v ^ (uint64_t)n);
}

uint64_t tagger_stamp(const tagger_t *t)
{
	uint64_t fp = dict_mix(t->mask ^ ((uint64_t)t->hash_bits << 58));

	if (t->ix.slot)
		fp = fp_bytes(fp, t->ix.slot, (t->ix.mask + 1) * sizeof(*t->ix.slot));
	if (t->cl) {
		fp = fp_bytes(fp, t->cl->key, (t->cl->mask + 1) * sizeof(*t->cl->key));
		fp = fp_bytes(fp, t->cl->path, (t->cl->mask + 1) * sizeof(*t->cl->path));
	}
	if (t->vc) {
		fp = fp_bytes(fp, &t->vc->nlev, sizeof(t->vc->nlev));
		fp = fp_bytes(fp, t->vc->key, (t->vc->mask + 1) * sizeof(*t->vc->key));
		fp = fp_bytes(fp, t->vc->id, (t->vc->mask + 1) * t->vc->nlev * sizeof(*t->vc->id));
	}
	if (t->lex) {
		uint32_t nf = dict_size(t->lex->forms);
		for (uint32_t i = 0; i < nf; i++) {
			size_t n;
			const char *s = dict_str(t->lex->forms, i, &n);
			fp = fp_bytes(fp, s, n);
			fp = fp_bytes(fp, &t->lex->cls[i], 1);
		}
	}
	return fp ? fp : 1;
}

/* ---- entries ---- */

static inline tagger_went *entry(const tagger_wcache *c, unsigned char *mem, size_t k)
{
	return (tagger_went *)(mem + k * c->stride);
}

/* Fills e for the word tok (where 0, hash its tfeat_hash) or the sentence
 * boundary before or after (where -1, 1). 0, or 1 if the word has more
 * values than an entry holds (never for the templates there are now). */
static int fill(const tagger_t *t, const tagger_wcache *c, tagger_went *e,
		const tagger_tok *tok, int where, uint64_t hash)
{
	uint64_t keys[TFEAT_MAX_WORD_KEYS];
	uint8_t cnt[TF_NTEMPLATES];
	tfeat_layers ly = { 0 };

	memset(e, 0, sizeof(*e));
	if (where == 0) {
		e->hash = hash;
		if (tok->len <= TAGGER_WC_MAXLEN) {
			e->len1 = (uint8_t)(tok->len + 1);
			memcpy(e->s, tok->s, tok->len);
		}
		tfeat_token_hashes(tok, e->h);
		/* the layers of the word, as tagger_layers finds them */
		if (t->cl || t->vc) {
			uint64_t wk = tagger_word_key(tok->s, tok->len);
			if (t->cl)
				e->cl = tagger_clusters_get(t->cl, wk);
			if (t->vc)
				tagger_vc_get(t->vc, tagger_vc_fold(wk), e->vc);
		}
		if (t->lex)
			e->lex = tagger_lex_get(t->lex, tok->s, tok->len);
	}
	if (t->cl)
		ly.cl = &e->cl;
	if (t->vc) {
		ly.vc = e->vc;
		ly.vclev = t->vc->nlev;
	}
	if (t->lex)
		ly.lex = &e->lex;
	uint32_t nk = tfeat_word_keys(t->mask, tok, &ly, e->h, where, keys, cnt);
	if (c->valoff + (size_t)nk * sizeof(uint32_t) > c->stride)
		return 1;
	uint8_t *st = (uint8_t *)(e + 1);
	uint32_t *val = (uint32_t *)((unsigned char *)e + c->valoff), k = 0;
	st[0] = 0;
	for (int id = 0; id < TF_NTEMPLATES; id++)
		if (c->slot[id] != UINT8_MAX) {
			k += cnt[id];
			st[c->slot[id] + 1] = (uint8_t)k;
		}
	/* the model keys wait in val for resolve(), their table slots
	 * fetched meanwhile */
	for (uint32_t q = 0; q < nk; q++) {
		val[q] = tagger_fold(tagger_key(keys[q], t->hash_bits));
		__builtin_prefetch(&t->ix.slot[val[q] & t->ix.mask]);
	}
	e->nval = (uint16_t)nk;
	e->pending = 1;
	return 0;
}

/* The index values of a filled entry's keys: done for all the words of a
 * window at once, so that their table slots arrive meanwhile. */
static void resolve(const tagger_t *t, const tagger_wcache *c, tagger_went *e)
{
	uint32_t *val = (uint32_t *)((unsigned char *)e + c->valoff);
	uint32_t L = t->nlab;
	const uint8_t *st = tagger_went_start(e);
	double row[7 * TAGGER_MAX_LABELS];

	for (uint32_t q = 0; q < e->nval; q++) {
		val[q] = tagger_index_get(&t->ix, val[q]);
		if (!(val[q] & TAGGER_IX_ONE)) /* its record, read below */
			__builtin_prefetch(t->ix.rec + val[q]);
	}
	/* the rows: each slot's values summed into the row of its offset;
	 * they take the place of the values */
	memset(row, 0, (size_t)c->G * L * sizeof(*row));
	for (uint32_t sl = 0; sl < c->ns; sl++)
		tagger_value_sums_l(t, st[sl], st[sl + 1], val,
				    row + (size_t)c->sgrp[sl] * L, L);
	memcpy((unsigned char *)e + c->rowoff, row, (size_t)c->G * L * sizeof(*row));
	e->pending = 0;
}

static void cache_clear(tagger_wcache *c)
{
	free(c->raw);
	free(c->mru);
	free(c->bound);
	memset(c, 0, sizeof(*c));
}

/* Makes c the cache of t: its layout, no words, the boundary entries. 0,
 * or ERR_NOMEM (c then unused). */
static int cache_init(tagger_wcache *c, const tagger_t *t)
{
	uint32_t ns = 0, maxv = 0, nlev = t->vc ? t->vc->nlev : 0;

	cache_clear(c);
	memset(c->slot, UINT8_MAX, sizeof(c->slot));
	memset(c->sgrp, UINT8_MAX, sizeof(c->sgrp));
	c->G = tfeat_word_offsets(t->mask, c->goff);
	for (int id = 0; id < TF_NTEMPLATES; id++) {
		int d;
		if (!((t->mask >> id) & 1) || !tfeat_template_word(id, &d))
			continue;
		uint32_t g = 0;
		while (c->goff[g] != d) /* one of them: tfeat_word_offsets */
			g++;
		c->sgrp[ns] = (uint8_t)g;
		c->slot[id] = (uint8_t)ns++;
		maxv += tfeat_word_max_keys(id, nlev);
	}
	c->ns = ns;
	if (maxv > TFEAT_MAX_WORD_KEYS)
		maxv = TFEAT_MAX_WORD_KEYS;
	c->valoff = (uint32_t)((sizeof(tagger_went) + ns + 1 + 3) / 4 * 4);
	c->rowoff = (c->valoff + 7) / 8 * 8;
	uint32_t vend = c->valoff + maxv * (uint32_t)sizeof(uint32_t);
	uint32_t rend = c->rowoff + c->G * t->nlab * (uint32_t)sizeof(double);
	c->stride = ((vend > rend ? vend : rend) + 63) / 64 * 64;
	/* zeroed (every entry empty) and aligned by hand: calloc leaves the
	 * pages of entries never used untouched, so memory grows with the
	 * words seen, up to the whole cache */
	c->raw = calloc((size_t)2 * TAGGER_WC_SETS * c->stride + 64, 1);
	c->mem = c->raw ? c->raw + (64 - (uintptr_t)c->raw % 64) % 64 : NULL;
	c->mru = calloc(TAGGER_WC_SETS, 1);
	c->bound = aligned_alloc(64, (size_t)2 * c->stride);
	if (!c->mem || !c->mru || !c->bound ||
	    fill(t, c, entry(c, c->bound, 0), NULL, -1, 0) ||
	    fill(t, c, entry(c, c->bound, 1), NULL, 1, 0)) {
		cache_clear(c);
		return ERR_NOMEM;
	}
	resolve(t, c, entry(c, c->bound, 0));
	resolve(t, c, entry(c, c->bound, 1));
	c->stamp = t->stamp;
	return 0;
}

/* ws's cache for t, made (in place of the one used least lately) if it
 * has none; NULL if out of memory. */
static tagger_wcache *cache_for(tagger_ws *ws, const tagger_t *t)
{
	tagger_wcache *c = NULL;

	for (int k = 0; k < TAGGER_WC_CACHES && !c; k++)
		if (ws->wc[k].stamp == t->stamp)
			c = &ws->wc[k];
	if (!c) {
		c = &ws->wc[0];
		for (int k = 1; k < TAGGER_WC_CACHES; k++)
			if (ws->wc[k].last < c->last)
				c = &ws->wc[k];
		if (cache_init(c, t))
			return NULL;
	}
	c->last = ++ws->clock;
	return c;
}

/* A scratch entry for a word not kept (room for n of them this window);
 * NULL if out of memory. */
static tagger_went *scratch(tagger_ws *ws, const tagger_wcache *c, uint32_t n)
{
	if (ws->scrn == 0 && ws->scrbytes < (size_t)n * c->stride) {
		/* no scratch entry of this window is in use yet: it may move */
		void *tmp = realloc(ws->scr, (size_t)n * c->stride);
		if (!tmp)
			return NULL;
		ws->scr = tmp;
		ws->scrbytes = (size_t)n * c->stride;
	}
	return entry(c, ws->scr, ws->scrn++);
}

/* The entry of word tok: found, or filled in place of the entry of its
 * set used least lately that this window does not use, or in scratch.
 * NULL: tag the window without the cache. */
static inline size_t set_of(uint64_t hash)
{
	return (size_t)(hash >> 40) & (TAGGER_WC_SETS - 1);
}

static const tagger_went *word(const tagger_t *t, tagger_ws *ws, tagger_wcache *c,
			       const tagger_tok *tok, uint64_t hash, uint32_t n)
{
	tagger_went *e = NULL;

	if (tok->len <= TAGGER_WC_MAXLEN) {
		size_t set = set_of(hash);
		for (int w = 0; w < 2; w++) {
			tagger_went *x = entry(c, c->mem, 2 * set + (size_t)w);
			if (x->len1 == tok->len + 1 && x->hash == hash &&
			    memcmp(x->s, tok->s, tok->len) == 0) {
				c->mru[set] = (uint8_t)w;
				x->epoch = ws->epoch;
				c->hits++;
				return x;
			}
		}
		int w = !c->mru[set];
		for (int k = 0; k < 2 && !e; k++, w = !w) {
			tagger_went *x = entry(c, c->mem, 2 * set + (size_t)w);
			if (!x->len1 || x->epoch != ws->epoch)
				e = x;
		}
		if (e) {
			if (fill(t, c, e, tok, 0, hash)) {
				e->len1 = 0;
				return NULL;
			}
			e->epoch = ws->epoch;
			c->mru[set] = (uint8_t)(e == entry(c, c->mem, 2 * set + 1));
			c->misses++;
			return e;
		}
	}
	c->uncached++;
	if (!(e = scratch(ws, c, n)) || fill(t, c, e, tok, 0, hash))
		return NULL;
	e->len1 = 0; /* never found */
	return e;
}

/* The scores s[0..L) of token q of the window w: the sums of its context
 * keys' values val[k0..k1) and of the rows of the words it reads, the O
 * bias last (as tagger_token_sums). Out of line: the loop that puts the
 * values together keeps its registers. */
static TAGGER_INLINE void sums_l(const tagger_t *t, const tagger_wcache *c,
				  const tagger_went *const *w, uint32_t q, size_t k0, size_t k1,
				  const uint32_t *val, double *s, uint32_t L)
{
	for (uint32_t y = 0; y < L; y++)
		s[y] = 0;
	for (uint32_t g = 0; g < c->G; g++)
		tagger_add(s, tagger_went_row(c, w[(int32_t)q + c->goff[g]], g, L), L);
	tagger_value_sums_l(t, k0, k1, val, s, L);
	s[0] -= t->obias;
}

#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void sums(const tagger_t *t, const tagger_wcache *c, const tagger_went *const *w,
		 uint32_t q, size_t k0, size_t k1, const uint32_t *val, double *s)
{
	/* the label count a constant up to 16, as in tagger_token_sums: the
	 * loops over the labels unroll */
	switch (t->nlab) {
#define SUMS_L(l) case l: sums_l(t, c, w, q, k0, k1, val, s, l); return;
	SUMS_L(2) SUMS_L(3) SUMS_L(4) SUMS_L(5) SUMS_L(6) SUMS_L(7) SUMS_L(8)
	SUMS_L(9) SUMS_L(10) SUMS_L(11) SUMS_L(12) SUMS_L(13) SUMS_L(14)
	SUMS_L(15) SUMS_L(16)
#undef SUMS_L
	default:
		sums_l(t, c, w, q, k0, k1, val, s, t->nlab);
	}
}

int tagger_wc_scores(const tagger_t *t, tagger_ws *ws, const tagger_tok *tok,
		     uint32_t n, tfeat_layers *ly, err_t *e)
{
	tagger_wcache *c = cache_for(ws, t);
	uint32_t L = t->nlab, nlev = t->vc ? t->vc->nlev : 0;
	int rc;

	if (!c)
		return 1;
	ws->epoch++;
	ws->scrn = 0;
	const tagger_went **w = ws->went + 3;
	const tagger_went *bos = entry(c, c->bound, 0), *eos = entry(c, c->bound, 1);
	w[-3] = w[-2] = w[-1] = bos;
	w[n] = w[n + 1] = w[n + 2] = eos;
	/* the words' hashes, their sets' first lines fetched for the probes
	 * (the hash waits in wh) */
	for (uint32_t j = 0; j < n; j++) {
		uint64_t hash = tfeat_hash(tok[j].s, tok[j].len);
		ws->wh[(size_t)j * TFEAT_NH] = hash;
		if (tok[j].len <= TAGGER_WC_MAXLEN) {
			__builtin_prefetch(entry(c, c->mem, 2 * set_of(hash)));
			__builtin_prefetch(entry(c, c->mem, 2 * set_of(hash) + 1));
		}
	}
	for (uint32_t j = 0; j < n; j++) {
		const tagger_went *x = word(t, ws, c, &tok[j], ws->wh[(size_t)j * TFEAT_NH], n);
		if (!x)
			return 1;
		/* the lines of its rows, read when the tokens are put together */
		if (!x->pending)
			for (uint32_t b = c->rowoff & ~63u; b < c->rowoff + c->G * L * (uint32_t)sizeof(double); b += 64)
				__builtin_prefetch((const unsigned char *)x + b);
		w[j] = x;
	}
	/* then what the context templates and the rules read (the lines
	 * fetched meanwhile), and the missed words' values */
	for (uint32_t j = 0; j < n; j++) {
		const tagger_went *x = w[j];
		memcpy(ws->wh + (size_t)j * TFEAT_NH, x->h, sizeof(x->h));
		if (t->lex)
			ws->lex[j] = x->lex;
		if (t->cl)
			ws->cl[j] = x->cl;
		if (t->vc)
			memcpy(ws->vc + (size_t)j * nlev, x->vc, nlev * sizeof(*x->vc));
		if (x->pending)
			resolve(t, c, (tagger_went *)x);
	}
	memset(ly, 0, sizeof(*ly));
	if (t->lex) {
		ly->lex = ws->lex;
		ly->lex_report = t->lex->report;
	}
	if (t->cl)
		ly->cl = ws->cl;
	if (t->vc) {
		ly->vc = ws->vc;
		ly->vclev = nlev;
	}
	if ((rc = tagger_layers_context(t, ws, tok, n, ly, e)))
		return rc;
	if (tfeat_extract_split(t->mask, tok, n, ly, ws->wh, &ws->fw))
		return err_set(e, ERR_NOMEM, "out of memory");
	/* each token's context keys looked up (all their table slots fetched
	 * first) into values, in tfeat_extract's order; records prefetched,
	 * and a token's sums made TAGGER_SUM_LAG tokens later, as
	 * plain_scores does */
	uint64_t *keys = ws->fw.keys;
	const uint32_t *off = ws->fw.off;
	const tagger_index *ix = &t->ix;
	size_t nk = ws->fw.nkeys;
	double *sc = ws->score;
	if (tagger_ws_attr(ws, nk))
		return err_set(e, ERR_NOMEM, "out of memory");
	uint32_t *val = ws->attr;
	for (size_t k = 0; k < nk; k++) {
		keys[k] = tagger_fold(tagger_key(keys[k], t->hash_bits));
		__builtin_prefetch(&ix->slot[keys[k] & ix->mask]);
	}
	for (uint32_t i = 0; i < n + TAGGER_SUM_LAG; i++) {
		if (i < n)
			for (size_t k = off[i]; k < off[i + 1]; k++) {
				uint32_t v = tagger_index_get(ix, (uint32_t)keys[k]);
				val[k] = v;
				if (!(v & TAGGER_IX_ONE))
					__builtin_prefetch(ix->rec + v);
			}
		if (i >= TAGGER_SUM_LAG) {
			uint32_t q = i - TAGGER_SUM_LAG;
			sums(t, c, w, q, off[q], off[q + 1], val, sc + (size_t)q * L);
		}
	}
	return 0;
}

void tagger_wc_free(tagger_ws *ws)
{
	for (int k = 0; k < TAGGER_WC_CACHES; k++)
		cache_clear(&ws->wc[k]);
	free(ws->scr);
	ws->scr = NULL;
	ws->scrbytes = 0;
}

void tagger_ws_set_nocache(tagger_ws *ws, int off)
{
	ws->nocache = off != 0;
}

void tagger_ws_cache_stats(const tagger_ws *ws, uint64_t *hits, uint64_t *misses,
			   uint64_t *uncached)
{
	*hits = *misses = *uncached = 0;
	for (int k = 0; k < TAGGER_WC_CACHES; k++) {
		*hits += ws->wc[k].hits;
		*misses += ws->wc[k].misses;
		*uncached += ws->wc[k].uncached;
	}
}
