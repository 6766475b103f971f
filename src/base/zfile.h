/* zfile: opens input files people keep compressed. A file that starts
 * with gzip's magic bytes (1f 8b) is read through zlib as it is read; any
 * other file is an ordinary stdio stream. The readers of articles, corpora
 * and predictions open their files here, so every command reads .gz input.
 * This module and model.c (the model files) are the only users of zlib. */
#ifndef EVTAG_ZFILE_H
#define EVTAG_ZFILE_H

#include <stddef.h>
#include <stdio.h>

#include "base/err.h"

/* A read-only stream of path's content, decompressed when path is gzip
 * data; the caller closes it with fclose(). NULL with errno set when the
 * file cannot be opened (EISDIR for a directory). A damaged or truncated
 * gzip stream shows as a read error (ferror(), errno EIO). */
FILE *zfile_open(const char *path);

/* Reads all of path (decompressed when gzip) into *data, a malloc'd
 * buffer of *len bytes plus a terminating NUL; the caller frees it. A
 * file of more than max bytes is refused: ERR_FORMAT "PATH: larger than
 * N MB, not WHAT". 0, or ERR_IO (cannot open, read error), ERR_FORMAT or
 * ERR_NOMEM with e naming path; *data is then NULL. */
int zfile_read_all(const char *path, size_t max, const char *what, char **data, size_t *len,
		   err_t *e);

#endif
