/* The classifier: folded linear prediction against libsvm's own
 * svm_predict, save/load round trips, damaged model files, a separable
 * toy problem, probability sums, the lexicon features. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "learn/clf.h"
#include "base/model.h"
#include "t.h"

static char tmpdir[] = "/tmp/evtag-clf-XXXXXX";

static const char *tmp_path(const char *name)
{
	static char p[4][256];
	static int i;

	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s", tmpdir, name);
	return p[i];
}

static unsigned lcg = 12345;
static unsigned rnd(unsigned n)
{
	lcg = lcg * 1103515245u + 12345u;
	return (lcg >> 16) % n;
}

/* A noisy 4-class problem: each class has cue words, all share a pool of
 * filler words, and some examples carry another class's cue. */
#define N_NOISY 160
static char *nl[N_NOISY], *nt[N_NOISY];
static size_t nlen[N_NOISY];

static void make_noisy(void)
{
	static const char *lab[4] = { "ATTACK", "TALK", "AID", "PROTEST" };
	static const char *cue[4][4] = {
		{ "shelled", "bombed", "killed", "attacked" },
		{ "met", "discussed", "talks", "visited" },
		{ "aid", "donated", "relief", "supplies" },
		{ "protesters", "marched", "rally", "demonstrated" } };
	static const char *fill[] = { "the", "government", "of", "said", "on", "Monday",
				      "in", "capital", "officials", "city", "a", "with",
				      "forces", "minister", "people", "region", "after", "week" };
	for (int i = 0; i < N_NOISY; i++) {
		char buf[512];
		int c = i % 4, p = 0;
		int len = 6 + (int)rnd(8);
		for (int w = 0; w < len; w++) {
			const char *word;
			unsigned r = rnd(10);
			if (r < 2)
				word = cue[c][rnd(4)];
			else if (r == 2)
				word = cue[rnd(4)][rnd(4)];
			else
				word = fill[rnd(sizeof(fill) / sizeof(*fill))];
			p += snprintf(buf + p, sizeof(buf) - (size_t)p, "%s%s", w ? " " : "", word);
		}
		snprintf(buf + p, sizeof(buf) - (size_t)p, ".");
		nl[i] = strdup(lab[c]);
		nt[i] = strdup(buf);
		nlen[i] = strlen(buf);
	}
}

static clf_t *train(const clf_opts *o, size_t n, char **l, char **t, size_t *len)
{
	clf_t *c = NULL;
	err_t e = { 0 };

	if (clf_train(o, n, l, t, len, &c, &e) < 0)
		fprintf(stderr, "clf_train: %s\n", e.msg);
	return c;
}

/* Folded prediction == libsvm's, labels exactly, probabilities closely. */
static void test_folded_vs_libsvm(int probability, int kernel, int decision)
{
	clf_opts o = CLF_OPTS_DEFAULT;
	o.probability = probability;
	o.decision = decision;
	o.kernel = kernel;
	o.c = 1.0;
	clf_t *c = train(&o, N_NOISY, nl, nt, nlen);
	CHECK(c != NULL);
	if (!c)
		return;
	clf_ws *w = clf_ws_new(c);
	sfeat_ws *fw = sfeat_ws_new();
	sv_t x = { 0 };
	size_t k = clf_nlabels(c), same = 0, close = 0, nonempty = 0;
	double p1[16], p2[16];
	err_t e;
	for (int i = 0; i < N_NOISY; i++) {
		int b1, b2;
		/* re-tokenize with other texts' words too: mix two examples */
		char mixed[1100];
		snprintf(mixed, sizeof(mixed), "%s %s", nt[i], nt[(i * 7 + 3) % N_NOISY]);
		const char *txt = i % 2 ? nt[i] : mixed;
		if (sfeat_text(clf_features(c), fw, txt, strlen(txt), &x, &e) < 0)
			break;
		nonempty += x.n > 0;
		CHECK(clf_predict_sv(c, w, &x, p1, &b1) == 0);
		CHECK(clf_predict_libsvm(c, &x, p2, &b2) == 0);
		same += b1 == b2;
		if (probability) {
			double d = 0;
			for (size_t j = 0; j < k; j++)
				d = fmax(d, fabs(p1[j] - p2[j]));
			close += d < 1e-9;
		}
	}
	CHECK(nonempty == N_NOISY);
	CHECK(same == N_NOISY);
	if (same != N_NOISY)
		fprintf(stderr, "kernel %d prob %d: %zu of %d labels agree\n", kernel, probability, same, N_NOISY);
	if (probability)
		CHECK(close == N_NOISY);
	sv_free(&x);
	sfeat_ws_free(fw);
	clf_ws_free(w);
	clf_free(c);
}

