/* evtag: the command-line front end. Dispatches to the command table. */
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cli/cli.h"
#include "cli/cmd.h"

#ifndef EVTAG_VERSION
#define EVTAG_VERSION "0.1.0"
#endif

static int cmd_train(int argc, char **argv);

typedef struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} command;

static const command commands[] = {
	{ "classify", cmd_classify, "code articles into event records (JSON lines, text, TSV, CSV or HTML)" },
	{ "split", cmd_split, "split articles into sentences and tokens with offsets" },
	{ "tag", cmd_tag, "tag entities or actor roles with a tagger model" },
	{ "predict", cmd_predict, "predict event types with a classifier model" },
	{ "train", cmd_train, "train a model: 'train tagger' or 'train classifier'" },
	{ "eval", cmd_eval, "run a model on gold data and score it" },
	{ "score", cmd_score, "score existing predictions (CoNLL or TSV)" },
	{ "vectors", cmd_vectors, "word vectors: 'vectors cluster' makes word clusters by k-means" },
	{ NULL, NULL, NULL }
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: evtag <command> [options] [files]\n\n"
		   "evtag turns news articles into political event data.\n\n"
		   "Commands:\n");
	for (const command *c = commands; c->name; c++)
		fprintf(f, "  %-10s %s\n", c->name, c->summary);
	fprintf(f, "\nRun 'evtag <command> --help' or 'evtag help <command>' for a command's options.\n"
		   "'evtag --version' prints the version.\n");
}

static int cmd_train(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		FILE *f = argc < 2 ? stderr : stdout;
		fprintf(f, "Usage: evtag train tagger --corpus TRAIN.conll [--dev DEV.conll] -o MODEL [options]\n"
			   "       evtag train classifier --corpus TRAIN.tsv [--dev DEV.tsv] -o MODEL [options]\n"
			   "Run 'evtag train tagger --help' or 'evtag train classifier --help' for options.\n");
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	if (strcmp(argv[1], "tagger") == 0)
		return cmd_train_tagger(argc - 1, argv + 1);
	if (strcmp(argv[1], "classifier") == 0)
		return cmd_train_classifier(argc - 1, argv + 1);
	return cli_usage_error("train", "unknown model kind '%s' (tagger or classifier)", argv[1]);
}

int main(int argc, char **argv)
{
	gsl_set_error_handler_off();
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	/* 'evtag help CMD [SUB]' is 'evtag CMD [SUB] --help'. */
	if (strcmp(argv[1], "help") == 0 && argc >= 3 && argc <= 4) {
		char *hargv[4];
		int n = 0;
		for (int i = 2; i < argc; i++)
			hargv[n++] = argv[i];
		hargv[n++] = "--help";
		for (const command *c = commands; c->name; c++)
			if (strcmp(argv[2], c->name) == 0)
				return c->run(n, hargv);
		fprintf(stderr, "evtag: unknown command '%s'\n", argv[2]);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("evtag %s\n", EVTAG_VERSION);
		return EXIT_OK;
	}
	for (const command *c = commands; c->name; c++)
		if (strcmp(argv[1], c->name) == 0)
			return c->run(argc - 1, argv + 1);
	fprintf(stderr, "evtag: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
