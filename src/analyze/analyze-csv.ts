/**
 * Analyze rows as CSV (`format=csv`, `csv_separator`; docs/v1-api.md, Analyze). The v1 layout is not
 * documented; ours (docs/analyze-geocluster-download.md): one column per atom of x (`x` for one
 * value field, `x.<part>` for one date field, `x.<field>` / `x.<field>.<part>` for several fields),
 * then one column per serie (`<serie>.<percentile>` for QUANTILES); numbers as JSON writes them,
 * null as an empty cell; RFC 4180 quoting with the record CSV writer's rules.
 */
import { protectFormula, quoteCell } from '../responses/formats/csv';
import type { AnalyzePlan } from './analyze-plan';
import { percentileKey, type SerieValue } from './series';

interface Column {
  header: string;
  read: (row: Record<string, unknown>) => unknown;
}

function columnsOf(plan: AnalyzePlan): Column[] {
  const cols: Column[] = [];
  const single = plan.dimensions.length === 1;
  plan.dimensions.forEach((d) => {
    const base = single ? 'x' : `x.${d.name}`;
    const dimOf = (row: Record<string, unknown>) => (single ? row.x : (row.x as Record<string, unknown> | undefined)?.[d.name]);
    if (d.kind === 'value') cols.push({ header: base, read: dimOf });
    else for (const p of d.parts) cols.push({ header: `${base}.${p}`, read: (row) => (dimOf(row) as Record<string, unknown> | undefined)?.[p] });
  });
  for (const s of plan.series) {
    if (s.func === 'QUANTILES') {
      for (const p of s.percents ?? []) {
        const key = percentileKey(p);
        cols.push({ header: `${s.name}.${key}`, read: (row) => (row[s.name] as Record<string, SerieValue> | undefined)?.[key] });
      }
    } else cols.push({ header: s.name, read: (row) => row[s.name] });
  }
  return cols;
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  return protectFormula(String(v));
}

export function analyzeCsv(plan: AnalyzePlan, rows: readonly Record<string, unknown>[], separator: string): string {
  const cols = columnsOf(plan);
  const line = (cells: string[]) => `${cells.map((c) => quoteCell(c, separator)).join(separator)}\r\n`;
  return line(cols.map((c) => protectFormula(c.header))) + rows.map((r) => line(cols.map((c) => cellText(c.read(r))))).join('');
}
