/* tagger_rules: the decoding rules of a role tagger (tagger.h,
 * TAGGER_RULE_*), applied after Viterbi by tagger_tag itself so that every
 * command that tags with the model (tag, eval tagger, classify) decodes
 * alike.
 *
 * The promotion rule: a sentence that was given no SOURCE (nor a
 * RECIPROCAL) but has a lexicon verb with a named subject ("..., Kremlin
 * cited Russian President Vladimir Putin saying ...") gets that subject as
 * its SOURCE. The labels are then decoded again by Viterbi, constrained so
 * that the subject's tokens are exactly one SOURCE span and the token after
 * it starts no continuation (no I- label): no other span can overlap the
 * source (a TARGET that held the subject gives way), and the rest of the
 * sentence is the model's best labelling around it. With
 * TAGGER_RULE_OVERWRITE the SOURCE labels are written over the old ones
 * instead (the comparison measured in docs/models.md).
 *
 * The target rule (after promotion): a sentence with a SOURCE and no
 * TARGET is decoded again, the labels up to the SOURCE kept and the
 * B-TARGET label favoured after it by the model's target bias
 * (rule_target below).
 *
 * Both rules decode on a copy of the scores (the caller's stay the
 * model's) and leave the spans they made, with scores computed under
 * their constraints, in ws->rsp (the scores' section below). */
#include <math.h>
#include <string.h>

#include "learn/tagger_int.h"

/* Words between a subject and its verb: auxiliaries, negation, a few
 * adverbs ("Russia has also accused", "police reportedly arrested"). */
static const char *const aux_words[] = {
	"has", "have", "had", "will", "would", "could", "can", "may", "might",
	"should", "shall", "must", "is", "are", "was", "were", "did", "does",
	"do", "also", "reportedly", "allegedly", "not", "n't", "again", "then",
	"later", "now", "already", "recently", "officially", "publicly", NULL
};

/* Capitalised words that do not name an actor. */
static const char *const not_names[] = {
	"the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "his",
	"her", "its", "their", "our", "this", "that", "these", "those", "there",
	"but", "and", "or", "in", "on", "at", "as", "if", "when", "while",
	"after", "before", "since", "meanwhile", "however", "also", "earlier",
	"later", "monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday", "sunday", "who", "which", "what", "mr.", "mrs.", "ms.", NULL
};

/* Lowercase nouns that name actors ("police arrested", "Iraqi troops
 * killed", "the prosecutor general's office said"). */
static const char *const actor_nouns[] = {
	"police", "troops", "soldiers", "rebels", "militants", "insurgents",
	"officials", "government", "army", "forces", "protesters",
	"demonstrators", "authorities", "lawmakers", "leaders", "ministry",
	"court", "military", "gunmen", "president", "minister", "spokesman",
	"office", "prosecutor", "prosecutors", "spokesperson", "spokeswoman",
	"embassy", "official", NULL
};

/* A preposition before a phrase makes it no subject ("talks in Moscow
 * ended", "the leader of Hamas said"). */
static const char *const preps[] = {
	"in", "of", "for", "to", "by", "with", "at", "from", "on", "against",
	"between", "into", "over", "under", "about", "than", "like", "near",
	"across", "during", "without", "toward", "towards", NULL
};

static int name_token(const tagger_tok *tok, uint32_t i, const uint8_t *gaz,
		      const uint8_t *ent)
{
	const tagger_tok *t = &tok[i];

	if (t->len == 0)
		return 0;
	if ((gaz && gaz[i]) || (ent && ent[i] > 1))
		return 1;
	if (t->s[0] >= 'A' && t->s[0] <= 'Z')
		return !tfeat_is_any(t, not_names);
	return tfeat_is_any(t, actor_nouns);
}

static int lowercase_word(const tagger_tok *t)
{
	return t->len > 0 && t->s[0] >= 'a' && t->s[0] <= 'z';
}

#define SUBJECT_MAX 12 /* tokens of a promoted subject */
#define RUN_MAX 8      /* tokens of its run of names */
#define PP_MAX 4       /* tokens after the preposition of a phrase inside it */
#define PP_DEPTH 2     /* such phrases one after the other */

