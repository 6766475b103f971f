/* docvote: one entity type per name within an article (see docvote.h). */
#include "coder/docvote.h"

#include <stdlib.h>
#include <string.h>

/* Distinct types counted in one group; more are left out of the vote. */
#define VOTE_TYPES 16

typedef struct mention {
	const char *s;  /* the span's text */
	uint32_t len;
	uint32_t i;     /* index into the spans */
} mention;

static int by_text(const void *pa, const void *pb)
{
	const mention *a = pa, *b = pb;
	uint32_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->s, b->s, n);
	if (c)
		return c;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i; /* stable: mention order */
}

static int same_type(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* Votes in the group g[0..n) (n > 1); returns the spans changed. */
static int vote_group(docvote_span *ent, const mention *g, uint32_t n)
{
	const char *type[VOTE_TYPES];
	double sum[VOTE_TYPES], total = 0;
	int nt = 0, best = -1, tie = 0, changed = 0;

	for (uint32_t k = 0; k < n; k++) {
		const docvote_span *s = &ent[g[k].i];
		int t = 0;
		while (t < nt && !same_type(type[t], s->type))
			t++;
		if (t == nt) {
			if (nt == VOTE_TYPES)
				continue;
			type[nt] = s->type;
			sum[nt++] = 0;
		}
		sum[t] += s->score;
		total += s->score;
	}
	if (nt < 2)
		return 0;
	for (int t = 0; t < nt; t++) {
		if (best < 0 || sum[t] > sum[best]) {
			best = t;
			tie = 0;
		} else if (sum[t] == sum[best]) {
			tie = 1;
		}
	}
	if (tie || !type[best] || total <= 0)
		return 0;
	for (uint32_t k = 0; k < n; k++) {
		docvote_span *s = &ent[g[k].i];
		if (same_type(s->type, type[best]))
			continue;
		s->type = type[best];
		s->score = sum[best] / total;
		changed++;
	}
	return changed;
}

int docvote_types(const char *text, docvote_span *ent, uint32_t n, err_t *e)
{
	mention *m;
	int changed = 0;

	if (n < 2)
		return 0;
	if (!(m = malloc(n * sizeof(*m))))
		return err_set(e, ERR_NOMEM, "out of memory voting over %u entities", n);
	for (uint32_t i = 0; i < n; i++) {
		m[i].s = text + ent[i].start;
		m[i].len = ent[i].end >= ent[i].start ? ent[i].end - ent[i].start : 0;
		m[i].i = i;
	}
	qsort(m, n, sizeof(*m), by_text);
	for (uint32_t a = 0; a < n;) {
		uint32_t b = a + 1;
		while (b < n && m[b].len == m[a].len && memcmp(m[b].s, m[a].s, m[a].len) == 0)
			b++;
		if (b - a > 1)
			changed += vote_group(ent, m + a, b - a);
		a = b;
	}
	free(m);
	return changed;
}
