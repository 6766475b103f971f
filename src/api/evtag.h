/* evtag.h: code news articles into political event records, from C.
 *
 * The one public header of libevtag (link with `pkg-config --libs evtag`).
 * Open a model set once, code any number of articles with it, read each
 * sentence's record as the JSON line `evtag classify` prints or through a
 * few typed fields, free the records, close the set:
 *
 *     evtag_models *m;
 *     evtag_records *r;
 *     evtag_error err;
 *     if (evtag_open(&m, NULL, NULL, &err) < 0)      // the installed models
 *         { fprintf(stderr, "%s\n", err.message); return 1; }
 *     if (evtag_code(m, text, len, "2020-10-09", "a1", &r, &err) == 0) {
 *         for (size_t i = 0; i < evtag_count(r); i++)
 *             fputs(evtag_record_json(r, i, NULL), stdout);
 *         evtag_records_free(r);
 *     }
 *     evtag_close(m);
 *
 * Rules:
 *  - Errors: functions that can fail return 0 or a negative EVTAG_ERR_
 *    code and, when err is not NULL, fill it with the code and a message
 *    ("place: reason"). The library never prints and never exits.
 *  - Ownership: what a function creates, its caller frees with the
 *    matching _free/_close (NULL is a no-op for both). Strings returned by
 *    the accessors belong to the records (or, for label names, to the
 *    model set): valid until evtag_records_free() / evtag_close().
 *  - Threads: an open model set is read-only; evtag_code() may be called
 *    on the same evtag_models from any number of threads at once (each
 *    call takes its own workspace from a small locked pool). A records
 *    object belongs to one thread at a time. evtag_close() only after
 *    every evtag_code() on the set has returned.
 *  - Offsets: bytes into the text given to evtag_code(), or code points
 *    (what the JSON lines hold).
 */
#ifndef EVTAG_H
#define EVTAG_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define EVTAG_API __attribute__((visibility("default")))
#else
#define EVTAG_API
#endif

/* The version of this header; evtag_version() gives the library's. */
#define EVTAG_VERSION "0.1.0"

/* Error codes (negative; 0 is success). */
enum {
	EVTAG_OK = 0,
	EVTAG_ERR_NOMEM = -1,   /* out of memory */
	EVTAG_ERR_IO = -2,      /* a file could not be read (models not found) */
	EVTAG_ERR_FORMAT = -3,  /* malformed input (a bad date) */
	EVTAG_ERR_UTF8 = -4,    /* the text is not valid UTF-8 */
	EVTAG_ERR_MODEL = -5,   /* a model file is damaged or of another version */
	EVTAG_ERR_ARG = -6,     /* invalid argument */
	EVTAG_ERR_NUMERIC = -7, /* numerical failure */
	EVTAG_ERR_EMPTY = -8    /* empty input where data is required */
};

/* Filled by a failing call: its code and a message. */
typedef struct evtag_error {
	int code;
	char message[1024];
} evtag_error;

/* How articles are coded (the options of `evtag classify`). */
typedef struct evtag_options {
	double threshold; /* event labels below this probability become NONE
			     (0..1, default 0) */
	int joint;        /* 1: PLOVER type decided jointly with the PentaClass
			     model (default 0) */
	int events_only;  /* 1: only sentences with an event (default 0) */
} evtag_options;

/* An open model set (entities, roles, PLOVER and PentaClass models). */
typedef struct evtag_models evtag_models;
/* The records of one coded article, one per sentence. */
typedef struct evtag_records evtag_records;

/* The library's version, "MAJOR.MINOR.PATCH"; static. */
EVTAG_API const char *evtag_version(void);

/* Static text naming an error code; never NULL. */
EVTAG_API const char *evtag_strerror(int code);

/* Sets *opt to the defaults (those of `evtag classify`). */
EVTAG_API void evtag_options_init(evtag_options *opt);

/* Opens the four models (entities.evm, roles.evm, plover.evm, penta.evm)
 * of folder dir, or with dir NULL of the first of: $EVTAG_MODELS, next to
 * the program (DIR/models, DIR/../share/evtag/models, DIR/../models),
 * next to libevtag.so (the same three), the installed DATADIR/models,
 * and the folder's place table places.evm when it has one (LOC entities
 * then get country, admin1 and coordinates; a damaged one is an error),
 * and the folder's agents.txt when it has one (the actors' agent types;
 * a malformed line fails with EVTAG_ERR_FORMAT naming file and line).
 * opt may be NULL (defaults). *out is closed with evtag_close(). 0, or
 * EVTAG_ERR_IO / EVTAG_ERR_MODEL / EVTAG_ERR_NOMEM / EVTAG_ERR_ARG with
 * err naming the folder or file; *out is then NULL. */
EVTAG_API int evtag_open(evtag_models **out, const char *dir, const evtag_options *opt,
			 evtag_error *err);

/* The folder m was opened from; owned by m. */
EVTAG_API const char *evtag_models_dir(const evtag_models *m);

/* Closes m and frees its models; NULL is a no-op. */
EVTAG_API void evtag_close(evtag_models *m);

/* Codes one article, text[0..len) in UTF-8 (not kept; it may start with
 * a "date YYYY-MM-DD" line, as a file for `evtag classify` may), into *out,
 * one record per sentence. date: the article date "YYYY-MM-DD" that
 * relative dates resolve against, or NULL (the text's date prefix, if
 * any). id: the document id written in the records' "doc", or NULL
 * (null). Safe to call from many threads on one m. *out is freed with
 * evtag_records_free(). 0, or EVTAG_ERR_UTF8 ("byte N: invalid UTF-8"),
 * EVTAG_ERR_FORMAT (a bad date), EVTAG_ERR_NOMEM or EVTAG_ERR_ARG with err
 * set (prefixed with id when given); *out is then NULL. */
EVTAG_API int evtag_code(evtag_models *m, const char *text, size_t len, const char *date,
			 const char *id, evtag_records **out, evtag_error *err);

/* Number of records in r (0 for NULL). */
EVTAG_API size_t evtag_count(const evtag_records *r);

/* Record i as the JSON line `evtag classify` prints for it, newline
 * included, NUL-terminated; its length in *len when len is not NULL.
 * Owned by r. NULL when i is out of range. */
EVTAG_API const char *evtag_record_json(const evtag_records *r, size_t i, size_t *len);

/* Record i's sentence: its number in the article (from 0) in *sent, its
 * bytes [*start, *end) and code points [*cstart, *cend) in the text; any
 * pointer may be NULL. 0, or EVTAG_ERR_ARG when i is out of range. */
EVTAG_API int evtag_record_sentence(const evtag_records *r, size_t i, size_t *sent,
				    size_t *start, size_t *end, size_t *cstart, size_t *cend);

/* Record i's PLOVER event type ("NONE" when the sentence has no event)
 * and its probability in *score (score may be NULL). NULL without a
 * PLOVER model or when i is out of range. Owned by the model set. */
EVTAG_API const char *evtag_record_plover(const evtag_records *r, size_t i, double *score);

/* Record i's CAMEO PentaClass ("NONE" when none) and its probability in
 * *score (may be NULL). NULL without the models or when i is out of
 * range. Owned by the model set. */
EVTAG_API const char *evtag_record_penta(const evtag_records *r, size_t i, double *score);

/* Record i's probability of no event, or -1 when unknown (no PLOVER model,
 * or i out of range). */
EVTAG_API double evtag_record_no_event(const evtag_records *r, size_t i);

/* Frees r; NULL is a no-op. */
EVTAG_API void evtag_records_free(evtag_records *r);

#ifdef __cplusplus
}
#endif

#endif
