#!/bin/sh
# Trains a CoNLL-2003 entity tagger (PER ORG LOC MISC) the same way as
# models/entities.evm (--preset entities: the same templates, word-vector
# clusters, gazetteer and regularisation; and the document template,
# since CoNLL has documents), so that evtag's entity model can
# be set beside the published CoNLL-2003 figures. CoNLL-2003 is for
# research use only: the model goes to build/ (OUT), is never shipped and
# never committed. 10% of train (seeded) is held out to choose the
# iteration count, and the model is then trained again on all of train for
# that many iterations (--refit; chosen on held-out train documents,
# training/conll2003-trials.sh doc-refit), so dev is never used to choose;
# prints dev F1 (and test F1 when
# $CORPORA/entities/conll2003/test.conll exists) with bootstrap intervals.
# From the repository root: sh training/train-conll2003.sh [train options]
set -e
: "${CORPORA:=../shared/corpora}"
: "${SHARED:=$(dirname "$CORPORA")/}"
: "${EVTAG:=./evtag}"
: "${OUT:=build/conll2003}"
: "${EVTAG_CACHE:=$HOME/.cache/evtag}"
C="$CORPORA/entities/conll2003"
VC="$EVTAG_CACHE/glove-clusters.tsv"
[ -f "$VC" ] || EVTAG="$EVTAG" EVTAG_CACHE="$EVTAG_CACHE" sh "$(dirname "$0")/vectors.sh"
export EVTAG_CACHE # the preset reads $EVTAG_CACHE/glove-clusters.tsv
mkdir -p "$OUT"
# The entities preset plus the document template "doc" (a capitalised
# word's form and how the rest of its -DOCSTART- document spells it:
# docs/models.md, "Document features, measured on held-out CoNLL train");
# `--templates default,vc,vc-1,vc+1` gives the recipe without it.
"$EVTAG" train tagger --preset entities --templates default,vc,vc-1,vc+1,doc \
	--corpus "$C/train.conll" --holdout 0.1 --refit \
	--gazetteer "$SHARED/gazetteers/countries.csv" \
	-o "$OUT/conll2003.evm" "$@"
for part in dev test; do
	[ -f "$C/$part.conll" ] || continue
	echo "== CoNLL-2003 $part ($C/$part.conll)"
	"$EVTAG" eval tagger --model "$OUT/conll2003.evm" --bootstrap 1000 "$C/$part.conll"
done
