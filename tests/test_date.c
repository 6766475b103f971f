/* Date arithmetic and the resolution of date expressions (src/text/date.h). */
#include <stdlib.h>
#include <string.h>

#include "text/date.h"
#include "base/err.h"
#include "t.h"

static date_t D(const char *s)
{
	date_t d = { 0, 0, 0 };
	if (date_parse(s, strlen(s), &d) != 0)
		fprintf(stderr, "bad test date %s\n", s);
	return d;
}

static char got_buf[64];

/* The resolved date of text against article (NULL: none) as "YYYY-MM-DD"
 * plus " text"/" article", or "none". */
static const char *res(const char *text, const char *article)
{
	date_t a = article ? D(article) : (date_t){ 0, 0, 0 };
	date_match m;
	int src = date_find_text(text, strlen(text), article ? &a : NULL, &m);
	if (src != m.src)
		return "src mismatch";
	if (src == DATE_SRC_NONE)
		return "none";
	date_format(m.date, got_buf);
	strcat(got_buf, src == DATE_SRC_TEXT ? " text" : " article");
	return got_buf;
}

/* The matched expression's text. */
static const char *span(const char *text, const char *article)
{
	date_t a = D(article);
	date_match m;
	if (date_find_text(text, strlen(text), &a, &m) != DATE_SRC_TEXT)
		return "(none)";
	snprintf(got_buf, sizeof(got_buf), "%.*s", (int)(m.end - m.start), text + m.start);
	return got_buf;
}

static void test_calendar(void)
{
	CHECK(date_is_leap(2020) && date_is_leap(2000) && !date_is_leap(1900) && !date_is_leap(2021));
	CHECK(date_month_days(2020, 2) == 29 && date_month_days(2021, 2) == 28);
	CHECK(date_month_days(2100, 2) == 28 && date_month_days(2020, 13) == 0);
	CHECK(date_to_days(D("1970-01-01")) == 0);
	CHECK(date_to_days(D("2000-03-01")) - date_to_days(D("2000-02-28")) == 2);
	CHECK(date_to_days(D("1900-03-01")) - date_to_days(D("1900-02-28")) == 1);
	CHECK(date_to_days(D("1969-12-31")) == -1);
	CHECK(date_weekday(D("1970-01-01")) == 4);
	CHECK(date_weekday(D("2020-10-09")) == 5);
	CHECK(date_weekday(D("2000-02-29")) == 2);
	CHECK(date_weekday(D("1969-12-28")) == 7);
	/* round trip over 1899..2101 */
	int ok = 1;
	long prev = date_to_days(D("1899-01-01")) - 1;
	for (int y = 1899; y <= 2101 && ok; y++)
		for (int m = 1; m <= 12; m++)
			for (int d = 1; d <= date_month_days(y, m); d++) {
				date_t x = { y, m, d };
				long z = date_to_days(x);
				date_t b = date_from_days(z);
				if (z != prev + 1 || b.y != y || b.m != m || b.d != d)
					ok = 0;
				prev = z;
			}
	CHECK(ok);
	date_t r = date_add_months(D("2020-03-31"), -1);
	CHECK(r.y == 2020 && r.m == 2 && r.d == 29);
	r = date_add_months(D("2020-01-15"), -1);
	CHECK(r.y == 2019 && r.m == 12 && r.d == 15);
	r = date_add_months(D("2020-02-29"), -12);
	CHECK(r.y == 2019 && r.m == 2 && r.d == 28);
}

