/**
 * The body of a push or a deletion by values: one JSON record object, or an array of them
 * (docs/v1-api.md, Push). Whatever the Content-Type (curl -d sends a form type): the bytes are JSON.
 * What is not JSON, not an object or array, or an empty array is a 400 before any record is read.
 */
import { GatewayError } from '../errors';

export function parsePushBody(raw: Buffer | undefined): unknown[] {
  const text = raw?.toString('utf8').replace(/^\uFEFF/, '') ?? '';
  if (text.trim() === '') {
    throw new GatewayError('bad_parameter', 'The push body is empty: send a JSON object (one record) or an array of objects');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new GatewayError('bad_parameter', `The push body is not valid JSON: ${(e as Error).message.slice(0, 200)}`);
  }
  if (Array.isArray(parsed)) {
    if (parsed.length === 0) throw new GatewayError('bad_parameter', 'The push body is an empty array: send at least one record');
    return parsed;
  }
  if (parsed !== null && typeof parsed === 'object') return [parsed];
  throw new GatewayError('bad_parameter', 'The push body must be a JSON object (one record) or an array of objects');
}
