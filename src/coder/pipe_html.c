/* pipe_html: `evtag classify -f html`, one self-contained HTML page of
 * coded articles (inline CSS, no script, nothing fetched).
 *
 * Each sentence is written with its entities and actor roles laid over the
 * text as nested <span>s. Entities of one tagger never overlap, but roles
 * (a source, a target, or both for a RECIPROCAL actor) may start or end
 * inside an entity: the text is cut at every span boundary and a span that
 * would cross an enclosing one is closed and opened again, its pieces
 * numbered with data-part. Every piece carries the whole span's
 * data-start/data-end (code points into the article text, as in the JSON
 * records), so that concatenating the pieces of one span gives its text. */
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/utf8.h"
#include "coder/pipe.h"
#include "coder/pipe_int.h"

/* s[0..n) escaped for HTML text and quoted attribute values: & < > " '
 * as references; CR as a numeric reference (a raw one would be read as a
 * line feed); other control characters but tab and line feed, which HTML
 * does not allow, as their pictures U+2400-U+241F and U+2421 (one code
 * point for one, so code point offsets still hold); invalid UTF-8 bytes as
 * U+FFFD. */
static void put_esc(buf_t *b, const char *s, size_t n)
{
	size_t i = 0, run = 0;
	while (i < n) {
		size_t at = i;
		unsigned char c = (unsigned char)s[i];
		const char *rep = NULL;
		char tmp[8];
		if (c < 0x80) {
			i++;
			if (c == '&')
				rep = "&amp;";
			else if (c == '<')
				rep = "&lt;";
			else if (c == '>')
				rep = "&gt;";
			else if (c == '"')
				rep = "&quot;";
			else if (c == '\'')
				rep = "&#39;";
			else if (c == '\r')
				rep = "&#13;";
			else if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
				tmp[utf8_encode(c == 0x7f ? 0x2421u : 0x2400u + c, tmp)] = '\0';
				rep = tmp;
			}
		} else if (utf8_next(s, n, &i) < 0) {
			rep = "\xEF\xBF\xBD"; /* U+FFFD */
		}
		if (rep) {
			buf_put(b, s + run, at - run);
			pipe_put_s(b, rep);
			run = i;
		}
	}
	buf_put(b, s + run, n - run);
}

static void put_cesc(buf_t *b, const char *s)
{
	if (s)
		put_esc(b, s, strlen(s));
}

/* ` name="value"` with value escaped. */
static void put_attr(buf_t *b, const char *name, const char *value)
{
	buf_put_u8(b, ' ');
	pipe_put_s(b, name);
	pipe_put_s(b, "=\"");
	put_cesc(b, value);
	buf_put_u8(b, '"');
}

static void put_attr_num(buf_t *b, const char *name, double v)
{
	buf_put_u8(b, ' ');
	pipe_put_s(b, name);
	pipe_put_s(b, "=\"");
	json_num(b, v, 4);
	buf_put_u8(b, '"');
}

/* ` name="v"`: v an offset or count (json_int writes it as "%lld" does) */
static void put_attr_uint(buf_t *b, const char *name, uint32_t v)
{
	buf_put_u8(b, ' ');
	pipe_put_s(b, name);
	pipe_put_s(b, "=\"");
	json_int(b, v);
	buf_put_u8(b, '"');
}

/* ---- the page */

static const char STYLE[] =
	"body{font:15px/1.5 system-ui,-apple-system,\"Segoe UI\",sans-serif;"
	"margin:1.5em auto;max-width:60em;padding:0 1em;color:#1e1e1e;background:#fff}\n"
	"h1{font-size:1.3em;margin:0 0 .4em}\n"
	"h2{font-size:1.05em;margin:1.6em 0 .2em;word-break:break-all}\n"
	".legend{font-size:.85em;border:1px solid #ccc;border-radius:4px;padding:.4em .7em;"
	"line-height:2.2}\n"
	".legend b{font-weight:600;margin-right:.3em}\n"
	".meta{color:#666;font-size:.85em;margin:0 0 .6em}\n"
	".sent{margin:.5em 0;padding:.3em .6em;border-left:4px solid #2a7;background:#fafafa}\n"
	".sent.none{opacity:.45;border-left-color:#bbb;background:#fff}\n"
	".info{font-size:.8em;color:#444}\n"
	".info>span{margin-right:.8em}\n"
	".num{color:#888}\n"
	".ev{font-weight:700;color:#175}\n"
	".flag{color:#a50;font-style:italic}\n"
	".text{margin:.15em 0;line-height:2.1;white-space:pre-wrap}\n"
	".ent{background:#e4e4e4;border-radius:3px;padding:1px 1px}\n"
	".ent[data-type=PER]{background:#ffd8a8}\n"
	".ent[data-type=ORG]{background:#b2f2bb}\n"
	".ent[data-type=LOC]{background:#a5d8ff}\n"
	".ent[data-type=NORP]{background:#eebefa}\n"
	".ent[data-type=DATE]{background:#fff3bf}\n"
	".ent[data-type=MISC]{background:#d0bfff}\n"
	/* underlines at two depths, so that a reciprocal actor (a source
	 * holding a target of the same extent) shows both */
	".role[data-role=source]{border-bottom:3px solid #1c4fd8;padding-bottom:6px}\n"
	".role[data-role=target]{border-bottom:3px dashed #d61c4e;padding-bottom:1px}\n";

