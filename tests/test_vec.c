/* Word vectors and clusters: the cluster file reader and writer (bad
 * lines name file:line), the vector file reader, k-means on a tiny
 * deterministic example and its nesting, and the classifier's clusters
 * template: save -> load -> predict without the cluster file, a word
 * unseen in training classified through its cluster, models without
 * clusters still in the version 1 layout, truncated sections refused. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/model.h"
#include "features/sfeat.h"
#include "features/wclust.h"
#include "learn/clf.h"
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

/* Two classes whose cue words share clusters: training sees some cue
 * words, tests use others of the same clusters. */
static const char *fight[] = { "shelled", "bombed", "attacked", "raided", "stormed", "ambushed" };
static const char *talk[] = { "met", "discussed", "negotiated", "consulted", "conferred", "debated" };
static const char *filler[] = { "the", "army", "of", "said", "on", "monday", "in", "town", "officials" };
#define NT 80

static void make_set(char **lab, char **txt, size_t *len, int n, unsigned seed)
{
	for (int i = 0; i < n; i++) {
		char b[256];
		int c = i % 2, p = 0;
		seed = seed * 1103515245u + 12345u;
		/* training texts use the first 3 cue words of a class */
		const char *cue = (c ? talk : fight)[(seed >> 16) % 3];
		for (int w = 0; w < 6; w++) {
			seed = seed * 1103515245u + 12345u;
			p += snprintf(b + p, sizeof(b) - (size_t)p, "%s ", w == 2 ? cue : filler[(seed >> 16) % 9]);
		}
		snprintf(b + p, sizeof(b) - (size_t)p, ".");
		lab[i] = strdup(c ? "TALK" : "FIGHT");
		txt[i] = strdup(b);
		len[i] = strlen(b);
	}
}

