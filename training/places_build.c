/* Compiles the TSV training/places-convert.js writes into a places model
 * (src/coder/places.h): places_build IN.tsv OUT.evm "SOURCE NOTE".
 * Built and run by training/places.sh against build/libevtag.a. */
#include <stdio.h>

#include "coder/places.h"

int main(int argc, char **argv)
{
	err_t e;
	uint32_t n = 0;
	if (argc != 4) {
		fprintf(stderr, "usage: places_build IN.tsv OUT.evm SOURCE\n");
		return 2;
	}
	if (places_compile(argv[1], argv[2], argv[3], &n, &e) < 0) {
		fprintf(stderr, "places_build: %s\n", e.msg);
		return 1;
	}
	fprintf(stderr, "places_build: %s: %u names\n", argv[2], (unsigned)n);
	return 0;
}
