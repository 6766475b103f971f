#!/bin/sh
# evtag score: formats, JSON, conlleval's text, comparisons, seeds, and
# every bad input giving a file:line message and the right exit status.
. tests/cli/lib.sh
F=corpora/eval
T=$T_TMP

json_ok() { python3 -c 'import json,sys; json.load(sys.stdin)' <"$1"; }
# json_get FILE EXPR: prints the Python expression EXPR evaluated on the JSON as d.
json_get() { python3 -c "import json,sys; d=json.load(sys.stdin); print($2)" <"$1"; }

# --- spans: table, JSON, conlleval's own report ---
expect_status 0 "$EVTAG" score "$F/tagged-a.conll"
expect_grep "$T/out" '^overall +66\.67 +80\.00 +72\.73 +5 +6 +4'
expect_grep "$T/out" '^token accuracy 91\.30'
expect_grep "$T/out" 'gold scheme IOB2'

expect_status 0 "$EVTAG" score --json "$F/tagged-a.conll"
cp "$T/out" "$T/a.json"
expect_true "JSON parses" json_ok "$T/a.json"
expect_true "JSON keys" test "$(json_get "$T/a.json" 'sorted(k for k in ("accuracy","micro","macro","weighted","labels","ci95","confusion","scheme","counts","overall") if k in d)')" = "['accuracy', 'ci95', 'confusion', 'counts', 'labels', 'macro', 'micro', 'overall', 'scheme', 'weighted']"
expect_true "JSON LOC support" test "$(json_get "$T/a.json" 'd["labels"]["LOC"]["support"]')" = 3
expect_true "JSON overall f1" test "$(json_get "$T/a.json" 'round(d["overall"]["f1"]*100,2)')" = 72.73
expect_true "JSON ci95 resamples" test "$(json_get "$T/a.json" 'd["ci95"]["resamples"]')" = 1000

# conlleval's own lines, worked out by hand: 23 tokens, 21 right; 5 gold
# phrases, 6 found (the extra ORG "Police"), 4 correct ("Addis Ababa" is cut).
expect_status 0 "$EVTAG" score --conlleval "$F/tagged-a.conll"
cat >"$T/want" <<'EOF'
processed 23 tokens with 5 phrases; found: 6 phrases; correct: 4.
accuracy:  91.30%; precision:  66.67%; recall:  80.00%; FB1:  72.73
              LOC: precision:  66.67%; recall:  66.67%; FB1:  66.67  3
              ORG: precision:  50.00%; recall: 100.00%; FB1:  66.67  2
              PER: precision: 100.00%; recall: 100.00%; FB1: 100.00  1
EOF
expect_true "conlleval text" cmp -s "$T/out" "$T/want"

# The same seed gives the same output, byte for byte; another seed changes the intervals.
"$EVTAG" score --json --seed 99 "$F/tagged-a.conll" >"$T/s1"
"$EVTAG" score --json --seed 99 "$F/tagged-a.conll" >"$T/s2"
"$EVTAG" score --json --seed 98 --bootstrap 200 "$F/events-a.tsv" >"$T/s3"
"$EVTAG" score --json --seed 97 --bootstrap 200 "$F/events-a.tsv" >"$T/s4"
expect_true "same seed, same output" cmp -s "$T/s1" "$T/s2"
expect_true "other seed, other intervals" test "$(json_get "$T/s3" 'd["ci95"]')" != "$(json_get "$T/s4" 'd["ci95"]')"
expect_status 0 "$EVTAG" score --json --bootstrap 0 "$F/tagged-a.conll"
expect_true "no bootstrap, ci95 null" test "$(json_get "$T/out" 'd["ci95"]')" = None

# CoNLL-2003 dev (eng.testa) scored against itself: published conlleval
# runs on this file begin "processed 51578 tokens with 5942 phrases"
# (-DOCSTART- lines count as tokens), with LOC 1837, MISC 922, ORG 1341
# and PER 1842 phrases.
C3="${SHARED%/}/corpora/entities/conll2003/dev.conll"
if [ -f "$C3" ]; then
	awk 'NF == 0 { print; next } { print $0, $NF }' "$C3" >"$T/c3.conll"
	expect_status 0 "$EVTAG" score --conlleval "$T/c3.conll"
	expect_grep "$T/out" '^processed 51578 tokens with 5942 phrases; found: 5942 phrases; correct: 5942\.$'
	expect_grep "$T/out" '^ +LOC: .* 1837$'
	expect_grep "$T/out" '^ +MISC: .* 922$'
	expect_grep "$T/out" '^ +ORG: .* 1341$'
	expect_grep "$T/out" '^ +PER: .* 1842$'
