# Shared by the benchmarks: source it after setting EVTAG_MODELS and SRC.
# bench_need NAME: stops the benchmark NAME with a message when a shipped
# model or the source corpus SRC is missing.
bench_need() {
	for m in entities roles plover penta; do
		if [ ! -f "$EVTAG_MODELS/$m.evm" ]; then
			echo "$1: $EVTAG_MODELS/$m.evm is missing (run 'make models')" >&2
			exit 1
		fi
	done
	[ -f "$SRC" ] || { echo "$1: $SRC not found (set CORPORA)" >&2; exit 1; }
}
