#!/bin/sh
# Builds the actor-role tagger's development files from the public corpora
# into OUT (default build/roles; never committed). Each training file is
# split by sentence into a fixed, seeded dev part (15%) and a training
# part by the rule of training/event-data.sh: sentence i goes to dev when
# the i-th draw of a Park-Miller generator seeded with SEED (default 1)
# falls below 0.15, so the split is the same with any awk. Only the dev
# parts guide choices; cameo-roles/test.conll and voa-roles/dev.conll (the
# held-out parts) are never read here.
#
#   cameo.{train,dev}.conll   roles/cameo-roles/train.conll split
#   voa.{train,dev}.conll     roles/voa-roles/train.conll split
#   both.train.conll          cameo.train + voa.train
#   both2.train.conll         cameo.train twice + voa.train (the shipped
#                             recipe's mix, for trials on the dev parts)
#   both3.train.conll         cameo.train three times + voa.train
# Every file is written to NAME.tmp and renamed when whole.
set -e
: "${CORPORA:=../shared/corpora}"
: "${OUT:=build/roles}"
: "${SEED:=1}"
R="$CORPORA/roles"
for f in "$R/cameo-roles/train.conll" "$R/voa-roles/train.conll"; do
	[ -f "$f" ] || { echo "roles-data.sh: $f: missing (set CORPORA=DIR)" >&2; exit 1; }
done
mkdir -p "$OUT"
# split IN NAME: NAME.train.conll and NAME.dev.conll
split() {
	awk -v seed="$SEED" -v tr="$OUT/$2.train.conll.tmp" -v dv="$OUT/$2.dev.conll.tmp" '
	BEGIN { RS = ""; x = seed % 2147483647; if (x <= 0) x += 2147483646 }
	{ x = (x * 16807) % 2147483647
	  if (x / 2147483647 < 0.15) print $0 "\n" > dv; else print $0 "\n" > tr }' "$1"
	mv "$OUT/$2.train.conll.tmp" "$OUT/$2.train.conll"
	mv "$OUT/$2.dev.conll.tmp" "$OUT/$2.dev.conll"
}
split "$R/cameo-roles/train.conll" cameo
split "$R/voa-roles/train.conll" voa
# mix NAME FILE...: the FILEs one after the other into OUT/NAME.train.conll
mix() {
	name=$1; shift
	cat "$@" >"$OUT/$name.train.conll.tmp"
	mv "$OUT/$name.train.conll.tmp" "$OUT/$name.train.conll"
}
C="$OUT/cameo.train.conll" V="$OUT/voa.train.conll"
mix both "$C" "$V"
mix both2 "$C" "$C" "$V"
mix both3 "$C" "$C" "$C" "$V"