/* Legend entries of the entity types this page colours (others are grey). */
static const char *const TYPES[][2] = {
	{ "PER", "person" }, { "ORG", "organisation" }, { "LOC", "location" },
	{ "NORP", "nationality or group" }, { "DATE", "date" }, { "MISC", "other" },
};

void pipe_write_html_head(buf_t *b)
{
	pipe_put_s(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		 "<meta name=\"generator\" content=\"evtag classify\">\n"
		 "<title>evtag: coded articles</title>\n<style>\n");
	pipe_put_s(b, STYLE);
	pipe_put_s(b, "</style>\n</head>\n<body>\n<h1>Coded articles</h1>\n<div class=\"legend\">"
		 "<b>Entities</b>");
	for (size_t i = 0; i < sizeof(TYPES) / sizeof(TYPES[0]); i++) {
		pipe_put_s(b, " <span class=\"ent\"");
		put_attr(b, "data-type", TYPES[i][0]);
		pipe_put_s(b, ">");
		pipe_put_s(b, TYPES[i][0]);
		pipe_put_s(b, "</span> ");
		pipe_put_s(b, TYPES[i][1]);
	}
	pipe_put_s(b, "<br><b>Actors</b> <span class=\"role\" data-role=\"source\">source</span> "
		 "<span class=\"role\" data-role=\"target\">target</span> (both: a reciprocal "
		 "actor)<br><b>Sentences</b> <span class=\"ev\">TYPE</span> PLOVER event type "
		 "and probability, its CAMEO PentaClass, <span class=\"flag\">status flags</span> "
		 "(negated, hypothetical, reported) and the event date; "
		 "<span class=\"sent none\">sentences with no event are dimmed</span></div>\n");
}

void pipe_write_html_foot(buf_t *b)
{
	pipe_put_s(b, "</body>\n</html>\n");
}

void pipe_write_html_doc(buf_t *b, const pipe_doc *d, int end)
{
	if (end) {
		pipe_put_s(b, "</article>\n");
		return;
	}
	pipe_put_s(b, "<article class=\"doc\"");
	if (d->id)
		put_attr(b, "data-doc", d->id);
	pipe_put_s(b, ">\n<h2>");
	if (d->id)
		put_cesc(b, d->id);
	else
		pipe_put_s(b, "(no id)");
	pipe_put_s(b, "</h2>\n<p class=\"meta\">");
	if (d->date) {
		pipe_put_s(b, "published ");
		put_cesc(b, d->date);
	} else {
		pipe_put_s(b, "no article date");
	}
	pipe_put_s(b, "</p>\n");
}

/* ---- one sentence */

enum { K_SRC = 0, K_TGT = 1, K_ENT = 2 };

typedef struct ann {
	uint32_t start, end;  /* bytes, clipped to the sentence */
	const pipe_span *s;
	int kind;             /* K_SRC, K_TGT or K_ENT */
	uint32_t parts;       /* pieces opened so far */
} ann;

/* Opening order at one position: longer spans outside, roles outside
 * entities, sources outside targets. */
static int ann_before(const ann *a, const ann *b)
{
	if (a->start != b->start)
		return a->start < b->start;
	if (a->end != b->end)
		return a->end > b->end;
	return a->kind < b->kind;
}

