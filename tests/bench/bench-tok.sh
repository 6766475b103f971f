#!/bin/sh
# Tokenization throughput and agreement with gold tokens.
#
# Rebuilds running text from the GMB training corpus (all 834k tokens):
# each sentence's tokens are joined the way news text writes them ("U.S.
# 's" -> "U.S.'s", "( OSCE )" -> "(OSCE)", "do n't" -> "don't"), 20
# sentences an article (or one per -DOCSTART- document), a blank line
# every 5 sentences, a line break after a sentence without final
# punctuation (headlines, datelines). The gold token and sentence
# spans are known from the rebuild, so the script reports how many of the
# gold tokens and sentence ends `evtag split` finds (also on CoNLL-2003
# train, rebuilt the same way, when present), and its speed in tokens per
# second on the GMB text against two peers run on the same text in the
# same run: a Penn-Treebank-style regular-expression tokenizer in Perl
# (no sentence splitting), and plain whitespace splitting (awk).
# Needs python3 and perl; scratch files go to build/bench/.
: "${CORPORA:=../shared/corpora}"
: "${EVTAG:=$PWD/evtag}"
GMB="$CORPORA/entities/gmb/train.conll"
C03="$CORPORA/entities/conll2003/train.conll"
OUT=build/bench
mkdir -p "$OUT"
for tool in python3 perl awk; do
	command -v $tool >/dev/null 2>&1 || { echo "bench-tok: $tool not found, skipped"; exit 0; }
done
[ -f "$GMB" ] || { echo "bench-tok: $GMB not found, skipped"; exit 0; }

# prep CONLL NAME: writes $OUT/NAME.jsonl (articles), NAME.txt (the same
# texts, articles separated by two blank lines) and NAME.gold (spans)
prep() {
python3 - "$1" "$OUT/$2" <<'EOF'
import json, sys
conll, out = sys.argv[1], sys.argv[2]
docs, sents, cur = [], [], []   # -DOCSTART- lines start documents
for line in open(conll, encoding="utf-8"):
    line = line.rstrip("\n")
    if not line.strip():
        if cur:
            sents.append(cur)
            cur = []
        continue
    tok = line.split()[0]
    if tok == "-DOCSTART-":
        if sents:
            docs.append(sents)
            sents = []
    else:
        cur.append(tok)
if cur:
    sents.append(cur)
if sents:
    docs.append(sents)
if len(docs) == 1:   # no document marks (GMB): articles of 20 sentences
    docs = [docs[0][a:a + 20] for a in range(0, len(docs[0]), 20)]
LEFT = {",", ".", ";", ":", "?", "!", "%", ")", "]", "}", "...", "n't", "'"}
CLITIC = {"'s", "'m", "'ll", "'re", "'ve", "'d", "'S"}
RIGHT = {"(", "[", "{", "$"}
def rebuild(words, text, spans):
    """Appends one sentence to text (a list of str); spans get code point offsets."""
    glue = True          # no space before the first token
    quote_open = False
    pos = sum(len(x) for x in text)
    for w in words:
        attach = w in LEFT or w in CLITIC
        if w == '"':
            attach = quote_open
            quote_open = not quote_open
        if not glue and not attach:
            text.append(" ")
            pos += 1
        spans.append((pos, pos + len(w)))
        text.append(w)
        pos += len(w)
        glue = w in RIGHT or (w == '"' and quote_open)
arts = open(out + ".jsonl", "w", encoding="utf-8")
plain = open(out + ".txt", "w", encoding="utf-8")
gold = open(out + ".gold", "w", encoding="utf-8")
# sentences follow each other on a line; a blank line every 5; a
# sentence without final punctuation (headline, dateline) ends its line
for a, doc in enumerate(docs):
    text, spans, ends = [], [], []
    for i, s in enumerate(doc):
        if i:
            if i % 5 == 0:
                text.append("\n\n")
            elif doc[i - 1][-1] not in (".", "?", "!", '"', "'", ")"):
                text.append("\n")
            else:
                text.append(" ")
        rebuild(s, text, spans)
        ends.append(spans[-1][1])
    t = "".join(text)
    arts.write(json.dumps({"id": a, "text": t}, ensure_ascii=False) + "\n")
    plain.write(t + "\n\n\n")
    gold.write(json.dumps({"tokens": spans, "ends": ends}) + "\n")
EOF
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }

# score NAME LABEL: evtag's tokens and sentence ends in $OUT/NAME.split
# against the gold spans; appends two lines to $OUT/score.txt and prints
# the number of tokens evtag found.
score() {
python3 - "$OUT/$1" "$2" "$OUT/score.txt" <<'EOF'
import json, sys
out, label, report = sys.argv[1], sys.argv[2], sys.argv[3]
got = {}
n = 0
for line in open(out + ".split", encoding="utf-8"):
    o = json.loads(line)
    d = got.setdefault(o["doc"], ([], []))
    d[0].extend((k["start"], k["end"]) for k in o["tokens"])
    d[1].append(o["end"])
    n += len(o["tokens"])
tp = fn = fp = stp = sfn = sfp = 0
for i, line in enumerate(open(out + ".gold", encoding="utf-8")):
    g = json.loads(line)
    toks, ends = got.get(str(i), ([], []))
    gs, es = set(map(tuple, g["tokens"])), set(toks)
    tp += len(gs & es); fn += len(gs - es); fp += len(es - gs)
    ge, ee = set(g["ends"]), set(ends)
    stp += len(ge & ee); sfn += len(ge - ee); sfp += len(ee - ge)
def f1(tp, fp, fn):
    p = tp / max(tp + fp, 1); r = tp / max(tp + fn, 1)
    return p, r, 2 * p * r / max(p + r, 1e-9)
p, r, f = f1(tp, fp, fn)
sp, sr, sf = f1(stp, sfp, sfn)
print(n)
with open(report, "a") as f_:
    f_.write("%-16s tokens vs gold:      precision %.4f recall %.4f F1 %.4f (%d gold)\n" % (label, p, r, f, tp + fn))
    f_.write("%-16s sentence ends vs gold: precision %.4f recall %.4f F1 %.4f (%d gold)\n" % (label, sp, sr, sf, stp + sfn))
EOF
}

prep "$GMB" gmb || exit 1
: >"$OUT/score.txt"

# evtag split, JSON lines out (the real job: read, tokenize, split, write)
t0=$(now)
"$EVTAG" split --jsonl "$OUT/gmb.jsonl" >"$OUT/gmb.split" || { echo "bench-tok: evtag split failed"; exit 1; }
t1=$(now)
ev_s=$(elapsed "$t0" "$t1")
ev_n=$(score gmb "GMB train") || exit 1
if [ -f "$C03" ]; then
	prep "$C03" conll2003 && "$EVTAG" split --jsonl "$OUT/conll2003.jsonl" >"$OUT/conll2003.split" &&
		score conll2003 "CoNLL-2003 train" >/dev/null
fi

# the tokenizer alone: tok_split over each article, no I/O, in a small C
# program built against the library
cat >"$OUT/bench_tok.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "text/tok.h"
/* Times tok_split over each article of the plain file (articles end with
 * "\n\n\n"; paragraphs inside are "\n\n"), best of three rounds; prints
 * "TOKENS SECONDS". */
