#!/bin/sh
# Trains models/entities.evm: entity tagger (PER ORG LOC NORP DATE MISC) on
# the Groningen Meaning Bank, with dev for early stopping. Run by
# `make models` (CORPORA, SHARED and EVTAG set by make).
set -e
: "${CORPORA:=../shared/corpora}"
: "${SHARED:=$(dirname "$CORPORA")/}"
: "${EVTAG:=./evtag}"
"$EVTAG" train tagger \
	--corpus "$CORPORA/entities/gmb/train.conll" \
	--dev "$CORPORA/entities/gmb/dev.conll" \
	--gazetteer "$SHARED/gazetteers/countries.csv" \
	--templates default --clusters 1 \
	--c1 0.1 --c2 1 --iterations 200 --patience 20 \
	--seed 1 --threads 2 \
	-o models/entities.evm "$@"