static void ann_open(buf_t *b, ann *a, const pipe_record *r)
{
	const pipe_span *s = a->s;
	a->parts++;
	if (a->kind == K_ENT) {
		pipe_put_s(b, "<span class=\"ent\"");
		put_attr(b, "data-type", s->type ? s->type : "?");
	} else {
		pipe_put_s(b, "<span class=\"role\"");
		put_attr(b, "data-role", a->kind == K_SRC ? "source" : "target");
	}
	put_attr_uint(b, "data-start", s->cstart);
	put_attr_uint(b, "data-end", s->cend);
	put_attr_num(b, "data-score", s->score);
	if (a->kind != K_ENT && s->country[0])
		put_attr(b, "data-country", s->country);
	if (a->parts > 1)
		put_attr_uint(b, "data-part", a->parts);
	/* a tooltip: "PER 0.96" or "source: PER, RUS, 0.81" */
	pipe_put_s(b, " title=\"");
	if (a->kind == K_ENT) {
		put_cesc(b, s->type ? s->type : "?");
	} else {
		pipe_put_s(b, a->kind == K_SRC ? "source:" : "target:");
		if (s->entity >= 0 && (uint32_t)s->entity < r->nent && r->ent[s->entity].type) {
			pipe_put_s(b, " ");
			put_cesc(b, r->ent[s->entity].type);
			pipe_put_s(b, ",");
		}
		if (s->country[0]) {
			pipe_put_s(b, " ");
			put_cesc(b, s->country);
			pipe_put_s(b, ",");
		}
	}
	pipe_put_s(b, " ");
	pipe_put_score(b, s->score);
	pipe_put_s(b, "\">");
}

/* The sentence text d->text[st..en) with the spans a[n] (sorted by
 * ann_before) laid over it; stack has room for n. */
static void put_spans(buf_t *b, const pipe_doc *d, const pipe_record *r, ann *a,
		      uint32_t n, uint32_t st, uint32_t en, uint32_t *stack)
{
	uint32_t depth = 0, k = 0, cur = st;
	for (;;) {
		/* close every span ending here, and those opened inside it
		 * that go on (to be opened again) */
		uint32_t lo = depth, keep = depth;
		for (uint32_t i = 0; i < depth; i++)
			if (a[stack[i]].end <= cur) {
				lo = i;
				break;
			}
		for (uint32_t i = depth; i > lo; i--)
			pipe_put_s(b, "</span>");
		/* the ones going on stay in stack[lo..depth) for now */
		keep = lo;
		for (uint32_t i = lo; i < depth; i++)
			if (a[stack[i]].end > cur)
				stack[keep++] = stack[i];
		uint32_t nreopen = keep - lo;
		depth = lo;
		if (cur >= en)
			break;
		/* open the ones going on and those starting here, outermost first */
		uint32_t *open = stack + depth; /* reopened, then new, sorted below */
		uint32_t nopen = nreopen;
		while (k < n && a[k].start <= cur)
			open[nopen++] = k++;
		for (uint32_t i = 1; i < nopen; i++) {
			uint32_t x = open[i], j = i;
			while (j > 0 && (a[open[j - 1]].end < a[x].end ||
					 (a[open[j - 1]].end == a[x].end &&
					  a[open[j - 1]].kind > a[x].kind))) {
				open[j] = open[j - 1];
				j--;
			}
			open[j] = x;
		}
		for (uint32_t i = 0; i < nopen; i++)
			ann_open(b, &a[open[i]], r);
		depth += nopen;
		/* the text up to the next boundary */
		uint32_t next = en;
		if (k < n && a[k].start < next)
			next = a[k].start;
		for (uint32_t i = 0; i < depth; i++)
			if (a[stack[i]].end < next)
				next = a[stack[i]].end;
		put_esc(b, d->text + cur, next - cur);
		cur = next;
	}
}

/* Adds the spans sp[n] of kind to a[*na], clipped to [st, en); empty ones
 * are left out. */
static void add_spans(ann *a, uint32_t *na, const pipe_span *sp, uint32_t n, int kind,
		      uint32_t st, uint32_t en)
{
	for (uint32_t i = 0; i < n; i++) {
		uint32_t s = sp[i].start < st ? st : sp[i].start;
		uint32_t e = sp[i].end > en ? en : sp[i].end;
		if (s >= e)
			continue;
		a[*na] = (ann){ s, e, &sp[i], kind, 0 };
		(*na)++;
	}
}

/* A class label with its probability: <span class="CLS" ATTR="LABEL"
 * data-score="P">LABEL P</span>. */
static void put_label(buf_t *b, const char *cls, const char *attr, const char *label, double p)
{
	pipe_put_s(b, "<span class=\"");
	pipe_put_s(b, cls);
	pipe_put_s(b, "\"");
	put_attr(b, attr, label);
	put_attr_num(b, "data-score", p);
	pipe_put_s(b, ">");
	put_cesc(b, label);
	pipe_put_s(b, " ");
	pipe_put_score(b, p);
	pipe_put_s(b, "</span>");
}

