#include "coder/pipe.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "coder/docvote.h"
#include "coder/pipe_int.h"
#include "text/tok.h"

/* ---- the batch engine */

enum { SLOT_FREE, SLOT_READY, SLOT_DONE };

/* Output buffers larger than this are released after their item is
 * emitted, so one huge article does not pin memory for the whole run. */
#define PIPE_KEEP_BYTES ((size_t)1 << 20)

typedef struct slot {
	void *item;
	int state;
	int status;
	err_t err;
	buf_t out;
} slot;

typedef struct engine {
	const pipe_ops *ops;
	void *ctx;
	slot *slots;          /* [w]: item seq lives in slots[seq % w] */
	size_t w;
	pthread_mutex_t mu;
	pthread_cond_t cv_work;  /* an item is ready, or the input ended */
	pthread_cond_t cv_done;  /* the next item to emit may be done */
	pthread_cond_t cv_space; /* a slot was freed */
	uint64_t n_read, n_taken, n_emitted, failed;
	int eof;              /* no more items will be read */
	int stop;             /* abandon the run (emit failed) */
	int fatal;            /* first fatal error code, 0 if none */
	err_t ferr;
} engine;

struct pipe_spill {
	engine *g;            /* NULL when running on one thread */
	const pipe_ops *ops;
	void *ctx;
	uint64_t seq;         /* the item's number */
	int failed;           /* emit_part failed: the run must stop */
	err_t err;
};

int pipe_spill_out(pipe_spill *sp, buf_t *out, err_t *e)
{
	int head = 1, rc;

	if (!sp || !sp->ops->emit_part || out->len == 0 || sp->failed)
		return 0;
	if (sp->g) {
		/* n_emitted cannot pass this item while it is being worked on,
		 * so once it is the head it stays the head until it is done */
		pthread_mutex_lock(&sp->g->mu);
		head = sp->seq == sp->g->n_emitted && !sp->g->stop;
		pthread_mutex_unlock(&sp->g->mu);
	}
	if (!head)
		return 0;
	if ((rc = sp->ops->emit_part(sp->ctx, sp->seq, out, e)) < 0) {
		sp->failed = 1;
		sp->err = *e;
		if (!sp->err.code)
			sp->err.code = rc;
		return rc;
	}
	out->len = 0;
	return 1;
}

/* Records the first fatal error; caller holds mu. */
static void set_fatal(engine *g, int code, const err_t *e)
{
	if (g->fatal)
		return;
	g->fatal = code;
	if (e && e->code)
		g->ferr = *e;
	else
		err_set(&g->ferr, code, "%s", err_code_str(code));
	g->ferr.code = code;
}

static void reset_out(buf_t *b)
{
	if (b->cap > PIPE_KEEP_BYTES || b->failed) {
		buf_free(b);
		buf_init(b);
	}
	b->len = 0;
}

static void *worker_main(void *arg)
{
	engine *g = arg;
	void *ws = NULL;

	if (g->ops->ws_new && !(ws = g->ops->ws_new(g->ctx))) {
		pthread_mutex_lock(&g->mu);
		set_fatal(g, ERR_NOMEM, NULL);
		g->stop = 1;
		pthread_cond_broadcast(&g->cv_work);
		pthread_cond_broadcast(&g->cv_done);
		pthread_cond_broadcast(&g->cv_space);
		pthread_mutex_unlock(&g->mu);
		return NULL;
	}
	pthread_mutex_lock(&g->mu);
	for (;;) {
		while (!g->stop && g->n_taken == g->n_read && !g->eof)
			pthread_cond_wait(&g->cv_work, &g->mu);
		if (g->stop || g->n_taken == g->n_read)
			break;
		uint64_t seq = g->n_taken++;
		slot *s = &g->slots[seq % g->w];
		pthread_mutex_unlock(&g->mu);

		pipe_spill sp = { g, g->ops, g->ctx, seq, 0, { 0, "" } };
		err_clear(&s->err);
		s->status = g->ops->work(g->ctx, ws, s->item, &s->out, &sp, &s->err);

		pthread_mutex_lock(&g->mu);
		if (sp.failed) {
			set_fatal(g, sp.err.code, &sp.err);
			g->stop = 1;
			pthread_cond_broadcast(&g->cv_work);
			pthread_cond_broadcast(&g->cv_space);
			pthread_cond_broadcast(&g->cv_done);
		}
		s->state = SLOT_DONE;
		if (seq == g->n_emitted)
			pthread_cond_signal(&g->cv_done);
	}
	pthread_mutex_unlock(&g->mu);
	if (g->ops->ws_free)
		g->ops->ws_free(g->ctx, ws);
	return NULL;
}

static void *writer_main(void *arg)
{
	engine *g = arg;

	pthread_mutex_lock(&g->mu);
	for (;;) {
		slot *s = &g->slots[g->n_emitted % g->w];
		while (!g->stop && !(g->n_emitted < g->n_read && s->state == SLOT_DONE) &&
		       !(g->eof && g->n_emitted == g->n_read))
			pthread_cond_wait(&g->cv_done, &g->mu);
		if (g->stop || g->n_emitted == g->n_read)
			break;
		uint64_t seq = g->n_emitted;
		pthread_mutex_unlock(&g->mu);

		err_t e;
		err_clear(&e);
		int rc = g->ops->emit(g->ctx, seq, s->item, s->status, &s->out, &s->err, &e);
		if (g->ops->item_free)
			g->ops->item_free(g->ctx, s->item);
		s->item = NULL;
		reset_out(&s->out);

		pthread_mutex_lock(&g->mu);
		if (s->status < 0)
			g->failed++;
		s->state = SLOT_FREE;
		g->n_emitted++;
		pthread_cond_signal(&g->cv_space);
		if (rc < 0) {
			set_fatal(g, rc, &e);
			g->stop = 1;
			pthread_cond_broadcast(&g->cv_work);
			pthread_cond_broadcast(&g->cv_space);
			break;
		}
	}
	pthread_mutex_unlock(&g->mu);
	return NULL;
}

/* One thread: read, work, emit, in turn. */
static int run_serial(const pipe_ops *ops, void *ctx, pipe_stats *st, err_t *e)
{
	void *ws = NULL, *item;
	buf_t out;
	err_t ie;
	int rc = 0;

	buf_init(&out);
	if (ops->ws_new && !(ws = ops->ws_new(ctx)))
		return err_set(e, ERR_NOMEM, "out of memory for a workspace");
	for (;;) {
		item = NULL;
		rc = ops->next(ctx, &item, e);
		if (rc <= 0)
			break;
		pipe_spill sp = { NULL, ops, ctx, st->items, 0, { 0, "" } };
		err_clear(&ie);
		int status = ops->work(ctx, ws, item, &out, &sp, &ie);
		if (sp.failed) {
			if (ops->item_free)
				ops->item_free(ctx, item);
			if (e)
				*e = sp.err;
			rc = sp.err.code;
			break;
		}
		rc = ops->emit(ctx, st->items, item, status, &out, &ie, e);
		if (ops->item_free)
			ops->item_free(ctx, item);
		reset_out(&out);
		st->items++;
		if (status < 0)
			st->failed++;
		if (rc < 0)
			break;
	}
	buf_free(&out);
	if (ops->ws_free)
		ops->ws_free(ctx, ws);
	return rc < 0 ? rc : 0;
}

