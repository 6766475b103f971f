#!/bin/sh
# evtag classify: the JSON schema on the sample article (every field present
# and typed, offsets slice back to the text), 1 vs 2 threads byte-identical,
# a batch with bad articles in the middle, the TSV and text formats, the
# threshold, missing models and usage errors.
. tests/cli/lib.sh
ART="${SHARED}samples/article-2020-10-09.txt"
MODELS="${EVTAG_MODELS:-$PWD/models}"
T="$T_TMP"

# ---- usage errors and missing models (need no models)
expect_status 2 "$EVTAG" classify --format xml "$ART"
expect_grep "$T/err" "json, text, tsv, csv or html"
expect_status 2 "$EVTAG" classify --threads 0 "$ART"
expect_status 2 "$EVTAG" classify --threshold 1.5 "$ART"
expect_status 2 "$EVTAG" classify --threshold abc "$ART"
expect_status 0 "$EVTAG" classify --help
expect_grep "$T/out" "--models DIR"

mkdir -p "$T/nomodels"
expect_status 1 "$EVTAG" classify --models "$T/nomodels" "$ART"
expect_grep "$T/err" "$T/nomodels/entities.evm"
expect_grep "$T/err" "--models DIR.*EVTAG_MODELS"
expect_status 1 env EVTAG_MODELS="$T/nomodels" "$EVTAG" classify "$ART"
expect_grep "$T/err" "$T/nomodels/entities.evm"
# a binary with no models beside it and none installed: the places tried
# (only checkable while `make install` has not put models in DATADIR)
mkdir -p "$T/bin"
cp "$EVTAG" "$T/bin/evtag"
if [ ! -e "${DATADIR:-/usr/local/share/evtag}/models/entities.evm" ]; then
	expect_status 1 env -u EVTAG_MODELS "$T/bin/evtag" classify "$ART"
	expect_grep "$T/err" "no models found.*$T/bin/models"
