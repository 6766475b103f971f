#!/bin/sh
# evtag classify -f html, checked in a real browser: the page of the sample
# article, loaded by headless Chromium (--dump-dom), holds every entity,
# source and target of the JSON records of the same article as a
# highlighted span with the same text and code point offsets, pieces of a
# span cut by an enclosing one put together; sentences with no event are
# dimmed (and all of them with --threshold 1); ids and text with <script>,
# &, quotes and a control character come out escaped (the DOM has no script element, the
# text and id are given back exactly); the page's head and foot wrap the
# output once with --threads 2 over many articles, the same as one thread;
# a screenshot renders. Chromium comes from Debian's chromium package,
# installed as root when missing; without it the browser checks are
# skipped, saying so, and the others run on Python's html.parser.
T_NAME=test_html
. tests/cli/lib.sh
MODELS="${EVTAG_MODELS:-$PWD/models}"
T="$T_TMP"
ART="${SHARED}samples/article-2020-10-09.txt"

# usage errors: html has no per-event form and no numbered shard lines
expect_status 2 "$EVTAG" classify -f html --per event "$ART"
expect_grep "$T/err" "--per event writes json, tsv or csv, not html"
expect_status 2 "$EVTAG" classify -f html --shard 1/2 "$ART"
expect_grep "$T/err" "--shard numbers output lines"
expect_status 2 "$EVTAG" classify -f htm "$ART"
expect_grep "$T/err" "json, text, tsv, csv or html"

if ! command -v python3 >/dev/null 2>&1; then
	echo "$T_NAME: SKIPPED: no python3 to parse the pages" >&2
	t_done; exit $?
fi
for m in entities roles plover penta; do
	if [ ! -f "$MODELS/$m.evm" ] || [ ! -f "$ART" ]; then
		echo "$T_NAME: SKIPPED the checks that need the shipped models and $ART" >&2
		t_done; exit $?
	fi
done
export EVTAG_MODELS="$MODELS"

has_chromium() { command -v chromium >/dev/null 2>&1; }
if ! has_chromium && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1
fi
# dom FILE.html OUT: the DOM headless Chromium builds from the page
dom() {
	timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run \
		--user-data-dir="$T/chromium" --dump-dom "file://$(realpath "$1")" \
		>"$2" 2>"$T/chromium.err"
}

# check PAGE RECORDS [opts]: the page's sentences and spans against the
# JSON records (one per sentence, same input); see the script for opts.
check() {
	if out=$(python3 - "$@" <<'PY' 2>&1
import json, sys
from collections import Counter
from html.parser import HTMLParser

page, recs_path = sys.argv[1], sys.argv[2]
opts = set(sys.argv[3:])
VOID = {"meta", "br", "link", "img", "hr", "input"}

class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack = []          # (tag, attrs)
        self.tags = Counter()
        self.docs = []           # [data-doc, h2 text]
        self.sents = []          # {attrs, text, pieces: [(key, text)]}
        self.cur = None
        self.h2 = None
        self.bad = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] += 1
        if tag == "article":
            self.docs.append([a.get("data-doc"), ""])
        if tag == "h2":
            self.h2 = ""
        if tag == "div" and "sent" in a.get("class", "").split():
            self.sents.append({"attrs": a, "text": "", "pieces": []})
        if tag == "p" and a.get("class") == "text":
            self.cur = self.sents[-1]
        if tag == "span" and self.cur is not None and "data-start" in a:
            if a.get("class") == "ent":
                key = ("entity", a["data-type"], int(a["data-start"]), int(a["data-end"]))
            else:
                key = (a["data-role"], None, int(a["data-start"]), int(a["data-end"]))
            a["_key"] = key
            a["_text"] = ""
            a["_at"] = len(self.cur["text"])
        if tag not in VOID:
            self.stack.append((tag, a))
    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1][0] != tag:
            self.bad.append("</%s> closes <%s>" % (tag, self.stack[-1][0] if self.stack else ""))
            return
        t, a = self.stack.pop()
        if t == "span" and "_key" in a:
            self.cur["pieces"].append((a["_key"], a["_text"], a["_at"], a.get("data-part")))
        if t == "p" and self.cur is not None:
            self.cur = None
        if t == "h2":
            self.docs[-1][1] = self.h2
            self.h2 = None
    def handle_data(self, data):
        if self.h2 is not None:
            self.h2 += data
        if self.cur is not None:
            self.cur["text"] += data
            for t, a in self.stack:
                if "_key" in a:
                    a["_text"] += data

