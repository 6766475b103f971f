/* Tests of the core modules: buf, dict, sv, model container. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "base/dict.h"
#include "base/err.h"
#include "base/model.h"
#include "base/sv.h"
#include <zlib.h>

#include "t.h"

static void test_buf(void)
{
	buf_t b;
	rd_t r;
	uint32_t n;
	const char *s;
	char *d;

	buf_init(&b);
	buf_put_u32(&b, 0xdeadbeef);
	buf_put_u64(&b, 0x0102030405060708ULL);
	buf_put_f32(&b, 1.5f);
	buf_put_f64(&b, -2.25);
	buf_put_str(&b, "héllo");
	buf_put_i32(&b, -7);
	CHECK(!b.failed);
	CHECK(b.data[0] == 0xef && b.data[3] == 0xde); /* little-endian */
	rd_init(&r, b.data, b.len);
	CHECK(rd_u32(&r) == 0xdeadbeef);
	CHECK(rd_u64(&r) == 0x0102030405060708ULL);
	CHECK(rd_f32(&r) == 1.5f);
	CHECK(rd_f64(&r) == -2.25);
	s = rd_bytes(&r, &n);
	CHECK(s && n == 6 && memcmp(s, "héllo", 6) == 0);
	CHECK(rd_i32(&r) == -7);
	CHECK(rd_ok(&r) && rd_left(&r) == 0);
	rd_u8(&r);
	CHECK(!rd_ok(&r)); /* reading past the end fails, sticky */
	CHECK(rd_u32(&r) == 0);

	/* a count larger than what is left fails */
	rd_init(&r, b.data, 4);
	CHECK(rd_count(&r, UINT32_MAX, 1) == 0 && !rd_ok(&r));
	/* strdup refuses embedded NUL */
	b.len = 0;
	buf_put_bytes(&b, "a\0b", 3);
	rd_init(&r, b.data, b.len);
	d = rd_strdup(&r);
	CHECK(d == NULL && !rd_ok(&r));
	buf_free(&b);
}

static void test_dict(void)
{
	dict_t *d = dict_new();
	char key[32];
	int ok = 1;
	buf_t b;
	rd_t r;
	dict_t *d2;

	CHECK(d != NULL);
	for (int i = 0; i < 10000; i++) {
		snprintf(key, sizeof(key), "w%d", i);
		if (dict_add(d, key, strlen(key)) != (uint32_t)i)
			ok = 0;
	}
	CHECK(ok);
	CHECK(dict_size(d) == 10000);
	CHECK(dict_get(d, "w1234", 5) == 1234);
	CHECK(dict_get(d, "nope", 4) == DICT_NONE);
	CHECK(dict_add(d, "w5", 2) == 5);
	CHECK_STR(dict_str(d, 42, NULL), "w42");
	CHECK(dict_str(d, 10000, NULL) == NULL);
	CHECK(dict_hash("abc", 3) == dict_hash("abc", 3));
	CHECK(dict_hash("abc", 3) != dict_hash("abd", 3));

	buf_init(&b);
	dict_save(d, &b);
	rd_init(&r, b.data, b.len);
	d2 = dict_load(&r);
	CHECK(d2 && dict_size(d2) == 10000 && dict_get(d2, "w9999", 5) == 9999);
	dict_free(d2);
	/* truncated */
	rd_init(&r, b.data, b.len - 3);
	d2 = dict_load(&r);
	CHECK(d2 == NULL);
	buf_free(&b);
	dict_free(d);
	dict_free(NULL);
}

static void test_sv(void)
{
	sv_t v;
	float w[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };

	sv_init(&v);
	sv_push(&v, 5, 1.0f);
	sv_push(&v, 2, 2.0f);
	sv_push(&v, 5, 1.0f);
	sv_push(&v, 3, 0.0f);
	sv_push(&v, 100, 1.0f);
	sv_finish(&v);
	CHECK(v.n == 3);
	CHECK(v.e[0].idx == 2 && v.e[1].idx == 5 && v.e[1].val == 2.0f && v.e[2].idx == 100);
	CHECK_NEAR(sv_dot_dense(&v, w, 8), 2 * 2 + 5 * 2, 1e-9);
	CHECK_NEAR(sv_norm2(&v), 3.0, 1e-9);
	sv_clear(&v);
	for (int i = 0; i < 100; i++)
		sv_push(&v, (uint32_t)(99 - i), 1.0f);
	sv_finish(&v);
	CHECK(v.n == 100 && v.e[0].idx == 0 && v.e[99].idx == 99);
	sv_free(&v);
}

static int write_model(const char *path)
{
	model_sec secs[2] = { { "AAAA", (unsigned char *)"hello", 5 },
			      { "BBBB", (unsigned char *)"", 0 } };
	err_t e;

	return model_write(path, "test", secs, 2, &e);
}

