/** The access token's check, alone: what it accepts and the forgeries it refuses. */
import { expect, it } from 'vitest';
import { signAccessToken, verifyAccessToken } from '../src/auth/tokens.js';

const SECRET = 'token-secret-0123456789-abcdefghijklmnop';
const NOW = new Date('2026-03-02T03:04:05.678Z');
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const code = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: { code?: string }) => e.code,
  );

it('accepts its own token and returns the user and the issue millisecond', async () => {
  const token = await signAccessToken('user-1', SECRET, 900, NOW);
  expect(await verifyAccessToken(token, SECRET, NOW)).toEqual({ userId: 'user-1', issuedAtMs: NOW.getTime() });
});

it('refuses another secret, a changed payload, alg none, a malformed token; an expired one is TOKEN_EXPIRED', async () => {
  const token = await signAccessToken('user-1', SECRET, 900, NOW);
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  expect(await code(verifyAccessToken(token, `${SECRET}x`, NOW))).toBe('UNAUTHENTICATED');
  expect(await code(verifyAccessToken(`${header}.${b64({ ...claims, sub: 'admin' })}.${signature}`, SECRET, NOW))).toBe('UNAUTHENTICATED');
  expect(await code(verifyAccessToken(`${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`, SECRET, NOW))).toBe('UNAUTHENTICATED');
  for (const bad of ['', 'a.b', 'a.b.c.d', `${header}.${payload}.${signature.slice(1)}`])
    expect(await code(verifyAccessToken(bad, SECRET, NOW)), bad).toBe('UNAUTHENTICATED');
  expect(await code(verifyAccessToken(token, SECRET, new Date(NOW.getTime() + 900_000)))).toBe('TOKEN_EXPIRED');
});