int pipe_run(const pipe_ops *ops, void *ctx, int nthreads, size_t window,
	     pipe_stats *st, err_t *e)
{
	pipe_stats dummy;
	engine g;
	pthread_t *tids = NULL, writer;
	int started = 0, writer_started = 0, rc = 0;

	if (!st)
		st = &dummy;
	memset(st, 0, sizeof(*st));
	if (!ops || !ops->next || !ops->work || !ops->emit)
		return err_set(e, ERR_ARG, "pipe_run: next, work and emit are required");
	if (nthreads <= 1)
		return run_serial(ops, ctx, st, e);
	if (window == 0)
		window = 4 * (size_t)nthreads;
	if (window < (size_t)nthreads)
		window = (size_t)nthreads;

	memset(&g, 0, sizeof(g));
	g.ops = ops;
	g.ctx = ctx;
	g.w = window;
	g.slots = calloc(window, sizeof(slot));
	tids = calloc((size_t)nthreads, sizeof(*tids));
	if (!g.slots || !tids) {
		free(g.slots);
		free(tids);
		return err_set(e, ERR_NOMEM, "out of memory for %zu batch slots", window);
	}
	pthread_mutex_init(&g.mu, NULL);
	pthread_cond_init(&g.cv_work, NULL);
	pthread_cond_init(&g.cv_done, NULL);
	pthread_cond_init(&g.cv_space, NULL);

	for (; started < nthreads; started++)
		if (pthread_create(&tids[started], NULL, worker_main, &g) != 0)
			break;
	if (started == nthreads && pthread_create(&writer, NULL, writer_main, &g) == 0)
		writer_started = 1;

	pthread_mutex_lock(&g.mu);
	if (!writer_started) {
		set_fatal(&g, ERR_NOMEM, NULL);
		err_set(&g.ferr, ERR_NOMEM, "cannot start %d threads", nthreads + 1);
		g.stop = 1;
	}
	/* The caller's thread reads. */
	while (!g.stop) {
		while (!g.stop && g.n_read - g.n_emitted >= g.w)
			pthread_cond_wait(&g.cv_space, &g.mu);
		if (g.stop)
			break;
		pthread_mutex_unlock(&g.mu);
		void *item = NULL;
		err_t re;
		err_clear(&re);
		int r = ops->next(ctx, &item, &re);
		pthread_mutex_lock(&g.mu);
		if (r <= 0) {
			if (r < 0)
				set_fatal(&g, r, &re);
			break;
		}
		if (g.stop) { /* the writer gave up while we read */
			if (ops->item_free)
				ops->item_free(ctx, item);
			break;
		}
		slot *s = &g.slots[g.n_read % g.w];
		s->item = item;
		s->state = SLOT_READY;
		g.n_read++;
		pthread_cond_signal(&g.cv_work);
	}
	g.eof = 1;
	pthread_cond_broadcast(&g.cv_work);
	pthread_cond_broadcast(&g.cv_done);
	pthread_mutex_unlock(&g.mu);

	for (int i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	if (writer_started)
		pthread_join(writer, NULL);

	/* Items read but never emitted (the run stopped early). */
	for (uint64_t q = g.n_emitted; q < g.n_read; q++) {
		slot *s = &g.slots[q % g.w];
		if (ops->item_free && s->item)
			ops->item_free(ctx, s->item);
	}
	for (size_t i = 0; i < g.w; i++)
		buf_free(&g.slots[i].out);
	st->items = g.n_emitted;
	st->failed = g.failed;
	if (g.fatal) {
		rc = g.fatal;
		if (e)
			*e = g.ferr;
	}
	pthread_cond_destroy(&g.cv_space);
	pthread_cond_destroy(&g.cv_done);
	pthread_cond_destroy(&g.cv_work);
	pthread_mutex_destroy(&g.mu);
	free(g.slots);
	free(tids);
	return rc;
}

/* ---- record writers */

static const char *const C_RESET = "\x1b[0m", *const C_BOLD = "\x1b[1m",
		  *const C_DIM = "\x1b[2m", *const C_RED = "\x1b[31m",
		  *const C_GREEN = "\x1b[32m", *const C_YELLOW = "\x1b[33m",
		  *const C_BLUE = "\x1b[34m", *const C_MAGENTA = "\x1b[35m",
		  *const C_CYAN = "\x1b[36m";

void pipe_put_s(buf_t *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

/* s[0..n) with tabs, newlines and other ASCII control characters as
 * spaces (for TSV and terminal output). */
static void put_clean(buf_t *b, const char *s, size_t n)
{
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f) {
			buf_put(b, s + run, i - run);
			buf_put_u8(b, ' ');
			run = i + 1;
		}
	}
	buf_put(b, s + run, n - run);
}

int pipe_is_none(const char *label)
{
	return !label || strcmp(label, PIPE_NONE) == 0;
}

static void put_num(buf_t *b, double v)
{
	json_num(b, v, 4);
}

/* A coordinate in 1e-5 degree as degrees (5 decimals at most), or null. */
static void put_coord(buf_t *b, int have, int32_t e5)
{
	if (have)
		json_num(b, e5 / 1e5, 8);
	else
		json_cstr(b, NULL);
}

static void put_span_text(buf_t *b, const pipe_doc *d, const pipe_span *s)
{
	size_t st = s->start <= d->len ? s->start : d->len;
	size_t en = s->end <= d->len && s->end >= st ? s->end : st;
	json_str(b, d->text + st, en - st);
}

/* Place entities (the records' "location"; the place table is asked
 * about them): LOC, and GPE for a model trained with OntoNotes' types. */
static int is_place(const pipe_span *s)
{
	return s->type && (strcmp(s->type, "LOC") == 0 || strcmp(s->type, "GPE") == 0);
}

static void json_spans(buf_t *b, const char *key, const pipe_doc *d,
		       const pipe_span *sp, uint32_t n, const pipe_record *r, int kind)
{
	int first = 1;
	json_raw(b, ",");
	json_key(b, key);
	json_raw(b, "[");
	for (uint32_t i = 0; i < n; i++) {
		const pipe_span *s = &sp[i];
		if (kind == 2 && !is_place(s))
			continue;
		json_raw(b, first ? "{" : ",{");
		first = 0;
		json_key(b, "text");
		put_span_text(b, d, s);
		if (kind == 0) {
			json_raw(b, ",");
			json_key(b, "type");
			json_cstr(b, s->type);
		}
		json_raw(b, ",");
		json_key(b, "start");
		json_int(b, s->cstart);
		json_raw(b, ",");
		json_key(b, "end");
		json_int(b, s->cend);
		json_raw(b, ",");
		json_key(b, "score");
		put_num(b, s->score);
		if (kind == 1) {
			json_raw(b, ",");
			json_key(b, "entity_type");
			json_cstr(b, s->entity >= 0 && (uint32_t)s->entity < r->nent
					     ? r->ent[s->entity].type : NULL);
		}
		if (kind >= 1) {
			json_raw(b, ",");
			json_key(b, "country");
			json_cstr(b, s->country[0] ? s->country : NULL);
		}
		if (kind == 1) {
			json_raw(b, ",");
			json_key(b, PIPE_AGENT_KEY);
			json_cstr(b, s->agent);
		}
		if (kind == 2) {
			json_raw(b, ",");
			json_key(b, "admin1");
			json_cstr(b, s->admin1[0] ? s->admin1 : NULL);
			json_raw(b, ",");
			json_key(b, "lat");
			put_coord(b, s->geo, s->lat_e5);
			json_raw(b, ",");
			json_key(b, "lon");
			put_coord(b, s->geo, s->lon_e5);
		}
		json_raw(b, "}");
	}
	json_raw(b, "]");
}

static const char *src_name(int src)
{
	return src == DATE_SRC_TEXT ? "text" : src == DATE_SRC_ARTICLE ? "article" : NULL;
}

/* Whether r has a PLOVER event, the one its status flags are about. */
static int has_status(const pipe_record *r)
{
	return !pipe_is_none(r->plover);
}

static void json_status(buf_t *b, const pipe_record *r)
{
	json_raw(b, ",");
	json_key(b, "status");
	if (!has_status(r)) {
		json_cstr(b, NULL);
		return;
	}
	json_raw(b, "{");
	json_key(b, "negated");
	put_num(b, r->status.neg_score);
	json_raw(b, ",");
	json_key(b, "hypothetical");
	put_num(b, r->status.hyp_score);
	json_raw(b, ",");
	json_key(b, "reported");
	put_num(b, r->status.rep_score);
	json_raw(b, "}");
}

void pipe_write_json(buf_t *b, const pipe_doc *d, const pipe_record *r)
{
	char ds[11];
	size_t st = r->start <= d->len ? r->start : d->len;
	size_t en = r->end <= d->len && r->end >= st ? r->end : st;

	json_raw(b, "{");
	json_key(b, "doc");
	json_cstr(b, d->id);
	json_raw(b, ",");
	json_key(b, "date");
	json_cstr(b, d->date);
	json_raw(b, ",");
	json_key(b, "sent");
	json_int(b, r->sent);
	json_raw(b, ",");
	json_key(b, "start");
	json_int(b, r->cstart);
	json_raw(b, ",");
	json_key(b, "end");
	json_int(b, r->cend);
	json_raw(b, ",");
	json_key(b, "text");
	json_str(b, d->text + st, en - st);
	json_spans(b, "entities", d, r->ent, r->nent, r, 0);
	json_raw(b, ",");
	json_key(b, "event");
	if (pipe_has_event(r)) {
		int np = pipe_is_none(r->plover), nq = pipe_is_none(r->penta);
		json_raw(b, "{");
		json_key(b, "plover");
		json_cstr(b, np ? NULL : r->plover);
		json_raw(b, ",");
		json_key(b, "plover_score");
		if (np)
			json_cstr(b, NULL);
		else
			put_num(b, r->plover_score);
		json_raw(b, ",");
		json_key(b, "penta");
		json_cstr(b, nq ? NULL : r->penta);
		json_raw(b, ",");
		json_key(b, "penta_score");
		if (nq)
			json_cstr(b, NULL);
		else
			put_num(b, r->penta_score);
		json_raw(b, "}");
	} else {
		json_cstr(b, NULL);
	}
	json_raw(b, ",");
	json_key(b, "no_event_score");
	if (r->none_score >= 0)
		put_num(b, r->none_score);
	else
		json_cstr(b, NULL);
	json_status(b, r);
	json_spans(b, "source", d, r->src, r->nsrc, r, 1);
	json_spans(b, "target", d, r->tgt, r->ntgt, r, 1);
	json_spans(b, "location", d, r->ent, r->nent, r, 2);
	json_raw(b, ",");
	json_key(b, "event_date");
	if (r->date.src != DATE_SRC_NONE) {
		date_format(r->date.date, ds);
		json_cstr(b, ds);
	} else {
		json_cstr(b, NULL);
	}
	json_raw(b, ",");
	json_key(b, "event_date_source");
	json_cstr(b, src_name(r->date.src));
	json_raw(b, "}\n");
}

