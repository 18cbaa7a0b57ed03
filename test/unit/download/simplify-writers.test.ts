import { parseDescriptor } from '../../../src/datasets/descriptor';
import { readDownloadRequest } from '../../../src/download/download-request';
import { recordStreamWriter } from '../../../src/download/record-writers';
import { simplifyGeometry, simplifyLine, toleranceForZoom } from '../../../src/download/simplify';
import { streamDownload } from '../../../src/download/stream-download';
import type { Hit } from '../../../src/download/pit-pages';
import { requestParams } from '../../../src/http/params/request-params';
import type { V1Record } from '../../../src/responses/record';
import { EventEmitter } from 'node:events';

describe('Douglas–Peucker', () => {
  it('the tolerance is one pixel at the zoom', () => {
    expect(toleranceForZoom(0)).toBeCloseTo(360 / 256, 12);
    expect(toleranceForZoom(10)).toBeCloseTo(360 / 256 / 1024, 12);
  });

  it('drops points closer than the tolerance to the simplified line, keeps the ends', () => {
    expect(simplifyLine([[0, 0], [1, 0.01], [2, -0.01], [3, 5], [4, 6], [5, 7.05], [6, 8]], 0.1)).toEqual([[0, 0], [2, -0.01], [3, 5], [6, 8]]);
    expect(simplifyLine([[0, 0], [1, 1]], 10)).toEqual([[0, 0], [1, 1]]);
  });

  it('keeps rings valid: closed, at least 4 positions, or untouched', () => {
    const square = [[0, 0], [0, 1], [0.5, 1.001], [1, 1], [1, 0], [0, 0]];
    expect(simplifyGeometry({ type: 'Polygon', coordinates: [square] }, 0.01)).toEqual({
      type: 'Polygon',
      coordinates: [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]],
    });
    const tiny = [[0, 0], [0, 1e-6], [1e-6, 1e-6], [0, 0]];
    expect(simplifyGeometry({ type: 'MultiPolygon', coordinates: [[tiny]] }, 1)).toEqual({ type: 'MultiPolygon', coordinates: [[tiny]] });
    const point = { type: 'Point', coordinates: [1, 2] };
    expect(simplifyGeometry(point, 1)).toBe(point);
  });

  it('handles a very long line without recursion', () => {
    const line = Array.from({ length: 200000 }, (_, i) => [i, Math.sin(i) * 1e-9]);
    expect(simplifyLine(line, 1e-3)).toEqual([line[0], line[line.length - 1]]);
  });
});

const d = parseDescriptor({
  datasetid: 'cities',
  metas: { title: 'Cities' },
  fields: [
    { name: 'name', label: 'City name', type: 'text' },
    { name: 'population', label: 'Population', type: 'int' },
    { name: 'geo', label: 'Location', type: 'geo_point_2d' },
  ],
});
const schema = { fields: d.fields };
const records: V1Record[] = [
  { datasetid: 'cities', recordid: 'a', fields: { name: 'Paris; FR', population: 2, geo: [48.8, 2.3] }, geometry: { type: 'Point', coordinates: [2.3, 48.8] } },
  { datasetid: 'cities', recordid: 'b', fields: { name: '=cmd' } },
];