/* Predictions of c on the noisy texts: labels and probabilities. */
static void predict_all(const clf_t *c, int *best, double *prob)
{
	clf_ws *w = clf_ws_new(c);
	err_t e;
	size_t k = clf_nlabels(c);

	for (int i = 0; i < N_NOISY; i++)
		if (clf_predict_text(c, w, nt[i], nlen[i], prob + (size_t)i * k, &best[i], &e) < 0)
			best[i] = -1;
	clf_ws_free(w);
}

static void test_roundtrip(int kernel, int decision)
{
	clf_opts o = CLF_OPTS_DEFAULT;
	o.kernel = kernel;
	o.decision = decision;
	clf_t *c = train(&o, N_NOISY, nl, nt, nlen), *d = NULL;
	int b1[N_NOISY], b2[N_NOISY];
	static double p1[N_NOISY * 4], p2[N_NOISY * 4];
	err_t e = { 0 };

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK(clf_nlabels(c) == 4);
	predict_all(c, b1, p1);
	CHECK(clf_save(c, tmp_path("rt.evm"), &e) == 0);
	CHECK(clf_load(tmp_path("rt.evm"), &d, &e) == 0);
	if (d) {
		predict_all(d, b2, p2);
		CHECK(memcmp(b1, b2, sizeof(b1)) == 0);
		CHECK(memcmp(p1, p2, sizeof(p1)) == 0);
		for (size_t i = 0; i < clf_nlabels(c); i++)
			CHECK_STR(clf_label_name(c, i), clf_label_name(d, i));
		CHECK(clf_kernel(d) == kernel);
		CHECK(clf_decision(d) == decision);
		/* a loaded model has no libsvm model to compare with */
		sv_t x = { 0 };
		int b;
		CHECK(clf_predict_libsvm(d, &x, NULL, &b) == ERR_ARG);
	}
	/* probabilities: in [0,1], summing to 1 */
	int okp = 1;
	for (int i = 0; i < N_NOISY; i++) {
		double s = 0;
		for (int j = 0; j < 4; j++) {
			double v = p1[i * 4 + j];
			if (!(v >= 0 && v <= 1))
				okp = 0;
			s += v;
		}
		if (fabs(s - 1) > 1e-9)
			okp = 0;
		if (decision != CLF_DECIDE_VOTES && p1[i * 4 + b1[i]] < p1[i * 4 + (b1[i] + 1) % 4])
			okp = 0; /* best has the highest probability */
	}
	CHECK(okp);
	/* the model learned something: training accuracy well above chance */
	int right = 0;
	for (int i = 0; i < N_NOISY; i++)
		right += strcmp(clf_label_name(c, (size_t)b1[i]), nl[i]) == 0;
	CHECK(right > N_NOISY * 3 / 4);
	/* abstention */
	CHECK_STR(clf_decide(c, p1, b1[0], 1.0 + 1e-9), CLF_NONE);
	CHECK_STR(clf_decide(c, p1, b1[0], 0), clf_label_name(c, (size_t)b1[0]));
	clf_free(c);
	clf_free(d);
}

