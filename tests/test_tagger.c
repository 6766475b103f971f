/* Tests of the sequence tagger: Viterbi and forward-backward against brute
 * force, span confidences, training to perfection on a tiny corpus, save ->
 * load -> tag round trips, damaged model files, the gazetteer and the
 * feature templates. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "learn/tagger_int.h"
#include "features/gaz.h"
#include "features/tdoc.h"
#include "base/model.h"
#include "learn/tagger.h"
#include "features/tfeat.h"
#include "t.h"

static uint64_t rng_state = 88172645463325252ULL;
static double urand(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (double)(rng_state >> 11) / 9007199254740992.0;
}

/* Score of a label path. */
static double path_score(const double *sc, const double *tr, const double *ew,
			 uint32_t L, uint32_t n, const uint32_t *y)
{
	double s = 0;
	uint32_t prev = L;
	for (uint32_t t = 0; t < n; t++) {
		s += sc[t * L + y[t]] + tr[prev * L + y[t]];
		prev = y[t];
	}
	return s + ew[prev];
}

/* Advances y (base L odometer); 0 when wrapped. */
static int next_path(uint32_t *y, uint32_t L, uint32_t n)
{
	for (uint32_t t = 0; t < n; t++) {
		if (++y[t] < L)
			return 1;
		y[t] = 0;
	}
	return 0;
}

static void test_lattices(void)
{
	enum { MAXN = 5, MAXL = 4 };
	for (int trial = 0; trial < 60; trial++) {
		uint32_t L = 2 + trial % 3, n = 1 + trial % MAXN;
		double sc[MAXN * MAXL], sc2[MAXN * MAXL], tr[(MAXL + 1) * MAXL], ew[MAXL];
		double etr[(MAXL + 1) * MAXL], eew[MAXL];
		double a[MAXN * MAXL], b[MAXN * MAXL], c[MAXN], zp;
		uint8_t bp[MAXN * MAXL];
		uint32_t out[MAXN], y[MAXN] = { 0 }, best[MAXN];

		for (uint32_t k = 0; k < n * L; k++)
			sc[k] = 4 * urand() - 2;
		for (uint32_t k = 0; k < (L + 1) * L; k++) {
			tr[k] = 4 * urand() - 2;
			etr[k] = exp(tr[k]);
		}
		for (uint32_t k = 0; k < L; k++) {
			ew[k] = 2 * urand() - 1;
			eew[k] = exp(ew[k]);
		}
		/* brute force: best path, log Z, marginals */
		double bs = -1e300, z = 0, marg[MAXN * MAXL] = { 0 };
		do {
			double s = path_score(sc, tr, ew, L, n, y);
			if (s > bs) {
				bs = s;
				memcpy(best, y, sizeof(best));
			}
			z += exp(s);
			for (uint32_t t = 0; t < n; t++)
				marg[t * L + y[t]] += exp(s);
		} while (next_path(y, L, n));
		double vs = tagger_viterbi(sc, tr, ew, L, n, bp, out);
		CHECK_NEAR(vs, bs, 1e-9);
		int same = 1;
		for (uint32_t t = 0; t < n; t++)
			same &= out[t] == best[t];
		CHECK(same);
		memcpy(sc2, sc, sizeof(sc));
		double logz = tagger_forward_backward(sc2, etr, eew, L, n, a, b, c, &zp);
		CHECK_NEAR(logz, log(z), 1e-9);
		double maxerr = 0;
		for (uint32_t t = 0; t < n; t++)
			for (uint32_t k = 0; k < L; k++) {
				double p = a[t * L + k] * b[t * L + k] / zp;
				double err = fabs(p - marg[t * L + k] / z);
				if (err > maxerr)
					maxerr = err;
			}
		CHECK(maxerr < 1e-9);
		/* span probability: labels 0 = O, 1 = B, 2 = I (when L >= 3) */
		if (L >= 3 && n >= 2) {
			uint32_t f = 0, l = n - 1 > 1 ? 2 : 1;
			double ps = 0;
			memset(y, 0, sizeof(y));
			do {
				int ok = y[f] == 1;
				for (uint32_t t = f + 1; t < l; t++)
					ok &= y[t] == 2;
				if (l < n)
					ok &= y[l] != 2;
				if (ok)
					ps += exp(path_score(sc, tr, ew, L, n, y));
			} while (next_path(y, L, n));
			double p = tagger_span_prob(sc2, etr, eew, L, n, a, b, c, zp, f, l, 1, 2);
			CHECK_NEAR(p, ps / z, 1e-9);
			/* a span running to the end */
			ps = 0;
			memset(y, 0, sizeof(y));
			do {
				int ok = y[1] == 1;
				for (uint32_t t = 2; t < n; t++)
					ok &= y[t] == 2;
				if (ok)
					ps += exp(path_score(sc, tr, ew, L, n, y));
			} while (next_path(y, L, n));
			p = tagger_span_prob(sc2, etr, eew, L, n, a, b, c, zp, 1, n, 1, 2);
			CHECK_NEAR(p, ps / z, 1e-9);
		}
	}
}

/* The blocked Viterbi against the plain one, bit for bit, on random
 * lattices of every label count: real-valued scores, and small integers
 * so that ties (broken towards the lower label) are everywhere. */
static void test_viterbi_blocked(void)
{
	enum { MAXN = 40, MAXL = TAGGER_MAX_LABELS };
	static double sc[MAXN * MAXL], tr[(MAXL + 1) * MAXL],
		trp[(MAXL + 1) * MAXL], ew[MAXL];
	static uint8_t bp[MAXN * MAXL];
	static double d[MAXN * MAXL];
	uint32_t out[MAXN], out2[MAXN];
	int same = 1, trials = 0;

	for (uint32_t L = 1; L <= MAXL; L++)
		for (int ties = 0; ties < 2; ties++)
			for (uint32_t n = 0; n <= MAXN; n += 1 + n / 4) {
				uint32_t LP = tagger_lpad(L);
#define DRAW(scale) (ties ? floor(3 * urand()) : (scale) * urand() - (scale) / 2)
				for (uint32_t k = 0; k < n * L; k++)
					sc[k] = DRAW(8);
				for (uint32_t k = 0; k < (L + 1) * L; k++)
					tr[k] = DRAW(4);
				for (uint32_t k = 0; k < L; k++)
					ew[k] = DRAW(2);
#undef DRAW
				memset(trp, 0, sizeof(trp));
				for (uint32_t p = 0; p <= L; p++)
					memcpy(trp + p * LP, tr + p * L, L * sizeof(double));
				double v1 = tagger_viterbi(sc, tr, ew, L, n, bp, out);
				double v2 = tagger_viterbi_blocked(sc, trp, ew, L, n, d, out2);
				same &= memcmp(&v1, &v2, sizeof(v1)) == 0;
				same &= n == 0 || memcmp(out, out2, n * sizeof(*out)) == 0;
				trials++;
			}
	CHECK(same);
	CHECK(trials > 1000);
}

/* A tiny corpus: two entity types, patterns a linear-chain model learns. */
static const char *tiny =
	"John\tB-PER\nSmith\tI-PER\nvisited\tO\nParis\tB-LOC\n.\tO\n\n"
	"Mary\tB-PER\nlives\tO\nin\tO\nLondon\tB-LOC\n.\tO\n\n"
	"Paris\tB-LOC\nwelcomed\tO\nJohn\tB-PER\n.\tO\n\n"
	"The\tO\nmayor\tO\nof\tO\nNew\tB-LOC\nYork\tI-LOC\nmet\tO\nMary\tB-PER\nJones\tI-PER\n.\tO\n\n"
	"Russian\tB-NORP\nofficials\tO\narrived\tO\n.\tO\n";

static int tag_corpus(const tagger_t *t, tagger_ws *ws, const conll_corpus *c,
		      uint32_t *labels, tagger_span *spans, uint32_t *nspans)
{
	err_t e = { 0 };
	for (uint32_t s = 0; s < c->nsent; s++) {
		tagger_tok tok[64];
		uint32_t n = c->sent[s].n;
		for (uint32_t i = 0; i < n; i++)
			tok[i].s = conll_token(c, c->sent[s].first + i, &tok[i].len);
		if (tagger_tag(t, ws, tok, n, labels + c->sent[s].first,
			       spans + c->sent[s].first, &nspans[s], &e))
			return -1;
	}
	return 0;
}

static int write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t w = fwrite(p, 1, n, f);
	return (fclose(f) == 0 && w == n) ? 0 : -1;
}

static unsigned char *read_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	unsigned char *p = malloc(1 << 24);
	*n = 0;
	if (!f || !p) {
		if (f)
			fclose(f);
		free(p);
		return NULL;
	}
	*n = fread(p, 1, 1 << 24, f);
	fclose(f);
	return p;
}

static const char *gaz_csv =
	"CCA2,Name,CCA3,Nationality\n"
	"AM,Armenia,ARM,\"Armenian,Armenians\"\n"
	"RU,Russia,RUS,\"Russian,Russians\"\n"
	"US,United States,USA,\"American, US, U.S., United States of America\"\n"
	"GB,United Kingdom,GBR,\"British, Briton\"\n";

