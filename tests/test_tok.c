/* Tests of utf8 and tok: the sample article's sentences, tokenizer cases,
 * offsets (bytes and code points), bad and huge inputs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/tok.h"
#include "base/utf8.h"
#include "t.h"

static char out[1 << 16];

/* Tokens of s joined by '|', sentences separated by " || ". */
static const char *toks(const char *s, int flags)
{
	tok_doc d = { 0 };
	err_t e;
	size_t o = 0;

	out[0] = 0;
	if (tok_split(&d, s, strlen(s), 0, flags, &e) != 0) {
		snprintf(out, sizeof(out), "ERROR %s", e.msg);
		tok_doc_free(&d);
		return out;
	}
	for (uint32_t i = 0; i < d.nsent; i++) {
		const tok_sent *st = &d.sent[i];
		if (i)
			o += (size_t)snprintf(out + o, sizeof(out) - o, " || ");
		for (uint32_t k = st->first; k < st->first + st->n; k++) {
			const tok_token *t = &d.tok[k];
			o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%.*s",
					      k > st->first ? "|" : "",
					      (int)(t->end - t->start), s + t->start);
		}
	}
	tok_doc_free(&d);
	return out;
}

/* Is s[a..b) whitespace only (ASCII blanks, NUL, no-break space)? */
static int only_space(const char *s, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == 0xc2 && i + 1 < b && (unsigned char)s[i + 1] == 0xa0)
			i++;
		else if (!(c == 0 || c == ' ' || (c >= '\t' && c <= '\r')))
			return 0;
	}
	return 1;
}

/* Every token and sentence lies inside the text, in order, and its code
 * point offsets agree with counting code points up to its byte offsets. */
static int offsets_consistent(const char *s, size_t n, size_t from, const tok_doc *d)
{
	uint32_t prev_end = (uint32_t)from;
	size_t cp = utf8_count(s, from); /* code points in s[0..prev_end) */

	for (uint32_t k = 0; k < d->ntok; k++) {
		const tok_token *t = &d->tok[k];
		if (t->start >= t->end || t->end > n || t->start < prev_end)
			return 0;
		cp += utf8_count(s + prev_end, t->start - prev_end);
		if (t->cstart != cp)
			return 0;
		cp += utf8_count(s + t->start, t->end - t->start);
		if (t->cend != cp)
			return 0;
		for (uint32_t i = t->start; i < t->end; i++)
			if (s[i] == ' ' || s[i] == '\n' || s[i] == '\0')
				return 0;
		if (!only_space(s, prev_end, t->start)) /* no text is lost */
			return 0;
		prev_end = t->end;
	}
	if (!only_space(s, prev_end, n))
		return 0;
	uint32_t next = 0;
	for (uint32_t i = 0; i < d->nsent; i++) {
		const tok_sent *st = &d->sent[i];
		if (st->first != next || st->n == 0)
			return 0;
		next = st->first + st->n;
		if (st->start != d->tok[st->first].start || st->end != d->tok[next - 1].end ||
		    st->cstart != d->tok[st->first].cstart || st->cend != d->tok[next - 1].cend)
			return 0;
	}
	return next == d->ntok;
}

static char *read_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long sz;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	sz = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = malloc((size_t)sz + 1);
	if (p && fread(p, 1, (size_t)sz, f) != (size_t)sz) {
		free(p);
		p = NULL;
	}
	fclose(f);
	if (p) {
		p[sz] = 0;
		*n = (size_t)sz;
	}
	return p;
}

