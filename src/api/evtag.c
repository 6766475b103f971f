/* evtag: the public API (see evtag.h) over the model loader
 * (coder/models.h) and the article coder (pipe_code). */
#include "api/evtag.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "coder/models.h"
#include "coder/pipe.h"
#include "text/art.h"

/* The per-call workspaces kept for reuse: a locked stack of up to
 * WS_KEEP of them (more threads than that allocate their own). */
#define WS_KEEP 64

struct evtag_models {
	pipe_models models;   /* read-only once open */
	pipe_opts opts;       /* read-only once open */
	char *dir;
	pthread_mutex_t lock; /* guards ws and nws */
	pipe_ws *ws[WS_KEEP];
	int nws;
};

typedef struct rec {
	uint32_t sent, start, end, cstart, cend;
	const char *plover, *penta;
	double plover_score, penta_score, none_score;
	size_t at, len; /* the JSON line in json */
} rec;

struct evtag_records {
	char *json; /* each record's line, then '\0' */
	rec *r;     /* [n] */
	size_t n;
};

/* Collects records while pipe_code writes them. */
typedef struct collect {
	rec *r;
	size_t n, cap;
} collect;

/* The public codes are err.h's (checked at compile time). */
_Static_assert((int)EVTAG_ERR_NOMEM == (int)ERR_NOMEM && (int)EVTAG_ERR_IO == (int)ERR_IO &&
		       (int)EVTAG_ERR_FORMAT == (int)ERR_FORMAT &&
		       (int)EVTAG_ERR_UTF8 == (int)ERR_UTF8 &&
		       (int)EVTAG_ERR_MODEL == (int)ERR_MODEL && (int)EVTAG_ERR_ARG == (int)ERR_ARG &&
		       (int)EVTAG_ERR_NUMERIC == (int)ERR_NUMERIC &&
		       (int)EVTAG_ERR_EMPTY == (int)ERR_EMPTY,
	       "evtag.h error codes match err.h");
_Static_assert(sizeof(((evtag_error *)0)->message) == sizeof(((err_t *)0)->msg),
	       "evtag_error holds an err_t message");

/* Copies e into the public error (if any); returns e's code. */
static int fail(evtag_error *out, const err_t *e)
{
	if (out) {
		out->code = e->code;
		memcpy(out->message, e->msg, sizeof(out->message));
	}
	return e->code;
}

const char *evtag_version(void)
{
	return EVTAG_VERSION;
}

const char *evtag_strerror(int code)
{
	return err_code_str(code);
}

void evtag_options_init(evtag_options *opt)
{
	if (!opt)
		return;
	memset(opt, 0, sizeof(*opt));
	opt->threshold = 0.0;
}

int evtag_open(evtag_models **out, const char *dir, const evtag_options *opt,
	       evtag_error *err)
{
	char found[2400];
	evtag_models *m = NULL;
	err_t e;
	int rc;

	err_clear(&e);
	if (!out)
		return fail(err, &(err_t){ .code = ERR_ARG, .msg = "evtag_open: out is NULL" });
	*out = NULL;
	if (opt && !(opt->threshold >= 0.0 && opt->threshold <= 1.0)) {
		err_set(&e, ERR_ARG, "evtag_open: threshold must be between 0 and 1, got %g",
			opt->threshold);
		return fail(err, &e);
	}
	if ((rc = models_find(dir, found, sizeof(found),
			      "give the folder to evtag_open() or set the environment variable "
			      "EVTAG_MODELS", &e)) < 0)
		return fail(err, &e);
	if (!(m = calloc(1, sizeof(*m))) || !(m->dir = strdup(found))) {
		free(m);
		err_set(&e, ERR_NOMEM, "out of memory");
		return fail(err, &e);
	}
	if ((rc = models_load(&m->models, found, NULL, NULL, &e)) < 0) {
		free(m->dir);
		free(m);
		return fail(err, &e);
	}
	if (pthread_mutex_init(&m->lock, NULL) != 0) {
		models_free(&m->models);
		free(m->dir);
		free(m);
		err_set(&e, ERR_NOMEM, "cannot create a mutex");
		return fail(err, &e);
	}
	m->opts.format = PIPE_JSON;
	if (opt) {
		m->opts.threshold = opt->threshold;
		m->opts.joint = opt->joint != 0;
		m->opts.events_only = opt->events_only != 0;
	}
	*out = m;
	return 0;
}

const char *evtag_models_dir(const evtag_models *m)
{
	return m ? m->dir : NULL;
}

void evtag_close(evtag_models *m)
{
	if (!m)
		return;
	for (int i = 0; i < m->nws; i++)
		pipe_ws_free(m->ws[i]);
	pthread_mutex_destroy(&m->lock);
	models_free(&m->models);
	free(m->dir);
	free(m);
}

/* A workspace from m's pool, or a new one; NULL if out of memory. */
static pipe_ws *ws_take(evtag_models *m)
{
	pipe_ws *w = NULL;
	pthread_mutex_lock(&m->lock);
	if (m->nws > 0)
		w = m->ws[--m->nws];
	pthread_mutex_unlock(&m->lock);
	return w ? w : pipe_ws_new(&m->models);
}

