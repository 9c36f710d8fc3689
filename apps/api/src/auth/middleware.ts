import type { MiddlewareHandler } from 'hono';
import type { AppEnv, ResolvedDeps } from '../env.js';
import { ProblemError } from '../problem.js';
import { revokedBy, verifyAccessToken } from './tokens.js';

/** Bearer token → c.var.user (re-read from the database each request, so grants, deletion, revocation and lockout apply at once). */
export function requireAuth(deps: ResolvedDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!m) throw new ProblemError('UNAUTHENTICATED', { headers: { 'www-authenticate': 'Bearer' } });
    const { userId, issuedAtMs } = await verifyAccessToken(m[1]!, deps.config.jwtSecret, deps.now());
    const user = await deps.prisma.user.findUnique({
      where: { id: userId },
      select: {
        id: true,
        username: true,
        displayName: true,
        employeeId: true,
        regionId: true,
        tokensValidAfter: true,
        lockedUntil: true,
        adminGrants: { select: { regionId: true } },
      },
    });
    if (!user || revokedBy(user.tokensValidAfter, issuedAtMs)) throw new ProblemError('UNAUTHENTICATED');
    // a locked account is locked for every session, not only for new sign-ins
    if (user.lockedUntil && user.lockedUntil.getTime() > deps.now().getTime()) throw new ProblemError('UNAUTHENTICATED');
    c.set('user', {
      userId: user.id,
      username: user.username,
      displayName: user.displayName,
      employeeId: user.employeeId,
      regionId: user.regionId,
      adminRegionIds: user.adminGrants.map((g) => g.regionId),
    });
    await next();
  };
}
