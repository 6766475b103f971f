#include "features/gaz.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/dict.h"
#include "base/zfile.h"

#define GAZ_MAX_TOKENS 16     /* tokens per entry */
#define GAZ_KEY_MAX 512       /* bytes of a joined phrase key */
#define GAZ_MAX_ENTRIES 1000000
#define SEP '\x01'            /* joins the tokens of a phrase key */

struct gaz {
	uint32_t n, cap;
	char **phrase;        /* [n] tokens joined by SEP */
	char **code;          /* [n] ISO3 */
	char **country;       /* [n] the row's Name */
	uint8_t *kind;        /* [n] GAZ_NAME / GAZ_ALT */
	dict_t *exact;        /* phrase key -> id; ent_exact[id] = entry */
	uint32_t *ent_exact;
	dict_t *upper;        /* upper-cased phrase key -> id */
	uint32_t *ent_upper;
	dict_t *first;        /* first tokens, exact and upper-cased */
	uint32_t maxlen;      /* most tokens in an entry */
};

void gaz_free(gaz_t *g)
{
	if (!g)
		return;
	for (uint32_t i = 0; i < g->n; i++) {
		free(g->phrase[i]);
		free(g->code[i]);
		free(g->country[i]);
	}
	free(g->phrase);
	free(g->code);
	free(g->country);
	free(g->kind);
	dict_free(g->exact);
	dict_free(g->upper);
	dict_free(g->first);
	free(g->ent_exact);
	free(g->ent_upper);
	free(g);
}

uint32_t gaz_size(const gaz_t *g)
{
	return g->n;
}

const char *gaz_entry_code(const gaz_t *g, uint32_t entry)
{
	return entry < g->n ? g->code[entry] : NULL;
}

int gaz_entry_kind(const gaz_t *g, uint32_t entry)
{
	return entry < g->n ? g->kind[entry] : -1;
}

const char *gaz_entry_country(const gaz_t *g, uint32_t entry)
{
	return entry < g->n ? g->country[entry] : NULL;
}

static gaz_t *gaz_new(void)
{
	gaz_t *g = calloc(1, sizeof(*g));

	if (!g)
		return NULL;
	g->exact = dict_new();
	g->upper = dict_new();
	g->first = dict_new();
	if (!g->exact || !g->upper || !g->first) {
		gaz_free(g);
		return NULL;
	}
	return g;
}

static void upcase(char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 'a' && s[i] <= 'z')
			s[i] = (char)(s[i] - 32);
}

/* Maps dict id -> entry, growing the map; keeps the first entry. */
static int map_put(uint32_t **map, uint32_t id, uint32_t entry)
{
	/* ids are dense and arrive in order: id == dict size - 1 when new */
	uint32_t *tmp = realloc(*map, ((size_t)id + 1) * sizeof(*tmp));
	if (!tmp)
		return ERR_NOMEM;
	*map = tmp;
	(*map)[id] = entry;
	return 0;
}

