/* The ordered batch engine (pipe_run) with a trivial per-item function,
 * and the record writers (pipe_write_json/_tsv/_text). */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "learn/clf.h"
#include "text/conll.h"
#include "base/err.h"
#include "features/gaz.h"
#include "coder/pipe.h"
#include "learn/tagger.h"
#include "t.h"

typedef struct tctx {
	uint64_t n;          /* items to produce */
	uint64_t fail_read;  /* next() fails fatally at this item (0: never) */
	uint64_t fail_emit;  /* emit() fails at this seq (0: never) */
	size_t window;
	pthread_mutex_t mu;
	uint64_t produced, emitted, freed, max_in_flight;
	int out_of_order, ws_misuse, nws;
	int spill;           /* items v % 10 == 0 write 50 lines via pipe_spill_out */
	uint64_t fail_part;  /* emit_part fails at this call (0: never) */
	uint64_t spilled, parts;
	buf_t out;
} tctx;

typedef struct titem {
	uint64_t v;
} titem;

typedef struct tws {
	pthread_t owner;
	int used;
} tws;

static int t_next(void *c, void **item, err_t *e)
{
	tctx *x = c;
	if (x->fail_read && x->produced == x->fail_read)
		return err_set(e, ERR_IO, "read failed at item %llu", (unsigned long long)x->produced);
	if (x->produced == x->n)
		return 0;
	titem *it = malloc(sizeof(*it));
	if (!it)
		return err_set(e, ERR_NOMEM, "oom");
	it->v = x->produced;
	pthread_mutex_lock(&x->mu);
	x->produced++;
	if (x->produced - x->emitted > x->max_in_flight)
		x->max_in_flight = x->produced - x->emitted;
	pthread_mutex_unlock(&x->mu);
	*item = it;
	return 1;
}

/* A small busy wait that varies between items so workers finish out of
 * order. */
static void jitter(uint64_t v)
{
	uint64_t h = v * 0x9e3779b97f4a7c15ull;
	struct timespec ts = { 0, (long)((h >> 40) % 100000) };
	if ((h >> 20) % 5 == 0)
		nanosleep(&ts, NULL);
}

static int t_work(void *c, void *ws, void *item, buf_t *out, pipe_spill *sp, err_t *e)
{
	tctx *x = c;
	tws *w = ws;
	titem *it = item;
	char line[64];
	if (!w || !pthread_equal(w->owner, pthread_self())) {
		pthread_mutex_lock(&x->mu);
		x->ws_misuse++;
		pthread_mutex_unlock(&x->mu);
	} else {
		w->used++;
	}
	jitter(it->v);
	if (it->v % 7 == 3) {
		buf_put(out, "partial", 7); /* a failed item's output is still handed over */
		return err_set(e, ERR_FORMAT, "item %llu: bad", (unsigned long long)it->v);
	}
	/* items that are multiples of 10 write many lines, handing them over
	 * early when they may */
	int lines = x->spill && it->v % 10 == 0 ? 50 : 1;
	for (int k = 0; k < lines; k++) {
		int n = snprintf(line, sizeof(line), "item %llu -> %llu\n", (unsigned long long)it->v,
				 (unsigned long long)(it->v * it->v % 1009 + (uint64_t)k));
		buf_put(out, line, (size_t)n);
		if (lines > 1) {
			int rc = pipe_spill_out(sp, out, e);
			if (rc < 0)
				return rc;
			if (rc > 0) {
				pthread_mutex_lock(&x->mu);
				x->spilled++;
				pthread_mutex_unlock(&x->mu);
			}
		}
	}
	return 0;
}

static int t_emit(void *c, uint64_t seq, void *item, int status, const buf_t *out,
		  const err_t *ie, err_t *e)
{
	tctx *x = c;
	titem *it = item;
	if (it->v != seq || seq != x->emitted)
		x->out_of_order++;
	if (status < 0) {
		char line[128];
		int n = snprintf(line, sizeof(line), "error: %s [%zu bytes]\n", ie->msg, out->len);
		buf_put(&x->out, line, (size_t)n);
	} else {
		buf_put(&x->out, out->data, out->len);
	}
	pthread_mutex_lock(&x->mu);
	x->emitted++;
	pthread_mutex_unlock(&x->mu);
	if (x->fail_emit && seq + 1 == x->fail_emit)
		return err_set(e, ERR_IO, "write failed");
	return 0;
}

static int t_emit_part(void *c, uint64_t seq, const buf_t *out, err_t *e)
{
	tctx *x = c;
	if (seq != x->emitted)
		x->out_of_order++;
	x->parts++;
	if (x->fail_part && x->parts == x->fail_part)
		return err_set(e, ERR_IO, "part write failed");
	buf_put(&x->out, out->data, out->len);
	return 0;
}

static void t_free(void *c, void *item)
{
	tctx *x = c;
	pthread_mutex_lock(&x->mu);
	x->freed++;
	pthread_mutex_unlock(&x->mu);
	free(item);
}

static void *t_ws_new(void *c)
{
	tctx *x = c;
	tws *w = calloc(1, sizeof(*w));
	if (w)
		w->owner = pthread_self();
	pthread_mutex_lock(&x->mu);
	x->nws++;
	pthread_mutex_unlock(&x->mu);
	return w;
}

