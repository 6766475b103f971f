/* Fuzz target: the CAMEO lexicon readers (verbs: FORM CAMEO PLOVER PENTA;
 * patterns: VERB PATTERN CAMEO PLOVER PENTA) and what the sentence
 * features do with the compiled lexicon. The input is the verbs file, or
 * both files split at the first 0xFF byte. The lexicon is then used on
 * fixed sentences and on the input's own text, frozen, saved and loaded. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_util.h"
#include "features/sfeat.h"

static const char *const sents[] = {
	"Police arrested dozens of protesters and accused them of rioting.",
	"The minister said the government would not speed up arms shipments.",
	"Rebels attacked a convoy; the army vowed to retaliate.",
};

static void feed(sfeat_t *s, sfeat_ws *w, tok_doc *d, const char *text, size_t len)
{
	err_t e;

	if (tok_split(d, text, len, 0, 0, &e) < 0)
		return;
	sfeat_ws_reset(w);
	for (uint32_t i = 0; i < d->nsent; i++)
		sfeat_add(s, w, text, d->tok + d->sent[i].first, d->sent[i].n);
	sfeat_observe(s, w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *cut = memchr(data, 0xFF, size);
	size_t nverbs = cut ? (size_t)(cut - data) : size;
	char vpath[80], ppath[80];
	sfeat_opts o = SFEAT_OPTS_DEFAULT;
	sfeat_t *s, *s2;
	sfeat_ws *w;
	tok_doc d;
	sv_t v;
	err_t e;

	if (!fuzz_file(vpath, sizeof(vpath), "lexv", data, nverbs))
		return 0;
	if (cut && !fuzz_file(ppath, sizeof(ppath), "lexp", cut + 1, size - nverbs - 1)) {
		unlink(vpath);
		return 0;
	}
	o.min_df = 1;
	o.lead = 1;
	s = sfeat_new(&o, &e);
	w = sfeat_ws_new();
	tok_doc_init(&d);
	sv_init(&v);
	if (s && w && sfeat_load_lexicon(s, vpath, cut ? ppath : NULL, &e) == 0) {
		for (size_t i = 0; i < sizeof(sents) / sizeof(sents[0]); i++)
			feed(s, w, &d, sents[i], strlen(sents[i]));
		feed(s, w, &d, (const char *)data, nverbs);
		if (sfeat_freeze(s, &e) == 0) {
			buf_t b;
			rd_t r;
			sfeat_text(s, w, sents[0], strlen(sents[0]), &v, &e);
			buf_init(&b);
			sfeat_save(s, &b);
			rd_init(&r, b.data, b.len);
			s2 = b.failed ? NULL : sfeat_load(&r, &e);
			if (!b.failed && !s2)
				abort(); /* what was saved loads back */
			if (s2 && sfeat_dim(s2) != sfeat_dim(s))
				abort();
			sfeat_free(s2);
			buf_free(&b);
		}
	}
	sv_free(&v);
	tok_doc_free(&d);
	sfeat_ws_free(w);
	sfeat_free(s);
	unlink(vpath);
	if (cut)
		unlink(ppath);
	return 0;
}
