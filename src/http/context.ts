/**
 * What handlers get from a request: its merged parameters (query string + body), built once.
 */
import type { Request } from 'express';
import { RequestParams, requestParams } from './params/request-params';

const PARAMS = Symbol('params');

export function paramsOf(req: Request): RequestParams {
  const holder = req as unknown as { [PARAMS]?: RequestParams };
  holder[PARAMS] ??= requestParams(req.originalUrl, req.body);
  return holder[PARAMS];
}
