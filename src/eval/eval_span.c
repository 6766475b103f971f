/* eval_span: span (chunk) scoring with conlleval's rules.
 *
 * The chunk logic follows conlleval 2004-01-26 step by step: for every
 * token it asks whether a gold and a predicted chunk ended before it and
 * started at it (endOfChunk / startOfChunk over the previous and current
 * tag and type), and counts a correct chunk when both chunks started
 * together with the same type and ended together. A sentence break is a
 * row tagged O with no type. Types are compared as whole strings; like
 * conlleval, a tag is split at its first hyphen and the type "0" counts
 * as no type. */
#include "eval/eval_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/dict.h"
#include "base/zfile.h"

typedef struct span_row {
	uint64_t line;
	uint32_t gt, pt;      /* gold and predicted type ids (0: no type) */
	char gp, pp;          /* prefixes: B I E S O [ ] . ; 0 for a sentence break */
} span_row;

struct eval_spans {
	char *name;
	int flags;
	dict_t *types;        /* type strings; "" is id 0 */
	span_row *row;        /* [nrow] */
	size_t nrow, cap;
	uint64_t ntok;
};

eval_spans_t *eval_spans_new(const char *name, int flags)
{
	eval_spans_t *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->name = strdup(name ? name : "<spans>");
	s->types = dict_new();
	s->flags = flags;
	if (!s->name || !s->types || dict_add(s->types, "", 0) != 0) {
		eval_spans_free(s);
		return NULL;
	}
	return s;
}

void eval_spans_free(eval_spans_t *s)
{
	if (!s)
		return;
	free(s->name);
	dict_free(s->types);
	free(s->row);
	free(s);
}

uint64_t eval_spans_tokens(const eval_spans_t *s)
{
	return s->ntok;
}

static span_row *push_row(eval_spans_t *s)
{
	if (s->nrow == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 1024;
		span_row *tmp = realloc(s->row, nc * sizeof(*tmp));
		if (!tmp)
			return NULL;
		s->row = tmp;
		s->cap = nc;
	}
	return &s->row[s->nrow++];
}

/* Splits tag t[0..n) as conlleval does; 0, or -1 for an unknown form. */
static int parse_tag(eval_spans_t *s, const char *t, size_t n, char *prefix,
		     uint32_t *type)
{
	const char *ty = "";
	size_t tn = 0;

	if (s->flags & EVAL_RAW) {
		/* conlleval -r: "O" stays, anything else T becomes B-T. */
		if (n == 1 && t[0] == 'O') {
			*prefix = 'O';
		} else {
			*prefix = 'B';
			ty = t;
			tn = n;
		}
	} else {
		const char *h = memchr(t, '-', n);
		size_t pn = h ? (size_t)(h - t) : n;
		if (pn != 1 || !strchr("BIESO[].", t[0]) || t[0] == '\0')
			return -1;
		*prefix = t[0];
		if (h) {
			ty = h + 1;
			tn = n - pn - 1;
		}
	}
	if (tn == 1 && ty[0] == '0') /* Perl: the string "0" is false */
		tn = 0;
	*type = dict_add(s->types, tn ? ty : "", tn);
	return *type == DICT_NONE ? -2 : 0;
}

static int bad_tag(const eval_spans_t *s, uint64_t line, const char *which,
		   const char *t, size_t n, err_t *e)
{
	return err_set(e, ERR_FORMAT,
		       "%s:%llu: unknown tag form '%.*s' in the %s column (want O, "
		       "B-TYPE, I-TYPE, E-TYPE, S-TYPE or a bracket tag; bare types "
		       "need --raw)",
		       s->name, (unsigned long long)line, n > 60 ? 60 : (int)n, t,
		       which);
}

int eval_spans_add(eval_spans_t *s, const char *gold, size_t gn, const char *pred,
		   size_t pn, uint64_t line, err_t *e)
{
	char gp, pp;
	uint32_t gt, pt;
	span_row *r;
	int rc;

	rc = parse_tag(s, gold, gn, &gp, &gt);
	if (rc == -1)
		return bad_tag(s, line, "gold", gold, gn, e);
	if (rc == 0)
		rc = parse_tag(s, pred, pn, &pp, &pt);
	if (rc == -1)
		return bad_tag(s, line, "predicted", pred, pn, e);
	if (rc < 0 || !(r = push_row(s)))
		return err_set(e, ERR_NOMEM, "%s: out of memory", s->name);
	r->line = line;
	r->gp = gp;
	r->gt = gt;
	r->pp = pp;
	r->pt = pt;
	s->ntok++;
	return 0;
}

