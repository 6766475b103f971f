/* agents: actor types from agent nouns and titles (see agents.h). */
#include "features/agents.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/dict.h"
#include "base/utf8.h"
#include "base/zfile.h"

/* Longest key (phrase words joined by single spaces), in bytes. */
#define KEY_MAX 512
/* Words of an actor looked at, and of the text before a name. */
#define FIND_WORDS 128
/* Largest agents file read. */
#define FILE_MAX ((size_t)64 << 20)

struct agents {
	dict_t *keys;      /* phrase keys -> id */
	uint32_t *type;    /* [dict_size(keys)] id into types */
	uint32_t cap;
	dict_t *types;     /* type names ("GOV", "GOVMIL", "NON") */
	uint32_t maxw;     /* most words in a phrase */
};

typedef struct word {
	size_t start, end; /* bytes of the text */
} word;

agents_t *agents_new(void)
{
	agents_t *a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	if (!(a->keys = dict_new()) || !(a->types = dict_new())) {
		agents_free(a);
		return NULL;
	}
	return a;
}

void agents_free(agents_t *a)
{
	if (!a)
		return;
	dict_free(a->keys);
	dict_free(a->types);
	free(a->type);
	free(a);
}

uint32_t agents_size(const agents_t *a)
{
	return a ? dict_size(a->keys) : 0;
}

/* ---- words */

static int is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Bytes of the character at s[i] (1..4), and its class: 1 a word
 * character, 2 an apostrophe or hyphen (inside words only), 0 a separator. */
static size_t char_class(const char *s, size_t n, size_t i, int *cls)
{
	unsigned char c = (unsigned char)s[i];
	if (c < 0x80) {
		*cls = is_alnum(c) ? 1 : (c == '\'' || c == '-') ? 2 : 0;
		return 1;
	}
	size_t k = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	if (i + k > n)
		k = n - i;
	*cls = 1;
	if (k == 3 && c == 0xe2 && (unsigned char)s[i + 1] == 0x80) {
		unsigned char d = (unsigned char)s[i + 2];
		if (d == 0x98 || d == 0x99) /* ‘ ’ */
			*cls = 2;
		else if ((d >= 0x90 && d <= 0x97) || (d >= 0x9a && d <= 0x9f) ||
			 (d >= 0x80 && d <= 0x8f) || d == 0xa6) /* dashes, quotes, spaces, … */
			*cls = 0;
	} else if (k == 2 && c == 0xc2 && ((unsigned char)s[i + 1] == 0xa0 ||
					   (unsigned char)s[i + 1] == 0xab ||
					   (unsigned char)s[i + 1] == 0xbb)) {
		*cls = 0; /* no-break space, « » */
	}
	return k;
}

/* 1 when s[i..) starts an apostrophe (' or ’); its length in *k. */
static int apostrophe_at(const char *s, size_t n, size_t i, size_t *k)
{
	if (s[i] == '\'') {
		*k = 1;
		return 1;
	}
	if (i + 3 <= n && (unsigned char)s[i] == 0xe2 && (unsigned char)s[i + 1] == 0x80 &&
	    ((unsigned char)s[i + 2] == 0x98 || (unsigned char)s[i + 2] == 0x99)) {
		*k = 3;
		return 1;
	}
	return 0;
}

/* Appends word [a, b) of s to w (trimming apostrophes and hyphens at its
 * ends, splitting off a possessive 's) while there is room. */
static size_t add_word(const char *s, size_t n, size_t a, size_t b, word *w, size_t nw,
		       size_t max)
{
	size_t k;
	while (a < b && (s[a] == '-' || apostrophe_at(s, b, a, &k)))
		a += s[a] == '-' ? 1 : k;
	for (;;) {
		if (b > a && (s[b - 1] == '-' || s[b - 1] == '\''))
			b--;
		else if (b >= a + 3 && apostrophe_at(s, b, b - 3, &k) && k == 3)
			b -= 3;
		else
			break;
	}
	if (a >= b)
		return nw;
	/* a possessive: ...'s or ...’s at the end, with something before it */
	if (b - a >= 3 && (s[b - 1] == 's' || s[b - 1] == 'S')) {
		size_t at = (size_t)-1;
		if (s[b - 2] == '\'' && b - 2 > a)
			at = b - 2;
		else if (b >= a + 5 && apostrophe_at(s, b, b - 4, &k) && k == 3)
			at = b - 4;
		if (at != (size_t)-1) {
			if (nw < max)
				w[nw++] = (word){ a, at };
			if (nw < max)
				w[nw++] = (word){ at, b };
			return nw;
		}
	}
	(void)n;
	if (nw < max)
		w[nw++] = (word){ a, b };
	return nw;
}

