/**
 * What the ingest CLI adds to a file load for push and multimedia, in one call so that
 * src/cli/ingest.ts stays as it was apart from two options:
 *   --attach path[:title]  the file goes to the file store, the descriptor's attachments list it
 *   --files-dir dir        file-field columns hold names relative to dir (src/files/file-columns.ts)
 *   always                 the push log of the dataset is replayed around the alias swap
 *                          (reload-hooks.ts), so a reload loses no pushed record
 */
import { stat } from 'node:fs/promises';
import type { Attachment } from '../datasets/descriptor';
import { attachFile, attachmentIdOf, parseAttachSpec, storeNameOf, ODSFILE_SCHEME } from '../files/attachments';
import { fileColumnPreparer } from '../files/file-columns';
import { createFileStore, type FileStoreConfig } from '../files/create-file-store';
import { mimetypeOfName } from '../files/mime-types';
import type { LoadDatasetOptions } from '../ingest/load';
import type { PushLog } from './push-log';
import { pushReloadHooks } from './reload-hooks';

export interface PushAndFilesOptions {
  attach?: readonly string[];
  filesDir?: string;
  dryRun?: boolean;
}

/** Thrown for a missing attachment file or files directory (a usage error of the CLI). */
export class LoadOptionError extends Error {}

export async function pushAndFilesLoadOptions(
  config: FileStoreConfig,
  datasetId: string,
  o: PushAndFilesOptions,
  log: (line: string) => void,
  /** The push log (absent for a dry run, which touches no index). */
  pushLog?: PushLog,
): Promise<Pick<LoadDatasetOptions, 'attachments' | 'prepareRow' | 'swapHooks'>> {
  const files = await createFileStore(config);
  const out: Pick<LoadDatasetOptions, 'attachments' | 'prepareRow' | 'swapHooks'> = {};
  const attachments: Attachment[] = [];
  for (const spec of o.attach ?? []) {
    const { path, title } = parseAttachSpec(spec);
    const s = await stat(path).catch(() => undefined);
    if (!s?.isFile()) throw new LoadOptionError(`--attach ${spec}: no file at ${path}`);
    if (o.dryRun) {
      const name = storeNameOf(path);
      attachments.push({ id: attachmentIdOf(name), title, mimetype: mimetypeOfName(name), url: `${ODSFILE_SCHEME}${name}` });
    } else {
      const a = await attachFile(files, datasetId, spec);
      log(`attached ${path} as ${a.url} (id ${a.id})`);
      attachments.push(a);
    }
  }
  if (attachments.length > 0) out.attachments = attachments;
  if (o.filesDir !== undefined) {
    const dir = o.filesDir;
    const s = await stat(dir).catch(() => undefined);
    if (!s?.isDirectory()) throw new LoadOptionError(`--files-dir ${dir}: not a directory`);
    out.prepareRow = (descriptor) => {
      if (!descriptor.fields.some((f) => f.type === 'file')) log('warning: --files-dir is given but the descriptor has no file field (type "file")');
      return fileColumnPreparer(descriptor, dir, files, { dryRun: o.dryRun === true });
    };
  }
  if (!o.dryRun && pushLog) out.swapHooks = pushReloadHooks({ log: pushLog, say: log });
  return out;
}
