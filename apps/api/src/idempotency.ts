/**
 * Idempotency-Key (draft-ietf-httpapi-idempotency-key-header) for every mutating route, per user + key:
 * - first request: a record is claimed "in progress" (status null) with a lease (`leaseUntil`, LEASE_MS ahead),
 *   renewed every RENEW_MS while the handler runs; the answer is stored with the lease cleared;
 * - same key, same request (method, path, body hash): the first answer is replayed (`Idempotency-Replayed: true`);
 * - same key, different request: 422 IDEMPOTENCY_KEY_REUSED;
 * - same key while the first attempt holds a live lease: 409 IDEMPOTENCY_IN_PROGRESS with Retry-After (the lease's
 *   remaining seconds);
 * - same key after the lease ran out (the first attempt died: kill -9, lost machine): the retry takes the key over
 *   with a compare-and-set on the lease it read, so of two concurrent retries exactly one runs, and runs the handler.
 *   An attempt that lost its key this way (it stalled past its lease) neither stores nor deletes the record.
 * Running the handler again is exactly-once for the workflow routes: `act()` (routes/evaluations.ts) sends the update
 * with `workflowUpdateId(c)`, derived from user, key and request, and Temporal answers a repeated update id with the
 * first update's outcome instead of applying it twice. The admin routes write the database in one transaction each,
 * so a retry after a crash finds the write either absent (and applies it once) or present (and answers as for any
 * repeated request: duplicate, conflict, or the same state again); a route whose write would be applied a second
 * time stores its answer in that same transaction with `recordAnswer`, and the retry replays it.
 * Answers that say "the request itself was bad" (400/401/413/415/422/429) and server errors are not stored, so
 * a corrected retry with the same key goes through. Records older than 24 h are replaced on use and deleted by the
 * worker's maintenance schedule (`deleteExpiredIdempotencyRecords`).
 */
import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { Prisma, PrismaClient } from '@kinerja/db';
import { IDEMPOTENCY_TTL_MS } from '@kinerja/workflows';
import type { AppEnv, ResolvedDeps } from './env.js';
import { ProblemError } from './problem.js';

const NOT_STORED = new Set([400, 401, 413, 415, 422, 429]);
/** how long an answer is replayed; the worker's maintenance schedule deletes older records */
export const TTL_MS = IDEMPOTENCY_TTL_MS;
/** how long an attempt holds its key without renewing: a retry waits at most this long after a crash */
export const LEASE_MS = 15_000;
/** renewal period while the handler runs (well inside the lease, so a busy event loop does not lose the key) */
export const RENEW_MS = 5_000;

interface Stored {
  contentType: string | null;
  body: unknown;
  text?: string;
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'P2002';
}

const updateIds = new WeakMap<Context, string>();
/** the claim held by a request with a key, for `recordAnswer` */
const held = new WeakMap<Context, { claim: Claim; stopRenewing: () => Promise<void> }>();

/**
 * The Temporal update id for this request when it carries an Idempotency-Key: the same for every retry of the same
 * request by the same user with the same key, different for another user, key or body. Undefined without a key.
 */
export function workflowUpdateId(c: Context<AppEnv>): string | undefined {
  return updateIds.get(c);
}

/**
 * Stores this request's answer inside the route's own transaction, so that the write and the answer commit together:
 * a crash before the commit leaves neither (the retry runs once), after it both (the retry gets this answer). For
 * routes whose write is not idempotent by itself (it would create a second row if run again). If another attempt
 * took the key over meanwhile, it throws IDEMPOTENCY_IN_PROGRESS and the transaction rolls back: only the owner of
 * the key may commit the effect. Without an Idempotency-Key it does nothing. `body` is what the route answers with
 * `c.json(body, status)`.
 */
export async function recordAnswer(tx: Prisma.TransactionClient, c: Context<AppEnv>, status: number, body: unknown): Promise<void> {
  const h = held.get(c);
  if (!h) return;
  // no renewal may move the lease between here and the commit: the update below compares against it
  await h.stopRenewing();
  const stored: Stored = { contentType: 'application/json', body: body ?? null };
  const r = await tx.idempotencyRecord.updateMany({
    where: { id: h.claim.id, status: null, leaseUntil: h.claim.lease },
    data: { status, responseBody: JSON.parse(JSON.stringify(stored)) as Prisma.InputJsonValue, leaseUntil: null },
  });
  if (r.count !== 1) throw new ProblemError('IDEMPOTENCY_IN_PROGRESS', { headers: { 'retry-after': '1' } });
}

/** The owned claim on a record: `lease` is the value this attempt last wrote (the compare-and-set token). */
export interface Claim {
  id: string;
  lease: Date;
}

export interface KeyRequest {
  userId: string;
  key: string;
  method: string;
  path: string;
  requestHash: string;
}

export type ClaimOutcome =
  | { kind: 'claimed'; claim: Claim }
  | { kind: 'answered'; status: number; responseBody: Prisma.JsonValue }
  | { kind: 'busy'; retryAfter: number }
  | { kind: 'reused' };

const leaseFrom = (now: Date) => new Date(now.getTime() + LEASE_MS);

/**
 * Claims the key for this attempt: a new record, or the record of an attempt whose lease ran out (compare-and-set
 * on the lease value read, so concurrent retries cannot both take it). Otherwise: the stored answer, busy (a live
 * lease, with the seconds it has left) or reused (another request under this key).
 */
