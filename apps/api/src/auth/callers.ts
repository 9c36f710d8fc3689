/**
 * What requireAuth needs to know of a bearer token's user on every request (the user row's sign-in facts, their
 * admin grants, the Plt/Plh delegations to them), read in one statement and kept for a moment per process: the hot
 * reads (GET /me, GET /me/tasks) otherwise spend a statement, a pool connection and the driver's round trip on it per
 * request, about half of what such a read costs.
 *
 * The cache must never let a change to who someone is or may be go unseen for long:
 *  - in this process, every change request (POST, PUT, PATCH, DELETE) empties every cache once it has been answered,
 *    that is after its transaction committed (invalidateCallers, wired in app.ts): sign-out, sign-out everywhere,
 *    a password change, a lockout by failed sign-ins, an employee's departure, a delegation created or revoked, an
 *    account created; a lookup that began before the invalidation is not kept, so it cannot put the old facts back;
 *  - a change made elsewhere (another API replica, the worker, a CLI, SQL by hand) is seen within CALLER_TTL_MS;
 *  - no decision that depends on the clock is cached, only the facts: token revocation (tokensValidAfter against the
 *    token's issue time), the lockout (lockedUntil against now) and which delegations are active now
 *    (policy.isActiveDelegation) are decided per request, at its clock; the lookup keeps every delegation not revoked
 *    and not over at its clock, so one that starts within the TTL is seen when it starts;
 *  - bounded: at most CALLER_CACHE_MAX users per cache, the oldest dropped first; an unknown user is never kept.
 * Emptying on every change request is coarse, but changes are rare beside reads, and a reader's next request
 * costs the statement it would cost without the cache.
 */
import type { PrismaClient } from '@kinerja/db';
import type { DelegationFacts } from '../policy.js';

/** how long another process's change may go unseen here */
export const CALLER_TTL_MS = 2_000;
/** users kept per cache: far more than sign in to one replica within the TTL */
export const CALLER_CACHE_MAX = 10_000;

export interface CallerFacts {
  id: string;
  username: string;
  displayName: string;
  employeeId: string | null;
  regionId: string | null;
  tokensValidAfter: Date | null;
  lockedUntil: Date | null;
  adminRegionIds: string[];
  /** delegations to the user's employee record, not revoked and not over when read: the policy decides which are active */
  delegations: DelegationFacts[];
}

interface CallerRow extends Omit<CallerFacts, 'delegations'> {
  delegations: { fromEmployeeId: string; startsAtMs: number; endsAtMs: number }[];
}

/** The one statement: the user, their grants, and the delegations that are or may become active. */
export async function loadCaller(prisma: PrismaClient, userId: string, now: Date): Promise<CallerFacts | undefined> {
  // epoch milliseconds, not timestamps in JSON: a timestamp without time zone in JSON would be read as local time
  const [row] = await prisma.$queryRaw<CallerRow[]>`
    SELECT u.id, u.username, u."displayName", u."employeeId", u."regionId", u."tokensValidAfter", u."lockedUntil",
      ARRAY(SELECT g."regionId" FROM "AdminGrant" g WHERE g."userId" = u.id ORDER BY g."createdAt", g."regionId") AS "adminRegionIds",
      COALESCE(
        (SELECT json_agg(json_build_object(
            'fromEmployeeId', d."fromEmployeeId",
            'startsAtMs', (extract(epoch FROM d."startsAt") * 1000)::float8,
            'endsAtMs', (extract(epoch FROM d."endsAt") * 1000)::float8
          ) ORDER BY d."startsAt", d.id)
         FROM "Delegation" d WHERE d."toEmployeeId" = u."employeeId" AND d."revokedAt" IS NULL AND d."endsAt" > ${now}),
        '[]'::json
      ) AS delegations
    FROM "User" u WHERE u.id = ${userId}`;
  if (!row) return undefined;
  const { delegations, ...user } = row;
  const to = user.employeeId;
  return {
    ...user,
    delegations: to
      ? delegations.map((d) => ({
          fromEmployeeId: d.fromEmployeeId,
          toEmployeeId: to,
          startsAt: new Date(d.startsAtMs),
          endsAt: new Date(d.endsAtMs),
          revokedAt: null,
        }))
      : [],
  };
}

/** bumped by every invalidation; each cache compares it with the one its entries were read under */
let epoch = 0;

/** Forget every caller of every cache in this process (after a change request has been answered). */
export function invalidateCallers(): void {
  epoch++;
}

interface Entry {
  facts: CallerFacts;
  /** performance.now() past which the entry is not used */
  expires: number;
  /** the request clock the lookup filtered delegations at: a clock set back (tests) reads again */
  readAt: number;
}

export interface CallerCache {
  /** the caller's facts, from the cache or read now; undefined: no such user */
  get(userId: string, now: Date): Promise<CallerFacts | undefined>;
}

export function callerCache(
  load: (userId: string, now: Date) => Promise<CallerFacts | undefined>,
  options: { ttlMs?: number; max?: number } = {},
): CallerCache {
  const ttlMs = options.ttlMs ?? CALLER_TTL_MS;
  const max = options.max ?? CALLER_CACHE_MAX;
  const entries = new Map<string, Entry>();
  // concurrent requests of one user share a lookup: a hundred at once after the TTL cost one statement
  const loading = new Map<string, Promise<CallerFacts | undefined>>();
  let entriesEpoch = epoch;

  return {
    get(userId, now) {
      if (entriesEpoch !== epoch) {
        entries.clear();
        loading.clear();
        entriesEpoch = epoch;
      }
      const hit = entries.get(userId);
      if (hit && hit.expires > performance.now() && hit.readAt <= now.getTime()) return Promise.resolve(hit.facts);
      const pending = loading.get(userId);
      if (pending) return pending;
      const startedIn = epoch;
      const done = () => {
        if (loading.get(userId) === promise) loading.delete(userId);
      };
      const promise = load(userId, now).then(
        (facts) => {
          done();
          // read before an invalidation: it may hold what the change replaced
          if (facts && startedIn === epoch) {
            entries.delete(userId);
            if (entries.size >= max) entries.delete(entries.keys().next().value!);
            entries.set(userId, { facts, expires: performance.now() + ttlMs, readAt: now.getTime() });
          }
          return facts;
        },
        (err: unknown) => {
          done();
          throw err;
        },
      );
      loading.set(userId, promise);
      return promise;
    },
  };
}
