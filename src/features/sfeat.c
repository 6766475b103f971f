#include "features/sfeat.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/dict.h"
#include "features/wclust.h"
#include "text/tsv.h"
#include "base/utf8.h"

/* Feature templates (mixed into every key). */
/* Feature templates; a key's low 4 bits name its template. */
enum { T_WORD = 1, T_BIGRAM, T_CHAR, T_LEXV, T_LEXP, T_NEG, T_NEGW, T_LEADW, T_LEADL, T_LEXF, T_LEXF2, T_CLUS };
#define KEY_TEMPLATE(k) ((int)((k) & 0xF))

static int is_lex_template(int t)
{
	return t == T_LEXV || t == T_LEXP || t == T_LEADL || t == T_LEXF || t == T_LEXF2;
}

#define SFEAT_MAX_DIM (1u << 26)
#define LEX_MAX_WORDS 8
#define PAT_PRE_WINDOW 6
#define PAT_POST_WINDOW 10

/* dict_mix, never 0 (0 marks an empty slot) */
static uint64_t mix64(uint64_t h)
{
	h = dict_mix(h);
	return h ? h : 1;
}

static uint64_t key1(int t, uint64_t a)
{
	return (mix64(a + 0x9E3779B97F4A7C15ULL * (uint64_t)t) & ~(uint64_t)0xF) | (uint64_t)(t & 0xF);
}

static uint64_t key2(int t, uint64_t a, uint64_t b)
{
	return (mix64(a * 0x100000001B3ULL + b + 0x9E3779B97F4A7C15ULL * (uint64_t)t) & ~(uint64_t)0xF) |
	       (uint64_t)(t & 0xF);
}

/* ---- u64 -> u32 map, insertion-ordered ---- */
typedef struct hslot {
	uint64_t key;
	uint32_t idx1;    /* index+1, 0 for an empty slot */
} hslot;

typedef struct hmap {
	uint64_t *keys;   /* [n] in insertion order */
	uint32_t *vals;   /* [n] */
	hslot *slots;     /* [mask+1], at most half full */
	uint32_t n, cap, mask;
} hmap;

