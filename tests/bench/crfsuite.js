// Trains and tags with CRFsuite (npm package `crfsuite`) on feature files
// written by `bench_tagger export`: one token per line, label TAB features,
// blank line between sentences. Prints one JSON line: training seconds,
// tagging tokens/s, entity-level F1 on the test file.
// usage: node crfsuite.js MODULE_DIR TRAIN.feat TEST.feat MODEL ITER C2
const [moddir, trainf, testf, modelf, iters, c2] = process.argv.slice(2);
const crfsuite = require(moddir);
const fs = require('fs');
function read(f) {
	const out = [];
	let xs = [], ys = [];
	for (const line of fs.readFileSync(f, 'utf8').split('\n')) {
		if (!line) {
			if (xs.length) out.push([xs, ys]);
			xs = []; ys = [];
			continue;
		}
		const p = line.split('\t');
		ys.push(p[0]);
		xs.push(p.slice(1));
	}
	if (xs.length) out.push([xs, ys]);
	return out;
}
function spans(tags) {
	const out = new Set();
	let start = -1, type = null;
	for (let i = 0; i <= tags.length; i++) {
		const t = i < tags.length ? tags[i] : 'O';
		const k = t[0], ty = k === 'O' ? null : t.slice(2);
		if (k === 'I' && start >= 0 && ty === type) continue;
		if (start >= 0) out.add(start + ':' + i + ':' + type);
		start = -1; type = null;
		if (k !== 'O') { start = i; type = ty; }
	}
	return out;
}
const train = read(trainf), test = read(testf);
const tr = new crfsuite.Trainer({ debug: false });
tr.set_params({ c1: '0', c2: String(c2), max_iterations: String(iters) });
for (const [xs, ys] of train) tr.append(xs, ys);
let t0 = process.hrtime.bigint();
tr.train(modelf);
const trainS = Number(process.hrtime.bigint() - t0) / 1e9;
const tg = new crfsuite.Tagger();
tg.open(modelf);
let ntok = 0, correct = 0, npred = 0, ngold = 0;
t0 = process.hrtime.bigint();
for (const [xs, ys] of test) {
	const out = tg.tag(xs);
	const r = Array.isArray(out) ? out : out.result;
	ntok += xs.length;
	const g = spans(ys), p = spans(r);
	for (const s of p) if (g.has(s)) correct++;
	npred += p.size; ngold += g.size;
}
const tagS = Number(process.hrtime.bigint() - t0) / 1e9;
const P = npred ? correct / npred : 0, R = ngold ? correct / ngold : 0;
console.log(JSON.stringify({ train_s: trainS, tag_tok_s: ntok / tagS, f1: P + R ? 200 * P * R / (P + R) : 0 }));
