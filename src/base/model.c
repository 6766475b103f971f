#define _GNU_SOURCE
#include "base/model.h"
#include "base/afile.h"
#include "base/buf.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define MODEL_MAGIC "evtag-model"

static uint32_t crc_of(const void *p, size_t n)
{
	uLong c = crc32(0L, Z_NULL, 0);
	const unsigned char *b = p;

	while (n > 0) {
		uInt chunk = n > (1u << 30) ? (1u << 30) : (uInt)n;
		c = crc32(c, b, chunk);
		b += chunk;
		n -= chunk;
	}
	return (uint32_t)c;
}

static int gz_write_all(gzFile gz, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n > 0) {
		unsigned chunk = n > (1u << 30) ? (1u << 30) : (unsigned)n;
		if (gzwrite(gz, b, chunk) != (int)chunk)
			return -1;
		b += chunk;
		n -= chunk;
	}
	return 0;
}

static void put_sec_header(buf_t *b, const char *tag, uint64_t len)
{
	buf_put(b, tag, 4);
	buf_put_u64(b, len);
}

int model_write(const char *path, const char *kind, const model_sec *secs,
		size_t n, err_t *e)
{
	char *tmp = NULL;
	int fd = -1, syncfd = -1, rc;
	gzFile gz = NULL;
	buf_t hdr;
	uint32_t crcs_crc = crc32(0L, Z_NULL, 0);
	sigset_t oldmask;
	int blocked = 0;

	buf_init(&hdr);
	if (n > MODEL_MAX_SECTIONS || strlen(kind) >= 32 || strchr(kind, ' ')) {
		rc = err_set(e, ERR_ARG, "%s: invalid model kind or too many sections", path);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (strlen(secs[i].tag) != 4 || secs[i].len > MODEL_MAX_SECTION_BYTES) {
			rc = err_set(e, ERR_ARG, "%s: invalid section '%s'", path, secs[i].tag);
			goto out;
		}
	}
	{
		/* Never rename over a device, FIFO or directory (as root,
		 * "-o /dev/full" would otherwise replace the device node). */
		struct stat st;
		if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
			rc = err_set(e, ERR_IO, "%s: exists and is not a regular file", path);
			goto out;
		}
	}
	if (asprintf(&tmp, "%s.tmp.XXXXXX", path) < 0) {
		tmp = NULL;
		rc = err_set(e, ERR_NOMEM, "%s: out of memory", path);
		goto out;
	}
	/* From the temporary file's creation to its rename or unlink, a stop
	 * signal stays pending; it is delivered when the mask is restored at
	 * out:, when the temporary file is gone. */
	if (afile_block_signals(&oldmask) != 0) {
		rc = err_set(e, ERR_IO, "%s: cannot block signals", path);
		goto out;
	}
	blocked = 1;
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = err_set(e, ERR_IO, "%s: cannot create temporary file: %s", path, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if (fchmod(fd, 0644) != 0 || (syncfd = dup(fd)) < 0) {
		rc = err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
		goto out_unlink;
	}
	gz = gzdopen(fd, "wb6");
	if (!gz) {
		rc = err_set(e, ERR_IO, "%s: cannot open gzip stream", path);
		goto out_unlink;
	}
	fd = -1; /* owned by gz now */

	{
		char line[64];
		int len = snprintf(line, sizeof(line), "%s %d %s\n", MODEL_MAGIC,
				   MODEL_FORMAT_VERSION, kind);
		buf_put(&hdr, line, (size_t)len);
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t c = crc_of(secs[i].data, secs[i].len);
		put_sec_header(&hdr, secs[i].tag, secs[i].len);
		if (hdr.failed || gz_write_all(gz, hdr.data, hdr.len) ||
		    gz_write_all(gz, secs[i].data, secs[i].len))
			goto write_failed;
		hdr.len = 0;
		buf_put_u32(&hdr, c);
		crcs_crc = crc32(crcs_crc, hdr.data + hdr.len - 4, 4);
	}
	put_sec_header(&hdr, "END", 8); /* tag "END\0" */
	{
		buf_t end;
		buf_init(&end);
		buf_put_u32(&end, (uint32_t)n);
		buf_put_u32(&end, (uint32_t)crcs_crc);
		buf_put(&hdr, end.data, end.len);
		buf_put_u32(&hdr, crc_of(end.data, end.len));
		buf_free(&end);
	}
	if (hdr.failed || gz_write_all(gz, hdr.data, hdr.len))
		goto write_failed;
	rc = gzclose(gz);
	gz = NULL;
	if (rc != Z_OK)
		goto write_failed;
	if (fsync(syncfd) != 0 && errno != EINVAL) {
		rc = err_set(e, ERR_IO, "%s: fsync: %s", path, strerror(errno));
		goto out_unlink;
	}
	if (close(syncfd) != 0) {
		syncfd = -1;
		rc = err_set(e, ERR_IO, "%s: close: %s", path, strerror(errno));
		goto out_unlink;
	}
	syncfd = -1;
	if (rename(tmp, path) != 0) {
		rc = err_set(e, ERR_IO, "%s: cannot rename temporary file into place: %s",
			     path, strerror(errno));
		goto out_unlink;
	}
	rc = 0;
	goto out;

write_failed:
	rc = err_set(e, ERR_IO, "%s: write failed: %s", path,
		     errno ? strerror(errno) : "gzip error");
out_unlink:
	if (gz)
		gzclose(gz);
	if (fd >= 0)
		close(fd);
	unlink(tmp);
out:
	if (syncfd >= 0)
		close(syncfd);
	free(tmp);
	buf_free(&hdr);
	if (blocked) {
		int saved = errno;
		pthread_sigmask(SIG_SETMASK, &oldmask, NULL);
		errno = saved;
	}
	return rc;
}

