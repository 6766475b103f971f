#!/bin/sh
# make bench: runs every tests/bench/bench-*.sh. Benchmarks compare evtag
# with peer tools in the same run and print ratios: these machines are
# shared and noisy, so absolute numbers are for orientation only.
: "${CORPORA:=../shared/corpora}"
export CORPORA SHARED EVTAG
status=0
for b in tests/bench/bench-*.sh; do
	[ -f "$b" ] || continue
	echo "== $b"
	sh "$b" || status=1
done
exit $status
