/* Tests of the place table (src/coder/places.c): folding names, compiling
 * a table from TSV (same bytes from rows in any order), looking places up
 * (ambiguity resolved by the article's countries and by population,
 * unknown names, case and diacritics, aliases, first-level regions
 * against cities of their name), places_locate with a gazetteer, and
 * damaged files and the layout before regions refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/model.h"
#include "coder/places.h"
#include "t.h"

static char dir[] = "/tmp/evtag-places-XXXXXX";

static void path_in(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

static int write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t w = fwrite(text, 1, len, f);
	return fclose(f) == 0 && w == len ? 0 : -1;
}

static int write_str(const char *path, const char *text)
{
	return write_file(path, text, strlen(text));
}

static long read_all(const char *path, unsigned char *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, cap, f);
	fclose(f);
	return (long)n;
}

/* geonameid name ISO3 admin1 population lat_e5 lon_e5 [P or A]; the A
 * rows are regions (no coordinates, population: the people of their
 * places) */
static const char *rows[] = {
	"524901\tMoscow\tRUS\t48\t10381222\t5575222\t3761556\n",
	"5601538\tMoscow\tUSA\tID\t25060\t4673239\t-11700017\n",
	"5202009\tMoscow\tUSA\tPA\t1960\t4133675\t-7551852\n",
	"2988507\tParis\tFRA\t11\t2138551\t4885341\t234880\n",
	"4717560\tParis\tUSA\tTX\t25171\t3366094\t-9555551\n",
	"3448439\tSão Paulo\tBRA\t27\t10021295\t-2354750\t-4663611\n",
	"3093133\tŁódź\tPOL\t74\t768755\t5175000\t1946667\n",
	"4140963\tWashington, D.C.\tUSA\tDC\t601723\t3889511\t-7703637\n",
	"2634715\tWashington\tGBR\tENG\t53526\t5490000\t-151667\n",
	"5128581\tNew York City\tUSA\tNY\t8175133\t4071427\t-7400597\n",
	"281133\tGaza\tPSE\tGZ\t410000\t3150161\t3446672\n",
	"99454\tAl Fallūjah\tIRQ\t01\t190159\t3334913\t4378599\n",
	"2747373\tThe Hague\tNLD\t11\t474292\t5207667\t429861\n",
	"1000001\tSmallville\tFRA\t11\t2000\t4800000\t200000\n",
	"1000002\tSmallville\tDEU\t01\t90000\t5000000\t900000\n",
	"1000003\tNowhere Town\tBRA\t27\t5000\t-2000000\t-4000000\tP\n",
	"0\tTexas\tUSA\tTX\t20000000\t0\t0\tA\n",
	"1000004\tTexas\tAUS\t04\t1000\t-2834000\t15150000\tP\n",
	"0\tWashington\tUSA\tWA\t5000000\t0\t0\tA\n",
	"0\tPunjab\tPAK\t04\t60000000\t0\t0\tA\n",
	"0\tPunjab\tIND\t23\t15000000\t0\t0\tA\n",
	"0\tHelmand Province\tAFG\t10\t800000\t0\t0\tA\n",
	"0\tTiny Region\tFRA\t99\t3000\t0\t0\tA\n",
	"0\tNorth Region\tCMR\t13\t2000000\t0\t0\tA\n",
	"0\tCentral\tUGA\tC\t3000000\t0\t0\tA\n",
	"0\tBanjul\tGMB\t01\t34589\t0\t0\tA\n",
	"2413876\tBanjul\tGMB\t01\t34589\t1345274\t-1657941\tP\n",
	"0\tSirnak\tTUR\t80\t700000\t0\t0\tA\n",
	"443213\tSirnak\tTUR\t80\t63000\t3751800\t4247000\tP\n",
};
#define NROWS (sizeof(rows) / sizeof(rows[0]))

static int write_rows(const char *path, int reverse)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	for (size_t i = 0; i < NROWS; i++)
		fputs(rows[reverse ? NROWS - 1 - i : i], f);
	return fclose(f) == 0 ? 0 : -1;
}

