/**
 * Password hashing with scrypt (node:crypto). The hash string carries its own parameters so they can be raised later
 * without invalidating stored hashes:  scrypt$N=16384,r=8,p=1$<salt base64url>$<key base64url>
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const PREFIX = 'scrypt';
const DEFAULTS = { N: 16384, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;
/** hard limits when reading a stored hash, so a forged hash string cannot make verification arbitrarily expensive */
const MAX = { N: 1 << 20, r: 32, p: 16, keyLength: 128 } as const;

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(password.normalize('NFC'), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

const maxmemFor = (N: number, r: number) => 128 * N * r * 2;

export interface HashOptions {
  N?: number;
  r?: number;
  p?: number;
}

export async function hashPassword(password: string, options: HashOptions = {}): Promise<string> {
  const N = options.N ?? DEFAULTS.N;
  const r = options.r ?? DEFAULTS.r;
  const p = options.p ?? DEFAULTS.p;
  const salt = randomBytes(DEFAULTS.saltLength);
  const key = await scrypt(password, salt, DEFAULTS.keyLength, { N, r, p, maxmem: maxmemFor(N, r) });
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

/** True when a stored hash uses weaker parameters than today's defaults (re-hash on next successful login). */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  return !parsed || parsed.N < DEFAULTS.N || parsed.r < DEFAULTS.r || parsed.key.length < DEFAULTS.keyLength;
}
