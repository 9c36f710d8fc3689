/**
 * The cycle's fan-out: the evaluations of a cycle's employees, inserted in batches already in their first projected
 * state, and their workflows started; then the cycle marked OPEN.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { appendAudit, appendAuditMany } from '@kinerja/db';
import type { Calendar, CycleCalendar } from '@kinerja/domain';
import { calendarOf, periodsOf, type RuleSetDocument } from '@kinerja/rules';
import {
  evaluationWorkflowId,
  initialView,
  KinerjaNip,
  KinerjaPhase,
  KinerjaRegion,
  type Activities,
  type EvaluationInput,
  type StartBatchInput,
} from '@kinerja/workflows';
import { ensureSearchAttributes } from '../search-attributes.js';
import { heartbeat, logged, newTask, type JobDeps } from './shared.js';

type FanOutActivities = Pick<Activities, 'startEvaluationBatch' | 'markCycleOpen'>;

export interface FanOutDeps extends JobDeps {
  /** the client the evaluation workflows are started with */
  temporal: Client;
  /** the task queue they are started on */
  taskQueue: string;
  /** request eager workflow start (`temporal` is then a client on the worker's own NativeConnection) */
  eagerStart: boolean;
}

/** workflow starts in flight at once during a cycle's fan-out */
const START_CONCURRENCY = 16;

