/**
 * The done-when check of "every year ends": 60 employees opened by the cycle's fan-out on a 1-second calendar, on the
 * real Temporal dev server with PostgreSQL and the real activities. Nobody acts: every SKP lapses, every period
 * goes MISSING, and every year must reach ANNUAL_RATING, with the database agreeing, without waiting for a later
 * deadline: every timer that fires in its history between the last cutoff and the recorded phase change was due by
 * that cutoff. A loop that left passed deadlines to a later timer kept some years in PERIODIC for minutes. The check
 * reads when each timer was due, not how long the phase change took: how late a workflow task starts on 2 shared
 * cores is the machine's load, not the workflow's.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { NativeConnection } from '@temporalio/worker';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { NATIONAL_CALENDAR, type Calendar } from '@kinerja/domain';
import { createTestDb, temporalDevAddress, uniqueId, type Db } from '@kinerja/testing';
import { cycleWorkflowId, type EvaluationState } from '@kinerja/workflows';
import type { cycleWorkflow } from '@kinerja/workflows/workflows';
import { startWorker, type RunningWorker } from '../src/index.js';
import { eventually, seedOrg, silentLog } from './helpers.js';

/** A protobuf Timestamp or Duration in milliseconds. */
const msOf = (t: { seconds?: unknown; nanos?: number | null } | null | undefined): number => Number(t?.seconds ?? 0) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6);

const CALENDAR: Calendar = {
  ...NATIONAL_CALENDAR,
  periodKind: 'QUARTERLY',
  periodLength: '1s',
  targetDeadline: '2s',
  reportDeadline: '300ms',
  reportCutoff: '600ms',
  reviewDeadline: '1s',
  ratingDeadline: '10m',
  appealWindow: '10m',
  appealDecisionDeadline: '10m',
  reminderBefore: '100ms',
};

let db: Db;
let connection: Connection;
let native: NativeConnection;
let client: Client;
let worker: RunningWorker;
beforeAll(async () => {
  db = await createTestDb('postgres');
  connection = await Connection.connect({ address: temporalDevAddress() });
  client = new Client({ connection });
  native = await NativeConnection.connect({ address: temporalDevAddress() });
}, 120_000);
afterAll(async () => {
  await worker?.shutdown();
  await native?.close();
  await connection?.close();
  await db?.close();
});

it('60 employees on a 1-second calendar all reach ANNUAL_RATING on the timer of their last cutoff', async () => {
  const taskQueue = uniqueId('short-calendar');
  worker = await startWorker({ prisma: db.prisma, connection: native, taskQueue, log: silentLog });
  const org = await seedOrg(db.prisma, { calendar: CALENDAR, staff: 58 });
  // one batch: the fan-out's transaction does not compete with years already running
  await client.workflow.start<typeof cycleWorkflow>('cycleWorkflow', {
    taskQueue,
    workflowId: cycleWorkflowId(org.cycleId),
    args: [{ cycleId: org.cycleId, regionId: org.regionId, batchSize: 60 }],
  });
  await eventually(async () => (await db.prisma.evaluation.count({ where: { cycleId: org.cycleId } })) === 60, 120_000, '60 evaluations opened');

  const rows = await db.prisma.evaluation.findMany({ where: { cycleId: org.cycleId }, select: { id: true, workflowId: true } });
  const states = new Map<string, EvaluationState>();
  try {
    await eventually(
      async () => {
        for (const r of rows) {
          if (states.has(r.id)) continue;
          // the fan-out writes the batch's rows before it starts their workflows: a row may be ahead of its workflow
          const s = await client.workflow
            .getHandle(r.workflowId)
            .query<EvaluationState>('getState')
            .catch((err: unknown) => {
              if (err instanceof WorkflowNotFoundError) return null;
              throw err;
            });
          if (s?.phase === 'ANNUAL_RATING') states.set(r.id, s);
        }
        return states.size === rows.length;
      },
      180_000,
      'every year in ANNUAL_RATING',
    );
    await eventually(
      async () => (await db.prisma.evaluation.count({ where: { cycleId: org.cycleId, phase: 'ANNUAL_RATING' } })) === 60,
      60_000,
      'the projections agree',
    );

    const lateness: number[] = [];
    const laterTimers: { evaluationId: string; dueAfterCutoffMs: number }[] = [];
    for (const r of rows) {
      const s = states.get(r.id)!;
      expect(s.periods.map((p) => p.state)).toEqual(['MISSING', 'MISSING', 'MISSING', 'MISSING']);
      const lastCutoff = Date.parse(s.periods[3]!.cutoffAt!);
      const entered = await db.prisma.auditEvent.findFirstOrThrow({
        where: { entityId: r.id, action: 'evaluation.phase', after: { equals: { phase: 'ANNUAL_RATING' } } },
      });
      const enteredAt = entered.at.getTime();
      lateness.push(enteredAt - lastCutoff);
      const events = (await client.workflow.getHandle(r.workflowId).fetchHistory()).events ?? [];
      const byId = new Map(events.map((e) => [Number(e.eventId), e]));
      for (const e of events) {
        const fired = e.timerFiredEventAttributes;
        if (!fired || msOf(e.eventTime) < lastCutoff || msOf(e.eventTime) > enteredAt) continue;
        // a timer is due at its workflow task's time plus its duration, the sum the loop armed it with
        const started = byId.get(Number(fired.startedEventId))!.timerStartedEventAttributes!;
        const completed = byId.get(Number(started.workflowTaskCompletedEventId))!.workflowTaskCompletedEventAttributes!;
        const due = msOf(byId.get(Number(completed.startedEventId))!.eventTime) + msOf(started.startToFireTimeout);
        // 2 ms: the workflow's clock is whole milliseconds and the loop never sleeps less than 1
        if (due > lastCutoff + 2) laterTimers.push({ evaluationId: r.id, dueAfterCutoffMs: due - lastCutoff });
      }
    }
    lateness.sort((a, b) => a - b);
    const at = (q: number) => lateness[Math.min(lateness.length - 1, Math.floor(q * lateness.length))];
    console.info(
      '[short calendar] ANNUAL_RATING entered after the last cutoff (ms): min',
      lateness[0],
      'p50',
      at(0.5),
      'p90',
      at(0.9),
      'max',
      lateness[lateness.length - 1],
    );
    expect(lateness[0]).toBeGreaterThanOrEqual(0);
    expect(laterTimers).toEqual([]);
  } finally {
    await Promise.all(
      rows.map((r) =>
        client.workflow
          .getHandle(r.workflowId)
          .terminate('test over')
          .catch(() => undefined),
      ),
    );
  }
}, 400_000);
