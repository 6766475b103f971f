/* gaz: a gazetteer of country names and nationality words.
 *
 * Read from a CSV file laid out like ../shared/gazetteers/countries.csv:
 * header line, then CCA2,Name,CCA3,Nationality where Nationality is a
 * comma-separated list inside double quotes ("Russian,Russians"). Every
 * Name and every item of the list becomes an entry (a phrase of one or
 * more tokens) linked to the row's CCA3 code. Phrases are split into
 * tokens like the corpora: on spaces, with brackets and commas split off.
 *
 * Matching is over tokens, leftmost-longest: at each position the longest
 * entry that matches wins. Case: a token sequence matches an entry when
 * it is spelled exactly the same, or when it is in capitals (a headline:
 * "RUSSIA") and matches the entry's capitalised spelling; "us" never
 * matches "US".
 *
 * A loaded gazetteer is read-only and can be shared between threads. It is
 * saved into tagger model files (gaz_save/gaz_load), so a model carries it. */
#ifndef EVTAG_GAZ_H
#define EVTAG_GAZ_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "features/tfeat.h"

typedef struct gaz gaz_t;

/* Kinds of entries and the per-token tags gaz_tag() writes (0 = none). */
enum { GAZ_NAME = 0, GAZ_ALT = 1 };
enum {
	GAZ_TAG_NONE = 0,
	GAZ_TAG_B_NAME = 1, GAZ_TAG_I_NAME = 2, /* a country's name */
	GAZ_TAG_B_ALT = 3, GAZ_TAG_I_ALT = 4    /* nationality or other name */
};

/* A match: tokens [first, last) form the entry `entry`. */
typedef struct gaz_match {
	uint32_t first, last;
	uint32_t entry;
} gaz_match;

/* Reads the CSV file at path. *out is set to a gazetteer the caller frees
 * with gaz_free(). ERR_IO if unreadable, ERR_FORMAT ("file:line: reason")
 * for a malformed row, ERR_EMPTY if it has no entries. */
int gaz_read(const char *path, gaz_t **out, err_t *e);
/* Same from memory (data[0..len)); name is used in messages. */
int gaz_parse(const char *name, const char *data, size_t len, gaz_t **out,
	      err_t *e);
void gaz_free(gaz_t *g);

/* Number of entries. */
uint32_t gaz_size(const gaz_t *g);
/* Entry details: its ISO3 (CCA3) code, its kind (GAZ_NAME or GAZ_ALT) and
 * the country's name; NULL for an out-of-range entry. Strings owned by g. */
const char *gaz_entry_code(const gaz_t *g, uint32_t entry);
int gaz_entry_kind(const gaz_t *g, uint32_t entry);
const char *gaz_entry_country(const gaz_t *g, uint32_t entry);

/* Finds the leftmost-longest matches in tok[0..n): writes up to max
 * matches to out and returns how many there are (may exceed max). */
uint32_t gaz_find(const gaz_t *g, const tfeat_tok *tok, uint32_t n,
		  gaz_match *out, uint32_t max);

/* Writes per-token tags (GAZ_TAG_*) for tok[0..n) into tags[n]. */
void gaz_tag(const gaz_t *g, const tfeat_tok *tok, uint32_t n, uint8_t *tags);

/* Links an actor's text ("Russian President Vladimir Putin", "Armenia",
 * "the United States") to a country: the ISO3 code of the first
 * (leftmost-longest) match, or NULL if none. The text is split on spaces
 * and punctuation; possessive 's is split off. The string is owned by g. */
const char *gaz_lookup(const gaz_t *g, const char *text, size_t len);

/* Like gaz_lookup, but only when one entry spans the whole text
 * ("Armenia", not "New Mexico" nor "Russian Far East"); NULL otherwise. */
const char *gaz_lookup_whole(const gaz_t *g, const char *text, size_t len);

/* Serialises the gazetteer (its entries) into b. */
void gaz_save(const gaz_t *g, buf_t *b);
/* Reads what gaz_save wrote; NULL (and r failed) on damage. */
gaz_t *gaz_load(rd_t *r);

#endif
