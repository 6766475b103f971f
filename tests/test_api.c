/* The public API (evtag.h): errors, the records of the sample article
 * with the shipped models (typed fields against the JSON lines), options,
 * and one model set used by 4 threads at once giving the single-thread
 * output. The model checks are skipped when the models or the sample are
 * missing. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/evtag.h"
#include "t.h"

#define NTHREADS 4
#define ROUNDS 3

typedef struct job {
	evtag_models *m;
	const char *text, *id;
	size_t len;
	char *out[ROUNDS]; /* each round's JSON lines, joined */
	int rc;
} job;

/* All of r's JSON lines, joined; caller frees. */
static char *join(const evtag_records *r)
{
	size_t n = 0, len;
	for (size_t i = 0; i < evtag_count(r); i++) {
		evtag_record_json(r, i, &len);
		n += len;
	}
	char *s = malloc(n + 1), *p = s;
	if (!s)
		return NULL;
	for (size_t i = 0; i < evtag_count(r); i++) {
		const char *j = evtag_record_json(r, i, &len);
		memcpy(p, j, len);
		p += len;
	}
	*p = '\0';
	return s;
}

static void *worker(void *arg)
{
	job *j = arg;
	for (int k = 0; k < ROUNDS; k++) {
		evtag_records *r;
		evtag_error e;
		if ((j->rc = evtag_code(j->m, j->text, j->len, NULL, j->id, &r, &e)) < 0)
			return NULL;
		j->out[k] = join(r);
		evtag_records_free(r);
	}
	return NULL;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *s = NULL;
	long n;
	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 && fseek(fp, 0, SEEK_SET) == 0 &&
	    (s = malloc((size_t)n + 1)) && fread(s, 1, (size_t)n, fp) == (size_t)n) {
		s[n] = '\0';
		*len = (size_t)n;
	} else {
		free(s);
		s = NULL;
	}
	fclose(fp);
	return s;
}

static void test_errors(void)
{
	evtag_models *m = (evtag_models *)&m;
	evtag_error e;
	CHECK_STR(evtag_version(), EVTAG_VERSION);
	CHECK_STR(evtag_strerror(EVTAG_ERR_UTF8), "invalid UTF-8");
	CHECK_STR(evtag_strerror(42), "unknown error");
	CHECK(evtag_open(&m, "/nonexistent/evtag-models", NULL, &e) == EVTAG_ERR_IO);
	CHECK(m == NULL);
	CHECK(e.code == EVTAG_ERR_IO);
	CHECK(strstr(e.message, "/nonexistent/evtag-models/entities.evm") != NULL);
	evtag_options o;
	evtag_options_init(&o);
	CHECK(o.threshold == 0.0 && o.joint == 0 && o.events_only == 0);
	o.threshold = 2;
	CHECK(evtag_open(&m, "/nonexistent", &o, &e) == EVTAG_ERR_ARG);
	CHECK(evtag_open(NULL, NULL, NULL, NULL) == EVTAG_ERR_ARG);
	evtag_close(NULL);
	evtag_records_free(NULL);
	CHECK(evtag_count(NULL) == 0);
	CHECK(evtag_record_json(NULL, 0, NULL) == NULL);
	CHECK(evtag_record_no_event(NULL, 0) == -1.0);
}

