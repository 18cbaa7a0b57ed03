/**
 * One stored document of each field type read back from OpenSearch, the generated mapping as the node
 * keeps it, and a reload of the same file giving the same records.
 */
import { join } from 'node:path';
import { closeTestContext, testContext } from '../helpers/integration';
import { loadDataset } from '../../src/ingest/load';
import { readDescriptorFile } from '../../src/ingest/samples';
import { aliasTargets, deleteDataset, getCatalogDoc, listVersionIndices } from '../../src/datasets/index-admin';
import { canonicalJson, sha1Hex } from '../../src/ingest/record-id';

// testTimeout is a global jest option: the integration project's value does not reach the tests
jest.setTimeout(120_000);
const ctx = testContext();
const FIX = join(__dirname, '../fixtures/ingest');
const ID = 'ingest-types-test';
const alias = ctx.names.recordsAlias(ID);

async function load(keepPrevious = false) {
  return loadDataset({
    client: ctx.client,
    names: ctx.names,
    datasetId: ID,
    source: { path: join(FIX, 'all-types.ndjson') },
    descriptor: await readDescriptorFile(join(FIX, 'all-types.json')),
    keepPrevious,
  });
}

async function docs(): Promise<Map<string, { _id: string; _source: Record<string, any> }>> {
  const res = await ctx.client.search({ index: alias, body: { size: 100, sort: [{ recordid: 'asc' }] } as never });
  const hits = (res.body as any).hits.hits as { _id: string; _source: Record<string, any> }[];
  return new Map(hits.map((h) => [h._source.fields.code as string, h]));
}

beforeAll(async () => {
  await deleteDataset(ctx.client, ctx.names, ID);
});
afterAll(async () => {
  await deleteDataset(ctx.client, ctx.names, ID);
  await closeTestContext();
});

describe('when a file with every field type is loaded', () => {
  it('then each document reads back in the stored layout', async () => {
    const r = await load();
    expect(r.rowsLoaded).toBe(4);
    expect(r.rowsRejected).toBe(0);
    const byCode = await docs();
    const a = byCode.get('A');
    expect(a?._id).toBe(sha1Hex(canonicalJson({ code: 'A' })));
    expect(a?._source).toEqual({
      recordid: a?._id,
      record_timestamp: r.loadTime,
      fields: {
        code: 'A',
        name: 'Étoile du Nord',
        tags: ['rouge', 'vert'],
        category: 'Food/Bread/Rye',
        count: 12,
        ratio: 0.25,
        day: '2020-02-29',
        at: '2020-06-01T12:30:00+02:00',
        position: { lat: 48.8566, lon: 2.3522 },
        shape: { type: 'Polygon', coordinates: [[[2, 48], [3, 48], [3, 49], [2, 49], [2, 48]]] },
        photo: { id: '0123abcd', filename: 'photo.jpg', mimetype: 'image/jpeg', format: 'JPEG', width: 10, height: 20 },
      },
      __paths: { category: ['Food', 'Food/Bread', 'Food/Bread/Rye'] },
      __geo_type: { shape: 'polygon' },
      // the shape's key (first 64 bits of the SHA-1 of its JSON) and its perimeter in degrees (1+1+1+1)
      __geo_digest: { shape: sha1Hex(JSON.stringify({ type: 'Polygon', coordinates: [[[2, 48], [3, 48], [3, 49], [2, 49], [2, 48]]] })).slice(0, 16) },
      __geo_length: { shape: 4 },
    });
    expect(byCode.get('B')?._source.fields).toEqual({
      code: 'B',
      name: "L'Hôpital",
      tags: ['bleu'],
      category: 'Food/Meat',
      count: -3,
      ratio: 1000,
      day: '1998-06-12',
      at: '2018-02-07T02:26:13.840+01:00', // epoch millis, shown in the dataset time zone (Europe/Paris)
      position: { lat: 45.75, lon: 4.85 },
      shape: { type: 'MultiLineString', coordinates: [[[4, 45], [5, 46]], [[5, 46], [6, 46]]] },
    });
    expect(byCode.get('B')?._source.__geo_type).toEqual({ shape: 'multilinestring' });
    expect(byCode.get('C')?._source.fields).toEqual({ code: 'C', name: 'Sans forme', day: '2012-01-31', at: '2012-01-31T23:59:59+01:00', position: { lat: -33.86, lon: 151.21 } });
    // a shape without a point: the point is the shape's centroid
    expect(byCode.get('D')?._source.fields.position).toEqual({ lat: 40.78, lon: -73.97 });
  });

  it('then the index has the generated mapping and the values are searchable as their types', async () => {
    const [index] = await aliasTargets(ctx.client, alias);
    const m = (await ctx.client.indices.getMapping({ index: index as string })).body as Record<string, any>;
    const props = m[index as string].mappings.properties;
    expect(m[index as string].mappings.dynamic).toBe('strict');
    expect(props.fields.properties.shape).toEqual({ type: 'geo_shape' });
    expect(props.fields.properties.position).toEqual({ type: 'geo_point' });
    expect(props.fields.properties.photo).toEqual({ dynamic: 'false', properties: { id: { type: 'keyword' } } }); // file ids indexed
    expect(props.__paths.properties.category).toEqual({ type: 'keyword' });
    const count = async (query: Record<string, unknown>) => ((await ctx.client.count({ index: alias, body: { query } as never })).body as { count: number }).count;
    expect(await count({ range: { 'fields.day': { gte: '2020-01-01' } } })).toBe(1);
    expect(await count({ range: { 'fields.at': { gte: '2018-02-07T01:26:13Z', lte: '2018-02-07T01:26:14Z' } } })).toBe(1);
    expect(await count({ geo_distance: { distance: '10km', 'fields.position': { lat: 45.76, lon: 4.84 } } })).toBe(1);
    expect(await count({ term: { '__paths.category': 'Food' } })).toBe(2);
    expect(await count({ term: { '__geo_type.shape': 'point' } })).toBe(1);
    expect(await count({ term: { 'fields.tags.keyword': 'vert' } })).toBe(1);
    expect(await count({ term: { 'fields.name.lower': 'l\'hopital' } })).toBe(1);
    expect(await count({ match: { __all: 'hopital' } })).toBe(1); // elision + asciifolding: L'Hôpital
  });

  it('then loading the same file again gives the same records and drops the old version', async () => {
    const before = [...(await docs()).values()].map((h) => h._id).sort();
    const [first] = await aliasTargets(ctx.client, alias);
    const r = await load();
    const after = [...(await docs()).values()].map((h) => h._id).sort();
    expect(after).toEqual(before);
    expect(r.previousIndices).toEqual([first]);
    expect(r.deletedIndices).toEqual([first]);
    expect((await listVersionIndices(ctx.client, ctx.names, ID)).map((v) => v.index)).toEqual([r.index]);
    const cat = await getCatalogDoc(ctx.client, ctx.names, ID);
    expect(cat?.ingest?.index).toBe(r.index);
    expect(cat?.dataset.metas.records_count).toBe(4);
  });

  it('then --keep-previous keeps the index the alias pointed to', async () => {
    const [previous] = await aliasTargets(ctx.client, alias);
    const r = await load(true);
    expect(r.deletedIndices).toEqual([]);
    expect((await listVersionIndices(ctx.client, ctx.names, ID)).map((v) => v.index)).toEqual([previous, r.index]);
    const next = await load();
    expect(next.deletedIndices).toEqual([previous, r.index]);
  });
});
