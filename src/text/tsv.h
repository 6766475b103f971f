/* tsv: reader for labeled examples, one per line: LABEL<TAB>text.
 *
 * Text is UTF-8; the label is everything before the first tab, the text
 * everything after it (further tabs belong to the text). A final CR
 * (CRLF files) is dropped; lines may be of any length. Errors name the
 * file and line: "train.tsv:12: line has no tab (want LABEL<TAB>text)".
 * In labeled mode, empty lines are skipped. With TSV_TEXT_ONLY every line
 * is an example: a line with a tab is read as LABEL<TAB>text (the label
 * is then available but optional), a line without one is all text, and
 * an empty line is an example with empty text, so outputs stay aligned
 * with input lines. */
#ifndef EVTAG_TSV_H
#define EVTAG_TSV_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

enum {
	TSV_TEXT_ONLY = 1 /* labels optional: plain text, one example a line */
};

typedef struct tsv_reader tsv_reader;

/* One example; pointers are into the reader's line buffer and stay valid
 * until the next tsv_next() or tsv_close(). Both strings are
 * NUL-terminated; text may contain NUL bytes (text_len counts them). */
typedef struct tsv_rec {
	const char *label;  /* NULL when the line had no label (TSV_TEXT_ONLY) */
	size_t label_len;
	const char *text;
	size_t text_len;
	uint64_t line;      /* 1-based line number */
} tsv_rec;

/* Opens path ("-" or NULL: standard input) for reading; *out freed with
 * tsv_close(). 0, or ERR_IO with e set ("path: reason"). */
int tsv_open(tsv_reader **out, const char *path, int flags, err_t *e);

/* Reads the next example into *rec. Returns 1 when a record was read, 0
 * at end of file, or a negative ERR_ code with e set to "file:line:
 * reason" (ERR_FORMAT: no tab, empty label, NUL in label; ERR_UTF8:
 * invalid UTF-8, with the byte column; ERR_IO; ERR_NOMEM). */
int tsv_next(tsv_reader *r, tsv_rec *rec, err_t *e);

/* The file name used in messages ("<stdin>" for standard input). */
const char *tsv_name(const tsv_reader *r);

/* Closes the file (not standard input) and frees r; NULL is a no-op. */
void tsv_close(tsv_reader *r);

/* A whole file in memory, for training and evaluation. */
typedef struct tsv_data {
	size_t n;
	char **label;     /* [n], each owned; NULL where unlabeled */
	char **text;      /* [n], each owned, NUL-terminated */
	size_t *text_len; /* [n] */
	uint64_t *line;   /* [n] source line numbers */
} tsv_data;

/* Reads every example of path into *out (zeroed first; free with
 * tsv_data_free(), also after failure). 0, or a negative ERR_ code with e
 * set as by tsv_next(). */
int tsv_read_all(const char *path, int flags, tsv_data *out, err_t *e);

void tsv_data_free(tsv_data *d);

#endif
