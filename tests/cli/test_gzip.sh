#!/bin/sh
# Input as people keep it: gzip-compressed articles, corpora and
# predictions (found by their magic bytes) give the same output as the
# uncompressed files in every command that reads them; a damaged or cut
# gzip file is an error that names the file; an empty article is reported
# with its file and line and counted; classify ends with a summary line on
# stderr unless --quiet.
T_NAME=test_gzip
. tests/cli/lib.sh
T=$T_TMP
M=models

# same NAME CMD...: CMD on the plain file and on its .gz give the same
# stdout and exit status 0 (the file's path is @IN@, swapped for each).
same() {
	name=$1; in=$2; shift 2
	a=$(for x in "$@"; do [ "$x" = @IN@ ] && printf '%s\n' "$in" || printf '%s\n' "$x"; done)
	b=$(for x in "$@"; do [ "$x" = @IN@ ] && printf '%s\n' "$in.gz" || printf '%s\n' "$x"; done)
	# shellcheck disable=SC2046
	(IFS='
'; "$EVTAG" $a >"$T/plain.out" 2>"$T/plain.err"; echo $? >"$T/plain.rc")
	# shellcheck disable=SC2046
	(IFS='
'; "$EVTAG" $b >"$T/gz.out" 2>"$T/gz.err"; echo $? >"$T/gz.rc")
	expect_true "$name: the plain file runs (exit $(cat "$T/plain.rc")): $(head -c 300 "$T/plain.err")" \
		test "$(cat "$T/plain.rc")" = 0
	expect_true "$name: the .gz runs (exit $(cat "$T/gz.rc")): $(head -c 300 "$T/gz.err")" \
		test "$(cat "$T/gz.rc")" = 0
	expect_true "$name: some output" test -s "$T/plain.out"
	# the article id of a plain-text file is its name
	sed "s|$in\.gz|$in|g" "$T/gz.out" >"$T/gz.named"
	expect_true "$name: .gz output equals the plain file's" cmp -s "$T/plain.out" "$T/gz.named"
}

# A batch of articles as JSON lines, with non-ASCII text and an id each.
cat >"$T/news.jsonl" <<'EOF'
{"id": "a1", "date": "2020-10-09", "text": "Russia accused Ukraine of shelling Donetsk. The ministry said talks would resume in Moscow."}
{"id": "a2", "date": "2020-10-10", "text": "Armenia and Azerbaijan agreed to a ceasefire in Moscow after talks hosted by Sergueï Lavrov."}
{"id": "a3", "text": "Protesters in Minsk demanded new elections; police detained dozens."}
EOF
gzip -9 -k -n "$T/news.jsonl"
cp "$SHARED/samples/article-2020-10-09.txt" "$T/article.txt"
gzip -k -n "$T/article.txt"

same "classify JSON lines" "$T/news.jsonl" classify @IN@
expect_true "classify: one record per sentence at least" test "$(wc -l <"$T/gz.out")" -ge 4
expect_grep "$T/gz.out" '"doc":"a2"'
same "classify --jsonl -f tsv" "$T/news.jsonl" classify --jsonl -f tsv @IN@
same "classify a plain-text article" "$T/article.txt" classify -f text @IN@
same "classify -j 2" "$T/news.jsonl" classify -j 2 @IN@
same "split" "$T/news.jsonl" split @IN@
same "split a plain article" "$T/article.txt" split @IN@
same "tag --text" "$T/news.jsonl" tag --model "$M/entities.evm" --text @IN@
# the format of a .gz file is guessed from its content, as for plain files
same "tag (format guessed)" "$T/article.txt" tag --model "$M/entities.evm" @IN@

# a corpus: predictions, evaluation, scoring and training
head -n 60 "$SHARED/corpora/events/cameo-penta/test.tsv" >"$T/dev.tsv"
gzip -k -n "$T/dev.tsv"
same "predict" "$T/dev.tsv" predict --model "$M/penta.evm" @IN@
same "eval classifier" "$T/dev.tsv" eval classifier --model "$M/penta.evm" --bootstrap 0 @IN@
"$EVTAG" predict --model "$M/penta.evm" "$T/dev.tsv" | cut -f1 | paste "$T/dev.tsv" - | cut -f1,3 >"$T/pred.tsv"
gzip -k -n "$T/pred.tsv"
same "score (format sniffed, then rewound)" "$T/pred.tsv" score --bootstrap 0 @IN@
awk 'NR <= 400' "$SHARED/corpora/entities/conll2003/dev.conll" >"$T/small.conll"
# end on a sentence boundary
awk 'BEGIN { RS = ""; ORS = "\n\n" } NR <= 12' "$T/small.conll" >"$T/s.conll"
gzip -k -n "$T/s.conll"
same "tag CoNLL" "$T/s.conll" tag --model "$M/entities.evm" --conll @IN@
same "eval tagger" "$T/s.conll" eval tagger --model "$M/entities.evm" --bootstrap 0 @IN@

awk -F'\t' 'NR <= 300' "$SHARED/corpora/events/cameo-penta/train.tsv" >"$T/train.tsv"
gzip -k -n "$T/train.tsv"
expect_status 0 "$EVTAG" train classifier -q --corpus "$T/train.tsv" -o "$T/plain.evm"
expect_status 0 "$EVTAG" train classifier -q --corpus "$T/train.tsv.gz" -o "$T/gz.evm"
expect_true "train classifier: the same model from a .gz corpus" cmp -s "$T/plain.evm" "$T/gz.evm"
expect_status 0 "$EVTAG" train tagger -q --corpus "$T/s.conll" --iterations 3 -j 1 -o "$T/plain-t.evm"
expect_status 0 "$EVTAG" train tagger -q --corpus "$T/s.conll.gz" --iterations 3 -j 1 -o "$T/gz-t.evm"
expect_true "train tagger: the same model from a .gz corpus" cmp -s "$T/plain-t.evm" "$T/gz-t.evm"

# concatenated gzip members are one stream (cat a.gz b.gz)
cat "$T/news.jsonl.gz" "$T/news.jsonl.gz" >"$T/twice.jsonl.gz"
cat "$T/news.jsonl" "$T/news.jsonl" >"$T/twice.jsonl"
expect_status 0 "$EVTAG" split "$T/twice.jsonl"
cp "$T/out" "$T/twice.plain"
expect_status 0 "$EVTAG" split "$T/twice.jsonl.gz"
expect_true "two gzip members read as one file" cmp -s "$T/out" "$T/twice.plain"

# score sniffs the format and rewinds: also across two gzip members
head -n 30 "$T/pred.tsv" | gzip -n >"$T/two.tsv.gz"
tail -n +31 "$T/pred.tsv" | gzip -n >>"$T/two.tsv.gz"
expect_status 0 "$EVTAG" score --bootstrap 0 "$T/two.tsv.gz"
sed 1d "$T/out" >"$T/two.out"
expect_status 0 "$EVTAG" score --bootstrap 0 "$T/pred.tsv"
sed 1d "$T/out" >"$T/one.out"
expect_true "score: two gzip members, rewound, as the plain file" cmp -s "$T/two.out" "$T/one.out"

# a cut or damaged gzip file is an error naming the file, not a shorter input
gzip -c "$SHARED/corpora/events/cameo-penta/train.tsv" >"$T/full.tsv.gz"
head -c 20000 "$T/full.tsv.gz" >"$T/cut.tsv.gz"
expect_status 1 "$EVTAG" predict --model "$M/penta.evm" "$T/cut.tsv.gz"
expect_grep "$T/err" 'cut\.tsv\.gz:[0-9]+: read error'
expect_status 1 "$EVTAG" train classifier -q --corpus "$T/cut.tsv.gz" -o "$T/never.evm"
expect_grep "$T/err" 'cut\.tsv\.gz'
expect_true "no model from a cut corpus" test ! -e "$T/never.evm"
head -c 200 "$T/news.jsonl.gz" >"$T/cut.jsonl.gz"
expect_status 1 "$EVTAG" classify "$T/cut.jsonl.gz"
expect_grep "$T/err" 'cut\.jsonl\.gz'
printf '\037\213garbage, not deflate data\n' >"$T/bad.txt"
expect_status 1 "$EVTAG" split "$T/bad.txt"
expect_grep "$T/err" 'bad\.txt'

# empty articles are reported with file and line, counted; the summary
printf '{"id": "e1", "text": ""}\n{"id": "e2", "text": "   "}\n{"id": "ok", "text": "Russia attacked Ukraine."}\n' >"$T/some-empty.jsonl"
gzip -k -n "$T/some-empty.jsonl"
: >"$T/empty.txt"
for f in some-empty.jsonl some-empty.jsonl.gz; do
	expect_status 0 "$EVTAG" classify "$T/$f"
	expect_grep "$T/err" "$f:1: empty article"
	expect_grep "$T/err" "$f:2: empty article"
	expect_grep "$T/err" '^evtag classify: 3 articles, 1 sentences, [01] events, 2 skipped$'
	expect_true "$f: one record" test "$(wc -l <"$T/out")" = 1
done
expect_status 0 "$EVTAG" classify "$T/empty.txt"
expect_grep "$T/err" 'empty\.txt:1: empty article'
expect_grep "$T/err" '1 articles, 0 sentences, 0 events, 1 skipped$'
expect_status 0 "$EVTAG" classify --quiet "$T/news.jsonl.gz"
expect_true "--quiet: nothing on stderr" test ! -s "$T/err"
expect_status 0 "$EVTAG" classify -q "$T/some-empty.jsonl"
expect_no_grep "$T/err" 'articles,'
expect_status 0 "$EVTAG" classify "$T/news.jsonl.gz"
expect_grep "$T/err" '^evtag classify: 3 articles, [0-9]+ sentences, [0-9]+ events, 0 skipped$'
expect_true "the summary is the only line on stderr" test "$(wc -l <"$T/err")" = 1
# an unreadable article (bad JSON) is skipped, counted and exits 1
printf '{"id": "x", "text": \n{"id": "y", "text": "Russia attacked Ukraine."}\n' >"$T/badline.jsonl"
expect_status 1 "$EVTAG" classify "$T/badline.jsonl"
expect_grep "$T/err" 'badline\.jsonl:1'
expect_grep "$T/err" '2 articles, 1 sentences, [01] events, 1 skipped$'

t_done
