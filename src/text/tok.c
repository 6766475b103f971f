/* tok: one pass cuts the text into tokens, a second pass over the tokens
 * places sentence boundaries. Both are linear in the text's length.
 *
 * Tokens: a word is a run of word characters (letters, digits, other
 * symbols such as @ # _ and any non-ASCII character that is not known
 * punctuation or space) joined by connectors that have word characters on
 * both sides: '-' (Nagorno-Karabakh, 2020-10-09), an apostrophe between
 * letters unless a clitic follows (Shi'ite, O'Connor), '.' between digits
 * (3.5) or letters (U.S), ',' ':' '/' between digits (1,000 10:30) and
 * '&' between letters (AT&T). A word takes a final '.' when it is an
 * abbreviation (see abbr_kind()). Clitics 's 'm 'd 'll 're 've (straight
 * or curly apostrophe) and n't are tokens of their own; runs of dots and
 * of hyphens ("...", "--") are one token; a web address (http://, https://,
 * www.) is one token; any other punctuation character is a token by
 * itself. */
#include "text/tok.h"

#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"

/* Character kinds (bit set). */
enum {
	K_SP = 1,     /* whitespace (including NUL) */
	K_NL = 2,     /* a line break (also K_SP) */
	K_PARA = 4,   /* a paragraph break: counts as a blank line */
	K_LET = 8,    /* letter */
	K_DIG = 16,   /* decimal digit */
	K_OTH = 32,   /* other word character */
	K_UP = 64,    /* upper-case letter (with K_LET) */
	K_LO = 128,   /* lower-case letter (with K_LET) */
	K_PUN = 256,  /* punctuation or symbol: a token by itself */
	K_WORD = K_LET | K_DIG | K_OTH
};

/* Kinds of the ASCII characters: letters, digits, _ @ # are word
 * characters; NUL, controls and blanks are whitespace; the rest is
 * punctuation. */
#define S K_SP
#define N (K_SP | K_NL)
#define L (K_LET | K_LO)
#define U (K_LET | K_UP)
#define D K_DIG
#define O K_OTH
#define P K_PUN
static const unsigned short ascii_kind[128] = {
	S, S, S, S, S, S, S, S, S, S, N, N, N, N, S, S,
	S, S, S, S, S, S, S, S, S, S, S, S, S, S, S, S,
	S, P, P, O, P, P, P, P, P, P, P, P, P, P, P, P,
	D, D, D, D, D, D, D, D, D, D, P, P, P, P, P, P,
	O, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U,
	U, U, U, U, U, U, U, U, U, U, U, P, P, P, P, O,
	P, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L,
	L, L, L, L, L, L, L, L, L, L, L, P, P, P, P, S,
};
#undef S
#undef N
#undef L
#undef U
#undef D
#undef O
#undef P

static inline unsigned kind_ascii(unsigned c)
{
	return ascii_kind[c];
}

static unsigned kind_cp(uint32_t c)
{
	if (c < 0x80)
		return kind_ascii(c);
	/* spaces and breaks */
	if (c == 0x85)
		return K_SP | K_NL;
	if (c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200b) ||
	    c == 0x202f || c == 0x205f || c == 0x3000 || c == 0xfeff)
		return K_SP;
	if (c < 0xa0)
		return K_PUN; /* C1 controls: often Windows-1252 quotes read as Latin-1 */
	if (c == 0x2028)
		return K_SP | K_NL;
	if (c == 0x2029)
		return K_SP | K_NL | K_PARA;
	/* punctuation and symbols */
	if ((c >= 0xa1 && c <= 0xbf && c != 0xaa && c != 0xb2 && c != 0xb3 &&
	     c != 0xb5 && c != 0xb9 && c != 0xba && c != 0xbc && c != 0xbd &&
	     c != 0xbe) || c == 0xd7 || c == 0xf7 ||
	    (c >= 0x2010 && c <= 0x2027) || (c >= 0x2030 && c <= 0x205e) ||
	    (c >= 0x20a0 && c <= 0x20cf) || (c >= 0x3001 && c <= 0x3003) ||
	    (c >= 0x3008 && c <= 0x3011) || (c >= 0xff01 && c <= 0xff0f))
		return K_PUN;
	/* cased letters of Latin-1, Latin Extended-A, Greek and Cyrillic */
	if (c >= 0xc0 && c <= 0xde)
		return K_LET | K_UP;
	if (c >= 0xdf && c <= 0xff)
		return K_LET | K_LO;
	if (c >= 0x100 && c <= 0x17f)
		return K_LET | ((c & 1) ? K_LO : K_UP);
	if (c >= 0x391 && c <= 0x3a9)
		return K_LET | K_UP;
	if (c >= 0x3b1 && c <= 0x3c9)
		return K_LET | K_LO;
	if (c >= 0x400 && c <= 0x42f)
		return K_LET | K_UP;
	if (c >= 0x430 && c <= 0x45f)
		return K_LET | K_LO;
	return K_LET; /* other letters and symbols: part of words */
}

