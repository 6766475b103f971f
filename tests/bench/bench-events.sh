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
#   N             throughput lines (default 50000)
: "${CORPORA:=../shared/corpora}"
: "${EVTAG:=./evtag}"
: "${EVTAG_MODELS:=models}"
: "${N:=50000}"
B=build/bench/events
E=build/events
mkdir -p "$B"

. tests/bench/lib.sh
bench_peers bench-events
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
	put bow "sent-$name" "$(bench_rate "$ns" "$(bench_cpu "$D" sh "$D/bow.sh" TEST "$D/sent.tsv" "$D/sent.bow")")"
	bench_peer_input fasttext "$D" "$D/sent.tsv" "$D/sent.ft"
	for sys in evtag liblinear libsvm fasttext; do
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
		evtag) t=$(bench_cpu "$D" $EVTAG predict -m "$model" "$D/sent.txt") ;;
		fasttext) t=$(bench_peer_speed $sys "$D" "$D/sent.ft") ;;
		*) t=$(bench_peer_speed $sys "$D" "$D/sent.bow") ;;
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
}'
echo "bench-events: PentaClass dev = build/events/penta.dev.tsv, a part of cameo-penta/train.tsv:" \
	"a model trained on all of that file (training/train-penta.sh) has seen it, the peers have not"
echo "bench-events: load average at end $(load)"
