/* evtag classify: code articles into event records, one per sentence.
 *
 * Articles come from files, standard input or JSON lines; they flow
 * through the ordered batch engine (pipe_run): this file reads them (on the
 * main thread), pipe_code codes them on the worker threads, and the emit
 * callback writes each article's records to stdout, in input order, as
 * soon as they are ready (flushed per article), or reports a bad article on
 * stderr and goes on. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text/art.h"
#include "base/buf.h"
#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/heap.h"
#include "cli/progress.h"
#include "base/err.h"
#include "coder/models.h"
#include "coder/pipe.h"

static const char CMD[] = "classify";

typedef struct classify_opts {
	const char *models;
	const char *model[5]; /* --entities-model ... --penta-model,
				 --places-model, or NULL */
	const char *format;
	const char *per;
	const char *shard; /* "K/N", or NULL */
	const char *agents; /* --agents FILE, or NULL */
	int agents_only;
	double threshold;
	int threads;
	int jsonl;
	int events_only;
	int joint;
	int quiet;
	int progress;
} classify_opts;

/* ---- the run: reading, coding, writing */

typedef struct article {
	char *name;      /* for messages: FILE, or FILE:LINE for JSON lines */
	char *id;        /* document id written in the records */
	char date[11];   /* "YYYY-MM-DD" or "" */
	char *text;
	size_t len, from;
	int status;      /* < 0: could not be read; err says why */
	err_t err;
	uint32_t nsent, nevents; /* set by work_article */
	uint64_t at;     /* input bytes read up to the end of this article */
} article;

typedef struct run {
	const classify_opts *o;
	pipe_models models;
	pipe_opts popts;
	char **files;    /* [nfiles] ("-" is standard input) */
	int nfiles, fi;
	art_reader *rd;  /* the open file, or NULL */
	FILE *out;
	uint64_t failed;
	uint64_t empty;  /* articles without a sentence (skipped, not errors) */
	uint64_t sentences, events;
	long shard_k, shard_n; /* --shard K/N (1 <= K <= N), else 0, 0 */
	uint64_t nread;        /* articles read, of all shards */
	uint64_t nemitted;     /* articles of this shard emitted */
	int at_bol;            /* the output is at the start of a line */
	uint64_t bytes_closed; /* input bytes of the files finished */
	uint64_t last_at;      /* input bytes up to the last article emitted */
	prog pr;               /* the progress line (--progress) */
} run;

static void article_free(article *a)
{
	if (!a)
		return;
	free(a->name);
	free(a->id);
	free(a->text);
	free(a);
}

static char *xstrndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* Reads the next article of the batch into *item: the next one of the open
 * file, else of the next file. An unreadable article or file becomes an
 * item with status < 0, reported in its turn. */
static int read_article(void *ctx, void **item, err_t *e)
{
	run *r = ctx;
	article *a = calloc(1, sizeof(*a));
	art_article art;
	char where[64];

	if (!a)
		return err_set(e, ERR_NOMEM, "out of memory");
	for (;;) {
		if (!r->rd) {
			if (r->fi >= r->nfiles) {
				free(a);
				return 0;
			}
			const char *path = r->files[r->fi++];
			int rc = art_open(&r->rd, path, r->o->jsonl ? ART_JSONL : ART_AUTO, &a->err);
			if (rc < 0) {
				a->status = rc;
				a->name = xstrndup(path, strlen(path));
				break;
			}
		}
		int rc = art_next(r->rd, &art, &a->err);
		if (rc == 0) {
			r->bytes_closed += art_tell(r->rd);
			art_close(r->rd);
			r->rd = NULL;
			continue;
		}
		if (rc < 0) {
			a->status = rc;
			a->name = xstrndup(art_name(r->rd), strlen(art_name(r->rd)));
			a->at = r->bytes_closed + art_tell(r->rd);
			if (rc == ERR_IO || rc == ERR_NOMEM) {
				r->bytes_closed += art_tell(r->rd);
				art_close(r->rd); /* this file is finished */
				r->rd = NULL;
			}
			break;
		}
		a->at = r->bytes_closed + art_tell(r->rd);
		const char *nm = art_name(r->rd);
		snprintf(where, sizeof(where), ":%ld", art.line);
		size_t nl = strlen(nm);
		int jsonl = art_format_of(r->rd) == ART_JSONL;
		a->name = malloc(nl + strlen(where) + 1);
		if (a->name) {
			memcpy(a->name, nm, nl);
			strcpy(a->name + nl, jsonl ? where : "");
		}
		a->id = xstrndup(art.id, strlen(art.id));
		a->text = xstrndup(art.text, art.len);
		a->len = art.len;
		a->from = art.body;
		memcpy(a->date, art.date, sizeof(a->date));
		if (!a->name || !a->id || !a->text) {
			article_free(a);
			return err_set(e, ERR_NOMEM, "out of memory for an article of %zu bytes", art.len);
		}
		break;
	}
	if (!a->name) {
		article_free(a);
		return err_set(e, ERR_NOMEM, "out of memory");
	}
	*item = a;
	return 1;
}

