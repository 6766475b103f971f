#include "text/conll.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/zfile.h"

#define CONLL_MAX_BYTES ((size_t)UINT32_MAX - 1)

/* Growable arrays for the parse; grown with tmp = realloc(). */
static int grow(void **p, uint32_t *cap, uint32_t need, size_t elem)
{
	uint32_t nc;
	void *tmp;

	if (need <= *cap)
		return 0;
	nc = *cap ? *cap : 256;
	while (nc < need) {
		if (nc > UINT32_MAX / 2)
			return ERR_NOMEM;
		nc *= 2;
	}
	tmp = realloc(*p, (size_t)nc * elem);
	if (!tmp)
		return ERR_NOMEM;
	*p = tmp;
	*cap = nc;
	return 0;
}

void conll_free(conll_corpus *c)
{
	if (!c)
		return;
	free(c->name);
	free(c->text);
	free(c->row);
	free(c->cols);
	free(c->sent);
	dict_free(c->tags);
	free(c);
}

const char *conll_token(const conll_corpus *c, uint32_t row, uint32_t *n)
{
	const conll_col *k = &c->cols[c->row[row].col];

	*n = k->len;
	return c->text + k->off;
}

const char *conll_column(const conll_corpus *c, uint32_t row, uint32_t k,
			 uint32_t *n)
{
	const conll_row *r = &c->row[row];

	if (k >= r->ncol) {
		*n = 0;
		return NULL;
	}
	*n = c->cols[r->col + k].len;
	return c->text + c->cols[r->col + k].off;
}

int conll_tag_kind(const char *s, size_t n, const char **type, size_t *tlen)
{
	*type = s;
	*tlen = 0;
	if (n == 1 && s[0] == 'O')
		return 'O';
	if (n >= 3 && (s[0] == 'B' || s[0] == 'I') && s[1] == '-') {
		*type = s + 2;
		*tlen = n - 2;
		return s[0];
	}
	return 0;
}

void conll_iob2(char *kind, const char *const *type, const size_t *tlen,
		size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (kind[i] != 'I')
			continue;
		if (i == 0 || kind[i - 1] == 'O' || tlen[i - 1] != tlen[i] ||
		    memcmp(type[i - 1], type[i], tlen[i]) != 0)
			kind[i] = 'B';
	}
}

/* Interns kind+type as "O", "B-type" or "I-type". */
static uint32_t intern_tag(dict_t *tags, char kind, const char *type,
			   size_t tlen)
{
	char small[128];
	char *s = small;
	uint32_t id;

	if (kind == 'O')
		return dict_add(tags, "O", 1);
	if (tlen + 2 > sizeof(small)) {
		s = malloc(tlen + 2);
		if (!s)
			return DICT_NONE;
	}
	s[0] = kind;
	s[1] = '-';
	memcpy(s + 2, type, tlen);
	id = dict_add(tags, s, tlen + 2);
	if (s != small)
		free(s);
	return id;
}

/* Scratch for converting one sentence's tags. */
typedef struct tagseq {
	char *kind;
	const char **type;
	size_t *tlen;
	uint32_t cap;
} tagseq;

static int tagseq_reserve(tagseq *q, uint32_t n)
{
	if (n <= q->cap)
		return 0;
	uint32_t nc = q->cap ? q->cap : 64;
	while (nc < n)
		nc *= 2;
	char *k = realloc(q->kind, nc);
	if (!k)
		return ERR_NOMEM;
	q->kind = k;
	const char **t = realloc(q->type, nc * sizeof(*t));
	if (!t)
		return ERR_NOMEM;
	q->type = t;
	size_t *l = realloc(q->tlen, nc * sizeof(*l));
	if (!l)
		return ERR_NOMEM;
	q->tlen = l;
	q->cap = nc;
	return 0;
}

static void tagseq_free(tagseq *q)
{
	free(q->kind);
	free(q->type);
	free(q->tlen);
}

