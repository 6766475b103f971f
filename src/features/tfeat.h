/* tfeat: token features for the sequence tagger.
 *
 * A feature is a named template applied to a token in its sentence, e.g.
 * "lw-1=the" (the lowercased previous word is "the"). Templates are listed
 * in one table (tfeat_template_name(), tfeat_template_doc()); a model
 * records the names of the templates it was trained with, so a model file
 * is self-describing and a file naming an unknown template is refused.
 *
 * Features are produced as 64-bit keys: key = mix(template, hash(value)),
 * computed from per-token hashes without building strings (this is what
 * makes extraction fast; see docs/models.md for the measurement against
 * interning feature strings with dict.h). The same features can be
 * produced as strings ("name=value") for inspection and for exporting to
 * other tools (the CRFsuite benchmark). Keys are stable across runs and
 * machines: FNV-1a over bytes and fixed mixing constants.
 *
 * Besides the words, a token may carry small integer "layers" computed by
 * the caller: gazetteer tags (gaz.h), verb-lexicon classes, entity labels
 * from another tagger, and word-cluster paths. A value of 0 means none. */
#ifndef EVTAG_TFEAT_H
#define EVTAG_TFEAT_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* A token: bytes s[0..len), not NUL-terminated. */
typedef struct tfeat_tok {
	const char *s;
	uint32_t len;
} tfeat_tok;

/* Whether token t is the lowercase ASCII word w (any case in t); whether
 * it is one of the words of the NULL-terminated list ws. */
static inline int tfeat_is_word(const tfeat_tok *t, const char *w)
{
	uint32_t i = 0;

	for (; i < t->len && w[i]; i++) {
		char c = t->s[i];
		if ((c >= 'A' && c <= 'Z' ? (char)(c + 32) : c) != w[i])
			return 0;
	}
	return i == t->len && !w[i];
}

static inline int tfeat_is_any(const tfeat_tok *t, const char *const *ws)
{
	for (; *ws; ws++)
		if (tfeat_is_word(t, *ws))
			return 1;
	return 0;
}

/* The templates. Keep the order: ids are never stored (names are), but
 * they go into the feature keys, so a new template goes at the end. A
 * mask has 64 bits: at most 64 templates. */
enum {
	TF_BIAS, TF_W, TF_WM1, TF_WP1, TF_LW, TF_LWM1, TF_LWP1, TF_LWM2, TF_LWP2,
	TF_PRE, TF_SUF, TF_SHAPE, TF_SSHAPE, TF_SSHAPEM1, TF_SSHAPEP1,
	TF_SSHAPE3, TF_BIM1, TF_BIP1, TF_FLAGS, TF_LEN, TF_SUF3M1, TF_SUF3P1,
	TF_GAZ, TF_GAZM1, TF_GAZP1, TF_GAZ3,
	TF_CL, TF_CLM1, TF_CLP1,
	TF_LEX, TF_LEXM1, TF_LEXP1, TF_VPOS, TF_VDIST,
	TF_ENT, TF_ENTM1, TF_ENTP1, TF_ENT3,
	TF_POS1, TF_LWM3, TF_LWP3, TF_CLM2, TF_CLP2,
	TF_LW_VS, TF_LWM1_VS, TF_LWP1_VS, TF_CL_VS, TF_ENT_VS, TF_SSHAPE_VS,
	TF_GAZ_VS, TF_SUF3_VS, TF_LVL, TF_LVR, TF_NVL,
	TF_VC, TF_VCM1, TF_VCP1, TF_VCM2, TF_VCP2,
	TF_EV_SIDE, TF_EV_W, TF_BYAG,
	TF_DOC,
	TF_NTEMPLATES
};

/* Name of template id ("lw-1"), or NULL if out of range. */
const char *tfeat_template_name(int id);
/* One-line description of template id, or NULL. */
const char *tfeat_template_doc(int id);
/* Id of the template called name[0..n), or -1. */
int tfeat_template_id(const char *name, size_t n);

/* Parses a comma-separated list of template names (or "default",
 * "roles", "all") into a mask of template ids. 0, or ERR_ARG naming the
 * unknown template. */
int tfeat_parse_templates(const char *list, uint64_t *mask, err_t *e);
/* The default masks for entity and role tagging. */
uint64_t tfeat_default_entities(void);
uint64_t tfeat_default_roles(void);

/* Per-token layers (each NULL or [n]; 0 = none). cl[] holds word-cluster
 * paths: bit path in the low 24 bits, path length in the high 8 bits.
 * vc[] holds word-vector cluster ids, vclev of them per token (token i's
 * at vc[i * vclev + l], granularity l), each id + 1, or all 0 for a word
 * the vectors do not have (the "vc" templates then give one "none"). */