int pipe_has_event(const pipe_record *r)
{
	return !pipe_is_none(r->plover) || !pipe_is_none(r->penta);
}

/* ---- the event decision */

static const struct { const char *plover, *penta; } penta_of[] = {
	{ "AGREE", "VERBAL_COOPERATION" }, { "CONSULT", "VERBAL_COOPERATION" },
	{ "SUPPORT", "VERBAL_COOPERATION" },
	{ "COOPERATE", "MATERIAL_COOPERATION" }, { "AID", "MATERIAL_COOPERATION" },
	{ "CONCEDE", "MATERIAL_COOPERATION" }, { "RETREAT", "MATERIAL_COOPERATION" },
	{ "REQUEST", "VERBAL_CONFLICT" }, { "ACCUSE", "VERBAL_CONFLICT" },
	{ "REJECT", "VERBAL_CONFLICT" }, { "THREATEN", "VERBAL_CONFLICT" },
	{ "PROTEST", "MATERIAL_CONFLICT" }, { "MOBILIZE", "MATERIAL_CONFLICT" },
	{ "SANCTION", "MATERIAL_CONFLICT" }, { "COERCE", "MATERIAL_CONFLICT" },
	{ "ASSAULT", "MATERIAL_CONFLICT" },
};

static const char *const penta_names[] = {
	"STATEMENT", "VERBAL_COOPERATION", "MATERIAL_COOPERATION",
	"VERBAL_CONFLICT", "MATERIAL_CONFLICT",
};

const char *pipe_penta_of(const char *plover)
{
	for (size_t i = 0; plover && i < sizeof(penta_of) / sizeof(penta_of[0]); i++)
		if (strcmp(penta_of[i].plover, plover) == 0)
			return penta_of[i].penta;
	return NULL;
}

int pipe_pair_ok(const char *plover, const char *penta)
{
	const char *c = pipe_penta_of(plover);
	int known = 0;
	for (size_t i = 0; penta && i < sizeof(penta_names) / sizeof(penta_names[0]); i++)
		known |= strcmp(penta_names[i], penta) == 0;
	if (!c || !known)
		return 1;
	return strcmp(c, penta) == 0 ||
	       (strcmp(plover, "REQUEST") == 0 && strcmp(penta, "STATEMENT") == 0);
}

/* What pipe_event_decide asks of the labels of a PLOVER and a PentaClass
 * model, worked out once for the pair (a workspace keeps it): ok[i * (nq +
 * 1) + q] is pipe_pair_ok(PLOVER label i, PentaClass label q), and column
 * nq whether label i has a class of its own (pipe_penta_of). */
static uint8_t *event_pairs(const clf_t *plover, const clf_t *penta)
{
	size_t np = clf_nlabels(plover), nq = clf_nlabels(penta);
	uint8_t *ok = malloc(np * (nq + 1));

	for (size_t i = 0; ok && i < np; i++) {
		const char *name = clf_label_name(plover, i);
		for (size_t q = 0; q < nq; q++)
			ok[i * (nq + 1) + q] = (uint8_t)pipe_pair_ok(name, clf_label_name(penta, q));
		ok[i * (nq + 1) + nq] = pipe_penta_of(name) != NULL;
	}
	return ok;
}

/* pipe_event_decide with the PLOVER model's NONE label none and, when
 * both models are given, their event_pairs table ok (NULL: each pair
 * worked out when asked). */
static void event_decide(const clf_t *plover, const double *pp, int pbest,
			 const clf_t *penta, const double *pq, int qbest,
			 double threshold, int joint, int none, const uint8_t *ok,
			 pipe_event *ev)
{
	size_t nq = penta ? clf_nlabels(penta) : 0;
#define PAIR(i, q) (ok ? ok[(i) * (nq + 1) + (q)] : \
		     pipe_pair_ok(clf_label_name(plover, (i)), clf_label_name(penta, (q))))
#define HAS_CLASS(i) (ok ? ok[(i) * (nq + 1) + nq] : \
		      pipe_penta_of(clf_label_name(plover, (i))) != NULL)

	ev->plover = NULL;
	ev->plover_score = 0;
	ev->penta = NULL;
	ev->penta_score = 0;
	ev->none_score = -1;
	if (!plover) {
		if (penta) {
			ev->penta = clf_decide(penta, pq, qbest, threshold);
			ev->penta_score = qbest >= 0 ? pq[qbest] : 0;
		}
		return;
	}
	size_t np = clf_nlabels(plover);
	int type = pbest >= 0 && pbest != none ? pbest : -1;
	if (none >= 0)
		ev->none_score = pp[none];
	if (type >= 0 && joint && penta) {
		double best = -1;
		for (size_t i = 0; i < np; i++) {
			if ((int)i == none)
				continue;
			double mass = 0;
			for (size_t q = 0; q < nq; q++)
				if (PAIR(i, q))
					mass += pq[q];
			if (pp[i] * mass > best) {
				best = pp[i] * mass;
				type = (int)i;
			}
		}
	}
	if (type >= 0 && pp[type] >= threshold) {
		ev->plover = clf_label_name(plover, (size_t)type);
		ev->plover_score = pp[type];
		ev->penta = pipe_penta_of(ev->plover);
		int q = -1;
		if (penta) {
			for (size_t k = 0; k < nq; k++)
				if (PAIR((size_t)type, k) && (q < 0 || pq[k] > pq[q]))
					q = (int)k;
			ev->penta = q >= 0 ? clf_label_name(penta, (size_t)q) : PIPE_NONE;
			ev->penta_score = q >= 0 ? pq[q] : 0;
		}
		/* a class that follows from the type: its probability is the
		 * PLOVER model's, summed over the types of that class */
		if (ev->penta && pipe_penta_of(ev->plover) && strcmp(ev->penta, PIPE_NONE) != 0) {
			double mass = 0;
			for (size_t i = 0; i < np; i++) {
				if ((int)i == none)
					continue;
				const char *name = clf_label_name(plover, i);
				/* with a PentaClass model, ev->penta is its label q */
				if (penta ? HAS_CLASS(i) && PAIR(i, (size_t)q) :
					    pipe_penta_of(name) && pipe_pair_ok(name, ev->penta))
					mass += pp[i];
			}
			ev->penta_score = mass;
		}
		return;
	}
#undef PAIR
#undef HAS_CLASS
	/* no PLOVER event: no event at all. The PentaClass model's STATEMENT
	 * is not one here: it has no "no event" class, so STATEMENT is where
	 * its non-events go, and the PLOVER codebook calls plain statements
	 * NONE. */
	ev->plover = PIPE_NONE;
	ev->plover_score = none >= 0 ? pp[none] : 1 - (type >= 0 ? pp[type] : 0);
	if (penta)
		ev->penta = PIPE_NONE;
}

void pipe_event_decide(const clf_t *plover, const double *pp, int pbest,
		       const clf_t *penta, const double *pq, int qbest,
		       double threshold, int joint, pipe_event *ev)
{
	event_decide(plover, pp, pbest, penta, pq, qbest, threshold, joint,
		     plover ? clf_label_index(plover, PIPE_NONE) : -1, NULL, ev);
}

static void span_clean(buf_t *b, const pipe_doc *d, const pipe_span *s)
{
	size_t st = s->start <= d->len ? s->start : d->len;
	size_t en = s->end <= d->len && s->end >= st ? s->end : st;
	put_clean(b, d->text + st, en - st);
}

/* The bytes of span s in d: *n of them from the returned pointer. */
static const char *span_text(const pipe_doc *d, uint32_t start, uint32_t end, size_t *n)
{
	size_t st = start <= d->len ? start : d->len;
	size_t en = end <= d->len && end >= st ? end : st;
	*n = en - st;
	return d->text + st;
}