/* Code point at u[i] (the text is valid UTF-8) and its length. */
static inline uint32_t dec(const unsigned char *u, size_t i, unsigned *l)
{
	unsigned c = u[i];

	if (c < 0x80) {
		*l = 1;
		return c;
	}
	if (c < 0xe0) {
		*l = 2;
		return ((c & 0x1fu) << 6) | (u[i + 1] & 0x3fu);
	}
	if (c < 0xf0) {
		*l = 3;
		return ((c & 0x0fu) << 12) | ((u[i + 1] & 0x3fu) << 6) | (u[i + 2] & 0x3fu);
	}
	*l = 4;
	return ((c & 0x07u) << 18) | ((u[i + 1] & 0x3fu) << 12) |
	       ((u[i + 2] & 0x3fu) << 6) | (u[i + 3] & 0x3fu);
}

static inline unsigned kind_at(const unsigned char *u, size_t i, uint32_t *cp, unsigned *l)
{
	if (u[i] < 0x80) {
		*l = 1;
		*cp = u[i];
		return kind_ascii(u[i]);
	}
	*cp = dec(u, i, l);
	return kind_cp(*cp);
}

/* Kind of the character at u[i], 0 past the end. */
static inline unsigned kind_of(const unsigned char *u, size_t n, size_t i)
{
	uint32_t c;
	unsigned l;

	return i < n ? kind_at(u, i, &c, &l) : 0;
}

/* Length of an apostrophe (' or U+2019) at u[i], else 0. */
static inline unsigned apos_len(const unsigned char *u, size_t n, size_t i)
{
	if (u[i] == '\'')
		return 1;
	if (u[i] == 0xe2 && i + 2 < n && u[i + 1] == 0x80 && u[i + 2] == 0x99)
		return 3;
	return 0;
}