/* Adds an entry whose phrase key (tokens joined by SEP) is key[0..kn). */
static int add_entry(gaz_t *g, const char *key, size_t kn, uint32_t ntok,
		     const char *code, const char *country, int kind)
{
	char up[GAZ_KEY_MAX];
	uint32_t before, id, e = g->n;

	if (kn == 0 || kn >= GAZ_KEY_MAX || ntok > GAZ_MAX_TOKENS)
		return 0; /* skipped: too long to match */
	if (g->n == g->cap) {
		uint32_t nc = g->cap ? g->cap * 2 : 256;
		char **p1 = realloc(g->phrase, nc * sizeof(*p1));
		if (!p1)
			return ERR_NOMEM;
		g->phrase = p1;
		char **p2 = realloc(g->code, nc * sizeof(*p2));
		if (!p2)
			return ERR_NOMEM;
		g->code = p2;
		char **p3 = realloc(g->country, nc * sizeof(*p3));
		if (!p3)
			return ERR_NOMEM;
		g->country = p3;
		uint8_t *p4 = realloc(g->kind, nc);
		if (!p4)
			return ERR_NOMEM;
		g->kind = p4;
		g->cap = nc;
	}
	g->phrase[e] = strndup(key, kn);
	g->code[e] = strdup(code);
	g->country[e] = strdup(country);
	g->kind[e] = (uint8_t)kind;
	g->n++;
	if (!g->phrase[e] || !g->code[e] || !g->country[e])
		return ERR_NOMEM;
	before = dict_size(g->exact);
	id = dict_add(g->exact, key, kn);
	if (id == DICT_NONE)
		return ERR_NOMEM;
	if (id == before && map_put(&g->ent_exact, id, e))
		return ERR_NOMEM;
	memcpy(up, key, kn);
	upcase(up, kn);
	before = dict_size(g->upper);
	id = dict_add(g->upper, up, kn);
	if (id == DICT_NONE)
		return ERR_NOMEM;
	if (id == before && map_put(&g->ent_upper, id, e))
		return ERR_NOMEM;
	const char *sep = memchr(key, SEP, kn);
	size_t fl = sep ? (size_t)(sep - key) : kn;
	if (dict_add(g->first, key, fl) == DICT_NONE ||
	    dict_add(g->first, up, fl) == DICT_NONE)
		return ERR_NOMEM;
	if (ntok > g->maxlen)
		g->maxlen = ntok;
	return 0;
}

/* Spaces and every other ASCII control byte separate words: a control
 * byte inside a word could be SEP, which would split a saved key into
 * more tokens than were counted, and the model would not load back. */
static int is_space(char c)
{
	return (unsigned char)c <= ' ' || c == '\x7f';
}

/* Splits text into tokens: on spaces; brackets, quotes and trailing
 * commas/periods/colons split off (a period stays in abbreviations such
 * as U.S.), possessive 's and ’s split off. Returns the token count (at
 * most max). */
static uint32_t simple_tokens(const char *s, size_t len, tfeat_tok *tok,
			      uint32_t max)
{
	uint32_t n = 0;
	size_t i = 0;

	while (i < len && n < max) {
		while (i < len && is_space(s[i]))
			i++;
		if (i >= len)
			break;
		size_t j = i;
		while (j < len && !is_space(s[j]))
			j++;
		/* leading punctuation */
		while (i < j && strchr("([{\"'", s[i]) && n < max) {
			tok[n].s = s + i;
			tok[n++].len = 1;
			i++;
		}
		size_t end = j;
		uint32_t ntrail = 0;
		tfeat_tok trail[8];
		for (;;) {
			if (end <= i || ntrail >= 6)
				break;
			char c = s[end - 1];
			if (strchr(")]}\",;:!?", c) ||
			    (c == '\'' && end - i > 1 && s[end - 2] != 's')) {
				trail[ntrail].s = s + end - 1;
				trail[ntrail++].len = 1;
				end--;
				continue;
			}
			if (c == '.' && !memchr(s + i, '.', end - 1 - i)) {
				trail[ntrail].s = s + end - 1;
				trail[ntrail++].len = 1;
				end--;
				continue;
			}
			break;
		}
		/* possessive */
		if (end - i > 2 && s[end - 2] == '\'' && (s[end - 1] == 's' || s[end - 1] == 'S')) {
			trail[ntrail].s = s + end - 2;
			trail[ntrail++].len = 2;
			end -= 2;
		} else if (end - i > 4 && memcmp(s + end - 4, "\xe2\x80\x99", 3) == 0 &&
			   (s[end - 1] == 's' || s[end - 1] == 'S')) {
			trail[ntrail].s = s + end - 4;
			trail[ntrail++].len = 4;
			end -= 4;
		}
		if (end > i && n < max) {
			tok[n].s = s + i;
			tok[n++].len = (uint32_t)(end - i);
		}
		while (ntrail > 0 && n < max)
			tok[n++] = trail[--ntrail];
		i = j;
	}
	return n;
}