/* ---- TSV and CSV cells, and the per-event records
 *
 * One emitter writes a record as JSON, as a TSV or CSV row, or as the
 * header row of those (the column names are the JSON keys, those of a
 * nested object prefixed with its key and "_"), so the three cannot drift
 * apart. */

enum { EM_JSON, EM_ROW, EM_HEAD };

typedef struct em {
	buf_t *b;
	int mode;          /* EM_JSON, EM_ROW or EM_HEAD */
	int fmt;           /* rows: PIPE_TSV or PIPE_CSV */
	int ncell;         /* cells written in this row */
	int nkey[2];       /* JSON: keys written at depth 0 and 1 */
	int depth;
	const char *pre;   /* header: the enclosing object's key, or NULL */
} em;

static void cell_sep(em *w)
{
	if (w->ncell++)
		buf_put_u8(w->b, w->fmt == PIPE_CSV ? ',' : '\t');
}

/* s[0..n) as one field of the row: RFC 4180 quoting for CSV, backslash
 * escapes for TSV. */
static void cell_put(em *w, const char *s, size_t n)
{
	size_t run = 0;
	if (w->fmt == PIPE_CSV) {
		int q = 0;
		for (size_t i = 0; i < n && !q; i++)
			q = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
		if (!q) {
			buf_put(w->b, s, n);
			return;
		}
		buf_put_u8(w->b, '"');
		for (size_t i = 0; i < n; i++)
			if (s[i] == '"') {
				buf_put(w->b, s + run, i + 1 - run);
				run = i; /* the quote again */
			}
		buf_put(w->b, s + run, n - run);
		buf_put_u8(w->b, '"');
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const char *esc = s[i] == '\\' ? "\\\\" : s[i] == '\t' ? "\\t" :
				  s[i] == '\n' ? "\\n" : s[i] == '\r' ? "\\r" : NULL;
		if (esc) {
			buf_put(w->b, s + run, i - run);
			pipe_put_s(w->b, esc);
			run = i + 1;
		}
	}
	buf_put(w->b, s + run, n - run);
}

static void row_end(em *w)
{
	pipe_put_s(w->b, w->fmt == PIPE_CSV ? "\r\n" : "\n");
	w->ncell = 0;
}

/* Starts field key: the JSON key (after a comma), or a new cell. */
static void em_key(em *w, const char *key)
{
	if (w->mode == EM_JSON) {
		if (w->nkey[w->depth]++)
			json_raw(w->b, ",");
		json_key(w->b, key);
		return;
	}
	cell_sep(w);
	if (w->mode == EM_HEAD) {
		if (w->pre) {
			pipe_put_s(w->b, w->pre);
			buf_put_u8(w->b, '_');
		}
		pipe_put_s(w->b, key);
	}
}

/* A string field s[0..n), null when s is NULL. */
static void em_str(em *w, const char *key, const char *s, size_t n)
{
	em_key(w, key);
	if (w->mode == EM_JSON) {
		if (s)
			json_str(w->b, s, n);
		else
			json_cstr(w->b, NULL);
	} else if (w->mode == EM_ROW && s && n) {
		cell_put(w, s, n);
	}
}

static void em_cstr(em *w, const char *key, const char *s)
{
	em_str(w, key, s, s ? strlen(s) : 0);
}

/* A number field (4 significant digits as in JSON), null when !have. */
static void em_num(em *w, const char *key, int have, double v)
{
	em_key(w, key);
	if (w->mode == EM_HEAD)
		return;
	if (have)
		put_num(w->b, v);
	else if (w->mode == EM_JSON)
		json_cstr(w->b, NULL);
}

/* A coordinate field (put_coord), null when !have. */
static void em_coord(em *w, const char *key, int have, int32_t e5)
{
	em_key(w, key);
	if (w->mode == EM_HEAD)
		return;
	if (have || w->mode == EM_JSON)
		put_coord(w->b, have, e5);
}

/* An object field: em_open(), its fields, em_close(). With !have it is
 * null: JSON writes null and skips the fields (em_open returns 0), rows
 * still write them, empty. */
static int em_open(em *w, const char *key, int have)
{
	if (w->mode == EM_JSON) {
		em_key(w, key);
		if (!have) {
			json_cstr(w->b, NULL);
			return 0;
		}
		json_raw(w->b, "{");
		w->depth = 1;
		w->nkey[1] = 0;
		return 1;
	}
	w->pre = key;
	return 1;
}

static void em_close(em *w)
{
	if (w->mode == EM_JSON) {
		json_raw(w->b, "}");
		w->depth = 0;
	}
	w->pre = NULL;
}

/* Several values in one field: TSV/CSV join them with "; " after escaping
 * each ("\\" and "\;"); JSON writes a list of strings. */
typedef struct em_list {
	em *w;
	buf_t tmp;  /* rows: the joined values */
	int n;
} em_list;

static void list_begin(em_list *l, em *w, const char *key)
{
	l->w = w;
	l->n = 0;
	buf_init(&l->tmp);
	em_key(w, key);
	if (w->mode == EM_JSON)
		json_raw(w->b, "[");
}

static void list_add(em_list *l, const char *s, size_t n)
{
	if (l->w->mode == EM_JSON) {
		if (l->n++)
			json_raw(l->w->b, ",");
		json_str(l->w->b, s, n);
		return;
	}
	if (l->n++)
		pipe_put_s(&l->tmp, "; ");
	size_t run = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\\' || s[i] == ';') {
			buf_put(&l->tmp, s + run, i - run);
			buf_put_u8(&l->tmp, '\\');
			run = i;
		}
	buf_put(&l->tmp, s + run, n - run);
}

static void list_end(em_list *l)
{
	if (l->w->mode == EM_JSON)
		json_raw(l->w->b, "]");
	else if (l->w->mode == EM_ROW && l->tmp.len)
		cell_put(l->w, (const char *)l->tmp.data, l->tmp.len);
	if (l->tmp.failed)
		l->w->b->failed = 1;
	buf_free(&l->tmp);
}

/* Actor texts as a list field, then their distinct codes joined by ";". */
static void row_actors(em *w, const pipe_doc *d, const char *key, const char *code_key,
		       const pipe_span *sp, uint32_t n)
{
	em_list l;
	size_t len;
	list_begin(&l, w, key);
	for (uint32_t i = 0; i < n; i++) {
		const char *s = span_text(d, sp[i].start, sp[i].end, &len);
		list_add(&l, s, len);
	}
	list_end(&l);
	char codes[4 * 64];
	size_t at = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (!sp[i].country[0])
			continue;
		int seen = 0;
		for (uint32_t j = 0; j < i && !seen; j++)
			seen = strcmp(sp[j].country, sp[i].country) == 0;
		if (seen || at + 5 > sizeof(codes))
			continue;
		at += (size_t)snprintf(codes + at, sizeof(codes) - at, "%s%s", at ? ";" : "",
				       sp[i].country);
	}
	em_str(w, code_key, at ? codes : NULL, at);
}

/* The per-sentence row of r (the classic dyadic layout). */
static void sentence_row(em *w, const pipe_doc *d, const pipe_record *r)
{
	char ds[11];
	size_t len;
	int hs = r && has_status(r);
	int dated = r && r->date.src != DATE_SRC_NONE;
	if (dated)
		date_format(r->date.date, ds);
	em_cstr(w, "date", dated ? ds : NULL);
	row_actors(w, d, "source", "source_code", r ? r->src : NULL, r ? r->nsrc : 0);
	em_cstr(w, "event", r && !pipe_is_none(r->plover) ? r->plover : NULL);
	em_cstr(w, "penta", r && !pipe_is_none(r->penta) ? r->penta : NULL);
	row_actors(w, d, "target", "target_code", r ? r->tgt : NULL, r ? r->ntgt : 0);
	em_list l;
	list_begin(&l, w, "location");
	for (uint32_t i = 0; r && i < r->nent; i++)
		if (is_place(&r->ent[i])) {
			const char *s = span_text(d, r->ent[i].start, r->ent[i].end, &len);
			list_add(&l, s, len);
		}
	list_end(&l);
	em_cstr(w, "doc", d ? d->id : NULL);
	const char *s = r ? span_text(d, r->start, r->end, &len) : NULL;
	em_str(w, "sentence", s, r ? len : 0);
	em_cstr(w, "negated", r ? (hs && r->status.negated ? "1" : "0") : NULL);
	em_cstr(w, "hypothetical", r ? (hs && r->status.hypothetical ? "1" : "0") : NULL);
	em_cstr(w, "reported", r ? (hs && r->status.reported ? "1" : "0") : NULL);
}

