/* status_int: the status module's internal tables (not installed). */
#ifndef EVTAG_STATUS_INT_H
#define EVTAG_STATUS_INT_H

#include <stddef.h>

typedef struct status_verb {
	const char *form;   /* lower case, one word */
	const char *plover; /* its PLOVER type */
} status_verb;

/* Event verb forms sorted in byte order (strcmp), for binary search. */
extern const status_verb status_verbs[]; /* [status_nverbs] */
extern const size_t status_nverbs;

#endif
