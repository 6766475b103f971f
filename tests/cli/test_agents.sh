#!/bin/sh
# Actors' agent types and the within-article entity vote, on the sample
# article: the shipped agents list gives the titles' types, --agents
# extends it and --agents-only replaces it, a malformed or missing agents
# file stops the run naming the file (and line), and one name has one
# entity type in the whole article.
T_NAME=test_agents
. tests/cli/lib.sh

ART="$SHARED/samples/article-2020-10-09.txt"
T=$T_TMP
MODELS_DIR="${EVTAG_MODELS:-$PWD/models}"

expect_status 0 "$EVTAG" classify -q "$ART"
cp "$T/out" "$T/sample.json"
# actor (sentence, side, index) -> agent type, checked with Python
check_types() {
	python3 - "$1" "$2" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
ok = True
for want in sys.argv[2].split():
    sent, side, i, typ = want.split(":")
    a = recs[int(sent)][side][int(i)]
    got = a["agent_type"] if a["agent_type"] is not None else "null"
    if got != typ:
        print("sentence %s %s %r: agent_type %s, expected %s" % (sent, side, a["text"], got, typ))
        ok = False
sys.exit(0 if ok else 1)
PY
}
# Kremlin (the source of "cited") and Russian President Vladimir Putin
# (its target); the ministers; Kremlin; the Russian
# Foreign Ministry; Its spokesperson (JRN in the OEDA dictionary); the
# Russian government; Russia (a country: no agent); "Russia, France and
# the United States" (not a "state"); US Secretary of State; French
# Foreign Minister; the ministers representing ... the OSCE Minsk Group
# (IGO)
expect_true "the sample's actors get the dictionary's types" check_types "$T/sample.json" \
	"0:source:0:GOV 0:target:0:GOV 1:target:0:GOV 2:source:0:GOV 3:source:0:GOV 4:source:0:JRN 4:source:1:GOV 5:source:0:null 6:source:0:null 7:source:0:GOV 7:target:0:GOV 8:source:0:IGO"

# the Kremlin, with no country of its own, takes the agents list's RUS
# (RUS/GOV kremlin); a --agents entry gives the same to another name
expect_true "the Kremlin's country is RUS" python3 -c '
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
k = [a for r in recs for a in r["source"] if a["text"] == "Kremlin"]
sys.exit(0 if len(k) == 2 and all(a["country"] == "RUS" and a["agent_type"] == "GOV" for a in k)
         else "Kremlin sources: %r" % k)' "$T/sample.json"
printf 'FRA/GOV ministers representing the co-chair countries\n' >"$T/fra.txt"
expect_status 0 "$EVTAG" classify -q --agents "$T/fra.txt" "$ART"
expect_true "--agents: a country with the type" python3 -c '
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
a = recs[8]["source"][0]
sys.exit(0 if a["country"] == "FRA" and a["agent_type"] == "GOV" else "got %r" % a)' "$T/out"
printf 'RU/GOV kremlin
' >"$T/badc.txt"
expect_status 1 "$EVTAG" classify --agents "$T/badc.txt" "$ART"
expect_grep "$T/err" "badc.txt:1: 'RU' is not a country code"

# one entity type per name in the article: "US" is a LOC in sentences 5 and 7
expect_true "one type per entity text in the article" python3 -c '
import json, sys, collections
types = collections.defaultdict(set)
for l in open(sys.argv[1], encoding="utf-8"):
    for e in json.loads(l)["entities"]:
        types[e["text"]].add(e["type"])
bad = {t: v for t, v in types.items() if len(v) > 1}
sys.exit("names with several types: %r" % bad if bad or types["US"] != {"LOC"} else 0)' "$T/sample.json"

# a person named again later in the article keeps the country and agent
# type the first mention gave ("Putin" after "Russian President Vladimir
# Putin")
printf 'date 2020-10-09\nRussian President Vladimir Putin met Turkish President Recep Tayyip Erdogan in Sochi on Monday. Putin accused Erdogan of supplying weapons to Azerbaijan. Erdogan rejected the claim.\n' >"$T/putin.txt"
expect_status 0 "$EVTAG" classify -q -f text "$T/putin.txt"
expect_grep "$T/out" '^  source    Putin \(PER, RUS, GOV, 0\.[0-9]+\)$'
expect_grep "$T/out" '^  target    Erdogan \(PER, TUR, GOV, 0\.[0-9]+\);'
expect_grep "$T/out" '^  source    Erdogan \(PER, TUR, GOV, 0\.[0-9]+\)$'

