/* tdoc: what a document says about its words, for the tagger's "doc"
 * template.
 *
 * A name is spelled with a capital wherever it occurs, a common word only
 * where a sentence or a headline begins. A tdoc collects, for every word of
 * one document (lowercased, ASCII), how often it occurs in lower case, how
 * often with a capital inside a sentence that has lower-case words (not at
 * its start, not in a headline in capitals), and how often at all. For a
 * capitalised token of a sentence of that document, tdoc_codes() then
 * gives a small code: the token's own form (initial capital or all
 * capitals) and whether the same word occurs elsewhere in the document in
 * lower case, with a capital inside a sentence, or at all; the token's own
 * occurrence is not counted. So "JAPAN" in a headline learns from "Japan"
 * in the text below it, and "Rain" at a sentence start from "rain".
 *
 * A document is what the caller says it is: a CoNLL -DOCSTART- block, an
 * article. The codes depend only on the document's tokens, never on
 * labels. A tdoc is built once and is then read-only (threads may share
 * it). */
#ifndef EVTAG_TDOC_H
#define EVTAG_TDOC_H

#include <stdint.h>

#include "features/tfeat.h"

typedef struct tdoc tdoc_t;

/* A new, empty document; NULL if out of memory. tdoc_free(NULL) is a
 * no-op. */
tdoc_t *tdoc_new(void);
void tdoc_free(tdoc_t *d);
/* Forgets every word (to reuse d for the next document). */
void tdoc_clear(tdoc_t *d);

/* Counts the words of one sentence tok[0..n) of the document. 0 or
 * ERR_NOMEM (d then counts part of the sentence). */
int tdoc_add(tdoc_t *d, const tfeat_tok *tok, uint32_t n);

/* Writes the code of each token of a sentence tok[0..n) of the document
 * (one counted with tdoc_add) into codes[n]: 0 for a token without a capital letter first
 * (lower case, digits, punctuation) or a single letter, else
 * 1 + form * 8 + elsewhere, form 0 for an initial capital, 1 for all
 * capitals, elsewhere the bits 1 lower case, 2 capitalised inside a
 * sentence, 4 at all (the token's own occurrence left out). A NULL d is
 * an empty document. */
void tdoc_codes(const tdoc_t *d, const tfeat_tok *tok, uint32_t n, uint8_t *codes);

#endif
