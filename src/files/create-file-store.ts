/**
 * The file store the configuration asks for: an S3-compatible bucket when FILE_STORE_S3_BUCKET is set
 * (what a fleet of gateways on several hosts needs), else the local directory FILE_STORE_DIR (the
 * embedded default of the demo). The S3 client is loaded only then, so the demo never pays for it.
 */
import type { Config } from '../config';
import { directoryBlobStore } from './blob-store';
import { fileStore, type FileStore } from './file-store';

export type FileStoreConfig = Pick<
  Config,
  | 'fileStoreDir'
  | 'fileStoreS3Bucket'
  | 'fileStoreS3Prefix'
  | 'fileStoreS3Endpoint'
  | 'fileStoreS3Region'
  | 'fileStoreS3ForcePathStyle'
  | 'fileStoreS3AccessKeyId'
  | 'fileStoreS3SecretAccessKey'
>;

export async function createFileStore(c: FileStoreConfig): Promise<FileStore> {
  if (!c.fileStoreS3Bucket) return fileStore(directoryBlobStore(c.fileStoreDir));
  // Loaded on demand: the S3 client is only needed when a bucket is configured.
  const { s3BlobStore } = require('./s3-blob-store') as typeof import('./s3-blob-store');
  return fileStore(
    s3BlobStore({
      bucket: c.fileStoreS3Bucket,
      prefix: c.fileStoreS3Prefix,
      region: c.fileStoreS3Region,
      ...(c.fileStoreS3Endpoint ? { endpoint: c.fileStoreS3Endpoint } : {}),
      ...(c.fileStoreS3ForcePathStyle !== undefined ? { forcePathStyle: c.fileStoreS3ForcePathStyle } : {}),
      ...(c.fileStoreS3AccessKeyId && c.fileStoreS3SecretAccessKey ? { accessKeyId: c.fileStoreS3AccessKeyId, secretAccessKey: c.fileStoreS3SecretAccessKey } : {}),
    }),
  );
}
