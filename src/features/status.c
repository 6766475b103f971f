#include "features/status.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "features/status_int.h"

/* ---- cue tables */

enum { NEG = 0, HYP = 1, REP = 2 };

enum {
	C_AFTER = 1, /* may also follow the verb ("..., the minister said") */
	C_ANY = 2,   /* counts anywhere in the verb's (main or relative) clause */
	C_DENY = 4,  /* a denial: the event itself when the type is REJECT */
	C_MODAL = 8  /* a modal: "will not" of a REJECT is the refusal itself */
};

typedef struct cue {
	const char *w;    /* the token, lower case */
	const char *next; /* the token that must follow, or NULL */
	int kind;         /* NEG, HYP or REP */
	float weight;     /* score when it governs the verb */
	int reach;        /* at most this many tokens before the verb */
	int flags;        /* C_* */
} cue;

/* Tuned on build/events/voa.train.tsv (see tests/bench/status-eval.c). */
static const cue CUES[] = {
	/* negation */
	{ "not", NULL, NEG, 0.9f, 4, 0 },
	{ "n't", NULL, NEG, 0.9f, 4, 0 },
	{ "n\xe2\x80\x99t", NULL, NEG, 0.9f, 4, 0 },
	{ "never", NULL, NEG, 0.9f, 4, 0 },
	{ "no", NULL, NEG, 0.75f, 2, 0 },
	{ "none", NULL, NEG, 0.75f, 10, 0 },
	{ "nobody", NULL, NEG, 0.75f, 10, 0 },
	{ "neither", NULL, NEG, 0.7f, 6, 0 },
	{ "nor", NULL, NEG, 0.7f, 3, 0 },
	{ "failed", "to", NEG, 0.85f, 4, 0 },
	{ "fail", "to", NEG, 0.85f, 4, 0 },
	{ "fails", "to", NEG, 0.85f, 4, 0 },
	{ "unable", "to", NEG, 0.85f, 4, 0 },
	{ "yet", "to", NEG, 0.8f, 4, 0 },
	{ "deny", NULL, NEG, 0.8f, 12, C_DENY },
	{ "denies", NULL, NEG, 0.8f, 12, C_DENY },
	{ "denied", NULL, NEG, 0.8f, 12, C_DENY },
	{ "denying", NULL, NEG, 0.8f, 12, C_DENY },
	/* hypothetical: modals */
	{ "will", NULL, HYP, 0.9f, 5, C_MODAL },
	{ "'ll", NULL, HYP, 0.9f, 5, C_MODAL },
	{ "wo", "n't", HYP, 0.9f, 5, C_MODAL },
	{ "would", NULL, HYP, 0.85f, 5, C_MODAL },
	{ "'d", NULL, HYP, 0.6f, 5, C_MODAL },
	{ "may", NULL, HYP, 0.85f, 5, C_MODAL },
	{ "might", NULL, HYP, 0.85f, 5, C_MODAL },
	{ "could", NULL, HYP, 0.85f, 5, C_MODAL },
	{ "should", NULL, HYP, 0.85f, 5, C_MODAL },
	{ "must", NULL, HYP, 0.85f, 5, C_MODAL },
	{ "shall", NULL, HYP, 0.85f, 5, C_MODAL },
	{ "can", NULL, HYP, 0.55f, 3, C_MODAL },
	/* hypothetical: plans, intentions, expectations */
	{ "plan", "to", HYP, 0.9f, 6, 0 },
	{ "plans", "to", HYP, 0.9f, 6, 0 },
	{ "planned", "to", HYP, 0.9f, 6, 0 },
	{ "planning", "to", HYP, 0.9f, 6, 0 },
	{ "plans", NULL, HYP, 0.75f, 6, 0 },
	{ "intend", "to", HYP, 0.9f, 6, 0 },
	{ "intends", "to", HYP, 0.9f, 6, 0 },
	{ "intended", "to", HYP, 0.9f, 6, 0 },
	{ "expected", NULL, HYP, 0.85f, 6, 0 },
	{ "expects", NULL, HYP, 0.85f, 6, 0 },
	{ "expect", NULL, HYP, 0.85f, 6, 0 },
	{ "hope", NULL, HYP, 0.85f, 10, 0 },
	{ "hopes", NULL, HYP, 0.85f, 10, 0 },
	{ "hoped", NULL, HYP, 0.85f, 10, 0 },
	{ "hoping", NULL, HYP, 0.85f, 10, 0 },
	{ "want", "to", HYP, 0.8f, 6, 0 },
	{ "wants", "to", HYP, 0.8f, 6, 0 },
	{ "wanted", "to", HYP, 0.8f, 6, 0 },
	{ "seek", "to", HYP, 0.8f, 6, 0 },
	{ "seeks", "to", HYP, 0.8f, 6, 0 },
	{ "sought", "to", HYP, 0.8f, 6, 0 },
	{ "aim", "to", HYP, 0.8f, 6, 0 },
	{ "aims", "to", HYP, 0.8f, 6, 0 },
	{ "set", "to", HYP, 0.8f, 4, 0 },
	{ "going", "to", HYP, 0.8f, 4, 0 },
	{ "scheduled", NULL, HYP, 0.9f, 6, 0 },
	{ "ready", "to", HYP, 0.85f, 6, 0 },
	{ "prepared", "to", HYP, 0.85f, 6, 0 },
	{ "willing", "to", HYP, 0.85f, 6, 0 },
	{ "considering", NULL, HYP, 0.75f, 6, 0 },
	{ "proposed", NULL, HYP, 0.85f, 6, 0 },
	{ "proposes", NULL, HYP, 0.85f, 6, 0 },
	{ "propose", NULL, HYP, 0.85f, 6, 0 },
	{ "offered", "to", HYP, 0.8f, 6, 0 },
	{ "offers", "to", HYP, 0.8f, 6, 0 },
	{ "possible", NULL, HYP, 0.7f, 4, 0 },
	{ "possibly", NULL, HYP, 0.7f, 4, 0 },
	{ "likely", NULL, HYP, 0.7f, 4, 0 },
	{ "upcoming", NULL, HYP, 0.8f, 3, 0 },
	{ "due", NULL, HYP, 0.8f, 6, 0 },
	{ "is", "to", HYP, 0.8f, 4, 0 },
	{ "are", "to", HYP, 0.8f, 4, 0 },
	{ "plan", NULL, HYP, 0.75f, 6, 0 },
	{ "planning", NULL, HYP, 0.8f, 6, 0 },
	{ "plot", NULL, HYP, 0.8f, 6, 0 },
	{ "risk", NULL, HYP, 0.7f, 4, 0 },
	{ "warning", NULL, HYP, 0.8f, 8, 0 },
	{ "preparation", NULL, HYP, 0.8f, 6, 0 },
	{ "trying", "to", HYP, 0.75f, 6, 0 },
	{ "attempting", "to", HYP, 0.75f, 6, 0 },
	{ "working", "to", HYP, 0.75f, 6, 0 },
	/* hypothetical: promises, threats, requests */
	{ "promise", NULL, HYP, 0.85f, 8, 0 },
	{ "promised", NULL, HYP, 0.85f, 8, 0 },
	{ "promises", NULL, HYP, 0.85f, 8, 0 },
	{ "pledge", NULL, HYP, 0.85f, 8, 0 },
	{ "pledged", NULL, HYP, 0.85f, 8, 0 },
	{ "pledges", NULL, HYP, 0.85f, 8, 0 },
	{ "vow", NULL, HYP, 0.85f, 8, 0 },
	{ "vowed", NULL, HYP, 0.85f, 8, 0 },
	{ "vows", NULL, HYP, 0.85f, 8, 0 },
	{ "threaten", NULL, HYP, 0.95f, 10, 0 },
	{ "threatened", NULL, HYP, 0.95f, 10, 0 },
	{ "threatens", NULL, HYP, 0.95f, 10, 0 },
	{ "threatening", NULL, HYP, 0.95f, 10, 0 },
	{ "threat", NULL, HYP, 0.9f, 6, 0 },
	{ "warned", NULL, HYP, 0.85f, 10, 0 },
	{ "warns", NULL, HYP, 0.85f, 10, 0 },
	{ "warn", NULL, HYP, 0.85f, 10, 0 },
	{ "urge", NULL, HYP, 0.95f, 12, 0 },
	{ "urged", NULL, HYP, 0.95f, 12, 0 },
	{ "urges", NULL, HYP, 0.95f, 12, 0 },
	{ "urging", NULL, HYP, 0.95f, 12, 0 },
	{ "call", "for", HYP, 0.95f, 12, 0 },
	{ "called", "for", HYP, 0.95f, 12, 0 },
	{ "calls", "for", HYP, 0.95f, 12, 0 },
	{ "calling", "for", HYP, 0.95f, 12, 0 },
	{ "call", "on", HYP, 0.95f, 12, 0 },
	{ "called", "on", HYP, 0.95f, 12, 0 },
	{ "calls", "on", HYP, 0.95f, 12, 0 },
	{ "calling", "on", HYP, 0.95f, 12, 0 },
	{ "asked", NULL, HYP, 0.9f, 12, 0 },
	{ "asks", NULL, HYP, 0.9f, 12, 0 },
	{ "ask", NULL, HYP, 0.9f, 12, 0 },
	{ "demand", NULL, HYP, 0.9f, 12, 0 },
	{ "demanded", NULL, HYP, 0.9f, 12, 0 },
	{ "demands", NULL, HYP, 0.9f, 12, 0 },
	{ "demanding", NULL, HYP, 0.9f, 12, 0 },
	{ "appealed", NULL, HYP, 0.9f, 12, 0 },
	{ "appeals", NULL, HYP, 0.9f, 12, 0 },
	{ "appeal", NULL, HYP, 0.85f, 12, 0 },
	{ "requested", NULL, HYP, 0.9f, 12, 0 },
	{ "requests", NULL, HYP, 0.9f, 12, 0 },
	{ "request", NULL, HYP, 0.85f, 12, 0 },
	{ "pressed", "for", HYP, 0.85f, 12, 0 },
	{ "pressure", NULL, HYP, 0.75f, 8, 0 },
	{ "insisted", NULL, HYP, 0.7f, 8, 0 },
	{ "recommend", NULL, HYP, 0.85f, 8, 0 },
	{ "recommended", NULL, HYP, 0.85f, 8, 0 },
	/* hypothetical: conditions */
	{ "if", NULL, HYP, 0.85f, 0, C_ANY },
	{ "unless", NULL, HYP, 0.85f, 0, C_ANY },
	{ "whether", NULL, HYP, 0.7f, 8, 0 },
	/* reported */
	{ "said", NULL, REP, 0.9f, 40, C_AFTER },
	{ "says", NULL, REP, 0.9f, 40, C_AFTER },
	{ "say", NULL, REP, 0.85f, 40, C_AFTER },
	{ "saying", NULL, REP, 0.75f, 40, 0 },
	{ "told", NULL, REP, 0.9f, 40, C_AFTER },
	{ "tells", NULL, REP, 0.9f, 40, C_AFTER },
	{ "added", NULL, REP, 0.8f, 40, C_AFTER },
	{ "stated", NULL, REP, 0.85f, 40, C_AFTER },
	{ "claimed", NULL, REP, 0.8f, 40, C_AFTER },
	{ "claims", NULL, REP, 0.75f, 40, C_AFTER },
	{ "reported", NULL, REP, 0.85f, 40, C_AFTER },
	{ "reports", NULL, REP, 0.8f, 40, C_AFTER },
	{ "quoted", NULL, REP, 0.85f, 40, C_AFTER },
	{ "quoting", NULL, REP, 0.85f, 40, C_AFTER },
	{ "announced", NULL, REP, 0.7f, 40, C_AFTER },
	{ "according", "to", REP, 0.95f, 0, C_ANY },
	{ "reportedly", NULL, REP, 0.9f, 0, C_ANY },
	{ "allegedly", NULL, REP, 0.8f, 0, C_ANY },
};
#define NCUES (sizeof(CUES) / sizeof(CUES[0]))

