/* evtag train classifier / evtag predict: the event-type classifier's
 * commands (front end: parses options, prints, chooses exit codes). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "coder/pipe.h"
#include "learn/clf.h"
#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/heap.h"
#include "text/tsv.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ---- checking a corpus before any work */

static int cmp_label(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;
	return strcmp(*x ? *x : "", *y ? *y : "");
}

/* 1 when s is an IOB tag (O, B-X, I-X, E-X, S-X, L-X, U-X): the second
 * column of a CoNLL file. */
static int is_iob_tag(const char *s)
{
	if (strcmp(s, "O") == 0)
		return 1;
	return s[0] && strchr("BIESLU", s[0]) && s[1] == '-' && s[2] && !strpbrk(s + 2, " \t");
}

/* Checks the examples of a classifier corpus (train: 1 for --corpus, 0 for
 * --dev) before any training: prints "evtag: FILE:LINE: reason" and a
 * hint for each refusal and returns EXIT_RUNTIME, or -1 when the file
 * will do. A label seen once in the training corpus is a warning. */
static int check_corpus(const char *path, const tsv_data *d, int train, int quiet)
{
	const char *swap = "each line is LABEL<TAB>text, the label first: are the columns swapped?";
	const char **lab;
	size_t ntag = 0, nlab = 0, nonce = 0;

	if (d->n == 0) {
		fprintf(stderr, "evtag: %s: no examples (the file is empty)\n"
			"hint: a %s corpus has one LABEL<TAB>text example a line\n",
			path, train ? "training" : "development");
		return EXIT_RUNTIME;
	}
	for (size_t i = 0; i < d->n; i++)
		ntag += is_iob_tag(d->text[i]);
	if (ntag * 2 > d->n) {
		fprintf(stderr, "evtag: %s:%llu: this looks like CoNLL (token<TAB>IOB tag a line: '%s<TAB>%s'), not LABEL<TAB>text\n"
			"hint: a CoNLL corpus trains a tagger: evtag train tagger --corpus %s\n",
			path, (unsigned long long)d->line[0], d->label[0], d->text[0], path);
		return EXIT_RUNTIME;
	}
	for (size_t i = 0; i < d->n; i++) {
		const char *l = d->label[i];
		size_t n = strlen(l);
		if (strpbrk(l, " \t") || n > 64) {
			fprintf(stderr, "evtag: %s:%llu: the label '%.40s%s' holds text (%s), not a label\n"
				"hint: %s\n", path, (unsigned long long)d->line[i], l, n > 40 ? "..." : "",
				n > 64 ? "more than 64 bytes" : "it has spaces", swap);
			return EXIT_RUNTIME;
		}
	}
	lab = malloc(d->n * sizeof(*lab));
	if (!lab) {
		fprintf(stderr, "evtag: out of memory\n");
		return EXIT_RUNTIME;
	}
	memcpy(lab, d->label, d->n * sizeof(*lab));
	qsort(lab, d->n, sizeof(*lab), cmp_label);
	for (size_t i = 0; i < d->n; i++) {
		if (i > 0 && strcmp(lab[i], lab[i - 1]) == 0)
			continue;
		nlab++;
		if (train && (i + 1 == d->n || strcmp(lab[i], lab[i + 1]) != 0))
			nonce++;
	}
	if (d->n >= 10 && nlab * 2 > d->n) {
		fprintf(stderr, "evtag: %s: %zu labels for %zu examples: the label column holds text, not labels\n"
			"hint: %s\n", path, nlab, d->n, swap);
		free(lab);
		return EXIT_RUNTIME;
	}
	if (train && nlab < 2) {
		fprintf(stderr, "evtag: %s: one label ('%s') in %zu examples; at least 2 are needed\n"
			"hint: a classifier needs examples of two labels or more\n", path, lab[0], d->n);
		free(lab);
		return EXIT_RUNTIME;
	}
	/* singletons, reported at their lines in file order */
	for (size_t i = 0; train && !quiet && nonce && i < d->n; i++) {
		const char *l = d->label[i];
		const char **hit = bsearch(&l, lab, d->n, sizeof(*lab), cmp_label);
		size_t k = (size_t)(hit - lab);
		if ((k > 0 && strcmp(lab[k - 1], l) == 0) || (k + 1 < d->n && strcmp(lab[k + 1], l) == 0))
			continue;
		fprintf(stderr, "evtag: %s:%llu: warning: the label '%s' is seen only once\n",
			path, (unsigned long long)d->line[i], l);
	}
	free(lab);
	return -1;
}