static void test_fold(void)
{
	char out[64];
	CHECK(places_fold("MOSCOW", 6, out, sizeof(out)) == 6);
	CHECK_STR(out, "moscow");
	places_fold("São  Paulo ", strlen("São  Paulo "), out, sizeof(out));
	CHECK_STR(out, "sao paulo");
	places_fold("Łódź", strlen("Łódź"), out, sizeof(out));
	CHECK_STR(out, "lodz");
	places_fold("N\xe2\x80\x99" "Djamena", strlen("N\xe2\x80\x99" "Djamena"), out, sizeof(out));
	CHECK_STR(out, "n'djamena");
	places_fold("Großstadt Æble", strlen("Großstadt Æble"), out, sizeof(out));
	CHECK_STR(out, "grossstadt aeble");
	places_fold("Москва", strlen("Москва"), out, sizeof(out));
	CHECK_STR(out, "Москва"); /* other scripts as they are */
	places_fold("A\xff\xc3" "B\xc3\x89", 6, out, sizeof(out));
	CHECK_STR(out, "a\xff\xc3" "be"); /* bad bytes copied, the rest folded */
	CHECK(places_fold("   ", 3, out, sizeof(out)) == 0);
	CHECK(places_fold("a long name", 11, out, 5) == 0); /* does not fit */
}

static void test_lookup(const places_t *p)
{
	places_hit h;
	places_ctx c;

	/* + "Washington", "New York", "Helmand", "Tiny"; - "Central" */
	CHECK(places_size(p) == NROWS + 3);
	CHECK(strstr(places_source(p), "test") != NULL);
	/* by population: Moscow, Russia over Moscow, Idaho */
	places_ctx_clear(&c);
	CHECK(places_find(p, &c, "Moscow", 6, &h) == 1);
	CHECK_STR(h.country, "RUS");
	CHECK_STR(h.admin1, "48");
	CHECK(h.lat_e5 == 5575222 && h.lon_e5 == 3761556);
	CHECK(h.candidates == 3);
	CHECK(places_find(p, NULL, "Moscow", 6, &h) == 1);
	CHECK_STR(h.country, "RUS");
	/* an article about the US alone: still Russia's (10.4M > 100 x 25,060) */
	places_ctx_add(&c, p, "USA");
	CHECK(places_find(p, &c, "Moscow", 6, &h) == 1);
	CHECK_STR(h.country, "RUS");
	/* ... but Paris, Texas (100 x 25,171 > 2.1M) */
	CHECK(places_find(p, &c, "Paris", 5, &h) == 1);
	CHECK_STR(h.country, "USA");
	CHECK_STR(h.admin1, "TX");
	places_ctx_clear(&c);
	CHECK(places_find(p, &c, "Paris", 5, &h) == 1);
	CHECK_STR(h.country, "FRA");
	/* a small town needs its country in the article */
	CHECK(places_find(p, &c, "Nowhere Town", 12, &h) == 0);
	places_ctx_add(&c, p, "BRA");
	CHECK(places_find(p, &c, "Nowhere Town", 12, &h) == 1);
	CHECK_STR(h.country, "BRA");
	/* Smallville: 90,000 in Germany is below the bar without Germany; with
	 * France mentioned, the French one of 2,000 */
	places_ctx_clear(&c);
	CHECK(places_find(p, &c, "Smallville", 10, &h) == 0);
	places_ctx_add(&c, p, "FRA");
	CHECK(places_find(p, &c, "Smallville", 10, &h) == 1);
	CHECK_STR(h.country, "FRA");
	places_ctx_add(&c, p, "DEU");
	CHECK(places_find(p, &c, "Smallville", 10, &h) == 1);
	CHECK_STR(h.country, "DEU");
	places_ctx_add(&c, p, "XYZ"); /* a code the table lacks: ignored */
	places_ctx_add(&c, p, "GEOPRE");
	/* unknown names */
	places_ctx_clear(&c);
	CHECK(places_find(p, &c, "Atlantis", 8, &h) == 0);
	CHECK(places_find(p, &c, "", 0, &h) == 0);
	CHECK(places_find(p, &c, "Mosco", 5, &h) == 0);
	CHECK(places_find(p, &c, "Moscows", 7, &h) == 0);
	/* case and diacritics */
	CHECK(places_find(p, &c, "MOSCOW", 6, &h) == 1);
	CHECK(places_find(p, &c, "Sao Paulo", 9, &h) == 1);
	CHECK_STR(h.country, "BRA");
	CHECK(places_find(p, &c, "SÃO PAULO", strlen("SÃO PAULO"), &h) == 1);
	CHECK(places_find(p, &c, "Lodz", 4, &h) == 1);
	CHECK_STR(h.country, "POL");
	/* aliases: before a comma, without " City", "Al ", "the " */
	CHECK(places_find(p, &c, "Washington", 10, &h) == 1);
	CHECK_STR(h.country, "USA");
	CHECK_STR(h.admin1, "DC");
	CHECK(places_find(p, &c, "New York", 8, &h) == 1);
	CHECK_STR(h.admin1, "NY");
	CHECK(places_find(p, &c, "Gaza City", 9, &h) == 1);
	CHECK_STR(h.country, "PSE");
	CHECK(places_find(p, &c, "Fallujah", 8, &h) == 1);
	CHECK_STR(h.country, "IRQ");
	CHECK(places_find(p, &c, "The Hague", 9, &h) == 1);
	CHECK(places_find(p, &c, "the Paris", 9, &h) == 1);
	CHECK_STR(h.country, "FRA");
	CHECK(places_find(p, &c, "Hague", 5, &h) == 0);
	/* regions: a country and admin1 code, no coordinates */
	CHECK(places_find(p, &c, "Texas", 5, &h) == 1);
	CHECK_STR(h.country, "USA");
	CHECK_STR(h.admin1, "TX");
	CHECK(h.region == 1 && h.lat_e5 == 0 && h.lon_e5 == 0);
	CHECK(places_find(p, &c, "Moscow", 6, &h) == 1 && h.region == 0);
	/* a town of 1,000 in a country the article mentions beats it */
	places_ctx_add(&c, p, "AUS");
	CHECK(places_find(p, &c, "Texas", 5, &h) == 1);
	CHECK_STR(h.country, "AUS");
	CHECK(h.region == 0);
	/* ... not when the region's country is mentioned too */
	places_ctx_add(&c, p, "USA");
	CHECK(places_find(p, &c, "Texas", 5, &h) == 1);
	CHECK_STR(h.country, "USA");
	CHECK(h.region == 1);
	/* a city of its name in as near a country beats a region: Washington
	 * is the capital with or without the US mentioned */
	CHECK(places_find(p, &c, "Washington", 10, &h) == 1);
	CHECK_STR(h.admin1, "DC");
	places_ctx_clear(&c);
	CHECK(places_find(p, &c, "Washington", 10, &h) == 1);
	CHECK_STR(h.admin1, "DC");
	/* two regions of a name: the larger, or the one of a mentioned country */
	CHECK(places_find(p, &c, "Punjab", 6, &h) == 1);
	CHECK_STR(h.country, "PAK");
	places_ctx_add(&c, p, "IND");
	CHECK(places_find(p, &c, "Punjab", 6, &h) == 1);
	CHECK_STR(h.country, "IND");
	CHECK(h.candidates == 2);
	/* "Helmand Province" is also "Helmand" */
	places_ctx_clear(&c);
	CHECK(places_find(p, &c, "Helmand", 7, &h) == 1);
	CHECK_STR(h.country, "AFG");
	CHECK(places_find(p, &c, "Helmand Province", 16, &h) == 1);
	/* a region of few people needs its country in the article */
	CHECK(places_find(p, &c, "Tiny Region", 11, &h) == 0);
	places_ctx_add(&c, p, "FRA");
	CHECK(places_find(p, &c, "Tiny", 4, &h) == 1);
	CHECK_STR(h.admin1, "99");
	/* words of where alone are no region's name */
	CHECK(places_find(p, &c, "North", 5, &h) == 0);
	CHECK(places_find(p, &c, "Central", 7, &h) == 0);
	CHECK(places_find(p, &c, "North Region", 12, &h) == 1);
	CHECK_STR(h.country, "CMR");
	/* a region whose place of its name holds a tenth of its people or
	 * more is that place, with coordinates; a province of 700,000 is not
	 * its capital of 63,000 */
	places_ctx_clear(&c);
	places_ctx_add(&c, p, "GMB");
	CHECK(places_find(p, &c, "Banjul", 6, &h) == 1);
	CHECK(h.region == 0 && h.lat_e5 == 1345274);
	places_ctx_add(&c, p, "TUR");
	CHECK(places_find(p, &c, "Sirnak", 6, &h) == 1);
	CHECK(h.region == 1);
	CHECK_STR(h.admin1, "80");
}

