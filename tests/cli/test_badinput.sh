#!/bin/sh
# The bad-input matrix: every kind of bad input a user can give evtag, and
# what evtag does with it (exit status and message). Each row is a test;
# `sh tests/cli/test_badinput.sh --markdown` prints the matrix as a table
# with the messages evtag really gives (docs/bad-input.md's copy comes from it).
. tests/cli/lib.sh
MD=0
[ "${1:-}" = --markdown ] && MD=1
M=${EVTAG_MODELS_DIR:-models}
T=$T_TMP

# all_match 'P1 && P2' FILE: every pattern matches some line of FILE.
all_match() {
	echo "$1" | sed 's/ && /\n/g' | while IFS= read -r p; do
		grep -Eq -- "$p" "$2" || { echo no; break; }
	done | grep -q no && return 1
	return 0
}

# row EXIT 'stderr pattern' 'what is wrong' CMD...
row() {
	want=$1; pat=$2; what=$3; shift 3
	"$@" >"$T/out" 2>"$T/err" </dev/null
	got=$?
	msg=$(grep -v '^Try ' "$T/err" | head -n 1 | sed "s|$T/||g; s|$T|TMP|g")
	if [ $MD = 1 ]; then
		cmd=$(echo "$*" | sed "s|$T/||g; s|$EVTAG|evtag|; s|\\|||g")
		printf '| %s | `%s` | %s | %s |\n' "$what" "$cmd" "$got" "$msg"
		return
	fi
	if [ "$got" != "$want" ]; then
		t_bad "$what: '$*' exited $got, expected $want; stderr: $msg"
	elif [ -n "$pat" ] && ! all_match "$pat" "$T/err"; then
		t_bad "$what: stderr does not match /$pat/: $msg"
	elif grep -q 'Sanitizer\|runtime error\|Segmentation' "$T/err"; then
		t_bad "$what: sanitizer report"
	else
		t_ok
	fi
}

# --- inputs -------------------------------------------------------------
printf 'date 2020-10-09 caf\351 au lait.\n' >"$T/bad-utf8.txt"
printf 'Russia\000said no. Armenia agreed.\n' >"$T/nul.txt"
: >"$T/empty.txt"
printf 'Russia said no.\r\nArmenia agreed.\r\n' >"$T/crlf.txt"
head -c 52428800 /dev/zero | tr '\0' 'a' >"$T/long-line.txt"
# 1 MB of "xxxx" turned into 262,144 words with no stop (1.3 MB)
{ printf 'date 2020-10-09\n'; head -c 1048576 /dev/zero | tr '\0' 'x' | sed 's/xxxx/army /g'; echo; } >"$T/no-stops.txt"
printf '{"id": 1, "text": "Russia said no."}\n{"id": 2, "text": "bad \\ud800 escape"}\n{"id": 3 "text": "x"}\n{"id": 4, "text": "Armenia agreed."}\n' >"$T/batch.jsonl"
printf 'EU O B-ORG\nrejects\nGerman O B-MISC\n' >"$T/one-column.conll"
printf 'EU O B-ORG\nrejects O O\n' >"$T/score-ok.conll"
printf 'EU O I-ORG\nrejects O O\n' >"$T/i-after-o.conll"
printf 'EU O B-ORG\nrejects O XYZ\n' >"$T/bad-tag.conll"
printf 'ACCUSE\tRussia accused Ukraine.\nAID Russia sent aid.\n' >"$T/no-tab.tsv"
printf 'ACCUSE\tACCUSE\nAID\tAID\n' >"$T/score.tsv"
printf 'ACCUSE\tACCUSE\n' >"$T/short.tsv"
printf 'MAKE STATEMENT\tRussia said no.\n' >"$T/label-space.tsv"
printf 'EU\tB-ORG\nrejects\nGerman\tB-MISC\n' >"$T/train-one-column.conll"
printf 'EU\tI-ORG\nrejects\tO\n\n' >"$T/iob1.conll"
printf 'EU\tNNP\tX\n' >"$T/bad-tag-train.conll"
printf 'ACCUSE\tRussia blamed Ukraine.\nAID Russia sent aid.\n' >"$T/no-tab-train.tsv"
printf 'MAKE STATEMENT\tRussia said no.\nACCUSE\tRussia blamed Ukraine.\n' >"$T/label-space.tsv"
mkdir -p "$T/dir.txt"
printf 'x\n' >"$T/unreadable.txt"; chmod 000 "$T/unreadable.txt"
printf 'evtag-model 99 tagger\n' | gzip >"$T/future.evm"
printf 'hello\n' >"$T/not-a-model.evm"
if [ -f "$M/plover.evm" ]; then
	n=$(stat -c %s "$M/plover.evm")
	head -c $((n / 2)) "$M/plover.evm" >"$T/truncated.evm"
fi

