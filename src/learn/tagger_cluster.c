/* tagger_cluster: word clusters learned at training time from the text of
 * the training corpora (labels unused), for the "cl" templates.
 *
 * Each frequent word (lowercased) is described by the counts of its left
 * and right neighbours among the K most frequent words (plus "other"),
 * weighted by positive pointwise mutual information and normalised. The
 * words are then split recursively in two by spherical 2-means, to a depth
 * of 24 or until a cluster is small; a word's path of left/right choices
 * is its cluster (like Brown clusters, prefixes give coarser clusters). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "learn/tagger_int.h"

#define CL_CONTEXT 300      /* context words (each side) */
#define CL_MIN_FREQ 3
#define CL_MAX_DEPTH 24
#define CL_MIN_SIZE 4
#define CL_ITERS 8

typedef struct cl_entry {
	uint32_t dim;
	float val;
} cl_entry;

typedef struct cl_state {
	uint32_t nw;           /* words */
	uint64_t *roff;        /* [nw + 1] */
	cl_entry *ent;         /* rows, sorted by dim */
	uint32_t dims;
	uint32_t *path;        /* [nw] */
	uint8_t *plen;         /* [nw] */
	double *c0, *c1;       /* [dims] centroids */
	uint8_t *side;
	gsl_rng *rng;
} cl_state;

static int cmp_u32_desc_by(const void *a, const void *b, const uint32_t *freq)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	if (freq[x] != freq[y])
		return freq[x] > freq[y] ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Sorts ids by descending frequency, ties by id (merge sort, no globals). */
static void sort_ids(uint32_t *ids, uint32_t *tmp, uint32_t n, const uint32_t *freq)
{
	if (n < 2)
		return;
	uint32_t h = n / 2;
	sort_ids(ids, tmp, h, freq);
	sort_ids(ids + h, tmp, n - h, freq);
	uint32_t i = 0, j = h, k = 0;
	while (i < h && j < n)
		tmp[k++] = cmp_u32_desc_by(&ids[i], &ids[j], freq) <= 0 ? ids[i++] : ids[j++];
	while (i < h)
		tmp[k++] = ids[i++];
	while (j < n)
		tmp[k++] = ids[j++];
	memcpy(ids, tmp, n * sizeof(*ids));
}