static void t_ws_free(void *c, void *ws)
{
	(void)c;
	free(ws);
}

static const pipe_ops OPS = { t_next, t_work, t_emit, t_emit_part, t_free, t_ws_new, t_ws_free };

static void ctx_init(tctx *x, uint64_t n)
{
	memset(x, 0, sizeof(*x));
	x->n = n;
	pthread_mutex_init(&x->mu, NULL);
	buf_init(&x->out);
}

static void ctx_free(tctx *x)
{
	buf_free(&x->out);
	pthread_mutex_destroy(&x->mu);
}

/* Runs n items with nthreads/window; returns pipe_run's code. */
static int run(tctx *x, int nthreads, size_t window, pipe_stats *st, err_t *e)
{
	x->window = window;
	return pipe_run(&OPS, x, nthreads, window, st, e);
}

static void test_order(void)
{
	tctx ref;
	pipe_stats st;
	err_t e;
	ctx_init(&ref, 2000);
	CHECK(run(&ref, 1, 0, &st, &e) == 0);
	CHECK(st.items == 2000 && st.failed == 286); /* v % 7 == 3 in 0..1999 */
	CHECK(ref.out_of_order == 0 && ref.ws_misuse == 0 && ref.nws == 1);
	CHECK(ref.freed == 2000);
	CHECK(ref.out.len > 0);

	const int threads[] = { 2, 3, 4, 8 };
	const size_t windows[] = { 0, 1, 2, 5, 64 };
	for (size_t i = 0; i < 4; i++)
		for (size_t j = 0; j < 5; j++) {
			tctx x;
			ctx_init(&x, 2000);
			int rc = run(&x, threads[i], windows[j], &st, &e);
			size_t w = windows[j] ? windows[j] : 4 * (size_t)threads[i];
			if (w < (size_t)threads[i])
				w = (size_t)threads[i];
			CHECK(rc == 0);
			CHECK(st.items == 2000 && st.failed == 286);
			CHECK(x.out_of_order == 0);
			CHECK(x.ws_misuse == 0);
			CHECK(x.nws == threads[i]);
			CHECK(x.freed == 2000);
			CHECK(x.max_in_flight <= w);
			/* byte-identical to one thread */
			CHECK(x.out.len == ref.out.len && memcmp(x.out.data, ref.out.data, ref.out.len) == 0);
			ctx_free(&x);
		}
	ctx_free(&ref);
}

/* Items handing their output over early: the same bytes as without. */
static void test_spill(void)
{
	tctx ref;
	pipe_stats st;
	err_t e;
	pipe_ops noparts = OPS;
	noparts.emit_part = NULL;
	ctx_init(&ref, 500);
	ref.spill = 1;
	CHECK(pipe_run(&noparts, &ref, 1, 0, &st, &e) == 0);
	CHECK(ref.spilled == 0 && ref.parts == 0);
	for (int nt = 1; nt <= 3; nt++) {
		tctx x;
		ctx_init(&x, 500);
		x.spill = 1;
		CHECK(run(&x, nt, 0, &st, &e) == 0);
		CHECK(st.items == 500 && x.out_of_order == 0 && x.freed == 500);
		CHECK(x.spilled > 0 && x.parts == x.spilled);
		/* one thread: every line of the 43 long items that do not fail
		 * (v % 10 == 0, but not v % 7 == 3: 10, 80, ... 430) */
		if (nt == 1)
			CHECK(x.spilled == 43 * 50);
		CHECK(x.out.len == ref.out.len && memcmp(x.out.data, ref.out.data, ref.out.len) == 0);
		ctx_free(&x);
		/* a failed early write stops the run */
		ctx_init(&x, 500);
		x.spill = 1;
		x.fail_part = 30;
		err_clear(&e);
		CHECK(run(&x, nt, 0, &st, &e) == ERR_IO && strstr(e.msg, "part write failed"));
		CHECK(x.freed == x.produced && st.items < 500);
		ctx_free(&x);
	}
	ctx_free(&ref);
}

static void test_empty_and_long(void)
{
	tctx x;
	pipe_stats st;
	err_t e;
	ctx_init(&x, 0);
	CHECK(run(&x, 2, 0, &st, &e) == 0 && st.items == 0 && x.out.len == 0);
	ctx_free(&x);
	ctx_init(&x, 0);
	CHECK(run(&x, 1, 0, &st, &e) == 0 && st.items == 0);
	ctx_free(&x);
	/* a long stream stays within its window */
	ctx_init(&x, 100000);
	CHECK(run(&x, 2, 6, &st, &e) == 0 && st.items == 100000);
	CHECK(x.max_in_flight <= 6 && x.out_of_order == 0 && x.freed == 100000);
	ctx_free(&x);
}

