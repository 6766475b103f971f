#!/bin/sh
# Scores the status flags (src/features/status.c) on the VOA event
# sentences: PART is train (for tuning) or dev (for reporting; default).
# Needs build/libevtag.a (make) and build/events/ (training/event-data.sh).
#   sh training/status-eval.sh [dev|train] [-v]
set -e
part=${1:-dev}
: "${OUT:=build/events}"
CC=${CC:-cc}
[ -f "$OUT/voa.$part.tsv" ] || sh training/event-data.sh 2>/dev/null
mkdir -p build/training
$CC -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -Isrc -o build/training/status_eval \
	training/status_eval.c build/libevtag.a -lm
build/training/status_eval $2 "$OUT/voa.$part.tsv" "$OUT/voa.flags.$part.tsv"
