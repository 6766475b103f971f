#!/bin/sh
# make bench: runs every tests/bench/bench-*.sh. Benchmarks compare evtag
# with peer tools in the same run and print ratios: these machines are
# shared and noisy, so absolute numbers are for orientation only. The
# ratio lines against the peers (CRFsuite's C library for the tagger,
# liblinear and fastText for the classifiers), each with the load average,
# are printed again together at the end.
#   BENCH="tagger events"   run only these benchmarks (bench-NAME.sh)
#   BENCH_QUICK=1           short runs: smaller training sets and streams
#                           (bench-load: LOAD_MB=32 unless set)
#   PEERS                   bench-events' classifier peers; here "liblinear
#                           fasttext" unless set (libsvm's svm-predict, at
#                           ~700 sentences/s, would take minutes alone)
: "${CORPORA:=../shared/corpora}"
: "${PEERS:=liblinear fasttext}"
BENCH_SUMMARY=$PWD/build/bench/summary.txt
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	: "${LOAD_MB:=32}"
	export LOAD_MB
fi
export CORPORA SHARED EVTAG BENCH_SUMMARY BENCH_QUICK PEERS
mkdir -p build/bench
: >"$BENCH_SUMMARY"
if [ -n "${BENCH:-}" ]; then
	list=""
	for n in $BENCH; do
		[ -f "tests/bench/bench-$n.sh" ] || { echo "run.sh: no tests/bench/bench-$n.sh" >&2; exit 2; }
		list="$list tests/bench/bench-$n.sh"
	done
else
	list=$(ls tests/bench/bench-*.sh)
fi
status=0
for b in $list; do
	echo "== $b"
	sh "$b" || { status=1; echo "$b: failed" >>"$BENCH_SUMMARY"; }
done
echo "== evtag against its peers (ratios; load average 1, 5, 15 min in brackets)"
cat "$BENCH_SUMMARY"
exit $status
