#!/bin/sh
# `evtag classify -f csv` (RFC 4180) and `-f tsv` (backslash escapes, no
# quoting), per sentence and per event, read back with Python's csv module
# (and pandas, Debian python3-pandas, when installed) give exactly the
# fields of the JSON records: on JSON lines with quotes at the start and
# inside, commas, tabs, line breaks, backslashes, semicolons and non-ASCII
# names (tests/cli/data/records.jsonl) and on the sample article.
T_NAME=test_csv
. tests/cli/lib.sh

MODELS="${EVTAG_MODELS:-$PWD/models}"
ART="${SHARED}samples/article-2020-10-09.txt"
JL=tests/cli/data/records.jsonl
if ! command -v python3 >/dev/null 2>&1; then
	echo "$T_NAME: SKIPPED: python3 is not installed" >&2
	t_done; exit $?
fi
if [ ! -f "$MODELS/plover.evm" ] || [ ! -f "$ART" ]; then
	echo "$T_NAME: SKIPPED: no shipped models in $MODELS or no $ART" >&2
	t_done; exit $?
fi

# compare PER FMT JSONFILE ROWFILE: the rows read back equal the JSON.
compare() {
	if out=$(python3 - "$@" <<'PY' 2>&1
import csv, json, sys
per, fmt, jpath, rpath = sys.argv[1:5]

def unesc_tsv(s):
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s):
            out.append({"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}[s[i + 1]]); i += 2
        else:
            out.append(s[i]); i += 1
    return "".join(out)

def split_list(s):
    # values joined by "; ", each with "\\" and "\;" escaped
    if s == "":
        return []
    vals, cur, i = [], [], 0
    while i < len(s):
        if s[i] == "\\":
            cur.append(s[i + 1]); i += 2
        elif s.startswith("; ", i):
            vals.append("".join(cur)); cur = []; i += 2
        else:
            cur.append(s[i]); i += 1
    vals.append("".join(cur))
    return vals

def read_rows(path):
    if fmt == "csv":
        with open(path, newline="", encoding="utf-8") as f:
            data = f.read()
        if not data.endswith("\r\n") or "\r\n" not in data.split("\n", 1)[0] + "\n":
            sys.exit("CSV lines do not end in CRLF")
        return list(csv.reader(data.splitlines(True)))
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [[unesc_tsv(c) for c in r] for r in rows]

def flat(obj, pre=""):
    out = {}
    for k, v in obj.items():
        if isinstance(v, dict):
            out.update(flat(v, pre + k + "_"))
        else:
            out[pre + k] = v
    return out

def same(cell, want, col):
    if isinstance(want, list):
        return split_list(cell) == want
    if want is None:
        return cell == ""
    if isinstance(want, bool):
        return cell == str(want).lower()
    if isinstance(want, (int, float)):
        return cell != "" and float(cell) == float(want)
    return cell == want

recs = [json.loads(l) for l in open(jpath, encoding="utf-8")]
rows = read_rows(rpath)
head, body = rows[0], rows[1:]
if any(len(r) != len(head) for r in body):
    sys.exit("a row has not %d fields" % len(head))
if per == "event":
    want = []
    for r in recs:
        fr = flat(r)
        row = {}
        for h in head:
            if h in fr:
                row[h] = fr[h]
            else:  # a column of a null object
                p = [k for k in fr if h.startswith(k + "_") and fr[k] is None]
                if not p:
                    sys.exit("column %s not in the JSON" % h)
                row[h] = None
        want.append(row)
else:
    want = []
    for r in recs:
        if r["event"] is None:
            continue
        ev, st = r["event"], r["status"] or {}
        def codes(actors):
            seen = []
            for a in actors:
                if a["country"] and a["country"] not in seen:
                    seen.append(a["country"])
            return ";".join(seen) or None
        want.append({
            "date": r["event_date"],
            "source": [a["text"] for a in r["source"]], "source_code": codes(r["source"]),
            "event": ev["plover"], "penta": ev["penta"],
            "target": [a["text"] for a in r["target"]], "target_code": codes(r["target"]),
            "location": [l["text"] for l in r["location"]], "doc": r["doc"],
            "sentence": r["text"],
            "negated": "1" if st.get("negated", 0) >= 0.5 else "0",
            "hypothetical": "1" if st.get("hypothetical", 0) >= 0.5 else "0",
            "reported": "1" if st.get("reported", 0) >= 0.5 else "0"})
    if head != list(want[0].keys()) if want else False:
        sys.exit("header %s" % head)
if len(want) != len(body) or not body:
    sys.exit("%d rows, %d JSON records" % (len(body), len(want)))
for i, (row, w) in enumerate(zip(body, want), 1):
    for h, cell in zip(head, row):
        if not same(cell, w[h], h):
            sys.exit("row %d, %s: %r, JSON has %r" % (i, h, cell, w[h]))
try:
    import pandas
except ImportError:
    sys.exit(0)
if fmt == "csv":
    df = pandas.read_csv(rpath, dtype=str, keep_default_na=False)
else:
    df = pandas.read_csv(rpath, sep="\t", dtype=str, keep_default_na=False,
                         quoting=csv.QUOTE_NONE)
    df = df.apply(lambda c: c.map(unesc_tsv))
if list(df.columns) != head or df.values.tolist() != [[c for c in r] for r in (body if fmt == "csv" else body)]:
    sys.exit("pandas reads other rows than csv")
PY
	); then t_ok; else t_bad "$*: $out"; fi
}

for input in "$JL" "$ART"; do
	for per in sentence event; do
		expect_status 0 "$EVTAG" classify --per "$per" "$input"
		cp "$T_TMP/out" "$T_TMP/json"
		for fmt in csv tsv; do
			expect_status 0 "$EVTAG" classify --per "$per" -f "$fmt" "$input"
			cp "$T_TMP/out" "$T_TMP/rows.$fmt"
			compare "$per" "$fmt" "$T_TMP/json" "$T_TMP/rows.$fmt"
		done
	done
done
# TSV: no field holds a tab or a line break (every row the header's width)
"$EVTAG" classify --per event -f tsv "$JL" >"$T_TMP/t.tsv"
expect_true "TSV rows of equal width" awk -F'\t' 'NR == 1 { n = NF } NF != n { exit 1 }' "$T_TMP/t.tsv"
expect_grep "$T_TMP/t.tsv" 'army\\tshelled'
# CSV: a quote inside a field doubled, the field quoted
"$EVTAG" classify -f csv "$JL" >"$T_TMP/t.csv"
expect_grep "$T_TMP/t.csv" '"The ""Azerbaijani"" army'
t_done
