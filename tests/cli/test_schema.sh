#!/bin/sh
# Every line `evtag classify` writes, in both record modes (--per sentence,
# the default, and --per event), validates against its JSON Schema
# (docs/schema/sentence.schema.json, docs/schema/event.schema.json), on
# the sample article and on JSON lines of several articles
# (tests/cli/data/records.jsonl: quotes, commas, tabs, line breaks,
# non-ASCII names); event ids are unique. Needs Python's jsonschema
# (Debian python3-jsonschema; installed here when running as root).
T_NAME=test_schema
. tests/cli/lib.sh

MODELS="${EVTAG_MODELS:-$PWD/models}"
ART="${SHARED}samples/article-2020-10-09.txt"
JL=tests/cli/data/records.jsonl
has_js() { command -v python3 >/dev/null 2>&1 && python3 -c 'import jsonschema' 2>/dev/null; }
if ! has_js && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-jsonschema >/dev/null 2>&1
fi
if ! has_js; then
	echo "$T_NAME: SKIPPED: Python's jsonschema is not installed (Debian package python3-jsonschema)" >&2
	t_done; exit $?
fi
if [ ! -f "$MODELS/plover.evm" ] || [ ! -f "$ART" ]; then
	echo "$T_NAME: SKIPPED: no shipped models in $MODELS or no $ART" >&2
	t_done; exit $?
fi

# validate SCHEMA FILE: every line of FILE (at least one) is valid.
validate() {
	if out=$(python3 - "$1" "$2" <<'PY' 2>&1
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
n, ids = 0, set()
for i, line in enumerate(open(sys.argv[2], encoding="utf-8"), 1):
    rec = json.loads(line)
    errs = sorted(v.iter_errors(rec), key=lambda e: list(e.path))
    if errs:
        sys.exit("line %d: %s at %s" % (i, errs[0].message, list(errs[0].path)))
    if "id" in rec:
        if rec["id"] in ids:
            sys.exit("line %d: id %s twice" % (i, rec["id"]))
        ids.add(rec["id"])
    n += 1
if n == 0:
    sys.exit("no records")
PY
	); then t_ok; else t_bad "$2 against $1: $out"; fi
}

for per in sentence event; do
	expect_status 0 "$EVTAG" classify --per "$per" "$ART"
	cp "$T_TMP/out" "$T_TMP/art.$per"
	validate "docs/schema/$per.schema.json" "$T_TMP/art.$per"
	expect_status 0 "$EVTAG" classify --per "$per" "$JL"
	cp "$T_TMP/out" "$T_TMP/jl.$per"
	validate "docs/schema/$per.schema.json" "$T_TMP/jl.$per"
done
# the default is --per sentence, byte for byte
expect_status 0 "$EVTAG" classify "$ART"
expect_true "classify without --per is --per sentence" cmp -s "$T_TMP/out" "$T_TMP/art.sentence"
# a dyad per source and target: "Russia attacked Ukraine on Monday" gives
# Russia-Ukraine; the sample's "Russia, France, US call for immediate
# ceasefire", three sources and no target, a record per source (which
# spans the role model finds is the model's: see tests/test_pipe.c for the
# pairing rules themselves)
expect_grep "$T_TMP/jl.event" '"id":"\\"q\\",1:1:0".*"source":{"actor_text":"Russia".*"recipient":{"actor_text":"Ukraine"'
expect_grep "$T_TMP/art.event" ':5:2",.*"event":\["REQUEST"\].*"source":{"actor_text":"US"'
# a sentence with no event gives no event record: the sample's sentences
# with "event":null are not among the event records' sentence indexes
python3 - "$T_TMP/art.sentence" "$T_TMP/art.event" <<'PY' && t_ok || t_bad "event records for sentences without an event"
import json, sys
none = {json.loads(l)["sent"] for l in open(sys.argv[1]) if json.loads(l)["event"] is None}
ev = {json.loads(l)["text_info"]["sequence"] for l in open(sys.argv[2])}
sys.exit(1 if none & ev else 0)
PY
# the same bytes on 3 threads (records and CSV rows)
expect_status 0 "$EVTAG" classify --per event --threads 3 "$JL"
expect_true "--per event on 3 threads" cmp -s "$T_TMP/out" "$T_TMP/jl.event"
"$EVTAG" classify --per event -f csv "$JL" >"$T_TMP/c1" 2>/dev/null
expect_status 0 "$EVTAG" classify --per event -f csv --threads 3 "$JL"
expect_true "--per event -f csv on 3 threads" cmp -s "$T_TMP/out" "$T_TMP/c1"
expect_status 2 "$EVTAG" classify --per word "$ART"
expect_grep "$T_TMP/err" "--per must be sentence or event"
expect_status 2 "$EVTAG" classify --per event -f text "$ART"
t_done
