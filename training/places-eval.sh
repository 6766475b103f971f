#!/bin/sh
# The share of LOC entities that get a country, without and with the place
# table (docs/evaluation.md#places):
#   - on the sample article ../shared/samples/article-2020-10-09.txt;
#   - on the GMB entity test file (corpora/entities/gmb/test.conll): its
#     tokens joined by spaces, each sentence an article of its own (the
#     file marks no article boundaries, so a sentence is all the context a
#     place gets), coded by `evtag classify`: the LOC entities are those
#     models/entities.evm tags, not the gold ones.
# "Without" is the same models folder minus places.evm (a copy made of
# links), i.e. country names from the gazetteer only.
# Needs ./evtag and models/ with places.evm. From the repository root:
#   sh training/places-eval.sh
set -e
: "${CORPORA:=../shared/corpora}"
: "${SHARED:=$(dirname "$CORPORA")/}"
: "${EVTAG:=./evtag}"
: "${MODELS:=models}"
ART="${SHARED}samples/article-2020-10-09.txt"
GMB="$CORPORA/entities/gmb/test.conll"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
M=$(cd "$MODELS" && pwd)
[ -f "$M/places.evm" ] || { echo "places-eval.sh: no $M/places.evm (sh training/places.sh)" >&2; exit 1; }
mkdir "$T/noplaces"
for f in entities.evm roles.evm plover.evm penta.evm; do ln -s "$M/$f" "$T/noplaces/$f"; done
python3 - "$GMB" >"$T/gmb.jsonl" <<'PY'
import json, sys
toks, n = [], 0
def flush():
    global toks, n
    if toks:
        print(json.dumps({"id": "gmb-test-%d" % n, "text": " ".join(toks)}, ensure_ascii=False))
        n += 1
    toks = []
for line in open(sys.argv[1], encoding="utf-8"):
    f = line.rstrip("\n").split("\t")
    if len(f) < 2:
        flush()
    else:
        toks.append(f[0])
flush()
PY
share() { # FILE: LOC entities with a country / all, and those with coordinates
	python3 - "$1" <<'PY'
import json, sys
n = c = g = 0
for line in open(sys.argv[1], encoding="utf-8"):
    for l in json.loads(line)["location"]:
        n += 1
        c += l["country"] is not None
        g += l.get("lat") is not None
print("%d of %d LOC entities with a country (%.1f%%), %d with coordinates" % (c, n, 100.0 * c / max(n, 1), g))
PY
}
for what in sample gmb; do
	if [ $what = sample ]; then in="$ART"; else in="$T/gmb.jsonl"; fi
	"$EVTAG" classify -q --models "$T/noplaces" "$in" >"$T/before.json"
	"$EVTAG" classify -q --models "$M" "$in" >"$T/after.json"
	echo "$what, gazetteer only:    $(share "$T/before.json")"
	echo "$what, with places.evm:   $(share "$T/after.json")"
done