/* Parses column from_end of rows [first, first+n) into IOB2 ids. */
static int column_tags(const conll_corpus *c, uint32_t first, uint32_t n,
		       uint32_t from_end, dict_t *tags, uint32_t *out,
		       tagseq *q, err_t *e)
{
	if (tagseq_reserve(q, n))
		return err_set(e, ERR_NOMEM, "%s: out of memory", c->name);
	for (uint32_t i = 0; i < n; i++) {
		const conll_row *r = &c->row[first + i];
		if (r->ncol < from_end + 2)
			return err_set(e, ERR_FORMAT,
				       "%s:%u: expected at least %u columns (token and tag), found %u",
				       c->name, r->line, from_end + 2, r->ncol);
		const conll_col *k = &c->cols[r->col + r->ncol - 1 - from_end];
		const char *s = c->text + k->off;
		q->kind[i] = (char)conll_tag_kind(s, k->len, &q->type[i], &q->tlen[i]);
		if (!q->kind[i])
			return err_set(e, ERR_FORMAT,
				       "%s:%u: bad tag '%.*s' (expected O, B-TYPE or I-TYPE)",
				       c->name, r->line, (int)(k->len > 60 ? 60 : k->len), s);
	}
	conll_iob2(q->kind, q->type, q->tlen, n);
	for (uint32_t i = 0; i < n; i++) {
		out[i] = intern_tag(tags, q->kind[i], q->type[i], q->tlen[i]);
		if (out[i] == DICT_NONE)
			return err_set(e, ERR_NOMEM, "%s: out of memory", c->name);
	}
	return 0;
}

int conll_column_tags(const conll_corpus *c, uint32_t s, uint32_t from_end,
		      dict_t *tags, uint32_t *out, err_t *e)
{
	tagseq q = { 0 };
	int rc;

	if (s >= c->nsent)
		return err_set(e, ERR_ARG, "%s: no sentence %u", c->name, s);
	rc = column_tags(c, c->sent[s].first, c->sent[s].n, from_end, tags, out,
			 &q, e);
	tagseq_free(&q);
	return rc;
}

