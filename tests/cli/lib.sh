# Shared by the shell tests in tests/cli: source it, call the checks, end
# with t_done. EVTAG is the binary under test, SHARED the ../shared folder.
: "${EVTAG:=./evtag}"
: "${SHARED:=../shared/}"
T_PASS=0
T_FAIL=0
T_TMP=$(mktemp -d)
trap 'rm -rf "$T_TMP"' EXIT

t_ok() { T_PASS=$((T_PASS + 1)); }
t_bad() { T_FAIL=$((T_FAIL + 1)); echo "$T_NAME: FAILED: $*" >&2; }

# expect_status N CMD...: runs CMD, checks its exit status; output kept in
# $T_TMP/out and $T_TMP/err.
expect_status() {
	want=$1; shift
	"$@" >"$T_TMP/out" 2>"$T_TMP/err"
	got=$?
	if [ "$got" = "$want" ]; then t_ok; else t_bad "'$*' exited $got, expected $want; stderr: $(head -c 400 "$T_TMP/err")"; fi
}
# expect_grep FILE PATTERN: FILE contains a line matching PATTERN (grep -E).
expect_grep() {
	if grep -Eq -- "$2" "$1"; then t_ok; else t_bad "$1 does not match /$2/: $(head -c 400 "$1")"; fi
}
expect_no_grep() {
	if grep -Eq -- "$2" "$1"; then t_bad "$1 matches /$2/"; else t_ok; fi
}
# expect_true DESCRIPTION CMD...: CMD succeeds.
expect_true() {
	d=$1; shift
	if "$@"; then t_ok; else t_bad "$d"; fi
}
t_done() {
	echo "$T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" = 0 ]
}
