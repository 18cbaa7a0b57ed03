/**
 * Download `GET|POST /api/records/1.0/download`, with the aliases
 * `/api/datasets/1.0/<id>/records/download` and `/explore/dataset/<id>/download`
 * (docs/v1-api.md: Download, Geocluster and boundingbox; docs/analyze-geocluster-download.md).
 *
 * The whole filtered set, streamed: point-in-time + search_after pages (no 10 000 window), first
 * bytes out before the set is read, memory bounded by two pages whatever the size, reads throttled
 * by a slow client (drain), and the point-in-time deleted on completion, on error and when the
 * client disconnects.
 */
import { Router, type Request, type Response } from 'express';
import type { DatasetRegistry } from '../../datasets/registry';
import type { Backend } from '../../opensearch/backend';
import { readDownloadRequest } from '../../download/download-request';
import { pitPages } from '../../download/pit-pages';
import { hitRenderer } from '../../download/render-hits';
import { recordStreamWriter } from '../../download/record-writers';
import { streamDownload } from '../../download/stream-download';
import { datasetViews } from '../../app/dataset-view';
import { SETTINGS } from '../../config';
import { callerOf, datasetRefOf, paramsOf } from '../context';
import { timezoneParam } from '../params/timezone';
import { jsonOutput } from '../respond';
import { principalOf, quotaIdentity } from '../../auth/principal';
import type { DownloadSlots } from '../../protection';
import { RUNNING, type Lifecycle } from '../lifecycle';
import { RECORD_ID_PATH, RECORD_TIMESTAMP_PATH, valuePath } from '../../datasets/field-paths';


export interface DownloadRoutesDeps {
  registry: DatasetRegistry;
  backend: Backend;
  /** DOWNLOAD_PAGE_SIZE. */
  pageSize?: number;
  /** DOWNLOAD_PIT_KEEP_ALIVE_SECONDS. */
  keepAliveSeconds?: number;
  /** Concurrency and duration bounds (src/protection/download-slots.ts); default: none. */
  slots?: DownloadSlots;
  clock?: () => Date;
  /** The shutdown: a download still running at its timeout is cut, and its point-in-time released first. */
  lifecycle?: Lifecycle;
}

export function downloadRoutes(deps: DownloadRoutesDeps): Router {
  const router = Router();
  const views = datasetViews(deps);
  const clock = deps.clock ?? (() => new Date());
  const pageSize = deps.pageSize ?? SETTINGS.downloadPageSize.default;
  const keepAliveSeconds = deps.keepAliveSeconds ?? SETTINGS.downloadPitKeepAliveSeconds.default;
  const life = deps.lifecycle ?? RUNNING;

  const download = async (req: Request, res: Response) => {
    const params = paramsOf(req);
    const timezone = timezoneParam(params);
    const target = await views.filtered(callerOf(req), datasetRefOf(req), { params, timezone, now: clock() });
    const d = target.descriptor;
    const request = readDownloadRequest(params, d, target.schema);
    const callback = request.format === 'csv' ? undefined : jsonOutput(params, request.format, ['jsonp', 'geojsonp']).callback;
    const writer = recordStreamWriter(d, request, callback);

    // The geometry of a record comes from its geo fields, even when `fields` leaves them out.
    const geo = d.fields.filter((f) => f.type === 'geo_point_2d' || f.type === 'geo_shape').map((f) => f.name);
    const needed = new Set([...request.fields, ...geo]);
    // Every field wanted (the default) and none hidden from the caller: the whole stored document,
    // unfiltered (cheaper for OpenSearch); the extras it holds (__paths, __geo_type) are not rendered.
    const whole = (target.schema.hidden?.size ?? 0) === 0 && d.fields.every((f) => needed.has(f.name));
    const source = whole ? true : [RECORD_ID_PATH, RECORD_TIMESTAMP_PATH, ...[...needed].map(valuePath)];
    const render = hitRenderer(d, {
      timezone,
      fields: request.fields,
      geometry: request.format.startsWith('geojson') ? 'shape' : 'point',
      datasetid: target.asked,
      ...(request.simplifyTolerance !== undefined ? { simplifyTolerance: request.simplifyTolerance } : {}),
    });

    // A slot for this caller before a point-in-time is opened (429/503 with Retry-After when full);
    // the guard cuts a download that lasts too long or whose client stopped reading.
    const slot = deps.slots?.acquire(quotaIdentity(principalOf(req)));
    const controller = new AbortController();
    const onClose = () => {
      if (!res.writableFinished) controller.abort();
    };
    const onCut = () => controller.abort();
    res.on('close', onClose);
    const unguard = slot?.guard(res, (reason) => {
      req.log?.warn({ reason }, 'download cut: it lasted too long or its client stopped reading');
      controller.abort();
    });
    life.cut.addEventListener('abort', onCut, { once: true });
    try {
      const pages = pitPages(deps.backend, {
        datasetId: target.id,
        query: target.query,
        ...(request.sort ? { sort: request.sort } : {}),
        source,
        pageSize,
        keepAliveSeconds,
        ...(request.limit !== undefined ? { limit: request.limit } : {}),
        onCloseError: (e) => req.log?.warn({ err: e }, 'could not delete a download point-in-time (it expires by itself)'),
      });
      const result = await streamDownload({
        pages,
        render,
        writer,
        sink: res,
        signal: controller.signal,
        begin: () => {
          res.status(200).setHeader('Content-Type', writer.contentType);
          if (writer.contentType.startsWith('application/javascript')) res.setHeader('X-Content-Type-Options', 'nosniff');
          if (writer.filename) res.setHeader('Content-Disposition', `attachment; filename="${writer.filename}"`);
        },
      });
      if (result.completed) res.end();
      else if (life.cut.aborted && !res.destroyed) {
        // Cut by the shutdown: the stream is ended as aborted (no last chunk), never as a normal end,
        // so the client knows it is incomplete; the point-in-time was deleted when the loop stopped.
        res.destroy();
        req.log?.warn({ records: result.records }, 'download cut by the shutdown');
      } else req.log?.info({ records: result.records }, 'download stopped: the client went away');
    } finally {
      unguard?.();
      slot?.release();
      res.removeListener('close', onClose);
      life.cut.removeEventListener('abort', onCut);
    }
  };

  for (const path of ['/api/records/1.0/download', '/api/datasets/1.0/:datasetid/records/download', '/explore/dataset/:datasetid/download']) {
    // Tracked: the gateway keeps its OpenSearch client open until the point-in-time is deleted.
    const tracked = (req: Request, res: Response) => life.track(download(req, res));
    router.get(path, tracked);
    router.post(path, tracked);
  }
  return router;
}
