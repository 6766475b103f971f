#include "learn/kmeans.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#define VEC_MAGIC "EVTVEC1\n"
#define VEC_MAX_DIM 4096
#define VEC_MAX_N 100000000u
#define BLOCK_ROWS 2048

void kmeans_vecs_free(kmeans_vecs *v)
{
	if (!v)
		return;
	for (size_t i = 0; v->word && i < v->n; i++)
		free(v->word[i]);
	free(v->word);
	free(v->x);
	free(v);
}

static uint32_t le32(const unsigned char *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

int kmeans_vecs_read(const char *path, size_t top, kmeans_vecs **out, err_t *e)
{
	FILE *f;
	unsigned char hdr[16], *rec = NULL;
	kmeans_vecs *v = NULL;
	uint32_t n, dim;
	long pos = 16;
	int rc = 0;

	*out = NULL;
	f = fopen(path, "rb");
	if (!f)
		return err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
	if (fread(hdr, 1, 16, f) != 16 || memcmp(hdr, VEC_MAGIC, 8) != 0) {
		rc = err_set(e, ERR_FORMAT, "%s: not an evtag vector file (want magic EVTVEC1)", path);
		goto out;
	}
	n = le32(hdr + 8);
	dim = le32(hdr + 12);
	if (n == 0 || n > VEC_MAX_N || dim == 0 || dim > VEC_MAX_DIM) {
		rc = err_set(e, n == 0 ? ERR_EMPTY : ERR_FORMAT, "%s: bad header (%u words of %u dimensions)",
			     path, n, dim);
		goto out;
	}
	if (top == 0 || top > n)
		top = n;
	v = calloc(1, sizeof(*v));
	rec = malloc((size_t)dim * 4);
	if (!v || !rec || !(v->word = calloc(top, sizeof(*v->word))) ||
	    !(v->x = malloc(top * dim * sizeof(float)))) {
		rc = err_set(e, ERR_NOMEM, "out of memory");
		goto out;
	}
	v->dim = dim;
	for (size_t i = 0; i < top; i++) {
		unsigned char lb[2];
		if (fread(lb, 1, 2, f) != 2) {
			rc = err_set(e, ERR_FORMAT, "%s: truncated at byte %ld (word %zu of %u)", path, pos, i + 1, n);
			goto out;
		}
		size_t wl = (size_t)lb[0] | (size_t)lb[1] << 8;
		char *w = malloc(wl + 1);
		if (!w) {
			rc = err_set(e, ERR_NOMEM, "out of memory");
			goto out;
		}
		v->word[i] = w;
		v->n = i + 1;
		if (wl == 0 || fread(w, 1, wl, f) != wl || fread(rec, 4, dim, f) != dim) {
			rc = err_set(e, ERR_FORMAT, "%s: truncated or empty word at byte %ld (word %zu of %u)",
				     path, pos, i + 1, n);
			goto out;
		}
		w[wl] = '\0';
		if (memchr(w, '\0', wl) || strpbrk(w, "\t\n\r")) {
			rc = err_set(e, ERR_FORMAT, "%s: word %zu at byte %ld holds a NUL, tab or newline",
				     path, i + 1, pos);
			goto out;
		}
		for (uint32_t d = 0; d < dim; d++) {
			uint32_t u = le32(rec + 4 * d);
			float x;
			memcpy(&x, &u, 4);
			if (!isfinite(x)) {
				rc = err_set(e, ERR_FORMAT, "%s: word %zu ('%s') has a non-finite value", path, i + 1, w);
				goto out;
			}
			v->x[i * dim + d] = x;
		}
		pos += 2 + (long)wl + 4 * (long)dim;
	}
	if (top == n && fgetc(f) != EOF) {
		rc = err_set(e, ERR_FORMAT, "%s: trailing bytes after %u words", path, n);
		goto out;
	}
	if (ferror(f))
		rc = err_set(e, ERR_IO, "%s: read error", path);
out:
	fclose(f);
	free(rec);
	if (rc < 0)
		kmeans_vecs_free(v);
	else
		*out = v;
	return rc;
}

void kmeans_normalise(float *x, size_t n, uint32_t dim)
{
	for (size_t i = 0; i < n; i++) {
		float *r = x + i * dim;
		double s = 0;
		for (uint32_t d = 0; d < dim; d++)
			s += (double)r[d] * r[d];
		if (s > 0) {
			float inv = (float)(1.0 / sqrt(s));
			for (uint32_t d = 0; d < dim; d++)
				r[d] *= inv;
		}
	}
}

/* One progress line through the caller's callback. */
#define say(o, ...) err_say((o)->progress, (o)->progress_ctx, __VA_ARGS__)

int kmeans_run(const kmeans_opts *o, const float *x, const double *w, size_t n, uint32_t dim,
	       uint32_t k, uint32_t *assign, float *cent_out, double *size_out, err_t *e)
{
	float *cent = NULL, *sim = NULL, *best = NULL;
	double *sum = NULL, *size = NULL;
	unsigned char *taken = NULL;
	gsl_rng *rng = NULL;
	int rc = 0;

	if (k == 0 || k > n || dim == 0 || o->max_iter < 1)
		return err_set(e, ERR_ARG, "k-means: need 1 <= k <= points (k=%u, %zu points) and iterations >= 1",
			       k, n);
	cent = malloc((size_t)k * dim * sizeof(*cent));
	sim = malloc((size_t)BLOCK_ROWS * k * sizeof(*sim));
	best = malloc(n * sizeof(*best));
	sum = malloc((size_t)k * dim * sizeof(*sum));
	size = malloc((size_t)k * sizeof(*size));
	taken = malloc(n);
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (!cent || !sim || !best || !sum || !size || !taken || !rng) {
		rc = err_set(e, ERR_NOMEM, "out of memory");
		goto out;
	}
	/* initial centroids by k-means++: each next one drawn with
	 * probability proportional to weight * (1 - best similarity)^2 */
	gsl_rng_set(rng, o->seed);
	for (size_t i = 0; i < n; i++)
		best[i] = -2.0f; /* below any cosine similarity */
	for (uint32_t c = 0; c < k; c++) {
		double tot = 0, u;
		size_t pick = n - 1;
		for (size_t i = 0; i < n; i++) {
			double dd = 1.0 - best[i];
			tot += (w ? w[i] : 1.0) * (dd > 0 ? dd * dd : 0);
		}
		u = gsl_rng_uniform(rng) * tot;
		for (size_t i = 0; i < n; i++) {
			double dd = 1.0 - best[i];
			u -= (w ? w[i] : 1.0) * (dd > 0 ? dd * dd : 0);
			if (u < 0 && (dd > 0)) {
				pick = i;
				break;
			}
		}
		float *cr = cent + (size_t)c * dim;
		memcpy(cr, x + pick * dim, dim * sizeof(*cr));
		for (size_t i = 0; i < n; i++) {
			const float *xr = x + i * dim;
			float sdot = 0;
			for (uint32_t d = 0; d < dim; d++)
				sdot += xr[d] * cr[d];
			if (sdot > best[i])
				best[i] = sdot;
		}
	}
	for (size_t i = 0; i < n; i++)
		assign[i] = UINT32_MAX;
	for (int it = 0; it < o->max_iter; it++) {
		size_t changed = 0;
		double obj = 0, wsum = 0;
		/* assignment: the most similar centroid, by blocks of rows */
		gsl_matrix_float_const_view C = gsl_matrix_float_const_view_array(cent, k, dim);
		for (size_t r0 = 0; r0 < n; r0 += BLOCK_ROWS) {
			size_t rows = n - r0 < BLOCK_ROWS ? n - r0 : BLOCK_ROWS;
			gsl_matrix_float_const_view X = gsl_matrix_float_const_view_array(x + r0 * dim, rows, dim);
			gsl_matrix_float_view S = gsl_matrix_float_view_array(sim, rows, k);
			int st = gsl_blas_sgemm(CblasNoTrans, CblasTrans, 1.0f, &X.matrix, &C.matrix, 0.0f, &S.matrix);
			if (st) {
				rc = err_set(e, ERR_NUMERIC, "k-means: gsl_blas_sgemm: %s", gsl_strerror(st));
				goto out;
			}
			for (size_t i = 0; i < rows; i++) {
				const float *s = sim + i * k;
				uint32_t a = 0;
				for (uint32_t c = 1; c < k; c++)
					if (s[c] > s[a])
						a = c;
				best[r0 + i] = s[a];
				obj += (w ? w[r0 + i] : 1.0) * s[a];
				wsum += w ? w[r0 + i] : 1.0;
				if (assign[r0 + i] != a) {
					assign[r0 + i] = a;
					changed++;
				}
			}
		}
		say(o, "k-means k=%u: iteration %d, %zu changed, mean similarity %.4f", k, it + 1, changed,
		    wsum > 0 ? obj / wsum : 0.0);
		if (changed == 0)
			break;
		/* update: weighted sums, normalised; empty clusters restart at
		 * the worst-fitting points */
		memset(sum, 0, (size_t)k * dim * sizeof(*sum));
		memset(size, 0, (size_t)k * sizeof(*size));
		for (size_t i = 0; i < n; i++) {
			double wi = w ? w[i] : 1.0;
			double *sr = sum + (size_t)assign[i] * dim;
			const float *xr = x + i * dim;
			size[assign[i]] += wi;
			for (uint32_t d = 0; d < dim; d++)
				sr[d] += wi * xr[d];
		}
		memset(taken, 0, n);
		for (uint32_t c = 0; c < k; c++) {
			float *cr = cent + (size_t)c * dim;
			double s2 = 0;
			for (uint32_t d = 0; d < dim; d++)
				s2 += sum[(size_t)c * dim + d] * sum[(size_t)c * dim + d];
			if (size[c] > 0 && s2 > 0) {
				double inv = 1.0 / sqrt(s2);
				for (uint32_t d = 0; d < dim; d++)
					cr[d] = (float)(sum[(size_t)c * dim + d] * inv);
				continue;
			}
			size_t worst = SIZE_MAX;
			for (size_t i = 0; i < n; i++)
				if (!taken[i] && (worst == SIZE_MAX || best[i] < best[worst]))
					worst = i;
			taken[worst] = 1;
			memcpy(cr, x + worst * dim, dim * sizeof(*cr));
		}
	}
	if (cent_out)
		memcpy(cent_out, cent, (size_t)k * dim * sizeof(*cent));
	if (size_out) {
		memset(size_out, 0, (size_t)k * sizeof(*size_out));
		for (size_t i = 0; i < n; i++)
			size_out[assign[i]] += w ? w[i] : 1.0;
	}
out:
	free(cent);
	free(sim);
	free(best);
	free(sum);
	free(size);
	free(taken);
	gsl_rng_free(rng);
	return rc;
}

int kmeans_nested(const kmeans_opts *o, const float *x, size_t n, uint32_t dim, const uint32_t *ks,
		  uint32_t nk, uint32_t *ids, err_t *e)
{
	uint32_t *order = NULL, *assign = NULL, *map = NULL;
	float *pts = NULL, *cent = NULL;
	double *wt = NULL, *size = NULL;
	size_t np = n;
	int rc = 0;

	if (nk == 0)
		return err_set(e, ERR_ARG, "k-means: no granularity given");
	order = malloc(nk * sizeof(*order));
	if (!order)
		return err_set(e, ERR_NOMEM, "out of memory");
	/* granularities from the largest down */
	for (uint32_t j = 0; j < nk; j++)
		order[j] = j;
	for (uint32_t a = 1; a < nk; a++)
		for (uint32_t b = a; b > 0 && ks[order[b]] > ks[order[b - 1]]; b--) {
			uint32_t t = order[b];
			order[b] = order[b - 1];
			order[b - 1] = t;
		}
	for (uint32_t j = 0; j < nk; j++)
		if (ks[order[j]] == 0 || ks[order[j]] > n || (j && ks[order[j]] == ks[order[j - 1]])) {
			rc = err_set(e, ERR_ARG, "k-means: granularities must be distinct, >= 1 and <= %zu points", n);
			goto out;
		}
	assign = malloc(n * sizeof(*assign));
	map = malloc(n * sizeof(*map));   /* point -> current cluster */
	cent = malloc((size_t)ks[order[0]] * dim * sizeof(*cent));
	size = malloc((size_t)ks[order[0]] * sizeof(*size));
	if (!assign || !map || !cent || !size) {
		rc = err_set(e, ERR_NOMEM, "out of memory");
		goto out;
	}
	const float *px = x;
	for (uint32_t j = 0; j < nk; j++) {
		uint32_t k = ks[order[j]];
		rc = kmeans_run(o, px, wt, np, dim, k, assign, cent, size, e);
		if (rc < 0)
			goto out;
		for (size_t i = 0; i < n; i++) {
			map[i] = j == 0 ? assign[i] : assign[map[i]];
			ids[i * nk + order[j]] = map[i];
		}
		/* the next level clusters these centroids, weighted by size */
		free(pts);
		pts = malloc((size_t)k * dim * sizeof(*pts));
		free(wt);
		wt = malloc((size_t)k * sizeof(*wt));
		if (!pts || !wt) {
			rc = err_set(e, ERR_NOMEM, "out of memory");
			goto out;
		}
		memcpy(pts, cent, (size_t)k * dim * sizeof(*pts));
		memcpy(wt, size, (size_t)k * sizeof(*wt));
		px = pts;
		np = k;
	}
out:
	free(order);
	free(assign);
	free(map);
	free(pts);
	free(cent);
	free(wt);
	free(size);
	return rc;
}
