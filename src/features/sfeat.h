/* sfeat: sentence (or story) features for the event classifier, into the
 * shared sparse vector type (sv.h).
 *
 * Templates, each switchable in sfeat_opts:
 *   words     lowercased word unigrams (digits folded to 0)
 *   bigrams   lowercased word bigrams, with start and end markers
 *   chargrams character n-grams (3..chargrams bytes) of each "<word>"
 *   lexicon   CAMEO verb lexicon hits (verb forms, with simple
 *             inflection stripping, and phrase patterns): one feature per
 *             matched PLOVER type, PentaClass and CAMEO root code
 *   negation  a NEG cue feature, and NEG_w for the words after a cue
 *   maskcaps  (a switch, not a template) capitalised words inside a
 *             sentence, mostly names, all count as the word "<cap>", so
 *             that a model learns event words rather than who was involved
 *   lead      the words and lexicon hits of the first sentence of an
 *             example again, as separate features (a single sentence is
 *             its own first sentence)
 *   clusters  word clusters (features/wclust.h, e.g. k-means of GloVe
 *             vectors): each lowercased word found in the table gives one
 *             feature per granularity, "c64:17", "c256:80", ... weighted
 *             like words. The table is compiled into the model (hashed
 *             words and their id tuples), so prediction needs no file.
 * Each feature is a 64-bit hash of its template and text; the vocabulary
 * maps the hashes seen in at least min_df training examples to dense ids
 * (a dictionary, not hashing modulo a size: no collisions, and the model
 * holds only features that occurred). Values: term frequency (binary, raw
 * or 1+log), times smoothed IDF, then L2-normalised, as chosen in
 * sfeat_opts. Vocabulary, IDF, options and the compiled lexicon are saved
 * in the classifier's model.
 *
 * A frozen sfeat_t is read-only: share it between threads, each with its
 * own sfeat_ws. */
#ifndef EVTAG_SFEAT_H
#define EVTAG_SFEAT_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/sv.h"
#include "text/tok.h"

enum { SFEAT_TF_BINARY = 0, SFEAT_TF_RAW = 1, SFEAT_TF_LOG = 2 };

typedef struct sfeat_opts {
	int words;      /* 1: word unigrams */
	int bigrams;    /* 1: word bigrams */
	int chargrams;  /* 0: off; N >= 3: character n-grams of 3..N bytes */
	int lexicon;    /* 1: CAMEO lexicon features (needs sfeat_load_lexicon) */
	int negation;   /* 1: negation cue features */
	int tf;         /* SFEAT_TF_* */
	int idf;        /* 1: multiply by smoothed IDF */
	int l2;         /* 1: L2-normalise the vector */
	int min_df;     /* features in fewer training examples are dropped */
	int lead;       /* 1: words and lexicon hits of an example's first
			 * sentence also as separate "lead" features */
	float lex_weight; /* multiplier of lexicon feature values (> 0) */
	int mask_caps;  /* 1: capitalised words after a sentence's first
			 * token (names) become the one word "<cap>" */
	int clusters;   /* 1: word-cluster features (needs sfeat_load_clusters) */
} sfeat_opts;

/* The measured defaults (see docs/models.md). */
#define SFEAT_OPTS_DEFAULT { .words = 1, .bigrams = 1, .chargrams = 0, \
	.lexicon = 1, .negation = 1, .tf = SFEAT_TF_LOG, .idf = 1, .l2 = 1, \
	.min_df = 2, .lead = 0, .lex_weight = 1.0f, .mask_caps = 0, \
	.clusters = 0 }

typedef struct sfeat sfeat_t;
typedef struct sfeat_ws sfeat_ws;

/* New extractor in training state (empty vocabulary); NULL and e set on
 * bad options or no memory. Free with sfeat_free() (NULL is a no-op). */
sfeat_t *sfeat_new(const sfeat_opts *o, err_t *e);
void sfeat_free(sfeat_t *s);

/* Reads and compiles the CAMEO lexicon: verbs (FORM CAMEO PLOVER PENTA)
 * and, if patterns_path is not NULL, patterns (VERB PATTERN CAMEO PLOVER
 * PENTA). Only before sfeat_freeze(). 0, or ERR_IO / ERR_FORMAT with e
 * set to "file:line: reason". */
