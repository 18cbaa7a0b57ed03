/**
 * Column header → dataset field name (FIELD_NAME_PATTERN: lower-case letters, digits and `_`, at most 64,
 * not starting with a digit, not reserved). Labels keep the original header; only names are normalised.
 */
import { FIELD_NAME_PATTERN, RESERVED_FIELD_NAMES } from '../datasets/descriptor';

/**
 * `"US Gross"` → `us_gross`, `"magType"` → `mag_type`, `"Élévation (m)"` → `elevation_m`, `"2019"` → `f_2019`.
 * Accents are folded, every other character becomes `_`, runs of `_` collapse.
 */
export function normalizeFieldName(header: string): string {
  let n = header
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2') // camelCase → camel_case
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (n === '') n = 'field';
  if (/^[0-9]/.test(n)) n = `f_${n}`;
  return n.slice(0, 64).replace(/_+$/, '');
}

/**
 * Normalises every header and makes the names unique and allowed: reserved names (recordid, geometry...)
 * get a `_field` suffix, repeats get `_2`, `_3`...
 */
export function uniqueFieldNames(headers: readonly string[], taken: Iterable<string> = []): string[] {
  const used = new Set(taken);
  return headers.map((h) => {
    let base = normalizeFieldName(h);
    if (RESERVED_FIELD_NAMES.has(base)) base = `${base}_field`;
    let name = base;
    for (let i = 2; used.has(name) || !FIELD_NAME_PATTERN.test(name); i += 1) {
      const suffix = `_${i}`;
      name = `${base.slice(0, 64 - suffix.length)}${suffix}`;
    }
    used.add(name);
    return name;
  });
}
