import { recordJson } from '../../../src/responses/json-writer';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { csvSeparatorParam, csvWriter, protectFormula } from '../../../src/responses/formats/csv';
import { atomFeed } from '../../../src/responses/formats/atom';
import { recordFeedItem, recordsFeedInfo, titleField } from '../../../src/responses/formats/feed-items';
import { featureCollection, geojsonWriter } from '../../../src/responses/formats/geojson';
import { rssFeed } from '../../../src/responses/formats/rss';
import type { V1Record } from '../../../src/responses/record';
import { parcels, shops } from '../search/search-fixtures';

const records: V1Record[] = [
  {
    datasetid: 'parcels',
    recordid: 'r1',
    fields: {
      name: 'Le "Fournil"; bio',
      city: '=HYPERLINK("http://x")',
      tags: 'a,b',
      notes: 'line 1\nline 2',
      staff: -3,
      rating: -1.5,
      opened: '2012-09-11',
      geo: [45.76, 4.84],
      outline: { type: 'Point', coordinates: [4.84, 45.76] },
    },
    geometry: { type: 'Point', coordinates: [4.84, 45.76] },
    record_timestamp: '2021-01-04T12:22:14.440000+01:00',
  },
  { datasetid: 'parcels', recordid: 'r2', fields: { name: '-42', city: '@SUM(A1)' }, record_timestamp: '2021-02-01T00:00:00+00:00' },
];

describe('CSV', () => {
  it('writes a header and one RFC 4180 row per record, parsed back by csv-parse', () => {
    const w = csvWriter(parcels, { separator: ';' });
    const text = w.header() + records.map(w.row).join('');
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(text, { delimiter: ';', columns: true }) as Record<string, string>[];
    expect(rows).toEqual([
      {
        name: 'Le "Fournil"; bio',
        city: `'=HYPERLINK("http://x")`,
        category: '',
        tags: 'a,b',
        notes: 'line 1\nline 2',
        staff: '-3',
        rating: '-1.5',
        opened: '2012-09-11',
        inspected: '',
        geo: '45.76,4.84',
        // type first, Python separators (the v1 CSV of python-odsclient's recorded reference export)
        outline: '{"type": "Point", "coordinates": [4.84, 45.76]}',
      },
      {
        name: '-42',
        city: "'@SUM(A1)",
        category: '',
        tags: '',
        notes: '',
        staff: '',
        rating: '',
        opened: '',
        inspected: '',
        geo: '',
        outline: '',
      },
    ]);
  });

  it('writes a whole double as 2.0 and an int as 3', () => {
    const w = csvWriter(parcels, { separator: ';', fields: ['staff', 'rating'] });
    expect(w.row({ datasetid: 'parcels', recordid: 'r', fields: { staff: 3, rating: 2 } })).toBe('3;2.0\r\n');
  });

  it('follows the `fields` order and any single ASCII separator', () => {
    const w = csvWriter(parcels, { separator: '\t', fields: ['geo', 'name'] });
    const rows = parseCsv(w.header() + w.row(records[0]!), { delimiter: '\t' }) as string[][];
    expect(rows).toEqual([
      ['geo', 'name'],
      ['45.76,4.84', 'Le "Fournil"; bio'],
    ]);
  });

  it.each([
    ['=1+2', "'=1+2"],
    ['+33 1 23', "'+33 1 23"],
    ['-1+2', "'-1+2"],
    ['@x', "'@x"],
    ['\tx', "'\tx"],
    ['-12.5', '-12.5'],
    ['+3', '+3'],
    ['plain', 'plain'],
  ])('protects the text cell %j as %j', (cell, out) => expect(protectFormula(cell)).toBe(out));

  it.each(['', ';;', '"', '\n', 'é'])('rejects csv_separator=%j', (sep) => {
    expect(() => csvSeparatorParam(sep)).toThrow(expect.objectContaining({ extra: { parameter: 'csv_separator' } }));
  });
});

describe('GeoJSON', () => {
  it('is a FeatureCollection with the geometry and the fields plus recordid as properties', () => {
    const fc = featureCollection(records);
    expect(fc.features[0]).toEqual({ type: 'Feature', geometry: records[0]!.geometry, properties: { ...records[0]!.fields, recordid: 'r1' } });
    expect(fc.features[1]).toEqual({ type: 'Feature', geometry: null, properties: { name: '-42', city: '@SUM(A1)', recordid: 'r2' } });
    const streamed = geojsonWriter.open() + records.map((r, i) => geojsonWriter.feature(r, i, recordJson(parcels))).join('') + geojsonWriter.close();
    expect(JSON.parse(streamed)).toEqual(fc);
  });
});

describe('RSS and Atom', () => {
  const info = recordsFeedInfo(parcels, 'http://gw', 'http://gw/api/records/1.0/search?dataset=parcels&format=rss');
  const items = records.map((r) => recordFeedItem(parcels, r, 'http://gw'));
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false });

  it('titles items with the first sortable text field', () => {
    expect(titleField(shops)?.name).toBe('name');
    expect(titleField({ ...shops, fields: shops.fields.slice(1) })?.name).toBe('city');
  });

  it('writes a valid RSS 2.0 feed, escaped', () => {
    const xml = rssFeed(info, items);
    expect(XMLValidator.validate(xml)).toBe(true);
    const channel = parser.parse(xml).rss.channel;
    expect(channel.title).toBe('Shops');
    expect(channel.description).toBe('Shops & markets');
    expect(channel.lastBuildDate).toBe('Mon, 01 Feb 2021 00:00:00 GMT');
    expect(channel.item).toHaveLength(2);
    expect(channel.item[0]).toMatchObject({
      title: 'Le "Fournil"; bio',
      link: 'http://gw/api/datasets/1.0/parcels/records/r1',
      guid: { '#text': 'http://gw/api/datasets/1.0/parcels/records/r1', '@isPermaLink': 'true' },
      pubDate: 'Mon, 04 Jan 2021 11:22:14 GMT',
    });
    expect(channel.item[0].description).toContain('City: =HYPERLINK("http://x")');
  });

  it('writes a valid Atom 1.0 feed', () => {
    const xml = atomFeed(info, items, new Date('2030-01-01T00:00:00Z'));
    expect(XMLValidator.validate(xml)).toBe(true);
    const feed = parser.parse(xml).feed;
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed.id).toBe('http://gw/api/records/1.0/search?dataset=parcels&format=rss');
    expect(feed.updated).toBe('2021-02-01T00:00:00.000Z');
    expect(feed.author.name).toBe('Town');
    expect(feed.entry[1]).toMatchObject({ id: 'http://gw/api/datasets/1.0/parcels/records/r2', title: '-42', updated: '2021-02-01T00:00:00.000Z' });
    expect(feed.entry[0].link['@href']).toBe('http://gw/api/datasets/1.0/parcels/records/r1');
    const empty = parser.parse(atomFeed(info, [], new Date('2030-01-01T00:00:00Z'))).feed;
    expect(empty.updated).toBe('2030-01-01T00:00:00.000Z');
  });
});