static void test_models(const char *dir, const char *path)
{
	evtag_models *m;
	evtag_records *r, *ev;
	evtag_error e;
	size_t len, n;
	char *text = slurp(path, &len);

	if (!text || evtag_open(&m, dir, NULL, &e) < 0) {
		fprintf(stderr, "test_api: SKIPPED the model checks: no %s or models in %s\n",
			path, dir);
		free(text);
		return;
	}
	CHECK_STR(evtag_models_dir(m), dir);
	CHECK(evtag_code(m, text, len, NULL, path, &r, &e) == 0);
	n = evtag_count(r);
	CHECK(n >= 8);
	for (size_t i = 0; i < n; i++) {
		size_t jl, sent, s, en, cs, ce;
		const char *j = evtag_record_json(r, i, &jl);
		CHECK(j && jl > 2 && j[0] == '{' && j[jl - 1] == '\n' && strlen(j) == jl);
		CHECK(evtag_record_sentence(r, i, &sent, &s, &en, &cs, &ce) == 0);
		CHECK(sent == i && s < en && en <= len && cs < ce && ce <= en);
		char want[200];
		snprintf(want, sizeof(want), "\"sent\":%zu,\"start\":%zu,\"end\":%zu,", sent, cs, ce);
		CHECK(strstr(j, want) != NULL);
		double ps, qs, none = evtag_record_no_event(r, i);
		const char *pl = evtag_record_plover(r, i, &ps), *pq = evtag_record_penta(r, i, &qs);
		CHECK(pl && pq && ps >= 0 && ps <= 1 && qs >= 0 && qs <= 1 && none >= 0 && none <= 1);
		if (pl && strcmp(pl, "NONE") != 0) {
			snprintf(want, sizeof(want), "\"plover\":\"%s\"", pl);
			CHECK(strstr(j, want) != NULL);
			snprintf(want, sizeof(want), "\"penta\":\"%s\"", pq);
			CHECK(strstr(j, want) != NULL);
		} else {
			CHECK(strstr(j, "\"event\":null") != NULL);
		}
	}
	CHECK(evtag_record_json(r, n, NULL) == NULL);
	CHECK(evtag_record_sentence(r, n, NULL, NULL, NULL, NULL, NULL) == EVTAG_ERR_ARG);
	CHECK(evtag_record_plover(r, n, NULL) == NULL);
	/* the date prefix is the date; an explicit date wins */
	CHECK(strstr(evtag_record_json(r, 0, NULL), "\"date\":\"2020-10-09\"") != NULL);
	CHECK(evtag_code(m, text, len, "2021-01-02", NULL, &ev, &e) == 0);
	CHECK(evtag_count(ev) == n);
	CHECK(strstr(evtag_record_json(ev, 0, NULL), "\"doc\":null,\"date\":\"2021-01-02\"") != NULL);
	evtag_records_free(ev);

	/* bad input */
	ev = (evtag_records *)&ev;
	CHECK(evtag_code(m, "Bad \xff text.", 11, NULL, "doc7", &ev, &e) == EVTAG_ERR_UTF8);
	CHECK(ev == NULL);
	CHECK(strstr(e.message, "doc7: byte 4: invalid UTF-8") == e.message);
	CHECK(evtag_code(m, text, len, "2020-13-45", NULL, &ev, &e) == EVTAG_ERR_FORMAT);
	CHECK(evtag_code(m, NULL, 3, NULL, NULL, &ev, &e) == EVTAG_ERR_ARG);
	CHECK(evtag_code(m, "", 0, NULL, NULL, &ev, &e) == 0);
	CHECK(evtag_count(ev) == 0);
	evtag_records_free(ev);

	/* one model set, 4 threads at once: the single-thread output */
	char *one = join(r);
	job jobs[NTHREADS];
	pthread_t th[NTHREADS];
	int started[NTHREADS];
	for (int t = 0; t < NTHREADS; t++) {
		jobs[t] = (job){ .m = m, .text = text, .len = len, .id = path };
		started[t] = pthread_create(&th[t], NULL, worker, &jobs[t]) == 0;
		CHECK(started[t]);
	}
	for (int t = 0; t < NTHREADS; t++) {
		if (started[t])
			pthread_join(th[t], NULL);
		CHECK(jobs[t].rc == 0);
		for (int k = 0; k < ROUNDS; k++) {
			CHECK(one && jobs[t].out[k] && strcmp(one, jobs[t].out[k]) == 0);
			free(jobs[t].out[k]);
		}
	}
	free(one);
	evtag_records_free(r);
	evtag_close(m);

	/* options: events only */
	evtag_options o;
	evtag_options_init(&o);
	o.events_only = 1;
	CHECK(evtag_open(&m, dir, &o, &e) == 0);
	CHECK(evtag_code(m, text, len, NULL, NULL, &ev, &e) == 0);
	CHECK(evtag_count(ev) > 0 && evtag_count(ev) < n);
	for (size_t i = 0; i < evtag_count(ev); i++)
		CHECK(strstr(evtag_record_json(ev, i, NULL), "\"event\":null") == NULL);
	evtag_records_free(ev);
	evtag_close(m);
	free(text);
}

int main(void)
{
	const char *dir = getenv("EVTAG_MODELS"), *shared = getenv("SHARED");
	char path[1024];
	snprintf(path, sizeof(path), "%ssamples/article-2020-10-09.txt",
		 shared && *shared ? shared : "../shared/");
	test_errors();
	test_models(dir && *dir ? dir : "models", path);
	return t_done();
}
