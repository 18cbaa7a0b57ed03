/**
 * Multimedia download (docs/v1-api.md, Multimedia): the bytes of a dataset's attachments, alternative exports
 * and record files, and thumbnails of images.
 *
 *   /api/datasets/1.0/<id>/attachments/<attachment_id>/        the attachment (Content-Disposition: attachment)
 *   /api/datasets/1.0/<id>/alternative_exports/<export_id>/    the export (attachment)
 *   /api/datasets/1.0/<id>/files/<file_id>/                    the original (inline)
 *   /api/datasets/1.0/<id>/files/<file_id>/<size>/             a thumbnail, longer side <= size
 *   /api/datasets/1.0/<id>/images/<image_id>/[<size>/]         legacy image fields: the same
 *   /explore/dataset/<id>/files/<file_id>/<size>/              portal forms
 *   /explore/dataset/<id>/files/<file_id>/download/            the original as a download (attachment)
 *   /explore/dataset/<id>/images/<image_id>/download/ and /<size>/
 *
 * Permissions exactly as the record APIs: resolveAccess (401 anonymous on a restricted dataset, 404
 * without rights), then the file must belong to what the caller sees of the dataset (dataset-files.ts).
 * Answers carry Content-Type, Content-Length, Content-Disposition (RFC 6266, UTF-8 names), ETag (the
 * content hash) and honour If-None-Match (304). Every miss is a 404 with a v1 body.
 */
import type { Readable } from 'node:stream';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { datasetViews, namedDataset } from '../../app/dataset-view';
import type { Access } from '../../auth/access';
import type { Attachment } from '../../datasets/descriptor';
import type { DatasetRegistry } from '../../datasets/registry';
import { GatewayError, badParameter } from '../../errors';
import { odsfileName } from '../../files/attachments';
import { contentDisposition } from '../../files/content-disposition';
import { findDatasetFile, namedDatasetFile } from '../../files/dataset-files';
import { fileEtag, noneMatchHit } from '../../files/etag';
import type { FileStore } from '../../files/file-store';
import { MIN_THUMBNAIL_SIZE } from '../../files/thumbnails';
import { SETTINGS } from '../../config';
import type { Backend } from '../../opensearch/backend';
import { callerOf, datasetRefOf } from '../context';

export interface MultimediaRoutesDeps {
  registry: DatasetRegistry;
  backend: Backend;
  files: FileStore;
  /** Largest thumbnail size (THUMBNAIL_MAX_SIZE, default 2048). */
  maxThumbnailSize?: number;
}

/** Files by id never change (content-addressed); attachments of a dataset may be replaced by a reload. */
const FILE_MAX_AGE = 86400;
const NAMED_MAX_AGE = 300;

interface Served {
  /** The bytes (undefined: gone from the store since it was listed). */
  open: () => Promise<Readable | undefined>;
  bytes: number;
  mimetype: string;
  etag: string;
  filename: string;
  disposition: 'inline' | 'attachment';
  maxAge: number;
}

/**
 * Shared caches may keep an answer only when every caller would get it: a public dataset, an
 * anonymous caller, and no access rule narrowing what that caller sees.
 */
function cacheControl(access: Access, maxAge: number): string {
  const shared = access.source.visibility === 'public' && access.principal.kind === 'anonymous' && access.recordFilters.length === 0 && access.hidden.size === 0;
  return `${shared ? 'public' : 'private'}, max-age=${maxAge}`;
}

async function serve(req: Request, res: Response, access: Access, f: Served): Promise<void> {
  res.setHeader('ETag', f.etag);
  res.setHeader('Cache-Control', cacheControl(access, f.maxAge));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // Files are publisher or pusher content served from the gateway's origin: never let one run
  // scripts there (an SVG or HTML file opened directly). PDF viewers refuse sandboxed documents.
  if (f.mimetype !== 'application/pdf') res.setHeader('Content-Security-Policy', "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'");
  if (noneMatchHit(req.headers['if-none-match'], f.etag)) {
    res.status(304).end();
    return;
  }
  // Opened before the status is sent: a file missing from the store (or a store that fails) is still
  // a v1 error, not a cut response.
  const stream = req.method === 'HEAD' ? undefined : await f.open();
  if (req.method !== 'HEAD' && !stream) throw new GatewayError('not_found', `The file ${f.filename} is missing from the file store`);
  res.status(200);
  res.setHeader('Content-Type', f.mimetype);
  res.setHeader('Content-Length', String(f.bytes));
  res.setHeader('Content-Disposition', contentDisposition(f.disposition, f.filename));
  if (!stream) {
    res.end();
    return;
  }
  stream.on('error', (err) => {
    req.log?.error({ err }, 'file store read failed');
    res.destroy(err);
  });
  res.on('close', () => stream.destroy());
  stream.pipe(res);
}