static void hmap_free(hmap *m)
{
	free(m->keys);
	free(m->vals);
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

static uint32_t hslot_of(uint64_t k, uint32_t mask)
{
	return (uint32_t)((k >> 4) ^ (k >> 36)) & mask;
}

/* Index of k, or UINT32_MAX. */
static uint32_t hmap_find(const hmap *m, uint64_t k)
{
	if (!m->slots)
		return UINT32_MAX;
	for (uint32_t i = hslot_of(k, m->mask);; i = (i + 1) & m->mask) {
		const hslot *sl = &m->slots[i];
		if (!sl->idx1)
			return UINT32_MAX;
		if (sl->key == k)
			return sl->idx1 - 1;
	}
}

/* Index of k, inserting it with value val; *added set when new.
 * UINT32_MAX when out of memory. */
static uint32_t hmap_put(hmap *m, uint64_t k, uint32_t val, int *added)
{
	uint32_t i;

	*added = 0;
	if (!m->slots || (uint64_t)(m->n + 1) * 2 > (uint64_t)m->mask + 1) {
		uint32_t nm = m->slots ? m->mask * 2 + 1 : 255;
		hslot *ns = calloc((size_t)nm + 1, sizeof(*ns));
		if (!ns)
			return UINT32_MAX;
		for (uint32_t q = 0; q < m->n; q++) {
			uint32_t j = hslot_of(m->keys[q], nm);
			while (ns[j].idx1)
				j = (j + 1) & nm;
			ns[j].key = m->keys[q];
			ns[j].idx1 = q + 1;
		}
		free(m->slots);
		m->slots = ns;
		m->mask = nm;
	}
	for (i = hslot_of(k, m->mask); m->slots[i].idx1; i = (i + 1) & m->mask)
		if (m->slots[i].key == k)
			return m->slots[i].idx1 - 1;
	if (m->n == m->cap) {
		uint32_t nc = m->cap ? m->cap * 2 : 256;
		uint64_t *nk = realloc(m->keys, nc * sizeof(*nk));
		if (!nk)
			return UINT32_MAX;
		m->keys = nk;
		uint32_t *nv = realloc(m->vals, nc * sizeof(*nv));
		if (!nv)
			return UINT32_MAX;
		m->vals = nv;
		m->cap = nc;
	}
	m->keys[m->n] = k;
	m->vals[m->n] = val;
	m->slots[i].key = k;
	m->slots[i].idx1 = ++m->n;
	*added = 1;
	return m->n - 1;
}

/* Sorts a[0..n) ascending (quicksort, insertion sort for short runs). */
static void sort_u32(uint32_t *a, size_t n)
{
	while (n > 16) {
		uint32_t p = a[n / 2], t;
		size_t i = 0, j = n - 1;
		for (;;) {
			while (a[i] < p)
				i++;
			while (a[j] > p)
				j--;
			if (i >= j)
				break;
			t = a[i];
			a[i] = a[j];
			a[j] = t;
			i++;
			j--;
		}
		/* recurse into the smaller part, loop on the larger */
		if (j + 1 < n - j - 1) {
			sort_u32(a, j + 1);
			a += j + 1;
			n -= j + 1;
		} else {
			sort_u32(a + j + 1, n - j - 1);
			n = j + 1;
		}
	}
	for (size_t i = 1; i < n; i++) {
		uint32_t t = a[i];
		size_t j = i;
		while (j > 0 && a[j - 1] > t) {
			a[j] = a[j - 1];
			j--;
		}
		a[j] = t;
	}
}

/* ---- lexicon ---- */
typedef struct lex_row {
	char *f[5]; /* verbs: form cameo plover penta; patterns: verb pattern cameo plover penta */
} lex_row;

typedef struct lex_hit {
	uint64_t k[3]; /* feature keys (before template): plover, penta, cameo root */
	int statement; /* PentaClass STATEMENT (say, comment...) */
} lex_hit;

typedef struct pat {
	uint64_t pre[LEX_MAX_WORDS], post[LEX_MAX_WORDS];
	int npre, npost;
	uint32_t next;     /* next pattern of the same verb, or UINT32_MAX */
	lex_hit hit;
} pat;

struct sfeat {
	sfeat_opts o;
	int frozen;
	/* vocabulary: key -> id (vals unused; id = index) */
	hmap vocab;
	float *idf;        /* [vocab.n] */
	/* training: document frequencies, key -> count */
	hmap df;
	uint32_t ndocs;
	/* lexicon source rows (saved in the model) and compiled tables */
	lex_row *verbs;    /* [nverbs] */
	size_t nverbs;
	lex_row *pats;     /* [npats] */
	size_t npats;
	hmap form;         /* hash of a whole form -> verb row */
	hmap first;        /* hash of a form's first word -> 1 */
	lex_hit *vhit;     /* [nverbs] */
	hmap pverb;        /* hash of a pattern's verb -> first pattern */
	pat *pc;           /* [npats] */
	int maxw;          /* most words in a form */
	uint64_t filter[1024]; /* bit set of first-word and pattern-verb hashes */
	uint64_t neg[16];
	uint64_t negbits;  /* bit (hash & 63) of each cue */
	int nneg;
	/* word clusters: sorted 32-bit word hashes, each with an id tuple */
	uint32_t cl_nlev;
	uint32_t cl_k[WCLUST_MAX_LEVELS];
	uint32_t cl_n;
	uint32_t *cl_key;  /* [cl_n] strictly ascending */
	uint32_t *cl_cls;  /* [cl_n] tuple of each word */
	uint32_t cl_ncls;
	uint32_t *cl_ids;  /* [cl_ncls * cl_nlev] the distinct id tuples */
};

struct sfeat_ws {
	char *low;         /* lowercased tokens, each NUL-terminated */
	size_t low_len, low_cap;
	uint32_t *off;     /* [n] offset of token i in low */
	uint32_t *len;     /* [n] */
	uint64_t *th;      /* [n] hash of token i */
	size_t ntok_cap;
	uint64_t *keys;    /* collected feature keys */
	size_t nkeys, keys_cap;
	size_t nadds;      /* sfeat_add calls since the reset */
	uint32_t *ids;     /* [ids_cap] feature ids of the keys */
	size_t ids_cap;
	tok_doc doc;
	char span[512];
};

static uint64_t hash_str(const char *s, size_t n)
{
	return dict_hash(s, n);
}

static void lex_rows_free(lex_row *r, size_t n, int nf)
{
	for (size_t i = 0; i < n; i++)
		for (int j = 0; j < nf; j++)
			free(r[i].f[j]);
	free(r);
}

void sfeat_free(sfeat_t *s)
{
	if (!s)
		return;
	hmap_free(&s->vocab);
	hmap_free(&s->df);
	free(s->idf);
	lex_rows_free(s->verbs, s->nverbs, 4);
	lex_rows_free(s->pats, s->npats, 5);
	hmap_free(&s->form);
	hmap_free(&s->first);
	hmap_free(&s->pverb);
	free(s->vhit);
	free(s->pc);
	free(s->cl_key);
	free(s->cl_cls);
	free(s->cl_ids);
	free(s);
}

static int opts_ok(const sfeat_opts *o)
{
	return (o->words == 0 || o->words == 1) && (o->bigrams == 0 || o->bigrams == 1) &&
	       (o->chargrams == 0 || (o->chargrams >= 3 && o->chargrams <= 8)) &&
	       (o->lexicon == 0 || o->lexicon == 1) && (o->negation == 0 || o->negation == 1) &&
	       o->tf >= SFEAT_TF_BINARY && o->tf <= SFEAT_TF_LOG && (o->idf == 0 || o->idf == 1) &&
	       (o->l2 == 0 || o->l2 == 1) && o->min_df >= 1 && o->min_df <= 1000000 &&
	       (o->lead == 0 || o->lead == 1) && o->lex_weight > 0 && o->lex_weight <= 100 &&
	       (o->mask_caps == 0 || o->mask_caps == 1) && (o->clusters == 0 || o->clusters == 1);
}

static const char *const neg_cues[] = { "not", "n't", "no", "never", "without", "nor",
					"neither", "cannot", "none", "nothing", "nobody", "refused" };

sfeat_t *sfeat_new(const sfeat_opts *o, err_t *e)
{
	sfeat_t *s;

	if (!opts_ok(o)) {
		err_set(e, ERR_ARG, "invalid sentence feature options");
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		err_set(e, ERR_NOMEM, "out of memory");
		return NULL;
	}
	s->o = *o;
	for (size_t i = 0; i < sizeof(neg_cues) / sizeof(*neg_cues) && i < 16; i++) {
		s->neg[s->nneg] = hash_str(neg_cues[i], strlen(neg_cues[i]));
		s->negbits |= (uint64_t)1 << (s->neg[s->nneg++] & 63);
	}
	return s;
}

static int is_neg(const sfeat_t *s, uint64_t h)
{
	if (!(s->negbits & ((uint64_t)1 << (h & 63))))
		return 0;
	for (int i = 0; i < s->nneg; i++)
		if (s->neg[i] == h)
			return 1;
	return 0;
}

/* Feature keys for a lexicon entry's codes. */
static void make_hit(lex_hit *h, const char *cameo, const char *plover, const char *penta)
{
	char root[3] = { 0 };

	h->k[0] = key2(100, 1, hash_str(plover, strlen(plover)));
	h->k[1] = key2(100, 2, hash_str(penta, strlen(penta)));
	memcpy(root, cameo, strlen(cameo) >= 2 ? 2 : strlen(cameo));
	h->k[2] = key2(100, 3, hash_str(root, strlen(root)));
	h->statement = strcmp(penta, "STATEMENT") == 0;
}

/* Pattern words: literal lowercase words, skipping *, &SETS, $ and
 * brackets; split before/after the verb's place '*'. */
static void compile_pattern(pat *p, const char *pattern)
{
	int after = 0;
	const char *c = pattern;

	p->npre = p->npost = 0;
	while (*c) {
		while (*c == ' ' || *c == '{' || *c == '}' || *c == '(' || *c == ')')
			c++;
		if (!*c)
			break;
		const char *w = c;
		while (*c && *c != ' ' && *c != '{' && *c != '}' && *c != '(' && *c != ')')
			c++;
		size_t n = (size_t)(c - w);
		if (n == 1 && *w == '*') {
			after = 1;
			continue;
		}
		if (*w == '&' || *w == '$' || *w == '+' || *w == '%' || *w == '^')
			continue;
		uint64_t h = hash_str(w, n);
		if (after && p->npost < LEX_MAX_WORDS)
			p->post[p->npost++] = h;
		else if (!after && p->npre < LEX_MAX_WORDS)
			p->pre[p->npre++] = h;
	}
}

/* Builds the lookup tables from the rows. 0 or ERR_NOMEM. */
static int lex_compile(sfeat_t *s)
{
	int added;

	s->maxw = 1;
	if (s->nverbs) {
		s->vhit = calloc(s->nverbs, sizeof(*s->vhit));
		if (!s->vhit)
			return ERR_NOMEM;
	}
	for (size_t i = 0; i < s->nverbs; i++) {
		const char *form = s->verbs[i].f[0];
		size_t n = strlen(form);
		const char *sp = strchr(form, ' ');
		int words = 1;
		for (const char *c = form; *c; c++)
			words += *c == ' ';
		if (words > LEX_MAX_WORDS)
			continue;
		if (words > s->maxw)
			s->maxw = words;
		make_hit(&s->vhit[i], s->verbs[i].f[1], s->verbs[i].f[2], s->verbs[i].f[3]);
		if (hmap_put(&s->form, hash_str(form, n), (uint32_t)i, &added) == UINT32_MAX)
			return ERR_NOMEM;
		uint64_t fh = hash_str(form, sp ? (size_t)(sp - form) : n);
		uint32_t fa = hmap_put(&s->first, fh, (uint32_t)words, &added);
		if (fa == UINT32_MAX)
			return ERR_NOMEM;
		if (s->first.vals[fa] < (uint32_t)words)
			s->first.vals[fa] = (uint32_t)words;
		s->filter[(fh >> 6) & 1023] |= (uint64_t)1 << (fh & 63);
	}
	if (s->npats) {
		s->pc = calloc(s->npats, sizeof(*s->pc));
		if (!s->pc)
			return ERR_NOMEM;
	}
	for (size_t i = s->npats; i-- > 0;) {
		pat *p = &s->pc[i];
		const char *verb = s->pats[i].f[0];
		compile_pattern(p, s->pats[i].f[1]);
		make_hit(&p->hit, s->pats[i].f[2], s->pats[i].f[3], s->pats[i].f[4]);
		p->next = UINT32_MAX;
		if (p->npre + p->npost == 0)
			continue; /* only synonym sets: cannot match literally */
		uint64_t vh = hash_str(verb, strlen(verb));
		s->filter[(vh >> 6) & 1023] |= (uint64_t)1 << (vh & 63);
		uint32_t at = hmap_put(&s->pverb, vh, (uint32_t)i, &added);
		if (at == UINT32_MAX)
			return ERR_NOMEM;
		if (!added) {
			p->next = s->pverb.vals[at];
			s->pverb.vals[at] = (uint32_t)i;
		}
	}
	return 0;
}

/* Reads a lexicon file of nf tab-separated fields a line into *rows. */
static int read_rows(const char *path, int nf, lex_row **rows, size_t *nrows, err_t *e)
{
	FILE *f = fopen(path, "rb");
	char *line = NULL;
	size_t cap = 0, n = 0, rcap = 0;
	ssize_t got;
	unsigned long lineno = 0;
	int rc = 0;

	*rows = NULL;
	*nrows = 0;
	if (!f)
		return err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
	while ((got = getline(&line, &cap, f)) >= 0) {
		size_t len = (size_t)got;
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		if (utf8_check(line, len, NULL) != len || memchr(line, '\0', len)) {
			rc = err_set(e, ERR_FORMAT, "%s:%lu: invalid UTF-8 or NUL byte", path, lineno);
			break;
		}
		if (n == rcap) {
			size_t nc = rcap ? rcap * 2 : 1024;
			lex_row *t = realloc(*rows, nc * sizeof(*t));
			if (!t) {
				rc = err_set(e, ERR_NOMEM, "out of memory");
				break;
			}
			*rows = t;
			rcap = nc;
		}
		lex_row *r = &(*rows)[n];
		memset(r, 0, sizeof(*r));
		char *fld[16];
		int nfld = 0;
		for (char *c = line; c && nfld < 16;) {
			char *tab = strchr(c, '\t');
			fld[nfld++] = c;
			if (tab)
				*tab = '\0';
			c = tab ? tab + 1 : NULL;
		}
		/* a pattern with a stray tab inside: rejoin its middle fields */
		int extra = nf == 5 && nfld > 5 ? nfld - 5 : 0;
		for (int x = 0; x < extra; x++)
			fld[1][strlen(fld[1])] = ' ';
		if (extra) {
			for (int x = 2; x + extra < nfld; x++)
				fld[x] = fld[x + extra];
			nfld -= extra;
		}
		n++;
		if (nfld != nf || !fld[0][0]) {
			rc = err_set(e, ERR_FORMAT, "%s:%lu: want %d tab-separated fields", path, lineno, nf);
			break;
		}
		for (int k = 0; k < nf; k++) {
			r->f[k] = strdup(fld[k]);
			if (!r->f[k]) {
				rc = err_set(e, ERR_NOMEM, "out of memory");
				break;
			}
			for (char *q = r->f[k]; *q; q++)
				if (*q >= 'A' && *q <= 'Z' && k < 2)
					*q = (char)(*q - 'A' + 'a');
		}
		if (rc)
			break;
	}
	if (!rc && ferror(f))
		rc = err_set(e, ERR_IO, "%s: read error", path);
	free(line);
	fclose(f);
	*nrows = n;
	return rc;
}

int sfeat_load_lexicon(sfeat_t *s, const char *verbs_path, const char *patterns_path, err_t *e)
{
	int rc;

	if (s->frozen || s->nverbs || s->npats)
		return err_set(e, ERR_ARG, "lexicon already loaded or vocabulary frozen");
	rc = read_rows(verbs_path, 4, &s->verbs, &s->nverbs, e);
	if (rc == 0 && patterns_path)
		rc = read_rows(patterns_path, 5, &s->pats, &s->npats, e);
	if (rc == 0 && lex_compile(s) < 0)
		rc = err_set(e, ERR_NOMEM, "out of memory");
	return rc;
}

size_t sfeat_lexicon_size(const sfeat_t *s)
{
	return s->nverbs + s->npats;
}

/* ---- word clusters ---- */
/* A cluster table key: the token hash folded to 32 bits. */
static uint32_t cl_key32(uint64_t h)
{
	return (uint32_t)(h ^ (h >> 32));
}

/* Folds a word as lower_tokens folds a token (no name masking). */
static size_t fold_word(const char *w, char *out)
{
	size_t p = 0;

	for (const unsigned char *c = (const unsigned char *)w; *c;) {
		unsigned char ch = *c;
		if (ch >= 'A' && ch <= 'Z')
			ch = (unsigned char)(ch - 'A' + 'a');
		else if (ch >= '0' && ch <= '9')
			ch = '0';
		else if (ch == 0xE2 && c[1] == 0x80 && (c[2] == 0x99 || c[2] == 0x98)) {
			out[p++] = '\'';
			c += 3;
			continue;
		}
		out[p++] = (char)ch;
		c++;
	}
	out[p] = '\0';
	return p;
}

typedef struct cl_pair {
	uint32_t key, cls;
} cl_pair;

static int cmp_cl_pair(const void *a, const void *b)
{
	uint32_t x = ((const cl_pair *)a)->key, y = ((const cl_pair *)b)->key;
	return x < y ? -1 : x > y;
}

int sfeat_load_clusters(sfeat_t *s, const char *path, err_t *e)
{
	wclust_t *wc = NULL;
	hmap seen = { 0 }, tuples = { 0 };
	cl_pair *pr = NULL;
	char *fb = NULL;
	size_t fcap = 0;
	uint32_t n = 0;
	int added, rc;

	if (s->frozen || s->cl_n)
		return err_set(e, ERR_ARG, "clusters already loaded or vocabulary frozen");
	rc = wclust_read(path, &wc, e);
	if (rc < 0)
		return rc;
	if (wc->n >= (1u << 24)) {
		rc = err_set(e, ERR_ARG, "%s: too many words (%zu; at most %u)", path, wc->n, (1u << 24) - 1);
		goto out;
	}
	pr = malloc(wc->n * sizeof(*pr));
	s->cl_ids = malloc(wc->n * wc->nlev * sizeof(*s->cl_ids));
	if (!pr || !s->cl_ids)
		goto nomem;
	for (size_t i = 0; i < wc->n; i++) {
		size_t wl = strlen(wc->word[i]);
		if (wl + 1 > fcap) {
			char *t = realloc(fb, wl + 1);
			if (!t)
				goto nomem;
			fb = t;
			fcap = wl + 1;
		}
		uint32_t k32 = cl_key32(hash_str(fb, fold_word(wc->word[i], fb)));
		if (hmap_put(&seen, k32, 0, &added) == UINT32_MAX)
			goto nomem;
		if (!added)
			continue; /* a folded word's first line counts */
		const uint32_t *ids = wc->id + i * wc->nlev;
		uint64_t th = dict_hash(ids, wc->nlev * sizeof(*ids));
		uint32_t t = hmap_put(&tuples, th, 0, &added);
		if (t == UINT32_MAX)
			goto nomem;
		if (added)
			memcpy(s->cl_ids + (size_t)t * wc->nlev, ids, wc->nlev * sizeof(*ids));
		else if (memcmp(s->cl_ids + (size_t)t * wc->nlev, ids, wc->nlev * sizeof(*ids)) != 0) {
			rc = err_set(e, ERR_ARG, "%s: cluster tuples collide in hashing", path);
			goto out;
		}
		pr[n].key = k32;
		pr[n].cls = t;
		n++;
	}
	qsort(pr, n, sizeof(*pr), cmp_cl_pair);
	s->cl_key = malloc(((size_t)n + 1) * sizeof(*s->cl_key));
	s->cl_cls = malloc(((size_t)n + 1) * sizeof(*s->cl_cls));
	if (!s->cl_key || !s->cl_cls)
		goto nomem;
	for (uint32_t i = 0; i < n; i++) {
		s->cl_key[i] = pr[i].key;
		s->cl_cls[i] = pr[i].cls;
	}
	s->cl_n = n;
	s->cl_ncls = tuples.n;
	s->cl_nlev = wc->nlev;
	memcpy(s->cl_k, wc->k, sizeof(s->cl_k));
	goto out;
nomem:
	rc = err_set(e, ERR_NOMEM, "out of memory");
out:
	if (rc < 0) {
		free(s->cl_ids);
		free(s->cl_key);
		free(s->cl_cls);
		s->cl_ids = s->cl_key = s->cl_cls = NULL;
		s->cl_n = s->cl_ncls = s->cl_nlev = 0;
	}
	hmap_free(&seen);
	hmap_free(&tuples);
	free(pr);
	free(fb);
	wclust_free(wc);
	return rc;
}

/* The id tuple of a token hash, or NULL. */
static const uint32_t *cl_find(const sfeat_t *s, uint64_t h)
{
	uint32_t k = cl_key32(h), lo = 0, hi = s->cl_n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (s->cl_key[mid] < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->cl_n && s->cl_key[lo] == k)
		return s->cl_ids + (size_t)s->cl_cls[lo] * s->cl_nlev;
	return NULL;
}

size_t sfeat_cluster_words(const sfeat_t *s)
{
	return s->cl_n;
}

const uint32_t *sfeat_cluster_ks(const sfeat_t *s, uint32_t *nlev)
{
	*nlev = s->cl_nlev;
	return s->cl_nlev ? s->cl_k : NULL;
}

/* ---- workspace ---- */
sfeat_ws *sfeat_ws_new(void)
{
	return calloc(1, sizeof(sfeat_ws));
}

void sfeat_ws_free(sfeat_ws *w)
{
	if (!w)
		return;
	free(w->low);
	free(w->off);
	free(w->len);
	free(w->th);
	free(w->keys);
	free(w->ids);
	tok_doc_free(&w->doc);
	free(w);
}

void sfeat_ws_reset(sfeat_ws *w)
{
	w->nkeys = 0;
	w->nadds = 0;
}

static int push_key(sfeat_ws *w, uint64_t k)
{
	if (w->nkeys == w->keys_cap) {
		size_t nc = w->keys_cap ? w->keys_cap * 2 : 512;
		uint64_t *t = realloc(w->keys, nc * sizeof(*t));
		if (!t)
			return ERR_NOMEM;
		w->keys = t;
		w->keys_cap = nc;
	}
	w->keys[w->nkeys++] = k;
	return 0;
}

/* Lowercases the tokens into w->low (ASCII case folding, digits to 0,
 * typographic apostrophe to '), hashing each. */
static int lower_tokens(sfeat_ws *w, const char *text, const tok_token *tok, size_t ntok, int mask)
{
	size_t need = 0;

	for (size_t i = 0; i < ntok; i++)
		need += (size_t)(tok[i].end - tok[i].start) + 6;
	if (need > w->low_cap) {
		char *t = realloc(w->low, need);
		if (!t)
			return ERR_NOMEM;
		w->low = t;
		w->low_cap = need;
	}
	if (ntok > w->ntok_cap) {
		uint32_t *o = realloc(w->off, ntok * sizeof(*o));
		if (!o)
			return ERR_NOMEM;
		w->off = o;
		uint32_t *l = realloc(w->len, ntok * sizeof(*l));
		if (!l)
			return ERR_NOMEM;
		w->len = l;
		uint64_t *h = realloc(w->th, ntok * sizeof(*h));
		if (!h)
			return ERR_NOMEM;
		w->th = h;
		w->ntok_cap = ntok;
	}
	size_t p = 0;
	for (size_t i = 0; i < ntok; i++) {
		const unsigned char *c = (const unsigned char *)text + tok[i].start;
		const unsigned char *end = (const unsigned char *)text + tok[i].end;
		w->off[i] = (uint32_t)p;
		if (mask && i > 0 && *c >= 'A' && *c <= 'Z') {
			/* a capitalised word inside the sentence: a name */
			memcpy(w->low + p, "<cap>", 5);
			p += 5;
			c = end;
		}
		while (c < end) {
			unsigned char ch = *c;
			if (ch >= 'A' && ch <= 'Z')
				ch = (unsigned char)(ch - 'A' + 'a');
			else if (ch >= '0' && ch <= '9')
				ch = '0';
			else if (ch == 0xE2 && end - c >= 3 && c[1] == 0x80 && (c[2] == 0x99 || c[2] == 0x98)) {
				w->low[p++] = '\'';
				c += 3;
				continue;
			}
			w->low[p++] = (char)ch;
			c++;
		}
		w->len[i] = (uint32_t)(p - w->off[i]);
		w->th[i] = hash_str(w->low + w->off[i], w->len[i]);
		w->low[p++] = '\0';
	}
	w->low_len = p;
	return 0;
}

static int is_alpha_tok(const sfeat_ws *w, size_t i)
{
	unsigned char c = (unsigned char)w->low[w->off[i]];
	return (c >= 'a' && c <= 'z') || c >= 0x80;
}

static int is_punct_tok(const sfeat_ws *w, size_t i)
{
	unsigned char c = (unsigned char)w->low[w->off[i]];
	return w->len[i] == 1 && (c == ',' || c == '.' || c == ';' || c == ':' || c == '!' ||
				  c == '?' || c == '"' || c == '(' || c == ')');
}

/* Candidate base forms of a lowercased word (itself first); returns their
 * count, strings written into buf as consecutive NUL-terminated strings. */
static int lemmas(const char *t, size_t n, char *buf, size_t cap, const char **out)
{
	int k = 0;
	size_t p = 0;
#define CAND(len_, suffix_)                                                    \
	do {                                                                   \
		size_t l_ = (len_), sl_ = strlen(suffix_);                     \
		if (p + l_ + sl_ + 1 <= cap && k < 8) {                        \
			memcpy(buf + p, t, l_);                                \
			memcpy(buf + p + l_, suffix_, sl_);                    \
			buf[p + l_ + sl_] = '\0';                              \
			out[k++] = buf + p;                                    \
			p += l_ + sl_ + 1;                                     \
		}                                                              \
	} while (0)
	CAND(n, "");
	if (n > 4 && (memcmp(t + n - 3, "ies", 3) == 0 || memcmp(t + n - 3, "ied", 3) == 0))
		CAND(n - 3, "y");
	if (n > 3 && t[n - 1] == 's' && t[n - 2] != 's') {
		CAND(n - 1, "");
		if (t[n - 2] == 'e')
			CAND(n - 2, "");
	}
	if (n > 3 && memcmp(t + n - 2, "ed", 2) == 0) {
		CAND(n - 1, "");
		CAND(n - 2, "");
		if (n > 4 && t[n - 3] == t[n - 4])
			CAND(n - 3, "");
	}
	if (n > 4 && memcmp(t + n - 3, "ing", 3) == 0) {
		CAND(n - 3, "");
		CAND(n - 3, "e");
		if (n > 5 && t[n - 4] == t[n - 5])
			CAND(n - 4, "");
	}
#undef CAND
	return k;
}

/* Emits a lexicon hit's features; the sentence's first hit, and its
 * first hit that is not a statement verb, also as their own features
 * (an approximation of the main clause's verb). */
static int emit_hit(sfeat_ws *w, int tmpl, const lex_hit *h, int lead, int *seen)
{
	int first = !(*seen & 1), first_ns = !h->statement && !(*seen & 2);

	*seen |= 1 | (h->statement ? 0 : 2);
	for (int j = 0; j < 3; j++) {
		if (first && push_key(w, key1(T_LEXF, h->k[j])) < 0)
			return ERR_NOMEM;
		if (first_ns && push_key(w, key1(T_LEXF2, h->k[j])) < 0)
			return ERR_NOMEM;
		if (push_key(w, key1(tmpl, h->k[j])) < 0)
			return ERR_NOMEM;
		if (lead && push_key(w, key1(T_LEADL, h->k[j])) < 0)
			return ERR_NOMEM;
	}
	return 0;
}

static int lexicon_features(const sfeat_t *s, sfeat_ws *w, size_t ntok, int lead)
{
	char lb[256];
	const char *cand[8];
	uint64_t present[4] = { 0, 0, 0, 0 }; /* bit set of the sentence's token hashes */
	int seen = 0;

	for (size_t i = 0; i < ntok; i++)
		present[(w->th[i] >> 6) & 3] |= (uint64_t)1 << (w->th[i] & 63);
	for (size_t i = 0; i < ntok; i++) {
		if (!is_alpha_tok(w, i) || w->len[i] > 40)
			continue;
		int nc = lemmas(w->low + w->off[i], w->len[i], lb, sizeof(lb), cand);
		for (int c = 0; c < nc; c++) {
			size_t cl = strlen(cand[c]);
			uint64_t h = hash_str(cand[c], cl);
			int matched = 0;
			if (!(s->filter[(h >> 6) & 1023] & ((uint64_t)1 << (h & 63))))
				continue;
			/* verb forms, longest first */
			uint32_t fa = hmap_find(&s->first, h);
			if (fa != UINT32_MAX) {
				for (int L = (int)s->first.vals[fa]; L >= 1 && !matched; L--) {
					if (i + (size_t)L > ntok)
						continue;
					size_t p = 0;
					if (cl >= sizeof(w->span))
						continue;
					memcpy(w->span, cand[c], cl);
					p = cl;
					int ok = 1;
					for (int j = 1; j < L; j++) {
						size_t tl = w->len[i + j];
						if (p + 1 + tl >= sizeof(w->span)) {
							ok = 0;
							break;
						}
						w->span[p++] = ' ';
						memcpy(w->span + p, w->low + w->off[i + j], tl);
						p += tl;
					}
					if (!ok)
						continue;
					uint32_t r = hmap_find(&s->form, hash_str(w->span, p));
					if (r != UINT32_MAX) {
						if (emit_hit(w, T_LEXV, &s->vhit[s->form.vals[r]], lead, &seen) < 0)
							return ERR_NOMEM;
						matched = 1;
					}
				}
			}
			/* phrase patterns of this verb */
			uint32_t at = hmap_find(&s->pverb, h);
			if (at != UINT32_MAX) {
				for (uint32_t q = s->pverb.vals[at]; q != UINT32_MAX; q = s->pc[q].next) {
					const pat *pp = &s->pc[q];
					size_t j = i + 1, lim = i + 1 + PAT_POST_WINDOW;
					uint64_t fw = pp->npost ? pp->post[0] : pp->pre[0];
					if (!(present[(fw >> 6) & 3] & ((uint64_t)1 << (fw & 63))))
						continue;
					int k = 0;
					for (; j < ntok && j < lim && k < pp->npost; j++)
						if (w->th[j] == pp->post[k])
							k++;
					if (k < pp->npost)
						continue;
					k = pp->npre - 1;
					for (size_t b = i; b > 0 && i - b < PAT_PRE_WINDOW && k >= 0; b--)
						if (w->th[b - 1] == pp->pre[k])
							k--;
					if (k >= 0)
						continue;
					if (emit_hit(w, T_LEXP, &pp->hit, lead, &seen) < 0)
						return ERR_NOMEM;
					matched = 1;
				}
			}
			if (matched)
				break;
		}
	}
	return 0;
}

int sfeat_add(const sfeat_t *s, sfeat_ws *w, const char *text, const tok_token *tok, size_t ntok)
{
	const sfeat_opts *o = &s->o;

	if (ntok == 0)
		return 0;
	int lead = o->lead && w->nadds == 0;
	w->nadds++;
	if (lower_tokens(w, text, tok, ntok, o->mask_caps) < 0)
		return ERR_NOMEM;
	for (size_t i = 0; i < ntok; i++) {
		if (o->words && push_key(w, key1(T_WORD, w->th[i])) < 0)
			return ERR_NOMEM;
		if (lead && o->words && push_key(w, key1(T_LEADW, w->th[i])) < 0)
			return ERR_NOMEM;
		if (o->bigrams && push_key(w, key2(T_BIGRAM, i ? w->th[i - 1] : 0x5354415254ULL, w->th[i])) < 0)
			return ERR_NOMEM;
		if (o->chargrams && w->len[i] <= 40) {
			char b[48];
			size_t n = w->len[i] + 2;
			b[0] = '<';
			memcpy(b + 1, w->low + w->off[i], w->len[i]);
			b[n - 1] = '>';
			for (size_t g = 3; g <= (size_t)o->chargrams && g <= n; g++)
				for (size_t a = 0; a + g <= n; a++)
					if (push_key(w, key2(T_CHAR, g, hash_str(b + a, g))) < 0)
						return ERR_NOMEM;
		}
	}
	if (o->bigrams && push_key(w, key2(T_BIGRAM, w->th[ntok - 1], 0x454E44ULL)) < 0)
		return ERR_NOMEM;
	if (o->clusters && s->cl_n) {
		for (size_t i = 0; i < ntok; i++) {
			const uint32_t *ids = cl_find(s, w->th[i]);
			for (uint32_t l = 0; ids && l < s->cl_nlev; l++)
				if (push_key(w, key2(T_CLUS, s->cl_k[l], ids[l])) < 0)
					return ERR_NOMEM;
		}
	}
	if (o->negation) {
		for (size_t i = 0; i < ntok; i++) {
			if (!is_neg(s, w->th[i]))
				continue;
			if (push_key(w, key1(T_NEG, 1)) < 0)
				return ERR_NOMEM;
			for (size_t j = i + 1, k = 0; j < ntok && k < 3 && !is_punct_tok(w, j); j++, k++)
				if (push_key(w, key1(T_NEGW, w->th[j])) < 0)
					return ERR_NOMEM;
		}
	}
	if (o->lexicon && (s->nverbs || s->npats))
		return lexicon_features(s, w, ntok, lead);
	return 0;
}

int sfeat_observe(sfeat_t *s, sfeat_ws *w)
{
	int added;

	if (s->frozen)
		return ERR_ARG;
	/* unique keys, but counted in first-seen order for stable ids */
	hmap seen = { 0 };
	for (size_t i = 0; i < w->nkeys; i++) {
		uint32_t at = hmap_put(&seen, w->keys[i], 0, &added);
		if (at == UINT32_MAX) {
			hmap_free(&seen);
			return ERR_NOMEM;
		}
		if (!added)
			continue;
		at = hmap_put(&s->df, w->keys[i], 0, &added);
		if (at == UINT32_MAX) {
			hmap_free(&seen);
			return ERR_NOMEM;
		}
		s->df.vals[at]++;
	}
	hmap_free(&seen);
	s->ndocs++;
	return 0;
}

int sfeat_freeze(sfeat_t *s, err_t *e)
{
	int added;
	uint32_t n = 0;

	if (s->frozen)
		return err_set(e, ERR_ARG, "features already frozen");
	if (s->ndocs == 0)
		return err_set(e, ERR_EMPTY, "no training examples");
	for (uint32_t i = 0; i < s->df.n; i++)
		n += s->df.vals[i] >= (uint32_t)s->o.min_df;
	if (n > SFEAT_MAX_DIM)
		return err_set(e, ERR_ARG, "too many features (%u)", n);
	s->idf = malloc(((size_t)n + 1) * sizeof(*s->idf));
	if (!s->idf)
		return err_set(e, ERR_NOMEM, "out of memory");
	for (uint32_t i = 0; i < s->df.n; i++) {
		uint32_t d = s->df.vals[i];
		if (d < (uint32_t)s->o.min_df)
			continue;
		uint32_t id = hmap_put(&s->vocab, s->df.keys[i], 0, &added);
		if (id == UINT32_MAX)
			return err_set(e, ERR_NOMEM, "out of memory");
		double v = s->o.idf ? log((1.0 + s->ndocs) / (1.0 + d)) + 1.0 : 1.0;
		if (is_lex_template(KEY_TEMPLATE(s->df.keys[i])))
			v *= s->o.lex_weight;
		s->idf[id] = (float)v;
	}
	hmap_free(&s->df);
	s->frozen = 1;
	return 0;
}

uint32_t sfeat_dim(const sfeat_t *s)
{
	return s->vocab.n;
}

const sfeat_opts *sfeat_options(const sfeat_t *s)
{
	return &s->o;
}

int sfeat_vector(const sfeat_t *s, sfeat_ws *w, sv_t *out)
{
	size_t n = 0;

	sv_clear(out);
	if (w->nkeys > w->ids_cap) {
		uint32_t *t = realloc(w->ids, w->nkeys * sizeof(*t));
		if (!t)
			return ERR_NOMEM;
		w->ids = t;
		w->ids_cap = w->nkeys;
	}
	for (size_t i = 0; i < w->nkeys; i++) {
		uint32_t id = hmap_find(&s->vocab, w->keys[i]);
		if (id != UINT32_MAX)
			w->ids[n++] = id;
	}
	sort_u32(w->ids, n);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && w->ids[j] == w->ids[i])
			j++;
		float v = (float)(j - i);
		if (s->o.tf == SFEAT_TF_BINARY)
			v = 1.0f;
		else if (s->o.tf == SFEAT_TF_LOG)
			v = 1.0f + logf(v);
		if (sv_push(out, w->ids[i], v * s->idf[w->ids[i]]) < 0) /* IDF and template weight */
			return ERR_NOMEM;
		i = j;
	}
	if (s->o.l2) {
		double nrm = sv_norm2(out);
		if (nrm > 0)
			sv_scale(out, (float)(1.0 / nrm));
	}
	return 0;
}

