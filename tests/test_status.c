/* Tests of status: the negated, hypothetical and reported flags on
 * hand-made sentences whose answers are stated here, the scope rules,
 * the codebook's type rules, the event verb finder, and bad input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "features/status.h"
#include "text/tok.h"
#include "t.h"

/* Flags of sentence s as "NHR" ('1' or '0' each), with PLOVER type plover
 * (NULL: unknown); "ERR" when status_find fails. f gets the result. */
static const char *flags(const char *s, const char *plover, status_flags *f)
{
	static char out[4];
	tok_doc d = { 0 };
	err_t e;
	status_flags tmp;
	if (!f)
		f = &tmp;
	if (tok_split(&d, s, strlen(s), 0, TOK_ONE_SENTENCE, &e) < 0 ||
	    status_find(s, strlen(s), d.tok, d.ntok, plover, STATUS_NO_VERB, f, &e) < 0) {
		tok_doc_free(&d);
		return "ERR";
	}
	out[0] = f->negated ? '1' : '0';
	out[1] = f->hypothetical ? '1' : '0';
	out[2] = f->reported ? '1' : '0';
	out[3] = '\0';
	tok_doc_free(&d);
	return out;
}

/* The text of the event verb status_find used in s, or "-". */
static const char *verb_of(const char *s, const char *plover)
{
	static char out[64];
	tok_doc d = { 0 };
	err_t e;
	long v;
	if (tok_split(&d, s, strlen(s), 0, TOK_ONE_SENTENCE, &e) < 0)
		return "ERR";
	v = status_event_verb(s, d.tok, d.ntok, plover);
	if (v < 0)
		snprintf(out, sizeof(out), "-");
	else
		snprintf(out, sizeof(out), "%.*s", (int)(d.tok[v].end - d.tok[v].start),
			 s + d.tok[v].start);
	tok_doc_free(&d);
	return out;
}

static void test_negated(void)
{
	/* positive */
	CHECK_STR(flags("Troops did not attack the village.", NULL, NULL), "100");
	CHECK_STR(flags("The army never fired on the crowd.", NULL, NULL), "100");
	CHECK_STR(flags("Police didn't arrest anyone.", NULL, NULL), "100");
	CHECK_STR(flags("Police denied that they fired on protesters.", NULL, NULL), "100");
	CHECK_STR(flags("Police denied that they fired on protesters.", "ASSAULT", NULL), "100");
	CHECK_STR(flags("The two sides failed to sign the agreement.", NULL, NULL), "100");
	CHECK_STR(flags("Parliament has not yet ratified the treaty.", NULL, NULL), "100");
	/* negative */
	CHECK_STR(flags("Troops attacked the village.", NULL, NULL), "000");
	CHECK_STR(flags("Rebels killed three soldiers near the border.", NULL, NULL), "000");
	/* scope: a relative clause does not govern the main verb */
	CHECK_STR(flags("The rebels, who did not surrender, attacked the town.", NULL, NULL), "000");
	/* scope: "but" ends the clause of the cue */
	CHECK_STR(flags("The talks did not collapse, but rebels attacked the town.", "ASSAULT", NULL),
		  "000");
	/* scope: a cue far before the verb does not reach it */
	CHECK_STR(flags("He did not know when the army attacked the rebels in the north.", "ASSAULT",
			NULL), "000");
	/* "not only" is no negation */
	CHECK_STR(flags("They not only attacked the base.", NULL, NULL), "000");
	/* codebook: a refusal or denial is the REJECT event itself */
	CHECK_STR(flags("Syria denied involvement in the attacks.", "REJECT", NULL), "000");
	CHECK_STR(flags("Iran said it will not negotiate with the envoy.", "REJECT", NULL), "001");
}

static void test_hypothetical(void)
{
	/* positive */
	CHECK_STR(flags("Troops may attack the town.", NULL, NULL), "010");
	CHECK_STR(flags("The government plans to deploy more troops.", NULL, NULL), "010");
	CHECK_STR(flags("If talks fail, the army will attack.", NULL, NULL), "010");
	CHECK_STR(flags("The leaders are expected to meet next week.", NULL, NULL), "010");
	CHECK_STR(flags("The union called for a strike.", NULL, NULL), "010");
	CHECK_STR(flags("Washington urged Israel to withdraw its troops.", NULL, NULL), "010");
	CHECK_STR(flags("Iran threatened to expel the inspectors.", NULL, NULL), "010");
	/* negative */
	CHECK_STR(flags("The leaders met in Geneva on Monday.", NULL, NULL), "000");
	CHECK_STR(flags("Israel withdrew its troops.", NULL, NULL), "000");
	/* scope: a modal in a relative clause does not govern */
	CHECK_STR(flags("The soldiers, who could see the town, attacked it.", NULL, NULL), "000");
	/* codebook: THREATEN and REQUEST are always hypothetical */
	CHECK_STR(flags("Rebels sent a letter to the governor.", "THREATEN", NULL), "010");
	CHECK_STR(flags("The opposition wrote to parliament.", "REQUEST", NULL), "010");
	/* a negation inside a request is not a negated event */
	CHECK_STR(flags("He urged people not to attack the police.", "REQUEST", NULL), "010");
}

