/* docvote: one entity type per name within an article.
 *
 * The entity tagger decides each sentence alone, so the same name can be
 * an ORG in one sentence and a LOC in the next ("US"). docvote_types makes
 * the mentions of a name agree: every entity span whose text is the same
 * (byte for byte) takes the type with the highest total tagger score over
 * the article's mentions of that text. The country needs no vote: it
 * comes from the text (the gazetteer), so the same text has the same one. */
#ifndef EVTAG_DOCVOTE_H
#define EVTAG_DOCVOTE_H

#include <stdint.h>

#include "base/err.h"

/* One entity mention: bytes [start, end) of the article text, its type
 * (a string owned elsewhere, compared by content; NULL counts as a type
 * that never wins) and its score. */
typedef struct docvote_span {
	uint32_t start, end;
	const char *type;
	double score;
} docvote_span;

/* Votes over the entity mentions ent[0..n) of one article, whose offsets
 * are bytes into text: in each group of spans with the same text, the type
 * whose scores sum highest wins (a tie for the top changes nothing), and
 * each span of another type takes it, with the winner's share of the
 * group's total score as its score. Spans of the winning type keep theirs.
 * Returns the number of spans changed, or ERR_NOMEM with e set (ent is
 * then unchanged). */
int docvote_types(const char *text, docvote_span *ent, uint32_t n, err_t *e);

#endif