static int rows_same(const lex_row *a, const lex_row *b, size_t n, int nf)
{
	for (size_t i = 0; i < n; i++)
		for (int j = 0; j < nf; j++)
			if (strcmp(a[i].f[j], b[i].f[j]) != 0)
				return 0;
	return 1;
}

static int clusters_same(const sfeat_t *a, const sfeat_t *b)
{
	uint32_t nl = a->cl_nlev;

	if (a->cl_n != b->cl_n || nl != b->cl_nlev ||
	    memcmp(a->cl_k, b->cl_k, nl * sizeof(*a->cl_k)) != 0 ||
	    (a->cl_n && memcmp(a->cl_key, b->cl_key, a->cl_n * sizeof(*a->cl_key)) != 0))
		return 0;
	for (uint32_t i = 0; i < a->cl_n; i++)
		if (memcmp(a->cl_ids + (size_t)a->cl_cls[i] * nl, b->cl_ids + (size_t)b->cl_cls[i] * nl,
			   nl * sizeof(*a->cl_ids)) != 0)
			return 0;
	return 1;
}

int sfeat_keys_cover(const sfeat_t *a, const sfeat_t *b)
{
	const sfeat_opts *x = &a->o, *y = &b->o;

	if (x->mask_caps != y->mask_caps || (y->words && !x->words) ||
	    (y->bigrams && !x->bigrams) || (y->negation && !x->negation) ||
	    (y->lead && !x->lead) || (y->chargrams && x->chargrams != y->chargrams))
		return 0;
	if (y->lexicon && (b->nverbs || b->npats) &&
	    (!x->lexicon || a->nverbs != b->nverbs || a->npats != b->npats ||
	     !rows_same(a->verbs, b->verbs, a->nverbs, 4) || !rows_same(a->pats, b->pats, a->npats, 5)))
		return 0;
	if (y->clusters && b->cl_n && (!x->clusters || !clusters_same(a, b)))
		return 0;
	return 1;
}