/* An actor of a dyad (NULL: null). */
static void em_actor(em *w, const char *key, const pipe_doc *d, const pipe_record *r,
		     const pipe_span *s)
{
	size_t len = 0;
	if (!em_open(w, key, s != NULL))
		return;
	const char *t = s ? span_text(d, s->start, s->end, &len) : NULL;
	em_str(w, "actor_text", t, len);
	em_num(w, "start", s != NULL, s ? s->cstart : 0);
	em_num(w, "end", s != NULL, s ? s->cend : 0);
	em_num(w, "score", s != NULL, s ? s->score : 0);
	em_cstr(w, "entity_type", s && s->entity >= 0 && (uint32_t)s->entity < r->nent
				  ? r->ent[s->entity].type : NULL);
	em_cstr(w, "code", s && s->country[0] ? s->country : NULL);
	em_cstr(w, "sector", s ? s->agent : NULL);
	em_close(w);
}

/* The sentence's most specific place: of its LOC entities, those the
 * place table located (with coordinates) first, then the highest score
 * (the first of equals); NULL when it has none. */
static const pipe_span *best_loc(const pipe_record *r)
{
	const pipe_span *best = NULL;
	for (uint32_t i = 0; r && i < r->nent; i++) {
		const pipe_span *s = &r->ent[i];
		if (is_place(s) && (!best || s->geo > best->geo ||
				  (s->geo == best->geo && s->score > best->score)))
			best = s;
	}
	return best;
}

/* One per-event record: dyad k of r, source s and target t (either NULL).
 * With r NULL (the header) every value is null. */
static void event_record(em *w, const pipe_models *m, const pipe_doc *d,
			 const pipe_record *r, const pipe_span *s, const pipe_span *t,
			 uint32_t k)
{
	char id[48], ds[11];
	size_t len = 0;
	buf_t idb;
	if (w->mode == EM_JSON) {
		json_raw(w->b, "{");
		w->nkey[0] = 0;
		w->depth = 0;
	}
	buf_init(&idb);
	if (r) {
		if (d->id)
			pipe_put_s(&idb, d->id);
		snprintf(id, sizeof(id), ":%u:%u", (unsigned)r->sent, (unsigned)k);
		pipe_put_s(&idb, id);
	}
	em_str(w, "id", r ? (const char *)idb.data : NULL, idb.len);
	if (idb.failed)
		w->b->failed = 1;
	buf_free(&idb);
	em_cstr(w, "story_id", d ? d->id : NULL);
	em_cstr(w, "publication_date", d ? d->date : NULL);
	int dated = r && r->date.src != DATE_SRC_NONE;
	if (dated)
		date_format(r->date.date, ds);
	em_cstr(w, "date", dated ? ds : NULL);
	em_cstr(w, "date_source", r ? src_name(r->date.src) : NULL);
	int np = !r || pipe_is_none(r->plover), nq = !r || pipe_is_none(r->penta);
	em_list l;
	list_begin(&l, w, "event"); /* PLOVER's "list of event categories" */
	if (!np)
		list_add(&l, r->plover, strlen(r->plover));
	list_end(&l);
	em_cstr(w, "mode", NULL);
	em_cstr(w, "quad_class", nq ? NULL : r->penta);
	em_actor(w, "source", d, r, s);
	em_actor(w, "recipient", d, r, t);
	const pipe_span *loc = best_loc(r);
	if (em_open(w, "event_loc", loc != NULL)) {
		/* PLOVER's location object: GeoNames' names, cc3 for ISO3 */
		const char *nm = loc ? span_text(d, loc->start, loc->end, &len) : NULL;
		em_str(w, "name", nm, len);
		em_num(w, "start", loc != NULL, loc ? loc->cstart : 0);
		em_num(w, "end", loc != NULL, loc ? loc->cend : 0);
		em_cstr(w, "cc3", loc && loc->country[0] ? loc->country : NULL);
		int geo = loc && loc->geo;
		em_cstr(w, "admin1 code", loc && loc->admin1[0] ? loc->admin1 : NULL);
		em_coord(w, "latitude", geo, geo ? loc->lat_e5 : 0);
		em_coord(w, "longitude", geo, geo ? loc->lon_e5 : 0);
		em_close(w);
	}
	if (em_open(w, "probabilities", 1)) {
		em_num(w, "event", !np, np ? 0 : r->plover_score);
		em_num(w, "quad_class", !nq, nq ? 0 : r->penta_score);
		em_num(w, "no_event", r && r->none_score >= 0, r ? r->none_score : 0);
		em_close(w);
	}
	int hs = r && has_status(r);
	if (em_open(w, "status", hs)) {
		em_num(w, "negated", hs, hs ? r->status.neg_score : 0);
		em_num(w, "hypothetical", hs, hs ? r->status.hyp_score : 0);
		em_num(w, "reported", hs, hs ? r->status.rep_score : 0);
		em_close(w);
	}
	const char *st = r ? span_text(d, r->start, r->end, &len) : NULL;
	em_str(w, "text", st, r ? len : 0);
	if (em_open(w, "text_info", 1)) {
		em_num(w, "sequence", r != NULL, r ? r->sent : 0);
		em_num(w, "start", r != NULL, r ? r->cstart : 0);
		em_num(w, "end", r != NULL, r ? r->cend : 0);
		em_close(w);
	}
	if (em_open(w, "models", 1)) {
		list_begin(&l, w, "file");
		for (int i = 0; m && i < PIPE_NMODELS; i++)
			if (m->files[i])
				list_add(&l, m->files[i], strlen(m->files[i]));
		for (int i = 0; m && i < 2; i++)
			if (m->agents_files[i])
				list_add(&l, m->agents_files[i], strlen(m->agents_files[i]));
		list_end(&l);
		list_begin(&l, w, "crc32");
		for (int i = 0; m && i < PIPE_NMODELS; i++)
			if (m->files[i])
				list_add(&l, m->crc32[i], strlen(m->crc32[i]));
		for (int i = 0; m && i < 2; i++)
			if (m->agents_files[i])
				list_add(&l, m->agents_crc32[i], strlen(m->agents_crc32[i]));
		list_end(&l);
		em_close(w);
	}
	if (w->mode == EM_JSON)
		json_raw(w->b, "}\n");
	else
		row_end(w);
}

static int same_span(const pipe_span *a, const pipe_span *b)
{
	return a->start == b->start && a->end == b->end;
}

/* Writes every dyad of r (see pipe_write_event_json). */
static void event_dyads(em *w, const pipe_models *m, const pipe_doc *d, const pipe_record *r)
{
	uint32_t k = 0;
	if (!pipe_has_event(r))
		return;
	for (uint32_t i = 0; i < r->nsrc; i++)
		for (uint32_t j = 0; j < r->ntgt; j++)
			if (!same_span(&r->src[i], &r->tgt[j]))
				event_record(w, m, d, r, &r->src[i], &r->tgt[j], k++);
	if (k)
		return;
	for (uint32_t i = 0; i < r->nsrc; i++)
		event_record(w, m, d, r, &r->src[i], NULL, k++);
	for (uint32_t j = 0; !r->nsrc && j < r->ntgt; j++)
		event_record(w, m, d, r, NULL, &r->tgt[j], k++);
	if (!k)
		event_record(w, m, d, r, NULL, NULL, 0);
}

void pipe_write_event_json(buf_t *b, const pipe_models *m, const pipe_doc *d,
			   const pipe_record *r)
{
	em w = { .b = b, .mode = EM_JSON };
	event_dyads(&w, m, d, r);
}

void pipe_write_row(buf_t *b, int fmt, int per_event, const pipe_models *m,
		    const pipe_doc *d, const pipe_record *r)
{
	em w = { .b = b, .mode = EM_ROW, .fmt = fmt };
	if (per_event) {
		event_dyads(&w, m, d, r);
	} else if (pipe_has_event(r)) {
		sentence_row(&w, d, r);
		row_end(&w);
	}
}

void pipe_write_header(buf_t *b, int fmt, int per_event)
{
	em w = { .b = b, .mode = EM_HEAD, .fmt = fmt };
	if (per_event) {
		event_record(&w, NULL, NULL, NULL, NULL, NULL, 0);
	} else {
		sentence_row(&w, NULL, NULL);
		row_end(&w);
	}
}

void pipe_write_tsv_header(buf_t *b)
{
	pipe_write_header(b, PIPE_TSV, 0);
}

void pipe_write_tsv(buf_t *b, const pipe_doc *d, const pipe_record *r)
{
	pipe_write_row(b, PIPE_TSV, 0, NULL, d, r);
}

/* ---- the terminal view */

static void col(buf_t *b, int colour, const char *c)
{
	if (colour)
		pipe_put_s(b, c);
}

static void label(buf_t *b, int colour, const char *name)
{
	char tmp[16];
	snprintf(tmp, sizeof(tmp), "  %-9s ", name);
	col(b, colour, C_DIM);
	pipe_put_s(b, tmp);
	col(b, colour, C_RESET);
}

