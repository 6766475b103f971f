/* bow: the peers' bag of words in C, for timing liblinear's feature
 * preparation fairly (the awk version in lib.sh, bench_bow_script, does
 * the same thing about six times slower: docs/benchmarks.md). Reads LABEL<TAB>text lines and
 * writes liblinear's sparse format exactly as `bow.sh TEST` does: the
 * label's number from LABELS ("name number" lines; unknown: 0), then the
 * text's distinct words (ASCII letters lowercased; any byte other than
 * a-z and 0-9 separates words) that VOCAB ("word number" lines) knows, as
 * sorted index:value pairs, value 1/sqrt(number of words kept) ("%.6g").
 *   bow VOCAB LABELS IN OUT
 * Built and run by tests/bench/bench-events.sh. OUT is written to OUT.tmp
 * and renamed when whole (a failed run leaves no partial file; an OUT that
 * is not a regular file is refused). Exit 0, 1 on error. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct entry {
	char *key;
	long val;
} entry;

typedef struct table {
	entry *e;    /* [cap], cap a power of two */
	size_t cap, n;
} table;

static uint64_t hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static entry *slot(const table *t, const char *s, size_t n)
{
	size_t i = hash(s, n) & (t->cap - 1);
	while (t->e[i].key && (strncmp(t->e[i].key, s, n) != 0 || t->e[i].key[n] != 0))
		i = (i + 1) & (t->cap - 1);
	return &t->e[i];
}

/* Reads "key number" lines of path into t (cap 4x the lines). */
static int table_read(const char *path, table *t)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	size_t lines = 0;

	if (!f) {
		fprintf(stderr, "bow: %s: cannot read\n", path);
		return -1;
	}
	while (fgets(line, sizeof line, f))
		lines++;
	rewind(f);
	t->cap = 16;
	while (t->cap < 4 * lines)
		t->cap *= 2;
	t->e = calloc(t->cap, sizeof *t->e);
	if (!t->e) {
		fclose(f);
		return -1;
	}
	while (fgets(line, sizeof line, f)) {
		char *sp = strrchr(line, ' ');
		if (!sp)
			continue;
		*sp = 0;
		entry *e = slot(t, line, strlen(line));
		if (!e->key) {
			e->key = strdup(line);
			if (!e->key) {
				fclose(f);
				return -1;
			}
			t->n++;
		}
		e->val = strtol(sp + 1, NULL, 10);
	}
	fclose(f);
	return 0;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	table voc = { 0 }, lab = { 0 };
	FILE *in, *out;
	char *line = NULL;
	size_t cap = 0, icap = 0;
	long *idx = NULL;
	ssize_t len;

	if (argc != 5) {
		fprintf(stderr, "usage: bow VOCAB LABELS IN OUT\n");
		return 2;
	}
	if (table_read(argv[1], &voc) || table_read(argv[2], &lab))
		return 1;
	struct stat st;
	if (stat(argv[4], &st) == 0 && !S_ISREG(st.st_mode)) {
		fprintf(stderr, "bow: %s: exists and is not a regular file\n", argv[4]);
		return 1;
	}
	char *tmpf = malloc(strlen(argv[4]) + 5);
	if (!tmpf)
		return 1;
	strcat(strcpy(tmpf, argv[4]), ".tmp");
	if (!(in = fopen(argv[3], "r")) || !(out = fopen(tmpf, "w"))) {
		fprintf(stderr, "bow: cannot open %s or %s\n", argv[3], tmpf);
		return 1;
	}
	while ((len = getline(&line, &cap, in)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = 0;
		char *tab = strchr(line, '\t');
		char *text = tab ? tab + 1 : line + len;
		size_t ln = tab ? (size_t)(tab - line) : (size_t)len;
		entry *le = slot(&lab, line, ln);
		size_t m = 0;
		for (char *p = text; *p;) {
			while (*p && !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
				       (*p >= '0' && *p <= '9')))
				p++;
			char *w = p;
			for (; (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			       (*p >= '0' && *p <= '9'); p++)
				if (*p >= 'A' && *p <= 'Z')
					*p += 'a' - 'A';
			if (p == w)
				continue;
			entry *e = slot(&voc, w, (size_t)(p - w));
			if (!e->key)
				continue;
			if (m == icap) {
				size_t nc = icap ? 2 * icap : 64;
				long *tmp = realloc(idx, nc * sizeof *idx);
				if (!tmp) {
					fprintf(stderr, "bow: out of memory\n");
					fclose(out);
					remove(tmpf);
					return 1;
				}
				idx = tmp;
				icap = nc;
			}
			idx[m++] = e->val;
		}
		qsort(idx, m, sizeof *idx, cmp_long);
		size_t k = 0;
		for (size_t i = 0; i < m; i++)
			if (k == 0 || idx[i] != idx[k - 1])
				idx[k++] = idx[i];
		fprintf(out, "%ld", le->key ? le->val : 0);
		double v = k ? 1 / sqrt((double)k) : 0;
		for (size_t i = 0; i < k; i++)
			fprintf(out, " %ld:%.6g", idx[i], v);
		fputc('\n', out);
	}
	free(line);
	free(idx);
	fclose(in);
	if (ferror(out) | fclose(out) || rename(tmpf, argv[4])) {
		fprintf(stderr, "bow: %s: write error\n", argv[4]);
		remove(tmpf);
		return 1;
	}
	free(tmpf);
	return 0;
}