static void test_separable(void)
{
	char *l[12], *t[12];
	size_t len[12];
	static const char *labs[3] = { "A", "B", "C" };
	static const char *words[3] = { "alpha apple", "bravo banana", "charlie cherry" };
	char buf[12][64];
	for (int i = 0; i < 12; i++) {
		snprintf(buf[i], sizeof(buf[i]), "%s number %d", words[i % 3], i);
		l[i] = (char *)labs[i % 3];
		t[i] = buf[i];
		len[i] = strlen(buf[i]);
	}
	clf_opts o = CLF_OPTS_DEFAULT;
	o.feat.min_df = 1;
	o.c = 10;
	clf_t *c = train(&o, 12, l, t, len);
	CHECK(c != NULL);
	if (!c)
		return;
	clf_ws *w = clf_ws_new(c);
	int right = 0, best;
	double p[3];
	err_t e;
	for (int i = 0; i < 12; i++)
		if (clf_predict_text(c, w, t[i], len[i], p, &best, &e) == 0)
			right += strcmp(clf_label_name(c, (size_t)best), l[i]) == 0;
	CHECK(right == 12);
	/* also without probability estimates (vote shares) */
	clf_ws_free(w);
	clf_free(c);
	o.probability = 0;
	c = train(&o, 12, l, t, len);
	CHECK(c != NULL);
	if (!c)
		return;
	w = clf_ws_new(c);
	right = 0;
	for (int i = 0; i < 12; i++)
		if (clf_predict_text(c, w, t[i], len[i], p, &best, &e) == 0) {
			right += strcmp(clf_label_name(c, (size_t)best), l[i]) == 0;
			CHECK_NEAR(p[0] + p[1] + p[2], 1.0, 1e-12);
		}
	CHECK(right == 12);
	clf_ws_free(w);
	clf_free(c);
}

static void test_bad_training(void)
{
	char *l[2] = { "A", "A" }, *t[2] = { "one", "two" };
	size_t len[2] = { 3, 3 };
	clf_opts o = CLF_OPTS_DEFAULT;
	clf_t *c = NULL;
	err_t e = { 0 };

	CHECK(clf_train(&o, 2, l, t, len, &c, &e) == ERR_ARG && c == NULL);
	CHECK(strstr(e.msg, "at least 2") != NULL);
	o.c = -1;
	CHECK(clf_train(&o, 2, l, t, len, &c, &e) == ERR_ARG);
	o.c = 1;
	o.lex_verbs = "/nonexistent/verbs.tsv";
	char *l2[2] = { "A", "B" };
	CHECK(clf_train(&o, 2, l2, t, len, &c, &e) == ERR_IO);
	CHECK(strstr(e.msg, "/nonexistent/verbs.tsv") != NULL);
}

static int write_text(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(s, f);
	return fclose(f);
}

/* Lexicon verbs (with inflections) and patterns become features. */
/* An extractor with options o and the lexicon vp/pp, trained on texts. */
static sfeat_t *keyed(sfeat_opts o, const char *vp, const char *pp, const char *const *texts,
		      int n)
{
	err_t e = { 0 };
	tok_doc d = { 0 };
	sfeat_t *s = sfeat_new(&o, &e);
	sfeat_ws *w = sfeat_ws_new();

	CHECK(s && w && sfeat_load_lexicon(s, vp, pp, &e) == 0);
	for (int i = 0; s && w && i < n; i++) {
		CHECK(tok_split(&d, texts[i], strlen(texts[i]), 0, TOK_ONE_SENTENCE, &e) == 0);
		sfeat_ws_reset(w);
		CHECK(sfeat_add(s, w, texts[i], d.tok, d.ntok) == 0 && sfeat_observe(s, w) == 0);
	}
	CHECK(s && sfeat_freeze(s, &e) == 0);
	tok_doc_free(&d);
	sfeat_ws_free(w);
	return s;
}

