#include "text/tsv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "base/zfile.h"

struct tsv_reader {
	FILE *fp;
	int own;          /* fclose on close */
	int flags;
	char *name;
	char *line;       /* getline buffer */
	size_t cap;
	uint64_t lineno;
};

int tsv_open(tsv_reader **out, const char *path, int flags, err_t *e)
{
	tsv_reader *r;
	int std = !path || strcmp(path, "-") == 0;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return err_set(e, ERR_NOMEM, "out of memory");
	r->flags = flags;
	r->name = strdup(std ? "<stdin>" : path);
	if (!r->name) {
		free(r);
		return err_set(e, ERR_NOMEM, "out of memory");
	}
	if (std) {
		r->fp = stdin;
	} else {
		r->fp = zfile_open(path);
		if (!r->fp) {
			int rc = err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
			free(r->name);
			free(r);
			return rc;
		}
		r->own = 1;
	}
	*out = r;
	return 0;
}

const char *tsv_name(const tsv_reader *r)
{
	return r->name;
}

void tsv_close(tsv_reader *r)
{
	if (!r)
		return;
	if (r->own)
		fclose(r->fp);
	free(r->line);
	free(r->name);
	free(r);
}

int tsv_next(tsv_reader *r, tsv_rec *rec, err_t *e)
{
	for (;;) {
		ssize_t got;
		size_t n, bad;
		const char *why;
		char *tab;

		errno = 0;
		got = getline(&r->line, &r->cap, r->fp);
		if (got < 0) {
			if (ferror(r->fp))
				return err_set(e, errno == ENOMEM ? ERR_NOMEM : ERR_IO,
					       "%s:%llu: read error: %s", r->name,
					       (unsigned long long)r->lineno + 1,
					       strerror(errno ? errno : EIO));
			return 0;
		}
		r->lineno++;
		n = (size_t)got;
		if (n > 0 && r->line[n - 1] == '\n')
			r->line[--n] = '\0';
		if (n > 0 && r->line[n - 1] == '\r')
			r->line[--n] = '\0';
		bad = utf8_check(r->line, n, &why);
		if (bad < n)
			return err_set(e, ERR_UTF8, "%s:%llu: invalid UTF-8 at byte %zu of the line (%s)",
				       r->name, (unsigned long long)r->lineno, bad + 1, why);
		tab = memchr(r->line, '\t', n);
		rec->line = r->lineno;
		if (!tab) {
			if (r->flags & TSV_TEXT_ONLY) {
				rec->label = NULL;
				rec->label_len = 0;
				rec->text = r->line;
				rec->text_len = n;
				return 1;
			}
			if (n == 0)
				continue;
			return err_set(e, ERR_FORMAT, "%s:%llu: line has no tab (want LABEL<TAB>text)",
				       r->name, (unsigned long long)r->lineno);
		}
		rec->label = r->line;
		rec->label_len = (size_t)(tab - r->line);
		*tab = '\0';
		rec->text = tab + 1;
		rec->text_len = n - rec->label_len - 1;
		if (rec->label_len == 0)
			return err_set(e, ERR_FORMAT, "%s:%llu: empty label before the tab",
				       r->name, (unsigned long long)r->lineno);
		if (memchr(rec->label, '\0', rec->label_len))
			return err_set(e, ERR_FORMAT, "%s:%llu: NUL byte in the label",
				       r->name, (unsigned long long)r->lineno);
		return 1;
	}
}

void tsv_data_free(tsv_data *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->label[i]);
		free(d->text[i]);
	}
	free(d->label);
	free(d->text);
	free(d->text_len);
	free(d->line);
	memset(d, 0, sizeof(*d));
}

static char *dup_n(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

int tsv_read_all(const char *path, int flags, tsv_data *out, err_t *e)
{
	tsv_reader *r;
	tsv_rec rec;
	size_t cap = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = tsv_open(&r, path, flags, e);
	if (rc < 0)
		return rc;
	while ((rc = tsv_next(r, &rec, e)) == 1) {
		if (out->n == cap) {
			size_t nc = cap ? cap * 2 : 256;
			char **l = realloc(out->label, nc * sizeof(*l));
			if (l)
				out->label = l;
			char **t = realloc(out->text, nc * sizeof(*t));
			if (t)
				out->text = t;
			size_t *tl = realloc(out->text_len, nc * sizeof(*tl));
			if (tl)
				out->text_len = tl;
			uint64_t *ln = realloc(out->line, nc * sizeof(*ln));
			if (ln)
				out->line = ln;
			if (!l || !t || !tl || !ln) {
				rc = err_set(e, ERR_NOMEM, "%s: out of memory", tsv_name(r));
				break;
			}
			cap = nc;
		}
		char *lab = rec.label ? dup_n(rec.label, rec.label_len) : NULL;
		char *txt = dup_n(rec.text, rec.text_len);
		if ((rec.label && !lab) || !txt) {
			free(lab);
			free(txt);
			rc = err_set(e, ERR_NOMEM, "%s: out of memory", tsv_name(r));
			break;
		}
		out->label[out->n] = lab;
		out->text[out->n] = txt;
		out->text_len[out->n] = rec.text_len;
		out->line[out->n] = rec.line;
		out->n++;
	}
	tsv_close(r);
	return rc < 0 ? rc : 0;
}
