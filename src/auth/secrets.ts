/**
 * Secrets: generating them, hashing them for storage, and comparing them without timing leaks.
 *
 * - API keys, OAuth2 client secrets, codes and tokens are high-entropy random strings, so a plain
 *   sha256 is enough to store them (no brute force can walk 2^160 keys; a slow hash would only cost
 *   CPU on every request).
 * - Passwords are low-entropy: they get scrypt with a per-password random salt.
 * - Every comparison of secret material goes through `safeEqual` (crypto.timingSafeEqual).
 */
import { createHash, randomBytes, randomInt, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A random string of `length` characters from [A-Za-z0-9] (v1 codes and tokens are 30 characters:
 * 30 × log2(62) ≈ 178 bits).
 */
export function randomToken(length = 30): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}

/** A random lower-case hex string of `bytes` bytes (API keys: 20 bytes → 40 hex characters, 160 bits). */
export function randomHex(bytes = 20): string {
  return randomBytes(bytes).toString('hex');
}

/** sha256 in hex: how high-entropy secrets are stored and looked up. */
export function sha256(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time equality of two strings (false when lengths differ, without early exit on content). */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  if (ab.length !== bb.length) {
    // Compare against itself so the time does not depend on where the strings differ.
    timingSafeEqual(ab, ab);
    return false;
  }
  return timingSafeEqual(ab, bb);
}

/** Constant-time check of a high-entropy secret against its stored sha256. */
export function matchesSha256(secret: string, storedHash: string): boolean {
  return safeEqual(sha256(secret), storedHash);
}

// scrypt N=2^15, r=8, p=1: about 32 MiB and a few tens of ms per check. That is below OWASP's
// 2^17 (128 MiB per login would let a burst of logins exhaust the gateway's memory); the parameters
// are written into each hash, so they can be raised later without invalidating stored passwords.
const SCRYPT = { N: 1 << 15, r: 8, p: 1, keylen: 32 };

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(password, salt, keylen, { ...options, maxmem: 128 * options.N! * options.r! * 2 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** `scrypt$N$r$p$<salt b64>$<hash b64>` */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** A hash of a password nobody knows: verifying an unknown user costs as much as a known one. */
let dummyHash: Promise<string> | undefined;

/**
 * Checks a password against a stored hash in constant time. With no stored hash (unknown user, user
 * without a password), a dummy hash is checked anyway so the answer takes the same time.
 */
export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  const target = stored ?? (await (dummyHash ??= hashPassword(randomHex(16))));
  const parts = target.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(key, expected) && stored !== undefined;
}