/* The reference article: sentences worked out by hand. */
static void test_sample(void)
{
	static const char *const want[] = {
		"In a bid to ease the ongoing tensions, Kremlin cited Russian President Vladimir Putin saying that foreign ministers of Azerbaijan and Armenia have been invited for talks in Moscow on October 9.",
		"As per reports, the decision to invite the ministers was taken after a series of telephonic discussions between Putin and Azerbaijan President Ilham Aliyev and Armenian Prime Minister Nikol Pashinyan over a ceasefire in the disputed region of Nagorno-Karabakh.",
		"Offering to be the mediator, Kremlin said in a statement that consultations on the disagreements will be held in Moscow.",
		"Earlier, the Russian Foreign Ministry had said that Moscow was prepared to resolve the Armenia-Azerbaijan conflict over Nagorno-Karabakh.",
		"Its spokesperson Maria Zakharova had said that the Russian government is willing to use Moscow as a platform to organise a meeting between the Armenian and Azerbaijan Foreign Ministers along with the Minsk group and the Organisation for Security and Co-operation in Europe (OSCE).",
		"Russia, France, US call for immediate ceasefire",
		"Meanwhile, Russia, France and the United States have jointly called for an immediate and unconditional ceasefire in the raging Armenia-Azerbaijan conflict over the Nagorno-Karabakh.",
		"In a statement released on October 5, US Secretary of State Mike Pompeo, Russian Foreign Minister Sergey Lavrov and French Foreign Minister Jean-Yves Le Drian denounced the bloodshed \xe2\x80\x9cin the strongest terms the unprecedented and dangerous escalation of violence in and outside\xe2\x80\x9d of the disputed mountainous region.",
		"The ministers representing the co-chair countries of the OSCE Minsk Group said that the recent attacks in allegedly targeting the civilian centres on both sides of the Line of Contact and the nature of the attacks constitute to an \xe2\x80\x9cunacceptable threat\xe2\x80\x9d to the Nagorno-Karabakh zone.",
		"Armenian officials at the region said on October 5 that at least 21 were killed in the clashes.",
		"But Azerbaijan\xe2\x80\x99s prosecutor general\xe2\x80\x99s office reportedly said that total 25 civilians had been killed with at least 127 wounded.",
	};
	const char *shared = getenv("SHARED");
	char path[4096];
	size_t n = 0, body;
	char *s;
	tok_doc d = { 0 };
	err_t e;

	snprintf(path, sizeof(path), "%s/samples/article-2020-10-09.txt", shared ? shared : "../shared");
	s = read_file(path, &n);
	CHECK(s != NULL);
	if (!s)
		return;
	/* the prefix " date 2020-10-09 " is not part of the body */
	const char *in = strstr(s, "In a bid");
	CHECK(in != NULL);
	body = (size_t)(in - s);
	CHECK(tok_split(&d, s, n, body, 0, &e) == 0);
	CHECK(d.nsent == sizeof(want) / sizeof(want[0]));
	for (uint32_t i = 0; i < d.nsent && i < sizeof(want) / sizeof(want[0]); i++) {
		char got[2048];
		const tok_sent *st = &d.sent[i];
		snprintf(got, sizeof(got), "%.*s", (int)(st->end - st->start), s + st->start);
		CHECK_STR(got, want[i]);
	}
	CHECK(offsets_consistent(s, n, body, &d));
	CHECK(d.tok[0].start == body && d.tok[0].cstart == body);
	/* curly quotes: "“in" starts at its byte offset, but code points lag
	 * behind by 2 for every 3-byte quote before it */
	int seen = 0;
	for (uint32_t k = 0; k < d.ntok; k++) {
		const tok_token *t = &d.tok[k];
		if (t->end - t->start == 3 && memcmp(s + t->start, "\xe2\x80\x9c", 3) == 0) {
			CHECK(t->cend - t->cstart == 1);
			if (!seen) /* the first non-ASCII character of the text */
				CHECK(t->cstart == t->start);
			else
				CHECK(t->cstart == t->start - 2 * 2);
			seen++;
		}
		if (t->end - t->start == 4 && memcmp(s + t->start, "\xe2\x80\x99s", 4) == 0)
			CHECK(t->cend - t->cstart == 2);
	}
	CHECK(seen == 2);
	/* the last token is the final period, and its code point offset is the
	 * byte offset less 2 per curly character (6 of them) */
	const tok_token *last = &d.tok[d.ntok - 1];
	CHECK(s[last->start] == '.' && last->cstart == last->start - 6 * 2);
	tok_doc_free(&d);
	free(s);
}