static void test_failures(void)
{
	for (int nt = 1; nt <= 3; nt++) {
		tctx x;
		pipe_stats st;
		err_t e;
		/* a fatal read error: what was read is still emitted, in order */
		ctx_init(&x, 1000);
		x.fail_read = 500;
		err_clear(&e);
		CHECK(run(&x, nt, 0, &st, &e) == ERR_IO);
		CHECK(st.items == 500 && x.emitted == 500 && x.freed == 500);
		CHECK(strstr(e.msg, "read failed at item 500") != NULL);
		CHECK(x.out_of_order == 0);
		ctx_free(&x);
		/* a write error stops the run; nothing leaks */
		ctx_init(&x, 1000);
		x.fail_emit = 100;
		err_clear(&e);
		CHECK(run(&x, nt, 0, &st, &e) == ERR_IO);
		CHECK(x.emitted == 100 && st.items == 100);
		CHECK(x.freed == x.produced);
		CHECK(strstr(e.msg, "write failed") != NULL);
		ctx_free(&x);
	}
	pipe_ops bad = { 0 };
	err_t e;
	CHECK(pipe_run(&bad, NULL, 2, 0, NULL, &e) == ERR_ARG);
}

/* ---- writers, on a hand-built record */

static const char ART[] = "date 2020-10-09 Kremlin said \xe2\x80\x9c" "Armenia\xe2\x80\x9d\tmet France on October 5.";

