#!/bin/sh
# How often actors (sources and targets) get an agent type:
#  1. on the sample article, as `evtag classify` codes it (predicted roles);
#  2. on roles/cameo-roles/test.conll with the gold role spans (the rule of
#     classify applied to each gold span: training/agents_eval.c), with
#     the shipped models/agents.txt and with the OEDA dictionary alone
#     (without training/agents-extra.txt);
#  3. on the same test sentences coded by `evtag classify` (predicted role
#     spans; each sentence an article of its own).
# Needs `make` (build/evtag, build/libevtag.a) and the shared folder.
#   sh training/agents-eval.sh
set -e
: "${SHARED:=../shared}"
: "${CORPORA:=$SHARED/corpora}"
EVTAG=${EVTAG:-build/evtag}
CC=${CC:-cc}
TEST=$CORPORA/roles/cameo-roles/test.conll
ART=$SHARED/samples/article-2020-10-09.txt
mkdir -p build/training
# the intermediate files go to a temp folder, removed at the end
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
$CC -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -Isrc -I/usr/include/libsvm \
	-o build/training/agents_eval training/agents_eval.c build/libevtag.a \
	-lsvm $(pkg-config --libs gsl zlib 2>/dev/null || echo -lgsl -lgslcblas -lz) -lm -pthread

# count FILE: sources and targets of classify's JSON lines with a type
count() {
	python3 - "$1" <<'PY'
import json, sys, collections
n = typed = 0
types = collections.Counter()
for l in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(l)
    for a in r["source"] + r["target"]:
        n += 1
        if a["agent_type"]:
            typed += 1
            types[a["agent_type"]] += 1
print("%d of %d actors typed (%.1f%%): %s" % (typed, n, 100.0 * typed / max(n, 1),
      " ".join("%s %d" % kv for kv in types.most_common())))
PY
}

echo "== the sample article ($ART), predicted roles"
"$EVTAG" classify -q --models models "$ART" >"$T/agents.sample.json"
count "$T/agents.sample.json"

echo "== $TEST, gold role spans, models/agents.txt"
build/training/agents_eval models/agents.txt models/entities.evm "$TEST"
echo "== $TEST, gold role spans, the OEDA dictionary alone"
AGENTS_EXTRA= sh training/agents.sh "$SHARED/gazetteers/plover-agents.txt" "$T/agents-oeda.txt" 2>/dev/null
build/training/agents_eval "$T/agents-oeda.txt" models/entities.evm "$TEST" | head -n 4

echo "== $TEST, predicted roles (evtag classify, one article a sentence)"
python3 - "$TEST" >"$T/agents.roles.jsonl" <<'PY'
import json, sys
toks, k = [], 0
for l in list(open(sys.argv[1], encoding="utf-8")) + [""]:
    l = l.rstrip("\n")
    if l:
        toks.append(l.split("\t")[0])
    elif toks:
        print(json.dumps({"id": str(k), "text": " ".join(toks)}, ensure_ascii=False))
        toks, k = [], k + 1
PY
"$EVTAG" classify -q --models models --jsonl "$T/agents.roles.jsonl" >"$T/agents.roles.json"
count "$T/agents.roles.json"
