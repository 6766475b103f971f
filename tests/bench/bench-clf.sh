#!/bin/sh
# Event-type classifier benchmark: evtag against liblinear, fastText and
# libsvm (svm-train -t 0) on the same train/test files, plain bag of words
# for the peers. Prints macro-F1 of each (all scored by evtag score) and prediction throughput
# (sentences per CPU second, one thread) with ratios. Scratch files under build/bench/ only.
#   CORPORA   corpora folder (default ../shared/corpora)
#   EVTAG     evtag binary (default ./evtag)
#   SHARED    shared folder (default: parent of CORPORA), for the lexicon
: "${CORPORA:=../shared/corpora}"
: "${EVTAG:=./evtag}"
: "${SHARED:=$(dirname "$CORPORA")/}"
B=build/bench/clf
mkdir -p "$B"

. tests/bench/lib.sh
bench_peers bench-clf

f1diff() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.2f", a - b }'; }

run_set() {
	name=$1 train=$2 test=$3 model=$4
	echo "-- $name: train $(wc -l <"$train") examples, test $(wc -l <"$test")"
	cut -f1 "$test" >"$B/gold"
	# a throughput file of single sentences, >= 100,000 lines
	bench_sentences "$B/sent.txt" 100000 "$test"
	ns=$(wc -l <"$B/sent.txt")
	awk '{ print "X\t" $0 }' "$B/sent.txt" >"$B/sent.tsv"

	# evtag
	if [ -z "$model" ]; then
		model="$B/evtag-$name.evm"
		$EVTAG train classifier -q --corpus "$train" -o "$model" $TRAIN_OPTS || return 1
	fi
	$EVTAG predict -m "$model" "$test" | cut -f1 >"$B/pred.evtag"
	f_ev=$(bench_macro_f1 "$B/gold" "$B/pred.evtag")
	r_ev=$(bench_rate "$ns" "$(bench_cpu "$B" $EVTAG predict -m "$model" "$B/sent.txt")")
	printf '%-28s macro-F1 %6s   %9s sentences/s (features included)\n' "evtag" "$f_ev" "$r_ev"

	bench_peer_prepare "$train" "$B"
	t_bow=$(bench_cpu "$B" sh "$B/bow.sh" TEST "$B/sent.tsv" "$B/sent.bow")
	if bench_have liblinear-train; then
		bench_peer_train liblinear "$B" >/dev/null
		bench_peer_predict liblinear "$B" "$test" "$B/pred.ll"
		f=$(bench_macro_f1 "$B/gold" "$B/pred.ll")
		tp=$(bench_peer_speed liblinear "$B" "$B/sent.bow")
		r=$(bench_rate "$ns" "$tp")
		r2=$(bench_rate "$ns" "$(awk -v a="$tp" -v b="$t_bow" 'BEGIN { print a + b }')")
		printf '%-28s macro-F1 %6s   %9s sentences/s (features precomputed)  evtag: F1 %s, speed x%s\n' \
			"liblinear (BoW)" "$f" "$r" "$(f1diff "$f_ev" "$f")" "$(bench_ratio "$r_ev" "$r")"
		printf '%-28s %16s %9s sentences/s (awk bag of words + predict)  evtag: speed x%s\n' \
			"liblinear + featurization" "" "$r2" "$(bench_ratio "$r_ev" "$r2")"
	else
		echo "liblinear: not installed (liblinear-tools)"
	fi
	if bench_have svm-train; then
		bench_peer_train libsvm "$B" >/dev/null
		bench_peer_predict libsvm "$B" "$test" "$B/pred.svm"
		f=$(bench_macro_f1 "$B/gold" "$B/pred.svm")
		r=$(bench_rate "$ns" "$(bench_peer_speed libsvm "$B" "$B/sent.bow")")
		printf '%-28s macro-F1 %6s   %9s sentences/s (features precomputed)  evtag: F1 %s, speed x%s\n' \
			"libsvm svm-train -t 0 (BoW)" "$f" "$r" "$(f1diff "$f_ev" "$f")" "$(bench_ratio "$r_ev" "$r")"
	else
		echo "libsvm: not installed (libsvm-tools)"
	fi
	if bench_have fasttext; then
		bench_peer_train fasttext "$B" >/dev/null
		bench_peer_predict fasttext "$B" "$test" "$B/pred.ft"
		bench_peer_input fasttext "$B" "$B/sent.tsv" "$B/sent.ft"
		f=$(bench_macro_f1 "$B/gold" "$B/pred.ft")
		r=$(bench_rate "$ns" "$(bench_peer_speed fasttext "$B" "$B/sent.ft")")
		printf '%-28s macro-F1 %6s   %9s sentences/s (own tokenizer)  evtag: F1 %s, speed x%s\n' \
			"fastText (epoch 25, bigrams)" "$f" "$r" "$(f1diff "$f_ev" "$f")" "$(bench_ratio "$r_ev" "$r")"
	else
		echo "fastText: not installed (fasttext)"
	fi
}

L="${SHARED}lexicons"
TRAIN_OPTS="--c 3 --lexicon-verbs $L/cameo-verbs.tsv --lexicon-patterns $L/cameo-patterns.tsv"
run_set cameo-penta "$CORPORA/events/cameo-penta/train.tsv" "$CORPORA/events/cameo-penta/test.tsv" "${PENTA_MODEL:-}"
# PLOVER: evtag's shipped model (trained on the same train.tsv by
# training/train-plover.sh, ~25 minutes), the peers trained here.
if [ -f models/plover.evm ]; then
	run_set plover-synthetic "$CORPORA/events/plover-synthetic/train.tsv" "$CORPORA/events/plover-synthetic/test.tsv" models/plover.evm
fi