# the country may come from a mention that is no actor: a nationality just
# before the name, with at most a title between ("Turkish President Recep
# Tayyip Erdogan"); never across other words ("Russian troops shelled a
# convoy carrying Volodymyr Zelensky")
printf 'date 2022-03-01\nA statement was read out beside Turkish President Recep Tayyip Erdogan on Monday. Erdogan accused Russia of violating the truce.\nRussian troops shelled a convoy carrying Volodymyr Zelensky near Kyiv. Zelensky condemned Moscow.\n' >"$T/people.txt"
expect_status 0 "$EVTAG" classify -q -f text "$T/people.txt"
expect_grep "$T/out" '^  source    Erdogan \(PER, TUR, GOV, 0\.[0-9]+\)$'
expect_grep "$T/out" '^  source    Zelensky \(PER, 0\.[0-9]+\)$'

# --agents extends the list, its entries win
printf '# mine\nMIL spokesperson\nREB russian government\n' >"$T/mine.txt"
expect_status 0 "$EVTAG" classify -q --agents "$T/mine.txt" "$ART"
expect_true "--agents extends and overrides" check_types "$T/out" \
	"0:source:0:GOV 4:source:0:MIL 4:source:1:REB"
# --agents-only: only that file
expect_status 0 "$EVTAG" classify -q --agents "$T/mine.txt" --agents-only "$ART"
expect_true "--agents-only replaces" check_types "$T/out" \
	"0:source:0:null 4:source:0:MIL 4:source:1:REB 7:source:0:null"
# the text view and the per-event rows carry it too
expect_status 0 "$EVTAG" classify -q -f text "$ART"
expect_grep "$T/out" '^  target    Russian President Vladimir Putin \(PER, RUS, GOV, 0\.[0-9]+\)$'
expect_status 0 "$EVTAG" classify -q --per event -f csv "$ART"
expect_true "per-event CSV has source_sector and recipient_sector" python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
sys.exit(0 if rows and any(r["source_sector"] == "JRN" for r in rows) and
         any(r["recipient_sector"] == "GOV" for r in rows) else 1)' "$T/out"

# the event records name the agents lists that gave the sector, with their
# CRC-32: the folder's agents.txt, then a --agents file (alone with
# --agents-only)
models_of() { python3 -c '
import json, sys, zlib
r = json.loads(open(sys.argv[1], encoding="utf-8").readline())["models"]
want = [(n, "%08x" % zlib.crc32(open(p, "rb").read())) for n, p in zip(sys.argv[2::2], sys.argv[3::2])]
sys.exit(0 if list(zip(r["file"], r["crc32"]))[-len(want):] == want and
         r["file"].count("agents.txt") == sum(n == "agents.txt" for n, _ in want) else 1)' "$@"; }
expect_status 0 "$EVTAG" classify -q --per event "$ART"
expect_true "event records name agents.txt and its CRC" models_of "$T/out" agents.txt "$MODELS_DIR/agents.txt"
expect_status 0 "$EVTAG" classify -q --per event --agents "$T/mine.txt" "$ART"
expect_true "... then the --agents file" models_of "$T/out" agents.txt "$MODELS_DIR/agents.txt" mine.txt "$T/mine.txt"
expect_status 0 "$EVTAG" classify -q --per event --agents "$T/mine.txt" --agents-only "$ART"
expect_true "... the --agents file alone with --agents-only" models_of "$T/out" mine.txt "$T/mine.txt"

# a malformed line: exit 1, the file and line named, no output
printf 'GOV president\n\nGov minister\n' >"$T/bad.txt"
expect_status 1 "$EVTAG" classify --agents "$T/bad.txt" "$ART"
expect_grep "$T/err" "bad.txt:3: 'Gov' is not an agent type"
expect_true "nothing written on a bad agents file" test ! -s "$T/out"
printf 'GOV\n' >"$T/bad2.txt"
expect_status 1 "$EVTAG" classify --agents "$T/bad2.txt" "$ART"
expect_grep "$T/err" "bad2.txt:1: type GOV without a phrase"
expect_status 1 "$EVTAG" classify --agents "$T/none.txt" "$ART"
expect_grep "$T/err" "none.txt: cannot open"
expect_status 2 "$EVTAG" classify --agents-only "$ART"
expect_grep "$T/err" "--agents-only needs --agents FILE"

# the shipped list is what training/agents.sh makes of the shared
# dictionary (and training/agents-extra.txt)
if [ -f "$SHARED/gazetteers/plover-agents.txt" ]; then
	expect_status 0 env SHARED="$SHARED" sh training/agents.sh "$SHARED/gazetteers/plover-agents.txt" "$T/agents.txt"
	expect_true "models/agents.txt is up to date with training/agents.sh" cmp -s "$T/agents.txt" models/agents.txt
else
	echo "$T_NAME: SKIPPED the agents.sh check: no $SHARED/gazetteers/plover-agents.txt" >&2
fi
t_done