p = P()
p.feed(open(page, encoding="utf-8").read())
p.close()
err = []
if p.bad:
    err.append("unbalanced: " + "; ".join(p.bad[:3]))
if p.stack:
    err.append("left open: %s" % [t for t, _ in p.stack])
if p.tags["script"] or p.tags["img"] or p.tags["link"] or p.tags["iframe"]:
    err.append("script/img/link/iframe elements: %s" % dict(p.tags))
if p.tags["html"] != 1 or p.tags["body"] != 1 or p.tags["style"] != 1:
    err.append("not one page: %s" % dict(p.tags))
recs = [json.loads(l) for l in open(recs_path, encoding="utf-8")]
if len(recs) != len(p.sents):
    err.append("%d records, %d sentences on the page" % (len(recs), len(p.sents)))
want_docs = []
for r in recs:
    if not want_docs or want_docs[-1] != r["doc"]:
        want_docs.append(r["doc"])
if [d for d, _ in p.docs] != want_docs or [h for _, h in p.docs] != want_docs:
    err.append("articles %r, records of %r" % (p.docs[:3], want_docs[:3]))
nspans = Counter()
# control characters other than tab, LF and CR are shown as their pictures
pics = {c: 0x2400 + c for c in range(32) if c not in (9, 10, 13)}
pics[0x7f] = 0x2421
for r in recs:
    r["text"] = r["text"].translate(pics)
for r, s in zip(recs, p.sents):
    a = s["attrs"]
    where = "%s sentence %d" % (r["doc"], r["sent"])
    if s["text"] != r["text"]:
        err.append("%s: text %r, record %r" % (where, s["text"], r["text"]))
    if (int(a["data-sent"]), int(a["data-start"]), int(a["data-end"])) != (r["sent"], r["start"], r["end"]):
        err.append("%s: sentence offsets %r" % (where, a))
    dimmed = "none" in a["class"].split()
    if dimmed != (r["event"] is None) or ("all-dimmed" in opts and not dimmed):
        err.append("%s: dimmed %s, event %r" % (where, dimmed, r["event"]))
    # the spans: pieces of one span put together, in page order
    got = {}
    for key, text, at, part in s["pieces"]:
        g = got.setdefault(key, ["", at, 0])
        if g[0] and g[1] + len(g[0]) != at:
            err.append("%s: pieces of %r not contiguous" % (where, key))
        g[0] += text
        g[2] += 1
        if part and int(part) != g[2]:
            err.append("%s: piece %s of %r is number %d" % (where, part, key, g[2]))
    want = Counter()
    for e in r["entities"]:
        want[("entity", e["type"], e["start"], e["end"], e["text"])] += 1
    for role in ("source", "target"):
        for e in r[role]:
            want[(role, None, e["start"], e["end"], e["text"])] += 1
    have = Counter(k + (v[0],) for k, v in got.items())
    if have != want:
        err.append("%s: spans on the page %r, in the record %r" % (
            where, sorted((have - want).elements()), sorted((want - have).elements())))
    for (kind, typ, st, en), (text, at, n) in got.items():
        off = st - r["start"]
        if r["text"][off:off + len(text)] != text or at != off or en - st != len(text):
            err.append("%s: %r at %d does not match its offsets" % (where, text, at))
        nspans[kind] += 1
if "sample" in opts and not (nspans["entity"] and nspans["source"] and nspans["target"]):
    err.append("expected entities, sources and targets: %r" % nspans)
if "sample" in opts and not any("none" in s["attrs"]["class"].split() for s in p.sents):
    err.append("expected a dimmed sentence")
if err:
    sys.exit("\n".join(err[:8]))
PY
	); then t_ok; else t_bad "$1: $out"; fi
}

