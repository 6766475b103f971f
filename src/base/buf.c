#include "base/buf.h"
#include "base/err.h"

#include <stdlib.h>
#include <string.h>

void buf_init(buf_t *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}

void buf_free(buf_t *b)
{
	free(b->data);
	buf_init(b);
}

int buf_reserve(buf_t *b, size_t n)
{
	size_t need, cap;
	unsigned char *tmp;

	if (b->failed)
		return ERR_NOMEM;
	if (n > SIZE_MAX - b->len)
		goto fail;
	need = b->len + n;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	tmp = realloc(b->data, cap);
	if (!tmp)
		goto fail;
	b->data = tmp;
	b->cap = cap;
	return 0;
fail:
	b->failed = 1;
	return ERR_NOMEM;
}

void buf_put_grow(buf_t *b, const void *p, size_t n)
{
	if (n == 0 || buf_reserve(b, n))
		return;
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

void buf_put_u32(buf_t *b, uint32_t v)
{
	unsigned char c[4];

	for (int i = 0; i < 4; i++)
		c[i] = (unsigned char)(v >> (8 * i));
	buf_put(b, c, 4);
}

void buf_put_u64(buf_t *b, uint64_t v)
{
	unsigned char c[8];

	for (int i = 0; i < 8; i++)
		c[i] = (unsigned char)(v >> (8 * i));
	buf_put(b, c, 8);
}

void buf_put_i32(buf_t *b, int32_t v)
{
	buf_put_u32(b, (uint32_t)v);
}

void buf_put_f32(buf_t *b, float v)
{
	uint32_t u;

	memcpy(&u, &v, 4);
	buf_put_u32(b, u);
}

void buf_put_f64(buf_t *b, double v)
{
	uint64_t u;

	memcpy(&u, &v, 8);
	buf_put_u64(b, u);
}

void buf_put_bytes(buf_t *b, const void *s, uint32_t n)
{
	buf_put_u32(b, n);
	buf_put(b, s, n);
}

void buf_put_str(buf_t *b, const char *s)
{
	buf_put_bytes(b, s, (uint32_t)strlen(s));
}

void rd_init(rd_t *r, const void *p, size_t len)
{
	r->p = p;
	r->len = len;
	r->pos = 0;
	r->failed = 0;
}

const char *rd_bytes(rd_t *r, uint32_t *n)
{
	uint32_t len = rd_u32(r);
	const char *p = rd_raw(r, len);

	*n = p ? len : 0;
	return p;
}

char *rd_strdup(rd_t *r)
{
	uint32_t n;
	const char *p = rd_bytes(r, &n);
	char *s;

	if (!p)
		return NULL;
	if (memchr(p, '\0', n)) {
		r->failed = 1;
		return NULL;
	}
	s = malloc((size_t)n + 1);
	if (!s) {
		r->failed = 1;
		return NULL;
	}
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

uint32_t rd_count(rd_t *r, uint32_t max, size_t elem_size)
{
	uint32_t n = rd_u32(r);

	if (r->failed)
		return 0;
	if (n > max || (elem_size && (size_t)n > (r->len - r->pos) / elem_size)) {
		r->failed = 1;
		return 0;
	}
	return n;
}