static const char *const be_words[] = {
	"is", "are", "was", "were", "be", "been", "being", NULL
};

static int ends(const tagger_tok *t, const char *suf)
{
	size_t n = strlen(suf);
	return t->len > n + 1 && memcmp(t->s + t->len - n, suf, n) == 0;
}

/* Whether a verb form shows tense or number ("attacked", "says",
 * "meeting"), which a noun after a determiner rarely does. */
static int inflected(const tagger_tok *t)
{
	static const char *const irregular[] = {
		"said", "told", "met", "shot", "hit", "fought", "sent", "led", "held",
		"struck", "took", "made", "gave", "won", "beat", "built", "brought",
		"caught", "sought", "threw", "stole", "spoke", "wrote", "drove",
		"began", "broke", "chose", "fled", "bought", "sold", "paid", "left",
		"kept", "lost", "overthrew", "withdrew", "swore", "bore", NULL
	};
	return ends(t, "ed") || ends(t, "ing") || (ends(t, "s") && !ends(t, "ss")) ||
	       tfeat_is_any(t, irregular);
}

/* Prepositions of a short phrase inside a subject ("Armenian officials
 * at the region said", "a court in Istanbul ruled"). */
static const char *const np_preps[] = { "at", "in", "of", "from", NULL };

/* Words that end a phrase: a clause starts or a list goes on. */
static const char *const clause_words[] = {
	"that", "who", "whom", "whose", "which", "where", "when", "while", "and",
	"or", "but", "because", "if", "as", NULL
};

/* The tokens of a possessive 's ending before token i: 1 (text/tok.c
 * splits off "'s", either apostrophe), 2 (some corpora split "' s"), or 0. */
static uint32_t possessive(const tagger_tok *tok, uint32_t i)
{
	const tagger_tok *t = i > 0 ? &tok[i - 1] : NULL;
	if (!t)
		return 0;
	if ((t->len == 2 && t->s[0] == '\'' && (t->s[1] | 32) == 's') ||
	    (t->len == 4 && memcmp(t->s, "\xe2\x80\x99", 3) == 0 && (t->s[3] | 32) == 's'))
		return 1;
	if (i > 1 && t->len == 1 && (t->s[0] | 32) == 's') {
		const tagger_tok *a = &tok[i - 2];
		if ((a->len == 1 && a->s[0] == '\'') ||
		    (a->len == 3 && memcmp(a->s, "\xe2\x80\x99", 3) == 0))
			return 2;
	}
	return 0;
}

/* A lowercase word that may sit inside a noun phrase: letters (and
 * hyphens, digits) only, no lexicon verb, auxiliary, preposition or
 * function word. */
static int plain_word(const tagger_tok *t, uint8_t lex)
{
	if (!lowercase_word(t) || lex)
		return 0;
	for (uint32_t i = 0; i < t->len; i++) {
		char c = t->s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return 0;
	}
	return !tfeat_is_any(t, aux_words) && !tfeat_is_any(t, be_words) &&
	       !tfeat_is_any(t, preps) && !tfeat_is_any(t, not_names) &&
	       !tfeat_is_any(t, clause_words) && !tfeat_is_word(t, "to");
}

static int determiner(const tagger_tok *t)
{
	return tfeat_is_word(t, "the") || tfeat_is_word(t, "a") || tfeat_is_word(t, "an");
}

/* Whether tokens (p, j) can be the object of a phrase inside a subject
 * ("at the region", "in Russia's capital"): plain words that show no
 * verb form (-ed, -ing: "accused Ukraine of siphoning oil", "forces in
 * Iraq opened fire"), capitalised names, "the" and possessives; not
 * starting with "a"/"an" ("in a statement" tells how, not who) nor ending
 * with a determiner ("in the face"). */
