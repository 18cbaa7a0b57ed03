import { parseDescriptor } from '../../../src/datasets/descriptor';
import { requestParams } from '../../../src/http/params/request-params';
import { readSeries } from '../../../src/analyze/series';
import { geopreviewBody, geopreviewResponse, previewRows } from '../../../src/geomap/geopreview';
import { collectGroups, fetchShapes, GEOPOLYGON_PAGE_SIZE, geopolygonResponse, groupsBody, shapesBody, type GeopolygonRequest } from '../../../src/geomap/geopolygon';
import { decimalsForZoom, mapGeometry } from '../../../src/geomap/map-geometry';
import { mapTarget, mapZoom } from '../../../src/geomap/map-target';

const districts = parseDescriptor({
  datasetid: 'districts',
  metas: { title: 'Districts' },
  fields: [
    { name: 'name', label: 'Name', type: 'text' },
    { name: 'people', label: 'People', type: 'int' },
    { name: 'outline', label: 'Outline', type: 'geo_shape' },
    { name: 'zone', label: 'Zone', type: 'geo_shape' },
    { name: 'center', label: 'Center', type: 'geo_point_2d' },
  ],
});
const points = parseDescriptor({
  datasetid: 'stops',
  metas: { title: 'Stops' },
  fields: [{ name: 'where', label: 'Where', type: 'geo_point_2d' }],
});
const params = (qs: string) => requestParams(`/x?${qs}`);
const schema = { fields: districts.fields };
const QUERY = { match_all: {} };

describe('mapTarget and mapZoom', () => {
  it('draws the first shape, the field named by geo_field, or the point of a point dataset', () => {
    expect(mapTarget(params(''), districts, schema)).toEqual({ kind: 'shape', field: 'outline' });
    expect(mapTarget(params('geo_field=zone'), districts, schema)).toEqual({ kind: 'shape', field: 'zone' });
    expect(mapTarget(params('geo_field=center'), districts, schema)).toEqual({ kind: 'point', field: 'center' });
    expect(mapTarget(params(''), points, { fields: points.fields })).toEqual({ kind: 'point', field: 'where' });
  });

  it('skips hidden fields and refuses one that is not a visible geo field', () => {
    expect(mapTarget(params(''), districts, { ...schema, hidden: new Set(['outline']) })).toEqual({ kind: 'shape', field: 'zone' });
    for (const [qs, hidden] of [['geo_field=name', []], ['geo_field=zone', ['zone']], ['geo_field=nope', []]] as const) {
      expect(() => mapTarget(params(qs), districts, { ...schema, hidden: new Set(hidden) })).toThrow(
        expect.objectContaining({ kind: 'bad_parameter', extra: { parameter: 'geo_field' } }),
      );
    }
    const none = parseDescriptor({ datasetid: 'n', metas: { title: 'N' }, fields: [{ name: 'a', label: 'A', type: 'text' }] });
    expect(() => mapTarget(params(''), none, { fields: none.fields })).toThrow(expect.objectContaining({ extra: { parameter: 'dataset' } }));
  });

  it('reads the zoom from clusterprecision (floored, 0 by default) and rows (1000 by default)', () => {
    expect(mapZoom(params(''))).toBe(0);
    expect(mapZoom(params('clusterprecision=4.7'))).toBe(4);
    expect(() => mapZoom(params('clusterprecision=30'))).toThrow(expect.objectContaining({ extra: { parameter: 'clusterprecision' } }));
    expect(() => mapZoom(params('clusterprecision=x'))).toThrow(expect.objectContaining({ extra: { parameter: 'clusterprecision' } }));
    expect(previewRows(params(''))).toBe(1000);
    expect(previewRows(params('rows=5'))).toBe(5);
    for (const bad of ['rows=-1', 'rows=10001', 'rows=2.5']) expect(() => previewRows(params(bad))).toThrow(expect.objectContaining({ extra: { parameter: 'rows' } }));
  });
});