/* Adds the phrase text s[0..n) (split into tokens) as an entry. */
static int add_phrase(gaz_t *g, const char *s, size_t n, const char *code,
		      const char *country, int kind)
{
	tfeat_tok tok[GAZ_MAX_TOKENS + 1];
	char key[GAZ_KEY_MAX];
	size_t kn = 0;
	uint32_t nt = simple_tokens(s, n, tok, GAZ_MAX_TOKENS + 1);

	if (nt == 0 || nt > GAZ_MAX_TOKENS)
		return 0;
	for (uint32_t i = 0; i < nt; i++) {
		if (kn + tok[i].len + 1 >= sizeof(key))
			return 0;
		if (i)
			key[kn++] = SEP;
		memcpy(key + kn, tok[i].s, tok[i].len);
		kn += tok[i].len;
	}
	return add_entry(g, key, kn, nt, code, country, kind);
}

/* One CSV record from p (up to end): fields into f[] (NUL-terminated
 * copies written into buf), returns the number of fields, -1 for a bad
 * quote. *next is set past the record's newline. */
static int csv_record(const char *p, const char *end, char *buf, size_t bufsz,
		      char **f, int maxf, const char **next)
{
	int nf = 0;
	size_t bl = 0;

	f[nf++] = buf;
	while (p < end && *p != '\n') {
		if (*p == '"') {
			p++;
			for (;;) {
				if (p >= end)
					return -1;
				if (*p == '"') {
					if (p + 1 < end && p[1] == '"') {
						if (bl + 1 < bufsz)
							buf[bl++] = '"';
						p += 2;
						continue;
					}
					p++;
					break;
				}
				if (bl + 1 < bufsz)
					buf[bl++] = *p;
				p++;
			}
			continue;
		}
		if (*p == ',') {
			buf[bl++] = '\0';
			if (nf == maxf)
				return -2;
			f[nf++] = buf + bl;
			p++;
			continue;
		}
		if (*p != '\r' && bl + 1 < bufsz)
			buf[bl++] = *p;
		p++;
	}
	buf[bl] = '\0';
	*next = p < end ? p + 1 : end;
	return nf;
}

static char *trim(char *s)
{
	while (is_space(*s))
		s++;
	size_t n = strlen(s);
	while (n && is_space(s[n - 1]))
		s[--n] = '\0';
	return s;
}

int gaz_parse(const char *name, const char *data, size_t len, gaz_t **out,
	      err_t *e)
{
	const char *p = data, *end = data + len, *next = data + len;
	char buf[8192];
	char *f[8];
	uint32_t line = 0;
	gaz_t *g;
	int rc = 0;

	*out = NULL;
	g = gaz_new();
	if (!g)
		return err_set(e, ERR_NOMEM, "%s: out of memory", name);
	while (p < end) {
		line++;
		int nf = csv_record(p, end, buf, sizeof(buf), f, 8, &next);
		/* a record's line count: newlines inside quotes */
		for (const char *q = p; q < next - 1 && q < end; q++)
			if (*q == '\n')
				line++;
		p = next;
		if (nf == -1) {
			rc = err_set(e, ERR_FORMAT, "%s:%u: unterminated quote", name, line);
			goto fail;
		}
		if (nf == 1 && trim(f[0])[0] == '\0')
			continue; /* blank line */
		if (nf != 4) {
			rc = err_set(e, ERR_FORMAT,
				     "%s:%u: expected 4 fields (CCA2,Name,CCA3,Nationality), found %s",
				     name, line, nf < 0 ? "more" : nf == 1 ? "1" : nf == 2 ? "2" : nf == 3 ? "3" : "more");
			goto fail;
		}
		char *country = trim(f[1]), *code = trim(f[2]), *nat = f[3];
		if (strcmp(trim(f[0]), "CCA2") == 0 && strcmp(code, "CCA3") == 0)
			continue; /* header */
		if (!*country || !*code) {
			rc = err_set(e, ERR_FORMAT, "%s:%u: empty %s", name, line,
				     *country ? "CCA3 code" : "Name");
			goto fail;
		}
		if (g->n >= GAZ_MAX_ENTRIES) {
			rc = err_set(e, ERR_FORMAT, "%s:%u: too many entries", name, line);
			goto fail;
		}
		rc = add_phrase(g, country, strlen(country), code, country, GAZ_NAME);
		while (!rc && *nat) {
			char *c = strchr(nat, ',');
			if (c)
				*c = '\0';
			char *item = trim(nat);
			if (*item)
				rc = add_phrase(g, item, strlen(item), code, country, GAZ_ALT);
			if (!c)
				break;
			nat = c + 1;
		}
		if (rc) {
			rc = err_set(e, ERR_NOMEM, "%s: out of memory", name);
			goto fail;
		}
	}
	if (g->n == 0) {
		rc = err_set(e, ERR_EMPTY, "%s: no gazetteer entries", name);
		goto fail;
	}
	*out = g;
	return 0;
fail:
	gaz_free(g);
	return rc;
}

