# Shared by the benchmarks: source it from the top of the worktree.
# bench_need NAME: stops the benchmark NAME with a message when a shipped
# model (in EVTAG_MODELS) or the source corpus SRC is missing.
bench_need() {
	for m in entities roles plover penta; do
		if [ ! -f "$EVTAG_MODELS/$m.evm" ]; then
			echo "$1: $EVTAG_MODELS/$m.evm is missing (run 'make models')" >&2
			exit 1
		fi
	done
	[ -f "$SRC" ] || { echo "$1: $SRC not found (set CORPORA)" >&2; exit 1; }
}

# Peers of the event classifiers: liblinear, libsvm's own tools (linear
# kernel) and fastText, from their Debian packages. A benchmark sources this
# file from the top of the worktree; scratch files go into the DIR it names.

# bench_peers NAME: installs the missing peer packages (liblinear-tools,
# libsvm-tools, fasttext) when run as root with apt-get; then names each
# package still missing on stderr. Peers missing are skipped (bench_have).
bench_peers() {
	need=""
	command -v liblinear-train >/dev/null 2>&1 || need="$need liblinear-tools"
	command -v svm-train >/dev/null 2>&1 || need="$need libsvm-tools"
	command -v fasttext >/dev/null 2>&1 || need="$need fasttext"
	[ -n "$need" ] || return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "$1: installing$need" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null 2>&1 ||
			{ apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null 2>&1; }
	fi
	command -v liblinear-train >/dev/null 2>&1 || echo "$1: liblinear-train missing: skipping liblinear (Debian package liblinear-tools)" >&2
	command -v svm-train >/dev/null 2>&1 || echo "$1: svm-train missing: skipping libsvm (Debian package libsvm-tools)" >&2
	command -v fasttext >/dev/null 2>&1 || echo "$1: fasttext missing: skipping fastText (Debian package fasttext)" >&2
	return 0
}
# bench_have CMD: true when the command CMD exists.
bench_have() { command -v "$1" >/dev/null 2>&1; }
# bench_peer_cmd PEER: the training command of PEER (liblinear, libsvm, fasttext).
bench_peer_cmd() {
	case $1 in liblinear) echo liblinear-train ;; libsvm) echo svm-train ;; fasttext) echo fasttext ;; esac
}

# bench_cpu DIR CMD...: CPU seconds (user + system) of CMD, its output
# discarded. The machines are shared: wall time would measure the neighbours.
bench_cpu() {
	_d=$1; shift
	/usr/bin/time -f '%U %S' -o "$_d/time" "$@" >/dev/null 2>&1
	tail -n 1 "$_d/time" | awk '{ print $1 + $2 }'
}
# bench_rate N SECONDS: N per second, rounded; bench_ratio A B: A / B.
bench_rate() { awk -v n="$1" -v d="$2" 'BEGIN { if (d <= 0) d = 0.01; printf "%.0f", n / d }'; }
bench_ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }'; }

# bench_macro_f1 GOLD PRED: macro-F1 in percent (labels present in gold or
# predictions) of the predicted labels against the gold ones, one a line,
# scored by 'evtag score' so that every system is scored by the same code.
# An empty prediction (fastText on a line without words) counts as the
# wrong label "-"; files of different lengths score "ERR".
bench_macro_f1() {
	[ "$(wc -l <"$1")" = "$(wc -l <"$2")" ] || { printf 'ERR'; return; }
	paste "$1" "$2" | awk -F'\t' 'BEGIN { OFS = "\t" } { if ($2 == "") $2 = "-"; print $1, $2 }' |
		$EVTAG score -f tsv -b 0 --json - |
		sed -n 's/.*"macro":{[^}]*"f1":\([-+0-9.eE]*\).*/\1/p' | awk '{ printf "%.2f", 100 * $1 }'
}

# bench_sentences OUT N TSV...: a throughput file of single sentences: the
# TSV files' texts cut to their first ~300 bytes at a sentence end, repeated
# to >= N lines.
bench_sentences() {
	_o=$1 _n=$2; shift 2
	awk -F'\t' '{ t = $2; if (length(t) > 300) { t = substr(t, 1, 300); sub(/[.!?][^.!?]*$/, ".", t) } print t }' "$@" >"$_o.one"
	: >"$_o"
	while [ "$(wc -l <"$_o")" -lt "$_n" ]; do cat "$_o.one" >>"$_o"; done
	rm -f "$_o.one"
}

