/**
 * Crash safety of the cycle fan-out on the real Temporal dev server: the worker is shut down in the middle of a
 * cycle (its in-flight batch activity is cancelled after a short grace time), a new worker takes over, and the cycle
 * finishes with every employee's evaluation started exactly once and the database complete.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { NativeConnection } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import { createTestDb, temporalDevAddress, uniqueId, type Db } from '@kinerja/testing';
import { cycleWorkflowId, evaluationWorkflowId } from '@kinerja/workflows';
import type { cycleWorkflow } from '@kinerja/workflows/workflows';
import { startWorker } from '../src/index.js';
import { eventually, seedOrg, silentLog } from './helpers.js';

let db: Db;
let connection: Connection;
let client: Client;
const natives: NativeConnection[] = [];
beforeAll(async () => {
  db = await createTestDb('pglite');
  connection = await Connection.connect({ address: temporalDevAddress() });
  client = new Client({ connection });
}, 120_000);
afterAll(async () => {
  for (const n of natives) await n.close();
  await connection?.close();
  await db?.close();
});

/** evaluation workflows the server handed straight back to a worker when the fan-out started them (eager start) */
let eagerlyStarted = 0;
const log = {
  ...silentLog,
  info: (m: string, meta?: Record<string, unknown>) => {
    if (m === 'cycle batch' && typeof meta?.eagerlyStarted === 'number') eagerlyStarted += meta.eagerlyStarted;
  },
};

async function worker(taskQueue: string) {
  const native = await NativeConnection.connect({ address: temporalDevAddress() });
  natives.push(native);
  return startWorker({ prisma: db.prisma, connection: native, taskQueue, log });
}

it('a worker shut down mid-cycle loses nothing: the next worker finishes the cycle, nobody is started twice', async () => {
  const org = await seedOrg(db.prisma, { staff: 2, extraEmployees: 28 }); // 32 employees
  const total = 32;
  const taskQueue = uniqueId('crash');
  const first = await worker(taskQueue);
  const cycle = await client.workflow.start<typeof cycleWorkflow>('cycleWorkflow', {
    taskQueue,
    workflowId: cycleWorkflowId(org.cycleId),
    args: [{ cycleId: org.cycleId, regionId: org.regionId, batchSize: 1, batchesPerRun: 4 }],
  });
  await eventually(async () => (await db.prisma.evaluation.count({ where: { cycleId: org.cycleId } })) >= 6, 30_000, 'first batches');
  await first.shutdown();
  const atKill = await db.prisma.evaluation.count({ where: { cycleId: org.cycleId } });
  expect(atKill).toBeLessThan(total); // really mid-cycle

  const second = await worker(taskQueue);
  try {
    expect(await cycle.result()).toEqual({ total, started: total, done: true });
    expect(await db.prisma.cycle.findUniqueOrThrow({ where: { id: org.cycleId } })).toMatchObject({
      status: 'OPEN',
      totalEmployees: total,
      startedCount: total,
    });
    const evaluations = await db.prisma.evaluation.findMany({ where: { cycleId: org.cycleId } });
    expect(evaluations).toHaveLength(total);
    for (const e of evaluations) {
      const h = client.workflow.getHandle(evaluationWorkflowId(org.cycleId, e.employeeId));
      const d = await h.describe();
      expect(d.status.name).toBe('RUNNING');
    }
    // exactly one execution per employee on this task queue (visibility may lag a moment)
    const executions = async () => {
      const ids: string[] = [];
      for await (const w of client.workflow.list({ query: `WorkflowType = 'evaluationWorkflow' AND TaskQueue = '${taskQueue}'` })) ids.push(w.workflowId);
      return ids;
    };
    await eventually(async () => (await executions()).length >= total, 15_000, 'visibility');
    const ids = await executions();
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    // every evaluation's first projection lands: an open SUBMIT_TARGETS task per employee
    await eventually(
      async () => (await db.prisma.task.count({ where: { regionId: org.regionId, kind: 'SUBMIT_TARGETS', status: 'OPEN' } })) === total,
      30_000,
      'projections',
    );
    const audits = await db.prisma.auditEvent.count({ where: { regionId: org.regionId, action: 'evaluation.started' } });
    expect(audits).toBe(total);
    // the dev server accepted eager starts: new workflows' first tasks went straight to the starting worker
    expect(eagerlyStarted).toBeGreaterThan(0);
  } finally {
    for (const e of await db.prisma.evaluation.findMany({ where: { cycleId: org.cycleId } })) {
      await client.workflow
        .getHandle(evaluationWorkflowId(org.cycleId, e.employeeId))
        .terminate('test cleanup')
        .catch(() => undefined);
    }
    await second.shutdown();
  }
}, 120_000);
