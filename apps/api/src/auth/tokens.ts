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
import { createHash, randomBytes } from 'node:crypto';
import { sign, verify } from 'hono/jwt';
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

/** Returns the user id and issue time (epoch milliseconds) of a valid access token; throws a 401 problem otherwise. */
export async function verifyAccessToken(token: string, secret: string, now: Date): Promise<{ userId: string; issuedAtMs: number }> {
  let payload: Record<string, unknown>;
  try {
    payload = await verify(token, secret, { alg: 'HS256', exp: false, nbf: false, iat: false });
  } catch {
    throw new ProblemError('UNAUTHENTICATED');
  }
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
