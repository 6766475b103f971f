/* dict: string interning, string -> dense id (0..n-1), open addressing.
 * Used for vocabularies, feature dictionaries and label sets. Read-only
 * use (dict_get) is safe from several threads at once. */
#ifndef EVTAG_DICT_H
#define EVTAG_DICT_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

#define DICT_NONE UINT32_MAX

typedef struct dict dict_t;

/* New empty dictionary; NULL if out of memory. dict_free(NULL) is a no-op. */
dict_t *dict_new(void);
void dict_free(dict_t *d);
/* Number of strings. */
uint32_t dict_size(const dict_t *d);
/* Id of s[0..n), or DICT_NONE. */
uint32_t dict_get(const dict_t *d, const char *s, size_t n);
/* Id of s[0..n), adding it if absent; DICT_NONE if out of memory. */
uint32_t dict_add(dict_t *d, const char *s, size_t n);
/* String of id (NUL-terminated, owned by d), length in *n if n != NULL;
 * NULL if id is out of range. */
const char *dict_str(const dict_t *d, uint32_t id, size_t *n);
/* splitmix64's finaliser: mixes all bits of h into all bits of the result.
 * Inline because feature hashing combines keys with it in hot loops. */
static inline uint64_t dict_mix(uint64_t h)
{
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h;
}

/* 64-bit FNV-1a hash of bytes, finished with dict_mix (stable across runs
 * and machines; feature hashing uses it, so changing it changes models).
 * Inline: every lookup and every hashed feature starts here. */
static inline uint64_t dict_hash(const void *p, size_t n)
{
	const unsigned char *c = (const unsigned char *)p;
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++) {
		h ^= c[i];
		h *= 1099511628211ULL;
	}
	return dict_mix(h); /* so that the low bits are well mixed too */
}

/* Serialises the strings in id order (u32 count, then each string). */
void dict_save(const dict_t *d, buf_t *b);
/* Reads what dict_save wrote; NULL and r failed on damage or duplicates. */
dict_t *dict_load(rd_t *r);

#endif