int sfeat_text(const sfeat_t *s, sfeat_ws *w, const char *text, size_t len, sv_t *out, err_t *e)
{
	int rc = tok_split(&w->doc, text, len, 0, 0, e);

	if (rc < 0)
		return rc;
	sfeat_ws_reset(w);
	for (uint32_t i = 0; i < w->doc.nsent; i++) {
		const tok_sent *st = &w->doc.sent[i];
		if (sfeat_add(s, w, text, w->doc.tok + st->first, st->n) < 0)
			return err_set(e, ERR_NOMEM, "out of memory");
	}
	if (sfeat_vector(s, w, out) < 0)
		return err_set(e, ERR_NOMEM, "out of memory");
	return 0;
}

/* ---- model I/O ---- */
/* Version 1: no clusters field or table; 2: the clusters option after
 * mask_caps and the cluster table after the lexicon. */
#define SFEAT_SAVE_VERSION 2
#define SFEAT_MAX_CL_WORDS (1u << 24)

void sfeat_save(const sfeat_t *s, buf_t *b)
{
	const sfeat_opts *o = &s->o;

	buf_put_u32(b, o->clusters ? 2 : 1);
	buf_put_i32(b, o->words);
	buf_put_i32(b, o->bigrams);
	buf_put_i32(b, o->chargrams);
	buf_put_i32(b, o->lexicon);
	buf_put_i32(b, o->negation);
	buf_put_i32(b, o->tf);
	buf_put_i32(b, o->idf);
	buf_put_i32(b, o->l2);
	buf_put_i32(b, o->min_df);
	buf_put_i32(b, o->lead);
	buf_put_f32(b, o->lex_weight);
	buf_put_i32(b, o->mask_caps);
	if (o->clusters)
		buf_put_i32(b, o->clusters);
	buf_put_u32(b, s->vocab.n);
	for (uint32_t i = 0; i < s->vocab.n; i++)
		buf_put_u64(b, s->vocab.keys[i]);
	for (uint32_t i = 0; i < s->vocab.n; i++)
		buf_put_f32(b, s->idf[i]);
	buf_put_u32(b, (uint32_t)s->nverbs);
	for (size_t i = 0; i < s->nverbs; i++)
		for (int k = 0; k < 4; k++)
			buf_put_str(b, s->verbs[i].f[k]);
	buf_put_u32(b, (uint32_t)s->npats);
	for (size_t i = 0; i < s->npats; i++)
		for (int k = 0; k < 5; k++)
			buf_put_str(b, s->pats[i].f[k]);
	if (!o->clusters)
		return;
	/* the cluster table: granularities, tuples, then the words as
	 * ascending hash deltas and their tuples (u16 when they fit) */
	buf_put_u32(b, s->cl_nlev);
	for (uint32_t l = 0; l < s->cl_nlev; l++)
		buf_put_u32(b, s->cl_k[l]);
	buf_put_u32(b, s->cl_ncls);
	for (size_t i = 0; i < (size_t)s->cl_ncls * s->cl_nlev; i++)
		buf_put_u32(b, s->cl_ids[i]);
	buf_put_u32(b, s->cl_n);
	for (uint32_t i = 0; i < s->cl_n; i++)
		buf_put_u32(b, s->cl_key[i] - (i ? s->cl_key[i - 1] : 0));
	for (uint32_t i = 0; i < s->cl_n; i++) {
		if (s->cl_ncls <= 65536) {
			uint8_t two[2] = { (uint8_t)s->cl_cls[i], (uint8_t)(s->cl_cls[i] >> 8) };
			buf_put(b, two, 2);
		} else {
			buf_put_u32(b, s->cl_cls[i]);
		}
	}
}

