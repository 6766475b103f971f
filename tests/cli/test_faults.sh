#!/bin/sh
# Fault injection: training killed (SIGKILL) while it would write over a
# good model, or stopped by SIGINT, SIGTERM or SIGHUP at many moments and
# during the write, output to a full disk, a read-only directory, damaged
# model files (cut at every 1/16 of their length, single bits flipped),
# missing model folders.
# Nothing may crash, nothing may be left half-written, every failure must
# say what went wrong and exit 1.
. tests/cli/lib.sh
T=$T_TMP
chmod 755 "$T"

# A synthetic corpus: three labels, each with its own words, plus noise.
awk 'BEGIN {
	srand(7);
	split("attack shell bomb strike kill", a, " ");
	split("meet talk negotiate visit host", b, " ");
	split("accuse blame criticize condemn deny", c, " ");
	for (i = 0; i < 3000; i++) {
		k = i % 3; s = "";
		for (j = 0; j < 12; j++) {
			w = (rand() < 0.3) ? (k == 0 ? a[int(rand()*5)+1] : k == 1 ? b[int(rand()*5)+1] : c[int(rand()*5)+1]) : "w" int(rand()*500);
			s = s " " w;
		}
		print (k == 0 ? "ASSAULT" : k == 1 ? "CONSULT" : "ACCUSE") "\t" s;
	}
}' >"$T/train.tsv"
head -n 30 "$T/train.tsv" | cut -f2 >"$T/input.txt"

expect_status 0 "$EVTAG" train classifier -q --corpus "$T/train.tsv" -o "$T/good.evm" --seed 1
"$EVTAG" predict --model "$T/good.evm" "$T/input.txt" >"$T/good.out" 2>&1
expect_true "the good model predicts" test -s "$T/good.out"

# 1. Training killed (SIGKILL) while it runs to write over the good model:
#    the old model is intact and still loads.
cp "$T/good.evm" "$T/target.evm"
"$EVTAG" train classifier -q --corpus "$T/train.tsv" -o "$T/target.evm" \
	--c auto --c-grid 0.01,0.1,1,10,100,1000 --folds 10 --kernel rbf >/dev/null 2>&1 &
pid=$!
sleep 1
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
expect_true "killed training left the old model byte-identical" cmp -s "$T/good.evm" "$T/target.evm"
"$EVTAG" predict --model "$T/target.evm" "$T/input.txt" >"$T/after.out" 2>&1
expect_true "the old model still loads and predicts the same" cmp -s "$T/good.out" "$T/after.out"

# 1b. SIGINT and SIGTERM sent at many moments of a training run that writes
#     over a model, some while the model is written: no stray temporary
#     file, and the target is the previous model, byte for byte (the run
#     trains what it replaces, same data and seed, so a write that
#     completes before the deferred signal is let through gives the same
#     bytes). A shell starts background jobs with SIGINT ignored: env
#     restores its default.
awk 'BEGIN { srand(5);
	for (i = 0; i < 4000; i++) {
		print "P" int(rand()*50000) "\tB-PER"; print "visited\tO";
		print "L" int(rand()*50000) "\tB-LOC"; print "w" int(rand()*50000) "\tO"; print ".\tO"; print "";
	} }' >"$T/wide.conll"
