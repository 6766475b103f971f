#!/bin/sh
# Trains models/entities.evm: entity tagger (PER ORG LOC NORP DATE MISC) on
# the Groningen Meaning Bank, with dev for early stopping. Run by
# `make models` (CORPORA, SHARED and EVTAG set by make). Needs the GloVe
# word clusters of training/vectors.sh (run first when missing).
set -e
: "${CORPORA:=../shared/corpora}"
: "${SHARED:=$(dirname "$CORPORA")/}"
: "${EVTAG:=./evtag}"
: "${EVTAG_CACHE:=$HOME/.cache/evtag}"
: "${OUT:=models/entities.evm}"
VC="$EVTAG_CACHE/glove-clusters.tsv"
[ -f "$VC" ] || EVTAG="$EVTAG" EVTAG_CACHE="$EVTAG_CACHE" sh "$(dirname "$0")/vectors.sh"
export EVTAG_CACHE # the preset reads $EVTAG_CACHE/glove-clusters.tsv
# --preset entities: --templates default,vc,vc-1,vc+1 --clusters 1 --c1 0.1
# --c2 1 --iterations 200 --patience 20 --seed 1 --threads 2 (the gazetteer
# given here; the GloVe cluster file from EVTAG_CACHE)
"$EVTAG" train tagger --preset entities \
	--corpus "$CORPORA/entities/gmb/train.conll" \
	--dev "$CORPORA/entities/gmb/dev.conll" \
	--gazetteer "$SHARED/gazetteers/countries.csv" \
	-o "$OUT" "$@"
