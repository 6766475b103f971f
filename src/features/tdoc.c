#include "features/tdoc.h"

#include <stdlib.h>
#include <string.h>

#include "base/dict.h"
#include "base/err.h"

/* One word: its key (lowercased-bytes hash, never 0) and its counts. */
typedef struct tdoc_word {
	uint64_t key;
	uint32_t low, cap, any;
	uint32_t prev, next;   /* capitalised inside a sentence, after / before another capitalised word */
} tdoc_word;

struct tdoc {
	tdoc_word *w;   /* [mask + 1], key 0 = empty */
	uint64_t mask;
	uint32_t n;
};

tdoc_t *tdoc_new(void)
{
	tdoc_t *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->mask = 255;
	d->w = calloc(d->mask + 1, sizeof(*d->w));
	if (!d->w) {
		free(d);
		return NULL;
	}
	return d;
}

void tdoc_free(tdoc_t *d)
{
	if (!d)
		return;
	free(d->w);
	free(d);
}

void tdoc_clear(tdoc_t *d)
{
	memset(d->w, 0, (d->mask + 1) * sizeof(*d->w));
	d->n = 0;
}

static uint64_t word_key(const tfeat_tok *t)
{
	char buf[64];
	uint64_t h = 0;
	uint32_t i = 0;

	/* hashed in chunks so a long token needs no allocation */
	while (i < t->len) {
		uint32_t k = 0;
		for (; k < sizeof(buf) && i < t->len; k++, i++) {
			char c = t->s[i];
			buf[k] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
		}
		h = dict_mix(h ^ dict_hash(buf, k));
	}
	return h ? h : 1;
}

static tdoc_word *find(const tdoc_t *d, uint64_t key)
{
	uint64_t i = key & d->mask;

	while (d->w[i].key && d->w[i].key != key)
		i = (i + 1) & d->mask;
	return &d->w[i];
}

static int grow(tdoc_t *d)
{
	uint64_t nm = d->mask * 2 + 1;
	tdoc_word *nw = calloc(nm + 1, sizeof(*nw));

	if (!nw)
		return ERR_NOMEM;
	for (uint64_t i = 0; i <= d->mask; i++)
		if (d->w[i].key) {
			uint64_t j = d->w[i].key & nm;
			while (nw[j].key)
				j = (j + 1) & nm;
			nw[j] = d->w[i];
		}
	free(d->w);
	d->w = nw;
	d->mask = nm;
	return 0;
}

static int is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static int is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

/* Whether no token of the sentence has a lower-case letter (a headline in
 * capitals, a table row). */
static int headline(const tfeat_tok *tok, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t k = 0; k < tok[i].len; k++)
			if (is_lower(tok[i].s[k]))
				return 0;
	return 1;
}

/* Whether token i counts as capitalised inside a sentence. */
static int cap_inside(const tfeat_tok *t, uint32_t i, int head)
{
	return i > 0 && !head && t->len && is_upper(t->s[0]);
}

/* Whether token i of tok[0..n), capitalised inside a sentence, follows
 * (*prev) or precedes (*next) another capitalised word of the sentence
 * (not its first): part of a longer name ("Bill Clinton"). */
static void cap_run(const tfeat_tok *tok, uint32_t n, uint32_t i, int head,
		    int *prev, int *next)
{
	*prev = *next = 0;
	if (!cap_inside(&tok[i], i, head))
		return;
	*prev = i > 1 && cap_inside(&tok[i - 1], i - 1, head);
	*next = i + 1 < n && cap_inside(&tok[i + 1], i + 1, head);
}

int tdoc_add(tdoc_t *d, const tfeat_tok *tok, uint32_t n)
{
	int head = headline(tok, n);

	for (uint32_t i = 0; i < n; i++) {
		if (!tok[i].len)
			continue;
		if ((uint64_t)(d->n + 1) * 2 > d->mask + 1 && grow(d))
			return ERR_NOMEM;
		uint64_t key = word_key(&tok[i]);
		tdoc_word *w = find(d, key);
		if (!w->key) {
			w->key = key;
			d->n++;
		}
		w->any++;
		if (is_lower(tok[i].s[0]))
			w->low++;
		if (cap_inside(&tok[i], i, head))
			w->cap++;
		int pv, nx;
		cap_run(tok, n, i, head, &pv, &nx);
		w->prev += (uint32_t)pv;
		w->next += (uint32_t)nx;
	}
	return 0;
}

void tdoc_codes(const tdoc_t *d, const tfeat_tok *tok, uint32_t n, uint8_t *codes)
{
	int head = headline(tok, n);

	for (uint32_t i = 0; i < n; i++) {
		const tfeat_tok *t = &tok[i];
		uint32_t letters = 0, low = 0;
		codes[i] = 0;
		if (!t->len || !is_upper(t->s[0]))
			continue;
		for (uint32_t k = 0; k < t->len; k++) {
			letters += is_upper(t->s[k]) || is_lower(t->s[k]);
			low += is_lower(t->s[k]);
		}
		if (letters < 2)
			continue;
		unsigned form = low ? 0 : 1, el = 0;
		int pv, nx;
		cap_run(tok, n, i, head, &pv, &nx);
		const tdoc_word *w = d ? find(d, word_key(t)) : NULL;
		if (w && w->key) {
			uint32_t own_cap = cap_inside(t, i, head) ? 1 : 0;
			if (w->low)
				el |= 1;
			if (w->cap > own_cap)
				el |= 2;
			if (w->any > 1)
				el |= 4;
			if (w->prev > (uint32_t)pv)
				el |= 8;
			if (w->next > (uint32_t)nx)
				el |= 16;
		}
		codes[i] = (uint8_t)(1 + form * 32 + el);
	}
}
