/* eval_svg: an evaluation report drawn as one self-contained SVG 1.1
 * document (no scripts, no external fonts or images): the confusion
 * matrix and reliability diagram for classification, per-type
 * precision/recall/F1 bars with bootstrap intervals for spans and
 * multi-label data. Numbers are drawn with fixed formats and the "C"
 * decimal point, so the same report gives the same bytes. */
#include "eval/eval.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/utf8.h"

#define SVG_W 760         /* document width */
#define SVG_FONT "font-family=\"sans-serif\""

/* Appends v formatted by fmt (one numeric conversion), with '.' as the
 * decimal point whatever the locale. */
static void num(buf_t *b, const char *fmt, double v)
{
	char tmp[64];
	int n = snprintf(tmp, sizeof(tmp), fmt, v);

	if (n < 0)
		return;
	if ((size_t)n >= sizeof(tmp))
		n = (int)sizeof(tmp) - 1;
	for (int i = 0; i < n; i++)
		if (tmp[i] == ',')
			tmp[i] = '.';
	buf_put(b, tmp, (size_t)n);
}

static void inum(buf_t *b, long long v)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%lld", v);

	if (n > 0)
		buf_put(b, tmp, (size_t)n);
}

static void put(buf_t *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

/* Appends s as XML character data or attribute text: & < > " ' escaped,
 * control characters and invalid UTF-8 (not allowed in XML) as U+FFFD. */
static void esc(buf_t *b, const char *s)
{
	size_t n = strlen(s), i = 0;

	while (i < n) {
		size_t at = i;
		unsigned char c = (unsigned char)s[i];
		int32_t cp;

		switch (c) {
		case '&': put(b, "&amp;"); i++; continue;
		case '<': put(b, "&lt;"); i++; continue;
		case '>': put(b, "&gt;"); i++; continue;
		case '"': put(b, "&quot;"); i++; continue;
		case '\'': put(b, "&apos;"); i++; continue;
		default: break;
		}
		cp = utf8_next(s, n, &i);
		if (cp < 0 || (cp < 0x20 && cp != '\t') || cp == 0x7f || cp == 0xfffe || cp == 0xffff)
			put(b, "\xef\xbf\xbd");
		else
			buf_put(b, s + at, i - at);
	}
}

static const char *shown(const char *name)
{
	return name[0] ? name : "(no type)";
}

/* <text x y [class] [anchor] [size]>s</text>, s escaped. */
static void text(buf_t *b, double x, double y, const char *cls, const char *anchor,
		 const char *extra, const char *s)
{
	put(b, "<text x=\"");
	num(b, "%.1f", x);
	put(b, "\" y=\"");
	num(b, "%.1f", y);
	put(b, "\"");
	if (cls) {
		put(b, " class=\"");
		put(b, cls);
		put(b, "\"");
	}
	if (anchor) {
		put(b, " text-anchor=\"");
		put(b, anchor);
		put(b, "\"");
	}
	if (extra) {
		put(b, " ");
		put(b, extra);
	}
	put(b, ">");
	esc(b, s);
	put(b, "</text>\n");
}

static void rect(buf_t *b, double x, double y, double w, double h, const char *fill,
		 const char *extra)
{
	put(b, "<rect x=\"");
	num(b, "%.1f", x);
	put(b, "\" y=\"");
	num(b, "%.1f", y);
	put(b, "\" width=\"");
	num(b, "%.1f", w);
	put(b, "\" height=\"");
	num(b, "%.1f", h);
	put(b, "\" fill=\"");
	put(b, fill);
	put(b, "\"");
	if (extra) {
		put(b, " ");
		put(b, extra);
	}
	put(b, "/>\n");
}

static void line(buf_t *b, double x1, double y1, double x2, double y2, const char *extra)
{
	put(b, "<line x1=\"");
	num(b, "%.1f", x1);
	put(b, "\" y1=\"");
	num(b, "%.1f", y1);
	put(b, "\" x2=\"");
	num(b, "%.1f", x2);
	put(b, "\" y2=\"");
	num(b, "%.1f", y2);
	put(b, "\" ");
	put(b, extra);
	put(b, "/>\n");
}

/* Width in pixels the longest label name takes at 11px (capped). */
static double label_width(const eval_report *r)
{
	size_t w = 0;

	for (size_t l = 0; l < r->nlabels; l++) {
		const char *s = shown(r->labels[l].name);
		size_t c = utf8_count(s, strlen(s));
		if (c > w)
			w = c;
	}
	w = w * 7 + 12;
	return w > 220 ? 220 : (double)w;
}

/* Side of one confusion-matrix cell for n labels. */
static double cell_side(size_t n)
{
	return n <= 12 ? 40 : (n <= 40 ? 480.0 / (double)n : 12);
}

/* The confusion matrix at y; returns the height used. */
static double draw_confusion(const eval_report *r, buf_t *b, double y)
{
	size_t n = r->nlabels;
	double cell = cell_side(n);
	double lw = label_width(r);
	double x0 = 20 + lw, y0 = y + 30 + lw;
	char fill[32];

	text(b, 20, y + 16, "heading", NULL, "font-size=\"14\" font-weight=\"bold\"",
	     "Confusion matrix (rows gold, columns predicted; colour: share of the row)");
	put(b, "<g class=\"confusion\" " SVG_FONT " font-size=\"11\">\n");
	for (size_t j = 0; j < n; j++) {
		double cx = x0 + (double)j * cell + cell / 2 + 4;
		put(b, "<text class=\"col\" x=\"0\" y=\"0\" transform=\"translate(");
		num(b, "%.1f", cx);
		put(b, " ");
		num(b, "%.1f", y0 - 4);
		put(b, ") rotate(-60)\">");
		esc(b, shown(r->labels[j].name));
		put(b, "</text>\n");
	}
	for (size_t i = 0; i < n; i++) {
		long long row = 0;
		double cy = y0 + (double)i * cell;

		for (size_t j = 0; j < n; j++)
			row += r->confusion[i * n + j];
		text(b, x0 - 6, cy + cell / 2 + 4, "row", "end", NULL, shown(r->labels[i].name));
		for (size_t j = 0; j < n; j++) {
			long long c = r->confusion[i * n + j];
			double s = row > 0 ? (double)c / (double)row : 0;
			double cx = x0 + (double)j * cell;

			snprintf(fill, sizeof(fill), "rgb(%d,%d,%d)", (int)lround(255 - s * (255 - 8)),
				 (int)lround(255 - s * (255 - 81)), (int)lround(255 - s * (255 - 156)));
			rect(b, cx, cy, cell, cell, fill, "stroke=\"#cccccc\" stroke-width=\"0.5\"");
			if (cell >= 16) {
				put(b, "<text class=\"count\" x=\"");
				num(b, "%.1f", cx + cell / 2);
				put(b, "\" y=\"");
				num(b, "%.1f", cy + cell / 2 + 4);
				put(b, "\" text-anchor=\"middle\" fill=\"");
				put(b, s > 0.5 ? "#ffffff" : "#000000");
				put(b, "\"");
				if (cell < 30)
					put(b, " font-size=\"8\"");
				put(b, ">");
				inum(b, c);
				put(b, "</text>\n");
			}
		}
	}
	put(b, "</g>\n");
	return (y0 - y) + (double)n * cell + 30;
}

/* The reliability diagram at y; returns the height used. */
static double draw_reliability(const eval_report *r, buf_t *b, double y)
{
	const double x0 = 70, side = 320, y0 = y + 40, ybase = y0 + side;
	char tmp[64];

	text(b, 20, y + 16, "heading", NULL, "font-size=\"14\" font-weight=\"bold\"",
	     "Reliability diagram (bars: accuracy per confidence bin; dots: mean confidence)");
	put(b, "<g class=\"reliability\" " SVG_FONT " font-size=\"11\">\n");
	rect(b, x0, y0, side, side, "#ffffff", "stroke=\"#000000\" stroke-width=\"1\"");
	for (int k = 0; k <= 10; k += 2) {
		double f = k / 10.0;
		snprintf(tmp, sizeof(tmp), "%d.%d", k / 10, k % 10);
		text(b, x0 + f * side, ybase + 16, "tick", "middle", NULL, tmp);
		text(b, x0 - 6, ybase - f * side + 4, "tick", "end", NULL, tmp);
	}
	text(b, x0 + side / 2, ybase + 34, "axis", "middle", NULL, "confidence");
	put(b, "<text class=\"axis\" x=\"0\" y=\"0\" text-anchor=\"middle\" transform=\"translate(");
	num(b, "%.1f", x0 - 36);
	put(b, " ");
	num(b, "%.1f", y0 + side / 2);
	put(b, ") rotate(-90)\">accuracy</text>\n");
	for (size_t k = 0; k < r->nbins; k++) {
		const eval_bin *bn = &r->bins[k];
		double bx = x0 + bn->lo * side, bw = (bn->hi - bn->lo) * side;

		if (bn->count <= 0 || !isfinite(bn->accuracy))
			continue;
		rect(b, bx + 1, ybase - bn->accuracy * side, bw > 2 ? bw - 2 : bw,
		     bn->accuracy * side, "#4f81bd", "fill-opacity=\"0.8\"");
		put(b, "<circle cx=\"");
		num(b, "%.1f", x0 + bn->confidence * side);
		put(b, "\" cy=\"");
		num(b, "%.1f", ybase - bn->accuracy * side);
		put(b, "\" r=\"3\" fill=\"#c0504d\"/>\n");
		put(b, "<text class=\"bincount\" x=\"");
		num(b, "%.1f", bx + bw / 2);
		put(b, "\" y=\"");
		num(b, "%.1f", ybase - bn->accuracy * side - 4);
		put(b, "\" text-anchor=\"middle\" font-size=\"9\">");
		inum(b, bn->count);
		put(b, "</text>\n");
	}
	line(b, x0, ybase, x0 + side, y0, "stroke=\"#888888\" stroke-dasharray=\"4,3\"");
	put(b, "<text class=\"ece\" x=\"");
	num(b, "%.1f", x0 + side + 20);
	put(b, "\" y=\"");
	num(b, "%.1f", y0 + 14);
	put(b, "\" font-size=\"13\">ECE ");
	num(b, "%.4f", r->m[EVAL_M_ECE]);
	put(b, "</text>\n");
	put(b, "<text x=\"");
	num(b, "%.1f", x0 + side + 20);
	put(b, "\" y=\"");
	num(b, "%.1f", y0 + 32);
	put(b, "\">numbers: examples per bin</text>\n");
	put(b, "</g>\n");
	return 40 + side + 50;
}

/* Per-label P/R/F1 bars with the F1 bootstrap interval at y; returns the
 * height used. */
static double draw_bars(const eval_report *r, buf_t *b, double y)
{
	const double lw = label_width(r), x0 = 20 + lw, width = SVG_W - x0 - 80;
	const double row = 42, y0 = y + 46;
	static const char *const colour[3] = { "#9bbb59", "#4f81bd", "#c0504d" };
	static const char *const cls[3] = { "precision", "recall", "f1" };

	text(b, 20, y + 16, "heading", NULL, "font-size=\"14\" font-weight=\"bold\"",
	     r->resamples > 0 ? "Precision, recall and F1 per type (%; whiskers: F1 bootstrap 95% interval)"
			      : "Precision, recall and F1 per type (%)");
	put(b, "<g class=\"bars\" " SVG_FONT " font-size=\"11\">\n");
	for (int k = 0; k < 3; k++) {
		rect(b, x0 + 140 * k, y + 26, 10, 10, colour[k], NULL);
		text(b, x0 + 140 * k + 14, y + 35, NULL, NULL, NULL,
		     k == 0 ? "precision" : k == 1 ? "recall" : "F1");
	}
	for (int k = 0; k <= 10; k += 2) {
		char tmp[16];
		snprintf(tmp, sizeof(tmp), "%d", k * 10);
		line(b, x0 + k / 10.0 * width, y0 - 4, x0 + k / 10.0 * width,
		     y0 + row * (double)r->nlabels, "stroke=\"#dddddd\"");
		text(b, x0 + k / 10.0 * width, y0 + row * (double)r->nlabels + 14, "tick", "middle",
		     NULL, tmp);
	}
	for (size_t l = 0; l < r->nlabels; l++) {
		const eval_label *lb = &r->labels[l];
		double ly = y0 + row * (double)l;
		double v[3] = { lb->precision, lb->recall, lb->f1 };

		put(b, "<g class=\"label\">\n");
		text(b, x0 - 6, ly + 20, "type", "end", NULL, shown(lb->name));
		for (int k = 0; k < 3; k++) {
			double by = ly + 11 * k, f = isfinite(v[k]) ? v[k] : 0;
			rect(b, x0, by, f * width, 10, colour[k], NULL);
			put(b, "<text class=\"");
			put(b, cls[k]);
			put(b, "\" x=\"");
			num(b, "%.1f", x0 + f * width + 4);
			put(b, "\" y=\"");
			num(b, "%.1f", by + 9);
			put(b, "\" font-size=\"9\">");
			if (isfinite(v[k]))
				num(b, "%.2f", 100 * v[k]);
			else
				put(b, "n/a");
			put(b, "</text>\n");
		}
		if (isfinite(lb->f1_lo) && isfinite(lb->f1_hi)) {
			double ey = ly + 22 + 5;
			line(b, x0 + lb->f1_lo * width, ey, x0 + lb->f1_hi * width, ey,
			     "class=\"ci\" stroke=\"#000000\"");
			line(b, x0 + lb->f1_lo * width, ey - 4, x0 + lb->f1_lo * width, ey + 4,
			     "stroke=\"#000000\"");
			line(b, x0 + lb->f1_hi * width, ey - 4, x0 + lb->f1_hi * width, ey + 4,
			     "stroke=\"#000000\"");
		}
		put(b, "</g>\n");
	}
	put(b, "</g>\n");
	return 46 + row * (double)r->nlabels + 30;
}

void eval_report_svg(const eval_report *r, buf_t *b)
{
	buf_t body;
	double y = 40, w = SVG_W;
	char tmp[160];
	int confusion = r->kind == EVAL_SINGLE && r->confusion && r->nlabels > 0;

	/* wide enough for the matrix and its slanted column labels */
	if (confusion) {
		double lw = label_width(r);
		double need = 20 + lw + (double)r->nlabels * cell_side(r->nlabels) + lw / 2 + 20;
		if (need > w)
			w = ceil(need);
	}
	buf_init(&body);
	snprintf(tmp, sizeof(tmp), "%s: %lld %s", r->kind == EVAL_SPANS ? "spans"
		 : r->scheme ? r->scheme : "classification",
		 r->n, r->kind == EVAL_SPANS ? "tokens" : "examples");
	/* "MODEL on DATA" for eval, the scored file for score */
	put(&body, "<text x=\"20.0\" y=\"22.0\" class=\"title\" font-size=\"15\" "
		   "font-weight=\"bold\">");
	esc(&body, r->name ? r->name : "");
	if (r->data) {
		put(&body, " on ");
		esc(&body, r->data);
	}
	put(&body, "</text>\n");
	text(&body, w - 20, 22, "subtitle", "end", NULL, tmp);
	if (confusion)
		y += draw_confusion(r, &body, y);
	else if (r->nlabels > 0)
		y += draw_bars(r, &body, y);
	if (r->bins && r->nbins > 0)
		y += draw_reliability(r, &body, y);

	put(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	       "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"");
	inum(b, (long long)w);
	put(b, "\" height=\"");
	inum(b, (long long)ceil(y));
	put(b, "\" viewBox=\"0 0 ");
	inum(b, (long long)w);
	put(b, " ");
	inum(b, (long long)ceil(y));
	put(b, "\" " SVG_FONT " font-size=\"11\">\n<title>");
	esc(b, r->name ? r->name : "evaluation");
	if (r->data) {
		put(b, " on ");
		esc(b, r->data);
	}
	put(b, "</title>\n");
	rect(b, 0, 0, w, ceil(y), "#ffffff", NULL);
	if (body.failed)
		b->failed = 1;
	else
		buf_put(b, body.data, body.len);
	put(b, "</svg>\n");
	buf_free(&body);
}
