# evtag train tagger / evtag tag on a tiny fixture corpus: training,
# CoNLL and text output, and the errors users can cause.
. tests/cli/lib.sh
FIX=corpora/tiny-entities.conll
M=$T_TMP/tiny.evm

expect_status 0 "$EVTAG" train tagger --corpus $FIX --dev $FIX -o "$M" --c2 0.01 --seed 3
expect_grep "$T_TMP/err" 'best dev F1 100.00'
expect_true "model written" test -s "$M"
expect_true "model names its format" sh -c "gzip -dc '$M' | head -1 | grep -q '^evtag-model 1 tagger'"

# CoNLL in, the same lines with the predicted tag appended
expect_status 0 "$EVTAG" tag --model "$M" $FIX
expect_grep "$T_TMP/out" "^John	B-PER	B-PER$"
expect_grep "$T_TMP/out" "^York	I-LOC	I-LOC$"
expect_true "one output line per token" test "$(grep -c . "$T_TMP/out")" = "$(grep -v DOCSTART $FIX | grep -c .)"
# from standard input, a single column
cut -f1 $FIX | grep -v DOCSTART > "$T_TMP/tokens.txt"
expect_status 0 sh -c "\"$EVTAG\" tag --model '$M' < '$T_TMP/tokens.txt'"
expect_grep "$T_TMP/out" "^Paris B-LOC$"

# text in, JSON lines with offsets out
printf 'date 2020-10-09 John Smith visited Paris. Mary lives in London.\n' > "$T_TMP/a.txt"
expect_status 0 "$EVTAG" tag --model "$M" "$T_TMP/a.txt"
expect_grep "$T_TMP/out" '"type":"PER","text":"John Smith","start":16,"end":26'
expect_grep "$T_TMP/out" '"date":"2020-10-09"'
expect_grep "$T_TMP/out" '"score":(0|1|0\.[0-9]+)[,}]'
expect_grep "$T_TMP/out" '^\{"doc":"[^"]*a\.txt","date":"2020-10-09","sent":0,'
expect_grep "$T_TMP/out" '"start":16,"end":26,"byte_start":16,"byte_end":26,'
expect_status 0 "$EVTAG" tag --model "$M" --text --threshold 1 "$T_TMP/a.txt"
expect_no_grep "$T_TMP/out" '"score":0'
expect_status 0 "$EVTAG" tag --model "$M" --text -t 1 "$T_TMP/a.txt"
expect_no_grep "$T_TMP/out" '"score":0'
# the old spelling stays as a deprecated alias
expect_status 0 "$EVTAG" tag --model "$M" --text --min-score 1 "$T_TMP/a.txt"
expect_no_grep "$T_TMP/out" '"score":0'
expect_status 2 "$EVTAG" tag --model "$M" --threshold 2 "$T_TMP/a.txt"
# code points, not bytes, under start/end: "Émile" is 6 bytes, 5 code points
printf 'Émile Zola visited Paris.\n' > "$T_TMP/u.txt"
expect_status 0 "$EVTAG" tag --model "$M" --text "$T_TMP/u.txt"
expect_grep "$T_TMP/out" '"text":"Paris","start":19,"end":24,"byte_start":20,"byte_end":25,'


# training is reproducible: same seed, same file
expect_status 0 "$EVTAG" train tagger --corpus $FIX -o "$T_TMP/again.evm" --c2 0.01 --seed 3 --dev $FIX -q
gzip -dc "$T_TMP/again.evm" > "$T_TMP/b.raw"
expect_true "same model twice" sh -c "gzip -dc '$M' | cmp -s - '$T_TMP/b.raw'"

# usage errors: exit 2
expect_status 2 "$EVTAG" tag
expect_grep "$T_TMP/err" 'model is required'
expect_status 2 "$EVTAG" train tagger --corpus $FIX
expect_status 2 "$EVTAG" train tagger --corpus $FIX -o "$T_TMP/x.evm" --method svm
expect_status 2 "$EVTAG" train tagger --corpus $FIX -o "$T_TMP/x.evm" --templates w,nosuch
expect_status 2 "$EVTAG" train tagger --corpus $FIX -o "$T_TMP/x.evm" --c2 -1
# the target rule's bias: only with --rules target, and from 0 to 100
expect_status 2 "$EVTAG" train tagger --corpus $FIX -o "$T_TMP/x.evm" --target-bias 1
expect_grep "$T_TMP/err" "needs --rules target"
expect_status 2 "$EVTAG" train tagger --corpus $FIX -o "$T_TMP/x.evm" --rules target --target-bias -1
expect_status 2 "$EVTAG" train tagger --corpus $FIX -o "$T_TMP/x.evm" --rules promote,nosuch
expect_true "no model written after usage errors" test ! -e "$T_TMP/x.evm"
expect_status 0 "$EVTAG" tag --help
expect_grep "$T_TMP/out" 'Usage: evtag tag'
expect_status 0 "$EVTAG" train tagger --help

# runtime errors: exit 1 with a clear message
printf 'John B-PER\nSmith\n' > "$T_TMP/bad.conll"
expect_status 1 "$EVTAG" train tagger --corpus "$T_TMP/bad.conll" -o "$T_TMP/x.evm"
expect_grep "$T_TMP/err" 'bad.conll:2: expected at least 2 columns'
printf 'John XX-PER\n' > "$T_TMP/bad2.conll"
expect_status 1 "$EVTAG" train tagger --corpus "$T_TMP/bad2.conll" -o "$T_TMP/x.evm"
expect_grep "$T_TMP/err" "bad2.conll:1: bad tag 'XX-PER'"
expect_true "no model left behind" test ! -e "$T_TMP/x.evm"
: > "$T_TMP/empty.conll"
expect_status 1 "$EVTAG" train tagger --corpus "$T_TMP/empty.conll" -o "$T_TMP/x.evm"
expect_grep "$T_TMP/err" 'no sentences'
expect_status 1 "$EVTAG" tag --model "$T_TMP/nonexistent.evm" $FIX
expect_status 1 "$EVTAG" tag --model $FIX $FIX
head -c 300 "$M" > "$T_TMP/trunc.evm"
expect_status 1 "$EVTAG" tag --model "$T_TMP/trunc.evm" $FIX
expect_grep "$T_TMP/err" 'trunc.evm'
expect_status 1 "$EVTAG" tag --model "$M" "$T_TMP/nonexistent.conll"
t_done
