#define _DEFAULT_SOURCE /* sbrk, madvise */
#include "cli/heap.h"

#include <stdint.h>
#include <stdlib.h>

#if defined(__linux__) && defined(__GLIBC__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

#define HEAP_RESERVE ((size_t)256 << 20)
#define HUGE_PAGE ((uintptr_t)2 << 20)

void cli_heap_hugepages(void)
{
#if defined(__linux__) && defined(__GLIBC__) && defined(MADV_HUGEPAGE)
	const char *off = getenv("EVTAG_NO_HUGEPAGES");
	if (off && *off)
		return;
	/* blocks up to 32 MB (the most glibc allows) from the heap; free
	 * space at its top given back only past twice the reserve; worker
	 * threads allocating from the same heap, not from arenas of their
	 * own (they allocate a few times an article, not in inner loops) */
	if (!mallopt(M_MMAP_THRESHOLD, 32 << 20) ||
	    !mallopt(M_TRIM_THRESHOLD, (int)(2 * HEAP_RESERVE)) || !mallopt(M_ARENA_MAX, 1))
		return;
	/* one growth of the heap by the reserve, then the default pad again */
	mallopt(M_TOP_PAD, (int)HEAP_RESERVE);
	char *lo = sbrk(0);
	void *p = malloc(HUGE_PAGE); /* more than the heap has: it grows */
	char *hi = sbrk(0);
	mallopt(M_TOP_PAD, 128 * 1024);
	if (p && lo != (char *)-1 && hi != (char *)-1) {
		uintptr_t a = ((uintptr_t)lo + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
		uintptr_t b = (uintptr_t)hi & ~(HUGE_PAGE - 1);
		if (b > a) /* a refusal leaves ordinary pages: nothing to report */
			(void)madvise((void *)a, b - a, MADV_HUGEPAGE);
	}
	free(p);
#endif
}
