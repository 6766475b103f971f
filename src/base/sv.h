/* sv: the one sparse vector type of evtag, shared by the tagger and the
 * classifier: index/value pairs, sorted by index after sv_finish(). */
#ifndef EVTAG_SV_H
#define EVTAG_SV_H

#include <stddef.h>
#include <stdint.h>

typedef struct sv_entry {
	uint32_t idx;
	float val;
} sv_entry;

typedef struct sv {
	sv_entry *e; /* [n], capacity cap */
	size_t n, cap;
} sv_t;

/* Zero-initialising an sv_t is the same as sv_init(). */
void sv_init(sv_t *v);
void sv_free(sv_t *v);
/* Empties v, keeping its memory. */
void sv_clear(sv_t *v);
/* sv_push's way when v is full: grows it, then appends. */
int sv_push_grow(sv_t *v, uint32_t idx, float val);

/* Appends (idx, val). 0, or ERR_NOMEM (v unchanged). Inline: the
 * classifiers' vectors are built an entry at a time. */
static inline int sv_push(sv_t *v, uint32_t idx, float val)
{
	if (v->n == v->cap)
		return sv_push_grow(v, idx, val);
	v->e[v->n].idx = idx;
	v->e[v->n].val = val;
	v->n++;
	return 0;
}
/* Sorts by index and sums duplicate indices, dropping zeros. */
void sv_finish(sv_t *v);
/* Euclidean norm. */
double sv_norm2(const sv_t *v);
/* Scales every value by s. */
void sv_scale(sv_t *v, float s);
/* Dot product with a dense vector w[dim]; indices >= dim are ignored. */
double sv_dot_dense(const sv_t *v, const float *w, size_t dim);

#endif