static void test_clf_clusters(void)
{
	char *lab[NT], *txt[NT];
	size_t len[NT];
	err_t e = { 0 };
	clf_opts o = CLF_OPTS_DEFAULT;
	clf_t *c = NULL, *d = NULL, *plain = NULL;
	const char *cl = write_file("cl.tsv",
		"word\tc2\tc4\n"
		"shelled\t0\t0\nbombed\t0\t0\nattacked\t0\t1\nraided\t0\t0\nstormed\t0\t0\nambushed\t0\t1\n"
		"met\t1\t2\ndiscussed\t1\t2\nnegotiated\t1\t3\nconsulted\t1\t2\nconferred\t1\t2\ndebated\t1\t3\n"
		"the\t1\t3\nArmy\t0\t1\nDEBATED\t0\t0\n");

	make_set(lab, txt, len, NT, 99);
	o.feat.bigrams = 0;
	o.feat.lexicon = 0;
	o.feat.negation = 0;
	o.feat.min_df = 1;
	o.c = 1;
	/* the template without a file is refused */
	o.feat.clusters = 1;
	CHECK(clf_train(&o, NT, lab, txt, len, &c, &e) == ERR_ARG && c == NULL);
	o.clusters = tmp_path("missing.tsv");
	CHECK(clf_train(&o, NT, lab, txt, len, &c, &e) == ERR_IO && c == NULL);
	o.clusters = write_file("badcl.tsv", "word\tc2\nthe\t0\nof\t2\n");
	CHECK(clf_train(&o, NT, lab, txt, len, &c, &e) == ERR_FORMAT && c == NULL);
	CHECK(msg_has(&e, "badcl.tsv:3: cluster id '2'"));
	o.clusters = cl;
	CHECK(clf_train(&o, NT, lab, txt, len, &c, &e) == 0);
	if (!c)
		goto out;
	/* 15 lines, 14 words after folding ("DEBATED" repeats "debated") */
	CHECK(sfeat_cluster_words(clf_features(c)) == 14);
	CHECK(clf_save(c, tmp_path("cl.evm"), &e) == 0);
	CHECK(unlink(cl) == 0); /* prediction needs no cluster file */
	CHECK(clf_load(tmp_path("cl.evm"), &d, &e) == 0);
	if (!d)
		goto out;
	uint32_t nlev;
	const uint32_t *ks = sfeat_cluster_ks(clf_features(d), &nlev);
	CHECK(nlev == 2 && ks && ks[0] == 2 && ks[1] == 4);
	CHECK(sfeat_cluster_words(clf_features(d)) == 14);
	/* unseen cue words: only their clusters tell the class */
	static const char *probe[] = { "the army stormed the town .", "officials conferred on monday .",
				       "the army ambushed them .", "officials debated in town ." };
	static const char *want[] = { "FIGHT", "TALK", "FIGHT", "TALK" };
	clf_ws *w1 = clf_ws_new(c), *w2 = clf_ws_new(d);
	for (int i = 0; i < 4; i++) {
		double p1[2], p2[2];
		int b1, b2;
		CHECK(clf_predict_text(c, w1, probe[i], strlen(probe[i]), p1, &b1, &e) == 0);
		CHECK(clf_predict_text(d, w2, probe[i], strlen(probe[i]), p2, &b2, &e) == 0);
		CHECK(b1 == b2 && memcmp(p1, p2, sizeof(p1)) == 0);
		CHECK_STR(clf_label_name(d, (size_t)b2), want[i]);
	}
	clf_ws_free(w1);
	clf_ws_free(w2);
	/* every truncation of the feature section is refused cleanly */
	buf_t b = { 0 };
	sfeat_save(clf_features(d), &b);
	CHECK(!b.failed && b.len > 14 * 6);
	int refused = 0, tried = 0;
	for (size_t cut = 0; cut < b.len; cut += 1 + cut / 64) {
		rd_t r;
		rd_init(&r, b.data, cut);
		sfeat_t *s = sfeat_load(&r, &e);
		refused += s == NULL;
		tried++;
		sfeat_free(s);
	}
	CHECK(refused == tried);
	/* a zero hash delta (keys not ascending) is refused: the last
	 * delta sits 4 bytes before the 14 u16 tuple numbers */
	unsigned char *dl = b.data + b.len - 14 * 2 - 4;
	uint32_t saved = (uint32_t)dl[0] | (uint32_t)dl[1] << 8 | (uint32_t)dl[2] << 16 | (uint32_t)dl[3] << 24;
	memset(dl, 0, 4);
	rd_t r;
	rd_init(&r, b.data, b.len);
	sfeat_t *s = sfeat_load(&r, &e);
	CHECK(s == NULL && e.code == ERR_MODEL);
	sfeat_free(s);
	CHECK(saved != 0);
	buf_free(&b);
	/* without the template: the feature section keeps version 1 */
	o.feat.clusters = 0;
	o.clusters = NULL;
	CHECK(clf_train(&o, NT, lab, txt, len, &plain, &e) == 0);
	if (plain) {
		buf_t pb = { 0 };
		sfeat_save(clf_features(plain), &pb);
		CHECK(pb.len >= 4 && pb.data[0] == 1 && pb.data[1] == 0 && pb.data[2] == 0 && pb.data[3] == 0);
		buf_free(&pb);
		CHECK(sfeat_cluster_words(clf_features(plain)) == 0);
	}
out:
	clf_free(c);
	clf_free(d);
	clf_free(plain);
	for (int i = 0; i < NT; i++) {
		free(lab[i]);
		free(txt[i]);
	}
}

/* The shipped models (sections written before clusters existed) load. */
static void test_old_models(void)
{
	static const char *m[] = { "models/plover.evm", "models/penta.evm" };
	for (int i = 0; i < 2; i++) {
		clf_t *c = NULL;
		err_t e = { 0 };
		if (access(m[i], R_OK) != 0)
			continue;
		CHECK(clf_load(m[i], &c, &e) == 0);
		CHECK(c && sfeat_cluster_words(clf_features(c)) == 0 && !sfeat_options(clf_features(c))->clusters);
		clf_free(c);
	}
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_wclust_read();
	test_kmeans();
	test_clf_clusters();
	test_old_models();
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	CHECK(system(cmd) == 0);
	return t_done();
}