/* Reads exactly n bytes; 0 on success, -1 on short read or error. */
static int gz_read_all(gzFile gz, void *p, size_t n)
{
	unsigned char *b = p;

	while (n > 0) {
		unsigned chunk = n > (1u << 30) ? (1u << 30) : (unsigned)n;
		int got = gzread(gz, b, chunk);
		if (got <= 0)
			return -1;
		b += got;
		n -= (size_t)got;
	}
	return 0;
}

/* Reads a section payload of claimed length len, growing the buffer as
 * data actually arrives so a corrupt length cannot force a huge
 * allocation. */
static unsigned char *gz_read_payload(gzFile gz, uint64_t len)
{
	size_t cap = 0, have = 0;
	unsigned char *data = NULL, *tmp;

	if (len == 0)
		return malloc(1);
	while (have < len) {
		size_t want = (size_t)(len - have);
		if (want > (1u << 24))
			want = 1u << 24;
		if (have + want > cap) {
			cap = have + want;
			tmp = realloc(data, cap);
			if (!tmp)
				goto fail;
			data = tmp;
		}
		if (gz_read_all(gz, data + have, want))
			goto fail;
		have += want;
	}
	return data;
fail:
	free(data);
	return NULL;
}

static void model_fail(err_t *e, int code, const char *path, const char *why)
{
	err_set(e, code, "%s: %s", path, why);
}

int model_check_kind(const char *name, const char *kind, const char *want, err_t *e)
{
	if (strcmp(kind, want) == 0)
		return 0;
	return err_set(e, ERR_MODEL, "%s: is a %s model, expected a %s model", name, kind, want);
}

