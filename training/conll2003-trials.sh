#!/bin/sh
# The CoNLL-2003 trials of docs/models.md ("Gazetteers, conjunctions and
# document features, measured on dev"), chosen without reading dev.conll
# or test.conll: entities/conll2003/train.conll is split by document
# (-DOCSTART- blocks): document i is held out when the i-th draw of a
# Park-Miller generator seeded with SEED (default 1) falls below 0.15, so
# the split is the same with any awk. Each row trains the recipe of
# training/train-conll2003.sh (--preset entities, 10% of the training
# sentences held out for early stopping; the script now also refits, as
# the row doc-refit does) on the other documents and scores
# the held-out ones (micro-F1). Writes into OUT (default build/conll2003;
# never committed); prints NAME, the F1 and the options. About a minute a
# row on two cores; not run by make.
#
#   sh training/conll2003-trials.sh            every row
#   sh training/conll2003-trials.sh base doc   the rows named
set -e
: "${CORPORA:=../shared/corpora}"
: "${SHARED:=$(dirname "$CORPORA")/}"
: "${EVTAG:=./evtag}"
: "${OUT:=build/conll2003}"
: "${SEED:=1}"
: "${EVTAG_CACHE:=$HOME/.cache/evtag}"
C="$CORPORA/entities/conll2003/train.conll"
[ -f "$C" ] || { echo "conll2003-trials.sh: $C: missing (set CORPORA=DIR)" >&2; exit 1; }
VC="$EVTAG_CACHE/glove-clusters.tsv"
[ -f "$VC" ] || EVTAG="$EVTAG" EVTAG_CACHE="$EVTAG_CACHE" sh "$(dirname "$0")/vectors.sh"
export EVTAG_CACHE # the preset reads $EVTAG_CACHE/glove-clusters.tsv
D="$OUT/trials"
mkdir -p "$D"
awk -v seed="$SEED" -v tr="$D/train.conll.tmp" -v ho="$D/held.conll.tmp" '
	BEGIN { x = seed % 2147483647; if (x <= 0) x += 2147483646; held = 0 }
	/^-DOCSTART-/ { x = (x * 16807) % 2147483647; held = x / 2147483647 < 0.15 }
	{ if (held) print > ho; else print > tr }' "$C"
mv "$D/train.conll.tmp" "$D/train.conll"
mv "$D/held.conll.tmp" "$D/held.conll"
row() {
	name=$1; shift
	m="$D/$name.evm"
	nice "$EVTAG" train tagger --preset entities --corpus "$D/train.conll" --holdout 0.1 \
		--gazetteer "$SHARED/gazetteers/countries.csv" -o "$m" -q "$@"
	f=$("$EVTAG" eval tagger --model "$m" --bootstrap 0 "$D/held.conll" | awk '$1 == "overall" { print $4 }')
	printf '%s\theld-out documents %s\t%s\n' "$name" "$f" "$*"
}
ALL=" $* "
run() { case "$ALL" in "  " | *" $1 "*) row "$@" ;; esac; }
T=default,vc,vc-1,vc+1 # the entities preset's templates
run base --templates "$T"
run doc --templates "$T,doc"
run doc-c2-0.3 --templates "$T,doc" --c2 0.3
run doc-cl2 --templates "$T,doc,cl-2,cl+2"
run doc-vc2 --templates "$T,doc,vc-2,vc+2"
run doc-vc2-c2-0.3 --templates "$T,doc,vc-2,vc+2" --c2 0.3
run doc-refit --templates "$T,doc" --refit
run doc-conv --templates "$T,doc" --holdout 0 --iterations 1000
