/* evtag split: sentences and tokens of articles, with offsets. */
#include <stdio.h>
#include <string.h>

#include "text/art.h"
#include "base/buf.h"
#include "cli/cli.h"
#include "cli/cmd.h"
#include "base/json.h"
#include "text/tok.h"

struct split_opts {
	int jsonl;
	int bytes;
	const char *format;
};

#define PUT_LIT(b, lit) buf_put((b), (lit), sizeof(lit) - 1)

/* Appends v in decimal. */
static void put_u32(buf_t *b, uint32_t v)
{
	char tmp[10];
	int i = 10;

	do
		tmp[--i] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	buf_put(b, tmp + i, (size_t)(10 - i));
}

/* Appends s[0..n) as a JSON string. The text is valid UTF-8 (checked
 * when read), so only quotes, backslashes and control characters need
 * escaping: most tokens are copied as they are. */
static void put_str(buf_t *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == '"' || c == '\\') {
			json_str(b, s, n);
			return;
		}
	}
	if (buf_reserve(b, n + 2))
		return;
	b->data[b->len++] = '"';
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len++] = '"';
}

/* One sentence as a JSON line. */
static void put_json(buf_t *b, const art_article *a, const tok_doc *d,
		     uint32_t si, int bytes)
{
	const tok_sent *s = &d->sent[si];

	PUT_LIT(b, "{\"doc\":");
	json_cstr(b, a->id);
	PUT_LIT(b, ",\"date\":");
	json_cstr(b, a->date[0] ? a->date : NULL);
	PUT_LIT(b, ",\"sent\":");
	put_u32(b, si);
	/* Byte offsets only under names that say so (one dialect). */
	if (bytes)
		PUT_LIT(b, ",\"byte_start\":");
	else
		PUT_LIT(b, ",\"start\":");
	put_u32(b, bytes ? s->start : s->cstart);
	if (bytes)
		PUT_LIT(b, ",\"byte_end\":");
	else
		PUT_LIT(b, ",\"end\":");
	put_u32(b, bytes ? s->end : s->cend);
	PUT_LIT(b, ",\"text\":");
	put_str(b, a->text + s->start, s->end - s->start);
	PUT_LIT(b, ",\"tokens\":[");
	for (uint32_t k = s->first; k < s->first + s->n; k++) {
		const tok_token *t = &d->tok[k];
		if (k > s->first)
			PUT_LIT(b, ",{\"text\":");
		else
			PUT_LIT(b, "{\"text\":");
		put_str(b, a->text + t->start, t->end - t->start);
		if (bytes)
			PUT_LIT(b, ",\"byte_start\":");
		else
			PUT_LIT(b, ",\"start\":");
		put_u32(b, bytes ? t->start : t->cstart);
		if (bytes)
			PUT_LIT(b, ",\"byte_end\":");
		else
			PUT_LIT(b, ",\"end\":");
		put_u32(b, bytes ? t->end : t->cend);
		PUT_LIT(b, "}");
	}
	PUT_LIT(b, "]}\n");
}

/* Appends s[0..n) with line breaks, tabs and other control characters
 * shown as spaces. */
static void put_flat(buf_t *b, const char *s, size_t n)
{
	size_t run = 0;

	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20) {
			buf_put(b, s + run, i - run);
			buf_put_u8(b, ' ');
			run = i + 1;
		}
	}
	buf_put(b, s + run, n - run);
}

static void put_num(buf_t *b, const char *fmt, unsigned long v)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), fmt, v);

	buf_put(b, tmp, (size_t)n);
}

/* The readable form: a header per article, then per sentence its number,
 * [start,end) and text, and a line of tokens with their starts. */
