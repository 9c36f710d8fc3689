/**
 * Idempotency-Key (draft-ietf-httpapi-idempotency-key-header) for every mutating route, per user + key:
 * - first request: a record is claimed (status null = in progress), the handler runs, the answer is stored;
 * - same key, same request (method, path, body hash): the first answer is replayed (`Idempotency-Replayed: true`);
 * - same key, different request: 422 IDEMPOTENCY_KEY_REUSED;
 * - same key while the first is still running: 409 IDEMPOTENCY_IN_PROGRESS.
 * Answers that say "the request itself was bad" (400/401/413/415/422/429) and server errors are not stored, so
 * a corrected retry with the same key goes through. Records older than 24 h are replaced.
 */
import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Prisma } from '@kinerja/db';
import type { AppEnv, ResolvedDeps } from './env.js';
import { ProblemError } from './problem.js';

const NOT_STORED = new Set([400, 401, 413, 415, 422, 429]);
const TTL_MS = 24 * 3600 * 1000;

interface Stored {
  contentType: string | null;
  body: unknown;
  text?: string;
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'P2002';
}

export function idempotency(deps: ResolvedDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    const method = c.req.method;
    if (!key || !['POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) return next();
    if (key.length > 200) throw new ProblemError('VALIDATION_FAILED', { errors: [{ pointer: '', field: 'Idempotency-Key', code: 'too_big', in: 'header', message: 'Idempotency-Key too long' }] });
    const userId = c.get('user').userId;
    const path = new URL(c.req.url).pathname;
    const bodyText = await c.req.text();
    const requestHash = createHash('sha256').update(`${method}\n${path}\n${c.req.header('content-type') ?? ''}\n${bodyText}`).digest('hex');
    const { prisma } = deps;

    let recordId: string | undefined;
    for (let attempt = 0; attempt < 2 && !recordId; attempt++) {
      try {
        const rec = await prisma.idempotencyRecord.create({ data: { userId, key, method, path, requestHash }, select: { id: true } });
        recordId = rec.id;
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        const existing = await prisma.idempotencyRecord.findUnique({ where: { userId_key: { userId, key } } });
        if (!existing) continue; // deleted meanwhile: try again
        if (existing.createdAt.getTime() < deps.now().getTime() - TTL_MS) {
          await prisma.idempotencyRecord.deleteMany({ where: { id: existing.id } });
          continue;
        }
        if (existing.requestHash !== requestHash) throw new ProblemError('IDEMPOTENCY_KEY_REUSED');
        if (existing.status === null) throw new ProblemError('IDEMPOTENCY_IN_PROGRESS', { headers: { 'retry-after': '1' } });
        const stored = (existing.responseBody ?? { contentType: null, body: null }) as unknown as Stored;
        const headers: Record<string, string> = { 'idempotency-replayed': 'true', 'x-request-id': c.get('requestId') };
        if (stored.contentType) headers['content-type'] = stored.contentType;
        const payload = existing.status === 204 ? null : stored.text ?? (stored.body === null ? null : JSON.stringify(stored.body));
        return new Response(payload, { status: existing.status, headers });
      }
    }
    if (!recordId) throw new ProblemError('IDEMPOTENCY_IN_PROGRESS');

    try {
      await next();
    } catch (err) {
      await prisma.idempotencyRecord.deleteMany({ where: { id: recordId } });
      throw err;
    }
    const res = c.res;
    if (res.status >= 500 || NOT_STORED.has(res.status)) {
      await prisma.idempotencyRecord.deleteMany({ where: { id: recordId } });
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
    await prisma.idempotencyRecord.update({
      where: { id: recordId },
      data: { status: res.status, responseBody: JSON.parse(JSON.stringify(stored)) as Prisma.InputJsonValue },
    });
  };
}
