/**
 * One view of a request's parameters, whatever way they came (docs/v1-api.md, What real clients send):
 * - GET query string and POST bodies (form or JSON) carry the same parameters; both are merged;
 * - `+` stands for a space (URLSearchParams decodes it);
 * - empty values mean "absent" (`q=`, `sort=`, `maxpoints=`, `source=` are sent by real clients);
 * - repeated keys are kept in order (`q`, `x`, `facet`, `refine.f`, `exclude.f`, `dataset`);
 * - unknown parameters are ignored: nothing here rejects a name.
 */
import { badParameter, missingParameter } from '../../errors';

export class RequestParams {
  private readonly values = new Map<string, string[]>();

  /** Add one raw value; empty strings are dropped here, once, for every consumer. */
  add(name: string, value: string): void {
    if (value === '') return;
    const list = this.values.get(name);
    if (list) list.push(value);
    else this.values.set(name, [value]);
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** The first value, or undefined. */
  get(name: string): string | undefined {
    return this.values.get(name)?.[0];
  }

  /** Every value, in the order received. */
  getAll(name: string): string[] {
    return [...(this.values.get(name) ?? [])];
  }

  names(): string[] {
    return [...this.values.keys()];
  }

  /** Every parameter whose name starts with `prefix` (e.g. `refine.`), keyed by the rest of the name. */
  withPrefix(prefix: string): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [k, v] of this.values) {
      if (k.startsWith(prefix) && k.length > prefix.length) out.set(k.slice(prefix.length), [...v]);
    }
    return out;
  }

  require(name: string, expected: string): string {
    const v = this.get(name);
    if (v === undefined) throw missingParameter(name, expected);
    return v;
  }

  /** true/false (also 1/0, yes/no, case-insensitive); absent → default. */
  bool(name: string, def: boolean): boolean {
    const v = this.get(name);
    if (v === undefined) return def;
    const s = v.trim().toLowerCase();
    if (s === 'true' || s === '1' || s === 'yes' || s === 'on') return true;
    if (s === 'false' || s === '0' || s === 'no' || s === 'off') return false;
    throw badParameter(name, `expected true or false, got "${truncate(v)}"`);
  }

  /** An integer within [min, max]; absent → default. */
  int(name: string, def: number, min: number, max: number): number;
  int(name: string, def: undefined, min: number, max: number): number | undefined;
  int(name: string, def: number | undefined, min: number, max: number): number | undefined {
    const v = this.get(name);
    if (v === undefined) return def;
    const s = v.trim();
    if (!/^[+-]?\d{1,15}$/.test(s)) throw badParameter(name, `expected an integer, got "${truncate(v)}"`);
    const n = Number(s);
    if (n < min || n > max) throw badParameter(name, `expected an integer between ${min} and ${max}, got ${n}`);
    return n;
  }

  /** One of a fixed list of values (compared case-insensitively); absent → default. */
  oneOf<T extends string>(name: string, allowed: readonly T[], def: T): T {
    const v = this.get(name);
    if (v === undefined) return def;
    const s = v.trim().toLowerCase();
    const hit = allowed.find((a) => a.toLowerCase() === s);
    if (!hit) throw badParameter(name, `expected one of ${allowed.join(', ')}, got "${truncate(v)}"`);
    return hit;
  }
}

export function truncate(s: string, max = 80): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** Adds the values of a parsed body (form → strings or arrays; JSON → scalars or arrays). */
export function addBodyParams(params: RequestParams, body: unknown): void {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return;
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    const list = Array.isArray(v) ? v : [v];
    for (const item of list) {
      if (item === null || item === undefined) continue;
      if (typeof item === 'object') continue; // nested objects are not v1 parameters
      params.add(k, String(item));
    }
  }
}

/** Builds the parameters from the raw URL (query string) and an optional parsed body. */
export function requestParams(originalUrl: string, body?: unknown): RequestParams {
  const params = new RequestParams();
  const q = originalUrl.indexOf('?');
  if (q >= 0) {
    const search = new URLSearchParams(originalUrl.slice(q + 1).replace(/#.*$/, ''));
    for (const [k, v] of search) params.add(k, v);
  }
  addBodyParams(params, body);
  return params;
}
