/* progress: the front end's progress line for long runs on standard error
 * (`evtag classify --progress`): items done, items per second and, when
 * the input's size is known, the time left from the bytes read so far.
 *
 * On a terminal the line is redrawn in place (at most 5 times a second);
 * elsewhere (--progress into a file or pipe) a full line is written at
 * most once every 2 seconds. The last state is always written by
 * prog_end(), which ends the line, so the summary line that follows starts
 * on its own. Not thread-safe: call from one thread at a time (classify
 * calls it from its emit callback, which runs on one thread). */
#ifndef EVTAG_PROGRESS_H
#define EVTAG_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

typedef struct prog {
	FILE *f;             /* stderr; NULL: progress off */
	int tty;             /* f is a terminal: redraw in place */
	const char *cmd;     /* "classify": the line starts "evtag classify: " */
	const char *unit;    /* "articles" */
	uint64_t total;      /* input bytes, 0 when unknown */
	double t0, last;     /* start, and when the line was last written */
	int drawn;           /* the terminal line holds a progress line */
} prog;

/* Seconds on a monotonic clock. */
double prog_now(void);

/* Starts p: on 1 writes progress to f (a terminal or not, found with
 * isatty), on 0 leaves it off (every call is then a no-op). total: the
 * input's size in bytes, 0 when unknown (no time left is shown). */
void prog_init(prog *p, int on, FILE *f, const char *cmd, const char *unit, uint64_t total);

/* Reports done items and the input bytes read up to the last of them;
 * writes the line if enough time has passed since the last one. */
void prog_update(prog *p, uint64_t done, uint64_t bytes);

/* Before another message goes to f: clears the terminal line (redrawn at
 * the next update). */
void prog_clear(prog *p);

/* Writes the final state and ends the line. */
void prog_end(prog *p, uint64_t done, uint64_t bytes);

#endif
