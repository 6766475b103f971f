#!/bin/sh
# One dialect: every command's --help is read, and an option shared by
# several commands has one spelling (the same short letter, or none) and one
# meaning (the same kind of value). `evtag help CMD` prints what
# `evtag CMD --help` prints.
T_NAME=test_dialect
. tests/cli/lib.sh

CMDS="classify|split|tag|predict|train tagger|train classifier|eval tagger|eval classifier|score|vectors cluster"

# Every command's options as "command<TAB>-s<TAB>--long<TAB>METAVAR".
: >"$T_TMP/opts"
IFS='|'
for c in $CMDS; do
	IFS=' '
	# shellcheck disable=SC2086
	expect_status 0 "$EVTAG" $c --help
	cp "$T_TMP/out" "$T_TMP/help"
	# shellcheck disable=SC2086
	expect_status 0 "$EVTAG" help $c
	expect_true "'evtag help $c' equals 'evtag $c --help'" cmp -s "$T_TMP/out" "$T_TMP/help"
	sed -n '/^Options:/,$p' "$T_TMP/help" | awk -v cmd="$c" '
		/^ +-/ {
			s = "-"; l = ""; m = "-"
			if ($1 ~ /^-[^-],$/) { s = substr($1, 1, 2); l = $2; m = $3 }
			else { l = $1; m = $2 }
			if (m !~ /^[A-Z][A-Z0-9|]*$/) m = "-"
			print cmd "\t" s "\t" l "\t" m
		}' >>"$T_TMP/opts"
	IFS='|'
done
IFS=' '
expect_true "options read from every command's help" test "$(wc -l <"$T_TMP/opts")" -gt 60

# A long name has one short letter everywhere (or none everywhere), and a
# short letter names one long option everywhere. Two pairs share a letter
# on purpose: -m is the model (a file, or classify's folder of models) and
# -k the K of predict's top K and of vectors' K clusters (whose --top N,
# the N most frequent words, has no letter).
awk -F'\t' '
	($2 == "-m" && $3 == "--models") || ($2 == "-k" && $3 == "--k") { next }
	$1 == "vectors cluster" && $3 == "--top" { next }
	{ if (($3 in s) && s[$3] != $2) { print $3 ": " s[$3] " in " c[$3] ", " $2 " in " $1; bad = 1 }
	  s[$3] = $2; c[$3] = $1
	  if ($2 != "-") { if (($2 in l) && l[$2] != $3) { print $2 ": " l[$2] " in " d[$2] ", " $3 " in " $1; bad = 1 }
	                   l[$2] = $3; d[$2] = $1 } }
	END { exit bad }' "$T_TMP/opts" >"$T_TMP/clash"
expect_true "one spelling per option: $(cat "$T_TMP/clash")" test ! -s "$T_TMP/clash"

# The shared options, by what they mean.
has() { grep -q "$(printf '^%s\t%s\t%s\t%s$' "$1" "$2" "$3" "$4")" "$T_TMP/opts"; }
expect_true "classify -j is --threads N" has classify -j --threads N
expect_true "train tagger -j is --threads N" has "train tagger" -j --threads N
expect_true "score --json has no short letter" has score - --json -
expect_true "eval tagger --json has no short letter" has "eval tagger" - --json -
expect_true "eval classifier --json has no short letter" has "eval classifier" - --json -
expect_true "classify -t is --threshold P" has classify -t --threshold P
expect_true "predict -t is --threshold P" has predict -t --threshold P
expect_true "tag -t is --threshold P" has tag -t --threshold P
expect_true "classify --jsonl is a flag" has classify - --jsonl -
expect_true "split --jsonl is a flag" has split - --jsonl -
expect_true "-s is --seed everywhere it exists" test -z "$(awk -F'\t' '($2 == "-s") != ($3 == "--seed")' "$T_TMP/opts")"
expect_true "-q is --quiet everywhere it exists" test -z "$(awk -F'\t' '$2 == "-q" && $3 != "--quiet"' "$T_TMP/opts")"
expect_true "-j is --threads everywhere it exists" test -z "$(awk -F'\t' '$2 == "-j" && $3 != "--threads"' "$T_TMP/opts")"
expect_true "--progress is a flag with no letter wherever it exists" \
	test -z "$(awk -F'\t' '$3 == "--progress" && ($2 != "-" || $4 != "-")' "$T_TMP/opts")"
expect_true "--threads always takes N" test -z "$(awk -F'\t' '$3 == "--threads" && $4 != "N"' "$T_TMP/opts")"
expect_true "--threshold always takes P" test -z "$(awk -F'\t' '$3 == "--threshold" && $4 != "P"' "$T_TMP/opts")"
expect_true "no command spells the threshold --min-score (but as a deprecated alias)" \
	test -z "$(grep -e '--min-score' "$T_TMP/opts" | grep -v '^tag	')"

# The JSON outputs name the article doc, the sentence sent, and give
# code-point offsets as start/end (bytes only as byte_start/byte_end).
printf 'date 2020-10-09 «Émile» Zola visited Paris on Monday.\n' >"$T_TMP/a.txt"
expect_status 0 "$EVTAG" tag --model models/entities.evm --text "$T_TMP/a.txt"
cp "$T_TMP/out" "$T_TMP/tag.json"
expect_status 0 "$EVTAG" classify "$T_TMP/a.txt"
cp "$T_TMP/out" "$T_TMP/classify.json"
expect_status 0 "$EVTAG" split "$T_TMP/a.txt"
cp "$T_TMP/out" "$T_TMP/split.json"
expect_status 0 "$EVTAG" split --bytes "$T_TMP/a.txt"
cp "$T_TMP/out" "$T_TMP/split-bytes.json"
if command -v python3 >/dev/null 2>&1; then
	expect_status 0 python3 -c '
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()[len("date 2020-10-09 "):]
full = open(sys.argv[1], encoding="utf-8").read()
raw = full.encode("utf-8")
def walk(o, where):
    if isinstance(o, dict):
        for k in ("id", "sentence", "cstart", "cend"):
            if k in o: sys.exit("%s: field %r (doc, sent, start/end instead)" % (where, k))
        if "start" in o and "text" in o and isinstance(o["text"], str):
            if full[o["start"]:o["end"]] != o["text"]: sys.exit("%s: start/end are not code points: %r" % (where, o))
        if "byte_start" in o and "text" in o:
            if raw[o["byte_start"]:o["byte_end"]].decode("utf-8") != o["text"]: sys.exit("%s: bad byte offsets" % where)
        for v in o.values(): walk(v, where)
    elif isinstance(o, list):
        for v in o: walk(v, where)
for f in sys.argv[2:]:
    n = 0
    for line in open(f, encoding="utf-8"):
        r = json.loads(line); n += 1
        if "doc" not in r or "sent" not in r: sys.exit("%s: no doc or sent: %s" % (f, line))
        walk(r, f)
    if n == 0: sys.exit(f + ": no output")
' "$T_TMP/a.txt" "$T_TMP/tag.json" "$T_TMP/classify.json" "$T_TMP/split.json" "$T_TMP/split-bytes.json"
fi
expect_grep "$T_TMP/split-bytes.json" '"byte_start":[0-9]+,"byte_end":[0-9]+'
expect_no_grep "$T_TMP/split-bytes.json" '"start":'

t_done