/* read_article, keeping with --shard K/N only the articles whose number
 * (0-based, across all inputs in order, unreadable ones counted) is K-1
 * modulo N. */
static int next_article(void *ctx, void **item, err_t *e)
{
	run *r = ctx;
	for (;;) {
		int rc = read_article(ctx, item, e);
		if (rc <= 0 || !r->shard_n)
			return rc;
		uint64_t i = r->nread++;
		if (i % (uint64_t)r->shard_n == (uint64_t)(r->shard_k - 1))
			return rc;
		article_free(*item);
		*item = NULL;
	}
}

/* Writes data[len] to the output; with --shard every line starts with num
 * and a tab (num: the article's 1-based number across all inputs, 0 for
 * the TSV and CSV header) so that a merge restores the one-run order. */
static int write_out(run *r, uint64_t num, const void *out, size_t len)
{
	const char *data = out;
	if (!r->shard_n)
		return fwrite(data, 1, len, r->out) == len ? 0 : -1;
	while (len) {
		if (r->at_bol && fprintf(r->out, "%llu\t", (unsigned long long)num) < 0)
			return -1;
		const char *nl = memchr(data, '\n', len);
		size_t n = nl ? (size_t)(nl - data) + 1 : len;
		if (fwrite(data, 1, n, r->out) != n)
			return -1;
		r->at_bol = nl != NULL;
		data += n;
		len -= n;
	}
	return 0;
}

/* The 1-based number across all inputs of the next article to be emitted. */
static uint64_t emit_num(const run *r)
{
	if (!r->shard_n)
		return 0;
	return (uint64_t)(r->shard_k - 1) + r->nemitted * (uint64_t)r->shard_n + 1;
}

static int work_article(void *ctx, void *ws, void *item, buf_t *out, pipe_spill *sp,
			err_t *e)
{
	run *r = ctx;
	article *a = item;
	if (a->status < 0) {
		*e = a->err;
		return a->status;
	}
	pipe_doc d = { a->id, a->date[0] ? a->date : NULL, a->text, a->len, a->from };
	int rc = pipe_code(&r->models, ws, &r->popts, &d, out, sp, e);
	if (rc < 0)
		err_prefix(e, a->name);
	else
		pipe_ws_counts(ws, &a->nsent, &a->nevents);
	return rc;
}

static int emit_article(void *ctx, uint64_t seq, void *item, int status,
			const buf_t *out, const err_t *ie, err_t *e)
{
	run *r = ctx;
	const article *a = item;
	uint64_t num = emit_num(r);
	(void)seq;
	r->nemitted++;
	if (a->at > r->last_at)
		r->last_at = a->at;
	if (status < 0 || a->nsent == 0)
		prog_clear(&r->pr); /* a message follows */
	if (status < 0) {
		/* nothing more of a failed article is written: its records may be
		 * partial (a huge one may have had records written early) */
		fprintf(stderr, "evtag %s: %s (article skipped)\n", CMD,
			ie->msg[0] ? ie->msg : err_code_str(status));
		r->failed++;
		return 0;
	}
	if (a->nsent == 0) {
		/* an article with no text (or only spaces) gives no records:
		 * say so rather than let it vanish */
		fprintf(stderr, "evtag %s: %s%s: empty article, no sentences (skipped)\n", CMD,
			a->name, strchr(a->name, ':') ? "" : ":1");
		r->empty++;
	}
	r->sentences += a->nsent;
	r->events += a->nevents;
	if ((out->len && write_out(r, num, out->data, out->len) != 0) || fflush(r->out) != 0)
		return err_set(e, ERR_IO, "writing the output: %s", strerror(errno));
	prog_update(&r->pr, r->nemitted, r->last_at);
	return 0;
}

