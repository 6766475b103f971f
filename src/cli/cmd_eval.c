/* cmd_eval: `evtag score` (score existing predictions) and `evtag eval`
 * (run a model on gold data and score it). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/afile.h"
#include "base/buf.h"
#include "cli/cli.h"
#include "learn/clf.h"
#include "cli/cmd.h"
#include "cli/heap.h"
#include "text/conll.h"
#include "base/dict.h"
#include "base/zfile.h"
#include "eval/eval.h"
#include "learn/tagger.h"
#include "text/tsv.h"

typedef struct score_opts {
	const char *format;
	const char *compare;
	const char *scheme;
	const char *labels;
	int bootstrap;
	int seed;
	int bins;
	int json;
	int conlleval;
	int raw;
	const char *plot;
} score_opts;

/* Checks the options shared by score and eval; fills eo. -1 ok, else the
 * exit status of the usage error. */
static int check_opts(const char *cmd, const score_opts *so, eval_opts *eo)
{
	eval_opts_init(eo);
	if (so->bootstrap < 0)
		return cli_usage_error(cmd, "--bootstrap must be 0 or more, got %d", so->bootstrap);
	if (so->seed < 0)
		return cli_usage_error(cmd, "--seed must be 0 or more, got %d", so->seed);
	if (so->bins < 1 || so->bins > 1000)
		return cli_usage_error(cmd, "--bins must be between 1 and 1000, got %d", so->bins);
	eo->resamples = so->bootstrap;
	eo->seed = (unsigned long)so->seed;
	eo->bins = so->bins;
	if (strcmp(so->scheme, "auto") == 0)
		eo->rules = EVAL_RULES_AUTO;
	else if (strcmp(so->scheme, "conlleval") == 0)
		eo->rules = EVAL_RULES_CONLLEVAL;
	else if (strcmp(so->scheme, "iobes") == 0)
		eo->rules = EVAL_RULES_IOBES;
	else
		return cli_usage_error(cmd, "--scheme must be auto, conlleval or iobes, got '%s'",
				       so->scheme);
	if (strcmp(so->labels, "auto") == 0)
		eo->labels = EVAL_LABELS_AUTO;
	else if (strcmp(so->labels, "single") == 0)
		eo->labels = EVAL_LABELS_SINGLE;
	else if (strcmp(so->labels, "multi") == 0)
		eo->labels = EVAL_LABELS_MULTI;
	else
		return cli_usage_error(cmd, "--labels must be auto, single or multi, got '%s'",
				       so->labels);
	if (so->json && so->conlleval)
		return cli_usage_error(cmd, "--json and --conlleval exclude each other");
	return -1;
}

/* Writes the report's SVG drawing to path, whole or not at all
 * (afile_write). 0, or 1 with a message naming path. */
static int write_plot(const eval_report *r, const char *path)
{
	buf_t b;
	err_t e;
	int rc;

	buf_init(&b);
	eval_report_svg(r, &b);
	rc = b.failed ? err_set(&e, ERR_NOMEM, "%s: out of memory drawing the plot", path)
		      : afile_write(path, b.data, b.len, &e);
	buf_free(&b);
	return rc < 0 ? cli_fail(&e) : EXIT_OK;
}

/* Writes the plot (with --plot), then prints the report in the chosen
 * form; 0, or 1 when writing fails. */
static int print_report(const eval_report *r, const score_opts *so)
{
	buf_t b;
	int rc = EXIT_OK;

	if (so->plot && write_plot(r, so->plot) != EXIT_OK)
		return EXIT_RUNTIME;
	buf_init(&b);
	if (so->json)
		eval_report_json(r, &b);
	else if (so->conlleval)
		eval_report_conlleval(r, &b);
	else
		eval_report_table(r, &b);
	if (b.failed) {
		fprintf(stderr, "evtag: out of memory writing the report\n");
		rc = EXIT_RUNTIME;
	} else if (fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout) != 0) {
		fprintf(stderr, "evtag: cannot write the report: %s\n", strerror(errno));
		rc = EXIT_RUNTIME;
	}
	buf_free(&b);
	return rc;
}

/* ---- evtag score ---- */

static int has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && strcmp(s + n - m, suf) == 0;
}

/* Guesses the format of an open file from its first lines (then rewinds):
 * a blank line between lines, or a first line that is not GOLD<TAB>PRED
 * [<TAB>PROBABILITY], means CoNLL. 'c' or 't'. */