static inline int lc(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Length of a clitic ('s 'm 'd 'll 're 've, any case, either apostrophe)
 * starting at u[i] and followed by a non-word character, else 0. */
static size_t clitic_len(const unsigned char *u, size_t n, size_t i)
{
	unsigned a = apos_len(u, n, i);
	size_t p, m = 0;

	if (!a)
		return 0;
	p = i + a;
	if (p >= n)
		return 0;
	int c0 = lc(u[p]), c1 = p + 1 < n ? lc(u[p + 1]) : 0;
	if (c0 == 's' || c0 == 'm' || c0 == 'd')
		m = 1;
	else if ((c0 == 'l' && c1 == 'l') || (c0 == 'r' && c1 == 'e') ||
		 (c0 == 'v' && c1 == 'e'))
		m = 2;
	if (!m || (kind_of(u, n, p + m) & K_WORD))
		return 0;
	return a + m;
}

/* Does "n't" (either apostrophe) start at u[i], followed by a non-word
 * character? */
static int is_nt(const unsigned char *u, size_t n, size_t i)
{
	unsigned a;

	if (i + 1 >= n || lc(u[i]) != 'n' || !(a = apos_len(u, n, i + 1)))
		return 0;
	i += 1 + a;
	return i < n && lc(u[i]) == 't' && !(kind_of(u, n, i + 1) & K_WORD);
}

/* Abbreviations that take their period. NOBREAK ones (titles, months,
 * initials) never end a sentence; BREAK ones (U.S., Inc., etc.) end one
 * only before a word that typically starts a sentence. */
enum { ABBR_NONE = 0, ABBR_NOBREAK = 1, ABBR_BREAK = 2, ABBR_NUMBER = 3 };

static const char *const abbr_nobreak[] = {
	"Mr", "Mrs", "Ms", "Dr", "Gen", "Lt", "Col", "Sen", "Rep", "Gov",
	"Capt", "Cpl", "Sgt", "Maj", "Adm", "Cmdr", "Cmdt", "Prof", "Rev",
	"St", "Mt", "Ft", "Pres", "Supt", "Brig", "Messrs", "Mme", "Mlle",
	"Hon", "Amb", "Insp", "Det", "Pvt", "Gens", "Reps", "Sens", "Lieut",
	"Cong", "Atty", "Gov", "Sec", "Jan", "Feb", "Mar", "Apr", "Jun",
	"Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "vs", "cf", "ca",
	"approx", "Fig", "fig", "pp", "Vol", "vol", "Ch", "ch", "Art", "Sr",
	"Jr", NULL
};
static const char *const abbr_break[] = {
	"Inc", "Corp", "Co", "Ltd", "Bros", "Govt", "Dept", "Univ", "Assn",
	"etc", "al", "Ave", "Blvd", "Rd", "Ariz", "Calif", "Colo", "Conn",
	"Fla", "Ga", "Ill", "Kan", "Ky", "Md", "Mich", "Minn", "Neb", "Nev",
	"Okla", "Ore", "Pa", "Tenn", "Tex", "Va", "Vt", "Wis", "Wyo",
	"corp", "inc", "Esq", NULL
};
/* These take their period only before a number (No. 1, but "said no."). */
static const char *const abbr_number[] = { "No", "no", "Nos", "nos", "Nr", "nr", NULL };

static int in_list(const char *const *list, const unsigned char *s, size_t n)
{
	for (; *list; list++)
		if ((unsigned char)(*list)[0] == s[0] && strncmp(*list, (const char *)s, n) == 0 &&
		    (*list)[n] == 0)
			return 1;
	return 0;
}

/* Kind of abbreviation the word s[0..n) (without its period) is. */
static int abbr_kind(const unsigned char *s, size_t n)
{
	size_t seg = 0, maxseg = 0, dots = 0;

	if (n == 1)
		return (s[0] >= 'A' && s[0] <= 'Z') ? ABBR_NOBREAK : ABBR_NONE;
	if (n > 7)
		goto dotted;
	if (in_list(abbr_nobreak, s, n))
		return ABBR_NOBREAK;
	if (in_list(abbr_break, s, n))
		return ABBR_BREAK;
	if (in_list(abbr_number, s, n))
		return ABBR_NUMBER;
dotted:
	/* letters and inner periods, segments of at most 3 letters: U.S, a.m,
	 * Ph.D, e.g */
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (seg == 0)
				return ABBR_NONE;
			dots++;
			seg = 0;
		} else if ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')) {
			if (++seg > maxseg)
				maxseg = seg;
		} else {
			return ABBR_NONE;
		}
	}
	if (!dots || maxseg > 3)
		return ABBR_NONE;
	if ((n == 3 && (memcmp(s, "e.g", 3) == 0 || memcmp(s, "i.e", 3) == 0)))
		return ABBR_NOBREAK;
	return ABBR_BREAK;
}

/* Abbreviation kind of the word u[i..j) (without its period): after a
 * hyphen only the dotted part counts (anti-U.S., but 01-Jan). */
static int word_abbr(const unsigned char *u, size_t i, size_t j)
{
	size_t w = j;

	while (w > i && u[w - 1] != '-')
		w--;
	if (w > i && !memchr(u + w, '.', j - w))
		return ABBR_NONE;
	return abbr_kind(u + w, j - w);
}

/* Is the first non-space character at or after u[i] a digit? */
static int digit_follows(const unsigned char *u, size_t n, size_t i)
{
	while (i < n && (u[i] == ' ' || u[i] == '\t'))
		i++;
	return i < n && u[i] >= '0' && u[i] <= '9';
}