static void test_parse_format(void)
{
	date_t d;
	char s[11];
	CHECK(date_parse("2020-10-05", 10, &d) == 0 && d.y == 2020 && d.m == 10 && d.d == 5);
	date_format(d, s);
	CHECK_STR(s, "2020-10-05");
	CHECK(date_parse("2020-02-29", 10, &d) == 0);
	CHECK(date_parse("2021-02-29", 10, &d) == ERR_FORMAT);
	CHECK(date_parse("2020-13-01", 10, &d) == ERR_FORMAT);
	CHECK(date_parse("2020-00-10", 10, &d) == ERR_FORMAT);
	CHECK(date_parse("2020-1-05", 9, &d) == ERR_FORMAT);
	CHECK(date_parse("2020/10/05", 10, &d) == ERR_FORMAT);
	CHECK(date_parse("2020-10-05x", 11, &d) == ERR_FORMAT);
	CHECK(date_parse("", 0, &d) == ERR_FORMAT);
	date_format((date_t){ 7, 1, 2 }, s);
	CHECK_STR(s, "0007-01-02");
}

static void test_absolute(void)
{
	const char *a = "2020-10-09"; /* a Friday */
	CHECK_STR(res("In a statement released on October 5, US Secretary of State Mike Pompeo", a),
		  "2020-10-05 text");
	CHECK_STR(span("released on October 5, US Secretary", a), "October 5");
	CHECK_STR(res("talks on Oct. 5 in Moscow", a), "2020-10-05 text");
	CHECK_STR(span("talks on Oct. 5 in Moscow", a), "Oct. 5");
	CHECK_STR(res("on Sept. 30", a), "2020-09-30 text");
	CHECK_STR(res("on 5 October 2020 they met", a), "2020-10-05 text");
	CHECK_STR(span("on 5 October 2020 they met", a), "5 October 2020");
	CHECK_STR(res("on October 5, 2019, they met", a), "2019-10-05 text");
	CHECK_STR(span("on October 5, 2019, they met", a), "October 5, 2019");
	CHECK_STR(res("on the 5th of October", a), "2020-10-05 text");
	CHECK_STR(res("on October 5th", a), "2020-10-05 text");
	CHECK_STR(res("the 2020-10-05 meeting", a), "2020-10-05 text");
	CHECK_STR(res("in October 2018", a), "2018-10-01 text");
	CHECK_STR(res("5 Oct 2020", a), "2020-10-05 text");
	/* no year: the nearest such day to the article date */
	CHECK_STR(res("talks on December 15", a), "2020-12-15 text");
	CHECK_STR(res("on May 5", a), "2020-05-05 text");
	CHECK_STR(res("on December 30", "2021-01-02"), "2020-12-30 text");
	CHECK_STR(res("on January 3", "2020-12-29"), "2021-01-03 text");
	/* February 29 exists only in leap years */
	CHECK_STR(res("on February 29", "2021-06-01"), "2020-02-29 text");
	CHECK_STR(res("on February 29, 2024", a), "2024-02-29 text");
	CHECK_STR(res("on 29 February 2021", a), "2020-10-09 article");
	CHECK_STR(res("on February 30", a), "2020-10-09 article");
	CHECK_STR(res("on October 32", a), "2020-10-09 article");
	/* absolute dates need no article date; relative ones do */
	CHECK_STR(res("on 5 October 2020", NULL), "2020-10-05 text");
	CHECK_STR(res("yesterday", NULL), "none");
	CHECK_STR(res("on October 5", NULL), "none");
	CHECK_STR(res("nothing here", NULL), "none");
}

