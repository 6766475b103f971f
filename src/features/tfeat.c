#include "features/tfeat.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/dict.h"

typedef struct tpl_info {
	const char *name;
	const char *doc;
} tpl_info;

static const tpl_info templates[TF_NTEMPLATES] = {
	[TF_BIAS] = { "bias", "constant feature (per-label bias)" },
	[TF_W] = { "w", "the word, exact case" },
	[TF_WM1] = { "w-1", "previous word, exact case" },
	[TF_WP1] = { "w+1", "next word, exact case" },
	[TF_LW] = { "lw", "the word lowercased (ASCII)" },
	[TF_LWM1] = { "lw-1", "previous word lowercased" },
	[TF_LWP1] = { "lw+1", "next word lowercased" },
	[TF_LWM2] = { "lw-2", "word two before, lowercased" },
	[TF_LWP2] = { "lw+2", "word two after, lowercased" },
	[TF_PRE] = { "pre", "prefixes of 1 to 4 characters" },
	[TF_SUF] = { "suf", "suffixes of 1 to 5 characters" },
	[TF_SHAPE] = { "shape", "word shape: X upper, x lower, d digit, other kept (first 16)" },
	[TF_SSHAPE] = { "sshape", "short shape: the shape with repeats collapsed (Xx, d.d)" },
	[TF_SSHAPEM1] = { "sshape-1", "short shape of the previous word" },
	[TF_SSHAPEP1] = { "sshape+1", "short shape of the next word" },
	[TF_SSHAPE3] = { "sshape3", "short shapes of previous, this and next word" },
	[TF_BIM1] = { "bi-1", "lowercased previous word and this word" },
	[TF_BIP1] = { "bi+1", "lowercased this word and the next word" },
	[TF_FLAGS] = { "flags", "initcap, allcap, mixcap, hasdigit, alldigit, hyphen, period, punct, initcap at sentence start" },
	[TF_LEN] = { "len", "length bucket: 1, 2, 3, 4, 5-7, 8+ characters" },
	[TF_SUF3M1] = { "suf3-1", "3-character suffix of the previous word" },
	[TF_SUF3P1] = { "suf3+1", "3-character suffix of the next word" },
	[TF_GAZ] = { "gaz", "gazetteer tag of the word (B/I of a country name or other name)" },
	[TF_GAZM1] = { "gaz-1", "gazetteer tag of the previous word" },
	[TF_GAZP1] = { "gaz+1", "gazetteer tag of the next word" },
	[TF_GAZ3] = { "gaz3", "gazetteer tags of previous, this and next word" },
	[TF_CL] = { "cl", "word cluster path prefixes (4, 8, 12 bits, full)" },
	[TF_CLM1] = { "cl-1", "cluster path prefixes of the previous word" },
	[TF_CLP1] = { "cl+1", "cluster path prefixes of the next word" },
	[TF_LEX] = { "lex", "verb-lexicon class of the word (PentaClass)" },
	[TF_LEXM1] = { "lex-1", "verb-lexicon class of the previous word" },
	[TF_LEXP1] = { "lex+1", "verb-lexicon class of the next word" },
	[TF_VPOS] = { "vpos", "before, at or after the sentence's first lexicon verb (or none)" },
	[TF_VDIST] = { "vdist", "signed distance bucket to the nearest lexicon verb, with its class" },
	[TF_ENT] = { "ent", "entity label from the entity tagger" },
	[TF_ENTM1] = { "ent-1", "entity label of the previous word" },
	[TF_ENTP1] = { "ent+1", "entity label of the next word" },
	[TF_ENT3] = { "ent3", "entity labels of previous, this and next word" },
	[TF_POS1] = { "pos", "first or last token of the sentence" },
	[TF_LWM3] = { "lw-3", "word three before, lowercased" },
	[TF_LWP3] = { "lw+3", "word three after, lowercased" },
	[TF_CLM2] = { "cl-2", "cluster path prefixes two words before" },
	[TF_CLP2] = { "cl+2", "cluster path prefixes two words after" },
	[TF_LW_VS] = { "lw.vside", "lowercased word and its side of the first lexicon verb (before, at, after, none)" },
	[TF_LWM1_VS] = { "lw-1.vside", "previous word lowercased and the side of the first lexicon verb" },
	[TF_LWP1_VS] = { "lw+1.vside", "next word lowercased and the side of the first lexicon verb" },
	[TF_CL_VS] = { "cl.vside", "cluster path prefixes and the side of the first lexicon verb" },
	[TF_ENT_VS] = { "ent.vside", "entity label and the side of the first lexicon verb" },
	[TF_SSHAPE_VS] = { "sshape.vside", "short shape and the side of the first lexicon verb" },
	[TF_GAZ_VS] = { "gaz.vside", "gazetteer tag and the side of the first lexicon verb" },
	[TF_SUF3_VS] = { "suf3.vside", "3-character suffix and the side of the first lexicon verb" },
	[TF_LVL] = { "lvl", "nearest lexicon verb to the left: the verb (lowercased) and a distance bucket; and the verb alone" },
	[TF_LVR] = { "lvr", "nearest lexicon verb to the right: the verb (lowercased) and a distance bucket; and the verb alone" },
	[TF_NVL] = { "nvl", "number of lexicon verbs to the left (0, 1, 2, 3+)" },
	[TF_VC] = { "vc", "word-vector (GloVe) cluster id at each granularity, or none" },
	[TF_VCM1] = { "vc-1", "word-vector cluster ids of the previous word" },
	[TF_VCP1] = { "vc+1", "word-vector cluster ids of the next word" },
	[TF_VCM2] = { "vc-2", "word-vector cluster ids two words before" },
	[TF_VCP2] = { "vc+2", "word-vector cluster ids two words after" },
	[TF_EV_SIDE] = { "ev.side", "side of the event verb (the first lexicon verb that is not a reporting verb, else the first) and whether it is passive" },
	[TF_EV_W] = { "ev.w", "the event verb (lowercased) and the word's side of it" },
	[TF_BYAG] = { "byagent", "in a 'by' phrase just after a lexicon verb (the passive agent): distance from 'by' and the verb's voice" },
	[TF_DOC] = { "doc", "document codes of the word and of its neighbours: a capitalised word's form and whether the document has it elsewhere in lower case, capitalised inside a sentence, or at all" },
};

const char *tfeat_template_name(int id)
{
	return id >= 0 && id < TF_NTEMPLATES ? templates[id].name : NULL;
}