else
	t_bad "missing $C3 (set SHARED)"
fi

# Standard input, format guessed from the content (blank lines: CoNLL).
expect_status 0 sh -c "\"$EVTAG\" score --conlleval - <\"$F/tagged-a.conll\""
expect_true "stdin conlleval text" cmp -s "$T/out" "$T/want"

# A byte-order mark and CRLF line ends change nothing.
printf '\357\273\277-DOCSTART-\r\n\r\nx B-A B-A\r\ny O B-A\r\n' >"$T/bom.conll"
expect_status 0 "$EVTAG" score --conlleval "$T/bom.conll"
expect_grep "$T/out" '^processed 2 tokens with 1 phrases; found: 2 phrases; correct: 1\.$'
printf '\357\273\277A\tA\r\nB\tA\r\n' >"$T/bom.tsv"
expect_status 0 "$EVTAG" score --json "$T/bom.tsv"
expect_true "BOM not in label" test "$(json_get "$T/out" 'sorted(d["labels"])')" = "['A', 'B']"

# --- classification ---
expect_status 0 "$EVTAG" score --json "$F/events-a.tsv"
cp "$T/out" "$T/c.json"
expect_true "TSV JSON parses" json_ok "$T/c.json"
expect_true "accuracy 6/8" test "$(json_get "$T/c.json" 'd["accuracy"]')" = 0.75
expect_true "confusion matrix" test "$(json_get "$T/c.json" 'd["confusion"]["matrix"][3]')" = "[0, 1, 0, 2]"
expect_true "calibration bins" test "$(json_get "$T/c.json" 'len(d["calibration"]["bins"])')" = 10
expect_true "ece" test "$(json_get "$T/c.json" 'round(d["calibration"]["ece"]*100000)')" = 27875
expect_status 0 "$EVTAG" score "$F/events-nop.tsv"
expect_grep "$T/out" '^accuracy 75\.00'
expect_no_grep "$T/out" 'calibration'
printf 'A,B\tA\nB\tB,C\n' >"$T/m.tsv"
expect_status 0 "$EVTAG" score --json "$T/m.tsv"
expect_true "multi-label" test "$(json_get "$T/out" 'd["kind"], d["example"]["recall"]')" = "multi-label 0.75"

# --- comparison ---
expect_status 0 "$EVTAG" score --json --compare "$F/tagged-a.conll" "$F/tagged-a.conll"
expect_true "identical: p = 1, difference 0" test "$(json_get "$T/out" 'd["compare"]["metrics"]["micro_f1"]["p_value"], d["compare"]["metrics"]["micro_f1"]["difference"]')" = "1 0"
expect_status 0 "$EVTAG" score --compare "$F/tagged-b.conll" "$F/tagged-a.conll"
expect_grep "$T/out" '^micro_f1 +72\.73 +80\.00 +\+7\.27'
expect_status 0 "$EVTAG" score --json --compare "$F/events-nop.tsv" "$F/events-a.tsv"
expect_true "TSV compare" test "$(json_get "$T/out" 'd["compare"]["metrics"]["accuracy"]["p_value"]')" = 1

