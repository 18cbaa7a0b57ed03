/**
 * The ingest library: what the CLI, the integration tests and the demo call.
 *
 *   loadDataset(options)                      → LoadResult   (load.ts)
 *   loadSample(id, options)                   → SampleLoadOutcome (samples/)
 *   readSource(path, format) / readCsv / readJsonArray / readNdjson / readGeoJson / readParquet
 *                                             → AsyncIterable<SourceRow>  (readers/)
 *   inferDescriptor(rows, options)            → DatasetDescriptor (infer.ts)
 *   new DocumentBuilder(descriptor, options).build(row) → BuildResult (document-builder.ts)
 *   centroid(geometry)                        → {lat, lon} (centroid.ts)
 */
export * from './types';
export { DocumentBuilder, type BuildResult, type DocumentBuilderOptions } from './document-builder';
export { inferDescriptor, DEFAULT_INFER_SAMPLE, type InferOptions } from './infer';
export { loadDataset, formatSummary, LoadError, rejectsMessage, type LoadDatasetOptions, type LoadResult, type RowsSource } from './load';
export { readSource, readCsv, readJsonArray, readNdjson, readGeoJson, readParquet, detectFormat, detectSeparator, checkSourceFile } from './readers';
export { centroid, type GeoJsonGeometry, type LatLon } from './centroid';
export { toGeoPoint, toGeoShape, geoTypeOf } from './geo';
export { toText, toInt, toDouble, toDate, toDatetime, ancestorPaths, ValueError } from './values';
export { recordIdOf, canonicalJson } from './record-id';
export { normalizeFieldName, uniqueFieldNames } from './field-names';
export { createProgress, silentProgress, type ProgressReporter } from './progress';
export { RejectsWriter } from './rejects';
export { sourceFingerprint } from './fingerprint';
export {
  SAMPLE_IDS,
  loadSample,
  listSamples,
  readDescriptorFile,
  resolveDescriptorSource,
  projectRoot,
  defaultMappingsDir,
  packageDir,
  isLoadedWith,
  type SampleLoadOptions,
  type SampleLoadOutcome,
} from './samples';
