#!/bin/sh
# python/evtag.py (ctypes over libevtag.so): evtag.classify on the sample
# article equals json.loads of each line of `evtag classify` (with the
# text's date prefix, with a date and id given as in a JSON lines input,
# with --threshold and --events-only), the same from 4 threads sharing one
# model set, and errors raised as EvtagError.
. tests/cli/lib.sh
ART="${SHARED}samples/article-2020-10-09.txt"
MODELS="${EVTAG_MODELS:-$PWD/models}"
: "${BUILD:=build}"
T="$T_TMP"
if ! command -v python3 >/dev/null 2>&1; then
	echo "$T_NAME: SKIPPED: python3 is not installed" >&2
	t_done
	exit
fi
have_models=1
for m in entities roles plover penta; do [ -f "$MODELS/$m.evm" ] || have_models=0; done
if [ "$have_models" = 0 ] || [ ! -f "$ART" ]; then
	echo "$T_NAME: SKIPPED: no shipped models in $MODELS or no $ART" >&2
	t_done
	exit
fi
export EVTAG_MODELS="$MODELS" EVTAG_LIB="$PWD/$BUILD/libevtag.so" PYTHONPATH="$PWD/python"
if [ "${SAN:-}" = 1 ]; then
	# a sanitized libevtag.so: its runtimes load first; python's own
	# leaks are not ours
	cc=${CC:-cc}
	export LD_PRELOAD="$($cc -print-file-name=libasan.so) $($cc -print-file-name=libubsan.so)"
	export ASAN_OPTIONS=detect_leaks=0
fi

env -u LD_PRELOAD "$EVTAG" classify "$ART" >"$T/plain.json"
python3 -c 'import json,sys; print(json.dumps({"id": "a-1", "date": "2021-01-02",
	"text": open(sys.argv[1], encoding="utf-8", newline="").read()}))' "$ART" >"$T/art.jsonl"
env -u LD_PRELOAD "$EVTAG" classify --jsonl "$T/art.jsonl" >"$T/jsonl.json"
env -u LD_PRELOAD "$EVTAG" classify --threshold 0.5 --events-only "$ART" >"$T/events.json"
expect_true "evtag classify printed records" test "$(wc -l <"$T/plain.json")" -ge 8

cat >"$T/check.py" <<'PY'
import json, os, sys
from concurrent.futures import ThreadPoolExecutor
import evtag
art, tmp = sys.argv[1], sys.argv[2]
text = open(art, encoding="utf-8", newline="").read()
def want(name):
    return [json.loads(l) for l in open(os.path.join(tmp, name), encoding="utf-8")]
bad = 0
def check(what, got, exp):
    global bad
    if got != exp:
        bad += 1
        print("python: %s differs from evtag classify (%d vs %d records)" % (what, len(got), len(exp)),
              file=sys.stderr)
plain = want("plain.json")
check("classify(text, id=path)", evtag.classify(text, id=art), plain)
check("classify(bytes, id=path)", evtag.classify(open(art, "rb").read(), id=art), plain)
check("classify with a date and an id", evtag.classify(text, date="2021-01-02", id="a-1"),
      want("jsonl.json"))
check("classify(models=DIR)", evtag.classify(text, id=art, models=os.environ["EVTAG_MODELS"]), plain)
with evtag.Models(threshold=0.5, events_only=True) as m:
    check("Models(threshold, events_only)", m.classify(text, id=art), want("events.json"))
    check("Models.lines", ["".join(m.lines(text, id=art))],
          [open(os.path.join(tmp, "events.json"), encoding="utf-8").read()])
m = evtag.Models()
with ThreadPoolExecutor(4) as ex:
    outs = list(ex.map(lambda i: m.classify(text, id=art), range(8)))
for o in outs:
    check("classify from 4 threads", o, plain)
m.close()
try:
    evtag.classify(b"Bad \xff text.", id="d7")
    bad += 1; print("python: no EvtagError for invalid UTF-8", file=sys.stderr)
except evtag.EvtagError as e:
    if e.code != -4 or not str(e).startswith("d7: byte 4: invalid UTF-8"):
        bad += 1; print("python: error %d %s" % (e.code, e), file=sys.stderr)
try:
    evtag.Models("/nonexistent/models")
    bad += 1; print("python: no EvtagError for a missing folder", file=sys.stderr)
except evtag.EvtagError as e:
    if "/nonexistent/models/entities.evm" not in str(e):
        bad += 1; print("python: error %s" % e, file=sys.stderr)
if evtag.version() != "0.1.0":
    bad += 1; print("python: version %s" % evtag.version(), file=sys.stderr)
sys.exit(1 if bad else 0)
PY
expect_status 0 python3 "$T/check.py" "$ART" "$T"
[ -s "$T/err" ] && t_bad "check.py: $(head -c 600 "$T/err")"

# the README's example (its Library section), run as printed there with
# the default model search and the library found in ../build/ (a normal
# build only)
if [ "$BUILD" = build ]; then
	sed -n '/^## Library/,/^## /p' README.md | sed -n '/^```python/,/^```/p' | sed '1d;$d' |
		sed "s|\.\./shared/|$SHARED|" >"$T/readme.py"
	expect_true "README's Library section has a Python example" test -s "$T/readme.py"
	expect_status 0 env -u EVTAG_LIB -u EVTAG_MODELS PYTHONPATH=python python3 "$T/readme.py"
	expect_true "the README example prints a line per record" \
		test "$(wc -l <"$T/out")" = "$(wc -l <"$T/plain.json")"
fi
t_done
