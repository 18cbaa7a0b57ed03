import type { Cell } from '../../../src/geocluster/cells';
import { applyExactPoints, exactEnvelopes, exactPointsBodies, exactPointTargets } from '../../../src/geocluster/exact-points';
import { envelope } from '../../../src/geocluster/hull';
import { mergeCells } from '../../../src/geocluster/merge';
import { tileKey } from '../../../src/geocluster/precision';

const P = 12;
/** A cell built from raw points, as the composite would report it (bounds corners as candidates). */
function cellOf(points: [number, number][]): Cell {
  const lons = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  const box: [number, number, number, number] = [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
  const same = box[0] === box[2] && box[1] === box[3];
  return {
    key: tileKey(points[0]![0], points[0]![1], P),
    count: points.length,
    lat: lats.reduce((a, b) => a + b, 0) / points.length,
    lon: lons.reduce((a, b) => a + b, 0) / points.length,
    points: same ? [[box[0], box[1]]] : [[box[0], box[1]], [box[2], box[1]], [box[2], box[3]], [box[0], box[3]]],
    stats: [],
    box,
  };
}

describe('tile keys as OpenSearch computes them', () => {
  it.each([
    [2.35, 48.85, 6, '6/32/22'],
    [4.83, 45.76, 7, '7/65/45'],
    [-180, 0, 1, '1/0/1'],
    [180, 89.9, 3, '3/7/0'],
    [0, -89.9, 2, '2/2/3'],
  ])('(%p, %p) at %p → %s', (lon, lat, p, key) => {
    expect(tileKey(lon, lat, p)).toBe(key);
  });
});

describe('exact envelopes of small clusters', () => {
  const triangle: [number, number][] = [
    [2.3001, 48.8001],
    [2.3009, 48.8002],
    [2.3004, 48.8008],
  ];

  it('targets only cells of small clusters that are not exact already', () => {
    const a = cellOf(triangle);
    const single = cellOf([[2.31, 48.81]]);
    const twice = cellOf([
      [2.32, 48.82],
      [2.32, 48.82],
    ]);
    const cells = [a, single, twice];
    const clusters = mergeCells(cells, 10, 50);
    expect(exactPointTargets(clusters, new Map(cells.map((c) => [c.key, c])))).toEqual([a]);
    const big = { ...cellOf(triangle), count: 17 };
    expect(exactPointTargets(mergeCells([big], 10, 50), new Map([[big.key, big]]))).toEqual([]);
  });

  it('reads the boxes with doc values only, then gives each cell its points', () => {
    const a = cellOf(triangle);
    const [body] = exactPointsBodies([a], { match_all: {} }, 'fields.geo');
    expect(body).toEqual({
      size: 4,
      track_total_hits: false,
      _source: false,
      docvalue_fields: ['fields.geo'],
      sort: ['_doc'],
      query: {
        bool: {
          filter: [
            { match_all: {} },
            {
              bool: {
                should: [{ geo_bounding_box: { 'fields.geo': { top_left: { lat: 48.8008 + 1e-7, lon: 2.3001 - 1e-7 }, bottom_right: { lat: 48.8001 - 1e-7, lon: 2.3009 + 1e-7 } } } }],
                minimum_should_match: 1,
              },
            },
          ],
        },
      },
    });
    const hits = triangle.map(([lon, lat]) => ({ fields: { 'fields.geo': [`${lat}, ${lon}`] } }));
    expect(applyExactPoints([a], hits, 'fields.geo', P)).toEqual(new Set([a.key]));
    expect(a.points).toEqual(triangle);
  });

  it('a cell whose points do not all come back keeps its approximate envelope', () => {
    const a = cellOf(triangle);
    const before = a.points;
    const hits = triangle.slice(0, 2).map(([lon, lat]) => ({ fields: { 'fields.geo': [`${lat}, ${lon}`] } }));
    expect(applyExactPoints([a], hits, 'fields.geo', P).size).toBe(0);
    expect(a.points).toBe(before);
  });

  it('end to end: the hull of a 3-point cluster becomes the triangle', async () => {
    const a = cellOf(triangle);
    const clusters = mergeCells([a], 10, 50);
    expect(envelope(clusters[0]!.points)?.coordinates).toHaveLength(1); // the box: 4 corners + closing
    const search = async () => ({ hits: { hits: triangle.map(([lon, lat]) => ({ fields: { 'fields.geo': [`${lat}, ${lon}`] } })) } });
    await exactEnvelopes(clusters, [a], { match_all: {} }, 'fields.geo', P, search);
    expect(envelope(clusters[0]!.points)).toEqual({
      type: 'Polygon',
      coordinates: [[[2.3001, 48.8001], [2.3004, 48.8008], [2.3009, 48.8002], [2.3001, 48.8001]]],
    });
  });
});
