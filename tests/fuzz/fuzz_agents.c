/* Fuzz target: the agents list reader (`TYPE phrase` lines); then, on what
 * it built, lookups of fixed texts and of the input itself, inside an
 * actor and before a name, with and without skipped ranges. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "features/agents.h"

static const char *const texts[] = {
	"Russian President Vladimir Putin", "the United States", "Azerbaijan's army",
	"the president\xe2\x80\x99s office", "", "'s", "- - -", ("\xe2\x80\x9c" "rebels\xe2\x80\x9d"),
	"ministers representing the rebels ", "\xff\xfe broken \xc3",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	agents_t *a = agents_new();
	agents_match m;
	agents_range skip[2];
	err_t e;

	if (!a)
		return 0;
	uint32_t before = agents_size(a);
	if (agents_parse(a, "fuzz.txt", (const char *)data, size, &e) != 0) {
		if (!e.msg[0] || (e.code != ERR_NOMEM && agents_size(a) != before))
			abort(); /* refused: a message, and nothing added */
		agents_free(a);
		return 0;
	}
	if (agents_size(a) == 0)
		abort();
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		size_t n = strlen(texts[i]);
		if (agents_find(a, texts[i], n, NULL, 0, &m) && (m.start > m.end || m.end > n))
			abort();
		if (agents_find_before(a, texts[i], n, &m) && (m.start > m.end || m.end > n))
			abort();
	}
	skip[0] = (agents_range){ 0, size / 3 };
	skip[1] = (agents_range){ size / 2, size };
	if (agents_find(a, (const char *)data, size, NULL, 0, &m) && (m.start > m.end || m.end > size))
		abort();
	if (agents_find(a, (const char *)data, size, skip, 2, &m) &&
	    (m.start > m.end || m.end > size || m.start >= size / 2 || m.end > size / 2 + 1 + size))
		abort();
	if (agents_find_before(a, (const char *)data, size, &m) && (m.start > m.end || m.end > size))
		abort();
	agents_free(a);
	return 0;
}
