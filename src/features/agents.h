/* agents: actor types from agent nouns and titles ("President" -> GOV,
 * "army" -> MIL, "protesters" -> CVLOPP).
 *
 * A list of phrases, each with a PLOVER/CAMEO agent type, read from plain
 * text files (models/agents.txt, compiled by training/agents.sh from the
 * Open Event Data Alliance agents dictionary, and any file of the user's):
 *
 *     # comment
 *     GOV     president
 *     GOVMIL  ministry of defence
 *
 * One entry a line: the type (one or more three-letter capital codes
 * written together, GOVMIL being GOV and MIL), spaces or tabs, the phrase;
 * the type may follow an ISO 3166 alpha-3 country code and a slash when
 * the phrase names one country's institution ("RUS/GOV kremlin": the
 * Kremlin is Russia's government, as news uses the name);
 * `#` starts a comment, at the start of a line or after a space.
 * Types NON, JNK and UNK mark a phrase that names no agent ("military
 * conflict"): a match gives no type but still wins over shorter matches
 * inside it. A phrase given again (in the same or a later file) takes the
 * later type, so a user's file overrides the shipped one.
 *
 * Matching is over words, case-insensitive (ASCII), the way the phrases
 * were split: letters, digits, '-' and apostrophes make words (’ is an
 * apostrophe), everything else separates them, a possessive 's is a word
 * of its own. The last word of a phrase also matches its regular plural
 * ("rebels", "ministries", "witnesses"), as PETRARCH does.
 *
 * A loaded list is read-only and can be shared by threads. */
#ifndef EVTAG_AGENTS_H
#define EVTAG_AGENTS_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

typedef struct agents agents_t;

/* Longest phrase, in words, a file may hold. */
#define AGENTS_MAX_WORDS 16

/* A new, empty list; NULL if out of memory. agents_free(NULL) is a no-op. */
agents_t *agents_new(void);
void agents_free(agents_t *a);

/* Adds the entries of the file at path to a (later entries win). The file
 * is checked whole before anything is added: on failure a is unchanged.
 * 0, or ERR_IO (unreadable), ERR_FORMAT ("path:line: reason": a line
 * without a phrase, a type that is not three-letter capital codes, a
 * phrase with no word or more than AGENTS_MAX_WORDS, a country that is
 * not three capital letters, invalid UTF-8),
 * ERR_EMPTY (no entry at all) or ERR_NOMEM, with e set. */
int agents_read(agents_t *a, const char *path, err_t *e);
/* The same from memory data[0..len); name is used in messages. */
int agents_parse(agents_t *a, const char *name, const char *data, size_t len, err_t *e);

/* Number of distinct phrases. */
uint32_t agents_size(const agents_t *a);

/* A byte range [start, end) of a text. */
typedef struct agents_range {
	size_t start, end;
} agents_range;

/* What a lookup found: the type (NULL for a NON/JNK/UNK phrase; owned by
 * the list), the phrase's country ("" when the entry gives none) and the
 * bytes [start, end) of the matched words in the text. */
typedef struct agents_match {
	const char *type;
	char country[4];
	size_t start, end;
} agents_match;

/* The agent type of an actor text[0..len) ("Russian President Vladimir
 * Putin"): the longest phrase among its words (ties: the leftmost, the head
 * of "ministers representing the group"). Words overlapping skip[0..nskip)
 * (byte ranges of text, e.g. its place names: "United States" is not a
 * "state") take no part; skip may be NULL. Only the first 128 words are
 * looked at. Returns 1 with *m set when a phrase matched (m->type may be
 * NULL: a phrase that names no agent), else 0. */
int agents_find(const agents_t *a, const char *text, size_t len, const agents_range *skip,
		size_t nskip, agents_match *m);

/* The title just before a name: the longest phrase ending with the last
 * word of text[0..len) (the sentence up to the name: "... Russian
 * President"), when nothing but spaces follows that word. 1 with *m set,
 * else 0. */
int agents_find_before(const agents_t *a, const char *text, size_t len, agents_match *m);

#endif
