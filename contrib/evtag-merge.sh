#!/bin/sh
# evtag-merge.sh FILE...: merges the outputs of `evtag classify --shard K/N`
# (one file per shard, any order) into the output of one run: every line
# starts with its article's number and a tab; the lines are merged by that
# number (each file is already in order; equal numbers keep their order)
# and the number is cut off again.
set -eu
TAB=$(printf '\t')
LC_ALL=C sort -m -s -t "$TAB" -k1,1n -- "$@" | cut -f2-
