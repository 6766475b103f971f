/* zfile: gzip input behind an ordinary FILE *, by glibc's fopencookie.
 * zlib's inflate is used directly rather than its gz API: gzread takes a
 * gzip stream cut at a buffer boundary for a complete one, and a
 * truncated download must be an error, not a shorter corpus. */
#define _GNU_SOURCE
#include "base/zfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <zlib.h>

typedef struct zf {
	FILE *in;             /* the compressed file */
	z_stream z;
	int ended;            /* the last member's end was seen, input exhausted */
	off64_t pos;          /* decompressed bytes read so far (total_out
				 restarts with each gzip member) */
	unsigned char buf[1 << 16]; /* compressed input */
} zf;

/* Back to the first byte of the decompressed data. */
static int zf_reset(zf *s)
{
	if (fseek(s->in, 0, SEEK_SET) != 0 || inflateReset(&s->z) != Z_OK)
		return -1;
	s->z.next_in = s->buf;
	s->z.avail_in = 0;
	s->ended = 0;
	s->pos = 0;
	return 0;
}

static ssize_t zf_read(void *cookie, char *out, size_t n)
{
	zf *s = cookie;
	uInt want = n > (1u << 30) ? 1u << 30 : (uInt)n;

	if (s->ended || want == 0)
		return 0;
	s->z.next_out = (unsigned char *)out;
	s->z.avail_out = want;
	/* until some output: inflate may consume a whole input buffer (a
	 * gzip header) without producing any */
	while (s->z.avail_out == want) {
		int rc;
		if (s->z.avail_in == 0) {
			size_t got = fread(s->buf, 1, sizeof(s->buf), s->in);
			if (got == 0) {
				/* input over inside a member: truncated */
				errno = EIO;
				return -1;
			}
			s->z.next_in = s->buf;
			s->z.avail_in = (uInt)got;
		}
		rc = inflate(&s->z, Z_NO_FLUSH);
		if (rc == Z_STREAM_END) {
			/* another member may follow (cat a.gz b.gz) */
			if (s->z.avail_in == 0) {
				s->z.next_in = s->buf;
				s->z.avail_in = (uInt)fread(s->buf, 1, sizeof(s->buf), s->in);
			}
			if (s->z.avail_in == 0) {
				s->ended = 1;
				break;
			}
			if (inflateReset(&s->z) != Z_OK) {
				errno = EIO;
				return -1;
			}
			continue;
		}
		if (rc != Z_OK && rc != Z_BUF_ERROR) {
			errno = rc == Z_MEM_ERROR ? ENOMEM : EIO;
			return -1;
		}
	}
	s->pos += want - s->z.avail_out;
	return (ssize_t)(want - s->z.avail_out);
}

/* Seeking (a rewind after sniffing a format): forward by decompressing,
 * backward by starting over. */
static int zf_seek(void *cookie, off64_t *pos, int whence)
{
	zf *s = cookie;
	off64_t at = s->pos, want;
	char skip[4096];

	if (whence == SEEK_SET)
		want = *pos;
	else if (whence == SEEK_CUR)
		want = at + *pos;
	else {
		errno = ESPIPE;
		return -1;
	}
	if (want < 0) {
		errno = EINVAL;
		return -1;
	}
	if (want < at) {
		if (zf_reset(s)) {
			errno = EIO;
			return -1;
		}
		at = 0;
	}
	while (at < want) {
		size_t k = want - at < (off64_t)sizeof(skip) ? (size_t)(want - at) : sizeof(skip);
		ssize_t got = zf_read(s, skip, k);
		if (got <= 0) {
			if (got == 0)
				errno = EINVAL;
			return -1;
		}
		at += got;
	}
	*pos = at;
	return 0;
}

static int zf_close(void *cookie)
{
	zf *s = cookie;
	int bad = fclose(s->in) != 0;

	inflateEnd(&s->z);
	free(s);
	return bad ? EOF : 0;
}

FILE *zfile_open(const char *path)
{
	static const cookie_io_functions_t io = {
		.read = zf_read, .seek = zf_seek, .close = zf_close
	};
	unsigned char m[2];
	struct stat st;
	size_t got;
	FILE *f, *out;
	zf *s;
	int saved;

	f = fopen(path, "rb");
	if (!f)
		return NULL;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		errno = EISDIR;
		return NULL;
	}
	got = fread(m, 1, 2, f);
	if (ferror(f) || fseek(f, 0, SEEK_SET) != 0) {
		saved = errno ? errno : EIO;
		fclose(f);
		errno = saved;
		return NULL;
	}
	if (got < 2 || m[0] != 0x1f || m[1] != 0x8b)
		return f;
	s = calloc(1, sizeof(*s));
	if (!s) {
		fclose(f);
		errno = ENOMEM;
		return NULL;
	}
	s->in = f;
	/* 15 + 16: a gzip wrapper, the largest window */
	if (inflateInit2(&s->z, 15 + 16) != Z_OK) {
		fclose(f);
		free(s);
		errno = ENOMEM;
		return NULL;
	}
	s->z.next_in = s->buf;
	out = fopencookie(s, "rb", io);
	if (!out) {
		saved = errno ? errno : ENOMEM;
		zf_close(s);
		errno = saved;
	}
	return out;
}

int zfile_read_all(const char *path, size_t max, const char *what, char **data, size_t *len,
		   err_t *e)
{
	FILE *f = zfile_open(path);
	char *buf = NULL, *tmp;
	size_t n = 0, cap = 0;
	int rc = 0;

	*data = NULL;
	*len = 0;
	if (!f)
		return err_set(e, ERR_IO, "%s: cannot open: %s", path, strerror(errno));
	for (;;) {
		if (n + 1 >= cap) { /* room for the NUL too */
			if (cap > max) {
				rc = err_set(e, ERR_FORMAT, "%s: larger than %zu MB, not %s", path,
					     max >> 20, what);
				break;
			}
			cap = cap ? cap * 2 : 65536;
			if (!(tmp = realloc(buf, cap))) {
				rc = err_set(e, ERR_NOMEM, "%s: out of memory", path);
				break;
			}
			buf = tmp;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	if (rc == 0 && ferror(f))
		rc = err_set(e, ERR_IO, "%s: read error", path);
	fclose(f);
	if (rc < 0) {
		free(buf);
		return rc;
	}
	if (n > max) {
		free(buf);
		return err_set(e, ERR_FORMAT, "%s: larger than %zu MB, not %s", path, max >> 20, what);
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
}
