/**
 * recordid = sha1 (hex) of a canonical JSON of the record's stored field values, or of the values of
 * the fields annotated `id` when there are some. Canonical: object keys sorted at every level, no
 * whitespace, absent fields left out. The same row loaded twice gets the same id.
 */
import { createHash } from 'node:crypto';

export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonicalJson(x))).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

export function sha1Hex(s: string): string {
  return createHash('sha1').update(s, 'utf8').digest('hex');
}

/** `idFields` empty → every field counts. */
export function recordIdOf(fields: Record<string, unknown>, idFields: readonly string[]): string {
  if (idFields.length === 0) return sha1Hex(canonicalJson(fields));
  const picked: Record<string, unknown> = {};
  for (const name of idFields) picked[name] = fields[name];
  return sha1Hex(canonicalJson(picked));
}