static void split(cl_state *st, uint32_t *items, uint32_t n, int depth,
		  uint32_t path)
{
	uint32_t D = st->dims;

	if (n < CL_MIN_SIZE || depth >= CL_MAX_DEPTH) {
		for (uint32_t i = 0; i < n; i++) {
			st->path[items[i]] = path;
			st->plen[items[i]] = (uint8_t)depth;
		}
		return;
	}
	/* init: two distinct random members */
	uint32_t i0 = (uint32_t)gsl_rng_uniform_int(st->rng, n);
	uint32_t i1 = (uint32_t)gsl_rng_uniform_int(st->rng, n - 1);
	if (i1 >= i0)
		i1++;
	memset(st->c0, 0, D * sizeof(double));
	memset(st->c1, 0, D * sizeof(double));
	for (uint64_t k = st->roff[items[i0]]; k < st->roff[items[i0] + 1]; k++)
		st->c0[st->ent[k].dim] = st->ent[k].val;
	for (uint64_t k = st->roff[items[i1]]; k < st->roff[items[i1] + 1]; k++)
		st->c1[st->ent[k].dim] = st->ent[k].val;
	uint32_t n0 = 0;
	for (int it = 0; it < CL_ITERS; it++) {
		n0 = 0;
		for (uint32_t i = 0; i < n; i++) {
			double d0 = 0, d1 = 0;
			for (uint64_t k = st->roff[items[i]]; k < st->roff[items[i] + 1]; k++) {
				d0 += st->c0[st->ent[k].dim] * st->ent[k].val;
				d1 += st->c1[st->ent[k].dim] * st->ent[k].val;
			}
			st->side[i] = d1 > d0;
			n0 += !st->side[i];
		}
		if (n0 == 0 || n0 == n)
			break;
		memset(st->c0, 0, D * sizeof(double));
		memset(st->c1, 0, D * sizeof(double));
		for (uint32_t i = 0; i < n; i++) {
			double *c = st->side[i] ? st->c1 : st->c0;
			for (uint64_t k = st->roff[items[i]]; k < st->roff[items[i] + 1]; k++)
				c[st->ent[k].dim] += st->ent[k].val;
		}
		double s0 = 0, s1 = 0;
		for (uint32_t d = 0; d < D; d++) {
			s0 += st->c0[d] * st->c0[d];
			s1 += st->c1[d] * st->c1[d];
		}
		s0 = s0 > 0 ? 1 / sqrt(s0) : 0;
		s1 = s1 > 0 ? 1 / sqrt(s1) : 0;
		for (uint32_t d = 0; d < D; d++) {
			st->c0[d] *= s0;
			st->c1[d] *= s1;
		}
	}
	if (n0 == 0 || n0 == n) {
		/* cannot split: split in halves so paths stay distinct enough */
		n0 = n / 2;
		for (uint32_t i = 0; i < n; i++)
			st->side[i] = i >= n0;
	}
	/* partition items: side 0 first (stable) */
	uint32_t *tmp = malloc((size_t)n * sizeof(*tmp));
	if (!tmp) {
		for (uint32_t i = 0; i < n; i++) {
			st->path[items[i]] = path;
			st->plen[items[i]] = (uint8_t)depth;
		}
		return;
	}
	uint32_t a = 0, b = n0;
	for (uint32_t i = 0; i < n; i++) {
		if (st->side[i])
			tmp[b++] = items[i];
		else
			tmp[a++] = items[i];
	}
	memcpy(items, tmp, (size_t)n * sizeof(*items));
	free(tmp);
	split(st, items, n0, depth + 1, path << 1);
	split(st, items + n0, n - n0, depth + 1, (path << 1) | 1);
}

static int cmp_entry(const void *a, const void *b)
{
	const cl_entry *x = a, *y = b;
	return x->dim < y->dim ? -1 : x->dim > y->dim;
}

int tagger_learn_clusters(const conll_corpus *const *corpora, int ncorpora,
		       uint32_t nclusters, uint64_t seed, tagger_clusters **out,
		       err_t *e);

