#!/bin/sh
# make fuzz [FUZZ_TARGETS="model tok"] [FUZZ_SECONDS=60] [FUZZ_RUNS=N]:
# builds each tests/fuzz/fuzz_NAME.c with clang's libFuzzer, ASan and
# UBSan, and runs it for FUZZ_SECONDS (or FUZZ_RUNS executions) on a
# corpus seeded from tests/fuzz/seeds/NAME. Failing inputs are written to
# build-fuzz/crashes/NAME/; copy them to tests/fuzz/regress/NAME/ so that
# `make check` replays them forever.
set -u
: "${FUZZ_SECONDS:=60}"
: "${FUZZ_RUNS:=-1}"
out=build-fuzz
mkdir -p "$out"
command -v clang >/dev/null 2>&1 || {
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang libclang-rt-dev >&2
	else
		echo "make fuzz: needs clang (Debian packages clang libclang-rt-dev)" >&2; exit 1
	fi
}
targets="$*"
[ -n "$targets" ] || targets=$(ls tests/fuzz/fuzz_*.c | sed 's/.*fuzz_\(.*\)\.c/\1/')
status=0
for t in $targets; do
	bin="$out/fuzz_$t"
	# shellcheck disable=SC2086
	clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		$CPPFLAGS -std=c11 -pthread -o "$bin" "tests/fuzz/fuzz_$t.c" $LIB_SRC $LDLIBS || { status=1; continue; }
	corpus="$out/corpus/$t"; crashes="$out/crashes/$t"
	mkdir -p "$corpus" "$crashes"
	[ -d "tests/fuzz/seeds/$t" ] && cp -n tests/fuzz/seeds/$t/* "$corpus/" 2>/dev/null
	[ -d "tests/fuzz/regress/$t" ] && cp -n tests/fuzz/regress/$t/* "$corpus/" 2>/dev/null
	log="$out/fuzz_$t.log"
	touch "$out/start-$t"
	"$bin" "$corpus" -max_total_time="$FUZZ_SECONDS" -runs="$FUZZ_RUNS" -timeout=10 \
		-rss_limit_mb=2048 -max_len=1048576 -print_final_stats=1 \
		-artifact_prefix="$crashes/" >"$log" 2>&1
	rc=$?
	execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
	ncrash=$(find "$crashes" -type f -newer "$out/start-$t" | wc -l)
	printf 'fuzz_%-10s executions %12s  new failing inputs %s  (exit %s, log %s)\n' "$t" "${execs:-?}" "$ncrash" "$rc" "$log"
	[ "$rc" = 0 ] || status=1
done
exit $status
