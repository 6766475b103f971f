/* evtag vectors cluster: nested k-means clusters of word vectors, written
 * as a word cluster file (features/wclust.h) for the clusters template
 * (front end: parses options, prints, chooses exit codes). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/cmd.h"
#include "features/wclust.h"
#include "learn/kmeans.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void show_progress(void *ctx, const char *msg)
{
	fprintf(stderr, "[%6.1fs] %s\n", now_s() - *(const double *)ctx, msg);
}

/* "64,256,1024" -> ks (ascending as given); -1 on a bad list. */
static int parse_ks(const char *s, uint32_t *ks, uint32_t max, uint32_t *n)
{
	char *end;

	*n = 0;
	while (*s) {
		if (*n == max || *s < '0' || *s > '9')
			return -1;
		errno = 0;
		unsigned long v = strtoul(s, &end, 10);
		if (errno || v < 1 || v > WCLUST_MAX_K)
			return -1;
		for (uint32_t j = 0; j < *n; j++)
			if (ks[j] == v)
				return -1;
		ks[(*n)++] = (uint32_t)v;
		s = end;
		if (*s == ',')
			s++;
		else if (*s)
			return -1;
	}
	return *n ? 0 : -1;
}

static int cmd_vectors_cluster(int argc, char **argv)
{
	const char *vectors = NULL, *outp = NULL, *kstr = "64,256,1024";
	int top = 100000, seed = 1, iters = 20, quiet = 0;
	const cli_opt opts[] = {
		CLI_STR("vectors", 0, &vectors, "FILE", "word vectors (EVTVEC1 binary from training/vectors.sh; required)"),
		CLI_STR("k", 'k', &kstr, "LIST", "granularities, distinct numbers of clusters (default 64,256,1024); "
			"the largest clusters the words, each smaller one the centroids of the next larger"),
		CLI_INT("top", 0, &top, "N", "cluster the N most frequent words (default 100000; 0: all)"),
		CLI_INT("seed", 's', &seed, "N", "random seed of the initial centroids (default 1)"),
		CLI_INT("iters", 0, &iters, "N", "k-means iterations at most (default 20)"),
		CLI_STR("output", 'o', &outp, "FILE", "cluster file to write: header word<TAB>cK..., then word<TAB>ids (required)"),
		CLI_FLAG("quiet", 'q', &quiet, "no progress messages"),
		CLI_END
	};
	kmeans_opts ko = KMEANS_OPTS_DEFAULT;
	kmeans_vecs *v = NULL;
	wclust_t *wc = NULL;
	uint32_t ks[WCLUST_MAX_LEVELS], nk;
	double t0 = now_s();
	char **pos;
	int npos, rc;
	err_t e = { 0 };

	rc = cli_parse(opts, "vectors cluster", "--vectors FILE -o CLUSTERS.tsv [options]",
		       "Cluster word vectors by nested spherical k-means into a word cluster file.",
		       argc, argv, &pos, &npos);
	if (rc >= 0)
		return rc;
	if (npos > 0)
		return cli_usage_error("vectors cluster", "unexpected argument '%s'", pos[0]);
	if (!vectors || !outp)
		return cli_usage_error("vectors cluster", "--vectors and -o are required");
	if (parse_ks(kstr, ks, WCLUST_MAX_LEVELS, &nk) < 0)
		return cli_usage_error("vectors cluster", "-k expects 1 to %d distinct numbers 1..%u separated by commas, got '%s'",
				       WCLUST_MAX_LEVELS, WCLUST_MAX_K, kstr);
	if (top < 0 || seed < 0 || iters < 1)
		return cli_usage_error("vectors cluster", "--top and --seed must be >= 0 and --iters >= 1");
	ko.seed = (unsigned long)seed;
	ko.max_iter = iters;
	if (!quiet) {
		ko.progress = show_progress;
		ko.progress_ctx = &t0;
	}
	rc = kmeans_vecs_read(vectors, (size_t)top, &v, &e);
	if (rc < 0)
		return cli_fail(&e);
	if (!quiet)
		fprintf(stderr, "[%6.1fs] read %zu vectors of %u dimensions from %s\n", now_s() - t0, v->n, v->dim, vectors);
	kmeans_normalise(v->x, v->n, v->dim);
	wc = wclust_new(nk, ks, v->n);
	if (!wc) {
		kmeans_vecs_free(v);
		err_set(&e, ERR_NOMEM, "out of memory");
		return cli_fail(&e);
	}
	rc = kmeans_nested(&ko, v->x, v->n, v->dim, ks, nk, wc->id, &e);
	if (rc == 0) {
		/* the table takes the words over */
		for (size_t i = 0; i < v->n; i++) {
			wc->word[i] = v->word[i];
			v->word[i] = NULL;
		}
		rc = wclust_write(wc, outp, &e);
	}
	kmeans_vecs_free(v);
	wclust_free(wc);
	if (rc < 0)
		return cli_fail(&e);
	if (!quiet)
		fprintf(stderr, "[%6.1fs] wrote %s\n", now_s() - t0, outp);
	return EXIT_OK;
}

int cmd_vectors(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		FILE *f = argc < 2 ? stderr : stdout;
		fprintf(f, "Usage: evtag vectors cluster --vectors FILE -o CLUSTERS.tsv [options]\n"
			   "Run 'evtag vectors cluster --help' for options.\n");
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	if (strcmp(argv[1], "cluster") == 0)
		return cmd_vectors_cluster(argc - 1, argv + 1);
	return cli_usage_error("vectors", "unknown subcommand '%s' (cluster)", argv[1]);
}