/* Splits s[0..n) into words, at most max of them (the first ones). */
static size_t split_words(const char *s, size_t n, word *w, size_t max)
{
	size_t nw = 0, i = 0, start = 0;
	int inword = 0, cls;
	while (i < n && nw < max) {
		size_t k = char_class(s, n, i, &cls);
		if (cls) {
			if (!inword)
				start = i;
			inword = 1;
		} else if (inword) {
			nw = add_word(s, n, start, i, w, nw, max);
			inword = 0;
		}
		i += k;
	}
	if (inword && nw < max)
		nw = add_word(s, n, start, n, w, nw, max);
	return nw;
}

/* Appends word w of s to key (at *len, room KEY_MAX), lowercased, ’ as ';
 * 0, or -1 when it does not fit. */
static int key_word(char *key, size_t *len, const char *s, word w)
{
	size_t at = *len;
	if (at && at < KEY_MAX)
		key[at++] = ' ';
	for (size_t i = w.start; i < w.end; i++) {
		unsigned char c = (unsigned char)s[i];
		size_t k;
		if (at >= KEY_MAX)
			return -1;
		if (c >= 0x80 && apostrophe_at(s, w.end, i, &k) && k == 3) {
			key[at++] = '\'';
			i += 2;
			continue;
		}
		key[at++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	if (at >= KEY_MAX)
		return -1;
	*len = at;
	return 0;
}

/* The key of words w[0..nw) of s into key; its length, or 0 if too long. */
static size_t make_key(char *key, const char *s, const word *w, size_t nw)
{
	size_t len = 0;
	for (size_t i = 0; i < nw; i++)
		if (key_word(key, &len, s, w[i]) < 0)
			return 0;
	return len;
}

/* ---- lookups */

/* Id of the entry for key[0..len), trying the regular singulars of its
 * last word (-ies -> -y, -es, -s) when the key itself is not one. */
static uint32_t lookup(const agents_t *a, char *key, size_t len)
{
	uint32_t id = dict_get(a->keys, key, len);
	if (id != DICT_NONE || len < 3 || key[len - 1] != 's')
		return id;
	size_t ws = len; /* start of the last word */
	while (ws > 0 && key[ws - 1] != ' ')
		ws--;
	size_t wl = len - ws;
	if (wl >= 5 && memcmp(key + len - 3, "ies", 3) == 0) {
		char save[2] = { key[len - 3], key[len - 2] };
		key[len - 3] = 'y';
		id = dict_get(a->keys, key, len - 2);
		key[len - 3] = save[0];
		key[len - 2] = save[1];
		if (id != DICT_NONE)
			return id;
	}
	if (wl >= 4 && key[len - 2] == 'e' && (id = dict_get(a->keys, key, len - 2)) != DICT_NONE)
		return id;
	if (wl >= 3 && key[len - 2] != 's' && key[len - 2] != '\'')
		id = dict_get(a->keys, key, len - 1);
	return id;
}

/* Fills m's type and country from entry id: its type field is "TYPE" or
 * "CCC/TYPE" (checked when read). */
static void match_of(const agents_t *a, uint32_t id, agents_match *m)
{
	const char *t = dict_str(a->types, a->type[id], NULL);
	m->country[0] = '\0';
	if (t && t[0] && t[1] && t[2] && t[3] == '/') {
		memcpy(m->country, t, 3);
		m->country[3] = '\0';
		t += 4;
	}
	if (!t || strcmp(t, "NON") == 0 || strcmp(t, "JNK") == 0 || strcmp(t, "UNK") == 0)
		t = NULL;
	m->type = t;
}

static int overlaps(word w, const agents_range *skip, size_t nskip)
{
	for (size_t i = 0; skip && i < nskip; i++)
		if (w.start < skip[i].end && skip[i].start < w.end)
			return 1;
	return 0;
}

int agents_find(const agents_t *a, const char *text, size_t len, const agents_range *skip,
		size_t nskip, agents_match *m)
{
	word w[FIND_WORDS];
	char key[KEY_MAX];
	if (!a || !text || dict_size(a->keys) == 0)
		return 0;
	size_t nw = split_words(text, len, w, FIND_WORDS);
	size_t top = nw < a->maxw ? nw : a->maxw;
	for (size_t L = top; L >= 1; L--) {
		for (size_t i = 0; i + L <= nw; i++) {
			int masked = 0;
			for (size_t j = i; j < i + L && !masked; j++)
				masked = overlaps(w[j], skip, nskip);
			if (masked)
				continue;
			size_t kl = make_key(key, text, w + i, L);
			uint32_t id = kl ? lookup(a, key, kl) : DICT_NONE;
			if (id != DICT_NONE) {
				match_of(a, id, m);
				m->start = w[i].start;
				m->end = w[i + L - 1].end;
				return 1;
			}
		}
	}
	return 0;
}

int agents_find_before(const agents_t *a, const char *text, size_t len, agents_match *m)
{
	word w[AGENTS_MAX_WORDS];
	char key[KEY_MAX];
	if (!a || !text || dict_size(a->keys) == 0)
		return 0;
	/* the last word ends where only spaces follow */
	size_t end = len;
	while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\n' ||
			   text[end - 1] == '\r'))
		end--;
	if (end == 0)
		return 0;
	/* start far enough back for AGENTS_MAX_WORDS words, at a space */
	size_t from = end > KEY_MAX ? end - KEY_MAX : 0;
	while (from > 0 && from < end && text[from - 1] != ' ')
		from++;
	if (from >= end)
		return 0;
	/* the words of text[from..end), keeping the last ones */
	word all[KEY_MAX / 2 + 1]; /* every word of KEY_MAX bytes */
	size_t na = split_words(text + from, end - from, all, KEY_MAX / 2 + 1);
	if (na == 0 || from + all[na - 1].end != end)
		return 0; /* punctuation between the last word and the name */
	size_t nw = na < AGENTS_MAX_WORDS ? na : AGENTS_MAX_WORDS;
	for (size_t i = 0; i < nw; i++)
		w[i] = (word){ from + all[na - nw + i].start, from + all[na - nw + i].end };
	size_t top = nw < a->maxw ? nw : a->maxw;
	for (size_t L = top; L >= 1; L--) {
		size_t kl = make_key(key, text, w + nw - L, L);
		uint32_t id = kl ? lookup(a, key, kl) : DICT_NONE;
		if (id != DICT_NONE) {
			match_of(a, id, m);
			m->start = w[nw - L].start;
			m->end = w[nw - 1].end;
			return 1;
		}
	}
	return 0;
}