static void test_reported(void)
{
	status_flags f;
	/* positive */
	CHECK_STR(flags("The minister said troops would withdraw.", NULL, NULL), "011");
	CHECK_STR(flags("Troops withdrew, the minister said.", NULL, &f), "001");
	CHECK(f.rep_cue == 5);
	CHECK_STR(flags("According to police, rebels attacked the convoy.", NULL, NULL), "001");
	CHECK_STR(flags("Officials say rebels attacked the convoy.", NULL, NULL), "001");
	CHECK_STR(flags("Rebels reportedly attacked the convoy.", NULL, NULL), "001");
	CHECK_STR(flags("\"We attacked the base,\" a rebel commander told reporters.", NULL, NULL),
		  "001");
	CHECK_STR(flags("A spokesman told reporters that troops did not fire.", NULL, NULL), "101");
	/* negative */
	CHECK_STR(flags("Rebels attacked the convoy on Sunday.", NULL, NULL), "000");
	/* scope: a reporting verb in a relative clause, or in another clause */
	CHECK_STR(flags("The rebels, who said they were hungry, attacked the town.", NULL, NULL),
		  "000");
	CHECK_STR(flags("Rebels attacked the town; the mayor said nothing.", NULL, NULL), "000");
}

static void test_scores(void)
{
	status_flags f;
	flags("Troops did not attack the village.", NULL, &f);
	CHECK(f.neg_score >= 0.5 && f.neg_score <= 1);
	CHECK(f.neg_cue == 2);
	CHECK(f.verb == 3);
	CHECK(f.hyp_score == 0 && f.hyp_cue == -1);
	CHECK(f.rep_score == 0 && f.rep_cue == -1);
	/* a cue out of scope gives a low, non-zero score */
	flags("The rebels, who did not surrender, attacked the town.", NULL, &f);
	CHECK(f.neg_score > 0 && f.neg_score < 0.5);
	/* the type rule has no cue */
	flags("Rebels sent a letter to the governor.", "THREATEN", &f);
	CHECK_NEAR(f.hyp_score, 1.0, 1e-9);
	CHECK(f.hyp_cue == -1);
	/* "NONE" is no type */
	CHECK_STR(flags("Rebels sent a letter to the governor.", "NONE", NULL), "000");
}

static void test_verbs(void)
{
	CHECK_STR(verb_of("Police denied that they fired on protesters.", NULL), "fired");
	CHECK_STR(verb_of("Police denied that they fired on protesters.", "REJECT"), "denied");
	CHECK_STR(verb_of("Officials said rebels attacked the convoy.", NULL), "attacked");
	CHECK_STR(verb_of("The minister met rebels who attacked the convoy.", "ASSAULT"), "attacked");
	CHECK_STR(verb_of("The weather was warm.", NULL), "-");
	CHECK_STR(verb_of("", NULL), "-");
	CHECK(status_event_verb(NULL, NULL, 3, NULL) == STATUS_NO_VERB);
}

static void test_edges(void)
{
	status_flags f;
	err_t e;
	tok_token t[2] = { { 0, 3, 0, 3 }, { 4, 99, 4, 99 } };
	const char *s = "not attacked";

	/* empty and one-token sentences */
	CHECK_STR(flags("", NULL, NULL), "000");
	CHECK_STR(flags("Not", NULL, NULL), "000");
	CHECK_STR(flags("Attacked", "ASSAULT", NULL), "000");
	CHECK_STR(flags("If", NULL, NULL), "000");
	CHECK(status_find(NULL, 0, NULL, 0, NULL, STATUS_NO_VERB, &f, &e) == 0);
	CHECK(f.verb == STATUS_NO_VERB && !f.negated && f.neg_cue == -1);
	/* invalid input: errors, no crash */
	CHECK(status_find(s, strlen(s), t, 2, NULL, STATUS_NO_VERB, &f, &e) == ERR_ARG);
	CHECK(f.neg_score == 0 && f.verb == STATUS_NO_VERB);
	CHECK(status_find(s, strlen(s), t, 1, NULL, 5, &f, &e) == ERR_ARG);
	CHECK(status_find(s, strlen(s), t, 1, NULL, -2, &f, &e) == ERR_ARG);
	CHECK(status_find(NULL, 0, t, 1, NULL, STATUS_NO_VERB, &f, &e) == ERR_ARG);
	CHECK(status_find(s, strlen(s), NULL, 1, NULL, STATUS_NO_VERB, &f, &e) == ERR_ARG);
	CHECK(status_find(s, strlen(s), t, 1, NULL, STATUS_NO_VERB, NULL, &e) == ERR_ARG);
	CHECK(status_find(s, strlen(s), t, 1, NULL, STATUS_NO_VERB, &f, NULL) == 0);
	/* a given verb is used */
	t[1].end = 12;
	CHECK(status_find(s, strlen(s), t, 2, NULL, 1, &f, &e) == 0);
	CHECK(f.verb == 1 && f.negated == 1 && f.neg_cue == 0);
	/* a long token, odd bytes and a long sentence */
	const char *odd = "Xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx \xe2\x80\x9d not \" \" ;";
	CHECK(strcmp(flags(odd, NULL, NULL), "ERR") != 0);
	size_t n = 20000;
	char *big = malloc(n + 1);
	if (big) {
		for (size_t i = 0; i < n; i += 4)
			memcpy(big + i, i % 8 ? "not " : "who ", 4);
		big[n] = '\0';
		CHECK(strcmp(flags(big, "ASSAULT", NULL), "ERR") != 0);
		free(big);
	}
}

int main(void)
{
	test_negated();
	test_hypothetical();
	test_reported();
	test_scores();
	test_verbs();
	test_edges();
	return t_done();
}
