/**
 * A small schema language for "the keys and types a client reads" (the client corpus,
 * test/fixtures/client-corpus.ts), checked against a parsed JSON response:
 *   'string' | 'number' | 'integer' | 'boolean' | 'object' | 'any'   a value of that type
 *   [spec]                                                             an array, every item matching spec
 *   { key: spec, 'other?': spec }                                      an object with EXACTLY these keys
 *                                                                      (a `?` suffix: may be absent)
 *   { $oneOf: [spec, ...] }                                            one of them
 *   { $tuple: [spec, ...] }                                            an array of exactly these items
 */
export type Spec = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'any' | Spec[] | { $oneOf: Spec[] } | { $tuple: Spec[] } | { [key: string]: Spec };

const kindOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Every way `value` differs from `spec`, as `path: problem` lines (empty when it matches). */
export function mismatches(value: unknown, spec: Spec, path = '$'): string[] {
  if (typeof spec === 'string') {
    switch (spec) {
      case 'any':
        return [];
      case 'integer':
        return Number.isInteger(value) ? [] : [`${path}: expected an integer, got ${JSON.stringify(value)}`];
      case 'object':
        return kindOf(value) === 'object' ? [] : [`${path}: expected an object, got ${kindOf(value)}`];
      default:
        return typeof value === spec ? [] : [`${path}: expected ${spec}, got ${kindOf(value)}`];
    }
  }
  if (Array.isArray(spec)) {
    if (!Array.isArray(value)) return [`${path}: expected an array, got ${kindOf(value)}`];
    return value.flatMap((v, i) => mismatches(v, spec[0] as Spec, `${path}[${i}]`));
  }
  if ('$oneOf' in spec && Array.isArray(spec.$oneOf)) {
    const tries = spec.$oneOf.map((s) => mismatches(value, s, path));
    return tries.some((t) => t.length === 0) ? [] : [`${path}: matches none of ${spec.$oneOf.length} shapes (${tries.map((t) => t[0]).join(' | ')})`];
  }
  if ('$tuple' in spec && Array.isArray(spec.$tuple)) {
    const items = spec.$tuple as Spec[];
    if (!Array.isArray(value) || value.length !== items.length) return [`${path}: expected an array of ${items.length}, got ${JSON.stringify(value)?.slice(0, 60)}`];
    return value.flatMap((v, i) => mismatches(v, items[i] as Spec, `${path}[${i}]`));
  }
  if (kindOf(value) !== 'object') return [`${path}: expected an object, got ${kindOf(value)}`];
  const obj = value as Record<string, unknown>;
  const out: string[] = [];
  const wanted = new Map(Object.entries(spec as Record<string, Spec>).map(([k, s]) => [k.replace(/\?$/, ''), { spec: s, optional: k.endsWith('?') }]));
  for (const [k, { spec: s, optional }] of wanted) {
    if (!(k in obj)) {
      if (!optional) out.push(`${path}.${k}: missing`);
      continue;
    }
    out.push(...mismatches(obj[k], s, `${path}.${k}`));
  }
  for (const k of Object.keys(obj)) if (!wanted.has(k)) out.push(`${path}.${k}: not expected`);
  return out;
}
