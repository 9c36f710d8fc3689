import { createRoute, z } from '@hono/zod-openapi';
import { hashPassword, needsRehash, verifyPassword } from '@kinerja/db';
import { text } from '@kinerja/domain';
import type { ResolvedDeps } from '../env.js';
import { countWrongPassword, issueSession } from '../auth/sessions.js';
import { hashToken, revokeSessions } from '../auth/tokens.js';
import { ProblemError } from '../problem.js';
import { limitPerClient, TokenBuckets } from '../ratelimit.js';
import { bearer, jsonBody, newRouter, ok, ProblemSchema, publicProblems, problems } from '../router.js';

const LoginInput = z
  .object({
    username: text({ min: 1, max: 100 }).openapi({ description: 'NIP (18 digits) or an admin username', example: '199001012015031001' }),
    password: text({ min: 1, max: 200, trim: false }),
  })
  .strict()
  .openapi('LoginInput');

const RefreshInput = z
  .object({ refreshToken: text({ min: 10, max: 200, trim: false }) })
  .strict()
  .openapi('RefreshInput');

const TokenPair = z
  .object({
    tokenType: z.literal('Bearer'),
    accessToken: z.string(),
    expiresIn: z.number().int(),
    refreshToken: z.string(),
    refreshExpiresAt: z.string(),
  })
  .openapi('TokenPair');

const loginRoute = createRoute({
  method: 'post',
  path: '/auth/login',
  tags: ['auth'],
  summary: 'Sign in with NIP/username and password',
  request: jsonBody(LoginInput),
  responses: {
    200: ok(TokenPair),
    ...publicProblems,
    401: problems[401],
    429: {
      description: 'Account locked (too many failed attempts), or too many sign-in attempts from this client (RATE_LIMITED)',
      content: { 'application/problem+json': { schema: ProblemSchema } },
    },
  },
});

const refreshRoute = createRoute({
  method: 'post',
  path: '/auth/refresh',
  tags: ['auth'],
  summary: "Rotate a refresh token (reuse of a used token revokes all of the user's sessions)",
  request: jsonBody(RefreshInput),
  responses: { 200: ok(TokenPair), ...publicProblems, 401: problems[401] },
});

const logoutRoute = createRoute({
  method: 'post',
  path: '/auth/logout',
  tags: ['auth'],
  summary: 'Revoke a refresh token',
  request: jsonBody(RefreshInput),
  responses: { 204: { description: 'Revoked' }, ...publicProblems },
});

const logoutAllRoute = createRoute({
  method: 'post',
  path: '/me/logout-all',
  tags: ['auth'],
  summary: 'Sign out everywhere: revoke every refresh token and every access token issued so far',
  security: bearer,
  responses: { 204: { description: 'Every session of the caller is revoked' }, 401: problems[401] },
});

export function authRoutes(deps: ResolvedDeps) {
  const { prisma, config } = deps;
  // verifying against a real hash for unknown users keeps failures constant-time-ish (no user enumeration by timing)
  let dummyHash: Promise<string> | undefined;
  const dummy = () => (dummyHash ??= hashPassword('kinerja-dummy-password-never-matches', deps.passwordPolicy));

  const revokeAll = (userId: string, now: Date) => prisma.$transaction((tx) => revokeSessions(tx, userId, now));

  const issue = (userId: string, tokensValidAfter: Date | null) => issueSession(deps, userId, tokensValidAfter);

  // per client address, before validation and before any password is checked: attempts refused here never count
  // against (or lock) the account they name
  const loginBuckets = new TokenBuckets(config.loginRateBurst, config.loginRatePerMinute);
  const router = newRouter();
  router.on('POST', '/auth/login', limitPerClient(loginBuckets, config.trustedProxies, deps.now));

  return router
    .openapi(loginRoute, async (c) => {
      const { username, password } = c.req.valid('json');
      const now = deps.now();
      const user = await prisma.user.findUnique({
        where: { username },
        select: { id: true, passwordHash: true, lockedUntil: true, tokensValidAfter: true, employee: { select: { status: true } } },
      });
      // a departed employee's account is closed: answered like a wrong password, so it tells nobody who left
      if (!user || user.employee?.status === 'LEFT') {
        await verifyPassword(password, user?.passwordHash ?? (await dummy()));
        throw new ProblemError('INVALID_CREDENTIALS');
      }
      if (user.lockedUntil && user.lockedUntil.getTime() > now.getTime()) {
        const retry = Math.ceil((user.lockedUntil.getTime() - now.getTime()) / 1000);
        throw new ProblemError('ACCOUNT_LOCKED', { headers: { 'retry-after': String(retry) } });
      }
      if (!(await verifyPassword(password, user.passwordHash))) {
        await countWrongPassword(deps, user.id, now);
        throw new ProblemError('INVALID_CREDENTIALS');
      }
      // the password is at hand only now: a hash made under weaker parameters is replaced by one under today's
      // policy, written with the sign-in bookkeeping, and only if nobody changed the password since it was read
      const policy = deps.passwordPolicy;
      const rehashed = needsRehash(user.passwordHash, policy) ? await hashPassword(password, policy) : null;
      await prisma.$transaction([
        prisma.user.update({ where: { id: user.id }, data: { failedLogins: 0, lockedUntil: null } }),
        ...(rehashed ? [prisma.user.updateMany({ where: { id: user.id, passwordHash: user.passwordHash }, data: { passwordHash: rehashed } })] : []),
      ]);
      return c.json(await issue(user.id, user.tokensValidAfter), 200);
    })
    .openapi(refreshRoute, async (c) => {
      const { refreshToken } = c.req.valid('json');
      const now = deps.now();
      const row = await prisma.refreshToken.findUnique({
        where: { tokenHash: hashToken(refreshToken) },
        include: { user: { select: { tokensValidAfter: true } } },
      });
      if (!row) throw new ProblemError('UNAUTHENTICATED');
      if (row.revokedAt) {
        // reuse of a rotated/revoked token: someone holds a stolen copy; end every session of the user, access
        // tokens included
        await revokeAll(row.userId, now);
        throw new ProblemError('UNAUTHENTICATED');
      }
      if (row.expiresAt.getTime() <= now.getTime()) throw new ProblemError('TOKEN_EXPIRED');
      const claimed = await prisma.refreshToken.updateMany({ where: { id: row.id, revokedAt: null }, data: { revokedAt: now } });
      if (claimed.count !== 1) {
        await revokeAll(row.userId, now);
        throw new ProblemError('UNAUTHENTICATED');
      }
      return c.json(await issue(row.userId, row.user.tokensValidAfter), 200);
    })
    .openapi(logoutRoute, async (c) => {
      const { refreshToken } = c.req.valid('json');
      await prisma.refreshToken.updateMany({ where: { tokenHash: hashToken(refreshToken), revokedAt: null }, data: { revokedAt: deps.now() } });
      return c.body(null, 204);
    })
    .openapi(logoutAllRoute, async (c) => {
      await revokeAll(c.get('user').userId, deps.now());
      return c.body(null, 204);
    });
}