const char *tfeat_template_doc(int id)
{
	return id >= 0 && id < TF_NTEMPLATES ? templates[id].doc : NULL;
}

int tfeat_template_id(const char *name, size_t n)
{
	for (int i = 0; i < TF_NTEMPLATES; i++)
		if (strlen(templates[i].name) == n &&
		    memcmp(templates[i].name, name, n) == 0)
			return i;
	return -1;
}

#define BIT(x) ((uint64_t)1 << (x))

uint64_t tfeat_default_entities(void)
{
	return BIT(TF_BIAS) | BIT(TF_W) | BIT(TF_WM1) | BIT(TF_WP1) |
	       BIT(TF_LW) | BIT(TF_LWM1) | BIT(TF_LWP1) | BIT(TF_LWM2) |
	       BIT(TF_LWP2) | BIT(TF_PRE) | BIT(TF_SUF) | BIT(TF_SHAPE) |
	       BIT(TF_SSHAPE) | BIT(TF_SSHAPEM1) | BIT(TF_SSHAPEP1) |
	       BIT(TF_SSHAPE3) | BIT(TF_BIM1) | BIT(TF_BIP1) | BIT(TF_FLAGS) |
	       BIT(TF_LEN) | BIT(TF_SUF3M1) | BIT(TF_SUF3P1) | BIT(TF_GAZ) |
	       BIT(TF_GAZM1) | BIT(TF_GAZP1) | BIT(TF_POS1) | BIT(TF_CL) |
	       BIT(TF_CLM1) | BIT(TF_CLP1);
}

uint64_t tfeat_default_roles(void)
{
	return tfeat_default_entities() | BIT(TF_LEX) | BIT(TF_LEXM1) |
	       BIT(TF_LEXP1) | BIT(TF_VPOS) | BIT(TF_VDIST) | BIT(TF_GAZ3) |
	       BIT(TF_LW_VS) | BIT(TF_LWM1_VS) | BIT(TF_LWP1_VS) | BIT(TF_CL_VS) |
	       BIT(TF_SSHAPE_VS) | BIT(TF_GAZ_VS) | BIT(TF_SUF3_VS);
}

