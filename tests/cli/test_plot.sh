#!/bin/sh
# --plot FILE.svg (evtag score, eval classifier, eval tagger): the SVG
# parses as XML, is self-contained, and draws the numbers of the --json
# report (confusion counts, ECE, bin counts, per-type F1 and its interval);
# labels with < & and quotes are escaped; the same input gives the same
# bytes; a path that cannot be written is named, exits 1 and leaves no file.
T_NAME=test_plot
. tests/cli/lib.sh
T=$T_TMP
F=corpora/eval
M=models

# check SVG JSON KIND: Python compares the drawn numbers with the report.
check() {
	python3 - "$1" "$2" "$3" <<'EOF'
import json, sys, xml.etree.ElementTree as ET
svg, js, kind = sys.argv[1:4]
NS = "{http://www.w3.org/2000/svg}"
root = ET.parse(svg).getroot()
assert root.tag == NS + "svg", root.tag
assert root.get("version") == "1.1"
d = json.load(open(js))
def texts(cls):
    return [e.text for e in root.iter(NS + "text") if e.get("class") == cls]
def fail(msg):
    sys.exit(msg)
if kind == "confusion":
    cm = d["confusion"]
    want = [str(v) for row in cm["matrix"] for v in row]
    if texts("count") != want:
        fail("cell counts %s != %s" % (texts("count"), want))
    if texts("row") != cm["labels"] or texts("col") != cm["labels"]:
        fail("row/column labels %s %s != %s" % (texts("row"), texts("col"), cm["labels"]))
if kind in ("confusion-ece", "bars-ece"):
    cal = d["calibration"]
    # drawn with 4 decimals: equal to the report's to half a unit of the last
    got = texts("ece")
    if len(got) != 1 or not got[0].startswith("ECE ") or abs(float(got[0][4:]) - cal["ece"]) > 0.5e-4 + 1e-12:
        fail("ECE %s != %s" % (got, cal["ece"]))
    want = [str(b["count"]) for b in cal["bins"] if b["count"] > 0]
    if texts("bincount") != want:
        fail("bin counts %s != %s" % (texts("bincount"), want))
elif kind == "bars":
    if texts("ece"):
        fail("an ECE without probabilities")
if kind.startswith("bars"):
    labels = d["labels"]
    names = [n if n else "(no type)" for n in sorted(labels, key=lambda s: s.encode())]
    if texts("type") != names:
        fail("types %s != %s" % (texts("type"), names))
    for cls, key in (("precision", "precision"), ("recall", "recall"), ("f1", "f1")):
        # drawn in percent with 2 decimals: equal to half a unit of the last
        want = [labels[n][key] for n in sorted(labels, key=lambda s: s.encode())]
        got = texts(cls)
        ok = len(got) == len(want) and all(
            (w is None and g == "n/a") or (w is not None and g != "n/a" and abs(float(g) - 100 * w) <= 0.005 + 1e-9)
            for g, w in zip(got, want))
        if not ok:
            fail("%s %s != %s" % (cls, got, want))
    cis = [e for e in root.iter(NS + "line") if e.get("class") == "ci"]
    want = sum(1 for n in labels if (labels[n].get("f1_ci95") or [None])[0] is not None)
    if len(cis) != want:
        fail("%d F1 intervals drawn, %d in the report" % (len(cis), want))
EOF
}
# self_contained SVG: no script, no link, no external font or image.
self_contained() {
	! grep -Eiq '<script|href|@font-face|url\(|<image|<foreignObject|on[a-z]+=' "$1"
}

# --- score: classification with probabilities (confusion + reliability) ---
expect_status 0 "$EVTAG" score --json --plot "$T/a.svg" "$F/events-a.tsv"
cp "$T/out" "$T/a.json"
expect_true "score tsv: SVG numbers = JSON" check "$T/a.svg" "$T/a.json" confusion
expect_true "score tsv: ECE and bins = JSON" check "$T/a.svg" "$T/a.json" confusion-ece
expect_true "score tsv: self-contained" self_contained "$T/a.svg"
# the report on stdout is the same with and without --plot
"$EVTAG" score --json "$F/events-a.tsv" >"$T/a2.json"
expect_true "--plot leaves stdout alone" cmp -s "$T/a.json" "$T/a2.json"
# same input, same bytes
"$EVTAG" score --plot "$T/b.svg" "$F/events-a.tsv" >/dev/null
expect_true "deterministic bytes" cmp -s "$T/a.svg" "$T/b.svg"

# --- score: spans (bars with intervals) ---
expect_status 0 "$EVTAG" score --json --plot "$T/s.svg" "$F/tagged-a.conll"
cp "$T/out" "$T/s.json"
expect_true "score conll: F1 bars = JSON" check "$T/s.svg" "$T/s.json" bars
expect_true "score conll: self-contained" self_contained "$T/s.svg"
expect_grep "$T/s.svg" 'class="f1"[^>]*>72\.73<|>66\.67<'
expect_status 0 "$EVTAG" score --bootstrap 0 --json --plot "$T/s0.svg" "$F/tagged-a.conll"
cp "$T/out" "$T/s0.json"
expect_true "score conll, no bootstrap: no whiskers" check "$T/s0.svg" "$T/s0.json" bars