static void test_relative(void)
{
	const char *a = "2020-10-09"; /* a Friday */
	CHECK_STR(res("said on Monday that", a), "2020-10-05 text");
	CHECK_STR(span("said on Monday that", a), "Monday");
	CHECK_STR(res("said on Friday", a), "2020-10-09 text");
	CHECK_STR(res("said on Saturday", a), "2020-10-03 text");
	CHECK_STR(res("last Friday", a), "2020-10-02 text");
	CHECK_STR(span("said last Friday", a), "last Friday");
	CHECK_STR(res("last Monday", a), "2020-10-05 text");
	CHECK_STR(res("next Monday", a), "2020-10-12 text");
	CHECK_STR(res("next Friday", a), "2020-10-16 text");
	CHECK_STR(res("yesterday", a), "2020-10-08 text");
	CHECK_STR(res("Today, the minister", a), "2020-10-09 text");
	CHECK_STR(res("tonight", a), "2020-10-09 text");
	CHECK_STR(res("this morning", a), "2020-10-09 text");
	CHECK_STR(res("last night", a), "2020-10-08 text");
	CHECK_STR(res("tomorrow", a), "2020-10-10 text");
	CHECK_STR(res("last week", a), "2020-10-02 text");
	CHECK_STR(span("met last week in", a), "last week");
	CHECK_STR(res("next week", a), "2020-10-16 text");
	CHECK_STR(res("last month", a), "2020-09-09 text");
	CHECK_STR(res("last year", a), "2019-10-09 text");
	CHECK_STR(res("two days ago", a), "2020-10-07 text");
	CHECK_STR(span("killed two days ago in", a), "two days ago");
	CHECK_STR(res("a week ago", a), "2020-10-02 text");
	CHECK_STR(res("3 months ago", a), "2020-07-09 text");
	CHECK_STR(res("ten years ago", a), "2010-10-09 text");
	CHECK_STR(res("in March", a), "2020-03-01 text");
	CHECK_STR(span("in March", a), "March");
	CHECK_STR(res("in October", a), "2020-10-01 text");
	CHECK_STR(res("in November", a), "2019-11-01 text");
	CHECK_STR(res("in March", "2020-02-15"), "2019-03-01 text");
	CHECK_STR(res("last October", a), "2019-10-01 text");
	CHECK_STR(res("next March", a), "2021-03-01 text");
	CHECK_STR(res("since May", a), "2020-05-01 text");
	/* not dates: verbs, lowercase, bare months, numbers */
	CHECK_STR(res("they may march on the capital", a), "2020-10-09 article");
	CHECK_STR(res("May the talks succeed", a), "2020-10-09 article");
	CHECK_STR(res("at least 21 were killed and 127 wounded", a), "2020-10-09 article");
	CHECK_STR(res("5,000 troops", a), "2020-10-09 article");
	CHECK_STR(res("", a), "2020-10-09 article");
	/* month and year boundaries, leap years */
	CHECK_STR(res("yesterday", "2021-01-01"), "2020-12-31 text");
	CHECK_STR(res("tomorrow", "2020-12-31"), "2021-01-01 text");
	CHECK_STR(res("yesterday", "2020-03-01"), "2020-02-29 text");
	CHECK_STR(res("yesterday", "2021-03-01"), "2021-02-28 text");
	CHECK_STR(res("yesterday", "2000-03-01"), "2000-02-29 text");
	CHECK_STR(res("yesterday", "1900-03-01"), "1900-02-28 text");
	CHECK_STR(res("last month", "2020-03-31"), "2020-02-29 text");
	CHECK_STR(res("last month", "2021-03-31"), "2021-02-28 text");
	CHECK_STR(res("last month", "2020-01-15"), "2019-12-15 text");
	CHECK_STR(res("last year", "2020-02-29"), "2019-02-28 text");
	CHECK_STR(res("last week", "2020-03-03"), "2020-02-25 text");
	CHECK_STR(res("on Sunday", "2021-01-02"), "2020-12-27 text");
	CHECK_STR(res("in December", "2021-01-10"), "2020-12-01 text");
	/* the first expression wins */
	CHECK_STR(res("On Monday officials said the attack on October 1", a), "2020-10-05 text");
}