int eval_spans_break(eval_spans_t *s, uint64_t line, err_t *e)
{
	span_row *r;

	/* Breaks before the first token or after another break change no
	 * count in conlleval (its state is "O, no type" either way), so they
	 * are not stored: two files differing only in blank lines pair up. */
	if (s->nrow == 0 || s->row[s->nrow - 1].gp == 0)
		return 0;
	if (!(r = push_row(s)))
		return err_set(e, ERR_NOMEM, "%s: out of memory", s->name);
	memset(r, 0, sizeof(*r));
	r->line = line;
	return 0;
}

/* ---- reading conlleval files ---- */

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static int spans_readf(void *s, FILE *f, const char *name, err_t *e)
{
	return eval_spans_readf(s, f, name, e);
}

int eval_spans_read(eval_spans_t *s, const char *path, err_t *e)
{
	return eval_read_path(path, s, spans_readf, e);
}

int eval_read_path(const char *path, void *obj,
		   int (*readf)(void *obj, FILE *f, const char *name, err_t *e),
		   err_t *e)
{
	FILE *f;
	int rc;

	if (strcmp(path, "-") == 0)
		return readf(obj, stdin, "<stdin>", e);
	f = zfile_open(path);
	if (!f)
		return err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
	rc = readf(obj, f, path, e);
	fclose(f);
	return rc;
}

int eval_spans_readf(eval_spans_t *s, FILE *f, const char *fname, err_t *e)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	uint64_t lineno = 0, first_line = 0;
	long ncol = -1;
	int rc = 0;
	const char *field[3] = { "", "", "" }; /* first, second to last, last */
	size_t flen[3] = { 0, 0, 0 };

	while ((len = getline(&line, &cap, f)) >= 0) {
		long nf = 0;
		size_t i = 0, n = (size_t)len;
		lineno++;
		if (memchr(line, '\0', n)) {
			rc = err_set(e, ERR_FORMAT, "%s:%llu: NUL byte in line", fname,
				     (unsigned long long)lineno);
			break;
		}
		if (lineno == 1 && n >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0)
			i = 3; /* a UTF-8 byte-order mark */
		/* Fields: runs of non-space; keep the first and the last two. */
		while (i < n) {
			size_t st;
			while (i < n && (is_space(line[i]) || line[i] == '\n'))
				i++;
			if (i >= n)
				break;
			st = i;
			while (i < n && !is_space(line[i]) && line[i] != '\n')
				i++;
			if (nf == 0) {
				field[0] = line + st;
				flen[0] = i - st;
			}
			field[1] = field[2];
			flen[1] = flen[2];
			field[2] = line + st;
			flen[2] = i - st;
			nf++;
		}
		if (nf == 0) {
			rc = eval_spans_break(s, lineno, e);
		} else if (flen[0] == 10 && memcmp(field[0], "-DOCSTART-", 10) == 0 &&
			   (nf < 2 || (ncol >= 0 && nf < ncol))) {
			/* A document marker without tag columns: a break. */
			rc = eval_spans_break(s, lineno, e);
		} else if (ncol >= 0 && nf != ncol) {
			rc = err_set(e, ERR_FORMAT,
				     "%s:%llu: %ld columns, but line %llu has %ld (every "
				     "line needs the same columns, the last two being "
				     "the gold and predicted tags)",
				     fname, (unsigned long long)lineno, nf,
				     (unsigned long long)first_line, ncol);
		} else if (nf < 2) {
			rc = err_set(e, ERR_FORMAT,
				     "%s:%llu: 1 column; need at least 2 (... GOLD "
				     "PREDICTED: the last two columns are the tags)",
				     fname, (unsigned long long)lineno);
		} else {
			if (ncol < 0) {
				ncol = nf;
				first_line = lineno;
			}
			if (flen[0] == 3 && memcmp(field[0], "-X-", 3) == 0)
				rc = eval_spans_break(s, lineno, e);
			else
				rc = eval_spans_add(s, field[1], flen[1], field[2],
						    flen[2], lineno, e);
		}
		if (rc < 0)
			break;
	}
	if (rc == 0 && ferror(f))
		rc = err_set(e, ERR_IO, "%s: read error", fname);
	free(line);
	if (rc < 0 && e && strncmp(e->msg, fname, strlen(fname)) != 0)
		err_prefix(e, fname);
	return rc;
}