void pipe_put_score(buf_t *b, double v)
{
	char tmp[32];
	snprintf(tmp, sizeof(tmp), "%.2f", v);
	/* "%.2f" uses the C locale's point unless setlocale() changed it;
	 * the front end never calls setlocale(), but keep it safe. */
	for (char *p = tmp; *p; p++)
		if (*p == ',')
			*p = '.';
	pipe_put_s(b, tmp);
}

static void text_actors(buf_t *b, const pipe_doc *d, const pipe_record *r,
			const pipe_span *sp, uint32_t n, int colour, const char *c)
{
	for (uint32_t i = 0; i < n; i++) {
		const pipe_span *s = &sp[i];
		if (i)
			pipe_put_s(b, "; ");
		col(b, colour, c);
		span_clean(b, d, s);
		col(b, colour, C_RESET);
		pipe_put_s(b, " (");
		if (s->entity >= 0 && (uint32_t)s->entity < r->nent && r->ent[s->entity].type) {
			pipe_put_s(b, r->ent[s->entity].type);
			pipe_put_s(b, ", ");
		}
		if (s->country[0]) {
			pipe_put_s(b, s->country);
			pipe_put_s(b, ", ");
		}
		if (s->agent) {
			pipe_put_s(b, s->agent);
			pipe_put_s(b, ", ");
		}
		pipe_put_score(b, s->score);
		pipe_put_s(b, ")");
	}
	if (!n)
		pipe_put_s(b, "-");
	buf_put_u8(b, '\n');
}

/* The status flags that are set, with their scores; nothing when none is. */
static void text_status(buf_t *b, const pipe_record *r, int colour)
{
	const char *name[3] = { "negated", "hypothetical", "reported" };
	int set[3] = { r->status.negated, r->status.hypothetical, r->status.reported };
	double sc[3] = { r->status.neg_score, r->status.hyp_score, r->status.rep_score };
	int any = 0;
	if (!has_status(r) || !(set[0] || set[1] || set[2]))
		return;
	label(b, colour, "status");
	for (int k = 0; k < 3; k++) {
		if (!set[k])
			continue;
		if (any++)
			pipe_put_s(b, "; ");
		col(b, colour, C_YELLOW);
		pipe_put_s(b, name[k]);
		col(b, colour, C_RESET);
		pipe_put_s(b, " ");
		pipe_put_score(b, sc[k]);
	}
	buf_put_u8(b, '\n');
}

void pipe_write_text(buf_t *b, const pipe_doc *d, const pipe_record *r, int colour)
{
	char tmp[96], ds[11];
	size_t st = r->start <= d->len ? r->start : d->len;
	size_t en = r->end <= d->len && r->end >= st ? r->end : st;

	col(b, colour, C_BOLD);
	snprintf(tmp, sizeof(tmp), "#%u", (unsigned)r->sent);
	pipe_put_s(b, tmp);
	col(b, colour, C_RESET);
	col(b, colour, C_DIM);
	pipe_put_s(b, "  ");
	if (d->id)
		put_clean(b, d->id, strlen(d->id));
	snprintf(tmp, sizeof(tmp), "  chars %u-%u", (unsigned)r->cstart, (unsigned)r->cend);
	pipe_put_s(b, tmp);
	col(b, colour, C_RESET);
	buf_put_u8(b, '\n');
	pipe_put_s(b, "  ");
	put_clean(b, d->text + st, en - st);
	buf_put_u8(b, '\n');

	label(b, colour, "event");
	if (!pipe_has_event(r)) {
		col(b, colour, C_DIM);
		pipe_put_s(b, "none");
		if (r->none_score >= 0) {
			pipe_put_s(b, " (no event ");
			pipe_put_score(b, r->none_score);
			pipe_put_s(b, ")");
		}
		col(b, colour, C_RESET);
	} else {
		int none = pipe_is_none(r->plover);
		col(b, colour, none ? C_DIM : C_BOLD);
		col(b, colour, none ? "" : C_GREEN);
		pipe_put_s(b, none ? "-" : r->plover);
		col(b, colour, C_RESET);
		if (!none) {
			pipe_put_s(b, " ");
			pipe_put_score(b, r->plover_score);
		}
		pipe_put_s(b, "   penta ");
		col(b, colour, C_GREEN);
		pipe_put_s(b, pipe_is_none(r->penta) ? "-" : r->penta);
		col(b, colour, C_RESET);
		if (!pipe_is_none(r->penta)) {
			pipe_put_s(b, " ");
			pipe_put_score(b, r->penta_score);
		}
	}
	buf_put_u8(b, '\n');
	text_status(b, r, colour);

	label(b, colour, "source");
	text_actors(b, d, r, r->src, r->nsrc, colour, C_CYAN);
	label(b, colour, "target");
	text_actors(b, d, r, r->tgt, r->ntgt, colour, C_MAGENTA);

	label(b, colour, "entities");
	for (uint32_t i = 0; i < r->nent; i++) {
		const pipe_span *s = &r->ent[i];
		if (i)
			pipe_put_s(b, "; ");
		span_clean(b, d, s);
		pipe_put_s(b, " ");
		col(b, colour, is_place(s) ? C_BLUE : C_YELLOW);
		pipe_put_s(b, s->type ? s->type : "?");
		col(b, colour, C_RESET);
		pipe_put_s(b, " ");
		pipe_put_score(b, s->score);
	}
	if (!r->nent)
		pipe_put_s(b, "-");
	buf_put_u8(b, '\n');

	label(b, colour, "date");
	if (r->date.src == DATE_SRC_NONE) {
		pipe_put_s(b, "-");
	} else {
		date_format(r->date.date, ds);
		col(b, colour, r->date.src == DATE_SRC_TEXT ? C_RED : "");
		pipe_put_s(b, ds);
		col(b, colour, C_RESET);
		if (r->date.src == DATE_SRC_TEXT) {
			pipe_put_s(b, " (from \"");
			size_t ds0 = r->date.start <= d->len ? r->date.start : d->len;
			size_t de = r->date.end <= d->len && r->date.end >= ds0 ? r->date.end : ds0;
			put_clean(b, d->text + ds0, de - ds0);
			pipe_put_s(b, "\")");
		} else {
			pipe_put_s(b, " (article date)");
		}
	}
	pipe_put_s(b, "\n\n");
}

/* ---- coding articles */

struct pipe_ws {
	tok_doc doc;
	tagger_ws *tw;              /* shared by both taggers (one at a time) */
	tdoc_t *tdoc;               /* the article's words, for a tagger with the doc template */
	clf_ws *cw_plover, *cw_penta;
	double *p_plover, *p_penta; /* [nlabels] */
	tagger_tok *ttok;           /* [cap_tok] this sentence's tokens */
	tagger_span *tspan;         /* [cap_tok] */
	pipe_span *ent, *src, *tgt; /* [cap_tok] this sentence's spans */
	uint32_t cap_tok;
	uint32_t nevents;           /* sentences with an event in the last article */
	places_ctx pctx;            /* countries the article mentions (places.h) */
	/* the article's records, kept until the whole article is tagged (the
	 * within-article vote), and their spans: record k's are at
	 * off[3k..3k+2] in aspan[0..2] */
	pipe_record *rec;           /* [cap_rec] */
	uint32_t *off;              /* [3 * cap_rec] */
	uint32_t nrec, cap_rec;
	pipe_span *aspan[3];        /* [acap[k]] entities, sources, targets */
	uint32_t an[3], acap[3];
	int none;                   /* the PLOVER model's NONE label, or -1 */
	uint8_t *pairs;             /* event_pairs of the two models, or NULL */
	clf_ws *plover_keys;        /* w->cw_penta where the PentaClass model's keys
				     * cover PLOVER's (clf_keys_cover): a sentence's
				     * keys are then extracted once; else NULL */
};

pipe_ws *pipe_ws_new(const pipe_models *m)
{
	pipe_ws *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	tok_doc_init(&w->doc);
	const tagger_t *t = m->entities ? m->entities : m->roles;
	if ((t && !(w->tw = tagger_ws_new(t))) ||
	    (m->plover && (!(w->cw_plover = clf_ws_new(m->plover)) ||
			   !(w->p_plover = calloc(clf_nlabels(m->plover) + 1, sizeof(double))))) ||
	    (m->penta && (!(w->cw_penta = clf_ws_new(m->penta)) ||
			  !(w->p_penta = calloc(clf_nlabels(m->penta) + 1, sizeof(double))))) ||
	    (m->plover && m->penta && !(w->pairs = event_pairs(m->plover, m->penta)))) {
		pipe_ws_free(w);
		return NULL;
	}
	w->none = m->plover ? clf_label_index(m->plover, PIPE_NONE) : -1;
	if (m->plover && m->penta && clf_keys_cover(m->penta, m->plover))
		w->plover_keys = w->cw_penta;
	return w;
}

