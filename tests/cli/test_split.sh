#!/bin/sh
# evtag split: the sample article, JSON lines batches, bad inputs, exit codes.
. tests/cli/lib.sh
ART="${SHARED}samples/article-2020-10-09.txt"

# the sample article: 11 sentences, the date from its prefix
expect_status 0 "$EVTAG" split "$ART"
expect_true "11 sentences" [ "$(wc -l <"$T_TMP/out")" -eq 11 ]
expect_grep "$T_TMP/out" '^\{"doc":"[^"]*article-2020-10-09.txt","date":"2020-10-09","sent":0,"start":17,"end":210,"text":"In a bid'
expect_grep "$T_TMP/out" '"sent":5,.*"text":"Russia, France, US call for immediate ceasefire","tokens"'
expect_grep "$T_TMP/out" '"text":"Azerbaijan","start":[0-9]+,"end":[0-9]+\},\{"text":"’s"'
expect_grep "$T_TMP/out" '\{"text":"\(","start":[0-9]+,"end":[0-9]+\},\{"text":"OSCE",'
cp "$T_TMP/out" "$T_TMP/sample.json"

# offsets are code points: slicing the file's text gives every token back
if command -v python3 >/dev/null 2>&1; then
	expect_true "code point offsets slice back" python3 -c '
import json, sys
t = open(sys.argv[1], encoding="utf-8").read()
n = 0
for line in open(sys.argv[2], encoding="utf-8"):
    o = json.loads(line)
    assert t[o["start"]:o["end"]] == o["text"], o["text"]
    for k in o["tokens"]:
        assert t[k["start"]:k["end"]] == k["text"], k
        n += 1
assert n == 341, n
' "$ART" "$T_TMP/sample.json"
fi
# --bytes: byte offsets (the last period sits 12 bytes later than in code points)
expect_status 0 "$EVTAG" split --bytes "$ART"
expect_grep "$T_TMP/out" '"sent":0,"byte_start":17,"byte_end":210,'
expect_true "byte offsets differ after curly quotes" [ "$(tail -n 1 "$T_TMP/out" | grep -o '"byte_start":[0-9]*,"byte_end":[0-9]*}]}$')" = '"byte_start":2077,"byte_end":2078}]}' ]
expect_true "code point offsets of the last period" [ "$(tail -n 1 "$T_TMP/sample.json" | grep -o '"start":[0-9]*,"end":[0-9]*}]}$')" = '"start":2065,"end":2066}]}' ]

# the readable form
expect_status 0 "$EVTAG" split --format text "$ART"
expect_grep "$T_TMP/out" '^# .*article-2020-10-09.txt  date 2020-10-09  sentences 11  tokens 341$'
expect_grep "$T_TMP/out" '^5 \[[0-9]+,[0-9]+\) Russia, France, US call for immediate ceasefire$'
expect_grep "$T_TMP/out" ' Nagorno-Karabakh/[0-9]+ \./[0-9]+$'

# standard input, plain and '-'
expect_status 0 sh -c "\"$EVTAG\" split <\"$ART\""
expect_grep "$T_TMP/out" '^\{"doc":"<stdin>","date":"2020-10-09","sent":0,'
expect_status 0 sh -c "printf 'One. Two.' | \"$EVTAG\" split -f text -"
expect_grep "$T_TMP/out" '^1 \[5,9\) Two\.$'

# a JSON lines batch with a bad article in the middle: reported, skipped, exit 1
printf '%s\n' '{"id": "a", "date": "2020-10-09", "text": "First one. It is fine."}' \
	'{"id": "b", "text": "broken \ud800 escape"}' \
	'not json at all' \
	'{"id": 7, "text": "Third \u201cquoted\u201d text."}' >"$T_TMP/batch.jsonl"
printf '{"id": "u", "text": "bad \377 byte"}\n{"id": "v", "text": "after."}\n' >>"$T_TMP/batch.jsonl"
expect_status 1 "$EVTAG" split "$T_TMP/batch.jsonl"
expect_true "4 sentences from 3 good articles" [ "$(wc -l <"$T_TMP/out")" -eq 4 ]
expect_grep "$T_TMP/out" '^\{"doc":"7","date":null,"sent":0,"start":0,"end":20,"text":"Third “quoted” text\."'
expect_grep "$T_TMP/out" '^\{"doc":"v",'
expect_grep "$T_TMP/err" 'batch\.jsonl:2: column [0-9]+: unpaired high surrogate'
expect_grep "$T_TMP/err" 'batch\.jsonl:3: column 1: '
expect_grep "$T_TMP/err" 'batch\.jsonl:5: byte [0-9]+: invalid UTF-8'
expect_true "3 errors" [ "$(wc -l <"$T_TMP/err")" -eq 3 ]
# --jsonl forces the format whatever the name; from standard input too
cp "$T_TMP/batch.jsonl" "$T_TMP/batch.txt"
expect_status 1 "$EVTAG" split --jsonl "$T_TMP/batch.txt"
expect_true "4 sentences with --jsonl" [ "$(wc -l <"$T_TMP/out")" -eq 4 ]
expect_status 1 sh -c "\"$EVTAG\" split --jsonl <\"$T_TMP/batch.jsonl\""
expect_grep "$T_TMP/err" '<stdin>:3: column 1'

# bad inputs: empty file, NUL bytes, CRLF, invalid UTF-8, directory, missing file
: >"$T_TMP/empty.txt"
expect_status 0 "$EVTAG" split "$T_TMP/empty.txt"
expect_true "empty file, no output" [ ! -s "$T_TMP/out" ]
printf 'date 2021-01-02 One\000two.\r\n\r\nThree.' >"$T_TMP/nul.txt"
expect_status 0 "$EVTAG" split -f text "$T_TMP/nul.txt"
expect_grep "$T_TMP/out" 'date 2021-01-02  sentences 2  tokens 5$'
printf 'Good text.\nbad \303\050 here\n' >"$T_TMP/bad.txt"
expect_status 1 "$EVTAG" split "$T_TMP/bad.txt" "$ART"
expect_grep "$T_TMP/err" 'bad\.txt:2: byte 15: invalid UTF-8'
expect_true "the next file is still split" [ "$(wc -l <"$T_TMP/out")" -eq 11 ]
expect_status 1 "$EVTAG" split "$T_TMP"
expect_grep "$T_TMP/err" 'is a directory'
expect_status 1 "$EVTAG" split "$T_TMP/missing.txt"
expect_grep "$T_TMP/err" 'missing\.txt: No such file'

# a 20 MB line without a newline
if command -v head >/dev/null; then
	head -c 20000000 /dev/zero | tr '\000' 'a' >"$T_TMP/long.txt"
	expect_status 0 "$EVTAG" split -f text "$T_TMP/long.txt"
	expect_grep "$T_TMP/out" 'sentences 1  tokens 1$'
fi

# a write error (full disk) is a runtime error
if [ -w /dev/full ]; then
	expect_status 1 sh -c "\"$EVTAG\" split \"$ART\" >/dev/full"
	expect_grep "$T_TMP/err" 'error writing'
fi

# usage errors exit 2; --help exits 0
expect_status 2 "$EVTAG" split --format xml "$ART"
expect_grep "$T_TMP/err" 'json or text'
expect_status 2 "$EVTAG" split --no-such-option
expect_status 0 "$EVTAG" split --help
expect_grep "$T_TMP/out" '--jsonl'
t_done