static void put_text(buf_t *b, const art_article *a, const tok_doc *d, int bytes)
{
	buf_put(b, "# ", 2);
	put_flat(b, a->id, strlen(a->id));
	if (a->date[0]) {
		buf_put(b, "  date ", 7);
		buf_put(b, a->date, 10);
	}
	put_num(b, "  sentences %lu", d->nsent);
	put_num(b, "  tokens %lu\n", d->ntok);
	for (uint32_t si = 0; si < d->nsent; si++) {
		const tok_sent *s = &d->sent[si];
		put_num(b, "%lu", si);
		put_num(b, " [%lu", bytes ? s->start : s->cstart);
		put_num(b, ",%lu) ", bytes ? s->end : s->cend);
		put_flat(b, a->text + s->start, s->end - s->start);
		buf_put(b, "\n   ", 4);
		for (uint32_t k = s->first; k < s->first + s->n; k++) {
			const tok_token *t = &d->tok[k];
			buf_put_u8(b, ' ');
			buf_put(b, a->text + t->start, t->end - t->start);
			put_num(b, "/%lu", bytes ? t->start : t->cstart);
		}
		buf_put_u8(b, '\n');
	}
}

/* Splits every article of one input; returns 0, or 1 if any failed. */
static int split_file(const char *path, const struct split_opts *o, int text,
		      tok_doc *d, buf_t *out)
{
	art_reader *r;
	art_article a;
	err_t e;
	int rc, status = 0;

	if (art_open(&r, path, o->jsonl ? ART_JSONL : ART_AUTO, &e)) {
		cli_fail(&e);
		return 1;
	}
	while ((rc = art_next(r, &a, &e)) != 0) {
		if (rc < 0) {
			cli_fail(&e); /* the bad article is skipped */
			status = 1;
			continue;
		}
		if ((rc = tok_split(d, a.text, a.len, a.body, 0, &e)) < 0) {
			char where[1100];
			snprintf(where, sizeof(where), "%s:%ld", art_name(r), a.line);
			err_prefix(&e, where);
			cli_fail(&e);
			status = 1;
			continue;
		}
		out->len = 0;
		if (text)
			put_text(out, &a, d, o->bytes);
		else
			for (uint32_t si = 0; si < d->nsent; si++)
				put_json(out, &a, d, si, o->bytes);
		if (out->failed) {
			err_set(&e, ERR_NOMEM, "%s:%ld: out of memory writing output", art_name(r), a.line);
			cli_fail(&e);
			status = 1;
			out->failed = 0;
			continue;
		}
		if (out->len && fwrite(out->data, 1, out->len, stdout) != out->len)
			break; /* reported by the caller's ferror() check */
	}
	art_close(r);
	return status;
}

int cmd_split(int argc, char **argv)
{
	struct split_opts o = { .format = "json" };
	const cli_opt opts[] = {
		CLI_FLAG("jsonl", 0, &o.jsonl,
			 "input is JSON lines {\"id\",\"date\",\"text\"} (default: by name, .jsonl/.ndjson)"),
		CLI_STR("format", 'f', &o.format, "FMT",
			"output: json (one JSON object per sentence) or text"),
		CLI_FLAG("bytes", 0, &o.bytes, "offsets in bytes, named byte_start/byte_end (default: code points, start/end)"),
		CLI_END
	};
	char **files;
	int nfiles, text, status = 0;
	char *stdin_only[] = { "-" };
	tok_doc d;
	buf_t out;

	int rc = cli_parse(opts, "split", "[options] [FILE...]",
			   "Split articles (plain text files, or JSON lines with --jsonl) into "
			   "sentences and tokens, with offsets into each article's text. "
			   "No FILE, or '-', reads standard input.",
			   argc, argv, &files, &nfiles);
	if (rc >= 0)
		return rc;
	if (strcmp(o.format, "json") == 0)
		text = 0;
	else if (strcmp(o.format, "text") == 0)
		text = 1;
	else
		return cli_usage_error("split", "--format must be json or text, not '%s'", o.format);
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	tok_doc_init(&d);
	buf_init(&out);
	for (int i = 0; i < nfiles; i++)
		status |= split_file(files[i], &o, text, &d, &out);
	tok_doc_free(&d);
	buf_free(&out);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "evtag split: error writing the output\n");
		return EXIT_RUNTIME;
	}
	return status ? EXIT_RUNTIME : EXIT_OK;
}
