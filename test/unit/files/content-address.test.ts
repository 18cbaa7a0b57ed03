import { contentHash, isFileId, relativePathOf } from '../../../src/files/content-address';

describe('content addressing', () => {
  it('names a file by the sha256 of its bytes', () => {
    expect(contentHash(Buffer.from('hello'))).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    expect(contentHash(Buffer.from('hello'))).toBe(contentHash(Buffer.from('hello')));
    expect(contentHash(Buffer.from('hello!'))).not.toBe(contentHash(Buffer.from('hello')));
  });

  it('stores it at ab/cd/<hash>', () => {
    const h = contentHash(Buffer.from('hello'));
    expect(relativePathOf(h)).toBe(`2c/f2/${h}`);
  });

  it.each(['', '../etc/passwd', 'ABCDEF'.repeat(10) + 'ABCD', '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b982', 'g'.repeat(64), `${'a'.repeat(64)}/x`])(
    'never turns a non-id into a path: %j',
    (s) => {
      expect(isFileId(s)).toBe(false);
      expect(() => relativePathOf(s)).toThrow(/Not a file id/);
    },
  );
});