/* Is u[i..j) all ASCII upper-case letters? */
static int all_upper(const unsigned char *u, size_t i, size_t j)
{
	for (; i < j; i++)
		if (u[i] < 'A' || u[i] > 'Z')
			return 0;
	return 1;
}

/* End of the word token starting at u[i], a word character. */
static size_t scan_word(const unsigned char *u, size_t n, size_t i)
{
	size_t j = i;
	unsigned pk = 0; /* kind of the previous character */

	while (j < n) {
		uint32_t c, c2;
		unsigned l, l2;
		unsigned k = kind_at(u, j, &c, &l);

		if (k & K_WORD) {
			if ((c | 0x20) == 'n' && j > i && (pk & K_LET) && is_nt(u, n, j))
				return j;
			pk = k;
			j += l;
			continue;
		}
		size_t nx = j + l;
		unsigned nk = nx < n ? kind_at(u, nx, &c2, &l2) : 0;
		switch (c) {
		case '-': case 0x2010: case 0x2011:
			if (nk & K_WORD) {
				j = nx;
				continue;
			}
			return j;
		case '\'': case 0x2019:
			if ((pk & K_LET) && (nk & K_LET) && !clitic_len(u, n, j)) {
				j = nx;
				continue;
			}
			return j;
		case '.':
			if (((pk & K_DIG) && (nk & K_DIG)) || ((pk & K_LET) && (nk & K_LET))) {
				j = nx;
				continue;
			}
			if ((pk & K_LET) && !(nk & K_WORD)) {
				int a = word_abbr(u, i, j);
				if (a == ABBR_NONE || (a == ABBR_NUMBER && !digit_follows(u, n, nx)))
					return j;
				/* U.S.-led */
				if (nx + 1 < n && u[nx] == '-' && (kind_of(u, n, nx + 1) & K_WORD)) {
					j = nx + 1;
					continue;
				}
				return nx;
			}
			return j;
		case ',': case ':': case '/':
			if ((pk & K_DIG) && (nk & K_DIG)) {
				j = nx;
				continue;
			}
			return j;
		case '$':
			/* currencies: US$ C$ HK$ */
			if (j - i <= 3 && (pk & K_UP) && all_upper(u, i, j))
				return nx;
			return j;
		case '&':
			if ((pk & K_LET) && (nk & K_LET)) {
				j = nx;
				continue;
			}
			return j;
		default:
			return j;
		}
	}
	return j;
}

static int push_tok(tok_doc *d, size_t s, size_t e)
{
	if (d->ntok == d->cap_tok) {
		uint32_t cap = d->cap_tok ? d->cap_tok : 256;
		if (cap > UINT32_MAX / 2)
			return ERR_NOMEM;
		cap *= 2;
		tok_token *tmp = realloc(d->tok, (size_t)cap * sizeof(*tmp));
		if (!tmp)
			return ERR_NOMEM;
		d->tok = tmp;
		d->cap_tok = cap;
	}
	tok_token *t = &d->tok[d->ntok++];
	t->start = (uint32_t)s;
	t->end = (uint32_t)e;
	return 0;
}

/* Is u[i..j) all ASCII digits? */
static int all_digits(const unsigned char *u, size_t i, size_t j)
{
	for (; i < j; i++)
		if (u[i] < '0' || u[i] > '9')
			return 0;
	return 1;
}

/* Length of a web address starting at u[i] (http://, https://, www.),
 * up to the next whitespace, less final punctuation; 0 if none. */
static size_t url_len(const unsigned char *u, size_t n, size_t i)
{
	size_t j, plen;

	if (u[i] != 'h' && u[i] != 'w')
		return 0;
	if (n - i > 7 && strncmp((const char *)u + i, "http://", 7) == 0)
		plen = 7;
	else if (n - i > 8 && strncmp((const char *)u + i, "https://", 8) == 0)
		plen = 8;
	else if (n - i > 4 && strncmp((const char *)u + i, "www.", 4) == 0)
		plen = 4;
	else
		return 0;
	for (j = i; j < n && u[j] > ' ' && u[j] != '"' && u[j] != '<' && u[j] != '>'; j++)
		if (u[j] >= 0x80) {
			uint32_t c;
			unsigned l;
			if (kind_at(u, j, &c, &l) & (K_SP | K_PUN))
				break;
			j += l - 1;
		}
	while (j > i && strchr(".,;:!?)]}'", u[j - 1]))
		j--;
	return j > i + plen ? j - i : 0; /* something after the prefix */
}