int gaz_read(const char *path, gaz_t **out, err_t *e)
{
	char *data;
	size_t n;
	int rc;

	*out = NULL;
	if ((rc = zfile_read_all(path, (size_t)1 << 30, "a gazetteer", &data, &n, e)) < 0)
		return rc;
	rc = gaz_parse(path, data, n, out, e);
	free(data);
	return rc;
}

/* The longest entry starting at tok[0], of at most kmax tokens: its entry
 * id, and its token count in *len; DICT_NONE if none. The key of k tokens
 * (joined by SEP) is a prefix of the key of k+1, so it is built once and
 * looked up at each length, longest first; a key that would not fit in
 * GAZ_KEY_MAX is never looked up. Upper-case keys are tried when the
 * tokens have no lower-case ASCII letter. */
static uint32_t match_longest(const gaz_t *g, const tfeat_tok *tok, uint32_t kmax, uint32_t *len)
{
	char key[GAZ_KEY_MAX];
	size_t kn = 0, end[GAZ_MAX_TOKENS + 1];
	int caps = 1, capsk[GAZ_MAX_TOKENS + 1];
	uint32_t kfit = 0;

	if (kmax > GAZ_MAX_TOKENS)
		kmax = GAZ_MAX_TOKENS;
	for (uint32_t i = 0; i < kmax; i++) {
		if (kn + tok[i].len + 1 >= sizeof(key))
			break;
		if (i)
			key[kn++] = SEP;
		memcpy(key + kn, tok[i].s, tok[i].len);
		for (uint32_t j = 0; j < tok[i].len; j++)
			if (tok[i].s[j] >= 'a' && tok[i].s[j] <= 'z')
				caps = 0;
		kn += tok[i].len;
		kfit = i + 1;
		end[kfit] = kn;
		capsk[kfit] = caps;
	}
	for (uint32_t k = kfit; k >= 1; k--) {
		uint32_t id = dict_get(g->exact, key, end[k]);
		if (id != DICT_NONE) {
			*len = k;
			return g->ent_exact[id];
		}
		if (capsk[k]) {
			id = dict_get(g->upper, key, end[k]);
			if (id != DICT_NONE) {
				*len = k;
				return g->ent_upper[id];
			}
		}
	}
	return DICT_NONE;
}