static void test_lexicon(void)
{
	const char *vp = tmp_path("verbs.tsv"), *pp = tmp_path("pats.tsv");
	CHECK(write_text(vp, "said\t010\t-\tSTATEMENT\nattack\t190\tASSAULT\tMATERIAL_CONFLICT\nmeet with\t040\tCONSULT\tVERBAL_COOPERATION\n") == 0);
	CHECK(write_text(pp, "send\t* troops\t150\tMOBILIZE\tMATERIAL_CONFLICT\nsend\t* aid\t070\tAID\tMATERIAL_COOPERATION\n") == 0);
	sfeat_opts fo = SFEAT_OPTS_DEFAULT;
	fo.words = fo.bigrams = fo.negation = 0;
	fo.min_df = 1;
	err_t e = { 0 };
	static const char *const texts[] = { "Rebels attacked the town.", "They will meet with him.",
					     "Russia sends more troops.", "Nothing here at all.",
					     "Officials said rebels attacked." };
	sfeat_t *s = keyed(fo, vp, pp, texts, 5);
	if (!s)
		return;
	CHECK(sfeat_lexicon_size(s) == 5);
	sfeat_ws *w = sfeat_ws_new();
	size_t nfeat[5];
	sv_t x = { 0 };
	for (int i = 0; i < 5; i++) {
		CHECK(sfeat_text(s, w, texts[i], strlen(texts[i]), &x, &e) == 0);
		nfeat[i] = x.n;
		if (x.n)
			CHECK_NEAR(sv_norm2(&x), 1.0, 1e-5);
	}
	/* PLOVER, PentaClass, CAMEO root of "attack", each as any hit, as the
	 * first hit and as the first non-statement hit */
	CHECK(nfeat[0] == 9);
	CHECK(nfeat[1] == 9); /* the two-word form */
	CHECK(nfeat[2] == 9); /* the pattern "send * troops" */
	CHECK(nfeat[3] == 0);
	/* "said" is the first hit, "attacked" the first non-statement hit */
	CHECK(nfeat[4] == 12);
	/* save and load keep the lexicon */
	buf_t b;
	buf_init(&b);
	sfeat_save(s, &b);
	rd_t r;
	rd_init(&r, b.data, b.len);
	sfeat_t *s2 = sfeat_load(&r, &e);
	CHECK(s2 != NULL && rd_left(&r) == 0);
	if (s2) {
		CHECK(sfeat_dim(s2) == sfeat_dim(s));
		CHECK(sfeat_lexicon_size(s2) == 5);
		CHECK(sfeat_text(s2, w, texts[0], strlen(texts[0]), &x, &e) == 0 && x.n == 9);
	}
	/* truncations of the section are refused */
	int refused = 0;
	for (size_t cut = 0; cut < b.len; cut += 1 + b.len / 50) {
		rd_init(&r, b.data, cut);
		sfeat_t *t = sfeat_load(&r, &e);
		refused += t == NULL;
		sfeat_free(t);
	}
	CHECK(refused == (int)((b.len - 1) / (1 + b.len / 50) + 1));
	buf_free(&b);
	sfeat_free(s2);
	sv_free(&x);
	sfeat_ws_free(w);
	sfeat_free(s);
}

static long file_size(const char *p)
{
	FILE *f = fopen(p, "rb");
	long n;
	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fclose(f);
	return n;
}

static int copy_damaged(const char *src, const char *dst, long keep, long flip_at, int flip_mask)
{
	FILE *f = fopen(src, "rb"), *g;
	long n = file_size(src);
	unsigned char *buf;
	if (!f || n < 0)
		return -1;
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	if (flip_at >= 0 && flip_at < n)
		buf[flip_at] ^= (unsigned char)flip_mask;
	g = fopen(dst, "wb");
	if (!g) {
		free(buf);
		return -1;
	}
	fwrite(buf, 1, (size_t)(keep < n ? keep : n), g);
	free(buf);
	return fclose(g);
}

/* b's vector of text from a's keys against from its own: 1 when the same,
 * bit for bit. */