static void test_train_roundtrip(int method)
{
	conll_corpus *c = NULL;
	tagger_t *t = NULL, *t2 = NULL;
	tagger_train_opts o;
	tagger_train_stats st;
	err_t e = { 0 };
	char dir[] = "/tmp/evtag-test-XXXXXX";
	char path[256], gpath[256], bad[256];

	CHECK(conll_parse("tiny", tiny, strlen(tiny), CONLL_TAGS, &c, &e) == 0);
	if (!c || !mkdtemp(dir))
		return;
	snprintf(path, sizeof(path), "%s/m.evm", dir);
	snprintf(gpath, sizeof(gpath), "%s/g.csv", dir);
	snprintf(bad, sizeof(bad), "%s/bad.evm", dir);
	CHECK(write_file(gpath, gaz_csv, strlen(gaz_csv)) == 0);
	tagger_train_defaults(&o);
	o.method = method;
	o.threads = 2;
	o.c2 = 0.01;
	o.max_iter = 100;
	o.gazetteer = gpath;
	o.clusters = 1;
	o.trained = "test";
	CHECK(tagger_train(&o, c, c, &t, NULL, NULL, &st, &e) == 0);
	if (!t) {
		fprintf(stderr, "train: %s\n", e.msg);
		goto out;
	}
	CHECK_NEAR(st.best_f1, 100, 1e-9);
	tagger_ws *ws = tagger_ws_new(t);
	uint32_t lab1[64], lab2[64], ns1[8], ns2[8];
	tagger_span sp1[64], sp2[64];
	CHECK(tag_corpus(t, ws, c, lab1, sp1, ns1) == 0);
	/* perfect on itself */
	int perfect = 1;
	for (uint32_t r = 0; r < c->nrow; r++) {
		const char *want = dict_str(c->tags, c->row[r].tag, NULL);
		perfect &= strcmp(tagger_label_name(t, lab1[r]), want) == 0;
	}
	CHECK(perfect);
	for (uint32_t s = 0; s < c->nsent; s++)
		for (uint32_t k = 0; k < ns1[s]; k++) {
			float sc = sp1[c->sent[s].first + k].score;
			CHECK(sc >= 0 && sc <= 1);
		}
	/* save, load, same output */
	CHECK(tagger_save(t, path, &e) == 0);
	CHECK(tagger_load(path, &t2, &e) == 0);
	if (t2) {
		tagger_ws *ws2 = tagger_ws_new(t2);
		CHECK(tag_corpus(t2, ws2, c, lab2, sp2, ns2) == 0);
		CHECK(memcmp(lab1, lab2, c->nrow * sizeof(*lab1)) == 0);
		int same = 1;
		for (uint32_t s = 0; s < c->nsent; s++) {
			same &= ns1[s] == ns2[s];
			for (uint32_t k = 0; k < ns1[s] && same; k++) {
				const tagger_span *a = &sp1[c->sent[s].first + k], *b = &sp2[c->sent[s].first + k];
				same &= a->first == b->first && a->last == b->last &&
					a->type == b->type && fabsf(a->score - b->score) < 1e-6f;
			}
		}
		CHECK(same);
		CHECK(tagger_gazetteer(t2) != NULL);
		if (tagger_gazetteer(t2))
			CHECK_STR(gaz_lookup(tagger_gazetteer(t2), "Russian President Vladimir Putin", 32), "RUS");
		tagger_info info;
		tagger_get_info(t2, &info);
		CHECK(info.nclusters > 0);
		CHECK_STR(info.trained, "test");
		CHECK_STR(tagger_label_name(t2, 0), "O");
		tagger_ws_free(ws2);
		tagger_free(t2);
		t2 = NULL;
	}
	/* a "sentence" longer than TAGGER_WINDOW is tagged window by window:
	 * the same labels and spans (offsets shifted) as tagging each window */
	{
		const uint32_t N = 2 * TAGGER_WINDOW + 500;
		tagger_tok *tok = malloc(N * sizeof(*tok));
		uint32_t *la = malloc(N * sizeof(*la)), *lb = malloc(N * sizeof(*lb));
		tagger_span *sa = malloc(N * sizeof(*sa)), *sb = malloc(N * sizeof(*sb));
		uint32_t na = 0, nb = 0, k;
		CHECK(tok && la && lb && sa && sb);
		for (uint32_t i = 0; tok && i < N; i++)
			tok[i].s = conll_token(c, i % c->nrow, &tok[i].len);
		if (tok && la && lb && sa && sb) {
			CHECK(tagger_tag(t, ws, tok, N, la, sa, &na, &e) == 0);
			CHECK(na > 2);
			for (uint32_t w = 0; w < N; w += TAGGER_WINDOW) {
				uint32_t m = N - w < TAGGER_WINDOW ? N - w : TAGGER_WINDOW;
				CHECK(tagger_tag(t, ws, tok + w, m, lb + w, sb + nb, &k, &e) == 0);
				for (uint32_t j = 0; j < k; j++)
					sb[nb + j].first += w, sb[nb + j].last += w;
				nb += k;
			}
			CHECK(memcmp(la, lb, N * sizeof(*la)) == 0);
			CHECK(na == nb);
			int same = na == nb;
			for (uint32_t j = 0; j < na && same; j++)
				same = sa[j].first == sb[j].first && sa[j].last == sb[j].last &&
				       sa[j].type == sb[j].type && sa[j].score == sb[j].score &&
				       sa[j].last <= N;
			CHECK(same);
		}
		free(tok), free(la), free(lb), free(sa), free(sb);
	}
	tagger_ws_free(ws);
	/* damaged files are refused */
	size_t n;
	unsigned char *data = read_file(path, &n);
	CHECK(data && n > 100);
	if (data) {
		for (size_t cut = 0; cut < n; cut += n / 7 + 1) {
			CHECK(write_file(bad, data, cut) == 0);
			CHECK(tagger_load(bad, &t2, &e) != 0 && t2 == NULL);
		}
		unsigned char *copy = malloc(n);
		for (int k = 0; k < 5 && copy; k++) {
			memcpy(copy, data, n);
			copy[n / 2 + (size_t)k * 7 % (n / 3)] ^= 0x5A;
			CHECK(write_file(bad, copy, n) == 0);
			CHECK(tagger_load(bad, &t2, &e) != 0 && t2 == NULL);
		}
		free(copy);
		free(data);
	}
	CHECK(write_file(bad, "hello world\n", 12) == 0);
	CHECK(tagger_load(bad, &t2, &e) != 0 && t2 == NULL);
	/* a valid container of another kind */
	model_sec sec = { "TMTA", (unsigned char *)"x", 1 };
	CHECK(model_write(bad, "classifier", &sec, 1, &e) == 0);
	CHECK(tagger_load(bad, &t2, &e) == ERR_MODEL && t2 == NULL);
	/* a tagger container with damaged sections */
	unsigned char junk[8] = { 1, 0, 0, 0, 99, 0, 0, 0 };
	model_sec sec2 = { "TMTA", junk, sizeof(junk) };
	CHECK(model_write(bad, "tagger", &sec2, 1, &e) == 0);
	CHECK(tagger_load(bad, &t2, &e) == ERR_MODEL && t2 == NULL);
	CHECK(tagger_load("/nonexistent/model.evm", &t2, &e) != 0);
out:
	unlink(path);
	unlink(gpath);
	unlink(bad);
	rmdir(dir);
	tagger_free(t);
	conll_free(c);
}

static void test_gazetteer(void)
{
	gaz_t *g = NULL;
	err_t e = { 0 };

	CHECK(gaz_parse("g.csv", gaz_csv, strlen(gaz_csv), &g, &e) == 0);
	if (!g)
		return;
	CHECK_STR(gaz_lookup(g, "Russian", 7), "RUS");
	CHECK_STR(gaz_lookup(g, "Armenia", 7), "ARM");
	CHECK_STR(gaz_lookup(g, "the United States", 17), "USA");
	CHECK_STR(gaz_lookup(g, "Russian President Vladimir Putin", 32), "RUS");
	CHECK_STR(gaz_lookup(g, "U.S. officials", 14), "USA");
	CHECK_STR(gaz_lookup(g, "ARMENIA'S army", 14), "ARM");
	CHECK(gaz_lookup(g, "let us go", 9) == NULL); /* "us" is not "US" */
	CHECK(gaz_lookup(g, "nothing here", 12) == NULL);
	/* longest match: "United States of America" over "United States" */
	tfeat_tok tok[6] = { { "the", 3 }, { "United", 6 }, { "States", 6 },
			     { "of", 2 }, { "America", 7 }, { "said", 4 } };
	gaz_match m[4];
	CHECK(gaz_find(g, tok, 6, m, 4) == 1);
	CHECK(m[0].first == 1 && m[0].last == 5);
	uint8_t tags[6];
	gaz_tag(g, tok, 6, tags);
	CHECK(tags[0] == 0 && tags[1] == GAZ_TAG_B_ALT && tags[4] == GAZ_TAG_I_ALT && tags[5] == 0);
	/* round trip through a buffer */
	buf_t b;
	rd_t r;
	buf_init(&b);
	gaz_save(g, &b);
	rd_init(&r, b.data, b.len);
	gaz_t *g2 = gaz_load(&r);
	CHECK(g2 && rd_ok(&r) && gaz_size(g2) == gaz_size(g));
	if (g2)
		CHECK_STR(gaz_lookup(g2, "British troops", 14), "GBR");
	gaz_free(g2);
	rd_init(&r, b.data, b.len / 2);
	CHECK(gaz_load(&r) == NULL);
	buf_free(&b);
	gaz_free(g);
	/* malformed CSV */
	CHECK(gaz_parse("bad.csv", "CCA2,Name,CCA3,Nationality\nAM,Armenia\n", 39, &g, &e) == ERR_FORMAT);
	CHECK(strstr(e.msg, "bad.csv:2:") != NULL);
	CHECK(gaz_parse("bad.csv", "AM,Armenia,ARM,\"Armenian\n", 25, &g, &e) == ERR_FORMAT);
	CHECK(gaz_parse("empty.csv", "", 0, &g, &e) == ERR_EMPTY);
}

/* Word-vector clusters: the table read from a cluster file, the vc
 * features (stable keys, one "none" for a word the vectors lack), and a
 * model with the table compiled in: saved, loaded, same tags, and saving
 * twice gives the same bytes. */
static const char *vc_file =
	"# test clusters\n"
	"word\tc4\tc16\n"
	"paris\t1\t5\n"
	"london\t1\t5\n"
	"john\t2\t9\n"
	"mary\t2\t9\n"
	"the\t0\t0\n"
	"paris\t3\t3\n"; /* a repeated word: its first line counts */

static void test_vclusters(void)
{
	char dir[] = "/tmp/evtag-test-XXXXXX";
	char path[256], mpath[256], mpath2[256];
	tagger_vclusters *vc = NULL;
	err_t e = { 0 };
	uint16_t ids[TFEAT_VC_MAX_LEVELS];

	if (!mkdtemp(dir))
		return;
	snprintf(path, sizeof(path), "%s/vc.tsv", dir);
	snprintf(mpath, sizeof(mpath), "%s/m.evm", dir);
	snprintf(mpath2, sizeof(mpath2), "%s/m2.evm", dir);
	CHECK(write_file(path, vc_file, strlen(vc_file)) == 0);
	uint32_t lv[2] = { 16, 4 }, bad[1] = { 99 };
	CHECK(tagger_vc_read(path, bad, 1, 0, &vc, &e) == ERR_ARG && vc == NULL);
	CHECK(strstr(e.msg, "c99") != NULL);
	CHECK(tagger_vc_read(path, lv, 2, 0, &vc, &e) == 0 && vc);
	if (!vc)
		goto out;
	CHECK(vc->n == 5 && vc->nlev == 2 && vc->k[0] == 16 && vc->k[1] == 4);
	tagger_vc_get(vc, tagger_vc_key("Paris", 5), ids);
	CHECK(ids[0] == 6 && ids[1] == 2); /* ids + 1, case folded, first line */
	tagger_vc_get(vc, tagger_vc_key("Pashinyan", 9), ids);
	CHECK(ids[0] == 0 && ids[1] == 0);
	tagger_vc_free(vc);
	vc = NULL;
	/* top: only the first words */
	CHECK(tagger_vc_read(path, lv, 1, 2, &vc, &e) == 0 && vc && vc->n == 2);
	tagger_vc_free(vc);
	vc = NULL;

	/* features: London and Paris share their clusters, so their vc keys
	 * are the same; two unknown words give the same single "none" key */
	{
		tfeat_tok tok[4] = { { "Paris", 5 }, { "London", 6 }, { "Pashinyan", 9 }, { "Aliyev", 6 } };
		uint16_t v[4 * 2] = { 6, 2, 6, 2, 0, 0, 0, 0 };
		tfeat_layers ly = { .vc = v, .vclev = 2 };
		uint64_t m = (uint64_t)1 << TF_VC;
		tfeat_ws ws = { 0 };
		CHECK(tfeat_extract(m, tok, 4, &ly, &ws) == 0);
		CHECK(ws.off[1] - ws.off[0] == 2 && ws.off[3] - ws.off[2] == 1);
		CHECK(ws.keys[ws.off[0]] == ws.keys[ws.off[1]]);
		CHECK(ws.keys[ws.off[0] + 1] == ws.keys[ws.off[1] + 1]);
		CHECK(ws.keys[ws.off[0]] != ws.keys[ws.off[0] + 1]);
		CHECK(ws.keys[ws.off[2]] == ws.keys[ws.off[3]]);
		uint64_t keys[8];
		size_t nk = ws.nkeys;
		memcpy(keys, ws.keys, nk * sizeof(*keys));
		/* same input, same ids; the string mode gives the same keys */
		CHECK(tfeat_extract_strings(m | (uint64_t)1 << TF_VCM1, tok, 4, &ly, &ws) == 0);
		CHECK(tfeat_extract(m, tok, 4, &ly, &ws) == 0);
		CHECK(ws.nkeys == nk && memcmp(keys, ws.keys, nk * sizeof(*keys)) == 0);
		CHECK(tfeat_extract_strings(m | (uint64_t)1 << TF_VCM1, tok, 4, &ly, &ws) == 0);
		int found = 0;
		for (size_t k = 0; k < ws.nkeys; k++) {
			const char *s = ws.str + ws.soff[k];
			found |= strcmp(s, "vc=0:5") == 0 ? 1 : 0;
			found |= strcmp(s, "vc=1:1") == 0 ? 2 : 0;
			found |= strcmp(s, "vc=none") == 0 ? 4 : 0;
			found |= strcmp(s, "vc-1=<s>") == 0 ? 8 : 0;
		}
		CHECK(found == 15);
		/* without the layer, the vc templates give nothing */
		CHECK(tfeat_extract(m, tok, 4, NULL, &ws) == 0 && ws.nkeys == 0);
		tfeat_ws_free(&ws);
	}

	/* a model with vector clusters */
	conll_corpus *c = NULL;
	tagger_t *t = NULL, *t2 = NULL;
	tagger_train_opts o;
	tagger_train_stats st;
	CHECK(conll_parse("tiny", tiny, strlen(tiny), CONLL_TAGS, &c, &e) == 0);
	if (!c)
		goto out;
	tagger_train_defaults(&o);
	o.threads = 1;
	o.c2 = 0.01;
	o.max_iter = 50;
	CHECK(tfeat_parse_templates("default,vc,vc-1,vc+1", &o.templates, &e) == 0);
	o.vclusters = path;
	o.trained = "test";
	CHECK(tagger_train(&o, c, c, &t, NULL, NULL, &st, &e) == 0);
	if (!t) {
		fprintf(stderr, "train: %s\n", e.msg);
		conll_free(c);
		goto out;
	}
	tagger_info info;
	tagger_get_info(t, &info);
	CHECK(info.nvclusters == 5);
	CHECK(tagger_save(t, mpath, &e) == 0);
	CHECK(tagger_save(t, mpath2, &e) == 0);
	size_t n1, n2;
	unsigned char *d1 = read_file(mpath, &n1), *d2 = read_file(mpath2, &n2);
	CHECK(d1 && d2 && n1 == n2 && memcmp(d1, d2, n1) == 0);
	free(d1);
	free(d2);
	CHECK(tagger_load(mpath, &t2, &e) == 0);
	if (t2) {
		uint32_t lab1[64], lab2[64], ns1[8], ns2[8];
		tagger_span sp1[64], sp2[64];
		tagger_ws *w1 = tagger_ws_new(t), *w2 = tagger_ws_new(t2);
		CHECK(tag_corpus(t, w1, c, lab1, sp1, ns1) == 0);
		CHECK(tag_corpus(t2, w2, c, lab2, sp2, ns2) == 0);
		CHECK(memcmp(lab1, lab2, c->nrow * sizeof(*lab1)) == 0);
		CHECK(memcmp(ns1, ns2, c->nsent * sizeof(*ns1)) == 0);
		tagger_get_info(t2, &info);
		CHECK(info.nvclusters == 5);
		CHECK(t2->vc && t2->vc->nlev == 2 && t2->vc->k[0] == 4 && t2->vc->k[1] == 16);
		tagger_vc_get(t2->vc, tagger_vc_key("LONDON", 6), ids);
		CHECK(ids[0] == 2 && ids[1] == 6);
		tagger_ws_free(w1);
		tagger_ws_free(w2);
		tagger_free(t2);
	}
	conll_free(c);
	tagger_free(t);
out:
	unlink(path);
	unlink(mpath);
	unlink(mpath2);
	rmdir(dir);
}