static int sniff(FILE *f)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int fmt = 0, seen = 0, blank = 0, lines = 0;

	while (lines < 1000 && (len = getline(&line, &cap, f)) >= 0) {
		size_t n = (size_t)len;
		lines++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (strspn(line, " \t") == n) {
			blank = seen;
			continue;
		}
		if (blank) {
			fmt = 'c';
			break;
		}
		if (!seen) {
			char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
			seen = 1;
			if (!t1 || (t2 && strchr(t2 + 1, '\t'))) {
				fmt = 'c';
				break;
			}
			if (t2) {
				char *end;
				double p = strtod(t2 + 1, &end);
				if (end == t2 + 1 || *end || !(p >= 0 && p <= 1)) {
					fmt = 'c';
					break;
				}
			}
		}
	}
	free(line);
	rewind(f);
	return fmt ? fmt : 't';
}

typedef struct input {
	FILE *f;
	const char *name;
	int fmt;           /* 'c' or 't' */
} input;

/* Opens path (standard input copied to a temporary file when its format
 * has to be guessed) and settles its format. 0 or an exit status. */
static int open_input(const char *path, const char *format, input *in)
{
	in->name = path;
	in->fmt = strcmp(format, "conll") == 0 ? 'c' : strcmp(format, "tsv") == 0 ? 't' : 0;
	if (strcmp(path, "-") == 0) {
		in->name = "<stdin>";
		if (in->fmt) {
			in->f = stdin;
			return 0;
		}
		in->f = tmpfile();
		if (!in->f) {
			fprintf(stderr, "evtag: cannot make a temporary file: %s\n", strerror(errno));
			return EXIT_RUNTIME;
		}
		char tmp[65536];
		size_t n;
		while ((n = fread(tmp, 1, sizeof(tmp), stdin)) > 0)
			if (fwrite(tmp, 1, n, in->f) != n) {
				fprintf(stderr, "evtag: cannot copy standard input: %s\n",
					strerror(errno));
				fclose(in->f);
				return EXIT_RUNTIME;
			}
		rewind(in->f);
	} else {
		in->f = zfile_open(path);
		if (!in->f) {
			fprintf(stderr, "evtag: %s: %s\n", path, strerror(errno));
			return EXIT_RUNTIME;
		}
	}
	if (!in->fmt) {
		if (has_suffix(path, ".conll") || has_suffix(path, ".iob") ||
		    has_suffix(path, ".bio") || has_suffix(path, ".conll2003"))
			in->fmt = 'c';
		else if (has_suffix(path, ".tsv"))
			in->fmt = 't';
		else
			in->fmt = sniff(in->f);
	}
	return 0;
}

static void close_input(input *in)
{
	if (in->f && in->f != stdin)
		fclose(in->f);
	in->f = NULL;
}