static void test_writers(void)
{
	/* offsets of ART: "Kremlin" at byte 16, Armenia after a 3-byte quote */
	const char *k = strstr(ART, "Kremlin"), *a = strstr(ART, "Armenia"),
		   *f = strstr(ART, "France"), *o = strstr(ART, "October 5");
	uint32_t kb = (uint32_t)(k - ART), ab = (uint32_t)(a - ART), fb = (uint32_t)(f - ART),
		 ob = (uint32_t)(o - ART);
	pipe_span ent[3] = {
		{ kb, kb + 7, kb, kb + 7, "ORG", 0.9, -1, "", NULL, "", 0, 0, 0 },
		{ ab, ab + 7, ab - 2, ab + 5, "LOC", 0.8, -1, "ARM", NULL, "", 0, 0, 0 },
		{ fb, fb + 6, fb - 4, fb + 2, "LOC", 0.75, -1, "FRA", NULL, "", 0, 0, 0 },
	};
	pipe_span src[1] = { { kb, kb + 7, kb, kb + 7, "SOURCE", 0.6, 0, "RUS", "GOV", "", 0, 0, 0 } };
	pipe_span tgt[2] = { { ab, ab + 7, ab - 2, ab + 5, "TARGET", 0.5, 1, "ARM", NULL, "", 0, 0, 0 },
			     { fb, fb + 6, fb - 4, fb + 2, "TARGET", 0.25, -1, "", NULL, "", 0, 0, 0 } };
	pipe_record r;
	memset(&r, 0, sizeof(r));
	r.sent = 0;
	r.start = kb;
	r.end = (uint32_t)strlen(ART);
	r.cstart = kb;
	r.cend = r.end - 4;
	r.ent = ent, r.nent = 3;
	r.src = src, r.nsrc = 1;
	r.tgt = tgt, r.ntgt = 2;
	r.plover = "CONSULT", r.plover_score = 0.8125;
	r.penta = "VERBAL_COOPERATION", r.penta_score = 0.5;
	r.none_score = 0.125;
	r.date.src = DATE_SRC_TEXT;
	r.date.date = (date_t){ 2020, 10, 5 };
	r.date.start = ob, r.date.end = ob + 9;
	r.status.hypothetical = 1, r.status.hyp_score = 0.875;
	r.status.reported = 1, r.status.rep_score = 0.9;
	r.status.neg_score = 0.25;
	pipe_doc d = { "doc\"1", "2020-10-09", ART, strlen(ART), 16 };
	buf_t b;
	buf_init(&b);

	pipe_write_json(&b, &d, &r);
	buf_put_u8(&b, 0);
	const char *j = (const char *)b.data;
	CHECK(strncmp(j, "{\"doc\":\"doc\\\"1\",\"date\":\"2020-10-09\",\"sent\":0,\"start\":16,", 56) == 0);
	CHECK(strstr(j, "\"text\":\"Kremlin said \xe2\x80\x9c" "Armenia\xe2\x80\x9d\\tmet France on October 5.\"") != NULL);
	CHECK(strstr(j, "\"entities\":[{\"text\":\"Kremlin\",\"type\":\"ORG\",\"start\":16,\"end\":23,\"score\":0.9},") != NULL);
	CHECK(strstr(j, "\"event\":{\"plover\":\"CONSULT\",\"plover_score\":0.8125,\"penta\":\"VERBAL_COOPERATION\",\"penta_score\":0.5},"
			"\"no_event_score\":0.125,\"status\":{\"negated\":0.25,\"hypothetical\":0.875,\"reported\":0.9},\"source\":") != NULL);
	CHECK(strstr(j, "\"source\":[{\"text\":\"Kremlin\",\"start\":16,\"end\":23,\"score\":0.6,\"entity_type\":\"ORG\",\"country\":\"RUS\",\"agent_type\":\"GOV\"}]") != NULL);
	CHECK(strstr(j, "{\"text\":\"France\",\"start\":") != NULL);
	CHECK(strstr(j, "\"score\":0.25,\"entity_type\":null,\"country\":null,\"agent_type\":null}]") != NULL);
	CHECK(strstr(j, "\"location\":[{\"text\":\"Armenia\",\"start\":") != NULL);
	CHECK(strstr(j, "\"event_date\":\"2020-10-05\",\"event_date_source\":\"text\"}\n") != NULL);
	CHECK(strchr(j, '\n') == j + strlen(j) - 1);

	/* TSV: header, one row, a tab inside a field escaped as \t */
	b.len = 0;
	pipe_write_tsv_header(&b);
	pipe_write_tsv(&b, &d, &r);
	buf_put_u8(&b, 0);
	CHECK_STR((const char *)b.data,
		  "date\tsource\tsource_code\tevent\tpenta\ttarget\ttarget_code\tlocation\tdoc\tsentence"
		  "\tnegated\thypothetical\treported\n"
		  "2020-10-05\tKremlin\tRUS\tCONSULT\tVERBAL_COOPERATION\tArmenia; France\tARM\t"
		  "Armenia; France\tdoc\"1\tKremlin said \xe2\x80\x9c" "Armenia\xe2\x80\x9d\\tmet France on October 5."
		  "\t0\t1\t1\n");
	/* CSV: the quote in the id doubled and the field quoted; CRLF */
	b.len = 0;
	pipe_write_row(&b, PIPE_CSV, 0, NULL, &d, &r);
	buf_put_u8(&b, 0);
	CHECK(strstr((const char *)b.data, ",\"doc\"\"1\",") != NULL);
	CHECK(b.len > 3 && strcmp((const char *)b.data + b.len - 3, "\r\n") == 0);
	/* per event: one record per dyad */
	b.len = 0;
	pipe_write_event_json(&b, NULL, &d, &r);
	buf_put_u8(&b, 0);
	{
		size_t lines = 0;
		for (const char *p = (const char *)b.data; *p; p++)
			lines += *p == '\n';
		CHECK(lines == (r.nsrc && r.ntgt ? r.nsrc * r.ntgt : r.nsrc + r.ntgt ? r.nsrc + r.ntgt : 1));
		CHECK(strstr((const char *)b.data, "{\"id\":\"doc\\\"1:") == (const char *)b.data);
		CHECK(strstr((const char *)b.data, "\"code\":\"RUS\",\"sector\":\"GOV\"}") != NULL);
	}
	/* a PentaClass event without a PLOVER one: a row, no status flags */
	b.len = 0;
	r.plover = PIPE_NONE;
	pipe_write_tsv(&b, &d, &r);
	buf_put_u8(&b, 0);
	CHECK(b.len > 7 && strcmp((const char *)b.data + b.len - 8, "\t0\t0\t0\n") == 0);
	b.len = 0;
	pipe_write_json(&b, &d, &r);
	buf_put_u8(&b, 0);
	CHECK(strstr((const char *)b.data, "\"penta_score\":0.5},\"no_event_score\":0.125,\"status\":null,\"source\":") != NULL);
	/* no event: no row */
	b.len = 0;
	r.plover = PIPE_NONE, r.penta = PIPE_NONE;
	pipe_write_tsv(&b, &d, &r);
	CHECK(b.len == 0);

	/* JSON with nothing: null date, empty lists */
	b.len = 0;
	pipe_record z;
	memset(&z, 0, sizeof(z));
	pipe_doc d0 = { NULL, NULL, "", 0, 0 };
	pipe_write_json(&b, &d0, &z);
	buf_put_u8(&b, 0);
	CHECK_STR((const char *)b.data,
		  "{\"doc\":null,\"date\":null,\"sent\":0,\"start\":0,\"end\":0,\"text\":\"\",\"entities\":[],"
		  "\"event\":null,\"no_event_score\":0,\"status\":null,"
		  "\"source\":[],\"target\":[],\"location\":[],\"event_date\":null,\"event_date_source\":null}\n");

	/* text view: colour only when asked */
	b.len = 0;
	r.plover = "CONSULT", r.penta = "VERBAL_COOPERATION";
	pipe_write_text(&b, &d, &r, 0);
	buf_put_u8(&b, 0);
	j = (const char *)b.data;
	CHECK(strchr(j, '\x1b') == NULL);
	CHECK(strstr(j, "  event     CONSULT 0.81   penta VERBAL_COOPERATION 0.50\n"
			"  status    hypothetical 0.88; reported 0.90\n") != NULL);
	CHECK(strstr(j, "  source    Kremlin (ORG, RUS, GOV, 0.60)\n") != NULL);
	CHECK(strstr(j, "  target    Armenia (LOC, ARM, 0.50); France (0.25)\n") != NULL);
	CHECK(strstr(j, "  date      2020-10-05 (from \"October 5\")\n") != NULL);
	CHECK(strstr(j, "\t") == NULL);
	b.len = 0;
	pipe_write_text(&b, &d, &r, 1);
	buf_put_u8(&b, 0);
	CHECK(strchr((const char *)b.data, '\x1b') != NULL);
	/* no flag set, or no event: no status line */
	memset(&r.status, 0, sizeof(r.status));
	b.len = 0;
	pipe_write_text(&b, &d, &r, 0);
	buf_put_u8(&b, 0);
	CHECK(strstr((const char *)b.data, "status") == NULL);
	r.status.negated = 1, r.status.neg_score = 0.9;
	r.plover = PIPE_NONE;
	b.len = 0;
	pipe_write_text(&b, &d, &r, 0);
	buf_put_u8(&b, 0);
	CHECK(strstr((const char *)b.data, "status") == NULL);
	buf_free(&b);
}

