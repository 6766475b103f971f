#!/bin/sh
# The event classifiers side by side with their peers on the real event
# data. evtag's shipped models (EVTAG_MODELS/plover.evm, penta.evm: whatever
# model is there is evaluated, never retrained here) against liblinear,
# libsvm's svm-train -t 0 (linear kernel) and fastText (25 epochs, word
# bigrams, one thread), the peers trained here on a plain bag of words
# (fastText: its own tokens) of training/event-data.sh's files:
#   PLOVER      trained on build/events/plover.train.tsv, scored on the
#               seeded dev parts voa, acled, ipe, quadnone (single
#               sentences) and synth = plover-synthetic/test.tsv (whole
#               stories, as the README's headline figure)
#   PentaClass  trained on build/events/pentareal.train.tsv, scored on
#               penta.dev.tsv and cameo-penta/test.tsv (penta.dev is a
#               part of cameo-penta/train.tsv, on all of which
#               training/train-penta.sh trains models/penta.evm)
# Every row's predictions are scored by 'evtag score' (macro-F1 over the
# labels in gold or predictions), so all rows are scored by the same code.
# Prints one table: macro-F1 per file, training CPU seconds, prediction
# sentences per CPU second on single sentences (the dev texts cut to ~300
# bytes, repeated to N lines; peers' features precomputed), and the load
# average when the row was measured: the machine is shared and noisy.
# Peers missing are installed when run as root (apt-get), else named and
# skipped. Scratch files under build/bench/events/ only.
#   CORPORA       corpora folder (default ../shared/corpora)
#   EVTAG         evtag binary (default ./evtag)
#   EVTAG_MODELS  the models folder (default models)
#   N             throughput lines (default 50000; 5000 with BENCH_QUICK=1)
#   ROUNDS        speed runs per system, the fastest kept (default 3; 1
#                 with BENCH_QUICK=1)
#   PEERS         the peers to run (default "liblinear libsvm fasttext";
#                 "liblinear fasttext" with BENCH_QUICK=1: libsvm's
#                 training and prediction take most of a full run)
# Ends with the ratio lines (also into BENCH_SUMMARY): evtag's sentences
# per CPU second against liblinear's with its features counted (the bag of
# words made by tests/bench/bow.c, the same bytes as the awk one, then
# liblinear-predict; also with the awk bag of words, and predict alone) and against
# fastText's predict (which tokenizes by itself), with macro-F1 on one
# file a task that evtag's model has not seen (voa dev, cameo-penta test).
: "${CORPORA:=../shared/corpora}"
: "${EVTAG:=./evtag}"
: "${EVTAG_MODELS:=models}"
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	: "${N:=5000}" "${PEERS:=liblinear fasttext}" "${ROUNDS:=1}"
else
	: "${N:=50000}" "${PEERS:=liblinear libsvm fasttext}" "${ROUNDS:=${BENCH_ROUNDS:-3}}"
fi
B=build/bench/events
E=build/events
mkdir -p "$B"

. tests/bench/lib.sh
bench_peers bench-events
# the bag of words in C, for timing liblinear's feature preparation fairly
${CC:-cc} -O2 -o "$B/bow" tests/bench/bow.c -lm || rm -f "$B/bow"
CORPORA=$CORPORA sh training/event-data.sh 2>/dev/null || exit 1
SYN="$CORPORA/events/plover-synthetic/test.tsv"
PT="$CORPORA/events/cameo-penta/test.tsv"
for f in "$SYN" "$PT"; do
	[ -f "$f" ] || { echo "bench-events: $f not found (set CORPORA)" >&2; exit 1; }
done

R="$B/results"
: >"$R"
load() { cut -d' ' -f1-3 /proc/loadavg; }
# put SYSTEM KEY VALUE: one cell of the table
put() { echo "$1 $2 $3" >>"$R"; }

