/* buf: a growable byte buffer with little-endian writers, and a
 * bounds-checked reader over bytes. Model sections are built and parsed
 * with these, so no raw struct ever reaches a file. */
#ifndef EVTAG_BUF_H
#define EVTAG_BUF_H

#include <stddef.h>
#include <stdint.h>

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
void buf_put(buf_t *b, const void *p, size_t n);
void buf_put_u8(buf_t *b, uint8_t v);
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
int rd_ok(const rd_t *r);
/* Bytes left to read. */
size_t rd_left(const rd_t *r);
uint8_t rd_u8(rd_t *r);
uint32_t rd_u32(rd_t *r);
uint64_t rd_u64(rd_t *r);
int32_t rd_i32(rd_t *r);
float rd_f32(rd_t *r);
double rd_f64(rd_t *r);
/* Pointer to n raw bytes inside the reader's memory, or NULL. */
const void *rd_raw(rd_t *r, size_t n);
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
