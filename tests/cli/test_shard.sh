#!/bin/sh
# evtag classify --shard K/N: on a JSON-lines stream of 60 articles (GMB
# test sentences) split over two files, the shards merged with
# contrib/evtag-merge.sh give the one run's output byte for byte, for
# N = 1, 3 and 7, as JSON and as TSV; the GNU parallel recipe of
# docs/output.md gives it too; usage errors exit 2. GNU parallel comes from
# the Debian package parallel: installed as root when missing, else that
# check is skipped, saying so.
T_NAME=test_shard
. tests/cli/lib.sh
MODELS="${EVTAG_MODELS:-$PWD/models}"
T="$T_TMP"
ART="${SHARED}samples/article-2020-10-09.txt"

for s in 0/3 4/3 junk 1/0 3 1/3x -1/3 ""; do
	expect_status 2 "$EVTAG" classify --shard "$s" "$ART"
	expect_grep "$T/err" "--shard must be K/N"
done

for m in entities roles plover penta; do
	if [ ! -f "$MODELS/$m.evm" ]; then
		echo "$T_NAME: SKIPPED the checks that need the shipped models: not in $MODELS yet" >&2
		t_done
		exit
	fi
done
export EVTAG_MODELS="$MODELS"

# 60 articles of 1 to 4 GMB sentences, ids a1..a60, in two files
python3 - "${SHARED}corpora/entities/gmb/test.conll" "$T/a.jsonl" "$T/b.jsonl" <<'PY'
import json, sys
sents, cur = [], []
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    if not line:
        if cur: sents.append(" ".join(cur)); cur = []
    else:
        cur.append(line.split("\t")[0])
if cur: sents.append(" ".join(cur))
out, k = [], 0
for i in range(60):
    n = 1 + i % 4
    out.append(json.dumps({"id": "a%d" % (i + 1), "date": "2020-10-%02d" % (1 + i % 28),
                           "text": " ".join(sents[k:k + n])}))
    k += n
open(sys.argv[2], "w").write("\n".join(out[:25]) + "\n")
open(sys.argv[3], "w").write("\n".join(out[25:]) + "\n")
PY

for fmt in json tsv; do
	expect_status 0 "$EVTAG" classify -q --jsonl -f $fmt "$T/a.jsonl" "$T/b.jsonl"
	cp "$T/out" "$T/one.$fmt"
	for n in 1 3 7; do
		k=1
		while [ $k -le $n ]; do
			"$EVTAG" classify -q --jsonl -f $fmt --shard $k/$n "$T/a.jsonl" "$T/b.jsonl" \
				>"$T/shard-$k.$fmt" 2>"$T/err" || t_bad "--shard $k/$n failed: $(cat "$T/err")"
			k=$((k + 1))
		done
		# give the files in reverse order: the merge does not care
		# (T is mktemp's, without spaces)
		# shellcheck disable=SC2046
		contrib/evtag-merge.sh $(ls -r "$T"/shard-*.$fmt) >"$T/merged.$fmt"
		expect_true "$fmt: $n shards merged = one run" cmp "$T/merged.$fmt" "$T/one.$fmt"
		rm -f "$T"/shard-*.$fmt
	done
done
expect_true "60 articles" test "$(cut -d, -f1 "$T/one.json" | sort -u | wc -l)" = 60
# a shard's lines start with its articles' numbers (1-based, across files)
expect_status 0 "$EVTAG" classify -q --jsonl --shard 2/3 "$T/a.jsonl" "$T/b.jsonl"
expect_true "shard 2/3 has articles 2, 5, ..., 59" \
	test "$(cut -f1 "$T/out" | uniq | tr '\n' ' ')" = "$(seq 2 3 59 | tr '\n' ' ')"
expect_grep "$T/out" '^26	\{"doc":"a26"'

# the GNU parallel recipe (docs/output.md): blocks of JSON lines, in order
if ! command -v parallel >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "$T_NAME: installing the Debian package parallel (GNU parallel is missing)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq parallel >/dev/null 2>&1 ||
		{ apt-get update -qq >/dev/null 2>&1 &&
		  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq parallel >/dev/null 2>&1; }
fi
if command -v parallel >/dev/null 2>&1; then
	cat "$T/a.jsonl" "$T/b.jsonl" |
		parallel --will-cite --pipe --keep-order -N 7 -j 3 \
			"$EVTAG" classify -q --jsonl >"$T/par.json" 2>"$T/err"
	expect_true "GNU parallel recipe = one run" cmp "$T/par.json" "$T/one.json"
else
	echo "$T_NAME: SKIPPED the GNU parallel check: install the Debian package parallel" >&2
fi
t_done
