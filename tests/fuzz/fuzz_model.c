/* Fuzz target: the model container loader, fed raw bytes (random, or
 * mutated real model files from the seed corpus). A load either fails
 * cleanly or returns sections whose checksums held. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	FILE *f;
	model_file *m = NULL;
	err_t e;

	snprintf(path, sizeof(path), "/dev/shm/evtag-fuzz-model-%d.evm", (int)getpid());
	f = fopen(path, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	if (model_read(path, NULL, &m, &e) == 0) {
		for (size_t i = 0; i < m->nsecs; i++)
			if (m->secs[i].len && !m->secs[i].data)
				abort();
		model_file_free(m);
	}
	unlink(path);
	return 0;
}
