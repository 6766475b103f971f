#!/bin/sh
# make bench: the sequence tagger.
#  1. feature extraction tokens/s on the GMB training text: hashed keys (what
#     evtag uses) against feature strings interned with dict.h;
#  2. tagging tokens/s with the shipped entity model, model load time, and
#     peak memory with both shipped models loaded;
#  3. against CRFsuite's own C library (CRFsuite 0.12.2 from the npm package
#     `crfsuite`, fetched into ~/.cache/evtag and compiled with
#     tests/bench/crfsuite_driver.c by tests/bench/crfsuite.sh; never part
#     of evtag) on the same feature strings (`bench_tagger export`: the
#     default templates, no gazetteer, no clusters):
#     a. F1 and training: both trained on the first NS sentences of GMB
#        train (L-BFGS, c1 = 0, c2 = 1, at most ITER iterations, one
#        thread, evtag without early stopping), scored on GMB test by
#        `evtag score` (entity spans, micro-F1); training CPU seconds;
#     b. tagging tokens per CPU second on GMB test, labels only (Viterbi)
#        and with marginals (forward-backward): the shipped
#        models/entities.evm (the default templates plus gazetteer, corpus
#        word clusters and GloVe clusters: more work per token) against a
#        CRFsuite model of the default templates alone on all of GMB train
#        (one L-BFGS iteration: the decoding cost does not depend on the
#        weights' values), and the two models of (a), which have the same
#        features, against each other.
#     CRFsuite's timing includes looking its feature strings up in the
#     model (they are in memory); evtag's includes extracting its features
#     from the tokens. Each rate is the best of ROUNDS rounds (default 3),
#     evtag and CRFsuite alternating.
# Prints the ratios with the load average (also into BENCH_SUMMARY).
#   BENCH_QUICK=1           a short run (500 sentences, 10 iterations, the
#                           first 500 test sentences, no full-train model,
#                           one round)
#   BENCH_SENTENCES, BENCH_ITERATIONS   NS (default 5000), ITER (default 100)
# Scratch files go to build/bench/.
: "${CORPORA:=../shared/corpora}"
: "${EVTAG:=./evtag}"
B=build/bench
. tests/bench/lib.sh
mkdir -p $B
GMB=$CORPORA/entities/gmb
CC=${CC:-cc}
$CC -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -Isrc -o $B/bench_tagger tests/bench/bench_tagger.c \
	build/libevtag.a -lsvm $(pkg-config --libs gsl zlib 2>/dev/null || echo -lgsl -lgslcblas -lz) -lm -pthread || exit 1

echo "-- feature extraction ($GMB/train.conll)"
$B/bench_tagger features $GMB/train.conll | tee $B/feat.txt
awk '/hashed keys/{h=$4} /dict.h/{d=$5} END{if (d > 0) printf "ratio hashed/dict: %.2fx\n", h/d}' $B/feat.txt

echo "-- tagging with models/entities.evm ($GMB/test.conll)"
$B/bench_tagger tag models/entities.evm $GMB/test.conll
if [ -x /usr/bin/time ] && [ -f models/roles.evm ]; then
	/usr/bin/time -v $B/bench_tagger tag2 models/entities.evm models/roles.evm $GMB/test.conll \
		> $B/tag2.txt 2> $B/tag2.time
	awk '/Maximum resident/{printf "peak memory, both models loaded and tagging: %.1f MB (limit 300)\n", $6/1024}' $B/tag2.time
fi
ls -l models/*.evm | awk '{s+=$5} END{printf "model files together: %.1f MB (limit 20)\n", s/1048576}'

# Lines of key=value pairs from crfsuite_driver are read with bench_kv.
echo "-- against CRFsuite's C library (npm crfsuite 1.0.1: CRFsuite 0.12.2), same feature strings"
if ! DRV=$(sh tests/bench/crfsuite.sh 2>$B/crfsuite-build.log); then
	cat $B/crfsuite-build.log
	bench_summary "tagger vs CRFsuite: skipped, CRFsuite's C library not built (see $B/crfsuite-build.log)"
	exit 0
fi
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	NS=500 ITER=10 NT=500 ROUNDS=1
else
	NS=${BENCH_SENTENCES:-5000} ITER=${BENCH_ITERATIONS:-100} NT=0 ROUNDS=${BENCH_ROUNDS:-3}
fi
# first N sentences of a CoNLL file (all with N = 0), without -DOCSTART-
firstn() { awk -v max="$1" '/^-DOCSTART-/ { next } NF == 0 { if (n) { print ""; k++ } n = 0; if (max && k >= max) exit; next } { n++; print } END { if (n) print "" }' "$2"; }
firstn "$NS" $GMB/train.conll >$B/sub.conll
firstn "$NT" $GMB/test.conll >$B/test.conll
$B/bench_tagger export $B/sub.conll $B/sub.feat || exit 1
$B/bench_tagger export $B/test.conll $B/test.feat || exit 1

# a. training and F1
crf=$($DRV train $B/sub.feat $B/crf-sub.model 1 $ITER) || exit 1
/usr/bin/time -f '%U %S %e' -o $B/evtag-train.time "$EVTAG" train tagger --corpus $B/sub.conll \
	-o $B/evtag-sub.evm --templates default --c1 0 --c2 1 --iterations $ITER --patience 0 \
	--threads 1 >$B/evtag-train.log 2>&1 || { cat $B/evtag-train.log; exit 1; }
e_cpu=$(awk '{ print $1 + $2 }' $B/evtag-train.time)
e_it=$(sed -n 's/.*, \([0-9]*\) iterations.*/\1/p' $B/evtag-train.log)
c_cpu=$(awk -v a="$(bench_kv build_cpu "$crf")" -v b="$(bench_kv train_cpu "$crf")" 'BEGIN { print a + b }')
c_it=$(bench_kv iterations "$crf")
"$EVTAG" tag --model $B/evtag-sub.evm --conll $B/test.conll >$B/evtag-test.conll || exit 1
ctag=$($DRV tag $B/crf-sub.model $B/test.feat $B/crf-test.labels) || exit 1
cut -f1 $B/test.feat | paste -d' ' - $B/crf-test.labels |
	awk 'NF < 2 { print ""; next } { print "x", $1, $2 }' >$B/crf-test.conll
