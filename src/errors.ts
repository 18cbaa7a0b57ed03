/**
 * One error vocabulary for the whole gateway (docs/architecture.md, habit 4).
 *
 * Errors are values with a `kind`. Only the HTTP error handler (src/http/middleware/handle-errors.ts)
 * turns them into a status code and a v1 body `{"errorcode": n, "error": "..."}`. Pure modules
 * (query/, search/, responses/) throw these and nothing else.
 *
 * The v1 documentation gives errorcodes only for quotas (10001, 10002, 10005). Every other code
 * below is ours; the README's compatibility notes list them.
 */

export type ErrorKind =
  | 'bad_parameter' // a request parameter is missing, malformed or out of range
  | 'query_syntax' // q (or an analyze expression) does not parse
  | 'query_semantic' // q parses but names an unknown field, a wrong type, bad function arguments
  | 'unknown_dataset'
  | 'unknown_record'
  | 'not_found' // any other unknown resource (attachment, file, route)
  | 'unauthorized' // no or invalid credentials where some are required
  | 'forbidden'
  | 'payload_too_large'
  | 'quota_exceeded'
  | 'too_many_requests' // a per-caller bound other than the daily quota (concurrent downloads, failed sign-ins)
  | 'busy' // the gateway's own bound on concurrent work is reached (downloads): retry later
  | 'backend_unavailable' // OpenSearch unreachable, timing out, overloaded (429/503 from it)
  | 'store_unavailable' // Redis unavailable under a fail-closed policy
  | 'internal';

/** HTTP status and v1 errorcode for each kind. */
export const ERROR_TABLE: Record<ErrorKind, { status: number; errorcode: number }> = {
  bad_parameter: { status: 400, errorcode: 10400 },
  query_syntax: { status: 400, errorcode: 10410 },
  query_semantic: { status: 400, errorcode: 10411 },
  unknown_dataset: { status: 404, errorcode: 10404 },
  unknown_record: { status: 404, errorcode: 10405 },
  not_found: { status: 404, errorcode: 10406 },
  unauthorized: { status: 401, errorcode: 10401 },
  forbidden: { status: 403, errorcode: 10403 },
  payload_too_large: { status: 413, errorcode: 10413 },
  quota_exceeded: { status: 429, errorcode: 10005 },
  too_many_requests: { status: 429, errorcode: 10429 },
  busy: { status: 503, errorcode: 10505 },
  backend_unavailable: { status: 503, errorcode: 10503 },
  store_unavailable: { status: 503, errorcode: 10504 },
  internal: { status: 500, errorcode: 10500 },
};

export interface ErrorOptions {
  /** Extra keys merged into the v1 body (e.g. reset_time, call_limit for quotas). */
  extra?: Record<string, unknown>;
  /** Response headers the edge must set (Retry-After, WWW-Authenticate...). */
  headers?: Record<string, string>;
  /** Override the table's errorcode (quota errors use 10002 for the domain cap). */
  errorcode?: number;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly kind: ErrorKind;
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;
  readonly errorcode: number;

  constructor(kind: ErrorKind, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.kind = kind;
    this.extra = options.extra ?? {};
    this.headers = options.headers ?? {};
    this.errorcode = options.errorcode ?? ERROR_TABLE[kind].errorcode;
  }

  get status(): number {
    return ERROR_TABLE[this.kind].status;
  }

  /** The public v1 body. Never includes the cause or a stack. */
  toBody(): Record<string, unknown> {
    return { errorcode: this.errorcode, ...this.extra, error: this.message };
  }
}

/** Helpers so call sites read as sentences. */
export const badParameter = (name: string, problem: string): GatewayError =>
  new GatewayError('bad_parameter', `Invalid value for parameter "${name}": ${problem}`, {
    extra: { parameter: name },
  });

export const missingParameter = (name: string, expected: string): GatewayError =>
  new GatewayError('bad_parameter', `Missing parameter "${name}": expected ${expected}`, {
    extra: { parameter: name },
  });

export const unknownDataset = (id: string): GatewayError =>
  new GatewayError('unknown_dataset', `Unknown dataset: ${id}`);

export const unknownRecord = (datasetId: string, recordId: string): GatewayError =>
  new GatewayError('unknown_record', `Unknown record: ${recordId} in dataset ${datasetId}`);

export const backendUnavailable = (detail: string, retryAfterSeconds = 5, cause?: unknown): GatewayError =>
  new GatewayError('backend_unavailable', `The search backend is unavailable, retry later (${detail})`, {
    headers: { 'Retry-After': String(retryAfterSeconds) },
    cause,
  });

export const isGatewayError = (e: unknown): e is GatewayError => e instanceof GatewayError;

export function assertNever(x: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(x)}`);
}