/* A title between a title and a name joins them; other gaps do not. */
static void test_join_spans(void)
{
	tagger_tok tok[9] = { { "Prime", 5 }, { "Minister", 8 }, { "Nikol", 5 },
			      { "Pashinyan", 9 }, { "and", 3 }, { "Putin", 5 },
			      { "X-2", 3 }, { "Lavrov", 6 }, { "Moscow", 6 } };
	tagger_span sp[5] = { { 0, 1, 0, 0.6f }, { 2, 4, 0, 0.5f }, { 5, 6, 0, 0.9f },
			      { 7, 8, 0, 0.8f }, { 8, 9, 1, 0.9f } };
	uint32_t ns = tagger_join_spans(tok, 9, 0, sp, 5);
	CHECK(ns == 4);
	CHECK(sp[0].first == 0 && sp[0].last == 4 && sp[0].score == 0.5f);
	CHECK(sp[1].first == 5 && sp[1].last == 6); /* "and": lowercase */
	CHECK(sp[2].first == 7 && sp[2].last == 8); /* "X-2": not letters */
	CHECK(sp[3].first == 8 && sp[3].type == 1);
	/* another type is left alone */
	tagger_span sp2[2] = { { 0, 1, 1, 1 }, { 2, 4, 1, 1 } };
	CHECK(tagger_join_spans(tok, 9, 0, sp2, 2) == 2);
	CHECK(tagger_join_spans(tok, 9, 0, sp2, 0) == 0);
}

static void test_features(void)
{
	tfeat_ws ws = { 0 };
	tfeat_tok tok[3] = { { "The", 3 }, { "U.N.", 4 }, { "said", 4 } };
	uint64_t mask = tfeat_default_entities();
	err_t e = { 0 };

	CHECK(tfeat_extract(mask, tok, 3, NULL, &ws) == 0);
	size_t nk = ws.nkeys;
	uint64_t k0 = ws.keys[0];
	CHECK(nk > 30);
	CHECK(tfeat_extract_strings(mask, tok, 3, NULL, &ws) == 0);
	CHECK(ws.nkeys == nk);
	CHECK(ws.keys[0] == k0);
	int found = 0;
	for (size_t k = 0; k < ws.nkeys; k++) {
		const char *s = ws.str + ws.soff[k];
		found |= strcmp(s, "lw-1=the") == 0 ? 1 : 0;
		found |= strcmp(s, "shape=X.X.") == 0 ? 2 : 0;
		found |= strcmp(s, "bi+1=u.n.|said") == 0 ? 4 : 0;
	}
	CHECK(found == 7);
	/* same word, same key; keys differ across templates */
	tfeat_tok a[1] = { { "Paris", 5 } };
	CHECK(tfeat_extract((uint64_t)1 << TF_W, a, 1, NULL, &ws) == 0);
	uint64_t kw = ws.keys[0];
	CHECK(tfeat_extract((uint64_t)1 << TF_LW, a, 1, NULL, &ws) == 0);
	CHECK(ws.keys[0] != kw);
	CHECK(tfeat_extract(mask, tok, 0, NULL, &ws) == 0 && ws.nkeys == 0);
	uint64_t m2;
	CHECK(tfeat_parse_templates("w,lw-1,suf", &m2, &e) == 0);
	CHECK(m2 == (((uint64_t)1 << TF_W) | ((uint64_t)1 << TF_LWM1) | ((uint64_t)1 << TF_SUF)));
	CHECK(tfeat_parse_templates("default,-w", &m2, &e) == 0 && !(m2 & ((uint64_t)1 << TF_W)));
	CHECK(tfeat_parse_templates("w,nosuch", &m2, &e) == ERR_ARG);
	CHECK(strstr(e.msg, "nosuch") != NULL);
	/* the event verb's side and voice, and the passive agent after "by" */
	{
		tfeat_tok sent[7] = { { "Soldiers", 8 }, { "were", 4 }, { "killed", 6 },
				      { "by", 2 }, { "Taliban", 7 }, { "militants", 9 }, { ".", 1 } };
		uint8_t lex[7] = { 0, 0, 3, 0, 0, 0, 0 };
		tfeat_layers ly = { .lex = lex, .lex_report = 1 };
		uint64_t m3 = ((uint64_t)1 << TF_EV_SIDE) | ((uint64_t)1 << TF_EV_W) |
			      ((uint64_t)1 << TF_BYAG);
		CHECK(tfeat_extract_strings(m3, sent, 7, &ly, &ws) == 0);
		int seen = 0;
		for (uint32_t t = 0; t < 7; t++)
			for (uint32_t k = ws.off[t]; k < ws.off[t + 1]; k++) {
				const char *f = ws.str + ws.soff[k];
				if (t == 0 && strcmp(f, "ev.side=before|passive") == 0)
					seen |= 1;
				if (t == 0 && strcmp(f, "ev.w=killed|before") == 0)
					seen |= 2;
				if (t == 4 && strcmp(f, "byagent=1|passive") == 0)
					seen |= 4;
				if (t == 5 && strcmp(f, "byagent=2|passive") == 0)
					seen |= 8;
				if (t < 4 && strncmp(f, "byagent=", 8) == 0)
					seen |= 16; /* none before "by" */
			}
		CHECK(seen == 15);
		/* a reporting verb (lex value 1) is not the event verb */
		tfeat_tok rep[4] = { { "Police", 6 }, { "said", 4 }, { "rebels", 6 }, { "attacked", 8 } };
		uint8_t lx2[4] = { 0, 1, 0, 3 };
		ly.lex = lx2;
		CHECK(tfeat_extract_strings(m3, rep, 4, &ly, &ws) == 0);
		int found2 = 0;
		for (uint32_t k = ws.off[2]; k < ws.off[3]; k++)
			found2 |= strcmp(ws.str + ws.soff[k], "ev.side=before|active") == 0;
		CHECK(found2);
	}
	for (int i = 0; i < TF_NTEMPLATES; i++) {
		const char *nm = tfeat_template_name(i);
		CHECK(nm && tfeat_template_doc(i) && tfeat_template_id(nm, strlen(nm)) == i);
	}
	tfeat_ws_free(&ws);
}

static void test_empty_and_errors(void)
{
	conll_corpus *c = NULL;
	tagger_t *t = NULL;
	tagger_train_opts o;
	err_t e = { 0 };

	CHECK(conll_parse("empty", "", 0, CONLL_TAGS, &c, &e) == 0);
	tagger_train_defaults(&o);
	CHECK(tagger_train(&o, c, NULL, &t, NULL, NULL, NULL, &e) == ERR_EMPTY && !t);
	conll_free(c);
	CHECK(conll_parse("tiny", tiny, strlen(tiny), CONLL_TAGS, &c, &e) == 0);
	o.gazetteer = "/nonexistent/countries.csv";
	CHECK(tagger_train(&o, c, NULL, &t, NULL, NULL, NULL, &e) == ERR_IO && !t);
	o.gazetteer = NULL;
	o.threads = 0;
	CHECK(tagger_train(&o, c, NULL, &t, NULL, NULL, NULL, &e) == ERR_ARG && !t);
	/* a model tags an empty sentence */
	tagger_train_defaults(&o);
	o.max_iter = 30;
	CHECK(tagger_train(&o, c, NULL, &t, NULL, NULL, NULL, &e) == 0);
	if (t) {
		tagger_ws *ws = tagger_ws_new(t);
		uint32_t ns = 7;
		CHECK(tagger_tag(t, ws, NULL, 0, NULL, NULL, &ns, &e) == 0 && ns == 0);
		tagger_ws_free(ws);
	}
	tagger_free(t);
	conll_free(c);
}

/* Role templates with a verb lexicon, a held-out part for early stopping
 * and a refit on everything. */
static void test_roles_holdout(void)
{
	static const char *roles =
		"Police\tB-SOURCE\narrested\tO\nthe\tB-TARGET\nsuspect\tI-TARGET\n.\tO\n\n"
		"Rebels\tB-SOURCE\nattacked\tO\nthe\tB-TARGET\ntown\tI-TARGET\n.\tO\n\n"
		"The\tB-SOURCE\narmy\tI-SOURCE\nshelled\tO\nRebels\tB-TARGET\n.\tO\n\n"
		"Police\tB-SOURCE\nattacked\tO\nprotesters\tB-TARGET\n.\tO\n\n"
		"Russia\tB-SOURCE\naccused\tO\nUkraine\tB-TARGET\n.\tO\n\n"
		"Ukraine\tB-SOURCE\naccused\tO\nRussia\tB-TARGET\n.\tO\n";
	static const char *lex =
		"arrested\t173\tCOERCE\tMATERIAL_CONFLICT\n"
		"attacked\t190\tASSAULT\tMATERIAL_CONFLICT\n"
		"shelled\t194\tASSAULT\tMATERIAL_CONFLICT\n"
		"accused\t112\tACCUSE\tVERBAL_CONFLICT\n";
	char dir[] = "/tmp/evtag-test-XXXXXX", lpath[256];
	conll_corpus *c = NULL;
	tagger_t *t = NULL;
	tagger_train_opts o;
	tagger_train_stats st;
	err_t e = { 0 };

	if (!mkdtemp(dir))
		return;
	snprintf(lpath, sizeof(lpath), "%s/lex.tsv", dir);
	CHECK(write_file(lpath, lex, strlen(lex)) == 0);
	CHECK(conll_parse("roles", roles, strlen(roles), CONLL_TAGS, &c, &e) == 0);
	tagger_train_defaults(&o);
	CHECK(tfeat_parse_templates("roles,lvl,lvr,nvl", &o.templates, &e) == 0);
	o.lexicon = lpath;
	o.c2 = 0.01;
	o.holdout = 0.4;
	o.refit = 1;
	o.seed = 2;
	int rc = tagger_train(&o, c, NULL, &t, NULL, NULL, &st, &e);
	if (rc)
		fprintf(stderr, "holdout training: %s\n", e.msg);
	CHECK(rc == 0 && t != NULL);
	CHECK(st.best_iter >= 1 && st.nsentences == 6);
	if (t) {
		tagger_info info;
		tagger_get_info(t, &info);
		CHECK(info.nlexicon == 4);
		/* the refit ran at most the held-out run's best iteration count */
		CHECK(st.iterations >= 1 && st.iterations <= st.best_iter);
		tagger_ws *ws = tagger_ws_new(t);
		uint32_t lab[64], ns[8];
		tagger_span sp[64];
		CHECK(tag_corpus(t, ws, c, lab, sp, ns) == 0);
		tagger_ws_free(ws);
	}
	tagger_free(t);
	t = NULL;
	/* holding out everything or nothing is refused */
	o.holdout = 0.999;
	CHECK(tagger_train(&o, c, NULL, &t, NULL, NULL, NULL, &e) == ERR_ARG && !t);
	unlink(lpath);
	rmdir(dir);
	conll_free(c);
}