int cmd_score(int argc, char **argv)
{
	score_opts so = { .format = "auto", .scheme = "auto", .labels = "auto",
			  .bootstrap = EVAL_DEFAULT_RESAMPLES, .seed = (int)EVAL_DEFAULT_SEED,
			  .bins = EVAL_DEFAULT_BINS };
	const cli_opt opts[] = {
		CLI_STR("format", 'f', &so.format, "FMT",
			"conll (... GOLD PRED columns), tsv (GOLD<TAB>PRED[<TAB>PROB]) or auto"),
		CLI_STR("compare", 'c', &so.compare, "FILE2",
			"a second system's predictions on the same gold data"),
		CLI_INT("bootstrap", 'b', &so.bootstrap, "N",
			"bootstrap resamples and randomization trials (default 1000; 0: none)"),
		CLI_INT("seed", 's', &so.seed, "S", "random seed (default 12345)"),
		CLI_FLAG("json", 0, &so.json, "write one JSON object (schema in docs/evaluation.md)"),
		CLI_FLAG("conlleval", 0, &so.conlleval, "write conlleval's own report (spans)"),
		CLI_STR("scheme", 0, &so.scheme, "S",
			"span rules: auto, conlleval (exactly) or iobes (conlleval + S/E rules)"),
		CLI_FLAG("raw", 0, &so.raw, "tags are bare types, one token per phrase (conlleval -r)"),
		CLI_STR("labels", 0, &so.labels, "L",
			"single, multi (labels joined by commas) or auto"),
		CLI_INT("bins", 0, &so.bins, "N", "calibration bins (default 10)"),
		CLI_STR("plot", 0, &so.plot, "FILE",
			"also draw the report as SVG into FILE (docs/evaluation.md)"),
		CLI_END
	};
	char **pos;
	int npos, rc;
	eval_opts eo;
	input in[2] = { { 0 }, { 0 } };
	eval_spans_t *sp[2] = { NULL, NULL };
	eval_clf_t *cl[2] = { NULL, NULL };
	eval_report *r = NULL;
	err_t e;

	err_clear(&e);
	rc = cli_parse(opts, "score", "[options] FILE",
		       "Score existing predictions: a CoNLL file whose last two columns are the\n"
		       "gold and predicted tags (spans, scored as conlleval does), or TSV lines\n"
		       "GOLD<TAB>PREDICTED[<TAB>PROBABILITY] (classification).",
		       argc, argv, &pos, &npos);
	if (rc >= 0)
		return rc;
	if (npos != 1)
		return cli_usage_error("score", npos ? "give one prediction file (and --compare FILE2)"
						    : "missing prediction file");
	if (strcmp(so.format, "auto") && strcmp(so.format, "conll") && strcmp(so.format, "tsv"))
		return cli_usage_error("score", "--format must be conll, tsv or auto, got '%s'",
				       so.format);
	if ((rc = check_opts("score", &so, &eo)) >= 0)
		return rc;
	if (so.compare && strcmp(so.compare, "-") == 0 && strcmp(pos[0], "-") == 0)
		return cli_usage_error("score", "only one input can be standard input");

	rc = EXIT_RUNTIME;
	if (open_input(pos[0], so.format, &in[0]))
		goto out;
	if (so.compare) {
		if (open_input(so.compare, so.format, &in[1]))
			goto out;
		if (in[1].fmt != in[0].fmt) {
			fprintf(stderr, "evtag: %s looks like %s but %s like %s; use --format\n",
				in[0].name, in[0].fmt == 'c' ? "CoNLL" : "TSV", in[1].name,
				in[1].fmt == 'c' ? "CoNLL" : "TSV");
			goto out;
		}
	}
	if (in[0].fmt == 'c') {
		for (int k = 0; k < (so.compare ? 2 : 1); k++) {
			sp[k] = eval_spans_new(in[k].name, so.raw ? EVAL_RAW : 0);
			if (!sp[k]) {
				err_set(&e, ERR_NOMEM, "out of memory");
				goto fail;
			}
			if (eval_spans_readf(sp[k], in[k].f, in[k].name, &e) < 0)
				goto fail;
		}
		if (eval_spans_score(sp[0], sp[1], &eo, &r, &e) < 0)
			goto fail;
	} else {
		if (so.conlleval) {
			fprintf(stderr, "evtag: --conlleval needs CoNLL span data; %s is "
					"classification TSV\n", in[0].name);
			goto out;
		}
		for (int k = 0; k < (so.compare ? 2 : 1); k++) {
			cl[k] = eval_clf_new(in[k].name);
			if (!cl[k]) {
				err_set(&e, ERR_NOMEM, "out of memory");
				goto fail;
			}
			if (eval_clf_readf(cl[k], in[k].f, in[k].name, &e) < 0)
				goto fail;
		}
		if (eval_clf_score(cl[0], cl[1], &eo, &r, &e) < 0)
			goto fail;
	}
	rc = print_report(r, &so);
	goto out;
fail:
	rc = cli_fail(&e);
out:
	eval_report_free(r);
	for (int k = 0; k < 2; k++) {
		eval_spans_free(sp[k]);
		eval_clf_free(cl[k]);
		close_input(&in[k]);
	}
	return rc;
}

/* ---- evtag eval ---- */

/* Runs classifier model on the examples of d and collects its predictions
 * (with the predicted label's probability when the model has calibrated
 * ones) under the model's name. 0 or a negative ERR_ code with e set. */
