/* tagger_int: internals shared by the tagger (tagger.c: model, loading, tagging)
 * and its trainer (tagger_train.c, tagger_cluster.c). Not part of the public API. */
#ifndef EVTAG_TAGGER_INT_H
#define EVTAG_TAGGER_INT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__) && !defined(TAGGER_NO_SIMD)
#include <emmintrin.h>
#endif

#include "base/buf.h"
#include "base/dict.h"
#include "features/gaz.h"
#include "learn/tagger.h"
#include "features/tfeat.h"

/* Open-addressing table: 32-bit model key -> attribute id. A model keeps
 * 32-bit keys (tagger_fold of the 64-bit feature keys): half the size of
 * 64-bit keys in the file and in the cache; the few features whose folded
 * keys collide are dropped when the model is built. */
typedef struct tagger_slot {
	uint32_t key;
	uint32_t attr;           /* UINT32_MAX: empty */
} tagger_slot;

typedef struct tagger_table {
	tagger_slot *slot;          /* [mask + 1] */
	uint64_t mask;
} tagger_table;

/* The tagging index: 32-bit model key -> the attribute's weights in one
 * place, so that a key costs one table probe and at most one more cache
 * line or two. Built from key/aoff/alab/qw/aw by tagger_index_build() when
 * a model is loaded or trained; tagging reads only this, training never.
 * A slot's val is
 *   TAGGER_IX_EMPTY                    no attribute,
 *   TAGGER_IX_ONE | y << 16 | (uint16_t)q   one weight, for label y:
 *                                      (float)(q * wscale), as in aw,
 *   otherwise                          the offset in rec of a record: byte
 *       0 the count c, bytes 1..c the labels, then from the next whole
 *       cell c weights (those of aw: floats, half the cache lines of
 *       doubles, and added to the double sums exactly as before); or, when
 *       a row of all nlab labels takes no more cells, a dense record: byte
 *       0 TAGGER_IX_DENSE, then from cell 1 one weight per label, -0.0f
 *       for the labels the attribute has none for (adding -0.0 leaves any
 *       double as it is), summed two labels at a time. */
#define TAGGER_IX_EMPTY UINT32_MAX
#define TAGGER_IX_ONE 0x80000000u
#define TAGGER_IX_DENSE 255u     /* never a count: nlab <= TAGGER_MAX_LABELS */

typedef struct tagger_islot {
	uint32_t key;
	uint32_t val;
} tagger_islot;

typedef struct tagger_index {
	tagger_islot *slot;      /* [mask + 1] */
	uint64_t mask;
	float *rec;              /* [nrec + 16] records (see above), 64-byte
				  * aligned; by falling label count, and none
				  * of 16 cells or fewer crosses a cache line */
	uint64_t nrec;
} tagger_index;

/* Cells before the weights in a record of c labels (count byte + labels). */
static inline uint32_t tagger_rec_head(uint32_t c)
{
	return (c + 1 + sizeof(float) - 1) / sizeof(float);
}

/* The verb lexicon: lowercased form -> class (1..nclass). */
typedef struct tagger_lex {
	dict_t *forms;
	uint8_t *cls;            /* [dict_size(forms)] */
	dict_t *classes;         /* class names, id = class - 1 */
	uint8_t report;          /* the class of reporting verbs (STATEMENT),
				    0 if none: tfeat_layers.lex_report */
} tagger_lex;

/* Word clusters: lowercased-word hash -> path (tfeat_layers.cl format). */
typedef struct tagger_clusters {
	uint64_t *key;           /* [cap] 0 = empty */
	uint32_t *path;          /* [cap] */
	uint64_t mask;
	uint32_t n;
} tagger_clusters;

/* Word-vector clusters compiled from a word cluster file (wclust.h):
 * 32-bit key of the lowercased word (tagger_vc_key) -> nlev cluster ids,
 * each stored + 1 (0: empty slot). Built by tagger_vc_read, saved in the
 * model's TVCL section, so tagging needs no vectors (tagger_vclust.c). */