static int pp_object(const tagger_tok *tok, uint32_t p, uint32_t j, const uint8_t *lex,
		     const uint8_t *gaz, const uint8_t *ent)
{
	if (p + 1 >= j || tfeat_is_word(&tok[p + 1], "a") || tfeat_is_word(&tok[p + 1], "an") ||
	    determiner(&tok[j - 1]))
		return 0;
	for (uint32_t i = j; i > p + 1; i--) {
		const tagger_tok *w = &tok[i - 1];
		uint32_t k = possessive(tok, i);
		if (k) {
			i -= k - 1;
			continue;
		}
		if (lex[i - 1])
			return 0;
		if (plain_word(w, 0) && !ends(w, "ed") && !ends(w, "ing"))
			continue;
		if (tfeat_is_word(w, "the") ||
		    (w->len > 0 && w->s[0] >= 'A' && w->s[0] <= 'Z' && name_token(tok, i - 1, gaz, ent)))
			continue;
		return 0;
	}
	return 1;
}

/* The tokens of a possessive 's ending before token f whose possessor,
 * the token before it, may join the run of names ending at j: a name or,
 * unless names_only, a plain word ("the country's"). 0 if there is none. */
static uint32_t possessor_at(const tagger_tok *tok, const uint8_t *lex, const uint8_t *gaz,
			     const uint8_t *ent, uint32_t f, uint32_t j, int names_only)
{
	uint32_t k = possessive(tok, f);

	if (!k || f <= k || j - f + k + 1 > RUN_MAX || lex[f - k - 1])
		return 0;
	if (name_token(tok, f - k - 1, gaz, ent) ||
	    (!names_only && plain_word(&tok[f - k - 1], 0)))
		return k;
	return 0;
}

/* The number m (1 to 3) of lowercase words before token f that sit
 * between a possessive and the head of a run of names ending at j ("top
 * nuclear" in "Iran's top nuclear official"): plain words without a verb
 * form, not a lexicon verb, after a name's 's; 0 if there are none such. */
static uint32_t modifiers_of_possessed(const tagger_tok *tok, const uint8_t *lex,
				       const uint8_t *gaz, const uint8_t *ent, uint32_t f,
				       uint32_t j)
{
	for (uint32_t m = 1; m <= 3 && m < f; m++) {
		uint32_t i = f - m; /* the m-th word before f */
		if (lex[i] || !plain_word(&tok[i], 0) || ends(&tok[i], "ed") || ends(&tok[i], "ing"))
			return 0;
		if (possessor_at(tok, lex, gaz, ent, i, j, 1))
			return m;
	}
	return 0;
}

/* The start of the run of names ending at j (tokens [f, j)): "Russian
 * President Vladimir Putin", with "of" inside ("Ministry of Defence") and
 * possessors ("Azerbaijan's prosecutor general's office": after a
 * possessive 's, lowercase words too; "Iran's top nuclear official": up to
 * three of them between a name's 's and the head). tok[j - 1] is a name
 * token. */
static uint32_t name_run(const tagger_tok *tok, const uint8_t *lex, const uint8_t *gaz,
			 const uint8_t *ent, uint32_t j)
{
	uint32_t f = j - 1, k;
	int poss = 0;
	while (f > 0 && j - f < RUN_MAX) {
		const tagger_tok *p = &tok[f - 1];
		if ((k = possessor_at(tok, lex, gaz, ent, f, j, 0))) {
			/* the possessive, then its possessor */
			f -= k;
			poss = 1;
		} else if (!lex[f - 1] && (name_token(tok, f - 1, gaz, ent) ||
					   (poss && plain_word(p, 0)))) {
			f--;
		} else if (f >= 2 && tfeat_is_word(p, "of") &&
			   name_token(tok, f - 2, gaz, ent) && j - f + 2 <= RUN_MAX) {
			f -= 2;
		} else if (!poss && (k = modifiers_of_possessed(tok, lex, gaz, ent, f, j))) {
			/* "Iran's top nuclear official": the possessive next */
			f -= k;
		} else {
			break;
		}
	}
	return f;
}

/* Whether the word before a phrase inside a subject can head it: an
 * actor noun, a gazetteer or entity word, or a capitalised name not at
 * the start of the sentence ("Talks in Moscow" is no actor). */