# bench_peer_prepare TRAIN DIR: the peers' training files in DIR from TRAIN
# (LABEL<TAB>text): a plain bag of words for liblinear and libsvm
# (DIR/train.bow; DIR/bow.sh converts more files with the same vocabulary)
# and fastText's format (DIR/train.ft).
bench_peer_prepare() {
	mkdir -p "$2"
	bench_bow_script >"$2/bow.sh"
	sh "$2/bow.sh" TRAIN "$1" "$2/train.bow"
	bench_ft "$1" "$2/train.ft"
}
# bench_bow_script: a script 'bow.sh TRAIN|TEST IN OUT', a plain bag of
# words: lowercased alphanumeric words, binary, L2-normalised; vocabulary
# from the training file (vocab beside the script), labels numbered in
# labels; unknown words dropped, unknown labels 0.
bench_bow_script() {
	cat <<'BOW'
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
}
# bench_ft IN OUT: fastText's format, __label__X lowercased text.
bench_ft() { awk -F'\t' '{ print "__label__" $1 " " tolower($2) }' "$1" >"$2"; }
# bench_peer_input PEER DIR IN OUT: IN (LABEL<TAB>text) in PEER's input format.
bench_peer_input() {
	case $1 in
	liblinear|libsvm) sh "$2/bow.sh" TEST "$3" "$4" ;;
	fasttext) bench_ft "$3" "$4" ;;
	esac
}
# bench_peer_train PEER DIR: trains PEER on DIR's training files (see
# bench_peer_prepare) into DIR; prints the training CPU seconds
# (featurisation excluded). libsvm: svm-train -t 0 (linear kernel);
# fastText: 25 epochs, word bigrams, one thread, seed 1.
bench_peer_train() {
	case $1 in
	liblinear) bench_cpu "$2" liblinear-train -q "$2/train.bow" "$2/liblinear.model" ;;
	libsvm) bench_cpu "$2" svm-train -q -t 0 "$2/train.bow" "$2/libsvm.model" ;;
	fasttext) bench_cpu "$2" fasttext supervised -input "$2/train.ft" -output "$2/fasttext" \
		-epoch 25 -wordNgrams 2 -thread 1 -seed 1 -verbose 0 ;;
	esac
}
# bench_peer_speed PEER DIR IN: CPU seconds of PEER's prediction on IN,
# already in PEER's input format.
bench_peer_speed() {
	case $1 in
	liblinear) bench_cpu "$2" liblinear-predict "$3" "$2/liblinear.model" "$2/speed.out" ;;
	libsvm) bench_cpu "$2" svm-predict "$3" "$2/libsvm.model" "$2/speed.out" ;;
	fasttext) bench_cpu "$2" fasttext predict "$2/fasttext.bin" "$3" ;;
	esac
}
# bench_peer_predict PEER DIR TEST OUT: PEER's predicted labels for TEST
# (LABEL<TAB>text), one a line, into OUT.
bench_peer_predict() {
	bench_peer_input "$1" "$2" "$3" "$2/test.in"
	case $1 in
	liblinear) liblinear-predict "$2/test.in" "$2/liblinear.model" "$2/test.out" >/dev/null ;;
	libsvm) svm-predict "$2/test.in" "$2/libsvm.model" "$2/test.out" >/dev/null ;;
	fasttext) fasttext predict "$2/fasttext.bin" "$2/test.in" | sed 's/^__label__//' >"$4"; return ;;
	esac
	# label numbers back to names
	awk -v lf="$2/labels" 'BEGIN { while ((getline l < lf) > 0) { split(l, a, " "); N[a[2]] = a[1] } }
		{ print N[$1 + 0] }' "$2/test.out" >"$4"
}

# bench_load: the 1, 5 and 15-minute load averages (/proc/loadavg).
bench_load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'; }
# bench_summary LINE: prints LINE with the load average at its end, and
# appends it to the file BENCH_SUMMARY when that is set (tests/bench/run.sh
# prints that file after all the benchmarks: `make bench`'s last lines).
bench_summary() {
	_s="$1 [load $(bench_load)]"
	echo "$_s"
	if [ -n "${BENCH_SUMMARY:-}" ]; then echo "$_s" >>"$BENCH_SUMMARY"; fi
}
# bench_span_f1 FILE: entity span micro-F1 in percent of a CoNLL file whose
# last two columns are gold and predicted tags, scored by 'evtag score' (the
# code of 'evtag eval', conlleval's rules), so every tagger is scored alike.
bench_span_f1() {
	$EVTAG score -f conll -b 0 --json "$1" |
		sed -n 's/.*"micro":{[^}]*"f1":\([-+0-9.eE]*\).*/\1/p' | awk '{ printf "%.2f", 100 * $1 }'
}
# bench_kv KEY LINE: the value of KEY in a line of key=value pairs.
bench_kv() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
# bench_best N CMD...: the least of the numbers that N runs of CMD print
# (CPU seconds: on a busy machine a run can take twice the time it needs).
bench_best() {
	_n=$1; shift
	_i=0 _b=""
	while [ $_i -lt "$_n" ]; do
		_t=$("$@")
		_b=$(awk -v a="$_b" -v b="$_t" 'BEGIN { if (a == "" || b + 0 < a + 0) print b; else print a }')
		_i=$((_i + 1))
	done
	echo "$_b"
}
