#!/bin/sh
# Progress of long runs, on standard error only. classify --progress: a
# line with the articles done, articles/s and the share of the input read
# (time left while it runs), ended before the summary line; standard output
# byte for byte the same with and without it, on one and two threads; none
# when stderr is not a terminal unless --progress is given, and shown on a
# terminal (a pseudo-terminal from `script`, when there is one) without
# it; --quiet drops it unless --progress is given. train tagger --progress
# prints a line per iteration with the objective and the dev F1; train
# classifier --progress its messages even with --quiet.
T_NAME=test_progress
. tests/cli/lib.sh
MODELS="${EVTAG_MODELS:-$PWD/models}"
T="$T_TMP"

# training: a small tagger corpus (the first 150 GMB dev sentences)
CONLL="${SHARED}corpora/entities/gmb/dev.conll"
if [ -f "$CONLL" ]; then
	awk 'BEGIN { n = 0 } { print } /^$/ { if (++n == 150) exit }' "$CONLL" >"$T/small.conll"
	expect_status 0 "$EVTAG" train tagger --corpus "$T/small.conll" --dev "$T/small.conll" \
		--iterations 3 --threads 1 -o "$T/t.evm" --progress
	expect_grep "$T/err" '^iter +1  objective [0-9.e+-]+  dev F1 [0-9.]+ \(best [0-9.]+ @1\)'
	expect_grep "$T/err" '^iter +3  objective '
	expect_grep "$T/err" '^trained on 150 sentences'
	expect_true "train tagger --progress wrote to stdout" test ! -s "$T/out"
	# -q --progress: the iterations, no summary; -q alone and no terminal: nothing
	expect_status 0 "$EVTAG" train tagger --corpus "$T/small.conll" --dev "$T/small.conll" \
		--iterations 2 --threads 1 -o "$T/t.evm" -q --progress
	expect_grep "$T/err" '^iter +2  objective '
	expect_no_grep "$T/err" '^trained on'
	expect_status 0 "$EVTAG" train tagger --corpus "$T/small.conll" --dev "$T/small.conll" \
		--iterations 2 --threads 1 -o "$T/t.evm"
	expect_no_grep "$T/err" '^iter '
	expect_grep "$T/err" '^trained on 150 sentences'
else
	echo "$T_NAME: SKIPPED the tagger training checks: no $CONLL" >&2
fi

# a small classifier corpus: three labels with their own words
awk 'BEGIN {
	srand(3)
	split("attack shell bomb strike kill", a, " ")
	split("meet talk negotiate visit host", b, " ")
	for (i = 0; i < 300; i++) {
		k = i % 2; s = ""
		for (j = 0; j < 10; j++)
			s = s " " ((rand() < 0.4) ? (k ? a[int(rand()*5)+1] : b[int(rand()*5)+1]) : "w" int(rand()*100))
		print (k ? "ASSAULT" : "CONSULT") "\t" s
	}
}' >"$T/train.tsv"
expect_status 0 "$EVTAG" train classifier -q --progress --corpus "$T/train.tsv" --c auto \
	--min-df 1 -o "$T/c.evm"
expect_grep "$T/err" 'C=[0-9.e+-]+: 5-fold macro-F1 [0-9.]+'
expect_no_grep "$T/err" 'wrote '
expect_status 0 "$EVTAG" train classifier -q --corpus "$T/train.tsv" --min-df 1 -o "$T/c.evm"
expect_true "train classifier -q printed: $(head -c 300 "$T/err")" test ! -s "$T/err"

for m in entities roles plover penta; do
	if [ ! -f "$MODELS/$m.evm" ]; then
		echo "$T_NAME: SKIPPED the classify checks: no shipped models in $MODELS" >&2
		t_done; exit $?
	fi
done
export EVTAG_MODELS="$MODELS"

# 40 articles: the JSON lines of the test data, ten times, with new ids
for i in 0 1 2 3 4 5 6 7 8 9; do
	sed "s/\"id\": *\"/\"id\":\"r$i-/" tests/cli/data/records.jsonl
done >"$T/many.jsonl"
n=$(wc -l <"$T/many.jsonl")
expect_status 0 "$EVTAG" classify "$T/many.jsonl"
cp "$T/out" "$T/plain.out"
cp "$T/err" "$T/plain.err"
expect_true "no progress without --progress when stderr is not a terminal" \
	test "$(wc -l <"$T/plain.err")" = 1
for j in 1 2; do
	expect_status 0 "$EVTAG" classify --progress --threads $j "$T/many.jsonl"
	expect_true "stdout with --progress -j $j differs" cmp -s "$T/out" "$T/plain.out"
	# the last progress line (all articles, the whole input) ends before the summary
	expect_true "progress then summary (-j $j): $(tail -n 2 "$T/err")" sh -c "
		tail -n 2 '$T/err' | head -n 1 | grep -Eq '^evtag classify: $n articles, [0-9.]+ articles/s, 100% of the input, [0-9]+s so far\$' &&
		tail -n 1 '$T/err' | grep -Eq '^evtag classify: $n articles, [0-9]+ sentences, '"
done
expect_no_grep "$T/out" "articles/s"
# --quiet --progress: the progress line alone; --quiet: nothing
expect_status 0 "$EVTAG" classify -q --progress "$T/many.jsonl"
expect_true "classify -q --progress: $(cat "$T/err")" sh -c "
	[ \$(wc -l <'$T/err') = 1 ] && grep -q 'articles/s' '$T/err'"
expect_status 0 "$EVTAG" classify -q "$T/many.jsonl"
expect_true "classify -q printed: $(head -c 300 "$T/err")" test ! -s "$T/err"
# from a pipe the size is unknown: no share of the input, no time left
cat "$T/many.jsonl" | "$EVTAG" classify --jsonl --progress >"$T/out" 2>"$T/err"
expect_true "stdout from a pipe with --progress differs" cmp -s "$T/out" "$T/plain.out"
expect_grep "$T/err" "^evtag classify: $n articles, [0-9.]+ articles/s, [0-9]+s so far\$"
expect_no_grep "$T/err" "of the input"

# on a terminal it is on by default: stderr on a pseudo-terminal from
# util-linux's script, stdout into a file
if command -v script >/dev/null 2>&1 && script -qc true /dev/null >/dev/null 2>&1; then
	script -qc "'$EVTAG' classify '$T/many.jsonl' >'$T/tty.out'" "$T/tty.log" >/dev/null 2>&1
	expect_true "stdout on a terminal run differs" cmp -s "$T/tty.out" "$T/plain.out"
	tr '\r' '\n' <"$T/tty.log" >"$T/tty.err"
	expect_grep "$T/tty.err" "^evtag classify: $n articles, [0-9.]+ articles/s, 100% of the input"
	expect_grep "$T/tty.err" "^evtag classify: $n articles, [0-9]+ sentences"
else
	echo "$T_NAME: SKIPPED the terminal check: no working script(1) (util-linux)" >&2
fi
t_done