static int same_from_keys(const sfeat_t *a, const sfeat_t *b, const char *text)
{
	err_t e = { 0 };
	tok_doc d = { 0 };
	sfeat_ws *wa = sfeat_ws_new(), *wb = sfeat_ws_new();
	sv_t xa = { 0 }, xb = { 0 };
	int same = 0;

	if (wa && wb && tok_split(&d, text, strlen(text), 0, TOK_ONE_SENTENCE, &e) == 0 &&
	    sfeat_add(a, wa, text, d.tok, d.ntok) == 0 && sfeat_vector(b, wa, &xa) == 0 &&
	    sfeat_add(b, wb, text, d.tok, d.ntok) == 0 && sfeat_vector(b, wb, &xb) == 0) {
		same = xa.n == xb.n;
		for (size_t i = 0; same && i < xa.n; i++)
			same = xa.e[i].idx == xb.e[i].idx &&
			       memcmp(&xa.e[i].val, &xb.e[i].val, sizeof(xa.e[i].val)) == 0;
	}
	sv_free(&xa);
	sv_free(&xb);
	tok_doc_free(&d);
	sfeat_ws_free(wa);
	sfeat_ws_free(wb);
	return same;
}

/* Two classifiers of a sentence extract its keys once where one's keys
 * cover the other's (sfeat_keys_cover): the vectors are the same as from
 * the second's own keys; masking, a missing template, lead features or
 * another lexicon make the keys differ, and the cover is refused. */
static void test_keys_cover(void)
{
	const char *vp = tmp_path("kv.tsv"), *pp = tmp_path("kp.tsv"), *vq = tmp_path("kv2.tsv");
	CHECK(write_text(vp, "said\t010\t-\tSTATEMENT\nattack\t190\tASSAULT\tMATERIAL_CONFLICT\nmeet with\t040\tCONSULT\tVERBAL_COOPERATION\n") == 0);
	CHECK(write_text(vq, "said\t010\t-\tSTATEMENT\nattack\t180\tASSAULT\tMATERIAL_CONFLICT\nmeet with\t040\tCONSULT\tVERBAL_COOPERATION\n") == 0);
	CHECK(write_text(pp, "send\t* troops\t150\tMOBILIZE\tMATERIAL_CONFLICT\n") == 0);
	static const char *const train_texts[] = {
		"Rebels attacked the town on Monday.", "Officials said rebels attacked the town.",
		"Russia will meet with France.", "Russia sends more troops to the border.",
		"The army did not attack the town.", "Leaders said they will meet with rebels.",
		"Rebels attacked the army in Kabul.", "The town was quiet on Monday."
	};
	static const char *const texts[] = {
		"Rebels attacked the town on Monday.", "Officials in Kabul said rebels never attacked.",
		"France sends troops and will meet with Russia.", "Nothing here at all.",
		"The army attacked the rebels, officials said."
	};
	sfeat_opts o = SFEAT_OPTS_DEFAULT;
	o.min_df = 1;
	o.mask_caps = 1;
	sfeat_t *a = keyed(o, vp, pp, train_texts, 8);          /* words, bigrams, lexicon, negation */
	sfeat_opts ob = o;
	ob.bigrams = 0;
	sfeat_t *b = keyed(ob, vp, pp, train_texts, 8);         /* the same without bigrams */
	ob.mask_caps = 0;
	sfeat_t *c = keyed(ob, vp, pp, train_texts, 8);         /* ... and no masking */
	ob = o;
	ob.bigrams = 0;
	sfeat_t *d = keyed(ob, vq, pp, train_texts, 8);         /* another lexicon */
	ob.lead = 1;
	sfeat_t *l = keyed(ob, vp, pp, train_texts, 8);         /* lead features */
	if (!a || !b || !c || !d || !l)
		goto out;
	CHECK(sfeat_keys_cover(a, a) == 1);
	CHECK(sfeat_keys_cover(a, b) == 1);
	CHECK(sfeat_keys_cover(b, a) == 0);
	CHECK(sfeat_keys_cover(a, c) == 0);
	CHECK(sfeat_keys_cover(a, d) == 0);
	CHECK(sfeat_keys_cover(a, l) == 0);
	int same = 0, masked = 0, lex = 0;
	for (int i = 0; i < 5; i++) {
		same += same_from_keys(a, b, texts[i]);
		same += same_from_keys(a, a, texts[i]);
		/* where the cover is refused, the vectors do differ */
		masked += !same_from_keys(a, c, texts[i]);
		lex += !same_from_keys(a, d, texts[i]);
	}
	CHECK(same == 10);
	CHECK(masked > 0);
	CHECK(lex > 0);
out:
	sfeat_free(a);
	sfeat_free(b);
	sfeat_free(c);
	sfeat_free(d);
	sfeat_free(l);
}