static int readable(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	fclose(f);
	return 1;
}

/* --preset: the settings of the shipped recipes (training/train-*.sh),
 * set before the options are parsed so that options given override them. */
typedef struct clf_preset {
	const char *name, *cstr, *grid, *unit, *features;
	int max_sentences;
} clf_preset;

static const clf_preset clf_presets[] = {
	/* training/train-penta.sh: CAMEO PentaClass, whole stories */
	{ "penta", "auto", "1,3,10", "story", "words,bigrams,lexicon,negation,maskcaps", 0 },
	/* training/train-plover.sh: PLOVER, the first three sentences */
	{ "plover", "3", NULL, "sentence", "words,lexicon,negation,maskcaps", 3 },
	{ NULL, NULL, NULL, NULL, NULL, 0 }
};

static void show_progress(void *ctx, const char *msg)
{
	double t0 = *(const double *)ctx;

	fprintf(stderr, "[%6.1fs] %s\n", now_s() - t0, msg);
}

/* "words,bigrams,chars5,lexicon,negation" -> template switches. */
static int parse_features(const char *s, sfeat_opts *f)
{
	char buf[256];
	char *save = NULL;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	f->words = f->bigrams = f->chargrams = f->lexicon = f->negation = f->lead = f->mask_caps = f->clusters = 0;
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (strcmp(t, "words") == 0)
			f->words = 1;
		else if (strcmp(t, "bigrams") == 0)
			f->bigrams = 1;
		else if (strcmp(t, "lexicon") == 0)
			f->lexicon = 1;
		else if (strcmp(t, "negation") == 0)
			f->negation = 1;
		else if (strcmp(t, "lead") == 0)
			f->lead = 1;
		else if (strcmp(t, "maskcaps") == 0)
			f->mask_caps = 1;
		else if (strcmp(t, "clusters") == 0)
			f->clusters = 1;
		else if (strncmp(t, "chars", 5) == 0 && t[5] >= '3' && t[5] <= '8' && !t[6])
			f->chargrams = t[5] - '0';
		else
			return -1;
	}
	return 0;
}

static int parse_grid(const char *s, double *g, size_t max, size_t *n)
{
	char *end;

	*n = 0;
	while (*s) {
		if (*n == max)
			return -1;
		errno = 0;
		g[*n] = strtod(s, &end);
		if (errno || end == s || !(g[*n] > 0) || !isfinite(g[*n]))
			return -1;
		(*n)++;
		s = end;
		if (*s == ',')
			s++;
		else if (*s)
			return -1;
	}
	return *n ? 0 : -1;
}

/* Scores c on a labeled file: whole texts, and their first sentences.
 * Returns 0 or an ERR_ code with e set. */
