#!/bin/sh
# Builds the event classifiers' training and dev files from the public
# corpora into OUT (default build/events; never committed). Each real file
# is split into a fixed, seeded dev part (15%) and a training part by the
# same rule: line i goes to dev when the i-th draw of a Park-Miller
# generator seeded with SEED (default 1) falls below 0.15, so the split
# is the same with any awk. Only the dev parts guide choices; the test
# files (plover-synthetic/test.tsv, cameo-penta/test.tsv) are never read.
#
#   voa.{train,dev}.tsv, voa.flags.{train,dev}.tsv  VOA sentences, every
#       PLOVER type and NONE, and their negated/hypothetical flags
#   acled.{train,dev}.tsv   ACLED notes mapped to PLOVER
#   ipe.{train,dev}.tsv     Times of India police sentences (COERCE, ASSAULT, NONE)
#   quad.{train,dev}.tsv    UN sentences with quad classes and NONE
#   quadnone.{train,dev}.tsv  the NONE rows of quad (no-event examples)
#   penta.{train,dev}.tsv   cameo-penta/train.tsv split the same way
#   plover.train.tsv        the PLOVER model's training file (see below)
#   pentareal.train.tsv     the PentaClass model's training file
set -e
: "${CORPORA:=../shared/corpora}"
: "${OUT:=build/events}"
: "${SEED:=1}"
R="$CORPORA/events/real"
mkdir -p "$OUT"
for f in "$R/voa-plover.tsv" "$R/voa-plover.flags.tsv" "$R/acled-plover.tsv" \
	"$R/ipe-plover.tsv" "$R/ipe-none.tsv" "$R/quad-penta.tsv" \
	"$CORPORA/events/cameo-penta/train.tsv"; do
	[ -f "$f" ] || { echo "event-data.sh: $f: missing (set CORPORA=DIR)" >&2; exit 1; }
done
# split IN NAME: NAME.train.tsv and NAME.dev.tsv
split() {
	awk -v seed="$SEED" -v tr="$OUT/$2.train.tsv.tmp" -v dv="$OUT/$2.dev.tsv.tmp" '
	BEGIN { x = seed % 2147483647; if (x <= 0) x += 2147483646 }
	{ x = (x * 16807) % 2147483647
	  if (x / 2147483647 < 0.15) print > dv; else print > tr }' "$1"
	mv "$OUT/$2.train.tsv.tmp" "$OUT/$2.train.tsv"
	mv "$OUT/$2.dev.tsv.tmp" "$OUT/$2.dev.tsv"
}
split "$R/voa-plover.tsv" voa
split "$R/voa-plover.flags.tsv" voa.flags
split "$R/acled-plover.tsv" acled
cat "$R/ipe-plover.tsv" "$R/ipe-none.tsv" >"$OUT/ipe.all.tmp"
split "$OUT/ipe.all.tmp" ipe
rm -f "$OUT/ipe.all.tmp"
split "$R/quad-penta.tsv" quad
split "$CORPORA/events/cameo-penta/train.tsv" penta
for p in train dev; do
	awk -F'\t' '$1 == "NONE"' "$OUT/quad.$p.tsv" >"$OUT/quadnone.$p.tsv"
done
# PLOVER: real text for every type; NONE from VOA, IPE and the UN file.
cat "$OUT/voa.train.tsv" "$OUT/acled.train.tsv" "$OUT/ipe.train.tsv" \
	"$OUT/quadnone.train.tsv" >"$OUT/plover.train.tsv"
# PentaClass: cameo-penta news sentences, the UN quad sentences with a
# class, and the VOA event sentences with the class of their PLOVER type
# (not REQUEST: it spans CAMEO 02 appeals, STATEMENT, and 10 demands).
{
	cat "$OUT/penta.train.tsv"
	awk -F'\t' '$1 != "NONE"' "$OUT/quad.train.tsv"
	awk -F'\t' 'BEGIN {
		split("AGREE CONSULT SUPPORT", a, " "); for (i in a) m[a[i]] = "VERBAL_COOPERATION"
		split("COOPERATE AID CONCEDE RETREAT", a, " "); for (i in a) m[a[i]] = "MATERIAL_COOPERATION"
		split("ACCUSE REJECT THREATEN", a, " "); for (i in a) m[a[i]] = "VERBAL_CONFLICT"
		split("PROTEST MOBILIZE SANCTION COERCE ASSAULT", a, " "); for (i in a) m[a[i]] = "MATERIAL_CONFLICT" }
		($1 in m) { print m[$1] "\t" $2 }' "$OUT/voa.train.tsv"
} >"$OUT/pentareal.train.tsv"
wc -l "$OUT"/*.tsv >&2
