/* places: the place table (see places.h). */
#include "coder/places.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/model.h"
#include "base/utf8.h"

#define PLACES_MAX ((uint32_t)1 << 24) /* more than GeoNames has */
#define LAT_MAX 9000000                 /* 90 degrees in 1e-5 */
#define LON_MAX 18000000

struct places {
	char *source;          /* PSRC note */
	uint32_t ncty;
	char cty[256][4];      /* ISO3 codes, NUL-terminated */
	uint32_t n;
	unsigned char *pool;   /* names and admin1 codes, back to back */
	uint32_t *name_off;    /* [n] into pool */
	uint8_t *name_len;     /* [n] */
	uint32_t *admin_off;   /* [n] into pool */
	uint8_t *admin_len;    /* [n] */
	uint8_t *country;      /* [n] index into cty */
	uint32_t *pop;         /* [n] */
	int32_t *lat, *lon;    /* [n] 1e-5 degree */
	uint8_t *region;       /* [n] 1: a first-level region, no coordinates */
};

/* ---- folding names */

/* Base letters of U+00C0..U+00FF and U+0100..U+017F; '?' marks the few
 * that fold to two letters or stay as they are (see fold_cp). */
static const char latin1[] = "aaaaaa?ceeeeiiiidnooooo?ouuuuy??"
			     "aaaaaa?ceeeeiiiidnooooo?ouuuuy?y";
static const char latin_a[] = "aaaaaaccccccccdd" "ddeeeeeeeeeegggg" "gggghhhhiiiiiiii"
			      "ii??jjkkklllllll" "lllnnnnnnnnnoooo" "oo??rrrrrrssssss"
			      "ssttttttuuuuuuuu" "uuuuwwyyyzzzzzzs";

/* The folded ASCII of code point cp into out (at most 2 bytes); its
 * length, or 0 when cp folds to nothing ASCII (kept as it is). */
static int fold_cp(uint32_t cp, char *out)
{
	const char *two = NULL;
	char c = 0;
	if (cp < 0x80) {
		c = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
	} else if (cp >= 0xC0 && cp <= 0xFF) {
		c = latin1[cp - 0xC0];
		if (cp == 0xC6 || cp == 0xE6)
			two = "ae";
		else if (cp == 0xDE || cp == 0xFE)
			two = "th";
		else if (cp == 0xDF)
			two = "ss";
	} else if (cp >= 0x100 && cp <= 0x17F) {
		c = latin_a[cp - 0x100];
		if (cp == 0x132 || cp == 0x133)
			two = "ij";
		else if (cp == 0x152 || cp == 0x153)
			two = "oe";
	} else if (cp >= 0x218 && cp <= 0x21B) {
		c = cp < 0x21A ? 's' : 't'; /* Romanian comma-below S and T */
	} else if (cp == 0x2018 || cp == 0x2019 || cp == 0x02BC || cp == 0x02BB) {
		c = '\'';
	} else if (cp >= 0x2010 && cp <= 0x2015) {
		c = '-';
	} else if (cp == 0xA0) {
		c = ' ';
	}
	if (two) {
		memcpy(out, two, 2);
		return 2;
	}
	if (!c || c == '?')
		return 0;
	out[0] = c;
	return 1;
}

size_t places_fold(const char *s, size_t len, char *out, size_t cap)
{
	size_t o = 0, i = 0;
	int space = 1; /* drops leading spaces and collapses runs */
	while (i < len) {
		char f[2];
		size_t at = i;
		int32_t cp = utf8_next(s, len, &i); /* -1: a bad byte, copied as it is */
		int nf = cp < 0 ? 0 : fold_cp((uint32_t)cp, f);
		const char *w = nf ? f : s + at;
		size_t wn = nf ? (size_t)nf : i - at;
		if (wn == 1 && (w[0] == ' ' || w[0] == '\t' || w[0] == '\n' || w[0] == '\r')) {
			if (space)
				continue;
			space = 1;
			w = " ";
		} else {
			space = 0;
		}
		if (o + wn >= cap)
			return 0;
		memcpy(out + o, w, wn);
		o += wn;
	}
	if (o && out[o - 1] == ' ')
		o--;
	if (cap)
		out[o] = '\0';
	return o;
}

