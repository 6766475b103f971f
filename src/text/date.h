/* date: calendar dates and the resolution of a sentence's date expressions
 * against the article's date. Pure: no I/O, no locale, no clock.
 *
 * Rules (the article date is A; "most recent" means on or before A):
 *   2020-10-05                 that day
 *   5 October 2020, October 5, 2020, Oct. 5 2020, 5th of October 2020
 *                              that day
 *   October 5, Oct. 5, 5 October (no year)
 *                              the year that puts the day nearest to A
 *                              (A's year, the one before or the one after;
 *                              a tie goes to the past), so "December 30" in
 *                              a January article is last year's
 *   October 2020               the 1st of that month
 *   in March, since March, last March ...  (a month name after one of
 *                              in/since/during/early/late/mid/of/until/by/
 *                              last/this/from; capitalised)
 *                              the 1st of the most recent March not after A
 *                              (A's own month counts); "last March" is the
 *                              most recent March strictly before A's month
 *   Monday, on Monday          the most recent Monday on or before A (A
 *                              itself if A is a Monday: news convention)
 *   last Monday                the most recent Monday strictly before A
 *   next Monday                the first Monday strictly after A
 *   today, tonight, this morning/afternoon/evening   A
 *   yesterday, last night      A - 1 day
 *   tomorrow                   A + 1 day
 *   last week / next week      A - 7 days / A + 7 days
 *   last month / next month    A's day in the previous / next month,
 *                              clamped to the month's end (03-31 -> 02-29)
 *   last year / next year      A's day one year before / after (02-29 ->
 *                              02-28)
 *   N days/weeks/months/years ago   A minus that much (N in digits, or a
 *                              number word one..twelve, or "a"/"an")
 * Month names are full or abbreviated (Jan, Feb, Mar, Apr, Jun, Jul, Aug,
 * Sep, Sept, Oct, Nov, Dec, with or without a period) and must start with a
 * capital letter ("may", "march" are verbs); a bare "May" counts only
 * with a day, a year or one of the words above before it. The first
 * expression in the sentence wins. Expressions that need A are skipped
 * when the article has no date; invalid days (February 30) are no match. */
#ifndef EVTAG_DATE_H
#define EVTAG_DATE_H

#include <stddef.h>
#include <stdint.h>

#include "text/tok.h"

typedef struct date {
	int y, m, d; /* year, month 1-12, day 1-31 */
} date_t;

enum { DATE_DAY = 0, DATE_MONTH = 1 }; /* precision of a resolved date */

/* Where a sentence's date came from. */
enum { DATE_SRC_NONE = 0, DATE_SRC_ARTICLE = 1, DATE_SRC_TEXT = 2 };

typedef struct date_match {
	date_t date;           /* the resolved date (valid unless src is NONE) */
	int src;               /* DATE_SRC_* */
	int precision;         /* DATE_DAY or DATE_MONTH (the 1st of the month) */
	uint32_t start, end;   /* bytes of the expression in the text (0 unless TEXT) */
	uint32_t cstart, cend; /* code points of the expression (0 unless TEXT) */
} date_match;

/* 1 if y-m-d is a real Gregorian date (years 1..9999), else 0. */
int date_is_valid(int y, int m, int d);
/* 1 if y is a leap year. */
int date_is_leap(int y);
/* Days in month m of year y (0 if m is out of range). */
int date_month_days(int y, int m);
/* Days since 1970-01-01 (negative before). d must be valid. */
long date_to_days(date_t d);
/* The date that many days after 1970-01-01. */
date_t date_from_days(long days);
/* ISO weekday of d: 1 Monday .. 7 Sunday. */
int date_weekday(date_t d);
/* d plus n months, the day clamped to the target month's length. */
date_t date_add_months(date_t d, int n);

/* Parses exactly "YYYY-MM-DD" (s[0..n), no surrounding text) into *out.
 * 0, or ERR_FORMAT when the form or the calendar date is wrong. */
int date_parse(const char *s, size_t n, date_t *out);
/* Writes "YYYY-MM-DD" and a NUL into out (11 bytes). */
void date_format(date_t d, char out[11]);

/* Resolves the first date expression among the sentence's tokens
 * tok[0..ntok) of text (offsets are into text, as tok_split gives them)
 * against the article date (NULL when unknown). Fills *m and returns
 * m->src: DATE_SRC_TEXT with the expression's offsets, else
 * DATE_SRC_ARTICLE with *article, else DATE_SRC_NONE. Never fails. */
int date_find_tokens(const char *text, const tok_token *tok, uint32_t ntok,
		     const date_t *article, date_match *m);

/* The same over raw text s[0..n) (valid UTF-8 expected; other bytes count
 * as letters): the offsets in *m are bytes and code points from s[0]. */
int date_find_text(const char *s, size_t n, const date_t *article,
		   date_match *m);

#endif