describe('map geometries', () => {
  it('rounds to an eighth of a pixel of the zoom', () => {
    // one pixel = 360 / (256 · 2^z) degrees: 1.40625 at z0 (1 decimal), 0.00137 at z10 (4 decimals)
    expect([0, 2, 10, 20].map(decimalsForZoom)).toEqual([1, 2, 4, 7]);
  });

  it('simplifies, rounds and drops repeated positions, never below a valid ring', () => {
    const ring = [[0, 0], [0.001, 0.002], [10, 0], [10.02, 5], [10, 10], [0, 10], [0, 0]];
    expect(mapGeometry({ type: 'Polygon', coordinates: [ring] }, 0)).toEqual({
      type: 'Polygon',
      coordinates: [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]],
    });
    // a tiny square collapses to one rounded point: its 5 rounded positions are kept
    const tiny = [[1.01, 1.01], [1.02, 1.01], [1.02, 1.02], [1.01, 1.02], [1.01, 1.01]];
    expect(mapGeometry({ type: 'MultiPolygon', coordinates: [[tiny]] }, 0)).toEqual({ type: 'MultiPolygon', coordinates: [[Array(5).fill([1, 1])]] });
    expect(mapGeometry({ type: 'Point', coordinates: [1.26, 2.34] }, 0)).toEqual({ type: 'Point', coordinates: [1.3, 2.3] });
  });
});

describe('geopreview', () => {
  it('asks for one hit per shape digest, longest first, with the shape and its digest only', () => {
    const req = { target: { kind: 'shape' as const, field: 'outline' }, zoom: 3, rows: 1000 };
    expect(geopreviewBody(req, QUERY)).toEqual({
      size: 1000,
      track_total_hits: false,
      query: { bool: { must: [QUERY], filter: [{ exists: { field: 'fields.outline' } }] } },
      collapse: { field: '__geo_digest.outline' },
      sort: [{ '__geo_length.outline': { order: 'desc' } }, { '__geo_digest.outline': 'asc' }],
      _source: ['fields.outline', '__geo_digest.outline'],
    });
  });

  it('answers an array of {geometry, geo_digest}, or of Points without digest for a point dataset', () => {
    const square = { type: 'Polygon', coordinates: [[[0, 0], [4, 0], [4.01, 2], [4, 4], [0, 4], [0, 0]]] };
    const res = { hits: { hits: [{ _source: { fields: { outline: square }, __geo_digest: { outline: 'abc' } } }, { _source: { fields: {} } }] } };
    expect(geopreviewResponse({ target: { kind: 'shape', field: 'outline' }, zoom: 0, rows: 10 }, res)).toEqual([
      { geometry: { type: 'Polygon', coordinates: [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]] }, geo_digest: 'abc' },
    ]);
    const pts = { hits: { hits: [{ _source: { fields: { where: { lat: 48.85, lon: 2.35 } } } }] } };
    const req = { target: { kind: 'point' as const, field: 'where' }, zoom: 0, rows: 10 };
    expect(geopreviewResponse(req, pts)).toEqual([{ geometry: { type: 'Point', coordinates: [2.35, 48.85] } }]);
    expect(geopreviewBody(req, QUERY)).toMatchObject({ sort: [{ recordid: 'asc' }], _source: ['fields.where'] });
  });
});

