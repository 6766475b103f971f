/* crfsuite_driver: CRFsuite's own C library (the npm package `crfsuite`,
 * fetched and compiled by tests/bench/crfsuite.sh, never part of evtag)
 * driven through its public API (crfsuite.h) on the feature files that
 * `bench_tagger export` writes: one token a line, LABEL<TAB>FEATURE..., a
 * blank line between sentences, ':' and '\' escaped by '\'.
 *
 *   crfsuite_driver train TRAIN.feat MODEL C2 ITERATIONS
 *       L-BFGS (c1 = 0, c2 = C2, at most ITERATIONS iterations, CRFsuite's
 *       other defaults); prints one line of key=value pairs: sentences,
 *       tokens, iterations done, CPU and wall seconds of building the data
 *       set (attribute and label dictionaries) and of training.
 *   crfsuite_driver tag MODEL TEST.feat OUT [PASSES]
 *       writes the predicted labels to OUT (one a line, blank line between
 *       sentences), then times tagging TEST in passes over the file (at
 *       least one second, or PASSES passes): labels only (Viterbi), and
 *       labels with each token's marginal probability (forward-backward,
 *       as `crfsuite tag -i`). The timed work per sentence is what a
 *       caller holding feature strings must do: look each string up in the
 *       model's attribute dictionary, set the instance, decode. The
 *       feature strings are in memory before the clock starts (favouring
 *       CRFsuite: evtag's figures include extracting features from tokens).
 *       Prints one line of key=value pairs.
 * MODEL and OUT are written to NAME.tmp and renamed when whole: a failed
 * run leaves no partial file.
 * Exit status 0, 1 on a runtime error (message on stderr), 2 on usage. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <crfsuite.h>

static double wall_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* A feature file in memory: tok[i] is a token, its label label[i] and its
 * features feat[fo[i] .. fo[i+1]); sentence s is tokens so[s] .. so[s+1]. */
typedef struct corpus {
	char *buf;
	char **label;     /* [ntok] */
	char **feat;      /* [nfeat] */
	size_t *fo;       /* [ntok + 1] */
	size_t *so;       /* [nsent + 1] */
	size_t ntok, nfeat, nsent;
	size_t maxlen;    /* longest sentence, tokens */
	size_t maxfeat;   /* most features of one token */
} corpus;

static void corpus_free(corpus *c)
{
	free(c->buf);
	free(c->label);
	free(c->feat);
	free(c->fo);
	free(c->so);
}

/* Releases a label and an attribute dictionary, either of them NULL. */
static void dicts_release(crfsuite_dictionary_t *ad, crfsuite_dictionary_t *ld)
{
	if (ad)
		ad->release(ad);
	if (ld)
		ld->release(ld);
}

/* PATH ".tmp", malloc'd: outputs are written there and renamed to PATH when
 * whole, so a failed run leaves no partial file. NULL, with a message, when
 * PATH exists and is not a regular file (a rename would replace a device
 * such as /dev/null) or when out of memory. */
static char *tmp_path(const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		fprintf(stderr, "crfsuite_driver: %s: exists and is not a regular file\n", path);
		return NULL;
	}
	size_t n = strlen(path);
	char *t = malloc(n + 5);
	if (!t)
		fprintf(stderr, "crfsuite_driver: out of memory\n");
	else
		memcpy(t, path, n), memcpy(t + n, ".tmp", 5);
	return t;
}

static int grow(void *pp, size_t *cap, size_t need, size_t size)
{
	void **p = pp;
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap * 2 : 1024;
	while (n < need)
		n *= 2;
	void *tmp = realloc(*p, n * size);
	if (!tmp)
		return -1;
	*p = tmp;
	*cap = n;
	return 0;
}

/* Removes the '\' escapes of s in place. */
static void unescape(char *s)
{
	char *w = s;
	for (; *s; s++) {
		if (*s == '\\' && s[1])
			s++;
		*w++ = *s;
	}
	*w = 0;
}