static int pp_head(const tagger_tok *tok, uint32_t i, const uint8_t *lex, const uint8_t *gaz,
		   const uint8_t *ent)
{
	if (lex[i] || !name_token(tok, i, gaz, ent))
		return 0;
	return i > 0 || tfeat_is_any(&tok[i], actor_nouns) || (gaz && gaz[i]) ||
	       (ent && ent[i] > 1);
}

/* The start of the noun phrase ending at j that can be a subject: a run
 * of names, or one that heads a short phrase after "at", "in", "of" or
 * "from" ("Armenian officials at the region"; at most PP_DEPTH such
 * phrases, PP_MAX tokens after each preposition, no verb or clause
 * boundary inside). 1 and *f (and *pp = 1 if it took such a phrase), or
 * 0. */
static int subject_np(const tagger_tok *tok, const uint8_t *lex, const uint8_t *gaz,
		      const uint8_t *ent, uint32_t j, int depth, uint32_t *f, int *pp)
{
	if (j == 0)
		return 0;
	/* the nearest preposition within PP_MAX + 1 tokens before j */
	if (depth < PP_DEPTH)
		for (uint32_t p = j - 1; p > 0 && j - p <= PP_MAX + 1; p--) {
			if (!tfeat_is_any(&tok[p], np_preps))
				continue;
			uint32_t g;
			if (pp_object(tok, p, j, lex, gaz, ent) && pp_head(tok, p - 1, lex, gaz, ent) &&
			    subject_np(tok, lex, gaz, ent, p, depth + 1, &g, pp) && j - g <= SUBJECT_MAX) {
				*f = g;
				*pp = 1;
				return 1;
			}
			break;
		}
	/* (a lexicon word may end it: "The Islamic State attacked") */
	if (!name_token(tok, j - 1, gaz, ent))
		return 0;
	*f = name_run(tok, lex, gaz, ent, j);
	return 1;
}

static int adverb(const tagger_tok *t)
{
	return t->len > 2 && t->s[t->len - 2] == 'l' && t->s[t->len - 1] == 'y' &&
	       lowercase_word(t);
}

/* The start of the auxiliaries and adverbs (at most three) before the
 * verb at v ("has also accused", "were reportedly shot"; with all_be also
 * "be", "been" and "being": "has been indicted", "to be fired"); *passive:
 * one of them is a form of "be" and the verb does not end in -ing ("was
 * invited", "were shot"; "is leading" is not passive). */
static uint32_t verb_group(const tagger_tok *tok, uint32_t v, int all_be, int *passive)
{
	uint32_t j = v;
	int be = 0;
	for (int k = 0; k < 3 && j > 0; k++) {
		const tagger_tok *p = &tok[j - 1];
		if (!tfeat_is_any(p, aux_words) && !adverb(p) &&
		    !(all_be && tfeat_is_any(p, be_words)))
			break;
		be |= tfeat_is_any(p, be_words);
		j--;
	}
	const tagger_tok *vt = &tok[v];
	*passive = be && !(vt->len > 3 && memcmp(vt->s + vt->len - 3, "ing", 3) == 0);
	return j;
}

/* The subject of the active lexicon verb at v, whose auxiliaries and
 * adverbs start at j (verb_group), or 0. */
static int subject_of(const tagger_tok *tok, const uint8_t *lex, const uint8_t *gaz,
		      const uint8_t *ent, uint32_t v, uint32_t j, uint32_t *first,
		      uint32_t *last)
{
	const tagger_tok *vt = &tok[v];
	if (j == 0 || (j < v && lex[j - 1]))
		return 0;
	uint32_t f;
	int pp = 0;
	if (!subject_np(tok, lex, gaz, ent, j, 0, &f, &pp))
		return 0;
	/* across a phrase the noun phrase is less sure: the verb must show
	 * tense or number, or follow an auxiliary ("come", "say" right after
	 * "many insurgents in Iraq" may be the noun phrase's own words) */
	if (pp && j == v && !inflected(vt))
		return 0;
	if (f > 0 && (tfeat_is_word(&tok[f - 1], "the") || tfeat_is_word(&tok[f - 1], "a") ||
		      tfeat_is_word(&tok[f - 1], "an"))) {
		/* "the Armenia-Azerbaijan conflict": after a determiner, a
		 * lexicon word without -ed, -s or -ing ends a noun phrase */
		if (j == v && !inflected(vt))
			return 0;
		f--;
	}
	if (f > 0 && (tfeat_is_any(&tok[f - 1], preps) || tfeat_is_word(&tok[f - 1], "to")))
		return 0;
	*first = f;
	*last = j;
	return 1;
}