/* Pass 1: tokens with byte offsets. */
static int tokenize(tok_doc *d, const unsigned char *u, size_t n, size_t i)
{
	int bol = 1; /* no token yet on this line */

	while (i < n) {
		uint32_t c;
		unsigned l;
		unsigned k;
		size_t e;
		int glued = d->ntok && d->tok[d->ntok - 1].end == i;

		/* skip ASCII blanks quickly */
		if (u[i] == ' ') {
			i++;
			continue;
		}
		if (u[i] == '\n') {
			i++;
			bol = 1;
			continue;
		}
		k = kind_at(u, i, &c, &l);
		if (k & K_SP) {
			bol |= (k & K_NL) != 0;
			i += l;
			continue;
		}
		if ((k & K_WORD) && (e = url_len(u, n, i)) > 0) {
			e += i;
		} else if (k & K_WORD) {
			e = scan_word(u, n, i);
			/* a numbered list item at the start of a line: "3. Moses" */
			if (bol && e - i <= 3 && e + 1 < n && u[e] == '.' &&
			    (u[e + 1] == ' ' || u[e + 1] == '\t') && all_digits(u, i, e))
				e++;
		} else if ((c == '.' || c == '+') && !glued && i + 1 < n &&
			   (kind_of(u, n, i + 1) & K_DIG)) {
			e = scan_word(u, n, i + 1); /* .500 +44 */
		} else if (c == '.' || c == '-' || c == '*' || c == '=') {
			e = i + 1;
			while (e < n && u[e] == c)
				e++;
		} else if (c == '\'' || c == 0x2019) {
			size_t cl = clitic_len(u, n, i);
			if (cl)
				e = i + cl;
			else if (c == '\'' && i + 2 < n && (kind_of(u, n, i + 1) & K_DIG) &&
				 (kind_of(u, n, i + 2) & K_DIG) &&
				 !(d->ntok && d->tok[d->ntok - 1].end == i))
				e = scan_word(u, n, i + 1); /* '80s, not glued to a word */
			else
				e = i + l;
		} else {
			e = i + l;
		}
		if (push_tok(d, i, e))
			return ERR_NOMEM;
		i = e;
		bol = 0;
	}
	return 0;
}

/* Is s[0..n) all ASCII? */
static int all_ascii(const unsigned char *s, size_t n)
{
	uint64_t acc = 0, w;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		acc |= w;
	}
	for (; i < n; i++)
		acc |= s[i];
	return !(acc & 0x8080808080808080ull);
}

/* Pass 1b: code point offsets, counting each byte once. */
static void add_cp_offsets(tok_doc *d, const char *text, size_t len)
{
	size_t b = 0, c = 0;

	if (all_ascii((const unsigned char *)text, len)) {
		for (uint32_t k = 0; k < d->ntok; k++) {
			d->tok[k].cstart = d->tok[k].start;
			d->tok[k].cend = d->tok[k].end;
		}
		return;
	}
	for (uint32_t k = 0; k < d->ntok; k++) {
		tok_token *t = &d->tok[k];
		c += utf8_count(text + b, t->start - b);
		t->cstart = (uint32_t)c;
		c += utf8_count(text + t->start, t->end - t->start);
		t->cend = (uint32_t)c;
		b = t->end;
	}
}

/* ---- sentences ---- */

enum { T_NONE, T_STOP, T_ELLIPSIS, T_ABBR };

