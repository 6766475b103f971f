/* Fuzz target: the LABEL<TAB>text reader, labeled and text-only. */
#include <stdint.h>
#include <unistd.h>

#include "fuzz_util.h"
#include "text/tsv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[80];

	if (!fuzz_file(path, sizeof(path), "tsv", data, size))
		return 0;
	for (int flags = 0; flags <= TSV_TEXT_ONLY; flags++) {
		tsv_data d;
		err_t e;
		tsv_read_all(path, flags, &d, &e);
		tsv_data_free(&d); /* also after failure, as tsv.h says */
	}
	unlink(path);
	return 0;
}