/* Gives w back to m's pool (or frees it when the pool is full). */
static void ws_give(evtag_models *m, pipe_ws *w)
{
	pthread_mutex_lock(&m->lock);
	if (m->nws < WS_KEEP) {
		m->ws[m->nws++] = w;
		w = NULL;
	}
	pthread_mutex_unlock(&m->lock);
	pipe_ws_free(w);
}

static int on_record(void *ctx, const pipe_record *pr, const buf_t *out, size_t at, err_t *e)
{
	collect *c = ctx;
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 32;
		rec *tmp = realloc(c->r, cap * sizeof(*tmp));
		if (!tmp)
			return err_set(e, ERR_NOMEM, "out of memory for the records");
		c->r = tmp;
		c->cap = cap;
	}
	rec *r = &c->r[c->n++];
	r->sent = pr->sent;
	r->start = pr->start, r->end = pr->end;
	r->cstart = pr->cstart, r->cend = pr->cend;
	r->plover = pr->plover, r->plover_score = pr->plover_score;
	r->penta = pr->penta, r->penta_score = pr->penta_score;
	r->none_score = pr->none_score;
	r->at = at;
	r->len = out->len - at;
	return 0;
}

int evtag_code(evtag_models *m, const char *text, size_t len, const char *date,
	       const char *id, evtag_records **out, evtag_error *err)
{
	collect c = { NULL, 0, 0 };
	evtag_records *res = NULL;
	pipe_ws *w = NULL;
	char *copy = NULL;
	art_article a;
	buf_t b;
	err_t e;
	int rc;

	err_clear(&e);
	buf_init(&b);
	if (!out)
		return fail(err, &(err_t){ .code = ERR_ARG, .msg = "evtag_code: out is NULL" });
	*out = NULL;
	if (!m || (!text && len)) {
		rc = err_set(&e, ERR_ARG, "evtag_code: %s is NULL", m ? "text" : "the model set");
		goto out;
	}
	/* a NUL-terminated copy: the coder may read one byte past the text */
	if (!(copy = malloc(len + 1))) {
		rc = err_set(&e, ERR_NOMEM, "out of memory for an article of %zu bytes", len);
		goto out;
	}
	if (len)
		memcpy(copy, text, len);
	copy[len] = '\0';
	if ((rc = art_from_text(copy, len, &a, &e)) < 0)
		goto out_prefix;
	if (!(w = ws_take(m))) {
		rc = err_set(&e, ERR_NOMEM, "out of memory for a workspace");
		goto out;
	}
	pipe_opts o = m->opts;
	o.record = on_record;
	o.record_ctx = &c;
	pipe_doc d = { id, date ? date : a.date[0] ? a.date : NULL, copy, len, a.body };
	rc = pipe_code(&m->models, w, &o, &d, &b, NULL, &e);
	ws_give(m, w);
	if (rc < 0)
		goto out_prefix;
	/* the lines, each followed by a '\0' */
	if (!(res = calloc(1, sizeof(*res))) || !(res->json = malloc(b.len + c.n + 1))) {
		rc = err_set(&e, ERR_NOMEM, "out of memory for the records");
		goto out;
	}
	size_t at = 0;
	for (size_t i = 0; i < c.n; i++) {
		memcpy(res->json + at, b.data + c.r[i].at, c.r[i].len);
		c.r[i].at = at;
		at += c.r[i].len;
		res->json[at++] = '\0';
	}
	res->json[at] = '\0';
	res->r = c.r;
	res->n = c.n;
	c.r = NULL;
	*out = res;
	res = NULL;
	goto out;
out_prefix:
	if (id)
		err_prefix(&e, id);
out:
	evtag_records_free(res);
	free(c.r);
	free(copy);
	buf_free(&b);
	return rc < 0 ? fail(err, &e) : 0;
}

size_t evtag_count(const evtag_records *r)
{
	return r ? r->n : 0;
}

const char *evtag_record_json(const evtag_records *r, size_t i, size_t *len)
{
	if (!r || i >= r->n)
		return NULL;
	if (len)
		*len = r->r[i].len;
	return r->json + r->r[i].at;
}

int evtag_record_sentence(const evtag_records *r, size_t i, size_t *sent, size_t *start,
			  size_t *end, size_t *cstart, size_t *cend)
{
	if (!r || i >= r->n)
		return ERR_ARG;
	const rec *x = &r->r[i];
	if (sent)
		*sent = x->sent;
	if (start)
		*start = x->start;
	if (end)
		*end = x->end;
	if (cstart)
		*cstart = x->cstart;
	if (cend)
		*cend = x->cend;
	return 0;
}

const char *evtag_record_plover(const evtag_records *r, size_t i, double *score)
{
	if (!r || i >= r->n)
		return NULL;
	if (score)
		*score = r->r[i].plover_score;
	return r->r[i].plover;
}

const char *evtag_record_penta(const evtag_records *r, size_t i, double *score)
{
	if (!r || i >= r->n)
		return NULL;
	if (score)
		*score = r->r[i].penta_score;
	return r->r[i].penta;
}

double evtag_record_no_event(const evtag_records *r, size_t i)
{
	if (!r || i >= r->n)
		return -1.0;
	return r->r[i].none_score;
}

void evtag_records_free(evtag_records *r)
{
	if (!r)
		return;
	free(r->json);
	free(r->r);
	free(r);
}
