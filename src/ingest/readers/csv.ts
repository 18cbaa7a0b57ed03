/**
 * CSV (RFC 4180 quotes, UTF-8 BOM, any of `, ; \t |` as separator) with csv-parse, streamed.
 * The header line names the columns; `line` is the 1-based line where a record starts in the file
 * (records with quoted line breaks span several lines).
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { parse } from 'csv-parse';
import type { Row, SourceRow } from '../types';

export const CSV_SEPARATORS = [',', ';', '\t', '|'] as const;

/** The separator that occurs most often outside quotes in the header line (ties: `,` `;` tab `|`). */
export function detectSeparator(headerLine: string): string {
  const counts = new Map<string, number>(CSV_SEPARATORS.map((s) => [s, 0]));
  let inQuotes = false;
  for (const ch of headerLine) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best: string = ',';
  let bestCount = 0;
  for (const s of CSV_SEPARATORS) {
    const c = counts.get(s) ?? 0;
    if (c > bestCount) {
      best = s;
      bestCount = c;
    }
  }
  return best;
}

/** The first line of the file (at most 1 MB), without BOM and line break. */
export async function readFirstLine(path: string): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '');
    const end = text.search(/\r?\n|\r/);
    return end < 0 ? text : text.slice(0, end);
  } finally {
    await fh.close();
  }
}

/** Header cells → unique column names (`column_3` for an empty cell, `name_2` for a repeat). */
export function headerNames(cells: readonly string[]): string[] {
  const seen = new Set<string>();
  return cells.map((c, i) => {
    let base = c.trim();
    if (base === '') base = `column_${i + 1}`;
    let name = base;
    for (let k = 2; seen.has(name); k += 1) name = `${base}_${k}`;
    seen.add(name);
    return name;
  });
}

/**
 * Line numbers of records. csv-parse's own `info.lines` drifts after quoted CRLF line breaks, so lines
 * are counted here: the bytes read are kept until the parser has consumed them (`info.bytes` is the
 * offset just after a record), and a record starts at the first byte after the previous record that is
 * not a line break (skipped empty lines). Only the bytes between two records are ever held.
 */
class LineCounter {
  private chunks: Buffer[] = [];
  private chunkStart = 0; // absolute offset of chunks[0]
  private pos = 0; // newlines are counted in [0, pos)
  private newlines = 0;

  push(b: Buffer): void {
    this.chunks.push(b);
  }

  private byteAt(offset: number): number | undefined {
    let base = this.chunkStart;
    for (const c of this.chunks) {
      if (offset < base + c.length) return c[offset - base];
      base += c.length;
    }
    return undefined;
  }

  /** Counts the newlines up to `target` (exclusive) and forgets the bytes before it. */
  advanceTo(target: number): void {
    while (this.pos < target && this.chunks.length > 0) {
      const c = this.chunks[0] as Buffer;
      const from = this.pos - this.chunkStart;
      const to = Math.min(c.length, target - this.chunkStart);
      for (let i = c.indexOf(0x0a, from); i >= 0 && i < to; i = c.indexOf(0x0a, i + 1)) this.newlines += 1;
      this.pos = this.chunkStart + to;
      if (to === c.length) {
        this.chunks.shift();
        this.chunkStart += c.length;
      }
    }
  }

  /** 1-based line of a record starting at or after `offset` (skipping empty lines). */
  lineAt(offset: number): number {
    this.advanceTo(offset);
    let n = this.newlines;
    for (let o = offset; ; o += 1) {
      const b = this.byteAt(o);
      if (b === 0x0a) n += 1;
      else if (b !== 0x0d) break;
    }
    return n + 1;
  }
}

export interface CsvOptions {
  separator?: string;
}

export async function* readCsv(path: string, options: CsvOptions = {}): AsyncGenerator<SourceRow> {
  const separator = options.separator ?? detectSeparator(await readFirstLine(path));
  const counter = new LineCounter();
  const input = createReadStream(path);
  input.on('data', (chunk) => counter.push(chunk as Buffer));
  const parser = input.pipe(
    parse({
      bom: true,
      delimiter: separator,
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
    }),
  );
  let header: string[] | undefined;
  let previousEnd = 0; // byte offset just after the previous record
  try {
    for await (const rec of parser as AsyncIterable<{ record: string[]; info: { bytes: number } }>) {
      const { record, info } = rec;
      const line = counter.lineAt(previousEnd);
      previousEnd = info.bytes;
      if (header === undefined) {
        header = headerNames(record);
        continue;
      }
      if (record.length > header.length && record.slice(header.length).some((v) => v.trim() !== '')) {
        yield { line, error: `line has ${record.length} values but the header has ${header.length} columns`, raw: record };
        continue;
      }
      const row: Row = {};
      for (let i = 0; i < header.length; i += 1) {
        const v = record[i];
        if (v !== undefined) row[header[i] as string] = v;
      }
      yield { line, row };
    }
  } finally {
    parser.destroy();
    input.destroy();
  }
}