/* Tokens of a sentence given as words separated by single spaces (the
 * words point into a copy the caller keeps). */
static uint32_t words(char *s, tagger_tok *tok, uint32_t max)
{
	uint32_t n = 0;
	for (char *p = strtok(s, " "); p && n < max; p = strtok(NULL, " ")) {
		tok[n].s = p;
		tok[n].len = (uint32_t)strlen(p);
		n++;
	}
	return n;
}

/* A sentence, its lexicon classes (a digit under each word: 1 an event
 * verb, 2 a reporting verb) and the actor the promotion rule should find. */
typedef struct actor_case {
	const char *text, *verbs;
	int found;
	uint32_t first, last;
} actor_case;

/* Each case through tagger_find_subject, or with passive through
 * tagger_find_actor; *nsub: how many of the latter find an actor that
 * tagger_find_subject finds as well (an active verb's subject). */
static void check_actors(const actor_case *cases, size_t nc, int passive, size_t *nsub)
{
	for (size_t k = 0; k < nc; k++) {
		char text[256], v[256];
		tagger_tok tok[32], vt[32];
		uint8_t lex[32];
		uint32_t f = 99, l = 99, f2, l2;
		snprintf(text, sizeof(text), "%s", cases[k].text);
		snprintf(v, sizeof(v), "%s", cases[k].verbs);
		uint32_t n = words(text, tok, 32), nv = words(v, vt, 32);
		CHECK(n == nv);
		for (uint32_t i = 0; i < nv; i++)
			lex[i] = (uint8_t)(vt[i].s[0] - '0');
		int got = passive ? tagger_find_actor(tok, n, lex, 2, 0, 1, NULL, NULL, &f, &l)
				  : tagger_find_subject(tok, n, lex, 2, 0, NULL, NULL, &f, &l);
		CHECK(got == cases[k].found);
		if (got != cases[k].found || (got && (f != cases[k].first || l != cases[k].last)))
			fprintf(stderr, "actor of '%s': %d [%u, %u)\n", cases[k].text, got, f, l);
		if (got)
			CHECK(f == cases[k].first && l == cases[k].last);
		if (passive && got && tagger_find_subject(tok, n, lex, 2, 0, NULL, NULL, &f2, &l2) &&
		    f2 == f && l2 == l)
			(*nsub)++;
	}
}

/* The promotion rule's subject: the name before a lexicon verb. */
static void test_find_subject(void)
{
	static const actor_case cases[] = {
		{ "In a bid to ease tensions , Kremlin cited Russian President Vladimir Putin",
		  "0 0 0 0 1 0 0 0 2 0 0 0 0", 1, 7, 8 },
		/* event verbs before reporting verbs (2); not a passive's subject */
		{ "Police say rebels attacked the town", "0 2 0 1 0 0", 1, 2, 3 },
		{ "Officials say the militants were killed", "0 2 0 0 0 1", 1, 0, 1 },
		{ "Armenia was invited", "0 0 1", 0, 0, 0 },
		{ "the militants were shot", "0 0 0 1", 0, 0, 0 },
		{ "a Marine was killed", "0 0 1 1", 0, 0, 0 }, /* "was" is no verb */
		{ "America is leading the battle", "0 0 1 0 0", 1, 0, 1 },
		/* a noun after a determiner and a name is no verb */
		{ "resolve the Armenia-Azerbaijan conflict", "1 0 0 1", 0, 0, 0 },
		{ "the Kremlin accused Kiev", "0 0 1 0", 1, 0, 2 },
		{ "The Russian Foreign Ministry has also accused Ukraine", "0 0 0 0 0 0 1 0", 1, 0, 4 },
		{ "Iraqi police reportedly arrested three men", "0 0 0 1 0 0", 1, 0, 2 },
		{ "The Ministry of Defence said", "0 0 0 0 2", 1, 0, 4 },
		/* a name may end in a lexicon word ("state") */
		{ "The Islamic State attacked the town", "0 0 3 1 0 0", 1, 0, 3 },
		{ "the leader of Hamas said", "0 0 0 0 2", 0, 0, 0 },
		{ "Talks in Moscow ended", "1 0 0 1", 0, 0, 0 },
		{ "He said", "0 1", 0, 0, 0 },
		{ "Kremlin Cited", "0 1", 0, 0, 0 }, /* a capitalised "verb" is a name */
		{ "Putin", "0", 0, 0, 0 },
		/* a short phrase after "at", "in", "of", "from" is taken with
		 * its head, the subject as a whole */
		{ "Armenian officials at the region said on October 5", "0 0 0 0 0 2 0 0 0",
		  1, 0, 5 },
		{ "A court in Istanbul has lifted a travel ban", "0 0 0 0 0 1 0 0 0", 1, 0, 4 },
		{ "Authorities in Greece have also sent riot police", "0 0 0 0 0 1 0 0", 1, 0, 3 },
		{ "The Chinese Embassy in Nigeria is working", "0 0 0 0 0 0 1", 1, 0, 5 },
		/* a possessive noun phrase whose head is an actor noun, past an
		 * adverb (the tokenizer splits off the curly 's) */
		{ "But Azerbaijan \xe2\x80\x99s prosecutor general \xe2\x80\x99s office reportedly said that",
		  "0 0 0 0 0 0 0 0 2 0", 1, 1, 7 },
		{ "Russia 's army has repeatedly shelled the town", "0 0 0 0 0 1 0 0", 1, 0, 3 },
		/* lowercase words between the possessive and the head, only
		 * after a name's possessive and never a verb form */
		{ "Iran 's top nuclear official says", "0 0 0 0 0 2", 1, 0, 5 },
		{ "Pakistan 's foreign ministry spokesman said", "0 0 0 0 0 2", 1, 0, 5 },
		{ "the country 's top official says", "0 0 0 0 0 2", 1, 4, 5 },
		{ "Iran 's armed official says", "0 0 0 0 2", 1, 3, 4 },
		{ "Iran 's top new civil nuclear official says", "0 0 0 0 0 0 0 2", 1, 6, 7 },
		/* no actor heads the phrase, a verb or a clause boundary stops it,
		 * a passive stays one */
		{ "The talks at the region ended", "0 0 0 0 0 1", 0, 0, 0 },
		{ "Officials in the town that attacked said", "0 0 0 0 0 1 2", 0, 0, 0 },
		{ "Officials in the town , Kabul said", "0 0 0 0 0 0 2", 1, 5, 6 },
		{ "Officials in the town were shot", "0 0 0 0 0 1", 0, 0, 0 },
		{ "Officials in the very long winding town said", "0 0 0 0 0 0 0 2", 0, 0, 0 },
		/* no verb form in the phrase, no "a" opening it, no determiner
		 * closing it */
		{ "Russia accused Ukraine of siphoning oil", "0 0 0 0 0 1", 0, 0, 0 },
		{ "Officials accused Ukraine of siphoning off gas", "0 1 0 0 0 0 2", 1, 0, 1 },
		{ "Russia has accused Ukraine of siphoning gas", "0 0 0 0 0 0 1", 0, 0, 0 },
		{ "The Office in a statement said", "0 0 0 0 0 2", 0, 0, 0 },
		{ "Police punched Robert Davis in the face", "0 0 0 0 0 0 1", 0, 0, 0 },
		/* across a phrase the verb must show tense or number, or follow
		 * an auxiliary */
		{ "Officials in Caracas say", "0 0 0 2", 0, 0, 0 },
		{ "Officials in Caracas have said", "0 0 0 0 2", 1, 0, 3 },
		{ "Officials in Caracas says", "0 0 0 2", 1, 0, 3 },
		/* a possessive split in two tokens, as some corpora write it */
		{ "Turkey ' s president says", "0 0 0 0 2", 1, 0, 4 },
	};
	size_t nsub = 0;
	check_actors(cases, sizeof(cases) / sizeof(cases[0]), 0, &nsub);
	/* event_only: no subject of a reporting verb */
	{
		char text[] = "Officials say the militants were killed";
		tagger_tok tok[8];
		uint8_t lex[8] = { 0, 2, 0, 0, 0, 1 };
		uint32_t n = words(text, tok, 8), f, l;
		CHECK(tagger_find_subject(tok, n, lex, 2, 1, NULL, NULL, &f, &l) == 0);
	}
	/* no lexicon, no subject */
	tagger_tok one[2] = { { "Putin", 5 }, { "said", 4 } };
	uint32_t f, l;
	CHECK(tagger_find_subject(one, 2, NULL, 0, 0, NULL, NULL, &f, &l) == 0);
	/* an entity label (+1, > 1 inside an entity) makes a lowercase word a name */
	tagger_tok low[2] = { { "kremlin", 7 }, { "said", 4 } };
	uint8_t lx[2] = { 0, 1 }, ent[2] = { 2, 1 };
	CHECK(tagger_find_subject(low, 2, lx, 0, 0, NULL, NULL, &f, &l) == 0);
	CHECK(tagger_find_subject(low, 2, lx, 0, 0, NULL, ent, &f, &l) == 1 && f == 0 && l == 1);

	/* with passive: a passive verb's "by" agent, as an active verb's
	 * subject is; tagger_find_subject never takes it */
	static const actor_case pas[] = {
		{ "The Russian building was demolished by a Ukrainian protestor .",
		  "0 0 0 0 1 0 0 0 0 0", 1, 6, 9 },
		{ "three people were killed by Taliban militants", "0 0 0 1 0 0 0", 1, 5, 7 },
		{ "a missile believed to be fired by pro - Russia rebels .",
		  "0 0 0 0 0 1 0 0 0 0 0 0", 1, 7, 11 },
		{ "he has been indicted by the International War Crimes Tribunal for his part",
		  "0 0 0 1 0 0 0 0 0 0 0 0 0", 1, 5, 10 },
		{ "the talks were hosted by the Ministry of Defence", "0 0 0 1 0 0 0 0 0", 1, 5, 9 },
		{ "the town was shelled by Russia 's army", "0 0 0 1 0 0 0 0", 1, 5, 8 },
		{ "the town was shelled heavily by rebels", "0 0 0 1 0 0 0", 1, 6, 7 },
		/* each verb in order: the event verb's agent before the reporter */
		{ "Rebels were shot by police , officials said", "0 0 1 0 0 0 0 2", 1, 4, 5 },
		/* an active verb's subject comes first where it is earlier */
		{ "Police arrested men who were attacked by rebels", "0 1 0 0 0 1 0 0", 1, 0, 1 },
		/* no agent: no name or actor noun, an -ing word, no "by", not
		 * passive, a number */
		{ "the house was destroyed by a roadside bomb", "0 0 0 1 0 0 0 0", 0, 0, 0 },
		{ "the crowd was dispersed by using force", "0 0 0 1 0 0 0", 0, 0, 0 },
		{ "Armenia was invited to the talks", "0 0 1 0 0 0", 0, 0, 0 },
		{ "the tax was raised by 10 percent", "0 0 0 1 0 0 0", 0, 0, 0 },
		{ "they stood by Taliban fighters", "0 1 0 0 0", 0, 0, 0 },
	};
	/* only the case whose actor is an active verb's subject is one
	 * tagger_find_subject finds too */
	check_actors(pas, sizeof(pas) / sizeof(pas[0]), 1, &nsub);
	CHECK(nsub == 1);
}

/* Spans of type name in labels lab[n] of t: their count, the first in
 * *f, *l. */
static uint32_t spans_of(const tagger_t *t, const uint32_t *lab, uint32_t n,
			 const char *name, uint32_t *f, uint32_t *l)
{
	tagger_span sp[32];
	uint32_t ns = tagger_spans(t, lab, n, sp), c = 0;
	for (uint32_t k = 0; k < ns; k++)
		if (strcmp(tagger_type_name(t, sp[k].type), name) == 0) {
			if (c++ == 0) {
				*f = sp[k].first;
				*l = sp[k].last;
			}
		}
	return c;
}