typedef struct tagger_vclusters {
	uint32_t nlev;
	uint32_t k[TFEAT_VC_MAX_LEVELS]; /* clusters at each kept granularity */
	uint32_t *key;           /* [mask + 1], 0 = empty */
	uint16_t *id;            /* [(mask + 1) * nlev] */
	uint64_t mask;
	uint32_t n;
} tagger_vclusters;

/* ---- the word cache (tagger_wcache.c) ----
 *
 * Most of a token's keys come from word templates (tfeat_template_word):
 * they depend on one word alone, so the index values they look up are the
 * same wherever the word is. A workspace keeps them per distinct word, with
 * the word's hashes and its layer values (cl, vc, lex), in a bounded
 * cache per tagger it tags with: a word seen before then costs one probe
 * instead of some 30 keys hashed and looked up. Once looked up, a word's
 * values become rows: per offset of the word templates, the sums over the
 * labels of the values of the templates of that offset; a token adds the
 * row of each word it reads (its own, its neighbours') to the sums of its
 * context keys. Scores and labels are the same as without the cache, bit
 * for bit, although the order of the additions differs: every weight is a
 * float of a model's quantised weight q * wscale with |q| >= 1, so a
 * multiple of the float unit of wscale, and a token's sums of at most
 * TFEAT_MAX_TOKEN_KEYS of them stay below 2^53 such units, so every
 * partial sum in double is exact; the O bias is subtracted last. */
#define TAGGER_WC_SETS 8192      /* sets of two words: 16384 words per tagger */
#define TAGGER_WC_MAXLEN 24      /* longer words are looked up every time */
#define TAGGER_WC_CACHES 2       /* taggers per workspace (pipe.c: entities, roles) */

/* A cached word; its slot-start bytes and index values follow it, and
 * the rows take the values' place once they are summed (see
 * tagger_wcache). */
typedef struct tagger_went {
	uint64_t hash;           /* tfeat_hash of the word */
	uint8_t len1;            /* bytes of the word + 1; 0: empty */
	uint8_t lex;             /* lexicon class + 1, or 0 */
	uint16_t nval;           /* index values */
	uint32_t cl;             /* cluster path */
	char s[TAGGER_WC_MAXLEN];
	uint32_t epoch;          /* the window that used it last */
	uint16_t vc[TFEAT_VC_MAX_LEVELS]; /* word-vector cluster ids + 1 */
	uint32_t pending;        /* the values are still model keys (resolve) */
	uint64_t h[TFEAT_NH];    /* tfeat_token_hashes */
} tagger_went;

typedef struct tagger_wcache {
	uint64_t stamp;          /* the tagger's (tagger.stamp); 0: unused */
	uint64_t last;           /* the workspace's clock when last used */
	unsigned char *mem;      /* [2 * TAGGER_WC_SETS * stride] entries, way
				  * w of set i at (2 * i + w) * stride (in raw,
				  * 64-byte aligned) */
	unsigned char *raw;
	uint8_t *mru;            /* [TAGGER_WC_SETS] the way used last */
	unsigned char *bound;    /* [2 * stride] the sentence boundary before
				  * and after, as words */
	uint32_t stride;         /* bytes of an entry: tagger_went, the start
				  * bytes, the values */
	uint32_t valoff;         /* offset of the values in an entry */
	uint32_t rowoff;         /* offset of the rows in an entry */
	uint8_t slot[TF_NTEMPLATES]; /* word template id -> slot (id order) */
	uint8_t sgrp[TF_NTEMPLATES]; /* slot -> the row of its word's offset */
	int goff[TFEAT_WORD_OFFSETS]; /* row g's offset (-3..3), ascending */
	uint32_t G;              /* rows: the word templates' distinct offsets */
	uint32_t ns;             /* slots: the word templates */
	uint64_t hits, misses, uncached;
} tagger_wcache;

/* An entry's slot s's values are val[start[s] .. start[s + 1]). */
static inline const uint8_t *tagger_went_start(const tagger_went *e)
{
	return (const uint8_t *)(e + 1);
}

