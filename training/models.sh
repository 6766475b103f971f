#!/bin/sh
# make models: retrains every shipped model from the public corpora with
# the recorded commands and seeds. Each training/train-*.sh trains one
# model; CORPORA (default ../shared/corpora) and EVTAG are set by make.
set -e
: "${CORPORA:=../shared/corpora}"
: "${SHARED:=$(dirname "$CORPORA")/}"
: "${EVTAG:=./evtag}"
export CORPORA SHARED EVTAG
[ -d "$CORPORA" ] || { echo "make models: no corpora at $CORPORA (set CORPORA=DIR)" >&2; exit 1; }
for s in training/train-*.sh; do
	[ -f "$s" ] || continue
	# research-only data: trained on request, never a shipped model
	case $s in *train-conll2003.sh) continue ;; esac
	echo "== $s" >&2
	sh "$s"
done
# the place table: GeoNames data, no training (needs npm and node)
echo "== training/places.sh" >&2
sh training/places.sh
# the agents list (a word list, not trained): compiled from the shared
# OEDA dictionary and training/agents-extra.txt
echo "== training/agents.sh" >&2
sh training/agents.sh