static int is_sep(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* Closes the open sentence rows [*open, nrow). */
static int end_sentence(conll_corpus *c, uint32_t *sent_cap, uint32_t *open,
			int flags, tagseq *q, uint32_t *ids, err_t *e)
{
	uint32_t n = c->nrow - *open;
	int rc;

	if (n == 0)
		return 0;
	if (grow((void **)&c->sent, sent_cap, c->nsent + 1, sizeof(*c->sent)))
		return err_set(e, ERR_NOMEM, "%s: out of memory", c->name);
	if (flags & CONLL_TAGS) {
		rc = column_tags(c, *open, n, 0, c->tags, ids + *open, q, e);
		if (rc)
			return rc;
		for (uint32_t i = 0; i < n; i++)
			c->row[*open + i].tag = ids[*open + i];
	}
	c->sent[c->nsent].first = *open;
	c->sent[c->nsent].n = n;
	c->sent[c->nsent].doc = c->ndoc ? c->ndoc - 1 : 0;
	c->nsent++;
	*open = c->nrow;
	return 0;
}

static int parse_text(conll_corpus *c, int flags, err_t *e)
{
	uint32_t row_cap = 0, col_cap = 0, sent_cap = 0, ids_cap = 0;
	uint32_t open = 0, line = 0;
	uint32_t *ids = NULL;
	tagseq q = { 0 };
	size_t pos = 0, len = c->text_len;
	int rc = 0;

	if ((flags & CONLL_TAGS) && dict_add(c->tags, "O", 1) == DICT_NONE) {
		rc = err_set(e, ERR_NOMEM, "%s: out of memory", c->name);
		goto out;
	}
	while (pos < len) {
		size_t start = pos, end;
		const char *nl = memchr(c->text + pos, '\n', len - pos);
		end = nl ? (size_t)(nl - c->text) : len;
		pos = nl ? end + 1 : len;
		line++;
		if (end > start && c->text[end - 1] == '\r')
			end--;
		if (memchr(c->text + start, '\0', end - start)) {
			rc = err_set(e, ERR_FORMAT, "%s:%u: NUL byte in line",
				     c->name, line);
			goto out;
		}
		/* split into columns */
		size_t i = start;
		uint32_t col0 = c->ncols, ncol = 0;
		while (i < end) {
			while (i < end && is_sep(c->text[i]))
				i++;
			if (i >= end)
				break;
			size_t j = i;
			while (j < end && !is_sep(c->text[j]))
				j++;
			if (grow((void **)&c->cols, &col_cap, c->ncols + 1,
				 sizeof(*c->cols))) {
				rc = err_set(e, ERR_NOMEM, "%s: out of memory", c->name);
				goto out;
			}
			c->cols[c->ncols].off = (uint32_t)i;
			c->cols[c->ncols].len = (uint32_t)(j - i);
			c->ncols++;
			ncol++;
			i = j;
		}
		if (ncol == 0) { /* blank line */
			rc = end_sentence(c, &sent_cap, &open, flags, &q, ids, e);
			if (rc)
				goto out;
			continue;
		}
		if (c->cols[col0].len == 10 &&
		    memcmp(c->text + c->cols[col0].off, "-DOCSTART-", 10) == 0) {
			c->ncols = col0;
			rc = end_sentence(c, &sent_cap, &open, flags, &q, ids, e);
			if (rc)
				goto out;
			c->ndoc++;
			continue;
		}
		if ((flags & CONLL_TAGS) && ncol < 2) {
			rc = err_set(e, ERR_FORMAT,
				     "%s:%u: expected at least 2 columns (token and tag), found 1",
				     c->name, line);
			goto out;
		}
		if (c->nrow > open && c->row[open].ncol != ncol) {
			rc = err_set(e, ERR_FORMAT,
				     "%s:%u: %u columns, but the sentence started with %u (line %u)",
				     c->name, line, ncol, c->row[open].ncol,
				     c->row[open].line);
			goto out;
		}
		if (grow((void **)&c->row, &row_cap, c->nrow + 1, sizeof(*c->row)) ||
		    ((flags & CONLL_TAGS) &&
		     grow((void **)&ids, &ids_cap, c->nrow + 1, sizeof(*ids)))) {
			rc = err_set(e, ERR_NOMEM, "%s: out of memory", c->name);
			goto out;
		}
		conll_row *r = &c->row[c->nrow++];
		r->line = line;
		r->off = (uint32_t)start;
		r->len = (uint32_t)(end - start);
		r->col = col0;
		r->ncol = ncol;
		r->tag = CONLL_NO_TAG;
	}
	rc = end_sentence(c, &sent_cap, &open, flags, &q, ids, e);
out:
	free(ids);
	tagseq_free(&q);
	return rc;
}

/* Parses text[0..len), which has room for len+1 bytes; takes ownership
 * of text whatever happens. */
static int parse_owned(const char *name, char *text, size_t len, int flags,
		       conll_corpus **out, err_t *e)
{
	conll_corpus *c;
	int rc;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (!c) {
		free(text);
		return err_set(e, ERR_NOMEM, "%s: out of memory", name);
	}
	c->text = text;
	c->text[len] = '\0';
	c->text_len = len;
	c->name = strdup(name);
	c->tags = dict_new();
	if (!c->name || !c->tags) {
		conll_free(c);
		return err_set(e, ERR_NOMEM, "%s: out of memory", name);
	}
	rc = parse_text(c, flags, e);
	if (rc) {
		conll_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

int conll_parse(const char *name, const char *data, size_t len, int flags,
		conll_corpus **out, err_t *e)
{
	char *text;

	*out = NULL;
	if (len > CONLL_MAX_BYTES)
		return err_set(e, ERR_ARG, "%s: file too large (4 GiB or more)", name);
	text = malloc(len + 1);
	if (!text)
		return err_set(e, ERR_NOMEM, "%s: out of memory", name);
	memcpy(text, data, len);
	return parse_owned(name, text, len, flags, out, e);
}

/* Reads all of f into a fresh buffer. */
static int slurp(FILE *f, char **data, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	char *p = malloc(cap), *tmp;

	if (!p)
		return ERR_NOMEM;
	for (;;) {
		if (n + 1 >= cap) {
			if (cap > CONLL_MAX_BYTES) {
				free(p);
				return ERR_ARG;
			}
			tmp = realloc(p, cap * 2);
			if (!tmp) {
				free(p);
				return ERR_NOMEM;
			}
			p = tmp;
			cap *= 2;
		}
		size_t got = fread(p + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(p);
		return ERR_IO;
	}
	*data = p;
	*len = n;
	return 0;
}

int conll_read(const char *path, int flags, conll_corpus **out, err_t *e)
{
	int is_stdin = strcmp(path, "-") == 0;
	const char *name = is_stdin ? "(stdin)" : path;
	FILE *f = is_stdin ? stdin : zfile_open(path);
	char *data = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	if (!f)
		return err_set(e, ERR_IO, "%s: cannot open: %s", path, strerror(errno));
	rc = slurp(f, &data, &len);
	if (!is_stdin)
		fclose(f);
	if (rc == ERR_IO)
		return err_set(e, rc, "%s: read error", name);
	if (rc == ERR_ARG)
		return err_set(e, rc, "%s: file too large (4 GiB or more)", name);
	if (rc)
		return err_set(e, rc, "%s: out of memory", name);
	return parse_owned(name, data, len, flags, out, e);
}
