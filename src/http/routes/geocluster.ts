/**
 * Geocluster `GET|POST /api/records/1.0/geocluster` and boundingbox `/api/records/1.0/boundingbox`,
 * with their dataset aliases `/api/datasets/1.0/<id>/records/{geocluster,boundingbox}`
 * (docs/v1-api.md, Geocluster and boundingbox; docs/analyze-geocluster-download.md).
 *
 * Geocluster pages a composite geotile grid to the end (never a silently truncated grid), merges
 * the cells by pixel radius, reads the points of the small clusters for exact envelopes, and shapes
 * the v1 response. Boundingbox is one search.
 */
import { Router, type Request, type Response } from 'express';
import type { DatasetRegistry } from '../../datasets/registry';
import type { Backend } from '../../opensearch/backend';
import { boundingBoxBody, boundingBoxResponse, boundingBoxTarget } from '../../geocluster/boundingbox';
import { gridOf } from '../../geocluster/build-geocluster-body';
import { collectCells } from '../../geocluster/cells';
import { exactEnvelopes } from '../../geocluster/exact-points';
import { readGeoclusterRequest } from '../../geocluster/geocluster-request';
import { mergeCells } from '../../geocluster/merge';
import { geoclusterResponse } from '../../geocluster/shape-geocluster';
import { datasetViews } from '../../app/dataset-view';
import { SETTINGS } from '../../config';
import { callerOf, datasetRefOf, paramsOf } from '../context';
import { timezoneParam } from '../params/timezone';
import { jsonOutput, sendJson } from '../respond';
import { compilePolicyOf, rethrowScriptFailure } from '../script-failure';
import type { ScriptBudget } from '../../protection';

export interface GeoclusterRoutesDeps {
  registry: DatasetRegistry;
  backend: Backend;
  /** GEOCLUSTER_MAX_CELLS. */
  maxCells?: number;
  /** New expression shapes each caller may have compiled (else they are interpreted). */
  scripts?: ScriptBudget;
  clock?: () => Date;
}

export function geoclusterRoutes(deps: GeoclusterRoutesDeps): Router {
  const router = Router();
  const views = datasetViews(deps);
  const clock = deps.clock ?? (() => new Date());
  const maxCells = deps.maxCells ?? SETTINGS.geoclusterMaxCells.default;

  const geocluster = async (req: Request, res: Response) => {
    const params = paramsOf(req);
    const out = jsonOutput(params, params.oneOf('format', ['json', 'jsonp'] as const, 'json'));
    const timezone = timezoneParam(params);
    const target = await views.filtered(callerOf(req), datasetRefOf(req), { params, timezone, now: clock() });
    const request = readGeoclusterRequest(params, target.descriptor, target.schema, compilePolicyOf(req, deps.scripts));
    const grid = gridOf(request);
    const search = (body: Record<string, unknown>) =>
      deps.backend.searchRecords(target.id, body).catch((e: unknown) => rethrowScriptFailure(e, request.series));
    const cells = await collectCells(request, grid, target.query, search, maxCells);
    const clusters = mergeCells(cells, request.zoom, request.radiusPx);
    if (request.polygons) await exactEnvelopes(clusters, cells, target.query, request.pointPath, grid.precision, search);
    sendJson(res, geoclusterResponse(request, clusters), out);
  };

  const boundingbox = async (req: Request, res: Response) => {
    const params = paramsOf(req);
    const out = jsonOutput(params, params.oneOf('format', ['json', 'jsonp'] as const, 'json'));
    const timezone = timezoneParam(params);
    const target = await views.filtered(callerOf(req), datasetRefOf(req), { params, timezone, now: clock() });
    const bbox = boundingBoxTarget(target.descriptor, target.schema);
    const response = await deps.backend.searchRecords(target.id, boundingBoxBody(bbox, target.query));
    sendJson(res, boundingBoxResponse(bbox, response), out);
  };

  for (const path of ['/api/records/1.0/geocluster', '/api/datasets/1.0/:datasetid/records/geocluster']) {
    router.get(path, geocluster);
    router.post(path, geocluster);
  }
  for (const path of ['/api/records/1.0/boundingbox', '/api/datasets/1.0/:datasetid/records/boundingbox']) {
    router.get(path, boundingbox);
    router.post(path, boundingbox);
  }
  return router;
}