/* pipe_code without models: sentences, offsets and dates */
static void test_code_no_models(void)
{
	const char *text = "date 2020-03-01 Talks were held yesterday in Moscow. "
			   "Nothing else happened.\n\nOn 5 October 2019 they met.";
	pipe_models m;
	pipe_opts o = { .format = PIPE_JSON };
	pipe_doc d = { "x", "2020-03-01", text, strlen(text), 16 };
	buf_t b;
	err_t e;
	memset(&m, 0, sizeof(m));
	pipe_ws *w = pipe_ws_new(&m);
	CHECK(w != NULL);
	buf_init(&b);
	CHECK(pipe_code(&m, w, &o, &d, &b, NULL, &e) == 0);
	buf_put_u8(&b, 0);
	const char *j = (const char *)b.data;
	const char *l1 = strchr(j, '\n'), *l2 = l1 ? strchr(l1 + 1, '\n') : NULL;
	CHECK(l1 && l2 && strchr(l2 + 1, '\n') == j + strlen(j) - 1);
	CHECK(strstr(j, "\"sent\":0,\"start\":16,\"end\":52,\"text\":\"Talks were held yesterday in Moscow.\"") != NULL);
	const char *pat = "\"event_date\":\"2020-02-29\",\"event_date_source\":\"text\"}\n";
	CHECK(l1 && strstr(j, pat) == l1 + 1 - strlen(pat)); /* the first sentence's */
	CHECK(strstr(j, "\"event_date\":\"2020-03-01\",\"event_date_source\":\"article\"}") != NULL);
	CHECK(strstr(j, "\"event_date\":\"2019-10-05\",\"event_date_source\":\"text\"}") != NULL);
	CHECK(strstr(j, "\"event\":null,\"no_event_score\":null,") != NULL);
	/* the same article in TSV: no events, no rows; in text: three blocks */
	b.len = 0;
	o.format = PIPE_TSV;
	CHECK(pipe_code(&m, w, &o, &d, &b, NULL, &e) == 0 && b.len == 0);
	o.format = PIPE_TEXT;
	CHECK(pipe_code(&m, w, &o, &d, &b, NULL, &e) == 0);
	buf_put_u8(&b, 0);
	CHECK(strstr((const char *)b.data, "#2  x  chars") != NULL);
	/* without an article date, relative expressions are not resolved */
	b.len = 0;
	o.format = PIPE_JSON;
	d.date = NULL;
	CHECK(pipe_code(&m, w, &o, &d, &b, NULL, &e) == 0);
	buf_put_u8(&b, 0);
	CHECK(strstr((const char *)b.data, "\"event_date\":null,\"event_date_source\":null}") != NULL);
	CHECK(strstr((const char *)b.data, "\"event_date\":\"2019-10-05\"") != NULL);
	/* bad input */
	d.date = "2020-02-30";
	CHECK(pipe_code(&m, w, &o, &d, &b, NULL, &e) == ERR_FORMAT && strstr(e.msg, "2020-02-30"));
	pipe_doc bad = { "y", NULL, "ok \xff no", 7, 0 };
	CHECK(pipe_code(&m, w, &o, &bad, &b, NULL, &e) == ERR_UTF8);
	pipe_ws_free(w);
	pipe_ws_free(NULL);
	buf_free(&b);
}

/* pipe_code with tiny models trained here: entities and roles are linked
 * (entity_type, country), RECIPROCAL actors are on both sides, locations
 * are the LOC entities, and the threshold turns events into NONE. */
static const char ENT_CONLL[] =
	"Russia\tB-LOC\nattacked\tO\nArmenia\tB-LOC\n.\tO\n\n"
	"Mary\tB-PER\nvisited\tO\nParis\tB-LOC\n.\tO\n\n"
	"Armenia\tB-LOC\nand\tO\nRussia\tB-LOC\nclashed\tO\n.\tO\n\n"
	"Mary\tB-PER\nattacked\tO\nParis\tB-LOC\n.\tO\n\n";
static const char ROLE_CONLL[] =
	"Russia\tB-SOURCE\nattacked\tO\nArmenia\tB-TARGET\n.\tO\n\n"
	"Mary\tB-SOURCE\nvisited\tO\nParis\tB-TARGET\n.\tO\n\n"
	"Armenia\tB-RECIPROCAL\nand\tO\nRussia\tB-RECIPROCAL\nclashed\tO\n.\tO\n\n"
	"Mary\tB-SOURCE\nattacked\tO\nParis\tB-TARGET\n.\tO\n\n";