int main(int argc, char **argv)
{
	FILE *f = argc > 1 ? fopen(argv[1], "rb") : NULL;
	char *s;
	long n;
	double best = 1e30;
	unsigned long ntok = 0;
	tok_doc d = { 0 };
	err_t e;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		return 1;
	s = malloc((size_t)n + 1);
	if (!s || fread(s, 1, (size_t)n, f) != (size_t)n)
		return 1;
	s[n] = 0;
	fclose(f);
	for (int round = 0; round < 3; round++) {
		struct timespec a, b;
		ntok = 0;
		clock_gettime(CLOCK_MONOTONIC, &a);
		for (size_t at = 0; at < (size_t)n;) {
			char *end = strstr(s + at, "\n\n\n");
			size_t len = end ? (size_t)(end - (s + at)) + 3 : (size_t)n - at;
			if (tok_split(&d, s + at, len, 0, 0, &e) != 0) {
				fprintf(stderr, "%s\n", e.msg);
				return 1;
			}
			ntok += d.ntok;
			at += len;
		}
		clock_gettime(CLOCK_MONOTONIC, &b);
		double t = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
		if (t < best)
			best = t;
	}
	printf("%lu %.4f\n", ntok, best);
	tok_doc_free(&d);
	free(s);
	return 0;
}
EOF
LIBDIR=build
[ -f "$LIBDIR/libevtag.a" ] || { echo "bench-tok: build/libevtag.a missing (run make)"; exit 1; }
${CC:-cc} -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -Isrc -o "$OUT/bench_tok" "$OUT/bench_tok.c" "$LIBDIR/libevtag.a" -lm ||
	{ echo "bench-tok: could not build the C bench"; exit 1; }
set -- $("$OUT/bench_tok" "$OUT/gmb.txt")
tk_n=$1 tk_s=$2

# peer 1: a Penn-Treebank-style regex tokenizer in Perl, tokens one a line
t0=$(now)
perl -CSD -ne '
	s/^"/`` /; s/([ (\[{<])"/$1 `` /g;
	s/(\.\.\.)/ $1 /g; s/([,;:@#\$%&])/ $1 /g;
	s/([^.])([.])([\])}>"\x27]*)\s*$/$1 $2$3 /;
	s/([?!])/ $1 /g; s/([\]\[(){}<>])/ $1 /g; s/--/ -- /g;
	s/"/ \x27\x27 /g;
	s/([^\x27 ])(\x27[sSmMdD]|\x27ll|\x27LL|\x27re|\x27RE|\x27ve|\x27VE|n\x27t|N\x27T) / $1 $2 /g;
	s/([^\x27 ])(\x27[sSmMdD]|\x27ll|\x27LL|\x27re|\x27RE|\x27ve|\x27VE|n\x27t|N\x27T)$/$1 $2/;
	print join("\n", split " "), "\n";
' "$OUT/gmb.txt" >"$OUT/perl.tok"
t1=$(now)
pl_s=$(elapsed "$t0" "$t1")
pl_n=$(grep -c . "$OUT/perl.tok")

# peer 2: whitespace splitting
t0=$(now)
aw_n=$(awk '{ n += NF } END { print n }' "$OUT/gmb.txt")
t1=$(now)
aw_s=$(elapsed "$t0" "$t1")

tk_r=$(rate "$tk_n" "$tk_s"); ev_r=$(rate "$ev_n" "$ev_s"); pl_r=$(rate "$pl_n" "$pl_s"); aw_r=$(rate "$aw_n" "$aw_s")
printf '%-44s %9s tokens %8s s %12s tokens/s\n' "tok_split (library, best of 3, no I/O)" "$tk_n" "$tk_s" "$tk_r"
printf '%-44s %9s tokens %8s s %12s tokens/s\n' "evtag split --jsonl (read, split, JSON out)" "$ev_n" "$ev_s" "$ev_r"
printf '%-44s %9s tokens %8s s %12s tokens/s\n' "perl PTB-style regex tokenizer" "$pl_n" "$pl_s" "$pl_r"
printf '%-44s %9s tokens %8s s %12s tokens/s\n' "awk whitespace split" "$aw_n" "$aw_s" "$aw_r"
awk -v a="$ev_r" -v b="$pl_r" -v c="$aw_r" -v t="$tk_r" 'BEGIN {
	printf "ratio evtag-split/perl-PTB %.2f, tok_split/perl-PTB %.2f, evtag-split/awk-whitespace %.2f\n",
		(b > 0 ? a / b : 0), (b > 0 ? t / b : 0), (c > 0 ? a / c : 0) }'
cat "$OUT/score.txt"
