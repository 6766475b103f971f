# evtag train tagger / evtag tag on a tiny fixture corpus: training,
# CoNLL and text output, and the errors users can cause.
. tests/cli/lib.sh
FIX=corpora/tiny-entities.conll
M=$T_TMP/tiny.evm

expect_status 0 "$EVTAG" train tagger --corpus $FIX --dev $FIX -o "$M" --c2 0.01 --seed 3
expect_grep "$T_TMP/err" 'best dev F1 100.00'
expect_true "model written" test -s "$M"
expect_true "model names its format" sh -c "gzip -dc '$M' | head -1 | grep -q '^evtag-model 1 tagger'"

# CoNLL in, the same lines with the predicted tag appended
expect_status 0 "$EVTAG" tag --model "$M" $FIX
expect_grep "$T_TMP/out" "^John	B-PER	B-PER$"
expect_grep "$T_TMP/out" "^York	I-LOC	I-LOC$"
expect_true "one output line per token" test "$(grep -c . "$T_TMP/out")" = "$(grep -v DOCSTART $FIX | grep -c .)"
# from standard input, a single column
cut -f1 $FIX | grep -v DOCSTART > "$T_TMP/tokens.txt"
expect_status 0 sh -c "\"$EVTAG\" tag --model '$M' < '$T_TMP/tokens.txt'"
expect_grep "$T_TMP/out" "^Paris B-LOC$"

# text in, JSON lines with offsets out
printf 'date 2020-10-09 John Smith visited Paris. Mary lives in London.\n' > "$T_TMP/a.txt"
expect_status 0 "$EVTAG" tag --model "$M" "$T_TMP/a.txt"
expect_grep "$T_TMP/out" '"type":"PER","text":"John Smith","start":16,"end":26'
expect_grep "$T_TMP/out" '"date":"2020-10-09"'
expect_grep "$T_TMP/out" '"score":(0|1|0\.[0-9]+)[,}]'
expect_grep "$T_TMP/out" '^\{"doc":"[^"]*a\.txt","date":"2020-10-09","sent":0,'
expect_grep "$T_TMP/out" '"start":16,"end":26,"byte_start":16,"byte_end":26,'
expect_status 0 "$EVTAG" tag --model "$M" --text --threshold 1 "$T_TMP/a.txt"
expect_no_grep "$T_TMP/out" '"score":0'
expect_status 0 "$EVTAG" tag --model "$M" --text -t 1 "$T_TMP/a.txt"
expect_no_grep "$T_TMP/out" '"score":0'
# the old spelling stays as a deprecated alias
expect_status 0 "$EVTAG" tag --model "$M" --text --min-score 1 "$T_TMP/a.txt"
expect_no_grep "$T_TMP/out" '"score":0'
expect_status 2 "$EVTAG" tag --model "$M" --threshold 2 "$T_TMP/a.txt"
# code points, not bytes, under start/end: "Émile" is 6 bytes, 5 code points
printf 'Émile Zola visited Paris.\n' > "$T_TMP/u.txt"
expect_status 0 "$EVTAG" tag --model "$M" --text "$T_TMP/u.txt"
expect_grep "$T_TMP/out" '"text":"Paris","start":19,"end":24,"byte_start":20,"byte_end":25,'


# training is reproducible: same seed, same file
expect_status 0 "$EVTAG" train tagger --corpus $FIX -o "$T_TMP/again.evm" --c2 0.01 --seed 3 --dev $FIX -q
gzip -dc "$T_TMP/again.evm" > "$T_TMP/b.raw"
expect_true "same model twice" sh -c "gzip -dc '$M' | cmp -s - '$T_TMP/b.raw'"