/* The score a decoding rule gives a span it made, by brute force over
 * every labelling of the n tokens whose model scores sc[n * nlab] are
 * given: the probability that tokens [f, l) form a span of type ty, given
 * that the labels of [0, from) are keep's (keep NULL: any), the label at
 * from continues nothing (with keep), and some label of type cty stands at
 * a token >= from (cty UINT32_MAX: no such condition). */
static double brute_rule_score(const tagger_t *t, const double *sc, uint32_t n,
			       const uint32_t *keep, uint32_t from, uint32_t cty,
			       uint32_t f, uint32_t l, uint32_t ty)
{
	uint32_t L = t->nlab, y[8] = { 0 };
	double num = 0, den = 0, best = -1e300;
	if (n > 8)
		return -1;
	do {
		double s = path_score(sc, t->trans, t->endw, L, n, y);
		if (s > best)
			best = s;
	} while (next_path(y, L, n));
	do {
		int ok = 1, has = 0, span;
		for (uint32_t i = 0; keep && i < from; i++)
			ok &= y[i] == keep[i];
		if (keep && from < n)
			ok &= t->kind[y[from]] != 'I';
		for (uint32_t i = from; i < n; i++)
			has |= cty == UINT32_MAX || t->type[y[i]] == cty;
		if (!ok || !has)
			continue;
		double w = exp(path_score(sc, t->trans, t->endw, L, n, y) - best);
		den += w;
		span = t->kind[y[f]] == 'B' && t->type[y[f]] == ty;
		for (uint32_t i = f + 1; i < l; i++)
			span &= t->kind[y[i]] == 'I' && t->type[y[i]] == ty;
		if (l < n)
			span &= !(t->kind[y[l]] == 'I' && t->type[y[l]] == ty);
		if (span)
			num += w;
	} while (next_path(y, L, n));
	return den > 0 ? num / den : 0;
}

/* The promotion rule with constrained decoding: a model that tags the
 * subject into a TARGET and no SOURCE gets the subject as one SOURCE span,
 * no TARGET overlapping it and no I- label continuing it; a sentence with
 * a SOURCE is left alone; the rules survive saving and loading. */
static void test_promote(void)
{
	static const char *roles =
		"Zorba\tO\nKemal\tB-TARGET\npraised\tI-TARGET\nMilo\tI-TARGET\n.\tO\n\n"
		"Zorba\tO\nKemal\tB-TARGET\npraised\tI-TARGET\nMilo\tI-TARGET\n.\tO\n\n"
		"Rebels\tB-SOURCE\nattacked\tO\nthe\tB-TARGET\ntown\tI-TARGET\n.\tO\n\n"
		"The\tB-SOURCE\nrebels\tI-SOURCE\nattacked\tO\nthe\tB-TARGET\ntown\tI-TARGET\n.\tO\n";
	static const char *lex =
		"praised\t051\tSUPPORT\tVERBAL_COOPERATION\n"
		"attacked\t190\tASSAULT\tMATERIAL_CONFLICT\n";
	char dir[] = "/tmp/evtag-test-XXXXXX", lpath[256], mpath[256];
	conll_corpus *c = NULL;
	tagger_t *t[3] = { NULL, NULL, NULL }, *back = NULL;
	tagger_train_opts o;
	err_t e = { 0 };

	if (!mkdtemp(dir))
		return;
	snprintf(lpath, sizeof(lpath), "%s/lex.tsv", dir);
	snprintf(mpath, sizeof(mpath), "%s/m.evm", dir);
	CHECK(write_file(lpath, lex, strlen(lex)) == 0);
	CHECK(conll_parse("promote", roles, strlen(roles), CONLL_TAGS, &c, &e) == 0);
	for (int k = 0; k < 3; k++) {
		tagger_train_defaults(&o);
		CHECK(tfeat_parse_templates("roles", &o.templates, &e) == 0);
		o.lexicon = lpath;
		o.c2 = 0.01;
		o.max_iter = 60;
		o.rules = k == 0 ? 0 : k == 1 ? TAGGER_RULE_PROMOTE
					 : TAGGER_RULE_PROMOTE | TAGGER_RULE_OVERWRITE;
		CHECK(tagger_train(&o, c, NULL, &t[k], NULL, NULL, NULL, &e) == 0 && t[k]);
	}
	if (t[0] && t[1] && t[2]) {
		tagger_tok tok[5] = { { "Zorba", 5 }, { "Kemal", 5 }, { "praised", 7 },
				      { "Milo", 4 }, { ".", 1 } };
		uint32_t lab[3][5], f = 0, l = 0, tf = 0, tl = 0;
		for (int k = 0; k < 3; k++) {
			tagger_ws *ws = tagger_ws_new(t[k]);
			CHECK(tagger_tag(t[k], ws, tok, 5, lab[k], NULL, NULL, &e) == 0);
			tagger_ws_free(ws);
		}
		/* without rules: a TARGET over the subject, no SOURCE */
		CHECK(spans_of(t[0], lab[0], 5, "SOURCE", &f, &l) == 0);
		CHECK(spans_of(t[0], lab[0], 5, "TARGET", &tf, &tl) == 1 && tf == 1);
		/* promoted, decoded again: "Zorba Kemal" is the SOURCE, no
		 * TARGET overlaps it, nothing continues it */
		CHECK(spans_of(t[1], lab[1], 5, "SOURCE", &f, &l) == 1 && f == 0 && l == 2);
		uint32_t nt = spans_of(t[1], lab[1], 5, "TARGET", &tf, &tl);
		CHECK(nt == 0 || tf >= 2);
		CHECK(strcmp(tagger_label_name(t[1], lab[1][2]), "I-TARGET") != 0);
		/* overwritten: the same SOURCE, the old I-TARGET left behind
		 * now starts a span of its own */
		CHECK(spans_of(t[2], lab[2], 5, "SOURCE", &f, &l) == 1 && f == 0 && l == 2);
		CHECK(strcmp(tagger_label_name(t[2], lab[2][2]), "I-TARGET") == 0);
		/* a sentence with a SOURCE is left as the model tags it */
		tagger_tok tok2[5] = { { "Rebels", 6 }, { "attacked", 8 }, { "the", 3 },
				       { "town", 4 }, { ".", 1 } };
		uint32_t a[5], b[5];
		tagger_ws *w0 = tagger_ws_new(t[0]), *w1 = tagger_ws_new(t[1]);
		CHECK(tagger_tag(t[0], w0, tok2, 5, a, NULL, NULL, &e) == 0);
		CHECK(tagger_tag(t[1], w1, tok2, 5, b, NULL, NULL, &e) == 0);
		CHECK(memcmp(a, b, sizeof(a)) == 0);
		tagger_ws_free(w0);
		tagger_ws_free(w1);
		/* the rules are kept in the model file; the promoted SOURCE's
		 * score is P(it is the SOURCE | the sentence has a SOURCE), not
		 * the model's low marginal */
		tagger_info info;
		CHECK(tagger_save(t[1], mpath, &e) == 0);
		CHECK(tagger_load(mpath, &back, &e) == 0 && back);
		if (back) {
			tagger_get_info(back, &info);
			CHECK(info.rules == TAGGER_RULE_PROMOTE);
			tagger_ws *w = tagger_ws_new(back);
			uint32_t lb[5], ns = 0, src = 0;
			tagger_span sp[5];
			double sc[5 * TAGGER_MAX_LABELS];
			/* without spans the workspace keeps the model's scores */
			CHECK(tagger_tag(back, w, tok, 5, lb, NULL, NULL, &e) == 0);
			memcpy(sc, w->score, 5 * back->nlab * sizeof(double));
			/* without spans the rule is not scored: the same labels */
			CHECK(w->nrsp == 0);
			CHECK(memcmp(lb, lab[1], sizeof(lb)) == 0);
			CHECK(tagger_tag(back, w, tok, 5, lb, sp, &ns, &e) == 0);
			CHECK(w->nrsp > 0);
			CHECK(memcmp(lb, lab[1], sizeof(lb)) == 0);
			for (uint32_t k = 0; k < ns; k++)
				if (strcmp(tagger_type_name(back, sp[k].type), "SOURCE") == 0)
					src = k;
			CHECK(ns >= 1 && sp[src].first == 0 && sp[src].last == 2);
			uint32_t sty = sp[src].type;
			double want = brute_rule_score(back, sc, 5, NULL, 0, sty, 0, 2, sty);
			double model = brute_rule_score(back, sc, 5, NULL, 0, UINT32_MAX, 0, 2, sty);
			CHECK_NEAR(sp[src].score, want, 1e-5);
			/* the model's marginal (the score before) is far lower */
			CHECK(model < 0.5 && want > 2 * model);
			/* the other spans, all new here: their marginals given the
			 * forced SOURCE */
			for (uint32_t k = 0; k < ns; k++)
				if (k != src)
					CHECK_NEAR(sp[k].score,
						   brute_rule_score(back, sc, 5, lb, 2, UINT32_MAX,
								    sp[k].first, sp[k].last, sp[k].type), 1e-5);
			tagger_ws_free(w);
		}
		tagger_get_info(t[0], &info);
		CHECK(info.rules == 0);
	}
	/* unknown rule bits are refused */
	tagger_train_defaults(&o);
	o.rules = 32;
	CHECK(TAGGER_RULES_ALL < 32);
	tagger_t *bad = NULL;
	CHECK(tagger_train(&o, c, NULL, &bad, NULL, NULL, NULL, &e) == ERR_ARG && !bad);
	for (int k = 0; k < 3; k++)
		tagger_free(t[k]);
	tagger_free(back);
	unlink(lpath);
	unlink(mpath);
	rmdir(dir);
	conll_free(c);
}

/* Document codes (tdoc.h) and the doc template. */
static tfeat_tok *toks(const char *line, tfeat_tok *tok, uint32_t *n)
{
	*n = 0;
	for (const char *p = line; *p;) {
		const char *q = strchr(p, ' ');
		size_t l = q ? (size_t)(q - p) : strlen(p);
		tok[*n].s = p;
		tok[(*n)++].len = (uint32_t)l;
		p += l + (q ? 1 : 0);
	}
	return tok;
}

static const char *doc_tiny =
	"-DOCSTART-\tO\n\n"
	"JAPAN\tB-LOC\nWINS\tO\n\n"
	"In\tO\nTokyo\tB-LOC\n,\tO\nJapan\tB-LOC\nbeat\tO\nSyria\tB-LOC\n.\tO\n\n"
	"-DOCSTART-\tO\n\n"
	"Rain\tO\nfell\tO\non\tO\nBill\tB-PER\nClinton\tI-PER\nand\tO\nClinton\tB-PER\nleft\tO\n.\tO\n\n"
	"the\tO\nrain\tO\nstopped\tO\n.\tO\n";