static void put_status(buf_t *b, const pipe_record *r)
{
	const char *name[3] = { "negated", "hypothetical", "reported" };
	int set[3] = { r->status.negated, r->status.hypothetical, r->status.reported };
	double sc[3] = { r->status.neg_score, r->status.hyp_score, r->status.rep_score };
	for (int k = 0; k < 3; k++) {
		if (!set[k])
			continue;
		pipe_put_s(b, "<span class=\"flag\"");
		put_attr(b, "data-flag", name[k]);
		put_attr_num(b, "data-score", sc[k]);
		pipe_put_s(b, ">");
		pipe_put_s(b, name[k]);
		pipe_put_s(b, " ");
		pipe_put_score(b, sc[k]);
		pipe_put_s(b, "</span>");
	}
}

static void put_date(buf_t *b, const pipe_doc *d, const pipe_record *r)
{
	char ds[11];
	if (r->date.src == DATE_SRC_NONE)
		return;
	date_format(r->date.date, ds);
	pipe_put_s(b, "<span class=\"date\"");
	put_attr(b, "data-date", ds);
	put_attr(b, "data-source", r->date.src == DATE_SRC_TEXT ? "text" : "article");
	pipe_put_s(b, ">date ");
	pipe_put_s(b, ds);
	if (r->date.src == DATE_SRC_TEXT) {
		size_t s = r->date.start <= d->len ? r->date.start : d->len;
		size_t e = r->date.end <= d->len && r->date.end >= s ? r->date.end : s;
		pipe_put_s(b, " (from \xE2\x80\x9C"); /* quotation marks U+201C, U+201D */
		put_esc(b, d->text + s, e - s);
		pipe_put_s(b, "\xE2\x80\x9D)");
	} else {
		pipe_put_s(b, " (article date)");
	}
	pipe_put_s(b, "</span>");
}

void pipe_write_html(buf_t *b, const pipe_doc *d, const pipe_record *r)
{
	int ev = pipe_has_event(r);
	uint32_t st = r->start <= d->len ? r->start : (uint32_t)d->len;
	uint32_t en = r->end <= d->len && r->end >= st ? r->end : st;
	uint32_t n = r->nent + r->nsrc + r->ntgt, na = 0;
	ann small[48], *a = small;
	uint32_t sstack[48], *stack = sstack;

	if (n > 48) {
		a = malloc(n * sizeof(*a));
		stack = malloc(n * sizeof(*stack));
		if (!a || !stack) {
			if (a != small)
				free(a);
			if (stack != sstack)
				free(stack);
			b->failed = 1;
			return;
		}
	}
	pipe_put_s(b, "<div class=\"sent");
	pipe_put_s(b, ev ? " event\"" : " none\"");
	put_attr_uint(b, "data-sent", r->sent);
	put_attr_uint(b, "data-start", r->cstart);
	put_attr_uint(b, "data-end", r->cend);
	pipe_put_s(b, ">\n<div class=\"info\"><span class=\"num\">#");
	json_int(b, r->sent);
	pipe_put_s(b, "</span>");
	if (!ev) {
		pipe_put_s(b, "<span class=\"noev\">no event");
		if (r->none_score >= 0) {
			pipe_put_s(b, " ");
			pipe_put_score(b, r->none_score);
		}
		pipe_put_s(b, "</span>");
	} else {
		if (!pipe_is_none(r->plover))
			put_label(b, "ev", "data-plover", r->plover, r->plover_score);
		if (!pipe_is_none(r->penta))
			put_label(b, "penta", "data-penta", r->penta, r->penta_score);
		if (!pipe_is_none(r->plover))
			put_status(b, r);
	}
	put_date(b, d, r);
	pipe_put_s(b, "</div>\n<p class=\"text\">");
	add_spans(a, &na, r->src, r->nsrc, K_SRC, st, en);
	add_spans(a, &na, r->tgt, r->ntgt, K_TGT, st, en);
	add_spans(a, &na, r->ent, r->nent, K_ENT, st, en);
	for (uint32_t i = 1; i < na; i++) { /* insertion sort: a few spans */
		ann x = a[i];
		uint32_t j = i;
		while (j > 0 && ann_before(&x, &a[j - 1])) {
			a[j] = a[j - 1];
			j--;
		}
		a[j] = x;
	}
	put_spans(b, d, r, a, na, st, en, stack);
	pipe_put_s(b, "</p>\n</div>\n");
	if (a != small)
		free(a);
	if (stack != sstack)
		free(stack);
}
