/* clf: the event-type classifier. The one module that talks to libsvm.
 *
 * Training: sentence features (sfeat.h) -> libsvm C-SVC (linear kernel by
 * default; polynomial, RBF and sigmoid as options), balanced class weights,
 * C given or chosen by libsvm's cross-validation over a grid (macro-F1 of
 * the held-out predictions), libsvm's probability estimates (a sigmoid per
 * pairwise decision fitted on internal folds, coupled into a distribution
 * over the labels). Reproducible: libsvm draws from rand(), seeded from
 * clf_opts.seed before every libsvm call that uses it.
 *
 * Prediction: a linear model's support vectors are folded into one weight
 * vector per pairwise (one-vs-one) decision, stored by feature, so a
 * sentence costs time in its non-zero features; other kernels evaluate
 * their support vectors. Files store the support vectors (compact), and
 * clf_load folds them again, with the same arithmetic as after training. The label is the one with the highest probability
 * (libsvm's rule with probability estimates), the one-vs-one vote winner,
 * or the most probable after class reweighting, as chosen at training
 * (clf_opts.decision; a model without probabilities always uses votes).
 *
 * Model files (model.h, kind "classifier") hold the feature extractor
 * (vocabulary, IDF, options, the compiled CAMEO lexicon and, with the
 * clusters template, the word cluster table) in section SFEA
 * and the label set, support vectors and their coefficients, and calibration
 * in section CLFM; every count and index is bounds-checked on load.
 *
 * Threads: a clf_t is read-only after clf_train/clf_load and may be shared;
 * each thread uses its own clf_ws. Typical use from the pipeline:
 *
 *   clf_t *c; err_t e;
 *   if (clf_load("models/plover.evm", &c, &e) < 0) ...;
 *   clf_ws *w = clf_ws_new(c);
 *   double *p = malloc(clf_nlabels(c) * sizeof *p);
 *   int best;
 *   clf_predict_tokens(c, w, text, doc.tok + s->first, s->n, p, &best);
 *   const char *lab = clf_decide(c, p, best, 0.5);   // label or "NONE"
 *   ... clf_ws_free(w); clf_free(c);
 */
#ifndef EVTAG_CLF_H
#define EVTAG_CLF_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/model.h"
#include "features/sfeat.h"
#include "base/sv.h"
#include "text/tok.h"

/* Kernels (values are libsvm's kernel_type numbers). */
enum { CLF_LINEAR = 0, CLF_POLY = 1, CLF_RBF = 2, CLF_SIGMOID = 3 };

/* What a training example is, for multi-sentence training texts. */
enum {
	CLF_UNIT_STORY = 0,    /* the whole text is one example */
	CLF_UNIT_SENTENCE = 1, /* every sentence, with the text's label */
	CLF_UNIT_LEAD = 2,     /* the first sentence only */
	CLF_UNIT_MIXED = 3     /* the whole text plus its first sentence */
};

/* How the label is chosen from a model with probability estimates. */
enum {
	CLF_DECIDE_PROB = 0,     /* the most probable label (libsvm's rule with -b 1) */
	CLF_DECIDE_VOTES = 1,    /* the one-vs-one vote winner (libsvm's svm_predict);
	                          * probabilities are still reported */
	CLF_DECIDE_BALANCED = 2  /* the most probable label after multiplying by
	                          * the training class weights (renormalised) */
};

/* The label printed when the best probability is below a threshold; a
 * model may also be trained with NONE as a label of its own (no event). */
#define CLF_NONE "NONE"

typedef struct clf clf_t;
typedef struct clf_ws clf_ws;

typedef struct clf_opts {
	sfeat_opts feat;
	const char *lex_verbs;    /* CAMEO verb lexicon file, or NULL (no lexicon) */
	const char *lex_patterns; /* CAMEO pattern file, or NULL */
	const char *clusters;     /* word cluster file (wclust.h) for the clusters
	                           * template; compiled into the model */
	int unit;                 /* CLF_UNIT_* */
	int max_sentences;        /* > 0: a text is cut to its first N sentences,
	                           * in training and in clf_predict_text */
	int kernel;               /* CLF_* kernel */
	double c;                 /* cost C > 0; 0 = choose by cross-validation */
	const double *c_grid;     /* [n_c_grid] candidates for C; NULL: default grid */
	size_t n_c_grid;
	int cv_folds;             /* folds for choosing C (>= 2) */
	double gamma;             /* RBF/poly/sigmoid; 0 = 1 for L2-normalised
	                           * features, else 1/number of features */
	int degree;               /* poly */
	double coef0;             /* poly/sigmoid */
	int class_weights;        /* 1: weight class c by n/(k*n_c) */
	int probability;          /* 1: fit probability estimates (calibration) */
	int decision;             /* CLF_DECIDE_* (without probabilities: votes) */
	double eps;               /* libsvm stopping tolerance */
	double cache_mb;          /* libsvm kernel cache */
	unsigned seed;            /* for srand() before libsvm's random draws */
	/* Progress messages (one line each, no newline); NULL for silence. */
	void (*progress)(void *ctx, const char *msg);
	void *progress_ctx;
} clf_opts;

#define CLF_OPTS_DEFAULT { .feat = SFEAT_OPTS_DEFAULT, .unit = CLF_UNIT_STORY, \
	.kernel = CLF_LINEAR, .c = 1.0, .cv_folds = 5, .degree = 3, \
	.class_weights = 1, .probability = 1, .eps = 0.001, .cache_mb = 200, \
	.seed = 1 }