/* Words that end a clause for scope purposes. */
static const char *const BOUNDARIES[] = {
	";", "--", "\xe2\x80\x94", "\xe2\x80\x93", "but", "however", "although",
	"though", "while", "whereas", "because",
};
/* Words that start a relative clause (up to the next comma). */
static const char *const RELATIVES[] = { "who", "which", "whom", "whose" };

/* Codebook type rules: the hypothetical score a PLOVER type carries. */
static const struct {
	const char *plover;
	double hyp;
} TYPE_HYP[] = { { "THREATEN", 1.0 }, { "REQUEST", 1.0 }, { "AGREE", 0.6 } };

/* Score of a cue present in the sentence that does not govern the event. */
#define OUT_OF_SCOPE 0.3
/* Factor of a negation's score when the event is hypothetical anyway. */
#define NEG_UNSURE 0.5

/* ---- tokens */

#define WMAX 32

/* Token i lower-cased (ASCII) into w; "" when it is longer than WMAX-1. */
static void lower(const char *text, const tok_token *tok, size_t i, char w[WMAX])
{
	size_t n = tok[i].end - tok[i].start;
	if (n >= WMAX)
		n = 0;
	for (size_t k = 0; k < n; k++) {
		char c = text[tok[i].start + k];
		w[k] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	w[n] = '\0';
}

/* 1 when w is one of list[0..n) (the first bytes compared before
 * strcmp: most tokens differ there, and this runs for every token). */
static int is_in(const char *w, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (w[0] == list[i][0] && strcmp(w, list[i]) == 0)
			return 1;
	return 0;
}

static int is_boundary(const char *w)
{
	return is_in(w, BOUNDARIES, sizeof(BOUNDARIES) / sizeof(BOUNDARIES[0]));
}

static int is_relative(const char *w)
{
	return is_in(w, RELATIVES, sizeof(RELATIVES) / sizeof(RELATIVES[0]));
}

/* The cues by first byte, each byte's in table order (the first match
 * wins): those of byte b are CUES[cue_order[cue_first[b] ..
 * cue_first[b + 1])]. Built once, by the first cue_at of the process. */
static uint16_t cue_first[257], cue_order[NCUES];
static pthread_once_t cue_once = PTHREAD_ONCE_INIT;

static void cue_index(void)
{
	uint16_t at[256] = { 0 };

	for (size_t c = 0; c < NCUES; c++)
		cue_first[(unsigned char)CUES[c].w[0] + 1]++;
	for (int b = 0; b < 256; b++)
		cue_first[b + 1] += cue_first[b];
	for (size_t c = 0; c < NCUES; c++) {
		unsigned char b = (unsigned char)CUES[c].w[0];
		cue_order[cue_first[b] + at[b]++] = (uint16_t)c;
	}
}

/* The cue starting at token i, or NULL. */
static const cue *cue_at(const char *text, const tok_token *tok, size_t ntok, size_t i)
{
	char w[WMAX], nx[WMAX];
	int have_nx = 0;
	lower(text, tok, i, w);
	if (!w[0])
		return NULL;
	pthread_once(&cue_once, cue_index);
	unsigned char b = (unsigned char)w[0];
	for (size_t j = cue_first[b]; j < cue_first[b + 1]; j++) {
		size_t c = cue_order[j];
		/* the first bytes are equal; the second decides most */
		if (w[1] != CUES[c].w[1] || strcmp(w, CUES[c].w) != 0)
			continue;
		if (!have_nx) {
			nx[0] = '\0';
			if (i + 1 < ntok)
				lower(text, tok, i + 1, nx);
			have_nx = 1;
		}
		if (CUES[c].next && strcmp(nx, CUES[c].next) != 0)
			continue;
		/* "not only", "not just": not a negation */
		if (CUES[c].kind == NEG && strcmp(w, "not") == 0 &&
		    (strcmp(nx, "only") == 0 || strcmp(nx, "just") == 0))
			return NULL;
		return &CUES[c];
	}
	return NULL;
}

/* ---- clauses */

/* Start of the relative clause holding token i, or -1 for a main clause:
 * the nearest relative pronoun before i with no comma or boundary between. */
static long rel_start(const char *text, const tok_token *tok, size_t i)
{
	char w[WMAX];
	for (size_t k = i + 1; k-- > 0;) {
		lower(text, tok, k, w);
		if (k < i && (strcmp(w, ",") == 0 || is_boundary(w)))
			return -1;
		if (is_relative(w))
			return (long)k;
	}
	return -1;
}

/* 1 when a clause boundary lies strictly between tokens lo and hi. With
 * quotes_ok, closing quotes do not count. */
static int blocked(const char *text, const tok_token *tok, size_t lo, size_t hi,
		   int quotes_ok)
{
	char w[WMAX];
	int inq = 0; /* inside an ASCII "..." quote */
	for (size_t k = 0; k < hi; k++) {
		lower(text, tok, k, w);
		int close = 0;
		if (strcmp(w, "\"") == 0) {
			close = inq;
			inq = !inq;
		} else if (strcmp(w, "''") == 0 || strcmp(w, "\xe2\x80\x9d") == 0) {
			close = 1;
			inq = 0;
		} else if (strcmp(w, "``") == 0 || strcmp(w, "\xe2\x80\x9c") == 0) {
			inq = 1;
		}
		if (k <= lo)
			continue;
		if (is_boundary(w) || (close && !quotes_ok))
			return 1;
	}
	return 0;
}

/* 1 when the cue c at token i governs the verb at token v. */
static int governs(const char *text, const tok_token *tok, const cue *c, size_t i,
		   long v, int typed)
{
	if (v < 0) /* no verb: any cue of the main clause, if there is an event */
		return typed && rel_start(text, tok, i) < 0;
	if (rel_start(text, tok, i) != rel_start(text, tok, (size_t)v))
		return 0;
	if (c->flags & C_ANY)
		return 1;
	if ((long)i <= v)
		return v - (long)i <= c->reach && !blocked(text, tok, i, (size_t)v, 0);
	return (c->flags & C_AFTER) && !blocked(text, tok, (size_t)v, i, 1);
}

/* ---- event verbs */

static const char *verb_type(const char *w)
{
	size_t lo = 0, hi = status_nverbs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *f = status_verbs[mid].form;
		/* strcmp's order (bytes as unsigned char), the first byte inline */
		int c = (unsigned char)w[0] - (unsigned char)f[0];
		if (c == 0)
			c = strcmp(w, f);
		if (c == 0)
			return status_verbs[mid].plover;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* w (of length n) with suffix suf (of length ns) replaced by rep (of
 * length nr), then looked up. */
static const char *try_stem(const char *w, size_t n, const char *suf, size_t ns,
			    const char *rep, size_t nr, int undouble)
{
	char s[WMAX + 4];
	if (n <= ns + 2 || memcmp(w + n - ns, suf, ns) != 0)
		return NULL;
	size_t m = n - ns;
	if (undouble) {
		if (m < 3 || w[m - 1] != w[m - 2])
			return NULL;
		m--;
	}
	memcpy(s, w, m);
	memcpy(s + m, rep, nr + 1);
	return verb_type(s);
}

/* PLOVER type of w as an event verb form (with simple inflections
 * stripped: -s, -es, -ies, -ed, -d, -ied, -ing, doubled consonants), or
 * NULL. */
static const char *lookup_verb(const char *w)
{
#define RULE(suf, rep, undouble) { suf, sizeof(suf) - 1, rep, sizeof(rep) - 1, undouble }
	static const struct {
		const char *suf;
		size_t ns;
		const char *rep;
		size_t nr;
		int undouble;
	} RULES[] = {
		RULE("ies", "y", 0), RULE("es", "", 0), RULE("s", "", 0), RULE("ied", "y", 0),
		RULE("ed", "", 0), RULE("ed", "e", 0), RULE("ed", "", 1), RULE("ing", "", 0),
		RULE("ing", "e", 0), RULE("ing", "", 1),
	};
#undef RULE
	size_t n = strlen(w);
	const char *t = verb_type(w);
	for (size_t r = 0; !t && r < sizeof(RULES) / sizeof(RULES[0]); r++)
		t = try_stem(w, n, RULES[r].suf, RULES[r].ns, RULES[r].rep, RULES[r].nr,
			     RULES[r].undouble);
	return t;
}

/* Factor of a negation or hypothetical cue's score when the event is a
 * verbal act and the cue does not govern the act's own verb. */
#define CONTENT_F 0.5

/* Whether plover is a verbal act whose content is not the event. */
static int is_verbal(const char *plover)
{
	static const char *const V[] = { "ACCUSE", "REJECT", "SUPPORT" };
	return plover && is_in(plover, V, sizeof(V) / sizeof(V[0]));
}

static int is_reject(const char *plover)
{
	return plover && strcmp(plover, "REJECT") == 0;
}

/* A word that makes the next token a noun ("the attack", "its plans"). */
static int is_determiner(const char *w)
{
	static const char *const DET[] = { "the", "a", "an", "its", "his", "her", "their",
					   "our", "this", "that", "these", "those", "'s",
					   "any", "no", "new", "further" };
	return is_in(w, DET, sizeof(DET) / sizeof(DET[0]));
}

long status_event_verb(const char *text, const tok_token *tok, size_t ntok,
		       const char *plover)
{
	char w[WMAX], prev[WMAX];
	/* typed before untyped, main clause before relative, verb before noun */
	long best[8] = { -1, -1, -1, -1, -1, -1, -1, -1 };
	if (!text || !tok)
		return STATUS_NO_VERB;
	if (plover && strcmp(plover, "NONE") == 0)
		plover = NULL;
	/* rel_start of each token, found going forward (rel_start scans back
	 * from each verb): the nearest relative pronoun before, unless a
	 * comma or boundary came after it */
	long mark = -1, rel = -1;
	w[0] = '\0';
	for (size_t i = 0; i < ntok; i++) {
		if ((w[0] == ',' && w[1] == '\0') || is_boundary(w))
			mark = -1;
		else if (is_relative(w))
			mark = (long)i - 1;
		memcpy(prev, w, sizeof(w));
		lower(text, tok, i, w);
		rel = is_relative(w) ? (long)i : mark;
		if (tok[i].end == tok[i].start)
			continue;
		char c0 = text[tok[i].start];
		if (c0 >= 'A' && c0 <= 'Z')
			continue; /* names, and sentence-initial nouns */
		const cue *c = cue_at(text, tok, ntok, i);
		if (c && (c->kind == REP ||
			  (c->kind == NEG && !((c->flags & C_DENY) && is_reject(plover)))))
			continue;
		const char *t = w[0] ? lookup_verb(w) : NULL;
		if (!t)
			continue;
		int k = (plover && strcmp(t, plover) == 0 ? 0 : 4) +
			(rel >= 0 ? 2 : 0) + is_determiner(prev);
		if (best[k] < 0)
			best[k] = (long)i;
	}
	for (int k = 0; k < 8; k++)
		if (best[k] >= 0)
			return best[k];
	return STATUS_NO_VERB;
}

/* ---- flags */

/* 1 when token i+1 is a negation (not, n't, never). */
static int negated_next(const char *text, const tok_token *tok, size_t ntok, size_t i)
{
	char w[WMAX];
	if (i + 1 >= ntok)
		return 0;
	lower(text, tok, i + 1, w);
	return !strcmp(w, "not") || !strcmp(w, "n't") || !strcmp(w, "never") ||
	       !strcmp(w, "n\xe2\x80\x99t");
}

static void clear(status_flags *out)
{
	memset(out, 0, sizeof(*out));
	out->neg_cue = out->hyp_cue = out->rep_cue = -1;
	out->verb = STATUS_NO_VERB;
}

int status_find(const char *text, size_t len, const tok_token *tok, size_t ntok,
		const char *plover, long verb, status_flags *out, err_t *e)
{
	double score[3] = { 0, 0, 0 };
	int32_t at[3] = { -1, -1, -1 };

	if (!out)
		return err_set(e, ERR_ARG, "status_find: no output");
	clear(out);
	if (ntok > 0 && (!text || !tok))
		return err_set(e, ERR_ARG, "status_find: no text or tokens");
	if (ntok > INT32_MAX)
		return err_set(e, ERR_ARG, "status_find: %zu tokens", ntok);
	for (size_t i = 0; i < ntok; i++)
		if (tok[i].start > tok[i].end || tok[i].end > len)
			return err_set(e, ERR_ARG, "status_find: token %zu outside the text", i);
	if (verb < STATUS_NO_VERB || (verb >= 0 && (size_t)verb >= ntok))
		return err_set(e, ERR_ARG, "status_find: verb %ld outside the sentence", verb);
	if (plover && strcmp(plover, "NONE") == 0)
		plover = NULL;
	if (verb == STATUS_NO_VERB)
		verb = status_event_verb(text, tok, ntok, plover);

	/* a verbal act (ACCUSE, REJECT, SUPPORT) is the event: a negation,
	 * modal or plan in what was said is not the event's, unless it
	 * governs the act's own verb */
	double content_f = 1.0;
	if (is_verbal(plover)) {
		const char *t = NULL;
		if (verb >= 0) {
			char w[WMAX];
			lower(text, tok, (size_t)verb, w);
			t = lookup_verb(w);
		}
		if (!t || strcmp(t, plover) != 0)
			content_f = CONTENT_F;
	}
	for (size_t i = 0; i < ntok; i++) {
		const cue *c = cue_at(text, tok, ntok, i);
		if (!c)
			continue;
		/* a refusal ("did not", "denied", "will not") is the REJECT event */
		if (is_reject(plover) && (c->kind == NEG ||
		    ((c->flags & C_MODAL) && negated_next(text, tok, ntok, i))))
			continue;
		int in = governs(text, tok, c, i, verb, plover != NULL);
		double s = in ? c->weight : OUT_OF_SCOPE * c->weight;
		if (verb < 0)
			s *= 0.8;
		if (c->kind != REP && !(c->flags & C_ANY))
			s *= content_f;
		if (s > score[c->kind]) {
			score[c->kind] = s;
			at[c->kind] = (int32_t)i;
		}
	}
	for (size_t k = 0; plover && k < sizeof(TYPE_HYP) / sizeof(TYPE_HYP[0]); k++)
		if (strcmp(plover, TYPE_HYP[k].plover) == 0 && TYPE_HYP[k].hyp > score[HYP]) {
			score[HYP] = TYPE_HYP[k].hyp;
			at[HYP] = -1;
		}
	/* "urged them not to", "will not attack": what is negated has not
	 * happened anyway; the codebook's negated is for events said not to
	 * have happened */
	if (score[NEG] > 0 && score[HYP] >= 0.5 && at[HYP] < at[NEG] &&
	    (at[HYP] >= 0 || score[HYP] >= 1.0))
		score[NEG] *= NEG_UNSURE;
	out->neg_score = score[NEG];
	out->hyp_score = score[HYP];
	out->rep_score = score[REP];
	out->neg_cue = at[NEG];
	out->hyp_cue = at[HYP];
	out->rep_cue = at[REP];
	out->negated = score[NEG] >= 0.5;
	out->hypothetical = score[HYP] >= 0.5;
	out->reported = score[REP] >= 0.5;
	out->verb = (int32_t)verb;
	return 0;
}