/* An entry's row g: the sums of its values for the labels, over the word
 * templates of offset c->goff[g] (what those templates add to the scores
 * of a token g's offset away from the word). */
static inline const double *tagger_went_row(const tagger_wcache *c, const tagger_went *e,
					    uint32_t g, uint32_t L)
{
	return (const double *)((const unsigned char *)e + c->rowoff) + (size_t)g * L;
}

struct tagger {
	uint32_t nlab;
	dict_t *labels;          /* IOB2 names, "O" = 0 */
	uint8_t *kind;           /* [nlab] 'O', 'B', 'I' */
	uint32_t *type;          /* [nlab] type id (B/I), UINT32_MAX for O */
	int32_t *ilab;           /* [ntypes] the I- label of each type, or -1 */
	dict_t *types;
	uint64_t mask;           /* tfeat templates */
	uint32_t hash_bits;
	char *trained;
	double obias;            /* subtracted from label 0 (O) when decoding */
	uint32_t rules;          /* TAGGER_RULE_* applied after decoding */
	double tbias;            /* TAGGER_RULE_TARGET: added to B-TARGET after the SOURCE */
	gaz_t *gaz;
	tagger_lex *lex;
	tagger_clusters *cl;
	tagger_vclusters *vc;    /* word-vector clusters, or NULL */
	tagger_t *ent;           /* entity tagger feeding "ent" features */
	/* weights */
	uint32_t nattr;
	uint32_t *key;           /* [nattr] 32-bit attribute keys */
	uint32_t *aoff;          /* [nattr + 1] */
	uint8_t *alab;           /* [nw] */
	float *aw;               /* [nw] = qw * wscale */
	int16_t *qw;             /* [nw] quantised weights, as saved */
	double wscale;
	uint64_t nw;
	tagger_table tab;        /* key -> attribute id, while building */
	tagger_index ix;         /* what tagging reads */
	double *trans;           /* [(nlab + 1) * nlab]: row nlab = start */
	double *trp;             /* [(nlab + 1) * tagger_lpad(nlab)]: trans with
				  * rows padded with zeros (tagger_index_build) */
	double *etr;             /* [(nlab + 1) * nlab] exp(trans), clamped */
	double *eew;             /* [nlab] exp(endw), clamped */
	double *endw;            /* [nlab] */
	uint64_t stamp;          /* fingerprint of what the word cache keeps
				  * (templates, index, clusters, lexicon),
				  * never 0: tagger_index_build */
};

struct tagger_ws {
	tfeat_ws fw;
	uint8_t *gaz, *lex, *ent;
	uint32_t *cl;
	uint16_t *vc;            /* [cap * TFEAT_VC_MAX_LEVELS] */
	uint8_t *docc;           /* [cap] document codes (tdoc.h) */
	const tdoc_t *doc;       /* the caller's document, or NULL */
	tdoc_t *own;             /* a sentence as its own document */
	uint32_t *ent_lab;
	tagger_ws *ent_ws;
	double *score;           /* [cap * nlab] */
	double *a, *b, *c;       /* forward-backward scratch */
	/* the decoding rules (tagger_rules.c) */
	double *rsc;             /* [cap * nlab] a lattice a rule scores spans in */
	double *rsave;           /* [cap * nlab] the scores, while a rule changes them */
	tagger_span *rold;       /* [cap] the spans before a rule */
	tagger_span *rcur;       /* [cap] the spans after it */
	tagger_span *rsp;        /* [cap] by first token: the span a rule made
				  * there and its score, score < 0: none */
	uint32_t nrsp;           /* spans the rules made in this window */
	double *vd;              /* [cap * tagger_lpad(nlab)] Viterbi scores */
	uint32_t *lab;           /* [cap] */
	uint32_t *attr;          /* [keys] */
	uint32_t cap;
	uint32_t nlab;
	size_t acap;
	/* the word cache */
	tagger_wcache wc[TAGGER_WC_CACHES];
	uint64_t clock;          /* windows tagged */
	uint32_t epoch;          /* the window being tagged */
	int nocache;             /* tag without the cache (tests) */
	const tagger_went **went; /* [cap + 6] the window's words, from -3 */
	uint64_t *wh;            /* [cap * TFEAT_NH] their hashes */
	unsigned char *scr;      /* [scrbytes] entries of words not kept */
	size_t scrbytes;
	uint32_t scrn;           /* of them in use in this window */
};