#define TFEAT_VC_MAX_LEVELS 4
typedef struct tfeat_layers {
	const uint8_t *gaz;  /* gazetteer tag (gaz.h GAZ_TAG_*) */
	const uint8_t *lex;  /* verb-lexicon class + 1 */
	uint8_t lex_report;  /* the lex value of reporting verbs (STATEMENT), 0 if unknown */
	const uint8_t *ent;  /* entity label id + 1 from another tagger */
	const uint32_t *cl;  /* word cluster path */
	const uint16_t *vc;  /* word-vector cluster ids + 1, [n * vclev] */
	uint32_t vclev;      /* granularities in vc (1..TFEAT_VC_MAX_LEVELS) */
	const uint8_t *doc;  /* document code of the word (tdoc.h tdoc_codes) */
} tfeat_layers;

/* Scratch for one thread: per-token hashes and the output. Reused across
 * calls; tfeat_ws_free() releases it. Zero-initialising is valid. */
typedef struct tfeat_ws {
	uint64_t *h;         /* [5 * cap] per-token hashes */
	uint32_t cap;
	uint64_t *keys;      /* [nkeys] output keys */
	uint32_t *off;       /* [n + 1] token t's keys are keys[off[t]..off[t+1]) */
	size_t nkeys, kcap;
	uint32_t ocap;
	char *str;           /* string mode output, "name=value\0" each */
	size_t slen, scap;
	uint32_t *soff;      /* [nkeys] offsets of strings in str */
	size_t socap;
} tfeat_ws;

void tfeat_ws_free(tfeat_ws *ws);

/* The most keys of one token. */
#define TFEAT_MAX_TOKEN_KEYS 128

/* Extracts the features of the templates in mask for every token of a
 * sentence tok[0..n) with optional layers (may be NULL). Keys land in
 * ws->keys with per-token ranges ws->off. 0 or ERR_NOMEM. */
int tfeat_extract(uint64_t mask, const tfeat_tok *tok, uint32_t n,
		  const tfeat_layers *ly, tfeat_ws *ws);

/* Same features as strings "name=value" (ws->str + ws->soff[k], each
 * NUL-terminated, in the same order as the keys). Slower; for inspection
 * and export. 0 or ERR_NOMEM. */
int tfeat_extract_strings(uint64_t mask, const tfeat_tok *tok, uint32_t n,
			  const tfeat_layers *ly, tfeat_ws *ws);

/* ---- per word, for a tagger that keeps a word's results ----
 *
 * Most templates read one word at a fixed offset from the token: its
 * string and the layers that are functions of the word alone (cl, vc,
 * lex). Their keys are the same for every token that reads that word at
 * that offset, so a tagger may look them up once per distinct word.
 * tfeat_extract_split gives the rest (the context keys) with the places of
 * the word templates' keys among them, and tfeat_word_keys gives a word's
 * keys of each word template: put together they are exactly the keys of
 * tfeat_extract, in its order. */

/* Hashes of one token that extraction works from. */
#define TFEAT_NH 5
void tfeat_token_hashes(const tfeat_tok *t, uint64_t h[TFEAT_NH]);

/* Whether template id is a word template: 1 and *offset the position of
 * the word it reads relative to the token (-3..3), else 0. "flags" is one
 * but for its "initcap@0" key, which extraction gives as a context key
 * just after the rest of the token's flags. */
int tfeat_template_word(int id, int *offset);
/* The distinct offsets the word templates in mask read at, ascending, in
 * off[]; returns their number (0 to TFEAT_WORD_OFFSETS). */
#define TFEAT_WORD_OFFSETS 7
uint32_t tfeat_word_offsets(uint64_t mask, int off[TFEAT_WORD_OFFSETS]);
/* The most keys word template id gives for one word (for a cache's room),
 * with vclev word-vector granularities. */
uint32_t tfeat_word_max_keys(int id, uint32_t vclev);

/* tfeat_extract with the hashes given (h[n * TFEAT_NH], tfeat_token_hashes
 * of each token) and the context keys only: the word templates in mask
 * give none (their keys are the words', tfeat_word_keys); the context
 * keys come in tfeat_extract's order. 0 or ERR_NOMEM. */
int tfeat_extract_split(uint64_t mask, const tfeat_tok *tok, uint32_t n,
			const tfeat_layers *ly, const uint64_t *h, tfeat_ws *ws);

/* The most keys tfeat_word_keys gives. */
#define TFEAT_MAX_WORD_KEYS 80

/* The keys of the word templates in mask that one word gives, into
 * keys[TFEAT_MAX_WORD_KEYS], templates in id order, cnt[id] of them for
 * template id (0 for the others); returns their number. where 0: the word
 * tok[0], its hashes h (tfeat_token_hashes) and its layer values in ly (a
 * one-token sentence: each layer NULL or [1]; which are NULL matters);
 * where -1 or 1: the sentence boundary before or after (tok and h not
 * read; only the templates of negative or positive offset). */
uint32_t tfeat_word_keys(uint64_t mask, const tfeat_tok *tok, const tfeat_layers *ly,
			 const uint64_t *h, int where, uint64_t *keys,
			 uint8_t cnt[TF_NTEMPLATES]);

/* Stable 64-bit hash of bytes (FNV-1a with a final mix). */
uint64_t tfeat_hash(const void *p, size_t n);

#endif
