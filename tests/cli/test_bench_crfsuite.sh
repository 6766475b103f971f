#!/bin/sh
# The CRFsuite peer of `make bench` (tests/bench/crfsuite.sh and
# crfsuite_driver.c): when the npm package crfsuite is already in the cache
# (EVTAG_CACHE, default ~/.cache/evtag; this test never fetches it), the
# driver builds, refuses bad usage (2) and a missing file (1), trains on 300
# GMB training sentences (a few word features made here with awk), and
# gives a sane entity F1 (evtag score): above 75 on its own training
# sentences, above 50 on 200 test sentences, and leaves no partial or
# temp file. Else SKIPPED, saying why.
T_NAME=test_bench_crfsuite
. tests/cli/lib.sh
T="$T_TMP"
GMB="${SHARED}corpora/entities/gmb"
if ! sh tests/bench/crfsuite.sh --cached "$T/drv" >"$T/build.out" 2>"$T/build.err"; then
	if grep -q 'not in the cache' "$T/build.err"; then
		echo "$T_NAME: SKIPPED: $(cat "$T/build.err")" >&2
		t_done
		exit
	fi
	t_bad "crfsuite.sh failed: $(head -c 400 "$T/build.err")"
	t_done
	exit
fi
t_ok
[ -f "$GMB/train.conll" ] || { echo "$T_NAME: SKIPPED: $GMB not found" >&2; t_done; exit; }
# feat N CONLL: the first N sentences as the driver's feature lines (word,
# lowercased word, 3-letter suffix, capitalised, the neighbours' words;
# one with a ':' and a '\' to escape), in the format of bench_tagger export
feat() {
	awk -v max="$1" '/^-DOCSTART-/ { next }
	function flush(   i, lw, p, q) {
		for (i = 1; i <= n; i++) {
			lw = tolower(w[i]); p = (i > 1) ? tolower(w[i - 1]) : "^"; q = (i < n) ? tolower(w[i + 1]) : "$"
			printf "%s\tw=%s\tlw=%s\tsuf=%s\tcap=%d\tp=%s\tn=%s\tesc\\:x\\\\\n", tag[i], w[i], lw,
				substr(lw, length(lw) - 2), (w[i] ~ /^[A-Z]/), p, q
		}
		if (n) { print ""; k++ }
		n = 0
	}
	NF == 0 { flush(); if (k >= max) exit; next }
	{ n++; gsub(/[:\\]/, "_", $1); w[n] = $1; tag[n] = $NF }
	END { if (k < max) flush() }' "$2"
}
feat 300 "$GMB/train.conll" >"$T/train.feat"
feat 200 "$GMB/test.conll" >"$T/test.feat"
expect_status 2 "$T/drv"
expect_status 2 "$T/drv" train only-two
expect_status 1 "$T/drv" train "$T/missing.feat" "$T/m" 1 10
expect_grep "$T/err" "missing.feat: cannot read"

expect_status 0 "$T/drv" train "$T/train.feat" "$T/m" 1 30
expect_grep "$T/out" "^sentences=300 .* iterations=[0-9]+ "
# f1 FEAT LABELS: span micro-F1 (percent, integer) of LABELS against FEAT's gold
f1() {
	cut -f1 "$1" | paste -d' ' - "$2" | awk 'NF < 2 { print ""; next } { print "x", $1, $2 }' >"$T/scored"
	"$EVTAG" score -f conll -b 0 --json "$T/scored" |
		sed -n 's/.*"micro":{[^}]*"f1":\([-+0-9.eE]*\).*/\1/p' | awk '{ printf "%d", 100 * $1 }'
}
for set in train:75 test:50; do
	f=${set%%:*} min=${set#*:}
	expect_status 0 "$T/drv" tag "$T/m" "$T/$f.feat" "$T/$f.labels" 1
	expect_grep "$T/out" "labels_tok_cpu_s=[0-9]+ .*marginals_tok_cpu_s=[0-9]+"
	expect_true "as many labels as tokens ($f)" [ "$(wc -l <"$T/$f.labels")" = "$(wc -l <"$T/$f.feat")" ]
	got=$(f1 "$T/$f.feat" "$T/$f.labels")
	echo "$T_NAME: F1 on $f $got" >&2
	expect_true "F1 on $f is $got, expected above $min" [ "${got:-0}" -gt "$min" ]
done
# outputs are written whole or not at all: no OUT.tmp left after a run,
# none after a model or an output that cannot be written
expect_true "no model temp file left" [ ! -e "$T/m.tmp" ]
expect_true "no labels temp file left" [ ! -e "$T/test.labels.tmp" ]
expect_status 1 "$T/drv" train "$T/train.feat" "$T/nodir/m" 1 2
expect_status 1 "$T/drv" tag "$T/m" "$T/test.feat" "$T/nodir/labels" 1
expect_true "nothing written into a missing folder" [ ! -e "$T/nodir" ]
# an OUT that is no regular file is refused, never renamed over
expect_status 1 "$T/drv" tag "$T/m" "$T/test.feat" /dev/null 1
expect_grep "$T/err" "not a regular file"
expect_true "/dev/null is still a device" [ -c /dev/null ]
t_done
