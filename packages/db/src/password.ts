/**
 * Password hashing with scrypt (node:crypto). The hash string carries its own parameters so they can be raised later
 * without invalidating stored hashes:  scrypt$N=131072,r=8,p=1$<salt base64url>$<key base64url>
 *
 * The cost is a parameter, never read from the environment: production code takes PASSWORD_POLICY (N = 2^17,
 * ~128 MiB and a fraction of a second per hash), and only test fixtures, which hash and verify hundreds of passwords,
 * pass a cheaper policy explicitly.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const PREFIX = 'scrypt';
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
/** hard limits when reading a stored hash, so a forged hash string cannot make verification arbitrarily expensive */
const MAX = { N: 1 << 20, r: 32, p: 16, keyLength: 128 } as const;

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(password.normalize('NFC'), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

// scrypt needs 128·N·r bytes; node's default maxmem (32 MiB) refuses N = 2^17, so allow twice the need
const maxmemFor = (N: number, r: number) => 128 * N * r * 2;

/** scrypt cost parameters: N (CPU/memory cost, a power of two), r (block size), p (parallelism). */
export interface PasswordPolicy {
  N: number;
  r: number;
  p: number;
}

/** What new hashes use, and what a stored hash is re-hashed up to at its next successful sign-in. */
export const PASSWORD_POLICY: Readonly<PasswordPolicy> = Object.freeze({ N: 1 << 17, r: 8, p: 1 });

export async function hashPassword(password: string, policy: Partial<PasswordPolicy> = PASSWORD_POLICY): Promise<string> {
  const N = policy.N ?? PASSWORD_POLICY.N;
  const r = policy.r ?? PASSWORD_POLICY.r;
  const p = policy.p ?? PASSWORD_POLICY.p;
  const salt = randomBytes(SALT_LENGTH);
  const key = await scrypt(password, salt, KEY_LENGTH, { N, r, p, maxmem: maxmemFor(N, r) });
  return `${PREFIX}$N=${N},r=${r},p=${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

interface Parsed {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function parse(stored: string): Parsed | null {
  const parts = stored.split('$');
  if (parts.length !== 4 || parts[0] !== PREFIX) return null;
  const params = new Map<string, number>();
  for (const kv of (parts[1] ?? '').split(',')) {
    const [k, v] = kv.split('=');
    if (!k || !v || !/^\d+$/.test(v)) return null;
    params.set(k, Number(v));
  }
  const N = params.get('N');
  const r = params.get('r');
  const p = params.get('p');
  if (!N || !r || !p) return null;
  if (N > MAX.N || (N & (N - 1)) !== 0 || N < 2 || r > MAX.r || p > MAX.p) return null;
  const salt = Buffer.from(parts[2] ?? '', 'base64url');
  const key = Buffer.from(parts[3] ?? '', 'base64url');
  if (salt.length === 0 || key.length === 0 || key.length > MAX.keyLength) return null;
  return { N, r, p, salt, key };
}

/** Constant-time comparison; false for a malformed hash string (never throws for bad input). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const { N, r, p, salt, key } = parsed;
  const candidate = await scrypt(password, salt, key.length, { N, r, p, maxmem: maxmemFor(N, r) });
  return candidate.length === key.length && timingSafeEqual(candidate, key);
}

/**
 * True when a stored hash is weaker than the target policy (re-hash it at the next successful sign-in, when the
 * password is at hand). A hash stronger than the target is left alone.
 */
export function needsRehash(stored: string, target: Readonly<PasswordPolicy> = PASSWORD_POLICY): boolean {
  const parsed = parse(stored);
  return !parsed || parsed.N < target.N || parsed.r < target.r || parsed.p < target.p || parsed.key.length < KEY_LENGTH;
}
