#include "text/date.h"

#include <string.h>

#include "base/err.h"

/* ---- calendar arithmetic (proleptic Gregorian, days since 1970-01-01) */

int date_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_month_days(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m < 1 || m > 12)
		return 0;
	return days[m - 1] + (m == 2 && date_is_leap(y));
}

int date_is_valid(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	       d <= date_month_days(y, m);
}

/* Days from civil date: shift the year to start in March so the leap day
 * is the last day of the shifted year; 400-year eras of 146097 days. */
long date_to_days(date_t dt)
{
	long y = dt.y - (dt.m <= 2);
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long mp = (dt.m + 9) % 12;
	long doy = (153 * mp + 2) / 5 + dt.d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

date_t date_from_days(long z)
{
	date_t r;
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	r.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	r.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	r.y = (int)(yoe + era * 400 + (r.m <= 2));
	return r;
}

int date_weekday(date_t d)
{
	long z = date_to_days(d); /* 1970-01-01 was a Thursday (4) */
	long w = (z + 3) % 7;
	if (w < 0)
		w += 7;
	return (int)w + 1;
}

date_t date_add_months(date_t d, int n)
{
	long mi = (long)d.y * 12 + (d.m - 1) + n;
	date_t r;
	r.y = (int)(mi / 12);
	r.m = (int)(mi % 12) + 1;
	int md = date_month_days(r.y, r.m);
	r.d = d.d > md ? md : d.d;
	return r;
}

static date_t add_days(date_t d, long n)
{
	return date_from_days(date_to_days(d) + n);
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

int date_parse(const char *s, size_t n, date_t *out)
{
	static const char shape[] = "dddd-dd-dd";
	if (n != 10)
		return ERR_FORMAT;
	for (size_t i = 0; i < 10; i++)
		if (shape[i] == 'd' ? !is_digit((unsigned char)s[i]) : s[i] != '-')
			return ERR_FORMAT;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	int d = (s[8] - '0') * 10 + (s[9] - '0');
	if (!date_is_valid(y, m, d))
		return ERR_FORMAT;
	out->y = y, out->m = m, out->d = d;
	return 0;
}

void date_format(date_t d, char out[11])
{
	int y = d.y < 0 ? 0 : d.y > 9999 ? 9999 : d.y;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + d.m / 10 % 10);
	out[6] = (char)('0' + d.m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d.d / 10 % 10);
	out[9] = (char)('0' + d.d % 10);
	out[10] = '\0';
}

/* ---- words: the matcher looks at a small window of words */

typedef struct word {
	const char *p;
	uint32_t n;
	uint32_t start, end, cstart, cend;
} word;

/* A source of words, read once front to back: tokens or raw text. */
typedef struct wsrc {
	const char *text;
	const tok_token *tok; /* token mode when not NULL */
	uint32_t ntok, ti;
	size_t n, pos, cp;    /* text mode: length, byte and code point position */
} wsrc;

/* Length of the UTF-8 sequence starting with byte c (1 for stray bytes). */
static size_t seq_len(unsigned char c)
{
	return c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

/* 1 if the character at s->text[pos] belongs in a word: ASCII letters and
 * digits, and non-ASCII characters other than spaces and punctuation
 * (Latin-1 punctuation, General Punctuation, CJK punctuation). */
static int is_word_char(const wsrc *s, size_t pos)
{
	const unsigned char *u = (const unsigned char *)s->text + pos;
	unsigned c = u[0], cp;
	size_t len = seq_len(c);

	if (c < 0x80)
		return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	if (len == 1 || pos + len > s->n)
		return 1;
	cp = c & (0xff >> (len + 1));
	for (size_t i = 1; i < len; i++)
		cp = (cp << 6) | (u[i] & 0x3f);
	if ((cp >= 0xa0 && cp <= 0xbf) || cp == 0xd7 || cp == 0xf7 ||
	    (cp >= 0x2000 && cp <= 0x206f) || (cp >= 0x3000 && cp <= 0x303f) ||
	    cp == 0xfeff)
		return 0;
	return 1;
}

static int is_space_byte(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v' || c == 0;
}

/* Moves past one character (a lead byte and its continuation bytes). */
static void adv(wsrc *s)
{
	size_t len = seq_len((unsigned char)s->text[s->pos]);
	s->cp++;
	s->pos++;
	while (--len && s->pos < s->n && ((unsigned char)s->text[s->pos] & 0xc0) == 0x80)
		s->pos++;
}

/* Next word of s into *w; 0 at the end. In text mode a word is a run of
 * letters/digits (see is_word_char) that may contain '-' between two of
 * them, and ',' or '.' between two digits (5,000 3.5); any other
 * non-space character is a word of its own. */
static int next_word(wsrc *s, word *w)
{
	if (s->tok) {
		if (s->ti >= s->ntok)
			return 0;
		const tok_token *t = &s->tok[s->ti++];
		w->p = s->text + t->start;
		w->n = t->end - t->start;
		w->start = t->start, w->end = t->end;
		w->cstart = t->cstart, w->cend = t->cend;
		return 1;
	}
	const unsigned char *u = (const unsigned char *)s->text;
	while (s->pos < s->n && is_space_byte(u[s->pos]))
		adv(s);
	if (s->pos >= s->n)
		return 0;
	w->start = (uint32_t)s->pos;
	w->cstart = (uint32_t)s->cp;
	if (!is_word_char(s, s->pos)) {
		adv(s);
	} else {
		while (s->pos < s->n) {
			unsigned char c = u[s->pos];
			if (is_word_char(s, s->pos)) {
				adv(s);
				continue;
			}
			int joins = s->pos + 1 < s->n && s->pos > w->start;
			if (joins && c == '-' && is_word_char(s, s->pos + 1))
				adv(s);
			else if (joins && (c == ',' || c == '.') && is_digit(u[s->pos - 1]) &&
				 is_digit(u[s->pos + 1]))
				adv(s);
			else
				break;
		}
	}
	w->p = s->text + w->start;
	w->n = (uint32_t)s->pos - w->start;
	w->end = (uint32_t)s->pos;
	w->cend = (uint32_t)s->cp;
	return 1;
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* w equals the lowercase ASCII string s, ignoring case. */
static int word_is(const word *w, const char *s)
{
	uint32_t i = 0;
	for (; i < w->n && s[i]; i++)
		if (lower((unsigned char)w->p[i]) != s[i])
			return 0;
	return i == w->n && s[i] == '\0';
}

/* word_is against a string literal, comparing lengths first. */
#define WIS(w, lit) ((w)->n == sizeof(lit) - 1 && word_is((w), (lit)))

/* Cheap test run before the matchers: every date expression starts with a
 * digit or with one of these letters, and its first word is short. */
static int may_start_date(const word *w)
{
	static const char starts[] = "adefjlmnostwy";
	if (w->n == 0 || w->n > 10)
		return 0;
	int c = (unsigned char)w->p[0];
	return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z' && strchr(starts, c | 0x20));
}

static int word_in(const word *w, const char *const *list)
{
	for (; *list; list++)
		if (word_is(w, *list))
			return 1;
	return 0;
}

static int is_upper(int c)
{
	return c >= 'A' && c <= 'Z';
}

/* Month 1-12 if w is a capitalised month name or abbreviation (a trailing
 * period allowed), else 0. *abbr is set when it is an abbreviation without
 * its period (so a following "." token belongs to it). */
static int word_month(const word *w, int *abbr)
{
	static const char *const full[12] = { "january", "february", "march", "april",
		"may", "june", "july", "august", "september", "october", "november", "december" };
	static const char *const ab[12] = { "jan", "feb", "mar", "apr", "may", "jun",
		"jul", "aug", "sep", "oct", "nov", "dec" };
	word t = *w;
	int dot = 0;

	if (t.n < 3 || !is_upper((unsigned char)t.p[0]))
		return 0;
	if (t.p[t.n - 1] == '.')
		t.n--, dot = 1;
	for (int i = 0; i < 12; i++) {
		if (!dot && word_is(&t, full[i])) {
			*abbr = 0;
			return i + 1;
		}
		if (word_is(&t, ab[i]) || (i == 8 && WIS(&t, "sept"))) {
			if (i == 4 && dot)
				return 0; /* "May." is the full name ending a sentence: no match */
			*abbr = !dot && i != 4;
			return i + 1;
		}
	}
	return 0;
}

/* ISO weekday if w is a capitalised weekday name, else 0. */
static int word_weekday(const word *w)
{
	static const char *const names[7] = { "monday", "tuesday", "wednesday",
		"thursday", "friday", "saturday", "sunday" };
	if (w->n < 6 || !is_upper((unsigned char)w->p[0]))
		return 0;
	for (int i = 0; i < 7; i++)
		if (word_is(w, names[i]))
			return i + 1;
	return 0;
}

/* Value of an all-digit word of 1..maxd digits, else -1. With ordinal, a
 * suffix st/nd/rd/th may follow the digits. */
static long word_int(const word *w, uint32_t maxd, int ordinal)
{
	uint32_t i = 0;
	long v = 0;
	while (i < w->n && is_digit((unsigned char)w->p[i]) && i <= maxd)
		v = v * 10 + (w->p[i++] - '0');
	if (i == 0 || i > maxd)
		return -1;
	if (i == w->n)
		return v;
	if (ordinal && w->n - i == 2) {
		word suf = { w->p + i, 2, 0, 0, 0, 0 };
		static const char *const sufs[] = { "st", "nd", "rd", "th", NULL };
		if (word_in(&suf, sufs))
			return v;
	}
	return -1;
}

static int word_day(const word *w)
{
	long v = word_int(w, 2, 1);
	return v >= 1 && v <= 31 ? (int)v : 0;
}

static int word_year(const word *w)
{
	long v = w->n == 4 ? word_int(w, 4, 0) : -1;
	return v >= 1800 && v <= 2199 ? (int)v : 0;
}

/* A count for "N days ago": digits (1-9999), one..twelve, a/an; else 0. */
static int word_count(const word *w)
{
	static const char *const nums[] = { "one", "two", "three", "four", "five",
		"six", "seven", "eight", "nine", "ten", "eleven", "twelve", NULL };
	long v = word_int(w, 4, 0);
	if (v > 0)
		return (int)v;
	if (WIS(w, "a") || WIS(w, "an"))
		return 1;
	for (int i = 0; nums[i]; i++)
		if (word_is(w, nums[i]))
			return i + 1;
	return 0;
}

/* 1 day, 2 week, 3 month, 4 year (singular or plural), else 0. */
static int word_unit(const word *w)
{
	static const char *const units[] = { "day", "week", "month", "year" };
	for (int i = 0; i < 4; i++) {
		size_t n = strlen(units[i]);
		if (word_is(w, units[i]))
			return i + 1;
		if (w->n == n + 1 && lower((unsigned char)w->p[n]) == 's') {
			word t = *w;
			t.n = (uint32_t)n;
			if (word_is(&t, units[i]))
				return i + 1;
		}
	}
	return 0;
}

/* The window: win[0] the word before the current one (n == 0 if none),
 * win[1] the current word, win[2..] the words after it. */
#define WIN 8

typedef struct match {
	date_t d;
	int precision;
	int last;      /* index in the window of the expression's last word */
	int first;     /* index of its first word (1, or 0 with a leading modifier) */
} match;

/* The day m/d in the year that puts it nearest to a (ties to the past). */
static int nearest_year(const date_t *a, int m, int d, date_t *out)
{
	long az = date_to_days(*a), best = 0;
	int found = 0;
	for (int y = a->y - 1; y <= a->y + 1; y++) {
		if (!date_is_valid(y, m, d))
			continue;
		date_t c = { y, m, d };
		long dist = date_to_days(c) - az;
		if (dist < 0)
			dist = -dist;
		if (!found || dist < best) {
			*out = c;
			best = dist;
			found = 1;
		}
	}
	return found;
}

/* Day-precision date from m, d and an optional year y (0: nearest to a). */
static int day_date(const date_t *a, int y, int m, int d, match *r)
{
	if (y) {
		if (!date_is_valid(y, m, d))
			return 0;
		r->d = (date_t){ y, m, d };
	} else if (!a || !nearest_year(a, m, d, &r->d)) {
		return 0;
	}
	r->precision = DATE_DAY;
	return 1;
}

/* After a day (at win[j]): optional ",", then an optional year. Returns
 * the index after the last consumed word and sets *y (0 if none). */
static int opt_year(const word *win, int nw, int j, int *y)
{
	*y = 0;
	if (j < nw && word_year(&win[j])) {
		*y = word_year(&win[j]);
		return j + 1;
	}
	if (j + 1 < nw && win[j].n == 1 && win[j].p[0] == ',' && word_year(&win[j + 1])) {
		*y = word_year(&win[j + 1]);
		return j + 2;
	}
	return j;
}

static int is_period(const word *w)
{
	return w->n == 1 && w->p[0] == '.';
}

/* Month name at win[1]: "October 5[, 2020]", "October 2020", "in October". */
static int match_month_first(const word *win, int nw, const date_t *a, match *r)
{
	static const char *const triggers[] = { "in", "since", "during", "early", "late",
		"mid", "of", "until", "by", "last", "this", "from", "next", NULL };
	int abbr, m = word_month(&win[1], &abbr);
	int j = 2, y;

	if (!m)
		return 0;
	if (abbr && j < nw && is_period(&win[j]))
		j++;
	if (j < nw && word_day(&win[j])) {
		int d = word_day(&win[j]);
		int k = opt_year(win, nw, j + 1, &y);
		if (day_date(a, y, m, d, r)) {
			r->first = 1, r->last = k - 1;
			return 1;
		}
		return 0;
	}
	if (j < nw && word_year(&win[j]) && !word_day(&win[0])) {
		r->d = (date_t){ word_year(&win[j]), m, 1 };
		r->precision = DATE_MONTH;
		r->first = 1, r->last = j;
		return 1;
	}
	if (!a || win[0].n == 0 || !word_in(&win[0], triggers))
		return 0;
	if (WIS(&win[0], "last"))
		y = m < a->m ? a->y : a->y - 1;
	else if (WIS(&win[0], "next"))
		y = m > a->m ? a->y : a->y + 1;
	else
		y = m <= a->m ? a->y : a->y - 1;
	r->d = (date_t){ y, m, 1 };
	r->precision = DATE_MONTH;
	r->first = WIS(&win[0], "last") || WIS(&win[0], "next") ? 0 : 1;
	r->last = abbr && j > 2 ? 2 : 1;
	return 1;
}

/* Day at win[1]: "5 October[ 2020]", "5th of October, 2020". */
static int match_day_first(const word *win, int nw, const date_t *a, match *r)
{
	int d = word_day(&win[1]), abbr, m, j = 2, y;

	if (!d)
		return 0;
	if (j < nw && WIS(&win[j], "of"))
		j++;
	if (j >= nw || !(m = word_month(&win[j], &abbr)))
		return 0;
	j++;
	if (abbr && j < nw && is_period(&win[j]))
		j++;
	int k = opt_year(win, nw, j, &y);
	if (!day_date(a, y, m, d, r))
		return 0;
	r->first = 1, r->last = k - 1;
	return 1;
}

/* Expressions relative to the article date; a is not NULL. */
static int match_relative(const word *win, int nw, const date_t *a, match *r)
{
	static const char *const parts[] = { "morning", "afternoon", "evening", NULL };
	const word *w = &win[1];
	const word *nx = nw > 2 ? &win[2] : NULL;
	int wd;

	r->precision = DATE_DAY;
	r->first = r->last = 1;
	if (WIS(w, "today") || WIS(w, "tonight")) {
		r->d = *a;
		return 1;
	}
	if (WIS(w, "yesterday")) {
		r->d = add_days(*a, -1);
		return 1;
	}
	if (WIS(w, "tomorrow")) {
		r->d = add_days(*a, 1);
		return 1;
	}
	if ((wd = word_weekday(w))) {
		int back = (date_weekday(*a) - wd + 7) % 7;
		r->d = add_days(*a, -back);
		return 1;
	}
	if (nx && (WIS(w, "last") || WIS(w, "next") || WIS(w, "this"))) {
		int sign = WIS(w, "last") ? -1 : WIS(w, "next") ? 1 : 0;
		int unit = word_unit(nx);
		r->last = 2;
		if (sign == 0 && word_in(nx, parts)) {
			r->d = *a;
			return 1;
		}
		if (sign < 0 && WIS(nx, "night")) {
			r->d = add_days(*a, -1);
			return 1;
		}
		if ((wd = word_weekday(nx))) {
			int aw = date_weekday(*a);
			if (sign < 0)
				r->d = add_days(*a, -((aw - wd + 6) % 7 + 1));
			else if (sign > 0)
				r->d = add_days(*a, (wd - aw + 6) % 7 + 1);
			else
				r->d = add_days(*a, -((aw - wd + 7) % 7));
			return 1;
		}
		if (sign != 0 && nx->p[nx->n - 1] != 's' && unit >= 2) {
			if (unit == 2)
				r->d = add_days(*a, 7 * sign);
			else
				r->d = date_add_months(*a, (unit == 3 ? 1 : 12) * sign);
			return 1;
		}
		return 0;
	}
	if (nw > 3 && WIS(&win[3], "ago")) {
		int count = word_count(w), unit = word_unit(&win[2]);
		if (count && unit) {
			if (unit <= 2)
				r->d = add_days(*a, -(long)count * (unit == 1 ? 1 : 7));
			else
				r->d = date_add_months(*a, -count * (unit == 3 ? 1 : 12));
			r->last = 3;
			return 1;
		}
	}
	return 0;
}

static int match_at(const word *win, int nw, const date_t *a, match *r)
{
	const word *w = &win[1];
	if (!may_start_date(w))
		return 0;
	if (w->n == 10 && date_parse(w->p, w->n, &r->d) == 0) {
		r->precision = DATE_DAY;
		r->first = r->last = 1;
		return 1;
	}
	if (match_month_first(win, nw, a, r) || match_day_first(win, nw, a, r))
		return 1;
	return a && match_relative(win, nw, a, r);
}

static int find(wsrc *s, const date_t *a, date_match *m)
{
	word win[WIN];
	int nw = 1; /* win[0] starts empty */

	memset(m, 0, sizeof(*m));
	memset(win, 0, sizeof(win));
	while (nw < WIN && next_word(s, &win[nw]))
		nw++;
	while (nw > 1) {
		match r;
		if (match_at(win, nw, a, &r) && r.d.y >= 1 && r.d.y <= 9999) {
			m->date = r.d;
			m->src = DATE_SRC_TEXT;
			m->precision = r.precision;
			m->start = win[r.first].start, m->cstart = win[r.first].cstart;
			m->end = win[r.last].end, m->cend = win[r.last].cend;
			return m->src;
		}
		memmove(win, win + 1, sizeof(word) * (WIN - 1));
		nw--;
		if (nw == WIN - 1 && next_word(s, &win[nw]))
			nw++;
	}
	if (a) {
		m->date = *a;
		m->src = DATE_SRC_ARTICLE;
	}
	return m->src;
}

int date_find_tokens(const char *text, const tok_token *tok, uint32_t ntok,
		     const date_t *article, date_match *m)
{
	wsrc s = { 0 };
	static const tok_token none[1];
	s.text = text;
	s.tok = tok ? tok : none;
	s.ntok = tok ? ntok : 0;
	return find(&s, article, m);
}

int date_find_text(const char *text, size_t n, const date_t *article, date_match *m)
{
	wsrc s = { 0 };
	s.text = text;
	s.n = n;
	return find(&s, article, m);
}
