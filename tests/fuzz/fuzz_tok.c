/* Fuzz target: the sentence splitter and tokenizer. On any input that is
 * valid UTF-8, every token and sentence lies in bounds, tokens are
 * ordered and non-empty, sentences cover their tokens, and code point
 * offsets agree with byte offsets. Invalid UTF-8 must be refused. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text/tok.h"
#include "base/utf8.h"

/* cp[i] = number of code points in s[0..i). */
static uint32_t *cp_prefix(const uint8_t *s, size_t n)
{
	uint32_t *cp = malloc((n + 1) * sizeof(*cp));

	if (!cp)
		return NULL;
	cp[0] = 0;
	for (size_t i = 0; i < n; i++)
		cp[i + 1] = cp[i] + ((s[i] & 0xc0) != 0x80);
	return cp;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tok_doc d;
	err_t e;
	int rc;
	size_t from = size ? data[0] % 8 : 0;

	if (from > size)
		from = size;
	uint32_t *cp = cp_prefix(data, size);

	if (!cp)
		return 0;
	tok_doc_init(&d);
	for (int flags = 0; flags <= TOK_ONE_SENTENCE; flags++) {
		rc = tok_split(&d, (const char *)data, size, from, flags, &e);
		if (rc != 0)
			continue;
		for (uint32_t i = 0; i < d.ntok; i++) {
			const tok_token *t = &d.tok[i];
			if (t->start < from || t->end > size || t->start >= t->end)
				abort();
			if (i > 0 && t->start < d.tok[i - 1].end)
				abort();
			if (t->cstart != cp[t->start] || t->cend != cp[t->end])
				abort();
		}
		for (uint32_t s = 0; s < d.nsent; s++) {
			const tok_sent *st = &d.sent[s];
			if ((uint64_t)st->first + st->n > d.ntok || st->n == 0)
				abort();
			if (st->start != d.tok[st->first].start ||
			    st->end != d.tok[st->first + st->n - 1].end)
				abort();
			if (s > 0 && st->first != d.sent[s - 1].first + d.sent[s - 1].n)
				abort();
		}
		if (d.nsent && d.sent[d.nsent - 1].first + d.sent[d.nsent - 1].n != d.ntok)
			abort();
		if (flags == TOK_ONE_SENTENCE && d.nsent > 1)
			abort();
	}
	tok_doc_free(&d);
	free(cp);
	return 0;
}
