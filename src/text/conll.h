/* conll: reader for CoNLL-style column files.
 *
 * One token per line, columns separated by tabs or runs of spaces; the
 * first column is the token and (with CONLL_TAGS) the LAST column is its
 * tag. A blank line ends a sentence; a line whose first column is
 * -DOCSTART- starts a document (and ends any open sentence). Tags may be
 * IOB1 or IOB2 (O, B-TYPE, I-TYPE); they are converted to IOB2: an I-TYPE
 * that does not continue a B-TYPE/I-TYPE of the same type becomes B-TYPE.
 *
 * Every row keeps its raw line and its raw columns (pointers into the
 * file's bytes), so conlleval-style files (token ... gold pred) can be read
 * too and any column turned into IOB2 tag ids with conll_column_tags(). */
#ifndef EVTAG_CONLL_H
#define EVTAG_CONLL_H

#include <stddef.h>
#include <stdint.h>

#include "base/dict.h"
#include "base/err.h"

#define CONLL_NO_TAG UINT32_MAX

enum {
	CONLL_TAGS = 1 /* the last column is a tag: >= 2 columns, tags checked */
};

typedef struct conll_col {
	uint32_t off, len;   /* bytes [off, off+len) of conll_corpus.text */
} conll_col;

typedef struct conll_row {
	uint32_t line;       /* 1-based line number in the file */
	uint32_t off, len;   /* the raw line (no newline, no CR) in text */
	uint32_t col, ncol;  /* its columns are cols[col .. col+ncol) */
	uint32_t tag;        /* IOB2 tag id in tags (CONLL_TAGS), else CONLL_NO_TAG */
} conll_row;

typedef struct conll_sent {
	uint32_t first, n;   /* rows [first, first+n) */
	uint32_t doc;        /* 0-based document number (-DOCSTART- count) */
} conll_sent;

typedef struct conll_corpus {
	char *name;          /* file name used in messages */
	char *text;          /* [text_len + 1] the file's bytes, NUL-terminated */
	size_t text_len;
	conll_row *row;      /* [nrow] */
	uint32_t nrow;
	conll_col *cols;     /* [ncols] */
	uint32_t ncols;
	conll_sent *sent;    /* [nsent] */
	uint32_t nsent;
	uint32_t ndoc;       /* number of -DOCSTART- lines */
	dict_t *tags;        /* IOB2 tag strings; "O" is id 0 with CONLL_TAGS */
} conll_corpus;

/* Reads path ("-" for standard input). flags: 0 or CONLL_TAGS. *out is
 * set to a corpus the caller frees with conll_free(). On failure returns
 * ERR_IO (cannot read), ERR_FORMAT ("file:line: reason" for a malformed
 * line: missing tag column, bad tag, column count changing inside a
 * sentence, NUL byte) or ERR_NOMEM, *out is NULL and e is set. An empty
 * file gives a corpus with no sentences. */
int conll_read(const char *path, int flags, conll_corpus **out, err_t *e);

/* Same, from memory: data[0..len) is copied; name is used in messages. */
int conll_parse(const char *name, const char *data, size_t len, int flags,
		conll_corpus **out, err_t *e);

/* Frees c; NULL is a no-op. */
void conll_free(conll_corpus *c);

/* Pointer to a row's token (first column) and its length in *n; the token
 * is not NUL-terminated. */
const char *conll_token(const conll_corpus *c, uint32_t row, uint32_t *n);

/* Pointer to column k of a row (0 = token) and its length in *n; NULL if
 * the row has no column k. */
const char *conll_column(const conll_corpus *c, uint32_t row, uint32_t k,
			 uint32_t *n);

/* Checks one tag s[0..n): returns 'O', 'B' or 'I' and sets *type and *tlen to
 * the type after "B-"/"I-" (empty for O); returns 0 if it is not a tag. */
int conll_tag_kind(const char *s, size_t n, const char **type, size_t *tlen);

/* Converts the column `from_end` (0 = last, 1 = second to last, ...) of
 * sentence s into IOB2 tag ids, interning tag strings in tags (which the
 * caller owns); out[] has room for the sentence's n rows. 0, or ERR_FORMAT
 * with "file:line: reason" for a missing column or bad tag, or ERR_NOMEM. */
int conll_column_tags(const conll_corpus *c, uint32_t s, uint32_t from_end,
		      dict_t *tags, uint32_t *out, err_t *e);

/* Converts a sequence of IOB1/IOB2 tag kinds to IOB2 in place: kind[i] is
 * 'O', 'B' or 'I', type[i]/tlen[i] the type; an 'I' not continuing the same
 * type becomes 'B'. */
void conll_iob2(char *kind, const char *const *type, const size_t *tlen,
		size_t n);

#endif
