#!/bin/sh
# evtag train classifier / evtag predict: exit codes, output format,
# --top, --threshold, bad input and damaged models.
. tests/cli/lib.sh
D=$T_TMP
i=0
while [ $i -lt 30 ]; do
	printf 'ATTACK\tRebels shelled the town and killed %d people on day %d.\n' $i $i
	printf 'TALK\tThe ministers met and discussed the treaty in round %d of talks.\n' $i
	printf 'AID\tThe agency donated food and medical supplies worth %d dollars.\n' $i
	i=$((i + 1))
done >"$D/train.tsv"
printf 'ATTACK\tArtillery shelled the village.\nTALK\tLeaders met for talks.\nAID\tDonors sent food supplies.\n' >"$D/dev.tsv"

expect_status 0 "$EVTAG" train classifier --corpus "$D/train.tsv" --dev "$D/dev.tsv" -o "$D/m.evm" --seed 3
expect_grep "$T_TMP/err" 'dev .*macro-F1'
expect_true "model written" test -s "$D/m.evm"
expect_true "model header names its kind" sh -c "gzip -dc '$D/m.evm' | head -1 | grep -q 'evtag-model 1 classifier'"

# one line out per line in, LABEL<TAB>probability
expect_status 0 "$EVTAG" predict --model "$D/m.evm" "$D/dev.tsv"
expect_true "three lines" [ "$(wc -l <"$T_TMP/out")" -eq 3 ]
expect_grep "$T_TMP/out" '^ATTACK	0\.[0-9]{4}$'
expect_true "every line LABEL<TAB>p" sh -c "grep -Evq '^[A-Z]+	[01]\.[0-9]{4}$' '$T_TMP/out' && exit 1 || exit 0"
# plain text on standard input, empty lines keep their place
printf 'The army shelled the city.\n\nThey met for talks.\n' >"$D/plain.txt"
expect_status 0 sh -c "'$EVTAG' predict -m '$D/m.evm' <'$D/plain.txt'"
expect_true "three lines for three input lines" [ "$(wc -l <"$T_TMP/out")" -eq 3 ]
expect_grep "$T_TMP/out" '^ATTACK	'
# --top
expect_status 0 "$EVTAG" predict --model "$D/m.evm" --top 2 "$D/dev.tsv"
expect_grep "$T_TMP/out" '^[A-Z]+	0\.[0-9]{4}	[A-Z]+	0\.[0-9]{4}$'
expect_status 0 "$EVTAG" predict --model "$D/m.evm" --top 9 "$D/dev.tsv"
expect_true "--top larger than the label set prints all 3" sh -c "awk -F'\t' 'NF!=6{exit 1}' '$T_TMP/out'"
expect_true "--top probabilities sum to 1" sh -c "awk -F'\t' '{s=\$2+\$4+\$6; if (s<0.998||s>1.002) exit 1}' '$T_TMP/out'"
# --threshold: 1 turns everything into NONE, 0 nothing
expect_status 0 "$EVTAG" predict --model "$D/m.evm" --threshold 1 "$D/dev.tsv"
expect_true "all NONE at threshold 1" sh -c "awk -F'\t' '\$1!=\"NONE\"{exit 1}' '$T_TMP/out'"
expect_status 0 "$EVTAG" predict --model "$D/m.evm" --threshold 0 "$D/dev.tsv"
expect_no_grep "$T_TMP/out" '^NONE'
# --score
expect_status 0 "$EVTAG" predict --model "$D/m.evm" --score "$D/dev.tsv"
expect_grep "$T_TMP/err" '3 examples: macro-F1 [0-9.]+, accuracy'

# usage errors: exit 2
expect_status 2 "$EVTAG" predict "$D/dev.tsv"
expect_status 2 "$EVTAG" predict --model "$D/m.evm" --top 0 "$D/dev.tsv"
expect_status 2 "$EVTAG" predict --model "$D/m.evm" --threshold 1.5 "$D/dev.tsv"
expect_status 2 "$EVTAG" predict --model "$D/m.evm" --bogus
expect_status 2 "$EVTAG" train classifier --corpus "$D/train.tsv"
expect_status 2 "$EVTAG" train classifier --corpus "$D/train.tsv" -o "$D/x.evm" --c zero
expect_status 2 "$EVTAG" train classifier --corpus "$D/train.tsv" -o "$D/x.evm" --kernel cubic
expect_status 2 "$EVTAG" train classifier --corpus "$D/train.tsv" -o "$D/x.evm" --unit chapter
expect_status 0 "$EVTAG" predict --help
expect_grep "$T_TMP/out" '--threshold'
expect_status 0 "$EVTAG" train classifier --help

# runtime errors: exit 1 with file:line
printf 'ATTACK\tfine\nno tab on this line\n' >"$D/bad.tsv"
expect_status 1 "$EVTAG" train classifier --corpus "$D/bad.tsv" -o "$D/x.evm"
expect_grep "$T_TMP/err" 'bad.tsv:2: line has no tab'
expect_true "no model written on failure" [ ! -e "$D/x.evm" ]
printf 'ATTACK\tfine\nTALK\tbad \377 byte\n' >"$D/utf8.tsv"
expect_status 1 "$EVTAG" predict --model "$D/m.evm" "$D/utf8.tsv"
expect_grep "$T_TMP/err" 'utf8.tsv:2: invalid UTF-8'
printf 'A\tonly one label\nA\tstill one\n' >"$D/one.tsv"
expect_status 1 "$EVTAG" train classifier --corpus "$D/one.tsv" -o "$D/x.evm"
expect_grep "$T_TMP/err" 'at least 2'
expect_status 1 "$EVTAG" predict --model "$D/missing.evm" "$D/dev.tsv"
head -c 300 "$D/m.evm" >"$D/trunc.evm"
expect_status 1 "$EVTAG" predict --model "$D/trunc.evm" "$D/dev.tsv"
expect_status 1 "$EVTAG" predict --model "$D/dev.tsv" "$D/dev.tsv"
expect_status 1 "$EVTAG" predict --model "$D/m.evm" "$D/nonexistent.tsv"

# same seed, same data: the same model file content
expect_status 0 "$EVTAG" train classifier --corpus "$D/train.tsv" -o "$D/m2.evm" --seed 3 -q
expect_true "training is reproducible" sh -c "[ \"\$(gzip -dc '$D/m.evm' | md5sum)\" = \"\$(gzip -dc '$D/m2.evm' | md5sum)\" ]"
t_done
