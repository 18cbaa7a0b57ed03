/**
 * Small readers over ParamSource (the pure view of request parameters, src/search/search-request.ts)
 * shared by analyze, geocluster and download.
 */
import { badParameter } from '../errors';
import type { ParamSource } from '../search/search-request';

/** One of a fixed list of values, compared case-insensitively; absent → default. */
export function oneOfParam<T extends string>(params: ParamSource, name: string, allowed: readonly T[], def: T): T {
  const raw = params.get(name);
  if (raw === undefined) return def;
  const s = raw.trim().toLowerCase();
  const hit = allowed.find((a) => a.toLowerCase() === s);
  if (!hit) throw badParameter(name, `expected one of ${allowed.join(', ')}, got "${raw.slice(0, 40)}"`);
  return hit;
}
