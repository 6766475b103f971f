/* bench_tagger: throughput of the tagger's hot paths on a CoNLL file.
 *   bench_tagger features FILE.conll           feature extraction, tokens/s:
 *       hashed keys (what evtag uses) vs strings interned with dict.h
 *   bench_tagger tag MODEL FILE.conll [PASSES] tagging tokens/s (labels
 *       only, and spans with confidences) per wall second and per CPU
 *       second of this process, model load time; PASSES fixes the number
 *       of passes over the file (for instruction counts under callgrind:
 *       `valgrind --tool=callgrind bench_tagger tag M F 1`) instead of
 *       passing for at least a second; a fifth argument, labels or spans,
 *       runs only that mode
 *   bench_tagger export FILE.conll OUT [N]     features as CRFsuite-style
 *       lines (label TAB feature TAB ...), first N sentences
 * Built and run by tests/bench/bench-tagger.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "text/conll.h"
#include "base/dict.h"
#include "learn/tagger_int.h"
#include "learn/tagger.h"
#include "features/tfeat.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static tfeat_tok *sent_tokens(const conll_corpus *c, uint32_t s, tfeat_tok *tok)
{
	for (uint32_t i = 0; i < c->sent[s].n; i++)
		tok[i].s = conll_token(c, c->sent[s].first + i, &tok[i].len);
	return tok;
}

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int bench_features(const char *path)
{
	conll_corpus *c;
	err_t e;
	tfeat_ws ws = { 0 };
	tfeat_tok tok[4096];
	uint64_t mask = tfeat_default_entities();

	if (conll_read(path, 0, &c, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	/* hashed keys */
	double t0 = now(), el;
	uint64_t ntok = 0, nfeat = 0, sink = 0;
	int rounds = 0;
	do {
		for (uint32_t s = 0; s < c->nsent; s++) {
			if (c->sent[s].n > 4096)
				continue;
			tfeat_extract(mask, sent_tokens(c, s, tok), c->sent[s].n, NULL, &ws);
			ntok += c->sent[s].n;
			nfeat += ws.nkeys;
			sink ^= ws.nkeys ? ws.keys[0] : 0;
		}
		rounds++;
		el = now() - t0;
	} while (el < 1.0);
	printf("features: hashed keys       %10.0f tokens/s (%.1f features/token, %d passes)\n",
	       ntok / el, (double)nfeat / ntok, rounds);
	/* strings interned in a dictionary */
	dict_t *d = dict_new();
	t0 = now();
	ntok = 0;
	rounds = 0;
	do {
		for (uint32_t s = 0; s < c->nsent; s++) {
			if (c->sent[s].n > 4096)
				continue;
			tfeat_extract_strings(mask, sent_tokens(c, s, tok), c->sent[s].n, NULL, &ws);
			for (size_t k = 0; k < ws.nkeys; k++) {
				const char *str = ws.str + ws.soff[k];
				sink ^= dict_add(d, str, strlen(str));
			}
			ntok += c->sent[s].n;
		}
		rounds++;
		el = now() - t0;
	} while (el < 1.0);
	printf("features: strings + dict.h  %10.0f tokens/s (%u distinct features, %d passes)\n",
	       ntok / el, dict_size(d), rounds);
	printf("(checksum %llu)\n", (unsigned long long)(sink & 1));
	dict_free(d);
	tfeat_ws_free(&ws);
	conll_free(c);
	return 0;
}