static int corpus_read(const char *path, corpus *c)
{
	FILE *f = fopen(path, "rb");
	long len;
	size_t cl = 0, cf = 0, co = 0, cs = 0;

	memset(c, 0, sizeof *c);
	if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "crfsuite_driver: %s: cannot read\n", path);
		if (f)
			fclose(f);
		return -1;
	}
	c->buf = malloc((size_t)len + 1);
	if (!c->buf || fread(c->buf, 1, (size_t)len, f) != (size_t)len) {
		fprintf(stderr, "crfsuite_driver: %s: cannot read\n", path);
		fclose(f);
		return -1;
	}
	fclose(f);
	c->buf[len] = 0;
	if (grow(&c->so, &cs, 1, sizeof *c->so) || grow(&c->fo, &co, 1, sizeof *c->fo))
		goto nomem;
	c->so[0] = c->fo[0] = 0;
	size_t line = 0, start = 0;
	for (char *p = c->buf, *next; *p; p = next) {
		char *nl = strchr(p, '\n');
		next = nl ? nl + 1 : p + strlen(p);
		if (nl)
			*nl = 0;
		line++;
		if (*p == 0) {
			if (c->ntok > start) {
				if (grow(&c->so, &cs, c->nsent + 2, sizeof *c->so))
					goto nomem;
				c->so[++c->nsent] = c->ntok;
				if (c->ntok - start > c->maxlen)
					c->maxlen = c->ntok - start;
				start = c->ntok;
			}
			continue;
		}
		if (grow(&c->label, &cl, c->ntok + 1, sizeof *c->label) ||
		    grow(&c->fo, &co, c->ntok + 2, sizeof *c->fo))
			goto nomem;
		char *tab = strchr(p, '\t');
		if (tab)
			*tab = 0;
		if (!*p) {
			fprintf(stderr, "crfsuite_driver: %s:%zu: empty label\n", path, line);
			return -1;
		}
		c->label[c->ntok] = p;
		size_t nf = 0;
		for (char *q = tab ? tab + 1 : NULL; q;) {
			char *t = strchr(q, '\t');
			if (t)
				*t = 0;
			if (*q) {
				if (grow(&c->feat, &cf, c->nfeat + 1, sizeof *c->feat))
					goto nomem;
				unescape(q);
				c->feat[c->nfeat++] = q;
				nf++;
			}
			q = t ? t + 1 : NULL;
		}
		if (nf > c->maxfeat)
			c->maxfeat = nf;
		c->fo[++c->ntok] = c->nfeat;
	}
	if (c->ntok > start) {
		if (grow(&c->so, &cs, c->nsent + 2, sizeof *c->so))
			goto nomem;
		c->so[++c->nsent] = c->ntok;
		if (c->ntok - start > c->maxlen)
			c->maxlen = c->ntok - start;
	}
	if (c->nsent == 0) {
		fprintf(stderr, "crfsuite_driver: %s: no sentences\n", path);
		return -1;
	}
	return 0;
nomem:
	fprintf(stderr, "crfsuite_driver: %s: out of memory\n", path);
	return -1;
}

/* Counts L-BFGS iterations from CRFsuite's log messages. */
static int count_iterations(void *user, const char *format, va_list args)
{
	(void)args;
	if (strncmp(format, "***** Iteration #", 17) == 0)
		(*(int *)user)++;
	return 0;
}