function sizeParam(raw: string, max: number): number {
  if (!/^\d{1,6}$/.test(raw) || Number(raw) < MIN_THUMBNAIL_SIZE || Number(raw) > max) {
    throw badParameter('size', `expected a thumbnail size in pixels between ${MIN_THUMBNAIL_SIZE} and ${max}`);
  }
  return Number(raw);
}

const notFound = (what: string, id: string, datasetId: string): GatewayError =>
  new GatewayError('not_found', `Unknown ${what}: ${id.slice(0, 100)} in dataset ${datasetId}`);

export function multimediaRoutes(deps: MultimediaRoutesDeps): Router {
  const router = Router();
  const maxSize = deps.maxThumbnailSize ?? SETTINGS.thumbnailMaxSize.default;

  const views = datasetViews(deps);
  const accessOf = (req: Request): Promise<Access> => views.access(callerOf(req), namedDataset(datasetRefOf(req)).id);

  const named =
    (what: string, list: (a: Access) => Attachment[]): RequestHandler =>
    async (req, res) => {
      const access = await accessOf(req);
      const datasetId = access.source.datasetid;
      const id = String(req.params.itemid);
      const item = list(access).find((a) => a.id === id);
      if (!item) throw notFound(what, id, datasetId);
      if (odsfileName(item.url) === undefined && /^https?:\/\//i.test(item.url)) {
        res.redirect(302, item.url); // an attachment published as a link
        return;
      }
      const f = await namedDatasetFile(deps.files, datasetId, item);
      if (!f) throw notFound(what, id, datasetId);
      await serve(req, res, access, {
        open: () => deps.files.open(f.stored.id),
        bytes: f.stored.size,
        mimetype: item.mimetype || f.mimetype,
        etag: fileEtag(f.stored.id),
        filename: f.filename,
        disposition: 'attachment',
        maxAge: NAMED_MAX_AGE,
      });
    };

  const file =
    (disposition: 'inline' | 'attachment'): RequestHandler =>
    async (req, res) => {
      const access = await accessOf(req);
      const datasetId = access.source.datasetid;
      const fileId = String(req.params.fileid);
      const size = req.params.size === undefined ? undefined : sizeParam(String(req.params.size), maxSize);
      const f = await findDatasetFile(deps.backend, deps.files, access, fileId, new Date());
      if (!f) throw notFound('file', fileId, datasetId);
      if (size === undefined) {
        await serve(req, res, access, {
          open: () => deps.files.open(fileId),
          bytes: f.stored.size,
          mimetype: f.mimetype,
          etag: fileEtag(fileId),
          filename: f.filename,
          disposition,
          maxAge: FILE_MAX_AGE,
        });
        return;
      }
      const thumb = await deps.files.thumbnail(fileId, size);
      if (!thumb) {
        throw new GatewayError('not_found', `File ${fileId} of dataset ${datasetId} is not an image (or its image data cannot be decoded) and has no thumbnail; its original is at /api/datasets/1.0/${datasetId}/files/${fileId}/`);
      }
      await serve(req, res, access, {
        open: () => thumb.open(),
        bytes: thumb.bytes,
        mimetype: thumb.mimetype,
        etag: fileEtag(fileId, size),
        filename: f.filename,
        disposition: 'inline',
        maxAge: FILE_MAX_AGE,
      });
    };

  const both = (path: string, h: RequestHandler): void => {
    router.get(path, h);
    router.post(path, h);
  };
  both('/api/datasets/1.0/:datasetid/attachments/:itemid', named('attachment', (a) => a.descriptor.attachments));
  both('/api/datasets/1.0/:datasetid/alternative_exports/:itemid', named('alternative export', (a) => a.descriptor.alternative_exports));
  for (const kind of ['files', 'images']) {
    both(`/api/datasets/1.0/:datasetid/${kind}/:fileid`, file('inline'));
    both(`/api/datasets/1.0/:datasetid/${kind}/:fileid/:size`, file('inline'));
    both(`/explore/dataset/:datasetid/${kind}/:fileid/download`, file('attachment'));
    both(`/explore/dataset/:datasetid/${kind}/:fileid/:size`, file('inline'));
  }
  return router;
}
