#!/bin/sh
# evtag vectors cluster: a tiny vector file clustered end to end, --help,
# usage errors, bad files named.
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

t_done