export function fanOutActivities(deps: FanOutDeps): FanOutActivities {
  const { prisma, log, temporal, taskQueue } = deps;
  // The starts below set Kinerja's search attributes, which a server without them refuses: the fan-out makes sure
  // of them once per worker (a worker started without `ensureSearchAttributes`, a test server), not once per batch.
  // A failed registration is asked again by the activity's next attempt.
  let registered: Promise<unknown> | undefined;
  const ensureRegistered = () =>
    (registered ??= ensureSearchAttributes(temporal.connection, temporal.options.namespace).catch((err: unknown) => {
      registered = undefined;
      throw err;
    }));

  /**
   * One batch of the cycle's fan-out. In one transaction: the batch's new Evaluation rows, already in their first
   * projected state (seq 1, the SUBMIT_TARGETS task, one `evaluation.started` audit event each, appended under one
   * lock). Then the workflow starts, START_CONCURRENCY at a time, each told that its first projection exists.
   * Re-running a batch (retry, resumed worker, re-opened cycle) inserts nothing twice and starts nobody twice:
   * existing rows are kept, with the opening time they were created with, and a start of a running id is refused.
   */
  async function startEvaluationBatch(input: StartBatchInput) {
    const cycle = await prisma.cycle.findUniqueOrThrow({
      where: { id: input.cycleId },
      include: { ruleSetVersion: true, region: { select: { code: true } } },
    });
    const doc = cycle.ruleSetVersion.document as unknown as RuleSetDocument;
    const calendar: Calendar = calendarOf(doc);
    const periods = periodsOf(doc);
    const where = { regionId: cycle.regionId, status: 'ACTIVE' as const };
    const total = await prisma.employee.count({ where });
    const employees = await prisma.employee.findMany({
      where: { ...where, ...(input.cursor ? { id: { gt: input.cursor } } : {}) },
      orderBy: { id: 'asc' },
      take: input.batchSize,
      select: { id: true, nip: true, unitId: true, superiorId: true, superior: { select: { superiorId: true } } },
    });
    const nipOf = new Map(employees.map((e) => [e.id, e.nip]));
    const inputFor = (ev: {
      id: string;
      employeeId: string;
      supervisorId: string | null;
      reviewerId: string | null;
      createdAt: Date;
      seq: number;
    }): EvaluationInput => ({
      evaluationId: ev.id,
      cycleId: cycle.id,
      regionId: cycle.regionId,
      employeeId: ev.employeeId,
      supervisorId: ev.supervisorId,
      reviewerId: ev.reviewerId,
      ruleSetVersionId: cycle.ruleSetVersionId,
      calendar,
      periods,
      ...(cycle.unitCalibration ? { calibration: true } : {}),
      // fixed when the cycle opened; cycles opened before calendars existed run compressed periods, as they always did
      ...(cycle.calendar ? { cycleCalendar: cycle.calendar as unknown as CycleCalendar } : {}),
      openedAt: ev.createdAt.toISOString(),
      // rows written before the fan-out projected them (seq 0) are left to the workflow's own first projection
      projected: ev.seq >= 1,
    });
    const openedAt = deps.now();
    const fresh = employees.map((e) => {
      const row = { id: randomUUID(), employeeId: e.id, supervisorId: e.superiorId, reviewerId: e.superior?.superiorId ?? null, createdAt: openedAt, seq: 1 };
      const first = initialView(inputFor(row), openedAt.getTime());
      return { row: { ...row, seq: first.seq }, unitId: e.unitId, first };
    });
    await prisma.$transaction(
      async (tx) => {
        const inserted = await tx.evaluation.createManyAndReturn({
          data: fresh.map(({ row, unitId, first }) => ({
            ...row,
            cycleId: cycle.id,
            regionId: cycle.regionId,
            unitId,
            workflowId: evaluationWorkflowId(cycle.id, row.employeeId),
            phase: first.phase,
          })),
          skipDuplicates: true,
          select: { id: true },
        });
        const ids = new Set(inserted.map((r) => r.id));
        const mine = fresh.filter((f) => ids.has(f.row.id));
        await tx.task.createMany({
          data: mine.flatMap(({ row, first }) =>
            first.openTasks.map((t) => newTask({ regionId: cycle.regionId, cycleId: cycle.id, evaluationId: row.id }, t, openedAt)),
          ),
        });
        await appendAuditMany(
          tx,
          mine.map(({ row }) => ({
            regionId: cycle.regionId,
            action: 'evaluation.started',
            entityType: 'Evaluation',
            entityId: row.id,
            after: { supervisorId: row.supervisorId, reviewerId: row.reviewerId },
            at: openedAt,
          })),
        );
      },
      { timeout: 60_000, maxWait: 60_000 },
    );
    const rows = await prisma.evaluation.findMany({
      where: { cycleId: cycle.id, employeeId: { in: employees.map((e) => e.id) } },
      select: { id: true, employeeId: true, supervisorId: true, reviewerId: true, workflowId: true, createdAt: true, seq: true },
    });
    // ... then the workflow starts, START_CONCURRENCY at a time (each is one RPC; a duplicate is counted, not an error)
    await ensureRegistered();
    let started = 0;
    let eager = 0;
    for (let i = 0; i < rows.length; i += START_CONCURRENCY) {
      await Promise.all(
        rows.slice(i, i + START_CONCURRENCY).map(async (ev) => {
          const evInput = inputFor(ev);
          try {
            const h = await temporal.workflow.start('evaluationWorkflow', {
              workflowId: ev.workflowId,
              taskQueue,
              args: [evInput],
              // what the Temporal UI finds one employee's year by; the workflow keeps the phase current from here
              typedSearchAttributes: [
                { key: KinerjaRegion, value: cycle.region.code },
                { key: KinerjaNip, value: nipOf.get(ev.employeeId)! },
                { key: KinerjaPhase, value: initialView(evInput, ev.createdAt.getTime()).phase },
              ],
              workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
              ...(deps.eagerStart ? { requestEagerStart: true } : {}),
            });
            if (h.eagerlyStarted) eager++;
          } catch (err) {
            if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
          }
          started++;
        }),
      );
      heartbeat(rows[Math.min(i + START_CONCURRENCY, rows.length) - 1]!.employeeId);
    }
    const startedCount = await prisma.evaluation.count({ where: { cycleId: cycle.id } });
    await prisma.cycle.update({ where: { id: cycle.id }, data: { totalEmployees: total, startedCount } });
    const nextCursor = employees.length < input.batchSize ? null : employees[employees.length - 1]!.id;
    log.info('cycle batch', { cycleId: cycle.id, started, eagerlyStarted: eager, startedCount, total, nextCursor });
    return { started, nextCursor, total };
  }

  async function markCycleOpen(input: { cycleId: string; total: number; started: number }) {
    const startedCount = await prisma.evaluation.count({ where: { cycleId: input.cycleId } });
    const cycle = await prisma.cycle.update({
      where: { id: input.cycleId },
      data: { status: 'OPEN', totalEmployees: input.total, startedCount },
    });
    await appendAudit(prisma, {
      regionId: cycle.regionId,
      action: 'cycle.opened',
      entityType: 'Cycle',
      entityId: cycle.id,
      after: { totalEmployees: input.total, startedCount },
    });
  }

  return {
    startEvaluationBatch: logged(log, 'startEvaluationBatch', startEvaluationBatch),
    markCycleOpen: logged(log, 'markCycleOpen', markCycleOpen),
  };
}