static void test_doc(void)
{
	const char *lines[] = { "JAPAN WINS", "In Tokyo , Japan beat Syria .",
				"Rain fell on Bill Clinton and Clinton left .",
				"the rain stopped ." };
	tfeat_tok tok[4][16];
	uint32_t n[4];
	uint8_t codes[16], again[16];
	tdoc_t *d = tdoc_new();

	CHECK(d != NULL);
	if (!d)
		return;
	for (int k = 0; k < 4; k++) {
		toks(lines[k], tok[k], &n[k]);
		CHECK(tdoc_add(d, tok[k], n[k]) == 0);
	}
	/* a headline word spelled with a capital inside a sentence elsewhere */
	tdoc_codes(d, tok[0], n[0], codes);
	CHECK(codes[0] == 1 + 32 + 2 + 4);
	CHECK(codes[1] == 1 + 32);
	/* a capital at the start, lower case elsewhere */
	tdoc_codes(d, tok[2], n[2], codes);
	CHECK(codes[0] == 1 + 1 + 4);
	CHECK(codes[1] == 0 && codes[8] == 0);
	/* "Clinton" after "Bill" here, alone elsewhere; the other way round */
	CHECK(codes[3] == 1 && codes[4] == 1 + 2 + 4 && codes[6] == 1 + 2 + 4 + 8);
	/* same input, same codes; no document: the form alone */
	tdoc_codes(d, tok[2], n[2], again);
	CHECK(memcmp(codes, again, n[2]) == 0);
	tdoc_codes(NULL, tok[0], n[0], codes);
	CHECK(codes[0] == 1 + 32 && codes[1] == 1 + 32);
	/* an emptied document knows no word */
	tdoc_clear(d);
	tdoc_codes(d, tok[2], n[2], codes);
	CHECK(codes[0] == 1 && codes[6] == 1);

	/* the template: same codes, same keys; codes 0 and no layer: none */
	{
		uint8_t c1[16] = { 0 };
		CHECK(tdoc_add(d, tok[2], n[2]) == 0);
		tdoc_codes(d, tok[2], n[2], c1);
		tfeat_layers ly = { .doc = c1 };
		uint64_t m = (uint64_t)1 << TF_DOC;
		tfeat_ws ws = { 0 };
		CHECK(tfeat_extract(m, tok[2], n[2], &ly, &ws) == 0);
		uint64_t keys[64];
		size_t nk = ws.nkeys;
		CHECK(nk > 0 && nk <= 64);
		if (nk > 64)
			nk = 64;
		memcpy(keys, ws.keys, nk * sizeof(*keys));
		CHECK(ws.off[9] == ws.off[8]); /* ".": itself and "left" 0 */
		CHECK(tfeat_extract(m, tok[2], n[2], &ly, &ws) == 0);
		CHECK(ws.nkeys == nk && memcmp(keys, ws.keys, nk * sizeof(*keys)) == 0);
		CHECK(tfeat_extract_strings(m, tok[2], n[2], &ly, &ws) == 0);
		CHECK(ws.nkeys == nk && memcmp(keys, ws.keys, nk * sizeof(*keys)) == 0);
		CHECK_STR(ws.str + ws.soff[0], "doc=1");
		CHECK(tfeat_extract(m, tok[2], n[2], NULL, &ws) == 0 && ws.nkeys == 0);
		tfeat_ws_free(&ws);
	}
	tdoc_free(d);
	tdoc_free(NULL);

	/* a model with the doc template: -DOCSTART- blocks are its documents
	 * in training and in tagging; it saves, loads and tags the same; a
	 * sentence tagged without its document is a document of its own */
	err_t e = { 0 };
	conll_corpus *c = NULL;
	tagger_t *t = NULL, *t2 = NULL;
	tagger_train_opts o;
	tagger_train_stats st;
	char dir[] = "/tmp/evtag-doc-XXXXXX", mpath[64];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(mpath, sizeof(mpath), "%s/m.evm", dir);
	CHECK(conll_parse("doc_tiny", doc_tiny, strlen(doc_tiny), CONLL_TAGS, &c, &e) == 0);
	if (!c)
		goto out;
	CHECK(c->ndoc == 2 && c->nsent == 4);
	tagger_train_defaults(&o);
	o.threads = 1;
	o.c2 = 0.01;
	o.max_iter = 50;
	CHECK(tfeat_parse_templates("default,doc", &o.templates, &e) == 0);
	o.trained = "test";
	CHECK(tagger_train(&o, c, c, &t, NULL, NULL, &st, &e) == 0);
	if (!t)
		goto out;
	CHECK(tagger_uses_doc(t));
	CHECK(tagger_save(t, mpath, &e) == 0);
	CHECK(tagger_load(mpath, &t2, &e) == 0);
	if (t2) {
		CHECK(tagger_uses_doc(t2));
		tagger_ws *w1 = tagger_ws_new(t), *w2 = tagger_ws_new(t2);
		tdoc_t *d1 = NULL, *d2 = NULL;
		uint32_t lab1[16], lab2[16];
		for (uint32_t s = 0; s < c->nsent; s++) {
			tagger_tok tk[16];
			uint32_t m = c->sent[s].n;
			for (uint32_t i = 0; i < m; i++)
				tk[i].s = conll_token(c, c->sent[s].first + i, &tk[i].len);
			CHECK(tagger_conll_doc(t, w1, c, s, &d1, &e) == 0);
			CHECK(tagger_conll_doc(t2, w2, c, s, &d2, &e) == 0);
			CHECK(tagger_tag(t, w1, tk, m, lab1, NULL, NULL, &e) == 0);
			CHECK(tagger_tag(t2, w2, tk, m, lab2, NULL, NULL, &e) == 0);
			CHECK(memcmp(lab1, lab2, m * sizeof(*lab1)) == 0);
			/* the training corpus is learnt: the gold labels */
			for (uint32_t i = 0; i < m; i++) {
				size_t gl;
				const char *g = dict_str(c->tags, c->row[c->sent[s].first + i].tag, &gl);
				CHECK_STR(tagger_label_name(t, lab1[i]), g);
			}
		}
		CHECK(d1 != NULL && d2 != NULL);
		/* no document given: tagging still works, the sentence alone */
		tagger_ws_set_doc(w1, NULL);
		tagger_tok tk[4];
		uint32_t m;
		toks("JAPAN WINS", tk, &m);
		CHECK(tagger_tag(t, w1, tk, m, lab1, NULL, NULL, &e) == 0);
		tagger_ws_free(w1);
		tagger_ws_free(w2);
		tdoc_free(d1);
		tdoc_free(d2);
		tagger_free(t2);
	}
	/* a model without the template builds no document */
	{
		tagger_t *t3 = NULL;
		tagger_train_defaults(&o);
		o.threads = 1;
		o.max_iter = 5;
		o.trained = "test";
		CHECK(tagger_train(&o, c, c, &t3, NULL, NULL, &st, &e) == 0);
		if (t3) {
			tagger_ws *w3 = tagger_ws_new(t3);
			tdoc_t *d3 = NULL;
			CHECK(!tagger_uses_doc(t3));
			CHECK(tagger_conll_doc(t3, w3, c, 0, &d3, &e) == 0 && d3 == NULL);
			tagger_ws_free(w3);
			tagger_free(t3);
		}
	}
	tagger_free(t);
out:
	conll_free(c);
	unlink(mpath);
	rmdir(dir);
}

/* The target rule: a sentence given a SOURCE and no TARGET is decoded
 * again with B-TARGET favoured after the SOURCE; the labels up to the
 * SOURCE stay; bias 0 changes nothing; a sentence with a TARGET or without
 * a SOURCE is left alone; the rule and its bias survive saving and
 * loading; a TARGET it made is scored given what the rule asserts. */
static void test_target_rule(void)
{
	/* "attacked" is mostly followed by no TARGET, so the model alone
	 * gives none */
	static const char *roles =
		"Rebels\tB-SOURCE\nattacked\tO\nthe\tO\ntown\tO\n.\tO\n\n"
		"Rebels\tB-SOURCE\nattacked\tO\nthe\tO\ncity\tO\n.\tO\n\n"
		"Rebels\tB-SOURCE\nattacked\tO\nthe\tO\nvillage\tO\n.\tO\n\n"
		"Rebels\tB-SOURCE\nattacked\tO\nthe\tB-TARGET\narmy\tI-TARGET\n.\tO\n\n"
		"Police\tB-SOURCE\narrested\tO\nthe\tB-TARGET\nleader\tI-TARGET\n.\tO\n\n"
		"Police\tB-SOURCE\narrested\tO\nthe\tB-TARGET\nleader\tI-TARGET\n.\tO\n\n"
		"It\tO\nrained\tO\nin\tO\nthe\tO\ntown\tO\n.\tO\n";
	char dir[] = "/tmp/evtag-test-XXXXXX", mpath[256];
	conll_corpus *c = NULL;
	tagger_t *t[3] = { NULL, NULL, NULL }, *back = NULL;
	tagger_train_opts o;
	err_t e = { 0 };

	if (!mkdtemp(dir))
		return;
	snprintf(mpath, sizeof(mpath), "%s/m.evm", dir);
	CHECK(conll_parse("target", roles, strlen(roles), CONLL_TAGS, &c, &e) == 0);
	for (int k = 0; k < 3; k++) {
		tagger_train_defaults(&o);
		CHECK(o.tbias == TAGGER_TBIAS_DEFAULT);
		CHECK(tfeat_parse_templates("w,lw,bias", &o.templates, &e) == 0);
		o.c2 = 0.1;
		o.max_iter = 60;
		o.rules = k == 0 ? 0 : TAGGER_RULE_TARGET;
		o.tbias = k == 1 ? 0 : 20;
		CHECK(tagger_train(&o, c, NULL, &t[k], NULL, NULL, NULL, &e) == 0 && t[k]);
	}
	if (t[0] && t[1] && t[2]) {
		tagger_tok tok[5] = { { "Rebels", 6 }, { "attacked", 8 }, { "the", 3 },
				      { "town", 4 }, { ".", 1 } };
		uint32_t lab[3][5], f = 0, l = 0;
		for (int k = 0; k < 3; k++) {
			tagger_ws *ws = tagger_ws_new(t[k]);
			CHECK(tagger_tag(t[k], ws, tok, 5, lab[k], NULL, NULL, &e) == 0);
			tagger_ws_free(ws);
		}
		/* the model alone: the SOURCE and no TARGET; bias 0: the same */
		CHECK(spans_of(t[0], lab[0], 5, "SOURCE", &f, &l) == 1 && f == 0 && l == 1);
		CHECK(spans_of(t[0], lab[0], 5, "TARGET", &f, &l) == 0);
		CHECK(memcmp(lab[0], lab[1], sizeof(lab[0])) == 0);
		/* the rule: a TARGET after the SOURCE, the SOURCE kept */
		CHECK(spans_of(t[2], lab[2], 5, "SOURCE", &f, &l) == 1 && f == 0 && l == 1);
		CHECK(spans_of(t[2], lab[2], 5, "TARGET", &f, &l) >= 1 && f >= 1);
		CHECK(strcmp(tagger_label_name(t[2], lab[2][1]), "I-TARGET") != 0);
		/* a sentence with a TARGET, and one without a SOURCE, are left
		 * as the model tags them */
		tagger_tok tok2[5] = { { "Police", 6 }, { "arrested", 8 }, { "the", 3 },
				       { "leader", 6 }, { ".", 1 } };
		tagger_tok tok3[6] = { { "It", 2 }, { "rained", 6 }, { "in", 2 },
				       { "the", 3 }, { "town", 4 }, { ".", 1 } };
		uint32_t a[6], b[6];
		tagger_ws *w0 = tagger_ws_new(t[0]), *w2 = tagger_ws_new(t[2]);
		CHECK(tagger_tag(t[0], w0, tok2, 5, a, NULL, NULL, &e) == 0);
		CHECK(spans_of(t[0], a, 5, "TARGET", &f, &l) == 1);
		CHECK(tagger_tag(t[2], w2, tok2, 5, b, NULL, NULL, &e) == 0);
		CHECK(memcmp(a, b, 5 * sizeof(a[0])) == 0);
		CHECK(tagger_tag(t[0], w0, tok3, 6, a, NULL, NULL, &e) == 0);
		CHECK(tagger_tag(t[2], w2, tok3, 6, b, NULL, NULL, &e) == 0);
		CHECK(memcmp(a, b, sizeof(a)) == 0);
		tagger_ws_free(w0);
		tagger_ws_free(w2);
		/* kept in the model file with its bias */
		tagger_info info;
		CHECK(tagger_save(t[2], mpath, &e) == 0);
		CHECK(tagger_load(mpath, &back, &e) == 0 && back);
		if (back) {
			tagger_get_info(back, &info);
			CHECK(info.rules == TAGGER_RULE_TARGET && info.tbias == 20);
			tagger_ws *w = tagger_ws_new(back);
			uint32_t lb[5], ns = 0, nt = 0;
			tagger_span sp[5];
			double sc[5 * TAGGER_MAX_LABELS];
			/* without spans the workspace keeps the model's scores */
			CHECK(tagger_tag(back, w, tok, 5, lb, NULL, NULL, &e) == 0);
			memcpy(sc, w->score, 5 * back->nlab * sizeof(double));
			CHECK(tagger_tag(back, w, tok, 5, lb, sp, &ns, &e) == 0);
			CHECK(memcmp(lb, lab[2], sizeof(lb)) == 0);
			/* the new TARGET's score: P(it | the SOURCE kept, a TARGET
			 * after it), far above the model's own marginal; the
			 * SOURCE, made by the model, keeps its marginal */
			for (uint32_t k = 0; k < ns; k++) {
				double model = brute_rule_score(back, sc, 5, NULL, 0, UINT32_MAX,
								sp[k].first, sp[k].last, sp[k].type);
				if (strcmp(tagger_type_name(back, sp[k].type), "TARGET") != 0) {
					CHECK_NEAR(sp[k].score, model, 1e-5);
					continue;
				}
				nt++;
				double want = brute_rule_score(back, sc, 5, lb, 1, sp[k].type,
							       sp[k].first, sp[k].last, sp[k].type);
				CHECK_NEAR(sp[k].score, want, 1e-5);
				CHECK(model < 0.5 && want > 2 * model);
			}
			CHECK(nt >= 1);
			tagger_ws_free(w);
		}
		tagger_get_info(t[0], &info);
		CHECK(info.rules == 0 && info.tbias == 0);
	}
	/* a bias out of range is refused */
	tagger_train_defaults(&o);
	o.rules = TAGGER_RULE_TARGET;
	o.tbias = -1;
	tagger_t *bad = NULL;
	CHECK(tagger_train(&o, c, NULL, &bad, NULL, NULL, NULL, &e) == ERR_ARG && !bad);
	for (int k = 0; k < 3; k++)
		tagger_free(t[k]);
	tagger_free(back);
	unlink(mpath);
	rmdir(dir);
	conll_free(c);
}

