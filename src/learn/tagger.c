/* tagger: model structure, loading and saving, tagging (Viterbi), span
 * confidences (forward-backward). Training lives in tagger_train.c. */
#include "learn/tagger.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__) && !defined(TAGGER_NO_SIMD)
#include <emmintrin.h>
#endif

#include "base/buf.h"
#include "learn/tagger_int.h"
#include "base/model.h"

/* ---- labels ---- */

int tagger_label_meta(tagger_t *t)
{
	uint32_t L = dict_size(t->labels);

	t->nlab = L;
	free(t->kind);
	free(t->type);
	free(t->ilab);
	dict_free(t->types);
	t->kind = calloc(L ? L : 1, 1);
	t->type = calloc(L ? L : 1, sizeof(*t->type));
	t->types = dict_new();
	t->ilab = NULL;
	if (!t->kind || !t->type || !t->types)
		return ERR_NOMEM;
	for (uint32_t y = 0; y < L; y++) {
		size_t n;
		const char *s = dict_str(t->labels, y, &n), *ty;
		size_t tl;
		int k = conll_tag_kind(s, n, &ty, &tl);
		if (!k)
			return ERR_FORMAT;
		t->kind[y] = (uint8_t)k;
		t->type[y] = UINT32_MAX;
		if (k != 'O') {
			t->type[y] = dict_add(t->types, ty, tl);
			if (t->type[y] == DICT_NONE)
				return ERR_NOMEM;
		}
	}
	uint32_t nt = dict_size(t->types);
	t->ilab = malloc(2 * (nt ? nt : 1) * sizeof(*t->ilab));
	if (!t->ilab)
		return ERR_NOMEM;
	for (uint32_t k = 0; k < 2 * nt; k++)
		t->ilab[k] = -1;
	/* ilab[ty] = I- label, ilab[nt + ty] = B- label */
	for (uint32_t y = 0; y < L; y++) {
		if (t->kind[y] == 'I')
			t->ilab[t->type[y]] = (int32_t)y;
		else if (t->kind[y] == 'B')
			t->ilab[nt + t->type[y]] = (int32_t)y;
	}
	return 0;
}

uint32_t tagger_nlabels(const tagger_t *t)
{
	return t->nlab;
}

const char *tagger_label_name(const tagger_t *t, uint32_t id)
{
	return dict_str(t->labels, id, NULL);
}

uint32_t tagger_ntypes(const tagger_t *t)
{
	return dict_size(t->types);
}

const char *tagger_type_name(const tagger_t *t, uint32_t id)
{
	return dict_str(t->types, id, NULL);
}

const gaz_t *tagger_gazetteer(const tagger_t *t)
{
	return t->gaz;
}

void tagger_get_info(const tagger_t *t, tagger_info *info)
{
	memset(info, 0, sizeof(*info));
	info->nlabels = t->nlab;
	info->ntypes = dict_size(t->types);
	info->templates = t->mask;
	info->nattrs = t->nattr;
	info->nweights = t->nw;
	info->hash_bits = t->hash_bits;
	info->nclusters = t->cl ? t->cl->n : 0;
	info->nvclusters = t->vc ? t->vc->n : 0;
	info->nlexicon = t->lex ? dict_size(t->lex->forms) : 0;
	info->trained = t->trained ? t->trained : "";
	info->has_entities = t->ent != NULL;
	info->obias = t->obias;
	info->tbias = t->tbias;
	info->rules = t->rules;
}

uint32_t tagger_spans(const tagger_t *t, const uint32_t *labels, uint32_t n,
		      tagger_span *spans)
{
	uint32_t ns = 0;
	int open = 0;

	for (uint32_t i = 0; i < n; i++) {
		uint32_t y = labels[i];
		int k = y < t->nlab ? t->kind[y] : 'O';
		if (k == 'I' && open && spans[ns - 1].type == t->type[y])
			continue;
		if (open) {
			spans[ns - 1].last = i;
			open = 0;
		}
		if (k != 'O') {
			spans[ns].first = i;
			spans[ns].last = i + 1;
			spans[ns].type = t->type[y];
			spans[ns].score = 1.0f;
			ns++;
			open = 1;
		}
	}
	if (open)
		spans[ns - 1].last = n;
	return ns;
}

static int title_like(const tagger_tok *t)
{
	if (t->len < 2 || t->s[0] < 'A' || t->s[0] > 'Z')
		return 0;
	for (uint32_t i = 1; i < t->len; i++)
		if (!((t->s[i] >= 'a' && t->s[i] <= 'z') || (t->s[i] >= 'A' && t->s[i] <= 'Z')))
			return 0;
	return 1;
}

uint32_t tagger_join_spans(const tagger_tok *tok, uint32_t n, uint32_t type,
			   tagger_span *spans, uint32_t ns)
{
	uint32_t m = 0;

	for (uint32_t k = 0; k < ns; k++) {
		tagger_span *p = m ? &spans[m - 1] : NULL;
		const tagger_span *c = &spans[k];
		if (p && p->type == type && c->type == type && c->first == p->last + 1 &&
		    p->last < n && title_like(&tok[p->last])) {
			p->last = c->last;
			if (c->score < p->score)
				p->score = c->score;
			continue;
		}
		spans[m++] = *c;
	}
	return m;
}

/* Spans of a label sequence without writing them: compares as it goes. */
void tagger_count_spans(const tagger_t *t, const uint32_t *gold,
			const uint32_t *pred, uint32_t n, uint64_t *correct,
			uint64_t *npred, uint64_t *ngold)
{
	/* span ends: a span starts at i if labels[i] begins one */
	uint32_t gs = UINT32_MAX, ps = UINT32_MAX; /* open span starts */
	uint32_t gt = 0, pt = 0;

	for (uint32_t i = 0; i <= n; i++) {
		int gk = 'O', pk = 'O';
		uint32_t gty = UINT32_MAX, pty = UINT32_MAX;
		if (i < n) {
			if (gold[i] < t->nlab) {
				gk = t->kind[gold[i]];
				gty = t->type[gold[i]];
			}
			if (pred[i] < t->nlab) {
				pk = t->kind[pred[i]];
				pty = t->type[pred[i]];
			}
		}
		int gcont = gk == 'I' && gs != UINT32_MAX && gt == gty;
		int pcont = pk == 'I' && ps != UINT32_MAX && pt == pty;
		int gend = gs != UINT32_MAX && !gcont;
		int pend = ps != UINT32_MAX && !pcont;
		if (gend && pend && gs == ps && gt == pt)
			(*correct)++;
		if (gend) {
			(*ngold)++;
			gs = UINT32_MAX;
		}
		if (pend) {
			(*npred)++;
			ps = UINT32_MAX;
		}
		if (gk != 'O' && !gcont) {
			gs = i;
			gt = gty;
		}
		if (pk != 'O' && !pcont) {
			ps = i;
			pt = pty;
		}
	}
}

/* ---- attribute table ---- */

/* Smallest power of two >= 2n + 16: open addressing at load <= 1/2. */
static uint64_t table_cap(uint32_t n)
{
	uint64_t cap = 16;

	while (cap < (uint64_t)n * 2 + 16)
		cap *= 2;
	return cap;
}

int tagger_table_alloc(tagger_t *t, uint32_t n)
{
	uint64_t cap = table_cap(n);

	free(t->tab.slot);
	t->tab.slot = malloc(cap * sizeof(*t->tab.slot));
	if (!t->tab.slot)
		return ERR_NOMEM;
	t->tab.mask = cap - 1;
	for (uint64_t i = 0; i < cap; i++) {
		t->tab.slot[i].key = 0;
		t->tab.slot[i].attr = UINT32_MAX;
	}
	return 0;
}

int tagger_table_build(tagger_t *t)
{
	if (tagger_table_alloc(t, t->nattr))
		return ERR_NOMEM;
	for (uint32_t a = 0; a < t->nattr; a++) {
		uint32_t k = t->key[a];
		uint64_t i = k & t->tab.mask;
		while (t->tab.slot[i].attr != UINT32_MAX) {
			if (t->tab.slot[i].key == k)
				return ERR_MODEL;
			i = (i + 1) & t->tab.mask;
		}
		t->tab.slot[i].key = k;
		t->tab.slot[i].attr = a;
	}
	return 0;
}

/* exp, with x above 300 taken as 300 (no overflow to infinity). */
static inline double clamp_exp(double x)
{
	return exp(x > 300 ? 300 : x);
}

/* Whether attribute a's weights fit in its slot: one weight whose aw is
 * (float)(qw * wscale), as loading and training make it (checked, so that
 * the sums stay those of aw whatever made t). */