static void test_tokens(void)
{
	/* punctuation, parentheses, hyphens, numbers, dates */
	CHECK_STR(toks("the Organisation for Security and Co-operation in Europe (OSCE).", 0),
		  "the|Organisation|for|Security|and|Co-operation|in|Europe|(|OSCE|)|.");
	CHECK_STR(toks("Nagorno-Karabakh and the Armenia-Azerbaijan conflict", 0),
		  "Nagorno-Karabakh|and|the|Armenia-Azerbaijan|conflict");
	CHECK_STR(toks("On 2020-10-09, 1,000 people paid $3.5 or 12% at 10:30 on 10/09/2020.", 0),
		  "On|2020-10-09|,|1,000|people|paid|$|3.5|or|12|%|at|10:30|on|10/09/2020|.");
	CHECK_STR(toks("it ended 21-7 -- a 15-year-old's and/or co-chair's win", 0),
		  "it|ended|21-7|--|a|15-year-old|'s|and|/|or|co-chair|'s|win");
	/* possessives and clitics, straight and curly */
	CHECK_STR(toks("Azerbaijan\xe2\x80\x99s office and Putin's talks; the countries' envoys", 0),
		  "Azerbaijan|\xe2\x80\x99s|office|and|Putin|'s|talks|;|the|countries|'|envoys");
	CHECK_STR(toks("I don't, they can't, we won't, it isn\xe2\x80\x99t; I'm, we'll, they've, you're, he'd", 0),
		  "I|do|n't|,|they|ca|n't|,|we|wo|n't|,|it|is|n\xe2\x80\x99t|;|I|'m|,|we|'ll|,|they|'ve|,|you|'re|,|he|'d");
	CHECK_STR(toks("Shi'ite O'Connor d'Ivoire rock'n'roll the '80s", 0),
		  "Shi'ite|O'Connor|d'Ivoire|rock'n'roll|the|'80s");
	/* quotes */
	CHECK_STR(toks("He said \"no\" and \xe2\x80\x9cmaybe\xe2\x80\x9d, or \xe2\x80\x98perhaps\xe2\x80\x99.", 0),
		  "He|said|\"|no|\"|and|\xe2\x80\x9c|maybe|\xe2\x80\x9d|,|or|\xe2\x80\x98|perhaps|\xe2\x80\x99|.");
	/* abbreviations and initials */
	CHECK_STR(toks("Mr. Smith and Gen. Jones of the U.S. Army met Dr. Lee, Lt. Col. Ray, Sen. Rep. St. Louis", 0),
		  "Mr.|Smith|and|Gen.|Jones|of|the|U.S.|Army|met|Dr.|Lee|,|Lt.|Col.|Ray|,|Sen.|Rep.|St.|Louis");
	CHECK_STR(toks("J. R. R. Tolkien of Acme Corp. and Foo Inc. at 9 a.m. on Oct. 9 and Jan. 1", 0),
		  "J.|R.|R.|Tolkien|of|Acme|Corp.|and|Foo|Inc.|at|9|a.m.|on|Oct.|9|and|Jan.|1");
	CHECK_STR(toks("U.S.-led forces won No. 1 but said no.", 0),
		  "U.S.-led|forces|won|No.|1|but|said|no|.");
	/* tables and lists of the CoNLL-2003 kind: leading decimals and signs,
	 * currencies with a country prefix, runs of * and = */
	CHECK_STR(toks("pct .500 call +44 171 for US$5 or C$ 10 ** ==", 0),
		  "pct|.500|call|+44|171|for|US$|5|or|C$|10|**|==");
	CHECK_STR(toks("2+2 x.5 Results:\n1. Moses (Kenya) 8:12.04\n2. Smith", 0),
		  "2|+|2|x|.|5|Results|: || 1.|Moses|(|Kenya|)|8:12.04 || 2.|Smith");
	/* web addresses stay whole, less final punctuation; e-mail addresses */
	CHECK_STR(toks("See https://example.org/a_b?x=1&y=2. Or (www.osce.org), mail a.b@c.org.", 0),
		  "See|https://example.org/a_b?x=1&y=2|. || Or|(|www.osce.org|)|,|mail|a.b@c.org|.");
	CHECK_STR(toks("http:// and www. alone", 0), "http|:|/|/|and|www|.|alone");
	/* ellipses */
	CHECK_STR(toks("wait... what\xe2\x80\xa6 now....", 0), "wait|...|what|\xe2\x80\xa6|now|....");
	/* other scripts and symbols stay words; em dash is punctuation */
	CHECK_STR(toks("Caf\xc3\xa9 \xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0\xe2\x80\x94yes @user #tag", 0),
		  "Caf\xc3\xa9|\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0|\xe2\x80\x94|yes|@user|#tag");
	/* empty and blank texts */
	CHECK_STR(toks("", 0), "");
	CHECK_STR(toks(" \n\t\n ", 0), "");
}