/* Trains a classifier on n labeled texts (labels[i], texts[i] of lens[i]
 * bytes, UTF-8). *out is freed with clf_free(). 0, or a negative ERR_
 * code with e set (ERR_ARG bad options or fewer than two labels, ERR_UTF8
 * naming the example, ERR_NUMERIC libsvm refused the parameters, ERR_IO
 * for the lexicon). Calls rand()/srand() (libsvm): not thread-safe. */
int clf_train(const clf_opts *o, size_t n, char *const *labels,
	      char *const *texts, const size_t *lens, clf_t **out, err_t *e);
/* (ERR_ARG also when feat.clusters is on without a cluster file;
 * ERR_IO / ERR_FORMAT "file:line: reason" for a bad cluster file.) */

/* The C that clf_train used (chosen or given). */
double clf_cost(const clf_t *c);
/* Cross-validated macro-F1 (0..1) for each C tried when C was chosen
 * automatically: *n candidates; NULL when C was given. */
const double *clf_cv_scores(const clf_t *c, const double **grid, size_t *n);

/* Model read from path (kind "classifier"); caller frees with clf_free().
 * Returns 0, or a negative ERR_ code with *out NULL and e set (damaged,
 * truncated or wrong kind of file: ERR_MODEL; ERR_IO). */
int clf_load(const char *path, clf_t **out, err_t *e);
/* The same from a container already read and verified by model_read();
 * name is used in messages. clf_load is model_read + clf_from_model. */
int clf_from_model(const model_file *m, const char *name, clf_t **out, err_t *e);
/* Writes c to path atomically. 0, or ERR_IO/ERR_NOMEM with e set. */
int clf_save(const clf_t *c, const char *path, err_t *e);
/* NULL is a no-op. */
void clf_free(clf_t *c);

/* Number of labels, and the name of label i (owned by c; NULL if out of
 * range). Probabilities are reported in this order. */
size_t clf_nlabels(const clf_t *c);
const char *clf_label_name(const clf_t *c, size_t i);
/* Index of a label name, or -1. */
int clf_label_index(const clf_t *c, const char *name);
/* The feature extractor (read-only). */
const sfeat_t *clf_features(const clf_t *c);
/* Kernel, training unit, number of non-zero folded weights (linear) or
 * support vectors (other kernels), and whether probabilities are
 * calibrated (libsvm probability estimates) rather than vote shares. */
int clf_kernel(const clf_t *c);
int clf_unit(const clf_t *c);
size_t clf_size(const clf_t *c);
int clf_has_probability(const clf_t *c);
/* The label decision rule (CLF_DECIDE_*). */
int clf_decision(const clf_t *c);

/* Per-thread workspace for c; NULL if out of memory. NULL is a no-op. */
clf_ws *clf_ws_new(const clf_t *c);
void clf_ws_free(clf_ws *w);

/* Predicts one sentence already tokenized (tok[0..ntok), offsets into
 * text). prob, if not NULL, receives clf_nlabels() probabilities summing
 * to 1; *best the index of the best label. 0 or ERR_NOMEM. */
int clf_predict_tokens(const clf_t *c, clf_ws *w, const char *text,
		       const tok_token *tok, size_t ntok, double *prob,
		       int *best);

/* 1 when clf_predict_keys(b, ..., wa) may follow clf_predict_tokens(a, wa,
 * ...) for a sentence (sfeat_keys_cover of their features). */
int clf_keys_cover(const clf_t *a, const clf_t *b);

/* Predicts with b the sentence whose feature keys wa holds from a
 * clf_predict_tokens with another model a, where clf_keys_cover(a, b):
 * the same results as clf_predict_tokens(b, w, ...) on that sentence,
 * without extracting its keys again. wa's scratch is used. 0 or
 * ERR_NOMEM. */
int clf_predict_keys(const clf_t *b, clf_ws *w, clf_ws *wa, double *prob, int *best);

/* Same for raw text (tokenized here; several sentences form one example,
 * cut to the model's max_sentences).
 * 0, or ERR_UTF8/ERR_NOMEM with e set. */
int clf_predict_text(const clf_t *c, clf_ws *w, const char *text,
		     size_t len, double *prob, int *best, err_t *e);

/* Same for a feature vector from clf_features(c). 0 or ERR_NOMEM. */
int clf_predict_sv(const clf_t *c, clf_ws *w, const sv_t *x, double *prob,
		   int *best);

/* Reference prediction by libsvm itself (svm_predict's vote winner, and
 * svm_predict_probability's distribution when the model has
 * probabilities, with the model's decision rule applied) for a
 * freshly trained model, which keeps libsvm's model until clf_free().
 * 0, or ERR_ARG when c was loaded from a file, ERR_NOMEM. */
int clf_predict_libsvm(const clf_t *c, const sv_t *x, double *prob,
		       int *best);

/* The label to report: the best label's name, or CLF_NONE when
 * prob[best] < threshold (prob may be NULL when threshold <= 0). */
const char *clf_decide(const clf_t *c, const double *prob, int best,
		       double threshold);

/* Names of kernels and units for messages and options: "linear", "poly",
 * "rbf", "sigmoid"; "story", "sentence", "lead", "mixed". The parse
 * functions return the value or -1. */
const char *clf_kernel_name(int kernel);
int clf_kernel_parse(const char *s);
const char *clf_unit_name(int unit);
int clf_unit_parse(const char *s);

/* Macro-averaged F1 (0..1) of predicted against gold label indices
 * (0..nlabels), over the labels that occur in gold or predictions;
 * accuracy in *acc if not NULL. For model selection; the full scorer is
 * the evaluation module's. */
double clf_macro_f1(const int *gold, const int *pred, size_t n,
		    size_t nlabels, double *acc);

#endif