# the doc template: a -DOCSTART- block is a document when training, in
# `evtag tag` and in `evtag eval tagger` alike (the same tags), and an
# article is one when tagging text
printf -- '-DOCSTART-\tO\n\nJAPAN\tB-LOC\nWINS\tO\n\nIn\tO\nTokyo\tB-LOC\n,\tO\nJapan\tB-LOC\nbeat\tO\nSyria\tB-LOC\n.\tO\n\n-DOCSTART-\tO\n\nRain\tO\nfell\tO\non\tO\nBill\tB-PER\nClinton\tI-PER\nand\tO\nClinton\tB-PER\nleft\tO\n.\tO\n\nthe\tO\nrain\tO\nstopped\tO\n.\tO\n' > "$T_TMP/doc.conll"
expect_status 0 "$EVTAG" train tagger --corpus "$T_TMP/doc.conll" --dev "$T_TMP/doc.conll" -o "$T_TMP/doc.evm" --templates default,doc --c2 0.01 -q
expect_true "the doc model names its template" sh -c "gzip -dc '$T_TMP/doc.evm' | grep -aq doc"
expect_status 0 "$EVTAG" tag --model "$T_TMP/doc.evm" "$T_TMP/doc.conll"
cp "$T_TMP/out" "$T_TMP/doc.out"
expect_grep "$T_TMP/doc.out" "^JAPAN	B-LOC	B-LOC$"
expect_status 0 "$EVTAG" score "$T_TMP/doc.out"
grep 'gold phrases' "$T_TMP/out" > "$T_TMP/doc.score"
expect_status 0 "$EVTAG" eval tagger --model "$T_TMP/doc.evm" --bootstrap 0 "$T_TMP/doc.conll"
expect_true "tag and eval tag alike" sh -c "grep 'gold phrases' '$T_TMP/out' | cmp -s - '$T_TMP/doc.score'"
expect_grep "$T_TMP/doc.score" '6 gold phrases, 6 found, 6 correct'
printf 'Rain fell on Bill Clinton. JAPAN WINS.\n' > "$T_TMP/doc.txt"
expect_status 0 "$EVTAG" tag --model "$T_TMP/doc.evm" --text "$T_TMP/doc.txt"
expect_grep "$T_TMP/out" '"type":"LOC","text":"JAPAN"'

# usage errors: exit 2
expect_status 2 "$EVTAG" tag
expect_grep "$T_TMP/err" 'model is required'
expect_status 2 "$EVTAG" train tagger --corpus $FIX
expect_status 2 "$EVTAG" train tagger --corpus $FIX -o "$T_TMP/x.evm" --method svm
expect_status 2 "$EVTAG" train tagger --corpus $FIX -o "$T_TMP/x.evm" --templates w,nosuch
expect_status 2 "$EVTAG" train tagger --corpus $FIX -o "$T_TMP/x.evm" --c2 -1
# the target rule's bias: only with --rules target, and from 0 to 100
expect_status 2 "$EVTAG" train tagger --corpus $FIX -o "$T_TMP/x.evm" --target-bias 1
expect_grep "$T_TMP/err" "needs --rules target"
expect_status 2 "$EVTAG" train tagger --corpus $FIX -o "$T_TMP/x.evm" --rules target --target-bias -1
expect_status 2 "$EVTAG" train tagger --corpus $FIX -o "$T_TMP/x.evm" --rules promote,nosuch
# passive, like event-only and overwrite, refines promote
expect_status 2 "$EVTAG" train tagger --corpus $FIX -o "$T_TMP/x.evm" --rules target,passive
expect_grep "$T_TMP/err" "event-only, overwrite and passive need promote"
# --o-bias -1 is refused like any other value out of range (it once meant
# "not given")
expect_status 2 "$EVTAG" train tagger --corpus $FIX -o "$T_TMP/x.evm" --o-bias -1
expect_grep "$T_TMP/err" "o-bias must be between 0 and 100"
expect_true "no model written after usage errors" test ! -e "$T_TMP/x.evm"
expect_status 0 "$EVTAG" tag --help
expect_grep "$T_TMP/out" 'Usage: evtag tag'
expect_status 0 "$EVTAG" train tagger --help

