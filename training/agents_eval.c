/* agents_eval: how many gold actor spans of a role corpus get an agent
 * type by the rule `evtag classify` uses (src/coder/pipe.c, set_agent):
 * the longest agents-list phrase among the span's words, place names
 * (LOC entities) left out; else, for a person's name (the PER entity it
 * overlaps most), a title just before it. The sentence is its tokens
 * joined by spaces; entities come from the entity tagger.
 *   agents_eval AGENTS.txt ENTITIES.evm ROLES.conll
 * Prints the counts by role and by type, and the most frequent untyped
 * spans. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "features/agents.h"
#include "learn/tagger.h"

#define MAXTOK 1024
#define MAXTYPES 128

typedef struct count {
	char name[32];
	long n;
} count;

static count types[MAXTYPES], untyped[4096];
static int ntypes, nuntyped;

static void bump(count *c, int *n, int max, const char *name)
{
	for (int i = 0; i < *n; i++)
		if (strcmp(c[i].name, name) == 0) {
			c[i].n++;
			return;
		}
	if (*n < max) {
		snprintf(c[*n].name, sizeof(c[*n].name), "%s", name);
		c[(*n)++].n = 1;
	}
}

static int by_n(const void *a, const void *b)
{
	const count *x = a, *y = b;
	return x->n != y->n ? (y->n > x->n ? 1 : -1) : strcmp(x->name, y->name);
}

static const agents_t *ag;
static tagger_t *ent;
static tagger_ws *ws;
static long total[3], typed[3], place[3];
static const char *const ROLE[3] = { "SOURCE", "TARGET", "RECIPROCAL" };

/* 1 when the span s[0..n) is nothing but places (LOC entities skip[]),
 * "the" and spaces: a country or town acting, coded by its country alone. */
static int place_only(const char *s, size_t n, const agents_range *skip, size_t nk)
{
	if (nk == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		int in = 0;
		for (size_t k = 0; k < nk && !in; k++)
			in = i >= skip[k].start && i < skip[k].end;
		if (in || s[i] == ' ')
			continue;
		if ((i == 0 || s[i - 1] == ' ') && n - i >= 4 && strncasecmp(s + i, "the ", 4) == 0) {
			i += 3;
			continue;
		}
		return 0;
	}
	return 1;
}

/* Scores the gold spans of one sentence: tokens tok[0..n), labels lab. */
static void sentence(char **tok, char **lab, uint32_t n)
{
	char text[16384];
	size_t off[MAXTOK], end[MAXTOK], len = 0;
	tagger_tok tt[MAXTOK];
	tagger_span sp[MAXTOK];
	uint32_t ns = 0;
	err_t e;

	for (uint32_t i = 0; i < n; i++) {
		size_t l = strlen(tok[i]);
		if (len + l + 2 >= sizeof(text))
			return;
		if (i)
			text[len++] = ' ';
		off[i] = len;
		memcpy(text + len, tok[i], l);
		len += l;
		end[i] = len;
	}
	text[len] = '\0';
	for (uint32_t i = 0; i < n; i++)
		tt[i] = (tagger_tok){ text + off[i], (uint32_t)(end[i] - off[i]) };
	if (tagger_tag(ent, ws, tt, n, NULL, sp, &ns, &e) < 0)
		ns = 0;
	for (uint32_t i = 0; i < n;) {
		if (lab[i][0] != 'B' || lab[i][1] != '-') {
			i++;
			continue;
		}
		int r = strcmp(lab[i] + 2, "SOURCE") == 0 ? 0 : strcmp(lab[i] + 2, "TARGET") == 0 ? 1 : 2;
		uint32_t j = i + 1;
		while (j < n && lab[j][0] == 'I' && strcmp(lab[j] + 2, lab[i] + 2) == 0)
			j++;
		/* the span [i, j): LOC entities inside are left out; its PER entity */
		agents_range skip[32];
		size_t nk = 0, s0 = off[i], s1 = end[j - 1];
		int best = -1;
		uint32_t most = 0;
		for (uint32_t k = 0; k < ns; k++) {
			uint32_t a = sp[k].first > i ? sp[k].first : i;
			uint32_t b = sp[k].last < j ? sp[k].last : j;
			const char *ty = tagger_type_name(ent, sp[k].type);
			if (b > a && b - a > most) {
				most = b - a;
				best = (int)k;
			}
			if (b > a && ty && strcmp(ty, "LOC") == 0 && nk < 32)
				skip[nk++] = (agents_range){ off[a] - s0, end[b - 1] - s0 };
		}
		agents_match m;
		const char *type = NULL;
		if (agents_find(ag, text + s0, s1 - s0, skip, nk, &m))
			type = m.type;
		else if (best >= 0 && strcmp(tagger_type_name(ent, sp[best].type), "PER") == 0 &&
			 agents_find_before(ag, text, s0, &m))
			type = m.type;
		total[r]++;
		if (type) {
			typed[r]++;
			bump(types, &ntypes, MAXTYPES, type);
		} else if (place_only(text + s0, s1 - s0, skip, nk)) {
			place[r]++;
		} else {
			char low[32];
			snprintf(low, sizeof(low), "%.*s", (int)(s1 - s0), text + s0);
			for (char *p = low; *p; p++)
				if (*p >= 'A' && *p <= 'Z')
					*p += 32;
			bump(untyped, &nuntyped, 4096, low);
		}
		i = j;
	}
}

