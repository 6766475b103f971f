/* tagger_vclust: word-vector clusters for the tagger's "vc" templates.
 *
 * A word cluster file (features/wclust.h; training/vectors.sh writes one
 * from GloVe vectors by nested k-means) gives each word a cluster id at
 * several granularities. The tagger keeps the granularities asked for, for
 * the most frequent words of the file, in a table keyed by a 32-bit hash of
 * the lowercased word, and saves the table in the model (section TVCL):
 * tagging needs neither the vectors nor the file. Two words whose keys
 * collide share the first one's ids (the file is by frequency, so the
 * rarer word loses; with 100k words about one pair in 2^32/10^10). */
#include <stdlib.h>
#include <string.h>

#include "features/wclust.h"
#include "learn/tagger_int.h"

uint32_t tagger_vc_fold(uint64_t k)
{
	uint32_t f = tagger_fold(k);
	return f ? f : 1;
}

uint32_t tagger_vc_key(const char *s, uint32_t n)
{
	return tagger_vc_fold(tagger_word_key(s, n));
}

static tagger_vclusters *vc_alloc(uint32_t nlev, uint32_t n)
{
	tagger_vclusters *c = calloc(1, sizeof(*c));
	uint64_t cap = 16;

	if (!c)
		return NULL;
	while (cap < (uint64_t)n * 2 + 16)
		cap *= 2;
	c->nlev = nlev;
	c->key = calloc(cap, sizeof(*c->key));
	c->id = calloc(cap * nlev, sizeof(*c->id));
	if (!c->key || !c->id) {
		tagger_vc_free(c);
		return NULL;
	}
	c->mask = cap - 1;
	return c;
}

void tagger_vc_free(tagger_vclusters *c)
{
	if (!c)
		return;
	free(c->key);
	free(c->id);
	free(c);
}

/* Slot of key k: its own, or the empty one where it would go. */
static uint64_t vc_slot(const tagger_vclusters *c, uint32_t k)
{
	uint64_t i = k & c->mask;

	while (c->key[i] && c->key[i] != k)
		i = (i + 1) & c->mask;
	return i;
}

void tagger_vc_get(const tagger_vclusters *c, uint32_t k, uint16_t *out)
{
	uint64_t i = vc_slot(c, k);

	if (c->key[i])
		memcpy(out, c->id + i * c->nlev, c->nlev * sizeof(*out));
	else
		memset(out, 0, c->nlev * sizeof(*out));
}

int tagger_vc_read(const char *path, const uint32_t *levels, uint32_t nlevels,
		   uint32_t top, tagger_vclusters **out, err_t *e)
{
	wclust_t *w = NULL;
	uint32_t col[TFEAT_VC_MAX_LEVELS];
	int rc;

	*out = NULL;
	if (nlevels == 0 || nlevels > TFEAT_VC_MAX_LEVELS)
		return err_set(e, ERR_ARG, "%s: 1 to %d cluster granularities, not %u", path,
			       TFEAT_VC_MAX_LEVELS, nlevels);
	if ((rc = wclust_read(path, &w, e)))
		return rc;
	for (uint32_t l = 0; l < nlevels; l++) {
		uint32_t j = 0;
		while (j < w->nlev && w->k[j] != levels[l])
			j++;
		if (j == w->nlev) {
			wclust_free(w);
			return err_set(e, ERR_ARG, "%s: no column of %u clusters (header c%u)",
				       path, levels[l], levels[l]);
		}
		if (levels[l] > 65535) {
			wclust_free(w);
			return err_set(e, ERR_ARG, "%s: %u clusters; at most 65535 for the tagger",
				       path, levels[l]);
		}
		col[l] = j;
	}
	size_t n = top && top < w->n ? top : w->n;
	tagger_vclusters *c = vc_alloc(nlevels, (uint32_t)n);
	if (!c) {
		wclust_free(w);
		return err_set(e, ERR_NOMEM, "out of memory");
	}
	for (uint32_t l = 0; l < nlevels; l++)
		c->k[l] = levels[l];
	for (size_t i = 0; i < n; i++) {
		const char *s = w->word[i];
		uint32_t k = tagger_vc_key(s, (uint32_t)strlen(s));
		uint64_t j = vc_slot(c, k);
		if (c->key[j])
			continue; /* a repeated word or a colliding key: the first wins */
		c->key[j] = k;
		for (uint32_t l = 0; l < nlevels; l++)
			c->id[j * nlevels + l] = (uint16_t)(w->id[i * w->nlev + col[l]] + 1);
		c->n++;
	}
	wclust_free(w);
	*out = c;
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Layout: u32 nlev, u32 k[nlev], u32 n, then n records sorted by key:
 * varint key delta, u16 id + 1 per granularity (little endian). The same
 * table always gives the same bytes. */
void tagger_vc_save(const tagger_vclusters *c, buf_t *b)
{
	uint32_t *keys = malloc(((size_t)c->n + 1) * sizeof(*keys));
	uint32_t m = 0;

	if (!keys) {
		b->failed = 1;
		return;
	}
	for (uint64_t i = 0; i <= c->mask; i++)
		if (c->key[i])
			keys[m++] = c->key[i];
	qsort(keys, m, sizeof(*keys), cmp_u32);
	buf_put_u32(b, c->nlev);
	for (uint32_t l = 0; l < c->nlev; l++)
		buf_put_u32(b, c->k[l]);
	buf_put_u32(b, m);
	uint32_t last = 0;
	for (uint32_t i = 0; i < m; i++) {
		uint64_t j = vc_slot(c, keys[i]);
		tagger_put_varint(b, keys[i] - last);
		last = keys[i];
		for (uint32_t l = 0; l < c->nlev; l++) {
			uint16_t v = c->id[j * c->nlev + l];
			buf_put_u8(b, (uint8_t)(v & 0xFF));
			buf_put_u8(b, (uint8_t)(v >> 8));
		}
	}
	free(keys);
}

tagger_vclusters *tagger_vc_load(rd_t *r, int *bad)
{
	*bad = 1;
	uint32_t nlev = rd_u32(r);
	if (!rd_ok(r) || nlev == 0 || nlev > TFEAT_VC_MAX_LEVELS)
		return NULL;
	uint32_t k[TFEAT_VC_MAX_LEVELS];
	for (uint32_t l = 0; l < nlev; l++) {
		k[l] = rd_u32(r);
		if (k[l] == 0 || k[l] > 65535)
			return NULL;
	}
	uint32_t n = rd_count(r, 1u << 26, 1 + 2 * (size_t)nlev);
	if (!rd_ok(r))
		return NULL;
	tagger_vclusters *c = vc_alloc(nlev, n);
	if (!c) {
		*bad = 0;
		return NULL;
	}
	memcpy(c->k, k, sizeof(k));
	uint32_t key = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t d = tagger_rd_varint(r);
		if (!rd_ok(r) || (i > 0 && d == 0) || key + d > UINT32_MAX || key + d == 0)
			goto bad;
		key += (uint32_t)d;
		uint64_t j = vc_slot(c, key);
		c->key[j] = key;
		for (uint32_t l = 0; l < nlev; l++) {
			uint16_t lo = rd_u8(r), hi = rd_u8(r);
			uint16_t v = (uint16_t)(lo | hi << 8);
			if (v == 0 || v > k[l])
				goto bad;
			c->id[j * nlev + l] = v;
		}
		c->n++;
	}
	if (!rd_ok(r) || rd_left(r))
		goto bad;
	return c;
bad:
	tagger_vc_free(c);
	return NULL;
}
