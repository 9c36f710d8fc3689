import type { MiddlewareHandler } from 'hono';
import type { AppEnv, AuthUser, ResolvedDeps } from '../env.js';
import { ProblemError } from '../problem.js';
import { revokedBy, verifyAccessToken } from './tokens.js';

interface CallerRow {
  id: string;
  username: string;
  displayName: string;
  employeeId: string | null;
  regionId: string | null;
  tokensValidAfter: Date | null;
  lockedUntil: Date | null;
  adminRegionIds: string[];
  actingFor: string[];
}

/** what requireAuth read with the caller, beside c.var.user (whose shape every route shares) */
const actingForByUser = new WeakMap<AuthUser, readonly string[]>();

/**
 * The employees the signed-in caller acts for now (active Plt/Plh delegations to them, the policy's
 * `isActiveDelegation` at the request's clock), read in requireAuth's one statement.
 */
export function actingForOf(user: AuthUser): readonly string[] {
  const ids = actingForByUser.get(user);
  if (!ids) throw new Error('actingForOf: the user was not signed in by requireAuth');
  return ids;
}

/**
 * Bearer token → c.var.user, re-read from the database on every request (so grants, deletion, revocation, lockout
 * and delegations apply at once), in one statement: the user, their admin grants and whom they act for now.
 */
export function requireAuth(deps: ResolvedDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!m) throw new ProblemError('UNAUTHENTICATED', { headers: { 'www-authenticate': 'Bearer' } });
    const now = deps.now();
    const { userId, issuedAtMs } = await verifyAccessToken(m[1]!, deps.config.jwtSecret, now);
    const [user] = await deps.prisma.$queryRaw<CallerRow[]>`
      SELECT u.id, u.username, u."displayName", u."employeeId", u."regionId", u."tokensValidAfter", u."lockedUntil",
        ARRAY(SELECT g."regionId" FROM "AdminGrant" g WHERE g."userId" = u.id ORDER BY g."createdAt", g."regionId") AS "adminRegionIds",
        ARRAY(
          SELECT DISTINCT d."fromEmployeeId" FROM "Delegation" d
          WHERE d."toEmployeeId" = u."employeeId" AND d."revokedAt" IS NULL AND d."startsAt" <= ${now} AND d."endsAt" > ${now}
          ORDER BY 1
        ) AS "actingFor"
      FROM "User" u WHERE u.id = ${userId}`;
    if (!user || revokedBy(user.tokensValidAfter, issuedAtMs)) throw new ProblemError('UNAUTHENTICATED');
    // a locked account is locked for every session, not only for new sign-ins
    if (user.lockedUntil && user.lockedUntil.getTime() > now.getTime()) throw new ProblemError('UNAUTHENTICATED');
    const caller: AuthUser = {
      userId: user.id,
      username: user.username,
      displayName: user.displayName,
      employeeId: user.employeeId,
      regionId: user.regionId,
      adminRegionIds: user.adminRegionIds,
    };
    actingForByUser.set(caller, user.actingFor);
    c.set('user', caller);
    await next();
  };
}