void pipe_ws_counts(const pipe_ws *w, uint32_t *nsent, uint32_t *nevents)
{
	*nsent = w->doc.nsent;
	*nevents = w->doc.nsent ? w->nevents : 0;
}

void pipe_ws_free(pipe_ws *w)
{
	if (!w)
		return;
	tok_doc_free(&w->doc);
	tagger_ws_free(w->tw);
	tdoc_free(w->tdoc);
	clf_ws_free(w->cw_plover);
	clf_ws_free(w->cw_penta);
	free(w->p_plover);
	free(w->p_penta);
	free(w->pairs);
	free(w->ttok);
	free(w->tspan);
	free(w->ent);
	free(w->src);
	free(w->tgt);
	free(w->rec);
	free(w->off);
	for (int k = 0; k < 3; k++)
		free(w->aspan[k]);
	free(w);
}

/* Room for n tokens (and as many spans) in w. 0 or ERR_NOMEM. */
static int ws_reserve(pipe_ws *w, uint32_t n)
{
	if (n <= w->cap_tok)
		return 0;
	uint32_t cap = w->cap_tok ? w->cap_tok : 64;
	while (cap < n)
		cap = cap > UINT32_MAX / 2 ? n : cap * 2;
	void *a = realloc(w->ttok, cap * sizeof(*w->ttok));
	if (!a)
		return ERR_NOMEM;
	w->ttok = a;
	if (!(a = realloc(w->tspan, cap * sizeof(*w->tspan))))
		return ERR_NOMEM;
	w->tspan = a;
	if (!(a = realloc(w->ent, cap * sizeof(*w->ent))))
		return ERR_NOMEM;
	w->ent = a;
	if (!(a = realloc(w->src, cap * sizeof(*w->src))))
		return ERR_NOMEM;
	w->src = a;
	if (!(a = realloc(w->tgt, cap * sizeof(*w->tgt))))
		return ERR_NOMEM;
	w->tgt = a;
	w->cap_tok = cap;
	return 0;
}

/* A pipe_span for tagger span ts over the sentence's tokens tk. */
static pipe_span make_span(const tok_token *tk, const tagger_span *ts, const char *type)
{
	pipe_span p;
	p.start = tk[ts->first].start;
	p.end = tk[ts->last - 1].end;
	p.cstart = tk[ts->first].cstart;
	p.cend = tk[ts->last - 1].cend;
	p.type = type;
	p.score = ts->score;
	p.entity = -1;
	p.country[0] = '\0';
	p.admin1[0] = '\0';
	p.lat_e5 = p.lon_e5 = 0;
	p.geo = 0;
	p.agent = NULL;
	return p;
}

static void set_country(pipe_span *p, const gaz_t *gaz, const char *text)
{
	const char *c = gaz ? gaz_lookup(gaz, text + p->start, p->end - p->start) : NULL;
	if (c && strlen(c) < sizeof(p->country))
		strcpy(p->country, c);
}

/* An actor's country: the gazetteer's for its own words, else that of the
 * entity it overlaps most (a located place: "Moscow" gives RUS). */
static void set_actor_country(pipe_span *p, const pipe_record *r, const gaz_t *gaz,
			      const char *text)
{
	set_country(p, gaz, text);
	if (!p->country[0] && p->entity >= 0 && (uint32_t)p->entity < r->nent)
		memcpy(p->country, r->ent[p->entity].country, sizeof(p->country));
}

/* A place entity's country, admin1 and coordinates (places_locate, with
 * the countries the article mentions in w->pctx). */
static void set_place(pipe_span *p, const pipe_models *m, pipe_ws *w, const char *text)
{
	places_hit h;
	int kind = places_locate(m->places, m->gaz, &w->pctx, text + p->start,
				 p->end - p->start, &h);
	if (kind == PLACES_NONE)
		return;
	memcpy(p->country, h.country, sizeof(p->country));
	if (kind == PLACES_PLACE) {
		memcpy(p->admin1, h.admin1, sizeof(p->admin1));
		if (!h.region) { /* a region has no coordinates */
			p->lat_e5 = h.lat_e5;
			p->lon_e5 = h.lon_e5;
			p->geo = 1;
		}
	}
}

/* Adds the countries the gazetteer finds anywhere in the article to
 * w->pctx, so a place named before its country is resolved with it too. */
static int scan_countries(const pipe_models *m, pipe_ws *w, const pipe_doc *d, err_t *e)
{
	places_ctx_clear(&w->pctx);
	if (!m->places || !m->gaz)
		return 0;
	for (uint32_t i = 0; i < w->doc.nsent; i++) {
		const tok_sent *s = &w->doc.sent[i];
		const tok_token *tk = w->doc.tok + s->first;
		if (s->n > UINT32_MAX / 2 - 1 || ws_reserve(w, 2 * s->n + 1) < 0)
			return err_set(e, ERR_NOMEM, "out of memory for a sentence of %u tokens",
				       s->n);
		for (uint32_t k = 0; k < s->n; k++) {
			w->ttok[k].s = d->text + tk[k].start;
			w->ttok[k].len = tk[k].end - tk[k].start;
		}
		places_ctx_scan(&w->pctx, m->places, m->gaz, w->ttok, s->n);
	}
	return 0;
}

/* Index of the entity sharing the most tokens with tokens [first, last),
 * or -1 (ties: the first). */
static int overlapping(const tagger_span *ents, uint32_t nent, const tagger_span *r)
{
	int best = -1;
	uint32_t most = 0;
	for (uint32_t i = 0; i < nent; i++) {
		uint32_t a = ents[i].first > r->first ? ents[i].first : r->first;
		uint32_t b = ents[i].last < r->last ? ents[i].last : r->last;
		if (b > a && b - a > most) {
			most = b - a;
			best = (int)i;
		}
	}
	return best;
}

static int write_record(buf_t *out, const pipe_models *m, const pipe_opts *o,
			const pipe_doc *d, const pipe_record *r, err_t *e)
{
	size_t at = out->len;
	if (o->events_only && !pipe_has_event(r))
		return 0;
	if (o->format == PIPE_TSV || o->format == PIPE_CSV)
		pipe_write_row(out, o->format, o->per_event, m, d, r);
	else if (o->format == PIPE_JSON && o->per_event)
		pipe_write_event_json(out, m, d, r);
	else if (o->format == PIPE_TEXT)
		pipe_write_text(out, d, r, o->colour);
	else if (o->format == PIPE_HTML)
		pipe_write_html(out, d, r);
	else
		pipe_write_json(out, d, r);
	return o->record && !out->failed ? o->record(o->record_ctx, r, out, at, e) : 0;
}

