#!/bin/sh
# make bench: the sequence tagger.
#  1. feature extraction tokens/s on the GMB training text: hashed keys (what
#     evtag uses) against feature strings interned with dict.h;
#  2. tagging tokens/s with the shipped entity model, model load time, and
#     peak memory with both shipped models loaded;
#  3. against CRFsuite (npm package `crfsuite`, installed under build/bench/,
#     never committed) on the same data with the same feature set (default
#     templates, no gazetteer, no clusters), same c2 and iteration budget:
#     F1, training time and tagging throughput as ratios.
# Scratch files go to build/bench/.
: "${CORPORA:=../shared/corpora}"
: "${EVTAG:=./evtag}"
B=build/bench
mkdir -p $B
GMB=$CORPORA/entities/gmb
CC=${CC:-cc}
$CC -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -Isrc -o $B/bench_tagger tests/bench/bench_tagger.c \
	build/libevtag.a -lsvm $(pkg-config --libs gsl zlib 2>/dev/null || echo -lgsl -lgslcblas -lz) -lm -pthread || exit 1

echo "-- feature extraction ($GMB/train.conll)"
$B/bench_tagger features $GMB/train.conll | tee $B/feat.txt
awk '/hashed keys/{h=$4} /dict.h/{d=$5} END{if (d > 0) printf "ratio hashed/dict: %.2fx\n", h/d}' $B/feat.txt

echo "-- tagging with models/entities.evm ($GMB/test.conll)"
$B/bench_tagger tag models/entities.evm $GMB/test.conll
if [ -x /usr/bin/time ] && [ -f models/roles.evm ]; then
	/usr/bin/time -v $B/bench_tagger tag2 models/entities.evm models/roles.evm $GMB/test.conll \
		> $B/tag2.txt 2> $B/tag2.time
	awk '/Maximum resident/{printf "peak memory, both models loaded and tagging: %.1f MB (limit 300)\n", $6/1024}' $B/tag2.time
fi
ls -l models/*.evm | awk '{s+=$5} END{printf "model files together: %.1f MB (limit 20)\n", s/1048576}'

# entity-level F1 of a file whose last two columns are gold and predicted
f1() {
	awk 'function flush(   i,k) { for (k in G) if (k in P) c++; for (k in G) g++; for (k in P) p++; delete G; delete P }
	function spans(tags, n, A,   i, t, s, ty, k, tyi) { s = -1
		for (i = 1; i <= n + 1; i++) { t = (i <= n) ? tags[i] : "O"; k = substr(t, 1, 1); tyi = substr(t, 3)
			if (k == "I" && s >= 0 && tyi == ty) continue
			if (s >= 0) A[s ":" i ":" ty] = 1
			s = -1; if (k != "O") { s = i; ty = tyi } } }
	NF == 0 { spans(gt, n, G); spans(pt, n, P); flush(); n = 0; next }
	{ n++; gt[n] = $(NF-1); pt[n] = $NF }
	END { if (n) { spans(gt, n, G); spans(pt, n, P); flush() }
		pr = p ? c / p : 0; r = g ? c / g : 0; printf "%.2f\n", pr + r ? 200 * pr * r / (pr + r) : 0 }' "$1"
}

echo "-- against CRFsuite (npm crfsuite), same features, same data"
if [ ! -d $B/node_modules/crfsuite/lib/binding ]; then
	if command -v npm >/dev/null 2>&1; then
		(cd $B && npm install --no-audit --no-fund --prefix . crfsuite >npm.log 2>&1 &&
		 cd node_modules/crfsuite && npm_config_nodedir=/usr ../.bin/node-pre-gyp install --fallback-to-build --nodedir=/usr >>../../npm.log 2>&1)
	fi
fi
if [ ! -d $B/node_modules/crfsuite/lib/binding ] || ! command -v node >/dev/null 2>&1; then
	echo "CRFsuite (npm crfsuite) not available: comparison skipped (see $B/npm.log)"
	exit 0
fi
NS=${BENCH_SENTENCES:-5000}
ITER=${BENCH_ITERATIONS:-60}
awk -v max=$NS 'BEGIN{n=0} /^-DOCSTART-/{next} NF==0{n++; if (n>=max) exit} {print}' $GMB/train.conll > $B/sub.conll
$B/bench_tagger export $B/sub.conll $B/sub.feat
$B/bench_tagger export $GMB/dev.conll $B/dev.feat
node tests/bench/crfsuite.js "$PWD/$B/node_modules/crfsuite" $B/sub.feat $B/dev.feat $B/crfsuite.model $ITER 1 > $B/crfsuite.json || exit 1
start=$(date +%s.%N)
"$EVTAG" train tagger --corpus $B/sub.conll -o $B/evtag-sub.evm --templates default --c2 1 \
	--iterations $ITER --patience 0 --threads 2 -q || exit 1
end=$(date +%s.%N)
"$EVTAG" tag --model $B/evtag-sub.evm --conll $GMB/dev.conll > $B/evtag-dev.out
ef1=$(f1 $B/evtag-dev.out)
etag=$($B/bench_tagger tag $B/evtag-sub.evm $GMB/dev.conll | awk '/Viterbi/{print $4}')
etrain=$(echo "$start $end" | awk '{print $2 - $1}')
node -e '
const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const [ef1, etrain, etag] = process.argv.slice(2).map(Number);
const r = (x) => x.toFixed(2);
console.log(`training on ${process.argv[5]} sentences, ${process.argv[6]} iterations, c2 = 1, tested on GMB dev:`);
console.log(`  F1:          evtag ${r(ef1)}   CRFsuite ${r(c.f1)}   difference ${r(ef1 - c.f1)}`);
console.log(`  training:    evtag ${r(etrain)} s   CRFsuite ${r(c.train_s)} s   ratio CRFsuite/evtag ${r(c.train_s / etrain)}x`);
console.log(`  tagging:     evtag ${etag.toFixed(0)} tok/s   CRFsuite ${c.tag_tok_s.toFixed(0)} tok/s   ratio evtag/CRFsuite ${r(etag / c.tag_tok_s)}x`);
' $B/crfsuite.json "$ef1" "$etrain" "$etag" $NS $ITER