int model_read(const char *path, const char *want_kind, model_file **out,
	       err_t *e)
{
	gzFile gz = NULL;
	model_file *m = NULL;
	char line[128];
	size_t ll = 0;
	int rc = ERR_MODEL, c;
	uint32_t crcs_crc = crc32(0L, Z_NULL, 0);
	char verstr[16], kind[32];
	unsigned ver;
	struct stat st;

	*out = NULL;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return err_set(e, ERR_IO, "%s: is a directory, not a model file", path);
	gz = gzopen(path, "rb");
	if (!gz)
		return err_set(e, ERR_IO, "%s: cannot open: %s", path,
			       errno ? strerror(errno) : "out of memory");
	/* The header line: at most sizeof(line)-1 bytes up to '\n'. */
	while (ll < sizeof(line) - 1 && (c = gzgetc(gz)) != -1) {
		if (c == '\n')
			break;
		line[ll++] = (char)c;
	}
	line[ll] = '\0';
	if (c == -1 && (ll == 0 || strncmp(line, MODEL_MAGIC " ", ll) == 0)) {
		/* the stream ended before the header line did: an empty file,
		 * or the start of a model (a cut download or copy) */
		if (st.st_size == 0)
			model_fail(e, ERR_MODEL, path, "empty file, not a model");
		else
			model_fail(e, ERR_MODEL, path, "truncated model file (it ends before its header line)");
		goto out;
	}
	if (strncmp(line, MODEL_MAGIC " ", sizeof(MODEL_MAGIC)) != 0) {
		model_fail(e, ERR_MODEL, path, "not an evtag model file (bad magic)");
		goto out;
	}
	if (sscanf(line + sizeof(MODEL_MAGIC), "%15s %31s", verstr, kind) != 2 ||
	    sscanf(verstr, "%u", &ver) != 1) {
		model_fail(e, ERR_MODEL, path, "damaged model header line");
		goto out;
	}
	if (ver != MODEL_FORMAT_VERSION) {
		err_set(e, ERR_MODEL, "%s: model format version %u is not supported (this evtag reads version %d)",
			path, ver, MODEL_FORMAT_VERSION);
		goto out;
	}
	if (want_kind && model_check_kind(path, kind, want_kind, e) != 0)
		goto out;
	m = calloc(1, sizeof(*m));
	if (!m) {
		rc = ERR_NOMEM;
		model_fail(e, ERR_NOMEM, path, "out of memory");
		goto out;
	}
	/* A gzip stream's own CRC-32 covers every byte, and it is checked
	 * (below) before anything is returned; the sections' CRCs are then
	 * the same check again (a sixth of loading the shipped models), so
	 * they are checked only in a file that is not compressed. */
	int plain = gzdirect(gz);
	snprintf(m->kind, sizeof(m->kind), "%s", kind);
	m->version = ver;
	for (;;) {
		unsigned char h[12];
		unsigned char cbuf[4];
		rd_t r;
		uint64_t len;
		uint32_t crc;
		unsigned char *data;
		model_sec *tmp;

		if (gz_read_all(gz, h, sizeof(h))) {
			model_fail(e, ERR_MODEL, path, "truncated model file");
			goto out;
		}
		rd_init(&r, h + 4, 8);
		len = rd_u64(&r);
		if (len > MODEL_MAX_SECTION_BYTES) {
			model_fail(e, ERR_MODEL, path, "damaged model file (section too large)");
			goto out;
		}
		data = gz_read_payload(gz, len);
		if (!data) {
			model_fail(e, ERR_MODEL, path, "truncated model file");
			goto out;
		}
		if (gz_read_all(gz, cbuf, 4)) {
			free(data);
			model_fail(e, ERR_MODEL, path, "truncated model file");
			goto out;
		}
		rd_init(&r, cbuf, 4);
		crc = rd_u32(&r);
		if (plain && crc != crc_of(data, (size_t)len)) {
			free(data);
			model_fail(e, ERR_MODEL, path, "damaged model file (checksum mismatch)");
			goto out;
		}
		if (memcmp(h, "END\0", 4) == 0) {
			uint32_t nsec, all;
			rd_init(&r, data, (size_t)len);
			nsec = rd_u32(&r);
			all = rd_u32(&r);
			free(data);
			if (!rd_ok(&r) || nsec != m->nsecs || all != crcs_crc) {
				model_fail(e, ERR_MODEL, path, "damaged model file (bad end record)");
				goto out;
			}
			break;
		}
		crcs_crc = crc32(crcs_crc, cbuf, 4);
		if (m->nsecs >= MODEL_MAX_SECTIONS) {
			free(data);
			model_fail(e, ERR_MODEL, path, "damaged model file (too many sections)");
			goto out;
		}
		tmp = realloc(m->secs, (m->nsecs + 1) * sizeof(*tmp));
		if (!tmp) {
			free(data);
			rc = ERR_NOMEM;
			model_fail(e, ERR_NOMEM, path, "out of memory");
			goto out;
		}
		m->secs = tmp;
		memcpy(m->secs[m->nsecs].tag, h, 4);
		m->secs[m->nsecs].tag[4] = '\0';
		m->secs[m->nsecs].data = data;
		m->secs[m->nsecs].len = (size_t)len;
		m->nsecs++;
	}
	/* Nothing may follow the END record; gzread also verifies the gzip
	 * trailer (CRC and length) when it reaches the end of the stream. */
	{
		unsigned char extra;
		int errnum;
		if (gzread(gz, &extra, 1) != 0) {
			model_fail(e, ERR_MODEL, path, "damaged model file (data after end record)");
			goto out;
		}
		gzerror(gz, &errnum);
		if (errnum != Z_OK) {
			model_fail(e, ERR_MODEL, path, "damaged model file (gzip stream error)");
			goto out;
		}
	}
	rc = 0;
	*out = m;
	m = NULL;
out:
	if (gz)
		gzclose(gz);
	model_file_free(m);
	return rc;
}

const model_sec *model_find(const model_file *m, const char *tag)
{
	for (size_t i = 0; i < m->nsecs; i++)
		if (strcmp(m->secs[i].tag, tag) == 0)
			return &m->secs[i];
	return NULL;
}

void model_file_free(model_file *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nsecs; i++)
		free(m->secs[i].data);
	free(m->secs);
	free(m);
}

int model_file_crc(const char *path, uint32_t *crc, err_t *e)
{
	unsigned char b[65536];
	uLong c = crc32(0L, Z_NULL, 0);
	size_t n;
	FILE *fp = fopen(path, "rb");

	if (!fp)
		return err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
	while ((n = fread(b, 1, sizeof(b), fp)) > 0)
		c = crc32(c, b, (uInt)n);
	if (ferror(fp)) {
		int saved = errno;
		fclose(fp);
		return err_set(e, ERR_IO, "%s: %s", path, strerror(saved));
	}
	fclose(fp);
	*crc = (uint32_t)c;
	return 0;
}
