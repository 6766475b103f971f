/* wclust: word cluster files, a plain table shared by the feature
 * templates that use word clusters (the classifier's "clusters" template
 * now, the tagger later).
 *
 * Format (UTF-8 text, tab-separated, one word a line):
 *   word	c64	c256	c1024        header: "word", then one column per
 *                                       granularity, "c" + number of clusters
 *   the	17	80	311          a word and its cluster id at each
 *                                       granularity (0 <= id < K)
 * Blank lines and lines starting with '#' before the header are skipped.
 * Words are kept in file order (evtag writes them by frequency); a word
 * may repeat, its first line then counts for consumers that look words up. */
#ifndef EVTAG_WCLUST_H
#define EVTAG_WCLUST_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define WCLUST_MAX_LEVELS 8
#define WCLUST_MAX_K (1u << 20)

typedef struct wclust {
	uint32_t nlev;                   /* granularities (columns after the word) */
	uint32_t k[WCLUST_MAX_LEVELS];   /* clusters at each granularity */
	size_t n;                        /* words */
	char **word;                     /* [n], NUL-terminated */
	uint32_t *id;                    /* [n * nlev], row by row */
} wclust_t;

/* Reads a cluster file; caller frees *out with wclust_free(). 0, or
 * ERR_IO / ERR_FORMAT ("file:line: reason") / ERR_EMPTY / ERR_NOMEM with
 * *out NULL and e set. */
int wclust_read(const char *path, wclust_t **out, err_t *e);

/* Writes c to path (temporary file + rename, so a failed write leaves no
 * partial file). 0, or ERR_IO / ERR_ARG with e set. */
int wclust_write(const wclust_t *c, const char *path, err_t *e);

/* An empty table for nlev granularities k[0..nlev) and n words, words
 * NULL and ids 0, for a writer to fill (words are freed by wclust_free).
 * NULL if out of memory or the shape is invalid. */
wclust_t *wclust_new(uint32_t nlev, const uint32_t *k, size_t n);

/* NULL is a no-op. */
void wclust_free(wclust_t *c);

#endif