/* The shipped classifiers: PentaClass's keys cover PLOVER's, and PLOVER's
 * predictions from them are the same, bit for bit, as from its own. */
static void test_shipped_cover(void)
{
	const char *dir = getenv("EVTAG_MODELS"), *shared = getenv("SHARED");
	char pp[1024], qp[1024], ap[1024];
	snprintf(pp, sizeof(pp), "%s/plover.evm", dir && *dir ? dir : "models");
	snprintf(qp, sizeof(qp), "%s/penta.evm", dir && *dir ? dir : "models");
	snprintf(ap, sizeof(ap), "%ssamples/article-2020-10-09.txt", shared && *shared ? shared : "../shared/");
	clf_t *p = NULL, *q = NULL;
	err_t e = { 0 };
	FILE *fp = fopen(ap, "rb");
	char text[8192];
	size_t len = fp ? fread(text, 1, sizeof(text) - 1, fp) : 0;
	if (fp)
		fclose(fp);
	if (clf_load(pp, &p, &e) < 0 || clf_load(qp, &q, &e) < 0 || len == 0) {
		fprintf(stderr, "test_clf: SKIPPED the shipped classifiers' cover: no models or %s\n", ap);
		clf_free(p);
		clf_free(q);
		return;
	}
	text[len] = '\0';
	CHECK(clf_keys_cover(q, p) == 1);
	CHECK(clf_keys_cover(p, q) == 0);
	tok_doc d = { 0 };
	clf_ws *wp = clf_ws_new(p), *wq = clf_ws_new(q), *wo = clf_ws_new(p);
	double a[64], b[64], c[64];
	int n = 0, same = 0;
	if (wp && wq && wo && clf_nlabels(p) < 64 && clf_nlabels(q) < 64 &&
	    tok_split(&d, text, len, 0, 0, &e) == 0)
		for (uint32_t i = 0; i < d.nsent; i++, n++) {
			const tok_sent *st = &d.sent[i];
			int bp = -1, bq = -1, bo = -2;
			if (clf_predict_tokens(q, wq, text, d.tok + st->first, st->n, c, &bq) == 0 &&
			    clf_predict_keys(p, wp, wq, a, &bp) == 0 &&
			    clf_predict_tokens(p, wo, text, d.tok + st->first, st->n, b, &bo) == 0)
				same += bp == bo && memcmp(a, b, clf_nlabels(p) * sizeof(*a)) == 0;
		}
	CHECK(n >= 8);
	CHECK(same == n);
	tok_doc_free(&d);
	clf_ws_free(wp);
	clf_ws_free(wq);
	clf_ws_free(wo);
	clf_free(p);
	clf_free(q);
}

/* Damaged files: truncations, bit flips in the gzip stream, wrong kind,
 * and payload damage behind valid checksums (every index bounds-checked;
 * the sanitizer build proves no read goes astray). */
