/* docvote: the within-article vote that gives one name one entity type. */
#include <string.h>

#include "base/err.h"
#include "coder/docvote.h"
#include "t.h"

static docvote_span span(const char *text, const char *word, int nth, const char *type,
		      double score)
{
	docvote_span s;
	const char *p = text;
	memset(&s, 0, sizeof(s));
	for (int k = 0; k <= nth && p; k++)
		p = strstr(k ? p + 1 : p, word);
	s.start = p ? (uint32_t)(p - text) : 0;
	s.end = s.start + (uint32_t)strlen(word);
	s.type = type;
	s.score = score;
	return s;
}

int main(void)
{
	const char *text = "Russia, France, US call for a ceasefire. US Secretary Pompeo said "
			   "the US will act. Georgia voted. Georgia Smith spoke. Georgia left.";
	err_t e;
	docvote_span ent[9];
	ent[0] = span(text, "US", 0, "LOC", 0.61);
	ent[1] = span(text, "US", 1, "ORG", 0.50);
	ent[2] = span(text, "US", 2, "ORG", 0.05);
	ent[3] = span(text, "Russia", 0, "LOC", 0.93);
	ent[4] = span(text, "Pompeo", 0, "PER", 0.90);
	/* a tie for the top changes nothing */
	ent[5] = span(text, "Georgia", 0, "LOC", 0.60);
	ent[6] = span(text, "Georgia Smith", 0, "PER", 0.90);
	ent[7] = span(text, "Georgia", 2, "PER", 0.60);
	ent[8] = span(text, "France", 0, "LOC", 0.98);

	/* US: LOC 0.61 against ORG 0.55: LOC wins; the changed mentions get
	 * LOC's share of the total (0.61 / 1.16), the LOC keeps its score */
	CHECK(docvote_types(text, ent, 9, &e) == 2);
	CHECK_STR(ent[0].type, "LOC");
	CHECK_STR(ent[1].type, "LOC");
	CHECK_STR(ent[2].type, "LOC");
	CHECK_NEAR(ent[0].score, 0.61, 1e-12);
	CHECK_NEAR(ent[1].score, 0.61 / 1.16, 1e-9);
	CHECK_NEAR(ent[2].score, 0.61 / 1.16, 1e-9);
	/* names with one mention, or one type, are left alone */
	CHECK_STR(ent[3].type, "LOC");
	CHECK_NEAR(ent[3].score, 0.93, 1e-12);
	CHECK_STR(ent[4].type, "PER");
	/* "Georgia Smith" is another text than "Georgia"; Georgia LOC 0.6
	 * against PER 0.6 is a tie */
	CHECK_STR(ent[5].type, "LOC");
	CHECK_STR(ent[6].type, "PER");
	CHECK_STR(ent[7].type, "PER");
	/* a second vote changes nothing more */
	CHECK(docvote_types(text, ent, 9, &e) == 0);
	/* nothing, or one span, to vote on */
	CHECK(docvote_types(text, ent, 0, &e) == 0);
	CHECK(docvote_types(text, ent, 1, &e) == 0);
	/* the vote is by total score, not by count: one sure ORG beats two
	 * unsure LOCs */
	docvote_span b[3];
	b[0] = span(text, "US", 0, "LOC", 0.30);
	b[1] = span(text, "US", 1, "LOC", 0.30);
	b[2] = span(text, "US", 2, "ORG", 0.95);
	CHECK(docvote_types(text, b, 3, &e) == 2);
	CHECK_STR(b[0].type, "ORG");
	CHECK_STR(b[1].type, "ORG");
	CHECK_NEAR(b[2].score, 0.95, 1e-12);
	return t_done();
}