# with --compare the drawing is the first system's report
expect_status 0 "$EVTAG" score --compare "$F/tagged-b.conll" --json --plot "$T/cmp.svg" "$F/tagged-a.conll"
cp "$T/out" "$T/cmp.json"
expect_true "score --compare: F1 bars = JSON" check "$T/cmp.svg" "$T/cmp.json" bars

# --- a label with < & and quotes, escaped (a hand-made TSV) ---
printf '%s\t%s\t0.9\n' 'A<&"x'"'"'>' 'A<&"x'"'"'>' 'B' 'A<&"x'"'"'>' 'B' 'B' >"$T/esc.tsv"
printf '%s\t%s\t0.6\n' 'A<&"x'"'"'>' 'B' >>"$T/esc.tsv"
expect_status 0 "$EVTAG" score --json --plot "$T/esc.svg" "$T/esc.tsv"
cp "$T/out" "$T/esc.json"
expect_true "escaped labels: SVG numbers = JSON" check "$T/esc.svg" "$T/esc.json" confusion
expect_grep "$T/esc.svg" '>A&lt;&amp;&quot;x&apos;&gt;</text>'
expect_no_grep "$T/esc.svg" 'A<&'
# the parsed row labels are the TSV's gold labels, byte for byte
expect_true "escaped label round-trips" python3 -c '
import sys, xml.etree.ElementTree as E
r = E.parse(sys.argv[1]).getroot()
got = [t.text for t in r.iter("{http://www.w3.org/2000/svg}text") if t.get("class") == "row"]
want = sorted({l.split("\t")[0] for l in open(sys.argv[2])}, key=lambda s: s.encode())
sys.exit(0 if got == want and len(want) == 2 else "%r != %r" % (got, want))' "$T/esc.svg" "$T/esc.tsv"
# a multi-label TSV draws bars for its labels
printf 'A,B\tA\t0.7\nB\tB,A\t0.8\nA\tA\t0.9\n' >"$T/multi.tsv"
expect_status 0 "$EVTAG" score --json --plot "$T/m.svg" "$T/multi.tsv"
cp "$T/out" "$T/m.json"
expect_true "multi-label: bars = JSON" check "$T/m.svg" "$T/m.json" bars

# --- eval classifier and eval tagger with shipped models ---
head -n 60 "$SHARED/corpora/events/plover-synthetic/test.tsv" >"$T/dev.tsv"
expect_status 0 "$EVTAG" eval classifier --model "$M/plover.evm" --bootstrap 0 --json \
	--plot "$T/c.svg" "$T/dev.tsv"
cp "$T/out" "$T/c.json"
expect_true "eval classifier: confusion = JSON" check "$T/c.svg" "$T/c.json" confusion
if python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))["calibration"] else 1)' "$T/c.json"; then
	expect_true "eval classifier: ECE = JSON" check "$T/c.svg" "$T/c.json" confusion-ece
fi
awk 'BEGIN { RS = ""; ORS = "\n\n" } NR <= 20' "$SHARED/corpora/entities/conll2003/dev.conll" >"$T/s.conll"
expect_status 0 "$EVTAG" eval tagger --model "$M/entities.evm" --bootstrap 100 --json \
	--plot "$T/t.svg" "$T/s.conll"
cp "$T/out" "$T/t.json"
expect_true "eval tagger: F1 bars and intervals = JSON" check "$T/t.svg" "$T/t.json" bars

# --- a path that cannot be written: named, exit 1, no file left ---
expect_status 1 "$EVTAG" score --plot "$T/no/such/dir/p.svg" "$F/events-a.tsv"
expect_grep "$T/err" "$T/no/such/dir/p\.svg"
expect_true "no report after a failed plot" test ! -s "$T/out"
mkdir "$T/isdir" "$T/ro"
expect_status 1 "$EVTAG" score --plot "$T/isdir" "$F/events-a.tsv"
expect_grep "$T/err" "$T/isdir"
expect_true "nothing left next to the target" test -z "$(ls "$T/isdir")"
expect_true "no temporary file left" test -z "$(ls "$T" | grep '\.tmp\.')"
expect_status 1 "$EVTAG" eval tagger --model "$M/entities.evm" --bootstrap 0 \
	--plot /proc/evtag-plot.svg "$T/s.conll"
expect_grep "$T/err" '/proc/evtag-plot\.svg'
# an existing file is replaced whole
echo old >"$T/old.svg"
expect_status 0 "$EVTAG" score --plot "$T/old.svg" "$F/events-a.tsv"
expect_true "an existing file is replaced" cmp -s "$T/old.svg" "$T/a.svg"
# --plot needs its FILE
expect_status 2 "$EVTAG" score "$F/events-a.tsv" --plot

t_done