/* Reads the cluster table sfeat_save wrote. 0 or -1 (damaged / no memory:
 * *nomem tells). */
static int read_clusters(rd_t *r, sfeat_t *s, int *nomem)
{
	uint32_t nlev = rd_count(r, WCLUST_MAX_LEVELS, 4);

	*nomem = 0;
	if (!rd_ok(r))
		return -1;
	for (uint32_t l = 0; l < nlev; l++) {
		s->cl_k[l] = rd_u32(r);
		if (s->cl_k[l] == 0 || s->cl_k[l] > WCLUST_MAX_K)
			return -1;
	}
	uint32_t ncls = rd_count(r, SFEAT_MAX_CL_WORDS, (size_t)4 * (nlev ? nlev : 1));
	if (!rd_ok(r) || (nlev == 0) != (ncls == 0))
		return -1;
	s->cl_ids = malloc(((size_t)ncls * nlev + 1) * sizeof(*s->cl_ids));
	if (!s->cl_ids)
		return *nomem = 1, -1;
	for (size_t i = 0; i < (size_t)ncls * nlev; i++) {
		s->cl_ids[i] = rd_u32(r);
		if (s->cl_ids[i] >= s->cl_k[i % nlev])
			return -1;
	}
	size_t wbytes = ncls <= 65536 ? 2 : 4;
	uint32_t n = rd_count(r, SFEAT_MAX_CL_WORDS, 4 + wbytes);
	if (!rd_ok(r) || (n == 0) != (ncls == 0) || ncls > n)
		return -1;
	s->cl_key = malloc(((size_t)n + 1) * sizeof(*s->cl_key));
	s->cl_cls = malloc(((size_t)n + 1) * sizeof(*s->cl_cls));
	if (!s->cl_key || !s->cl_cls)
		return *nomem = 1, -1;
	uint64_t key = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t d = rd_u32(r);
		if (i > 0 && d == 0)
			return -1; /* keys strictly ascending */
		key += d;
		if (key > UINT32_MAX)
			return -1;
		s->cl_key[i] = (uint32_t)key;
	}
	for (uint32_t i = 0; i < n; i++) {
		if (wbytes == 2) {
			const unsigned char *two = rd_raw(r, 2);
			s->cl_cls[i] = two ? (uint32_t)two[0] | (uint32_t)two[1] << 8 : 0;
		} else {
			s->cl_cls[i] = rd_u32(r);
		}
		if (s->cl_cls[i] >= ncls)
			return -1;
	}
	if (!rd_ok(r))
		return -1;
	s->cl_nlev = nlev;
	s->cl_ncls = ncls;
	s->cl_n = n;
	return 0;
}