/* Room in ws->attr for n index values (the keys of a window): 0, or -1
 * when out of memory. */
static inline int tagger_ws_attr(tagger_ws *ws, size_t n)
{
	if (n > ws->acap) {
		uint32_t *tmp = realloc(ws->attr, n * sizeof(*tmp));
		if (!tmp)
			return -1;
		ws->attr = tmp;
		ws->acap = n;
	}
	return 0;
}

/* Key reduced as the model's hash_bits says. */
static inline uint64_t tagger_key(uint64_t k, uint32_t hash_bits)
{
	return hash_bits ? (k & ((1ULL << hash_bits) - 1)) * 0x9E3779B97F4A7C15ULL : k;
}

/* The 32-bit model key of a 64-bit feature key. */
static inline uint32_t tagger_fold(uint64_t k)
{
	return (uint32_t)(k >> 32) ^ (uint32_t)k;
}

/* Replaces t->tab with an empty table with room for n attributes (load
 * factor <= 1/2). 0 or ERR_NOMEM. */
int tagger_table_alloc(tagger_t *t, uint32_t n);
/* Builds t->tab from t->key. 0, ERR_NOMEM, or ERR_MODEL if two attributes
 * share a key. */
int tagger_table_build(tagger_t *t);
/* Builds t->ix from t's weights (key, aoff, alab, qw, aw, wscale), and t->trp,
 * t->etr and t->eew from t->trans and t->endw, and frees
 * t->tab, which only building needs. 0, ERR_NOMEM, or ERR_MODEL if the
 * weights cannot be indexed (more than 2^31 cells of records). */
int tagger_index_build(tagger_t *t);

/* The index value of 32-bit key k in t (see tagger_index), or
 * TAGGER_IX_EMPTY. */
static inline uint32_t tagger_index_get(const tagger_index *ix, uint32_t k)
{
	uint64_t i = k & ix->mask;

	for (;;) {
		const tagger_islot *s = &ix->slot[i];
		if (s->key == k || s->val == TAGGER_IX_EMPTY)
			return s->val;
		i = (i + 1) & ix->mask;
	}
}

/* The fingerprint of what a word cache keeps for t (never 0). */
uint64_t tagger_stamp(const tagger_t *t);

/* The sums of tok[0..n) into ws->score with the word cache, and the
 * layers into ly, as tagger_layers, tfeat_extract and the lookups would
 * give them. ws reserved for n tokens. 0; 1 if the window is to be tagged
 * without the cache (no memory for one); or an error with e set. */
int tagger_wc_scores(const tagger_t *t, tagger_ws *ws, const tagger_tok *tok,
		     uint32_t n, tfeat_layers *ly, err_t *e);
/* Frees ws's word caches and their scratch. */
void tagger_wc_free(tagger_ws *ws);
/* Tag with ws without the word cache (off nonzero) or with it (0, the
 * default): the same results; for tests. */
void tagger_ws_set_nocache(tagger_ws *ws, int off);
/* Words found in ws's caches, not found (and kept), and looked up without
 * being kept (long words), over all its taggers. */
void tagger_ws_cache_stats(const tagger_ws *ws, uint64_t *hits, uint64_t *misses,
			   uint64_t *uncached);

/* The gazetteer tags, document codes and entity labels of tok[0..n) into
 * ws and ly: the layers that are not functions of one word. 0 or an
 * error with e set. */
int tagger_layers_context(const tagger_t *t, tagger_ws *ws, const tagger_tok *tok,
			  uint32_t n, tfeat_layers *ly, err_t *e);

#if defined(__GNUC__)
#define TAGGER_INLINE inline __attribute__((always_inline))
#else
#define TAGGER_INLINE inline
#endif