/* ---- compiling the table */

typedef struct row {
	char *name;            /* folded */
	uint8_t nlen;
	char cty[4];
	char admin[PLACES_ADMIN_MAX + 1];
	uint32_t pop;
	int32_t lat, lon;
	long long id;
	uint8_t region;
} row;

static int row_cmp(const void *a, const void *b)
{
	const row *x = a, *y = b;
	size_t n = x->nlen < y->nlen ? x->nlen : y->nlen;
	int c = memcmp(x->name, y->name, n);
	if (c)
		return c;
	if (x->nlen != y->nlen)
		return x->nlen < y->nlen ? -1 : 1;
	if (x->pop != y->pop)
		return x->pop > y->pop ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	if (x->region != y->region)
		return x->region < y->region ? -1 : 1;
	if ((c = strcmp(x->cty, y->cty)) != 0)
		return c;
	return strcmp(x->admin, y->admin);
}

static int cty_cmp(const void *a, const void *b)
{
	return memcmp(a, b, 4);
}

/* Splits line into at most max tab-separated fields (in place); count. */
static int split_tabs(char *line, char **f, int max)
{
	int n = 0;
	f[n++] = line;
	for (char *p = line; *p && n < max + 1; p++)
		if (*p == '\t') {
			*p = '\0';
			if (n == max)
				return max + 1;
			f[n++] = p + 1;
		}
	return n;
}

static int parse_ll(const char *s, long long lo, long long hi, long long *v)
{
	char *end;
	errno = 0;
	long long x = strtoll(s, &end, 10);
	if (!*s || *end || errno || x < lo || x > hi)
		return -1;
	*v = x;
	return 0;
}

/* The rows being read. */
typedef struct rows {
	row *r;      /* [cap] */
	uint32_t n;
	size_t cap;
} rows;

/* Appends x under the folded name[0..len) (nothing when it folds to
 * nothing or too long). 0, ERR_NOMEM, or ERR_FORMAT when full. */
static int add_row(rows *t, const char *name, size_t len, const row *x)
{
	char folded[PLACES_NAME_MAX + 1];
	size_t nl = places_fold(name, len, folded, sizeof(folded));
	if (nl == 0)
		return 0;
	if (t->n == PLACES_MAX)
		return ERR_FORMAT;
	if (t->n == t->cap) {
		size_t nc = t->cap ? 2 * t->cap : 4096;
		row *r = realloc(t->r, nc * sizeof(*r));
		if (!r)
			return ERR_NOMEM;
		t->r = r;
		t->cap = nc;
	}
	row *y = &t->r[t->n];
	*y = *x;
	if (!(y->name = malloc(nl + 1)))
		return ERR_NOMEM;
	memcpy(y->name, folded, nl + 1);
	y->nlen = (uint8_t)nl;
	t->n++;
	return 0;
}

/* Words a region's name may end with that news leave out ("Helmand
 * Province" is "Helmand"): a region is also entered without them. */
static const char *const region_words[] = {
	" Province", " Region", " Governorate", " Oblast", " State", " Department",
	" District", " County", " Prefecture", " Municipality",
};

/* Length of name[0..n) without a trailing region word, or n. */
static size_t region_stem(const char *name, size_t n)
{
	for (size_t i = 0; i < sizeof(region_words) / sizeof(region_words[0]); i++) {
		size_t k = strlen(region_words[i]);
		if (n > k + 1 && memcmp(name + n - k, region_words[i], k) == 0)
			return n - k;
	}
	return n;
}

/* Words that say where, not which: a region named with them alone
 * (Cameroon's "North", "North Region" without its " Region") is not
 * entered under that name, which news use for "the north" of anywhere. */
static const char *const where_words[] = {
	"north", "south", "east", "west", "northern", "southern", "eastern", "western",
	"northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern",
	"southeastern", "southwestern", "central", "centre", "center", "middle", "mid", "upper",
	"lower", "far", "capital", "coast", "island", "islands",
};

/* a[0..n) equals the lower-case word w, ASCII case aside */
static int word_is(const char *a, size_t n, const char *w)
{
	if (strlen(w) != n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = a[i] >= 'A' && a[i] <= 'Z' ? (char)(a[i] + 32) : a[i];
		if (c != w[i])
			return 0;
	}
	return 1;
}

