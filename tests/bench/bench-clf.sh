#!/bin/sh
# Event-type classifier benchmark: evtag against liblinear, fastText and
# libsvm (svm-train -t 0) on the same train/test files, plain bag of words
# for the peers. Prints macro-F1 of each and prediction throughput
# (sentences per CPU second, one thread) with ratios. Scratch files under build/bench/ only.
#   CORPORA   corpora folder (default ../shared/corpora)
#   EVTAG     evtag binary (default ./evtag)
#   SHARED    shared folder (default: parent of CORPORA), for the lexicon
: "${CORPORA:=../shared/corpora}"
: "${EVTAG:=./evtag}"
: "${SHARED:=$(dirname "$CORPORA")/}"
B=build/bench/clf
mkdir -p "$B"

need=""
command -v liblinear-train >/dev/null 2>&1 || need="$need liblinear-tools"
command -v fasttext >/dev/null 2>&1 || need="$need fasttext"
command -v svm-train >/dev/null 2>&1 || need="$need libsvm-tools"
if [ -n "$need" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "bench-clf: installing$need" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null 2>&1 ||
			{ apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null 2>&1; }
	fi
fi
have() { command -v "$1" >/dev/null 2>&1; }

# CPU seconds (user + system) of a command: the machine is shared, so wall
# time would measure the neighbours.
cpu() { /usr/bin/time -f '%U %S' -o "$B/time" "$@" >/dev/null 2>&1; awk '{ print $1 + $2 }' "$B/time"; }
# macro-F1 (percent) of predicted labels (file 2) against gold (file 1),
# over the labels present in either.
macro_f1() {
	paste "$1" "$2" | awk -F'\t' '
		{ g=$1; p=$2; L[g]=1; L[p]=1; if (g==p) tp[g]++; else { fp[p]++; fn[g]++ } }
		END { n=0; s=0; for (l in L) { d=2*tp[l]+fp[l]+fn[l]; n++; if (d>0) s+=2*tp[l]/d }
		      printf "%.2f", n ? 100*s/n : 0 }'
}
# Plain bag of words for liblinear/libsvm: lowercased alphanumeric words,
# binary, L2-normalised; vocabulary from the training file (VOCAB), labels
# numbered in LABELS. usage: bow TRAIN|TEST IN OUT
bow() { sh "$B/bow.sh" "$@"; }
cat >"$B/bow.sh" <<'BOW'
B=$(dirname "$0")
awk -F'\t' -v mode="$1" -v vf="$B/vocab" -v lf="$B/labels" '
		BEGIN { if (mode == "TEST") { while ((getline l < vf) > 0) { split(l, a, " "); V[a[1]] = a[2]; nv++ }
		                              while ((getline l < lf) > 0) { split(l, a, " "); Lb[a[1]] = a[2]; nl++ } } }
		{ t = tolower($2); gsub(/[^a-z0-9]+/, " ", t); n = split(t, w, " "); delete seen; m = 0
		  if (!($1 in Lb)) { if (mode == "TRAIN") Lb[$1] = ++nl; else Lb[$1] = 0 }
		  for (i = 1; i <= n; i++) { x = w[i]; if (x == "") continue
		    if (!(x in V)) { if (mode == "TRAIN") V[x] = ++nv; else continue }
		    if (!(V[x] in seen)) { seen[V[x]] = 1; idx[++m] = V[x] } }
		  # sort indices (insertion sort; sentences are short)
		  for (i = 2; i <= m; i++) { v = idx[i]; j = i - 1; while (j > 0 && idx[j] > v) { idx[j+1] = idx[j]; j-- } idx[j+1] = v }
		  line = Lb[$1]; val = m ? 1 / sqrt(m) : 0
		  for (i = 1; i <= m; i++) line = line " " idx[i] ":" val
		  print line }
		END { if (mode == "TRAIN") { for (x in V) print x, V[x] > vf; for (x in Lb) print x, Lb[x] > lf } }' "$2" >"$3"
BOW
# fastText format: __label__X lowercased text
ft() { awk -F'\t' '{ print "__label__" $1 " " tolower($2) }' "$1" >"$2"; }
# numbers back to label names
unlabel() { awk -v lf="$B/labels" 'BEGIN { while ((getline l < lf) > 0) { split(l, a, " "); N[a[2]] = a[1] } } { print N[$1 + 0] }' "$1"; }
rate() { awk -v n="$1" -v d="$2" 'BEGIN { if (d <= 0) d = 0.01; printf "%.0f", n / d }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }'; }

run_set() {
	name=$1 train=$2 test=$3 model=$4
	echo "-- $name: train $(wc -l <"$train") examples, test $(wc -l <"$test")"
	cut -f1 "$test" >"$B/gold"
	# a throughput file of single sentences: the test texts' first ~300
	# bytes cut at a sentence end, repeated to >= 100,000 lines
	awk -F'\t' '{ t = $2; if (length(t) > 300) { t = substr(t, 1, 300); sub(/[.!?][^.!?]*$/, ".", t) } print t }' "$test" >"$B/one"
	: >"$B/sent.txt"
	while [ "$(wc -l <"$B/sent.txt")" -lt 100000 ]; do cat "$B/one" >>"$B/sent.txt"; done
	ns=$(wc -l <"$B/sent.txt")
	awk '{ print "X\t" $0 }' "$B/sent.txt" >"$B/sent.tsv"

	# evtag
	if [ -z "$model" ]; then
		model="$B/evtag-$name.evm"
		$EVTAG train classifier -q --corpus "$train" -o "$model" $TRAIN_OPTS || return 1
	fi
	$EVTAG predict -m "$model" "$test" | cut -f1 >"$B/pred.evtag"
	f_ev=$(macro_f1 "$B/gold" "$B/pred.evtag")
	r_ev=$(rate "$ns" "$(cpu $EVTAG predict -m "$model" "$B/sent.txt")")
	printf '%-28s macro-F1 %6s   %9s sentences/s (features included)\n' "evtag" "$f_ev" "$r_ev"

	bow TRAIN "$train" "$B/train.bow"; bow TEST "$test" "$B/test.bow"
	t_bow=$(/usr/bin/time -f '%U %S' -o "$B/time" sh "$B/bow.sh" TEST "$B/sent.tsv" "$B/sent.bow"; awk '{ print $1 + $2 }' "$B/time")
	if have liblinear-train; then
		liblinear-train -q "$B/train.bow" "$B/ll.model" >/dev/null
		liblinear-predict "$B/test.bow" "$B/ll.model" "$B/ll.out" >/dev/null
		unlabel "$B/ll.out" >"$B/pred.ll"
		f=$(macro_f1 "$B/gold" "$B/pred.ll")
		tp=$(cpu liblinear-predict "$B/sent.bow" "$B/ll.model" "$B/ll.sent")
		r=$(rate "$ns" "$tp")
		r2=$(rate "$ns" "$(awk -v a="$tp" -v b="$t_bow" 'BEGIN { print a + b }')")
		printf '%-28s macro-F1 %6s   %9s sentences/s (features precomputed)  evtag: F1 %+.2f, speed x%s\n' \
			"liblinear (BoW)" "$f" "$r" "$(awk -v a="$f_ev" -v b="$f" 'BEGIN{print a-b}')" "$(ratio "$r_ev" "$r")"
		printf '%-28s %16s %9s sentences/s (awk bag of words + predict)  evtag: speed x%s\n' \
			"liblinear + featurization" "" "$r2" "$(ratio "$r_ev" "$r2")"
	else
		echo "liblinear: not installed (liblinear-tools)"
	fi
	if have svm-train; then
		svm-train -q -t 0 "$B/train.bow" "$B/svm.model" >/dev/null
		svm-predict "$B/test.bow" "$B/svm.model" "$B/svm.out" >/dev/null
		unlabel "$B/svm.out" >"$B/pred.svm"
		f=$(macro_f1 "$B/gold" "$B/pred.svm")
		r=$(rate "$ns" "$(cpu svm-predict "$B/sent.bow" "$B/svm.model" "$B/svm.sent")")
		printf '%-28s macro-F1 %6s   %9s sentences/s (features precomputed)  evtag: F1 %+.2f, speed x%s\n' \
			"libsvm svm-train -t 0 (BoW)" "$f" "$r" "$(awk -v a="$f_ev" -v b="$f" 'BEGIN{print a-b}')" "$(ratio "$r_ev" "$r")"
	else
		echo "libsvm: not installed (libsvm-tools)"
	fi
	if have fasttext; then
		ft "$train" "$B/train.ft"; ft "$test" "$B/test.ft"
		awk '{ print tolower($0) }' "$B/sent.txt" >"$B/sent.ft"
		fasttext supervised -input "$B/train.ft" -output "$B/ft" -epoch 25 -wordNgrams 2 -thread 1 -seed 1 -verbose 0 >/dev/null 2>&1
		fasttext predict "$B/ft.bin" "$B/test.ft" | sed 's/^__label__//' >"$B/pred.ft"
		f=$(macro_f1 "$B/gold" "$B/pred.ft")
		r=$(rate "$ns" "$(cpu fasttext predict "$B/ft.bin" "$B/sent.ft")")
		printf '%-28s macro-F1 %6s   %9s sentences/s (own tokenizer)  evtag: F1 %+.2f, speed x%s\n' \
			"fastText (epoch 25, bigrams)" "$f" "$r" "$(awk -v a="$f_ev" -v b="$f" 'BEGIN{print a-b}')" "$(ratio "$r_ev" "$r")"
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