fi
# a damaged model file is refused with its path
mkdir -p "$T/bad"
if [ -f "$MODELS/entities.evm" ]; then cp "$MODELS"/*.evm "$T/bad/"; fi
echo "not a model" >"$T/bad/plover.evm"
for m in entities roles penta; do [ -f "$T/bad/$m.evm" ] || echo x >"$T/bad/$m.evm"; done
expect_status 1 "$EVTAG" classify --models "$T/bad" "$ART"
expect_grep "$T/err" "$T/bad/[a-z]+\.evm"

have_models=1
for m in entities roles plover penta; do [ -f "$MODELS/$m.evm" ] || have_models=0; done
if [ "$have_models" = 0 ]; then
	echo "$T_NAME: SKIPPED the checks that need the shipped models: not in $MODELS yet" >&2
	t_done
	exit
fi
export EVTAG_MODELS="$MODELS"

# ---- the JSON schema on the sample article
expect_status 0 "$EVTAG" classify "$ART"
cp "$T/out" "$T/sample.json"

# ---- each model by path under any name: same output as the folder's; a
# file of the wrong kind is refused with its name
mkdir -p "$T/odd"
cp "$MODELS/entities.evm" "$T/odd/ner tagger.bin"
cp "$MODELS/roles.evm" "$T/odd/r"
cp "$MODELS/plover.evm" "$T/odd/plover.model.gz"
cp "$MODELS/penta.evm" "$T/odd/p5"
cp "$MODELS/places.evm" "$T/odd/pl"
cp "$MODELS/agents.txt" "$T/odd/agents.txt" # read from the entity model's folder
expect_status 0 env -u EVTAG_MODELS "$EVTAG" classify --models "$T/nomodels" \
	--entities-model "$T/odd/ner tagger.bin" --roles-model "$T/odd/r" \
	--plover-model "$T/odd/plover.model.gz" --penta-model "$T/odd/p5" \
	--places-model "$T/odd/pl" "$ART"
expect_true "five models by path = the folder's output" cmp -s "$T/out" "$T/sample.json"
expect_status 0 "$EVTAG" classify --plover-model "$T/odd/plover.model.gz" "$ART"
expect_true "one model by path = the folder's output" cmp -s "$T/out" "$T/sample.json"
expect_status 1 "$EVTAG" classify --plover-model "$T/odd/r" "$ART"
expect_grep "$T/err" "$T/odd/r: is a tagger model, expected a classifier model"
expect_status 1 "$EVTAG" classify --entities-model "$T/odd/p5" "$ART"
expect_grep "$T/err" "$T/odd/p5: is a classifier model, expected a tagger model"
expect_status 1 "$EVTAG" classify --roles-model "$T/odd/missing" "$ART"
expect_grep "$T/err" "$T/odd/missing"
# a model named on the command line: no hint about finding the folder;
# a damaged one in the folder: the hint
expect_no_grep "$T/err" "give the folder holding the models"
mkdir -p "$T/badfolder"
cp "$MODELS"/*.evm "$MODELS/agents.txt" "$T/badfolder/"
printf 'not a model\n' >"$T/badfolder/roles.evm"
expect_status 1 "$EVTAG" classify --models "$T/badfolder" "$ART"
expect_grep "$T/err" "$T/badfolder/roles.evm: .*give the folder holding the models"
# loaded side by side (--threads 2): the same records, and where several
# models are damaged, the same error as one by one (the first in the
# order entities, roles, PLOVER, PentaClass, places)
expect_status 0 "$EVTAG" classify --threads 2 "$ART"
expect_true "models loaded by two threads: the same output" cmp -s "$T/out" "$T/sample.json"
expect_status 0 "$EVTAG" classify --per event --threads 1 "$ART"
cp "$T/out" "$T/events1.json"
expect_status 0 "$EVTAG" classify --per event --threads 3 "$ART"
expect_true "event records (models' CRCs) the same for 1 and 3 threads" cmp -s "$T/out" "$T/events1.json"
printf 'not a model\n' >"$T/badfolder/places.evm"
printf 'not a model\n' >"$T/badfolder/plover.evm"
for n in 1 2 5; do
	expect_status 1 "$EVTAG" classify --threads $n --models "$T/badfolder" "$ART"
	expect_grep "$T/err" "$T/badfolder/roles.evm: .*give the folder holding the models"
	expect_no_grep "$T/err" "plover.evm|places.evm"
done
expect_true "JSON schema and offsets on the sample article" python3 - "$ART" "$T/sample.json" <<'EOF'
import json, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
recs = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
def fail(msg):
    print("schema:", msg, file=sys.stderr); sys.exit(1)
if len(recs) < 8: fail("only %d sentences" % len(recs))
KEYS = ["doc", "date", "sent", "start", "end", "text", "entities", "event", "no_event_score", "status",
        "source", "target", "location", "event_date", "event_date_source"]
PENTA_OF = {"AGREE": "VERBAL_COOPERATION", "CONSULT": "VERBAL_COOPERATION", "SUPPORT": "VERBAL_COOPERATION",
    "COOPERATE": "MATERIAL_COOPERATION", "AID": "MATERIAL_COOPERATION", "CONCEDE": "MATERIAL_COOPERATION",
    "RETREAT": "MATERIAL_COOPERATION", "REQUEST": "VERBAL_CONFLICT", "ACCUSE": "VERBAL_CONFLICT",
    "REJECT": "VERBAL_CONFLICT", "THREATEN": "VERBAL_CONFLICT", "PROTEST": "MATERIAL_CONFLICT",
    "MOBILIZE": "MATERIAL_CONFLICT", "SANCTION": "MATERIAL_CONFLICT", "COERCE": "MATERIAL_CONFLICT",
    "ASSAULT": "MATERIAL_CONFLICT"}
TYPES = {"PER", "ORG", "LOC", "NORP", "DATE", "MISC"}
def isnum(x): return isinstance(x, (int, float)) and not isinstance(x, bool)
def span(o, where, keys):
    if list(o.keys()) != keys: fail("%s keys %s" % (where, list(o.keys())))
    s, e = o["start"], o["end"]
    if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)): fail(where + " offsets")
    if text[s:e] != o["text"]: fail("%s: %r != text[%d:%d] %r" % (where, o["text"], s, e, text[s:e]))
    if not (isnum(o["score"]) and 0 <= o["score"] <= 1): fail(where + " score")
prev_end = 0
for i, r in enumerate(recs):
    w = "sentence %d" % i
    if list(r.keys()) != KEYS: fail("%s keys %s" % (w, list(r.keys())))
    if r["doc"] != sys.argv[1] or r["date"] != "2020-10-09": fail(w + " doc/date")
    if r["sent"] != i: fail(w + " numbering")
    if not (isinstance(r["start"], int) and prev_end <= r["start"] < r["end"] <= len(text)): fail(w + " offsets")
    prev_end = r["end"]
    if text[r["start"]:r["end"]] != r["text"]: fail(w + " text does not slice back")
    for e in r["entities"]:
        span(e, w + " entity", ["text", "type", "start", "end", "score"])
        if e["type"] not in TYPES: fail(w + " entity type " + e["type"])
        if not (r["start"] <= e["start"] and e["end"] <= r["end"]): fail(w + " entity outside sentence")
    ev = r["event"]
    if not (isnum(r["no_event_score"]) and 0 <= r["no_event_score"] <= 1): fail(w + " no_event_score")
    if ev is not None:
        if list(ev.keys()) != ["plover", "plover_score", "penta", "penta_score"]: fail(w + " event keys")
        if ev["penta"] is None: fail(w + " an event without a PentaClass")
        for k in ("plover", "penta"):
            if ev[k] is None and ev[k + "_score"] is None: continue
            if not isinstance(ev[k], str) or not ev[k] or ev[k] == "NONE": fail(w + " " + k)
            if not (isnum(ev[k + "_score"]) and 0 <= ev[k + "_score"] <= 1): fail(w + " " + k + "_score")
        # one consistent pair: the PentaClass follows from the PLOVER type
        p, q = ev["plover"], ev["penta"]
        if p is None and q != "STATEMENT": fail(w + " no PLOVER type but " + q)
        if p is not None and q != PENTA_OF[p] and not (p == "REQUEST" and q == "STATEMENT"):
            fail(w + " %s with %s" % (p, q))
    for k in ("source", "target"):
        for a in r[k]:
            span(a, w + " " + k, ["text", "start", "end", "score", "entity_type", "country", "agent_type"])
            if a["agent_type"] is not None and not re.fullmatch("([A-Z]{3})+", a["agent_type"]): fail(w + " agent_type")
            if a["entity_type"] is not None and a["entity_type"] not in TYPES: fail(w + " entity_type")
            if a["country"] is not None and not re.fullmatch("[A-Z]{3}", a["country"]): fail(w + " country")
    for l in r["location"]:
        span(l, w + " location", ["text", "start", "end", "score", "country", "admin1", "lat", "lon"])
        if not any(e["start"] == l["start"] and e["end"] == l["end"] and e["type"] == "LOC" for e in r["entities"]):
            fail(w + " location is not a LOC entity")
    if not re.fullmatch(r"\d{4}-\d\d-\d\d", r["event_date"]): fail(w + " event_date")
    if r["event_date_source"] not in ("text", "article"): fail(w + " event_date_source")
    if r["event_date_source"] == "article" and r["event_date"] != "2020-10-09": fail(w + " default date")
# the article's "October 5" is 2020-10-05
oct5 = [r for r in recs if "released on October 5" in r["text"]]
if len(oct5) != 1 or oct5[0]["event_date"] != "2020-10-05" or oct5[0]["event_date_source"] != "text":
    fail("'October 5' not resolved to 2020-10-05")
# the models find something in this article
ents = [e for r in recs for e in r["entities"]]
if not any(e["type"] == "PER" and "Putin" in e["text"] for e in ents): fail("no PER entity for Putin")
if not any(r["location"] for r in recs): fail("no location anywhere")
# status: "Armenian officials ... said ... that at least 21 were killed" is
# reported, "have jointly called for an immediate ... ceasefire" hypothetical
said = [r for r in recs if r["text"].startswith("Armenian officials")]
if len(said) != 1 or said[0]["status"] is None or said[0]["status"]["reported"] < 0.5:
    fail("'Armenian officials ... said' not reported")
called = [r for r in recs if "jointly called for" in r["text"]]
if len(called) != 1 or called[0]["status"] is None or called[0]["status"]["hypothetical"] < 0.5:
    fail("'called for' not hypothetical")
if not any(r["source"] for r in recs): fail("no source actor anywhere")
if not any(a["country"] for r in recs for k in ("source", "target") for a in r[k]) and \
   not any(l["country"] for r in recs for l in r["location"]):
    fail("no country code anywhere")
EOF

# standard input gives the same records (doc "<stdin>")
expect_status 0 sh -c "'$EVTAG' classify - <'$ART'"
sed 's|"doc":"[^"]*"|"doc":"<stdin>"|' "$T/sample.json" >"$T/sample-stdin.json"
expect_true "stdin equals the file" cmp -s "$T/out" "$T/sample-stdin.json"

# ---- a larger JSONL batch: 1 and 2 threads give identical bytes
python3 - "$ART" "$T/batch.jsonl" <<'EOF'
import json, random, re, sys
text = open(sys.argv[1], encoding="utf-8").read().split(" ", 2)[2]
sents = [s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]
rnd = random.Random(7)
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for i in range(300):
        k = rnd.randint(1, 12)
        body = " ".join(rnd.choice(sents) for _ in range(k))
        f.write(json.dumps({"id": "a%03d" % i, "date": "2020-%02d-%02d" % (1 + i % 12, 1 + i % 28),
                            "text": body}, ensure_ascii=False) + "\n")
EOF
expect_status 0 "$EVTAG" classify --jsonl --threads 1 "$T/batch.jsonl"
mv "$T/out" "$T/b1.json"
expect_status 0 "$EVTAG" classify --jsonl --threads 2 "$T/batch.jsonl"
mv "$T/out" "$T/b2.json"
expect_true "1 and 2 threads give identical bytes" cmp -s "$T/b1.json" "$T/b2.json"
expect_status 0 "$EVTAG" classify --jsonl --threads 4 "$T/batch.jsonl"
expect_true "1 and 4 threads give identical bytes" cmp -s "$T/b1.json" "$T/out"
# the heap on huge pages (src/cli/heap.c) or not: the same bytes
expect_status 0 env EVTAG_NO_HUGEPAGES=1 "$EVTAG" classify --jsonl --threads 1 "$T/batch.jsonl"
expect_true "ordinary pages, one thread: identical bytes" cmp -s "$T/b1.json" "$T/out"
expect_status 0 env EVTAG_NO_HUGEPAGES=1 "$EVTAG" classify --jsonl --threads 2 "$T/batch.jsonl"
expect_true "ordinary pages, two threads: identical bytes" cmp -s "$T/b1.json" "$T/out"
expect_true "batch output is in input order" python3 -c "
import json, sys
docs = [json.loads(l)['doc'] for l in open('$T/b1.json')]
order = [d for i, d in enumerate(docs) if i == 0 or docs[i - 1] != d]
sys.exit(0 if order == ['a%03d' % i for i in range(300)] else 1)"

# ---- bad articles in the middle of a batch: reported, skipped, exit 1
head -n 4 "$T/batch.jsonl" >"$T/bad.jsonl"
echo '{"id": "broken", "text": "unterminated' >>"$T/bad.jsonl"
sed -n 5,7p "$T/batch.jsonl" >>"$T/bad.jsonl"
printf '{"id": "utf8", "date": "2020-10-09", "text": "bad \377 byte"}\n' >>"$T/bad.jsonl"
sed -n 8,10p "$T/batch.jsonl" >>"$T/bad.jsonl"
for th in 1 2; do
	expect_status 1 "$EVTAG" classify --jsonl --threads "$th" "$T/bad.jsonl"
	expect_grep "$T/err" "bad.jsonl:5"
	expect_grep "$T/err" "bad.jsonl:9"
	expect_true "the good articles are all coded, in order ($th threads)" python3 -c "
import json, sys
docs = [json.loads(l)['doc'] for l in open('$T/out')]
order = [d for i, d in enumerate(docs) if i == 0 or docs[i - 1] != d]
sys.exit(0 if order == ['a%03d' % i for i in range(10)] else 1)"
done
# the same with files: a missing file and a file with invalid UTF-8
printf 'date 2020-10-09 Fine text. \377\n' >"$T/badutf8.txt"
expect_status 1 "$EVTAG" classify --threads 2 "$ART" "$T/missing.txt" "$T/badutf8.txt" "$ART"
expect_grep "$T/err" "missing.txt"
expect_grep "$T/err" "badutf8.txt.*(UTF-8|utf-8)"
expect_true "both good files coded" test "$(grep -c '"sent":0,' "$T/out")" = 2

# ---- TSV: a header, then rows of 10 tab-separated fields
expect_status 0 "$EVTAG" classify --format tsv "$ART"
expect_true "TSV header" test "$(head -n 1 "$T/out")" = "$(printf 'date\tsource\tsource_code\tevent\tpenta\ttarget\ttarget_code\tlocation\tdoc\tsentence\tnegated\thypothetical\treported')"
expect_true "TSV rows have 13 fields, the last three 0 or 1" awk -F'\t' 'NF != 13 { exit 1 } NR > 1 && ($11 !~ /^[01]$/ || $12 !~ /^[01]$/ || $13 !~ /^[01]$/) { exit 1 } END { exit NR < 2 }' "$T/out"
expect_grep "$T/out" "^2020-10-05	"
# ---- text: readable, no colour when not a terminal
expect_status 0 "$EVTAG" classify --format text "$ART"
expect_grep "$T/out" "^  event     ([A-Z]+ [0-9.]+|-)   penta [A-Z_]+ [0-9.]+$"
expect_grep "$T/out" "^  date      2020-10-05 \(from \"October 5\"\)$"
expect_grep "$T/out" "^  status    (negated|hypothetical|reported) [0-9.]+(; [a-z]+ [0-9.]+)*$"
expect_no_grep "$T/out" "$(printf '\033')"

# ---- threshold: every event NONE, entities kept
expect_status 0 "$EVTAG" classify --threshold 1 "$ART"
expect_true "threshold 1 gives NONE and keeps entities" python3 -c "
import json, sys
recs = [json.loads(l) for l in open('$T/out')]
ok = all(r['event'] is None for r in recs)
a = [json.loads(l)['entities'] for l in open('$T/sample.json')]
sys.exit(0 if ok and [r['entities'] for r in recs] == a else 1)"
expect_status 0 "$EVTAG" classify --format tsv --threshold 1 "$ART"
expect_true "no TSV rows without events" test "$(wc -l <"$T/out")" = 1
expect_status 0 "$EVTAG" classify --events-only --threshold 1 "$ART"
expect_true "--events-only at threshold 1 prints nothing" test ! -s "$T/out"

# ---- no event is an answer: NONE for a non-event, a type for an attack
printf 'The US state department did not respond to a request for comment.\n' >"$T/none.txt"
printf 'Rebels attacked an army base near Goma on Tuesday.\n' >"$T/attack.txt"
expect_status 0 "$EVTAG" classify "$T/none.txt"
expect_grep "$T/out" '"event":null,"no_event_score":0\.([5-9]|[0-9]{2})'
expect_status 0 "$EVTAG" classify "$T/attack.txt"
expect_grep "$T/out" '"event":\{"plover":"ASSAULT","plover_score":[0-9.]+,"penta":"MATERIAL_CONFLICT"'
# --events-only keeps exactly the sentences whose event is not null
cat "$T/none.txt" "$T/attack.txt" "$ART" >"$T/mix.txt"
expect_status 0 "$EVTAG" classify "$T/mix.txt"
cp "$T/out" "$T/mix.json"
expect_status 0 "$EVTAG" classify -e "$T/mix.txt"
expect_true "--events-only = the records with an event" python3 -c "
import json, sys
a = [l for l in open('$T/mix.json') if json.loads(l)['event'] is not None]
b = open('$T/out').readlines()
sys.exit(0 if a == b and 0 < len(b) < len(open('$T/mix.json').readlines()) else 1)"

t_done
