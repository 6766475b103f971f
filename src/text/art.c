#include "text/art.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "base/buf.h"
#include "base/jsonr.h"
#include "base/utf8.h"
#include "base/zfile.h"

struct art_reader {
	FILE *fp;
	int own;          /* fclose on close */
	art_format fmt;
	int done;
	char *name;
	char *line;       /* getline buffer, or the whole plain file */
	size_t cap;
	long lineno;      /* lines read so far */
	long count;       /* articles returned or skipped so far */
	unsigned long long offset; /* file offset of r->line's first byte */
	unsigned long long next_offset;
	buf_t text, id, key; /* JSONL: decoded text, id, member names */
};

int art_is_date(const char *s, size_t n)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y = 0, m, d;

	if (n != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (size_t i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	for (int i = 0; i < 4; i++)
		y = y * 10 + (s[i] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return 1;
}

static int is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v' || c == '\0';
}

int art_date_prefix(const char *text, size_t len, char date[11], size_t *body, err_t *e)
{
	const unsigned char *u = (const unsigned char *)text;
	size_t i = 0, d;

	date[0] = '\0';
	*body = 0;
	if (len >= 3 && memcmp(u, "\xef\xbb\xbf", 3) == 0) /* byte order mark */
		i = 3;
	while (i < len && is_blank(u[i]))
		i++;
	if (len - i < 4 || strncmp((const char *)u + i, "date", 4) != 0) {
		if (len - i < 4 || (u[i] | 0x20) != 'd' || (u[i + 1] | 0x20) != 'a' ||
		    (u[i + 2] | 0x20) != 't' || (u[i + 3] | 0x20) != 'e')
			return 0;
	}
	i += 4;
	if (i < len && u[i] == ':')
		i++;
	if (i >= len || !is_blank(u[i]))
		return 0; /* "dated", "date-line": not a prefix */
	while (i < len && (u[i] == ' ' || u[i] == '\t'))
		i++;
	d = i;
	/* only something shaped like NNNN-NN-NN is a date prefix */
	if (len - d < 10 || u[d + 4] != '-' || u[d + 7] != '-')
		return 0;
	for (size_t k = 0; k < 10; k++)
		if (k != 4 && k != 7 && (u[d + k] < '0' || u[d + k] > '9'))
			return 0;
	if (d + 10 < len && !is_blank(u[d + 10]))
		return 0;
	if (!art_is_date(text + d, 10))
		return err_set(e, ERR_FORMAT, "bad date '%.10s' in the date prefix", text + d);
	memcpy(date, text + d, 10);
	date[10] = '\0';
	i = d + 10;
	while (i < len && is_blank(u[i]))
		i++;
	*body = i;
	return 0;
}

int art_open(art_reader **out, const char *path, art_format fmt, err_t *e)
{
	art_reader *r;
	int std = !path || strcmp(path, "-") == 0;
	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return err_set(e, ERR_NOMEM, "out of memory");
	r->name = strdup(std ? "<stdin>" : path);
	if (!r->name) {
		free(r);
		return err_set(e, ERR_NOMEM, "out of memory");
	}
	if (fmt == ART_AUTO) {
		size_t n = strlen(r->name);
		fmt = ART_PLAIN;
		if (n > 3 && strcmp(r->name + n - 3, ".gz") == 0)
			n -= 3; /* news.jsonl.gz is JSON lines */
		if ((n > 6 && strncmp(r->name + n - 6, ".jsonl", 6) == 0) ||
		    (n > 7 && strncmp(r->name + n - 7, ".ndjson", 7) == 0))
			fmt = ART_JSONL;
	}
	r->fmt = fmt;
	if (std) {
		r->fp = stdin;
	} else {
		r->fp = zfile_open(path);
		if (!r->fp) {
			if (errno == EISDIR)
				err_set(e, ERR_IO, "%s: is a directory", path);
			else
				err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
			goto fail;
		}
		r->own = 1;
	}
	*out = r;
	return 0;
fail:
	art_close(r);
	return e ? e->code : ERR_IO;
}

unsigned long long art_tell(const art_reader *r)
{
	return r->next_offset;
}

const char *art_name(const art_reader *r)
{
	return r->name;
}

art_format art_format_of(const art_reader *r)
{
	return r->fmt;
}

void art_close(art_reader *r)
{
	if (!r)
		return;
	if (r->own && r->fp)
		fclose(r->fp);
	free(r->line);
	free(r->name);
	buf_free(&r->text);
	buf_free(&r->id);
	buf_free(&r->key);
	free(r);
}

/* Line number (1-based) of byte off in s, counting from line `first`. */
static long line_of(const char *s, size_t off, long first)
{
	long l = first;
	const char *p = s, *end = s + off, *nl;

	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		l++;
		p = nl + 1;
	}
	return l;
}