# --- the matrix ---------------------------------------------------------
[ $MD = 1 ] && { echo '| bad input | command | exit | message |'; echo '|---|---|---|---|'; }
row 1 'byte 19: invalid UTF-8' 'invalid UTF-8 in an article' "$EVTAG" split "$T/bad-utf8.txt"
row 0 '' 'NUL bytes in an article (read as spaces)' "$EVTAG" split "$T/nul.txt"
row 0 '' 'an empty article' "$EVTAG" split "$T/empty.txt"
row 0 '' 'CRLF line ends' "$EVTAG" split "$T/crlf.txt"
row 0 '' 'a single 50 MB line' "$EVTAG" split --format text "$T/long-line.txt"
row 0 '' 'an article of 1 MB without a sentence stop (cut every 1000 tokens)' "$EVTAG" classify --format tsv "$T/no-stops.txt"
[ $MD = 0 ] && expect_true "a stopless article is coded as sentences of at most 1000 tokens" \
	sh -c "\"$EVTAG\" split '$T/no-stops.txt' | grep -c '\"sent\":' | grep -qx 263"
row 1 'batch.jsonl:2: && batch.jsonl:3: ' 'bad lines in a JSON-lines batch (others still coded)' "$EVTAG" split --jsonl "$T/batch.jsonl"
[ $MD = 0 ] && expect_true "the good articles of a bad batch are still coded" \
	sh -c "grep -q 'Russia said no' '$T/out' && grep -q 'Armenia agreed' '$T/out'"
row 1 'is a directory' 'a directory given as a file' "$EVTAG" split "$T/dir.txt"
row 1 'No such file' 'a missing file' "$EVTAG" split "$T/missing.txt"
if [ "$(id -u)" != 0 ]; then
row 1 'Permission denied' 'an unreadable file' "$EVTAG" split "$T/unreadable.txt"
fi
row 1 'one-column.conll:2: ' 'a CoNLL line with one column (scoring)' "$EVTAG" score "$T/one-column.conll"
row 1 'train-one-column.conll:2: ' 'a CoNLL line with one column (training)' "$EVTAG" train tagger -q --corpus "$T/train-one-column.conll" -o "$T/never.evm"
row 0 '' 'an I- tag after O in a training corpus (IOB1, read as B-)' "$EVTAG" train tagger -q --corpus "$T/iob1.conll" -o "$T/iob1.evm" --iterations 5
row 1 'bad-tag-train.conll:1: bad tag' 'a malformed tag in a training corpus' "$EVTAG" train tagger -q --corpus "$T/bad-tag-train.conll" -o "$T/never.evm"
row 1 'no-tab-train.tsv:2: ' 'a TSV line with no tab (training)' "$EVTAG" train classifier -q --corpus "$T/no-tab-train.tsv" -o "$T/never.evm"
row 1 'label-space.tsv:1: .*holds text' 'a label with spaces (text in the label column)' "$EVTAG" train classifier -q --corpus "$T/label-space.tsv" -o "$T/never.evm" --min-df 1
row 0 '' 'an I- tag after O (starts a chunk, as conlleval)' "$EVTAG" score "$T/i-after-o.conll"
row 1 'bad-tag.conll:2: .*XYZ' 'an unknown tag form' "$EVTAG" score "$T/bad-tag.conll"
row 1 'no-tab.tsv:2: ' 'a TSV line with no tab' "$EVTAG" score "$T/no-tab.tsv"
row 1 'empty' 'an empty file to score' "$EVTAG" score "$T/empty.txt"
row 1 'short.tsv.*score.tsv|line' 'prediction files of different lengths' "$EVTAG" score "$T/short.tsv" --compare "$T/score.tsv"
row 1 'version 99' 'an unknown model version' "$EVTAG" predict --model "$T/future.evm" "$T/crlf.txt"
row 1 'not an evtag model' 'a file that is not a model' "$EVTAG" predict --model "$T/not-a-model.evm" "$T/crlf.txt"
row 1 'is a directory' 'a directory given as a model' "$EVTAG" predict --model "$T/dir.txt" "$T/crlf.txt"
if [ -f "$M/plover.evm" ]; then
row 1 'truncated' 'a truncated model' "$EVTAG" predict --model "$T/truncated.evm" "$T/crlf.txt"
head -c 3 "$M/plover.evm" >"$T/cut3.evm"
row 1 'cut3.evm: truncated model file' 'a model cut after 3 bytes' "$EVTAG" predict --model "$T/cut3.evm" "$T/crlf.txt"
fi
: >"$T/empty.evm"
row 1 'empty.evm: empty file, not a model' 'an empty model file' "$EVTAG" predict --model "$T/empty.evm" "$T/crlf.txt"
if [ -f "$M/entities.evm" ]; then
row 1 'is a tagger model, expected a classifier' 'a model of the wrong kind (tagger for predict)' "$EVTAG" predict --model "$M/entities.evm" "$T/crlf.txt"
fi
if [ -f "$M/penta.evm" ]; then
row 1 'is a classifier model, expected a tagger' 'a model of the wrong kind (classifier for tag)' "$EVTAG" tag --model "$M/penta.evm" --conll "$T/iob1.conll"
fi
[ $MD = 0 ] && expect_true "no model is left where a training failed" sh -c "! ls '$T'/never.evm* >/dev/null 2>&1"
row 2 'unknown option' 'an unknown option' "$EVTAG" split --frobnicate "$T/crlf.txt"
row 2 'expects a number' 'a malformed number' "$EVTAG" predict --model "$M/plover.evm" --threshold abc "$T/crlf.txt"
row 2 'unknown command' 'an unknown command' "$EVTAG" frobnicate
[ $MD = 1 ] && exit 0
t_done