/* ---- conlleval's chunk rules ---- */

static int end_of_chunk(char pt, char t, uint32_t ptype, uint32_t type, int iobes)
{
	int end = 0;

	if (pt == 'B' && (t == 'B' || t == 'O'))
		end = 1;
	if (pt == 'I' && (t == 'B' || t == 'O'))
		end = 1;
	if (pt == 'E' && (t == 'E' || t == 'I' || t == 'O'))
		end = 1;
	if (iobes) {
		if ((pt == 'B' || pt == 'I') && t == 'S')
			end = 1;
		if (pt == 'E' && (t == 'S' || t == 'B'))
			end = 1;
		if (pt == 'S' && (t == 'E' || t == 'I' || t == 'O' || t == 'S' || t == 'B'))
			end = 1;
	}
	if (pt != 'O' && pt != '.' && ptype != type)
		end = 1;
	if (pt == ']' || pt == '[')
		end = 1;
	return end;
}

static int start_of_chunk(char pt, char t, uint32_t ptype, uint32_t type, int iobes)
{
	int start = 0;

	if (t == 'B' && (pt == 'B' || pt == 'I' || pt == 'O'))
		start = 1;
	if (pt == 'O' && (t == 'I' || t == 'E'))
		start = 1;
	if (pt == 'E' && (t == 'E' || t == 'I'))
		start = 1;
	if (iobes) {
		if (t == 'B' && (pt == 'S' || pt == 'E'))
			start = 1;
		if (t == 'S')
			start = 1;
		if (pt == 'S' && (t == 'I' || t == 'E'))
			start = 1;
	}
	if (t != 'O' && t != '.' && ptype != type)
		start = 1;
	if (t == '[' || t == ']')
		start = 1;
	return start;
}

/* Counting slots before labels are known: 0 tokens, 1 correct tokens,
 * 2 + 3 * type + {0 gold, 1 found, 2 correct}. */
typedef struct span_ev {
	uint32_t unit, slot;
} span_ev;

typedef struct span_evs {
	span_ev *ev;
	size_t n, cap;
	uint32_t nunits;
} span_evs;

static int ev_push(span_evs *v, uint32_t unit, uint32_t slot)
{
	if (v->n == v->cap) {
		size_t nc = v->cap ? v->cap * 2 : 4096;
		span_ev *tmp = realloc(v->ev, nc * sizeof(*tmp));
		if (!tmp)
			return ERR_NOMEM;
		v->ev = tmp;
		v->cap = nc;
	}
	v->ev[v->n].unit = unit;
	v->ev[v->n].slot = slot;
	v->n++;
	return 0;
}

/* Runs conlleval's counting over s, one event per count. */
static int span_count(const eval_spans_t *s, int iobes, span_evs *v)
{
	char lc = 'O', lg = 'O';
	uint32_t lct = 0, lgt = 0, unit = 0;
	int in_correct = 0, rc = 0;

	for (size_t i = 0; i < s->nrow && rc == 0; i++) {
		const span_row *r = &s->row[i];
		int brk = r->gp == 0;
		char c = brk ? 'O' : r->gp, g = brk ? 'O' : r->pp;
		uint32_t ct = brk ? 0 : r->gt, gt = brk ? 0 : r->pt;
		int sc, sg;

		if (in_correct) {
			int ec = end_of_chunk(lc, c, lct, ct, iobes);
			int eg = end_of_chunk(lg, g, lgt, gt, iobes);
			if (ec && eg && lgt == lct) {
				in_correct = 0;
				rc |= ev_push(v, unit, 2 + 3 * lct + 2);
			} else if (ec != eg || gt != ct) {
				in_correct = 0;
			}
		}
		sc = start_of_chunk(lc, c, lct, ct, iobes);
		sg = start_of_chunk(lg, g, lgt, gt, iobes);
		if (sc && sg && gt == ct)
			in_correct = 1;
		if (sc)
			rc |= ev_push(v, unit, 2 + 3 * ct + 0);
		if (sg)
			rc |= ev_push(v, unit, 2 + 3 * gt + 1);
		if (!brk) {
			rc |= ev_push(v, unit, 0);
			if (c == g && ct == gt)
				rc |= ev_push(v, unit, 1);
		}
		lc = c;
		lg = g;
		lct = ct;
		lgt = gt;
		if (brk && i + 1 < s->nrow)
			unit++;
	}
	if (in_correct)
		rc |= ev_push(v, unit, 2 + 3 * lct + 2);
	v->nunits = s->nrow ? unit + 1 : 0;
	return rc ? ERR_NOMEM : 0;
}

