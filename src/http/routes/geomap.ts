/**
 * The shape endpoints of ods-map (undocumented in v1, listed in the platform's API monitoring):
 * `GET|POST /api/records/1.0/geopreview` and `/api/records/1.0/geopolygon`, with their dataset aliases
 * `/api/datasets/1.0/<id>/records/{geopreview,geopolygon}` (docs/analyze-geocluster-download.md).
 *
 * Both filter exactly like geocluster (filteredDataset: the dataset, the caller's access, hidden
 * fields and record filters, then q, refine/exclude and the geofilters), with geofilter.bbox on the
 * shapes so that a shape crossing the view is drawn; the shaping is pure (src/geomap).
 */
import { Router, type Request, type Response } from 'express';
import type { DatasetRegistry } from '../../datasets/registry';
import type { Backend } from '../../opensearch/backend';
import { readSeries } from '../../analyze/series';
import { geopreviewBody, geopreviewResponse, previewRows } from '../../geomap/geopreview';
import { collectGroups, fetchShapes, geopolygonResponse, type GeopolygonRequest } from '../../geomap/geopolygon';
import { mapTarget, mapZoom } from '../../geomap/map-target';
import { datasetViews } from '../../app/dataset-view';
import { SETTINGS } from '../../config';
import { callerOf, datasetRefOf, paramsOf } from '../context';
import { timezoneParam } from '../params/timezone';
import { jsonOutput, sendJson } from '../respond';
import type { ScriptBudget } from '../../protection';
import { compilePolicyOf, rethrowScriptFailure } from '../script-failure';

export interface GeomapRoutesDeps {
  registry: DatasetRegistry;
  backend: Backend;
  /** GEOCLUSTER_MAX_CELLS: the most shapes or locations one geopolygon may group. */
  maxCells?: number;
  /** The budget of new expression shapes (geopolygon's y series compile like analyze's). */
  scripts?: ScriptBudget;
  clock?: () => Date;
}

export function geomapRoutes(deps: GeomapRoutesDeps): Router {
  const router = Router();
  const views = datasetViews(deps);
  const clock = deps.clock ?? (() => new Date());
  const maxCells = deps.maxCells ?? SETTINGS.geoclusterMaxCells.default;

  const geopreview = async (req: Request, res: Response) => {
    const params = paramsOf(req);
    const out = jsonOutput(params, params.oneOf('format', ['json', 'jsonp'] as const, 'json'));
    const timezone = timezoneParam(params);
    const target = await views.filtered(callerOf(req), datasetRefOf(req), { params, timezone, now: clock(), bboxOn: 'shape' });
    const request = { target: mapTarget(params, target.descriptor, target.schema), zoom: mapZoom(params), rows: previewRows(params) };
    const response = request.rows === 0 ? {} : await deps.backend.searchRecords(target.id, geopreviewBody(request, target.query));
    sendJson(res, geopreviewResponse(request, response), out);
  };

  const geopolygon = async (req: Request, res: Response) => {
    const params = paramsOf(req);
    const out = jsonOutput(params, params.oneOf('format', ['json', 'jsonp'] as const, 'json'));
    const timezone = timezoneParam(params);
    const target = await views.filtered(callerOf(req), datasetRefOf(req), { params, timezone, now: clock(), bboxOn: 'shape' });
    const request: GeopolygonRequest = {
      target: mapTarget(params, target.descriptor, target.schema),
      zoom: mapZoom(params),
      series: readSeries(params, target.schema, compilePolicyOf(req, deps.scripts)),
    };
    const search = (body: Record<string, unknown>) =>
      deps.backend.searchRecords(target.id, body).catch((e: unknown) => rethrowScriptFailure(e, request.series));
    const groups = await collectGroups(request, target.query, search, maxCells);
    const shapes = request.target.kind === 'shape' ? await fetchShapes(request, target.query, groups.map((g) => g.key), search) : new Map();
    sendJson(res, geopolygonResponse(request, groups, shapes), out);
  };

  for (const path of ['/api/records/1.0/geopreview', '/api/datasets/1.0/:datasetid/records/geopreview']) {
    router.get(path, geopreview);
    router.post(path, geopreview);
  }
  for (const path of ['/api/records/1.0/geopolygon', '/api/datasets/1.0/:datasetid/records/geopolygon']) {
    router.get(path, geopolygon);
    router.post(path, geopolygon);
  }
  return router;
}