int tagger_learn_clusters(const conll_corpus *const *corpora, int ncorpora,
		       uint32_t nclusters, uint64_t seed, tagger_clusters **out,
		       err_t *e)
{
	dict_t *voc = dict_new();
	uint32_t *freq = NULL, *ids = NULL, *tmp = NULL, *ctx = NULL, *row = NULL;
	uint32_t fcap = 0, ntok_total = 0;
	uint32_t *seq = NULL; /* word id per token, UINT32_MAX at sentence breaks */
	size_t seqn = 0, seqcap = 0;
	cl_state st;
	tagger_clusters *c = NULL;
	int rc = 0;
	char low[256];

	(void)nclusters;
	memset(&st, 0, sizeof(st));
	*out = NULL;
	if (!voc)
		return err_set(e, ERR_NOMEM, "out of memory");
	for (int ci = 0; ci < ncorpora; ci++) {
		const conll_corpus *cc = corpora[ci];
		if (!cc)
			continue;
		for (uint32_t s = 0; s < cc->nsent; s++) {
			for (uint32_t i = 0; i <= cc->sent[s].n; i++) {
				uint32_t id = UINT32_MAX;
				if (i < cc->sent[s].n) {
					uint32_t n;
					const char *w = conll_token(cc, cc->sent[s].first + i, &n);
					if (n > sizeof(low))
						n = sizeof(low);
					for (uint32_t k = 0; k < n; k++)
						low[k] = (w[k] >= 'A' && w[k] <= 'Z') ? (char)(w[k] + 32) : w[k];
					id = dict_add(voc, low, n);
					if (id == DICT_NONE) {
						rc = ERR_NOMEM;
						goto out;
					}
					if (id >= fcap) {
						uint32_t nc = fcap ? fcap * 2 : 4096;
						uint32_t *t2 = realloc(freq, (size_t)nc * sizeof(*t2));
						if (!t2) {
							rc = ERR_NOMEM;
							goto out;
						}
						memset(t2 + fcap, 0, (size_t)(nc - fcap) * sizeof(*t2));
						freq = t2;
						fcap = nc;
					}
					freq[id]++;
					ntok_total++;
				}
				if (seqn == seqcap) {
					size_t nc = seqcap ? seqcap * 2 : 1 << 16;
					uint32_t *t2 = realloc(seq, nc * sizeof(*t2));
					if (!t2) {
						rc = ERR_NOMEM;
						goto out;
					}
					seq = t2;
					seqcap = nc;
				}
				seq[seqn++] = id;
			}
		}
	}
	uint32_t V = dict_size(voc);
	if (V == 0)
		goto out;
	ids = malloc((size_t)V * sizeof(*ids));
	tmp = malloc((size_t)V * sizeof(*tmp));
	ctx = malloc((size_t)V * sizeof(*ctx));   /* word -> context dim or UINT32_MAX */
	row = malloc((size_t)V * sizeof(*row));   /* word -> clustered row or UINT32_MAX */
	if (!ids || !tmp || !ctx || !row) {
		rc = ERR_NOMEM;
		goto out;
	}
	for (uint32_t i = 0; i < V; i++)
		ids[i] = i;
	sort_ids(ids, tmp, V, freq);
	uint32_t K = V < CL_CONTEXT ? V : CL_CONTEXT;
	for (uint32_t i = 0; i < V; i++) {
		ctx[ids[i]] = i < K ? i : K; /* K = "other" */
		row[i] = UINT32_MAX;
	}
	uint32_t nw = 0;
	for (uint32_t i = 0; i < V && freq[ids[i]] >= CL_MIN_FREQ; i++)
		row[ids[i]] = nw++;
	if (nw < CL_MIN_SIZE)
		goto out;
	uint32_t D = 2 * (K + 2); /* left and right: K words, other, boundary */
	/* count contexts: dense per row would be nw * D; use per-row lists by
	 * counting into a hash-free dense scratch row by row instead */
	/* first, for each row, collect (dim) occurrences */
	uint64_t *cnt_off = calloc((size_t)nw + 1, sizeof(*cnt_off));
	if (!cnt_off) {
		rc = ERR_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < seqn; i++) {
		if (seq[i] == UINT32_MAX || row[seq[i]] == UINT32_MAX)
			continue;
		cnt_off[row[seq[i]] + 1] += 2;
	}
	for (uint32_t r = 0; r < nw; r++)
		cnt_off[r + 1] += cnt_off[r];
	uint64_t total = cnt_off[nw];
	uint32_t *occ = malloc((total + 1) * sizeof(*occ));
	uint64_t *fill = malloc(((size_t)nw + 1) * sizeof(*fill));
	if (!occ || !fill) {
		free(occ);
		free(fill);
		free(cnt_off);
		rc = ERR_NOMEM;
		goto out;
	}
	memcpy(fill, cnt_off, ((size_t)nw + 1) * sizeof(*fill));
	for (size_t i = 0; i < seqn; i++) {
		if (seq[i] == UINT32_MAX || row[seq[i]] == UINT32_MAX)
			continue;
		uint32_t r = row[seq[i]];
		uint32_t l = (i > 0 && seq[i - 1] != UINT32_MAX) ? ctx[seq[i - 1]] : K + 1;
		uint32_t rr = (i + 1 < seqn && seq[i + 1] != UINT32_MAX) ? ctx[seq[i + 1]] : K + 1;
		occ[fill[r]++] = l;
		occ[fill[r]++] = (K + 2) + rr;
	}
	free(fill);
	/* column totals for PMI */
	double *colsum = calloc(D, sizeof(*colsum));
	st.roff = malloc(((size_t)nw + 1) * sizeof(*st.roff));
	st.ent = malloc((total + 1) * sizeof(*st.ent));
	double *dense = calloc(D, sizeof(*dense));
	if (!colsum || !st.roff || !st.ent || !dense) {
		free(colsum);
		free(dense);
		free(occ);
		free(cnt_off);
		rc = ERR_NOMEM;
		goto out;
	}
	for (uint64_t k = 0; k < total; k++)
		colsum[occ[k]] += 1;
	uint64_t ne = 0;
	for (uint32_t r = 0; r < nw; r++) {
		uint64_t a = cnt_off[r], b = cnt_off[r + 1];
		double rs = (double)(b - a);
		st.roff[r] = ne;
		for (uint64_t k = a; k < b; k++)
			dense[occ[k]] += 1;
		double norm = 0;
		uint64_t start = ne;
		for (uint64_t k = a; k < b; k++) {
			uint32_t d = occ[k];
			if (dense[d] <= 0)
				continue;
			double pmi = log(dense[d] * (double)total / (rs * colsum[d]));
			if (pmi > 0) {
				st.ent[ne].dim = d;
				st.ent[ne].val = (float)pmi;
				norm += pmi * pmi;
				ne++;
			}
			dense[d] = 0;
		}
		norm = norm > 0 ? 1 / sqrt(norm) : 0;
		for (uint64_t k = start; k < ne; k++)
			st.ent[k].val = (float)(st.ent[k].val * norm);
		qsort(st.ent + start, ne - start, sizeof(*st.ent), cmp_entry);
	}
	st.roff[nw] = ne;
	free(colsum);
	free(dense);
	free(occ);
	free(cnt_off);
	st.nw = nw;
	st.dims = D;
	st.path = calloc(nw, sizeof(*st.path));
	st.plen = calloc(nw, 1);
	st.c0 = malloc(D * sizeof(double));
	st.c1 = malloc(D * sizeof(double));
	st.side = malloc(nw);
	st.rng = gsl_rng_alloc(gsl_rng_mt19937);
	uint32_t *items = malloc((size_t)nw * sizeof(*items));
	if (!st.path || !st.plen || !st.c0 || !st.c1 || !st.side || !st.rng || !items) {
		free(items);
		rc = ERR_NOMEM;
		goto out;
	}
	gsl_rng_set(st.rng, (unsigned long)seed);
	for (uint32_t r = 0; r < nw; r++)
		items[r] = r;
	split(&st, items, nw, 0, 0);
	free(items);
	/* the table: lowercased word key -> path */
	c = tagger_clusters_alloc(nw);
	if (!c) {
		rc = ERR_NOMEM;
		goto out;
	}
	for (uint32_t w = 0; w < V; w++) {
		if (row[w] == UINT32_MAX)
			continue;
		size_t n;
		const char *s = dict_str(voc, w, &n);
		uint64_t k = tagger_word_key(s, (uint32_t)n);
		uint64_t j = k & c->mask;
		while (c->key[j] && c->key[j] != k)
			j = (j + 1) & c->mask;
		if (c->key[j])
			continue;
		uint32_t r = row[w];
		uint32_t len = st.plen[r];
		/* a path of length 0 is stored with a leading 1 bit so it is not 0 */
		c->key[j] = k;
		c->path[j] = (len << 24) | (st.path[r] & 0xFFFFFFu);
		if (c->path[j] == 0)
			c->path[j] = 1u << 24;
		c->n++;
	}
	*out = c;
	c = NULL;
out:
	if (rc == ERR_NOMEM)
		err_set(e, rc, "out of memory while learning word clusters");
	tagger_clusters_free(c);
	dict_free(voc);
	free(freq);
	free(ids);
	free(tmp);
	free(ctx);
	free(row);
	free(seq);
	free(st.roff);
	free(st.ent);
	free(st.path);
	free(st.plen);
	free(st.c0);
	free(st.c1);
	free(st.side);
	if (st.rng)
		gsl_rng_free(st.rng);
	(void)ntok_total;
	return rc;
}