# task NAME MODEL TRAIN SENTENCE-SOURCES -- COLUMN FILE ...: one task's
# cells for evtag (MODEL) and each peer (trained on TRAIN).
task() {
	name=$1 model=$2 train=$3; shift 3
	D="$B/$name"
	mkdir -p "$D"
	srcs=""
	while [ "$1" != "--" ]; do srcs="$srcs $1"; shift; done
	shift
	bench_sentences "$D/sent.txt" "$N" $srcs
	ns=$(wc -l <"$D/sent.txt")
	awk '{ print "X\t" $0 }' "$D/sent.txt" >"$D/sent.tsv"
	bench_peer_prepare "$train" "$D"
	put bow "sent-$name" "$(bench_rate "$ns" "$(bench_best $ROUNDS bench_cpu "$D" sh "$D/bow.sh" TEST "$D/sent.tsv" "$D/sent.bow")")"
	if [ -x "$B/bow" ]; then
		put bowc "sent-$name" "$(bench_rate "$ns" "$(bench_best $ROUNDS bench_cpu "$D" "$B/bow" "$D/vocab" "$D/labels" "$D/sent.tsv" "$D/sent.bowc")")"
		cmp -s "$D/sent.bow" "$D/sent.bowc" || echo "bench-events: $D/sent.bowc differs from the awk bag of words" >&2
	fi
	bench_peer_input fasttext "$D" "$D/sent.tsv" "$D/sent.ft"
	for sys in evtag $PEERS; do
		if [ $sys = evtag ]; then
			[ -f "$model" ] || { echo "bench-events: $model missing (run 'make models')" >&2; continue; }
			put $sys "train-$name" shipped
		else
			bench_have "$(bench_peer_cmd $sys)" || continue
			put $sys "train-$name" "$(bench_peer_train $sys "$D")"
		fi
		i=1
		for a in "$@"; do
			if [ $((i % 2)) = 1 ]; then col=$a; else
				cut -f1 "$a" >"$D/gold"
				if [ $sys = evtag ]; then
					$EVTAG predict -m "$model" "$a" | cut -f1 >"$D/pred"
				else
					bench_peer_predict $sys "$D" "$a" "$D/pred"
				fi
				put $sys "$col" "$(bench_macro_f1 "$D/gold" "$D/pred")"
			fi
			i=$((i + 1))
		done
		case $sys in
		evtag) t=$(bench_best $ROUNDS bench_cpu "$D" $EVTAG predict -m "$model" "$D/sent.txt") ;;
		fasttext) t=$(bench_best $ROUNDS bench_peer_speed $sys "$D" "$D/sent.ft") ;;
		*) t=$(bench_best $ROUNDS bench_peer_speed $sys "$D" "$D/sent.bow") ;;
		esac
		put $sys "sent-$name" "$(bench_rate "$ns" "$t")"
		put $sys "load-$name" "$(load | cut -d' ' -f1)"
	done
}

echo "bench-events: load average at start $(load)"
task plover "$EVTAG_MODELS/plover.evm" "$E/plover.train.tsv" \
	"$E/voa.dev.tsv" "$E/acled.dev.tsv" "$E/ipe.dev.tsv" "$E/quadnone.dev.tsv" -- \
	voa "$E/voa.dev.tsv" acled "$E/acled.dev.tsv" ipe "$E/ipe.dev.tsv" \
	quadnone "$E/quadnone.dev.tsv" synth "$SYN"
task penta "$EVTAG_MODELS/penta.evm" "$E/pentareal.train.tsv" "$E/penta.dev.tsv" -- \
	penta.dev "$E/penta.dev.tsv" penta.test "$PT"

echo "bench-events: PLOVER (16 types + NONE) trained on $(wc -l <"$E/plover.train.tsv") sentences;" \
	"PentaClass on $(wc -l <"$E/pentareal.train.tsv"); macro-F1 in percent (evtag score);" \
	"train = training CPU seconds; sent/s = prediction sentences per CPU second ($N single sentences);" \
	"load = 1-minute load average after the row's PLOVER/PentaClass runs"
