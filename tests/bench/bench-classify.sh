#!/bin/sh
# End-to-end throughput of `evtag classify` (tokenizing, both taggers, both
# classifiers, dates, JSON output) on the running text of the GMB entity
# corpus grouped into articles of 20 sentences (JSON lines), with 1 and 2
# threads; the speed-up ratio; the pipeline's cost against tokenizing alone
# (`evtag split`, the first stage); and peak memory on a short stream and
# on one 10 times longer, to show that memory stays flat.
# Scratch files go under build/bench/. Needs the shipped models (models/).
: "${CORPORA:=../shared/corpora}"
: "${EVTAG:=$PWD/evtag}"
: "${EVTAG_MODELS:=$PWD/models}"
export EVTAG_MODELS
SRC="$CORPORA/entities/gmb/train.conll"
OUT=build/bench/classify
mkdir -p "$OUT"
if [ -n "$BASE_EVTAG" ] && [ ! -d "$BASE_MODELS" ]; then
	echo "bench-classify: BASE_EVTAG needs BASE_MODELS, the folder of that build's models (got '$BASE_MODELS')" >&2
	exit 2
fi

. tests/bench/lib.sh
bench_need bench-classify

# CoNLL tokens -> running text -> JSON lines of 20 sentences each, with a
# date and an id; also a 10x stream for the memory check. Prints the token
# count of one copy.
TOKENS=$(python3 - "$SRC" "$OUT" <<'EOF'
import json, sys
sys.path.insert(0, "tests/bench")
from gen_stream import token_sentences, join
src, out = sys.argv[1], sys.argv[2]
toks = token_sentences(src)
ntok = sum(len(t) for t in toks)
sents = [join(t) for t in toks]
arts = []
for i in range(0, len(sents), 20):
    day = 1 + (i // 20) % 28
    arts.append(json.dumps({"id": "gmb-%05d" % (i // 20), "date": "2020-10-%02d" % day,
                            "text": " ".join(sents[i:i + 20])}, ensure_ascii=False))
with open(out + "/gmb.jsonl", "w", encoding="utf-8") as f:
    f.write("\n".join(arts) + "\n")
short = arts[:200]
with open(out + "/short.jsonl", "w", encoding="utf-8") as f:
    f.write("\n".join(short) + "\n")
with open(out + "/long.jsonl", "w", encoding="utf-8") as f:
    for k in range(10):
        f.write("\n".join(short) + "\n")
print(ntok)
EOF
) || exit 1
ARTS=$(wc -l <"$OUT/gmb.jsonl")

# secs CMD...: wall-clock seconds of CMD (output discarded); its CPU
# seconds (user + system) are left in $OUT/cpu.
secs() {
	/usr/bin/time -f '%e %U %S' -o "$OUT/time" "$@" >/dev/null ||
		{ echo "bench-classify: '$*' failed" >&2; exit 1; }
	awk '{ printf "%.2f", $2 + $3 }' "$OUT/time" >"$OUT/cpu"
	awk '{ printf "%.2f", $1 }' "$OUT/time"
}
rate() { echo "$1 $2" | awk '{ printf "%.0f", $1 / $2 }'; }

echo "input: $ARTS articles, $TOKENS tokens ($SRC, 20 sentences an article)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (a busy machine lowers the speed-up)"
ts=$(secs "$EVTAG" split --jsonl "$OUT/gmb.jsonl"); cs=$(cat "$OUT/cpu")
t1=$(secs "$EVTAG" classify --jsonl --threads 1 "$OUT/gmb.jsonl"); c1=$(cat "$OUT/cpu")
t2=$(secs "$EVTAG" classify --jsonl --threads 2 "$OUT/gmb.jsonl"); c2=$(cat "$OUT/cpu")
printf '%-30s %7s s wall %7s s CPU %7s articles/s %8s tokens/s\n' "evtag split (tokenize only)" \
	"$ts" "$cs" "$(rate "$ARTS" "$ts")" "$(rate "$TOKENS" "$ts")"
printf '%-30s %7s s wall %7s s CPU %7s articles/s %8s tokens/s\n' "evtag classify --threads 1" \
	"$t1" "$c1" "$(rate "$ARTS" "$t1")" "$(rate "$TOKENS" "$t1")"
printf '%-30s %7s s wall %7s s CPU %7s articles/s %8s tokens/s\n' "evtag classify --threads 2" \
	"$t2" "$c2" "$(rate "$ARTS" "$t2")" "$(rate "$TOKENS" "$t2")"
echo "$t1 $t2 $c1 $c2" | awk '{ printf "speed-up, 2 threads vs 1: %.2fx (CPU time 2 vs 1 thread: %.2fx)\n", $1 / $2, $4 / $3 }'
echo "$TOKENS $c1" | awk '{ printf "one thread, per CPU second: %.0f tokens/s (what one free core would give)\n", $1 / $2 }'
echo "$t1 $ts" | awk '{ printf "classify (1 thread) takes %.1fx the time of tokenizing alone\n", $1 / $2 }'

# Optionally another build side by side, with its own models:
# BASE_EVTAG=DIR/evtag BASE_MODELS=DIR/models. Issue 15 measures classify
# against the build it was filed on (commit 283b2e0; docs/benchmarks.md
# shows how to build it). Three rounds, the two alternating; the medians
# of their CPU seconds on one thread, and the ratio.
if [ -n "$BASE_EVTAG" ]; then
	: >"$OUT/base.cpu"; : >"$OUT/head.cpu"
	for r in 1 2 3; do
		secs env EVTAG_MODELS="$BASE_MODELS" "$BASE_EVTAG" classify \
			--jsonl --threads 1 "$OUT/gmb.jsonl" >/dev/null
		cat "$OUT/cpu" >>"$OUT/base.cpu"; echo >>"$OUT/base.cpu"
		secs "$EVTAG" classify --jsonl --threads 1 "$OUT/gmb.jsonl" >/dev/null
		cat "$OUT/cpu" >>"$OUT/head.cpu"; echo >>"$OUT/head.cpu"
	done
	mb=$(sort -n "$OUT/base.cpu" | sed -n 2p); mh=$(sort -n "$OUT/head.cpu" | sed -n 2p)
	echo "against $BASE_EVTAG (its models), one thread, median of 3 alternating rounds:" \
		"$mb s CPU ($(rate "$TOKENS" "$mb") tokens/s) against $mh s ($(rate "$TOKENS" "$mh") tokens/s):" \
		"$(echo "$mb $mh" | awk '{ printf "%.2f", $1 / $2 }')x; load average $(cut -d' ' -f1-3 /proc/loadavg)"
fi

# Identical output for 1 and 2 threads (the same check as the tests, on
# the whole batch).
"$EVTAG" classify --jsonl --threads 1 "$OUT/gmb.jsonl" >"$OUT/t1.json"
"$EVTAG" classify --jsonl --threads 2 "$OUT/gmb.jsonl" >"$OUT/t2.json"
if cmp -s "$OUT/t1.json" "$OUT/t2.json"; then echo "1 and 2 threads: identical output ($(wc -c <"$OUT/t1.json") bytes)"
else echo "bench-classify: 1 and 2 threads differ" >&2; exit 1; fi

# Peak memory: a stream 10 times longer must not need more memory.
rss() {
	/usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ { print $2 }'
}
r_short=$(rss "$EVTAG" classify --jsonl --threads 2 "$OUT/short.jsonl")
r_long=$(rss "$EVTAG" classify --jsonl --threads 2 "$OUT/long.jsonl")
echo "peak RSS, 200 articles: ${r_short} kB; 2000 articles: ${r_long} kB" \
	"($(echo "$r_long $r_short" | awk '{ printf "%.2f", $1 / $2 }')x)"
rm -f "$OUT/t1.json" "$OUT/t2.json"

# One article, as a script coding file by file runs it: nearly all model
# loading. The heap on huge pages (src/cli/heap.c) against ordinary pages
# (EVTAG_NO_HUGEPAGES=1): five alternating rounds, the medians of CPU
# seconds, page faults and peak RSS, and the ratio of the CPU times.
ONE=${SAMPLE:-../shared/samples/article-2020-10-09.txt}
if [ -f "$ONE" ]; then
	: >"$OUT/hp.txt"; : >"$OUT/np.txt"
	for r in 1 2 3 4 5; do
		/usr/bin/time -f '%U %S %R %M' -o "$OUT/time" "$EVTAG" classify "$ONE" >/dev/null &&
			cat "$OUT/time" >>"$OUT/hp.txt"
		/usr/bin/time -f '%U %S %R %M' -o "$OUT/time" env EVTAG_NO_HUGEPAGES=1 \
			"$EVTAG" classify "$ONE" >/dev/null && cat "$OUT/time" >>"$OUT/np.txt"
	done
	med() { awk -v c="$2" '{ print (c == 1 ? $1 + $2 : $(c + 1)) }' "$1" | sort -n | sed -n 3p; }
	echo "one article ($ONE), medians of 5 alternating runs:" \
		"huge pages $(med "$OUT/hp.txt" 1) s CPU, $(med "$OUT/hp.txt" 2) page faults, $(med "$OUT/hp.txt" 3) kB;" \
		"ordinary pages (EVTAG_NO_HUGEPAGES=1) $(med "$OUT/np.txt" 1) s, $(med "$OUT/np.txt" 2), $(med "$OUT/np.txt" 3) kB:" \
		"$(echo "$(med "$OUT/hp.txt" 1) $(med "$OUT/np.txt" 1)" | awk '{ printf "%.2f", $1 / $2 }')x the CPU time"
fi