int tfeat_parse_templates(const char *list, uint64_t *mask, err_t *e)
{
	const char *p = list;

	*mask = 0;
	while (*p) {
		const char *q = strchr(p, ',');
		size_t n = q ? (size_t)(q - p) : strlen(p);
		int id;
		if (n == 7 && memcmp(p, "default", 7) == 0)
			*mask |= tfeat_default_entities();
		else if (n == 5 && memcmp(p, "roles", 5) == 0)
			*mask |= tfeat_default_roles();
		else if (n == 3 && memcmp(p, "all", 3) == 0)
			*mask |= TF_NTEMPLATES >= 64 ? ~(uint64_t)0 : BIT(TF_NTEMPLATES) - 1;
		else if (n > 1 && p[0] == '-' &&
			 (id = tfeat_template_id(p + 1, n - 1)) >= 0)
			*mask &= ~BIT(id);
		else if ((id = tfeat_template_id(p, n)) >= 0)
			*mask |= BIT(id);
		else if (n > 0)
			return err_set(e, ERR_ARG, "unknown feature template '%.*s'",
				       (int)(n > 60 ? 60 : n), p);
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* ---- hashing ---- */

#define FNV_OFF 1469598103934665603ULL
#define FNV_PRIME 1099511628211ULL

uint64_t tfeat_hash(const void *p, size_t n)
{
	return dict_hash(p, n);
}

static inline uint64_t key_of(int tpl, uint64_t vh)
{
	return dict_mix(vh + (uint64_t)(tpl + 1) * 0x9E3779B97F4A7C15ULL);
}

static inline uint64_t pair(uint64_t a, uint64_t b)
{
	return dict_mix(a * 0xC2B2AE3D27D4EB4FULL + b);
}

static inline uint64_t small(uint64_t v)
{
	return dict_mix(v + 0x165667B19E3779F9ULL);
}

/* Values of sentence boundaries for word-like templates. */
#define H_BOS 0x5bd1e9955bd1e995ULL
#define H_EOS 0x27d4eb2f165667c5ULL

/* ---- per-token analysis ---- */

static inline char lc(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

/* Shape character of a byte, or 0 to skip (UTF-8 continuation). */
static inline char shape_char(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return 'X';
	if (c >= 'a' && c <= 'z')
		return 'x';
	if (c >= '0' && c <= '9')
		return 'd';
	if (c >= 0xC0)
		return 'x'; /* a non-ASCII character: mostly letters */
	if (c >= 0x80)
		return 0;
	return (char)c;
}

#define SHAPE_MAX 16

/* Writes the shape (first SHAPE_MAX characters) and the short shape of
 * s[0..n); returns their lengths. */
static void shapes(const char *s, uint32_t n, char *shp, uint32_t *ns,
		   char *ssh, uint32_t *nss)
{
	uint32_t a = 0, b = 0;

	for (uint32_t i = 0; i < n; i++) {
		char c = shape_char((unsigned char)s[i]);
		if (!c)
			continue;
		if (a < SHAPE_MAX)
			shp[a++] = c;
		if (b == 0 || ssh[b - 1] != c) {
			if (b < SHAPE_MAX)
				ssh[b++] = c;
		}
	}
	*ns = a;
	*nss = b;
}

enum { HW, HLW, HSS, HSUF3, HSHAPE, NH };
_Static_assert(NH == TFEAT_NH, "TFEAT_NH is the number of per-token hashes");

/* Start of the last k characters of s[0..n) (UTF-8 aware), or -1. */
static int64_t suffix_start(const char *s, uint32_t n, int k)
{
	int64_t i = n;
	while (k > 0 && i > 0) {
		i--;
		while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
			i--;
		k--;
	}
	return k == 0 ? i : -1;
}

void tfeat_token_hashes(const tfeat_tok *t, uint64_t h[TFEAT_NH])
{
	uint64_t hw = FNV_OFF, hl = FNV_OFF;
	char shp[SHAPE_MAX], ssh[SHAPE_MAX];
	uint32_t ns, nss;

	for (uint32_t i = 0; i < t->len; i++) {
		hw = (hw ^ (unsigned char)t->s[i]) * FNV_PRIME;
		hl = (hl ^ (unsigned char)lc(t->s[i])) * FNV_PRIME;
	}
	h[HW] = dict_mix(hw);
	h[HLW] = dict_mix(hl);
	shapes(t->s, t->len, shp, &ns, ssh, &nss);
	h[HSHAPE] = tfeat_hash(shp, ns);
	h[HSS] = tfeat_hash(ssh, nss);
	int64_t st = suffix_start(t->s, t->len, 3);
	if (st < 0)
		st = 0;
	uint64_t hs = FNV_OFF;
	for (uint32_t i = (uint32_t)st; i < t->len; i++)
		hs = (hs ^ (unsigned char)lc(t->s[i])) * FNV_PRIME;
	h[HSUF3] = dict_mix(hs);
}

/* ---- output ---- */

/* The output of one token, counted in a local (of a type that the key
 * stores cannot alias, so that it can stay in a register); ws->nkeys is
 * brought up to date after each token. */
typedef struct out {
	tfeat_ws *ws;
	uint64_t *keys;       /* ws->keys */
	uint32_t n;           /* keys so far */
	int strings;
	int split;            /* word templates give nothing (tfeat_extract_split) */
	int fail;
	char *tmp;            /* [TF_TMP] value being built in string mode */
} out_t;

/* Bytes of out_t's tmp. It is outside out_t, and put_str is not given
 * the out_t, so that no pointer to it escapes: the compiler then keeps
 * its fields in registers and folds the mode tests away. */
#define TF_TMP 512

/* Room for need keys. */
static int reserve_keys(tfeat_ws *ws, size_t need)
{
	if (need <= ws->kcap)
		return 0;
	size_t nc = ws->kcap ? ws->kcap : 1024;
	while (nc < need)
		nc *= 2;
	uint64_t *tmp = realloc(ws->keys, nc * sizeof(*tmp));
	if (!tmp)
		return ERR_NOMEM;
	ws->keys = tmp;
	ws->kcap = nc;
	return 0;
}

/* TFEAT_MAX_TOKEN_KEYS (tfeat.h), the most keys one token can produce
 * (all templates on): bias 1, words 10, prefixes 4, suffixes 5, shapes 5,
 * bigrams 2, flags 9, length 1, suf3 2, position 2, gazetteer 5, clusters
 * 24, lexicon 3, verb side 6, lvl/lvr/nvl 5, vdist 1, entities 5, event
 * verb 3, vector clusters 20 (5 templates, 4 levels), document 3: 116.
 * Room for this many is made before each token, so that storing a key
 * needs no check. */

static inline void put_key(out_t *o, uint64_t key)
{
	o->keys[o->n++] = key;
}

/* String mode: appends "name=value" and its key. */
/* Stores key n's string (template tpl's name, '=', v[0..vn)); the caller
 * then stores the key. 0, or -1 when out of memory. */
static int put_str(tfeat_ws *ws, int tpl, const char *v, size_t vn, uint32_t n)
{
	const char *name = templates[tpl].name;
	size_t nn = strlen(name), need = ws->slen + nn + 1 + vn + 1;

	if (need > ws->scap) {
		size_t nc = ws->scap ? ws->scap : 4096;
		while (nc < need)
			nc *= 2;
		char *tmp = realloc(ws->str, nc);
		if (!tmp)
			return -1;
		ws->str = tmp;
		ws->scap = nc;
	}
	if ((size_t)n + 1 > ws->socap) {
		size_t nc = ws->socap ? ws->socap * 2 : 1024;
		uint32_t *tmp = realloc(ws->soff, nc * sizeof(*tmp));
		if (!tmp)
			return -1;
		ws->soff = tmp;
		ws->socap = nc;
	}
	ws->soff[n] = (uint32_t)ws->slen;
	memcpy(ws->str + ws->slen, name, nn);
	ws->str[ws->slen + nn] = '=';
	memcpy(ws->str + ws->slen + nn + 1, v, vn);
	ws->str[ws->slen + nn + 1 + vn] = '\0';
	ws->slen = need;
	return 0;
}

/* Emits template tpl with value hash vh; in string mode, the value is
 * printed by the caller into o->tmp (vn bytes). */
#define EMIT(tpl, vh, ...)                                                   \
	do {                                                                 \
		uint64_t k_ = key_of((tpl), (vh));                            \
		if (o->strings) {                                             \
			int vn_ = snprintf(o->tmp, TF_TMP, __VA_ARGS__);      \
			if (vn_ < 0)                                          \
				vn_ = 0;                                      \
			if ((size_t)vn_ >= TF_TMP)                            \
				vn_ = TF_TMP - 1;                             \
			if (put_str(o->ws, (tpl), o->tmp, (size_t)vn_, o->n)) \
				o->fail = 1;                                  \
			else                                                  \
				put_key(o, k_);                               \
		} else {                                                      \
			put_key(o, k_);                                       \
		}                                                             \
	} while (0)

/* String helpers for the string mode (bounded copies into small buffers). */
typedef struct sbuf {
	char s[80];
} sbuf;

static const char *s_word(const tfeat_tok *tok, uint32_t n, int64_t i, sbuf *b)
{
	if (i < 0)
		return "<s>";
	if (i >= n)
		return "</s>";
	uint32_t l = tok[i].len < sizeof(b->s) - 1 ? tok[i].len : sizeof(b->s) - 1;
	memcpy(b->s, tok[i].s, l);
	b->s[l] = '\0';
	for (uint32_t k = 0; k < l; k++)
		if (b->s[k] == '\0')
			b->s[k] = ' ';
	return b->s;
}

static const char *s_lower(const tfeat_tok *tok, uint32_t n, int64_t i, sbuf *b)
{
	const char *w = s_word(tok, n, i, b);
	if (w != b->s)
		return w;
	for (char *p = b->s; *p; p++)
		*p = lc(*p);
	return b->s;
}

static const char *s_shape(const tfeat_tok *tok, uint32_t n, int64_t i,
			   int full, sbuf *b)
{
	char shp[SHAPE_MAX], ssh[SHAPE_MAX];
	uint32_t ns, nss;

	if (i < 0)
		return "<s>";
	if (i >= n)
		return "</s>";
	shapes(tok[i].s, tok[i].len, shp, &ns, ssh, &nss);
	if (full) {
		memcpy(b->s, shp, ns);
		b->s[ns] = '\0';
	} else {
		memcpy(b->s, ssh, nss);
		b->s[nss] = '\0';
	}
	return b->s;
}

static const char *s_suf3(const tfeat_tok *tok, uint32_t n, int64_t i, sbuf *b)
{
	const char *w = s_lower(tok, n, i, b);
	if (w != b->s)
		return w;
	int64_t st = suffix_start(tok[i].s, tok[i].len, 3);
	size_t l = strlen(b->s);
	if (st < 0 || (size_t)st > l)
		st = 0;
	return b->s + st;
}

/* ---- flags ---- */

enum {
	FL_INITCAP = 1, FL_ALLCAP = 2, FL_MIXCAP = 4, FL_HASDIGIT = 8,
	FL_ALLDIGIT = 16, FL_HYPHEN = 32, FL_PERIOD = 64, FL_PUNCT = 128,
	FL_INITCAP0 = 256
};
static const char *const flag_names[] = {
	"initcap", "allcap", "mixcap", "hasdigit", "alldigit", "hyphen",
	"period", "punct", "initcap@0"
};

static unsigned token_flags(const tfeat_tok *t, uint32_t pos)
{
	unsigned up = 0, low = 0, dig = 0, alnum = 0, f = 0;

	for (uint32_t i = 0; i < t->len; i++) {
		unsigned char c = (unsigned char)t->s[i];
		if (c >= 'A' && c <= 'Z') {
			up++;
			alnum++;
		} else if ((c >= 'a' && c <= 'z') || c >= 0x80) {
			low++;
			alnum++;
		} else if (c >= '0' && c <= '9') {
			dig++;
			alnum++;
		} else if (c == '-') {
			f |= FL_HYPHEN;
		} else if (c == '.') {
			f |= FL_PERIOD;
		}
	}
	if (t->len && t->s[0] >= 'A' && t->s[0] <= 'Z') {
		f |= FL_INITCAP;
		if (pos == 0)
			f |= FL_INITCAP0;
	}
	if (up && !low)
		f |= FL_ALLCAP;
	if (up > 1 && low && !(f & FL_ALLCAP))
		f |= FL_MIXCAP;
	if (dig)
		f |= FL_HASDIGIT;
	if (dig && dig == t->len)
		f |= FL_ALLDIGIT;
	if (t->len && !alnum)
		f |= FL_PUNCT;
	return f;
}

static int len_bucket(const tfeat_tok *t)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < t->len; i++)
		if (((unsigned char)t->s[i] & 0xC0) != 0x80)
			n++;
	return n <= 4 ? (int)n : n <= 7 ? 5 : 8;
}

/* ---- the extraction ---- */

static int reserve_tokens(tfeat_ws *ws, uint32_t n)
{
	if (n + 1 > ws->ocap) {
		uint32_t nc = ws->ocap ? ws->ocap : 64;
		while (nc < n + 1)
			nc *= 2;
		uint32_t *o = realloc(ws->off, (size_t)nc * sizeof(*o));
		if (!o)
			return ERR_NOMEM;
		ws->off = o;
		ws->ocap = nc;
	}
	if (n > ws->cap) {
		uint32_t nc = ws->cap ? ws->cap : 64;
		while (nc < n)
			nc *= 2;
		uint64_t *h = realloc(ws->h, (size_t)nc * NH * sizeof(*h));
		if (!h)
			return ERR_NOMEM;
		ws->h = h;
		ws->cap = nc;
	}
	return 0;
}

static const char *const side_names[] = { "none", "before", "at", "after" };

/* Both modes of extraction are compiled from one source: forced inlining
 * gives the key mode (tagging) its own copy without the string branches. */
#if defined(__GNUC__)
#define TF_INLINE inline __attribute__((always_inline))
#else
#define TF_INLINE inline
#endif

/* side: -1 for plain cluster features, else 0..3 (conjoined with it). */
static TF_INLINE void emit_cluster(out_t *o, int tpl, uint32_t cl, int side)
{
	static const int lens[] = { 4, 8, 12, 24 };
	uint32_t plen = cl >> 24, path = cl & 0xFFFFFFu;
	uint64_t sh = side < 0 ? 0 : small(100 + (uint64_t)side);
	const char *sn = side < 0 ? "" : side_names[side];

	if (!cl) {
		EMIT(tpl, small(0) ^ sh, "none%s%s", side < 0 ? "" : "|", sn);
		return;
	}
	for (int k = 0; k < 4; k++) {
		uint32_t l = (uint32_t)lens[k] < plen ? (uint32_t)lens[k] : plen;
		uint32_t pre = l ? path >> (plen - l) : 0;
		EMIT(tpl, small(((uint64_t)l << 32) | pre) ^ sh, "%u:%x%s%s", l, pre,
		     side < 0 ? "" : "|", sn);
		if (l == plen)
			break;
	}
}

/* Word-vector cluster ids of token i (tokens outside the sentence: one
 * boundary value), one key per granularity, or one "none". */
static TF_INLINE void emit_vc(out_t *o, int tpl, const tfeat_layers *ly,
			      int64_t i, uint32_t n)
{
	if (i < 0 || i >= (int64_t)n) {
		EMIT(tpl, i < 0 ? H_BOS : H_EOS, "%s", i < 0 ? "<s>" : "</s>");
		return;
	}
	const uint16_t *v = ly->vc + (size_t)i * ly->vclev;
	if (!v[0]) {
		EMIT(tpl, small(0xFFFFFFFFull), "none");
		return;
	}
	uint32_t nl = ly->vclev < TFEAT_VC_MAX_LEVELS ? ly->vclev : TFEAT_VC_MAX_LEVELS;
	for (uint32_t l = 0; l < nl; l++)
		EMIT(tpl, small(((uint64_t)(l + 1) << 32) | v[l]), "%u:%u", l,
		     (unsigned)v[l] - 1);
}

static const char *dist_name(int d)
{
	static const char *const names[] = { "<-5", "-5..-3", "-2", "-1", "0",
					     "+1", "+2", "+3..+5", ">+5" };
	int b = d < -5 ? 0 : d < -2 ? 1 : d == -2 ? 2 : d == -1 ? 3 : d == 0 ? 4 :
		d == 1 ? 5 : d == 2 ? 6 : d <= 5 ? 7 : 8;
	return names[b];
}

static int dist_bucket(int d)
{
	return d < -5 ? 0 : d < -2 ? 1 : d == -2 ? 2 : d == -1 ? 3 : d == 0 ? 4 :
	       d == 1 ? 5 : d == 2 ? 6 : d <= 5 ? 7 : 8;
}


/* ---- the event verb, its voice and its passive agent ---- */

/* Whether the verb at v is passive: a form of "be" (or "get") one or two
 * tokens before it, with at most an adverb between, and the verb not an
 * -ing form ("was killed", "were not arrested", "has been reportedly
 * detained"). */
static int passive_at(const tfeat_tok *tok, uint32_t v)
{
	static const char *const be[] = { "is", "are", "was", "were", "be", "been",
					  "being", "get", "gets", "got", "gotten", NULL };
	static const char *const adv[] = { "not", "also", "reportedly", "allegedly",
					   "n't", "later", "then", "again", NULL };
	const tfeat_tok *t = &tok[v];

	if (t->len >= 3 && lc(t->s[t->len - 3]) == 'i' && lc(t->s[t->len - 2]) == 'n' &&
	    lc(t->s[t->len - 1]) == 'g')
		return 0;
	for (uint32_t k = 1; k <= 3 && k <= v; k++) {
		const tfeat_tok *p = &tok[v - k];
		if (tfeat_is_any(p, be))
			return 1;
		int ly = p->len > 2 && p->s[p->len - 2] == 'l' && p->s[p->len - 1] == 'y';
		if (!tfeat_is_any(p, adv) && !ly)
			return 0;
	}
	return 0;
}

/* The event verb of a sentence: the first lexicon verb that is not a
 * reporting verb (lex value report), else the first lexicon verb; -1 if
 * none. */
static int64_t event_verb(const uint8_t *lex, uint32_t n, uint8_t report)
{
	int64_t first = -1;

	for (uint32_t i = 0; i < n; i++)
		if (lex[i]) {
			if (first < 0)
				first = i;
			if (!report || lex[i] != report)
				return i;
		}
	return first;
}

/* If token i is in a "by" phrase that follows a lexicon verb within three
 * tokens ("were killed by Taliban militants"), its distance from "by"
 * (1, 2, 3 for 3 or more) and *pass the verb's voice; else 0. The phrase
 * runs at most five tokens and stops at a comma or another lexicon verb. */
static int by_agent(const tfeat_tok *tok, const uint8_t *lex, uint32_t i, int *pass)
{
	for (uint32_t d = 1; d <= 5 && d <= i; d++) {
		uint32_t b = i - d;
		const tfeat_tok *t = &tok[b];
		if (lex[b] || (t->len == 1 && (t->s[0] == ',' || t->s[0] == ';')))
			return 0;
		if (!tfeat_is_word(t, "by"))
			continue;
		for (uint32_t k = 1; k <= 3 && k <= b; k++)
			if (lex[b - k]) {
				*pass = passive_at(tok, b - k);
				return d < 3 ? (int)d : 3;
			}
		return 0;
	}
	return 0;
}

/* ---- word templates ---- */

/* The offset of each word template from the token it serves; 0 also for
 * the templates read at the token itself. */
static const int8_t word_offset[TF_NTEMPLATES] = {
	[TF_WM1] = -1, [TF_WP1] = 1, [TF_LWM1] = -1, [TF_LWP1] = 1,
	[TF_LWM2] = -2, [TF_LWP2] = 2, [TF_LWM3] = -3, [TF_LWP3] = 3,
	[TF_SSHAPEM1] = -1, [TF_SSHAPEP1] = 1, [TF_SUF3M1] = -1, [TF_SUF3P1] = 1,
	[TF_CLM1] = -1, [TF_CLP1] = 1, [TF_CLM2] = -2, [TF_CLP2] = 2,
	[TF_VCM1] = -1, [TF_VCP1] = 1, [TF_VCM2] = -2, [TF_VCP2] = 2,
	[TF_LEXM1] = -1, [TF_LEXP1] = 1,
};

#define WORD_TEMPLATES                                                       \
	(BIT(TF_BIAS) | BIT(TF_W) | BIT(TF_WM1) | BIT(TF_WP1) | BIT(TF_LW) |  \
	 BIT(TF_LWM1) | BIT(TF_LWP1) | BIT(TF_LWM2) | BIT(TF_LWP2) |          \
	 BIT(TF_LWM3) | BIT(TF_LWP3) | BIT(TF_PRE) | BIT(TF_SUF) |            \
	 BIT(TF_SHAPE) | BIT(TF_SSHAPE) | BIT(TF_SSHAPEM1) | BIT(TF_SSHAPEP1) | \
	 BIT(TF_FLAGS) | BIT(TF_LEN) | BIT(TF_SUF3M1) | BIT(TF_SUF3P1) |      \
	 BIT(TF_CL) | BIT(TF_CLM1) | BIT(TF_CLP1) | BIT(TF_CLM2) | BIT(TF_CLP2) | \
	 BIT(TF_VC) | BIT(TF_VCM1) | BIT(TF_VCP1) | BIT(TF_VCM2) | BIT(TF_VCP2) | \
	 BIT(TF_LEX) | BIT(TF_LEXM1) | BIT(TF_LEXP1))

int tfeat_template_word(int id, int *offset)
{
	if (id < 0 || id >= TF_NTEMPLATES || !((WORD_TEMPLATES >> id) & 1))
		return 0;
	*offset = word_offset[id];
	return 1;
}

uint32_t tfeat_word_offsets(uint64_t mask, int off[TFEAT_WORD_OFFSETS])
{
	int seen[TFEAT_WORD_OFFSETS] = { 0 };
	uint32_t n = 0;

	for (int id = 0; id < TF_NTEMPLATES; id++)
		if (((mask & WORD_TEMPLATES) >> id) & 1)
			seen[word_offset[id] + 3] = 1; /* word_offset is -3..3 */
	for (int d = 0; d < TFEAT_WORD_OFFSETS; d++)
		if (seen[d])
			off[n++] = d - 3;
	return n;
}

uint32_t tfeat_word_max_keys(int id, uint32_t vclev)
{
	/* as emit_word below gives them: prefixes of 1..4 bytes, suffixes of
	 * 1..5, up to 8 flags (not "initcap@0"), cluster prefixes of 4
	 * lengths, vector clusters at vclev granularities or one "none" */
	switch (id) {
	case TF_PRE:
		return 4;
	case TF_SUF:
		return 5;
	case TF_FLAGS:
		return 8;
	case TF_CL: case TF_CLM1: case TF_CLP1: case TF_CLM2: case TF_CLP2:
		return 4;
	case TF_VC: case TF_VCM1: case TF_VCP1: case TF_VCM2: case TF_VCP2:
		return vclev > 1 ? vclev : 1;
	default:
		return 1;
	}
}

#define HT(i, which) ((int64_t)(i) < 0 ? H_BOS : (i) >= n ? H_EOS : h[(size_t)(i) * NH + (which)])
#define LAYER(arr, i) (((int64_t)(i) < 0 || (i) >= n || !(arr)) ? 0 : (arr)[i])

/* The keys of word template tpl (WORD_TEMPLATES) that word j gives, j
 * being the token the template reads (the token itself, or its
 * neighbour: outside the sentence, the boundary). Templates of offset 0
 * are never asked for a j outside. flags gives all but "initcap@0",
 * which depends on the position. */
static TF_INLINE void emit_word(out_t *o, int tpl, const tfeat_tok *tok, uint32_t n,
				int64_t j, const uint64_t *h, const tfeat_layers *ly)
{
	sbuf b1;

	switch (tpl) {
	case TF_BIAS:
		EMIT(TF_BIAS, 0, "1");
		break;
	case TF_W: case TF_WM1: case TF_WP1:
		EMIT(tpl, HT(j, HW), "%s", s_word(tok, n, j, &b1));
		break;
	case TF_LW: case TF_LWM1: case TF_LWP1: case TF_LWM2: case TF_LWP2:
	case TF_LWM3: case TF_LWP3:
		EMIT(tpl, HT(j, HLW), "%s", s_lower(tok, n, j, &b1));
		break;
	case TF_PRE: {
		/* prefixes: hash grows one character at a time */
		const char *s = tok[j].s;
		uint32_t len = tok[j].len;
		uint64_t hp = FNV_OFF;
		uint32_t q = 0;
		for (int k = 1; k <= 4 && q < len; k++) {
			do {
				hp = (hp ^ (unsigned char)s[q]) * FNV_PRIME;
				q++;
			} while (q < len && ((unsigned char)s[q] & 0xC0) == 0x80);
			if (q == len && k == 1)
				break; /* one-character word: the word itself */
			EMIT(TF_PRE, dict_mix(hp ^ (uint64_t)k), "%.*s", (int)q, s);
		}
		break;
	}
	case TF_SUF: {
		const char *s = tok[j].s;
		uint32_t len = tok[j].len;
		for (int k = 1; k <= 5; k++) {
			int64_t st = suffix_start(s, len, k);
			if (st <= 0)
				break;
			EMIT(TF_SUF, tfeat_hash(s + st, len - (uint32_t)st),
			     "%.*s", (int)(len - st), s + st);
		}
		break;
	}
	case TF_SHAPE:
		EMIT(TF_SHAPE, HT(j, HSHAPE), "%s", s_shape(tok, n, j, 1, &b1));
		break;
	case TF_SSHAPE: case TF_SSHAPEM1: case TF_SSHAPEP1:
		EMIT(tpl, HT(j, HSS), "%s", s_shape(tok, n, j, 0, &b1));
		break;
	case TF_FLAGS: {
		unsigned f = token_flags(&tok[j], 1) & ~(unsigned)FL_INITCAP0;
		for (int k = 0; f; k++, f >>= 1)
			if (f & 1)
				EMIT(TF_FLAGS, small((uint64_t)k), "%s", flag_names[k]);
		break;
	}
	case TF_LEN: {
		int lb = len_bucket(&tok[j]);
		EMIT(TF_LEN, small((uint64_t)lb), "%d", lb);
		break;
	}
	case TF_SUF3M1: case TF_SUF3P1:
		EMIT(tpl, HT(j, HSUF3), "%s", s_suf3(tok, n, j, &b1));
		break;
	case TF_CL: case TF_CLM1: case TF_CLP1: case TF_CLM2: case TF_CLP2:
		if (ly->cl)
			emit_cluster(o, tpl, LAYER(ly->cl, j), -1);
		break;
	case TF_VC: case TF_VCM1: case TF_VCP1: case TF_VCM2: case TF_VCP2:
		if (ly->vc && ly->vclev)
			emit_vc(o, tpl, ly, j, n);
		break;
	case TF_LEX: case TF_LEXM1: case TF_LEXP1:
		if (ly->lex) {
			unsigned l = LAYER(ly->lex, j);
			if (l)
				EMIT(tpl, small(l), "%u", l);
		}
		break;
	default:
		assert(0);
	}
}

/* mode: 0 keys, 1 strings, 2 split (tfeat_extract_split; hin given). */
static TF_INLINE int extract(uint64_t mask, const tfeat_tok *tok, uint32_t n,
		   const tfeat_layers *ly, tfeat_ws *ws, int mode, const uint64_t *hin)
{
	char tmp[TF_TMP];
	out_t ob = { .ws = ws, .strings = mode == 1, .split = mode == 2, .tmp = tmp };
	out_t *o = &ob;
	static const tfeat_layers none;
	const uint64_t *h;
	sbuf b1, b2, b3;
	int64_t first_verb = -1;

	if (!ly)
		ly = &none;
	if (reserve_tokens(ws, n))
		return ERR_NOMEM;
	ws->nkeys = 0;
	ws->slen = 0;
	if (hin) {
		h = hin;
	} else {
		for (uint32_t i = 0; i < n; i++)
			tfeat_token_hashes(&tok[i], ws->h + (size_t)i * NH);
		h = ws->h;
	}
	if (ly->lex)
		for (uint32_t i = 0; i < n; i++)
			if (ly->lex[i]) {
				first_verb = i;
				break;
			}
	int64_t ev = -1;
	int ev_pass = 0;
	if (ly->lex && (mask & (BIT(TF_EV_SIDE) | BIT(TF_EV_W))) &&
	    (ev = event_verb(ly->lex, n, ly->lex_report)) >= 0)
		ev_pass = passive_at(tok, (uint32_t)ev);
/* word template tpl read at token j (in split mode: nothing, the
 * caller has the word's keys) */
#define WORD(tpl, j)                                                         \
	do {                                                                 \
		if ((mask & BIT(tpl)) && !o->split)                          \
			emit_word(o, (tpl), tok, n, (j), h, ly);             \
	} while (0)
	for (uint32_t t = 0; t < n; t++) {
		int64_t i = t;
		ws->off[t] = (uint32_t)ws->nkeys;
		if (reserve_keys(ws, ws->nkeys + TFEAT_MAX_TOKEN_KEYS))
			return ERR_NOMEM;
		o->keys = ws->keys;
		o->n = (uint32_t)ws->nkeys;
		WORD(TF_BIAS, i);
		WORD(TF_W, i);
		WORD(TF_WM1, i - 1);
		WORD(TF_WP1, i + 1);
		WORD(TF_LW, i);
		WORD(TF_LWM1, i - 1);
		WORD(TF_LWP1, i + 1);
		WORD(TF_LWM2, i - 2);
		WORD(TF_LWP2, i + 2);
		WORD(TF_LWM3, i - 3);
		WORD(TF_LWP3, i + 3);
		WORD(TF_PRE, i);
		WORD(TF_SUF, i);
		WORD(TF_SHAPE, i);
		WORD(TF_SSHAPE, i);
		WORD(TF_SSHAPEM1, i - 1);
		WORD(TF_SSHAPEP1, i + 1);
		if (mask & BIT(TF_SSHAPE3))
			EMIT(TF_SSHAPE3, pair(pair(HT(i - 1, HSS), HT(i, HSS)), HT(i + 1, HSS)),
			     "%s|%s|%s", s_shape(tok, n, i - 1, 0, &b1),
			     s_shape(tok, n, i, 0, &b2), s_shape(tok, n, i + 1, 0, &b3));
		if (mask & BIT(TF_BIM1))
			EMIT(TF_BIM1, pair(HT(i - 1, HLW), HT(i, HLW)), "%s|%s",
			     s_lower(tok, n, i - 1, &b1), s_lower(tok, n, i, &b2));
		if (mask & BIT(TF_BIP1))
			EMIT(TF_BIP1, pair(HT(i, HLW), HT(i + 1, HLW)), "%s|%s",
			     s_lower(tok, n, i, &b1), s_lower(tok, n, i + 1, &b2));
		WORD(TF_FLAGS, i);
		/* initcap@0, the last flag: the one that depends on the position */
		if ((mask & BIT(TF_FLAGS)) && t == 0 && tok[0].len && tok[0].s[0] >= 'A' &&
		    tok[0].s[0] <= 'Z')
			EMIT(TF_FLAGS, small(8), "%s", flag_names[8]);
		WORD(TF_LEN, i);
		WORD(TF_SUF3M1, i - 1);
		WORD(TF_SUF3P1, i + 1);
		if (mask & BIT(TF_POS1)) {
			if (t == 0)
				EMIT(TF_POS1, small(1), "first");
			if (t + 1 == n)
				EMIT(TF_POS1, small(2), "last");
		}
		if (ly->gaz) {
			unsigned g0 = LAYER(ly->gaz, i), gm = LAYER(ly->gaz, i - 1),
				 gp = LAYER(ly->gaz, i + 1);
			if ((mask & BIT(TF_GAZ)) && g0)
				EMIT(TF_GAZ, small(g0), "%u", g0);
			if ((mask & BIT(TF_GAZM1)) && gm)
				EMIT(TF_GAZM1, small(gm), "%u", gm);
			if ((mask & BIT(TF_GAZP1)) && gp)
				EMIT(TF_GAZP1, small(gp), "%u", gp);
			if ((mask & BIT(TF_GAZ3)) && (g0 || gm || gp))
				EMIT(TF_GAZ3, small(gm * 256 * 256 + g0 * 256 + gp),
				     "%u|%u|%u", gm, g0, gp);
		}
		/* clusters, vector clusters and lexicon classes: nothing without
		 * the layer (the word keys check it too) */
		WORD(TF_CL, i);
		WORD(TF_CLM1, i - 1);
		WORD(TF_CLP1, i + 1);
		WORD(TF_CLM2, i - 2);
		WORD(TF_CLP2, i + 2);
		WORD(TF_VC, i);
		WORD(TF_VCM1, i - 1);
		WORD(TF_VCP1, i + 1);
		WORD(TF_VCM2, i - 2);
		WORD(TF_VCP2, i + 2);
		WORD(TF_LEX, i);
		WORD(TF_LEXM1, i - 1);
		WORD(TF_LEXP1, i + 1);
		int side = first_verb < 0 ? 0 : i < first_verb ? 1 : i == first_verb ? 2 : 3;
		uint64_t hside = small(100 + (uint64_t)side);
		if (mask & BIT(TF_VPOS))
			EMIT(TF_VPOS, small((uint64_t)side), "%s", side_names[side]);
		if (mask & BIT(TF_LW_VS))
			EMIT(TF_LW_VS, pair(HT(i, HLW), hside), "%s|%s", s_lower(tok, n, i, &b1), side_names[side]);
		if (mask & BIT(TF_LWM1_VS))
			EMIT(TF_LWM1_VS, pair(HT(i - 1, HLW), hside), "%s|%s", s_lower(tok, n, i - 1, &b1), side_names[side]);
		if (mask & BIT(TF_LWP1_VS))
			EMIT(TF_LWP1_VS, pair(HT(i + 1, HLW), hside), "%s|%s", s_lower(tok, n, i + 1, &b1), side_names[side]);
		if (mask & BIT(TF_SSHAPE_VS))
			EMIT(TF_SSHAPE_VS, pair(HT(i, HSS), hside), "%s|%s", s_shape(tok, n, i, 0, &b1), side_names[side]);
		if (mask & BIT(TF_SUF3_VS))
			EMIT(TF_SUF3_VS, pair(HT(i, HSUF3), hside), "%s|%s", s_suf3(tok, n, i, &b1), side_names[side]);
		if ((mask & BIT(TF_CL_VS)) && ly->cl)
			emit_cluster(o, TF_CL_VS, LAYER(ly->cl, i), side);
		if ((mask & BIT(TF_GAZ_VS)) && ly->gaz && LAYER(ly->gaz, i))
			EMIT(TF_GAZ_VS, pair(small(LAYER(ly->gaz, i)), hside), "%u|%s", LAYER(ly->gaz, i), side_names[side]);
		if ((mask & BIT(TF_ENT_VS)) && ly->ent)
			EMIT(TF_ENT_VS, pair(small(LAYER(ly->ent, i)), hside), "%u|%s", LAYER(ly->ent, i), side_names[side]);
		if ((mask & (BIT(TF_LVL) | BIT(TF_LVR) | BIT(TF_NVL))) && ly->lex) {
			int64_t l = -1, r = -1;
			unsigned nl = 0;
			for (int64_t q = i - 1; q >= 0; q--)
				if (ly->lex[q]) {
					if (l < 0)
						l = q;
					nl++;
				}
			for (int64_t q = i + 1; q < (int64_t)n; q++)
				if (ly->lex[q]) {
					r = q;
					break;
				}
			if ((mask & BIT(TF_LVL)) && l >= 0) {
				EMIT(TF_LVL, pair(HT(l, HLW), small((uint64_t)dist_bucket((int)(i - l)))),
				     "%s|%s", s_lower(tok, n, l, &b1), dist_name((int)(i - l)));
				EMIT(TF_LVL, HT(l, HLW), "%s", s_lower(tok, n, l, &b1));
			}
			if ((mask & BIT(TF_LVR)) && r >= 0) {
				EMIT(TF_LVR, pair(HT(r, HLW), small((uint64_t)dist_bucket((int)(i - r)))),
				     "%s|%s", s_lower(tok, n, r, &b1), dist_name((int)(i - r)));
				EMIT(TF_LVR, HT(r, HLW), "%s", s_lower(tok, n, r, &b1));
			}
			if (mask & BIT(TF_NVL))
				EMIT(TF_NVL, small(nl > 3 ? 3 : nl), "%u", nl > 3 ? 3 : nl);
		}
		if (ly->lex && (mask & (BIT(TF_EV_SIDE) | BIT(TF_EV_W)))) {
			int es = ev < 0 ? 0 : i < ev ? 1 : i == ev ? 2 : 3;
			if (mask & BIT(TF_EV_SIDE))
				EMIT(TF_EV_SIDE, small(200 + (uint64_t)es * 2 + (uint64_t)ev_pass),
				     "%s|%s", side_names[es], ev_pass ? "passive" : "active");
			if ((mask & BIT(TF_EV_W)) && ev >= 0)
				EMIT(TF_EV_W, pair(HT(ev, HLW), small(100 + (uint64_t)es)), "%s|%s",
				     s_lower(tok, n, ev, &b1), side_names[es]);
		}
		if ((mask & BIT(TF_BYAG)) && ly->lex) {
			int pass = 0, d = by_agent(tok, ly->lex, t, &pass);
			if (d)
				EMIT(TF_BYAG, small(300 + (uint64_t)d * 2 + (uint64_t)pass), "%d|%s", d,
				     pass ? "passive" : "active");
		}
		if ((mask & BIT(TF_VDIST)) && ly->lex && first_verb >= 0) {
			/* nearest lexicon verb on either side */
			int64_t best = -1;
			for (int64_t d = 0; d < (int64_t)n && best < 0; d++) {
				if (i - d >= 0 && ly->lex[i - d])
					best = i - d;
				else if (i + d < n && ly->lex[i + d])
					best = i + d;
			}
			if (best >= 0) {
				int d = (int)(i - best);
				unsigned cls = ly->lex[best];
				EMIT(TF_VDIST, small(((uint64_t)dist_bucket(d) << 8) | cls),
				     "%s|%u", dist_name(d), cls);
			}
		}
		if (ly->ent) {
			unsigned e0 = LAYER(ly->ent, i), em = LAYER(ly->ent, i - 1),
				 ep = LAYER(ly->ent, i + 1);
			if (mask & BIT(TF_ENT))
				EMIT(TF_ENT, small(e0), "%u", e0);
			if (mask & BIT(TF_ENTM1))
				EMIT(TF_ENTM1, small(em), "%u", em);
			if (mask & BIT(TF_ENTP1))
				EMIT(TF_ENTP1, small(ep), "%u", ep);
			if (mask & BIT(TF_ENT3))
				EMIT(TF_ENT3, small(em * 65536 + e0 * 256 + ep),
				     "%u|%u|%u", em, e0, ep);
		}
		if ((mask & BIT(TF_DOC)) && ly->doc) {
			unsigned d0 = LAYER(ly->doc, i), dm = LAYER(ly->doc, i - 1),
				 dp = LAYER(ly->doc, i + 1);
			if (d0)
				EMIT(TF_DOC, small(500 + (uint64_t)d0), "%u", d0);
			if (dm)
				EMIT(TF_DOC, small(1000 + (uint64_t)dm), "-1:%u", dm);
			if (dp)
				EMIT(TF_DOC, small(2000 + (uint64_t)dp), "+1:%u", dp);
		}
		if (o->fail)
			return ERR_NOMEM;
		ws->nkeys = o->n;
		assert(ws->nkeys - ws->off[t] <= TFEAT_MAX_TOKEN_KEYS);
	}
	ws->off[n] = (uint32_t)ws->nkeys;
#undef WORD
	return o->fail ? ERR_NOMEM : 0;
}

int tfeat_extract(uint64_t mask, const tfeat_tok *tok, uint32_t n,
		  const tfeat_layers *ly, tfeat_ws *ws)
{
	return extract(mask, tok, n, ly, ws, 0, NULL);
}

int tfeat_extract_strings(uint64_t mask, const tfeat_tok *tok, uint32_t n,
			  const tfeat_layers *ly, tfeat_ws *ws)
{
	return extract(mask, tok, n, ly, ws, 1, NULL);
}

int tfeat_extract_split(uint64_t mask, const tfeat_tok *tok, uint32_t n,
			const tfeat_layers *ly, const uint64_t *h, tfeat_ws *ws)
{
	return extract(mask, tok, n, ly, ws, 2, h);
}

uint32_t tfeat_word_keys(uint64_t mask, const tfeat_tok *tok, const tfeat_layers *ly,
			 const uint64_t *h, int where, uint64_t *keys,
			 uint8_t cnt[TF_NTEMPLATES])
{
	tfeat_ws ws = { .keys = keys, .kcap = TFEAT_MAX_WORD_KEYS };
	out_t ob = { .ws = &ws, .keys = keys };
	static const tfeat_layers none;
	int64_t j = where < 0 ? -1 : where > 0 ? 1 : 0;

	if (!ly)
		ly = &none;
	for (int tpl = 0; tpl < TF_NTEMPLATES; tpl++) {
		uint32_t before = ob.n;
		int d = word_offset[tpl];
		if ((mask & WORD_TEMPLATES & BIT(tpl)) &&
		    (where == 0 || (where < 0 && d < 0) || (where > 0 && d > 0)))
			emit_word(&ob, tpl, tok, 1, j, h, ly);
		cnt[tpl] = (uint8_t)(ob.n - before);
	}
	assert(ob.n <= TFEAT_MAX_WORD_KEYS);
	return ob.n;
}

void tfeat_ws_free(tfeat_ws *ws)
{
	if (!ws)
		return;
	free(ws->h);
	free(ws->keys);
	free(ws->off);
	free(ws->str);
	free(ws->soff);
	memset(ws, 0, sizeof(*ws));
}
