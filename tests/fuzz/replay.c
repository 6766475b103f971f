/* Replays fuzz inputs through a fuzz target without libFuzzer, so every
 * input that once failed stays a regression test in `make check`:
 * replay DIR... runs LLVMFuzzerTestOneInput on every file in each DIR. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *data = NULL, *tmp;
	size_t len = 0, cap = 0, got;

	if (!f)
		return -1;
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			tmp = realloc(data, cap);
			if (!tmp) {
				free(data);
				fclose(f);
				return -1;
			}
			data = tmp;
		}
		got = fread(data + len, 1, cap - len, f);
		if (got == 0)
			break;
		len += got;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	return 0;
}

int main(int argc, char **argv)
{
	int n = 0, bad = 0;

	for (int i = 1; i < argc; i++) {
		DIR *d = opendir(argv[i]);
		struct dirent *de;
		if (!d)
			continue;
		while ((de = readdir(d))) {
			char path[4096];
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i], de->d_name);
			if (replay_file(path) == 0)
				n++;
			else
				bad++;
		}
		closedir(d);
	}
	/* reaching here means no input crashed (sanitizers abort on reports) */
	printf("%d passed, %d failed\n", n, bad);
	return bad != 0;
}
