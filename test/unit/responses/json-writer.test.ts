import fc from 'fast-check';
import { parseDescriptor } from '../../../src/datasets/descriptor';
import { floatJson, marker, prettyJson, recordJson } from '../../../src/responses/json-writer';
import { toFeature } from '../../../src/responses/formats/geojson';
import { geoJsonText, pythonSeparators } from '../../../src/responses/formats/csv';
import type { V1Record } from '../../../src/responses/record';

const weather = parseDescriptor({
  datasetid: 'weather',
  metas: { title: 'Weather' },
  fields: [
    { name: 'station', label: 'Station', type: 'text' },
    { name: 'rain', label: 'Rain', type: 'double' },
    { name: 'days', label: 'Days', type: 'int' },
    { name: 'geo', label: 'Location', type: 'geo_point_2d' },
  ],
});
const noDoubles = parseDescriptor({ datasetid: 'plain', metas: { title: 'Plain' }, fields: [{ name: 'n', label: 'N', type: 'int' }] });

describe('floatJson', () => {
  it.each([
    [2, '2.0'],
    [0, '0.0'],
    [-3, '-3.0'],
    [2.5, '2.5'],
    [-0.125, '-0.125'],
    [1e21, '1e+21'],
    [123456789012, '123456789012.0'],
    [Number.NaN, 'null'],
  ])('%p → %s', (n, text) => expect(floatJson(n)).toBe(text));
});

describe('recordJson', () => {
  const record: V1Record = {
    datasetid: 'weather',
    recordid: 'r1',
    fields: { station: 'Seattle "Boeing", 2', rain: 2, days: 3, geo: [47.5, -122.3], dist: '82.0' },
    geometry: { type: 'Point', coordinates: [-122.3, 47.5] },
    record_timestamp: '2021-01-04T11:22:14.440000+00:00',
  };

  it('writes whole doubles with .0 and everything else as JSON.stringify does, in the same key order', () => {
    const text = recordJson(weather).record(record);
    expect(text).toBe(
      '{"datasetid":"weather","recordid":"r1","fields":{"station":"Seattle \\"Boeing\\", 2","rain":2.0,"days":3,"geo":[47.5,-122.3],"dist":"82.0"},' +
        '"geometry":{"type":"Point","coordinates":[-122.3,47.5]},"record_timestamp":"2021-01-04T11:22:14.440000+00:00"}',
    );
    expect(JSON.parse(text)).toEqual(record);
  });

  it('leaves out absent keys, like JSON.stringify', () => {
    const bare: V1Record = { datasetid: 'weather@public', recordid: 'r2', fields: { rain: 0.5 } };
    expect(recordJson(weather).record(bare)).toBe(JSON.stringify(bare));
  });

  it('does not depend on the order of the keys', () => {
    const r: V1Record = { datasetid: 'weather', recordid: 'r', fields: { rain: 3, days: 1, station: 'x' } };
    const twoDoubles = parseDescriptor({ ...weather, fields: [...weather.fields, { name: 'snow', label: 'Snow', type: 'double' }] });
    const text = recordJson(twoDoubles).record({ ...r, fields: { snow: 7, station: 'x', rain: 3 } });
    expect(text).toBe('{"datasetid":"weather","recordid":"r","fields":{"snow":7.0,"station":"x","rain":3.0}}');
  });

  it('stays exact when a stored string looks like its markers (field by field then)', () => {
    const r: V1Record = { datasetid: 'weather', recordid: 'r', fields: { station: marker(0), rain: 2 } };
    const text = recordJson(weather).record(r);
    expect(text).toBe(`{"datasetid":"weather","recordid":"r","fields":{"station":${JSON.stringify(marker(0))},"rain":2.0}}`);
    expect(r.fields.rain).toBe(2); // the record itself is left as it was
    const f = recordJson(weather).fields({ station: marker(1), rain: 4 });
    expect(JSON.parse(f)).toEqual({ station: marker(1), rain: 4 });
    expect(f).toContain('"rain":4.0');
  });

  it('is JSON.stringify itself for a dataset without doubles', () => {
    const w = recordJson(noDoubles);
    expect(w.custom).toBe(false);
    const r: V1Record = { datasetid: 'plain', recordid: 'x', fields: { n: 2 } };
    expect(w.record(r)).toBe('{"datasetid":"plain","recordid":"x","fields":{"n":2}}');
  });

  it('writes GeoJSON features the same way', () => {
    const text = recordJson(weather).feature(toFeature(record));
    expect(text).toContain('"rain":2.0,"days":3');
    expect(JSON.parse(text)).toEqual(toFeature(record));
  });

  it('never changes a value: any record parses back to itself', () => {
    const w = recordJson(weather);
    fc.assert(
      fc.property(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), (station, rain, days) => {
        const r: V1Record = { datasetid: 'weather', recordid: 'id', fields: { station, rain, days } };
        const text = w.record(r);
        const back = JSON.parse(text) as V1Record;
        return Object.is(back.fields.rain, rain === 0 ? 0 : rain) && back.fields.station === station && back.fields.days === days;
      }),
    );
  });
});

describe('prettyJson', () => {
  it('indents exactly as JSON.stringify(value, null, 2)', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => prettyJson(JSON.stringify(v)) === JSON.stringify(v, null, 2)));
  });

  it('keeps the numbers as written', () => {
    expect(prettyJson('{"a":[2.0,{}],"b":[]}')).toBe('{\n  "a": [\n    2.0,\n    {}\n  ],\n  "b": []\n}');
  });
});

describe('CSV GeoJSON cells', () => {
  it('put type first with Python separators', () => {
    expect(geoJsonText({ coordinates: [2.28, 48.84], type: 'Point' })).toBe('{"type": "Point", "coordinates": [2.28, 48.84]}');
    expect(geoJsonText({ type: 'GeometryCollection', geometries: [{ type: 'LineString', coordinates: [[0, 1], [2, 3]] }] })).toBe(
      '{"type": "GeometryCollection", "geometries": [{"type": "LineString", "coordinates": [[0, 1], [2, 3]]}]}',
    );
  });

  it('leave strings alone', () => {
    expect(pythonSeparators('{"a,b":"c:d\\",e","f":[1,2]}')).toBe('{"a,b": "c:d\\",e", "f": [1, 2]}');
  });
});
