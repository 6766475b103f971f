/* progress: see progress.h. */
#include <time.h>
#include <unistd.h>

#include "cli/progress.h"

double prog_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void prog_init(prog *p, int on, FILE *f, const char *cmd, const char *unit, uint64_t total)
{
	p->f = on ? f : NULL;
	p->tty = on && isatty(fileno(f));
	p->cmd = cmd;
	p->unit = unit;
	p->total = total;
	p->t0 = p->last = prog_now();
	p->drawn = 0;
}

/* "1h02m", "3m05s", "12s". */
static void put_time(FILE *f, double s)
{
	long t = (long)(s + 0.5);
	if (t >= 3600)
		fprintf(f, "%ldh%02ldm", t / 3600, t % 3600 / 60);
	else if (t >= 60)
		fprintf(f, "%ldm%02lds", t / 60, t % 60);
	else
		fprintf(f, "%lds", t);
}

static void draw(prog *p, double now, uint64_t done, uint64_t bytes)
{
	double el = now - p->t0;
	if (p->tty)
		fputc('\r', p->f);
	fprintf(p->f, "evtag %s: %llu %s", p->cmd, (unsigned long long)done, p->unit);
	if (el > 0)
		fprintf(p->f, ", %.1f %s/s", (double)done / el, p->unit);
	if (p->total) {
		uint64_t b = bytes < p->total ? bytes : p->total;
		fprintf(p->f, ", %.0f%% of the input", 100.0 * (double)b / (double)p->total);
		if (b > 0 && b < p->total && el > 0) {
			fputs(", ", p->f);
			put_time(p->f, el * (double)(p->total - b) / (double)b);
			fputs(" left", p->f);
		}
	}
	fputs(", ", p->f);
	put_time(p->f, el);
	fputs(" so far", p->f);
	if (p->tty) {
		fputs("\x1b[K", p->f); /* the rest of an older, longer line */
		p->drawn = 1;
	} else {
		fputc('\n', p->f);
	}
	fflush(p->f);
	p->last = now;
}

void prog_update(prog *p, uint64_t done, uint64_t bytes)
{
	if (!p->f)
		return;
	double now = prog_now();
	if (now - p->last >= (p->tty ? 0.2 : 2.0))
		draw(p, now, done, bytes);
}

void prog_clear(prog *p)
{
	if (p->f && p->tty && p->drawn) {
		fputs("\r\x1b[K", p->f);
		p->drawn = 0;
	}
}

void prog_end(prog *p, uint64_t done, uint64_t bytes)
{
	if (!p->f)
		return;
	draw(p, prog_now(), done, bytes);
	if (p->tty)
		fputc('\n', p->f);
	fflush(p->f);
	p->drawn = 0;
	p->f = NULL;
}
