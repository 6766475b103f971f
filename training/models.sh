#!/bin/sh
# make models: retrains every shipped model from the public corpora with
# the recorded commands and seeds. Each training/train-*.sh trains one
# model; CORPORA (default ../shared/corpora) and EVTAG are set by make.
set -e
: "${CORPORA:=../shared/corpora}"
: "${SHARED:=$(dirname "$CORPORA")/}"
: "${EVTAG:=./evtag}"
export CORPORA SHARED EVTAG
[ -d "$CORPORA" ] || { echo "make models: no corpora at $CORPORA (set CORPORA=DIR)" >&2; exit 1; }
# step SCRIPT: runs it, then prints its wall and CPU time and the load
# average (the times docs/models.md quotes come from these lines).
TIMES=$(mktemp)
trap 'rm -f "$TIMES"' EXIT
step() {
	echo "== $1" >&2
	load0=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null)
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%e %U %S %M' -o "$TIMES" sh "$1"
		awk -v s="$1" -v l0="$load0" -v l1="$(cut -d' ' -f1 /proc/loadavg 2>/dev/null)" \
			'{ printf "== %s: %.1f s wall, %.1f s CPU, %.0f MB peak memory (load %s -> %s)\n", s, $1, $2 + $3, $4 / 1024, l0, l1 }' \
			"$TIMES" >&2
	else
		t0=$(date +%s)
		sh "$1"
		echo "== $1: $(( $(date +%s) - t0 )) s wall" >&2
	fi
}
for s in training/train-*.sh; do
	[ -f "$s" ] || continue
	# research-only data: trained on request, never a shipped model
	case $s in *train-conll2003.sh) continue ;; esac
	step "$s"
done
# the place table: GeoNames data, no training (needs npm and node)
step training/places.sh
# the agents list (a word list, not trained): compiled from the shared
# OEDA dictionary and training/agents-extra.txt
step training/agents.sh