/* Tokens a token's sums wait for after its values are known, so that its
 * records, prefetched, have arrived. */
#define TAGGER_SUM_LAG 2

/* s[y] += w[y] for y < L, each a float added to a double as one at a time
 * would add it (two lanes at once where there is SSE2). */
static TAGGER_INLINE void tagger_add_row(double *s, const float *w, uint32_t L)
{
	uint32_t y = 0;

#if defined(__SSE2__) && !defined(TAGGER_NO_SIMD)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC unroll 8
#endif
	for (; y + 2 <= L; y += 2) {
		double two;
		memcpy(&two, w + y, sizeof(two));
		__m128d d = _mm_cvtps_pd(_mm_castpd_ps(_mm_set_sd(two)));
		_mm_storeu_pd(s + y, _mm_add_pd(_mm_loadu_pd(s + y), d));
	}
#endif
	for (; y < L; y++)
		s[y] += w[y];
}

/* tagger_token_sums for L labels (a constant where it is instantiated, so
 * that the loops over the labels unroll). */
static TAGGER_INLINE void tagger_value_sums_l(const tagger_t *t, size_t k0, size_t k1,
					      const uint32_t *val, double *s, uint32_t L)
{
	const tagger_index *ix = &t->ix;
	double wscale = t->wscale;

	for (size_t k = k0; k < k1; k++) {
		uint32_t v = val[k];
		if (v & TAGGER_IX_ONE) {
			if (v == TAGGER_IX_EMPTY)
				continue;
			int16_t q = (int16_t)(uint16_t)(v & 0xFFFF);
			s[(v >> 16) & 0x7FFF] += (float)(q * wscale);
			continue;
		}
		const unsigned char *lb = (const unsigned char *)(ix->rec + v);
		uint32_t c = lb[0];
		if (c == TAGGER_IX_DENSE) {
			tagger_add_row(s, ix->rec + v + 1, L);
			continue;
		}
		/* two at a time: distinct labels, so either order is the same */
		const float *w = ix->rec + v + tagger_rec_head(c);
		uint32_t j = 0;
		for (; j + 2 <= c; j += 2) {
			s[lb[1 + j]] += w[j];
			s[lb[2 + j]] += w[j + 1];
		}
		if (j < c)
			s[lb[1 + j]] += w[j];
	}
}

static TAGGER_INLINE void tagger_token_sums_l(const tagger_t *t, size_t k0, size_t k1,
					      const uint32_t *val, double *s, uint32_t L)
{
	for (uint32_t y = 0; y < L; y++)
		s[y] = 0;
	tagger_value_sums_l(t, k0, k1, val, s, L);
	s[0] -= t->obias;
}

/* s[0..L) = the scores of the token whose index values are val[k0..k1):
 * the sums in the order of the keys, as every label's sum always was (the
 * same operations for any number of labels; up to 16, with the loops over
 * the labels unrolled). */
static inline void tagger_token_sums(const tagger_t *t, size_t k0, size_t k1,
				     const uint32_t *val, double *s)
{
	switch (t->nlab) {
#define TAGGER_SUMS_L(l) case l: tagger_token_sums_l(t, k0, k1, val, s, l); return;
	TAGGER_SUMS_L(2) TAGGER_SUMS_L(3) TAGGER_SUMS_L(4) TAGGER_SUMS_L(5)
	TAGGER_SUMS_L(6) TAGGER_SUMS_L(7) TAGGER_SUMS_L(8) TAGGER_SUMS_L(9)
	TAGGER_SUMS_L(10) TAGGER_SUMS_L(11) TAGGER_SUMS_L(12) TAGGER_SUMS_L(13)
	TAGGER_SUMS_L(14) TAGGER_SUMS_L(15) TAGGER_SUMS_L(16)
#undef TAGGER_SUMS_L
	default:
		tagger_token_sums_l(t, k0, k1, val, s, t->nlab);
	}
}

/* Fills ly (pointing into ws) for tok[0..n): gazetteer tags, lexicon
 * classes, clusters and entity labels as t's resources allow. */
