/**
 * The geocluster parameters (docs/v1-api.md, Geocluster and boundingbox), read and checked before
 * any search:
 *   clusterprecision  the map zoom, mandatory, 0..29 (a fractional Leaflet zoom is floored);
 *   clusterdistance   the radius in pixels, possibly fractional, default 50 (ods-widgets: 50 for
 *                     clusters, 15 for heatmaps), 0 < r ≤ 10 000;
 *   shapeprecision    envelope precision, default 0 (precision.ts); clusterprecision + shapeprecision ≤ 29;
 *   clustermode       polygon (default) | heatmap (no envelope is computed);
 *   return_polygons   default true; false: no envelope either;
 *   y.<serie>.*       the analyze series (QUANTILES is refused: percentiles do not merge).
 * Clustering reads the dataset's geo_point_2d field; a shape dataset has one (the ingest fills it with
 * the shape's centroid, as ODS does), otherwise the request answers 400.
 */
import { firstFieldOfType } from '../datasets/descriptor';
import type { DatasetDescriptor } from '../datasets/descriptor';
import { badParameter, missingParameter } from '../errors';
import type { QuerySchema } from '../query/resolve-field';
import type { ParamSource } from '../search/search-request';
import { readSeries, type SerieSpec } from '../analyze/series';
import type { CompilePolicy } from '../analyze/expression';
import { MAX_ZOOM } from './precision';
import { valuePath } from '../datasets/field-paths';

export const DEFAULT_CLUSTER_DISTANCE = 50;
/** 0: envelopes from the cells' bounds (and exact for small clusters); each level more costs a sub-grid. */
export const DEFAULT_SHAPE_PRECISION = 0;
const MAX_CLUSTER_DISTANCE = 10000;

export interface GeoclusterRequest {
  zoom: number;
  radiusPx: number;
  shapePrecision: number;
  mode: 'polygon' | 'heatmap';
  /** True when envelopes are computed and returned. */
  polygons: boolean;
  series: SerieSpec[];
  /** The geo_point field path clustered on. */
  pointPath: string;
}

function number(params: ParamSource, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === undefined) return undefined;
  const n = Number(raw.trim());
  if (raw.trim() === '' || !Number.isFinite(n)) throw badParameter(name, `expected a number, got "${raw.slice(0, 40)}"`);
  return n;
}

/** The geo_point_2d field clustering and bounding boxes read; 400 when the dataset has none visible. */
export function pointFieldPath(d: DatasetDescriptor, schema: QuerySchema): string {
  const f = firstFieldOfType(d, 'geo_point_2d');
  if (!f || schema.hidden?.has(f.name)) throw badParameter('dataset', `dataset "${d.datasetid}" has no geo_point_2d field to cluster on`);
  return valuePath(f.name);
}

export function readGeoclusterRequest(params: ParamSource, d: DatasetDescriptor, schema: QuerySchema, mayCompile?: CompilePolicy): GeoclusterRequest {
  const zoomRaw = number(params, 'clusterprecision');
  if (zoomRaw === undefined) throw missingParameter('clusterprecision', `the map zoom level, an integer from 0 to ${MAX_ZOOM}`);
  if (zoomRaw < 0 || zoomRaw > MAX_ZOOM) throw badParameter('clusterprecision', `expected a zoom level from 0 to ${MAX_ZOOM}, got ${zoomRaw}`);
  const zoom = Math.floor(zoomRaw);
  const radiusPx = number(params, 'clusterdistance') ?? DEFAULT_CLUSTER_DISTANCE;
  if (!(radiusPx > 0 && radiusPx <= MAX_CLUSTER_DISTANCE)) {
    throw badParameter('clusterdistance', `expected a radius in pixels above 0 and at most ${MAX_CLUSTER_DISTANCE}, got ${radiusPx}`);
  }
  const shapePrecision = params.int('shapeprecision', DEFAULT_SHAPE_PRECISION, 0, MAX_ZOOM);
  if (zoom + shapePrecision > MAX_ZOOM) {
    throw badParameter('shapeprecision', `clusterprecision + shapeprecision may not exceed ${MAX_ZOOM} (got ${zoom} + ${shapePrecision})`);
  }
  const rawMode = params.get('clustermode')?.trim().toLowerCase() ?? 'polygon';
  if (rawMode !== 'polygon' && rawMode !== 'heatmap') throw badParameter('clustermode', `expected polygon or heatmap, got "${rawMode.slice(0, 40)}"`);
  const mode = rawMode;
  const series = readSeries(params, schema, mayCompile);
  const quantiles = series.find((s) => s.func === 'QUANTILES');
  if (quantiles) throw badParameter(`y.${quantiles.name}.func`, 'QUANTILES is not available in geocluster: percentiles of merged cells cannot be computed');
  const polygons = mode === 'polygon' && params.bool('return_polygons', true);
  return { zoom, radiusPx, shapePrecision, mode, polygons, series, pointPath: pointFieldPath(d, schema) };
}
