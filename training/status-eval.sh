#!/bin/sh
# Scores the status flags (src/features/status.c) on the VOA event
# sentences: PART is train (for tuning) or dev (for reporting; default).
# Needs build/libevtag.a (make) and build/events/ (training/event-data.sh).
#   sh training/status-eval.sh [dev|train] [-v]
set -e
part=${1:-dev}
: "${OUT:=build/events}"
CC=${CC:-cc}
[ -f "$OUT/voa.$part.tsv" ] || sh training/event-data.sh 2>/dev/null
mkdir -p build/training
$CC -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -Isrc -o build/training/status_eval \
	training/status_eval.c build/libevtag.a -lm
build/training/status_eval $2 "$OUT/voa.$part.tsv" "$OUT/voa.flags.$part.tsv"
# End to end, when ./evtag and its models are there: each event sentence
# coded by `evtag classify` as an article of its own, so the status comes
# with the PLOVER model's type (flags 0 when it says NONE; a sentence the
# splitter cuts in two has a flag when any part has it).
[ -x ./evtag ] && [ -f models/plover.evm ] || exit 0
python3 - "$OUT/voa.$part.tsv" "$OUT/voa.flags.$part.tsv" <<'PY' >build/training/status.$part.jsonl
import json, sys
for i, (l, f) in enumerate(zip(open(sys.argv[1], encoding="utf-8"), open(sys.argv[2]))):
    lab, sent = l.rstrip("\n").split("\t", 1)
    if lab != "NONE":
        print(json.dumps({"id": "%d" % i, "text": sent, "flags": f.split()}))
PY
./evtag classify --models models --jsonl build/training/status.$part.jsonl >build/training/status.$part.out
python3 - build/training/status.$part.jsonl build/training/status.$part.out <<'PY'
import json, sys
gold = {}
for l in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(l)
    gold[r["id"]] = [int(x) for x in r["flags"]]
pred = {k: [0, 0] for k in gold}
for l in open(sys.argv[2], encoding="utf-8"):
    r = json.loads(l)
    st = r["status"]
    if st is not None:
        p = pred[r["doc"]]
        p[0] |= st["negated"] >= 0.5
        p[1] |= st["hypothetical"] >= 0.5
for j, name in enumerate(("negated", "hypothetical")):
    tp = sum(1 for k in gold if gold[k][j] and pred[k][j])
    fp = sum(1 for k in gold if not gold[k][j] and pred[k][j])
    fn = sum(1 for k in gold if gold[k][j] and not pred[k][j])
    p = tp / (tp + fp) if tp + fp else 0
    r = tp / (tp + fn) if tp + fn else 0
    f = 2 * p * r / (p + r) if p + r else 0
    print("%-30s P %.3f  R %.3f  F1 %.3f  (tp %d fp %d fn %d)" % (name + ", evtag classify", p, r, f, tp, fp, fn))
PY
