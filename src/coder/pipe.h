/* pipe: evtag's event records and the ordered parallel batch engine.
 *
 * The engine (pipe_run) reads items (articles) on the caller's thread,
 * processes them on N worker threads, and hands each result back through a
 * callback strictly in input order, as soon as it and everything before it
 * is done. At most `window` items are in flight (read, being processed or
 * waiting for their turn), so memory stays flat on an endless stream, and
 * the output does not depend on the number of threads.
 *
 * The records (pipe_record) are what `evtag classify` writes for each
 * sentence; pipe_write_json/_text/_tsv turn one into bytes. The library
 * never prints: output goes into a buf_t the caller writes. */
#ifndef EVTAG_PIPE_H
#define EVTAG_PIPE_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "learn/clf.h"
#include "text/date.h"
#include "base/err.h"
#include "features/agents.h"
#include "features/gaz.h"
#include "features/status.h"
#include "learn/tagger.h"
#include "coder/places.h"

/* ---- the batch engine */

/* The handle work() gets for its item (see pipe_spill_out). */
typedef struct pipe_spill pipe_spill;

typedef struct pipe_ops {
	/* Reads the next item into *item. Returns 1 (got one), 0 (end of
	 * input) or a negative ERR_ code with e set (a fatal error: the run
	 * stops). A per-item problem (an unreadable article) is not fatal:
	 * return the item and let work() fail on it. Called on the caller's
	 * thread only, one call at a time. */
	int (*next)(void *ctx, void **item, err_t *e);
	/* Processes item with this thread's workspace ws, appending its output
	 * to out (empty on entry). Returns 0, or a negative ERR_ code with e
	 * set: the item failed, the run goes on. Called concurrently from the
	 * worker threads: ctx is shared read-only, ws is the thread's own. A
	 * long item may pass sp to pipe_spill_out() to hand its output over early. */
	int (*work)(void *ctx, void *ws, void *item, buf_t *out,
		    pipe_spill *sp, err_t *e);
	/* Receives item number seq's result, in input order: status is work()'s
	 * return, out its output (whatever it appended, also on failure), e its
	 * error. Returns 0, or a negative ERR_ code with e set to stop the run
	 * (a write error). Called one at a time, on one thread (not the
	 * caller's when nthreads > 1). */
	int (*emit)(void *ctx, uint64_t seq, void *item, int status,
		    const buf_t *out, const err_t *e, err_t *eout);
	/* Optional: receives part of item seq's output early (see
	 * pipe_spill_out), always before that item's emit() and after everything
	 * of the items before it, on the thread of the item's work(). Returns
	 * 0, or a negative ERR_ code with e set to stop the run. */
	int (*emit_part)(void *ctx, uint64_t seq, const buf_t *out, err_t *e);
	/* Frees an item (after emit, or unprocessed when the run stops). */
	void (*item_free)(void *ctx, void *item);
	/* A new per-thread workspace (NULL on failure), and its release. Both
	 * optional (NULL: workspaces are NULL). */
	void *(*ws_new)(void *ctx);
	void (*ws_free)(void *ctx, void *ws);
} pipe_ops;

/* Called by work() while it produces a long output: when every item before
 * this one has been emitted (its turn to be written), hands out's bytes to
 * ops->emit_part now and empties out, so a huge item does not hold all its
 * output in memory; the bytes written stay the same and in the same order.
 * Returns 1 when handed over, 0 when it is not the item's turn yet (or
 * there is no emit_part; out is kept), or the negative code of a failed
 * emit_part (e set; the run then stops). Output handed over stays written
 * even if the item fails later. sp may be NULL (returns 0). */
int pipe_spill_out(pipe_spill *sp, buf_t *out, err_t *e);

typedef struct pipe_stats {
	uint64_t items;  /* items read and emitted */
	uint64_t failed; /* of which work() failed */
} pipe_stats;

/* Runs the batch: items from ops->next, processed by nthreads workers
 * (nthreads <= 1: everything on the caller's thread, no threads started),
 * results to ops->emit in input order. window bounds the items in flight
 * (0: 4 per thread; at least nthreads). Returns 0 when every item was read
 * and emitted (items whose work() failed included: see st->failed), or the
 * negative code of the fatal error (next() or emit() failed, a thread or
 * memory could not be had) with e set. st may be NULL. */
int pipe_run(const pipe_ops *ops, void *ctx, int nthreads, size_t window,
	     pipe_stats *st, err_t *e);

/* ---- event records */

#define PIPE_NONE "NONE"

