#!/bin/sh
# The event classifiers' figures in docs/models.md: for
# models/plover.evm, macro-F1 with its 95% bootstrap interval and event
# detection precision/recall (an event = any label but NONE) on each real
# dev part, and on the synthetic test stories; for models/penta.evm,
# macro-F1 on the cameo-penta dev part and on cameo-penta/test.tsv, and the
# agreement of the two models' labels. Dev parts come from
# training/event-data.sh (run first if build/events is missing). From the
# repository root: sh training/eval-events.sh
set -e
: "${CORPORA:=../shared/corpora}"
: "${EVTAG:=./evtag}"
: "${OUT:=build/events}"
: "${MODELS:=models}"
[ -f "$OUT/voa.dev.tsv" ] || CORPORA="$CORPORA" OUT="$OUT" sh training/event-data.sh 2>/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
macro() { # FILE MODEL: "F1 [lo, hi] acc A"
	"$EVTAG" eval classifier --model "$2" "$1" |
		awk '$1 == "macro" { m = $4; for (i = 5; i <= NF; i++) m = m " " $i }
		     $1 == "accuracy" { a = $2 } END { print m, "accuracy", a }'
}
detect() { # FILE MODEL: event detection P R F1 over the file's lines
	cut -f1 "$1" >"$tmp/gold"
	"$EVTAG" predict --model "$2" "$1" | cut -f1 >"$tmp/pred"
	paste "$tmp/gold" "$tmp/pred" | awk -F'\t' '
		{ g = $1 != "NONE"; p = $2 != "NONE"; tp += g && p; ng += g; np += p }
		END { if (!ng) { printf "no events in gold; %d of %d sentences given one", np, NR; exit }
		      P = np ? 100 * tp / np : 0; R = 100 * tp / ng
		      printf "P %.2f R %.2f F1 %.2f", P, R, P + R ? 2 * P * R / (P + R) : 0 }'
}
echo "plover: file, examples, macro-F1 [95% CI], event detection (an event = not NONE)"
for d in voa acled ipe quadnone; do
	f="$OUT/$d.dev.tsv"
	printf '%s\t%s\t%s\t%s\n' "$d.dev" "$(wc -l <"$f")" "$(macro "$f" "$MODELS/plover.evm")" "$(detect "$f" "$MODELS/plover.evm")"
done
f="$CORPORA/events/plover-synthetic/test.tsv"
printf '%s\t%s\t%s\n' "synthetic test (stories)" "$(wc -l <"$f")" "$(macro "$f" "$MODELS/plover.evm")"
# PentaClass on the real dev parts: the VOA event sentences with the class
# of their type (REQUEST left out: it may be either of two classes) and the
# UN sentences with a quad class; penta.evm alone, and the class that
# classify derives from the PLOVER model's type (no event counts as NONE).
QUAD='BEGIN { split("AGREE CONSULT SUPPORT", a, " "); for (i in a) m[a[i]] = "VERBAL_COOPERATION"
	split("COOPERATE AID CONCEDE RETREAT", a, " "); for (i in a) m[a[i]] = "MATERIAL_COOPERATION"
	split("REQUEST ACCUSE REJECT THREATEN", a, " "); for (i in a) m[a[i]] = "VERBAL_CONFLICT"
	split("PROTEST MOBILIZE SANCTION COERCE ASSAULT", a, " "); for (i in a) m[a[i]] = "MATERIAL_CONFLICT" }'
awk -F'\t' "$QUAD"' $1 != "REQUEST" && ($1 in m) { print m[$1] "\t" $2 }' "$OUT/voa.dev.tsv" >"$tmp/voa-penta.tsv"
awk -F'\t' '$1 != "NONE"' "$OUT/quad.dev.tsv" >"$tmp/quad-penta.tsv"
derived() { # FILE: macro-F1 of the class derived from the PLOVER type
	"$EVTAG" predict --model "$MODELS/plover.evm" "$1" | cut -f1 |
		awk -F'\t' "$QUAD"' { print ($1 in m) ? m[$1] : "NONE" }' >"$tmp/pred"
	cut -f1 "$1" | paste - "$tmp/pred" >"$tmp/gp"
	"$EVTAG" score -f tsv "$tmp/gp" | awk '$1 == "macro" { m = $4; for (i = 5; i <= NF; i++) m = m " " $i } END { print m }'
}
echo "penta on real dev parts: file, examples, penta.evm macro-F1 [95% CI], derived from the PLOVER type"
for d in voa-penta quad-penta; do
	printf '%s\t%s\t%s\t%s\n' "$d.dev" "$(wc -l <"$tmp/$d.tsv")" "$(macro "$tmp/$d.tsv" "$MODELS/penta.evm")" "$(derived "$tmp/$d.tsv")"
done
echo "penta: file, examples, macro-F1 [95% CI]"
f="$OUT/penta.dev.tsv"
printf '%s\t%s\t%s\n' "penta.dev" "$(wc -l <"$f")" "$(macro "$f" "$MODELS/penta.evm")"
f="$CORPORA/events/cameo-penta/test.tsv"
printf '%s\t%s\t%s\n' "cameo-penta test" "$(wc -l <"$f")" "$(macro "$f" "$MODELS/penta.evm")"