# runtime errors: exit 1 with a clear message
printf 'John B-PER\nSmith\n' > "$T_TMP/bad.conll"
expect_status 1 "$EVTAG" train tagger --corpus "$T_TMP/bad.conll" -o "$T_TMP/x.evm"
expect_grep "$T_TMP/err" 'bad.conll:2: expected at least 2 columns'
printf 'John XX-PER\n' > "$T_TMP/bad2.conll"
expect_status 1 "$EVTAG" train tagger --corpus "$T_TMP/bad2.conll" -o "$T_TMP/x.evm"
expect_grep "$T_TMP/err" "bad2.conll:1: bad tag 'XX-PER'"
expect_true "no model left behind" test ! -e "$T_TMP/x.evm"
: > "$T_TMP/empty.conll"
expect_status 1 "$EVTAG" train tagger --corpus "$T_TMP/empty.conll" -o "$T_TMP/x.evm"
expect_grep "$T_TMP/err" 'no sentences'
expect_status 1 "$EVTAG" tag --model "$T_TMP/nonexistent.evm" $FIX
expect_status 1 "$EVTAG" tag --model $FIX $FIX
head -c 300 "$M" > "$T_TMP/trunc.evm"
expect_status 1 "$EVTAG" tag --model "$T_TMP/trunc.evm" $FIX
expect_grep "$T_TMP/err" 'trunc.evm'
expect_status 1 "$EVTAG" tag --model "$M" "$T_TMP/nonexistent.conll"
# An uncompressed model loads like the gzipped one. There no CRC covers
# the section tags, so the shipped entity model with a section renamed
# is refused, not loaded without it (without TVCL it would tag every word
# as one the vectors lack).
EM=models/entities.evm
if [ -f "$EM" ]; then
	gzip -dc "$EM" >"$T_TMP/plain.evm"
	expect_status 0 "$EVTAG" tag --model "$EM" $FIX
	cp "$T_TMP/out" "$T_TMP/gz.out"
	expect_status 0 "$EVTAG" tag --model "$T_TMP/plain.evm" $FIX
	expect_true "uncompressed model tags the same" cmp -s "$T_TMP/out" "$T_TMP/gz.out"
	python3 -c "
import sys
d = open(sys.argv[1], 'rb').read()
assert d.count(b'TVCL') >= 1
open(sys.argv[2], 'wb').write(d.replace(b'TVCL', b'TVCX', 1))
open(sys.argv[3], 'wb').write(d.replace(b'TGAZ', b'TGAX', 1))
open(sys.argv[4], 'wb').write(d.replace(b'TGAZ', b'TCLU', 1))" "$T_TMP/plain.evm" \
		"$T_TMP/novc.evm" "$T_TMP/nogaz.evm" "$T_TMP/twice.evm"
	expect_status 1 "$EVTAG" tag --model "$T_TMP/novc.evm" $FIX
	expect_grep "$T_TMP/err" "novc\\.evm: damaged model .unknown section 'TVCX'."
	# the gazetteer, which a model may lack, renamed or given a second's name
	expect_status 1 "$EVTAG" tag --model "$T_TMP/nogaz.evm" $FIX
	expect_grep "$T_TMP/err" "nogaz\\.evm: damaged model .unknown section 'TGAX'."
	expect_status 1 "$EVTAG" tag --model "$T_TMP/twice.evm" $FIX
	expect_grep "$T_TMP/err" "twice\\.evm: damaged model .a second section 'TCLU'."
	# TVCL left out whole, the end record made to match: the vc templates
	# have no clusters
	python3 -c "
import struct, sys, zlib
d = open(sys.argv[1], 'rb').read()
i = d.index(b'\\n') + 1
out, crcs = [d[:i]], []
while i < len(d):
	tag, n = d[i:i + 4], struct.unpack('<Q', d[i + 4:i + 12])[0]
	sec = d[i:i + 16 + n]
	i += 16 + n
	if tag == b'END\\0':
		c = 0
		for x in crcs:
			c = zlib.crc32(x, c)
		pay = struct.pack('<II', len(crcs), c)
		sec = b'END\\0' + struct.pack('<Q', 8) + pay + struct.pack('<I', zlib.crc32(pay))
	elif tag == b'TVCL':
		continue
	else:
		crcs.append(sec[-4:])
	out.append(sec)
open(sys.argv[2], 'wb').write(b''.join(out))" "$T_TMP/plain.evm" "$T_TMP/cut.evm"
	expect_status 1 "$EVTAG" tag --model "$T_TMP/cut.evm" $FIX
	expect_grep "$T_TMP/err" 'cut\.evm: damaged model .vc templates, but no TVCL section.'
fi
t_done