typedef struct pipe_span {
	uint32_t start, end;   /* bytes into the article text */
	uint32_t cstart, cend; /* code points into the article text */
	const char *type;      /* entity type (PER, LOC...) or role; static or
				  owned by a model */
	double score;          /* confidence in [0,1] */
	int entity;            /* roles: index in the record's entities of the
				  entity it overlaps most, or -1. A RECIPROCAL
				  actor is listed as a source and a target */
	char country[4];       /* ISO3 code from the gazetteer or the place
				  table, or "" */
	const char *agent;     /* actors: PLOVER agent type ("GOV", "GOVMIL")
				  from the agents list, or NULL */
	/* LOC entities found in the place table (pipe_models.places): */
	char admin1[PLACES_ADMIN_MAX + 1]; /* GeoNames admin1 code (a place's, or
					      the region's own), or "" */
	int32_t lat_e5, lon_e5; /* coordinates in 1e-5 degree, when geo */
	uint8_t geo;            /* 1: coordinates are set (not for a region) */
} pipe_span;

/* The field name of an actor's agent type in every output. */
#define PIPE_AGENT_KEY "agent_type"

typedef struct pipe_record {
	uint32_t sent;                 /* sentence number in the article, from 0 */
	uint32_t start, end;           /* bytes */
	uint32_t cstart, cend;         /* code points */
	const pipe_span *ent; uint32_t nent;  /* entities [nent] */
	const pipe_span *src; uint32_t nsrc;  /* sources [nsrc] */
	const pipe_span *tgt; uint32_t ntgt;  /* targets [ntgt] */
	/* the event (pipe_event_decide): PLOVER type or PIPE_NONE, PentaClass
	 * or PIPE_NONE; NULL when there is no such model */
	const char *plover; double plover_score;
	const char *penta; double penta_score;
	double none_score;             /* P(no event), or -1 when unknown */
	date_match date;               /* event date and where it came from */
	status_flags status;           /* negated/hypothetical/reported; set only
					  when plover is an event (not NULL or
					  PIPE_NONE), otherwise ignored */
} pipe_record;

typedef struct pipe_doc {
	const char *id;      /* document id (file name, JSON id); NULL: null */
	const char *date;    /* article date "YYYY-MM-DD", or NULL */
	const char *text;    /* the article text (offsets count from text[0]) */
	size_t len;
	size_t from;         /* where the article proper starts (after a date
				prefix); sentences are looked for from here */
} pipe_doc;

/* Appends one JSON object and a newline for the record r of doc d:
 * {"doc","date","sent","start","end","text","entities","event",
 *  "no_event_score","status","source","target","location","event_date",
 *  "event_date_source"}, with code point offsets; each "location" item
 *  (a LOC or GPE entity) has "country", "admin1", "lat" and "lon". "event" is null for a
 * sentence with no event (pipe_has_event), else {"plover","plover_score",
 * "penta","penta_score"} ("plover" null without a PLOVER model); "status" is
 * {"negated","hypothetical","reported"} scores, or null when r has no
 * PLOVER type (NULL or PIPE_NONE). */
void pipe_write_json(buf_t *b, const pipe_doc *d, const pipe_record *r);

/* 1 when r carries an event: a PLOVER type, or a PentaClass label other
 * than PIPE_NONE (only without a PLOVER model). */
int pipe_has_event(const pipe_record *r);

/* ---- deciding the event of a sentence */

/* The PentaClass a PLOVER type belongs to (CAMEO's quad classes: AGREE,
 * CONSULT, SUPPORT verbal cooperation; COOPERATE, AID, CONCEDE, RETREAT
 * material cooperation; REQUEST, ACCUSE, REJECT, THREATEN verbal conflict;
 * PROTEST, MOBILIZE, SANCTION, COERCE, ASSAULT material conflict), or NULL
 * for a name that is not a PLOVER type. Static strings. */
const char *pipe_penta_of(const char *plover);
/* 1 when a sentence may carry both labels: penta is plover's class, or
 * REQUEST with STATEMENT (CAMEO 02 appeals are PLOVER requests), or
 * either name is outside the two schemes (a user's own labels). */
int pipe_pair_ok(const char *plover, const char *penta);

/* The event of one sentence. */
typedef struct pipe_event {
	const char *plover; double plover_score; /* type, or PIPE_NONE with
						    P(no event) */
	const char *penta; double penta_score;   /* class, or PIPE_NONE */
	double none_score;                       /* P(no event), or -1 */
} pipe_event;

/* Decides the event of a sentence from the PLOVER model's probabilities
 * pp[clf_nlabels(plover)] and its label pbest, and the PentaClass model's
 * pq and qbest (either model may be NULL). Event or not is the PLOVER
 * model's decision (its NONE label, or a best probability below
 * threshold). The type is the PLOVER label maximising P(type) times the
 * PentaClass probability of the classes it allows (pipe_pair_ok) when
 * joint is set, else the model's own label; the PentaClass is the most
 * probable class of the PentaClass model that agrees with the type (the
 * type's own class without that model), scored with the PLOVER model's
 * probability of the class (the sum over the types it allows). With no
 * PLOVER event both are PIPE_NONE (the PentaClass model has no "no event"
 * class: its STATEMENT is not taken for an event). With no PLOVER model,
 * the PentaClass model's own label (PIPE_NONE below threshold). Names
 * point into the models or are static. */
