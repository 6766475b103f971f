#include "base/sv.h"
#include "base/err.h"

#include <math.h>
#include <stdlib.h>

void sv_init(sv_t *v)
{
	v->e = NULL;
	v->n = v->cap = 0;
}

void sv_free(sv_t *v)
{
	free(v->e);
	sv_init(v);
}

void sv_clear(sv_t *v)
{
	v->n = 0;
}

int sv_push_grow(sv_t *v, uint32_t idx, float val)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 64;
		sv_entry *tmp = realloc(v->e, cap * sizeof(*tmp));
		if (!tmp)
			return ERR_NOMEM;
		v->e = tmp;
		v->cap = cap;
	}
	v->e[v->n].idx = idx;
	v->e[v->n].val = val;
	v->n++;
	return 0;
}

/* Insertion sort for the short vectors of the hot path, else qsort. */
static int sv_cmp(const void *a, const void *b)
{
	uint32_t x = ((const sv_entry *)a)->idx, y = ((const sv_entry *)b)->idx;

	return (x > y) - (x < y);
}

void sv_finish(sv_t *v)
{
	size_t o = 0;

	if (v->n < 32) {
		for (size_t i = 1; i < v->n; i++) {
			sv_entry t = v->e[i];
			size_t j = i;
			while (j > 0 && v->e[j - 1].idx > t.idx) {
				v->e[j] = v->e[j - 1];
				j--;
			}
			v->e[j] = t;
		}
	} else {
		qsort(v->e, v->n, sizeof(*v->e), sv_cmp);
	}
	for (size_t i = 0; i < v->n; i++) {
		if (o > 0 && v->e[o - 1].idx == v->e[i].idx)
			v->e[o - 1].val += v->e[i].val;
		else
			v->e[o++] = v->e[i];
	}
	v->n = o;
	o = 0;
	for (size_t i = 0; i < v->n; i++)
		if (v->e[i].val != 0.0f)
			v->e[o++] = v->e[i];
	v->n = o;
}

double sv_norm2(const sv_t *v)
{
	double s = 0.0;

	for (size_t i = 0; i < v->n; i++)
		s += (double)v->e[i].val * v->e[i].val;
	return sqrt(s);
}

void sv_scale(sv_t *v, float s)
{
	for (size_t i = 0; i < v->n; i++)
		v->e[i].val *= s;
}

double sv_dot_dense(const sv_t *v, const float *w, size_t dim)
{
	double s = 0.0;

	for (size_t i = 0; i < v->n; i++)
		if (v->e[i].idx < dim)
			s += (double)v->e[i].val * w[v->e[i].idx];
	return s;
}
