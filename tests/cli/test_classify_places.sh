#!/bin/sh
# The place table in `evtag classify`: on the sample article every LOC
# entity has a country but these two, which the table has no entry for:
# "Europe" (a continent) and "Nagorno-Karabakh" (a disputed region that is
# no first-level region in GeoNames' admin1 list, whose Azerbaijani units
# are rayons and cities; tagged LOC or not depending on the entity
# model); Moscow is Moscow,
# RUS with its coordinates, in the sentence and the event records and the
# CSV; a folder without places.evm still codes (only country names get a
# code); a damaged, truncated or wrong-kind --places-model is refused
# with its name, exit 1.
T_NAME=test_classify_places
. tests/cli/lib.sh
ART="${SHARED}samples/article-2020-10-09.txt"
MODELS="${EVTAG_MODELS:-$PWD/models}"
T="$T_TMP"
if [ ! -f "$MODELS/places.evm" ] || [ ! -f "$MODELS/entities.evm" ] || [ ! -f "$ART" ]; then
	echo "$T_NAME: SKIPPED: no $MODELS/places.evm (sh training/places.sh) or no $ART" >&2
	t_done; exit $?
fi

expect_status 0 "$EVTAG" classify -q --models "$MODELS" "$ART"
cp "$T/out" "$T/sent.json"
expect_true "every LOC entity but Europe and Nagorno-Karabakh has a country; Moscow is RUS at 55.75N 37.62E" \
	python3 - "$T/sent.json" <<'PY'
import json, sys
n = moscow = 0
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    locs = [e for e in r["entities"] if e["type"] == "LOC"]
    if [l["text"] for l in r["location"]] != [e["text"] for e in locs]:
        sys.exit("sentence %d: location is not its LOC entities" % r["sent"])
    for l in r["location"]:
        n += 1
        if l["text"] in ("Europe", "Nagorno-Karabakh"):
            if l["country"] is not None: sys.exit("%s has a country: %r" % (l["text"], l))
            continue
        if not l["country"]: sys.exit("%s has no country" % l["text"])
        if l["text"] == "Moscow":
            moscow += 1
            if l["country"] != "RUS" or l["admin1"] != "48" or abs(l["lat"] - 55.75) > 0.05 \
               or abs(l["lon"] - 37.62) > 0.05:
                sys.exit("Moscow: %r" % l)
        if l["text"] in ("Russia", "France", "Armenia"):
            if l["lat"] is not None: sys.exit("a country with coordinates: %r" % l)
if n < 10 or moscow != 4:
    sys.exit("%d LOC entities, %d Moscow" % (n, moscow))
PY

# event records: sentence 2's event_loc is Moscow with coordinates; CSV too
expect_status 0 "$EVTAG" classify -q --per event --models "$MODELS" "$ART"
expect_grep "$T/out" '"event_loc":\{"name":"Moscow","start":586,"end":592,"cc3":"RUS","admin1 code":"48","latitude":55\.75222,"longitude":37\.61556\}'
expect_status 0 "$EVTAG" classify -q --per event -f csv --models "$MODELS" "$ART"
expect_true "CSV location columns" python3 - "$T/out" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
m = [r for r in rows if r["event_loc_name"] == "Moscow"]
if not m or m[0]["event_loc_cc3"] != "RUS" or m[0]["event_loc_latitude"] != "55.75222" \
   or m[0]["event_loc_longitude"] != "37.61556" or m[0]["event_loc_admin1 code"] != "48":
    sys.exit("no Moscow row with its coordinates")
if "places.evm" not in m[0]["models_file"]:
    sys.exit("models_file lacks places.evm")
PY

# places are looked up after the within-article vote: the tagger calls
# the first "Tehran" an ORG and the second a LOC, the vote makes both LOC,
# and both get Tehran's country and coordinates (before, the first kept
# the ORG's empty country)
printf 'The letter threatens other unspecified courses of action if Tehran does not adhere to past commitments with the European Union. Supreme Leader Ayatollah Ali Khamenei issued the call Saturday during a sermon in Tehran.\n' >"$T/tehran.txt"
expect_status 0 "$EVTAG" tag --model "$MODELS/entities.evm" "$T/tehran.txt"
expect_grep "$T/out" '"type":"ORG","text":"Tehran"'
expect_status 0 "$EVTAG" classify -q --models "$MODELS" "$T/tehran.txt"
expect_true "both Tehrans voted LOC and located in IRN" python3 -c '
import json, sys
locs = [l for r in map(json.loads, open(sys.argv[1], encoding="utf-8")) for l in r["location"]]
sys.exit(0 if [(l["text"], l["country"], l["lat"] is not None) for l in locs] == [("Tehran", "IRN", True)] * 2 else 1)' "$T/out"

# a folder without the place table: Moscow has no country, nothing fails
mkdir "$T/four"
for f in entities roles plover penta; do cp "$MODELS/$f.evm" "$T/four/"; done
cp "$MODELS/agents.txt" "$T/four/"
expect_status 0 "$EVTAG" classify -q --models "$T/four" "$ART"
expect_grep "$T/out" '\{"text":"Moscow","start":190,"end":196,"score":[0-9.]+,"country":null,"admin1":null,"lat":null,"lon":null\}'
expect_grep "$T/out" '\{"text":"Armenia","start":151,"end":158,"score":[0-9.]+,"country":"ARM"'
# ... and --places-model gives it back
expect_status 0 "$EVTAG" classify -q --models "$T/four" --places-model "$MODELS/places.evm" "$ART"
expect_true "--places-model = the folder's places.evm" cmp -s "$T/out" "$T/sent.json"

# damaged tables are refused with their name
size=$(wc -c <"$MODELS/places.evm")
head -c $((size / 2)) "$MODELS/places.evm" >"$T/cut.evm"
expect_status 1 "$EVTAG" classify --models "$T/four" --places-model "$T/cut.evm" "$ART"
expect_grep "$T/err" "cut.evm"
expect_true "no output from a refused table" test ! -s "$T/out"
python3 - "$MODELS/places.evm" "$T/flip.evm" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
b[len(b) // 3] ^= 0x55
open(sys.argv[2], "wb").write(bytes(b))
PY
expect_status 1 "$EVTAG" classify --models "$T/four" --places-model "$T/flip.evm" "$ART"
expect_grep "$T/err" "flip.evm"
cp "$T/cut.evm" "$T/four/places.evm"
expect_status 1 "$EVTAG" classify --models "$T/four" "$ART"
expect_grep "$T/err" "four/places.evm"
expect_status 1 "$EVTAG" classify --models "$MODELS" --places-model "$MODELS/roles.evm" "$ART"
expect_grep "$T/err" "roles.evm: is a tagger model, expected a places model"
expect_status 1 "$EVTAG" classify --models "$MODELS" --places-model "$T/missing.evm" "$ART"
expect_grep "$T/err" "missing.evm"

t_done