int tagger_layers(const tagger_t *t, tagger_ws *ws, const tagger_tok *tok,
	       uint32_t n, tfeat_layers *ly, err_t *e);
/* The decoding rules of t (tagger_rules.c) on a decoded sentence: lab[n]
 * from the scores sc[n * nlab] and layers ly; lab may be decoded again
 * (sc is left as it was). With score set, the spans a rule made and their
 * scores are left in ws->rsp (ws->nrsp of them; tagger_rules_score reads
 * them); without, no span is scored (the labels are the same). Returns 1
 * if lab changed, else 0. */
int tagger_rules_apply(const tagger_t *t, tagger_ws *ws, const tagger_tok *tok,
		       uint32_t n, const tfeat_layers *ly, double *sc, uint32_t *lab,
		       int score);
/* The score tagger_rules_apply gave span sp if a rule made it (the same
 * tokens and type), else sp's own score. */
static inline float tagger_rules_score(const tagger_ws *ws, const tagger_span *sp)
{
	const tagger_span *r = &ws->rsp[sp->first];
	if (ws->nrsp == 0 || r->score < 0 || r->last != sp->last || r->type != sp->type)
		return sp->score;
	return r->score;
}
/* Makes *tok (*cap tokens) hold n tokens, keeping it on failure. 0 or
 * ERR_NOMEM. */
static inline int tagger_tok_reserve(tfeat_tok **tok, uint32_t *cap, uint32_t n)
{
	if (n <= *cap)
		return 0;
	tfeat_tok *tmp = realloc(*tok, (size_t)n * sizeof(*tmp));
	if (!tmp)
		return ERR_NOMEM;
	*tok = tmp;
	*cap = n;
	return 0;
}
/* Makes ws hold n tokens for t's labels. 0 or ERR_NOMEM. */
int tagger_ws_reserve(tagger_ws *ws, uint32_t nlab, uint32_t n);

/* y[i] += x[i] for i < n (two at a time where there is SSE2: the same
 * sums). */
static inline void tagger_add(double *restrict y, const double *restrict x, uint32_t n)
{
	uint32_t i = 0;

#if defined(__SSE2__) && !defined(TAGGER_NO_SIMD)
	for (; i + 2 <= n; i += 2)
		_mm_storeu_pd(y + i, _mm_add_pd(_mm_loadu_pd(y + i), _mm_loadu_pd(x + i)));
#endif
	for (; i < n; i++)
		y[i] += x[i];
}

/* Viterbi over state scores sc[n * L] with transitions tr[(L+1) * L] and
 * end weights ew[L]; bp[n * L] scratch; writes out[n]. Returns the best
 * path's score. */
double tagger_viterbi(const double *sc, const double *tr, const double *ew,
		   uint32_t L, uint32_t n, uint8_t *bp, uint32_t *out);

/* L rounded up to a multiple of TAGGER_VB, the block of labels the blocked
 * Viterbi works on at once. */
#define TAGGER_VB 8 /* four SSE2 registers */
static inline uint32_t tagger_lpad(uint32_t L)
{
	return (L + TAGGER_VB - 1) / TAGGER_VB * TAGGER_VB;
}

/* tagger_viterbi with the same result, bit for bit (path, score, ties
 * broken the same way), from transitions trp[(L+1) * tagger_lpad(L)] with
 * rows padded. The forward pass keeps only each label's best score, over
 * blocks of TAGGER_VB labels at once (SSE2 where there is SSE2, as on any
 * x86-64; plain C elsewhere or with -DTAGGER_NO_SIMD); the back pointers of
 * the best path alone are found on the way back. d[n * tagger_lpad(L)] is
 * scratch. */
double tagger_viterbi_blocked(const double *sc, const double *trp, const double *ew,
			   uint32_t L, uint32_t n, double *d, uint32_t *out);

/* Scaled forward-backward: on return sc holds exp(score - max_t) per
 * position (overwritten), a and b the scaled alphas and betas, c[n] the
 * scales; etr and eew are exp(tr), exp(ew). Returns log Z. */
