/* art: reading news articles, one at a time, from a file or standard
 * input.
 *
 * Two formats:
 *  - ART_PLAIN: the whole file is one article. Its text may start with a
 *    date prefix: optional whitespace, the word `date` (any case, an
 *    optional ':'), whitespace and YYYY-MM-DD, e.g.
 *    " date 2020-10-09 In a bid to ease ...". The article's text is the
 *    whole file, so offsets into it are offsets into the file; `body` is
 *    where the text after the prefix begins.
 *  - ART_JSONL: one JSON object per line, {"id": ..., "date": ...,
 *    "text": ...}. "text" is required (a string); "id" is a string or a
 *    number (kept as written); "date" is "YYYY-MM-DD" (a longer ISO form
 *    such as "2020-10-09T12:00:00Z" keeps its date) or null; other members
 *    are ignored. Blank lines are skipped. A date prefix in the text is
 *    handled as in plain files (the body starts after it); its date is
 *    used when the "date" member is missing.
 *  - ART_AUTO: ART_JSONL for names ending in .jsonl or .ndjson, else
 *    ART_PLAIN.
 *
 * Text must be valid UTF-8 (checked); it may contain NUL bytes. Lines of
 * any length are read; in a JSON lines stream, memory follows the current
 * line (buffers that one huge line grew are released before the next). */
#ifndef EVTAG_ART_H
#define EVTAG_ART_H

#include <stddef.h>

#include "base/err.h"

typedef enum { ART_AUTO = 0, ART_PLAIN = 1, ART_JSONL = 2 } art_format;

/* One article. Everything it points to belongs to the reader and stays
 * valid until the next art_next() or art_close(). */
typedef struct art_article {
	const char *id;    /* JSONL: the "id" member, else "FILE:LINE"; plain:
			    * the file name ("<stdin>" for standard input) */
	char date[11];     /* "YYYY-MM-DD", or "" when the article has none */
	const char *text;  /* [len] UTF-8, NUL-terminated after len */
	size_t len;
	size_t body;       /* text[body..len) is the body (after a date prefix) */
	long line;         /* line of the file it starts on (1-based) */
	long index;        /* 0-based count of articles before it in the file,
			    * bad ones included */
} art_article;

typedef struct art_reader art_reader;

/* Opens path ("-" or NULL: standard input, not closed by art_close()).
 * *out is freed with art_close(). 0, or ERR_IO ("path: reason", also for
 * a directory) / ERR_NOMEM with e set. */
int art_open(art_reader **out, const char *path, art_format fmt, err_t *e);

/* Reads the next article into *a. Returns 1 when one was read, 0 at the
 * end of the input, or a negative ERR_ code with e set to
 * "FILE:LINE: reason" (ERR_UTF8 names the byte offset in the file:
 * "FILE:LINE: byte N: invalid UTF-8 (...)"). After ERR_FORMAT or ERR_UTF8
 * the bad article has been skipped: call again to continue with the next
 * one. After ERR_IO or ERR_NOMEM the reader is finished (later calls
 * return 0). */
int art_next(art_reader *r, art_article *a, err_t *e);

/* The name used in messages: the path, or "<stdin>". */
const char *art_name(const art_reader *r);

/* The format r reads: ART_PLAIN or ART_JSONL (ART_AUTO resolved). */
art_format art_format_of(const art_reader *r);

/* Bytes of the input read so far (after gzip decompression): up to the
 * end of the last line read (JSON lines), or the whole file once its
 * article has been read (plain). */
unsigned long long art_tell(const art_reader *r);
/* Closes the file (not standard input) and frees r; NULL is a no-op. */
void art_close(art_reader *r);

/* Parses a date prefix at the start of text[0..len): returns the offset
 * where the body starts (after the prefix and the blanks that follow it)
 * and copies the date into date[11], or returns 0 and sets date to ""
 * when there is no prefix. A prefix whose date is impossible
 * (2020-13-45) is ERR_FORMAT with e set ("bad date ..."). */
int art_date_prefix(const char *text, size_t len, char date[11], size_t *body, err_t *e);

/* Fills *a for one article given as text[0..len) (as a plain file holding
 * it would be read; a points into text, nothing is copied): checks its
 * UTF-8 and finds a date prefix (a->body after it, a->date its date or "").
 * a->id is NULL. 0, or ERR_UTF8 ("byte N: invalid UTF-8 (why)") or
 * ERR_FORMAT (an impossible prefix date) with e set. */
int art_from_text(const char *text, size_t len, art_article *a, err_t *e);

/* Is s[0..n) a valid calendar date YYYY-MM-DD? */
int art_is_date(const char *s, size_t n);

#endif
