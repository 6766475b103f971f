/* Fuzz target: the tagger and classifier model loaders behind the
 * container's checksums. The input's first byte picks the component, the
 * rest is a list of sections (4-byte tag, u32 little-endian length,
 * payload); they are handed to tagger_from_model / clf_from_model as the
 * container reader would after verifying a file, so the fuzzer explores
 * the components' own parsers, which must bounds-check everything, without
 * paying for gzip and the disk. Inputs whose first byte is 0xB4 or 0xB5
 * (one in 128) also go the whole way
 * (model_write, then tagger_load / clf_load). Seeds are real models
 * unpacked by tests/fuzz/unpack-model.py. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "learn/clf.h"
#include "fuzz_util.h"
#include "base/model.h"
#include "learn/tagger.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	model_sec secs[64];
	size_t n = 0, pos = 1;
	char path[80];
	err_t e;
	int is_tagger;

	if (size < 1)
		return 0;
	err_clear(&e);
	is_tagger = data[0] & 1;
	while (pos + 8 <= size && n < 64) {
		uint32_t len = (uint32_t)data[pos + 4] | (uint32_t)data[pos + 5] << 8 |
			       (uint32_t)data[pos + 6] << 16 | (uint32_t)data[pos + 7] << 24;
		if (len > size - pos - 8)
			len = (uint32_t)(size - pos - 8);
		memcpy(secs[n].tag, data + pos, 4);
		secs[n].tag[4] = '\0';
		if (strlen(secs[n].tag) != 4)
			memcpy(secs[n].tag, "XXXX", 5);
		secs[n].data = (unsigned char *)data + pos + 8;
		secs[n].len = len;
		n++;
		pos += 8 + (size_t)len;
	}
	/* in memory, as after model_read */
	model_file m = { .version = 1, .secs = secs, .nsecs = n };
	snprintf(m.kind, sizeof(m.kind), "%s", is_tagger ? "tagger" : "classifier");
	if (is_tagger) {
		tagger_t *t = NULL;
		if (tagger_from_model(&m, "fuzz", &t, &e) == 0)
			tagger_free(t);
		else if (t || !e.msg[0])
			abort(); /* refused: nothing handed out, and a message */
	} else {
		clf_t *c = NULL;
		if (clf_from_model(&m, "fuzz", &c, &e) == 0)
			clf_free(c);
		else if (c || !e.msg[0])
			abort();
	}
	/* now and then through a real file */
	if ((data[0] >> 1) != 0x5A)
		return 0;
	snprintf(path, sizeof(path), "/dev/shm/evtag-fuzz-loader-%d.evm", (int)getpid());
	if (model_write(path, is_tagger ? "tagger" : "classifier", secs, n, &e) != 0)
		return 0;
	if (is_tagger) {
		tagger_t *t = NULL;
		if (tagger_load(path, &t, &e) == 0)
			tagger_free(t);
	} else {
		clf_t *c = NULL;
		if (clf_load(path, &c, &e) == 0)
			clf_free(c);
	}
	unlink(path);
	return 0;
}
