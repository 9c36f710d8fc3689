/**
 * Maintenance: the batched deletion of expired Idempotency-Key records against real databases, and the schedule that
 * runs it on the real Temporal dev server (the time-skipping server has no schedules): created once however often
 * workers start, and a triggered run deletes what has expired.
 */
import { randomUUID } from 'node:crypto';
import { createLocalEnv, createTestDb, dbKinds, uniqueId, type Db } from '@kinerja/testing';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureMaintenanceSchedule, maintenanceActivities, startWorker } from '../src/index.js';
import { eventually, silentLog } from './helpers.js';

const HOUR = 3_600_000;

/** `expired` answered records 25 h old, one 25 h old whose lease is still live, and `fresh` records of the last hour */
async function seedRecords(db: Db, userId: string, expired: number, fresh: number) {
  const at = (msAgo: number) => new Date(Date.now() - msAgo);
  const row = (key: string, createdAt: Date, extra: { status?: number | null; leaseUntil?: Date | null } = {}) => ({
    userId,
    key,
    method: 'POST',
    path: '/x',
    requestHash: 'h',
    status: 200,
    createdAt,
    ...extra,
  });
  await db.prisma.idempotencyRecord.createMany({
    data: [
      ...Array.from({ length: expired }, (_, i) => row(`old-${i}`, at(25 * HOUR + i * 1000), i === 0 ? { status: null, leaseUntil: null } : {})),
      row('old-but-running', at(25 * HOUR), { status: null, leaseUntil: at(-60_000) }),
      ...Array.from({ length: fresh }, (_, i) => row(`new-${i}`, at(HOUR - i * 1000))),
    ],
  });
}

describe.each(dbKinds())('deleteExpiredIdempotencyRecords (%s)', (kind) => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDb(kind);
  });
  afterAll(() => db?.close());

  it('deletes every record older than the cut-off in batches, keeps the fresh ones and a live lease', async () => {
    const userId = randomUUID();
    await seedRecords(db, userId, 7, 3);
    const { deleteExpiredIdempotencyRecords } = maintenanceActivities({ prisma: db.prisma, log: silentLog });
    const result = await deleteExpiredIdempotencyRecords({ createdBefore: new Date(Date.now() - 24 * HOUR).toISOString(), batchSize: 3 });
    expect(result).toEqual({ deleted: 7, batches: 3 }); // 3 + 3 + 1
    const left = await db.prisma.idempotencyRecord.findMany({ where: { userId }, select: { key: true }, orderBy: { key: 'asc' } });
    expect(left.map((r) => r.key)).toEqual(['new-0', 'new-1', 'new-2', 'old-but-running']);
    // nothing more to do: one statement, nothing deleted
    expect(await deleteExpiredIdempotencyRecords({ createdBefore: new Date(Date.now() - 24 * HOUR).toISOString(), batchSize: 3 })).toEqual({
      deleted: 0,
      batches: 1,
    });
  });
});

describe('maintenance schedule (Temporal dev server)', () => {
  let env: TestWorkflowEnvironment;
  let db: Db;
  beforeAll(async () => {
    [env, db] = await Promise.all([createLocalEnv(), createTestDb('pglite')]);
  }, 120_000);
  afterAll(async () => {
    await env?.teardown();
    await db?.close();
  });

  it('is created once however often workers start, and a run deletes the expired records', { timeout: 120_000 }, async () => {
    const taskQueue = uniqueId('maintenance');
    const first = await ensureMaintenanceSchedule(env.client, { taskQueue });
    const handle = env.client.schedule.getHandle(first.scheduleId);
    try {
      expect(first.created).toBe(true);
      expect(await ensureMaintenanceSchedule(env.client, { taskQueue })).toEqual({ scheduleId: first.scheduleId, created: false });
      const d = await handle.describe();
      expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'maintenanceWorkflow', taskQueue });
      expect(d.spec.intervals?.map((i) => i.every)).toEqual([HOUR]);
      expect(d.policies.overlap).toBe('SKIP');

      const userId = randomUUID();
      await seedRecords(db, userId, 4, 2);
      const worker = await startWorker({ prisma: db.prisma, connection: env.nativeConnection, taskQueue, log: silentLog });
      try {
        await handle.trigger();
        await eventually(
          async () => (await db.prisma.idempotencyRecord.count({ where: { userId } })) === 3,
          60_000,
          'the scheduled run to delete the expired records',
        );
        const runs = (await handle.describe()).info.recentActions;
        expect(runs.length).toBeGreaterThanOrEqual(1);
        const result: unknown = await env.client.workflow.getHandle(runs[0]!.action.workflow.workflowId).result();
        expect(result).toEqual({ idempotencyRecordsDeleted: 4 });
      } finally {
        await worker.shutdown();
      }
    } finally {
      await handle.delete();
    }
  });
});
