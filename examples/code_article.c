/* code_article: codes one article file with libevtag and prints its
 * records, one JSON line per sentence, as `evtag classify FILE` does.
 *
 *   cc code_article.c $(pkg-config --cflags --libs evtag) -o code_article
 *   ./code_article article.txt [MODELS_DIR]
 */
#include <stdio.h>
#include <stdlib.h>

#include <evtag.h>

int main(int argc, char **argv)
{
	evtag_models *models;
	evtag_records *recs;
	evtag_error err;
	static char text[1 << 20];
	size_t len;
	FILE *fp;

	if (argc < 2 || !(fp = fopen(argv[1], "rb"))) {
		fprintf(stderr, "usage: code_article FILE [MODELS_DIR]\n");
		return 2;
	}
	len = fread(text, 1, sizeof(text), fp);
	if (!feof(fp)) {
		fprintf(stderr, "code_article: %s: unreadable or over 1 MiB\n", argv[1]);
		return 1;
	}
	fclose(fp);
	/* NULL: $EVTAG_MODELS, else the installed models */
	if (evtag_open(&models, argc > 2 ? argv[2] : NULL, NULL, &err) < 0) {
		fprintf(stderr, "code_article: %s\n", err.message);
		return 1;
	}
	/* no date: the article's "date YYYY-MM-DD" line, if any; the file
	 * name is the document id, as for `evtag classify` */
	if (evtag_code(models, text, len, NULL, argv[1], &recs, &err) < 0) {
		fprintf(stderr, "code_article: %s\n", err.message);
		evtag_close(models);
		return 1;
	}
	for (size_t i = 0; i < evtag_count(recs); i++)
		fputs(evtag_record_json(recs, i, NULL), stdout);
	evtag_records_free(recs);
	evtag_close(models);
	return 0;
}
