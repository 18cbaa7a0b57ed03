/**
 * The only place errors become HTTP (docs/architecture.md, habit 4): a GatewayError gives its status, headers
 * and v1 body `{"errorcode": n, "error": "..."}`; body-parser failures become 400/413, a path that is
 * not valid percent-encoding 400; anything else
 * is a 500 whose body names the request id and whose log line has the cause. 4xx are logged at warn,
 * 5xx at error (the request line is written by src/http/middleware/request-context.ts; this adds the error).
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { GatewayError, isGatewayError } from '../../errors';

function fromBodyParser(e: unknown): GatewayError | undefined {
  const type = (e as { type?: unknown }).type;
  if (type === 'entity.too.large') {
    return new GatewayError('payload_too_large', 'The request body is too large');
  }
  if (type === 'entity.parse.failed' || type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new GatewayError('bad_parameter', 'The request body could not be parsed: send a form (application/x-www-form-urlencoded) or a JSON object');
  }
  if (type === 'parameters.too.many') {
    return new GatewayError('bad_parameter', 'Too many parameters in the request body');
  }
  return undefined;
}

/**
 * A path parameter that is not valid percent-encoded UTF-8 (`/api/datasets/1.0/%FF`): the router's
 * decoding throws a URIError marked 400. It is the client's mistake, answered like any bad input
 * (and logged at warn, without a stack).
 */
function fromPathDecoding(e: unknown): GatewayError | undefined {
  if (!(e instanceof URIError) || (e as { status?: unknown }).status !== 400) return undefined;
  return new GatewayError('bad_parameter', 'The request path is not valid: a %-escape does not encode UTF-8 text');
}

/** Paths of the Explore API v2.1, whose errors are written as v2.1 bodies. */
const EXPLORE_V21_PREFIX = '/api/explore/v2.1/';

/**
 * The v2.1 error body: `{"error_code": "...", "message": "..."}` with the same extra keys as v1
 * (position of an ODSQL error, quota details). `ODSQLError` and `InvalidRESTParameterError` are
 * the codes v2.1 clients see for bad queries and parameters; the other codes are this gateway's
 * (docs/odsql.md, "Errors").
 */
export function exploreErrorBody(e: GatewayError): Record<string, unknown> {
  const code: Record<string, string> = {
    query_syntax: 'ODSQLError',
    query_semantic: 'ODSQLError',
    bad_parameter: 'InvalidRESTParameterError',
    unknown_dataset: 'NotFound',
    unknown_record: 'NotFound',
    not_found: 'NotFound',
    unauthorized: 'AuthenticationRequired',
    forbidden: 'Forbidden',
    quota_exceeded: 'QuotaExceeded',
    too_many_requests: 'TooManyRequests',
  };
  return { error_code: code[e.kind] ?? (e.status >= 500 ? 'ServerError' : 'UserError'), ...e.extra, message: e.message, errorcode: e.errorcode };
}

export const handleErrors: ErrorRequestHandler = (err, req, res, next) => {
  if (res.headersSent) {
    // A streamed response failed mid-way: the status is gone, cut the connection so the client sees it.
    req.log?.error({ err }, 'error after the response started');
    res.destroy();
    return;
  }
  void next;
  let e: GatewayError;
  if (isGatewayError(err)) e = err;
  else e = fromBodyParser(err) ?? fromPathDecoding(err) ?? new GatewayError('internal', 'Internal error', { cause: err });
  const requestId = String(req.id ?? '');
  if (e.status >= 500) {
    req.log?.error({ err: e.cause ?? e, kind: e.kind }, e.message);
  } else {
    req.log?.warn({ kind: e.kind, error: e.message }, 'request rejected');
  }
  for (const [k, v] of Object.entries(e.headers)) res.setHeader(k, v);
  const body = req.path.startsWith(EXPLORE_V21_PREFIX) ? exploreErrorBody(e) : e.toBody();
  if (e.kind === 'internal') body[req.path.startsWith(EXPLORE_V21_PREFIX) ? 'message' : 'error'] = `${e.message} (request id ${requestId})`;
  res.status(e.status).type('application/json').send(JSON.stringify(body));
};

export const notFound: RequestHandler = (req, _res, next) => {
  next(new GatewayError('not_found', `Unknown endpoint: ${req.method} ${req.path.slice(0, 200)}`));
};