static int score_file(const clf_t *c, const char *path, double *f1_text, double *f1_lead,
		      double *acc_text, size_t *n_out, err_t *e)
{
	tsv_data d;
	clf_ws *w = NULL;
	tok_doc doc = { 0 };
	int *gold = NULL, *pt = NULL, *pl = NULL;
	int rc = tsv_read_all(path, 0, &d, e);
	size_t k = clf_nlabels(c);

	if (rc < 0)
		goto out;
	w = clf_ws_new(c);
	gold = malloc((d.n + 1) * sizeof(int));
	pt = malloc((d.n + 1) * sizeof(int));
	pl = malloc((d.n + 1) * sizeof(int));
	if (!w || !gold || !pt || !pl) {
		rc = err_set(e, ERR_NOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < d.n; i++) {
		int g = clf_label_index(c, d.label[i]);
		gold[i] = g < 0 ? (int)k : g; /* unknown label: always wrong */
		rc = clf_predict_text(c, w, d.text[i], d.text_len[i], NULL, &pt[i], e);
		if (rc == 0)
			rc = tok_split(&doc, d.text[i], d.text_len[i], 0, 0, e);
		if (rc < 0) {
			char where[300];
			snprintf(where, sizeof(where), "%s:%llu", path, (unsigned long long)d.line[i]);
			err_prefix(e, where);
			goto out;
		}
		if (doc.nsent == 0)
			pl[i] = pt[i];
		else if (clf_predict_tokens(c, w, d.text[i], doc.tok + doc.sent[0].first,
					    doc.sent[0].n, NULL, &pl[i]) < 0) {
			rc = err_set(e, ERR_NOMEM, "out of memory");
			goto out;
		}
	}
	*f1_text = clf_macro_f1(gold, pt, d.n, k + 1, acc_text);
	*f1_lead = clf_macro_f1(gold, pl, d.n, k + 1, NULL);
	*n_out = d.n;
out:
	tsv_data_free(&d);
	clf_ws_free(w);
	tok_doc_free(&doc);
	free(gold);
	free(pt);
	free(pl);
	return rc;
}

int cmd_train_classifier(int argc, char **argv)
{
	clf_opts o = CLF_OPTS_DEFAULT;
	const char *corpus = NULL, *dev = NULL, *outp = NULL, *cstr = "1", *kernel = "linear",
		   *unit = "story", *features = "words,bigrams,lexicon,negation", *tf = "log",
		   *grid = NULL, *decision = "probability", *preset = NULL;
	char lexv[1024] = "", lexp[1024] = "";
	int seed = 1, no_weights = 0, no_prob = 0, no_idf = 0, no_l2 = 0, min_df = 2, folds = 5,
	    degree = 3, quiet = 0, progress = 0;
	double gamma = 0, coef0 = 0, lexw = 1;
	const cli_opt opts[] = {
		CLI_STR("corpus", 0, &corpus, "FILE", "training data, LABEL<TAB>text per line (required)"),
		CLI_STR("preset", 0, &preset, "NAME", "penta or plover: the settings of training/train-NAME.sh (lexicons from "
			"$EVTAG_SHARED/lexicons, else ../shared/lexicons); options given override them"),
		CLI_STR("dev", 0, &dev, "FILE", "development data: report its macro-F1 after training"),
		CLI_STR("output", 'o', &outp, "MODEL", "model file to write (required)"),
		CLI_STR("c", 0, &cstr, "X|auto", "SVM cost C, or 'auto': cross-validate over the grid (default 1)"),
		CLI_STR("c-grid", 0, &grid, "LIST", "candidates for --c auto (default 0.1,0.3,1,3,10,30)"),
		CLI_INT("folds", 0, &folds, "N", "cross-validation folds for --c auto (default 5)"),
		CLI_STR("kernel", 0, &kernel, "K", "linear (default), poly, rbf or sigmoid"),
		CLI_DOUBLE("gamma", 0, &gamma, "G", "kernel gamma (default 1, or 1/features with --no-l2)"),
		CLI_INT("degree", 0, &degree, "D", "poly kernel degree (default 3)"),
		CLI_DOUBLE("coef0", 0, &coef0, "R", "poly/sigmoid kernel coef0 (default 0)"),
		CLI_INT("seed", 's', &seed, "N", "random seed for libsvm's folds (default 1)"),
		CLI_STR("unit", 0, &unit, "U", "training example: story (whole text, default), sentence, lead, mixed"),
		CLI_INT("max-sentences", 0, &o.max_sentences, "N", "use only the first N sentences of each text (0: all)"),
		CLI_STR("features", 0, &features, "LIST", "templates: words,bigrams,charsN,lexicon,negation,lead,maskcaps,clusters"),
		CLI_STR("lexicon-verbs", 0, &o.lex_verbs, "FILE", "CAMEO verb lexicon (cameo-verbs.tsv)"),
		CLI_STR("lexicon-patterns", 0, &o.lex_patterns, "FILE", "CAMEO patterns (cameo-patterns.tsv)"),
		CLI_STR("clusters", 0, &o.clusters, "FILE", "word clusters for the clusters template (word<TAB>id per granularity, "
			"header word<TAB>cK...; e.g. glove-clusters.tsv from training/vectors.sh); compiled into the model"),
		CLI_STR("tf", 0, &tf, "W", "term weighting: binary, raw or log (1+log tf, default)"),
		CLI_DOUBLE("lexicon-weight", 0, &lexw, "W", "multiplier of lexicon feature values (default 1)"),
		CLI_FLAG("no-idf", 0, &no_idf, "do not multiply by IDF"),
		CLI_FLAG("no-l2", 0, &no_l2, "do not L2-normalise feature vectors"),
		CLI_INT("min-df", 0, &min_df, "N", "drop features seen in fewer examples (default 2)"),
		CLI_FLAG("no-class-weights", 0, &no_weights, "do not balance class weights"),
		CLI_FLAG("no-probability", 0, &no_prob, "skip probability calibration (vote shares instead)"),
		CLI_STR("decision", 0, &decision, "RULE", "label: probability (most probable, default), votes, balanced"),
		CLI_FLAG("quiet", 'q', &quiet, "no progress messages"),
		CLI_FLAG("progress", 0, &progress,
			 "the progress messages (each C tried with its cross-validated "
			 "macro-F1, then training) even with --quiet"),
		CLI_END
	};
	char **pos;
	int npos, rc;
	double t0 = now_s(), cg[32];
	size_t ncg = 0;
	tsv_data d;
	clf_t *c = NULL;
	err_t e = { 0 };

	const clf_preset *ps = NULL;
	const char *pname = cli_prescan(argc, argv, "preset");
	if (pname) {
		for (ps = clf_presets; ps->name && strcmp(ps->name, pname) != 0; ps++)
			;
		if (ps->name) {
			cstr = ps->cstr;
			grid = ps->grid;
			unit = ps->unit;
			features = ps->features;
			o.max_sentences = ps->max_sentences;
			seed = 1;
			folds = 5;
			o.lex_verbs = cli_shared_path(lexv, sizeof(lexv), "lexicons/cameo-verbs.tsv");
			o.lex_patterns = cli_shared_path(lexp, sizeof(lexp), "lexicons/cameo-patterns.tsv");
		}
	}
	rc = cli_parse(opts, "train classifier", "--corpus TRAIN.tsv [--dev DEV.tsv] -o MODEL [options]",
		       "Train an event-type classifier (libsvm C-SVC) on LABEL<TAB>text examples.",
		       argc, argv, &pos, &npos);
	if (rc >= 0)
		return rc;
	if (npos > 0)
		return cli_usage_error("train classifier", "unexpected argument '%s'", pos[0]);
	if (preset && (!ps || !ps->name))
		return cli_usage_error("train classifier", "unknown --preset '%s' (penta or plover)", preset);
	if (ps && ps->name) {
		/* the preset's lexicons must be there unless others were given */
		const char *miss = o.lex_verbs == lexv && !readable(lexv) ? lexv
				 : o.lex_patterns == lexp && !readable(lexp) ? lexp : NULL;
		if (miss)
			return cli_usage_error("train classifier",
					       "--preset %s uses the CAMEO lexicons, not found at %s: give "
					       "--lexicon-verbs FILE --lexicon-patterns FILE or set EVTAG_SHARED",
					       ps->name, miss);
	}
	if (!corpus || !outp)
		return cli_usage_error("train classifier", "--corpus and -o are required");
	if (strcmp(cstr, "auto") == 0) {
		o.c = 0;
	} else {
		char *end;
		errno = 0;
		o.c = strtod(cstr, &end);
		if (errno || end == cstr || *end || !(o.c > 0) || !isfinite(o.c))
			return cli_usage_error("train classifier", "--c expects a positive number or 'auto', got '%s'", cstr);
	}
	if (grid) {
		if (parse_grid(grid, cg, 32, &ncg) < 0)
			return cli_usage_error("train classifier", "--c-grid expects positive numbers separated by commas, got '%s'", grid);
		o.c_grid = cg;
		o.n_c_grid = ncg;
	}
	if ((o.kernel = clf_kernel_parse(kernel)) < 0)
		return cli_usage_error("train classifier", "unknown kernel '%s' (linear, poly, rbf, sigmoid)", kernel);
	if ((o.unit = clf_unit_parse(unit)) < 0)
		return cli_usage_error("train classifier", "unknown unit '%s' (story, sentence, lead, mixed)", unit);
	if (parse_features(features, &o.feat) < 0)
		return cli_usage_error("train classifier", "bad --features '%s'", features);
	if (strcmp(tf, "binary") == 0)
		o.feat.tf = SFEAT_TF_BINARY;
	else if (strcmp(tf, "raw") == 0)
		o.feat.tf = SFEAT_TF_RAW;
	else if (strcmp(tf, "log") == 0)
		o.feat.tf = SFEAT_TF_LOG;
	else
		return cli_usage_error("train classifier", "--tf expects binary, raw or log, got '%s'", tf);
	if (strcmp(decision, "probability") == 0)
		o.decision = CLF_DECIDE_PROB;
	else if (strcmp(decision, "votes") == 0)
		o.decision = CLF_DECIDE_VOTES;
	else if (strcmp(decision, "balanced") == 0)
		o.decision = CLF_DECIDE_BALANCED;
	else
		return cli_usage_error("train classifier", "--decision expects probability, votes or balanced, got '%s'", decision);
	if (seed < 0)
		return cli_usage_error("train classifier", "--seed must be >= 0");
	if (o.max_sentences < 0)
		return cli_usage_error("train classifier", "--max-sentences must be >= 0");
	if (min_df < 1)
		return cli_usage_error("train classifier", "--min-df must be >= 1");
	if (folds < 2)
		return cli_usage_error("train classifier", "--folds must be >= 2");
	if (degree < 1 || gamma < 0)
		return cli_usage_error("train classifier", "--degree must be >= 1 and --gamma >= 0");
	if (o.feat.clusters && !o.clusters)
		return cli_usage_error("train classifier", "the clusters template needs --clusters FILE");
	if (o.clusters && !o.feat.clusters)
		return cli_usage_error("train classifier", "--clusters needs the clusters template in --features");
	if (o.feat.lexicon && !o.lex_verbs)
		o.feat.lexicon = 0; /* no lexicon file given: the template has nothing to match */
	o.feat.idf = !no_idf;
	o.feat.l2 = !no_l2;
	o.feat.min_df = min_df;
	if (!(lexw > 0 && lexw <= 100))
		return cli_usage_error("train classifier", "--lexicon-weight must be in (0, 100]");
	o.feat.lex_weight = (float)lexw;
	o.cv_folds = folds;
	o.degree = degree;
	o.gamma = gamma;
	o.coef0 = coef0;
	o.seed = (unsigned)seed;
	o.class_weights = !no_weights;
	o.probability = !no_prob;
	if (!quiet || progress) {
		o.progress = show_progress;
		o.progress_ctx = &t0;
	}
	rc = tsv_read_all(corpus, 0, &d, &e);
	if (rc < 0) {
		tsv_data_free(&d);
		return cli_fail(&e);
	}
	if ((rc = check_corpus(corpus, &d, 1, quiet)) >= 0) {
		tsv_data_free(&d);
		return rc;
	}
	if (dev) {
		/* the development file is checked now, not after hours of training */
		tsv_data dd;
		if (tsv_read_all(dev, 0, &dd, &e) < 0) {
			tsv_data_free(&dd);
			tsv_data_free(&d);
			return cli_fail(&e);
		}
		rc = check_corpus(dev, &dd, 0, quiet);
		tsv_data_free(&dd);
		if (rc >= 0) {
			tsv_data_free(&d);
			return rc;
		}
	}
	if (!quiet)
		fprintf(stderr, "[%6.1fs] read %zu examples from %s\n", now_s() - t0, d.n, corpus);
	rc = clf_train(&o, d.n, d.label, d.text, d.text_len, &c, &e);
	if (rc < 0) {
		if (e.code == ERR_UTF8)
			err_prefix(&e, corpus);
		tsv_data_free(&d);
		return cli_fail(&e);
	}
	tsv_data_free(&d);
	rc = clf_save(c, outp, &e);
	if (rc < 0) {
		clf_free(c);
		return cli_fail(&e);
	}
	if (!quiet)
		fprintf(stderr, "[%6.1fs] wrote %s: %zu labels, %u features, C=%g, %s kernel, %s unit\n",
			now_s() - t0, outp, clf_nlabels(c), sfeat_dim(clf_features(c)), clf_cost(c),
			clf_kernel_name(clf_kernel(c)), clf_unit_name(clf_unit(c)));
	if (dev) {
		double f1t = 0, f1l = 0, acc = 0;
		size_t n = 0;
		rc = score_file(c, dev, &f1t, &f1l, &acc, &n, &e);
		if (rc < 0) {
			clf_free(c);
			return cli_fail(&e);
		}
		fprintf(stderr, "dev %s: %zu examples, macro-F1 %.2f (accuracy %.2f); first sentences only: macro-F1 %.2f\n",
			dev, n, 100 * f1t, 100 * acc, 100 * f1l);
	}
	clf_free(c);
	return EXIT_OK;
}

/* The PentaClass model of `predict --penta`: the label printed is the
 * PLOVER type decided jointly, as `classify --joint` decides it. */
typedef struct predict_joint {
	const clf_t *c;
	clf_ws *w;
	double *p; /* [clf_nlabels(c)] */
} predict_joint;

static int predict_file(const clf_t *c, clf_ws *w, const predict_joint *pj, const char *path,
			int top, double threshold, int lead, int *gold, int *pred, size_t *n,
			size_t cap, int *labeled, err_t *e)
{
	tsv_reader *r;
	tsv_rec rec;
	size_t k = clf_nlabels(c);
	double *p = malloc(k * sizeof(*p));
	int *order = malloc(k * sizeof(*order));
	tok_doc doc = { 0 };
	int rc;

	if (!p || !order) {
		free(p);
		free(order);
		return err_set(e, ERR_NOMEM, "out of memory");
	}
	rc = tsv_open(&r, path, TSV_TEXT_ONLY, e);
	if (rc < 0)
		goto out;
	while ((rc = tsv_next(r, &rec, e)) == 1) {
		int best;
		if (lead) {
			rc = tok_split(&doc, rec.text, rec.text_len, 0, 0, e);
			if (rc == 0)
				rc = doc.nsent ? clf_predict_tokens(c, w, rec.text, doc.tok + doc.sent[0].first,
								    doc.sent[0].n, p, &best)
					       : clf_predict_text(c, w, rec.text, 0, p, &best, e);
		} else {
			rc = clf_predict_text(c, w, rec.text, rec.text_len, p, &best, e);
		}
		int qbest = -1;
		if (rc == 0 && pj)
			rc = clf_predict_text(pj->c, pj->w, rec.text, rec.text_len, pj->p, &qbest, e);
		if (rc < 0) {
			char where[300];
			snprintf(where, sizeof(where), "%s:%llu", tsv_name(r), (unsigned long long)rec.line);
			err_prefix(e, where);
			break;
		}
		const char *lab = clf_decide(c, p, best, threshold);
		double lp = best >= 0 ? p[best] : 0;
		if (pj) {
			pipe_event ev;
			pipe_event_decide(c, p, best, pj->c, pj->p, qbest, threshold, 1, &ev);
			lab = ev.plover;
			lp = ev.plover_score;
			best = clf_label_index(c, lab);
		}
		if (top <= 1) {
			printf("%s\t%.4f\n", lab, lp);
		} else {
			for (size_t i = 0; i < k; i++)
				order[i] = (int)i;
			for (size_t i = 0; i < k && i < (size_t)top; i++) {
				size_t m = i;
				for (size_t j = i + 1; j < k; j++)
					if (p[order[j]] > p[order[m]])
						m = j;
				int t = order[i];
				order[i] = order[m];
				order[m] = t;
				const char *name = clf_label_name(c, (size_t)order[i]);
				if (i == 0)
					name = lab;
				printf("%s%s\t%.4f", i ? "\t" : "", name, p[order[i]]);
			}
			putchar('\n');
		}
		if (gold && *n < cap) {
			if (rec.label) {
				int g = clf_label_index(c, rec.label);
				gold[*n] = g < 0 ? (int)k : g;
				*labeled = 1;
			} else {
				gold[*n] = (int)k;
			}
			/* by name: an abstention is the model's own NONE label
			 * when it has one */
			int pi = clf_label_index(c, lab);
			pred[*n] = pi < 0 ? (int)k : pi;
			(*n)++;
		}
	}
	tsv_close(r);
out:
	tok_doc_free(&doc);
	free(p);
	free(order);
	return rc < 0 ? rc : 0;
}

int cmd_predict(int argc, char **argv)
{
	const char *model = NULL, *penta = NULL;
	int top = 1, lead = 0, score = 0;
	double threshold = 0;
	const cli_opt opts[] = {
		CLI_STR("model", 'm', &model, "MODEL", "classifier model file (required)"),
		CLI_STR("penta", 0, &penta, "MODEL",
			"a PentaClass model: print the PLOVER type decided jointly with it (classify --joint)"),
		CLI_INT("top", 'k', &top, "K", "print the K most probable labels, LABEL<TAB>p pairs"),
		CLI_DOUBLE("threshold", 't', &threshold, "P", "print NONE when the best probability is below P"),
		CLI_FLAG("lead", 0, &lead, "classify only the first sentence of each line"),
		CLI_FLAG("score", 0, &score, "input is labeled: print macro-F1 and accuracy to stderr"),
		CLI_END
	};
	char **pos;
	int npos, rc;
	clf_t *c = NULL, *q = NULL;
	clf_ws *w = NULL;
	predict_joint pj = { 0 };
	err_t e = { 0 };
	int *gold = NULL, *pred = NULL, labeled = 0;
	size_t n = 0, cap = 0;

	rc = cli_parse(opts, "predict", "--model MODEL [--top K] [--threshold P] [FILE...]",
		       "Predict the event type of each line (LABEL<TAB>text or plain text; '-' or\n"
		       "no file: standard input). Prints LABEL<TAB>probability per line.",
		       argc, argv, &pos, &npos);
	if (rc >= 0)
		return rc;
	if (!model)
		return cli_usage_error("predict", "--model is required");
	if (top < 1)
		return cli_usage_error("predict", "--top must be at least 1");
	if (!(threshold >= 0 && threshold <= 1))
		return cli_usage_error("predict", "--threshold must be between 0 and 1");
	if (penta && (top > 1 || lead))
		return cli_usage_error("predict", "--penta does not go with --top or --lead");
	cli_heap_hugepages();
	if (clf_load(model, &c, &e) < 0)
		return cli_fail(&e);
	w = clf_ws_new(c);
	if (!w) {
		clf_free(c);
		err_set(&e, ERR_NOMEM, "out of memory");
		return cli_fail(&e);
	}
	if (penta) {
		if (clf_load(penta, &q, &e) < 0) {
			rc = cli_fail(&e);
			goto out;
		}
		pj.c = q;
		pj.w = clf_ws_new(q);
		pj.p = malloc(clf_nlabels(q) * sizeof(double));
		if (!pj.w || !pj.p) {
			rc = cli_fail(&(err_t){ ERR_NOMEM, "out of memory" });
			goto out;
		}
	}
	if (score) {
		cap = 1u << 24;
		gold = malloc(cap * sizeof(int));
		pred = malloc(cap * sizeof(int));
		if (!gold || !pred) {
			rc = cli_fail(&(err_t){ ERR_NOMEM, "out of memory" });
			goto out;
		}
	}
	rc = EXIT_OK;
	for (int i = 0; i < (npos ? npos : 1); i++) {
		if (predict_file(c, w, penta ? &pj : NULL, npos ? pos[i] : "-", top, threshold, lead,
				 gold, pred, &n, cap, &labeled, &e) < 0) {
			fflush(stdout);
			rc = cli_fail(&e);
			break;
		}
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "evtag predict: write error on standard output\n");
		rc = EXIT_RUNTIME;
	}
	if (score && rc == EXIT_OK) {
		if (!labeled) {
			fprintf(stderr, "evtag predict: --score needs labeled input (LABEL<TAB>text)\n");
			rc = EXIT_RUNTIME;
		} else {
			double acc, f1 = clf_macro_f1(gold, pred, n, clf_nlabels(c) + 1, &acc);
			fprintf(stderr, "%zu examples: macro-F1 %.2f, accuracy %.2f\n", n, 100 * f1, 100 * acc);
		}
	}
out:
	free(gold);
	free(pred);
	free(pj.p);
	clf_ws_free(pj.w);
	clf_free(q);
	clf_ws_free(w);
	clf_free(c);
	return rc;
}
