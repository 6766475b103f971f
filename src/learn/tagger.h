/* tagger: a linear-chain sequence tagger (entities, actor roles).
 *
 * A model scores a label sequence y for tokens x as
 *     sum_t [ sum_{a in attrs(x,t)} w(a, y_t) + T(y_{t-1}, y_t) ]
 *     + S(y_0) + E(y_{n-1})
 * where attrs are the token's feature keys (tfeat.h) and w(a, y) exists
 * only for labels y seen with attribute a in training. Tagging is Viterbi
 * decoding; a span's confidence is its marginal probability under the
 * model (forward-backward): the probability that exactly these tokens form
 * a span of this type (for a span a decoding rule made, the same
 * probability given what the rule asserts: TAGGER_RULE_* below). Labels
 * are IOB2 (O, B-TYPE, I-TYPE).
 *
 * Training (tagger_train, in tagger_train.c): a CRF fitted by L-BFGS with L2 and
 * optional L1 regularisation (OWL-QN), the gradient computed over sentence
 * shards by several threads, or an averaged structured perceptron; both
 * stop early on a development set (entity-level F1).
 *
 * A loaded model is read-only: share one tagger_t between threads and give
 * each thread its own tagger_ws. Model files use model.h (kind "tagger")
 * and carry everything needed to tag: labels, templates, gazetteer, verb
 * lexicon, word clusters and weights. */
#ifndef EVTAG_TAGGER_H
#define EVTAG_TAGGER_H

#include <stddef.h>
#include <stdint.h>

#include "text/conll.h"
#include "text/tok.h"
#include "base/err.h"
#include "features/gaz.h"
#include "base/model.h"
#include "features/tdoc.h"
#include "features/tfeat.h"

#define TAGGER_MAX_LABELS 64
#define TAGGER_FORMAT_VERSION 1

typedef tfeat_tok tagger_tok;
typedef struct tagger tagger_t;
typedef struct tagger_ws tagger_ws;

/* A predicted span: tokens [first, last) of type `type`. */
typedef struct tagger_span {
	uint32_t first, last;
	uint32_t type;          /* type id, see tagger_type_name() */
	float score;            /* confidence in [0, 1] (see above) */
} tagger_span;

/* ---- using a model ---- */

/* Loads a tagger model. *out is set to a model the caller frees with
 * tagger_free(). A missing, truncated, corrupted, wrong-kind or
 * wrong-version file fails with ERR_IO or ERR_MODEL and a message naming
 * the file; nothing is half-loaded. */
int tagger_load(const char *path, tagger_t **out, err_t *e);
/* The same from a container already read and verified by model_read();
 * name is used in messages. tagger_load is model_read + tagger_from_model. */
int tagger_from_model(const model_file *m, const char *name, tagger_t **out, err_t *e);
/* Frees t; NULL is a no-op. */
void tagger_free(tagger_t *t);

/* Writes t to path atomically (model.h). 0 or a negative ERR_ code. */
int tagger_save(const tagger_t *t, const char *path, err_t *e);

/* A per-thread workspace for tagging with t (or any tagger); NULL if out of
 * memory. tagger_ws_free(NULL) is a no-op. */
tagger_ws *tagger_ws_new(const tagger_t *t);
void tagger_ws_free(tagger_ws *ws);

/* The document the next sentences tagged with ws belong to, for a model
 * with the "doc" template (tdoc.h: built by the caller from every sentence
 * of the document, kept alive while ws uses it, not owned by ws); NULL,
 * the default, makes each sentence a document of its own. */
void tagger_ws_set_doc(tagger_ws *ws, const tdoc_t *doc);
/* Whether t's templates look at the document (the "doc" template), so a
 * caller need build a tdoc only then. */
int tagger_uses_doc(const tagger_t *t);

/* For tagging the sentences of a CoNLL corpus c in order with a model
 * that uses the document: call before sentence s. When s starts a
 * document (a -DOCSTART- block; in a file without any, each sentence is a
 * document of its own) it counts the words of the document's sentences
 * into *doc (made on first use; the caller frees it with tdoc_free) and
 * sets it on ws. Does nothing for a model without the doc template. 0 or
 * ERR_NOMEM with e set. */
int tagger_conll_doc(const tagger_t *t, tagger_ws *ws, const conll_corpus *c,
		     uint32_t s, tdoc_t **doc, err_t *e);

