/**
 * What handlers get from a request: its merged parameters (query string + body), built once, and the
 * caller and dataset reference the dataset-view service (src/app/dataset-view.ts) works from.
 */
import type { Request } from 'express';
import type { Caller, DatasetRef } from '../app/dataset-view';
import type { AccessRuleSource } from '../auth/access';
import { principalOf } from '../auth/principal';
import { GatewayError } from '../errors';
import { RequestParams, requestParams } from './params/request-params';

const PARAMS = Symbol('params');

export function paramsOf(req: Request): RequestParams {
  const holder = req as unknown as { [PARAMS]?: RequestParams };
  holder[PARAMS] ??= requestParams(req.originalUrl, req.body);
  return holder[PARAMS];
}

const RULES = Symbol('accessRules');

/** Attaches where the caller's access rules come from (the authentication middleware does, on every request). */
export function setAccessRuleSource(req: Request, source: AccessRuleSource): void {
  (req as unknown as { [RULES]?: AccessRuleSource })[RULES] = source;
}

/**
 * The caller of a request for the dataset-view service. Fails closed: a request that did not go
 * through the authentication middleware is a 500, never an unfiltered answer.
 */
export function callerOf(req: Request): Caller {
  const rules = (req as unknown as { [RULES]?: AccessRuleSource })[RULES];
  if (!rules) throw new GatewayError('internal', 'Permissions are not wired (authentication middleware missing)');
  return { principal: principalOf(req), rules };
}

/** How the request names its dataset: the `:datasetid` of an alias route, else its parameters. */
export function datasetRefOf(req: Request): DatasetRef {
  const pathId = req.params.datasetid;
  return { pathId: pathId === undefined ? undefined : String(pathId), params: paramsOf(req) };
}
