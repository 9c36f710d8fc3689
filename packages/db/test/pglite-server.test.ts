/**
 * The embedded database served from its own thread: PGlite behind the PostgreSQL wire protocol, opened by URL through
 * the production driver and adapter. Migrations apply, the demo seeds, and concurrent transactions from two clients
 * (as the API and the worker hold) stay whole: the audit chain their appends build verifies, and another client never
 * sees a transaction's uncommitted writes; the same statement sent on many connections at once is answered on each
 * (the one session would refuse a second prepared statement of the same name).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, migrateDb, openDb, seedDemo, startPgliteServer, verifyAuditChain, type Db, type PgliteServer } from '../src/index.js';

describe('PGlite served on its own thread', () => {
  let server: PgliteServer;
  let api: Db;
  let worker: Db;
  let regionId: string;

  beforeAll(async () => {
    server = await startPgliteServer({ dataDir: 'memory://' });
    api = await openDb(server.openOptions);
    worker = await openDb(server.openOptions);
    expect(api.kind).toBe('postgres');
    const { applied } = await migrateDb(api);
    expect(applied.length).toBeGreaterThan(5);
    regionId = (await seedDemo(api.prisma, { ruleSetDocument: { id: 'national', periods: { kind: 'MONTHLY' }, rules: [] } })).regionId;
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await worker?.close();
    await server?.close();
  });

  it('keeps concurrent transactions of two clients whole: the chain of their interleaved appends verifies', async () => {
    const before = await api.prisma.auditEvent.count({ where: { regionId } });
    const append = (db: Db, i: number) => appendAudit(db.prisma, { regionId, action: 'test.append', entityType: 'Test', entityId: `e-${i}`, after: { i } });
    await Promise.all(Array.from({ length: 40 }, (_, i) => append(i % 2 ? api : worker, i)));
    expect(await api.prisma.auditEvent.count({ where: { regionId } })).toBe(before + 40);
    expect((await verifyAuditChain(worker.prisma, regionId)).ok).toBe(true);
  });

  it('answers the same statements from many connections of both clients at once', async () => {
    const read = (db: Db) => db.prisma.unit.findMany({ where: { regionId }, select: { id: true } });
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => read(i % 2 ? api : worker)));
    expect(new Set(answers.map((a) => a.length)).size).toBe(1);
    expect(answers[0]!.length).toBeGreaterThan(0);
  });

  it('isolates a transaction: the other client does not see its uncommitted writes, and nothing stays after the rollback', async () => {
    let seenInside: Promise<number> | undefined;
    const failing = api.prisma.$transaction(async (tx) => {
      await tx.unit.updateMany({ where: { regionId }, data: { name: 'sementara' } });
      // asked while the transaction holds its write: on one shared session it would count the uncommitted rows
      seenInside = worker.prisma.unit.count({ where: { regionId, name: 'sementara' } });
      await new Promise((r) => setTimeout(r, 100));
      throw new Error('abort');
    });
    await expect(failing).rejects.toThrow('abort');
    expect(await seenInside).toBe(0);
    expect(await api.prisma.unit.count({ where: { regionId, name: 'sementara' } })).toBe(0);
    expect(await worker.prisma.unit.count({ where: { regionId } })).toBeGreaterThan(0);
  });
});
