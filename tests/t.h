/* t.h: the unit-test harness. Each tests/test_*.c is one program that
 * ends with `return t_done();`, printing "N passed, N failed". */
#ifndef EVTAG_T_H
#define EVTAG_T_H

#include <stdio.h>
#include <string.h>

static int t_pass, t_fail;

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (cond) {                                                  \
			t_pass++;                                            \
		} else {                                                     \
			t_fail++;                                            \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, \
				__LINE__, #cond);                            \
		}                                                            \
	} while (0)

#define CHECK_STR(a, b)                                                      \
	do {                                                                 \
		const char *a_ = (a), *b_ = (b);                             \
		if (a_ && b_ && strcmp(a_, b_) == 0) {                       \
			t_pass++;                                            \
		} else {                                                     \
			t_fail++;                                            \
			fprintf(stderr, "%s:%d: CHECK_STR failed: '%s' != '%s'\n", \
				__FILE__, __LINE__, a_ ? a_ : "(null)",      \
				b_ ? b_ : "(null)");                         \
		}                                                            \
	} while (0)

#define CHECK_NEAR(a, b, eps)                                                \
	do {                                                                 \
		double a_ = (a), b_ = (b);                                   \
		if (a_ - b_ <= (eps) && b_ - a_ <= (eps)) {                  \
			t_pass++;                                            \
		} else {                                                     \
			t_fail++;                                            \
			fprintf(stderr, "%s:%d: CHECK_NEAR failed: %.10g vs %.10g\n", \
				__FILE__, __LINE__, a_, b_);                 \
		}                                                            \
	} while (0)

static inline int t_done(void)
{
	printf("%d passed, %d failed\n", t_pass, t_fail);
	return t_fail ? 1 : 0;
}

#endif
