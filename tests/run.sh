#!/bin/sh
# make check: runs every unit-test program and every shell test, prints
# each one's result and a total line "N passed, N failed".
: "${BUILD:=build}"
: "${EVTAG:=$PWD/evtag}"
: "${SHARED:=../shared/}"
export EVTAG SHARED DATADIR
pass=0; fail=0; broken=""
tmp=$(mktemp)
run_one() {
	name=$1; shift
	"$@" >"$tmp" 2>&1
	rc=$?
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$tmp" | tail -n 1)
	if [ -z "$line" ]; then
		cat "$tmp"; echo "$name: no result line (exit $rc)"
		fail=$((fail + 1)); broken="$broken $name"; return
	fi
	p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed*}
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi
	[ "$f" != 0 ] && { grep -v -E '^[0-9]+ passed, [0-9]+ failed' "$tmp" | tail -n 40; broken="$broken $name"; }
	printf '%-28s %s\n' "$name" "$line"
	pass=$((pass + p)); fail=$((fail + f))
}
if [ -n "${TESTS:-}" ]; then
	# only the named tests (programs or shell scripts)
	for t in $TESTS; do
		case $t in
		*.sh) run_one "$(basename "$t" .sh)" env T_NAME="$(basename "$t")" sh "$t" ;;
		*/replay_*) n=${t##*/replay_}
			run_one "replay_$n" "$t" "tests/fuzz/seeds/$n" "tests/fuzz/regress/$n" ;;
		*) run_one "$(basename "$t")" "$t" ;;
		esac
	done
	rm -f "$tmp"
	echo "$pass passed, $fail failed"
	[ "$fail" = 0 ]
	exit
fi
for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	run_one "$(basename "$t")" "$t"
done
for t in "$BUILD"/tests/replay_*; do
	[ -x "$t" ] || continue
	n=${t##*/replay_}
	run_one "replay_$n" "$t" "tests/fuzz/seeds/$n" "tests/fuzz/regress/$n"
done
for t in tests/cli/test_*.sh; do
	[ -f "$t" ] || continue
	run_one "$(basename "$t" .sh)" env T_NAME="$(basename "$t")" sh "$t"
done
rm -f "$tmp"
[ -n "$broken" ] && echo "failing:$broken"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
