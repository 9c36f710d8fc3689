import type { MiddlewareHandler } from 'hono';
import type { AppEnv, AuthUser, ResolvedDeps } from '../env.js';
import { delegatorsOf, type DelegationFacts } from '../policy.js';
import { ProblemError } from '../problem.js';
import { callerCache, invalidateCallers, loadCaller } from './callers.js';
import { revokedBy, verifyAccessToken } from './tokens.js';

/** what requireAuth read with the caller, beside c.var.user (whose shape every route shares) */
interface CallerExtras {
  actingFor: readonly string[];
  delegations: readonly DelegationFacts[];
}
const extrasByUser = new WeakMap<AuthUser, CallerExtras>();

function extrasOf(user: AuthUser, what: string): CallerExtras {
  const extras = extrasByUser.get(user);
  if (!extras) throw new Error(`${what}: the user was not signed in by requireAuth`);
  return extras;
}

/** The employees the signed-in caller acts for now (policy.delegatorsOf at the request's clock). */
export function actingForOf(user: AuthUser): readonly string[] {
  return extrasOf(user, 'actingForOf').actingFor;
}

/**
 * The delegations to the signed-in caller that are, or may become, active (not revoked, not over): the policy
 * (isActiveDelegation) decides at its own clock which of them count.
 */
export function delegationsOf(user: AuthUser): readonly DelegationFacts[] {
  return extrasOf(user, 'delegationsOf').delegations;
}

/**
 * Bearer token → c.var.user. The user, their admin grants and the delegations to them come from one statement, kept
 * for a moment per process (callers.ts: emptied by every change request here, CALLER_TTL_MS for other processes);
 * revocation, lockout and which delegations are active are decided on every request at its clock.
 */
export function requireAuth(deps: ResolvedDeps): MiddlewareHandler<AppEnv> {
  const callers = callerCache((userId, now) => loadCaller(deps.prisma, userId, now));
  return async (c, next) => {
    const header = c.req.header('authorization');
    const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!m) throw new ProblemError('UNAUTHENTICATED', { headers: { 'www-authenticate': 'Bearer' } });
    const now = deps.now();
    const { userId, issuedAtMs } = await verifyAccessToken(m[1]!, deps.config.jwtSecret, now);
    const user = await callers.get(userId, now);
    if (!user || revokedBy(user.tokensValidAfter, issuedAtMs)) throw new ProblemError('UNAUTHENTICATED');
    // a locked account is locked for every session, not only for new sign-ins
    if (user.lockedUntil && user.lockedUntil.getTime() > now.getTime()) throw new ProblemError('UNAUTHENTICATED');
    const caller: AuthUser = {
      userId: user.id,
      username: user.username,
      displayName: user.displayName,
      employeeId: user.employeeId,
      regionId: user.regionId,
      // a copy: a route may not change the cached facts of the next request
      adminRegionIds: [...user.adminRegionIds],
    };
    extrasByUser.set(caller, { actingFor: delegatorsOf(user.employeeId, user.delegations, now), delegations: user.delegations });
    c.set('user', caller);
    await next();
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * After a change request has been answered (its transaction committed, or it failed), the callers cached in this
 * process are forgotten: sign-out, a password change, a lockout, a departure, a delegation or an account changed by
 * it take effect on the very next request (callers.ts).
 */
export const invalidateCallersAfterChanges: MiddlewareHandler<AppEnv> = async (c, next) => {
  try {
    await next();
  } finally {
    if (!SAFE_METHODS.has(c.req.method)) invalidateCallers();
  }
};