/* The agent of the passive lexicon verb at v: "by" right after it (or
 * after one adverb), then a noun phrase of names, actor nouns and plain
 * words ("were killed by Taliban militants", "was demolished by a
 * Ukrainian protestor"): an optional leading "the"/"a"/"an", possessives
 * and "of" or a hyphen between two of its words inside, at most
 * SUBJECT_MAX tokens, at least one a name or actor noun, not starting
 * with an -ing word ("by using force"). 1 and [*first, *last), or 0. */
static int agent_of(const tagger_tok *tok, uint32_t n, const uint8_t *lex, const uint8_t *gaz,
		    const uint8_t *ent, uint32_t v, uint32_t *first, uint32_t *last)
{
	uint32_t b = v + 1;
	if (b < n && adverb(&tok[b]) && !lex[b])
		b++;
	if (b + 1 >= n || !tfeat_is_word(&tok[b], "by"))
		return 0;
	uint32_t f = b + 1, i = f, l = f;
	int named = 0;
	if (determiner(&tok[i]))
		i++;
	if (i < n && ends(&tok[i], "ing"))
		return 0;
	while (i < n && i - f < SUBJECT_MAX) {
		if (lex[i])
			break;
		if (name_token(tok, i, gaz, ent)) {
			named = 1;
		} else if (!plain_word(&tok[i], 0)) {
			/* "of" or a hyphen between two words of the phrase */
			int joint = (tfeat_is_word(&tok[i], "of") ||
				     (tok[i].len == 1 && tok[i].s[0] == '-')) &&
				    i == l && i > f && i + 1 < n && !lex[i + 1] &&
				    (name_token(tok, i + 1, gaz, ent) || plain_word(&tok[i + 1], 0));
			if (!joint)
				break;
			i++;
			continue;
		}
		/* the word, and its 's (one token, or two: "' s") */
		l = i + 1;
		if (i + 2 <= n && possessive(tok, i + 2) == 1)
			l = i + 2;
		else if (i + 3 <= n && possessive(tok, i + 3) == 2)
			l = i + 3;
		i = l;
	}
	if (!named || l <= f || l - f > SUBJECT_MAX)
		return 0;
	*first = f;
	*last = l;
	return 1;
}

int tagger_find_subject(const tagger_tok *tok, uint32_t n, const uint8_t *lex,
			uint8_t report, int event_only, const uint8_t *gaz,
			const uint8_t *ent, uint32_t *first, uint32_t *last)
{
	return tagger_find_actor(tok, n, lex, report, event_only, 0, gaz, ent, first, last);
}

int tagger_find_actor(const tagger_tok *tok, uint32_t n, const uint8_t *lex,
		      uint8_t report, int event_only, int passive, const uint8_t *gaz,
		      const uint8_t *ent, uint32_t *first, uint32_t *last)
{
	if (!lex)
		return 0;
	/* event verbs first, then (unless event_only) reporting verbs */
	for (int pass = 0; pass < (event_only || !report ? 1 : 2); pass++)
		for (uint32_t v = 1; v < n; v++) {
			/* "was", "has" are in the lexicon too, but no event */
			if (!lex[v] || !lowercase_word(&tok[v]) || tfeat_is_any(&tok[v], aux_words) ||
			    tfeat_is_any(&tok[v], be_words))
				continue;
			if (report && (lex[v] == report) != (pass == 1))
				continue;
			/* a passive verb's subject is acted upon: its agent, if
			 * asked for, acts */
			int pv;
			uint32_t j = verb_group(tok, v, passive, &pv);
			if (pv ? passive && agent_of(tok, n, lex, gaz, ent, v, first, last)
			       : subject_of(tok, lex, gaz, ent, v, j, first, last))
				return 1;
		}
	return 0;
}