static const char GAZ_CSV[] = "CCA2,Name,CCA3,Nationality\n"
			      "RU,Russia,RUS,\"Russian, Russians\"\n"
			      "AM,Armenia,ARM,\"Armenian, Armenians\"\n";

static tagger_t *tiny_tagger(const char *conll, err_t *e)
{
	conll_corpus *c = NULL;
	tagger_t *t = NULL;
	tagger_train_opts o;
	if (conll_parse("tiny", conll, strlen(conll), CONLL_TAGS, &c, e) < 0)
		return NULL;
	tagger_train_defaults(&o);
	o.method = TAGGER_PERCEPTRON;
	o.max_iter = 30;
	o.patience = 0;
	o.threads = 1;
	if (tagger_train(&o, c, NULL, &t, NULL, NULL, NULL, e) < 0)
		t = NULL;
	conll_free(c);
	return t;
}

static void test_code_models(void)
{
	err_t e;
	pipe_models m;
	memset(&m, 0, sizeof(m));
	tagger_t *ent = tiny_tagger(ENT_CONLL, &e), *rol = tiny_tagger(ROLE_CONLL, &e);
	gaz_t *gaz = NULL;
	CHECK(ent && rol);
	CHECK(gaz_parse("gaz", GAZ_CSV, strlen(GAZ_CSV), &gaz, &e) == 0);
	char *labels[8], *texts[8];
	size_t lens[8];
	static const char *const ex[2] = { "Russia attacked Armenia .", "Mary visited Paris ." };
	for (int i = 0; i < 8; i++) {
		labels[i] = (char *)(i % 2 ? "CONSULT" : "ASSAULT");
		texts[i] = (char *)ex[i % 2];
		lens[i] = strlen(ex[i % 2]);
	}
	clf_opts co = CLF_OPTS_DEFAULT;
	clf_t *clf = NULL;
	CHECK(clf_train(&co, 8, labels, texts, lens, &clf, &e) == 0);
	if (!ent || !rol || !gaz || !clf)
		goto out;
	m.entities = ent, m.roles = rol, m.plover = clf, m.penta = clf, m.gaz = gaz;

	const char *text = "date 2020-10-09 Russia attacked Armenia. "
			   "Armenia and Russia clashed. Mary visited Paris.";
	pipe_doc d = { "t", "2020-10-09", text, strlen(text), 16 };
	pipe_opts o = { .format = PIPE_JSON };
	buf_t b;
	buf_init(&b);
	pipe_ws *w = pipe_ws_new(&m);
	CHECK(w != NULL);
	CHECK(pipe_code(&m, w, &o, &d, &b, NULL, &e) == 0);
	buf_put_u8(&b, 0);
	const char *j = (const char *)b.data;
	if (getenv("PIPE_DEBUG"))
		fputs(j, stderr);
	/* sentence 0: Russia -> Armenia, linked to LOC entities and countries */
	CHECK(strstr(j, "\"source\":[{\"text\":\"Russia\",\"start\":16,\"end\":22,") != NULL);
	CHECK(strstr(j, "\"entity_type\":\"LOC\",\"country\":\"RUS\",\"agent_type\":null}],\"target\":[{\"text\":\"Armenia\"") != NULL);
	CHECK(strstr(j, "\"entity_type\":\"LOC\",\"country\":\"ARM\",\"agent_type\":null}],\"location\":[{\"text\":\"Russia\"") != NULL);
	CHECK(strstr(j, "\"event\":{\"plover\":\"ASSAULT\",") != NULL);
	CHECK(strstr(j, "\"event_date\":\"2020-10-09\",\"event_date_source\":\"article\"") != NULL);
	/* sentence 1: reciprocal actors on both sides */
	const char *s1 = strstr(j, "\"sent\":1,");
	CHECK(s1 && strstr(s1, "\"source\":[{\"text\":\"Armenia\"") != NULL);
	CHECK(s1 && strstr(s1, "\"target\":[{\"text\":\"Armenia\"") != NULL);
	/* sentence 2: Paris is a LOC without a country; Mary has none either */
	const char *s2 = strstr(j, "\"sent\":2,");
	CHECK(s2 && strstr(s2, "\"source\":[{\"text\":\"Mary\",") != NULL);
	CHECK(s2 && strstr(s2, "\"entity_type\":\"PER\",\"country\":null,\"agent_type\":null}") != NULL);
	CHECK(s2 && strstr(s2, "\"location\":[{\"text\":\"Paris\",") != NULL);
	CHECK(s2 && strstr(s2, "\"event\":{\"plover\":\"CONSULT\",") != NULL);
	/* threshold above every probability: NONE, entities kept */
	b.len = 0;
	o.threshold = 1.0;
	CHECK(pipe_code(&m, w, &o, &d, &b, NULL, &e) == 0);
	buf_put_u8(&b, 0);
	j = (const char *)b.data;
	CHECK(strstr(j, "\"plover\":\"ASSAULT\"") == NULL && strstr(j, "\"event\":null,") != NULL);
	CHECK(strstr(j, "\"plover\":\"NONE\"") == NULL);
	/* --events-only: nothing left at that threshold, all back at 0 */
	b.len = 0;
	o.events_only = 1;
	CHECK(pipe_code(&m, w, &o, &d, &b, NULL, &e) == 0);
	CHECK(b.len == 0);
	o.threshold = 0;
	CHECK(pipe_code(&m, w, &o, &d, &b, NULL, &e) == 0);
	buf_put_u8(&b, 0);
	j = (const char *)b.data;
	CHECK(strstr(j, "\"sent\":0,") && strstr(j, "\"sent\":1,") && strstr(j, "\"sent\":2,"));
	o.events_only = 0;
	o.threshold = 1.0;
	CHECK(strstr(j, "\"entities\":[{\"text\":\"Russia\",\"type\":\"LOC\"") != NULL);
	/* TSV: no rows when no event */
	b.len = 0;
	o.format = PIPE_TSV;
	CHECK(pipe_code(&m, w, &o, &d, &b, NULL, &e) == 0 && b.len == 0);
	o.threshold = 0;
	CHECK(pipe_code(&m, w, &o, &d, &b, NULL, &e) == 0);
	buf_put_u8(&b, 0);
	CHECK(strstr((const char *)b.data, "2020-10-09\tRussia\tRUS\tASSAULT\tASSAULT\tArmenia\tARM\tRussia; Armenia\tt\t") ==
	      (const char *)b.data);
	/* agent types from an agents list: "Mary" is one; "Russia" would be
	 * too, but a place's words take no part */
	agents_t *ag = agents_new();
	const char *al = "GOV mary\nGOV russia\n";
	CHECK(ag && agents_parse(ag, "al", al, strlen(al), &e) == 0);
	m.agents = ag;
	o.format = PIPE_JSON;
	b.len = 0;
	CHECK(pipe_code(&m, w, &o, &d, &b, NULL, &e) == 0);
	buf_put_u8(&b, 0);
	j = (const char *)b.data;
	s2 = strstr(j, "\"sent\":2,");
	CHECK(s2 && strstr(s2, "\"entity_type\":\"PER\",\"country\":null,\"agent_type\":\"GOV\"}") != NULL);
	CHECK(strstr(j, "\"entity_type\":\"LOC\",\"country\":\"RUS\",\"agent_type\":null}") != NULL);
	CHECK(strstr(j, "\"agent_type\":\"GOV\"") == strstr(j, "\"agent_type\":\"GOV\"}],\"target\""));
	m.agents = NULL;
	agents_free(ag);
	pipe_ws_free(w);
	buf_free(&b);
out:
	tagger_free(ent);
	tagger_free(rol);
	gaz_free(gaz);
	clf_free(clf);
}

