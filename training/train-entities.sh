#!/bin/sh
# Trains models/entities.evm: entity tagger (PER ORG LOC NORP DATE MISC) on
# the Groningen Meaning Bank, with dev for early stopping. Run by
# `make models` (CORPORA, SHARED and EVTAG set by make).
set -e
: "${CORPORA:=../shared/corpora}"
: "${SHARED:=$(dirname "$CORPORA")/}"
: "${EVTAG:=./evtag}"
# --preset entities: --templates default --clusters 1 --c1 0.1 --c2 1
# --iterations 200 --patience 20 --seed 1 --threads 2 (the gazetteer given here)
"$EVTAG" train tagger --preset entities \
	--corpus "$CORPORA/entities/gmb/train.conll" \
	--dev "$CORPORA/entities/gmb/dev.conll" \
	--gazetteer "$SHARED/gazetteers/countries.csv" \
	-o models/entities.evm "$@"