/* The same for an article split by tok_split (d, offsets into text): the
 * article is the document. Does nothing (and sets no document on ws) for
 * a model without the doc template. 0 or ERR_NOMEM with e set. */
int tagger_text_doc(const tagger_t *t, tagger_ws *ws, const tok_doc *d,
		    const char *text, tdoc_t **doc, err_t *e);

/* Tags one sentence tok[0..n). labels (may be NULL) receives n label ids
 * (IOB2, see tagger_label_name()). spans (may be NULL) receives the
 * predicted spans, at most n of them, and *nspans their count (nspans may
 * be NULL). Confidences are computed only when spans is not NULL. n == 0
 * is valid. A sentence longer than TAGGER_WINDOW tokens is tagged in
 * consecutive windows of that many tokens, so that memory stays bounded
 * whatever the input. 0, or ERR_NOMEM with e set. */
#define TAGGER_WINDOW 1000
int tagger_tag(const tagger_t *t, tagger_ws *ws, const tagger_tok *tok,
	       uint32_t n, uint32_t *labels, tagger_span *spans,
	       uint32_t *nspans, err_t *e);

/* Number of labels, and the name of label id ("B-PER"); NULL if out of
 * range. Label 0 is "O". */
uint32_t tagger_nlabels(const tagger_t *t);
const char *tagger_label_name(const tagger_t *t, uint32_t id);
/* Number of span types, and the name of type id ("PER"); NULL if out of
 * range. */
uint32_t tagger_ntypes(const tagger_t *t);
const char *tagger_type_name(const tagger_t *t, uint32_t id);

/* The gazetteer compiled into the model, or NULL if it has none. Owned by
 * t; use gaz_lookup() on it to link text to a country code. */
const gaz_t *tagger_gazetteer(const tagger_t *t);

/* Facts about a model for `evtag` to print (pointers owned by t). */
typedef struct tagger_info {
	uint32_t nlabels, ntypes;
	uint64_t templates;     /* tfeat template mask */
	uint32_t nattrs;        /* attributes with weights */
	uint64_t nweights;      /* attribute-label weights */
	uint32_t hash_bits;     /* 0: exact 64-bit keys */
	uint32_t nclusters;     /* words with a cluster */
	uint32_t nvclusters;    /* words with word-vector cluster ids */
	uint32_t nlexicon;      /* verb-lexicon forms */
	const char *trained;    /* how it was trained (method, options) */
	int has_entities;       /* carries an entity tagger for its features */
	double obias;           /* subtracted from the O label's score when decoding */
	uint32_t rules;         /* TAGGER_RULE_* bits */
	double tbias;           /* with TAGGER_RULE_TARGET: added to B-TARGET by the rule */
} tagger_info;
void tagger_get_info(const tagger_t *t, tagger_info *info);

/* Decoding rules of a role tagger, bits of tagger_train_opts.rules, kept
 * in the model so that every command tagging with it decodes alike
 * (tagger_rules.c):
 *   TAGGER_RULE_PROMOTE    a sentence given no SOURCE (nor RECIPROCAL)
 *       gets the subject of a lexicon verb (tagger_find_subject) as its
 *       SOURCE, the labels decoded again by Viterbi constrained so that
 *       those tokens are exactly one SOURCE span (no span overlaps it);
 *   TAGGER_RULE_OVERWRITE  with PROMOTE: write the SOURCE labels over the
 *       decoded ones instead of decoding again (for comparison);
 *   TAGGER_RULE_EVENT_ONLY with PROMOTE: subjects of event verbs only, not
 *       of reporting verbs ("officials said");
 *   TAGGER_RULE_TARGET     (after PROMOTE) a sentence with a SOURCE but no
 *       TARGET (nor RECIPROCAL) is decoded again, its labels up to the end
 *       of the last SOURCE kept, with the model's target bias (tbias)
 *       added to the B-TARGET score of every token after it;
 *   TAGGER_RULE_PASSIVE    with PROMOTE: a passive lexicon verb's agent
 *       ("were killed by Taliban militants") is taken as the subject of
 *       an active one is (tagger_find_actor).
 * A model without TAGGER_RULE_TARGET decodes as before. The score of a
 * span a rule made (one the labelling before the rule did not have) is
 * the model's probability of that span given what the rule asserts,
 * short of the span itself: for the promoted SOURCE, P(it is the SOURCE |
 * the sentence has a SOURCE); for another span the promotion's re-decoding
 * changed, its marginal with the SOURCE forced; for a span the target
 * rule made, P(it | the labels up to the SOURCE as kept, a TARGET after
 * them), without the bias. */