/* ---- reading */

/* 1 when t[0..n) is one or more three-letter capital codes. */
static int good_type(const char *t, size_t n)
{
	if (n == 0 || n % 3 || n > 30)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (t[i] < 'A' || t[i] > 'Z')
			return 0;
	return 1;
}

/* Checks (add 0) or adds (add 1) the entries of data. */
static int parse_pass(agents_t *a, const char *name, const char *data, size_t len, int add,
		      uint32_t *nentries, err_t *e)
{
	size_t pos = 0;
	long line = 0;
	word w[AGENTS_MAX_WORDS + 1];
	char key[KEY_MAX];
	*nentries = 0;
	while (pos < len) {
		const char *s = data + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		pos += n + (nl != NULL);
		line++;
		if (n && s[n - 1] == '\r')
			n--;
		size_t i = 0;
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == n || s[i] == '#')
			continue;
		const char *why;
		if (!add && utf8_check(s, n, &why) != n)
			return err_set(e, ERR_FORMAT, "%s:%ld: invalid UTF-8 (%s)", name, line, why);
		size_t t0 = i;
		while (i < n && s[i] != ' ' && s[i] != '\t')
			i++;
		size_t tl = i - t0, c0 = 0;
		const char *slash = memchr(s + t0, '/', tl);
		if (slash) {
			/* a country first: "RUS/GOV" */
			c0 = (size_t)(slash - (s + t0)) + 1;
			if (c0 != 4 || !good_type(s + t0, 3))
				return err_set(e, ERR_FORMAT,
					       "%s:%ld: '%.*s' is not a country code (three capital "
					       "letters, ISO 3166 alpha-3, as in RUS/GOV)",
					       name, line, (int)(c0 - 1 > 40 ? 40 : c0 - 1), s + t0);
		}
		if (!good_type(s + t0 + c0, tl - c0))
			return err_set(e, ERR_FORMAT,
				       "%s:%ld: '%.*s' is not an agent type (one or more three-letter "
				       "capital codes such as GOV or GOVMIL, or a country and one "
				       "such as RUS/GOV, then the phrase)",
				       name, line, (int)(tl > 40 ? 40 : tl), s + t0);
		/* a comment after the phrase: " # ..." */
		for (size_t c = i; c < n; c++)
			if (s[c] == '#' && (s[c - 1] == ' ' || s[c - 1] == '\t')) {
				n = c;
				break;
			}
		size_t nw = split_words(s + i, n - i, w, AGENTS_MAX_WORDS + 1);
		if (nw == 0)
			return err_set(e, ERR_FORMAT, "%s:%ld: type %.*s without a phrase", name,
				       line, (int)tl, s + t0);
		if (nw > AGENTS_MAX_WORDS)
			return err_set(e, ERR_FORMAT, "%s:%ld: phrase longer than %d words", name,
				       line, AGENTS_MAX_WORDS);
		size_t kl = make_key(key, s + i, w, nw);
		if (kl == 0)
			return err_set(e, ERR_FORMAT, "%s:%ld: phrase longer than %d bytes", name,
				       line, KEY_MAX - 1);
		(*nentries)++;
		if (!add)
			continue;
		uint32_t ty = dict_add(a->types, s + t0, tl);
		uint32_t id = ty == DICT_NONE ? DICT_NONE : dict_add(a->keys, key, kl);
		if (id == DICT_NONE)
			return err_set(e, ERR_NOMEM, "%s: out of memory", name);
		if (id >= a->cap) {
			uint32_t cap = a->cap ? a->cap * 2 : 1024;
			while (cap <= id)
				cap *= 2;
			uint32_t *tmp = realloc(a->type, cap * sizeof(*tmp));
			if (!tmp)
				return err_set(e, ERR_NOMEM, "%s: out of memory", name);
			a->type = tmp;
			a->cap = cap;
		}
		a->type[id] = ty;
		if (nw > a->maxw)
			a->maxw = (uint32_t)nw;
	}
	return 0;
}

int agents_parse(agents_t *a, const char *name, const char *data, size_t len, err_t *e)
{
	uint32_t n;
	int rc;
	if (!a || (!data && len))
		return err_set(e, ERR_ARG, "agents_parse: no list or no data");
	if ((rc = parse_pass(a, name, data, len, 0, &n, e)) < 0)
		return rc;
	if (n == 0)
		return err_set(e, ERR_EMPTY, "%s: no agent entries (lines 'TYPE phrase')", name);
	/* adding can fail only for memory: the list may then hold part of it */
	return parse_pass(a, name, data, len, 1, &n, e);
}

int agents_read(agents_t *a, const char *path, err_t *e)
{
	char *data;
	size_t n;
	int rc;

	if ((rc = zfile_read_all(path, FILE_MAX, "an agents file", &data, &n, e)) < 0)
		return rc;
	rc = agents_parse(a, path, data, n, e);
	free(data);
	return rc;
}
