/**
 * Tokens. Access: a short-lived HS256 JWT (hono/jwt) carrying only the user id. Refresh: an opaque random string,
 * stored as its SHA-256 hash in RefreshToken, rotated on every use. Access tokens are revoked per user through
 * `User.tokensValidAfter` (sign out everywhere, refresh-token theft, departure, lockout), checked to the millisecond on
 * every request with the user row.
 *
 * OIDC plug-in point: `verifyAccessToken` is the only place that turns a bearer token into a user id. A region
 * that signs its staff in through an OpenID Connect provider (e.g. a provincial SSO) replaces it with
 * `verifyWithJwks(token, { jwks_uri })` from hono/jwt, checks `iss`/`aud`, and maps the NIP claim to
 * `User.username` (`prisma.user.findUnique({ where: { username: claims.nip } })`). Everything after that
 * (roles derived from data, policy, audit) is unchanged; /auth/login and /auth/refresh simply stay unused.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { sign } from 'hono/jwt';
import type { Prisma } from '@kinerja/db';
import { ProblemError } from '../problem.js';

export interface AccessClaims {
  sub: string;
  typ: 'access';
  iat: number;
  /** the issue time in milliseconds: revocation (User.tokensValidAfter) is compared to the millisecond */
  iat_ms: number;
  exp: number;
  jti: string;
}

/**
 * `now` is the issue time; it must lie after the user's `tokensValidAfter` (see `issueTimeAfter`), or the new token
 * would be born revoked.
 */
export async function signAccessToken(userId: string, secret: string, ttlSeconds: number, now: Date): Promise<string> {
  const ms = now.getTime();
  const iat = Math.floor(ms / 1000);
  const claims: AccessClaims = { sub: userId, typ: 'access', iat, iat_ms: ms, exp: iat + ttlSeconds, jti: randomBytes(9).toString('base64url') };
  return sign({ ...claims }, secret, 'HS256');
}

/**
 * The payload of an HS256 JWT whose signature `secret` made, else undefined. Checked with Node's HMAC on the calling
 * thread: every authenticated request verifies one, and importing the key into WebCrypto for each (what hono/jwt's
 * `verify` does) cost about a tenth of a simple read's CPU.
 */
function verifiedPayload(token: string, secret: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [header, payload, signature] = parts as [string, string, string];
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const h = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown };
    if (h.alg !== 'HS256') return undefined;
    const p: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return p !== null && typeof p === 'object' && !Array.isArray(p) ? (p as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Returns the user id and issue time (epoch milliseconds) of a valid access token; throws a 401 problem otherwise. */
// async: an OIDC verifier (see above) fetches keys
// eslint-disable-next-line @typescript-eslint/require-await
export async function verifyAccessToken(token: string, secret: string, now: Date): Promise<{ userId: string; issuedAtMs: number }> {
  const payload = verifiedPayload(token, secret);
  if (!payload) throw new ProblemError('UNAUTHENTICATED');
  if (payload.typ !== 'access' || typeof payload.sub !== 'string' || typeof payload.exp !== 'number' || typeof payload.iat !== 'number') {
    throw new ProblemError('UNAUTHENTICATED');
  }
  // expiry checked against the injected clock so tests can move time
  if (payload.exp * 1000 <= now.getTime()) throw new ProblemError('TOKEN_EXPIRED');
  // a token without iat_ms counts as issued at the start of its second: within that second a
  // revocation then errs on the side of ending it
  const issuedAtMs = typeof payload.iat_ms === 'number' && Math.floor(payload.iat_ms / 1000) === payload.iat ? payload.iat_ms : payload.iat * 1000;
  return { userId: payload.sub, issuedAtMs };
}

/**
 * Whether an access token issued at `issuedAtMs` was revoked by `tokensValidAfter` (sign out everywhere, refresh-token
 * theft, departure, lockout): every token issued at or before that millisecond is refused.
 */
export const revokedBy = (tokensValidAfter: Date | null, issuedAtMs: number) => tokensValidAfter !== null && issuedAtMs <= tokensValidAfter.getTime();

/** The issue time for a new token: now, or just after a revocation recorded in this very millisecond. */
export const issueTimeAfter = (tokensValidAfter: Date | null, now: Date) =>
  tokensValidAfter !== null && tokensValidAfter.getTime() >= now.getTime() ? new Date(tokensValidAfter.getTime() + 1) : now;

export const newRefreshToken = () => randomBytes(32).toString('base64url');
export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * End every session of a user at `now`: the refresh tokens, and (through User.tokensValidAfter) every access token
 * issued so far. Inside the caller's transaction, so it commits with whatever ended the access (a departure, a lockout).
 */
export async function revokeSessions(tx: Prisma.TransactionClient, userId: string, now: Date): Promise<void> {
  await tx.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
  await tx.user.update({ where: { id: userId }, data: { tokensValidAfter: now } });
}