static void test_locate(const places_t *p)
{
	static const char csv[] = "CCA2,Name,CCA3,Nationality\n"
				  "RU,Russia,RUS,\"Russian,Russians\"\n"
				  "US,United States,USA,\"American,Americans\"\n"
				  "MX,Mexico,MEX,\"Mexican,Mexicans\"\n"
				  "FR,France,FRA,French\n";
	gaz_t *g = NULL;
	err_t e;
	places_hit h;
	places_ctx c;
	CHECK(gaz_parse("test.csv", csv, strlen(csv), &g, &e) == 0);
	if (!g)
		return;
	places_ctx_clear(&c);
	CHECK(places_locate(p, g, &c, "Mexico", 6, &h) == PLACES_COUNTRY);
	CHECK_STR(h.country, "MEX");
	CHECK(places_locate(p, g, &c, "New Mexico", 10, &h) == PLACES_PART);
	CHECK_STR(h.country, "MEX");
	CHECK(places_locate(p, g, &c, "Moscow", 6, &h) == PLACES_PLACE);
	CHECK_STR(h.country, "RUS");
	CHECK(places_locate(p, g, &c, "Atlantis", 8, &h) == PLACES_NONE);
	CHECK_STR(h.country, "");
	CHECK(places_locate(NULL, g, &c, "Moscow", 6, &h) == PLACES_NONE);
	CHECK(places_locate(p, NULL, &c, "Moscow", 6, &h) == PLACES_PLACE);
	/* the article's countries from its words: "American" puts the US in */
	const char *words[] = { "American", "officials", "in", "Paris" };
	tfeat_tok tok[4];
	for (int i = 0; i < 4; i++) {
		tok[i].s = words[i];
		tok[i].len = (uint32_t)strlen(words[i]);
	}
	places_ctx_clear(&c);
	CHECK(places_ctx_scan(&c, p, g, tok, 4) == 1);
	CHECK(places_locate(p, g, &c, "Paris", 5, &h) == PLACES_PLACE);
	CHECK_STR(h.country, "USA");
	/* a place found adds its country: then "Smallville" is French */
	places_ctx_clear(&c);
	CHECK(places_locate(p, g, &c, "France", 6, &h) == PLACES_COUNTRY);
	CHECK(places_locate(p, g, &c, "Smallville", 10, &h) == PLACES_PLACE);
	CHECK_STR(h.country, "FRA");
	gaz_free(g);
}

