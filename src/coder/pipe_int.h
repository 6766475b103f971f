/* pipe_int.h: what the files of the pipe module share (not public). */
#ifndef EVTAG_PIPE_INT_H
#define EVTAG_PIPE_INT_H

#include <stdint.h>

#include "base/err.h"
#include "coder/pipe.h"

/* pipe_actors.c: the actors' agent types and what an article says about
 * its people. */

/* Sets p->agent for actor p of record r (see docs/output.md, Agent types):
 * the longest phrase of the agents list ag among the actor's words (LOC
 * entities left out), else, when it is a person's name (its entity a PER),
 * a title just before it in the sentence; NULL when none (or ag NULL).
 * p->country, when still "", gets the phrase's country if its entry has one. */
void pipe_actor_agent(const agents_t *ag, const pipe_doc *d, const pipe_record *r,
		      pipe_span *p);

/* Gives the actors of the article's records rec[0..nrec) (their agent
 * types already set) that are a person (linked to a PER entity) and lack
 * a country or an agent type the ones the article gives that person
 * elsewhere: the most frequent among the actors and PER entities of the
 * article ending in the same word (the surname: "Putin" after "Russian
 * President Vladimir Putin"; ties: the first mention). Entities count
 * with the agent type of their words or the title before them, and the
 * country of their own words. The spans of rec are changed in place.
 * 0 or ERR_NOMEM with e set. */
int pipe_actors_people(const agents_t *ag, const pipe_doc *d, pipe_record *rec, uint32_t nrec,
		       err_t *e);

/* pipe.c: small writers the output formats share. */

/* The NUL-terminated s appended to b. */
void pipe_put_s(buf_t *b, const char *s);

/* 1 when label is NULL or PIPE_NONE: no event, or no class. */
int pipe_is_none(const char *label);

/* A probability for display: two decimals, a point whatever the locale. */
void pipe_put_score(buf_t *b, double v);

#endif