static int check_utf8(art_reader *r, const char *s, size_t n, long line, err_t *e)
{
	const char *why = "";
	size_t bad = utf8_check(s, n, &why);

	if (bad == n)
		return 0;
	return err_set(e, ERR_UTF8, "%s:%ld: byte %llu: invalid UTF-8 (%s)", r->name,
		       line_of(s, bad, line), r->offset + bad, why);
}

int art_from_text(const char *text, size_t len, art_article *a, err_t *e)
{
	const char *why = "";
	size_t bad = utf8_check(text, len, &why);

	memset(a, 0, sizeof(*a));
	if (bad != len)
		return err_set(e, ERR_UTF8, "byte %zu: invalid UTF-8 (%s)", bad, why);
	int rc = art_date_prefix(text, len, a->date, &a->body, e);
	if (rc < 0)
		return rc;
	a->text = text;
	a->len = len;
	a->line = 1;
	return 0;
}

/* Plain: the whole input is one article. */
static int next_plain(art_reader *r, art_article *a, err_t *e)
{
	size_t n = 0;
	int rc;

	r->done = 1;
	for (;;) {
		if (r->cap - n < 2) {
			size_t cap = r->cap ? r->cap * 2 : 1 << 16;
			char *tmp = cap > r->cap ? realloc(r->line, cap) : NULL;
			if (!tmp)
				return err_set(e, ERR_NOMEM, "%s: out of memory reading the file", r->name);
			r->line = tmp;
			r->cap = cap;
		}
		size_t got = fread(r->line + n, 1, r->cap - n - 1, r->fp);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(r->fp))
		return err_set(e, ERR_IO, "%s: read error: %s", r->name, strerror(errno ? errno : EIO));
	r->next_offset = n;
	r->line[n] = '\0';
	r->lineno = 1;
	r->count = 1;
	if ((rc = check_utf8(r, r->line, n, 1, e)))
		return rc;
	memset(a, 0, sizeof(*a));
	if ((rc = art_date_prefix(r->line, n, a->date, &a->body, e))) {
		char where[1100];
		snprintf(where, sizeof(where), "%s:1", r->name);
		err_prefix(e, where);
		return rc;
	}
	a->id = r->name;
	a->text = r->line;
	a->len = n;
	a->line = 1;
	a->index = 0;
	return 1;
}

/* Parses one JSON line into *a. */
static int parse_jsonl(art_reader *r, const char *s, size_t n, art_article *a, err_t *e)
{
	jsonr p;
	int rc, have_text = 0, have_date = 0;
	const char *num;
	size_t numlen;

	r->id.len = 0;
	r->text.len = 0;
	jsonr_init(&p, s, n);
	if ((rc = jsonr_object(&p, e)))
		return rc;
	while ((rc = jsonr_key(&p, &r->key, e)) == 1) {
		const char *k = (const char *)r->key.data;
		jsonr_kind kind = jsonr_peek(&p);
		size_t at = p.pos + 1;
		if (r->key.len == 4 && memcmp(k, "text", 4) == 0) {
			if (kind != JSONR_STRING)
				return err_set(e, ERR_FORMAT, "column %zu: \"text\" must be a string", at);
			if ((rc = jsonr_string(&p, &r->text, e)))
				return rc;
			have_text = 1;
		} else if (r->key.len == 2 && memcmp(k, "id", 2) == 0) {
			if (kind == JSONR_STRING) {
				if ((rc = jsonr_string(&p, &r->id, e)))
					return rc;
				if (memchr(r->id.data, 0, r->id.len))
					return err_set(e, ERR_FORMAT, "column %zu: \"id\" contains a NUL character", at);
			} else if (kind == JSONR_NUMBER) {
				if ((rc = jsonr_number(&p, &num, &numlen, e)))
					return rc;
				r->id.len = 0;
				buf_put(&r->id, num, numlen);
				buf_put_u8(&r->id, 0);
				r->id.len--;
			} else if (kind == JSONR_NULL) {
				if ((rc = jsonr_null(&p, e)))
					return rc;
				r->id.len = 0;
			} else {
				return err_set(e, ERR_FORMAT, "column %zu: \"id\" must be a string or a number", at);
			}
		} else if (r->key.len == 4 && memcmp(k, "date", 4) == 0) {
			if (kind == JSONR_NULL) {
				if ((rc = jsonr_null(&p, e)))
					return rc;
				a->date[0] = '\0';
				have_date = 1;
				continue;
			}
			if (kind != JSONR_STRING)
				return err_set(e, ERR_FORMAT, "column %zu: \"date\" must be a string YYYY-MM-DD", at);
			if ((rc = jsonr_string(&p, &r->key, e)))
				return rc;
			const char *d = (const char *)r->key.data;
			if (r->key.len < 10 || !art_is_date(d, 10) ||
			    (r->key.len > 10 && d[10] != 'T' && d[10] != ' '))
				return err_set(e, ERR_FORMAT, "column %zu: bad date \"%.40s\" (want YYYY-MM-DD)", at, d);
			memcpy(a->date, d, 10);
			a->date[10] = '\0';
			have_date = 1;
		} else if ((rc = jsonr_skip(&p, e))) {
			return rc;
		}
	}
	if (rc < 0 || (rc = jsonr_end(&p, e)))
		return rc;
	if (!have_text)
		return err_set(e, ERR_FORMAT, "no \"text\" member");
	if (r->id.failed || r->text.failed)
		return err_set(e, ERR_NOMEM, "out of memory");
	/* a date prefix in the text itself: the body starts after it; the
	 * "date" member, when present, wins */
	char prefix_date[11];
	if ((rc = art_date_prefix((const char *)r->text.data, r->text.len, prefix_date, &a->body, e)))
		return rc;
	if (!have_date)
		memcpy(a->date, prefix_date, sizeof(prefix_date));
	a->text = (const char *)r->text.data;
	a->len = r->text.len;
	return 0;
}