/* ---- the scores of the spans a rule makes ----
 *
 * The model's marginal of a span a rule made is often low: the model alone
 * did not choose it. Such a span is scored instead by the model's
 * probability of it given what the rule asserts, short of the span itself:
 *   the promoted SOURCE: P(it is the SOURCE | the sentence has a SOURCE),
 *       the model's marginal divided by the probability that some SOURCE
 *       span is there (the rule says there is one; the subject finder,
 *       not the model, says which);
 *   another span the promotion's re-decoding changed: its marginal in the
 *       lattice the rule decoded, with the subject forced to the SOURCE;
 *   a span the target rule made: P(span | the labels up to the end of
 *       the last SOURCE as kept, and a TARGET after it), without the bias
 *       (a decoding device, not a probability).
 * Each probability is computed by forward-backward over the model's
 * scores with the labels the condition excludes set to -inf. */

#define RULE_NEG -1e30
#define RULE_SPANS_MAX 64 /* new spans the target rule scores */

/* Forward-backward over ws->rsc[n * L] (overwritten with exp scores,
 * the alphas and betas left in ws->a, ws->b, ws->c): log Z, and *zp for
 * rule_span_p. */
static double rule_fb(const tagger_t *t, tagger_ws *ws, uint32_t n, double *zp)
{
	return tagger_forward_backward(ws->rsc, t->etr, t->eew, t->nlab, n, ws->a, ws->b,
				       ws->c, zp);
}

/* The marginal of span sp in the lattice rule_fb last computed. */
static double rule_span_p(const tagger_t *t, const tagger_ws *ws, uint32_t n, double zp,
			  const tagger_span *sp)
{
	uint32_t nt = dict_size(t->types);
	int bl = t->ilab[nt + sp->type], il = t->ilab[sp->type];
	if (bl < 0)
		return 0;
	double p = tagger_span_prob(ws->rsc, t->etr, t->eew, t->nlab, n, ws->a, ws->b, ws->c,
				    zp, sp->first, sp->last, (uint32_t)bl, il);
	return isfinite(p) ? p : 0;
}

/* ws->rsc = src with the labels of type ty set to -inf at tokens [from, n). */
static void rule_lattice(const tagger_t *t, tagger_ws *ws, const double *src, uint32_t n,
			 uint32_t ty, uint32_t from)
{
	uint32_t L = t->nlab;
	memcpy(ws->rsc, src, (size_t)n * L * sizeof(double));
	for (uint32_t i = from; i < n && ty != UINT32_MAX; i++)
		for (uint32_t y = 0; y < L; y++)
			if (t->type[y] == ty)
				ws->rsc[(size_t)i * L + y] = RULE_NEG;
}

/* The probability of an event H from log Z of a lattice and log Z0 of
 * the same lattice without H: 1 - Z0 / Z. */
static double rule_p_event(double logz, double logz0)
{
	double d = logz0 - logz;
	if (!isfinite(logz0) || d < -745)
		return 1;
	return d >= 0 ? 0 : -expm1(d);
}

static double clamp01(double p)
{
	return !(p > 0) ? 0 : p > 1 ? 1 : p;
}

/* Records sp, made by a rule, with its score. */
static void rule_record(tagger_ws *ws, const tagger_span *sp, double score)
{
	ws->rsp[sp->first] = *sp;
	ws->rsp[sp->first].score = (float)clamp01(score);
	ws->nrsp++;
}

/* Whether span sp is one of old[0..no). */
static int rule_had(const tagger_span *old, uint32_t no, const tagger_span *sp)
{
	for (uint32_t k = 0; k < no; k++)
		if (old[k].first == sp->first && old[k].last == sp->last && old[k].type == sp->type)
			return 1;
	return 0;
}

/* The constraint of the promotion rule on sc: tokens [f, l) one span
 * B-SOURCE I-SOURCE..., no I- label at l. */