static int cmd_train(const char *trainf, const char *modelf, const char *c2,
		     const char *iters)
{
	corpus c;
	crfsuite_data_t data;
	crfsuite_trainer_t *tr = NULL;
	crfsuite_params_t *par;
	char *tmpf = NULL;
	int rc = 1, niter = 0;

	if (corpus_read(trainf, &c))
		goto out_corpus;
	crfsuite_data_init(&data);
	double w0 = wall_now(), c0 = cpu_now();
	if (!crfsuite_create_instance("dictionary", (void **)&data.attrs) ||
	    !crfsuite_create_instance("dictionary", (void **)&data.labels)) {
		fprintf(stderr, "crfsuite_driver: cannot create dictionaries\n");
		goto out_data;
	}
	for (size_t s = 0; s < c.nsent; s++) {
		crfsuite_instance_t inst;
		crfsuite_instance_init(&inst);
		for (size_t i = c.so[s]; i < c.so[s + 1]; i++) {
			crfsuite_item_t item;
			crfsuite_item_init(&item);
			for (size_t k = c.fo[i]; k < c.fo[i + 1]; k++) {
				crfsuite_attribute_t a;
				crfsuite_attribute_set(&a, data.attrs->get(data.attrs, c.feat[k]), 1.0);
				crfsuite_item_append_attribute(&item, &a);
			}
			crfsuite_instance_append(&inst, &item,
						 data.labels->get(data.labels, c.label[i]));
			crfsuite_item_finish(&item);
		}
		crfsuite_data_append(&data, &inst);
		crfsuite_instance_finish(&inst);
	}
	double wb = wall_now() - w0, cb = cpu_now() - c0;
	if (!crfsuite_create_instance("train/crf1d/lbfgs", (void **)&tr)) {
		fprintf(stderr, "crfsuite_driver: no trainer train/crf1d/lbfgs\n");
		goto out_data;
	}
	par = tr->params(tr);
	if (par->set(par, "c1", "0") || par->set(par, "c2", c2) ||
	    par->set(par, "max_iterations", iters)) {
		fprintf(stderr, "crfsuite_driver: cannot set c2=%s max_iterations=%s\n", c2, iters);
		par->release(par);
		goto out_trainer;
	}
	par->release(par);
	tr->set_message_callback(tr, &niter, count_iterations);
	w0 = wall_now();
	c0 = cpu_now();
	if (!(tmpf = tmp_path(modelf)))
		goto out_trainer;
	int ret = tr->train(tr, &data, tmpf, -1);
	double wt = wall_now() - w0, ct = cpu_now() - c0;
	if (ret) {
		fprintf(stderr, "crfsuite_driver: training failed (CRFsuite status %d)\n", ret);
		goto out_trainer;
	}
	if (rename(tmpf, modelf)) {
		fprintf(stderr, "crfsuite_driver: %s: cannot write\n", modelf);
		goto out_trainer;
	}
	printf("sentences=%zu tokens=%zu features=%zu labels=%d attributes=%d iterations=%d "
	       "build_cpu=%.3f build_wall=%.3f train_cpu=%.3f train_wall=%.3f\n",
	       c.nsent, c.ntok, c.nfeat, data.labels->num(data.labels),
	       data.attrs->num(data.attrs), niter, cb, wb, ct, wt);
	rc = 0;
out_trainer:
	if (tmpf && rc)
		remove(tmpf);
	free(tmpf);
	tr->release(tr);
out_data:
	{
		/* crfsuite_data_finish frees the instances, not the dictionaries */
		crfsuite_dictionary_t *ad = data.attrs, *ld = data.labels;
		crfsuite_data_finish(&data);
		dicts_release(ad, ld);
	}
out_corpus:
	corpus_free(&c);
	return rc;
}

/* Scratch for tagging one sentence without allocating. */
typedef struct scratch {
	crfsuite_item_t *items;        /* [maxlen] */
	crfsuite_attribute_t *attrs;   /* [maxlen * maxfeat] */
	int *gold, *out;               /* [maxlen] */
} scratch;

/* Tags sentence s of c into sc->out; with marginals, also each token's
 * marginal probability, summed into *sink. Returns the CRFsuite status. */
static int tag_one(crfsuite_tagger_t *tg, crfsuite_dictionary_t *ad, const corpus *c,
		   size_t s, scratch *sc, int marginals, double *sink)
{
	crfsuite_instance_t inst;
	size_t n = c->so[s + 1] - c->so[s];
	floatval_t score;
	int ret;

	for (size_t i = 0; i < n; i++) {
		size_t tok = c->so[s] + i, m = 0;
		crfsuite_attribute_t *a = sc->attrs + i * c->maxfeat;
		for (size_t k = c->fo[tok]; k < c->fo[tok + 1]; k++) {
			int aid = ad->to_id(ad, c->feat[k]);
			if (aid >= 0) {
				a[m].aid = aid;
				a[m].value = 1.0;
				m++;
			}
		}
		sc->items[i].num_contents = (int)m;
		sc->items[i].cap_contents = (int)c->maxfeat;
		sc->items[i].contents = a;
	}
	memset(&inst, 0, sizeof inst);
	inst.num_items = inst.cap_items = (int)n;
	inst.items = sc->items;
	inst.labels = sc->gold;
	inst.weight = 1.0;
	if ((ret = tg->set(tg, &inst)) || (ret = tg->viterbi(tg, sc->out, &score)))
		return ret;
	if (marginals) {
		for (size_t i = 0; i < n; i++) {
			floatval_t p;
			if ((ret = tg->marginal_point(tg, sc->out[i], (int)i, &p)))
				return ret;
			*sink += p;
		}
	}
	return 0;
}