/* Buffers grown past this by one huge line are released before the next
 * line, so a long stream's memory follows the current line only. */
#define ART_KEEP_BYTES ((size_t)16 << 20)

static int next_jsonl(art_reader *r, art_article *a, err_t *e)
{
	if (r->cap > ART_KEEP_BYTES) {
		free(r->line);
		r->line = NULL;
		r->cap = 0;
	}
	if (r->text.cap > ART_KEEP_BYTES)
		buf_free(&r->text);
	if (r->id.cap > ART_KEEP_BYTES)
		buf_free(&r->id);
	if (r->key.cap > ART_KEEP_BYTES)
		buf_free(&r->key);
	for (;;) {
		ssize_t got;
		size_t n;
		int rc;

		errno = 0;
		r->offset = r->next_offset;
		got = getline(&r->line, &r->cap, r->fp);
		if (got < 0) {
			r->done = 1;
			if (ferror(r->fp))
				return err_set(e, errno == ENOMEM ? ERR_NOMEM : ERR_IO,
					       "%s:%ld: read error: %s", r->name, r->lineno + 1,
					       strerror(errno ? errno : EIO));
			return 0;
		}
		r->next_offset += (unsigned long long)got;
		r->lineno++;
		n = (size_t)got;
		if (n > 0 && r->line[n - 1] == '\n')
			n--;
		if (n > 0 && r->line[n - 1] == '\r')
			n--;
		r->line[n] = '\0';
		size_t i = 0;
		while (i < n && (r->line[i] == ' ' || r->line[i] == '\t'))
			i++;
		if (i == n)
			continue; /* blank line */
		r->count++;
		if ((rc = check_utf8(r, r->line, n, r->lineno, e)))
			return rc;
		memset(a, 0, sizeof(*a));
		rc = parse_jsonl(r, r->line, n, a, e);
		if (rc) {
			char where[1100];
			snprintf(where, sizeof(where), "%s:%ld", r->name, r->lineno);
			err_prefix(e, where); /* "FILE:LINE: reason" */
			return rc;
		}
		if (r->id.len == 0) {
			char id[64];
			snprintf(id, sizeof(id), ":%ld", r->lineno);
			r->id.len = 0;
			buf_put(&r->id, r->name, strlen(r->name));
			buf_put(&r->id, id, strlen(id) + 1);
			if (r->id.failed) {
				r->done = 1;
				return err_set(e, ERR_NOMEM, "%s:%ld: out of memory", r->name, r->lineno);
			}
			r->id.len--;
		}
		a->id = (const char *)r->id.data;
		a->line = r->lineno;
		a->index = r->count - 1;
		return 1;
	}
}

int art_next(art_reader *r, art_article *a, err_t *e)
{
	int rc;

	if (r->done)
		return 0;
	rc = r->fmt == ART_JSONL ? next_jsonl(r, a, e) : next_plain(r, a, e);
	if (rc == ERR_IO || rc == ERR_NOMEM)
		r->done = 1;
	return rc;
}
