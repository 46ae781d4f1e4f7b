import { randomFillSync } from 'node:crypto';

/** Bytes drawn from the system's CSPRNG at a time; each byte is handed out once. */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let used = 0;

/**
 * A random token of `bytes` bytes (card and turn ids, eTags), cut from a pooled buffer of
 * cryptographically strong bytes: a `randomBytes` call per token costs a call into OpenSSL each
 * (≈ 15 µs on a busy machine, two or three per turn), the pool one per few hundred tokens.
 */
export function randomToken(bytes: number, encoding: 'hex' | 'base64url'): string {
  if (used + bytes > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(Math.max(POOL_BYTES, bytes)));
    used = 0;
  }
  const token = pool.toString(encoding, used, used + bytes);
  used += bytes;
  return token;
}
