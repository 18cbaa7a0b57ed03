import { JsonArraySplitter } from '../../../src/ingest/readers/json-splitter';

function split(text: string, chunkSize: number, key?: string): string[] {
  const s = new JsonArraySplitter(key);
  const out: string[] = [];
  for (let i = 0; i < text.length; i += chunkSize) out.push(...s.push(text.slice(i, i + chunkSize)).map((x) => x.text));
  s.end();
  return out;
}

const items = [{ a: 1, s: 'x,y]}{"\\' }, [1, [2, 3]], 'str"ing', 42, null, { nested: { deep: [{}, []] } }, { u: 'é ✓ \u2028' }];
const array = `\uFEFF [\n${items.map((x) => JSON.stringify(x)).join(' ,\n ')}\n] \n`;

describe('JsonArraySplitter', () => {
  it.each([1, 2, 3, 5, 7, 64, 100000])('splits a top-level array into its items (chunks of %i chars)', (size) => {
    expect(split(array, size).map((t) => JSON.parse(t) as unknown)).toEqual(items);
  });

  it('numbers the items from 1', () => {
    const s = new JsonArraySplitter();
    expect(s.push('[{"a":1},{"a":2}]').map((x) => x.index)).toEqual([1, 2]);
  });

  it.each([1, 3, 11, 1000])('finds the array under a key of the top-level object (chunks of %i)', (size) => {
    const fc = JSON.stringify({
      type: 'FeatureCollection',
      metadata: { features: 'not this one', list: [1, 2] },
      bbox: [0, 0, 1, 1],
      features: [{ type: 'Feature', properties: { name: 'a,[b]' }, geometry: null }, { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [1, 2] } }],
      after: [9],
    });
    const out = split(fc, size, 'features').map((t) => JSON.parse(t) as { properties: unknown });
    expect(out).toHaveLength(2);
    expect(out[0]?.properties).toEqual({ name: 'a,[b]' });
  });

  it('handles an empty array', () => {
    expect(split('[]', 1)).toEqual([]);
    expect(split('{"features":[]}', 4, 'features')).toEqual([]);
  });

  it.each([
    ['{"a":1}', undefined, 'expected a JSON array at the top level'],
    ['[{"a":1}', undefined, 'truncated JSON document'],
    ['', undefined, 'empty JSON document'],
    ['{"type":"x"}', 'features', 'no "features" array in the JSON document'],
    ['[1]', 'features', 'expected a JSON object with a "features" array'],
  ])('fails clearly on %j', (text, key, message) => {
    expect(() => split(text, 3, key)).toThrow(message);
  });
});