static void test_damaged(int kernel, int decision)
{
	clf_opts o = CLF_OPTS_DEFAULT;
	o.kernel = kernel;
	o.decision = decision;
	clf_t *c = train(&o, N_NOISY, nl, nt, nlen), *d = NULL;
	const char *good = tmp_path("good.evm"), *bad = tmp_path("bad.evm");
	err_t e = { 0 };
	long n;
	int refused = 0, tries = 0;

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK(clf_save(c, good, &e) == 0);
	n = file_size(good);
	CHECK(n > 100);
	for (long cut = 0; cut < n; cut += 1 + n / 40, tries++) {
		copy_damaged(good, bad, cut, -1, 0);
		refused += clf_load(bad, &d, &e) == ERR_MODEL && d == NULL;
		clf_free(d);
		d = NULL;
	}
	CHECK(refused == tries);
	refused = tries = 0;
	for (long at = 12; at < n; at += 1 + n / 40, tries++) {
		copy_damaged(good, bad, n, at, 0x10);
		int rc = clf_load(bad, &d, &e);
		refused += rc < 0 && d == NULL;
		clf_free(d);
		d = NULL;
	}
	CHECK(refused == tries);
	CHECK(clf_load(tmp_path("missing.evm"), &d, &e) < 0 && d == NULL);

	/* wrong kind, and payload damage under valid checksums */
	model_file *mf = NULL;
	CHECK(model_read(good, "classifier", &mf, &e) == 0);
	if (mf) {
		CHECK(model_write(bad, "tagger", mf->secs, mf->nsecs, &e) == 0);
		CHECK(clf_load(bad, &d, &e) == ERR_MODEL && d == NULL);
		CHECK(strstr(e.msg, "tagger") != NULL || strstr(e.msg, "kind") != NULL);
		CHECK(model_write(bad, "classifier", mf->secs, 1, &e) == 0);
		CHECK(clf_load(bad, &d, &e) == ERR_MODEL && d == NULL);
		int loaded_ok = 0, crashed_not = 0;
		for (size_t s = 0; s < mf->nsecs; s++) {
			model_sec *sec = &mf->secs[s];
			for (size_t at = 0; at < sec->len; at += 1 + sec->len / 60) {
				unsigned char old = sec->data[at];
				sec->data[at] ^= 0xA5;
				model_write(bad, "classifier", mf->secs, mf->nsecs, &e);
				sec->data[at] = old;
				if (clf_load(bad, &d, &e) == 0) {
					/* accepted damage (a weight or a key): must still predict */
					clf_ws *w = clf_ws_new(d);
					double p[8];
					int best;
					if (w && clf_predict_text(d, w, nt[0], nlen[0], p, &best, &e) == 0 &&
					    best >= 0 && (size_t)best < clf_nlabels(d))
						loaded_ok++;
					clf_ws_free(w);
					clf_free(d);
					d = NULL;
				}
				crashed_not++;
			}
			/* truncated payloads */
			size_t len = sec->len;
			for (size_t cut = 0; cut < len; cut += 1 + len / 30) {
				sec->len = cut;
				model_write(bad, "classifier", mf->secs, mf->nsecs, &e);
				int rc = clf_load(bad, &d, &e);
				CHECK(rc == ERR_MODEL && d == NULL);
				clf_free(d);
				d = NULL;
			}
			sec->len = len;
		}
		CHECK(crashed_not > 0);
		(void)loaded_ok;
		model_file_free(mf);
	}
	clf_free(c);
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	make_noisy();
	test_folded_vs_libsvm(0, CLF_LINEAR, CLF_DECIDE_PROB);
	test_folded_vs_libsvm(1, CLF_LINEAR, CLF_DECIDE_PROB);
	test_folded_vs_libsvm(1, CLF_LINEAR, CLF_DECIDE_VOTES);
	test_folded_vs_libsvm(1, CLF_LINEAR, CLF_DECIDE_BALANCED);
	test_folded_vs_libsvm(1, CLF_RBF, CLF_DECIDE_PROB);
	test_roundtrip(CLF_LINEAR, CLF_DECIDE_PROB);
	test_roundtrip(CLF_LINEAR, CLF_DECIDE_VOTES);
	test_roundtrip(CLF_LINEAR, CLF_DECIDE_BALANCED);
	test_roundtrip(CLF_RBF, CLF_DECIDE_PROB);
	test_separable();
	test_bad_training();
	test_lexicon();
	test_keys_cover();
	test_shipped_cover();
	test_damaged(CLF_LINEAR, CLF_DECIDE_PROB);
	test_damaged(CLF_LINEAR, CLF_DECIDE_BALANCED);
	test_damaged(CLF_RBF, CLF_DECIDE_PROB);
	for (int i = 0; i < N_NOISY; i++) {
		free(nl[i]);
		free(nt[i]);
	}
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	CHECK(system(cmd) == 0);
	return t_done();
}