export async function claimKey(prisma: PrismaClient, clock: () => Date, req: KeyRequest): Promise<ClaimOutcome> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const now = clock();
    try {
      const lease = leaseFrom(now);
      const rec = await prisma.idempotencyRecord.create({ data: { ...req, leaseUntil: lease }, select: { id: true } });
      return { kind: 'claimed', claim: { id: rec.id, lease } };
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const existing = await prisma.idempotencyRecord.findUnique({ where: { userId_key: { userId: req.userId, key: req.key } } });
      if (!existing) continue; // deleted meanwhile: try again
      if (existing.createdAt.getTime() < now.getTime() - TTL_MS) {
        await prisma.idempotencyRecord.deleteMany({ where: { id: existing.id } });
        continue;
      }
      if (existing.requestHash !== req.requestHash) return { kind: 'reused' };
      if (existing.status !== null) return { kind: 'answered', status: existing.status, responseBody: existing.responseBody };
      // in progress: a record without a lease (written before leases were kept) holds the key for LEASE_MS from createdAt
      const leaseEnd = (existing.leaseUntil ?? leaseFrom(existing.createdAt)).getTime();
      if (leaseEnd > now.getTime()) return { kind: 'busy', retryAfter: Math.max(1, Math.ceil((leaseEnd - now.getTime()) / 1000)) };
      // the attempt holding the key died: take it over only if nobody else did since we read it
      const lease = leaseFrom(now);
      const taken = await prisma.idempotencyRecord.updateMany({
        where: { id: existing.id, status: null, leaseUntil: existing.leaseUntil },
        data: { leaseUntil: lease },
      });
      if (taken.count === 1) return { kind: 'claimed', claim: { id: existing.id, lease } };
      // else: another retry took it, or the answer was stored meanwhile: read again
    }
  }
  return { kind: 'busy', retryAfter: 1 };
}

export function idempotency(deps: ResolvedDeps): MiddlewareHandler<AppEnv> {
  const { prisma } = deps;

  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    const method = c.req.method;
    if (!key || !['POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) return next();
    if (key.length > 200)
      throw new ProblemError('VALIDATION_FAILED', {
        errors: [{ pointer: '', field: 'Idempotency-Key', code: 'too_big', in: 'header', message: 'Idempotency-Key too long' }],
      });
    const userId = c.get('user').userId;
    const path = new URL(c.req.url).pathname;
    // the body as bytes: an import's XLSX is binary, and Hono hands later readers the body in the form read first
    // (read as text, the route's arrayBuffer() would get the bytes re-encoded as UTF-8)
    const body = Buffer.from(await c.req.arrayBuffer());
    const requestHash = createHash('sha256')
      .update(`${method}\n${path}\n${c.req.header('content-type') ?? ''}\n`)
      .update(body)
      .digest('hex');

    const outcome = await claimKey(prisma, deps.now, { userId, key, method, path, requestHash });
    if (outcome.kind === 'reused') throw new ProblemError('IDEMPOTENCY_KEY_REUSED');
    if (outcome.kind === 'busy') throw new ProblemError('IDEMPOTENCY_IN_PROGRESS', { headers: { 'retry-after': String(outcome.retryAfter) } });
    if (outcome.kind === 'answered') {
      const { status, responseBody } = outcome;
      const stored = (responseBody ?? { contentType: null, body: null }) as unknown as Stored;
      const headers: Record<string, string> = { 'idempotency-replayed': 'true', 'x-request-id': c.get('requestId') };
      if (stored.contentType) headers['content-type'] = stored.contentType;
      const payload = status === 204 ? null : (stored.text ?? (stored.body === null ? null : JSON.stringify(stored.body)));
      return new Response(payload, { status, headers });
    }
    updateIds.set(c, `idem-${createHash('sha256').update(`${userId}\n${key}\n${requestHash}`).digest('hex')}`);

    const owned = outcome.claim;
    let lost = false;
    let renewing: Promise<void> | undefined;
    const renew = async () => {
      const lease = leaseFrom(deps.now());
      try {
        const r = await prisma.idempotencyRecord.updateMany({ where: { id: owned.id, status: null, leaseUntil: owned.lease }, data: { leaseUntil: lease } });
        if (r.count === 1) owned.lease = lease;
        else lost = true;
      } catch {
        // the database is briefly unreachable: the next tick tries again, the lease still has LEASE_MS - RENEW_MS
      }
    };
    const timer = setInterval(() => {
      if (lost || renewing) return;
      renewing = renew().finally(() => (renewing = undefined));
    }, RENEW_MS);
    timer.unref();
    const settle = async () => {
      clearInterval(timer);
      await renewing;
    };
    held.set(c, { claim: owned, stopRenewing: settle });
    /** our record as we last leased it and still unanswered (not stored by `recordAnswer`, not taken over) */
    const mine = () => ({ id: owned.id, status: null, leaseUntil: owned.lease });

    try {
      await next();
    } catch (err) {
      await settle();
      // a failed delete leaves the record to its lease: the retry takes it over then
      await prisma.idempotencyRecord.deleteMany({ where: mine() }).catch(() => undefined);
      throw err;
    }
    await settle();
    const res = c.res;
    if (res.status >= 500 || NOT_STORED.has(res.status)) {
      await prisma.idempotencyRecord.deleteMany({ where: mine() });
      return;
    }
    const contentType = res.headers.get('content-type');
    const text = res.status === 204 ? '' : await res.clone().text();
    let stored: Stored;
    try {
      stored = { contentType, body: text ? (JSON.parse(text) as unknown) : null };
    } catch {
      stored = { contentType, body: null, text };
    }
    await prisma.idempotencyRecord.updateMany({
      where: mine(),
      data: { status: res.status, responseBody: JSON.parse(JSON.stringify(stored)) as Prisma.InputJsonValue, leaseUntil: null },
    });
  };
}