/* The size in bytes of all the inputs, or 0 when one is not a regular
 * file or is gzip data (its size says nothing of the text in it). */
static uint64_t input_size(char **files, int nfiles)
{
	uint64_t total = 0;
	for (int i = 0; i < nfiles; i++) {
		struct stat sb;
		int stdin_ = strcmp(files[i], "-") == 0;
		if ((stdin_ ? fstat(STDIN_FILENO, &sb) : stat(files[i], &sb)) != 0 ||
		    !S_ISREG(sb.st_mode))
			return 0;
		if (stdin_) {
			/* standard input may be read from where it stands only */
			off_t at = lseek(STDIN_FILENO, 0, SEEK_CUR);
			if (at < 0 || at > sb.st_size)
				return 0;
			unsigned char m[2];
			if (pread(STDIN_FILENO, m, 2, at) == 2 && m[0] == 0x1f && m[1] == 0x8b)
				return 0;
			total += (uint64_t)(sb.st_size - at);
			continue;
		}
		FILE *f = fopen(files[i], "rb");
		int c0 = f ? getc(f) : EOF, c1 = f ? getc(f) : EOF;
		if (f)
			fclose(f);
		if (c0 == 0x1f && c1 == 0x8b)
			return 0;
		total += (uint64_t)sb.st_size;
	}
	return total;
}

/* Early output of a huge article, in its turn (see pipe_spill_out). */
static int emit_part(void *ctx, uint64_t seq, const buf_t *out, err_t *e)
{
	run *r = ctx;
	(void)seq;
	if (write_out(r, emit_num(r), out->data, out->len) != 0)
		return err_set(e, ERR_IO, "writing the output: %s", strerror(errno));
	return 0;
}

static void article_release(void *ctx, void *item)
{
	(void)ctx;
	article_free(item);
}

static void *ws_new(void *ctx)
{
	run *r = ctx;
	return pipe_ws_new(&r->models);
}

static void ws_free(void *ctx, void *ws)
{
	(void)ctx;
	pipe_ws_free(ws);
}