# --- bad input: exit 1 with file:line ---
printf 'a B-X B-X\nb O\n' >"$T/short.conll"
expect_status 1 "$EVTAG" score --format conll "$T/short.conll"
expect_grep "$T/err" 'short\.conll:2: .*columns'
printf 'a B-X B-X\nb PER O\n' >"$T/tag.conll"
expect_status 1 "$EVTAG" score "$T/tag.conll"
expect_grep "$T/err" "tag\.conll:2: unknown tag form 'PER'"
expect_status 0 "$EVTAG" score --raw "$T/tag.conll"
: >"$T/empty.conll"
expect_status 1 "$EVTAG" score "$T/empty.conll"
expect_grep "$T/err" 'empty\.conll: no tokens'
: >"$T/empty.tsv"
expect_status 1 "$EVTAG" score "$T/empty.tsv"
expect_grep "$T/err" 'empty\.tsv: no examples'
head -n 12 "$F/tagged-b.conll" >"$T/part.conll"
expect_status 1 "$EVTAG" score --compare "$T/part.conll" "$F/tagged-a.conll"
expect_grep "$T/err" 'tokens'
sed 's/^Kenya NNP B-LOC/Kenya NNP B-ORG/' "$F/tagged-a.conll" >"$T/gold.conll"
expect_status 1 "$EVTAG" score --compare "$T/gold.conll" "$F/tagged-a.conll"
expect_grep "$T/err" 'gold\.conll:3: gold tag'
head -n 5 "$F/events-a.tsv" >"$T/part.tsv"
expect_status 1 "$EVTAG" score --compare "$T/part.tsv" "$F/events-a.tsv"
expect_grep "$T/err" '8 examples.*5'
printf 'A\tB\t1.7\n' >"$T/prob.tsv"
expect_status 1 "$EVTAG" score --format tsv "$T/prob.tsv"
expect_grep "$T/err" 'prob\.tsv:1: probability'
printf 'A\tB\nC\n' >"$T/cols.tsv"
expect_status 1 "$EVTAG" score "$T/cols.tsv"
expect_grep "$T/err" 'cols\.tsv:2: 1 columns'
printf 'A\tB\n\tB\n' >"$T/nolabel.tsv"
expect_status 1 "$EVTAG" score "$T/nolabel.tsv"
expect_grep "$T/err" 'nolabel\.tsv:2: empty gold label'
expect_status 1 "$EVTAG" score "$T/does-not-exist.conll"
expect_grep "$T/err" 'does-not-exist'
expect_status 1 "$EVTAG" score --conlleval "$F/events-a.tsv"

# --- usage errors: exit 2 ---
expect_status 2 "$EVTAG" score
expect_status 2 "$EVTAG" score --bootstrap -1 "$F/tagged-a.conll"
expect_status 2 "$EVTAG" score --bootstrap many "$F/tagged-a.conll"
expect_status 2 "$EVTAG" score --format xml "$F/tagged-a.conll"
expect_status 2 "$EVTAG" score --scheme bio "$F/tagged-a.conll"
expect_status 2 "$EVTAG" score --json --conlleval "$F/tagged-a.conll"
expect_status 2 "$EVTAG" score "$F/tagged-a.conll" "$F/tagged-b.conll"
expect_status 0 "$EVTAG" score --help
expect_grep "$T/out" '--compare'
expect_status 2 "$EVTAG" eval
expect_status 2 "$EVTAG" eval classifier "$F/events-tiny.tsv"
expect_status 2 "$EVTAG" eval classifier --model m.evm
expect_status 1 "$EVTAG" eval classifier --model "$T/missing.evm" "$F/events-tiny.tsv"
expect_grep "$T/err" 'missing\.evm'

# --- eval classifier: a tiny model trained here, scored on its own data ---
expect_status 0 "$EVTAG" train classifier -q --no-probability --min-df 1 --corpus "$F/events-tiny.tsv" -o "$T/tiny.evm"
expect_status 0 "$EVTAG" eval classifier --json --bootstrap 50 --model "$T/tiny.evm" "$F/events-tiny.tsv"
expect_true "eval classifier JSON" json_ok "$T/out"
expect_true "eval classifier figures" test "$(json_get "$T/out" 'd["counts"]["examples"], d["data"].endswith("events-tiny.tsv"), len(d["labels"])')" = "12 True 3"
expect_status 0 "$EVTAG" eval classifier --json --bootstrap 50 --model "$T/tiny.evm" --compare "$T/tiny.evm" "$F/events-tiny.tsv"
expect_true "same model twice: p = 1" test "$(json_get "$T/out" 'd["compare"]["metrics"]["macro_f1"]["p_value"], d["compare"]["metrics"]["macro_f1"]["difference"]')" = "1 0"
expect_status 2 "$EVTAG" eval parser x