static int bench_tag(const char *model, const char *path, int passes,
		     const char *only)
{
	conll_corpus *c;
	tagger_t *t;
	err_t e;
	tfeat_tok tok[4096];
	uint32_t lab[4096], ns;
	tagger_span sp[4096];

	double t0 = now();
	if (tagger_load(model, &t, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	printf("load %s: %.3f s\n", model, now() - t0);
	if (conll_read(path, 0, &c, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		tagger_free(t);
		return 1;
	}
	tagger_ws *ws = tagger_ws_new(t);
	for (int mode = 0; mode < 2; mode++) {
		if (only && strcmp(only, mode ? "spans" : "labels") != 0)
			continue;
		uint64_t ntok = 0;
		int rounds = 0;
		double el, c0 = cpu_now();
		t0 = now();
		do {
			for (uint32_t s = 0; s < c->nsent; s++) {
				if (c->sent[s].n > 4096)
					continue;
				tagger_tag(t, ws, sent_tokens(c, s, tok), c->sent[s].n, lab,
					   mode ? sp : NULL, &ns, &e);
				ntok += c->sent[s].n;
			}
			rounds++;
			el = now() - t0;
		} while (passes > 0 ? rounds < passes : el < 1.0);
		double cpu = cpu_now() - c0;
		printf("tag %-28s %10.0f tokens/s %10.0f tokens/CPU s (%d passes)\n",
		       mode ? "(labels + span confidences):" : "(labels, Viterbi):",
		       ntok / el, cpu > 0 ? ntok / cpu : 0, rounds);
		uint64_t hit, miss, unc;
		tagger_ws_cache_stats(ws, &hit, &miss, &unc);
		if (hit + miss + unc)
			printf("word cache: %.1f%% of words found (%llu found, %llu kept, %llu long)\n",
			       100.0 * hit / (hit + miss + unc), (unsigned long long)hit,
			       (unsigned long long)miss, (unsigned long long)unc);
	}
	tagger_ws_free(ws);
	tagger_free(t);
	conll_free(c);
	return 0;
}

/* CRFsuite's data format: label, then features; ':' and '\' escaped. */
static void put_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == ':' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
}

static int export_features(const char *path, const char *out, long maxs)
{
	conll_corpus *c;
	err_t e;
	tfeat_ws ws = { 0 };
	tfeat_tok tok[4096];
	FILE *f;

	if (conll_read(path, CONLL_TAGS, &c, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	f = fopen(out, "w");
	if (!f) {
		conll_free(c);
		return 1;
	}
	for (uint32_t s = 0; s < c->nsent && (maxs <= 0 || s < maxs); s++) {
		if (c->sent[s].n > 4096)
			continue;
		tfeat_extract_strings(tfeat_default_entities(), sent_tokens(c, s, tok),
				      c->sent[s].n, NULL, &ws);
		for (uint32_t i = 0; i < c->sent[s].n; i++) {
			fputs(dict_str(c->tags, c->row[c->sent[s].first + i].tag, NULL), f);
			for (uint32_t k = ws.off[i]; k < ws.off[i + 1]; k++) {
				fputc('\t', f);
				put_escaped(f, ws.str + ws.soff[k]);
			}
			fputc('\n', f);
		}
		fputc('\n', f);
	}
	tfeat_ws_free(&ws);
	conll_free(c);
	return fclose(f) != 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "features") == 0)
		return bench_features(argv[2]);
	if (argc >= 4 && strcmp(argv[1], "tag") == 0)
		return bench_tag(argv[2], argv[3], argc > 4 ? atoi(argv[4]) : 0,
				 argc > 5 ? argv[5] : NULL);
	if (argc >= 5 && strcmp(argv[1], "tag2") == 0) {
		/* both models loaded at once (peak memory of a pipeline) */
		tagger_t *keep;
		err_t e;
		if (tagger_load(argv[3], &keep, &e)) {
			fprintf(stderr, "%s\n", e.msg);
			return 1;
		}
		int rc = bench_tag(argv[2], argv[4], 0, NULL) ||
			 bench_tag(argv[3], argv[4], 0, NULL);
		tagger_free(keep);
		return rc;
	}
	if (argc >= 4 && strcmp(argv[1], "export") == 0)
		return export_features(argv[2], argv[3], argc > 4 ? atol(argv[4]) : 0);
	fprintf(stderr, "usage: bench_tagger features FILE | tag MODEL FILE [PASSES [labels|spans]] | export FILE OUT [N]\n");
	return 2;
}