static int read_lex(rd_t *r, int nf, lex_row **rows, size_t *n)
{
	uint32_t cnt = rd_count(r, 10000000, (size_t)nf * 4);

	*rows = NULL;
	*n = 0;
	if (!rd_ok(r))
		return -1;
	if (cnt == 0)
		return 0;
	*rows = calloc(cnt, sizeof(**rows));
	if (!*rows)
		return -1;
	for (uint32_t i = 0; i < cnt; i++) {
		*n = i + 1;
		for (int k = 0; k < nf; k++) {
			(*rows)[i].f[k] = rd_strdup(r);
			if (!(*rows)[i].f[k])
				return -1;
		}
		if (!(*rows)[i].f[0][0])
			return -1;
	}
	return 0;
}

sfeat_t *sfeat_load(rd_t *r, err_t *e)
{
	sfeat_opts o;
	sfeat_t *s = NULL;
	uint32_t ver, n;
	int added;

	ver = rd_u32(r);
	o.words = rd_i32(r);
	o.bigrams = rd_i32(r);
	o.chargrams = rd_i32(r);
	o.lexicon = rd_i32(r);
	o.negation = rd_i32(r);
	o.tf = rd_i32(r);
	o.idf = rd_i32(r);
	o.l2 = rd_i32(r);
	o.min_df = rd_i32(r);
	o.lead = rd_i32(r);
	o.lex_weight = rd_f32(r);
	o.mask_caps = rd_i32(r);
	o.clusters = ver >= 2 ? rd_i32(r) : 0;
	if (!rd_ok(r) || ver < 1 || ver > SFEAT_SAVE_VERSION || !opts_ok(&o) || (ver == 2) != (o.clusters == 1))
		goto bad;
	s = sfeat_new(&o, e);
	if (!s)
		return NULL;
	n = rd_count(r, SFEAT_MAX_DIM, 12);
	if (!rd_ok(r))
		goto bad;
	s->idf = malloc(((size_t)n + 1) * sizeof(*s->idf));
	if (!s->idf)
		goto nomem;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t id = hmap_put(&s->vocab, rd_u64(r), 0, &added);
		if (id == UINT32_MAX)
			goto nomem;
		if (!added || !rd_ok(r))
			goto bad; /* duplicate key */
	}
	for (uint32_t i = 0; i < n; i++) {
		s->idf[i] = rd_f32(r);
		if (!(s->idf[i] >= 0.0f && s->idf[i] < 1e6f))
			goto bad;
	}
	if (read_lex(r, 4, &s->verbs, &s->nverbs) < 0 || read_lex(r, 5, &s->pats, &s->npats) < 0)
		goto bad;
	if (o.clusters) {
		int nomem;
		if (read_clusters(r, s, &nomem) < 0) {
			if (nomem)
				goto nomem;
			goto bad;
		}
	}
	if (!rd_ok(r))
		goto bad;
	if (lex_compile(s) < 0)
		goto nomem;
	s->frozen = 1;
	return s;
nomem:
	sfeat_free(s);
	err_set(e, ERR_NOMEM, "out of memory");
	return NULL;
bad:
	sfeat_free(s);
	err_set(e, ERR_MODEL, "damaged sentence-feature section");
	return NULL;
}
