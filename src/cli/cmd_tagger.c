/* cmd_tagger: `evtag train tagger` and `evtag tag`. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text/art.h"
#include "base/buf.h"
#include "base/zfile.h"
#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/heap.h"
#include "text/conll.h"
#include "base/json.h"
#include "learn/tagger.h"
#include "text/tok.h"

/* ---- evtag train tagger ---- */

typedef struct train_cli {
	const char *corpus, *dev, *output, *gazetteer, *lexicon, *entities;
	const char *method, *templates, *cluster_text, *rules, *vclusters, *vlevels;
	int seed, threads, iterations, patience, min_freq, hash_bits, clusters, vtop;
	int verbose, quiet, refit, progress;
	double c1, c2, holdout, obias, tbias;
} train_cli;

/* Checks a tagger corpus before any work: refuses (EXIT_RUNTIME, with
 * "evtag: FILE[:LINE]: reason" and a hint) an empty file and a
 * LABEL<TAB>text classifier corpus; -1 when it may be read. */
static int check_conll(const char *path)
{
	const char *hint = "a tagger corpus is CoNLL: one token a line, the IOB tag last, "
			   "a blank line between sentences";
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0, seen = 0;
	int rc = -1;

	if (strcmp(path, "-") == 0 || !(f = zfile_open(path)))
		return -1; /* the reader says what is wrong */
	while (seen < 50 && (len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (strspn(line, " \t\r\n") == (size_t)len)
			continue;
		seen++;
		/* CoNLL's columns never hold spaces; a tab-separated field that
		 * does is running text */
		char *tab = strchr(line, '\t');
		if (tab && (memchr(line, ' ', (size_t)(tab - line)) || strchr(tab + 1, ' '))) {
			fprintf(stderr, "evtag: %s:%ld: this looks like LABEL<TAB>text (a classifier "
				"corpus), not CoNLL\nhint: a LABEL<TAB>text corpus trains a classifier: "
				"evtag train classifier --corpus %s\n", path, lineno, path);
			rc = EXIT_RUNTIME;
			break;
		}
	}
	if (rc < 0 && !ferror(f) && seen == 0) {
		fprintf(stderr, "evtag: %s: no sentences (the file is empty)\nhint: %s\n", path, hint);
		rc = EXIT_RUNTIME;
	}
	free(line);
	fclose(f);
	return rc;
}

/* --rules LIST: names to TAGGER_RULE_* bits; -1 on an unknown name. */
static int parse_rules(const char *list, uint32_t *bits)
{
	*bits = 0;
	while (*list) {
		size_t n = strcspn(list, ",");
		if (n == 7 && memcmp(list, "promote", 7) == 0)
			*bits |= TAGGER_RULE_PROMOTE;
		else if (n == 9 && memcmp(list, "overwrite", 9) == 0)
			*bits |= TAGGER_RULE_OVERWRITE;
		else if (n == 10 && memcmp(list, "event-only", 10) == 0)
			*bits |= TAGGER_RULE_EVENT_ONLY;
		else if (n == 6 && memcmp(list, "target", 6) == 0)
			*bits |= TAGGER_RULE_TARGET;
		else if (n == 7 && memcmp(list, "passive", 7) == 0)
			*bits |= TAGGER_RULE_PASSIVE;
		else if (!(n == 4 && memcmp(list, "none", 4) == 0))
			return -1;
		list += n;
		if (*list == ',')
			list++;
	}
	return 0;
}

/* --preset: the settings of the shipped recipes (training/train-*.sh). */
/* The word-vector cluster file training/vectors.sh writes:
 * $EVTAG_CACHE/glove-clusters.tsv, by default ~/.cache/evtag. */
static char *vclusters_path(char *out, size_t n)
{
	const char *c = getenv("EVTAG_CACHE"), *h = getenv("HOME");

	if (c && *c)
		snprintf(out, n, "%s/glove-clusters.tsv", c);
	else
		snprintf(out, n, "%s/.cache/evtag/glove-clusters.tsv", h && *h ? h : ".");
	return out;
}

static int tagger_preset(const char *name, train_cli *o, char *gaz, char *lex, char *ctext,
			 char *vcl, size_t n)
{
	if (strcmp(name, "entities") == 0) {
		/* training/train-entities.sh */
		o->gazetteer = cli_shared_path(gaz, n, "gazetteers/countries.csv");
		o->templates = "default,vc,vc-1,vc+1";
		o->vclusters = vclusters_path(vcl, n);
		o->clusters = 1;
		o->c1 = 0.1;
		o->c2 = 1;
		o->iterations = 200;
	} else if (strcmp(name, "roles") == 0) {
		/* training/train-roles.sh: no held-out part, L-BFGS run until the
		 * objective stops improving (396 iterations on the recipe) */
		o->gazetteer = cli_shared_path(gaz, n, "gazetteers/countries.csv");
		o->lexicon = cli_shared_path(lex, n, "lexicons/cameo-verbs.tsv");
		o->clusters = 1;
		o->cluster_text = cli_shared_path(ctext, n, "corpora/entities/gmb/train.conll");
		o->templates = "roles,lvl,lvr,nvl,lw-3,lw+3,cl-2,cl+2,ev.side,ev.w,byagent,"
			       "vc,vc-1,vc+1,vc-2,vc+2";
		o->vclusters = vclusters_path(vcl, n);
		o->rules = "promote,target";
		o->c2 = 3;
		o->iterations = 1000;
	} else {
		return -1;
	}
	o->patience = 20;
	o->seed = 1;
	o->threads = 2;
	return 0;
}

typedef struct progress_ctx {
	int on; /* a line per iteration on stderr */
} progress_ctx;

/* The library's per-iteration report (tagger_train's callback) as one
 * line: iteration, objective, dev F1 with the best so far, active
 * weights, seconds. */
static void on_progress(const tagger_progress *p, void *ctx)
{
	const progress_ctx *pc = ctx;
	char f1[64] = "";

	if (!pc->on)
		return;
	if (p->dev_f1 >= 0)
		snprintf(f1, sizeof(f1), "  dev F1 %.2f (best %.2f @%d)", p->dev_f1,
			 p->best_f1, p->best_iter);
	fprintf(stderr, "iter %3d  objective %.6g%s  active %llu  %.1fs\n", p->iter,
		p->objective, f1, (unsigned long long)p->active, p->elapsed);
	fflush(stderr);
}

int cmd_train_tagger(int argc, char **argv)
{
	train_cli o = { .method = "crf", .templates = "default", .seed = 1,
			.threads = 2, .iterations = 200, .patience = 20,
			.min_freq = 1, .hash_bits = 0, .clusters = 0,
			.c1 = 0, .c2 = 0.05, .obias = NAN, .tbias = NAN /* not given: the CLI refuses NaN */ };
	const char *preset = NULL;
	char gaz[1024], lex[1024], ctext[1024], vcl[1024];
	const cli_opt opts[] = {
		CLI_STR("corpus", 0, &o.corpus, "FILE", "training data, CoNLL (token first, IOB tag last)"),
		CLI_STR("preset", 0, &preset, "NAME", "entities or roles: the settings of training/train-NAME.sh "
			"(data from $EVTAG_SHARED, else ../shared); options given override them"),
		CLI_STR("dev", 0, &o.dev, "FILE", "development data for early stopping (CoNLL)"),
		CLI_STR("output", 'o', &o.output, "MODEL", "model file to write"),
		CLI_STR("gazetteer", 0, &o.gazetteer, "FILE", "countries CSV compiled into the model (gaz features)"),
		CLI_STR("lexicon", 0, &o.lexicon, "FILE", "verb lexicon TSV compiled into the model (lex features)"),
		CLI_STR("entities", 0, &o.entities, "MODEL", "entity tagger model embedded for ent features"),
		CLI_STR("method", 0, &o.method, "NAME", "crf (L-BFGS) or perceptron (averaged); default crf"),
		CLI_STR("templates", 0, &o.templates, "LIST", "feature templates: default, roles, all, names, -name"),
		CLI_INT("seed", 's', &o.seed, "N", "random seed (default 1)"),
		CLI_INT("threads", 'j', &o.threads, "N", "threads for the CRF gradient (default 2)"),
		CLI_INT("iterations", 0, &o.iterations, "N", "maximum iterations or epochs (default 200)"),
		CLI_INT("patience", 0, &o.patience, "N", "stop after N iterations without a better dev F1 (default 20; 0 = off)"),
		CLI_DOUBLE("c1", 0, &o.c1, "X", "L1 coefficient (default 0)"),
		CLI_DOUBLE("c2", 0, &o.c2, "X", "L2 coefficient (default 0.05)"),
		CLI_INT("min-freq", 0, &o.min_freq, "N", "drop features seen fewer than N times (default 1)"),
		CLI_INT("hash-bits", 0, &o.hash_bits, "N", "hash features into 2^N buckets (default 0: exact keys)"),
		CLI_INT("clusters", 0, &o.clusters, "N", "1: learn word clusters from the corpora's text (cl features)"),
		CLI_DOUBLE("holdout", 0, &o.holdout, "F", "without --dev: hold out fraction F of the corpus (seeded) for early stopping"),
		CLI_DOUBLE("o-bias", 0, &o.obias, "X", "subtract X from the O label's score when decoding (default: tuned on dev)"),
		CLI_FLAG("refit", 0, &o.refit, "with --holdout: retrain on the whole corpus for the best iteration count"),
		CLI_STR("rules", 0, &o.rules, "LIST", "decoding rules kept in the model: promote (a verb's subject to "
			"SOURCE when a sentence has none), event-only, overwrite (with promote: "
			"event verbs only; no re-decoding), target (a sentence with a SOURCE and no "
			"TARGET decoded again, TARGET favoured after the SOURCE), passive (with promote: "
			"a passive verb's \"by\" agent too), none"),
		CLI_DOUBLE("target-bias", 0, &o.tbias, "X", "with --rules target: added to B-TARGET's score after the SOURCE (default 2)"),
		CLI_STR("cluster-text", 0, &o.cluster_text, "FILE", "with --clusters: a CoNLL file whose tokens join the cluster text"),
		CLI_STR("vclusters", 0, &o.vclusters, "FILE", "word-vector cluster file (word<TAB>id per granularity, header word<TAB>cK...; "
			"glove-clusters.tsv from training/vectors.sh) compiled into the model for the vc templates"),
		CLI_STR("vlevels", 0, &o.vlevels, "LIST", "with --vclusters: the granularities to keep, e.g. 1024,256 (default: every column, at most 4)"),
		CLI_INT("vtop", 0, &o.vtop, "N", "with --vclusters: keep the file's first N words only (default 0: all)"),
		CLI_FLAG("progress", 0, &o.progress,
			 "a line per iteration (objective, dev F1) on stderr, even with --quiet "
			 "or when stderr is not a terminal (default: only on a terminal)"),
		CLI_FLAG("verbose", 'v', &o.verbose, "the same as --progress"),
		CLI_FLAG("quiet", 'q', &o.quiet, "no summary, and no progress unless --progress"),
		CLI_END
	};
	char **pos;
	int npos, rc;
	tagger_train_opts to;
	conll_corpus *train = NULL, *dev = NULL;
	tagger_t *t = NULL;
	tagger_train_stats st;
	err_t e = { 0 };
	char trained[1024];

	const char *pname = cli_prescan(argc, argv, "preset");
	int bad_preset = pname && tagger_preset(pname, &o, gaz, lex, ctext, vcl, sizeof(gaz)) < 0;
	rc = cli_parse(opts, "train tagger", "--corpus TRAIN.conll [--dev DEV.conll] -o MODEL [options]",
		       "Train a sequence tagger (entities or actor roles) on CoNLL data.",
		       argc, argv, &pos, &npos);
	if (rc >= 0)
		return rc;
	if (npos > 0)
		return cli_usage_error("train tagger", "unexpected argument '%s'", pos[0]);
	if (bad_preset)
		return cli_usage_error("train tagger", "unknown --preset '%s' (entities or roles)", preset);
	if (pname && !bad_preset) {
		/* the preset's data files must be there unless others were given */
		const char *files[] = { o.gazetteer == gaz ? gaz : NULL, o.lexicon == lex ? lex : NULL,
					o.cluster_text == ctext ? ctext : NULL, o.vclusters == vcl ? vcl : NULL };
		for (int i = 0; i < 4; i++) {
			FILE *f = files[i] ? fopen(files[i], "rb") : NULL;
			if (files[i] && !f)
				return cli_usage_error("train tagger", "--preset %s uses %s, not found: give "
						       "the file with its option or set %s", pname, files[i],
						       i == 3 ? "EVTAG_CACHE (sh training/vectors.sh writes it)"
							      : "EVTAG_SHARED");
			if (f)
				fclose(f);
		}
	}
	if (!o.corpus)
		return cli_usage_error("train tagger", "--corpus is required");
	if (!o.output)
		return cli_usage_error("train tagger", "-o MODEL is required");
	tagger_train_defaults(&to);
	if (strcmp(o.method, "crf") == 0)
		to.method = TAGGER_CRF;
	else if (strcmp(o.method, "perceptron") == 0)
		to.method = TAGGER_PERCEPTRON;
	else
		return cli_usage_error("train tagger", "--method must be crf or perceptron, not '%s'", o.method);
	if (tfeat_parse_templates(o.templates, &to.templates, &e) || to.templates == 0)
		return cli_usage_error("train tagger", "%s", e.msg[0] ? e.msg : "no feature templates");
	if (o.threads < 1 || o.threads > 64)
		return cli_usage_error("train tagger", "--threads must be 1 to 64");
	if (o.iterations < 1)
		return cli_usage_error("train tagger", "--iterations must be at least 1");
	if (o.patience < 0)
		return cli_usage_error("train tagger", "--patience must be 0 or more");
	if (o.c1 < 0 || o.c2 < 0 || !isfinite(o.c1) || !isfinite(o.c2))
		return cli_usage_error("train tagger", "--c1 and --c2 must be 0 or more");
	if (o.min_freq < 1)
		return cli_usage_error("train tagger", "--min-freq must be at least 1");
	if (o.hash_bits != 0 && (o.hash_bits < 8 || o.hash_bits > 40))
		return cli_usage_error("train tagger", "--hash-bits must be 0 or 8 to 40");
	if (o.seed < 0)
		return cli_usage_error("train tagger", "--seed must be 0 or more");
	if (!(o.holdout >= 0 && o.holdout < 1))
		return cli_usage_error("train tagger", "--holdout must be at least 0 and below 1");
	if (o.holdout > 0 && o.dev)
		return cli_usage_error("train tagger", "--holdout and --dev exclude each other");
	if (o.refit && o.holdout <= 0)
		return cli_usage_error("train tagger", "--refit needs --holdout");
	to.holdout = o.holdout;
	to.refit = o.refit;
	if (!isnan(o.obias)) {
		if (!(o.obias >= 0 && o.obias <= 100))
			return cli_usage_error("train tagger", "--o-bias must be between 0 and 100");
		to.obias = o.obias;
		to.obias_set = 1;
	}
	if (o.rules && parse_rules(o.rules, &to.rules) < 0)
		return cli_usage_error("train tagger", "--rules takes promote, event-only, overwrite, target, passive or none "
				       "(comma-separated), not '%s'", o.rules);
	if ((to.rules & (TAGGER_RULE_EVENT_ONLY | TAGGER_RULE_OVERWRITE | TAGGER_RULE_PASSIVE)) &&
	    !(to.rules & TAGGER_RULE_PROMOTE))
		return cli_usage_error("train tagger", "--rules event-only, overwrite and passive need promote");
	if (!isnan(o.tbias)) {
		if (!(o.tbias >= 0 && o.tbias <= 100))
			return cli_usage_error("train tagger", "--target-bias must be between 0 and 100");
		if (!(to.rules & TAGGER_RULE_TARGET))
			return cli_usage_error("train tagger", "--target-bias needs --rules target");
		to.tbias = o.tbias;
	}
	to.gazetteer = o.gazetteer;
	to.lexicon = o.lexicon;
	to.entities = o.entities;
	to.c1 = o.c1;
	to.c2 = o.c2;
	to.max_iter = o.iterations;
	to.patience = o.patience;
	to.threads = o.threads;
	to.seed = (uint64_t)o.seed;
	to.min_freq = (uint32_t)o.min_freq;
	to.hash_bits = (uint32_t)o.hash_bits;
	to.clusters = (uint32_t)o.clusters;
	to.cluster_text = o.cluster_text;
	if (o.cluster_text && !o.clusters)
		return cli_usage_error("train tagger", "--cluster-text needs --clusters 1");
	if ((o.vlevels || o.vtop) && !o.vclusters)
		return cli_usage_error("train tagger", "--vlevels and --vtop need --vclusters FILE");
	if (o.vtop < 0)
		return cli_usage_error("train tagger", "--vtop must be 0 or more");
	to.vctop = (uint32_t)o.vtop;
	if (o.vlevels) {
		const char *p = o.vlevels;
		while (*p) {
			char *end;
			unsigned long k = strtoul(p, &end, 10);
			if (end == p || k < 1 || k > 65535 || (*end && *end != ','))
				return cli_usage_error("train tagger", "--vlevels: numbers of clusters 1 to 65535, "
						       "comma-separated, not '%s'", o.vlevels);
			if (to.nvclevels == TFEAT_VC_MAX_LEVELS)
				return cli_usage_error("train tagger", "--vlevels: at most %d granularities",
						       TFEAT_VC_MAX_LEVELS);
			to.vclevels[to.nvclevels++] = (uint32_t)k;
			p = *end ? end + 1 : end;
		}
	}
	uint64_t vcmask = (uint64_t)1 << TF_VC | (uint64_t)1 << TF_VCM1 | (uint64_t)1 << TF_VCP1 |
			  (uint64_t)1 << TF_VCM2 | (uint64_t)1 << TF_VCP2;
	if (o.vclusters == vcl && !(to.templates & vcmask))
		o.vclusters = NULL; /* the preset's file, templates without vc given */
	if (o.vclusters && !(to.templates & vcmask))
		return cli_usage_error("train tagger", "--vclusters needs a vc template in --templates (vc,vc-1,vc+1)");
	if (!o.vclusters && (to.templates & vcmask))
		return cli_usage_error("train tagger", "the vc templates need --vclusters FILE (glove-clusters.tsv from training/vectors.sh)");
	to.vclusters = o.vclusters;
	char vdesc[160] = "";
	if (o.vclusters)
		snprintf(vdesc, sizeof(vdesc), " vclusters=yes vlevels=%.60s vtop=%d",
			 o.vlevels ? o.vlevels : "all", o.vtop);
	snprintf(trained, sizeof(trained),
		 "method=%s templates=%s c1=%g c2=%g iterations=%d patience=%d holdout=%g refit=%d seed=%d min-freq=%d hash-bits=%d clusters=%d gazetteer=%s lexicon=%s entities=%s%s",
		 o.method, o.templates, o.c1, o.c2, o.iterations, o.patience, o.holdout, o.refit, o.seed,
		 o.min_freq, o.hash_bits, o.clusters, o.gazetteer ? "yes" : "no",
		 o.lexicon ? "yes" : "no", o.entities ? "yes" : "no", vdesc);
	if (to.rules) /* models without rules keep their old record */
		snprintf(trained + strlen(trained), sizeof(trained) - strlen(trained),
			 " rules=%s", o.rules);
	if (to.rules & TAGGER_RULE_TARGET)
		snprintf(trained + strlen(trained), sizeof(trained) - strlen(trained),
			 " target-bias=%g", to.tbias);
	to.trained = trained;

	/* bad training input is refused before any work */
	if ((rc = check_conll(o.corpus)) >= 0 || (o.dev && (rc = check_conll(o.dev)) >= 0))
		return rc;
	if ((rc = conll_read(o.corpus, CONLL_TAGS, &train, &e)))
		goto fail;
	if (o.dev && (rc = conll_read(o.dev, CONLL_TAGS, &dev, &e)))
		goto fail;
	progress_ctx pc = { .on = o.progress || o.verbose ||
				  (!o.quiet && isatty(STDERR_FILENO)) };
	rc = tagger_train(&to, train, dev, &t, on_progress, &pc, &st, &e);
	if (rc)
		goto fail;
	if ((rc = tagger_save(t, o.output, &e)))
		goto fail;
	if (!o.quiet) {
		fprintf(stderr, "trained on %llu sentences (%llu tokens) in %.1fs, %d iterations",
			(unsigned long long)st.nsentences, (unsigned long long)st.ntokens,
			st.seconds, st.iterations);
		if (st.best_f1 >= 0)
			fprintf(stderr, "; best dev F1 %.2f at iteration %d (O bias %.2f)",
				st.best_f1, st.best_iter, st.obias);
		fprintf(stderr, "; %u of %u features kept, %llu weights; wrote %s\n",
			st.nattrs, st.nattrs_seen, (unsigned long long)st.nweights, o.output);
	}
	conll_free(train);
	conll_free(dev);
	tagger_free(t);
	return EXIT_OK;
fail:
	conll_free(train);
	conll_free(dev);
	tagger_free(t);
	return cli_fail(&e);
}

/* ---- evtag tag ---- */

/* Guesses whether a file is CoNLL (one token per line) rather than
 * running text or JSON lines: looks at its first 64 KiB. */
static int looks_like_conll(const char *path)
{
	FILE *f = zfile_open(path);
	char buf[65536];
	size_t n;
	int lines = 0, wide = 0;

	if (!f)
		return 1; /* let the reader report the error */
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	size_t i = 0;
	while (i < n && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r'))
		i++;
	if (i < n && buf[i] == '{')
		return 0;
	while (i < n && lines < 200) {
		size_t j = i;
		int fields = 0, in = 0;
		while (j < n && buf[j] != '\n') {
			int sp = buf[j] == ' ' || buf[j] == '\t' || buf[j] == '\r';
			if (!sp && !in)
				fields++;
			in = !sp;
			j++;
		}
		if (fields > 0)
			lines++;
		if (fields > 6)
			wide++;
		i = j + 1;
	}
	return lines > 0 && wide == 0;
}

static int tag_conll(const tagger_t *t, tagger_ws *ws, const char *path,
		     err_t *e)
{
	conll_corpus *c = NULL;
	tagger_tok *tok = NULL;
	uint32_t *lab = NULL, cap = 0;
	tdoc_t *doc = NULL;
	int rc = conll_read(path, 0, &c, e);

	if (rc)
		return rc;
	for (uint32_t s = 0; s < c->nsent && !rc; s++) {
		const conll_sent *cs = &c->sent[s];
		if (cs->n > cap) {
			tagger_tok *t2 = realloc(tok, cs->n * sizeof(*t2));
			uint32_t *l2 = t2 ? realloc(lab, cs->n * sizeof(*l2)) : NULL;
			if (t2)
				tok = t2;
			if (l2)
				lab = l2;
			if (!t2 || !l2) {
				rc = err_set(e, ERR_NOMEM, "out of memory");
				break;
			}
			cap = cs->n;
		}
		for (uint32_t i = 0; i < cs->n; i++)
			tok[i].s = conll_token(c, cs->first + i, &tok[i].len);
		rc = tagger_conll_doc(t, ws, c, s, &doc, e);
		if (!rc)
			rc = tagger_tag(t, ws, tok, cs->n, lab, NULL, NULL, e);
		if (rc)
			break;
		for (uint32_t i = 0; i < cs->n; i++) {
			const conll_row *r = &c->row[cs->first + i];
			const char *line = c->text + r->off;
			char sep = memchr(line, '\t', r->len) ? '\t' : ' ';
			fwrite(line, 1, r->len, stdout);
			putchar(sep);
			fputs(tagger_label_name(t, lab[i]), stdout);
			putchar('\n');
		}
		putchar('\n');
	}
	free(tok);
	free(lab);
	tagger_ws_set_doc(ws, NULL);
	tdoc_free(doc);
	conll_free(c);
	return rc;
}

static int tag_text(const tagger_t *t, tagger_ws *ws, const char *path,
		    double min_score, int *bad, err_t *e)
{
	art_reader *r = NULL;
	art_article a;
	tok_doc d;
	tagger_tok *tok = NULL;
	tagger_span *sp = NULL;
	uint32_t cap = 0;
	tdoc_t *doc = NULL;
	buf_t b;
	int rc;

	tok_doc_init(&d);
	buf_init(&b);
	rc = art_open(&r, path, ART_AUTO, e);
	if (rc)
		return rc;
	for (;;) {
		rc = art_next(r, &a, e);
		if (rc == 0)
			break;
		if (rc == ERR_FORMAT || rc == ERR_UTF8) {
			fprintf(stderr, "evtag: %s\n", e->msg);
			*bad = 1;
			continue;
		}
		if (rc < 0)
			break;
		rc = tok_split(&d, a.text, a.len, a.body, 0, e);
		if (rc) {
			fprintf(stderr, "evtag: %s: %s\n", a.id, e->msg);
			*bad = 1;
			continue;
		}
		if ((rc = tagger_text_doc(t, ws, &d, a.text, &doc, e)))
			goto out;
		for (uint32_t s = 0; s < d.nsent; s++) {
			const tok_sent *ts = &d.sent[s];
			if (ts->n > cap) {
				tagger_tok *t2 = realloc(tok, ts->n * sizeof(*t2));
				tagger_span *s2 = t2 ? realloc(sp, ts->n * sizeof(*s2)) : NULL;
				if (t2)
					tok = t2;
				if (s2)
					sp = s2;
				if (!t2 || !s2) {
					rc = err_set(e, ERR_NOMEM, "out of memory");
					goto out;
				}
				cap = ts->n;
			}
			for (uint32_t i = 0; i < ts->n; i++) {
				const tok_token *k = &d.tok[ts->first + i];
				tok[i].s = a.text + k->start;
				tok[i].len = k->end - k->start;
			}
			uint32_t ns = 0;
			rc = tagger_tag(t, ws, tok, ts->n, NULL, sp, &ns, e);
			if (rc)
				goto out;
			for (uint32_t k = 0; k < ns; k++) {
				if (sp[k].score < min_score)
					continue;
				const tok_token *f = &d.tok[ts->first + sp[k].first];
				const tok_token *l = &d.tok[ts->first + sp[k].last - 1];
				b.len = 0;
				json_raw(&b, "{");
				json_key(&b, "doc");
				json_cstr(&b, a.id);
				json_raw(&b, ",");
				json_key(&b, "date");
				if (a.date[0])
					json_cstr(&b, a.date);
				else
					json_raw(&b, "null");
				json_raw(&b, ",");
				json_key(&b, "sent");
				json_int(&b, s);
				json_raw(&b, ",");
				json_key(&b, "type");
				json_cstr(&b, tagger_type_name(t, sp[k].type));
				json_raw(&b, ",");
				json_key(&b, "text");
				json_str(&b, a.text + f->start, l->end - f->start);
				json_raw(&b, ",");
				json_key(&b, "start");
				json_int(&b, f->cstart);
				json_raw(&b, ",");
				json_key(&b, "end");
				json_int(&b, l->cend);
				json_raw(&b, ",");
				json_key(&b, "byte_start");
				json_int(&b, f->start);
				json_raw(&b, ",");
				json_key(&b, "byte_end");
				json_int(&b, l->end);
				json_raw(&b, ",");
				json_key(&b, "score");
				json_num(&b, sp[k].score, 4);
				json_raw(&b, "}\n");
				if (b.failed) {
					rc = err_set(e, ERR_NOMEM, "out of memory");
					goto out;
				}
				fwrite(b.data, 1, b.len, stdout);
			}
		}
	}
out:
	free(tok);
	free(sp);
	buf_free(&b);
	tok_doc_free(&d);
	tagger_ws_set_doc(ws, NULL);
	tdoc_free(doc);
	art_close(r);
	return rc;
}

int cmd_tag(int argc, char **argv)
{
	struct {
		const char *model;
		int text, conll;
		double threshold;
	} o = { .model = NULL, .threshold = 0 };
	const cli_opt opts[] = {
		CLI_STR("model", 'm', &o.model, "MODEL", "tagger model (e.g. models/entities.evm)"),
		CLI_FLAG("text", 0, &o.text, "input is articles (plain text or JSON lines): print spans as JSON lines"),
		CLI_FLAG("conll", 0, &o.conll, "input is CoNLL: print each line with the predicted tag appended"),
		CLI_DOUBLE("threshold", 't', &o.threshold, "P", "text mode: only spans with confidence >= P (default 0)"),
		CLI_DOUBLE("min-score", 0, &o.threshold, "P", "deprecated spelling of --threshold"),
		CLI_END
	};
	char **pos;
	int npos, rc, bad = 0;
	char *stdin_arg[] = { "-" };
	tagger_t *t = NULL;
	tagger_ws *ws = NULL;
	err_t e = { 0 };

	rc = cli_parse(opts, "tag", "--model MODEL [--text|--conll] [FILE...]",
		       "Tag entities or actor roles. CoNLL input (one token per line) gets the\n"
		       "predicted tag appended to each line (conlleval format); articles get\n"
		       "their spans as JSON lines (doc, date, sent, type, text, start/end in\n"
		       "code points, byte_start/byte_end in bytes, score). Without --text or\n"
		       "--conll the format is guessed from each file's first lines; standard\n"
		       "input ('-' or no file) is CoNLL unless --text is given.",
		       argc, argv, &pos, &npos);
	if (rc >= 0)
		return rc;
	if (!o.model)
		return cli_usage_error("tag", "--model is required");
	if (o.text && o.conll)
		return cli_usage_error("tag", "--text and --conll exclude each other");
	if (!(o.threshold >= 0 && o.threshold <= 1))
		return cli_usage_error("tag", "--threshold must be between 0 and 1");
	if (npos == 0) {
		pos = stdin_arg;
		npos = 1;
	}
	cli_heap_hugepages();
	if ((rc = tagger_load(o.model, &t, &e)))
		return cli_fail(&e);
	ws = tagger_ws_new(t);
	if (!ws) {
		tagger_free(t);
		err_set(&e, ERR_NOMEM, "out of memory");
		return cli_fail(&e);
	}
	for (int i = 0; i < npos; i++) {
		int is_stdin = strcmp(pos[i], "-") == 0;
		int text = o.text || (!o.conll && !is_stdin && !looks_like_conll(pos[i]));
		rc = text ? tag_text(t, ws, pos[i], o.threshold, &bad, &e)
			  : tag_conll(t, ws, pos[i], &e);
		if (rc) {
			fflush(stdout);
			cli_fail(&e);
			bad = 1;
			if (rc == ERR_NOMEM)
				break;
		}
	}
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "evtag: write error: %s\n", strerror(errno));
		bad = 1;
	}
	tagger_ws_free(ws);
	tagger_free(t);
	return bad ? EXIT_RUNTIME : EXIT_OK;
}
