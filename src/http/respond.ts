/**
 * Writing a JSON body the way v1 clients expect:
 * - `pretty_print=true` indents;
 * - `format=jsonp`, or a `callback` with a JSON format (jQuery's `$.getJSON(...&callback=?)` sends no
 *   format), wraps the body in `callback(...)` served as application/javascript with nosniff;
 * - the callback name is validated (`^[A-Za-z_$][\w$.]{0,63}$`), so nothing but a function call can
 *   ever be emitted.
 */
import type { Response } from 'express';
import type { RequestParams } from './params/request-params';
import { badParameter } from '../errors';
import { truncate } from './params/request-params';
import { prettyJson } from '../responses/json-writer';

export const CALLBACK_PATTERN = /^[A-Za-z_$][\w$.]{0,63}$/;

export interface JsonOutput {
  /** The callback to wrap the body in, or undefined for plain JSON. */
  callback: string | undefined;
  pretty: boolean;
}

/**
 * Decides plain JSON or JSONP from `format`, `callback` and `pretty_print`. `jsonFormats` are the
 * format values meaning JSON for this endpoint (json, geojson...); `jsonpFormats` their JSONP twins.
 */
export function jsonOutput(params: RequestParams, format: string, jsonpFormats: readonly string[] = ['jsonp']): JsonOutput {
  const pretty = params.bool('pretty_print', false);
  const callback = params.get('callback');
  const wantsJsonp = jsonpFormats.includes(format) || callback !== undefined;
  if (!wantsJsonp) return { callback: undefined, pretty };
  if (callback === undefined) throw badParameter('callback', `format=${format} needs a callback function name`);
  if (!CALLBACK_PATTERN.test(callback)) {
    throw badParameter('callback', `expected a JavaScript function name (letters, digits, _, $ and dots), got "${truncate(callback)}"`);
  }
  return { callback, pretty };
}

export function sendJson(res: Response, body: unknown, out: JsonOutput, status = 200): void {
  sendJsonBody(res, out.pretty ? JSON.stringify(body, null, 2) : JSON.stringify(body), out, status);
}

/**
 * A body already written as compact JSON text (records whose doubles are written `2.0`,
 * src/responses/json-writer.ts); pretty_print indents it the same way.
 */
export function sendJsonText(res: Response, compact: string, out: JsonOutput, status = 200): void {
  sendJsonBody(res, out.pretty ? prettyJson(compact) : compact, out, status);
}

function sendJsonBody(res: Response, json: string, out: JsonOutput, status: number): void {
  res.status(status);
  if (out.callback) {
    res.setHeader('Content-Type', 'application/javascript; charset=utf-8');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(`/**/${out.callback}(${json});`);
    return;
  }
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.send(json);
}