#define TAGGER_RULE_PROMOTE 1u
#define TAGGER_RULE_OVERWRITE 2u
#define TAGGER_RULE_EVENT_ONLY 4u
#define TAGGER_RULE_TARGET 8u
#define TAGGER_RULE_PASSIVE 16u
#define TAGGER_RULES_ALL 31u
/* The target rule's bias when none is given (docs/models.md, "Actor roles:
 * the levers"). */
#define TAGGER_TBIAS_DEFAULT 2.0

/* The subject the promotion rule takes: the first lexicon verb (lex[i]
 * nonzero, a lowercase word; those of lex value report, the reporting
 * verbs, only after all others and not at all with event_only; report 0:
 * no such class; never an auxiliary such as "was" or "has") that is not
 * passive ("was invited", "were shot") and is preceded,
 * past at most three auxiliaries or adverbs ("has also accused",
 * "reportedly said"), by a noun phrase: a run of at most 8 capitalised
 * words (not "The", "He", weekdays...), gazetteer words (gaz, may be
 * NULL), entity words (ent: entity label + 1, may be NULL) or actor nouns
 * ("police", "troops", "office"), with "of" inside ("Ministry of
 * Defence"), possessors ("Azerbaijan's prosecutor general's office";
 * up to three lowercase words between a name's 's and the head: "Iran's
 * top nuclear official") and
 * a leading "the"/"a"; that run may head up to two short phrases after
 * "at", "in", "of" or "from" ("Armenian officials at the region": at most
 * 4 words each, no verb form, clause boundary or leading "a"; the head an
 * actor noun, a gazetteer or entity word or a name not opening the
 * sentence; the verb then inflected or after an auxiliary), the subject
 * at most 12 tokens in all. A phrase after a preposition or "to" is no
 * subject. 1 and the tokens [*first, *last), or 0. */
int tagger_find_subject(const tagger_tok *tok, uint32_t n, const uint8_t *lex,
			uint8_t report, int event_only, const uint8_t *gaz,
			const uint8_t *ent, uint32_t *first, uint32_t *last);

/* tagger_find_subject, and with passive also the agent of a passive
 * lexicon verb: "by" right after the verb (or after one adverb) and a noun
 * phrase of names, actor nouns and plain words ("were killed by Taliban
 * militants", "was demolished by a Ukrainian protestor"; a leading
 * "the"/"a"/"an", possessives and "of" or a hyphen inside; at most 12
 * tokens, one of them a name or actor noun; not "by using force"). The
 * verbs are taken in the same order, each verb's active subject or passive
 * agent: "Rebels were shot by police, officials said" gives "police". */
int tagger_find_actor(const tagger_tok *tok, uint32_t n, const uint8_t *lex,
		      uint8_t report, int event_only, int passive, const uint8_t *gaz,
		      const uint8_t *ent, uint32_t *first, uint32_t *last);

/* Converts n IOB2 label ids into spans (lenient: an I- that does not
 * continue a span of its type starts one). Writes at most n spans with
 * score 1; returns their count. */
uint32_t tagger_spans(const tagger_t *t, const uint32_t *labels, uint32_t n,
		      tagger_span *spans);

/* ---- training ---- */

enum { TAGGER_CRF = 0, TAGGER_PERCEPTRON = 1 };