/* The gold column's tag scheme, for the report. */
static const char *gold_scheme(const eval_spans_t *s)
{
	int has[256] = { 0 }, i_start = 0;
	char lp = 'O';
	uint32_t lt = 0;

	for (size_t i = 0; i < s->nrow; i++) {
		const span_row *r = &s->row[i];
		if (r->gp == 0) {
			lp = 'O';
			lt = 0;
			continue;
		}
		has[(unsigned char)r->gp] = 1;
		if (r->gp == 'I' && (lp == 'O' || lt != r->gt))
			i_start = 1;
		lp = r->gp;
		lt = r->gt;
	}
	if (has['S'] || (has['B'] && has['E']))
		return "IOBES";
	if (has['['] || has[']'] || has['.'])
		return "brackets";
	if (has['E'])
		return "IOE";
	if (has['B'] || has['I'])
		return i_start ? "IOB1" : "IOB2";
	return "none";
}

static int wants_iobes(const eval_spans_t *s)
{
	int b = 0, e = 0;

	for (size_t i = 0; i < s->nrow; i++) {
		const span_row *r = &s->row[i];
		if (r->gp == 'S' || r->pp == 'S')
			return 1;
		b |= r->gp == 'B' || r->pp == 'B';
		e |= r->gp == 'E' || r->pp == 'E';
	}
	return b && e;
}

static int check_same_gold(const eval_spans_t *a, const eval_spans_t *b, err_t *e)
{
	size_t n = a->nrow < b->nrow ? a->nrow : b->nrow;

	for (size_t i = 0; i < n; i++) {
		const span_row *x = &a->row[i], *y = &b->row[i];
		const char *tx, *ty;
		if (x->gp == 0 && y->gp == 0)
			continue;
		if ((x->gp == 0) != (y->gp == 0))
			return err_set(e, ERR_FORMAT,
				       "%s:%llu: %s, but %s:%llu %s (--compare needs the "
				       "same sentences and gold tags)",
				       b->name, (unsigned long long)y->line,
				       y->gp ? "a token" : "a sentence break", a->name,
				       (unsigned long long)x->line,
				       x->gp ? "has a token" : "has a sentence break");
		tx = dict_str(a->types, x->gt, NULL);
		ty = dict_str(b->types, y->gt, NULL);
		if (x->gp != y->gp || strcmp(tx, ty) != 0)
			return err_set(e, ERR_FORMAT,
				       "%s:%llu: gold tag %c%s%s differs from %s:%llu's "
				       "%c%s%s (--compare needs the same gold tags)",
				       b->name, (unsigned long long)y->line, y->gp,
				       *ty ? "-" : "", ty, a->name,
				       (unsigned long long)x->line, x->gp, *tx ? "-" : "", tx);
	}
	if (a->ntok != b->ntok || a->nrow != b->nrow)
		return err_set(e, ERR_FORMAT,
			       "%s has %llu tokens, %s has %llu (--compare needs the same "
			       "gold data)",
			       a->name, (unsigned long long)a->ntok, b->name,
			       (unsigned long long)b->ntok);
	return 0;
}

typedef struct name_ix {
	const char *name;
	uint32_t label;
} name_ix;

static int cmp_name(const void *x, const void *y)
{
	return strcmp(((const name_ix *)x)->name, ((const name_ix *)y)->name);
}

/* Label names: the types with a count in a (or b); fills map_a/map_b
 * (type id -> label index, UINT32_MAX for none). */
static int collect_labels(const eval_spans_t *s, const span_evs *v, name_ix **names,
			  size_t *nn, size_t *cap)
{
	uint32_t nt = dict_size(s->types);
	unsigned char *used = calloc(nt ? nt : 1, 1);

	if (!used)
		return ERR_NOMEM;
	for (size_t i = 0; i < v->n; i++)
		if (v->ev[i].slot >= 2)
			used[(v->ev[i].slot - 2) / 3] = 1;
	for (uint32_t t = 0; t < nt; t++) {
		const char *nm;
		int dup = 0;
		if (!used[t])
			continue;
		nm = dict_str(s->types, t, NULL);
		for (size_t k = 0; k < *nn; k++)
			if (strcmp((*names)[k].name, nm) == 0)
				dup = 1;
		if (dup)
			continue;
		if (*nn == *cap) {
			size_t nc = *cap ? *cap * 2 : 16;
			name_ix *tmp = realloc(*names, nc * sizeof(*tmp));
			if (!tmp) {
				free(used);
				return ERR_NOMEM;
			}
			*names = tmp;
			*cap = nc;
		}
		(*names)[*nn].name = nm;
		(*names)[*nn].label = 0;
		(*nn)++;
	}
	free(used);
	return 0;
}

