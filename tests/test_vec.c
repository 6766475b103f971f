/* Word vectors and clusters: the cluster file reader and writer (bad
 * lines name file:line), the vector file reader, k-means on a tiny
 * deterministic example and its nesting. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "features/wclust.h"
#include "learn/kmeans.h"
#include "t.h"

static char tmpdir[] = "/tmp/evtag-vec-XXXXXX";

static const char *tmp_path(const char *name)
{
	static char p[4][256];
	static int i;

	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s", tmpdir, name);
	return p[i];
}

static const char *write_file(const char *name, const char *text)
{
	const char *p = tmp_path(name);
	FILE *f = fopen(p, "wb");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
	return p;
}

/* e.msg contains want */
static int msg_has(const err_t *e, const char *want)
{
	if (strstr(e->msg, want))
		return 1;
	fprintf(stderr, "message '%s' lacks '%s'\n", e->msg, want);
	return 0;
}

static void test_wclust_read(void)
{
	wclust_t *c = NULL;
	err_t e = { 0 };
	char want[300];

	const char *p = write_file("ok.tsv", "# comment\nword\tc2\tc4\nthe\t0\t1\nattack\t1\t3\r\nAttack\t1\t2\n");
	CHECK(wclust_read(p, &c, &e) == 0);
	if (c) {
		CHECK(c->nlev == 2 && c->k[0] == 2 && c->k[1] == 4 && c->n == 3);
		CHECK_STR(c->word[1], "attack");
		CHECK(c->id[1 * 2 + 1] == 3 && c->id[2 * 2 + 1] == 2);
		/* write -> read gives the same table */
		wclust_t *d = NULL;
		CHECK(wclust_write(c, tmp_path("rt.tsv"), &e) == 0);
		CHECK(wclust_read(tmp_path("rt.tsv"), &d, &e) == 0);
		CHECK(d && d->n == c->n && d->nlev == c->nlev &&
		      memcmp(d->id, c->id, c->n * c->nlev * sizeof(*c->id)) == 0 &&
		      strcmp(d->word[2], "Attack") == 0);
		wclust_free(d);
	}
	wclust_free(c);
	struct {
		const char *text, *where;
		int code;
	} bad[] = {
		{ "", ":1: empty file", ERR_EMPTY },
		{ "word\tc4\n", ":2: no words", ERR_EMPTY },
		{ "words\tc4\nthe\t1\n", ":1: want a header", ERR_FORMAT },
		{ "word\n", ":1: want a header", ERR_FORMAT },
		{ "word\tk4\n", ":1: header column 2 'k4'", ERR_FORMAT },
		{ "word\tc0\n", ":1: header column 2", ERR_FORMAT },
		{ "word\tc4\tc8\nthe\t1\t2\nof\t1\n", ":3: want a word and 2 cluster ids", ERR_FORMAT },
		{ "word\tc4\nthe\t1\t2\n", ":2: want a word and 1 cluster ids", ERR_FORMAT },
		{ "word\tc4\nthe\t4\n", ":2: cluster id '4' is not a number below 4", ERR_FORMAT },
		{ "word\tc4\nthe\t-1\n", ":2: cluster id '-1'", ERR_FORMAT },
		{ "word\tc4\nthe\t1x\n", ":2: cluster id '1x'", ERR_FORMAT },
		{ "word\tc4\n\t1\n", ":2: want a word", ERR_FORMAT },
		{ "word\tc4\nth\xff\t1\n", ":2: invalid UTF-8", ERR_FORMAT },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		p = write_file("bad.tsv", bad[i].text);
		c = (wclust_t *)1;
		CHECK(wclust_read(p, &c, &e) == bad[i].code);
		CHECK(c == NULL);
		snprintf(want, sizeof(want), "%s%s", p, bad[i].where);
		CHECK(msg_has(&e, want));
	}
	CHECK(wclust_read(tmp_path("missing.tsv"), &c, &e) == ERR_IO);
	CHECK(msg_has(&e, "missing.tsv: "));
}

static void put_u32(FILE *f, uint32_t v)
{
	unsigned char b[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 24) };
	fwrite(b, 1, 4, f);
}

static void put_f32(FILE *f, float x)
{
	uint32_t u;
	memcpy(&u, &x, 4);
	put_u32(f, u);
}

/* Three tight groups of 2-d directions, 4 points each, interleaved. */
#define NP 12
static const float pts[NP][2] = {
	{ 1, 0.05f }, { 0.1f, 1 }, { -1, -0.9f }, { 1, -0.05f },
	{ -0.05f, 1 }, { -0.9f, -1 }, { 1, 0.1f }, { 0.05f, 1 },
	{ -1, -1.1f }, { 1, 0 }, { 0, 1 }, { -1.1f, -1 } };

