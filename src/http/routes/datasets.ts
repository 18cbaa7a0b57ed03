/**
 * Dataset lookup `GET|POST /api/datasets/1.0/<id>` and record lookup
 * `GET|POST /api/datasets/1.0/<id>/records/<recordid>` (docs/v1-api.md: Dataset lookup and the dataset object, Record lookup).
 */
import { Router, type Request, type Response } from 'express';
import type { DatasetRegistry } from '../../datasets/registry';
import type { Backend } from '../../opensearch/backend';
import { datasetViews, namedDataset } from '../../app/dataset-view';
import { unknownRecord } from '../../errors';
import { datasetObject } from '../../responses/dataset-object';
import { recordJson } from '../../responses/json-writer';
import { renderRecord } from '../../responses/record';
import { callerOf, datasetRefOf, paramsOf } from '../context';
import { timezoneParam } from '../params/timezone';
import { jsonOutput, sendJson, sendJsonText } from '../respond';

/** Record ids are sha1 hex in this gateway; anything unlike an id is unknown without a lookup. */
const RECORD_ID = /^[A-Za-z0-9_-]{1,128}$/;

export interface DatasetRoutesDeps {
  registry: DatasetRegistry;
  backend: Backend;
  /** DOMAIN_ID (metas.domain). */
  domain?: string;
}

export function datasetRoutes(deps: DatasetRoutesDeps): Router {
  const router = Router();
  const views = datasetViews(deps);

  const lookupDataset = async (req: Request, res: Response) => {
    const params = paramsOf(req);
    const format = params.oneOf('format', ['json', 'jsonp'] as const, 'json');
    const out = jsonOutput(params, format);
    const { id } = namedDataset(datasetRefOf(req));
    // Permissions: 401/404 for a dataset the caller may not see; hidden fields left out; records_count
    // counts only the records the caller's record filters let through.
    const access = await views.access(callerOf(req), id);
    sendJson(
      res,
      datasetObject(await views.callerDescriptor(access, new Date()), {
        extraMetas: params.bool('extrametas', false),
        interopMetas: params.bool('interopmetas', false),
        ...(deps.domain !== undefined ? { domain: deps.domain } : {}),
      }),
      out,
    );
  };

  const lookupRecord = async (req: Request, res: Response) => {
    const params = paramsOf(req);
    const format = params.oneOf('format', ['json', 'jsonp'] as const, 'json');
    const out = jsonOutput(params, format);
    const timezone = timezoneParam(params);
    const { id } = namedDataset(datasetRefOf(req));
    const recordId = String(req.params.recordid);
    // Permissions (docs/security.md): 401/404 as for the dataset; a record outside the caller's record
    // filters is an unknown record; hidden fields are not rendered.
    const access = await views.access(callerOf(req), id);
    if (!RECORD_ID.test(recordId)) throw unknownRecord(id, recordId.slice(0, 128));
    const doc = await views.permittedRecord(access, recordId, new Date());
    if (!doc) throw unknownRecord(id, recordId);
    sendJsonText(res, recordJson(access.descriptor).record(renderRecord(access.descriptor, doc, { timezone })), out);
  };

  router.get('/api/datasets/1.0/:datasetid', lookupDataset);
  router.post('/api/datasets/1.0/:datasetid', lookupDataset);
  router.get('/api/datasets/1.0/:datasetid/records/:recordid', lookupRecord);
  router.post('/api/datasets/1.0/:datasetid/records/:recordid', lookupRecord);
  return router;
}