static void test_sentences(void)
{
	CHECK_STR(toks("Mr. Smith went to Washington. He met Gen. Jones there.", 0),
		  "Mr.|Smith|went|to|Washington|. || He|met|Gen.|Jones|there|.");
	/* a closing quote after the stop belongs to the sentence */
	CHECK_STR(toks("He said \"we will win.\" Then he left. \xe2\x80\x9cNo.\xe2\x80\x9d She agreed.", 0),
		  "He|said|\"|we|will|win|.|\" || Then|he|left|. || \xe2\x80\x9c|No|.|\xe2\x80\x9d || She|agreed|.");
	/* an opening quote starts the next one */
	CHECK_STR(toks("He left. \"Why?\" she asked.", 0),
		  "He|left|. || \"|Why|?|\"|she|asked|.");
	/* abbreviations: U.S. ends a sentence only before a sentence opener */
	CHECK_STR(toks("They went to the U.S. The talks failed. The U.S. President spoke.", 0),
		  "They|went|to|the|U.S. || The|talks|failed|. || The|U.S.|President|spoke|.");
	CHECK_STR(toks("It cost 3.5 million on Oct. 9 in No. 10 Downing St. in London.", 0),
		  "It|cost|3.5|million|on|Oct.|9|in|No.|10|Downing|St.|in|London|.");
	/* lower case after a period does not start a sentence */
	CHECK_STR(toks("The vote (50 vs. 40) passed. and then e.g. this.", 0),
		  "The|vote|(|50|vs.|40|)|passed|.|and|then|e.g.|this|.");
	/* ellipsis, question and exclamation */
	CHECK_STR(toks("Wait... and then... Nothing! Really? yes", 0),
		  "Wait|...|and|then|... || Nothing|! || Really|?|yes");
	/* numbers at the end of a sentence */
	CHECK_STR(toks("At least 21 were killed. 25 more died in 2020.", 0),
		  "At|least|21|were|killed|. || 25|more|died|in|2020|.");
	/* blank lines always end a sentence; a wrapped line does not */
	CHECK_STR(toks("A headline without period\n\nThe body starts here\nand goes on.", 0),
		  "A|headline|without|period || The|body|starts|here|and|goes|on|.");
	CHECK_STR(toks("one\r\n\r\ntwo\n \n\tthree", 0), "one || two || three");
	/* a short standalone line before a capitalised line is a headline */
	CHECK_STR(toks("Russia, France, US call for immediate ceasefire\nMeanwhile, Russia acted.", 0),
		  "Russia|,|France|,|US|call|for|immediate|ceasefire || Meanwhile|,|Russia|acted|.");
	CHECK_STR(toks("The ministers of the co-chair countries of the Minsk Group said that\nMoscow was ready to host the talks and would act soon.", 0),
		  "The|ministers|of|the|co-chair|countries|of|the|Minsk|Group|said|that|Moscow|was|ready|to|host|the|talks|and|would|act|soon|.");
	/* TOK_ONE_SENTENCE */
	CHECK_STR(toks("One. Two.\n\nThree", TOK_ONE_SENTENCE), "One|.|Two|.|Three");
}