# the sample article, as written and as the browser builds it
expect_status 0 "$EVTAG" classify -f html "$ART"
cp "$T/out" "$T/a.html"
expect_status 0 "$EVTAG" classify "$ART"
cp "$T/out" "$T/a.jsonl"
check "$T/a.html" "$T/a.jsonl" sample
expect_status 0 "$EVTAG" classify -f html --threshold 1 "$ART"
cp "$T/out" "$T/none.html"
expect_status 0 "$EVTAG" classify --threshold 1 "$ART"
cp "$T/out" "$T/none.jsonl"
check "$T/none.html" "$T/none.jsonl" all-dimmed

# escaping: an id and text with markup, ampersands, quotes and a BEL
python3 - "$T/esc.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for i, (id_, text) in enumerate([
        ('<b>"x" & \'y\'</b>', 'Russia said <script>alert("x")</script> & "quotes" \'single\' </p></div> &amp; were sent to Moscow.'),
        ("a&lt;1", "The army of Turkey attacked\u0007Syria on Monday. Sanctions <b>followed</b> & France protested."),
        ("</article><script>", "Nothing <!-- here --> happened.")]):
        f.write(json.dumps({"id": id_, "date": "2021-03-0%d" % (i + 1), "text": text}) + "\n")
PY
expect_status 0 "$EVTAG" classify --jsonl -f html "$T/esc.jsonl"
cp "$T/out" "$T/esc.html"
expect_status 0 "$EVTAG" classify --jsonl "$T/esc.jsonl"
cp "$T/out" "$T/esc.json"
expect_no_grep "$T/esc.html" '<script|<b>"x|<b>followed|<!--|</p></div> &amp;|</article><'
expect_grep "$T/esc.html" '&lt;script&gt;alert\(&quot;x&quot;\)&lt;/script&gt; &amp; &quot;quotes&quot; &#39;single&#39; &lt;/p&gt;&lt;/div&gt; &amp;amp;'
expect_grep "$T/esc.html" '<article class="doc" data-doc="&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;">'
expect_grep "$T/esc.html" "attacked$(printf '\342\220\207')"
check "$T/esc.html" "$T/esc.json"

# many articles on two threads: one page, the same as on one thread
for i in 1 2 3 4 5 6; do cat "$T/esc.jsonl"; done >"$T/many.jsonl"
expect_status 0 "$EVTAG" classify -f html --threads 2 "$T/many.jsonl" "$T/esc.jsonl" "$ART"
cp "$T/out" "$T/many2.html"
expect_status 0 "$EVTAG" classify -f html --threads 1 "$T/many.jsonl" "$T/esc.jsonl" "$ART"
expect_true "--threads 2 page differs from --threads 1" cmp -s "$T/out" "$T/many2.html"
expect_true "page does not start with <!DOCTYPE html>" \
	sh -c "head -n 1 '$T/many2.html' | grep -qx '<!DOCTYPE html>'"
expect_true "page does not end with </html>" \
	sh -c "tail -n 1 '$T/many2.html' | grep -qx '</html>'"
expect_true "not 22 articles on the page" \
	sh -c "[ \$(grep -c '^<article ' '$T/many2.html') = 22 ]"
expect_status 0 "$EVTAG" classify --threads 2 "$T/many.jsonl" "$T/esc.jsonl" "$ART"
check "$T/many2.html" "$T/out"

if ! has_chromium; then
	echo "$T_NAME: SKIPPED the browser checks: chromium is not installed (Debian package chromium; installed by this test when run as root)" >&2
	t_done; exit $?
fi
for f in a none esc; do
	if dom "$T/$f.html" "$T/$f.dom"; then t_ok; else t_bad "chromium --dump-dom $f.html: $(tail -c 400 "$T/chromium.err")"; fi
	expect_grep "$T/$f.dom" "</html>"
done
check "$T/a.dom" "$T/a.jsonl" sample
check "$T/none.dom" "$T/none.jsonl" all-dimmed
check "$T/esc.dom" "$T/esc.json"
expect_no_grep "$T/esc.dom" "<script"
# it renders: a PNG screenshot
timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run \
	--user-data-dir="$T/chromium" --hide-scrollbars --window-size=800,600 \
	--screenshot="$T/shot.png" "file://$(realpath "$T/a.html")" >/dev/null 2>&1
expect_true "no PNG screenshot" \
	sh -c "[ -s '$T/shot.png' ] && head -c 8 '$T/shot.png' | od -An -c | grep -q 'P   N   G'"
t_done
