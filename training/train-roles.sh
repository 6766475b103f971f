#!/bin/sh
# Trains models/roles.evm: actor roles (SOURCE TARGET RECIPROCAL) on the
# CAMEO roles corpus. It has no development file, so 15% of the training
# sentences (seeded) are held out to find the iteration count, then the
# model is retrained on all of them (--refit). Word clusters also learn
# from the (unlabeled) text of the GMB entity corpus. Run by `make models`.
set -e
: "${CORPORA:=../shared/corpora}"
: "${SHARED:=$(dirname "$CORPORA")/}"
: "${EVTAG:=./evtag}"
"$EVTAG" train tagger \
	--corpus "$CORPORA/roles/cameo-roles/train.conll" \
	--holdout 0.15 --refit \
	--gazetteer "$SHARED/gazetteers/countries.csv" \
	--lexicon "$SHARED/lexicons/cameo-verbs.tsv" \
	--clusters 1 --cluster-text "$CORPORA/entities/gmb/train.conll" \
	--templates roles,lvl,lvr,nvl,lw-3,lw+3,cl-2,cl+2 \
	--c2 3 --iterations 400 --patience 20 \
	--seed 1 --threads 2 \
	-o models/roles.evm "$@"