# --- eval tagger: a tiny model trained here; its score equals tagging the
# file with `evtag tag --conll` and scoring that with `evtag score` ---
awk 'NF == 0 { print ""; next } { print $1 "\t" $3 }' "$F/tagged-a.conll" >"$T/gold.conll"
expect_status 0 "$EVTAG" train tagger -q --iterations 30 --patience 0 --corpus "$T/gold.conll" -o "$T/tiny-tagger.evm"
expect_status 0 "$EVTAG" eval tagger --json --bootstrap 50 --model "$T/tiny-tagger.evm" "$T/gold.conll"
expect_true "eval tagger JSON" json_ok "$T/out"
expect_true "eval tagger counts" test "$(json_get "$T/out" 'd["counts"]["tokens"], d["counts"]["sentences"], d["counts"]["phrases"], d["kind"]')" = "23 3 5 spans"
expect_status 0 "$EVTAG" eval tagger --conlleval --model "$T/tiny-tagger.evm" "$T/gold.conll"
cp "$T/out" "$T/eval.txt"
"$EVTAG" tag --conll --model "$T/tiny-tagger.evm" "$T/gold.conll" >"$T/tagged.conll"
expect_status 0 "$EVTAG" score --conlleval "$T/tagged.conll"
expect_true "eval tagger = tag + score" cmp -s "$T/out" "$T/eval.txt"
expect_status 0 "$EVTAG" eval tagger --json --bootstrap 50 --model "$T/tiny-tagger.evm" --compare "$T/tiny-tagger.evm" "$T/gold.conll"
expect_true "same tagger twice: p = 1" test "$(json_get "$T/out" 'd["compare"]["metrics"]["micro_f1"]["p_value"], d["compare"]["metrics"]["micro_f1"]["difference"]')" = "1 0"
expect_status 2 "$EVTAG" eval tagger "$T/gold.conll"
expect_status 1 "$EVTAG" eval tagger --model "$T/missing.evm" "$T/gold.conll"
expect_status 1 "$EVTAG" eval tagger --model "$T/tiny-tagger.evm" "$T/empty.conll"

# --- training/error-sample.py: a tagger's errors in groups, for reading ---
# tagged-a.conll's two errors (the cut "Addis Ababa", the extra "Police"),
# each a group; a split gold name against one predicted span is one group.
expect_status 0 python3 training/error-sample.py "$F/tagged-a.conll" 1 10
expect_grep "$T/err" '^2 error groups$'
expect_true "two groups" test "$(grep -c '^[0-9]' "$T/out")" = 2
expect_grep "$T/out" '^	GOLD Addis Ababa:LOC$'
expect_grep "$T/out" '^	PRED Addis:LOC$'
expect_grep "$T/out" '^	GOLD -$'
expect_grep "$T/out" '^	PRED Police:ORG$'
printf 'Prime\tB-PER\tB-PER\nMinister\tO\tI-PER\nRecep\tB-PER\tI-PER\nErdogan\tI-PER\tI-PER\nspoke\tO\tO\n\nHe\tO\tO\n' >"$T/title.conll"
expect_status 0 python3 training/error-sample.py "$T/title.conll"
expect_grep "$T/err" '^1 error groups$'
expect_grep "$T/out" '^	GOLD Prime:PER \| Recep Erdogan:PER$'
expect_grep "$T/out" '^	PRED Prime Minister Recep Erdogan:PER$'
# the same seed, the same sample; a line without both tags is refused
python3 training/error-sample.py "$F/tagged-a.conll" 7 1 >"$T/s1" 2>/dev/null
python3 training/error-sample.py "$F/tagged-a.conll" 7 1 >"$T/s2" 2>/dev/null
expect_true "same seed, same sample" cmp -s "$T/s1" "$T/s2"
printf 'Kenya\tB-LOC\tB-LOC\nNairobi\tB-LOC\n' >"$T/short.conll"
expect_status 1 python3 training/error-sample.py "$T/short.conll"
expect_grep "$T/err" 'short\.conll:2: fewer than three columns'
printf 'Kenya\tB-LOC\tB-LOC\n\377\tO\tO\n' >"$T/latin.conll"
expect_status 1 python3 training/error-sample.py "$T/latin.conll"
expect_grep "$T/err" 'latin\.conll:2: not UTF-8'
expect_status 1 python3 training/error-sample.py "$T/short.conll" one
expect_grep "$T/err" 'SEED and COUNT are whole numbers'

t_done
