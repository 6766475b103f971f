#!/bin/sh
# The README's figures stay true: the scores it gives in bold for the
# four shipped models (test sets; the PLOVER model's real-news dev part) are what `evtag eval` measures on them now, and
# its full example output of `evtag classify` on the sample article is
# what evtag prints now. A retrained model fails this until the README is
# updated with it.
T_NAME=test_readme
. tests/cli/lib.sh

C="$SHARED/corpora"
MODELS="${EVTAG_MODELS:-$PWD/models}"
ART="$SHARED/samples/article-2020-10-09.txt"

# f1 KIND MODEL DATA KEY: the F1 of the KEY group (micro or macro) in
# percent with two decimals, as the README prints it.
f1() {
	"$EVTAG" eval "$1" --model "$2" --bootstrap 0 --json "$3" 2>"$T_TMP/err" |
		sed -n "s/.*\"$4\":{[^}]*\"f1\":\([0-9.e-]*\).*/\1/p" |
		awk '{ printf "%.2f", $1 * 100 }'
}

# check MODEL DATA KIND KEY: the README row of MODEL gives, in bold, the
# figure that eval measures on DATA.
check() {
	model=$1; data=$2; kind=$3; key=$4
	case $data in build/*) ;; *) data="$C/$data" ;; esac
	if [ ! -f "$MODELS/$model.evm" ] || [ ! -f "$data" ]; then
		t_bad "$model: $MODELS/$model.evm or $data is missing"; return
	fi
	got=$(f1 "$kind" "$MODELS/$model.evm" "$data" "$key")
	want=$(grep "^| \`models/$model.evm\`" README.md | head -n 1 |
		sed -n 's/[^*]*\*\*\([0-9.]*\)\*\*.*/\1/p')
	if [ -n "$got" ] && [ "$got" = "$want" ]; then t_ok
	else t_bad "$model on $data: eval gives '$got', the README says '$want'"; fi
}

check entities entities/gmb/test.conll tagger micro
check roles roles/cameo-roles/test.conll tagger micro
check penta events/cameo-penta/test.tsv classifier macro
# the PLOVER model's figure is on the VOA dev part (training/event-data.sh)
[ -f build/events/voa.dev.tsv ] || CORPORA="$C" OUT=build/events sh training/event-data.sh 2>/dev/null
check plover build/events/voa.dev.tsv classifier macro

# the README's full example output (the ```json block after "The full
# output of") against what classify prints now
awk '/The full output of <code>evtag classify/ { f = 1; next }
     f && /^```json/ { p = 1; next }
     p && /^```/ { exit }
     p' README.md >"$T_TMP/readme.json"
expect_true "the README has the full example output" test -s "$T_TMP/readme.json"
EVTAG_MODELS="$MODELS" "$EVTAG" classify "$ART" 2>"$T_TMP/err" |
	sed 's|"doc":"[^"]*"|"doc":"../shared/samples/article-2020-10-09.txt"|' >"$T_TMP/now.json"
if cmp -s "$T_TMP/readme.json" "$T_TMP/now.json"; then t_ok
else t_bad "the README's example output differs from 'evtag classify $ART': $(diff "$T_TMP/readme.json" "$T_TMP/now.json" | head -c 600)"; fi
t_done
