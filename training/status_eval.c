/* status_eval: precision, recall and F1 of the status module's negated and
 * hypothetical flags on an annotated event file: LABELS has
 * "LABEL<TAB>sentence" lines, FLAGS the matching "negated<TAB>hypothetical"
 * lines; only event sentences (LABEL != NONE) count. Each sentence is run
 * twice: with its gold PLOVER type, and without a type. A baseline: the
 * hypothetical flag from the gold type alone (THREATEN, REQUEST, AGREE).
 *   status_eval [-v] LABELS FLAGS   (-v: list the errors of the typed run) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/status.h"
#include "text/tok.h"

typedef struct prf { long tp, fp, fn; } prf;

static void add(prf *p, int gold, int pred)
{
	p->tp += gold && pred;
	p->fp += !gold && pred;
	p->fn += gold && !pred;
}

static void show(const char *name, const prf *p)
{
	double pr = p->tp + p->fp ? (double)p->tp / (double)(p->tp + p->fp) : 0;
	double rc = p->tp + p->fn ? (double)p->tp / (double)(p->tp + p->fn) : 0;
	double f = pr + rc > 0 ? 2 * pr * rc / (pr + rc) : 0;
	printf("%-30s P %.3f  R %.3f  F1 %.3f  (tp %ld fp %ld fn %ld)\n", name, pr, rc, f,
	       p->tp, p->fp, p->fn);
}

int main(int argc, char **argv)
{
	int verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
	if (argc != 3 + verbose) {
		fprintf(stderr, "usage: status_eval [-v] LABELS FLAGS\n");
		return 2;
	}
	FILE *fl = fopen(argv[1 + verbose], "r"), *ff = fopen(argv[2 + verbose], "r");
	if (!fl || !ff) {
		fprintf(stderr, "status_eval: cannot open the input files\n");
		return 1;
	}
	char *line = NULL, *fline = NULL;
	size_t cap = 0, fcap = 0;
	long n = 0;
	prf neg[2] = { { 0, 0, 0 }, { 0, 0, 0 } }, hyp[2] = { { 0, 0, 0 }, { 0, 0, 0 } };
	prf base = { 0, 0, 0 }; /* hypothetical by the type alone: THREATEN, REQUEST, AGREE */
	tok_doc d;
	tok_doc_init(&d);
	while (getline(&line, &cap, fl) > 0) {
		if (getline(&fline, &fcap, ff) <= 0) {
			fprintf(stderr, "status_eval: the flags file is shorter\n");
			return 1;
		}
		line[strcspn(line, "\r\n")] = '\0';
		char *tab = strchr(line, '\t');
		int gn, gh;
		if (!tab || sscanf(fline, "%d\t%d", &gn, &gh) != 2) {
			fprintf(stderr, "status_eval: line %ld: bad line\n", n + 1);
			return 1;
		}
		*tab = '\0';
		const char *label = line, *sent = tab + 1;
		if (strcmp(label, "NONE") == 0)
			continue;
		err_t e;
		if (tok_split(&d, sent, strlen(sent), 0, TOK_ONE_SENTENCE, &e) < 0)
			continue;
		add(&base, gh, !strcmp(label, "THREATEN") || !strcmp(label, "REQUEST") ||
				       !strcmp(label, "AGREE"));
		for (int typed = 0; typed < 2; typed++) {
			status_flags f;
			if (status_find(sent, strlen(sent), d.tok, d.ntok, typed ? label : NULL,
					STATUS_NO_VERB, &f, &e) < 0) {
				fprintf(stderr, "status_eval: %s\n", e.msg);
				return 1;
			}
			add(&neg[typed], gn, f.negated);
			add(&hyp[typed], gh, f.hypothetical);
			if (verbose && typed && (gn != f.negated || gh != f.hypothetical)) {
				char vb[64] = "-";
				if (f.verb >= 0)
					snprintf(vb, sizeof(vb), "%.*s",
						 (int)(d.tok[f.verb].end - d.tok[f.verb].start),
						 sent + d.tok[f.verb].start);
				printf("%s gold %d%d got %d%d (%.2f %.2f) verb=%s\t%s\n", label, gn,
				       gh, f.negated, f.hypothetical, f.neg_score, f.hyp_score, vb,
				       sent);
			}
		}
		n++;
	}
	printf("%ld event sentences\n", n);
	show("negated, gold type", &neg[1]);
	show("hypothetical, gold type", &hyp[1]);
	show("negated, no type", &neg[0]);
	show("hypothetical, no type", &hyp[0]);
	show("hypothetical, type alone", &base);
	tok_doc_free(&d);
	free(line);
	free(fline);
	fclose(fl);
	fclose(ff);
	return 0;
}
