/* heap: transparent huge pages for the heap of the commands that load
 * models (cli_heap_hugepages). Front end only: it sets the process's
 * allocator. */
#ifndef EVTAG_CLI_HEAP_H
#define EVTAG_CLI_HEAP_H

/* Loading the shipped models writes some 60 MB of fresh heap, most of it
 * through large blocks that the C library would map and unmap one by one,
 * each 4 kB page faulted in on first touch (about 19,000 faults for one
 * article), and tagging then reads tables of several MB at random. Where
 * the system offers transparent huge pages on request ("madvise" in
 * /sys/kernel/mm/transparent_hugepage/enabled) and the allocator is the
 * GNU C library's, this grows the heap once by 256 MB of address space
 * (not memory: pages are backed as they are touched), asks for huge pages
 * over it, and keeps blocks up to 32 MB in it, for every thread (one
 * arena). Call it before any thread starts. Nothing is done where the
 * environment variable EVTAG_NO_HUGEPAGES is set, under another allocator
 * (valgrind, sanitizers: the heap does not grow), or elsewhere than Linux
 * with glibc. Output is the same either way. */
void cli_heap_hugepages(void);

#endif
