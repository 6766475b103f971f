/* agents: the agent-type lookup (phrases inside an actor, titles before a
 * name, longest match, plurals, files that extend or replace, bad lines). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"
#include "features/agents.h"
#include "t.h"

static const char LIST[] =
	"# a comment, then entries\n"
	"GOV president\n"
	"GOV\tprime minister\n"
	"GOV minister\n"
	"GOVMIL  ministry of defence\n"
	"MIL army\n"
	"CVLOPP protester\n"
	"REB rebel\n"
	"COP police\n"
	"COP police chief\n"
	"NON military conflict\n"
	"MIL military\n"
	"GOV state\n"
	"JRN spokesperson\n"
	"GOV president's office\n"
	"JUD judge  # a comment after the phrase\n"
	"\n"
	"   # indented comment\n";

/* The type agents_find gives text ("-" for a blocking match, NULL none). */
static const char *find(const agents_t *a, const char *text)
{
	agents_match m;
	if (!agents_find(a, text, strlen(text), NULL, 0, &m))
		return NULL;
	return m.type ? m.type : "-";
}

static const char *before(const agents_t *a, const char *text)
{
	agents_match m;
	if (!agents_find_before(a, text, strlen(text), &m))
		return NULL;
	return m.type ? m.type : "-";
}

static char *write_tmp(const char *content)
{
	char *path = strdup("/tmp/evtag-agents-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	size_t n = strlen(content);
	if (write(fd, content, n) != (ssize_t)n) {
		close(fd);
		return NULL;
	}
	close(fd);
	return path;
}

int main(void)
{
	err_t e;
	agents_t *a = agents_new();
	CHECK(a != NULL);
	CHECK(agents_parse(a, "list", LIST, strlen(LIST), &e) == 0);
	CHECK(agents_size(a) == 15);
	CHECK_STR(find(a, "the judges"), "JUD");
	{
		/* "CCC/TYPE": the phrase's country with its type */
		static const char C[] = "RUS/GOV kremlin\nUSA/GOVMIL pentagon\nNON the\n";
		agents_t *c = agents_new();
		agents_match m;
		CHECK(agents_parse(c, "c.txt", C, strlen(C), &e) == 0);
		CHECK(agents_find(c, "Kremlin aides", 13, NULL, 0, &m) == 1);
		CHECK_STR(m.type, "GOV");
		CHECK_STR(m.country, "RUS");
		CHECK(agents_find(c, "Pentagon officials", 18, NULL, 0, &m) == 1);
		CHECK_STR(m.type, "GOVMIL");
		CHECK_STR(m.country, "USA");
		CHECK(agents_find(c, "the", 3, NULL, 0, &m) == 1);
		CHECK(m.type == NULL);
		CHECK_STR(m.country, "");
		agents_free(c);
	}
	CHECK(find(a, "a comment") == NULL);

	/* a title inside the actor's span */
	CHECK_STR(find(a, "Russian President Vladimir Putin"), "GOV");
	CHECK_STR(find(a, "the army"), "MIL");
	CHECK_STR(find(a, "ARMY"), "MIL");
	/* plurals of the last word */
	CHECK_STR(find(a, "protesters"), "CVLOPP");
	CHECK_STR(find(a, "the rebels"), "REB");
	CHECK_STR(find(a, "Foreign Ministers"), "GOV");
	/* multiword and longest: "prime minister" over "minister",
	 * "ministry of defence" (two types) over nothing shorter */
	CHECK_STR(find(a, "Armenian Prime Minister Nikol Pashinyan"), "GOV");
	agents_match m;
	const char *t = "Armenian Prime Minister Nikol Pashinyan";
	CHECK(agents_find(a, t, strlen(t), NULL, 0, &m) == 1);
	CHECK(m.start == 9 && m.end == 23); /* "Prime Minister" */
	CHECK_STR(find(a, "the Ministry of Defence"), "GOVMIL");
	CHECK_STR(find(a, "the police chief"), "COP");
	/* a phrase that names no agent blocks the shorter one inside it */
	CHECK_STR(find(a, "the military conflict"), "-");
	CHECK_STR(find(a, "the military"), "MIL");
	/* ties: the leftmost ("ministers representing the rebels") */
	CHECK_STR(find(a, "ministers representing the rebels"), "GOV");
	/* possessives, typographic apostrophes */
	CHECK_STR(find(a, "the president’s office"), "GOV");
	CHECK_STR(find(a, "Azerbaijan's army"), "MIL");
	/* words not in the list; a word containing an entry is not it */
	CHECK(find(a, "Maria Zakharova") == NULL);
	CHECK(find(a, "presidential") == NULL);
	CHECK(find(a, "the armistice") == NULL);
	CHECK(find(a, "") == NULL);
	/* words inside a skipped range (a place name) take no part */
	t = "the United States";
	agents_range skip = { 4, strlen(t) };
	CHECK(agents_find(a, t, strlen(t), NULL, 0, &m) == 1);
	CHECK(agents_find(a, t, strlen(t), &skip, 1, &m) == 0);

	/* a title just before a bare name */
	CHECK_STR(before(a, "Kremlin cited Russian President "), "GOV");
	CHECK_STR(before(a, "talks with the Prime Minister "), "GOV");
	CHECK(before(a, "talks with ") == NULL);
	CHECK(before(a, "he met the army, ") == NULL);   /* punctuation */
	CHECK(before(a, "the president said ") == NULL); /* not the last word */
	CHECK(before(a, "") == NULL);

	/* a user file extends the list, and its entries win */
	char *p1 = write_tmp("OPP opposition leader\nMIL police\n");
	CHECK(p1 != NULL);
	CHECK(agents_read(a, p1, &e) == 0);
	CHECK_STR(find(a, "the opposition leader"), "OPP");
	CHECK_STR(find(a, "riot police"), "MIL");
	CHECK_STR(find(a, "the army"), "MIL");
	CHECK(agents_size(a) == 16);

	/* or replaces it: a new list with only the user's file */
	agents_t *b = agents_new();
	CHECK(agents_read(b, p1, &e) == 0);
	CHECK(find(b, "Russian President Vladimir Putin") == NULL);
	CHECK_STR(find(b, "police"), "MIL");
	agents_free(b);

	/* a malformed line is refused with the file and line, and nothing of
	 * the file is added */
	char *p2 = write_tmp("GOV cabinet\n# fine\nGOVERNMENT junta\n");
	CHECK(agents_read(a, p2, &e) == ERR_FORMAT);
	char want[256];
	snprintf(want, sizeof(want), "%s:3:", p2);
	CHECK(strstr(e.msg, want) != NULL);
	CHECK(find(a, "the cabinet") == NULL);
	const char *bad[] = { "GOV\n", "gov president\n", "GO president\n", "GOV ---\n",
			      "GOV \xff\xfe\n" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(agents_parse(a, "bad.txt", bad[i], strlen(bad[i]), &e) == ERR_FORMAT);
		CHECK(strstr(e.msg, "bad.txt:1:") != NULL);
	}
	/* a country before the type: only three capital letters and a slash */
	const char *badc[] = { "RU/GOV kremlin\n", "RUSS/GOV kremlin\n", "rus/GOV kremlin\n",
			       "RUS/ kremlin\n", "/GOV kremlin\n", "RUS/GOV/MIL kremlin\n",
			       "RUS/gov kremlin\n" };
	for (size_t i = 0; i < sizeof(badc) / sizeof(badc[0]); i++) {
		CHECK(agents_parse(a, "bad.txt", badc[i], strlen(badc[i]), &e) == ERR_FORMAT);
		CHECK(strstr(e.msg, "bad.txt:1:") != NULL);
	}
	CHECK(agents_parse(a, "empty.txt", "# nothing\n\n", 11, &e) == ERR_EMPTY);
	CHECK(agents_read(a, "/nonexistent/agents.txt", &e) == ERR_IO);
	CHECK(strstr(e.msg, "/nonexistent/agents.txt") != NULL);
	CHECK(agents_size(a) == 16);

	/* the shipped list, when the tests run from the source tree */
	agents_t *s = agents_new();
	if (agents_read(s, "models/agents.txt", &e) == 0) {
		CHECK(agents_size(s) > 3000);
		CHECK_STR(find(s, "Russian President Vladimir Putin"), "GOV");
		CHECK_STR(find(s, "the army"), "MIL");
		CHECK_STR(find(s, "the rebels"), "REB");
		CHECK_STR(find(s, "police"), "COP");
		CHECK_STR(find(s, "protesters"), "CVLOPP");
		CHECK_STR(find(s, "the Russian Foreign Ministry"), "GOV");
		/* seats of government name their country's government */
		agents_match m;
		CHECK(agents_find(s, "the Kremlin", 11, NULL, 0, &m) == 1);
		CHECK_STR(m.type, "GOV");
		CHECK_STR(m.country, "RUS");
		CHECK(agents_find(s, "the White House", 15, NULL, 0, &m) == 1);
		CHECK_STR(m.country, "USA");
		CHECK(agents_find(s, "the army", 8, NULL, 0, &m) == 1);
		CHECK_STR(m.country, "");
	}
	agents_free(s);

	unlink(p1);
	unlink(p2);
	free(p1);
	free(p2);
	agents_free(a);
	return t_done();
}