static int build_units(const eval_spans_t *s, const span_evs *v, const name_ix *names,
		       size_t nn, eval_units *u)
{
	uint32_t nt = dict_size(s->types);
	uint32_t *map = malloc((nt ? nt : 1) * sizeof(*map));
	size_t k = 0;

	if (!map)
		return ERR_NOMEM;
	for (uint32_t t = 0; t < nt; t++) {
		const char *nm = dict_str(s->types, t, NULL);
		name_ix key = { nm, 0 };
		const name_ix *hit = nn ? bsearch(&key, names, nn, sizeof(*names), cmp_name)
					: NULL;
		map[t] = hit ? (uint32_t)(hit - names) : UINT32_MAX;
	}
	for (uint32_t unit = 0; unit < v->nunits; unit++) {
		evu_unit(u);
		for (; k < v->n && v->ev[k].unit == unit; k++) {
			uint32_t slot = v->ev[k].slot;
			if (slot < 2)
				evu_add(u, slot, 1);
			else
				evu_add(u, 2 + 3 * map[(slot - 2) / 3] + (slot - 2) % 3, 1);
		}
	}
	free(map);
	return u->failed ? ERR_NOMEM : 0;
}

int eval_spans_score(const eval_spans_t *a, const eval_spans_t *b,
		     const eval_opts *o, eval_report **out, err_t *e)
{
	span_evs va = { 0 }, vb = { 0 };
	eval_units ua = { 0 }, ub = { 0 };
	name_ix *names = NULL;
	size_t nn = 0, ncap = 0;
	eval_layout ly;
	eval_report *r = NULL;
	int iobes, rc;

	*out = NULL;
	if (o->resamples < 0)
		return err_set(e, ERR_ARG, "negative number of resamples");
	if (a->ntok == 0)
		return err_set(e, ERR_EMPTY, "%s: no tokens to score", a->name);
	if (b && (rc = check_same_gold(a, b, e)) < 0)
		return rc;
	if (o->rules == EVAL_RULES_IOBES)
		iobes = 1;
	else if (o->rules == EVAL_RULES_CONLLEVAL)
		iobes = 0;
	else
		iobes = wants_iobes(a) || (b && wants_iobes(b));

	rc = span_count(a, iobes, &va);
	if (rc == 0 && b)
		rc = span_count(b, iobes, &vb);
	if (rc == 0)
		rc = collect_labels(a, &va, &names, &nn, &ncap);
	if (rc == 0 && b)
		rc = collect_labels(b, &vb, &names, &nn, &ncap);
	if (rc < 0)
		goto nomem;
	if (nn)
		qsort(names, nn, sizeof(*names), cmp_name);
	if ((rc = build_units(a, &va, names, nn, &ua)) < 0)
		goto nomem;
	if (b && (rc = build_units(b, &vb, names, nn, &ub)) < 0)
		goto nomem;

	r = evr_new(EVAL_SPANS, a->name);
	if (!r)
		goto nomem;
	r->scheme = gold_scheme(a);
	r->rules = iobes ? "conlleval+iobes" : "conlleval";
	r->units = ua.n;
	r->labels = calloc(nn ? nn : 1, sizeof(*r->labels));
	if (!r->labels)
		goto nomem;
	for (size_t l = 0; l < nn; l++) {
		if (!(r->labels[l].name = strdup(names[l].name)))
			goto nomem;
		r->nlabels++;
	}
	if (b && !(r->compare_name = strdup(b->name)))
		goto nomem;
	evl_init(&ly, EVAL_SPANS, (uint32_t)nn, 0);
	rc = evs_run(&ly, &ua, b ? &ub : NULL, o, r, e);
	if (rc < 0)
		goto fail;
	*out = r;
	r = NULL;
	goto done;
nomem:
	rc = err_set(e, ERR_NOMEM, "out of memory while scoring %s", a->name);
fail:
	eval_report_free(r);
done:
	free(va.ev);
	free(vb.ev);
	evu_free(&ua);
	evu_free(&ub);
	free(names);
	return rc;
}
