/* buf: a growable byte buffer with little-endian writers, and a
 * bounds-checked reader over bytes. Model sections are built and parsed
 * with these, so no raw struct ever reaches a file. */
#ifndef EVTAG_BUF_H
#define EVTAG_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct buf {
	unsigned char *data; /* [cap] */
	size_t len, cap;
	int failed;          /* set once an allocation failed; later puts are no-ops */
} buf_t;

/* Empty buffer; buf_free() releases it. Zero-initialising works too. */
void buf_init(buf_t *b);
void buf_free(buf_t *b);
/* Ensures room for n more bytes. 0, or ERR_NOMEM (and b->failed set). */
int buf_reserve(buf_t *b, size_t n);
/* buf_put's way when the bytes do not fit yet (or the buffer failed). */
void buf_put_grow(buf_t *b, const void *p, size_t n);

/* Appends p[0..n). Inline when the bytes fit: every piece of the JSON
 * output goes through here. */
static inline void buf_put(buf_t *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	if (!b->failed && n <= b->cap - b->len) {
		memcpy(b->data + b->len, p, n);
		b->len += n;
		return;
	}
	buf_put_grow(b, p, n);
}

static inline void buf_put_u8(buf_t *b, uint8_t v)
{
	if (!b->failed && b->len < b->cap) {
		b->data[b->len++] = v;
		return;
	}
	buf_put_grow(b, &v, 1);
}
void buf_put_u32(buf_t *b, uint32_t v);
void buf_put_u64(buf_t *b, uint64_t v);
void buf_put_i32(buf_t *b, int32_t v);
void buf_put_f32(buf_t *b, float v);
void buf_put_f64(buf_t *b, double v);
/* u32 length, then the bytes (no terminator). s may hold NULs. */
void buf_put_bytes(buf_t *b, const void *s, uint32_t n);
/* buf_put_bytes(s, strlen(s)). */
void buf_put_str(buf_t *b, const char *s);

/* Reader over [p, p+len): every get checks bounds; after the first
 * failure r->failed is set and gets return 0 / NULL. Callers check
 * rd_ok() once after a run of gets. */
typedef struct rd {
	const unsigned char *p;
	size_t len, pos;
	int failed;
} rd_t;

void rd_init(rd_t *r, const void *p, size_t len);

/* The gets below are inline: loading a model reads millions of fields
 * (a call each cost more than the read). */
#if defined(__GNUC__)
#define RD_INLINE static inline __attribute__((always_inline))
#else
#define RD_INLINE static inline
#endif

RD_INLINE int rd_ok(const rd_t *r)
{
	return !r->failed;
}

/* Bytes left to read. */
RD_INLINE size_t rd_left(const rd_t *r)
{
	return r->failed ? 0 : r->len - r->pos;
}

/* Pointer to n raw bytes inside the reader's memory, or NULL. */
RD_INLINE const void *rd_raw(rd_t *r, size_t n)
{
	const void *p;

	if (r->failed || n > r->len - r->pos) {
		r->failed = 1;
		return NULL;
	}
	p = r->p + r->pos;
	r->pos += n;
	return p;
}

RD_INLINE uint8_t rd_u8(rd_t *r)
{
	const unsigned char *c = (const unsigned char *)rd_raw(r, 1);

	return c ? c[0] : 0;
}

/* Little-endian, whatever the host's order. */
RD_INLINE uint32_t rd_u32(rd_t *r)
{
	const unsigned char *c = (const unsigned char *)rd_raw(r, 4);

	if (!c)
		return 0;
	/* spelt out, so that the compiler makes it one load */
	return (uint32_t)c[0] | (uint32_t)c[1] << 8 | (uint32_t)c[2] << 16 |
	       (uint32_t)c[3] << 24;
}

RD_INLINE uint64_t rd_u64(rd_t *r)
{
	const unsigned char *c = (const unsigned char *)rd_raw(r, 8);

	if (!c)
		return 0;
	return (uint64_t)c[0] | (uint64_t)c[1] << 8 | (uint64_t)c[2] << 16 |
	       (uint64_t)c[3] << 24 | (uint64_t)c[4] << 32 | (uint64_t)c[5] << 40 |
	       (uint64_t)c[6] << 48 | (uint64_t)c[7] << 56;
}

RD_INLINE int32_t rd_i32(rd_t *r)
{
	return (int32_t)rd_u32(r);
}

RD_INLINE float rd_f32(rd_t *r)
{
	uint32_t u = rd_u32(r);
	float v;

	memcpy(&v, &u, 4);
	return v;
}

RD_INLINE double rd_f64(rd_t *r)
{
	uint64_t u = rd_u64(r);
	double v;

	memcpy(&v, &u, 8);
	return v;
}

/* A u32-length string as written by buf_put_bytes: returns a pointer into
 * the reader's memory (not NUL-terminated) and its length in *n. */
const char *rd_bytes(rd_t *r, uint32_t *n);
/* Same, copied into a fresh NUL-terminated string (caller frees); NULL on
 * failure, or if the bytes contain a NUL. */
char *rd_strdup(rd_t *r);
/* Reads a u32 count and fails the reader if count > max or if count *
 * elem_size exceeds the bytes left (guards allocations sized by input). */
uint32_t rd_count(rd_t *r, uint32_t max, size_t elem_size);

#endif
