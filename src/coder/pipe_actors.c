/* pipe_actors: the actors' agent types and what an article says about its
 * people (see pipe_int.h). */
#include <stdlib.h>
#include <string.h>

#include "coder/pipe_int.h"

static int is_type(const pipe_span *s, const char *type)
{
	return s->type && strcmp(s->type, type) == 0;
}

/* The agent type of text[start, end) of record r's sentence: its words,
 * LOC entities left out, else (per: a person) the title before it. The
 * phrase's country, if its entry gives one ("the Kremlin"), goes to
 * country[4] when that is still "": what the tagger gave comes first. */
static const char *agent_of(const agents_t *ag, const pipe_doc *d, const pipe_record *r,
			    uint32_t start, uint32_t end, int per, char *country)
{
	agents_range skip[32];
	agents_match am;
	size_t ns = 0;
	if (!ag || end <= start || end > d->len)
		return NULL;
	for (uint32_t i = 0; i < r->nent && ns < 32; i++) {
		const pipe_span *en = &r->ent[i];
		if (is_type(en, "LOC") && en->start < end && start < en->end)
			skip[ns++] = (agents_range){ en->start > start ? en->start - start : 0,
						     (en->end < end ? en->end : end) - start };
	}
	if (agents_find(ag, d->text + start, end - start, skip, ns, &am) ||
	    (per && start >= r->start &&
	     agents_find_before(ag, d->text + r->start, start - r->start, &am))) {
		if (!country[0])
			memcpy(country, am.country, sizeof(am.country));
		return am.type;
	}
	return NULL;
}

static const pipe_span *entity_of(const pipe_record *r, const pipe_span *p)
{
	return p->entity >= 0 && (uint32_t)p->entity < r->nent ? &r->ent[p->entity] : NULL;
}

void pipe_actor_agent(const agents_t *ag, const pipe_doc *d, const pipe_record *r,
		      pipe_span *p)
{
	const pipe_span *en = entity_of(r, p);
	p->agent = agent_of(ag, d, r, p->start, p->end, en && is_type(en, "PER"), p->country);
}

/* ---- people */

/* A mention of a person: evidence (an actor's or entity's own country and
 * agent type), or an actor to fill (fill != NULL). */
typedef struct mention {
	const char *key;    /* the surname: the entity's last word */
	uint32_t klen;
	uint32_t order;     /* mention order in the article */
	char country[4];    /* "" when none */
	const char *agent;
	pipe_span *fill;    /* the actor, or NULL for evidence only */
} mention;

