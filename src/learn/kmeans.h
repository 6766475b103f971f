/* kmeans: word vectors and spherical k-means over them, for word-cluster
 * features (features/wclust.h holds the resulting table).
 *
 * Vector files (built once by training/vectors.sh from GloVe 6B 100-d):
 *   magic "EVTVEC1\n", u32 n, u32 dim, then n records: u16 byte length,
 *   the word (UTF-8), dim f32; all little-endian; words by frequency.
 *
 * Clustering is spherical k-means (cosine similarity on L2-normalised
 * vectors): similarities by gsl_blas_sgemm in blocks, initial centroids
 * by k-means++ with a seeded gsl_rng (mt19937), an empty cluster restarted at the
 * worst-fitting point, ties to the lower id; the same input, seed and BLAS
 * give the same clusters. kmeans_nested clusters the points into the
 * largest K, then those centroids (weighted by cluster size) into the next
 * smaller K, and so on, so coarser ids are functions of finer ones (like
 * Brown cluster prefixes). */
#ifndef EVTAG_KMEANS_H
#define EVTAG_KMEANS_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

typedef struct kmeans_vecs {
	size_t n;          /* words */
	uint32_t dim;
	char **word;       /* [n], NUL-terminated, file order */
	float *x;          /* [n * dim] row by row */
} kmeans_vecs;

/* Reads the first top words (0: all) of a vector file. *out freed with
 * kmeans_vecs_free(). 0, or ERR_IO / ERR_FORMAT ("file: reason, at byte
 * N") / ERR_EMPTY / ERR_NOMEM with *out NULL and e set. */
int kmeans_vecs_read(const char *path, size_t top, kmeans_vecs **out, err_t *e);
/* NULL is a no-op. */
void kmeans_vecs_free(kmeans_vecs *v);

/* Scales each row of x[n * dim] to unit L2 length (zero rows stay 0). */
void kmeans_normalise(float *x, size_t n, uint32_t dim);

typedef struct kmeans_opts {
	unsigned long seed;  /* gsl_rng seed */
	int max_iter;        /* Lloyd iterations at most (stops when stable) */
	/* Progress (one line, no newline), or NULL. */
	void (*progress)(void *ctx, const char *msg);
	void *progress_ctx;
} kmeans_opts;

#define KMEANS_OPTS_DEFAULT { .seed = 1, .max_iter = 20 }

/* Spherical k-means of the unit rows x[n * dim], each weighted by w[i]
 * (w NULL: 1). assign[n] receives cluster ids 0..k), cent[k * dim] (may
 * be NULL) the unit centroids, size[k] (may be NULL) the summed weights.
 * 0, or ERR_ARG (k == 0 or k > n, max_iter < 1) / ERR_NOMEM /
 * ERR_NUMERIC (a GSL call failed) with e set. */
int kmeans_run(const kmeans_opts *o, const float *x, const double *w, size_t n,
	       uint32_t dim, uint32_t k, uint32_t *assign, float *cent, double *size,
	       err_t *e);

/* Nested clustering of the unit rows x[n * dim] at granularities
 * ks[0..nk) (any order, distinct, each <= n): ids[i * nk + j] is point
 * i's cluster at ks[j]. Errors as kmeans_run. */
int kmeans_nested(const kmeans_opts *o, const float *x, size_t n, uint32_t dim,
		  const uint32_t *ks, uint32_t nk, uint32_t *ids, err_t *e);

#endif
