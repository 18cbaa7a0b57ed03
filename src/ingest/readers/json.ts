/**
 * JSON arrays, NDJSON and GeoJSON FeatureCollections, streamed: constant memory whatever the file size.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Row, SourceRow } from '../types';
import { JsonArraySplitter } from './json-splitter';

const CHUNK = 1 << 20;

async function* items(path: string, key?: string): AsyncGenerator<{ index: number; text: string }> {
  const splitter = new JsonArraySplitter(key);
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: CHUNK });
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      for (const item of splitter.push(chunk)) yield item;
    }
  } finally {
    stream.destroy();
  }
  splitter.end();
}

function isObject(v: unknown): v is Row {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseItem(text: string): { value?: unknown; error?: string } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (e) {
    return { error: `invalid JSON: ${(e as Error).message}` };
  }
}

/** A JSON array of objects; `line` is the 1-based item index. */
export async function* readJsonArray(path: string): AsyncGenerator<SourceRow> {
  for await (const { index, text } of items(path)) {
    const { value, error } = parseItem(text);
    if (error !== undefined) yield { line: index, error, raw: text.slice(0, 1000) };
    else if (!isObject(value)) yield { line: index, error: 'expected a JSON object', raw: value };
    else yield { line: index, row: value };
  }
}

/** One JSON object per line; blank lines are skipped; `line` is the line number. */
export async function* readNdjson(path: string): AsyncGenerator<SourceRow> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: CHUNK });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const rawLine of lines) {
      line += 1;
      const text = line === 1 ? rawLine.replace(/^\uFEFF/, '') : rawLine;
      if (text.trim() === '') continue;
      const { value, error } = parseItem(text);
      if (error !== undefined) yield { line, error, raw: text.slice(0, 1000) };
      else if (!isObject(value)) yield { line, error: 'expected a JSON object', raw: value };
      else yield { line, row: value };
    }
  } finally {
    lines.close();
    stream.destroy();
  }
}

/**
 * A GeoJSON FeatureCollection; each feature becomes its properties plus `geometry` (the geometry)
 * and `id` (the feature id) unless the properties have keys of those names. `line` = feature index.
 */
export async function* readGeoJson(path: string): AsyncGenerator<SourceRow> {
  for await (const { index, text } of items(path, 'features')) {
    const { value, error } = parseItem(text);
    if (error !== undefined) {
      yield { line: index, error, raw: text.slice(0, 1000) };
      continue;
    }
    if (!isObject(value) || value.type !== 'Feature') {
      yield { line: index, error: 'expected a GeoJSON Feature', raw: value };
      continue;
    }
    const props = isObject(value.properties) ? value.properties : {};
    const row: Row = { ...props };
    if (!('geometry' in row)) row.geometry = value.geometry ?? null;
    if (!('id' in row) && value.id !== undefined) row.id = value.id;
    yield { line: index, row };
  }
}
