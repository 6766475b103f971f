#!/bin/sh
# evtag vectors cluster and the classifier's clusters template: a tiny
# vector file clustered end to end, --help, usage errors, bad files named
# with their line, a model that classifies without its cluster file.
. tests/cli/lib.sh
D=$T_TMP
one='\000\000\200\077' mone='\000\000\200\277' zero='\000\000\000\000'
{
	printf 'EVTVEC1\n\004\000\000\000\002\000\000\000'
	printf "\\002\\000aa$one$zero"
	printf "\\002\\000bb$zero$one"
	printf "\\002\\000cc$mone$zero"
	printf "\\002\\000dd$zero$mone"
} >"$D/v.vec"
expect_status 0 "$EVTAG" vectors cluster --vectors "$D/v.vec" -k 2,4 --seed 1 -q -o "$D/cl.tsv"
expect_true "header names the granularities" [ "$(head -1 "$D/cl.tsv")" = "$(printf 'word\tc2\tc4')" ]
expect_true "one line a word, in file order" [ "$(cut -f1 "$D/cl.tsv" | tr '\n' ' ')" = "word aa bb cc dd " ]
expect_true "four words, four fine clusters" [ "$(tail -n +2 "$D/cl.tsv" | cut -f3 | sort -u | wc -l)" -eq 4 ]
cp "$D/cl.tsv" "$D/cl1.tsv"
expect_status 0 "$EVTAG" vectors cluster --vectors "$D/v.vec" -k 2,4 --seed 1 -q -o "$D/cl.tsv"
expect_true "deterministic for a seed" cmp -s "$D/cl.tsv" "$D/cl1.tsv"
expect_status 0 "$EVTAG" vectors cluster --help
expect_grep "$T_TMP/out" '--vectors FILE'
expect_status 0 "$EVTAG" vectors --help
expect_status 2 "$EVTAG" vectors
expect_status 2 "$EVTAG" vectors squash
expect_status 2 "$EVTAG" vectors cluster -o "$D/x.tsv"
expect_status 2 "$EVTAG" vectors cluster --vectors "$D/v.vec" -k 4,4 -o "$D/x.tsv"
expect_status 2 "$EVTAG" vectors cluster --vectors "$D/v.vec" -k 0 -o "$D/x.tsv"
expect_status 1 "$EVTAG" vectors cluster --vectors "$D/v.vec" -k 8 -q -o "$D/x.tsv"
expect_grep "$T_TMP/err" 'k-means'
expect_status 1 "$EVTAG" vectors cluster --vectors "$D/none.vec" -o "$D/x.tsv"
expect_grep "$T_TMP/err" 'none\.vec'
head -c 30 "$D/v.vec" >"$D/short.vec"
expect_status 1 "$EVTAG" vectors cluster --vectors "$D/short.vec" -q -o "$D/x.tsv"
expect_grep "$T_TMP/err" 'short\.vec: truncated'
expect_true "no output after a failure" [ ! -e "$D/x.tsv" ]

# the clusters template: trained with a cluster file, used without it
i=0
while [ $i -lt 20 ]; do
	printf 'ATTACK\tRebels shelled the town on day %d.\n' $i
	printf 'ATTACK\tTroops bombed the town on day %d.\n' $i
	printf 'TALK\tThe ministers met in round %d.\n' $i
	printf 'TALK\tThe ministers negotiated in round %d.\n' $i
	i=$((i + 1))
done >"$D/train.tsv"
printf 'word\tc2\tc4\nshelled\t0\t0\nbombed\t0\t0\nstormed\t0\t1\nmet\t1\t2\nnegotiated\t1\t2\nconferred\t1\t3\n' >"$D/w.tsv"
expect_status 0 "$EVTAG" train classifier --corpus "$D/train.tsv" -o "$D/m.evm" --features words,clusters --clusters "$D/w.tsv" -q
rm "$D/w.tsv"
printf 'The army stormed it.\nThe ministers conferred.\n' >"$D/probe.txt"
expect_status 0 "$EVTAG" predict --model "$D/m.evm" "$D/probe.txt"
expect_true "unseen words classified by their clusters" [ "$(cut -f1 "$T_TMP/out" | tr '\n' ' ')" = "ATTACK TALK " ]
expect_status 0 "$EVTAG" train classifier --help
expect_grep "$T_TMP/out" '--clusters FILE'
expect_status 2 "$EVTAG" train classifier --corpus "$D/train.tsv" -o "$D/m2.evm" --features words,clusters
expect_grep "$T_TMP/err" 'needs --clusters'
expect_status 2 "$EVTAG" train classifier --corpus "$D/train.tsv" -o "$D/m2.evm" --clusters "$D/cl.tsv"
expect_status 1 "$EVTAG" train classifier --corpus "$D/train.tsv" -o "$D/m2.evm" --features words,clusters --clusters "$D/none.tsv" -q
expect_grep "$T_TMP/err" 'none\.tsv: '
printf 'word\tc2\nmet\t1\nshelled\t2\n' >"$D/bad.tsv"
expect_status 1 "$EVTAG" train classifier --corpus "$D/train.tsv" -o "$D/m2.evm" --features words,clusters --clusters "$D/bad.tsv" -q
expect_grep "$T_TMP/err" 'bad\.tsv:3: cluster id'
printf 'word\tc2\nmet\t1\nshelled\n' >"$D/bad.tsv"
expect_status 1 "$EVTAG" train classifier --corpus "$D/train.tsv" -o "$D/m2.evm" --features words,clusters --clusters "$D/bad.tsv" -q
expect_grep "$T_TMP/err" 'bad\.tsv:3: want a word and 1 cluster ids'
: >"$D/empty.tsv"
expect_status 1 "$EVTAG" train classifier --corpus "$D/train.tsv" -o "$D/m2.evm" --features words,clusters --clusters "$D/empty.tsv" -q
expect_grep "$T_TMP/err" 'empty\.tsv:1: empty file'
expect_true "no model after failures" [ ! -e "$D/m2.evm" ]
t_done