awk -v nfile="$R" 'BEGIN {
	nc = split("voa acled ipe quadnone synth penta.dev penta.test", C, " ")
	while ((getline l < nfile) > 0) { split(l, a, " "); V[a[1], a[2]] = a[3]; S[a[1]] = 1 }
	printf "%-10s", ""; printf " %-40s  %-17s  %-14s  %-17s  %s\n", "PLOVER macro-F1", "PentaClass", "train s", "sent/s", "load"
	printf "%-10s", "system"
	for (i = 1; i <= nc; i++) printf " %7s", (C[i] == "quadnone" ? "qnone" : C[i] == "penta.dev" ? "dev" : C[i] == "penta.test" ? "test" : C[i])
	printf "  %7s %7s  %8s %8s  %s\n", "PLOVER", "Penta", "PLOVER", "Penta", "PLOVER/Penta"
	ns = split("evtag liblinear libsvm fasttext", Y, " ")
	for (k = 1; k <= ns; k++) { y = Y[k]
		printf "%-10s", (y == "fasttext" ? "fastText" : y)
		if (!(y in S)) { print "  (not run)"; continue }
		for (i = 1; i <= nc; i++) printf " %7s", ((y, C[i]) in V ? V[y, C[i]] : "-")
		printf "  %7s %7s  %8s %8s  %s/%s\n", V[y, "train-plover"], V[y, "train-penta"],
			V[y, "sent-plover"], V[y, "sent-penta"], V[y, "load-plover"], V[y, "load-penta"] }
	printf "%-10s %55s  %7s %7s  %8s %8s  (peers: bag of words alone)\n", "awk BoW", "", "", "", V["bow", "sent-plover"], V["bow", "sent-penta"]
	if (("bowc", "sent-plover") in V)
		printf "%-10s %55s  %7s %7s  %8s %8s  (the same in C, tests/bench/bow.c)\n", "C BoW", "", "", "", V["bowc", "sent-plover"], V["bowc", "sent-penta"]
}'
echo "bench-events: PentaClass dev = build/events/penta.dev.tsv, a part of cameo-penta/train.tsv:" \
	"a model trained on all of that file (training/train-penta.sh) has seen it, the peers have not"
echo "bench-events: load average at end $(load)"

# ratio lines: task name, its name in the line, the F1 column to quote
for t in "plover PLOVER voa" "penta PentaClass penta.test"; do
	set -- $t
	awk -v nfile="$R" -v t="$1" -v name="$2" -v col="$3" -v n="$N" 'BEGIN {
		while ((getline l < nfile) > 0) { split(l, a, " "); V[a[1], a[2]] = a[3] }
		k = "sent-" t; e = V["evtag", k]; bow = V["bow", k]; bowc = V["bowc", k]
		if (e == "" || e <= 0) exit
		r = V["liblinear", k]
		if (r > 0 && bowc > 0 && bow > 0) {
			rf = 1 / (1 / r + 1 / bowc); ra = 1 / (1 / r + 1 / bow)
			printf "classifier %s, %d sentences, 1 thread: evtag %.1fk sentences/CPU s, liblinear %.1fk with its bag of words in C (%.1fk in awk; predict alone %.1fk): %.2fx (%.2fx; %.2fx); macro-F1 %s %s vs %s\n", \
				name, n, e / 1000, rf / 1000, ra / 1000, r / 1000, e / rf, e / ra, e / r, col, V["evtag", col], V["liblinear", col]
		}
		r = V["fasttext", k]
		if (r > 0)
			printf "classifier %s, %d sentences, 1 thread: evtag %.1fk sentences/CPU s, fastText predict %.1fk (own tokenizing): %.2fx; macro-F1 %s %s vs %s\n", \
				name, n, e / 1000, r / 1000, e / r, col, V["evtag", col], V["fasttext", col]
	}' | while IFS= read -r line; do bench_summary "$line"; done
done