static const char *write_vectors(const char *name, int truncate)
{
	const char *p = tmp_path(name);
	FILE *f = fopen(p, "wb");

	if (!f)
		return p;
	fwrite("EVTVEC1\n", 1, 8, f);
	put_u32(f, NP);
	put_u32(f, 2);
	for (int i = 0; i < NP - truncate; i++) {
		char w[8];
		int n = snprintf(w, sizeof(w), "w%d", i);
		unsigned char lb[2] = { (unsigned char)n, 0 };
		fwrite(lb, 1, 2, f);
		fwrite(w, 1, (size_t)n, f);
		put_f32(f, pts[i][0]);
		put_f32(f, pts[i][1]);
	}
	fclose(f);
	return p;
}

static void test_kmeans(void)
{
	kmeans_vecs *v = NULL;
	err_t e = { 0 };
	kmeans_opts o = KMEANS_OPTS_DEFAULT;
	uint32_t a1[NP], a2[NP], ids[NP * 3];

	CHECK(kmeans_vecs_read(write_vectors("v.vec", 0), 0, &v, &e) == 0);
	CHECK(v && v->n == NP && v->dim == 2 && strcmp(v->word[11], "w11") == 0);
	if (!v)
		return;
	kmeans_normalise(v->x, v->n, v->dim);
	CHECK_NEAR(v->x[2 * 2] * v->x[2 * 2] + v->x[2 * 2 + 1] * v->x[2 * 2 + 1], 1.0, 1e-6);
	for (unsigned long seed = 1; seed <= 5; seed++) {
		o.seed = seed;
		CHECK(kmeans_run(&o, v->x, NULL, v->n, v->dim, 3, a1, NULL, NULL, &e) == 0);
		CHECK(kmeans_run(&o, v->x, NULL, v->n, v->dim, 3, a2, NULL, NULL, &e) == 0);
		CHECK(memcmp(a1, a2, sizeof(a1)) == 0); /* deterministic */
		/* the three groups, whatever the seed */
		int ok = 1;
		for (int i = 0; i < NP; i++)
			ok &= a1[i] == a1[i % 3] && (i % 3 == 0 || a1[i] != a1[i % 3 - 1]);
		ok &= a1[0] != a1[2];
		CHECK(ok);
	}
	/* nested: ks in any order; coarser ids are functions of finer ones */
	const uint32_t ks[3] = { 2, 6, 3 };
	o.seed = 7;
	CHECK(kmeans_nested(&o, v->x, v->n, v->dim, ks, 3, ids, &e) == 0);
	int nest = 1, range = 1;
	for (int i = 0; i < NP; i++) {
		range &= ids[i * 3] < 2 && ids[i * 3 + 1] < 6 && ids[i * 3 + 2] < 3;
		for (int j = 0; j < NP; j++) {
			if (ids[i * 3 + 1] == ids[j * 3 + 1])
				nest &= ids[i * 3 + 2] == ids[j * 3 + 2];
			if (ids[i * 3 + 2] == ids[j * 3 + 2])
				nest &= ids[i * 3] == ids[j * 3];
		}
	}
	CHECK(nest && range);
	for (int i = 0; i < NP; i++) /* k = 3 again finds the groups */
		CHECK(ids[i * 3 + 2] == ids[(i % 3) * 3 + 2]);
	/* bad arguments */
	CHECK(kmeans_run(&o, v->x, NULL, v->n, v->dim, NP + 1, a1, NULL, NULL, &e) == ERR_ARG);
	const uint32_t dup[2] = { 3, 3 };
	CHECK(kmeans_nested(&o, v->x, v->n, v->dim, dup, 2, ids, &e) == ERR_ARG);
	kmeans_vecs_free(v);
	/* the first words only; truncated and foreign files */
	CHECK(kmeans_vecs_read(write_vectors("v.vec", 0), 5, &v, &e) == 0);
	CHECK(v && v->n == 5);
	kmeans_vecs_free(v);
	CHECK(kmeans_vecs_read(write_vectors("t.vec", 3), 0, &v, &e) == ERR_FORMAT && v == NULL);
	CHECK(msg_has(&e, "t.vec: truncated"));
	CHECK(kmeans_vecs_read(write_file("x.vec", "word\tc4\n"), 0, &v, &e) == ERR_FORMAT);
	CHECK(msg_has(&e, "x.vec: not an evtag vector file"));
	CHECK(kmeans_vecs_read(tmp_path("none.vec"), 0, &v, &e) == ERR_IO);
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_wclust_read();
	test_kmeans();
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	CHECK(system(cmd) == 0);
	return t_done();
}
