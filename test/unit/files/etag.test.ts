import { fileEtag, noneMatchHit } from '../../../src/files/etag';

describe('ETag and If-None-Match', () => {
  const id = 'a'.repeat(64);
  it('tags a file by its hash and a thumbnail by hash and size', () => {
    expect(fileEtag(id)).toBe(`"${id}"`);
    expect(fileEtag(id, 300)).toBe(`"${id}-300"`);
  });

  it.each([
    [undefined, false],
    ['', false],
    [`"${id}"`, true],
    [`W/"${id}"`, true],
    [`"other", "${id}"`, true],
    ['"other"', false],
    ['*', true],
    [`"${id}-300"`, false],
  ])('If-None-Match %j → %s', (header, hit) => {
    expect(noneMatchHit(header, fileEtag(id))).toBe(hit);
  });
});
