/* Fuzz target: the gazetteer CSV reader (countries.csv format, RFC 4180
 * quoting); then, on what it built, lookups of fixed texts and of the
 * input's own words, and a save/load round trip. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "features/gaz.h"

static const char *const texts[] = {
	"Russian President Vladimir Putin", "the United States", "Armenia's army",
	"Islamic Republic of Afghanistan", "", "'s", "of of of",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	gaz_t *g = NULL, *g2;
	tfeat_tok tok[64];
	gaz_match m[8];
	uint8_t tags[64];
	uint32_t n = 0;
	buf_t b;
	rd_t r;
	err_t e;

	if (gaz_parse("fuzz.csv", (const char *)data, size, &g, &e) != 0) {
		if (g || !e.msg[0])
			abort(); /* refused: nothing handed out, and a message */
		return 0;
	}
	for (uint32_t i = 0; i < gaz_size(g); i++)
		if (!gaz_entry_code(g, i) || !gaz_entry_country(g, i))
			abort();
	if (gaz_entry_code(g, gaz_size(g)))
		abort();
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		gaz_lookup(g, texts[i], strlen(texts[i]));
	gaz_lookup(g, (const char *)data, size);
	/* the input's words (split on spaces, commas and newlines) as tokens */
	for (size_t i = 0; i < size && n < 64;) {
		while (i < size && strchr(" ,\n\"", data[i]) && data[i])
			i++;
		size_t j = i;
		while (j < size && !(strchr(" ,\n\"", data[j]) && data[j]))
			j++;
		if (j > i) {
			tok[n].s = (const char *)data + i;
			tok[n].len = (uint32_t)(j - i);
			n++;
		}
		i = j;
	}
	if (gaz_find(g, tok, n, m, 8) > n)
		abort();
	gaz_tag(g, tok, n, tags);
	buf_init(&b);
	gaz_save(g, &b);
	if (!b.failed) {
		rd_init(&r, b.data, b.len);
		g2 = gaz_load(&r);
		if (!g2 || gaz_size(g2) != gaz_size(g))
			abort(); /* what was saved loads back */
		gaz_free(g2);
	}
	buf_free(&b);
	gaz_free(g);
	return 0;
}