static int run_classifier(const char *model, const tsv_data *d, const char *data,
			  eval_clf_t **out, err_t *e)
{
	clf_t *c = NULL;
	clf_ws *ws = NULL;
	double *prob = NULL;
	eval_clf_t *ec = NULL;
	int rc, calibrated;

	*out = NULL;
	if ((rc = clf_load(model, &c, e)) < 0)
		return rc;
	calibrated = clf_has_probability(c);
	ws = clf_ws_new(c);
	prob = malloc((clf_nlabels(c) ? clf_nlabels(c) : 1) * sizeof(*prob));
	ec = eval_clf_new(model);
	if (!ws || !prob || !ec) {
		rc = err_set(e, ERR_NOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < d->n; i++) {
		int best = 0;
		const char *lab;
		rc = clf_predict_text(c, ws, d->text[i], d->text_len[i], prob, &best, e);
		if (rc < 0) {
			char where[600];
			snprintf(where, sizeof(where), "%s:%llu", data,
				 (unsigned long long)d->line[i]);
			err_prefix(e, where);
			goto out;
		}
		lab = clf_label_name(c, (size_t)best);
		if (!lab) {
			rc = err_set(e, ERR_MODEL, "%s: predicted label %d out of range", model, best);
			goto out;
		}
		rc = eval_clf_add(ec, d->label[i], strlen(d->label[i]), lab, strlen(lab),
				  calibrated ? prob[best] : -1, d->line[i], e);
		if (rc < 0)
			goto out;
	}
	*out = ec;
	ec = NULL;
	rc = 0;
out:
	eval_clf_free(ec);
	free(prob);
	clf_ws_free(ws);
	clf_free(c);
	return rc;
}

/* Runs tagger model over the sentences of gold corpus c and collects gold
 * (IOB2) and predicted tags under the model's name. 0 or a negative ERR_
 * code with e set. */
static int run_tagger(const char *model, const conll_corpus *c, int raw,
		      eval_spans_t **out, err_t *e)
{
	tagger_t *t = NULL;
	tagger_ws *ws = NULL;
	tagger_tok *tok = NULL;
	uint32_t *lab = NULL, maxn = 1;
	eval_spans_t *sp = NULL;
	tdoc_t *doc = NULL;
	int rc;

	*out = NULL;
	if ((rc = tagger_load(model, &t, e)) < 0)
		return rc;
	for (uint32_t s = 0; s < c->nsent; s++)
		if (c->sent[s].n > maxn)
			maxn = c->sent[s].n;
	ws = tagger_ws_new(t);
	tok = malloc(maxn * sizeof(*tok));
	lab = malloc(maxn * sizeof(*lab));
	sp = eval_spans_new(model, raw ? EVAL_RAW : 0);
	if (!ws || !tok || !lab || !sp) {
		rc = err_set(e, ERR_NOMEM, "out of memory");
		goto out;
	}
	for (uint32_t s = 0; s < c->nsent; s++) {
		const conll_sent *cs = &c->sent[s];
		for (uint32_t i = 0; i < cs->n; i++) {
			uint32_t len;
			tok[i].s = conll_token(c, cs->first + i, &len);
			tok[i].len = len;
		}
		if ((rc = tagger_conll_doc(t, ws, c, s, &doc, e)) < 0 ||
		    (rc = tagger_tag(t, ws, tok, cs->n, lab, NULL, NULL, e)) < 0)
			goto out;
		for (uint32_t i = 0; i < cs->n; i++) {
			const conll_row *row = &c->row[cs->first + i];
			size_t gl;
			const char *g = dict_str(c->tags, row->tag, &gl);
			const char *p = tagger_label_name(t, lab[i]);
			if (!g || !p) {
				rc = err_set(e, ERR_MODEL, "%s: tag id out of range", model);
				goto out;
			}
			rc = eval_spans_add(sp, g, gl, p, strlen(p), row->line, e);
			if (rc < 0)
				goto out;
		}
		if ((rc = eval_spans_break(sp, 0, e)) < 0)
			goto out;
	}
	*out = sp;
	sp = NULL;
	rc = 0;
out:
	eval_spans_free(sp);
	free(tok);
	free(lab);
	tagger_ws_free(ws);
	tdoc_free(doc);
	tagger_free(t);
	return rc;
}

/* evtag eval tagger|classifier: one scaffold, the kind picks the reader,
 * the runner and the two kind-specific options. */
static int eval_model(int tagger, int argc, char **argv)
{
	score_opts so = { .scheme = "auto", .labels = "auto",
			  .bootstrap = EVAL_DEFAULT_RESAMPLES, .seed = (int)EVAL_DEFAULT_SEED,
			  .bins = EVAL_DEFAULT_BINS };
	const char *model = NULL;
	const char *cmd = tagger ? "eval tagger" : "eval classifier";
	const cli_opt opts[] = {
		CLI_STR("model", 'm', &model, "M", tagger ? "tagger model to evaluate (required)"
							  : "classifier model to evaluate (required)"),
		CLI_STR("compare", 'c', &so.compare, "M2",
			tagger ? "a second tagger model, compared on the same data"
			       : "a second classifier model, compared on the same data"),
		CLI_INT("bootstrap", 'b', &so.bootstrap, "N",
			"bootstrap resamples and randomization trials (default 1000; 0: none)"),
		CLI_INT("seed", 's', &so.seed, "S", "random seed (default 12345)"),
		CLI_FLAG("json", 0, &so.json, "write one JSON object (schema in docs/evaluation.md)"),
		tagger ? (cli_opt)CLI_FLAG("conlleval", 0, &so.conlleval,
					   "write conlleval's own report")
		       : (cli_opt)CLI_STR("labels", 0, &so.labels, "L",
					  "single, multi (gold labels joined by commas) or auto"),
		tagger ? (cli_opt)CLI_STR("scheme", 0, &so.scheme, "S",
					  "span rules: auto, conlleval (exactly) or iobes "
					  "(conlleval + S/E rules)")
		       : (cli_opt)CLI_INT("bins", 0, &so.bins, "N",
					  "calibration bins (default 10)"),
		CLI_STR("plot", 0, &so.plot, "FILE",
			"also draw the report as SVG into FILE (docs/evaluation.md)"),
		CLI_END
	};
	char **pos;
	int npos, rc;
	eval_opts eo;
	conll_corpus *c = NULL;
	tsv_data d;
	eval_spans_t *sp[2] = { NULL, NULL };
	eval_clf_t *ec[2] = { NULL, NULL };
	eval_report *r = NULL;
	err_t e;

	err_clear(&e);
	memset(&d, 0, sizeof(d));
	rc = cli_parse(opts, cmd,
		       tagger ? "--model M [options] FILE.conll" : "--model M [options] FILE.tsv",
		       tagger ? "Tag the sentences of a gold CoNLL file (token first, tag last) with a\n"
				"tagger model and score the spans as conlleval does."
			      : "Run a classifier on gold LABEL<TAB>text examples and score it.",
		       argc, argv, &pos, &npos);
	if (rc >= 0)
		return rc;
	if (!model)
		return cli_usage_error(cmd, "--model is required");
	if (npos != 1)
		return cli_usage_error(cmd, tagger ? "give one gold CoNLL file"
						   : "give one gold data file");
	if ((rc = check_opts(cmd, &so, &eo)) >= 0)
		return rc;
	if (tagger) {
		if (conll_read(pos[0], CONLL_TAGS, &c, &e) < 0)
			goto fail;
		if (c->nsent == 0) {
			err_set(&e, ERR_EMPTY, "%s: no sentences", pos[0]);
			goto fail;
		}
		for (int k = 0; k < (so.compare ? 2 : 1); k++)
			if (run_tagger(k ? so.compare : model, c, 0, &sp[k], &e) < 0)
				goto fail;
		if (eval_spans_score(sp[0], sp[1], &eo, &r, &e) < 0)
			goto fail;
	} else {
		if (tsv_read_all(pos[0], 0, &d, &e) < 0)
			goto fail;
		if (d.n == 0) {
			err_set(&e, ERR_EMPTY, "%s: no examples", pos[0]);
			goto fail;
		}
		for (int k = 0; k < (so.compare ? 2 : 1); k++)
			if (run_classifier(k ? so.compare : model, &d, pos[0], &ec[k], &e) < 0)
				goto fail;
		if (eval_clf_score(ec[0], ec[1], &eo, &r, &e) < 0)
			goto fail;
	}
	if (!(r->data = strdup(pos[0]))) {
		err_set(&e, ERR_NOMEM, "out of memory");
		goto fail;
	}
	rc = print_report(r, &so);
	goto out;
fail:
	rc = cli_fail(&e);
out:
	eval_report_free(r);
	for (int k = 0; k < 2; k++) {
		eval_spans_free(sp[k]);
		eval_clf_free(ec[k]);
	}
	conll_free(c);
	tsv_data_free(&d);
	return rc;
}

int cmd_eval(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		FILE *f = argc < 2 ? stderr : stdout;
		fprintf(f, "Usage: evtag eval tagger --model M [options] FILE.conll\n"
			   "       evtag eval classifier --model M [options] FILE.tsv\n"
			   "Run a model on gold data and score it ('--compare M2' compares two\n"
			   "models). 'evtag score' scores predictions that already exist.\n"
			   "Run 'evtag eval tagger --help' or 'evtag eval classifier --help'.\n");
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	cli_heap_hugepages();
	if (strcmp(argv[1], "classifier") == 0)
		return eval_model(0, argc - 1, argv + 1);
	if (strcmp(argv[1], "tagger") == 0)
		return eval_model(1, argc - 1, argv + 1);
	return cli_usage_error("eval", "unknown model kind '%s' (tagger or classifier)", argv[1]);
}