static int by_key(const void *pa, const void *pb)
{
	const mention *a = pa, *b = pb;
	uint32_t n = a->klen < b->klen ? a->klen : b->klen;
	int c = memcmp(a->key, b->key, n);
	if (c)
		return c;
	if (a->klen != b->klen)
		return a->klen < b->klen ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* The last word of entity en's text. */
static void surname(const pipe_doc *d, const pipe_span *en, const char **k, uint32_t *n)
{
	uint32_t s = en->start, e = en->end <= d->len ? en->end : (uint32_t)d->len;
	uint32_t b = e;
	while (b > s && d->text[b - 1] != ' ')
		b--;
	*k = d->text + b;
	*n = e > b ? e - b : 0;
}

/* Whether text[a, b) is at most four capitalised words (a title:
 * "Foreign Minister") or nothing, with single spaces around them. */
static int title_gap(const char *text, uint32_t a, uint32_t b)
{
	uint32_t words = 0;

	if (b <= a || text[a] != ' ' || text[b - 1] != ' ')
		return 0;
	for (uint32_t i = a + 1; i < b;) {
		uint32_t j = i;
		while (j < b && text[j] != ' ')
			j++;
		if (j == i || !(text[i] >= 'A' && text[i] <= 'Z') || ++words > 4)
			return 0;
		for (uint32_t q = i; q < j; q++)
			if (!((text[q] >= 'a' && text[q] <= 'z') || (text[q] >= 'A' && text[q] <= 'Z') ||
			      text[q] == '-' || text[q] == '.'))
				return 0;
		i = j + 1;
	}
	return 1;
}

/* The country of a person entity ent[k] from the nationality or place
 * entity just before it: "Turkish President Recep Tayyip Erdogan",
 * "Russian Foreign Minister Sergey Lavrov". NULL when none. */
static const char *country_before(const pipe_doc *d, const pipe_span *ent, uint32_t k)
{
	if (k == 0)
		return NULL;
	const pipe_span *p = &ent[k - 1];
	if (!p->country[0] || !(is_type(p, "NORP") || is_type(p, "LOC")) ||
	    p->end > ent[k].start || ent[k].start > d->len ||
	    !title_gap(d->text, p->end, ent[k].start))
		return NULL;
	return p->country;
}

/* The most frequent value in g[0..n) (countries when want_country, else
 * agent types), the earliest mention's of equals; NULL when none. */
static const char *winner(const mention *g, uint32_t n, int want_country)
{
	const char *best = NULL;
	uint32_t best_n = 0;
	for (uint32_t i = 0; i < n; i++) {
		const char *v = want_country ? (g[i].country[0] ? g[i].country : NULL) : g[i].agent;
		if (!v)
			continue;
		uint32_t c = 0;
		int seen = 0;
		for (uint32_t j = 0; j < n; j++) {
			const char *u = want_country ? (g[j].country[0] ? g[j].country : NULL)
						     : g[j].agent;
			if (u && strcmp(u, v) == 0) {
				c++;
				seen |= j < i;
			}
		}
		if (!seen && c > best_n) {
			best = v;
			best_n = c;
		}
	}
	return best;
}

int pipe_actors_people(const agents_t *ag, const pipe_doc *d, pipe_record *rec, uint32_t nrec,
		       err_t *e)
{
	mention *m = NULL;
	size_t n = 0, cap = 0;
	uint32_t order = 0;
	int need = 0;

	for (uint32_t i = 0; i < nrec; i++) {
		pipe_record *r = &rec[i];
		for (int side = 0; side < 3; side++) {
			/* PER entities, then sources, then targets */
			uint32_t cnt = side == 0 ? r->nent : side == 1 ? r->nsrc : r->ntgt;
			/* the records' spans live in the workspace: writable */
			pipe_span *sp = (pipe_span *)(side == 0 ? r->ent : side == 1 ? r->src : r->tgt);
			for (uint32_t k = 0; k < cnt; k++) {
				const pipe_span *en = side == 0 ? &sp[k] : entity_of(r, &sp[k]);
				if (!en || !is_type(en, "PER"))
					continue;
				if (n == cap) {
					size_t nc = cap ? 2 * cap : 64;
					mention *t = realloc(m, nc * sizeof(*t));
					if (!t) {
						free(m);
						return err_set(e, ERR_NOMEM, "out of memory for an article's people");
					}
					m = t;
					cap = nc;
				}
				mention *x = &m[n++];
				surname(d, en, &x->key, &x->klen);
				x->order = order++;
				memcpy(x->country, sp[k].country, sizeof(x->country));
				x->fill = NULL;
				if (side == 0) {
					const char *cb = x->country[0] ? NULL : country_before(d, sp, k);
					if (cb)
						memcpy(x->country, cb, sizeof(x->country));
					x->agent = agent_of(ag, d, r, en->start, en->end, 1, x->country);
				} else {
					x->agent = sp[k].agent;
					if (!sp[k].agent || !sp[k].country[0]) {
						x->fill = &sp[k];
						need = 1;
					}
				}
				if (x->klen == 0)
					n--;
			}
		}
	}
	if (need && n > 1) {
		qsort(m, n, sizeof(*m), by_key);
		for (size_t a = 0; a < n;) {
			size_t b = a + 1;
			while (b < n && m[b].klen == m[a].klen && memcmp(m[b].key, m[a].key, m[a].klen) == 0)
				b++;
			const char *c = winner(m + a, (uint32_t)(b - a), 1);
			const char *g = winner(m + a, (uint32_t)(b - a), 0);
			for (size_t k = a; k < b; k++) {
				pipe_span *p = m[k].fill;
				if (!p)
					continue;
				if (!p->country[0] && c)
					memcpy(p->country, c, sizeof(p->country));
				if (!p->agent && g)
					p->agent = g;
			}
			a = b;
		}
	}
	free(m);
	return 0;
}