void pipe_event_decide(const clf_t *plover, const double *pp, int pbest,
		       const clf_t *penta, const double *pq, int qbest,
		       double threshold, int joint, pipe_event *ev);

/* The models a record was coded with (defined below). */
typedef struct pipe_models pipe_models;

/* Appends the TSV header line (per-sentence rows). */
void pipe_write_tsv_header(buf_t *b);
/* Appends one TSV row for r if it has an event (PLOVER or PentaClass label
 * other than NONE), else nothing: date, source, source_code, event, penta,
 * target, target_code, location, doc, sentence, negated, hypothetical,
 * reported (the last three 1 or 0; 0 without a PLOVER event). Several actors
 * or places are joined with "; " after each is escaped ("\\" for a
 * backslash, "\\;" for a semicolon), their known codes with ";"; then the
 * field is escaped for TSV: "\\" "\t" "\n" "\r" for backslash, tab,
 * line feed and carriage return, never quoted. */
void pipe_write_tsv(buf_t *b, const pipe_doc *d, const pipe_record *r);

/* The same rows as RFC 4180 CSV (per_event 0) or the per-event rows
 * (per_event 1, one per dyad, see pipe_write_event_json): fields holding a
 * comma, a double quote, CR or LF are quoted with quotes doubled; lines end
 * in CRLF. Header: pipe_write_header. fmt is PIPE_TSV or PIPE_CSV. */
void pipe_write_row(buf_t *b, int fmt, int per_event, const pipe_models *m,
		    const pipe_doc *d, const pipe_record *r);
/* Appends the header row of fmt (PIPE_TSV or PIPE_CSV) for per-sentence
 * (per_event 0) or per-event rows. */
void pipe_write_header(buf_t *b, int fmt, int per_event);

/* Appends one JSON line per event and actor pair (dyad) of r, nothing when r
 * has no event: sources A, B and target C give A-C and B-C (a pair of one
 * actor with itself, a RECIPROCAL one, is left out); actors of one side
 * only give dyads with a null other side; an event with no actor gives one
 * dyad with both null. Fields (docs/schema/event.schema.json, named as
 * the PLOVER specification names them where it does): "id"
 * ("DOC:SENT:DYAD"), "story_id", "publication_date", "date",
 * "date_source", "event" (a list: the PLOVER type), "mode" (null),
 * "quad_class", "source", "recipient" ({actor_text,start,end,score,
 * entity_type,code,agent_type} or null), "event_loc" (the sentence's LOC
 * entity the place table located, else its best-scored LOC entity:
 * {name,start,end,cc3,"admin1 code",latitude,longitude} or null;
 * degrees), "probabilities" ({event,quad_class,no_event}), "status",
 * "text" (the sentence), "text_info" ({sequence,start,end}) and "models"
 * ({file,crc32}: the file names of the models m holds and their
 * CRC-32s, two lists). m may be
 * NULL (empty lists). */
void pipe_write_event_json(buf_t *b, const pipe_models *m, const pipe_doc *d,
			   const pipe_record *r);

/* Appends a readable, aligned view of r for a terminal: the sentence, then
 * its event types, the status flags that are set (if any), actors,
 * entities and date. colour: 1 adds ANSI colour
 * escapes (only when the output is a terminal: the caller decides). */
void pipe_write_text(buf_t *b, const pipe_doc *d, const pipe_record *r, int colour);

/* ---- the HTML view (pipe_html.c) */

/* Appends the start of a self-contained HTML page (inline CSS, no script,
 * nothing fetched): head, title and legend. */
void pipe_write_html_head(buf_t *b);
/* Appends the end of the page. */
void pipe_write_html_foot(buf_t *b);
/* Appends the start of article d's section (end 0: its id and date) or
 * its end (end 1). */
void pipe_write_html_doc(buf_t *b, const pipe_doc *d, int end);
/* Appends sentence r of d: its event, status flags and date, then its text
 * with entities (<span class="ent" data-type=...>) and actors (<span
 * class="role" data-role="source|target">) highlighted, each span with
 * data-start/data-end in code points into the article, pieces of a span
 * cut by an enclosing one numbered with data-part from 2; a sentence with
 * no event (pipe_has_event) has class "none" (dimmed). All text is
 * escaped. b->failed is set if memory runs out. */
void pipe_write_html(buf_t *b, const pipe_doc *d, const pipe_record *r);

/* ---- coding articles */