/* ---- the word cache ---- */

/* Words for random sentences: frequent and rare words, case variants,
 * prefixes of each other, digits and punctuation, non-ASCII (UTF-8),
 * words longer than the cache keeps (TAGGER_WC_MAXLEN), an empty token,
 * words of the shipped models' lexicon and gazetteer. */
static const char *const wc_words[] = {
	"the", "The", "THE", "of", "in", "said", "Police", "police", "arrested",
	"attacked", "accused", "shelled", "by", "was", "were", "Paris", "Pari",
	"Parisian", "John", "Smith", "New", "York", "Russia", "Russian", "U.N.",
	"U.S.", "Iraq", "Afghanistan", "Afghan", "Taliban", "militants", ",", ".",
	";", "-", "(", ")", "\"", "1999", "12", "3.5", "well-known", "McDonald",
	"iPhone", "Zürich", "Ελλάδα", "北京", "São", "Paulo", "naïve", "a",
	"A", "I", "x", "", "Mary", "Jones", "Obama", "Obam", "Obamas",
	"supercalifragilisticexpia", "supercalifragilisticexpialidocious",
	"averyveryveryverylongwordindeed", "Internationalisation-related",
	"aaaaaaaaaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaaaaaaaab",
	"aaaaaaaaaaaaaaaaaaaaaaa", "ÄÖÜäöüßÄÖÜäöüß", "killed", "by", "Taliban",
};

static uint32_t wc_rand(uint32_t n)
{
	return (uint32_t)(urand() * n) % n;
}

/* A random word into buf (made up: letters and a capital, so that many
 * distinct words pass through the cache) or one of wc_words. */
static tagger_tok wc_word(char *buf)
{
	tagger_tok t;
	uint32_t nw = sizeof(wc_words) / sizeof(*wc_words);

	if (urand() < 0.7) {
		t.s = wc_words[wc_rand(nw)];
		t.len = (uint32_t)strlen(t.s);
		return t;
	}
	uint32_t len = 1 + wc_rand(urand() < 0.1 ? 40 : 9);
	for (uint32_t i = 0; i < len; i++)
		buf[i] = (char)('a' + wc_rand(urand() < 0.3 ? 3 : 26));
	if (urand() < 0.4)
		buf[0] = (char)(buf[0] - 32);
	t.s = buf;
	t.len = len;
	return t;
}

/* Tags n random-word sentences with t, through ws (cache) and through a
 * workspace without it, on and off with spans: labels, span scores and
 * the token scores must be the same bit for bit. Returns the sentences
 * that differ. */
