/**
 * Tokens. Access: a short-lived HS256 JWT (hono/jwt) carrying only the user id. Refresh: an opaque random string,
 * stored as its SHA-256 hash in RefreshToken, rotated on every use. Access tokens are revoked per user through
 * `User.tokensValidAfter` (sign out everywhere, refresh-token theft), checked on every request with the user row.
 *
 * OIDC plug-in point: `verifyAccessToken` is the only place that turns a bearer token into a user id. A region
 * that signs its staff in through an OpenID Connect provider (e.g. a provincial SSO) replaces it with
 * `verifyWithJwks(token, { jwks_uri })` from hono/jwt, checks `iss`/`aud`, and maps the NIP claim to
 * `User.username` (`prisma.user.findUnique({ where: { username: claims.nip } })`). Everything after that
 * (roles derived from data, policy, audit) is unchanged; /auth/login and /auth/refresh simply stay unused.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sign, verify } from 'hono/jwt';
import { ProblemError } from '../problem.js';

export interface AccessClaims {
  sub: string;
  typ: 'access';
  iat: number;
  exp: number;
  jti: string;
}

export async function signAccessToken(userId: string, secret: string, ttlSeconds: number, now: Date): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  const claims: AccessClaims = { sub: userId, typ: 'access', iat, exp: iat + ttlSeconds, jti: randomBytes(9).toString('base64url') };
  return sign({ ...claims }, secret, 'HS256');
}

/** Returns the user id and issue time (epoch seconds) of a valid access token; throws a 401 problem otherwise. */
export async function verifyAccessToken(token: string, secret: string, now: Date): Promise<{ userId: string; issuedAt: number }> {
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
  return { userId: payload.sub, issuedAt: payload.iat };
}

/**
 * Whether an access token issued at `issuedAt` (epoch seconds) was revoked by `tokensValidAfter`. Tokens carry whole
 * seconds, so a token issued in the very second of the revocation is still accepted (a window under one second).
 */
export const revokedBy = (tokensValidAfter: Date | null, issuedAt: number) =>
  tokensValidAfter !== null && issuedAt < Math.floor(tokensValidAfter.getTime() / 1000);

export const newRefreshToken = () => randomBytes(32).toString('base64url');
export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
