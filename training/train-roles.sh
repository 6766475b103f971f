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
# --preset roles: --holdout 0.15 --refit --clusters 1
# --templates roles,lvl,lvr,nvl,lw-3,lw+3,cl-2,cl+2 --c2 3 --iterations 400
# --patience 20 --seed 1 --threads 2 (the data files given here)
"$EVTAG" train tagger --preset roles \
	--corpus "$CORPORA/roles/cameo-roles/train.conll" \
	--gazetteer "$SHARED/gazetteers/countries.csv" \
	--lexicon "$SHARED/lexicons/cameo-verbs.tsv" \
	--cluster-text "$CORPORA/entities/gmb/train.conll" \
	-o models/roles.evm "$@"
