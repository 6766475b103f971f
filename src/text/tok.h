/* tok: sentence splitting and tokenization of news text, with byte and
 * character (Unicode code point) offsets into the original text.
 *
 * Tokens follow the CoNLL-style tokens of the training corpora:
 * punctuation split off, possessive 's and n't split, hyphenated names
 * (Nagorno-Karabakh), abbreviations (U.S.), numbers (1,000 3.5) and dates
 * (2020-10-09) kept whole. Slicing the text by a token's offsets gives the
 * token back exactly. */
#ifndef EVTAG_TOK_H
#define EVTAG_TOK_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

typedef struct tok_token {
	uint32_t start, end;   /* byte offsets [start, end) into the text */
	uint32_t cstart, cend; /* code point offsets [cstart, cend) */
} tok_token;

typedef struct tok_sent {
	uint32_t start, end;   /* bytes: from its first token to its last */
	uint32_t cstart, cend; /* code points */
	uint32_t first, n;     /* its tokens are tok[first .. first+n) */
} tok_sent;

typedef struct tok_doc {
	tok_token *tok;  /* [ntok] */
	uint32_t ntok, cap_tok;
	tok_sent *sent;  /* [nsent] */
	uint32_t nsent, cap_sent;
} tok_doc;

enum {
	TOK_ONE_SENTENCE = 1 /* tokenize only: the whole text is one sentence */
};

/* Without TOK_ONE_SENTENCE, a sentence ends after this many tokens at the
 * latest. News sentences are far shorter (the longest in the GMB corpus
 * has 81 tokens); what runs longer is a table, a list or text without
 * stops, and cutting it keeps every later stage's memory bounded. */
#define TOK_MAX_SENT_TOKENS 1000

/* Zero-initialising a tok_doc is the same as tok_doc_init(). */
void tok_doc_init(tok_doc *d);
/* Frees d's arrays; d can be reused after tok_doc_init(). */
void tok_doc_free(tok_doc *d);

/* Splits text[from..len) into sentences and tokens, replacing d's
 * contents (memory is reused between calls). Offsets count from text[0],
 * so a date prefix before `from` keeps article offsets. The text must be
 * valid UTF-8: otherwise ERR_UTF8 with "byte N: invalid UTF-8" in e.
 * Texts of 4 GiB or more are refused (ERR_ARG). NUL bytes are treated as
 * whitespace. flags: 0 or TOK_ONE_SENTENCE. A start offset inside a UTF-8
 * sequence is ERR_ARG. */
int tok_split(tok_doc *d, const char *text, size_t len, size_t from,
	      int flags, err_t *e);

#endif