/* Tags, classifies and dates sentence i of w->doc into r. */
static int code_sentence(const pipe_models *m, pipe_ws *w, const pipe_opts *o,
			 const pipe_doc *d, const date_t *ap, uint32_t i,
			 pipe_record *r, err_t *e)
{
	const tok_sent *s = &w->doc.sent[i];
	const tok_token *tk = w->doc.tok + s->first;
	uint32_t n = s->n, ne = 0, nr = 0;
	int rc, best;

	/* spans: entities then roles in tspan, at most n of each */
	if (n > UINT32_MAX / 2 - 1 || ws_reserve(w, 2 * n + 1) < 0)
		return err_set(e, ERR_NOMEM, "out of memory for a sentence of %u tokens", n);
	memset(r, 0, sizeof(*r));
	r->sent = i;
	r->start = s->start, r->end = s->end;
	r->cstart = s->cstart, r->cend = s->cend;
	r->ent = w->ent, r->src = w->src, r->tgt = w->tgt;
	for (uint32_t k = 0; k < n; k++) {
		w->ttok[k].s = d->text + tk[k].start;
		w->ttok[k].len = tk[k].end - tk[k].start;
	}
	if (m->entities) {
		if ((rc = tagger_tag(m->entities, w->tw, w->ttok, n, NULL, w->tspan, &ne, e)) < 0)
			return rc;
		/* a person's title and name make one actor ("Prime" Minister
		 * "Nikol Pashinyan"); GMB's own annotation splits them often */
		for (uint32_t y = 0; y < tagger_ntypes(m->entities); y++)
			if (strcmp(tagger_type_name(m->entities, y), "PER") == 0)
				ne = tagger_join_spans(w->ttok, n, y, w->tspan, ne);
		for (uint32_t k = 0; k < ne; k++)
			w->ent[k] = make_span(tk, &w->tspan[k],
					      tagger_type_name(m->entities, w->tspan[k].type));
		r->nent = ne;
	}
	if (m->roles) {
		/* w->tspan still holds the entity spans; roles go after them */
		tagger_span *rs = w->tspan + ne;
		if ((rc = tagger_tag(m->roles, w->tw, w->ttok, n, NULL, rs, &nr, e)) < 0)
			return rc;
		for (uint32_t k = 0; k < nr; k++) {
			const char *type = tagger_type_name(m->roles, rs[k].type);
			pipe_span p = make_span(tk, &rs[k], type);
			p.entity = overlapping(w->tspan, ne, &rs[k]);
			int recip = type && strcmp(type, "RECIPROCAL") == 0;
			if (recip || (type && strcmp(type, "SOURCE") == 0))
				w->src[r->nsrc++] = p;
			if (recip || (type && strcmp(type, "TARGET") == 0))
				w->tgt[r->ntgt++] = p;
		}
	}
	int qbest = -1;
	/* PentaClass first: PLOVER may take its keys */
	if ((m->penta &&
	     clf_predict_tokens(m->penta, w->cw_penta, d->text, tk, n, w->p_penta, &qbest) < 0) ||
	    (m->plover &&
	     (w->plover_keys ?
	      clf_predict_keys(m->plover, w->cw_plover, w->plover_keys, w->p_plover, &best) :
	      clf_predict_tokens(m->plover, w->cw_plover, d->text, tk, n, w->p_plover, &best)) < 0))
		return err_set(e, ERR_NOMEM, "out of memory classifying a sentence");
	pipe_event ev;
	event_decide(m->plover, w->p_plover, best, m->penta, w->p_penta, qbest,
		     o->threshold, o->joint, w->none, w->pairs, &ev);
	r->plover = ev.plover;
	r->plover_score = ev.plover_score;
	r->penta = ev.penta;
	r->penta_score = ev.penta_score;
	r->none_score = ev.none_score;
	if (has_status(r) && (rc = status_find(d->text, d->len, tk, n, r->plover,
					       STATUS_NO_VERB, &r->status, e)) < 0)
		return rc;
	date_find_tokens(d->text, tk, n, ap, &r->date);
	if (i == 0)
		w->nevents = 0;
	w->nevents += pipe_has_event(r) ? 1 : 0;
	return 0;
}

/* Keeps record r (its spans copied) as the article's next one. 0 or
 * ERR_NOMEM. */
static int keep_record(pipe_ws *w, const pipe_record *r)
{
	const pipe_span *sp[3] = { r->ent, r->src, r->tgt };
	uint32_t n[3] = { r->nent, r->nsrc, r->ntgt };
	if (w->nrec == w->cap_rec) {
		uint32_t cap = w->cap_rec ? w->cap_rec * 2 : 64;
		if (cap <= w->cap_rec)
			return ERR_NOMEM;
		pipe_record *rec = realloc(w->rec, cap * sizeof(*rec));
		if (!rec)
			return ERR_NOMEM;
		w->rec = rec;
		uint32_t *off = realloc(w->off, 3 * (size_t)cap * sizeof(*off));
		if (!off)
			return ERR_NOMEM;
		w->off = off;
		w->cap_rec = cap;
	}
	for (int k = 0; k < 3; k++) {
		if (n[k] > UINT32_MAX / 2 - w->an[k])
			return ERR_NOMEM;
		if (w->an[k] + n[k] > w->acap[k]) {
			uint32_t cap = w->acap[k] ? w->acap[k] : 64;
			while (cap < w->an[k] + n[k])
				cap *= 2;
			pipe_span *a = realloc(w->aspan[k], cap * sizeof(*a));
			if (!a)
				return ERR_NOMEM;
			w->aspan[k] = a;
			w->acap[k] = cap;
		}
		if (n[k])
			memcpy(w->aspan[k] + w->an[k], sp[k], n[k] * sizeof(pipe_span));
		w->off[3 * (size_t)w->nrec + k] = w->an[k];
		w->an[k] += n[k];
	}
	w->rec[w->nrec++] = *r;
	return 0;
}

/* The within-article vote (docvote_types) over the entities of w's
 * records. 0 or ERR_NOMEM. */
static int vote_types(pipe_ws *w, const pipe_doc *d, err_t *e)
{
	uint32_t n = w->an[0];
	pipe_span *ent = w->aspan[0];
	docvote_span *v;
	int rc;
	if (n < 2)
		return 0;
	if (!(v = malloc(n * sizeof(*v))))
		return err_set(e, ERR_NOMEM, "out of memory voting over %u entities", n);
	for (uint32_t i = 0; i < n; i++)
		v[i] = (docvote_span){ ent[i].start, ent[i].end, ent[i].type, ent[i].score };
	rc = docvote_types(d->text, v, n, e);
	for (uint32_t i = 0; rc > 0 && i < n; i++) {
		ent[i].type = v[i].type;
		ent[i].score = v[i].score;
	}
	free(v);
	return rc < 0 ? rc : 0;
}

int pipe_code(const pipe_models *m, pipe_ws *w, const pipe_opts *o,
	      const pipe_doc *d, buf_t *out, pipe_spill *sp, err_t *e)
{
	date_t ad;
	const date_t *ap = NULL;
	int rc;

	if (d->date && d->date[0]) {
		if (date_parse(d->date, strlen(d->date), &ad) < 0)
			return err_set(e, ERR_FORMAT, "bad article date '%s' (expected YYYY-MM-DD)",
				       d->date);
		ap = &ad;
	}
	if ((rc = tok_split(&w->doc, d->text, d->len, d->from, 0, e)) < 0)
		return rc;
	if ((rc = scan_countries(m, w, d, e)) < 0)
		return rc;
	/* the article is the document of a tagger with the doc template (the
	 * two taggers share w->tw: either may have it) */
	const tagger_t *dt = m->entities && tagger_uses_doc(m->entities) ? m->entities : m->roles;
	if (dt && w->tw && (rc = tagger_text_doc(dt, w->tw, &w->doc, d->text, &w->tdoc, e)) < 0)
		return rc;
	if (o->format == PIPE_HTML)
		pipe_write_html_doc(out, d, 0);
	/* first pass: tag and classify every sentence, keeping the records */
	w->nrec = 0;
	w->an[0] = w->an[1] = w->an[2] = 0;
	for (uint32_t i = 0; i < w->doc.nsent; i++) {
		pipe_record r;
		if ((rc = code_sentence(m, w, o, d, ap, i, &r, e)) < 0)
			return rc;
		if (keep_record(w, &r) < 0)
			return err_set(e, ERR_NOMEM, "out of memory for the records of an article");
	}
	/* the same name, the same entity type in the whole article */
	if ((rc = vote_types(w, d, e)) < 0)
		return rc;
	/* second pass, on the voted types: the entities' countries and
	 * places, then the actors' countries and agent types */
	for (uint32_t i = 0; i < w->nrec; i++) {
		pipe_record *r = &w->rec[i];
		const uint32_t *off = w->off + 3 * (size_t)i;
		pipe_span *ent = w->aspan[0] ? w->aspan[0] + off[0] : NULL;
		pipe_span *src = w->aspan[1] ? w->aspan[1] + off[1] : NULL;
		pipe_span *tgt = w->aspan[2] ? w->aspan[2] + off[2] : NULL;
		r->ent = ent;
		r->src = src;
		r->tgt = tgt;
		for (uint32_t k = 0; k < r->nent; k++) {
			if (m->places && is_place(&ent[k]))
				set_place(&ent[k], m, w, d->text);
			else
				set_country(&ent[k], m->gaz, d->text);
		}
		for (uint32_t k = 0; k < r->nsrc; k++) {
			set_actor_country(&src[k], r, m->gaz, d->text);
			pipe_actor_agent(m->agents, d, r, &src[k]);
		}
		for (uint32_t k = 0; k < r->ntgt; k++) {
			set_actor_country(&tgt[k], r, m->gaz, d->text);
			pipe_actor_agent(m->agents, d, r, &tgt[k]);
		}
	}
	/* a person's country and agent type from the rest of the article */
	if ((rc = pipe_actors_people(m->agents, d, w->rec, w->nrec, e)) < 0)
		return rc;
	/* third pass: the output */
	for (uint32_t i = 0; i < w->nrec; i++) {
		const pipe_record *r = &w->rec[i];
		if ((rc = write_record(out, m, o, d, r, e)) < 0)
			return rc;
		if (out->len >= PIPE_SPILL_BYTES && !out->failed &&
		    (rc = pipe_spill_out(sp, out, e)) < 0)
			return rc;
	}
	if (o->format == PIPE_HTML)
		pipe_write_html_doc(out, d, 1);
	if (out->failed)
		return err_set(e, ERR_NOMEM, "out of memory for the output");
	return 0;
}