static void test_offsets(void)
{
	/* code point offsets differ from byte offsets after non-ASCII text */
	const char *s = "\xc3\x9c" "ber \xe2\x80\x9cOct. 5\xe2\x80\x9d";
	date_t a = D("2020-10-09");
	date_match m;
	CHECK(date_find_text(s, strlen(s), &a, &m) == DATE_SRC_TEXT);
	CHECK(m.start == 9 && m.end == 15);
	CHECK(m.cstart == 6 && m.cend == 12);
	CHECK(m.precision == DATE_DAY);
	CHECK(date_find_text("in March", 8, &a, &m) == DATE_SRC_TEXT && m.precision == DATE_MONTH);
	/* article default: no offsets */
	CHECK(date_find_text("no date", 7, &a, &m) == DATE_SRC_ARTICLE);
	CHECK(m.start == 0 && m.end == 0 && m.date.d == 9);
}

static void test_tokens(void)
{
	/* tokens as tok_split gives them: offsets into the whole article */
	const char *text = "XXXXon Oct. 5, 2020 , they met";
	tok_token t[] = {
		{ 4, 6, 4, 6 },   /* on */
		{ 7, 11, 7, 11 }, /* Oct. (abbreviation kept whole) */
		{ 12, 13, 12, 13 }, /* 5 */
		{ 13, 14, 13, 14 }, /* , */
		{ 15, 19, 15, 19 }, /* 2020 */
	};
	date_t a = D("2021-01-01");
	date_match m;
	CHECK(date_find_tokens(text, t, 5, &a, &m) == DATE_SRC_TEXT);
	CHECK(m.date.y == 2020 && m.date.m == 10 && m.date.d == 5);
	CHECK(m.start == 7 && m.end == 19 && m.cstart == 7 && m.cend == 19);
	/* only the sentence's tokens are looked at */
	CHECK(date_find_tokens(text, t, 1, &a, &m) == DATE_SRC_ARTICLE);
	CHECK(date_find_tokens(text, NULL, 0, &a, &m) == DATE_SRC_ARTICLE);
	CHECK(date_find_tokens(text, NULL, 0, NULL, &m) == DATE_SRC_NONE);
	/* "Oct" "." split into two tokens */
	const char *t2s = "Oct. 5";
	tok_token t2[] = { { 0, 3, 0, 3 }, { 3, 4, 3, 4 }, { 5, 6, 5, 6 } };
	CHECK(date_find_tokens(t2s, t2, 3, &a, &m) == DATE_SRC_TEXT);
	CHECK(m.date.y == 2020 && m.date.m == 10 && m.date.d == 5 && m.end == 6);
}

/* The sample article's sentence through the real tokenizer. */
static void test_sample_sentence(void)
{
	const char *text = "date 2020-10-09 Meanwhile, Russia, France and the United States have "
			   "jointly called for a ceasefire. In a statement released on October 5, "
			   "US Secretary of State Mike Pompeo, Russian Foreign Minister Sergey Lavrov "
			   "and French Foreign Minister Jean-Yves Le Drian denounced the bloodshed.";
	tok_doc d;
	err_t e;
	date_t a = D("2020-10-09");
	date_match m;
	tok_doc_init(&d);
	CHECK(tok_split(&d, text, strlen(text), 16, 0, &e) == 0);
	CHECK(d.nsent == 3 || d.nsent == 2);
	int found = 0;
	for (uint32_t i = 0; i < d.nsent; i++) {
		const tok_sent *s = &d.sent[i];
		int src = date_find_tokens(text, d.tok + s->first, s->n, &a, &m);
		if (strstr(text + s->start, "October 5") < text + s->end &&
		    strstr(text + s->start, "October 5") >= text + s->start) {
			found = 1;
			CHECK(src == DATE_SRC_TEXT);
			CHECK(m.date.y == 2020 && m.date.m == 10 && m.date.d == 5);
			CHECK(m.end - m.start == 9 && memcmp(text + m.start, "October 5", 9) == 0);
		} else {
			CHECK(src == DATE_SRC_ARTICLE && m.date.d == 9);
		}
	}
	CHECK(found);
	tok_doc_free(&d);
}

int main(void)
{
	test_sample_sentence();
	test_calendar();
	test_parse_format();
	test_absolute();
	test_relative();
	test_offsets();
	test_tokens();
	return t_done();
}
