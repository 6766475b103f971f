#!/bin/sh
# Load: a generated stream of LOAD_MB megabytes (default 1024) of articles,
# JSON lines on standard input, through `evtag classify --jsonl --threads 2`
# with all four shipped models. The stream is made on the fly by
# gen_stream.py (GMB sentences drawn at random, 5-60 an article, with
# made-up names that no model has seen), so nothing of that size touches
# the disk. While it runs, the process's resident memory (VmRSS) and peak
# (VmHWM) are sampled from /proc with the bytes it has read; the report
# gives the peak once the first LOAD_START_MB (default 16) megabytes are
# in ("start") and at the end, and fails if the end peak is more than 10%
# above the start peak, or if any article is lost.
# A full run takes about 15-40 minutes on these 2-core machines.
: "${CORPORA:=../shared/corpora}"
: "${EVTAG:=$PWD/evtag}"
: "${EVTAG_MODELS:=$PWD/models}"
: "${LOAD_MB:=1024}"
: "${LOAD_START_MB:=16}"
export EVTAG_MODELS
SRC="$CORPORA/entities/gmb/train.conll"
OUT=build/bench/load
mkdir -p "$OUT"

. tests/bench/lib.sh
bench_need bench-load

rm -f "$OUT/in" "$OUT/out" "$OUT/samples" "$OUT/count"
mkfifo "$OUT/in" "$OUT/out" || exit 1
python3 tests/bench/gen_stream.py "$SRC" "$LOAD_MB" 1 >"$OUT/in" 2>"$OUT/gen.err" &
gen=$!
# one output line per sentence; an article's first sentence has "sent":0
grep -c '"sent":0,' <"$OUT/out" >"$OUT/count" &
counter=$!
start=$(date +%s)
"$EVTAG" classify --jsonl --threads 2 - <"$OUT/in" >"$OUT/out" 2>"$OUT/err" &
pid=$!

# one sample every 2 seconds: elapsed s, bytes read, VmRSS kB, VmHWM kB
while kill -0 "$pid" 2>/dev/null; do
	rchar=$(awk '/^rchar:/ { print $2 }' "/proc/$pid/io" 2>/dev/null)
	mem=$(awk '/^VmRSS:/ { r = $2 } /^VmHWM:/ { h = $2 } END { if (r) print r, h }' \
		"/proc/$pid/status" 2>/dev/null)
	[ -n "$rchar" ] && [ -n "$mem" ] && echo "$(($(date +%s) - start)) $rchar $mem" >>"$OUT/samples"
	sleep 2
done
wait "$pid"; rc=$?
wait "$gen"; grc=$?
wait "$counter"
end=$(date +%s)
rm -f "$OUT/in" "$OUT/out"

if [ "$rc" != 0 ] || [ "$grc" != 0 ]; then
	echo "bench-load: evtag classify exited $rc, generator $grc:" >&2
	tail -n 5 "$OUT/err" "$OUT/gen.err" >&2
	exit 1
fi
arts=$(awk '{ print $1 }' "$OUT/gen.err")
got=$(cat "$OUT/count")
echo "stream: $(cat "$OUT/gen.err"), generated on the fly (seed 1)"
echo "evtag classify --threads 2: $((end - start)) s, $got articles out" \
	"($(echo "$arts $((end - start))" | awk '{ printf "%.0f articles/s, %.2f MB/s in", $1 / ($2 ? $2 : 1), '"$LOAD_MB"' / ($2 ? $2 : 1) }'))"
if [ "$got" != "$arts" ]; then
	echo "bench-load: $arts articles in but $got out" >&2
	exit 1
fi
awk -v startmb="$LOAD_START_MB" '
	{ n++; t[n] = $1; rd[n] = $2; rss[n] = $3; hwm[n] = $4 }
	END {
		if (n < 2) { print "bench-load: too few memory samples"; exit 1 }
		s = 0
		for (i = 1; i <= n; i++) if (rd[i] >= startmb * 1048576) { s = i; break }
		if (!s) s = 1
		lo = rss[s]; hi = rss[s]
		for (i = s; i <= n; i++) { if (rss[i] < lo) lo = rss[i]; if (rss[i] > hi) hi = rss[i] }
		printf "peak RSS at the start (%.0f MB read, models included, %d s): %d kB; at the end (%.0f MB read, %d s): %d kB (%.2fx)\n",
			rd[s] / 1048576, t[s], hwm[s], rd[n] / 1048576, t[n], hwm[n], hwm[n] / hwm[s]
		printf "RSS between them: %d-%d kB over %d samples\n", lo, hi, n - s + 1
		if (hwm[n] > 1.10 * hwm[s]) { print "bench-load: memory grew by more than 10%"; exit 1 }
		print "memory flat: yes"
	}' "$OUT/samples"