static int cmd_tag(const char *modelf, const char *testf, const char *outf, int passes)
{
	corpus c;
	crfsuite_model_t *model = NULL;
	crfsuite_tagger_t *tg = NULL;
	crfsuite_dictionary_t *ad = NULL, *ld = NULL;
	scratch sc = { 0 };
	FILE *out = NULL;
	char *tmpf = NULL;
	double sink = 0, rate[2][2];
	int rounds[2], rc = 1, ret;

	if (corpus_read(testf, &c))
		goto out_corpus;
	if ((ret = crfsuite_create_instance_from_file(modelf, (void **)&model))) {
		fprintf(stderr, "crfsuite_driver: %s: cannot load the model (status %d)\n", modelf, ret);
		goto out_corpus;
	}
	if (model->get_tagger(model, &tg) || model->get_attrs(model, &ad) ||
	    model->get_labels(model, &ld)) {
		fprintf(stderr, "crfsuite_driver: %s: no tagger in the model\n", modelf);
		goto out_model;
	}
	sc.items = calloc(c.maxlen, sizeof *sc.items);
	sc.attrs = calloc(c.maxlen * (c.maxfeat ? c.maxfeat : 1), sizeof *sc.attrs);
	sc.gold = calloc(c.maxlen, sizeof *sc.gold);
	sc.out = calloc(c.maxlen, sizeof *sc.out);
	if (!sc.items || !sc.attrs || !sc.gold || !sc.out) {
		fprintf(stderr, "crfsuite_driver: out of memory\n");
		goto out_model;
	}
	/* the predictions, untimed */
	if (!(tmpf = tmp_path(outf)))
		goto out_model;
	if (!(out = fopen(tmpf, "w"))) {
		fprintf(stderr, "crfsuite_driver: %s: cannot write\n", tmpf);
		goto out_model;
	}
	for (size_t s = 0; s < c.nsent; s++) {
		if ((ret = tag_one(tg, ad, &c, s, &sc, 0, &sink))) {
			fprintf(stderr, "crfsuite_driver: %s: sentence %zu: CRFsuite status %d\n",
				testf, s + 1, ret);
			goto out_model;
		}
		for (size_t i = 0; i < c.so[s + 1] - c.so[s]; i++) {
			const char *name = NULL;
			if (ld->to_string(ld, sc.out[i], &name) || !name) {
				fprintf(stderr, "crfsuite_driver: label %d has no name\n", sc.out[i]);
				goto out_model;
			}
			fprintf(out, "%s\n", name);
			ld->free(ld, name);
		}
		fputc('\n', out);
	}
	if (ferror(out) | fclose(out)) {
		out = NULL;
		fprintf(stderr, "crfsuite_driver: %s: write error\n", tmpf);
		goto out_model;
	}
	out = NULL;
	if (rename(tmpf, outf)) {
		fprintf(stderr, "crfsuite_driver: %s: cannot write\n", outf);
		goto out_model;
	}
	free(tmpf);
	tmpf = NULL;
	/* timed passes: labels only, then with marginals */
	for (int mode = 0; mode < 2; mode++) {
		double w0 = wall_now(), c0 = cpu_now(), el;
		size_t ntok = 0;
		rounds[mode] = 0;
		do {
			for (size_t s = 0; s < c.nsent; s++) {
				if ((ret = tag_one(tg, ad, &c, s, &sc, mode, &sink))) {
					fprintf(stderr, "crfsuite_driver: CRFsuite status %d\n", ret);
					goto out_model;
				}
			}
			ntok += c.ntok;
			rounds[mode]++;
			el = wall_now() - w0;
		} while (passes > 0 ? rounds[mode] < passes : el < 1.0);
		double cpu = cpu_now() - c0;
		rate[mode][0] = ntok / (el > 0 ? el : 1e-9);
		rate[mode][1] = ntok / (cpu > 0 ? cpu : 1e-9);
	}
	printf("tokens=%zu sentences=%zu labels_tok_s=%.0f labels_tok_cpu_s=%.0f labels_passes=%d "
	       "marginals_tok_s=%.0f marginals_tok_cpu_s=%.0f marginals_passes=%d checksum=%.0f\n",
	       c.ntok, c.nsent, rate[0][0], rate[0][1], rounds[0], rate[1][0], rate[1][1],
	       rounds[1], sink > 0 ? 1.0 : 0.0);
	rc = 0;
out_model:
	if (out)
		fclose(out);
	if (tmpf)
		remove(tmpf);
	free(tmpf);
	free(sc.items);
	free(sc.attrs);
	free(sc.gold);
	free(sc.out);
	dicts_release(ad, ld);
	if (tg)
		tg->release(tg);
	if (model)
		model->release(model);
out_corpus:
	corpus_free(&c);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc == 6 && strcmp(argv[1], "train") == 0)
		return cmd_train(argv[2], argv[3], argv[4], argv[5]);
	if ((argc == 5 || argc == 6) && strcmp(argv[1], "tag") == 0)
		return cmd_tag(argv[2], argv[3], argv[4], argc == 6 ? atoi(argv[5]) : 0);
	fprintf(stderr, "usage: crfsuite_driver train TRAIN.feat MODEL C2 ITERATIONS\n"
			"       crfsuite_driver tag MODEL TEST.feat OUT [PASSES]\n");
	return 2;
}