/* Words before which a BREAK abbreviation (U.S., Inc.) ends a sentence. */
static const char *const starters[] = {
	"The", "A", "An", "He", "She", "It", "They", "We", "I", "You", "His",
	"Her", "Its", "Their", "Our", "This", "That", "These", "Those",
	"There", "But", "And", "Meanwhile", "However", "In", "On", "At", "As",
	"After", "Before", "When", "While", "If", "Some", "Many", "Most",
	"Officials", "Police", "Earlier", "Later", "Also", "Still", "Yet",
	"So", "Then", "Now", "Last", "Since", "Under", "Both", NULL
};

static int is_closer(uint32_t c)
{
	return c == ')' || c == ']' || c == '}' || c == 0x201d || c == 0x2019 ||
	       c == 0xbb || c == 0x203a;
}

static int is_opener(uint32_t c)
{
	return c == '"' || c == '\'' || c == '(' || c == '[' || c == '{' ||
	       c == 0x201c || c == 0x2018 || c == 0x201e || c == 0xab ||
	       c == 0x2039 || c == '$' || c == 0xa3 || c == 0x20ac || c == '#' ||
	       c == '@' || c == 0xbf || c == 0xa1;
}

/* Newlines in the whitespace u[a..b) (CRLF counts once; a paragraph
 * separator counts two). */
static int count_newlines(const unsigned char *u, size_t a, size_t b)
{
	int nl = 0;

	for (size_t i = a; i < b && nl < 2;) {
		uint32_t c;
		unsigned l;
		unsigned k = kind_at(u, i, &c, &l);
		if (k & K_PARA)
			nl += 2;
		else if ((k & K_NL) && !(c == '\r' && i + 1 < b && u[i + 1] == '\n'))
			nl++;
		i += l;
	}
	return nl;
}

static int push_sent(tok_doc *d, uint32_t first, uint32_t last)
{
	if (d->nsent == d->cap_sent) {
		uint32_t cap = d->cap_sent ? d->cap_sent : 32;
		if (cap > UINT32_MAX / 2)
			return ERR_NOMEM;
		cap *= 2;
		tok_sent *tmp = realloc(d->sent, (size_t)cap * sizeof(*tmp));
		if (!tmp)
			return ERR_NOMEM;
		d->sent = tmp;
		d->cap_sent = cap;
	}
	tok_sent *s = &d->sent[d->nsent++];
	s->first = first;
	s->n = last - first;
	s->start = d->tok[first].start;
	s->end = d->tok[last - 1].end;
	s->cstart = d->tok[first].cstart;
	s->cend = d->tok[last - 1].cend;
	return 0;
}

/* Does a line of `len` bytes look like a headline before the line that
 * starts at u[next]? Short (under 60 bytes), or clearly shorter than the
 * following line (hard-wrapped paragraphs have lines of similar length).
 * Looks at most 2 * len bytes ahead, so the whole pass stays linear. */
static int headline_before(const unsigned char *u, size_t n, size_t len, size_t next)
{
	size_t next_len = 0, lim;

	if (len > 160)
		return 0;
	if (len < 60)
		return 1;
	lim = n - next < 2 * len ? n - next : 2 * len;
	while (next_len < lim && u[next + next_len] != '\n' && u[next + next_len] != '\r')
		next_len++;
	return len * 10 < next_len * 7;
}