static int wc_compare(const tagger_t *t, tagger_ws *ws, tagger_ws *plain,
		      uint32_t nsent, uint32_t maxlen, char *pool, tagger_tok *tok,
		      uint32_t *la, uint32_t *lb, tagger_span *sa, tagger_span *sb)
{
	int bad = 0;
	err_t e = { 0 };

	for (uint32_t s = 0; s < nsent; s++) {
		uint32_t n = 1 + wc_rand(maxlen);
		for (uint32_t i = 0; i < n; i++)
			tok[i] = wc_word(pool + (size_t)i * 48);
		int spans = s % 2;
		uint32_t na = 0, nb = 0;
		int ra = tagger_tag(t, ws, tok, n, la, spans ? sa : NULL, &na, &e);
		int rb = tagger_tag(t, plain, tok, n, lb, spans ? sb : NULL, &nb, &e);
		int same = ra == 0 && rb == 0 && memcmp(la, lb, n * sizeof(*la)) == 0 &&
			   na == nb;
		if (same && spans)
			same = memcmp(sa, sb, na * sizeof(*sa)) == 0;
		/* the last window's token scores (spans: overwritten alike) */
		uint32_t last = n > TAGGER_WINDOW ? (n - 1) % TAGGER_WINDOW + 1 : n;
		if (same)
			same = memcmp(ws->score, plain->score,
				      (size_t)last * tagger_nlabels(t) * sizeof(double)) == 0;
		bad += !same;
	}
	return bad;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* The word cache gives what tagging without it gives, for the shipped
 * models (when there) and a model trained here with every word template,
 * clusters, vector clusters, a lexicon and a gazetteer; one workspace
 * serves three taggers by turns (more than it keeps caches for); and
 * split extraction with tfeat_word_keys gives tfeat_extract's keys. */
static void test_word_cache(void)
{
	static const char *lex =
		"arrested\t173\tCOERCE\tMATERIAL_CONFLICT\n"
		"attacked\t190\tASSAULT\tMATERIAL_CONFLICT\n"
		"said\t010\tMAKE STATEMENT\tSTATEMENT\n"
		"accused\t112\tACCUSE\tVERBAL_CONFLICT\n";
	char dir[] = "/tmp/evtag-test-XXXXXX", lpath[256], gpath[256], vpath[256];
	enum { MAXN = 2500 };
	char *pool = malloc((size_t)MAXN * 48);
	tagger_tok *tok = malloc(MAXN * sizeof(*tok));
	uint32_t *la = malloc(MAXN * sizeof(*la)), *lb = malloc(MAXN * sizeof(*lb));
	tagger_span *sa = malloc(MAXN * sizeof(*sa)), *sb = malloc(MAXN * sizeof(*sb));
	tagger_t *m[3] = { NULL, NULL, NULL };
	conll_corpus *c = NULL;
	err_t e = { 0 };

	if (!pool || !tok || !la || !lb || !sa || !sb || !mkdtemp(dir)) {
		CHECK(0);
		goto out;
	}
	/* keys: split + word keys == tfeat_extract, every template, all layers */
	{
		uint64_t all;
		CHECK(tfeat_parse_templates("all", &all, &e) == 0);
		tfeat_ws fa = { 0 }, fb = { 0 };
		uint8_t gaz[64], lx[64], ent[64], doc[64];
		uint32_t cl[64];
		uint16_t vc[64 * 3];
		uint64_t h[64 * TFEAT_NH], wk[TFEAT_MAX_WORD_KEYS];
		uint8_t cnt[TF_NTEMPLATES];
		int bad = 0;
		for (int round = 0; round < 300; round++) {
			uint32_t n = 1 + wc_rand(40);
			for (uint32_t i = 0; i < n; i++) {
				tok[i] = wc_word(pool + (size_t)i * 48);
				gaz[i] = (uint8_t)wc_rand(4);
				lx[i] = urand() < 0.2 ? (uint8_t)(1 + wc_rand(3)) : 0;
				ent[i] = (uint8_t)(1 + wc_rand(5));
				doc[i] = (uint8_t)wc_rand(4);
				cl[i] = urand() < 0.2 ? 0 : (uint32_t)(1 + wc_rand(20)) << 24 | wc_rand(1 << 20);
				for (int l = 0; l < 3; l++)
					vc[i * 3 + l] = urand() < 0.2 ? 0 : (uint16_t)(1 + wc_rand(50));
				if (!vc[i * 3])
					vc[i * 3 + 1] = vc[i * 3 + 2] = 0;
				tfeat_token_hashes(&tok[i], h + (size_t)i * TFEAT_NH);
			}
			tfeat_layers ly = { .gaz = gaz, .lex = lx, .lex_report = 3, .ent = ent,
					    .cl = cl, .vc = vc, .vclev = 3, .doc = doc };
			uint64_t mask = round % 3 == 0 ? all : round % 3 == 1 ?
				tfeat_default_entities() : tfeat_default_roles();
			if (round % 5 == 4) /* layers absent */
				ly.cl = NULL, ly.vc = NULL, ly.lex = NULL;
			if (tfeat_extract(mask, tok, n, &ly, &fa) ||
			    tfeat_extract_split(mask, tok, n, &ly, h, &fb)) {
				bad++;
				continue;
			}
			/* token i's keys: its context keys, in tfeat_extract's
			 * order, and the word keys of the words its word
			 * templates read, the same multiset */
			for (uint32_t i = 0; i < n && !bad; i++) {
				uint64_t want[TFEAT_MAX_TOKEN_KEYS], got[TFEAT_MAX_TOKEN_KEYS];
				size_t nw = fa.off[i + 1] - fa.off[i], ng = 0, q = fa.off[i];
				memcpy(want, fa.keys + fa.off[i], nw * sizeof(*want));
				for (size_t k = fb.off[i]; k < fb.off[i + 1]; k++) {
					while (q < fa.off[i + 1] && fa.keys[q] != fb.keys[k])
						q++;
					bad += q++ >= fa.off[i + 1]; /* not in order */
					got[ng++] = fb.keys[k];
				}
				for (int tpl = 0; tpl < TF_NTEMPLATES && !bad; tpl++) {
					int d;
					if (!((mask >> tpl) & 1) || !tfeat_template_word(tpl, &d))
						continue;
					int64_t j = (int64_t)i + d;
					int where = j < 0 ? -1 : j >= n ? 1 : 0;
					uint32_t jj = where ? 0 : (uint32_t)j;
					tfeat_layers l1 = { 0 };
					if (ly.cl)
						l1.cl = &cl[jj];
					if (ly.vc)
						l1.vc = &vc[jj * 3], l1.vclev = 3;
					if (ly.lex)
						l1.lex = &lx[jj];
					uint32_t nk = tfeat_word_keys(mask, &tok[jj], &l1,
								      h + (size_t)jj * TFEAT_NH, where,
								      wk, cnt);
					uint32_t st = 0;
					for (int x = 0; x < tpl; x++)
						st += cnt[x];
					bad += st + cnt[tpl] > nk || ng + cnt[tpl] > TFEAT_MAX_TOKEN_KEYS;
					for (uint32_t y = 0; y < cnt[tpl] && !bad; y++)
						got[ng++] = wk[st + y];
				}
				if (bad || ng != nw) {
					bad++;
					break;
				}
				qsort(want, nw, sizeof(*want), cmp_u64);
				qsort(got, ng, sizeof(*got), cmp_u64);
				bad += memcmp(want, got, nw * sizeof(*want)) != 0;
			}
		}
		CHECK(bad == 0);
		tfeat_ws_free(&fa);
		tfeat_ws_free(&fb);
	}
	/* a model with every word template and every layer a word has */
	snprintf(lpath, sizeof(lpath), "%s/lex.tsv", dir);
	snprintf(gpath, sizeof(gpath), "%s/g.csv", dir);
	snprintf(vpath, sizeof(vpath), "%s/vc.tsv", dir);
	CHECK(write_file(lpath, lex, strlen(lex)) == 0);
	CHECK(write_file(gpath, gaz_csv, strlen(gaz_csv)) == 0);
	CHECK(write_file(vpath, vc_file, strlen(vc_file)) == 0);
	CHECK(conll_parse("tiny", tiny, strlen(tiny), CONLL_TAGS, &c, &e) == 0);
	if (c) {
		tagger_train_opts o;
		tagger_train_defaults(&o);
		CHECK(tfeat_parse_templates("all,-doc,-ent,-ent-1,-ent+1,-ent3,-ent.vside",
					    &o.templates, &e) == 0);
		o.c2 = 0.01;
		o.max_iter = 30;
		o.threads = 1;
		o.gazetteer = gpath;
		o.lexicon = lpath;
		o.clusters = 1;
		o.vclusters = vpath;
		o.trained = "test";
		/* an O bias off the quarter grid: the cached and the plain sums
		 * must still round the same */
		o.obias_set = 1;
		o.obias = 0.1;
		CHECK(tagger_train(&o, c, c, &m[0], NULL, NULL, NULL, &e) == 0 && m[0]);
		if (!m[0])
			fprintf(stderr, "word cache model: %s\n", e.msg);
	}
	if (access("models/entities.evm", R_OK) == 0)
		CHECK(tagger_load("models/entities.evm", &m[1], &e) == 0);
	if (access("models/roles.evm", R_OK) == 0)
		CHECK(tagger_load("models/roles.evm", &m[2], &e) == 0);
	for (int k = 0; k < 3; k++) {
		if (!m[k])
			continue;
		tagger_ws *ws = tagger_ws_new(m[k]), *plain = tagger_ws_new(m[k]);
		CHECK(ws && plain);
		if (!ws || !plain) {
			tagger_ws_free(ws);
			tagger_ws_free(plain);
			continue;
		}
		tagger_ws_set_nocache(plain, 1);
		CHECK(wc_compare(m[k], ws, plain, 400, 60, pool, tok, la, lb, sa, sb) == 0);
		/* longer than a window (many words at once: some not kept) */
		CHECK(wc_compare(m[k], ws, plain, 3, MAXN, pool, tok, la, lb, sa, sb) == 0);
		uint64_t hit, miss, unc;
		tagger_ws_cache_stats(ws, &hit, &miss, &unc);
		CHECK(hit > 0 && miss > 0 && unc > 0);
		tagger_ws_cache_stats(plain, &hit, &miss, &unc);
		CHECK(hit == 0 && miss == 0 && unc == 0);
		tagger_ws_free(ws);
		tagger_ws_free(plain);
	}
	/* one workspace for the three by turns */
	{
		tagger_ws *ws = tagger_ws_new(m[0]), *plain = tagger_ws_new(m[0]);
		int bad = 0;
		if (ws && plain) {
			tagger_ws_set_nocache(plain, 1);
			for (int r = 0; r < 60; r++)
				if (m[r % 3])
					bad += wc_compare(m[r % 3], ws, plain, 5, 30, pool, tok, la,
							  lb, sa, sb);
		}
		CHECK(ws && plain && bad == 0);
		tagger_ws_free(ws);
		tagger_ws_free(plain);
	}
out:
	for (int k = 0; k < 3; k++)
		tagger_free(m[k]);
	conll_free(c);
	unlink(lpath);
	unlink(gpath);
	unlink(vpath);
	rmdir(dir);
	free(pool);
	free(tok);
	free(la);
	free(lb);
	free(sa);
	free(sb);
}

/* One-token sentences: a word's label probabilities are then its label
 * counts over its count (a model with a weight per word and label fits
 * them exactly). "x" has 6 of the 8 labels, more than a packed occurrence
 * holds, so its labels come from the label table; "z" has 2, kept inside
 * the occurrence. A label read wrongly in the sums or in the gradient
 * moves the probabilities. With 1 and 2 threads (the gradient and the dev
 * decoding are sharded over the threads). */
static void test_label_counts(int threads)
{
	static const char many[] =
		"x\tB-A\n\nx\tB-A\n\nx\tB-A\n\nx\tB-B\n\nx\tB-B\n\n"
		"x\tB-C\n\nx\tB-D\n\nx\tB-E\n\nx\tO\n\n"
		"z\tB-F\n\nz\tB-F\n\nz\tB-G\n\n"
		"a\tO\n\nb\tB-G\n\n";
	conll_corpus *c = NULL;
	tagger_t *t = NULL;
	tagger_train_opts o;
	tagger_train_stats st;
	err_t e = { 0 };

	CHECK(conll_parse("many", many, strlen(many), CONLL_TAGS, &c, &e) == 0);
	if (!c)
		return;
	tagger_train_defaults(&o);
	o.threads = threads;
	o.c2 = 1e-6;
	o.max_iter = 500;
	o.patience = 0;
	CHECK(tagger_train(&o, c, NULL, &t, NULL, NULL, &st, &e) == 0);
	if (t) {
		CHECK(tagger_nlabels(t) == 8);
		tagger_ws *ws = tagger_ws_new(t);
		uint32_t lab[64], ns[16];
		tagger_span sp[64];
		CHECK(tag_corpus(t, ws, c, lab, sp, ns) == 0);
		/* sentence 0 is "x", 9 is "z" */
		CHECK_STR(tagger_label_name(t, lab[0]), "B-A");
		CHECK(ns[0] == 1);
		CHECK_NEAR(sp[0].score, 3.0 / 9, 0.01);
		CHECK_STR(tagger_label_name(t, lab[9]), "B-F");
		CHECK(ns[9] == 1);
		CHECK_NEAR(sp[9].score, 2.0 / 3, 0.01);
		tagger_ws_free(ws);
		tagger_free(t);
		t = NULL;
	} else {
		fprintf(stderr, "label counts: %s\n", e.msg);
	}
	/* with dev: the F1 of the sharded dev decoding is the F1 of tagging */
	CHECK(tagger_train(&o, c, c, &t, NULL, NULL, &st, &e) == 0);
	if (t) {
		tagger_ws *ws = tagger_ws_new(t);
		uint32_t lab[64], ns[16], ok = 0, np = 0, ng = 0;
		tagger_span sp[64];
		CHECK(tag_corpus(t, ws, c, lab, sp, ns) == 0);
		for (uint32_t r = 0; r < c->nrow; r++) {
			const char *p = tagger_label_name(t, lab[r]);
			const char *g = dict_str(c->tags, c->row[r].tag, NULL);
			np += strcmp(p, "O") != 0;
			ng += strcmp(g, "O") != 0;
			ok += strcmp(p, "O") != 0 && strcmp(p, g) == 0;
		}
		CHECK(ok > 0);
		if (ok)
			CHECK_NEAR(st.best_f1, 200.0 * ok / (np + ng), 1e-9);
		tagger_ws_free(ws);
		tagger_free(t);
	}
	conll_free(c);
}

/* Word groups in training: the objective after each iteration, the dev
 * F1 of a held-out part (whose sums use the groups too) and the model's
 * tags are those of summing every attribute of every token, on random
 * sentences with every layer (clusters, vector clusters, lexicon,
 * gazetteer), for the entity and the role templates, with and without
 * L1, on one and two threads. */
typedef struct obj_log {
	int n;
	double obj[8], f1[8];
} obj_log;

static void log_progress(const tagger_progress *p, void *ctx)
{
	obj_log *l = ctx;

	if (l->n < 8) {
		l->obj[l->n] = p->objective;
		l->f1[l->n] = p->dev_f1;
		l->n++;
	}
}

static void test_word_groups(void)
{
	static const char *lex =
		"arrested\t173\tCOERCE\tMATERIAL_CONFLICT\n"
		"said\t010\tMAKE STATEMENT\tSTATEMENT\n"
		"accused\t112\tACCUSE\tVERBAL_CONFLICT\n";
	static const char *const labs[] = { "O", "O", "O", "B-PER", "I-PER", "B-LOC" };
	char dir[] = "/tmp/evtag-test-XXXXXX", lpath[256], gpath[256], vpath[256];
	size_t cap = 1 << 16, len = 0;
	char *text = malloc(cap), buf[48];
	conll_corpus *c = NULL;
	err_t e = { 0 };

	/* the offsets the word templates read at, each once, ascending */
	{
		int off[TFEAT_WORD_OFFSETS];
		uint64_t all;
		CHECK(tfeat_parse_templates("all", &all, &e) == 0);
		CHECK(tfeat_word_offsets(all, off) == 7 && off[0] == -3 && off[6] == 3);
		CHECK(tfeat_word_offsets(tfeat_default_entities(), off) == 5 && off[0] == -2 &&
		      off[2] == 0 && off[4] == 2);
		CHECK(tfeat_word_offsets((uint64_t)1 << TF_CLP2 | (uint64_t)1 << TF_VCP2, off) == 1 &&
		      off[0] == 2);
		CHECK(tfeat_word_offsets((uint64_t)1 << TF_GAZ, off) == 0);
	}
	if (!text || !mkdtemp(dir)) {
		CHECK(0);
		free(text);
		return;
	}
	snprintf(lpath, sizeof(lpath), "%s/lex.tsv", dir);
	snprintf(gpath, sizeof(gpath), "%s/gaz.csv", dir);
	snprintf(vpath, sizeof(vpath), "%s/vc.tsv", dir);
	CHECK(write_file(lpath, lex, strlen(lex)) == 0);
	CHECK(write_file(gpath, gaz_csv, strlen(gaz_csv)) == 0);
	CHECK(write_file(vpath, vc_file, strlen(vc_file)) == 0);
	/* 150 sentences of 1 to 25 words; one word in four "Paris", "john" or
	 * "the", so that words recur and their groups are shared */
	for (int s = 0; s < 150; s++) {
		uint32_t n = 1 + wc_rand(25);
		for (uint32_t i = 0; i < n; i++) {
			static const char *const common[] = { "Paris", "john", "the", "said" };
			tagger_tok w = urand() < 0.25 ? (tagger_tok){ common[wc_rand(4)], 0 } :
							  wc_word(buf);
			if (!w.len)
				w.len = (uint32_t)strlen(w.s);
			if (!w.len)
				w = (tagger_tok){ "x", 1 };
			if (len + w.len + 16 > cap) {
				char *tmp = realloc(text, cap *= 2);
				if (!tmp)
					goto out;
				text = tmp;
			}
			memcpy(text + len, w.s, w.len);
			len += w.len;
			len += (size_t)sprintf(text + len, "\t%s\n", labs[wc_rand(6)]);
		}
		text[len++] = '\n';
	}
	CHECK(conll_parse("random", text, len, CONLL_TAGS, &c, &e) == 0);
	if (!c)
		goto out;
	for (int round = 0; round < 4; round++) {
		tagger_train_opts o;
		tagger_t *t[2] = { NULL, NULL };
		obj_log lg[2];
		tagger_train_defaults(&o);
		CHECK(tfeat_parse_templates(round & 1 ? "default,vc,vc-1,vc+1" :
					    "default,lex,lex-1,lex+1,gaz,vc,vc-2,vc+2,cl,cl-1",
					    &o.templates, &e) == 0);
		o.vclusters = vpath;
		o.lexicon = lpath;
		o.gazetteer = gpath;
		o.clusters = round & 1 ? 0 : 8;
		o.c1 = round & 2 ? 0.1 : 0;
		o.c2 = 0.1;
		o.threads = 1 + (round & 1);
		o.max_iter = 6;
		o.patience = 0;
		o.holdout = 0.2;
		o.refit = 0;
		for (int k = 0; k < 2; k++) {
			memset(&lg[k], 0, sizeof(lg[k]));
			o.flat = k;
			CHECK(tagger_train(&o, c, NULL, &t[k], log_progress, &lg[k], NULL, &e) == 0);
		}
		CHECK(lg[0].n == 6 && lg[1].n == 6);
		for (int i = 0; i < lg[0].n && i < lg[1].n; i++) {
			CHECK_NEAR(lg[0].obj[i], lg[1].obj[i], 1e-9 * fabs(lg[1].obj[i]));
			CHECK_NEAR(lg[0].f1[i], lg[1].f1[i], 1e-9);
		}
		if (t[0] && t[1]) {
			uint32_t la[4096], lb[4096], na[160], nb[160];
			tagger_span sa[4096], sb[4096];
			tagger_ws *ws = tagger_ws_new(t[0]);
			CHECK(c->nrow <= 4096 && c->nsent <= 160);
			if (ws && c->nrow <= 4096 && c->nsent <= 160) {
				CHECK(tag_corpus(t[0], ws, c, la, sa, na) == 0);
				CHECK(tag_corpus(t[1], ws, c, lb, sb, nb) == 0);
				CHECK(memcmp(la, lb, c->nrow * sizeof(*la)) == 0);
			}
			tagger_ws_free(ws);
		}
		tagger_free(t[0]);
		tagger_free(t[1]);
	}
out:
	conll_free(c);
	free(text);
	remove(lpath);
	remove(gpath);
	remove(vpath);
	rmdir(dir);
}

int main(void)
{
	test_lattices();
	test_viterbi_blocked();
	test_features();
	test_gazetteer();
	test_train_roundtrip(TAGGER_CRF);
	test_train_roundtrip(TAGGER_PERCEPTRON);
	test_vclusters();
	test_doc();
	test_join_spans();
	test_empty_and_errors();
	test_roles_holdout();
	test_find_subject();
	test_promote();
	test_target_rule();
	test_word_cache();
	test_label_counts(1);
	test_label_counts(2);
	test_word_groups();
	return t_done();
}
