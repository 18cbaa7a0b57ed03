import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson, recordIdHasher, recordIdOf, sha1Hex } from '../../../src/ingest/record-id';

const NAMES = ['name', 'Zeta', 'a_b', 'été', 'geo_point_2d', 'x10', 'x9', ''];

describe('record ids', () => {
  it('sha1Hex is the SHA-1 of the UTF-8 bytes', () => {
    expect(sha1Hex('été')).toBe(createHash('sha1').update(Buffer.from('été', 'utf8')).digest('hex'));
  });

  it('canonicalJson sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, undefined], c: 'x' }, e: undefined })).toBe('{"a":{"c":"x","d":[1,null]},"b":1}');
  });

  it('recordIdHasher gives the ids of recordIdOf, with and without id fields', () => {
    const value = fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(undefined), fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.integer(), { maxKeys: 3 }));
    const fields = fc.dictionary(fc.constantFrom(...NAMES), value, { maxKeys: NAMES.length });
    const idFields = fc.subarray(NAMES);
    fc.assert(
      fc.property(fields, idFields, (f, ids) => {
        expect(recordIdHasher(NAMES, ids)(f)).toBe(recordIdOf(f, ids));
      }),
      { numRuns: 5_000 },
    );
  });
});