e_f1=$(bench_span_f1 $B/evtag-test.conll)
c_f1=$(bench_span_f1 $B/crf-test.conll)
ntest=$(bench_kv tokens "$ctag")
echo "trained on $NS GMB sentences ($(bench_kv tokens "$crf") tokens, $(bench_kv attributes "$crf") distinct features), tested on $ntest tokens of GMB test"
bench_summary "$(printf 'tagger F1 on GMB test (spans, micro): evtag %s, CRFsuite %s (%+.2f)' \
	"$e_f1" "$c_f1" "$(awk -v a="$e_f1" -v b="$c_f1" 'BEGIN { print a - b }')")"
bench_summary "$(printf 'tagger training, %s sentences, 1 thread: evtag %.2f CPU s (%s it.), CRFsuite %.2f (%s it.): %sx (per it. %sx)' \
	"$NS" "$e_cpu" "$e_it" "$c_cpu" "$c_it" "$(bench_ratio "$c_cpu" "$e_cpu")" \
	"$(awk -v a="$c_cpu" -v b="$c_it" -v c="$e_cpu" -v d="$e_it" 'BEGIN { if (b > 0 && c > 0 && d > 0) printf "%.2f", (a / b) / (c / d); else printf "-" }')")"

# b. tagging speed, tokens per CPU second: the best of ROUNDS rounds, evtag
# and CRFsuite alternating (on a busy machine a round can lose half its speed)
# etag MODEL: "labels spans" tokens per CPU second of bench_tagger tag
etag() {
	$B/bench_tagger tag "$1" $B/test.conll |
		awk '/Viterbi/ { l = $(NF - 4) } /confidences/ { s = $(NF - 4) } END { print l, s }'
}
# speed EVTAG-MODEL CRFSUITE-MODEL: "evtag-labels evtag-marginals
# crfsuite-labels crfsuite-marginals"
speed() {
	: >$B/speed.txt
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		echo "e $(etag "$1")" >>$B/speed.txt
		o=$($DRV tag "$2" $B/test.feat $B/speed.labels) || return 1
		echo "c $(bench_kv labels_tok_cpu_s "$o") $(bench_kv marginals_tok_cpu_s "$o")" >>$B/speed.txt
		r=$((r + 1))
	done
	awk '{ if ($2 > L[$1]) L[$1] = $2; if ($3 > M[$1]) M[$1] = $3 }
		END { print L["e"] + 0, M["e"] + 0, L["c"] + 0, M["c"] + 0 }' $B/speed.txt
}
speed_line() { # WHAT MODELS EVTAG CRFSUITE (tokens per CPU second)
	bench_summary "$(printf 'tagger %s, %s: evtag %.0fk tokens/CPU s, CRFsuite %.0fk: %sx' \
		"$1" "$2" "$(awk -v x="$3" 'BEGIN { print x / 1000 }')" \
		"$(awk -v x="$4" 'BEGIN { print x / 1000 }')" "$(bench_ratio "$3" "$4")")"
}
sp=$(speed $B/evtag-sub.evm $B/crf-sub.model) || exit 1
set -- $sp
speed_line "labels" "both $NS-sentence models" "$1" "$3"
speed_line "marginals" "both $NS-sentence models" "$2" "$4"
if [ "$NT" = 0 ]; then
	$B/bench_tagger export $GMB/train.conll $B/train.feat || exit 1
	$DRV train $B/train.feat $B/crf-full.model 1 1 >/dev/null || exit 1
	rm -f $B/train.feat
	cfull=$B/crf-full.model
	cname="all of GMB train"
else
	cfull=$B/crf-sub.model
	cname="$NS sentences"
fi
sp=$(speed models/entities.evm $cfull) || exit 1
set -- $sp
speed_line "labels" "entities.evm vs CRFsuite on $cname" "$1" "$3"
speed_line "marginals" "entities.evm vs CRFsuite on $cname" "$2" "$4"
