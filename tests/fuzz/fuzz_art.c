/* Fuzz target: the article reader (plain text with a date prefix, and
 * JSON lines), then the tokenizer on every article it returns. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text/art.h"
#include "fuzz_util.h"
#include "text/tok.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[80];
	tok_doc d;
	err_t e;

	if (!fuzz_file(path, sizeof(path), "art", data, size))
		return 0;
	tok_doc_init(&d);
	for (int fmt = ART_PLAIN; fmt <= ART_JSONL; fmt++) {
		art_reader *r = NULL;
		art_article a;
		int rc, guard = 0;
		if (art_open(&r, path, (art_format)fmt, &e) != 0)
			continue;
		while ((rc = art_next(r, &a, &e)) != 0 && guard++ < 100000) {
			if (rc < 0) {
				if (!e.msg[0])
					abort(); /* every error says something */
				continue;
			}
			if (a.body > a.len || !a.text || a.text[a.len] != '\0')
				abort();
			if (a.date[0] && !art_is_date(a.date, strlen(a.date)))
				abort();
			tok_split(&d, a.text, a.len, a.body, 0, &e);
		}
		art_close(r);
	}
	tok_doc_free(&d);
	unlink(path);
	return 0;
}