enum { PIPE_JSON = 0, PIPE_TEXT = 1, PIPE_TSV = 2, PIPE_CSV = 3, PIPE_HTML = 4 };

/* pipe_code hands its output over (pipe_spill_out) once it exceeds this. */
#define PIPE_SPILL_BYTES ((size_t)1 << 20)

/* Model files a record can name: entities, roles, plover, penta, places. */
#define PIPE_NMODELS 5

/* The models an article is coded with, shared read-only by all threads.
 * Any may be NULL: that part of the records stays empty (no entities, no
 * roles, a null event, no country codes). */
struct pipe_models {
	const tagger_t *entities; /* entity tagger (PER, ORG, LOC, NORP, ...) */
	const tagger_t *roles;    /* role tagger (SOURCE, TARGET, RECIPROCAL) */
	const clf_t *plover;      /* PLOVER event classifier */
	const clf_t *penta;       /* CAMEO PentaClass classifier */
	const gaz_t *gaz;         /* countries and nationalities (e.g. the one
				     inside the entity model) */
	const places_t *places;   /* place table: LOC entities' countries,
				     admin1 codes and coordinates (pipe_code) */
	const agents_t *agents;   /* agent nouns and titles giving actors their
				     agent type (models/agents.txt), or NULL */
	const char *files[PIPE_NMODELS]; /* file names of the models
				     (entities, roles, plover, penta,
				     places), NULL when not loaded from a
				     file, and the CRC-32 of each file in
				     hex ("" when unknown): written in the
				     per-event records' "models" */
	char crc32[PIPE_NMODELS][9];
	/* the agents lists read, as file name and CRC-32 ("" when unknown),
	 * NULL when not read: [0] the folder's agents.txt, [1] a user's
	 * --agents file (its base name); written after the models in the
	 * per-event records' "models", since they decide the "sector" */
	const char *agents_files[2];
	char agents_crc32[2][9];
};

typedef struct pipe_opts {
	int format;       /* PIPE_JSON, PIPE_TEXT, PIPE_TSV, PIPE_CSV or
			     PIPE_HTML (an article's section, without the
			     page's head and foot) */
	int per_event;    /* 1: JSON, TSV and CSV give one record per event
			     and actor pair (pipe_write_event_json), not per
			     sentence */
	double threshold; /* event labels below this probability become NONE */
	int colour;       /* PIPE_TEXT: ANSI colour */
	int events_only;  /* 1: only sentences with an event (pipe_has_event) */
	int joint;        /* 1: PLOVER type decided jointly with the PentaClass
			     model, not by its own model (pipe_event_decide) */
	/* Optional: called after each record written (not those events_only
	 * leaves out) with the record and where its bytes start in out
	 * (at; out->len is their end). Returns 0, or a negative ERR_ code with
	 * e set to stop pipe_code. Use it without sp (no early hand-over). */
	int (*record)(void *ctx, const pipe_record *r, const buf_t *out, size_t at, err_t *e);
	void *record_ctx;
} pipe_opts;

/* Per-thread scratch for pipe_code (tokens, spans, probabilities). */
typedef struct pipe_ws pipe_ws;

/* A workspace for coding with m; NULL if out of memory. NULL is a no-op
 * for pipe_ws_free. */
pipe_ws *pipe_ws_new(const pipe_models *m);
void pipe_ws_free(pipe_ws *w);

/* The sentences of the article pipe_code last coded with w, and how many
 * of them carry an event (pipe_has_event; counted whether or not
 * events_only wrote them). Valid after pipe_code returned 0. */
void pipe_ws_counts(const pipe_ws *w, uint32_t *nsent, uint32_t *nevents);

/* Codes article d: splits it into sentences (from d->from), tags entities
 * and roles, classifies each sentence's event, resolves its date against
 * d->date, links actors to entities and countries; then, over the whole
 * article, gives each entity name one type (docvote.h), each actor its
 * agent type from m->agents, and a person's actors the country and agent
 * type the article gives that person (pipe_int.h); and appends one record
 * per sentence to out in o->format (TSV rows only for sentences with an
 * event; no header). The article's records are kept in w until then
 * (memory in proportion to its spans, as for its tokens). With sp (may be
 * NULL), output beyond PIPE_SPILL_BYTES is handed over early
 * (pipe_spill_out) so a huge article's output is not held whole. The models are only read. 0, or a negative ERR_ code with e set
 * (ERR_UTF8 "byte N: invalid UTF-8", ERR_FORMAT for a bad article date,
 * ERR_NOMEM, or the error of a failed early hand-over); out may then hold
 * part of the article. */
int pipe_code(const pipe_models *m, pipe_ws *w, const pipe_opts *o,
	      const pipe_doc *d, buf_t *out, pipe_spill *sp, err_t *e);

#endif
