/* status: event status flags of a sentence from cue words and their scope:
 * negated ("did not attack", "denied that they fired"), hypothetical
 * (threats, plans, requests, conditionals, modals: "may strike", "plans
 * to", "urged", "if") and reported (attributed to a source: "X said that",
 * "according to", "reportedly").
 *
 * The rules, NegEx-style: the sentence is cut into clauses at hard
 * boundaries (";", "--", "but", "however", "although", "though", "while",
 * "whereas", "because", a closing quote) and relative clauses ("who",
 * "which", "whom", "whose" up to the next comma) are set apart. A cue
 * counts when it governs the event verb: it stands before the verb (or is
 * the verb, for verbs such as "urge" or "threaten"), in the same clause,
 * within its cue's reach in tokens. Reporting cues may also follow the
 * verb ("Troops withdrew, the minister said"; also after a closing quote),
 * and "if"/"unless" and "according to" count anywhere in the verb's
 * clause. A cue present but out of scope gives a low score (below 0.5).
 * The event verb is the caller's, or else a verb form of the CAMEO
 * lexicon (inflections stripped), preferring the given PLOVER type, main
 * clauses, and verbs over nouns after a determiner; reporting and
 * negation words are not event verbs. Without a verb, cues of the main
 * clause count only when a type says there is an event.
 * The corpus codebook's rules, when the PLOVER type is given: THREATEN and
 * REQUEST are always hypothetical, an AGREE is hypothetical by default
 * (promises, plans, invitations: score 0.6); a refusal is the REJECT event,
 * not a negation ("denied", "did not", "will not" count neither as negated
 * nor, for the modal, as hypothetical); for the verbal acts ACCUSE, REJECT
 * and SUPPORT, a negation or modal in what was said ("said the elections
 * will not be free") is halved unless it governs the act's own verb; and a
 * negation inside something hypothetical ("urged them not to") is halved,
 * since the codebook's negated is for events said not to have happened.
 *
 * Pure: no state, const tables; safe from any number of threads. */
#ifndef EVTAG_STATUS_H
#define EVTAG_STATUS_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "text/tok.h"

/* No event verb given (status_find) or found. */
#define STATUS_NO_VERB (-1)

typedef struct status_flags {
	int negated, hypothetical, reported; /* 1 when the score is >= 0.5 */
	double neg_score, hyp_score, rep_score; /* in [0,1] */
	int32_t neg_cue, hyp_cue, rep_cue; /* token index of the deciding cue,
					      or -1 (none, or a type rule) */
	int32_t verb; /* event verb token used, or STATUS_NO_VERB */
} status_flags;

/* Status flags of the sentence tok[0..ntok) (byte offsets into text, which
 * is len bytes long) into *out. plover: the event's PLOVER type or NULL
 * (unknown; "NONE" counts as unknown). verb: the event verb's token index,
 * or STATUS_NO_VERB to find one. 0, or ERR_ARG with e set (NULL out, NULL
 * text or tok with ntok > 0, a token outside the text, verb >= ntok); *out
 * is then all zero with -1 indices. */
int status_find(const char *text, size_t len, const tok_token *tok, size_t ntok,
		const char *plover, long verb, status_flags *out, err_t *e);

/* Token index of the first event verb of tok[0..ntok) with PLOVER type
 * plover (any type when plover is NULL), skipping status cues, or
 * STATUS_NO_VERB. Tokens must lie inside text (not checked). */
long status_event_verb(const char *text, const tok_token *tok, size_t ntok,
		       const char *plover);

#endif
