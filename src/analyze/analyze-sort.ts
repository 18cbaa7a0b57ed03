/**
 * `sort` of analyze (docs/v1-api.md: Analyze, What real clients send). Keys, comma-separated or repeated:
 *   x, -x                    the whole x (its fields in order, date parts in order)
 *   x.<field>, -x.<field>    one field of x (`x.country`)
 *   x.<field>.<part>         one date part (`x.f.year,x.f.month`, as ods-chart sends it)
 *   x.<part>                 a part of the only date field of x
 *   <field>                  a field of x named bare (`sort=-fecha&x=fecha`)
 *   <serie>, y.<serie>       a serie (`-serie1-1`)
 * A bare key sorts ASCENDING and `-` DESCENDING: the convention of ods-widgets (odsChart: "x or -x to
 * sort or reverse sort"; odsAnalysis: "`-` ... descending"), which is what sends these requests. The
 * v1 doc sentence says the opposite but its own examples come back ascending with no sort; see
 * docs/analyze-geocluster-download.md. Keys naming nothing (a field outside x, junk) are ignored.
 * Nulls sort last in both directions; ties keep ascending x order.
 */
import type { DateParts, DatePart } from './date-parts';
import type { SerieSpec, SerieValue } from './series';
import type { Dimension } from './x-dimensions';

export type DimValue = string | number | DateParts;

export type SortKey =
  | { target: 'x'; dim: number; part?: DatePart; desc: boolean }
  | { target: 'serie'; serie: number; desc: boolean };

/** One comparable unit of x: a value dimension, or one part of a date dimension. */
interface Atom {
  dim: number;
  part?: DatePart;
}

function atomsOf(dims: readonly Dimension[], only?: number): Atom[] {
  const out: Atom[] = [];
  dims.forEach((d, dim) => {
    if (only !== undefined && only !== dim) return;
    if (d.kind === 'value') out.push({ dim });
    else for (const part of d.parts) out.push({ dim, part });
  });
  return out;
}

export function readSortKeys(raw: readonly string[], dims: readonly Dimension[], series: readonly SerieSpec[]): SortKey[] {
  const keys: SortKey[] = [];
  const items = raw.flatMap((v) => v.split(',')).map((s) => s.trim()).filter((s) => s.length > 0);
  const dimIndex = (name: string) => dims.findIndex((d) => d.name === name);
  const serieIndex = (name: string) => series.findIndex((s) => s.name === name);
  for (const item of items) {
    const desc = item.startsWith('-');
    const name = desc ? item.slice(1) : item;
    const asAtoms = (atoms: Atom[]) => atoms.forEach((a) => keys.push({ target: 'x', dim: a.dim, ...(a.part ? { part: a.part } : {}), desc }));
    if (name === 'x') {
      asAtoms(atomsOf(dims));
      continue;
    }
    const s = serieIndex(name);
    if (s >= 0) {
      keys.push({ target: 'serie', serie: s, desc });
      continue;
    }
    if (name.startsWith('y.') && serieIndex(name.slice(2)) >= 0) {
      keys.push({ target: 'serie', serie: serieIndex(name.slice(2)), desc });
      continue;
    }
    const rest = name.startsWith('x.') ? name.slice(2) : name;
    const [head, part, ...extra] = rest.split('.');
    if (head === undefined || extra.length > 0) continue;
    const d = dimIndex(head);
    if (d >= 0) {
      const dim = dims[d];
      if (part === undefined) asAtoms(atomsOf(dims, d));
      else if (dim?.kind === 'date' && dim.parts.includes(part as DatePart)) asAtoms([{ dim: d, part: part as DatePart }]);
      continue;
    }
    // x.<part> when x is one date field
    const dateDims = dims.map((dd, i) => ({ dd, i })).filter((e) => e.dd.kind === 'date');
    const only = dateDims.length === 1 ? dateDims[0] : undefined;
    if (name.startsWith('x.') && part === undefined && only && only.dd.kind === 'date' && only.dd.parts.includes(head as DatePart)) {
      asAtoms([{ dim: only.i, part: head as DatePart }]);
    }
    // anything else names nothing here: ignored (docs/v1-api.md, Analyze, Eindhoven's sort on a field outside x)
  }
  return keys;
}

/**
 * The order OpenSearch's composite already gives when the keys are exactly x, atom by atom, in one
 * direction: then the first `maxpoints` buckets are the answer and paging can stop early.
 */
export function nativeOrder(keys: readonly SortKey[], dims: readonly Dimension[]): 'asc' | 'desc' | undefined {
  if (dims.length === 0) return undefined;
  if (keys.length === 0) return 'asc';
  const atoms = atomsOf(dims);
  if (keys.length !== atoms.length) return undefined;
  const desc = keys[0]?.desc ?? false;
  const same = keys.every((k, i) => k.target === 'x' && k.desc === desc && k.dim === atoms[i]?.dim && k.part === atoms[i]?.part);
  return same ? (desc ? 'desc' : 'asc') : undefined;
}

// ----- comparing -----------------------------------------------------------------------------------

type Scalar = string | number | null | undefined;

/** Numbers before strings; nulls are handled by the caller (always last). */
function compareScalars(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareWithNulls(a: Scalar, b: Scalar, desc: boolean): number {
  const an = a === null || a === undefined || (typeof a === 'number' && Number.isNaN(a));
  const bn = b === null || b === undefined || (typeof b === 'number' && Number.isNaN(b));
  if (an || bn) return an && bn ? 0 : an ? 1 : -1;
  const c = compareScalars(a as string | number, b as string | number);
  return desc ? -c : c;
}

export function atomValue(dims: readonly DimValue[], dim: number, part: DatePart | undefined): Scalar {
  const v = dims[dim];
  if (v === undefined) return undefined;
  if (typeof v === 'object') return part === undefined ? undefined : v[part];
  return v;
}

/** A serie's value as a sort key: a number, or the first percentile of QUANTILES. */
export function serieSortValue(v: SerieValue | undefined): Scalar {
  if (v === null || v === undefined || typeof v === 'number') return v;
  const first = Object.values(v)[0];
  return first ?? null;
}

export interface SortableRow {
  dims: DimValue[];
  values: SerieValue[];
}

export function compareRows(keys: readonly SortKey[]): (a: SortableRow, b: SortableRow) => number {
  return (a, b) => {
    for (const k of keys) {
      const c =
        k.target === 'x'
          ? compareWithNulls(atomValue(a.dims, k.dim, k.part), atomValue(b.dims, k.dim, k.part), k.desc)
          : compareWithNulls(serieSortValue(a.values[k.serie]), serieSortValue(b.values[k.serie]), k.desc);
      if (c !== 0) return c;
    }
    return 0;
  };
}

/** Ascending x, atom by atom: the order cumulative sums run in. */
export function xAscending(dims: readonly Dimension[]): SortKey[] {
  return atomsOf(dims).map((a) => ({ target: 'x', dim: a.dim, ...(a.part ? { part: a.part } : {}), desc: false }));
}
