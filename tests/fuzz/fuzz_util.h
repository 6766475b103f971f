/* Helpers shared by the fuzz targets. */
#ifndef EVTAG_FUZZ_UTIL_H
#define EVTAG_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Writes data to a per-process temporary file named after tag; returns
 * its path in buf (static to the caller), or NULL. */
static inline const char *fuzz_file(char *buf, size_t cap, const char *tag,
				    const uint8_t *data, size_t size)
{
	FILE *f;

	snprintf(buf, cap, "/dev/shm/evtag-fuzz-%s-%d", tag, (int)getpid());
	f = fopen(buf, "wb");
	if (!f)
		return NULL;
	if (size && fwrite(data, 1, size, f) != size) {
		fclose(f);
		return NULL;
	}
	if (fclose(f) != 0)
		return NULL;
	return buf;
}

#endif