typedef struct tagger_train_opts {
	int method;             /* TAGGER_CRF or TAGGER_PERCEPTRON */
	uint64_t templates;     /* tfeat template mask */
	const char *gazetteer;  /* CSV file (gaz.h) or NULL */
	const char *lexicon;    /* verb lexicon TSV (FORM, CAMEO, PLOVER, PENTA) or NULL */
	const char *entities;   /* an entity tagger model whose labels become features, or NULL */
	double c1, c2;          /* L1 and L2 coefficients (CRF) */
	int max_iter;           /* L-BFGS iterations or perceptron epochs */
	int patience;           /* stop after this many evaluations without a better dev F1 */
	int threads;            /* gradient threads (CRF) */
	uint64_t seed;          /* perceptron shuffles, cluster initialisation */
	uint32_t min_freq;      /* drop attributes seen fewer times */
	uint32_t hash_bits;     /* 0: exact keys; else keys reduced to this many bits */
	uint32_t clusters;      /* nonzero: learn word clusters from the text of train and dev */
	const char *cluster_text; /* another CoNLL file whose tokens (only) join the cluster text, or NULL */
	const char *vclusters;  /* word cluster file (wclust.h) compiled into the model for the vc templates, or NULL */
	uint32_t vclevels[TFEAT_VC_MAX_LEVELS]; /* its granularities to keep (numbers of clusters) */
	uint32_t nvclevels;     /* 0: every column of the file (at most TFEAT_VC_MAX_LEVELS) */
	uint32_t vctop;         /* keep the file's first vctop words (0: all) */
	double epsilon;         /* L-BFGS: stop when the objective improves less (relative, over 10 iterations) */
	int tune_bias;          /* pick the O-label bias that maximises dev F1 (default on) */
	int obias_set;          /* use obias as given instead */
	double obias;
	uint32_t rules;         /* TAGGER_RULE_* decoding rules kept in the model */
	double tbias;           /* with TAGGER_RULE_TARGET: its bias (0 to 100) */
	double holdout;         /* without dev: hold out this fraction of train (seeded) as dev */
	int refit;              /* with holdout: retrain on all of train for the best iteration count */
	const char *trained;    /* recorded in the model (e.g. the command line) */
	int flat;               /* CRF: sum every attribute of every token, without
				 * word groups (slower; the same objective, for tests) */
} tagger_train_opts;

/* Defaults: CRF, default entity templates, c2 = 0.05, c1 = 0, 200
 * iterations, patience 20, 2 threads, seed 1, min_freq 1, exact keys,
 * no rules, tbias TAGGER_TBIAS_DEFAULT. */
void tagger_train_defaults(tagger_train_opts *o);

/* Progress of training, reported after each iteration or epoch. */
typedef struct tagger_progress {
	int iter;
	double objective;       /* CRF: regularised negative log-likelihood; perceptron: errors */
	double dev_f1;          /* entity-level F1 on dev in percent, or -1 */
	double best_f1;
	int best_iter;
	double elapsed;         /* seconds */
	uint64_t active;        /* non-zero weights */
} tagger_progress;
typedef void (*tagger_progress_fn)(const tagger_progress *p, void *ctx);

/* Summary of a finished training run. */
typedef struct tagger_train_stats {
	int iterations, best_iter;
	double best_f1;         /* dev F1 of the kept weights, -1 without dev */
	double obias;           /* the O-label bias chosen */
	double seconds;
	uint32_t nattrs_seen;   /* attributes before pruning */
	uint32_t nattrs;        /* kept in the model */
	uint64_t nweights;
	uint64_t ntokens, nsentences;
} tagger_train_stats;

/* Trains a tagger on train (read with CONLL_TAGS), stopping early on dev
 * (may be NULL). *out is set to the new model. progress (may be NULL) is
 * called from the calling thread. Fails with ERR_EMPTY (no sentences),
 * ERR_ARG (bad options, too many labels), ERR_IO/ERR_FORMAT (gazetteer,
 * lexicon or entity model unreadable), ERR_NOMEM. */
int tagger_train(const tagger_train_opts *o, const conll_corpus *train,
		 const conll_corpus *dev, tagger_t **out,
		 tagger_progress_fn progress, void *ctx,
		 tagger_train_stats *stats, err_t *e);

/* Joins two spans of type `type` separated by exactly one token outside
 * any span that is a capitalised word of letters only (a title between a
 * title and a name: "Prime" Minister "Nikol Pashinyan" becomes one span,
 * as "President Ilham Aliyev" is one). The joined span's score is the
 * lower of the two. spans[0..ns) in token order (as tagger_tag gives
 * them) are rewritten in place; returns their new count. */
uint32_t tagger_join_spans(const tagger_tok *tok, uint32_t n, uint32_t type,
			   tagger_span *spans, uint32_t ns);

/* Entity-level (span) scores of predicted against gold label ids over
 * sentences, as conlleval counts them: a span is correct when its type and
 * both ends match. Adds to *correct, *npred, *ngold. */
void tagger_count_spans(const tagger_t *t, const uint32_t *gold,
			const uint32_t *pred, uint32_t n, uint64_t *correct,
			uint64_t *npred, uint64_t *ngold);

#endif
