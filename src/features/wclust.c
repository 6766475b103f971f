#include "features/wclust.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/afile.h"
#include "base/buf.h"
#include "base/utf8.h"

wclust_t *wclust_new(uint32_t nlev, const uint32_t *k, size_t n)
{
	wclust_t *c;

	if (nlev == 0 || nlev > WCLUST_MAX_LEVELS)
		return NULL;
	for (uint32_t l = 0; l < nlev; l++)
		if (k[l] == 0 || k[l] > WCLUST_MAX_K)
			return NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->nlev = nlev;
	memcpy(c->k, k, nlev * sizeof(*k));
	c->n = n;
	c->word = calloc(n + 1, sizeof(*c->word));
	c->id = calloc(n * nlev + 1, sizeof(*c->id));
	if (!c->word || !c->id) {
		wclust_free(c);
		return NULL;
	}
	return c;
}

void wclust_free(wclust_t *c)
{
	if (!c)
		return;
	for (size_t i = 0; c->word && i < c->n; i++)
		free(c->word[i]);
	free(c->word);
	free(c->id);
	free(c);
}

/* Splits line at tabs into f[0..max); returns the number of fields, or
 * max + 1 when there are more. */
static int split_tabs(char *line, char **f, int max)
{
	int n = 0;

	for (char *c = line; c;) {
		char *tab = strchr(c, '\t');
		if (n == max)
			return max + 1;
		f[n++] = c;
		if (tab)
			*tab = '\0';
		c = tab ? tab + 1 : NULL;
	}
	return n;
}

static int parse_u32(const char *s, uint32_t max, uint32_t *v)
{
	char *end;
	unsigned long x;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	x = strtoul(s, &end, 10);
	if (errno || *end || x > max)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

int wclust_read(const char *path, wclust_t **out, err_t *e)
{
	FILE *f;
	char *line = NULL, *fld[WCLUST_MAX_LEVELS + 2];
	size_t cap = 0, wcap = 0;
	ssize_t got;
	unsigned long lineno = 0;
	wclust_t *c = NULL;
	int rc = 0;

	*out = NULL;
	f = fopen(path, "rb");
	if (!f)
		return err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
	c = calloc(1, sizeof(*c));
	if (!c) {
		rc = err_set(e, ERR_NOMEM, "out of memory");
		goto out;
	}
	while ((got = getline(&line, &cap, f)) >= 0) {
		size_t len = (size_t)got;
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (memchr(line, '\0', len) || utf8_check(line, len, NULL) != len) {
			rc = err_set(e, ERR_FORMAT, "%s:%lu: invalid UTF-8 or NUL byte", path, lineno);
			goto out;
		}
		if (c->nlev == 0) { /* the header */
			if (len == 0 || line[0] == '#')
				continue;
			int nf = split_tabs(line, fld, WCLUST_MAX_LEVELS + 1);
			if (nf < 2 || nf > WCLUST_MAX_LEVELS + 1 || strcmp(fld[0], "word") != 0) {
				rc = err_set(e, ERR_FORMAT, "%s:%lu: want a header 'word<TAB>cK...' with 1 to %d granularities",
					     path, lineno, WCLUST_MAX_LEVELS);
				goto out;
			}
			for (int l = 1; l < nf; l++)
				if (fld[l][0] != 'c' || parse_u32(fld[l] + 1, WCLUST_MAX_K, &c->k[l - 1]) < 0 ||
				    c->k[l - 1] == 0) {
					rc = err_set(e, ERR_FORMAT, "%s:%lu: header column %d '%s': want c<number of clusters>",
						     path, lineno, l + 1, fld[l]);
					goto out;
				}
			c->nlev = (uint32_t)(nf - 1);
			continue;
		}
		int nf = split_tabs(line, fld, (int)c->nlev + 1);
		if (nf != (int)c->nlev + 1 || !fld[0][0]) {
			rc = err_set(e, ERR_FORMAT, "%s:%lu: want a word and %u cluster ids, tab-separated",
				     path, lineno, c->nlev);
			goto out;
		}
		if (c->n == wcap) {
			size_t nc = wcap ? wcap * 2 : 4096;
			char **tw = realloc(c->word, nc * sizeof(*tw));
			if (!tw) {
				rc = err_set(e, ERR_NOMEM, "out of memory");
				goto out;
			}
			c->word = tw;
			uint32_t *ti = realloc(c->id, nc * c->nlev * sizeof(*ti));
			if (!ti) {
				rc = err_set(e, ERR_NOMEM, "out of memory");
				goto out;
			}
			c->id = ti;
			wcap = nc;
		}
		for (uint32_t l = 0; l < c->nlev; l++)
			if (parse_u32(fld[l + 1], c->k[l] - 1, &c->id[c->n * c->nlev + l]) < 0) {
				rc = err_set(e, ERR_FORMAT, "%s:%lu: cluster id '%s' is not a number below %u",
					     path, lineno, fld[l + 1], c->k[l]);
				goto out;
			}
		c->word[c->n] = strdup(fld[0]);
		if (!c->word[c->n]) {
			rc = err_set(e, ERR_NOMEM, "out of memory");
			goto out;
		}
		c->n++;
	}
	if (ferror(f)) {
		rc = err_set(e, ERR_IO, "%s: read error", path);
		goto out;
	}
	if (c->nlev == 0)
		rc = err_set(e, ERR_EMPTY, "%s:%lu: empty file, want a header 'word<TAB>cK...'", path, lineno + 1);
	else if (c->n == 0)
		rc = err_set(e, ERR_EMPTY, "%s:%lu: no words after the header", path, lineno + 1);
out:
	free(line);
	fclose(f);
	if (rc < 0)
		wclust_free(c);
	else
		*out = c;
	return rc;
}

int wclust_write(const wclust_t *c, const char *path, err_t *e)
{
	char num[16];
	buf_t b;
	int rc;

	buf_init(&b);
	buf_put(&b, "word", 4);
	for (uint32_t l = 0; l < c->nlev; l++) {
		snprintf(num, sizeof(num), "\tc%u", c->k[l]);
		buf_put(&b, num, strlen(num));
	}
	buf_put_u8(&b, '\n');
	for (size_t i = 0; i < c->n; i++) {
		if (!c->word[i] || !c->word[i][0] || strpbrk(c->word[i], "\t\n\r")) {
			buf_free(&b);
			return err_set(e, ERR_ARG, "%s: word %zu is empty or holds a tab or newline", path, i + 1);
		}
		buf_put(&b, c->word[i], strlen(c->word[i]));
		for (uint32_t l = 0; l < c->nlev; l++) {
			snprintf(num, sizeof(num), "\t%u", c->id[i * c->nlev + l]);
			buf_put(&b, num, strlen(num));
		}
		buf_put_u8(&b, '\n');
	}
	rc = b.failed ? err_set(e, ERR_NOMEM, "%s: out of memory", path)
		      : afile_write(path, b.data, b.len, e);
	buf_free(&b);
	return rc;
}