describe('download request and writers', () => {
  it('reads the parameters', () => {
    expect(readDownloadRequest(requestParams('/d?format=json&fields=population,name&rows=10&sort=-population&geo_simplify=true&geo_simplify_zoom=2'), d, schema)).toEqual({
      format: 'json',
      separator: ';',
      labels: false,
      fields: ['population', 'name'],
      restricted: true,
      limit: 10,
      sort: [{ 'fields.population': 'asc' }, { recordid: 'asc' }],
      simplifyTolerance: toleranceForZoom(2),
    });
    expect(() => readDownloadRequest(requestParams('/d?fields=nope'), d, schema)).toThrow(/fields/);
    expect(() => readDownloadRequest(requestParams('/d?format=xls'), d, schema)).toThrow(/format/);
  });

  const write = (qs: string, callback?: string) => {
    const w = recordStreamWriter(d, readDownloadRequest(requestParams(`/d?${qs}`), d, schema), callback);
    return { w, text: w.open() + w.records(records.slice(0, 1), 0) + w.records(records.slice(1), 1) + w.close() };
  };

  it('csv: names or labels, the separator, geo as lat,lon, quoting and formula protection', () => {
    expect(write('').text).toBe('name;population;geo\r\n"Paris; FR";2;48.8,2.3\r\n\'=cmd;;\r\n');
    expect(write('use_labels_for_header=true&csv_separator=,').text).toBe('City name,Population,Location\r\nParis; FR,2,"48.8,2.3"\r\n\'=cmd,,\r\n');
    expect(write('').w).toMatchObject({ contentType: 'text/csv; charset=utf-8', filename: 'cities.csv' });
  });

  it('json is a bare array; jsonp wraps it; geojson a FeatureCollection', () => {
    expect(JSON.parse(write('format=json').text)).toEqual(records);
    expect(write('format=jsonp', 'cb').text).toBe(`/**/cb(${JSON.stringify(records)});`);
    const fc = JSON.parse(write('format=geojson').text);
    expect(fc).toEqual({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'Point', coordinates: [2.3, 48.8] }, properties: { name: 'Paris; FR', population: 2, geo: [48.8, 2.3], recordid: 'a' } },
        { type: 'Feature', geometry: null, properties: { name: '=cmd', recordid: 'b' } },
      ],
    });
    expect(write('format=geojsonp', 'cb').text).toMatch(/^\/\*\*\/cb\(\{"type":"FeatureCollection".*\}\);$/);
  });
});

/** A sink that accepts `capacity` chunks, then reports a full buffer until drained. */
class SlowSink extends EventEmitter {
  chunks: string[] = [];
  constructor(private capacity: number) {
    super();
  }
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return this.chunks.length < this.capacity;
  }
}

describe('streamDownload', () => {
  const json = recordStreamWriter(d, readDownloadRequest(requestParams('/d?format=json'), d, schema), undefined);
  const render = (h: Hit): V1Record => ({ datasetid: 'cities', recordid: String(h._id), fields: {} });

  async function* pages(n: number, log: string[]): AsyncGenerator<Hit[]> {
    try {
      for (let i = 0; i < n; i++) {
        log.push(`page ${i}`);
        yield [{ _id: `r${i}` }];
      }
    } finally {
      log.push('released');
    }
  }

  it('sends headers only once the first page is read, then streams every page', async () => {
    const log: string[] = [];
    const sink = new SlowSink(1000);
    const result = await streamDownload({ pages: pages(3, log), render, writer: json, sink, signal: new AbortController().signal, begin: () => log.push('begin') });
    expect(log).toEqual(['page 0', 'begin', 'page 1', 'page 2', 'released']);
    expect(result).toEqual({ records: 3, completed: true });
    expect(JSON.parse(sink.chunks.join('')).map((r: V1Record) => r.recordid)).toEqual(['r0', 'r1', 'r2']);
  });

  it('an error before the first page leaves the headers unsent', async () => {
    let begun = false;
    // An iterator whose first page fails, as pitPages does when the point-in-time cannot be opened.
    const failing: AsyncIterableIterator<Hit[]> = {
      next: () => Promise.reject(new Error('no pit')),
      [Symbol.asyncIterator]() {
        return this;
      },
    };
    await expect(streamDownload({ pages: failing, render, writer: json, sink: new SlowSink(10), signal: new AbortController().signal, begin: () => (begun = true) })).rejects.toThrow('no pit');
    expect(begun).toBe(false);
  });

  it('waits for drain before reading on: a slow client throttles the reads', async () => {
    const log: string[] = [];
    const sink = new SlowSink(2);
    const done = streamDownload({ pages: pages(5, log), render, writer: json, sink, signal: new AbortController().signal, begin: () => undefined });
    await new Promise((r) => setTimeout(r, 20));
    // '[' then page 0 fill the sink: page 1 is not asked for until the client drains it
    expect(log).toEqual(['page 0']);
    (sink as unknown as { capacity: number }).capacity = 1000;
    sink.emit('drain');
    expect(await done).toEqual({ records: 5, completed: true });
  });

  it('stops and releases the pages when the client goes away while we wait', async () => {
    const log: string[] = [];
    const sink = new SlowSink(2);
    const controller = new AbortController();
    const done = streamDownload({ pages: pages(5, log), render, writer: json, sink, signal: controller.signal, begin: () => undefined });
    await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    expect(await done).toEqual({ records: 1, completed: false });
    expect(log).toEqual(['page 0', 'released']);
  });
});