static void promote_constrain(const tagger_t *t, double *sc, uint32_t n, uint32_t f,
			      uint32_t l, uint32_t bs, uint32_t is)
{
	uint32_t L = t->nlab, end = l < n ? l + 1 : l;
	for (uint32_t i = f; i < end; i++) {
		double *s = sc + (size_t)i * L;
		for (uint32_t y = 0; y < L; y++) {
			/* after the span, no I- label continues anything */
			int ok = i == l ? t->kind[y] != 'I' : y == (i == f ? bs : is);
			if (!ok)
				s[y] = RULE_NEG;
		}
	}
}

static int rule_promote(const tagger_t *t, tagger_ws *ws, const tagger_tok *tok,
			uint32_t n, const tfeat_layers *ly, double *sc, uint32_t *lab,
			int score)
{
	uint32_t bs = dict_get(t->labels, "B-SOURCE", 8);
	uint32_t is = dict_get(t->labels, "I-SOURCE", 8);
	uint32_t src = dict_get(t->types, "SOURCE", 6);
	uint32_t rec = dict_get(t->types, "RECIPROCAL", 10);
	if (bs == DICT_NONE || src == DICT_NONE)
		return 0;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t ty = t->type[lab[i]];
		if (ty != UINT32_MAX && (ty == src || ty == rec))
			return 0;
	}
	uint32_t f, l;
	if (!tagger_find_actor(tok, n, ly->lex, ly->lex_report,
			       (t->rules & TAGGER_RULE_EVENT_ONLY) != 0,
			       (t->rules & TAGGER_RULE_PASSIVE) != 0, ly->gaz, ly->ent, &f, &l))
		return 0;
	if (l - f > 1 && is == DICT_NONE)
		return 0;
	uint32_t L = t->nlab, no = score ? tagger_spans(t, lab, n, ws->rold) : 0;
	tagger_span forced = { f, l, src, 0 };
	if (t->rules & TAGGER_RULE_OVERWRITE) {
		for (uint32_t i = f; i < l; i++)
			lab[i] = i == f ? bs : is;
	} else {
		/* constrained Viterbi over a copy of the scores */
		memcpy(ws->rsave, sc, (size_t)n * L * sizeof(double));
		promote_constrain(t, ws->rsave, n, f, l, bs, is);
		tagger_viterbi_blocked(ws->rsave, t->trp, t->endw, L, n, ws->vd, lab);
		if (!score)
			return 1;
		/* the other spans the re-decoding made: their marginals in
		 * that lattice */
		uint32_t nc = tagger_spans(t, lab, n, ws->rcur), fb = 0;
		double zp = 0;
		for (uint32_t k = 0; k < nc; k++) {
			const tagger_span *sp = &ws->rcur[k];
			if (sp->first == f || rule_had(ws->rold, no, sp))
				continue;
			if (!fb) {
				rule_lattice(t, ws, ws->rsave, n, UINT32_MAX, 0);
				rule_fb(t, ws, n, &zp);
				fb = 1;
			}
			rule_record(ws, sp, rule_span_p(t, ws, n, zp, sp));
		}
	}
	if (!score)
		return 1;
	/* the SOURCE: P(it | some SOURCE) */
	double zp, zp0;
	rule_lattice(t, ws, sc, n, UINT32_MAX, 0);
	double logz = rule_fb(t, ws, n, &zp);
	double p = rule_span_p(t, ws, n, zp, &forced);
	rule_lattice(t, ws, sc, n, src, 0);
	double ph = rule_p_event(logz, rule_fb(t, ws, n, &zp0));
	rule_record(ws, &forced, ph > 0 ? p / ph : 0);
	return 1;
}

/* The target rule: a sentence with a SOURCE but no TARGET (nor
 * RECIPROCAL) is decoded again with the labels up to the end of its last
 * SOURCE span kept, no I- label just after it, and t->tbias added to the
 * B-TARGET score of every token after it: the best labelling that has a
 * TARGET there wins if it scores within about tbias of the best one. */