/* A classifier whose labels are names (trained on one word per label, so
 * only its label set matters here). */
static clf_t *named_clf(const char *const *names, int k)
{
	char *labels[16], *texts[16];
	size_t lens[16];
	static const char *const words[] = { "alpha", "bravo", "charlie", "delta" };
	clf_opts co = CLF_OPTS_DEFAULT;
	clf_t *c = NULL;
	err_t e;
	for (int i = 0; i < 4 * k; i++) {
		labels[i] = (char *)names[i % k];
		texts[i] = (char *)words[i % k];
		lens[i] = strlen(words[i % k]);
	}
	co.probability = 0;
	if (clf_train(&co, (size_t)(4 * k), labels, texts, lens, &c, &e) < 0)
		return NULL;
	return c;
}

static void set_probs(const clf_t *c, double *p, const char *const *names,
		      const double *v, int k)
{
	for (int i = 0; i < k; i++)
		p[clf_label_index(c, names[i])] = v[i];
}

/* The event decision: agreement of the two labels, joint choice, NONE,
 * STATEMENT and the threshold, on probabilities the test sets. */
static void test_event_decide(void)
{
	static const char *const pl[] = { "ASSAULT", "CONSULT", "NONE", "REQUEST" };
	static const char *const pe[] = { "MATERIAL_CONFLICT", "VERBAL_COOPERATION",
					   "STATEMENT", "VERBAL_CONFLICT" };
	clf_t *p = named_clf(pl, 4), *q = named_clf(pe, 4);
	double pp[4], pq[4];
	pipe_event ev;
	CHECK(p && q);
	if (!p || !q)
		goto out;
	/* the table: every PLOVER type has one class; REQUEST also STATEMENT */
	CHECK_STR(pipe_penta_of("ASSAULT"), "MATERIAL_CONFLICT");
	CHECK_STR(pipe_penta_of("RETREAT"), "MATERIAL_COOPERATION");
	CHECK_STR(pipe_penta_of("ACCUSE"), "VERBAL_CONFLICT");
	CHECK_STR(pipe_penta_of("SUPPORT"), "VERBAL_COOPERATION");
	CHECK(pipe_penta_of("NONE") == NULL && pipe_penta_of(NULL) == NULL);
	CHECK(pipe_pair_ok("ASSAULT", "MATERIAL_CONFLICT"));
	CHECK(!pipe_pair_ok("ASSAULT", "STATEMENT"));
	CHECK(!pipe_pair_ok("RETREAT", "MATERIAL_CONFLICT"));
	CHECK(pipe_pair_ok("REQUEST", "STATEMENT") && pipe_pair_ok("REQUEST", "VERBAL_CONFLICT"));
	CHECK(pipe_pair_ok("MYTYPE", "STATEMENT") && pipe_pair_ok("ASSAULT", "MYCLASS"));

	/* ASSAULT .6 but PentaClass says verbal cooperation .7: jointly
	 * CONSULT (.2 x .7 > .6 x .2); alone ASSAULT, with the agreeing class */
	set_probs(p, pp, pl, (const double[]){ 0.6, 0.2, 0.1, 0.1 }, 4);
	set_probs(q, pq, pe, (const double[]){ 0.2, 0.7, 0.05, 0.05 }, 4);
	int ia = clf_label_index(p, "ASSAULT"), ivc = clf_label_index(q, "VERBAL_COOPERATION");
	pipe_event_decide(p, pp, ia, q, pq, ivc, 0, 1, &ev);
	CHECK_STR(ev.plover, "CONSULT");
	CHECK_STR(ev.penta, "VERBAL_COOPERATION");
	CHECK(ev.plover_score == 0.2 && ev.penta_score == 0.2 && ev.none_score == 0.1);
	pipe_event_decide(p, pp, ia, q, pq, ivc, 0, 0, &ev);
	CHECK_STR(ev.plover, "ASSAULT");
	CHECK_STR(ev.penta, "MATERIAL_CONFLICT");
	CHECK(ev.plover_score == 0.6 && ev.penta_score == 0.6);
	/* below the threshold: no event, the score is P(NONE) */
	pipe_event_decide(p, pp, ia, q, pq, ivc, 0.65, 0, &ev);
	CHECK_STR(ev.plover, PIPE_NONE);
	CHECK_STR(ev.penta, PIPE_NONE);
	CHECK(ev.plover_score == 0.1);

	/* the model says NONE: no event, whatever the joint scores, even when
	 * the PentaClass model's best is STATEMENT (its catch-all) */
	set_probs(p, pp, pl, (const double[]){ 0.3, 0.1, 0.5, 0.1 }, 4);
	set_probs(q, pq, pe, (const double[]){ 0.1, 0.1, 0.7, 0.1 }, 4);
	int in = clf_label_index(p, "NONE"), ist = clf_label_index(q, "STATEMENT");
	pipe_event_decide(p, pp, in, q, pq, ist, 0, 1, &ev);
	CHECK_STR(ev.plover, PIPE_NONE);
	CHECK_STR(ev.penta, PIPE_NONE);
	CHECK(ev.plover_score == 0.5 && ev.none_score == 0.5);

	/* REQUEST may be a STATEMENT (an appeal) */
	set_probs(p, pp, pl, (const double[]){ 0.1, 0.1, 0.1, 0.7 }, 4);
	pipe_event_decide(p, pp, clf_label_index(p, "REQUEST"), q, pq, ist, 0, 1, &ev);
	CHECK_STR(ev.plover, "REQUEST");
	CHECK_STR(ev.penta, "STATEMENT");
	CHECK(ev.penta_score == 0.7);

	/* one model only */
	pipe_event_decide(p, pp, clf_label_index(p, "REQUEST"), NULL, NULL, -1, 0, 1, &ev);
	CHECK_STR(ev.plover, "REQUEST");
	CHECK_STR(ev.penta, "VERBAL_CONFLICT"); /* the type's own class */
	CHECK(ev.penta_score == 0.7);
	pipe_event_decide(NULL, NULL, -1, q, pq, ist, 0, 1, &ev);
	CHECK(ev.plover == NULL && ev.none_score == -1);
	CHECK_STR(ev.penta, "STATEMENT");
	pipe_event_decide(NULL, NULL, -1, NULL, NULL, -1, 0, 1, &ev);
	CHECK(ev.plover == NULL && ev.penta == NULL);

	/* records: a STATEMENT is an event with a null PLOVER type */
	pipe_record r;
	memset(&r, 0, sizeof(r));
	r.plover = PIPE_NONE, r.penta = "STATEMENT", r.penta_score = 0.5, r.none_score = 0.75;
	CHECK(pipe_has_event(&r));
	pipe_doc d0 = { NULL, NULL, "", 0, 0 };
	buf_t b;
	buf_init(&b);
	pipe_write_json(&b, &d0, &r);
	buf_put_u8(&b, 0);
	CHECK(strstr((const char *)b.data, "\"event\":{\"plover\":null,\"plover_score\":null,"
		     "\"penta\":\"STATEMENT\",\"penta_score\":0.5},\"no_event_score\":0.75,") != NULL);
	r.penta = PIPE_NONE;
	CHECK(!pipe_has_event(&r));
	b.len = 0;
	pipe_write_text(&b, &d0, &r, 0);
	buf_put_u8(&b, 0);
	CHECK(strstr((const char *)b.data, "  event     none (no event 0.75)\n") != NULL);
	buf_free(&b);
out:
	clf_free(p);
	clf_free(q);
}

int main(void)
{
	test_event_decide();
	test_code_models();
	test_code_no_models();
	test_order();
	test_empty_and_long();
	test_spill();
	test_failures();
	test_writers();
	return t_done();
}