/* Pass 2: sentence boundaries over the tokens. */
static int sentences(tok_doc *d, const unsigned char *u, size_t n)
{
	uint32_t first = 0;
	int term = T_NONE, abbr = ABBR_NONE;
	uint32_t line_tok = 0; /* first token of the current line */

	for (uint32_t k = 1; k < d->ntok; k++) {
		const tok_token *p = &d->tok[k - 1], *t = &d->tok[k];
		int nl = p->end == t->start ? 0 : count_newlines(u, p->end, t->start);
		uint32_t c0;
		unsigned l0;
		unsigned k0 = kind_at(u, t->start, &c0, &l0);
		int brk = 0;

		if (nl >= 2) {
			brk = 1;
		} else if (term != T_NONE && (is_closer(c0) ||
			   ((c0 == '"' || c0 == '\'') && p->end == t->start)) &&
			   t->end - t->start == l0) {
			continue; /* closing quote or bracket after the stop */
		} else if (p->end == t->start) {
			brk = 0; /* no space after the stop: "x.5", "end.The" */
		} else if (term == T_STOP) {
			brk = (k0 & (K_UP | K_DIG)) || ((k0 & K_LET) && !(k0 & K_LO)) ||
			      is_opener(c0);
		} else if (term == T_ELLIPSIS) {
			brk = (k0 & K_UP) || (is_opener(c0) && c0 != '$');
		} else if (term == T_ABBR && abbr == ABBR_BREAK) {
			brk = in_list(starters, u + t->start, t->end - t->start);
		} else if (term == T_NONE && nl == 1 && line_tok >= first &&
			   ((k0 & K_UP) || (k0 & K_DIG) || is_opener(c0))) {
			/* the line that ends here lies within this sentence
			 * (a sentence that began mid-line does not count) */
			uint32_t pc;
			unsigned pl;
			kind_at(u, p->start, &pc, &pl);
			if (!(p->end - p->start == pl && (pc == ',' || pc == ';' || pc == ':' ||
			      pc == '-' || pc == 0x2013 || pc == 0x2014 || pc == '(')))
				brk = headline_before(u, n, p->end - d->tok[line_tok].start, t->start);
		}
		/* a numbered list item ("3. Moses") on a new line */
		if (!brk && nl == 1 && t->end - t->start >= 2 && u[t->end - 1] == '.' &&
		    all_digits(u, t->start, t->end - 1))
			brk = 1;
		if (!brk && k - first >= TOK_MAX_SENT_TOKENS)
			brk = 1; /* a table or a list without stops: cut it */
		if (brk) {
			if (push_sent(d, first, k))
				return ERR_NOMEM;
			first = k;
		}
		if (nl > 0)
			line_tok = k;
		/* what token k ends with */
		term = T_NONE;
		abbr = ABBR_NONE;
		size_t tl = t->end - t->start;
		unsigned char last = u[t->end - 1];
		if (tl == 1 && (last == '.' || last == '!' || last == '?')) {
			term = T_STOP;
		} else if ((tl >= 2 && last == '.' && u[t->start] == '.') ||
			   (tl == 3 && memcmp(u + t->start, "\xe2\x80\xa6", 3) == 0)) {
			term = T_ELLIPSIS;
		} else if (tl >= 2 && last == '.') {
			term = T_ABBR;
			abbr = word_abbr(u, t->start, t->end - 1);
		}
	}
	return push_sent(d, first, d->ntok);
}

void tok_doc_init(tok_doc *d)
{
	memset(d, 0, sizeof(*d));
}

void tok_doc_free(tok_doc *d)
{
	if (!d)
		return;
	free(d->tok);
	free(d->sent);
	memset(d, 0, sizeof(*d));
}

int tok_split(tok_doc *d, const char *text, size_t len, size_t from,
	      int flags, err_t *e)
{
	const unsigned char *u = (const unsigned char *)text;
	const char *why = NULL;
	size_t bad;
	int rc;

	d->ntok = 0;
	d->nsent = 0;
	if (len >= UINT32_MAX)
		return err_set(e, ERR_ARG, "text of %zu bytes is too long (4 GiB or more)", len);
	if (from > len)
		return err_set(e, ERR_ARG, "start offset %zu beyond text length %zu", from, len);
	if (from < len && (u[from] & 0xc0) == 0x80)
		return err_set(e, ERR_ARG, "start offset %zu is inside a UTF-8 sequence", from);
	bad = utf8_check(text, len, &why);
	if (bad < len)
		return err_set(e, ERR_UTF8, "byte %zu: invalid UTF-8 (%s)", bad, why);
	if ((rc = tokenize(d, u, len, from)) < 0)
		goto fail;
	add_cp_offsets(d, text, len);
	if (d->ntok == 0)
		return 0;
	if (flags & TOK_ONE_SENTENCE)
		rc = push_sent(d, 0, d->ntok);
	else
		rc = sentences(d, u, len);
	if (rc < 0)
		goto fail;
	return 0;
fail:
	d->ntok = 0;
	d->nsent = 0;
	return err_set(e, rc, "out of memory splitting %zu bytes of text", len);
}