int main(int argc, char **argv)
{
	err_t e;
	agents_t *a;
	char line[4096], *tok[MAXTOK], *lab[MAXTOK];
	uint32_t n = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: agents_eval AGENTS.txt ENTITIES.evm ROLES.conll\n");
		return 2;
	}
	if (!(a = agents_new()) || agents_read(a, argv[1], &e) < 0 ||
	    tagger_load(argv[2], &ent, &e) < 0 || !(ws = tagger_ws_new(ent))) {
		fprintf(stderr, "agents_eval: %s\n", e.msg);
		return 1;
	}
	ag = a;
	FILE *f = fopen(argv[3], "r");
	if (!f) {
		perror(argv[3]);
		return 1;
	}
	for (;;) {
		char *got = fgets(line, sizeof(line), f);
		size_t l = got ? strlen(line) : 0;
		while (l && (line[l - 1] == '\n' || line[l - 1] == '\r'))
			line[--l] = '\0';
		if (!got || l == 0) {
			if (n)
				sentence(tok, lab, n);
			for (uint32_t i = 0; i < n; i++) {
				free(tok[i]);
				free(lab[i]);
			}
			n = 0;
			if (!got)
				break;
			continue;
		}
		char *tab = strchr(line, '\t'), *last = strrchr(line, '\t');
		if (!tab || n == MAXTOK)
			continue;
		*tab = '\0';
		tok[n] = strdup(line);
		lab[n++] = strdup(last + 1);
	}
	fclose(f);
	long T = 0, Y = 0, P = 0;
	for (int r = 0; r <= 3; r++) {
		long t = r < 3 ? total[r] : T, y = r < 3 ? typed[r] : Y, p = r < 3 ? place[r] : P;
		printf("%-10s %5ld of %5ld gold spans typed (%.1f%%); %ld of the %ld that are not a "
		       "place alone (%.1f%%)\n", r < 3 ? ROLE[r] : "all", y, t,
		       t ? 100.0 * (double)y / (double)t : 0, y, t - p,
		       t - p ? 100.0 * (double)y / (double)(t - p) : 0);
		if (r < 3) {
			T += total[r];
			Y += typed[r];
			P += place[r];
		}
	}
	qsort(types, (size_t)ntypes, sizeof(count), by_n);
	printf("types:");
	for (int i = 0; i < ntypes; i++)
		printf(" %s %ld", types[i].name, types[i].n);
	printf("\nmost frequent untyped:");
	qsort(untyped, (size_t)nuntyped, sizeof(count), by_n);
	for (int i = 0; i < nuntyped && i < 15; i++)
		printf("%s %s (%ld)", i ? ";" : "", untyped[i].name, untyped[i].n);
	printf("\n");
	tagger_ws_free(ws);
	tagger_free(ent);
	agents_free(a);
	return 0;
}
