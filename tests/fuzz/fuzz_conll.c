/* Fuzz target: the CoNLL reader, with and without tags. */
#include <stdint.h>
#include <stdlib.h>

#include "text/conll.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int flags = 0; flags <= CONLL_TAGS; flags++) {
		conll_corpus *c = NULL;
		err_t e;
		if (conll_parse("fuzz.conll", (const char *)data, size, flags, &c, &e) == 0)
			conll_free(c);
		else if (c)
			abort(); /* nothing half-built is handed out */
	}
	return 0;
}