int sfeat_load_lexicon(sfeat_t *s, const char *verbs_path,
		       const char *patterns_path, err_t *e);

/* Reads a word cluster file (wclust.h) and compiles it: words are folded
 * as tokens are (ASCII lowercase, digits to 0), the first line of a folded
 * word counts, and each is kept as a 32-bit hash with its id tuple. Only
 * before sfeat_freeze(). 0, or ERR_IO / ERR_FORMAT ("file:line: reason") /
 * ERR_EMPTY / ERR_ARG / ERR_NOMEM with e set. */
int sfeat_load_clusters(sfeat_t *s, const char *path, err_t *e);

/* Per-thread scratch; NULL if out of memory. sfeat_ws_free(NULL) no-op. */
sfeat_ws *sfeat_ws_new(void);
void sfeat_ws_free(sfeat_ws *w);

/* Starts a new example in w (forgets the collected features). */
void sfeat_ws_reset(sfeat_ws *w);

/* Collects the features of one sentence (tok[0..ntok), offsets into text)
 * into w; call several times for a multi-sentence example. 0 or ERR_NOMEM. */
int sfeat_add(const sfeat_t *s, sfeat_ws *w, const char *text,
	      const tok_token *tok, size_t ntok);

/* Training: counts the example collected in w towards document
 * frequencies. Only before sfeat_freeze(). 0 or ERR_NOMEM. */
int sfeat_observe(sfeat_t *s, sfeat_ws *w);

/* Ends training: keeps features seen in >= min_df examples, computes IDF.
 * 0, or ERR_EMPTY (no example observed) / ERR_NOMEM with e set. */
int sfeat_freeze(sfeat_t *s, err_t *e);

/* The weighted, normalised vector of the example collected in w, into out
 * (cleared first; indices < sfeat_dim()). Frozen extractors only.
 * 0 or ERR_NOMEM. */
int sfeat_vector(const sfeat_t *s, sfeat_ws *w, sv_t *out);

/* 1 when every key b's templates give a sentence is also among the keys a
 * gives it, so that sfeat_vector(b, w, ...) over a workspace that
 * sfeat_add(a, w, ...) filled is the same as over b's own keys: the same
 * case masking, a's templates a superset of b's (the keys of the others
 * carry their template, so they are never in b's vocabulary), and the same
 * lexicon and cluster table where b uses them. Two classifiers of one
 * sentence then extract its keys once. */
int sfeat_keys_cover(const sfeat_t *a, const sfeat_t *b);

/* Convenience: tokenizes text[0..len) as one unit (sentences split, all
 * tokens used) and returns its vector, as sfeat_ws_reset + sfeat_add per
 * sentence + sfeat_vector. 0, or ERR_UTF8 / ERR_NOMEM with e set. */
int sfeat_text(const sfeat_t *s, sfeat_ws *w, const char *text, size_t len,
	       sv_t *out, err_t *e);

/* Number of features (vocabulary size) of a frozen extractor. */
uint32_t sfeat_dim(const sfeat_t *s);
/* The options in use. */
const sfeat_opts *sfeat_options(const sfeat_t *s);
/* Number of compiled lexicon entries (verb forms + patterns). */
size_t sfeat_lexicon_size(const sfeat_t *s);
/* Number of words in the compiled cluster table (0: none), and its
 * granularities (*nlev of them; NULL when there is no table). */
size_t sfeat_cluster_words(const sfeat_t *s);
const uint32_t *sfeat_cluster_ks(const sfeat_t *s, uint32_t *nlev);

/* Serialises a frozen extractor (options, vocabulary, IDF, lexicon, and
 * the cluster table when the clusters template is on: section version 2;
 * without it the bytes are those of version 1, which sfeat_load reads as
 * before). */
void sfeat_save(const sfeat_t *s, buf_t *b);
/* Reads what sfeat_save wrote; NULL and e set (ERR_MODEL) on damage. */
sfeat_t *sfeat_load(rd_t *r, err_t *e);

#endif
