#include "base/dict.h"

#include <stdlib.h>
#include <string.h>

struct dict {
	uint32_t *slots;   /* [mask+1], id+1 or 0 for empty */
	uint64_t *hashes;  /* [n] hash of each string */
	uint32_t *offs;    /* [n] offset of each string in pool */
	uint32_t *lens;    /* [n] */
	char *pool;        /* strings, each NUL-terminated */
	size_t pool_len, pool_cap;
	uint32_t n, cap, mask;
};

dict_t *dict_new(void)
{
	dict_t *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->mask = 63;
	d->slots = calloc(64, sizeof(*d->slots));
	if (!d->slots) {
		free(d);
		return NULL;
	}
	return d;
}

void dict_free(dict_t *d)
{
	if (!d)
		return;
	free(d->slots);
	free(d->hashes);
	free(d->offs);
	free(d->lens);
	free(d->pool);
	free(d);
}

uint32_t dict_size(const dict_t *d)
{
	return d->n;
}

static uint32_t dict_find_slot(const dict_t *d, const char *s, size_t n,
			       uint64_t h)
{
	uint32_t i = (uint32_t)h & d->mask;

	for (;;) {
		uint32_t v = d->slots[i];
		if (v == 0)
			return i;
		v--;
		if (d->hashes[v] == h && d->lens[v] == n &&
		    memcmp(d->pool + d->offs[v], s, n) == 0)
			return i;
		i = (i + 1) & d->mask;
	}
}

uint32_t dict_get(const dict_t *d, const char *s, size_t n)
{
	uint64_t h = dict_hash(s, n);
	uint32_t v = d->slots[dict_find_slot(d, s, n, h)];

	return v ? v - 1 : DICT_NONE;
}

static int dict_grow_table(dict_t *d)
{
	uint32_t nmask = d->mask * 2 + 1;
	uint32_t *ns = calloc((size_t)nmask + 1, sizeof(*ns));

	if (!ns)
		return -1;
	for (uint32_t id = 0; id < d->n; id++) {
		uint32_t i = (uint32_t)d->hashes[id] & nmask;
		while (ns[i])
			i = (i + 1) & nmask;
		ns[i] = id + 1;
	}
	free(d->slots);
	d->slots = ns;
	d->mask = nmask;
	return 0;
}

static int dict_grow_arrays(dict_t *d)
{
	uint32_t cap = d->cap ? d->cap * 2 : 64;
	uint64_t *h = realloc(d->hashes, cap * sizeof(*h));
	uint32_t *o, *l;

	if (!h)
		return -1;
	d->hashes = h;
	o = realloc(d->offs, cap * sizeof(*o));
	if (!o)
		return -1;
	d->offs = o;
	l = realloc(d->lens, cap * sizeof(*l));
	if (!l)
		return -1;
	d->lens = l;
	d->cap = cap;
	return 0;
}

uint32_t dict_add(dict_t *d, const char *s, size_t n)
{
	uint64_t h = dict_hash(s, n);
	uint32_t slot = dict_find_slot(d, s, n, h);

	if (d->slots[slot])
		return d->slots[slot] - 1;
	if (d->n >= UINT32_MAX - 1 || n >= UINT32_MAX)
		return DICT_NONE;
	if ((size_t)(d->n + 1) * 2 > (size_t)d->mask + 1) {
		if (dict_grow_table(d))
			return DICT_NONE;
		slot = dict_find_slot(d, s, n, h);
	}
	if (d->n == d->cap && dict_grow_arrays(d))
		return DICT_NONE;
	if (d->pool_len + n + 1 > d->pool_cap) {
		size_t cap = d->pool_cap ? d->pool_cap : 4096;
		char *p;
		while (cap < d->pool_len + n + 1)
			cap *= 2;
		if (cap > UINT32_MAX)
			return DICT_NONE;
		p = realloc(d->pool, cap);
		if (!p)
			return DICT_NONE;
		d->pool = p;
		d->pool_cap = cap;
	}
	memcpy(d->pool + d->pool_len, s, n);
	d->pool[d->pool_len + n] = '\0';
	d->offs[d->n] = (uint32_t)d->pool_len;
	d->lens[d->n] = (uint32_t)n;
	d->hashes[d->n] = h;
	d->pool_len += n + 1;
	d->slots[slot] = d->n + 1;
	return d->n++;
}

const char *dict_str(const dict_t *d, uint32_t id, size_t *n)
{
	if (id >= d->n)
		return NULL;
	if (n)
		*n = d->lens[id];
	return d->pool + d->offs[id];
}

void dict_save(const dict_t *d, buf_t *b)
{
	buf_put_u32(b, d->n);
	for (uint32_t i = 0; i < d->n; i++)
		buf_put_bytes(b, d->pool + d->offs[i], d->lens[i]);
}

dict_t *dict_load(rd_t *r)
{
	uint32_t n = rd_count(r, UINT32_MAX - 1, 4);
	dict_t *d;

	if (!rd_ok(r))
		return NULL;
	d = dict_new();
	if (!d) {
		r->failed = 1;
		return NULL;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t len;
		const char *s = rd_bytes(r, &len);
		if (!s || dict_add(d, s, len) != i) {
			r->failed = 1;
			dict_free(d);
			return NULL;
		}
	}
	return d;
}