static int inline_one(const tagger_t *t, uint32_t a)
{
	uint32_t o = t->aoff[a];

	if (t->aoff[a + 1] - o != 1)
		return 0;
	float w = (float)(t->qw[o] * t->wscale);
	return memcmp(&w, &t->aw[o], sizeof(w)) == 0;
}

/* Cells of attribute a's record: a dense one (1 + nlab cells) when it takes
 * no more room than the labelled one and its labels are distinct (in
 * increasing order, as training and loading leave them). */
static uint32_t rec_cells(const tagger_t *t, uint32_t a, int *dense)
{
	uint32_t o = t->aoff[a], c = t->aoff[a + 1] - o, sparse = tagger_rec_head(c) + c;

	*dense = 1 + t->nlab <= sparse;
	for (uint32_t j = 1; *dense && j < c; j++)
		if (t->alab[o + j] <= t->alab[o + j - 1])
			*dense = 0;
	return *dense ? 1 + t->nlab : sparse;
}

/* Cells of a cache line: a record of no more cells starts where it does
 * not cross a line, so that reading it costs one line. */
#define LINE_CELLS (64 / sizeof(float))

/* Record offsets (cells) into roff[nattr] for the attributes with records,
 * in order of falling label count: many labels mark the frequent
 * attributes, so the records most lookups read share cache lines instead
 * of lying among rare ones. Returns the cells in all, padding included. */
static uint64_t rec_layout(const tagger_t *t, uint32_t *roff)
{
	uint64_t off = 0;
	uint32_t cmax = 0;
	int dense;

	for (uint32_t a = 0; a < t->nattr; a++)
		if (t->aoff[a + 1] - t->aoff[a] > cmax)
			cmax = t->aoff[a + 1] - t->aoff[a];
	for (uint32_t c = cmax; c >= 1; c--)
		for (uint32_t a = 0; a < t->nattr; a++) {
			if (t->aoff[a + 1] - t->aoff[a] != c || inline_one(t, a))
				continue;
			uint64_t cells = rec_cells(t, a, &dense);
			if (cells <= LINE_CELLS && off % LINE_CELLS + cells > LINE_CELLS)
				off += LINE_CELLS - off % LINE_CELLS;
			roff[a] = off > UINT32_MAX ? UINT32_MAX : (uint32_t)off;
			off += cells;
		}
	return off;
}

int tagger_index_build(tagger_t *t)
{
	tagger_index *ix = &t->ix;
	uint64_t cap = table_cap(t->nattr), nrec;
	uint32_t *roff = malloc(((size_t)t->nattr + 1) * sizeof(*roff));
	int dense;

	free(ix->slot);
	free(ix->rec);
	memset(ix, 0, sizeof(*ix));
	if (!roff)
		return ERR_NOMEM;
	nrec = rec_layout(t, roff);
	if (nrec >= TAGGER_IX_ONE) {
		free(roff);
		return ERR_MODEL;
	}
	/* whole lines, aligned: a record never crosses one it need not */
	size_t bytes = ((nrec + 16) * sizeof(float) + 63) / 64 * 64;
	ix->slot = malloc(cap * sizeof(*ix->slot));
	ix->rec = aligned_alloc(64, bytes);
	if (!ix->slot || !ix->rec) {
		free(roff);
		free(ix->slot);
		free(ix->rec);
		memset(ix, 0, sizeof(*ix));
		return ERR_NOMEM;
	}
	memset(ix->rec, 0, bytes);
	ix->mask = cap - 1;
	ix->nrec = nrec;
	for (uint64_t i = 0; i < cap; i++) {
		ix->slot[i].key = 0;
		ix->slot[i].val = TAGGER_IX_EMPTY;
	}
	for (uint32_t a = 0; a < t->nattr; a++) {
		uint32_t k = t->key[a], o = t->aoff[a], c = t->aoff[a + 1] - o, val;
		if (inline_one(t, a)) {
			val = TAGGER_IX_ONE | (uint32_t)t->alab[o] << 16 | (uint16_t)t->qw[o];
		} else {
			uint64_t off = roff[a];
			unsigned char *lb = (unsigned char *)(ix->rec + off);
			rec_cells(t, a, &dense);
			if (dense) {
				float *w = ix->rec + off + 1;
				lb[0] = TAGGER_IX_DENSE;
				for (uint32_t y = 0; y < t->nlab; y++)
					w[y] = -0.0f;
				for (uint32_t j = 0; j < c; j++)
					w[t->alab[o + j]] = t->aw[o + j];
			} else {
				float *w = ix->rec + off + tagger_rec_head(c);
				lb[0] = (unsigned char)c;
				for (uint32_t j = 0; j < c; j++) {
					lb[1 + j] = t->alab[o + j];
					w[j] = t->aw[o + j];
				}
			}
			val = (uint32_t)off;
		}
		uint64_t i = k & ix->mask;
		while (ix->slot[i].val != TAGGER_IX_EMPTY) {
			if (ix->slot[i].key == k) {
				free(roff);
				return ERR_MODEL;
			}
			i = (i + 1) & ix->mask;
		}
		ix->slot[i].key = k;
		ix->slot[i].val = val;
	}
	free(roff);
	uint32_t LP = tagger_lpad(t->nlab), L = t->nlab;
	free(t->trp);
	free(t->etr);
	free(t->eew);
	t->trp = calloc(((size_t)L + 1) * LP, sizeof(*t->trp));
	t->etr = malloc(((size_t)L + 1) * L * sizeof(*t->etr));
	t->eew = malloc((size_t)L * sizeof(*t->eew));
	if (!t->trp || !t->etr || !t->eew)
		return ERR_NOMEM;
	for (uint32_t k = 0; k < (L + 1) * L; k++)
		t->etr[k] = clamp_exp(t->trans[k]);
	for (uint32_t y = 0; y < L; y++)
		t->eew[y] = clamp_exp(t->endw[y]);
	for (uint32_t p = 0; p <= t->nlab; p++)
		memcpy(t->trp + (size_t)p * LP, t->trans + (size_t)p * t->nlab,
		       t->nlab * sizeof(*t->trp));
	free(t->tab.slot);
	t->tab.slot = NULL;
	t->tab.mask = 0;
	t->stamp = tagger_stamp(t);
	return 0;
}

/* ---- lexicon and clusters ---- */

void tagger_lex_free(tagger_lex *l)
{
	if (!l)
		return;
	dict_free(l->forms);
	dict_free(l->classes);
	free(l->cls);
	free(l);
}

static tagger_lex *lex_new(void)
{
	tagger_lex *l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->forms = dict_new();
	l->classes = dict_new();
	if (!l->forms || !l->classes) {
		tagger_lex_free(l);
		return NULL;
	}
	return l;
}

/* The class of reporting verbs (STATEMENT) in l, kept for
 * tfeat_layers.lex_report. */
static void lex_set_report(tagger_lex *l)
{
	uint32_t st = dict_get(l->classes, "STATEMENT", 9);
	l->report = st == DICT_NONE ? 0 : (uint8_t)(st + 1);
}

static int lex_add(tagger_lex *l, const char *form, size_t n, uint8_t cls)
{
	uint32_t before = dict_size(l->forms);
	uint32_t id = dict_add(l->forms, form, n);

	if (id == DICT_NONE)
		return ERR_NOMEM;
	if (id < before)
		return 0; /* first entry wins */
	uint8_t *tmp = realloc(l->cls, (size_t)id + 1);
	if (!tmp)
		return ERR_NOMEM;
	l->cls = tmp;
	l->cls[id] = cls;
	return 0;
}

tagger_lex *tagger_lex_read(const char *path, err_t *e)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	uint32_t ln = 0;
	tagger_lex *l;

	if (!f) {
		err_set(e, ERR_IO, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	l = lex_new();
	if (!l) {
		fclose(f);
		err_set(e, ERR_NOMEM, "%s: out of memory", path);
		return NULL;
	}
	while (fgets(line, sizeof(line), f)) {
		char *fld[4];
		int nf = 0;
		char *p = line;
		ln++;
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0])
			continue;
		while (nf < 4) {
			fld[nf++] = p;
			p = strchr(p, '\t');
			if (!p)
				break;
			*p++ = '\0';
		}
		if (nf < 4) {
			err_set(e, ERR_FORMAT, "%s:%u: expected 4 tab-separated fields (FORM, CAMEO, PLOVER, PENTA)", path, ln);
			goto fail;
		}
		uint32_t c = dict_add(l->classes, fld[3], strlen(fld[3]));
		if (c == DICT_NONE || c >= 250) {
			err_set(e, c == DICT_NONE ? ERR_NOMEM : ERR_FORMAT,
				"%s:%u: too many classes", path, ln);
			goto fail;
		}
		for (char *q = fld[0]; *q; q++)
			if (*q >= 'A' && *q <= 'Z')
				*q = (char)(*q + 32);
		/* a multi-word form is known by its first word */
		size_t fl = strcspn(fld[0], " ");
		if (fl == 0)
			continue;
		if (lex_add(l, fld[0], fl, (uint8_t)(c + 1))) {
			err_set(e, ERR_NOMEM, "%s: out of memory", path);
			goto fail;
		}
	}
	if (ferror(f)) {
		err_set(e, ERR_IO, "%s: read error", path);
		goto fail;
	}
	fclose(f);
	if (dict_size(l->forms) == 0) {
		tagger_lex_free(l);
		err_set(e, ERR_EMPTY, "%s: no lexicon entries", path);
		return NULL;
	}
	lex_set_report(l);
	return l;