static void test_bad_input(void)
{
	tok_doc d = { 0 };
	err_t e;
	const char *bad = "ok \xc3\x28 text";
	const char *trunc = "abc \xe2\x80";
	const char *sur = "x \xed\xa0\x80";
	const char *over = "\xc0\xaf";

	CHECK(tok_split(&d, bad, strlen(bad), 0, 0, &e) == ERR_UTF8);
	CHECK(strncmp(e.msg, "byte 3: invalid UTF-8", 21) == 0);
	CHECK(d.ntok == 0 && d.nsent == 0);
	CHECK(tok_split(&d, trunc, strlen(trunc), 0, 0, &e) == ERR_UTF8);
	CHECK(strncmp(e.msg, "byte 4: invalid UTF-8", 21) == 0);
	CHECK(tok_split(&d, sur, strlen(sur), 0, 0, &e) == ERR_UTF8);
	CHECK(strstr(e.msg, "byte 2") && strstr(e.msg, "surrogate"));
	CHECK(tok_split(&d, over, strlen(over), 0, 0, &e) == ERR_UTF8);
	CHECK(strstr(e.msg, "byte 0") != NULL);
	CHECK(tok_split(&d, "abc", 3, 4, 0, &e) == ERR_ARG);

	/* NUL bytes are whitespace */
	const char nul[] = "one\0two\0\0three.";
	CHECK(tok_split(&d, nul, sizeof(nul) - 1, 0, 0, &e) == 0);
	CHECK(d.ntok == 4 && d.nsent == 1);
	CHECK(d.ntok == 4 && d.tok[1].start == 4 && d.tok[1].end == 7 && d.tok[3].start == 14);

	/* utf8 helpers */
	const char *why = NULL;
	CHECK(utf8_check("a\xe2\x80\x9c" "b", 5, &why) == 5);
	CHECK(utf8_check("ab\x80", 3, &why) == 2 && strstr(why, "continuation"));
	CHECK(utf8_check("\xf4\x90\x80\x80", 4, &why) == 0 && strstr(why, "U+10FFFF"));
	CHECK(utf8_count("a\xe2\x80\x9c\xf0\x9f\x98\x80z", 9) == 4);
	size_t i = 1;
	CHECK(utf8_next("a\xe2\x80\x9c", 4, &i) == 0x201c && i == 4);
	i = 0;
	CHECK(utf8_next("\xff", 1, &i) == -1 && i == 1);
	char enc[4];
	CHECK(utf8_encode(0x1f600, enc) == 4 && memcmp(enc, "\xf0\x9f\x98\x80", 4) == 0);
	CHECK(utf8_encode(0xd800, enc) == 0);
	CHECK(utf8_encode(0xe9, enc) == 2 && memcmp(enc, "\xc3\xa9", 2) == 0);
	tok_doc_free(&d);
}

