#!/bin/sh
# models/penta.evm: CAMEO PentaClass event classifier (STATEMENT,
# VERBAL_COOPERATION, MATERIAL_COOPERATION, VERBAL_CONFLICT,
# MATERIAL_CONFLICT) trained on events/cameo-penta/train.tsv. Features and
# C as measured (docs/models.md): words + bigrams, capitalised
# names masked, negation cues, the CAMEO lexicon compiled in; C chosen by
# 5-fold cross-validation; seed 1. Run by `make models` (CORPORA, SHARED,
# EVTAG set there); from the repository root: sh training/train-penta.sh
set -e
: "${CORPORA:=../shared/corpora}"
: "${SHARED:=$(dirname "$CORPORA")/}"
: "${EVTAG:=./evtag}"
L="${SHARED%/}/lexicons"
mkdir -p models
# --preset penta: --features words,bigrams,lexicon,negation,maskcaps
# --c auto --c-grid 1,3,10 --folds 5 --seed 1 (the lexicons given here)
"$EVTAG" train classifier --preset penta \
	--corpus "$CORPORA/events/cameo-penta/train.tsv" -o models/penta.evm \
	--lexicon-verbs "$L/cameo-verbs.tsv" --lexicon-patterns "$L/cameo-patterns.tsv"