fail:
	fclose(f);
	tagger_lex_free(l);
	return NULL;
}

uint8_t tagger_lex_get(const tagger_lex *l, const char *s, uint32_t n)
{
	char low[64];

	if (n == 0 || n > sizeof(low) || s[0] < 'A' || (s[0] > 'Z' && s[0] < 'a') || s[0] > 'z')
		return 0;
	for (uint32_t i = 0; i < n; i++)
		low[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
	uint32_t id = dict_get(l->forms, low, n);
	return id == DICT_NONE ? 0 : l->cls[id];
}

tagger_clusters *tagger_clusters_alloc(uint32_t n)
{
	tagger_clusters *c = calloc(1, sizeof(*c));
	uint64_t cap = table_cap(n);

	if (!c)
		return NULL;
	c->key = calloc(cap, sizeof(*c->key));
	c->path = calloc(cap, sizeof(*c->path));
	if (!c->key || !c->path) {
		tagger_clusters_free(c);
		return NULL;
	}
	c->mask = cap - 1;
	return c;
}

void tagger_clusters_free(tagger_clusters *c)
{
	if (!c)
		return;
	free(c->key);
	free(c->path);
	free(c);
}

uint64_t tagger_word_key(const char *s, uint32_t n)
{
	char low[256];

	if (n > sizeof(low))
		n = sizeof(low);
	for (uint32_t i = 0; i < n; i++)
		low[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
	uint64_t k = tfeat_hash(low, n);
	return k ? k : 1;
}

uint32_t tagger_clusters_get(const tagger_clusters *c, uint64_t k)
{
	uint64_t i = k & c->mask;

	while (c->key[i]) {
		if (c->key[i] == k)
			return c->path[i];
		i = (i + 1) & c->mask;
	}
	return 0;
}

/* ---- workspace ---- */

tagger_ws *tagger_ws_new(const tagger_t *t)
{
	tagger_ws *ws = calloc(1, sizeof(*ws));

	if (!ws)
		return NULL;
	if (t && t->ent) {
		ws->ent_ws = tagger_ws_new(t->ent);
		if (!ws->ent_ws) {
			free(ws);
			return NULL;
		}
	}
	return ws;
}

void tagger_ws_set_doc(tagger_ws *ws, const tdoc_t *doc)
{
	ws->doc = doc;
}

int tagger_uses_doc(const tagger_t *t)
{
	return (t->mask >> TF_DOC) & 1;
}

int tagger_conll_doc(const tagger_t *t, tagger_ws *ws, const conll_corpus *c,
		     uint32_t s, tdoc_t **doc, err_t *e)
{
	if (!tagger_uses_doc(t) || c->ndoc == 0) {
		tagger_ws_set_doc(ws, NULL);
		return 0;
	}
	if (s > 0 && *doc && c->sent[s].doc == c->sent[s - 1].doc)
		return 0;
	if (!*doc && !(*doc = tdoc_new()))
		return err_set(e, ERR_NOMEM, "out of memory");
	tdoc_clear(*doc);
	tfeat_tok *tok = NULL;
	uint32_t cap = 0, first = s;
	while (first > 0 && c->sent[first - 1].doc == c->sent[s].doc)
		first--; /* a caller that starts inside a document */
	for (uint32_t k = first; k < c->nsent && c->sent[k].doc == c->sent[s].doc; k++) {
		const conll_sent *cs = &c->sent[k];
		if (tagger_tok_reserve(&tok, &cap, cs->n)) {
			free(tok);
			return err_set(e, ERR_NOMEM, "out of memory");
		}
		for (uint32_t i = 0; i < cs->n; i++)
			tok[i].s = conll_token(c, cs->first + i, &tok[i].len);
		if (tdoc_add(*doc, tok, cs->n)) {
			free(tok);
			return err_set(e, ERR_NOMEM, "out of memory");
		}
	}
	free(tok);
	tagger_ws_set_doc(ws, *doc);
	return 0;
}

int tagger_text_doc(const tagger_t *t, tagger_ws *ws, const tok_doc *d,
		    const char *text, tdoc_t **doc, err_t *e)
{
	tagger_ws_set_doc(ws, NULL);
	if (!tagger_uses_doc(t))
		return 0;
	if (!*doc && !(*doc = tdoc_new()))
		return err_set(e, ERR_NOMEM, "out of memory");
	tdoc_clear(*doc);
	tfeat_tok *tok = NULL;
	uint32_t cap = 0;
	for (uint32_t s = 0; s < d->nsent; s++) {
		const tok_sent *ts = &d->sent[s];
		if (tagger_tok_reserve(&tok, &cap, ts->n)) {
			free(tok);
			return err_set(e, ERR_NOMEM, "out of memory");
		}
		for (uint32_t k = 0; k < ts->n; k++) {
			const tok_token *tk = &d->tok[ts->first + k];
			tok[k].s = text + tk->start;
			tok[k].len = tk->end - tk->start;
		}
		if (tdoc_add(*doc, tok, ts->n)) {
			free(tok);
			return err_set(e, ERR_NOMEM, "out of memory");
		}
	}
	free(tok);
	tagger_ws_set_doc(ws, *doc);
	return 0;
}

void tagger_ws_free(tagger_ws *ws)
{
	if (!ws)
		return;
	tfeat_ws_free(&ws->fw);
	free(ws->gaz);
	free(ws->lex);
	free(ws->ent);
	free(ws->cl);
	free(ws->vc);
	free(ws->docc);
	tdoc_free(ws->own);
	free(ws->ent_lab);
	tagger_ws_free(ws->ent_ws);
	free(ws->score);
	free(ws->a);
	free(ws->b);
	free(ws->c);
	free(ws->rsc);
	free(ws->rsave);
	free(ws->rold);
	free(ws->rcur);
	free(ws->rsp);
	free(ws->vd);
	free(ws->lab);
	free(ws->attr);
	tagger_wc_free(ws);
	free(ws->went);
	free(ws->wh);
	free(ws);
}

#define GROW(p, n)                                                           \
	do {                                                                 \
		void *tmp_ = realloc((p), (n) * sizeof(*(p)));               \
		if (!tmp_)                                                   \
			return ERR_NOMEM;                                    \
		(p) = tmp_;                                                  \
	} while (0)

int tagger_ws_reserve(tagger_ws *ws, uint32_t nlab, uint32_t n)
{
	if (n <= ws->cap && nlab <= ws->nlab)
		return 0;
	uint32_t cap = ws->cap > n ? ws->cap : n;
	uint32_t L = ws->nlab > nlab ? ws->nlab : nlab;
	if (cap < 64)
		cap = 64;
	size_t cl = (size_t)cap * L;
	GROW(ws->gaz, cap);
	GROW(ws->lex, cap);
	GROW(ws->ent, cap);
	GROW(ws->cl, cap);
	GROW(ws->vc, (size_t)cap * TFEAT_VC_MAX_LEVELS);
	GROW(ws->docc, cap);
	GROW(ws->ent_lab, cap);
	GROW(ws->score, cl);
	GROW(ws->a, cl);
	GROW(ws->b, cl);
	GROW(ws->c, cap);
	GROW(ws->rsc, cl);
	GROW(ws->rsave, cl);
	GROW(ws->rold, cap);
	GROW(ws->rcur, cap);
	GROW(ws->rsp, cap);
	GROW(ws->vd, (size_t)cap * tagger_lpad(L));
	GROW(ws->lab, cap);
	GROW(ws->went, (size_t)cap + 6);
	GROW(ws->wh, (size_t)cap * TFEAT_NH);
	ws->cap = cap;
	ws->nlab = L;
	return 0;
}

int tagger_layers(const tagger_t *t, tagger_ws *ws, const tagger_tok *tok,
	       uint32_t n, tfeat_layers *ly, err_t *e)
{
	memset(ly, 0, sizeof(*ly));
	if (t->lex) {
		for (uint32_t i = 0; i < n; i++)
			ws->lex[i] = tagger_lex_get(t->lex, tok[i].s, tok[i].len);
		ly->lex = ws->lex;
		ly->lex_report = t->lex->report;
	}
	if (t->cl || t->vc) {
		/* one lowercased-word hash serves both cluster tables */
		for (uint32_t i = 0; i < n; i++) {
			uint64_t wk = tagger_word_key(tok[i].s, tok[i].len);
			if (t->cl)
				ws->cl[i] = tagger_clusters_get(t->cl, wk);
			if (t->vc)
				tagger_vc_get(t->vc, tagger_vc_fold(wk),
					      ws->vc + (size_t)i * t->vc->nlev);
		}
		if (t->cl)
			ly->cl = ws->cl;
		if (t->vc) {
			ly->vc = ws->vc;
			ly->vclev = t->vc->nlev;
		}
	}
	return tagger_layers_context(t, ws, tok, n, ly, e);
}

int tagger_layers_context(const tagger_t *t, tagger_ws *ws, const tagger_tok *tok,
			  uint32_t n, tfeat_layers *ly, err_t *e)
{
	if (t->gaz) {
		gaz_tag(t->gaz, tok, n, ws->gaz);
		ly->gaz = ws->gaz;
	}
	if (t->mask & ((uint64_t)1 << TF_DOC)) {
		const tdoc_t *d = ws->doc;
		if (!d) {
			if (!ws->own && !(ws->own = tdoc_new()))
				return err_set(e, ERR_NOMEM, "out of memory");
			tdoc_clear(ws->own);
			if (tdoc_add(ws->own, tok, n))
				return err_set(e, ERR_NOMEM, "out of memory");
			d = ws->own;
		}
		tdoc_codes(d, tok, n, ws->docc);
		ly->doc = ws->docc;
	}
	if (t->ent) {
		if (!ws->ent_ws && !(ws->ent_ws = tagger_ws_new(t->ent)))
			return err_set(e, ERR_NOMEM, "out of memory");
		int rc = tagger_tag(t->ent, ws->ent_ws, tok, n, ws->ent_lab, NULL,
				    NULL, e);
		if (rc)
			return rc;
		for (uint32_t i = 0; i < n; i++)
			ws->ent[i] = (uint8_t)(ws->ent_lab[i] + 1);
		ly->ent = ws->ent;
	}
	return 0;
}

/* ---- decoding ---- */

/* The best last label: max over y of last[y] + ew[y] (the first of equal
 * ones) into *arg, and that score. */
static double best_end(const double *last, const double *ew, uint32_t L, uint32_t *arg)
{
	double best = last[0] + ew[0];
	*arg = 0;
	for (uint32_t y = 1; y < L; y++)
		if (last[y] + ew[y] > best) {
			best = last[y] + ew[y];
			*arg = y;
		}
	return best;
}

double tagger_viterbi(const double *sc, const double *tr, const double *ew,
		   uint32_t L, uint32_t n, uint8_t *bp, uint32_t *out)
{
	double prev[TAGGER_MAX_LABELS] = { 0 }, cur[TAGGER_MAX_LABELS];

	if (n == 0)
		return 0;
	for (uint32_t y = 0; y < L; y++)
		prev[y] = tr[(size_t)L * L + y] + sc[y];
	for (uint32_t t = 1; t < n; t++) {
		const double *s = sc + (size_t)t * L;
		uint8_t *b = bp + (size_t)t * L;
		for (uint32_t y = 0; y < L; y++) {
			double best = prev[0] + tr[y];
			uint32_t arg = 0;
			for (uint32_t p = 1; p < L; p++) {
				double v = prev[p] + tr[(size_t)p * L + y];
				if (v > best) {
					best = v;
					arg = p;
				}
			}
			cur[y] = best + s[y];
			b[y] = (uint8_t)arg;
		}
		memcpy(prev, cur, L * sizeof(double));
	}
	double best = best_end(prev, ew, L, &out[n - 1]);
	for (uint32_t t = n - 1; t > 0; t--)
		out[t - 1] = bp[(size_t)t * L + out[t]];
	return best;
}

double tagger_viterbi_blocked(const double *sc, const double *trp, const double *ew,
			   uint32_t L, uint32_t n, double *d, uint32_t *out)
{
	uint32_t LP = tagger_lpad(L);

	if (n == 0)
		return 0;
	/* forward: only the best scores d[t * LP + y], a vector of labels at
	 * a time; the maximum of the same sums is the same double whatever
	 * the order the candidates are compared in */
	for (uint32_t y = 0; y < LP; y++)
		d[y] = y < L ? trp[(size_t)L * LP + y] + sc[y] : 0;
	for (uint32_t t = 1; t < n; t++) {
		const double *s = sc + (size_t)t * L, *prev = d + (size_t)(t - 1) * LP;
		double *cur = d + (size_t)t * LP;
		for (uint32_t y0 = 0; y0 < LP; y0 += TAGGER_VB) {
#if defined(__SSE2__) && !defined(TAGGER_NO_SIMD)
			/* maxpd(v, best) is v > best ? v : best, lane by lane;
			 * the block's 8 labels stay in 4 registers */
			const double *row = trp + y0;
			__m128d pv = _mm_set1_pd(prev[0]);
			__m128d b0 = _mm_add_pd(pv, _mm_loadu_pd(row));
			__m128d b1 = _mm_add_pd(pv, _mm_loadu_pd(row + 2));
			__m128d b2 = _mm_add_pd(pv, _mm_loadu_pd(row + 4));
			__m128d b3 = _mm_add_pd(pv, _mm_loadu_pd(row + 6));
			for (uint32_t p = 1; p < L; p++) {
				row = trp + (size_t)p * LP + y0;
				pv = _mm_set1_pd(prev[p]);
				b0 = _mm_max_pd(_mm_add_pd(pv, _mm_loadu_pd(row)), b0);
				b1 = _mm_max_pd(_mm_add_pd(pv, _mm_loadu_pd(row + 2)), b1);
				b2 = _mm_max_pd(_mm_add_pd(pv, _mm_loadu_pd(row + 4)), b2);
				b3 = _mm_max_pd(_mm_add_pd(pv, _mm_loadu_pd(row + 6)), b3);
			}
			_mm_storeu_pd(cur + y0, b0);
			_mm_storeu_pd(cur + y0 + 2, b1);
			_mm_storeu_pd(cur + y0 + 4, b2);
			_mm_storeu_pd(cur + y0 + 6, b3);
#else
			for (uint32_t k = 0; k < TAGGER_VB; k++) {
				double best = prev[0] + trp[y0 + k];
				for (uint32_t p = 1; p < L; p++) {
					double v = prev[p] + trp[(size_t)p * LP + y0 + k];
					if (v > best)
						best = v;
				}
				cur[y0 + k] = best;
			}
#endif
		}
		for (uint32_t y = 0; y < L; y++)
			cur[y] += s[y];
	}
	const double *last = d + (size_t)(n - 1) * LP;
	uint32_t ba;
	double bs = best_end(last, ew, L, &ba);
	/* backward: the back pointer of the one label on the path, found as
	 * tagger_viterbi finds it (first strictly better predecessor) */
	out[n - 1] = ba;
	for (uint32_t t = n - 1; t > 0; t--) {
		const double *prev = d + (size_t)(t - 1) * LP;
		uint32_t y = out[t], arg = 0;
		double best = prev[0] + trp[y];
		for (uint32_t p = 1; p < L; p++) {
			double v = prev[p] + trp[(size_t)p * LP + y];
			if (v > best) {
				best = v;
				arg = p;
			}
		}
		out[t - 1] = arg;
	}
	return bs;
}

/* out[y] = the sum over p < L, in order from 0, of v[p] * m[p * LP + y],
 * for y < L, with LP = tagger_lpad(L) (rows padded with zeros): each a
 * product rounded and then a sum rounded, as the plain loop does it;
 * blocks of TAGGER_VB labels in SSE2 registers where there is SSE2. */
static void vec_mat(const double *v, const double *m, uint32_t L, double *out)
{
	uint32_t LP = tagger_lpad(L);

	for (uint32_t y0 = 0; y0 < LP; y0 += TAGGER_VB) {
		double blk[TAGGER_VB];
#if defined(__SSE2__) && !defined(TAGGER_NO_SIMD)
		__m128d b0 = _mm_setzero_pd(), b1 = b0, b2 = b0, b3 = b0;
		for (uint32_t p = 0; p < L; p++) {
			const double *row = m + (size_t)p * LP + y0;
			__m128d pv = _mm_set1_pd(v[p]);
			b0 = _mm_add_pd(b0, _mm_mul_pd(pv, _mm_loadu_pd(row)));
			b1 = _mm_add_pd(b1, _mm_mul_pd(pv, _mm_loadu_pd(row + 2)));
			b2 = _mm_add_pd(b2, _mm_mul_pd(pv, _mm_loadu_pd(row + 4)));
			b3 = _mm_add_pd(b3, _mm_mul_pd(pv, _mm_loadu_pd(row + 6)));
		}
		_mm_storeu_pd(blk, b0);
		_mm_storeu_pd(blk + 2, b1);
		_mm_storeu_pd(blk + 4, b2);
		_mm_storeu_pd(blk + 6, b3);
#else
		for (uint32_t k = 0; k < TAGGER_VB; k++) {
			blk[k] = 0;
			for (uint32_t p = 0; p < L; p++)
				blk[k] += v[p] * m[(size_t)p * LP + y0 + k];
		}
#endif
		for (uint32_t k = 0; k < TAGGER_VB && y0 + k < L; k++)
			out[y0 + k] = blk[k];
	}
}

/* Both entry points: log Z into *logzp where logzp is not NULL. */
static void forward_backward(double *sc, const double *etr, const double *eew,
			     uint32_t L, uint32_t n, double *a, double *b,
			     double *c, double *zp, uint32_t from, double *logzp)
{
	double logz = 0;
	/* etr's first L rows, and their transpose, rows padded with zeros */
	double etp[TAGGER_MAX_LABELS * TAGGER_MAX_LABELS];
	double ett[TAGGER_MAX_LABELS * TAGGER_MAX_LABELS];
	uint32_t LP = tagger_lpad(L);

	for (uint32_t p = 0; p < L; p++)
		for (uint32_t y = 0; y < LP; y++) {
			etp[(size_t)p * LP + y] = y < L ? etr[(size_t)p * L + y] : 0;
			ett[(size_t)p * LP + y] = y < L ? etr[(size_t)y * L + p] : 0;
		}
	for (uint32_t t = 0; t < n; t++) {
		double *s = sc + (size_t)t * L, m = s[0];
		for (uint32_t y = 1; y < L; y++)
			if (s[y] > m)
				m = s[y];
		for (uint32_t y = 0; y < L; y++)
			s[y] = exp(s[y] - m);
		logz += m;
	}
	/* forward */
	double sum = 0;
	for (uint32_t y = 0; y < L; y++) {
		a[y] = etr[(size_t)L * L + y] * sc[y];
		sum += a[y];
	}
	c[0] = sum;
	for (uint32_t y = 0; y < L; y++)
		a[y] /= sum;
	for (uint32_t t = 1; t < n; t++) {
		const double *ap = a + (size_t)(t - 1) * L, *s = sc + (size_t)t * L;
		double *at = a + (size_t)t * L;
		vec_mat(ap, etp, L, at);
		sum = 0;
		for (uint32_t y = 0; y < L; y++) {
			at[y] *= s[y];
			sum += at[y];
		}
		c[t] = sum;
		double inv = 1.0 / sum;
		for (uint32_t y = 0; y < L; y++)
			at[y] *= inv;
	}
	double z = 0;
	const double *al = a + (size_t)(n - 1) * L;
	for (uint32_t y = 0; y < L; y++)
		z += al[y] * eew[y];
	*zp = z;
	/* backward */
	double *bl = b + (size_t)(n - 1) * L;
	for (uint32_t y = 0; y < L; y++)
		bl[y] = eew[y];
	/* b[t-1][y] = sum over q, in order, of etr[y][q] * tmp[q]: the same
	 * vector-matrix product with etr transposed */
	for (uint32_t t = n - 1; t > from; t--) {
		const double *bn = b + (size_t)t * L, *s = sc + (size_t)t * L;
		double *bt = b + (size_t)(t - 1) * L, tmp[TAGGER_MAX_LABELS];
		double inv = 1.0 / c[t];
		for (uint32_t q = 0; q < L; q++)
			tmp[q] = s[q] * bn[q] * inv;
		vec_mat(tmp, ett, L, bt);
	}
	if (!logzp)
		return;
	for (uint32_t t = 0; t < n; t++)
		logz += log(c[t]);
	*logzp = logz + log(z);
}

double tagger_forward_backward(double *sc, const double *etr, const double *eew,
			    uint32_t L, uint32_t n, double *a, double *b,
			    double *c, double *zp)
{
	double logz;

	forward_backward(sc, etr, eew, L, n, a, b, c, zp, 0, &logz);
	return logz;
}

void tagger_forward_backward_from(double *sc, const double *etr, const double *eew,
				  uint32_t L, uint32_t n, double *a, double *b,
				  double *c, double *zp, uint32_t from)
{
	forward_backward(sc, etr, eew, L, n, a, b, c, zp, from, NULL);
}

double tagger_span_prob(const double *esc, const double *etr, const double *eew,
		     uint32_t L, uint32_t n, const double *a, const double *b,
		     const double *c, double zp, uint32_t f, uint32_t l,
		     uint32_t bl, int il)
{
	double p = a[(size_t)f * L + bl];
	uint32_t prev = bl;

	for (uint32_t t = f + 1; t < l; t++) {
		if (il < 0)
			return 0;
		p *= etr[(size_t)prev * L + (uint32_t)il] * esc[(size_t)t * L + (uint32_t)il] / c[t];
		prev = (uint32_t)il;
	}
	if (l == n) {
		p *= eew[prev];
	} else {
		double s = 0;
		for (uint32_t q = 0; q < L; q++)
			if ((int)q != il)
				s += etr[(size_t)prev * L + q] * esc[(size_t)l * L + q] * b[(size_t)l * L + q];
		p *= s / c[l];
	}
	p /= zp;
	return p < 0 ? 0 : p > 1 ? 1 : p;
}

/* ---- tagging ---- */


static int plain_scores(const tagger_t *t, tagger_ws *ws, const tagger_tok *tok,
			uint32_t n, tfeat_layers *ly, err_t *e);
static int confidences(const tagger_t *t, tagger_ws *ws, uint32_t n, const uint32_t *lab,
		       tagger_span *spans, uint32_t *nspans);

static int tag_window(const tagger_t *t, tagger_ws *ws, const tagger_tok *tok,
		      uint32_t n, uint32_t *labels, tagger_span *spans,
		      uint32_t *nspans, err_t *e)
{
	uint32_t L = t->nlab;
	tfeat_layers ly;
	int rc;

	if (nspans)
		*nspans = 0;
	if (n == 0)
		return 0;
	if (tagger_ws_reserve(ws, L, n))
		return err_set(e, ERR_NOMEM, "out of memory");
	rc = ws->nocache ? 1 : tagger_wc_scores(t, ws, tok, n, &ly, e);
	if (rc == 1)
		rc = plain_scores(t, ws, tok, n, &ly, e);
	if (rc)
		return rc;
	uint32_t *lab = labels ? labels : ws->lab;
	tagger_viterbi_blocked(ws->score, t->trp, t->endw, L, n, ws->vd, lab);
	ws->nrsp = 0;
	if (t->rules)
		tagger_rules_apply(t, ws, tok, n, &ly, ws->score, lab, spans != NULL);
	return spans ? confidences(t, ws, n, lab, spans, nspans) : 0;
}

/* The sums of tok[0..n) into ws->score, and the layers into ly, without
 * the word cache: every key of every token looked up. */
static int plain_scores(const tagger_t *t, tagger_ws *ws, const tagger_tok *tok,
			uint32_t n, tfeat_layers *ly, err_t *e)
{
	uint32_t L = t->nlab;
	int rc = tagger_layers(t, ws, tok, n, ly, e);

	if (rc)
		return rc;
	if (tfeat_extract(t->mask, tok, n, ly, &ws->fw))
		return err_set(e, ERR_NOMEM, "out of memory");
	size_t nk = ws->fw.nkeys;
	if (tagger_ws_attr(ws, nk))
		return err_set(e, ERR_NOMEM, "out of memory");
	uint32_t *val = ws->attr;
	/* Each token's keys are looked up while prefetching the table slots of
	 * the keys 32 ahead (better than 8 and 16, as good as 48; a fuller
	 * table, load 3/4, was slower) and the records found; a token's sums
	 * wait until the keys of the next SUM_LAG tokens are looked up, so its
	 * records have arrived in the nearest cache and are still there. */
	const uint64_t *keys = ws->fw.keys;
	const tagger_index *ix = &t->ix;
	double *sc = ws->score;
	for (uint32_t i = 0; i < n + TAGGER_SUM_LAG; i++) {
		if (i < n)
			for (size_t k = ws->fw.off[i]; k < ws->fw.off[i + 1]; k++) {
				if (k + 32 < nk)
					__builtin_prefetch(&ix->slot[tagger_fold(tagger_key(keys[k + 32], t->hash_bits)) & ix->mask]);
				val[k] = tagger_index_get(ix, tagger_fold(tagger_key(keys[k], t->hash_bits)));
				/* one line: records of up to LINE_CELLS cells cross none */
				if (!(val[k] & TAGGER_IX_ONE))
					__builtin_prefetch(ix->rec + val[k]);
			}
		if (i >= TAGGER_SUM_LAG)
			tagger_token_sums(t, ws->fw.off[i - TAGGER_SUM_LAG],
					  ws->fw.off[i - TAGGER_SUM_LAG + 1], val,
					  sc + (size_t)(i - TAGGER_SUM_LAG) * L);
	}
	return 0;
}

/* The spans of lab[0..n) with their confidences: forward-backward over
 * ws->score (overwritten). */
static int confidences(const tagger_t *t, tagger_ws *ws, uint32_t n, const uint32_t *lab,
		       tagger_span *spans, uint32_t *nspans)
{
	uint32_t L = t->nlab;
	double *sc = ws->score;
	uint32_t ns = tagger_spans(t, lab, n, spans);
	if (nspans)
		*nspans = ns;
	if (ns == 0)
		return 0;
	/* confidences: forward-backward over the same scores */
	const double *etr = t->etr, *eew = t->eew;
	/* a span [f, l) reads the betas at l only: none before the first end */
	uint32_t from = n;
	for (uint32_t k = 0; k < ns; k++)
		if (spans[k].last < from)
			from = spans[k].last;
	double zp;
	tagger_forward_backward_from(sc, etr, eew, L, n, ws->a, ws->b, ws->c, &zp, from);
	uint32_t nt = dict_size(t->types);
	for (uint32_t k = 0; k < ns; k++) {
		uint32_t ty = spans[k].type;
		int bl = t->ilab[nt + ty], il = t->ilab[ty];
		if (bl < 0) {
			spans[k].score = 0;
			continue;
		}
		double p = tagger_span_prob(sc, etr, eew, L, n, ws->a, ws->b, ws->c, zp,
					 spans[k].first, spans[k].last, (uint32_t)bl, il);
		spans[k].score = (float)(isfinite(p) ? p : 0);
		/* a span a decoding rule made: the score the rule gave it */
		spans[k].score = tagger_rules_score(ws, &spans[k]);
	}
	return 0;
}

int tagger_tag(const tagger_t *t, tagger_ws *ws, const tagger_tok *tok,
	       uint32_t n, uint32_t *labels, tagger_span *spans,
	       uint32_t *nspans, err_t *e)
{
	uint32_t done = 0, ns = 0;

	if (n <= TAGGER_WINDOW)
		return tag_window(t, ws, tok, n, labels, spans, nspans, e);
	/* a "sentence" this long is a table, a list or text without stops:
	 * windows keep the workspace (n x labels x several doubles) bounded */
	if (nspans)
		*nspans = 0;
	while (done < n) {
		uint32_t m = n - done < TAGGER_WINDOW ? n - done : TAGGER_WINDOW, k = 0;
		int rc = tag_window(t, ws, tok + done, m, labels ? labels + done : NULL,
				    spans ? spans + ns : NULL, &k, e);
		if (rc)
			return rc;
		for (uint32_t j = 0; spans && j < k; j++) {
			spans[ns + j].first += done;
			spans[ns + j].last += done;
		}
		ns += k;
		done += m;
	}
	if (nspans)
		*nspans = ns;
	return 0;
}

/* ---- freeing ---- */

void tagger_free(tagger_t *t)
{
	if (!t)
		return;
	dict_free(t->labels);
	dict_free(t->types);
	free(t->kind);
	free(t->type);
	free(t->ilab);
	free(t->trained);
	gaz_free(t->gaz);
	tagger_lex_free(t->lex);
	tagger_clusters_free(t->cl);
	tagger_vc_free(t->vc);
	tagger_free(t->ent);
	free(t->key);
	free(t->aoff);
	free(t->alab);
	free(t->aw);
	free(t->qw);
	free(t->tab.slot);
	free(t->ix.slot);
	free(t->ix.rec);
	free(t->trans);
	free(t->trp);
	free(t->etr);
	free(t->eew);
	free(t->endw);
	free(t);
}

/* ---- saving ---- */

/* Sorts idx[0..n) by keys[idx]; no global state (merge sort). */
static void sort_by_key(uint32_t *idx, uint32_t *tmp, uint32_t n,
			const uint32_t *keys)
{
	if (n < 2)
		return;
	uint32_t h = n / 2;
	sort_by_key(idx, tmp, h, keys);
	sort_by_key(idx + h, tmp, n - h, keys);
	uint32_t i = 0, j = h, k = 0;
	while (i < h && j < n)
		tmp[k++] = keys[idx[i]] <= keys[idx[j]] ? idx[i++] : idx[j++];
	while (i < h)
		tmp[k++] = idx[i++];
	while (j < n)
		tmp[k++] = idx[j++];
	memcpy(idx, tmp, n * sizeof(*idx));
}

enum { SEC_MAX = 8 };

/* The sections of a tagger (buffers filled into bufs[]). Returns the number
 * of sections, or a negative ERR_ code. */
static int tagger_sections(const tagger_t *t, buf_t *bufs, model_sec *secs);

static void put_nested(const tagger_t *t, buf_t *out)
{
	buf_t bufs[SEC_MAX];
	model_sec secs[SEC_MAX];
	int ns = tagger_sections(t, bufs, secs);

	if (ns < 0) {
		out->failed = 1;
		return;
	}
	buf_put_u32(out, (uint32_t)ns);
	for (int i = 0; i < ns; i++) {
		buf_put(out, secs[i].tag, 4);
		buf_put_u64(out, secs[i].len);
		buf_put(out, secs[i].data, secs[i].len);
	}
	for (int i = 0; i < ns; i++)
		buf_free(&bufs[i]);
}

static int tagger_sections(const tagger_t *t, buf_t *bufs, model_sec *secs)
{
	int ns = 0;
	uint32_t L = t->nlab;

	for (int i = 0; i < SEC_MAX; i++)
		buf_init(&bufs[i]);
	/* meta */
	buf_t *b = &bufs[ns];
	buf_put_u32(b, TAGGER_FORMAT_VERSION);
	buf_put_u32(b, t->hash_bits);
	uint32_t ntpl = 0;
	for (int k = 0; k < TF_NTEMPLATES; k++)
		ntpl += (t->mask >> k) & 1;
	buf_put_u32(b, ntpl);
	for (int k = 0; k < TF_NTEMPLATES; k++)
		if ((t->mask >> k) & 1)
			buf_put_str(b, tfeat_template_name(k));
	buf_put_str(b, t->trained ? t->trained : "");
	buf_put_f64(b, t->obias);
	if (t->rules) /* models without rules keep their old bytes */
		buf_put_u32(b, t->rules);
	if (t->rules & TAGGER_RULE_TARGET)
		buf_put_f64(b, t->tbias);
	memcpy(secs[ns].tag, "TMTA", 5);
	ns++;
	/* labels */
	dict_save(t->labels, &bufs[ns]);
	memcpy(secs[ns].tag, "TLAB", 5);
	ns++;
	if (t->gaz) {
		gaz_save(t->gaz, &bufs[ns]);
		memcpy(secs[ns].tag, "TGAZ", 5);
		ns++;
	}
	if (t->lex) {
		b = &bufs[ns];
		dict_save(t->lex->classes, b);
		dict_save(t->lex->forms, b);
		buf_put(b, t->lex->cls, dict_size(t->lex->forms));
		memcpy(secs[ns].tag, "TLEX", 5);
		ns++;
	}
	if (t->cl) {
		b = &bufs[ns];
		buf_put_u32(b, t->cl->n);
		for (uint64_t i = 0; i <= t->cl->mask; i++)
			if (t->cl->key[i]) {
				buf_put_u64(b, t->cl->key[i]);
				buf_put_u32(b, t->cl->path[i]);
			}
		memcpy(secs[ns].tag, "TCLU", 5);
		ns++;
	}
	if (t->vc) {
		tagger_vc_save(t->vc, &bufs[ns]);
		memcpy(secs[ns].tag, "TVCL", 5);
		ns++;
	}
	if (t->ent) {
		put_nested(t->ent, &bufs[ns]);
		memcpy(secs[ns].tag, "TENT", 5);
		ns++;
	}
	/* weights: attributes sorted by key, keys delta-coded */
	b = &bufs[ns];
	uint32_t *idx = malloc(((size_t)t->nattr + 1) * sizeof(*idx));
	uint32_t *tmp = malloc(((size_t)t->nattr + 1) * sizeof(*tmp));
	if (!idx || !tmp) {
		free(idx);
		free(tmp);
		for (int i = 0; i < SEC_MAX; i++)
			buf_free(&bufs[i]);
		return ERR_NOMEM;
	}
	for (uint32_t a = 0; a < t->nattr; a++)
		idx[a] = a;
	sort_by_key(idx, tmp, t->nattr, t->key);
	buf_put_u32(b, t->nattr);
	buf_put_f64(b, t->wscale);
	uint32_t last = 0;
	for (uint32_t i = 0; i < t->nattr; i++) {
		uint32_t a = idx[i];
		tagger_put_varint(b, t->key[a] - last);
		last = t->key[a];
		uint32_t cnt = t->aoff[a + 1] - t->aoff[a];
		buf_put_u8(b, (uint8_t)cnt);
		for (uint32_t j = t->aoff[a]; j < t->aoff[a + 1]; j++)
			buf_put_u8(b, t->alab[j]);
		for (uint32_t j = t->aoff[a]; j < t->aoff[a + 1]; j++) {
			uint16_t q = (uint16_t)t->qw[j];
			buf_put_u8(b, (uint8_t)(q & 0xFF));
			buf_put_u8(b, (uint8_t)(q >> 8));
		}
	}
	free(idx);
	free(tmp);
	for (uint32_t k = 0; k < (L + 1) * L; k++)
		buf_put_f64(b, t->trans[k]);
	for (uint32_t y = 0; y < L; y++)
		buf_put_f64(b, t->endw[y]);
	memcpy(secs[ns].tag, "TWGT", 5);
	ns++;
	for (int i = 0; i < ns; i++) {
		if (bufs[i].failed) {
			for (int k = 0; k < SEC_MAX; k++)
				buf_free(&bufs[k]);
			return ERR_NOMEM;
		}
		secs[i].data = bufs[i].data;
		secs[i].len = bufs[i].len;
	}
	return ns;
}

int tagger_save(const tagger_t *t, const char *path, err_t *e)
{
	buf_t bufs[SEC_MAX];
	model_sec secs[SEC_MAX];
	int ns = tagger_sections(t, bufs, secs), rc;

	if (ns < 0)
		return err_set(e, ns, "%s: out of memory", path);
	rc = model_write(path, "tagger", secs, (size_t)ns, e);
	for (int i = 0; i < SEC_MAX; i++)
		buf_free(&bufs[i]);
	return rc;
}

/* ---- loading ---- */

typedef struct secview {
	char tag[5];
	const unsigned char *data;
	size_t len;
} secview;

static const secview *find_sec(const secview *s, int n, const char *tag)
{
	for (int i = 0; i < n; i++)
		if (memcmp(s[i].tag, tag, 4) == 0)
			return &s[i];
	return NULL;
}

static int load_sections(const secview *secs, int nsec, int depth,
			 tagger_t **out, const char *path, err_t *e);

#define BAD(...) do { rc = err_set(e, ERR_MODEL, __VA_ARGS__); goto fail; } while (0)

static int load_sections(const secview *secs, int nsec, int depth,
			 tagger_t **out, const char *path, err_t *e)
{
	const secview *s;
	tagger_t *t;
	rd_t r;
	int rc = 0;

	*out = NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return err_set(e, ERR_NOMEM, "%s: out of memory", path);
	/* every section known and once: in an uncompressed file no CRC covers
	 * the tags, and a renamed optional section (gazetteer, lexicon,
	 * clusters) would otherwise load a model without it. The sections
	 * tagger_save writes; a new one joins this list (test_tagger's
	 * round trips fail until it does) */
	static const char *const known[] = { "TMTA", "TLAB", "TGAZ", "TLEX", "TCLU",
					      "TVCL", "TENT", "TWGT" };
	for (int i = 0; i < nsec; i++) {
		size_t k = 0;
		while (k < sizeof(known) / sizeof(*known) && memcmp(secs[i].tag, known[k], 4) != 0)
			k++;
		if (k == sizeof(known) / sizeof(*known) || find_sec(secs, i, secs[i].tag)) {
			char tag[5];
			for (int j = 0; j < 5; j++)
				tag[j] = j < 4 && (secs[i].tag[j] < 32 || secs[i].tag[j] > 126) ? '?' : secs[i].tag[j];
			BAD("%s: damaged model (%s section '%s')", path,
			    k == sizeof(known) / sizeof(*known) ? "unknown" : "a second", tag);
		}
	}
	/* meta */
	if (!(s = find_sec(secs, nsec, "TMTA")))
		BAD("%s: not a tagger model (no TMTA section)", path);
	rd_init(&r, s->data, s->len);
	uint32_t ver = rd_u32(&r);
	if (rd_ok(&r) && ver != TAGGER_FORMAT_VERSION)
		BAD("%s: tagger format version %u, this evtag reads version %u", path,
		    ver, TAGGER_FORMAT_VERSION);
	t->hash_bits = rd_u32(&r);
	if (t->hash_bits > 63)
		BAD("%s: bad hash bits %u", path, t->hash_bits);
	uint32_t ntpl = rd_count(&r, TF_NTEMPLATES, 4);
	for (uint32_t i = 0; i < ntpl && rd_ok(&r); i++) {
		uint32_t n;
		const char *name = rd_bytes(&r, &n);
		int id = name ? tfeat_template_id(name, n) : -1;
		if (rd_ok(&r) && id < 0)
			BAD("%s: unknown feature template '%.*s'", path,
			    (int)(n > 40 ? 40 : n), name);
		if (id >= 0)
			t->mask |= (uint64_t)1 << id;
	}
	t->trained = rd_strdup(&r);
	if (rd_ok(&r) && rd_left(&r) >= 8) /* files before the bias have none */
		t->obias = rd_f64(&r);
	if (rd_ok(&r) && rd_left(&r) >= 4) { /* decoding rules, if any */
		t->rules = rd_u32(&r);
		if (rd_ok(&r) && (t->rules & ~TAGGER_RULES_ALL))
			BAD("%s: unknown decoding rules 0x%x (a newer evtag's model?)", path,
			    t->rules);
		if (t->rules & TAGGER_RULE_TARGET)
			t->tbias = rd_f64(&r);
	}
	if (!rd_ok(&r) || rd_left(&r) || !isfinite(t->obias) || !isfinite(t->tbias))
		BAD("%s: damaged TMTA section", path);
	/* labels */
	if (!(s = find_sec(secs, nsec, "TLAB")))
		BAD("%s: no TLAB section", path);
	rd_init(&r, s->data, s->len);
	t->labels = dict_load(&r);
	if (!t->labels || !rd_ok(&r))
		BAD("%s: damaged TLAB section", path);
	if (dict_size(t->labels) == 0 || dict_size(t->labels) > TAGGER_MAX_LABELS)
		BAD("%s: %u labels (1 to %u allowed)", path, dict_size(t->labels),
		    TAGGER_MAX_LABELS);
	rc = tagger_label_meta(t);
	if (rc == ERR_NOMEM) {
		rc = err_set(e, rc, "%s: out of memory", path);
		goto fail;
	}
	if (rc)
		BAD("%s: bad label in TLAB section", path);
	uint32_t L = t->nlab;
	/* gazetteer */
	if ((s = find_sec(secs, nsec, "TGAZ"))) {
		rd_init(&r, s->data, s->len);
		t->gaz = gaz_load(&r);
		if (!t->gaz || rd_left(&r))
			BAD("%s: damaged TGAZ section", path);
	}
	if ((s = find_sec(secs, nsec, "TLEX"))) {
		rd_init(&r, s->data, s->len);
		t->lex = calloc(1, sizeof(*t->lex));
		if (!t->lex) {
			rc = err_set(e, ERR_NOMEM, "%s: out of memory", path);
			goto fail;
		}
		t->lex->classes = dict_load(&r);
		t->lex->forms = t->lex->classes ? dict_load(&r) : NULL;
		uint32_t nf = t->lex->forms ? dict_size(t->lex->forms) : 0;
		const uint8_t *cls = rd_raw(&r, nf);
		if (!t->lex->forms || !rd_ok(&r) || rd_left(&r))
			BAD("%s: damaged TLEX section", path);
		t->lex->cls = malloc(nf ? nf : 1);
		if (!t->lex->cls) {
			rc = err_set(e, ERR_NOMEM, "%s: out of memory", path);
			goto fail;
		}
		for (uint32_t i = 0; i < nf; i++) {
			if (cls[i] == 0 || cls[i] > dict_size(t->lex->classes))
				BAD("%s: bad class in TLEX section", path);
			t->lex->cls[i] = cls[i];
		}
		lex_set_report(t->lex);
	}
	if ((s = find_sec(secs, nsec, "TCLU"))) {
		rd_init(&r, s->data, s->len);
		uint32_t n = rd_count(&r, 1u << 26, 12);
		if (!rd_ok(&r))
			BAD("%s: damaged TCLU section", path);
		tagger_clusters *c = t->cl = tagger_clusters_alloc(n);
		if (!c) {
			rc = err_set(e, ERR_NOMEM, "%s: out of memory", path);
			goto fail;
		}
		for (uint32_t i = 0; i < n; i++) {
			uint64_t k = rd_u64(&r);
			uint32_t p = rd_u32(&r);
			if (!rd_ok(&r) || k == 0 || (p >> 24) > 24)
				BAD("%s: damaged TCLU section", path);
			uint64_t j = k & c->mask;
			while (c->key[j] && c->key[j] != k)
				j = (j + 1) & c->mask;
			if (c->key[j])
				BAD("%s: duplicate word in TCLU section", path);
			c->key[j] = k;
			c->path[j] = p;
			c->n++;
		}
		if (rd_left(&r))
			BAD("%s: damaged TCLU section", path);
	}
	if ((s = find_sec(secs, nsec, "TVCL"))) {
		int bad;
		rd_init(&r, s->data, s->len);
		if (!(t->vc = tagger_vc_load(&r, &bad))) {
			if (bad)
				BAD("%s: damaged TVCL section", path);
			rc = err_set(e, ERR_NOMEM, "%s: out of memory", path);
			goto fail;
		}
	}
	/* training writes TVCL whenever a vc template is on (train tagger
	 * insists on --vclusters): without it the model is damaged (in an
	 * uncompressed file no CRC covers the section tags) and would tag
	 * every word as one the vectors lack */
	uint64_t vcm = (uint64_t)1 << TF_VC | (uint64_t)1 << TF_VCM1 | (uint64_t)1 << TF_VCP1 |
		       (uint64_t)1 << TF_VCM2 | (uint64_t)1 << TF_VCP2;
	if ((t->mask & vcm) && !t->vc)
		BAD("%s: damaged model (vc templates, but no TVCL section)", path);
	if ((s = find_sec(secs, nsec, "TENT"))) {
		secview sub[SEC_MAX];
		if (depth > 0)
			BAD("%s: nested entity tagger inside a nested tagger", path);
		rd_init(&r, s->data, s->len);
		uint32_t nsub = rd_count(&r, SEC_MAX, 12);
		for (uint32_t i = 0; i < nsub && rd_ok(&r); i++) {
			const char *tag = rd_raw(&r, 4);
			uint64_t len = rd_u64(&r);
			if (!rd_ok(&r) || len > rd_left(&r))
				BAD("%s: damaged TENT section", path);
			memcpy(sub[i].tag, tag, 4);
			sub[i].tag[4] = '\0';
			sub[i].len = (size_t)len;
			sub[i].data = rd_raw(&r, (size_t)len);
		}
		if (!rd_ok(&r) || rd_left(&r))
			BAD("%s: damaged TENT section", path);
		rc = load_sections(sub, (int)nsub, depth + 1, &t->ent, path, e);
		if (rc)
			goto fail;
		if (tagger_nlabels(t->ent) > 254)
			BAD("%s: entity tagger has too many labels", path);
	}
	/* weights */
	if (!(s = find_sec(secs, nsec, "TWGT")))
		BAD("%s: no TWGT section", path);
	rd_init(&r, s->data, s->len);
	t->nattr = rd_count(&r, UINT32_MAX - 1, 2);
	t->wscale = rd_f64(&r);
	if (!rd_ok(&r) || !isfinite(t->wscale) || t->wscale < 0)
		BAD("%s: damaged TWGT section", path);
	t->key = malloc(((size_t)t->nattr + 1) * sizeof(*t->key));
	t->aoff = malloc(((size_t)t->nattr + 1) * sizeof(*t->aoff));
	/* weights: at most what the section can hold */
	size_t maxw = rd_left(&r) / 3 + 1;
	t->alab = malloc(maxw);
	t->aw = malloc(maxw * sizeof(*t->aw));
	t->qw = malloc(maxw * sizeof(*t->qw));
	t->trans = malloc(((size_t)L + 1) * L * sizeof(*t->trans));
	t->endw = malloc((size_t)L * sizeof(*t->endw));
	if (!t->key || !t->aoff || !t->alab || !t->aw || !t->qw || !t->trans || !t->endw) {
		rc = err_set(e, ERR_NOMEM, "%s: out of memory", path);
		goto fail;
	}
	uint64_t last = 0, nw = 0;
	for (uint32_t a = 0; a < t->nattr; a++) {
		uint64_t d = tagger_rd_varint(&r);
		if ((a > 0 && d == 0) || last + d > UINT32_MAX)
			r.failed = 1;
		last += d;
		t->key[a] = (uint32_t)last;
		uint32_t cnt = rd_u8(&r);
		if (!rd_ok(&r) || cnt == 0 || cnt > L || nw + cnt > maxw)
			BAD("%s: damaged TWGT section (attribute %u)", path, a);
		t->aoff[a] = (uint32_t)nw;
		const uint8_t *labs = rd_raw(&r, cnt);
		for (uint32_t j = 0; j < cnt && rd_ok(&r); j++) {
			if (labs[j] >= L)
				BAD("%s: damaged TWGT section (label %u >= %u)", path, labs[j], L);
			t->alab[nw + j] = labs[j];
		}
		const uint8_t *qb = rd_raw(&r, (size_t)cnt * 2);
		for (uint32_t j = 0; j < cnt && rd_ok(&r); j++) {
			int16_t q = (int16_t)(uint16_t)(qb[2 * j] | (qb[2 * j + 1] << 8));
			t->qw[nw + j] = q;
			t->aw[nw + j] = (float)(q * t->wscale);
		}
		nw += cnt;
		if (!rd_ok(&r))
			BAD("%s: damaged TWGT section", path);
	}
	t->aoff[t->nattr] = (uint32_t)nw;
	t->nw = nw;
	for (uint32_t k = 0; k < (L + 1) * L; k++) {
		t->trans[k] = rd_f64(&r);
		if (rd_ok(&r) && !isfinite(t->trans[k]))
			BAD("%s: damaged TWGT section (transition not finite)", path);
	}
	for (uint32_t y = 0; y < L; y++) {
		t->endw[y] = rd_f64(&r);
		if (rd_ok(&r) && !isfinite(t->endw[y]))
			BAD("%s: damaged TWGT section (weight not finite)", path);
	}
	if (!rd_ok(&r) || rd_left(&r))
		BAD("%s: damaged TWGT section (size)", path);
	rc = tagger_table_build(t);
	if (!rc)
		rc = tagger_index_build(t);
	if (rc == ERR_MODEL)
		BAD("%s: damaged TWGT section (duplicate key)", path);
	if (rc) {
		rc = err_set(e, ERR_NOMEM, "%s: out of memory", path);
		goto fail;
	}
	*out = t;
	return 0;
fail:
	tagger_free(t);
	return rc;
}

int tagger_from_model(const model_file *m, const char *name, tagger_t **out, err_t *e)
{
	secview secs[MODEL_MAX_SECTIONS];

	*out = NULL;
	if (model_check_kind(name, m->kind, "tagger", e))
		return ERR_MODEL;
	int n = (int)(m->nsecs < MODEL_MAX_SECTIONS ? m->nsecs : MODEL_MAX_SECTIONS);
	for (int i = 0; i < n; i++) {
		memcpy(secs[i].tag, m->secs[i].tag, 5);
		secs[i].data = m->secs[i].data;
		secs[i].len = m->secs[i].len;
	}
	return load_sections(secs, n, 0, out, name, e);
}

int tagger_load(const char *path, tagger_t **out, err_t *e)
{
	model_file *m = NULL;
	int rc;

	*out = NULL;
	rc = model_read(path, "tagger", &m, e);
	if (rc)
		return rc;
	rc = tagger_from_model(m, path, out, e);
	model_file_free(m);
	return rc;
}
