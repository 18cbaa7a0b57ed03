import { hashPassword, matchesSha256, randomHex, randomToken, safeEqual, sha256, verifyPassword } from '../../../src/auth/secrets';

describe('secrets', () => {
  it('makes 30-character alphanumeric tokens and 40-hex keys, all different', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => randomToken(30)));
    expect(tokens.size).toBe(1000);
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9]{30}$/);
    expect(randomHex(20)).toMatch(/^[0-9a-f]{40}$/);
  });

  it('stores high-entropy secrets as sha256 and compares them in constant time', () => {
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(matchesSha256('abc', sha256('abc'))).toBe(true);
    expect(matchesSha256('abd', sha256('abc'))).toBe(false);
    expect(safeEqual('a', 'a')).toBe(true);
    expect(safeEqual('a', 'ab')).toBe(false);
    expect(safeEqual('é', 'e')).toBe(false);
  });

  it('hashes passwords with scrypt and a random salt, recording the parameters', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct horsf', a)).toBe(false);
    expect(await verifyPassword('anything', undefined)).toBe(false);
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
  });
});