static int rule_target(const tagger_t *t, tagger_ws *ws, uint32_t n, double *sc,
		       uint32_t *lab, int score)
{
	uint32_t bt = dict_get(t->labels, "B-TARGET", 8);
	uint32_t src = dict_get(t->types, "SOURCE", 6);
	uint32_t tgt = dict_get(t->types, "TARGET", 6);
	uint32_t rec = dict_get(t->types, "RECIPROCAL", 10);
	if (bt == DICT_NONE || src == DICT_NONE)
		return 0;
	int64_t last = -1;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t ty = t->type[lab[i]];
		if (ty == UINT32_MAX)
			continue;
		if (ty == tgt || (rec != DICT_NONE && ty == rec))
			return 0;
		if (ty == src)
			last = i;
	}
	if (last < 0 || (uint32_t)last + 1 >= n)
		return 0;
	uint32_t L = t->nlab, k = (uint32_t)last + 1;
	uint32_t no = score ? tagger_spans(t, lab, n, ws->rold) : 0;
	/* the kept labels, on a copy of the scores (sc stays the model's) */
	memcpy(ws->rsave, sc, (size_t)n * L * sizeof(double));
	for (uint32_t i = 0; i < k; i++)
		for (uint32_t y = 0; y < L; y++)
			if (y != lab[i])
				ws->rsave[(size_t)i * L + y] = RULE_NEG;
	for (uint32_t y = 0; y < L; y++)
		if (t->kind[y] == 'I')
			ws->rsave[(size_t)k * L + y] = RULE_NEG;
	for (uint32_t i = k; i < n; i++)
		ws->rsave[(size_t)i * L + bt] += t->tbias;
	tagger_viterbi_blocked(ws->rsave, t->trp, t->endw, L, n, ws->vd, lab);
	if (!score)
		return 1;
	for (uint32_t i = k; i < n; i++)
		ws->rsave[(size_t)i * L + bt] = sc[(size_t)i * L + bt];
	/* the spans it made: P(span | the kept labels, a TARGET after
	 * them) = P(span and a TARGET) / P(a TARGET), from the lattice of
	 * the kept labels (Z) and the same without TARGET labels after
	 * them (Z0): P(span and a TARGET) = P(span) - P0(span) Z0 / Z */
	uint32_t nc = tagger_spans(t, lab, n, ws->rcur), nnew = 0;
	for (uint32_t j = 0; j < nc; j++)
		if (!rule_had(ws->rold, no, &ws->rcur[j]))
			ws->rcur[nnew++] = ws->rcur[j];
	if (nnew == 0)
		return 1;
	/* (past RULE_SPANS_MAX new spans, the rest keep the model's scores) */
	double p1[RULE_SPANS_MAX], zp, zp0;
	uint32_t m = nnew < RULE_SPANS_MAX ? nnew : RULE_SPANS_MAX;
	rule_lattice(t, ws, ws->rsave, n, UINT32_MAX, 0);
	double logz = rule_fb(t, ws, n, &zp);
	for (uint32_t j = 0; j < m; j++)
		p1[j] = rule_span_p(t, ws, n, zp, &ws->rcur[j]);
	rule_lattice(t, ws, ws->rsave, n, tgt, k);
	double logz0 = rule_fb(t, ws, n, &zp0);
	double ph = rule_p_event(logz, logz0), r0 = ph < 1 ? exp(logz0 - logz) : 0;
	for (uint32_t j = 0; j < m; j++) {
		const tagger_span *sp = &ws->rcur[j];
		double p = p1[j];
		if (sp->type != tgt)
			p -= rule_span_p(t, ws, n, zp0, sp) * r0;
		rule_record(ws, sp, ph > 0 ? p / ph : 0);
	}
	return 1;
}

int tagger_rules_apply(const tagger_t *t, tagger_ws *ws, const tagger_tok *tok,
		       uint32_t n, const tfeat_layers *ly, double *sc, uint32_t *lab,
		       int score)
{
	int changed = 0;

	ws->nrsp = 0;
	if (n == 0)
		return 0;
	for (uint32_t i = 0; i < n; i++)
		ws->rsp[i].score = -1;
	if (t->rules & TAGGER_RULE_PROMOTE)
		changed |= rule_promote(t, ws, tok, n, ly, sc, lab, score);
	if (t->rules & TAGGER_RULE_TARGET)
		changed |= rule_target(t, ws, n, sc, lab, score);
	return changed;
}
