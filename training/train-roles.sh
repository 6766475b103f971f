#!/bin/sh
# Trains models/roles.evm: actor roles (SOURCE TARGET RECIPROCAL) on the
# CAMEO roles corpus twice over plus the VOA roles corpus (real news; the
# CAMEO sentences count twice so that its conventions keep their weight:
# docs/models.md, "Actor roles: the levers"). Neither has a development
# file; L-BFGS runs until the objective stops improving (396 iterations).
# (A 15% held-out part to pick the iteration count, then a refit, was the
# recipe before: the iteration count it picked, and the F1 with it, moved
# with the rounding of the sums; docs/models.md.)
# Word clusters also learn from the (unlabeled) text of the GMB entity
# corpus, and the GloVe word-vector clusters of training/vectors.sh (run
# first when missing) give the vc templates. Run by `make models`; the same
# command and seed write the same bytes.
set -e
: "${CORPORA:=../shared/corpora}"
: "${SHARED:=$(dirname "$CORPORA")/}"
: "${EVTAG:=./evtag}"
: "${EVTAG_CACHE:=$HOME/.cache/evtag}"
R="$CORPORA/roles"
for f in "$R/cameo-roles/train.conll" "$R/voa-roles/train.conll"; do
	[ -f "$f" ] || { echo "train-roles.sh: $f: missing (set CORPORA=DIR)" >&2; exit 1; }
done
VC="$EVTAG_CACHE/glove-clusters.tsv"
[ -f "$VC" ] || EVTAG="$EVTAG" EVTAG_CACHE="$EVTAG_CACHE" sh "$(dirname "$0")/vectors.sh"
export EVTAG_CACHE # the preset reads $EVTAG_CACHE/glove-clusters.tsv
mkdir -p build/roles
MIX=build/roles/recipe.train.conll
cat "$R/cameo-roles/train.conll" "$R/cameo-roles/train.conll" \
	"$R/voa-roles/train.conll" >"$MIX.tmp"
mv "$MIX.tmp" "$MIX"
# --preset roles: --clusters 1
# --templates roles,lvl,lvr,nvl,lw-3,lw+3,cl-2,cl+2,ev.side,ev.w,byagent,
#   vc,vc-1,vc+1,vc-2,vc+2 (--vclusters: the GloVe cluster file from EVTAG_CACHE)
# --rules promote,target (--target-bias 2) --c2 3 --iterations 1000
# --seed 1 --threads 2 (the data files given here)
"$EVTAG" train tagger --preset roles \
	--corpus "$MIX" \
	--gazetteer "$SHARED/gazetteers/countries.csv" \
	--lexicon "$SHARED/lexicons/cameo-verbs.tsv" \
	--cluster-text "$CORPORA/entities/gmb/train.conll" \
	-o models/roles.evm "$@"
