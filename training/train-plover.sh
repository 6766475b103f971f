#!/bin/sh
# models/plover.evm: PLOVER event-type classifier (16 types) trained on
# events/plover-synthetic/train.tsv; choices made on dev.tsv (README,
# section models): training unit = each of the first 3 sentences of a
# story with the story's label (users classify single sentences), words,
# lexicon, negation, lead-sentence features, names masked, no bigrams
# (they learn the headline templates), C = 0.3, label = the one-vs-one
# vote winner (probabilities are still calibrated); seed 1. Run by
# `make models` (CORPORA, SHARED, EVTAG set there); from the repository
# root: sh training/train-plover.sh
set -e
: "${CORPORA:=../shared/corpora}"
: "${SHARED:=$(dirname "$CORPORA")/}"
: "${EVTAG:=./evtag}"
L="${SHARED%/}/lexicons"
P="$CORPORA/events/plover-synthetic"
mkdir -p models
"$EVTAG" train classifier \
	--corpus "$P/train.tsv" --dev "$P/dev.tsv" -o models/plover.evm \
	--unit sentence --max-sentences 3 \
	--features words,lexicon,negation,lead,maskcaps \
	--lexicon-verbs "$L/cameo-verbs.tsv" --lexicon-patterns "$L/cameo-patterns.tsv" \
	--decision votes --c 0.3 --seed 1