int cmd_classify(int argc, char **argv)
{
	classify_opts o = { .format = "json", .per = "sentence", .threshold = 0.0, .threads = 1 };
	const cli_opt opts[] = {
		CLI_STR("models", 'm', &o.models, "DIR",
			"folder with entities.evm, roles.evm, plover.evm, penta.evm and, "
			"when present, places.evm and agents.txt "
			"(default: $EVTAG_MODELS, else the shipped models)"),
		CLI_STR("entities-model", 0, &o.model[0], "FILE",
			"entity tagger to use instead of the folder's entities.evm"),
		CLI_STR("roles-model", 0, &o.model[1], "FILE",
			"role tagger to use instead of the folder's roles.evm"),
		CLI_STR("plover-model", 0, &o.model[2], "FILE",
			"PLOVER classifier to use instead of the folder's plover.evm"),
		CLI_STR("penta-model", 0, &o.model[3], "FILE",
			"PentaClass classifier to use instead of the folder's penta.evm"),
		CLI_STR("places-model", 0, &o.model[4], "FILE",
			"place table to use instead of the folder's places.evm (used when "
			"there: LOC entities get country, admin1 and coordinates)"),
		CLI_STR("agents", 0, &o.agents, "FILE",
			"more agent nouns and titles ('TYPE phrase' lines, as in the models "
			"folder's agents.txt); they join that list and win over it"),
		CLI_FLAG("agents-only", 0, &o.agents_only,
			 "actors' agent types from the --agents FILE only, not agents.txt"),
		CLI_FLAG("jsonl", 0, &o.jsonl,
			 "input is JSON lines {\"id\",\"date\",\"text\"}, one article a line"),
		CLI_STR("format", 'f', &o.format, "FMT",
			"json (default), text, tsv, csv (RFC 4180) or html (one "
			"self-contained page)"),
		CLI_STR("per", 0, &o.per, "UNIT",
			"sentence (one record per sentence, default) or event (one per "
			"event and actor pair; json, tsv, csv)"),
		CLI_DOUBLE("threshold", 't', &o.threshold, "P",
			   "event labels with probability below P become NONE (default 0)"),
		CLI_INT("threads", 'j', &o.threads, "N",
			"worker threads (default 1; output is the same for any N)"),
		CLI_FLAG("events-only", 'e', &o.events_only,
			 "only sentences with an event (a PLOVER type or a STATEMENT)"),
		CLI_FLAG("joint", 0, &o.joint,
			 "PLOVER type decided jointly with the PentaClass model"),
		CLI_STR("shard", 0, &o.shard, "K/N",
			"code only articles K, K+N, K+2N, ... (counted from 1 across all "
			"inputs); every output line starts with the article's number and a "
			"tab, for the merge (see docs/output.md)"),
		CLI_FLAG("quiet", 'q', &o.quiet,
			 "no summary line (articles, sentences, events, skipped) and no "
			 "progress line on stderr"),
		CLI_FLAG("progress", 0, &o.progress,
			 "a progress line on stderr (articles done, articles/s, time left), "
			 "even with --quiet or when stderr is not a terminal (default: only "
			 "on a terminal)"),
		CLI_END
	};
	char **files, *stdin_only[] = { "-" }, mdir[2400] = "";
	int nfiles, rc;
	err_t e;
	run r;
	pipe_stats st;

	rc = cli_parse(opts, CMD, "[options] [FILE...]",
		       "Code news articles into event records: for each sentence its event type\n"
		       "(PLOVER and CAMEO PentaClass, with probabilities), entities, source and\n"
		       "target actors with country codes and agent types (GOV, MIL, REB...),\n"
		       "locations and the event date. Articles are plain-text files (optionally\n"
		       "starting with 'date YYYY-MM-DD'), standard input ('-' or no FILE) or,\n"
		       "with --jsonl, JSON lines.",
		       argc, argv, &files, &nfiles);
	if (rc >= 0)
		return rc;
	memset(&r, 0, sizeof(r));
	if (strcmp(o.format, "json") == 0)
		r.popts.format = PIPE_JSON;
	else if (strcmp(o.format, "text") == 0)
		r.popts.format = PIPE_TEXT;
	else if (strcmp(o.format, "tsv") == 0)
		r.popts.format = PIPE_TSV;
	else if (strcmp(o.format, "csv") == 0)
		r.popts.format = PIPE_CSV;
	else if (strcmp(o.format, "html") == 0)
		r.popts.format = PIPE_HTML;
	else
		return cli_usage_error(CMD, "--format must be json, text, tsv, csv or html, "
				       "not '%s'", o.format);
	if (strcmp(o.per, "event") == 0)
		r.popts.per_event = 1;
	else if (strcmp(o.per, "sentence") != 0)
		return cli_usage_error(CMD, "--per must be sentence or event, not '%s'", o.per);
	if (r.popts.per_event && (r.popts.format == PIPE_TEXT || r.popts.format == PIPE_HTML))
		return cli_usage_error(CMD, "--per event writes json, tsv or csv, not %s", o.format);
	if (o.shard && r.popts.format == PIPE_HTML)
		return cli_usage_error(CMD, "--shard numbers output lines: use json, text, tsv or "
				       "csv, not html");
	if (!(o.threshold >= 0.0 && o.threshold <= 1.0))
		return cli_usage_error(CMD, "--threshold must be between 0 and 1, got %g", o.threshold);
	if (o.agents_only && !o.agents)
		return cli_usage_error(CMD, "--agents-only needs --agents FILE");
	if (o.threads < 1 || o.threads > 256)
		return cli_usage_error(CMD, "--threads must be between 1 and 256, got %d", o.threads);
	if (o.shard) {
		char *end, *end2 = NULL;
		errno = 0;
		r.shard_k = strtol(o.shard, &end, 10);
		r.shard_n = *end == '/' && end > o.shard ? strtol(end + 1, &end2, 10) : 0;
		if (errno || r.shard_n < 1 || *end != '/' || end2 == end + 1 || *end2 ||
		    !(o.shard[0] >= '0' && o.shard[0] <= '9') ||
		    !(end[1] >= '0' && end[1] <= '9') || r.shard_n > 1000000 ||
		    r.shard_k < 1 || r.shard_k > r.shard_n)
			return cli_usage_error(CMD,
					       "--shard must be K/N with 1 <= K <= N <= 1000000, "
					       "not '%s'", o.shard);
		r.at_bol = 1;
	}
	r.popts.threshold = o.threshold;
	r.popts.events_only = o.events_only;
	r.popts.joint = o.joint;
	r.popts.colour = r.popts.format == PIPE_TEXT && isatty(STDOUT_FILENO) &&
			 !(getenv("NO_COLOR") && *getenv("NO_COLOR"));
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	r.o = &o;
	r.files = files;
	r.nfiles = nfiles;
	r.out = stdout;

	err_clear(&e);
	cli_heap_hugepages();
	/* the folder is looked for only when some model is not given by path
	 * (or it is named: it may hold the place table) */
	if ((!o.model[0] || !o.model[1] || !o.model[2] || !o.model[3] || o.models) &&
	    models_find(o.models, mdir, sizeof(mdir),
			"give the folder with --models DIR or the environment variable EVTAG_MODELS",
			&e) < 0)
		return cli_fail(&e);
	if ((rc = models_load_threads(&r.models, mdir, o.model,
				      "give the folder holding the models with --models DIR or the "
				      "environment variable EVTAG_MODELS", o.threads, &e)) < 0)
		return cli_fail(&e);
	if (o.agents && (rc = models_load_agents(&r.models, o.agents, o.agents_only, &e)) < 0) {
		models_free(&r.models);
		return cli_fail(&e);
	}

	if ((r.popts.format == PIPE_TSV || r.popts.format == PIPE_CSV) && r.shard_k <= 1) {
		buf_t h; /* with --shard, shard 1 writes it, numbered 0 */
		buf_init(&h);
		pipe_write_header(&h, r.popts.format, r.popts.per_event);
		write_out(&r, 0, h.data, h.len);
		buf_free(&h);
	}
	if (r.popts.format == PIPE_HTML) {
		/* the page's head and foot wrap every article (pipe_run has
		 * finished writing when it returns) */
		buf_t h;
		buf_init(&h);
		pipe_write_html_head(&h);
		write_out(&r, 0, h.data, h.len);
		buf_free(&h);
	}
	pipe_ops ops = { next_article, work_article, emit_article, emit_part, article_release,
			 ws_new, ws_free };
	int show = o.progress || (!o.quiet && isatty(STDERR_FILENO));
	prog_init(&r.pr, show, stderr, CMD, "articles", show ? input_size(files, nfiles) : 0);
	rc = pipe_run(&ops, &r, o.threads, 0, &st, &e);
	prog_end(&r.pr, r.nemitted, r.last_at);
	if (r.popts.format == PIPE_HTML && rc != ERR_IO) {
		buf_t f;
		buf_init(&f);
		pipe_write_html_foot(&f);
		write_out(&r, 0, f.data, f.len);
		buf_free(&f);
	}
	if (fflush(stdout) != 0 && rc == 0)
		rc = err_set(&e, ERR_IO, "writing the output: %s", strerror(errno));
	if (rc < 0)
		cli_fail(&e);
	else if (!o.quiet)
		fprintf(stderr, "evtag %s: %llu articles, %llu sentences, %llu events, %llu skipped\n",
			CMD, (unsigned long long)st.items, (unsigned long long)r.sentences,
			(unsigned long long)r.events, (unsigned long long)(r.failed + r.empty));
	art_close(r.rd);
	models_free(&r.models);
	return rc < 0 || r.failed ? EXIT_RUNTIME : EXIT_OK;
}