double tagger_forward_backward(double *sc, const double *etr, const double *eew,
			    uint32_t L, uint32_t n, double *a, double *b,
			    double *c, double *zp);

/* tagger_forward_backward with the betas b[t] computed only for t >= from
 * (and t = n - 1): the rest of b is left as it was; a, c and *zp are the
 * same. Span confidences need no log Z, so none is computed (n calls of
 * log a sentence). */
void tagger_forward_backward_from(double *sc, const double *etr, const double *eew,
				  uint32_t L, uint32_t n, double *a, double *b,
				  double *c, double *zp, uint32_t from);

/* Marginal probability that tokens [f, l) form exactly one span with
 * B-label bl and I-label il (il < 0: the type has no I- label), given the
 * forward-backward results. */
double tagger_span_prob(const double *esc, const double *etr, const double *eew,
		     uint32_t L, uint32_t n, const double *a, const double *b,
		     const double *c, double zp, uint32_t f, uint32_t l,
		     uint32_t bl, int il);

/* Builds label metadata (kind, type, ilab, types) from t->labels. */
int tagger_label_meta(tagger_t *t);

/* Lexicon from a TSV file; NULL and e set on failure. */
tagger_lex *tagger_lex_read(const char *path, err_t *e);
void tagger_lex_free(tagger_lex *l);
uint8_t tagger_lex_get(const tagger_lex *l, const char *s, uint32_t n);

/* An empty cluster table with room for n words; NULL if out of memory. */
tagger_clusters *tagger_clusters_alloc(uint32_t n);
void tagger_clusters_free(tagger_clusters *c);
uint32_t tagger_clusters_get(const tagger_clusters *c, uint64_t hlw);
/* Lowercase word hash used as the cluster key. */
uint64_t tagger_word_key(const char *s, uint32_t n);

/* Word-vector clusters (tagger_vclust.c). tagger_vc_read reads a word
 * cluster file (wclust.h) and keeps the granularities listed in
 * levels[0..nlevels) (numbers of clusters, each a column of the file; at
 * most TFEAT_VC_MAX_LEVELS, each at most 65535) for its first top words
 * (0: all); a word whose key repeats keeps its first (most frequent) line.
 * 0, or ERR_IO/ERR_FORMAT/ERR_ARG/ERR_NOMEM with e set. */
int tagger_vc_read(const char *path, const uint32_t *levels, uint32_t nlevels,
		   uint32_t top, tagger_vclusters **out, err_t *e);
void tagger_vc_free(tagger_vclusters *c);
/* The 32-bit key of a word (lowercased, ASCII), never 0; tagger_vc_fold
 * gives it from the word's tagger_word_key. */
uint32_t tagger_vc_key(const char *s, uint32_t n);
uint32_t tagger_vc_fold(uint64_t word_key);
/* Writes the nlev ids + 1 of word key k into out[], or zeros. */
void tagger_vc_get(const tagger_vclusters *c, uint32_t k, uint16_t *out);
/* An unsigned LEB128 varint (the TWGT and TVCL key deltas): written into
 * b; read from r (0 with r failed if longer than ten bytes). */
static inline void tagger_put_varint(buf_t *b, uint64_t v)
{
	while (v >= 0x80) {
		buf_put_u8(b, (uint8_t)(v | 0x80));
		v >>= 7;
	}
	buf_put_u8(b, (uint8_t)v);
}

static inline uint64_t tagger_rd_varint(rd_t *r)
{
	uint64_t v = 0;

	for (int s = 0; s < 64; s += 7) {
		uint8_t c = rd_u8(r);
		if (!rd_ok(r))
			return 0;
		v |= (uint64_t)(c & 0x7F) << s;
		if (!(c & 0x80))
			return v;
	}
	r->failed = 1;
	return 0;
}

/* The TVCL section: save into b; load from r (whole section), NULL with
 * *bad set on a damaged section, NULL and *bad 0 when out of memory. */
void tagger_vc_save(const tagger_vclusters *c, buf_t *b);
tagger_vclusters *tagger_vc_load(rd_t *r, int *bad);

#endif