/* A damaged copy of the model at src (byte at `at` changed, or cut to
 * `cut` bytes when cut > 0) must be refused. */
static void check_refused(const char *src, long at, long cut, const char *name)
{
	static unsigned char buf[1 << 20];
	char path[256];
	places_t *p = NULL;
	err_t e;
	long n = read_all(src, buf, sizeof(buf));
	CHECK(n > 0 && at < n);
	if (n <= 0 || at >= n)
		return;
	if (cut > 0)
		n = cut;
	else
		buf[at] ^= 0x5a;
	path_in(path, sizeof(path), name);
	CHECK(write_file(path, (const char *)buf, (size_t)n) == 0);
	CHECK(places_load(path, &p, &e) < 0);
	CHECK(p == NULL);
	CHECK(strstr(e.msg, name) != NULL);
}

static void test_files(void)
{
	char tsv[256], tsv2[256], out[256], out2[256], bad[256];
	static unsigned char a[1 << 20], b[1 << 20];
	places_t *p = NULL;
	uint32_t n = 0;
	err_t e;

	path_in(tsv, sizeof(tsv), "places.tsv");
	path_in(tsv2, sizeof(tsv2), "reversed.tsv");
	path_in(out, sizeof(out), "places.evm");
	path_in(out2, sizeof(out2), "places2.evm");
	CHECK(write_rows(tsv, 0) == 0 && write_rows(tsv2, 1) == 0);
	CHECK(places_compile(tsv, out, "test rows", &n, &e) == 0);
	CHECK(n == NROWS + 3);
	/* the same rows in another order: the same bytes */
	CHECK(places_compile(tsv2, out2, "test rows", NULL, &e) == 0);
	long na = read_all(out, a, sizeof(a)), nb = read_all(out2, b, sizeof(b));
	CHECK(na > 0 && na == nb && memcmp(a, b, (size_t)na) == 0);

	CHECK(places_load(out, &p, &e) == 0);
	if (p) {
		test_lookup(p);
		test_locate(p);
	}
	places_free(p);
	places_free(NULL);

	/* damaged files: a flipped byte in the gzip stream, a cut file */
	check_refused(out, na / 2, 0, "flipped.evm");
	check_refused(out, 0, na - 9, "cut.evm");
	check_refused(out, 0, na / 3, "cut-more.evm");

	/* a model of another kind, and one whose names are not sorted */
	model_sec sec[1] = { { "XXXX", (unsigned char *)"x", 1 } };
	path_in(bad, sizeof(bad), "tagger.evm");
	CHECK(model_write(bad, "tagger", sec, 1, &e) == 0);
	CHECK(places_load(bad, &p, &e) < 0);
	CHECK(strstr(e.msg, "expected a places model") != NULL);
	static const unsigned char cty[] = { 1, 0, 0, 0, 'F', 'R', 'A' };
	static const unsigned char plac[] = {
		2, 0, 0, 0,              /* two places */
		1, 'b', 1, 'a',          /* names "b", "a": out of order */
		0, 0,                    /* countries */
		0, 0,                    /* admin1 codes, empty */
		1, 0, 0, 0, 1, 0, 0, 0,  /* populations */
		0, 0, 0, 0, 0, 0, 0, 0,  /* latitudes */
		0, 0, 0, 0, 0, 0, 0, 0,  /* longitudes */
		0, 1,                    /* a place, a region */
	};
	static const unsigned char src[] = { 1, 0, 0, 0, 's' };
	model_sec secs[3] = {
		{ "PSRC", (unsigned char *)src, sizeof(src) },
		{ "PCTY", (unsigned char *)cty, sizeof(cty) },
		{ "PLAC", (unsigned char *)plac, sizeof(plac) },
	};
	path_in(bad, sizeof(bad), "unsorted.evm");
	CHECK(model_write(bad, PLACES_KIND, secs, 3, &e) == 0);
	CHECK(places_load(bad, &p, &e) < 0);
	CHECK(strstr(e.msg, "damaged PLAC") != NULL);
	/* the same sorted loads */
	unsigned char ok[sizeof(plac)];
	memcpy(ok, plac, sizeof(plac));
	ok[5] = 'a';
	ok[7] = 'b';
	secs[2].data = ok;
	CHECK(model_write(bad, PLACES_KIND, secs, 3, &e) == 0);
	CHECK(places_load(bad, &p, &e) == 0);
	places_free(p);
	/* the layout before regions (no region column): refused, said so */
	secs[2].len = sizeof(plac) - 2;
	CHECK(model_write(bad, PLACES_KIND, secs, 3, &e) == 0);
	CHECK(places_load(bad, &p, &e) < 0);
	CHECK(strstr(e.msg, "rebuild it with training/places.sh") != NULL);
	secs[2].len = sizeof(plac);
	/* a region mark other than 0 or 1 */
	ok[sizeof(ok) - 1] = 2;
	CHECK(model_write(bad, PLACES_KIND, secs, 3, &e) == 0);
	CHECK(places_load(bad, &p, &e) < 0);
	/* a region with coordinates (the second row's longitude) */
	ok[sizeof(ok) - 1] = 1;
	ok[sizeof(ok) - 3] = 1;
	CHECK(model_write(bad, PLACES_KIND, secs, 3, &e) == 0);
	CHECK(places_load(bad, &p, &e) < 0);
	CHECK(strstr(e.msg, "damaged PLAC") != NULL);
	ok[sizeof(ok) - 3] = 0;
	/* a latitude out of range */
	ok[20] = 0xff;
	ok[21] = 0xff;
	ok[22] = 0xff;
	ok[23] = 0x7f;
	CHECK(model_write(bad, PLACES_KIND, secs, 3, &e) == 0);
	CHECK(places_load(bad, &p, &e) < 0);

	/* bad TSV: file and line named, nothing written */
	path_in(bad, sizeof(bad), "bad.tsv");
	CHECK(write_str(bad, "1\tA\tFRA\t11\t5\t0\t0\n2\tB\tFR\t11\t5\t0\t0\n") == 0);
	path_in(out2, sizeof(out2), "never.evm");
	CHECK(places_compile(bad, out2, "x", NULL, &e) == ERR_FORMAT);
	CHECK(strstr(e.msg, "bad.tsv:2:") != NULL);
	CHECK(access(out2, F_OK) != 0);
	CHECK(write_str(bad, "1\tA\tFRA\t11\n") == 0);
	CHECK(places_compile(bad, out2, "x", NULL, &e) == ERR_FORMAT);
	CHECK(strstr(e.msg, "bad.tsv:1:") != NULL);
	CHECK(write_str(bad, "") == 0);
	CHECK(places_compile(bad, out2, "x", NULL, &e) == ERR_EMPTY);
	CHECK(write_str(bad, "1\tA\tFRA\t11\t5\t9000001\t0\n") == 0);
	CHECK(places_compile(bad, out2, "x", NULL, &e) == ERR_FORMAT);
	/* a region with coordinates; a kind other than P or A */
	CHECK(write_str(bad, "1\tA\tFRA\t11\t5\t0\t0\tP\n0\tB\tFRA\t12\t5\t1\t2\tA\n") == 0);
	CHECK(places_compile(bad, out2, "x", NULL, &e) == ERR_FORMAT);
	CHECK(strstr(e.msg, "bad.tsv:2:") != NULL);
	CHECK(write_str(bad, "1\tA\tFRA\t11\t5\t0\t0\tX\n") == 0);
	CHECK(places_compile(bad, out2, "x", NULL, &e) == ERR_FORMAT);
	CHECK(strstr(e.msg, "bad.tsv:1:") != NULL);
	CHECK(access(out2, F_OK) != 0);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_fold();
	test_files();
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return t_done();
}
