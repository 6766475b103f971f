#!/bin/sh
# Valgrind memcheck over whole runs of the binary: training both kinds of
# model (every stage: reading, feature extraction, L-BFGS on 2 threads or
# libsvm with probability calibration, atomic gzip write), then tagging,
# predicting, evaluating and `classify --threads 2 --progress` with all four shipped
# models. Any invalid read or write, use of uninitialised memory or leak
# (of any kind) fails the row. Sanitizer builds are skipped: ASan and
# valgrind cannot run together, and the plain build is the one checked.
T_NAME=test_valgrind
. tests/cli/lib.sh

case "${BUILD:-build}" in
build) ;;
*) echo "test_valgrind: skipped in the ${BUILD} build (valgrind needs the plain one)"
   t_done; exit $? ;;
esac
if ! command -v valgrind >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null 2>&1
fi
if ! command -v valgrind >/dev/null 2>&1; then
	t_bad "valgrind is not installed (Debian package valgrind)"
	t_done; exit $?
fi

D="$T_TMP"
MODELS="${EVTAG_MODELS:-$PWD/models}"
PENTA="$SHARED/corpora/events/cameo-penta/train.tsv"
GMB="$SHARED/corpora/entities/gmb/train.conll"
ART="$SHARED/samples/article-2020-10-09.txt"

# vg NAME CMD...: runs CMD under memcheck; the row passes when CMD exits 0
# and valgrind reports no error and no leak.
vg() {
	name=$1; shift
	valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=all \
		--errors-for-leak-kinds=all --log-file="$D/vg-$name.log" "$@" >"$D/out-$name" 2>"$D/err-$name"
	rc=$?
	if [ "$rc" = 0 ] && [ ! -s "$D/vg-$name.log" ]; then t_ok
	else t_bad "$name: exit $rc; $(head -c 600 "$D/vg-$name.log") $(head -c 300 "$D/err-$name")"; fi
}

# small slices of the real corpora (a few hundred examples), so that every
# path runs but valgrind's 20-50x slowdown stays in seconds
head -n 400 "$PENTA" >"$D/train.tsv"
sed -n '401,600p' "$PENTA" >"$D/dev.tsv"
awk 'NR <= 3000' "$GMB" >"$D/train.conll"
awk 'NR > 3000 && NR <= 4000' "$GMB" >"$D/dev.conll"

vg train-classifier "$EVTAG" train classifier --corpus "$D/train.tsv" --dev "$D/dev.tsv" \
	-o "$D/clf.evm" --c auto --c-grid 0.3,1 --folds 3 -q
vg train-tagger "$EVTAG" train tagger --corpus "$D/train.conll" --dev "$D/dev.conll" \
	-o "$D/tagger.evm" --iterations 15 --threads 2 --clusters 1 -q
vg predict "$EVTAG" predict --model "$D/clf.evm" "$D/dev.tsv"
vg tag "$EVTAG" tag --model "$D/tagger.evm" "$ART"
vg eval-classifier "$EVTAG" eval classifier --model "$D/clf.evm" --bootstrap 50 "$D/dev.tsv"
vg eval-tagger "$EVTAG" eval tagger --model "$D/tagger.evm" --bootstrap 50 "$D/dev.conll"
vg classify env EVTAG_MODELS="$MODELS" "$EVTAG" classify --threads 2 --progress "$ART"
# the run must have done its work, not failed early
expect_grep "$D/out-classify" '"sent":10,'
expect_true "the trained tagger is a model file" test -s "$D/tagger.evm"
t_done