/* 1 when name[0..n) is made of where_words only (separated by spaces or
 * hyphens, any case). */
static int where_only(const char *name, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t j = i, k, m = sizeof(where_words) / sizeof(where_words[0]);
		while (j < n && name[j] != ' ' && name[j] != '-')
			j++;
		for (k = 0; k < m; k++)
			if (word_is(name + i, j - i, where_words[k]))
				break;
		if (k == m)
			return 0;
		i = j + 1;
	}
	return 1;
}

/* Reads the rows of the TSV file into out[nout]. */
static int read_rows(const char *tsv, row **out, uint32_t *nout, err_t *e)
{
	FILE *fp = fopen(tsv, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	unsigned long ln = 0;
	rows t = { NULL, 0, 0 };
	int rc = 0;

	if (!fp)
		return err_set(e, ERR_IO, "%s: %s", tsv, strerror(errno));
	while ((got = getline(&line, &cap, fp)) >= 0) {
		char *f[9];
		long long id, pop, lat, lon;
		row x;
		ln++;
		if (got && line[got - 1] == '\n')
			line[--got] = '\0';
		if (memchr(line, '\0', (size_t)got)) {
			rc = err_set(e, ERR_FORMAT, "%s:%lu: NUL byte in the line", tsv, ln);
			break;
		}
		int nf = split_tabs(line, f, 8);
		if ((nf != 7 && nf != 8) || (nf == 8 && strcmp(f[7], "P") && strcmp(f[7], "A"))) {
			rc = err_set(e, ERR_FORMAT,
				     "%s:%lu: expected 7 or 8 tab-separated fields (geonameid, name, "
				     "ISO3, admin1, population, lat_e5, lon_e5[, P or A])", tsv, ln);
			break;
		}
		if (parse_ll(f[0], 0, (long long)1 << 40, &id) < 0 ||
		    parse_ll(f[4], 0, UINT32_MAX, &pop) < 0 ||
		    parse_ll(f[5], -LAT_MAX, LAT_MAX, &lat) < 0 ||
		    parse_ll(f[6], -LON_MAX, LON_MAX, &lon) < 0) {
			rc = err_set(e, ERR_FORMAT,
				     "%s:%lu: geonameid, population, lat_e5 or lon_e5 is not a number "
				     "in range", tsv, ln);
			break;
		}
		if (strlen(f[2]) != 3 || f[2][0] < 'A' || f[2][0] > 'Z' || f[2][1] < 'A' ||
		    f[2][1] > 'Z' || f[2][2] < 'A' || f[2][2] > 'Z') {
			rc = err_set(e, ERR_FORMAT, "%s:%lu: country '%s' is not an ISO3 code", tsv,
				     ln, f[2]);
			break;
		}
		if (strlen(f[3]) > PLACES_ADMIN_MAX) {
			rc = err_set(e, ERR_FORMAT, "%s:%lu: admin1 code longer than %d bytes", tsv,
				     ln, PLACES_ADMIN_MAX);
			break;
		}
		x.pop = (uint32_t)pop;
		x.lat = (int32_t)lat;
		x.lon = (int32_t)lon;
		x.id = id;
		x.region = nf == 8 && f[7][0] == 'A';
		if (x.region && (lat || lon)) {
			rc = err_set(e, ERR_FORMAT, "%s:%lu: a region (A) has no coordinates: "
				     "lat_e5 and lon_e5 must be 0", tsv, ln);
			break;
		}
		memcpy(x.cty, f[2], 4);
		snprintf(x.admin, sizeof(x.admin), "%s", f[3]);
		/* "Washington, D.C." is also "Washington", "New York City"
		 * also "New York" */
		const char *comma = strchr(f[1], ',');
		size_t nl = strlen(f[1]);
		int city = nl > 5 && strcmp(f[1] + nl - 5, " City") == 0;
		size_t stem = x.region && !comma ? region_stem(f[1], nl) : nl;
		int whole = !x.region || !where_only(f[1], nl);
		if (stem < nl && where_only(f[1], stem))
			stem = nl;
		if ((whole && (rc = add_row(&t, f[1], nl, &x)) < 0) ||
		    (stem < nl && (rc = add_row(&t, f[1], stem, &x)) < 0) ||
		    (comma && (rc = add_row(&t, f[1], (size_t)(comma - f[1]), &x)) < 0) ||
		    (city && !comma && (rc = add_row(&t, f[1], nl - 5, &x)) < 0)) {
			err_set(e, rc, rc == ERR_NOMEM ? "%s: out of memory" :
				"%s:%lu: more than %u places", tsv, ln, (unsigned)PLACES_MAX);
			break;
		}
	}
	if (rc == 0 && ferror(fp))
		rc = err_set(e, ERR_IO, "%s: read error", tsv);
	fclose(fp);
	free(line);
	if (rc == 0 && t.n == 0)
		rc = err_set(e, ERR_EMPTY, "%s: no places", tsv);
	if (rc < 0) {
		for (uint32_t i = 0; i < t.n; i++)
			free(t.r[i].name);
		free(t.r);
		return rc;
	}
	*out = t.r;
	*nout = t.n;
	return 0;
}

int places_compile(const char *tsv, const char *out, const char *source, uint32_t *nplaces,
		   err_t *e)
{
	row *r = NULL;
	uint32_t n = 0, ncty = 0;
	char cty[256][4];
	buf_t sb, cb, pb;
	int rc;

	buf_init(&sb);
	buf_init(&cb);
	buf_init(&pb);
	if ((rc = read_rows(tsv, &r, &n, e)) < 0)
		return rc;
	qsort(r, n, sizeof(*r), row_cmp);
	/* the countries, sorted, then each row's index */
	for (uint32_t i = 0; i < n; i++) {
		if (bsearch(r[i].cty, cty, ncty, 4, cty_cmp))
			continue;
		if (ncty == 256) {
			rc = err_set(e, ERR_FORMAT, "%s: more than 256 countries", tsv);
			goto out;
		}
		memcpy(cty[ncty++], r[i].cty, 4);
		qsort(cty, ncty, 4, cty_cmp);
	}
	buf_put_str(&sb, source ? source : "");
	buf_put_u32(&cb, ncty);
	for (uint32_t i = 0; i < ncty; i++)
		buf_put(&cb, cty[i], 3);
	buf_put_u32(&pb, n);
	for (uint32_t i = 0; i < n; i++) {
		buf_put_u8(&pb, r[i].nlen);
		buf_put(&pb, r[i].name, r[i].nlen);
	}
	for (uint32_t i = 0; i < n; i++) {
		const char (*c)[4] = bsearch(r[i].cty, cty, ncty, 4, cty_cmp);
		buf_put_u8(&pb, (uint8_t)(c - cty));
	}
	for (uint32_t i = 0; i < n; i++) {
		size_t al = strlen(r[i].admin);
		buf_put_u8(&pb, (uint8_t)al);
		buf_put(&pb, r[i].admin, al);
	}
	for (uint32_t i = 0; i < n; i++)
		buf_put_u32(&pb, r[i].pop);
	for (uint32_t i = 0; i < n; i++)
		buf_put_i32(&pb, r[i].lat);
	for (uint32_t i = 0; i < n; i++)
		buf_put_i32(&pb, r[i].lon);
	for (uint32_t i = 0; i < n; i++)
		buf_put_u8(&pb, r[i].region);
	if (sb.failed || cb.failed || pb.failed) {
		rc = err_set(e, ERR_NOMEM, "%s: out of memory", out);
		goto out;
	}
	model_sec secs[3] = {
		{ "PSRC", sb.data, sb.len },
		{ "PCTY", cb.data, cb.len },
		{ "PLAC", pb.data, pb.len },
	};
	rc = model_write(out, PLACES_KIND, secs, 3, e);
	if (rc == 0 && nplaces)
		*nplaces = n;
out:
	for (uint32_t i = 0; i < n; i++)
		free(r[i].name);
	free(r);
	buf_free(&sb);
	buf_free(&cb);
	buf_free(&pb);
	return rc;
}

/* ---- loading */

void places_free(places_t *p)
{
	if (!p)
		return;
	free(p->source);
	free(p->pool);
	free(p->name_off);
	free(p->name_len);
	free(p->admin_off);
	free(p->admin_len);
	free(p->country);
	free(p->pop);
	free(p->lat);
	free(p->lon);
	free(p->region);
	free(p);
}

/* Name i against key[0..n): <0, 0, >0 like memcmp over the lengths. */
static int name_cmp(const places_t *p, uint32_t i, const char *key, size_t n)
{
	size_t m = p->name_len[i] < n ? p->name_len[i] : n;
	int c = memcmp(p->pool + p->name_off[i], key, m);
	if (c)
		return c;
	return p->name_len[i] < n ? -1 : p->name_len[i] > n;
}

/* Parses PLAC from r into p; 0, -1 when damaged, -2 out of memory, -3
 * when it ends where the layout before regions ended. */
static int load_plac(places_t *p, rd_t *r)
{
	/* at least the bytes of a row of the layout before regions, so that
	 * one is told apart (-3) below */
	uint32_t n = rd_count(r, PLACES_MAX, 1 + 1 + 1 + 1 + 4 + 4 + 4);
	size_t at = 0;
	if (!rd_ok(r) || n == 0)
		return -1;
	/* the pool holds at most the section's bytes */
	if (!(p->pool = malloc(rd_left(r) + 1)) || !(p->name_off = malloc(n * sizeof(uint32_t))) ||
	    !(p->name_len = malloc(n)) || !(p->admin_off = malloc(n * sizeof(uint32_t))) ||
	    !(p->admin_len = malloc(n)) || !(p->country = malloc(n)) ||
	    !(p->pop = malloc(n * sizeof(uint32_t))) || !(p->lat = malloc(n * sizeof(int32_t))) ||
	    !(p->lon = malloc(n * sizeof(int32_t))) || !(p->region = malloc(n)))
		return -2;
	p->n = n;
	for (uint32_t i = 0; i < n; i++) {
		uint8_t k = rd_u8(r);
		const void *s = rd_raw(r, k);
		if (!rd_ok(r) || k == 0 || !s || memchr(s, '\0', k))
			return -1;
		memcpy(p->pool + at, s, k);
		p->name_off[i] = (uint32_t)at;
		p->name_len[i] = k;
		at += k;
		/* sorted: binary search depends on it */
		if (i && name_cmp(p, i - 1, (const char *)s, k) > 0)
			return -1;
	}
	for (uint32_t i = 0; i < n; i++) {
		p->country[i] = rd_u8(r);
		if (p->country[i] >= p->ncty)
			return -1;
	}
	for (uint32_t i = 0; i < n; i++) {
		uint8_t k = rd_u8(r);
		const void *s = rd_raw(r, k);
		if (!rd_ok(r) || k > PLACES_ADMIN_MAX || (k && (!s || memchr(s, '\0', k))))
			return -1;
		if (k)
			memcpy(p->pool + at, s, k);
		p->admin_off[i] = (uint32_t)at;
		p->admin_len[i] = k;
		at += k;
	}
	for (uint32_t i = 0; i < n; i++)
		p->pop[i] = rd_u32(r);
	for (uint32_t i = 0; i < n; i++) {
		p->lat[i] = rd_i32(r);
		if (p->lat[i] < -LAT_MAX || p->lat[i] > LAT_MAX)
			return -1;
	}
	for (uint32_t i = 0; i < n; i++) {
		p->lon[i] = rd_i32(r);
		if (p->lon[i] < -LON_MAX || p->lon[i] > LON_MAX)
			return -1;
	}
	if (rd_ok(r) && rd_left(r) == 0)
		return -3;
	for (uint32_t i = 0; i < n; i++) {
		p->region[i] = rd_u8(r);
		if (p->region[i] > 1 || (p->region[i] && (p->lat[i] || p->lon[i])))
			return -1;
	}
	return rd_ok(r) && rd_left(r) == 0 ? 0 : -1;
}

int places_load(const char *path, places_t **out, err_t *e)
{
	model_file *mf = NULL;
	places_t *p = NULL;
	const model_sec *ss, *cs, *ps;
	rd_t r;
	int rc;

	*out = NULL;
	if ((rc = model_read(path, PLACES_KIND, &mf, e)) < 0)
		return rc;
	ss = model_find(mf, "PSRC");
	cs = model_find(mf, "PCTY");
	ps = model_find(mf, "PLAC");
	if (!ss || !cs || !ps) {
		rc = err_set(e, ERR_MODEL, "%s: places model lacks its %s section", path,
			     !ss ? "PSRC" : !cs ? "PCTY" : "PLAC");
		goto out;
	}
	if (!(p = calloc(1, sizeof(*p)))) {
		rc = err_set(e, ERR_NOMEM, "%s: out of memory", path);
		goto out;
	}
	rd_init(&r, ss->data, ss->len);
	p->source = rd_strdup(&r);
	if (!rd_ok(&r) || !p->source || rd_left(&r)) {
		rc = err_set(e, ERR_MODEL, "%s: damaged PSRC section", path);
		goto out;
	}
	rd_init(&r, cs->data, cs->len);
	p->ncty = rd_count(&r, 256, 3);
	for (uint32_t i = 0; i < p->ncty && rd_ok(&r); i++) {
		const char *c = rd_raw(&r, 3);
		if (!c)
			break;
		memcpy(p->cty[i], c, 3);
		p->cty[i][3] = '\0';
		for (int k = 0; k < 3; k++)
			if (c[k] < 'A' || c[k] > 'Z')
				r.failed = 1;
		if (i && strcmp(p->cty[i - 1], p->cty[i]) >= 0)
			r.failed = 1;
	}
	if (!rd_ok(&r) || p->ncty == 0 || rd_left(&r)) {
		rc = err_set(e, ERR_MODEL, "%s: damaged PCTY section", path);
		goto out;
	}
	rd_init(&r, ps->data, ps->len);
	int lr = load_plac(p, &r);
	if (lr == -2) {
		rc = err_set(e, ERR_NOMEM, "%s: out of memory", path);
		goto out;
	}
	if (lr == -3) {
		rc = err_set(e, ERR_MODEL, "%s: a places model of the layout before regions: "
			     "rebuild it with training/places.sh", path);
		goto out;
	}
	if (lr < 0) {
		rc = err_set(e, ERR_MODEL, "%s: damaged PLAC section", path);
		goto out;
	}
	*out = p;
	p = NULL;
out:
	places_free(p);
	model_file_free(mf);
	return rc;
}

uint32_t places_size(const places_t *p)
{
	return p ? p->n : 0;
}

const char *places_source(const places_t *p)
{
	return p ? p->source : NULL;
}

/* ---- looking up */

void places_ctx_clear(places_ctx *c)
{
	memset(c, 0, sizeof(*c));
}

/* Index of ISO3 code in p's countries, or -1. */
static int cty_index(const places_t *p, const char *iso3)
{
	uint32_t lo = 0, hi = p->ncty;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = strcmp(p->cty[mid], iso3);
		if (c == 0)
			return (int)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

void places_ctx_add(places_ctx *c, const places_t *p, const char *iso3)
{
	int i = c && p && iso3 && strlen(iso3) == 3 ? cty_index(p, iso3) : -1;
	if (i >= 0)
		c->seen[i >> 3] |= (uint8_t)(1u << (i & 7));
}

static int ctx_has(const places_ctx *c, int i)
{
	return c && (c->seen[i >> 3] >> (i & 7) & 1);
}

/* The places named key[0..n): [*lo, *hi). */
static void name_range(const places_t *p, const char *key, size_t n, uint32_t *lo, uint32_t *hi)
{
	uint32_t a = 0, b = p->n;
	while (a < b) {
		uint32_t mid = a + (b - a) / 2;
		if (name_cmp(p, mid, key, n) < 0)
			a = mid + 1;
		else
			b = mid;
	}
	*lo = a;
	while (b < p->n && name_cmp(p, b, key, n) == 0)
		b++;
	*hi = b > a ? b : a;
}

int places_find(const places_t *p, const places_ctx *c, const char *name, size_t len,
		places_hit *hit)
{
	char key[PLACES_NAME_MAX + 1];
	uint32_t lo, hi, best = 0;
	double top = -1;
	size_t n;

	if (!p || !(n = places_fold(name, len, key, sizeof(key))))
		return 0;
	name_range(p, key, n, &lo, &hi);
	if (lo == hi && n > 4 && memcmp(key, "the ", 4) == 0)
		name_range(p, key + 4, n - 4, &lo, &hi);
	if (lo == hi && n > 5 && memcmp(key + n - 5, " city", 5) == 0)
		name_range(p, key, n - 5, &lo, &hi); /* "Gaza City" is "Gaza" */
	if (lo == hi && n + 3 < sizeof(key)) {
		/* "Fallujah" is GeoNames' "Al Fallujah" */
		memmove(key + 3, key, n + 1);
		memcpy(key, "al ", 3);
		name_range(p, key, n + 3, &lo, &hi);
	}
	for (uint32_t i = lo; i < hi; i++) {
		int near = ctx_has(c, p->country[i]);
		if (!near && p->pop[i] < PLACES_MIN_POP)
			continue;
		/* a region counts as just under PLACES_MIN_POP people, more
		 * for a larger one: it beats a town, not a city, of its name */
		double w = p->region[i] ? PLACES_MIN_POP - 1 + p->pop[i] / (p->pop[i] + 1e6)
			 : p->pop[i] ? p->pop[i] : 1.0;
		w *= near ? 100.0 : 1.0;
		if (w > top) {
			top = w;
			best = i;
		}
	}
	if (top < 0)
		return 0;
	/* a region whose place of the same name holds a tenth of its people
	 * or more (Banjul, Melilla, a province and its capital) is that
	 * place: the same country and admin1, with coordinates */
	if (p->region[best]) {
		uint32_t seat = best;
		for (uint32_t i = lo; i < hi; i++)
			if (!p->region[i] && p->country[i] == p->country[best] &&
			    p->admin_len[i] == p->admin_len[best] &&
			    memcmp(p->pool + p->admin_off[i], p->pool + p->admin_off[best],
				   p->admin_len[best]) == 0 &&
			    (uint64_t)p->pop[i] * 10 >= p->pop[best] &&
			    (seat == best || p->pop[i] > p->pop[seat]))
				seat = i;
		best = seat;
	}
	memcpy(hit->country, p->cty[p->country[best]], 4);
	memcpy(hit->admin1, p->pool + p->admin_off[best], p->admin_len[best]);
	hit->admin1[p->admin_len[best]] = '\0';
	hit->lat_e5 = p->lat[best];
	hit->lon_e5 = p->lon[best];
	hit->population = p->pop[best];
	hit->region = p->region[best];
	hit->candidates = hi - lo;
	return 1;
}

uint32_t places_ctx_scan(places_ctx *c, const places_t *p, const gaz_t *g,
			 const tfeat_tok *tok, uint32_t n)
{
	gaz_match m[64];
	uint32_t got, done = 0, total = 0;
	if (!g || !p)
		return 0;
	/* gaz_find reports up to 64 matches per call: go on after the last */
	while (done < n && (got = gaz_find(g, tok + done, n - done, m, 64)) > 0) {
		uint32_t k = got < 64 ? got : 64;
		for (uint32_t i = 0; i < k; i++)
			places_ctx_add(c, p, gaz_entry_code(g, m[i].entry));
		total += k;
		if (got <= 64)
			break;
		done += m[63].last;
	}
	return total;
}

int places_locate(const places_t *p, const gaz_t *g, places_ctx *c, const char *text,
		  size_t len, places_hit *hit)
{
	const char *code = g ? gaz_lookup_whole(g, text, len) : NULL;
	int kind = PLACES_NONE;
	memset(hit, 0, sizeof(*hit));
	if (code && strlen(code) < sizeof(hit->country)) {
		memcpy(hit->country, code, strlen(code) + 1);
		kind = PLACES_COUNTRY;
	} else if (p && places_find(p, c, text, len, hit)) {
		kind = PLACES_PLACE;
	} else if (g && (code = gaz_lookup(g, text, len)) && strlen(code) < sizeof(hit->country)) {
		memcpy(hit->country, code, strlen(code) + 1);
		kind = PLACES_PART;
	}
	if (kind != PLACES_NONE)
		places_ctx_add(c, p, hit->country);
	return kind;
}