mkdir -p "$T/sig"
TRAIN_WIDE="train tagger -q --corpus $T/wide.conll --iterations 1 --threads 1"
# shellcheck disable=SC2086
expect_status 0 "$EVTAG" $TRAIN_WIDE -o "$T/wide.evm"
SIGENV="env --default-signal=INT,TERM,HUP"
$SIGENV true 2>/dev/null || SIGENV=""
for sig in INT TERM; do
	stray=0; changed=0; killed=0; runs=0
	for d in 0 0.02 0.04 0.06 0.08 0.1 0.12 0.14 0.16 0.18 0.2 0.22 0.24 0.27 0.3 0.35 0.4; do
		cp "$T/wide.evm" "$T/sig/model.evm"
		# shellcheck disable=SC2086
		$SIGENV "$EVTAG" $TRAIN_WIDE -o "$T/sig/model.evm" >/dev/null 2>&1 &
		pid=$!
		sleep $d
		kill -$sig $pid 2>/dev/null
		{ wait $pid; } 2>/dev/null
		[ $? -gt 128 ] && killed=$((killed + 1))
		runs=$((runs + 1))
		ls "$T/sig" | grep -q '\.tmp\.' && stray=$((stray + 1))
		rm -f "$T"/sig/*.tmp.*
		cmp -s "$T/wide.evm" "$T/sig/model.evm" || changed=$((changed + 1))
	done
	expect_true "SIG$sig during training left a stray temporary file ($stray of $runs runs)" [ $stray = 0 ]
	expect_true "SIG$sig during training changed the previous model ($changed of $runs runs)" [ $changed = 0 ]
	expect_true "SIG$sig stopped none of $runs runs" [ $killed -gt 0 ]
done

# 1c. The same, deterministically inside the write: strace holds the
#     fsync of the temporary file for a second, the signal comes while the
#     temporary file exists; it must take effect only after the rename.
if command -v strace >/dev/null 2>&1 && strace -o /dev/null -e inject=fsync:delay_enter=1 true 2>/dev/null; then
	for sig in INT TERM HUP; do
		cp "$T/wide.evm" "$T/sig/model.evm"
		# shellcheck disable=SC2086
		$SIGENV strace -o /dev/null -e trace=fsync -e inject=fsync:delay_enter=1000000 \
			"$EVTAG" $TRAIN_WIDE -o "$T/sig/model.evm" >/dev/null 2>&1 &
		spid=$!
		n=0
		while ! ls "$T/sig" | grep -q '\.tmp\.' && [ $n -lt 300 ]; do sleep 0.01; n=$((n + 1)); done
		pid=$(pgrep -P $spid)
		[ -n "$pid" ] && kill -$sig $pid
		{ wait $spid; } 2>/dev/null
		rc=$?
		expect_true "SIG$sig during the write: no stray temporary file" sh -c "! ls '$T/sig' | grep -q '\.tmp\.'"
		rm -f "$T"/sig/*.tmp.*
		expect_true "SIG$sig during the write: the model is complete" cmp -s "$T/wide.evm" "$T/sig/model.evm"
		expect_true "SIG$sig during the write stopped the run (exit $rc, pid '$pid')" [ $rc -gt 128 ]
	done
else
	echo "strace is missing or cannot trace here: the deterministic signal-during-write check is skipped (Debian package strace)"
fi

# 2. Output to a full disk: a clear error and exit 1.
for cmd in "split $T/input.txt" "predict --model $T/good.evm $T/input.txt"; do
	# shellcheck disable=SC2086
	"$EVTAG" $cmd >/dev/full 2>"$T/err"
	rc=$?
	if [ $rc = 1 ] && grep -qi 'writ\|space' "$T/err"; then t_ok; else t_bad "evtag $cmd >/dev/full: exit $rc, stderr: $(cat "$T/err")"; fi
done
expect_status 1 "$EVTAG" train classifier -q --corpus "$T/train.tsv" -o /dev/full
expect_true "training to /dev/full leaves no temporary file in /dev" sh -c '! ls /dev/full.tmp.* >/dev/null 2>&1'

# 3. A read-only directory (run as an unprivileged user when we are root:
#    root may write anywhere).
mkdir -p "$T/ro" && cp "$T/good.evm" "$T/ro/model.evm" && chmod 555 "$T/ro"
chmod 644 "$T/train.tsv"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
	AS="setpriv --reuid=65534 --regid=65534 --clear-groups"
else
	AS=""
fi
if [ -n "$AS" ] || [ "$(id -u)" != 0 ]; then
	$AS "$EVTAG" train classifier -q --corpus "$T/train.tsv" -o "$T/ro/model.evm" >/dev/null 2>"$T/err"
	rc=$?
	if [ $rc = 1 ] && grep -q 'ro/model.evm' "$T/err"; then t_ok; else t_bad "train into a read-only dir: exit $rc, stderr: $(cat "$T/err")"; fi
	expect_true "nothing written into the read-only directory" sh -c "[ \$(ls '$T/ro' | wc -l) = 1 ]"
	expect_true "the model in the read-only directory is intact" cmp -s "$T/good.evm" "$T/ro/model.evm"
	# an unreadable input file
	printf 'secret\n' >"$T/secret.txt" && chmod 600 "$T/secret.txt"
	$AS "$EVTAG" split "$T/secret.txt" >/dev/null 2>"$T/err"
	rc=$?
	if [ $rc = 1 ] && grep -q 'Permission denied' "$T/err"; then t_ok; else t_bad "unreadable input: exit $rc, stderr: $(cat "$T/err")"; fi
fi

# 4. A damaged model: cut at every 1/16 of its length, and single bits
#    flipped across the file. Each is refused with a message, or (a flip
#    in bits gzip ignores) loads and predicts exactly as the original.
n=$(stat -c %s "$T/good.evm")
i=0
while [ $i -lt 16 ]; do
	head -c $((n * i / 16)) "$T/good.evm" >"$T/cut.evm"
	"$EVTAG" predict --model "$T/cut.evm" "$T/input.txt" >/dev/null 2>"$T/err"
	rc=$?
	if [ $rc = 1 ] && grep -q 'cut.evm' "$T/err"; then t_ok; else t_bad "model cut at $i/16: exit $rc, stderr: $(cat "$T/err")"; fi
	i=$((i + 1))
done
k=0
while [ $k -lt 32 ]; do
	pos=$(( (k * 7919 + 13) % n ))
	bit=$(( k % 8 ))
	python3 -c "
import sys
d = bytearray(open(sys.argv[1], 'rb').read())
d[int(sys.argv[2])] ^= 1 << int(sys.argv[3])
open(sys.argv[4], 'wb').write(d)" "$T/good.evm" $pos $bit "$T/flip.evm"
	"$EVTAG" predict --model "$T/flip.evm" "$T/input.txt" >"$T/flip.out" 2>"$T/err"
	rc=$?
	if { [ $rc = 1 ] && grep -q 'flip.evm' "$T/err"; } || { [ $rc = 0 ] && cmp -s "$T/flip.out" "$T/good.out"; }; then
		t_ok
	else
		t_bad "bit $bit of byte $pos flipped: exit $rc, stderr: $(head -c 300 "$T/err")"
	fi
	grep -q 'Sanitizer\|runtime error' "$T/err" && t_bad "sanitizer report on flipped model"
	k=$((k + 1))
done

# The same for a tagger model (its own loader, its own sections).
awk 'BEGIN { srand(3);
	split("Putin Lavrov Aliyev Pashinyan Pompeo", p, " ");
	split("Moscow Armenia Baku Paris Minsk", l, " ");
	for (i = 0; i < 200; i++) {
		print p[int(rand()*5)+1] "\tB-PER"; print "visited\tO";
		print l[int(rand()*5)+1] "\tB-LOC"; print ".\tO"; print "";
	} }' >"$T/train.conll"
head -n 20 "$T/train.conll" | cut -f1 >"$T/input.conll"
expect_status 0 "$EVTAG" train tagger -q --corpus "$T/train.conll" -o "$T/tagger.evm" --iterations 30
"$EVTAG" tag --model "$T/tagger.evm" --conll "$T/input.conll" >"$T/tag.out" 2>&1
expect_true "the tagger model tags" grep -q 'B-PER' "$T/tag.out"
n=$(stat -c %s "$T/tagger.evm")
i=1
while [ $i -lt 16 ]; do
	head -c $((n * i / 16)) "$T/tagger.evm" >"$T/cut.evm"
	"$EVTAG" tag --model "$T/cut.evm" --conll "$T/input.conll" >/dev/null 2>"$T/err"
	rc=$?
	if [ $rc = 1 ] && grep -q 'cut.evm' "$T/err"; then t_ok; else t_bad "tagger model cut at $i/16: exit $rc, stderr: $(cat "$T/err")"; fi
	i=$((i + 1))
done
k=0
while [ $k -lt 16 ]; do
	pos=$(( (k * 7919 + 13) % n ))
	python3 -c "
import sys
d = bytearray(open(sys.argv[1], 'rb').read())
d[int(sys.argv[2])] ^= 1 << int(sys.argv[3])
open(sys.argv[4], 'wb').write(d)" "$T/tagger.evm" $pos $((k % 8)) "$T/flip.evm"
	"$EVTAG" tag --model "$T/flip.evm" --conll "$T/input.conll" >"$T/flip.out" 2>"$T/err"
	rc=$?
	if { [ $rc = 1 ] && grep -q 'flip.evm' "$T/err"; } || { [ $rc = 0 ] && cmp -s "$T/flip.out" "$T/tag.out"; }; then
		t_ok
	else
		t_bad "tagger model, bit $((k % 8)) of byte $pos flipped: exit $rc, stderr: $(head -c 300 "$T/err")"
	fi
	k=$((k + 1))
done

# 5. Missing model folder for classify.
"$EVTAG" classify --models "$T/no-such-dir" "$T/input.txt" >/dev/null 2>"$T/err"
rc=$?
if [ $rc = 1 ] && grep -q 'no-such-dir' "$T/err"; then t_ok; else t_bad "missing models dir: exit $rc, stderr: $(cat "$T/err")"; fi

t_done