/* 32 MB without a newline or a sentence end: one pass, no crash. */
static void test_huge(void)
{
	const size_t n = 32u << 20;
	char *s = malloc(n);
	tok_doc d = { 0 };
	err_t e;

	CHECK(s != NULL);
	if (!s)
		return;
	for (size_t i = 0; i < n; i++)
		s[i] = "word, "[i % 6];
	CHECK(tok_split(&d, s, n, 0, 0, &e) == 0);
	CHECK(d.ntok == (uint32_t)((n / 6) * 2 + (n % 6 > 0) + (n % 6 > 4)));
	/* no stops: cut every TOK_MAX_SENT_TOKENS tokens */
	CHECK(d.nsent == (d.ntok + TOK_MAX_SENT_TOKENS - 1) / TOK_MAX_SENT_TOKENS);
	CHECK(d.nsent > 0 && d.sent[0].n == TOK_MAX_SENT_TOKENS &&
	      d.sent[d.nsent - 1].first + d.sent[d.nsent - 1].n == d.ntok);
	CHECK(d.ntok > 0 && d.tok[d.ntok - 1].end <= n);
	CHECK(tok_split(&d, s, n, 0, TOK_ONE_SENTENCE, &e) == 0 && d.nsent == 1);
	/* one long word */
	memset(s, 'x', n);
	CHECK(tok_split(&d, s, n, 0, 0, &e) == 0);
	CHECK(d.ntok == 1 && d.tok[0].end == n && d.tok[0].cend == n);
	/* 16 MB of lines of 72 bytes broken by CR only: hard-wrapped text,
	 * one sentence, cut every TOK_MAX_SENT_TOKENS tokens (the headline
	 * test must not look far ahead, or this takes minutes) */
	const char *line = "Abc def ghi jkl mno pqr stu vwx yz abc def ghi jkl mno pqr stu vwx yz ab\r";
	size_t ll = strlen(line), lines = (16u << 20) / ll;
	for (size_t i = 0; i < lines; i++)
		memcpy(s + i * ll, line, ll);
	CHECK(tok_split(&d, s, lines * ll, 0, 0, &e) == 0);
	CHECK(d.ntok == lines * 19 &&
	      d.nsent == (d.ntok + TOK_MAX_SENT_TOKENS - 1) / TOK_MAX_SENT_TOKENS);
	/* the same with a short capitalised line (a headline) every 40 lines
	 * (741 tokens, under the cut): a sentence ends after each (the line
	 * before it has no final stop, so it joins the paragraph before it) */
	for (size_t i = 0; i < lines; i += 40)
		memcpy(s + i * ll, "Headline\r", 9), memset(s + i * ll + 9, ' ', ll - 9);
	CHECK(tok_split(&d, s, lines * ll, 0, 0, &e) == 0);
	CHECK(d.nsent == (lines + 39) / 40 + 1);
	/* periods everywhere (8 MB): many sentences */
	const size_t m = 8u << 20;
	for (size_t i = 0; i < m; i++)
		s[i] = "Ab. "[i % 4];
	CHECK(tok_split(&d, s, m, 0, 0, &e) == 0);
	CHECK(d.nsent == m / 4);
	CHECK(offsets_consistent(s, m, 0, &d));
	CHECK(d.tok[d.ntok - 1].cend == m - 1);
	tok_doc_free(&d);
	free(s);
}

/* Random texts made of tricky pieces: offsets stay consistent, tokens
 * cover every non-space byte, sentences cover every token. */
static void test_random(void)
{
	static const char *const piece[] = {
		"'", "\xe2\x80\x99", ".", "-", "n't", "U.S.", "\n", "\n\n", " ", "\"",
		"\xe2\x80\x9c", "\xe2\x80\x9d", "A", "a", "1", ",", "\0", "\xe2\x80\xa6",
		"\xc3\xa9", "\xc2\xa0", "Mr.", "s", "?", "(", ")", "..", "\r\n", "%", "&",
		"/", ":", "\t", "No.", "e.g.", "'80s", "x-", "\xf0\x9f\x98\x80", "#",
		"http://", "www.", "+", "$", "*", "\n1. "
	};
	const size_t np = sizeof(piece) / sizeof(piece[0]);
	char s[4096];
	tok_doc d = { 0 };
	err_t e;
	unsigned long seed = 12345;
	int bad = 0;

	for (int round = 0; round < 3000; round++) {
		size_t n = 0, want = (size_t)(round % 200);
		while (n < want) {
			seed = seed * 6364136223846793005ul + 1442695040888963407ul;
			const char *p = piece[(seed >> 33) % np];
			size_t l = p[0] ? strlen(p) : 1; /* "\0" is one NUL byte */
			memcpy(s + n, p, l);
			n += l;
		}
		s[n] = 0;
		int flags = round % 7 == 0 ? TOK_ONE_SENTENCE : 0;
		if (tok_split(&d, s, n, 0, flags, &e) != 0 || !offsets_consistent(s, n, 0, &d)) {
			if (!bad++)
				fprintf(stderr, "random text %d fails: %s\n", round, e.msg);
		}
	}
	CHECK(bad == 0);
	tok_doc_free(&d);
}

int main(void)
{
	test_sample();
	test_tokens();
	test_sentences();
	test_bad_input();
	test_huge();
	test_random();
	return t_done();
}