uint32_t gaz_find(const gaz_t *g, const tfeat_tok *tok, uint32_t n,
		  gaz_match *out, uint32_t max)
{
	uint32_t nm = 0;

	for (uint32_t i = 0; i < n;) {
		uint32_t best = DICT_NONE, blen = 0;
		if (tok[i].len && !(tok[i].s[0] >= 'a' && tok[i].s[0] <= 'z') &&
		    dict_get(g->first, tok[i].s, tok[i].len) != DICT_NONE) {
			uint32_t kmax = g->maxlen < n - i ? g->maxlen : n - i;
			best = match_longest(g, tok + i, kmax, &blen);
		}
		if (best == DICT_NONE) {
			i++;
			continue;
		}
		if (nm < max) {
			out[nm].first = i;
			out[nm].last = i + blen;
			out[nm].entry = best;
		}
		nm++;
		i += blen;
	}
	return nm;
}

void gaz_tag(const gaz_t *g, const tfeat_tok *tok, uint32_t n, uint8_t *tags)
{
	gaz_match m[64];
	uint32_t done = 0;

	memset(tags, 0, n);
	/* in windows, so a long sentence needs no allocation */
	while (done < n) {
		uint32_t nm = gaz_find(g, tok + done, n - done, m, 64);
		uint32_t upto = n;
		if (nm > 64) {
			nm = 64;
			upto = done + m[63].last;
		}
		for (uint32_t k = 0; k < nm; k++) {
			int alt = g->kind[m[k].entry] == GAZ_ALT;
			for (uint32_t t = m[k].first; t < m[k].last; t++)
				tags[done + t] = (uint8_t)(t == m[k].first ?
					(alt ? GAZ_TAG_B_ALT : GAZ_TAG_B_NAME) :
					(alt ? GAZ_TAG_I_ALT : GAZ_TAG_I_NAME));
		}
		done = upto;
	}
}

const char *gaz_lookup(const gaz_t *g, const char *text, size_t len)
{
	tfeat_tok tok[256];
	gaz_match m;
	uint32_t n = simple_tokens(text, len, tok, 256);

	if (gaz_find(g, tok, n, &m, 1) == 0)
		return NULL;
	return g->code[m.entry];
}

const char *gaz_lookup_whole(const gaz_t *g, const char *text, size_t len)
{
	tfeat_tok tok[256];
	gaz_match m;
	uint32_t n = simple_tokens(text, len, tok, 256);

	if (gaz_find(g, tok, n, &m, 1) == 0 || m.first != 0 || m.last != n)
		return NULL;
	return g->code[m.entry];
}

void gaz_save(const gaz_t *g, buf_t *b)
{
	buf_put_u32(b, g->n);
	for (uint32_t i = 0; i < g->n; i++) {
		buf_put_str(b, g->phrase[i]);
		buf_put_str(b, g->code[i]);
		buf_put_str(b, g->country[i]);
		buf_put_u8(b, g->kind[i]);
	}
}

gaz_t *gaz_load(rd_t *r)
{
	gaz_t *g = gaz_new();
	uint32_t n;

	if (!g) {
		r->failed = 1;
		return NULL;
	}
	n = rd_count(r, GAZ_MAX_ENTRIES, 3 * 4 + 1);
	for (uint32_t i = 0; i < n && rd_ok(r); i++) {
		uint32_t kn = 0;
		const char *key = rd_bytes(r, &kn);
		char *code = rd_strdup(r);
		char *country = rd_strdup(r);
		uint8_t kind = rd_u8(r);
		uint32_t ntok = 1;
		if (rd_ok(r) && (!key || !code || !country || kind > GAZ_ALT || kn == 0 ||
				 kn >= GAZ_KEY_MAX || memchr(key, '\0', kn)))
			r->failed = 1;
		if (rd_ok(r)) {
			for (uint32_t j = 0; j < kn; j++)
				ntok += key[j] == SEP;
			if (ntok > GAZ_MAX_TOKENS ||
			    add_entry(g, key, kn, ntok, code, country, kind))
				r->failed = 1;
		}
		free(code);
		free(country);
	}
	if (!rd_ok(r) || g->n != n) {
		r->failed = 1;
		gaz_free(g);
		return NULL;
	}
	return g;
}
