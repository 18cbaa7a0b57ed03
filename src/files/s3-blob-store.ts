/**
 * Blobs in an S3-compatible bucket (FILE_STORE_S3_*; MinIO in docker-compose.yml, S3Proxy in the
 * tests, AWS S3): every gateway replica and the ingest CLI, on any host, see the same files. A PUT is
 * atomic and durable when it succeeds, and reads after it see it (S3's strong read-after-write).
 *
 * Failures: a missing object is "none"; an unreachable or failing service (network error, 5xx,
 * throttling) is a 503 with Retry-After (store_unavailable), as Redis under the closed quota policy;
 * anything else (access denied, no such bucket: a configuration error) is a 500 whose log says why.
 */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { GatewayError } from '../errors';
import type { BlobStore } from './blob-store';

export interface S3Settings {
  bucket: string;
  /** Key prefix (no leading slash; a trailing one is added). */
  prefix?: string;
  /** An S3-compatible service (MinIO, S3Proxy...); unset: AWS. */
  endpoint?: string;
  region?: string;
  /** Path-style URLs (http://host/bucket/key), which MinIO and S3Proxy need. Default: true with an endpoint. */
  forcePathStyle?: boolean;
  /** Unset: the SDK's default chain (AWS_ACCESS_KEY_ID..., an instance or task role). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Longest wait for one request (default 30 s). */
  requestTimeoutMs?: number;
}

interface S3Failure {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

const statusOf = (e: unknown): number | undefined => (e as S3Failure).$metadata?.httpStatusCode;
const isMissing = (e: unknown): boolean => statusOf(e) === 404 || (e as S3Failure).name === 'NoSuchKey' || (e as S3Failure).name === 'NotFound';

function failure(e: unknown, what: string, location: string): GatewayError {
  const status = statusOf(e);
  // The S3 error name (NoSuchBucket, SlowDown...), or the system error (ECONNREFUSED...), which the SDK
  // may wrap so that only its message names it.
  const f = e as S3Failure & { message?: string };
  const name = f.code ?? (f.name && f.name !== 'Error' ? f.name : undefined) ?? /\b(E[A-Z]{3,})\b/.exec(f.message ?? '')?.[1] ?? 'Error';
  if (status === undefined || status >= 500 || status === 429 || name === 'SlowDown' || name === 'TimeoutError') {
    return new GatewayError('store_unavailable', `The file store is unavailable, retry later (${what}: ${name})`, { headers: { 'Retry-After': '5' }, cause: e });
  }
  return new GatewayError('internal', `The file store at ${location} refused ${what} (${status} ${name})`, { cause: e });
}

export function s3BlobStore(s: S3Settings): BlobStore {
  const prefix = s.prefix ? `${s.prefix.replace(/^\/+|\/+$/g, '')}/` : '';
  const client = new S3Client({
    region: s.region ?? 'us-east-1',
    ...(s.endpoint ? { endpoint: s.endpoint } : {}),
    forcePathStyle: s.forcePathStyle ?? s.endpoint !== undefined,
    ...(s.accessKeyId && s.secretAccessKey ? { credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey } } : {}),
    // Checksums only where S3 requires them: S3-compatible services (S3Proxy, older MinIO) refuse the
    // streamed checksum trailers the SDK would otherwise add to every upload.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { connectionTimeout: 3000, requestTimeout: s.requestTimeoutMs ?? 30_000 },
    maxAttempts: 3,
  });
  const location = `s3://${s.bucket}/${prefix}`;
  const keyOf = (key: string): string => `${prefix}${key}`;
  return {
    location,
    locationOf: (key) => `${location}${key}`,
    async size(key) {
      try {
        const res = await client.send(new HeadObjectCommand({ Bucket: s.bucket, Key: keyOf(key) }));
        return res.ContentLength ?? 0;
      } catch (e) {
        if (isMissing(e)) return undefined;
        throw failure(e, 'a HEAD', location);
      }
    },
    async get(key) {
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: s.bucket, Key: keyOf(key) }));
        return Buffer.from(await (res.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
      } catch (e) {
        if (isMissing(e)) return undefined;
        throw failure(e, 'a GET', location);
      }
    },
    async open(key) {
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: s.bucket, Key: keyOf(key) }));
        return res.Body as Readable;
      } catch (e) {
        if (isMissing(e)) return undefined;
        throw failure(e, 'a GET', location);
      }
    },
    async put(key, data, contentType) {
      try {
        await client.send(new PutObjectCommand({ Bucket: s.bucket, Key: keyOf(key), Body: data, ContentType: contentType }));
      } catch (e) {
        throw failure(e, 'a PUT', location);
      }
    },
  };
}