describe('geopolygon', () => {
  const shapeReq = (qs = ''): GeopolygonRequest => ({
    target: { kind: 'shape', field: 'outline' },
    zoom: 0,
    series: readSeries(params(qs), schema),
  });

  it('groups by shape digest with the series under each group, or by finest geotile with a centroid for points', () => {
    expect(groupsBody(shapeReq('y.s.func=SUM&y.s.expr=people'), QUERY, { g: 'k' })).toEqual({
      size: 0,
      track_total_hits: false,
      query: { bool: { must: [QUERY], filter: [{ exists: { field: 'fields.outline' } }] } },
      aggs: {
        groups: {
          composite: { size: GEOPOLYGON_PAGE_SIZE, sources: [{ g: { terms: { field: '__geo_digest.outline' } } }], after: { g: 'k' } },
          aggs: { y0: { extended_stats: { field: 'fields.people' } } },
        },
      },
    });
    const pointBody = groupsBody({ target: { kind: 'point', field: 'center' }, zoom: 0, series: [] }, QUERY) as { aggs: { groups: unknown } };
    expect(pointBody.aggs.groups).toEqual({
      composite: { size: GEOPOLYGON_PAGE_SIZE, sources: [{ g: { geotile_grid: { field: 'fields.center', precision: 29 } } }] },
      aggs: { c: { geo_centroid: { field: 'fields.center' } } },
    });
    // beyond one page of groups, the digests are named; within one, the whole filtered set is collapsed
    expect(shapesBody(shapeReq(), QUERY, ['a', 'b'], false)).toEqual({
      size: 2,
      track_total_hits: false,
      query: { bool: { must: [QUERY], filter: [{ exists: { field: 'fields.outline' } }, { terms: { '__geo_digest.outline': ['a', 'b'] } }] } },
      collapse: { field: '__geo_digest.outline' },
      _source: ['fields.outline', '__geo_digest.outline'],
    });
    expect(shapesBody(shapeReq(), QUERY, ['a', 'b'], true)).toMatchObject({ size: 2, query: { bool: { must: [QUERY], filter: [{ exists: { field: 'fields.outline' } }] } } });
  });

  it('pages the groups to the end, and refuses past the limit', async () => {
    const page = (n: number, from: number) => ({
      aggregations: { groups: { after_key: { g: `d${from + n - 1}` }, buckets: Array.from({ length: n }, (_, i) => ({ key: { g: `d${from + i}` }, doc_count: 1 })) } },
    });
    const bodies: Record<string, unknown>[] = [];
    const search = async (body: Record<string, unknown>) => {
      bodies.push(body);
      return bodies.length === 1 ? page(GEOPOLYGON_PAGE_SIZE, 0) : page(3, GEOPOLYGON_PAGE_SIZE);
    };
    const groups = await collectGroups(shapeReq(), QUERY, search, 100_000);
    expect(groups).toHaveLength(GEOPOLYGON_PAGE_SIZE + 3);
    expect((bodies[1] as { aggs: { groups: { composite: { after: unknown } } } }).aggs.groups.composite.after).toEqual({ g: `d${GEOPOLYGON_PAGE_SIZE - 1}` });
    await expect(collectGroups(shapeReq(), QUERY, async () => page(GEOPOLYGON_PAGE_SIZE, 0), 100)).rejects.toMatchObject({
      kind: 'bad_parameter',
      extra: { limit: 'GEOCLUSTER_MAX_CELLS', max: 100 },
    });
  });

  it('fetches the shapes by digest and answers the clusters largest first, with counts, series and their ranges', async () => {
    const req = shapeReq('y.s.func=AVG&y.s.expr=people');
    const groups = [
      { key: 'a', count: 1, stats: [{ kind: 'stats' as const, count: 1, sum: 10, min: 10, max: 10, sumOfSquares: 100 }] },
      { key: 'b', count: 3, stats: [{ kind: 'stats' as const, count: 3, sum: 6, min: 1, max: 3, sumOfSquares: 14 }] },
      { key: 'gone', count: 9, stats: [undefined] },
    ];
    const tri = (x: number) => ({ type: 'Polygon', coordinates: [[[x, 0], [x + 2, 0], [x, 2], [x, 0]]] });
    const shapes = await fetchShapes(req, QUERY, ['a', 'b'], async () => ({
      hits: { hits: [{ _source: { fields: { outline: tri(0) }, __geo_digest: { outline: 'a' } } }, { _source: { fields: { outline: tri(5) }, __geo_digest: { outline: 'b' } } }] },
    }));
    expect(geopolygonResponse(req, groups, shapes)).toEqual({
      clusters: [
        { cluster: tri(5), count: 3, series: { s: 2 }, geo_digest: 'b' },
        { cluster: tri(0), count: 1, series: { s: 10 }, geo_digest: 'a' },
      ],
      count: { max: 3, min: 1 },
      series: { s: { max: 10, min: 2 } },
      clusterprecision: 0,
    });
  });

  it('answers Points without digest for a point dataset, and zero counts when nothing matches', () => {
    const req: GeopolygonRequest = { target: { kind: 'point', field: 'center' }, zoom: 5, series: [] };
    expect(geopolygonResponse(req, [{ key: '29/1/2', count: 2, stats: [], point: [2.35, 48.85] }], new Map())).toEqual({
      clusters: [{ cluster: { type: 'Point', coordinates: [2.35, 48.85] }, count: 2 }],
      count: { max: 2, min: 2 },
      clusterprecision: 5,
    });
    expect(geopolygonResponse(req, [], new Map())).toEqual({ clusters: [], count: { max: 0, min: 0 }, clusterprecision: 5 });
  });
});