static long file_size(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

static void test_model(void)
{
	char dir[] = "/tmp/evtag-test-XXXXXX";
	char path[256], bad[300];
	model_file *m = NULL;
	err_t e;
	FILE *f;
	unsigned char *bytes;
	long n;
	int refused = 1;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/m.evm", dir);
	CHECK(write_model(path) == 0);
	CHECK(model_read(path, "test", &m, &e) == 0);
	CHECK(m && m->nsecs == 2 && strcmp(m->kind, "test") == 0);
	CHECK(m && model_find(m, "AAAA") && model_find(m, "AAAA")->len == 5 &&
	      memcmp(model_find(m, "AAAA")->data, "hello", 5) == 0);
	CHECK(m && model_find(m, "CCCC") == NULL);
	model_file_free(m);
	m = NULL;
	CHECK(model_read(path, "tagger", &m, &e) == ERR_MODEL && m == NULL);
	CHECK(strstr(e.msg, "expected a tagger model") != NULL);

	/* Every truncation and many single-bit flips are refused. */
	n = file_size(path);
	bytes = malloc((size_t)n);
	f = fopen(path, "rb");
	CHECK(f && fread(bytes, 1, (size_t)n, f) == (size_t)n);
	fclose(f);
	snprintf(bad, sizeof(bad), "%s/bad.evm", dir);
	for (long cut = 0; cut < n; cut++) {
		f = fopen(bad, "wb");
		fwrite(bytes, 1, (size_t)cut, f);
		fclose(f);
		if (model_read(bad, NULL, &m, &e) == 0) {
			refused = 0;
			model_file_free(m);
		}
	}
	CHECK(refused);
	refused = 1;
	for (long i = 0; i < n * 8; i++) {
		bytes[i / 8] ^= (unsigned char)(1u << (i % 8));
		f = fopen(bad, "wb");
		fwrite(bytes, 1, (size_t)n, f);
		fclose(f);
		bytes[i / 8] ^= (unsigned char)(1u << (i % 8));
		if (model_read(bad, NULL, &m, &e) == 0) {
			/* A flip zlib ignores (gzip header flags and mtime, the
			 * padding bits after the last deflate block) may load, but
			 * only if the content is exactly the original. */
			const model_sec *a = model_find(m, "AAAA");
			if (!(m->nsecs == 2 && a && a->len == 5 &&
			      memcmp(a->data, "hello", 5) == 0 &&
			      strcmp(m->kind, "test") == 0)) {
				refused = 0;
				fprintf(stderr, "bit flip at byte %ld bit %ld loaded wrongly\n", i / 8, i % 8);
			}
			model_file_free(m);
		}
	}
	CHECK(refused);
	free(bytes);

	/* The same file uncompressed loads, and there the sections' CRCs, not
	 * gzip's, guard the payloads: every single-bit flip is refused, or
	 * loads the same payloads, or (the header line's kind and the section
	 * tags, which no CRC covers in an uncompressed file) loads under
	 * another kind or tag, which the model's loader refuses. */
	{
		unsigned char plain[4096];
		gzFile gz = gzopen(path, "rb");
		int pn = gz ? gzread(gz, plain, sizeof(plain)) : -1;
		if (gz)
			gzclose(gz);
		CHECK(pn > 0 && pn < (int)sizeof(plain));
		snprintf(bad, sizeof(bad), "%s/plain.evm", dir);
		int same = 0, wrong = 0, checksum = 0;
		for (int i = -1; pn > 0 && i < pn * 8; i++) {
			if (i >= 0)
				plain[i / 8] ^= (unsigned char)(1u << (i % 8));
			f = fopen(bad, "wb");
			fwrite(plain, 1, (size_t)pn, f);
			fclose(f);
			if (i >= 0)
				plain[i / 8] ^= (unsigned char)(1u << (i % 8));
			if (model_read(bad, NULL, &m, &e) == 0) {
				const model_sec *a = model_find(m, "AAAA"), *b = model_find(m, "BBBB");
				if (strcmp(m->kind, "test") == 0 && m->nsecs == 2 && a && b) {
					same += a->len == 5 && memcmp(a->data, "hello", 5) == 0 && b->len == 0;
					wrong += !(a->len == 5 && memcmp(a->data, "hello", 5) == 0 && b->len == 0);
				}
				model_file_free(m);
			} else {
				checksum += strstr(e.msg, "checksum mismatch") != NULL;
			}
		}
		CHECK(same == 1); /* the file unflipped */
		CHECK(wrong == 0);
		/* the payloads' and the CRCs' own flips, at least */
		CHECK(checksum >= 8 * (5 + 4 + 4));
	}

	/* not a model, a directory, a missing file */
	f = fopen(bad, "wb");
	fputs("hello world\n", f);
	fclose(f);
	CHECK(model_read(bad, NULL, &m, &e) == ERR_MODEL && strstr(e.msg, "not an evtag model"));
	CHECK(model_read(dir, NULL, &m, &e) == ERR_IO);
	snprintf(bad, sizeof(bad), "%s/none.evm", dir);
	CHECK(model_read(bad, NULL, &m, &e) == ERR_IO);
	/* a target that is not a regular file is refused, nothing created */
	CHECK(write_model("/dev/null") == ERR_IO);
	CHECK(write_model(dir) == ERR_IO);
	/* writing into a missing directory fails cleanly */
	snprintf(bad, sizeof(bad), "%s/no/such/dir.evm", dir);
	CHECK(write_model(bad) == ERR_IO);
	snprintf(bad, sizeof(bad), "%s/old.evm", dir);
	CHECK(write_model(bad) == 0);
	chmod(dir, 0555);
	if (geteuid() != 0) {
		CHECK(write_model(bad) == ERR_IO);
		CHECK(model_read(bad, "test", &m, &e) == 0);
		model_file_free(m);
	}
	chmod(dir, 0755);
	{
		char cmd[300];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		CHECK(system(cmd) == 0);
	}
}

int main(void)
{
	test_buf();
	test_dict();
	test_sv();
	test_model();
	return t_done();
}
