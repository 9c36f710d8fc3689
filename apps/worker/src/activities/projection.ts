/**
 * The activities behind the workflows: projection of workflow state into the database (idempotent), the task
 * inbox, reminders, scoring with the pinned rule set, and the cycle's batched fan-out.
 */
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { Connection, Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { ApplicationFailure, WorkflowIdReusePolicy } from '@temporalio/common';
import { appendAudit, appendAuditMany, Prisma, type AuditEventInput, type PrismaClient } from '@kinerja/db';
import { BERAKHLAK_ASPECTS, capaian, predikatFor, type Calendar, type Rating } from '@kinerja/domain';
import { calendarOf, evaluate, periodsOf, type Facts, type RuleSetDocument } from '@kinerja/rules';
import {
  PROJECTION_REJECTED,
  TASK_QUEUE,
  evaluationWorkflowId,
  indicatorId,
  rhkId,
  initialView,
  type Actor,
  type Activities,
  type Change,
  type ComputeScoreInput,
  type EvaluationInput,
  type OpenTask,
  type ProjectInput,
  type ReminderInput,
  type ResultView,
  type StartBatchInput,
} from '@kinerja/workflows';
import { simulationActivities } from './simulation.js';
import { maintenanceActivities } from './maintenance.js';

export type { Activities } from '@kinerja/workflows';

export interface ActivityLog {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
}

export interface ActivityDeps {
  prisma: PrismaClient;
  /** Temporal client for starting evaluation workflows (created lazily from TEMPORAL_ADDRESS when absent) */
  temporal?: Client | undefined;
  taskQueue?: string | undefined;
  now?: () => Date;
  log?: ActivityLog | undefined;
  /**
   * Ask the server to hand each new evaluation's first workflow task straight back to this worker (eager workflow
   * start): no task-queue round trip. Needs `temporal` to be a client on the worker's own NativeConnection.
   */
  eagerStart?: boolean | undefined;
}

type Tx = Prisma.TransactionClient;

const consoleLog: ActivityLog = {
  info: (m, meta) => console.info(`[kinerja-worker] ${m}`, meta ?? ''),
  warn: (m, meta) => console.warn(`[kinerja-worker] ${m}`, meta ?? ''),
};

export const taskKey = (evaluationId: string, kind: string, period?: number | null) =>
  `${evaluationId}:${kind}:${period ?? '-'}`;
// Deterministic ids (a retried projection writes the same rows), shared with the workflow's realisation check.
export { rhkId, indicatorId } from '@kinerja/workflows';

const json = (v: unknown): Prisma.InputJsonValue => JSON.parse(JSON.stringify(v ?? null)) as Prisma.InputJsonValue;

function actorFields(actor: Actor | undefined) {
  return actor
    ? { actorUserId: actor.userId, actorEmployeeId: actor.employeeId, actingForId: actor.actingForId ?? null, requestId: actor.requestId ?? null }
    : { actorUserId: null, actorEmployeeId: null, actingForId: null, requestId: null };
}

/** The columns of a Task row that follow the workflow's open task. */
const taskFields = (t: OpenTask) => ({
  assigneeId: t.assigneeId,
  actingForId: t.actingForId ?? null,
  escalated: t.escalated,
  dueAt: t.dueAt ? new Date(t.dueAt) : null,
});
const newTask = (regionId: string, evaluationId: string, t: OpenTask, now: Date) => ({
  key: taskKey(evaluationId, t.kind, t.period),
  regionId,
  evaluationId,
  kind: t.kind,
  period: t.period ?? null,
  ...taskFields(t),
  status: 'OPEN' as const,
  createdAt: now,
});

/**
 * Whether a failed projection can never succeed by retrying, and why (SQLSTATE or error class); null: transient, retry.
 * Permanent: PostgreSQL data exceptions (class 22, e.g. 22P05/22021 for a NUL), integrity violations (class 23; a
 * unique violation only after a few attempts, because a concurrent attempt of the same idempotent write causes one
 * and the retry then finds the row and skips), a missing row to update (P2025), Prisma's own validation errors, and
 * JSON/serialisation errors. Everything
 * else (connections, 40001 serialization failures, 40P01 deadlocks, timeouts, a score not written yet) retries.
 */
export function classifyProjectionError(err: unknown, attempt: number): { code: string; message: string } | null {
  if (err instanceof Prisma.PrismaClientValidationError) return { code: 'PRISMA_VALIDATION', message: lastLine(err.message) };
  if (err instanceof Prisma.PrismaClientKnownRequestError) {
    const cause = (err.meta as { driverAdapterError?: { cause?: { originalCode?: unknown; originalMessage?: unknown } } } | undefined)?.driverAdapterError?.cause;
    const sqlState = typeof cause?.originalCode === 'string' ? cause.originalCode : undefined;
    const message = typeof cause?.originalMessage === 'string' ? cause.originalMessage : lastLine(err.message);
    if (sqlState?.startsWith('22')) return { code: sqlState, message };
    if (sqlState === '23505') return attempt >= UNIQUE_RETRIES ? { code: sqlState, message } : null;
    if (sqlState?.startsWith('23')) return { code: sqlState, message };
    // a row this change updates does not exist: an earlier write of the same evaluation was refused (and is listed)
    if (err.code === 'P2025') return { code: 'P2025', message: lastLine(err.message) };
    return null;
  }
  if (err instanceof SyntaxError || (err instanceof TypeError && /JSON|circular|BigInt/i.test(err.message))) return { code: 'SERIALISATION', message: err.message };
  return null;
}
/** attempts after which a unique violation is taken to be permanent rather than a concurrent duplicate attempt */
const UNIQUE_RETRIES = 5;
const lastLine = (m: string) => m.trim().split('\n').filter(Boolean).pop() ?? m;
/** A message fit for a log line and a text column: no control characters (the cause may be a NUL), bounded. */
// eslint-disable-next-line no-control-regex
const sanitise = (m: string) => m.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, 1000);

/** Mean of numbers, null when empty. */
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** workflow starts in flight at once during a cycle's fan-out */
const START_CONCURRENCY = 16;

export function createActivities(deps: ActivityDeps): Activities {
  const { prisma } = deps;
  const log = deps.log ?? consoleLog;
  const taskQueue = deps.taskQueue ?? TASK_QUEUE;
  let client: Client | undefined = deps.temporal;
  const temporalClient = async () => {
    if (!client) {
      const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? 'localhost:7233' });
      client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
    }
    return client;
  };
  const activityContext = () => {
    try {
      return Context.current();
    } catch {
      return undefined; // called outside an activity (unit test)
    }
  };
  /** Heartbeat and stop early when the activity is cancelled (worker shutting down): the retry redoes the batch. */
  const heartbeat = (details?: unknown) => {
    const c = activityContext();
    if (!c) return;
    c.heartbeat(details);
    if (c.cancellationSignal.aborted) throw c.cancellationSignal.reason ?? new Error('activity cancelled');
  };

  // ------------------------------------------------------------------------------------------------ projection

  /**
   * Writes one change's rows and queues its audit events in `audits`: the projection appends them all at its end, so
   * the region's audit lock (which serialises every projection of the region) is held only for that insert and the
   * commit, not for the whole write.
   */
  async function applyChange(tx: Tx, input: ProjectInput, c: Change, index: number, audits: AuditEventInput[]) {
    const evaluationId = input.evaluationId;
    const at = new Date(c.at);
    const audit = (action: string, entityType: string, entityId: string, after: unknown, actor?: Actor, before?: unknown) =>
      void audits.push({
        regionId: input.regionId,
        ...actorFields(actor),
        action,
        entityType,
        entityId,
        before: before ?? null,
        after,
        at,
      });
    const reviewId = `${evaluationId}:${input.seq}:${index}`;
    /** A review row, written once per deterministic id (a retried projection writes nothing new). */
    const review = (actor: Actor, fields: { kind: 'PERIOD' | 'ANNUAL' | 'APPEAL_DECISION'; decision: string; period?: number; hasilKerja: string | null; perilaku?: unknown; feedback: string | null }) =>
      tx.review.upsert({
        where: { id: reviewId },
        create: {
          id: reviewId,
          evaluationId,
          reviewerId: actor.employeeId,
          actingForId: actor.actingForId ?? null,
          kind: fields.kind,
          decision: fields.decision,
          period: fields.period ?? null,
          hasilKerja: fields.hasilKerja,
          perilaku: fields.perilaku === undefined ? Prisma.DbNull : json(fields.perilaku),
          feedback: fields.feedback,
          createdAt: at,
        },
        update: {},
      });
    switch (c.kind) {
      case 'EVALUATION_STARTED':
        return audit('evaluation.started', 'Evaluation', evaluationId, { supervisorId: input.state.supervisorId, reviewerId: input.state.reviewerId });
      case 'SKP_SUBMITTED': {
        await tx.skp.upsert({
          where: { evaluationId },
          create: { id: evaluationId, evaluationId, status: 'SUBMITTED', revision: c.revision, submittedAt: at },
          update: { status: 'SUBMITTED', revision: c.revision, submittedAt: at, returnNote: null },
        });
        const skp = await tx.skp.findUniqueOrThrow({ where: { evaluationId }, select: { id: true } });
        await tx.rhk.deleteMany({ where: { skpId: skp.id } });
        for (const [i, r] of c.skp.rhk.entries()) {
          await tx.rhk.create({
            data: {
              id: rhkId(evaluationId, i),
              skpId: skp.id,
              position: i + 1,
              title: r.title,
              parentRhkId: r.parentRhkId ?? null,
              indicators: {
                create: r.indicators.map((ind, j) => ({
                  id: indicatorId(evaluationId, i, j),
                  position: j + 1,
                  name: ind.name,
                  kind: ind.kind,
                  target: ind.target,
                  unit: ind.unit,
                  weight: ind.weight ?? null,
                })),
              },
            },
          });
        }
        return audit('skp.submitted', 'Skp', skp.id, { revision: c.revision, rhk: c.skp.rhk }, c.actor);
      }
      case 'SKP_DECIDED': {
        const approved = c.input.decision === 'APPROVE';
        await tx.skp.update({
          where: { evaluationId },
          data: {
            status: approved ? 'APPROVED' : 'RETURNED',
            returnNote: approved ? null : (c.input.note ?? null),
            decidedAt: at,
            decidedById: c.actor.employeeId,
            actingForId: c.actor.actingForId ?? null,
          },
        });
        return audit(approved ? 'skp.approved' : 'skp.returned', 'Skp', evaluationId, { note: c.input.note ?? null, escalated: c.escalated }, c.actor, {
          status: 'SUBMITTED',
        });
      }
      case 'SKP_LAPSED':
        return audit('skp.lapsed', 'Skp', evaluationId, { status: c.status });
      case 'REPORT_SUBMITTED': {
        const data = {
          status: 'SUBMITTED' as const,
          late: c.late,
          realisations: json(c.input.realisations),
          evidence: json(c.input.evidence ?? []),
          note: c.input.note ?? null,
          revision: c.revision,
          submittedAt: at,
        };
        await tx.periodReport.upsert({
          where: { evaluationId_period: { evaluationId, period: c.period } },
          create: { evaluationId, period: c.period, ...data },
          update: data,
        });
        return audit('report.submitted', 'PeriodReport', `${evaluationId}:${c.period}`, { period: c.period, late: c.late, revision: c.revision, realisations: c.input.realisations }, c.actor);
      }
      case 'REPORT_REVIEWED': {
        const rating = c.input.decision === 'RATE' ? c.input.rating : null;
        await review(c.actor, { kind: 'PERIOD', period: c.period, decision: c.input.decision, hasilKerja: rating, feedback: c.input.feedback });
        // upsert: the submission's own projection may have been refused (ProjectionFailure); the review still lands
        const status = rating ? ('REVIEWED' as const) : ('REVISION_REQUESTED' as const);
        await tx.periodReport.upsert({
          where: { evaluationId_period: { evaluationId, period: c.period } },
          create: { evaluationId, period: c.period, status, rating },
          update: { status, rating },
        });
        return audit(rating ? 'report.reviewed' : 'report.revision_requested', 'PeriodReport', `${evaluationId}:${c.period}`, { ...c.input, escalated: c.escalated }, c.actor);
      }
      case 'REPORT_MISSING':
        return audit('report.missing', 'PeriodReport', `${evaluationId}:${c.period}`, { period: c.period });
      case 'REPORT_UNREVIEWED':
        return audit('report.unreviewed', 'PeriodReport', `${evaluationId}:${c.period}`, { period: c.period });
      case 'ESCALATED':
        return audit('task.escalated', 'Task', taskKey(evaluationId, c.task, c.period), { from: c.from, to: c.to });
      case 'ANNUAL_RATED':
        await review(c.actor, { kind: 'ANNUAL', decision: 'RATE', hasilKerja: c.input.hasilKerja, perilaku: c.input.perilaku, feedback: c.input.notes ?? null });
        return audit('annual.rated', 'Evaluation', evaluationId, { ...c.input, escalated: c.escalated }, c.actor);
      case 'ANNUAL_LAPSED':
        return audit('annual.lapsed', 'Evaluation', evaluationId, {});
      case 'APPEAL_FILED':
        await tx.appeal.upsert({
          where: { evaluationId },
          create: { evaluationId, reasons: c.input.reasons, status: 'FILED', reviewerId: c.reviewerId, filedAt: at },
          update: {},
        });
        return audit('appeal.filed', 'Appeal', evaluationId, c.input, c.actor);
      case 'APPEAL_RESPONSE_REQUESTED':
        await tx.appeal.update({ where: { evaluationId }, data: { status: 'RESPONSE_REQUESTED' } });
        return audit('appeal.response_requested', 'Appeal', evaluationId, {}, c.actor);
      case 'APPEAL_RESPONDED':
        await tx.appeal.update({ where: { evaluationId }, data: { status: 'FILED', supervisorResponse: c.input.response } });
        return audit('appeal.responded', 'Appeal', evaluationId, c.input, c.actor);
      case 'APPEAL_DECIDED': {
        const i = c.input;
        await tx.appeal.update({
          where: { evaluationId },
          data: { status: 'DECIDED', decision: i.decision, decisionReasons: i.reasons, decidedAt: at, decidedById: c.actor.employeeId },
        });
        await review(c.actor, {
          kind: 'APPEAL_DECISION',
          decision: i.decision,
          hasilKerja: i.decision === 'REVISE' ? i.hasilKerja : null,
          ...(i.decision === 'REVISE' ? { perilaku: i.perilaku } : {}),
          feedback: i.reasons,
        });
        return audit('appeal.decided', 'Appeal', evaluationId, i, c.actor);
      }
      case 'APPEAL_LAPSED':
        await tx.appeal.update({ where: { evaluationId }, data: { status: 'DECIDED', decision: 'LAPSED', decidedAt: at } });
        return audit('appeal.lapsed', 'Appeal', evaluationId, {});
      case 'FINALIZED': {
        const initial = await tx.score.findUnique({ where: { evaluationId_kind: { evaluationId, kind: 'INITIAL' } } });
        if (!initial) throw new Error(`evaluation ${evaluationId}: no INITIAL score to finalise`);
        const { id: _id, kind: _k, createdAt: _c, facts, trace, ...rest } = initial;
        await tx.score.upsert({
          where: { evaluationId_kind: { evaluationId, kind: 'FINAL' } },
          create: { ...rest, facts: json(facts), trace: json(trace), kind: 'FINAL', createdAt: at },
          update: {},
        });
        return audit('score.final', 'Score', evaluationId, { predikat: initial.predikat, numericScore: initial.numericScore, source: 'INITIAL' });
      }
      case 'PHASE_CHANGED':
        return audit('evaluation.phase', 'Evaluation', evaluationId, { phase: c.to }, undefined, { phase: c.from });
      case 'SUPERVISOR_CHANGED':
        return void audits.push({
          regionId: input.regionId,
          actorUserId: c.by,
          action: 'evaluation.supervisor_changed',
          entityType: 'Evaluation',
          entityId: evaluationId,
          before: c.from,
          after: c.to,
          at,
        });
      case 'CALIBRATED':
        return void audits.push({
          regionId: input.regionId,
          ...(c.by ? { actorUserId: c.by } : {}),
          action: `evaluation.calibration_${c.decision.toLowerCase()}`,
          entityType: 'Evaluation',
          entityId: evaluationId,
          after: { decision: c.decision, reason: c.reason, round: c.round },
          at,
        });
      case 'CLOSED':
        return void audits.push({
          regionId: input.regionId,
          actorUserId: c.by,
          action: 'evaluation.closed',
          entityType: 'Evaluation',
          entityId: evaluationId,
          after: { reason: c.reason },
          at,
        });
    }
  }

  async function syncReports(tx: Tx, input: ProjectInput, now: Date) {
    const existing = await tx.periodReport.findMany({
      where: { evaluationId: input.evaluationId },
      select: { period: true, status: true, late: true, rating: true, revision: true },
    });
    const byPeriod = new Map(existing.map((r) => [r.period, r]));
    for (const p of input.state.periods) {
      const row = byPeriod.get(p.period);
      const opened = p.opensAt !== undefined && new Date(p.opensAt) <= now;
      if (!row && !opened && p.state === 'OPEN') continue;
      const data = { status: p.state, late: p.late, rating: p.rating ?? null, revision: p.revision ?? 0 };
      if (row && row.status === data.status && row.late === data.late && row.rating === data.rating && row.revision === data.revision) continue;
      await tx.periodReport.upsert({
        where: { evaluationId_period: { evaluationId: input.evaluationId, period: p.period } },
        create: { evaluationId: input.evaluationId, period: p.period, ...data },
        update: data,
      });
    }
  }

  async function syncTasks(tx: Tx, input: ProjectInput, now: Date) {
    const { evaluationId } = input;
    const desired = new Map<string, OpenTask>(input.state.openTasks.map((t) => [taskKey(evaluationId, t.kind, t.period), t]));
    const open = await tx.task.findMany({ where: { evaluationId, status: 'OPEN' } });
    const closing = input.state.phase === 'CLOSED' ? 'CANCELLED' : 'DONE';
    for (const t of open) {
      if (!desired.has(t.key)) await tx.task.update({ where: { id: t.id }, data: { status: closing, completedAt: now } });
    }
    const openByKey = new Map(open.map((t) => [t.key, t]));
    for (const [key, t] of desired) {
      const data = taskFields(t);
      const cur = openByKey.get(key);
      if (
        cur &&
        cur.assigneeId === data.assigneeId &&
        cur.actingForId === data.actingForId &&
        cur.escalated === data.escalated &&
        (cur.dueAt?.getTime() ?? null) === (data.dueAt?.getTime() ?? null)
      ) {
        continue;
      }
      await tx.task.upsert({
        where: { key },
        create: newTask(input.regionId, evaluationId, t, now),
        update: { ...data, status: 'OPEN', completedAt: null },
      });
    }
  }

  /**
   * The projection, classified: a failure that retrying cannot fix is recorded (ProjectionFailure, in its own
   * transaction, so the row survives the projection's rollback), logged with the workflow id, and thrown as a
   * non-retryable PROJECTION_REJECTED, so the workflow records it and its year goes on. A later projection of the
   * same evaluation writes the whole snapshot at a higher seq and repairs the Evaluation head, tasks and report states.
   */
  async function project(input: ProjectInput): Promise<{ applied: boolean }> {
    try {
      return await writeProjection(input);
    } catch (err) {
      const rejected = classifyProjectionError(err, activityContext()?.info.attempt ?? 1);
      if (!rejected) throw err;
      const message = sanitise(rejected.message);
      const changeKinds = input.changes.map((c) => c.kind);
      await prisma.$transaction((tx) =>
        tx.projectionFailure.upsert({
          where: { evaluationId_seq: { evaluationId: input.evaluationId, seq: input.seq } },
          create: { regionId: input.regionId, evaluationId: input.evaluationId, workflowId: input.workflowId, seq: input.seq, code: rejected.code, message, changeKinds },
          update: { code: rejected.code, message, changeKinds },
        }),
      );
      log.warn('projection rejected', { workflowId: input.workflowId, evaluationId: input.evaluationId, seq: input.seq, code: rejected.code, message, changeKinds });
      throw ApplicationFailure.create({ type: PROJECTION_REJECTED, message: `${rejected.code}: ${message}`, nonRetryable: true, details: [{ code: rejected.code }] });
    }
  }

  async function writeProjection(input: ProjectInput): Promise<{ applied: boolean }> {
    const s = input.state;
    const at = input.changes.length ? new Date(input.changes[input.changes.length - 1]!.at) : (deps.now?.() ?? new Date());
    return prisma.$transaction(
      async (tx) => {
        const head = { phase: s.phase, supervisorId: s.supervisorId, reviewerId: s.reviewerId, closedReason: s.closedReason ?? null };
        const updated = await tx.evaluation.updateMany({
          where: { id: input.evaluationId, seq: { lt: input.seq } },
          data: { ...head, seq: input.seq },
        });
        if (updated.count === 0) {
          const exists = await tx.evaluation.findUnique({ where: { id: input.evaluationId }, select: { seq: true } });
          if (exists) return { applied: false }; // a retry of a write already applied (seq is monotonic)
          const emp = await tx.employee.findUniqueOrThrow({ where: { id: input.employeeId }, select: { unitId: true } });
          await tx.evaluation.create({
            data: {
              id: input.evaluationId,
              cycleId: input.cycleId,
              regionId: input.regionId,
              employeeId: input.employeeId,
              unitId: emp.unitId,
              workflowId: input.workflowId,
              ...head,
              seq: input.seq,
            },
          });
        }
        const audits: AuditEventInput[] = [];
        for (const [i, c] of input.changes.entries()) await applyChange(tx, input, c, i, audits);
        await syncReports(tx, input, at);
        await syncTasks(tx, input, at);
        await appendAuditMany(tx, audits);
        return { applied: true };
      },
      { timeout: 20_000, maxWait: 20_000 },
    );
  }

  // ------------------------------------------------------------------------------------------------ reminders

  async function sendReminder(r: ReminderInput): Promise<void> {
    // No notification channel exists yet: a reminder is an audit event (queryable, shown in the inbox history) and a log line.
    log.info('reminder', { evaluationId: r.evaluationId, kind: r.kind, period: r.period, assigneeId: r.assigneeId, dueAt: r.dueAt });
    await appendAudit(prisma, {
      regionId: r.regionId,
      action: 'reminder.sent',
      entityType: 'Task',
      entityId: taskKey(r.evaluationId, r.kind, r.period),
      after: { assigneeId: r.assigneeId, dueAt: r.dueAt },
      at: new Date(r.at),
    });
  }

  // ------------------------------------------------------------------------------------------------ scoring

  async function gatherFacts(evaluationId: string, rating: ComputeScoreInput['rating']): Promise<Facts> {
    const ev = await prisma.evaluation.findUniqueOrThrow({
      where: { id: evaluationId },
      include: {
        employee: { include: { unit: { select: { kind: true } } } },
        skp: { include: { rhk: { include: { indicators: true } } } },
        reports: true,
        reviews: { where: { kind: 'PERIOD' }, select: { id: true } },
      },
    });
    const reports = ev.reports;
    // realisation per indicator: QUANTITY sums over periods (annual target), the other kinds average
    const values = new Map<string, number[]>();
    for (const r of reports) {
      if (r.status === 'MISSING' || !Array.isArray(r.realisations)) continue;
      for (const item of r.realisations as { indicatorId?: unknown; value?: unknown }[]) {
        if (typeof item.indicatorId !== 'string' || typeof item.value !== 'number') continue;
        const list = values.get(item.indicatorId) ?? [];
        list.push(item.value);
        values.set(item.indicatorId, list);
      }
    }
    const capaianIndicators: number[] = [];
    const timeCapaian: number[] = [];
    for (const rhk of ev.skp?.rhk ?? []) {
      for (const ind of rhk.indicators) {
        const vs = values.get(ind.id) ?? [];
        const kind = ind.kind;
        const real = kind === 'QUANTITY' ? vs.reduce((a, b) => a + b, 0) : (mean(vs) ?? 0);
        const pct = vs.length === 0 && kind !== 'QUANTITY' ? 0 : capaian(kind, ind.target, real);
        const bounded = Math.max(0, Math.round(pct * 100) / 100);
        capaianIndicators.push(bounded);
        if (kind === 'TIME') timeCapaian.push(bounded);
      }
    }
    const count = (pred: (r: (typeof reports)[number]) => boolean) => reports.filter(pred).length;
    const facts: Facts = {
      capaianIndicators: capaianIndicators.length ? capaianIndicators : null,
      capaianTimeAvg: mean(timeCapaian),
      periods: reports.length,
      reportsOnTime: count((r) => r.status !== 'MISSING' && r.status !== 'OPEN' && !r.late),
      reportsLate: count((r) => r.status !== 'MISSING' && r.status !== 'OPEN' && r.late),
      reportsMissing: count((r) => r.status === 'MISSING'),
      periodRatingsAbove: count((r) => r.rating === 'DI_ATAS'),
      periodRatingsMeets: count((r) => r.rating === 'SESUAI'),
      periodRatingsBelow: count((r) => r.rating === 'DI_BAWAH'),
      feedbackSessions: ev.reviews.length,
      unitKind: ev.employee.unit.kind,
      positionKind: ev.employee.positionKind,
    };
    if (rating) {
      facts.hasilKerjaRating = rating.hasilKerja;
      for (const a of BERAKHLAK_ASPECTS) (facts as Record<string, Rating>)[`perilaku.${a}`] = rating.perilaku[a];
    }
    const attendance = await prisma.attendanceRecord.groupBy({
      by: ['present'],
      where: { employeeId: ev.employeeId },
      _count: { _all: true },
    });
    const att = attendance.reduce((n, g) => n + g._count._all, 0);
    if (att > 0) facts.attendanceRate = ((attendance.find((g) => g.present)?._count._all ?? 0) / att) * 100;
    const survey = await prisma.surveyResponse.aggregate({
      where: { regionId: ev.regionId, employeeId: ev.employeeId },
      _avg: { score: true },
      _count: { _all: true },
    });
    if (survey._count._all > 0 && survey._avg.score !== null) {
      // responses are on a 1–5 scale; the SKM fact is 1–4: map linearly
      facts.satisfactionMean = Math.min(4, Math.max(1, 1 + ((survey._avg.score - 1) * 3) / 4));
      facts.satisfactionResponses = survey._count._all;
    }
    return facts;
  }

  const toView = (row: { hasilKerja: string; perilaku: string; predikat: string; numericScore: number; flags: string[]; trace: unknown; kind: string }): ResultView => {
    const reasons = (row.trace as { reasons?: unknown } | null)?.reasons;
    return {
      hasilKerja: row.hasilKerja as ResultView['hasilKerja'],
      perilaku: row.perilaku as ResultView['perilaku'],
      predikat: row.predikat as ResultView['predikat'],
      numericScore: row.numericScore,
      flags: row.flags as ResultView['flags'],
      reasons: Array.isArray(reasons) ? reasons.map(String) : [],
      final: row.kind === 'FINAL',
    };
  };

  async function computeScore(input: ComputeScoreInput): Promise<ResultView> {
    const { evaluationId, kind } = input;
    const round = input.round ?? 0;
    const existing = await prisma.score.findUnique({ where: { evaluationId_kind: { evaluationId, kind } } });
    // a retry: the score is written once per round (a higher calibration round replaces the INITIAL score)
    if (existing && existing.round >= round) return toView(existing);
    const version = await prisma.ruleSetVersion.findUniqueOrThrow({ where: { id: input.ruleSetVersionId } });
    const facts = await gatherFacts(evaluationId, input.rating);
    const out = await evaluate(version.document as unknown as RuleSetDocument, facts);
    // the rule set may leave a rating open (nobody rated and no rule suggested one): record the fallback, never guess silently
    const reasons = [...out.reasons];
    const hasilKerja: Rating = out.hasilKerja ?? 'DI_BAWAH';
    const perilaku: Rating = out.perilaku ?? 'SESUAI';
    if (!out.hasilKerja) reasons.push('Hasil kerja tidak dinilai dan tidak dapat diturunkan: ditetapkan DI_BAWAH ekspektasi.');
    if (!out.perilaku) reasons.push('Perilaku kerja tidak dinilai: ditetapkan SESUAI ekspektasi.');
    const predikat = out.predikat ?? predikatFor(hasilKerja, perilaku);
    const fields = {
        hasilKerja,
        perilaku,
        predikat,
        numericScore: out.numericScore ?? 0,
        flags: [...new Set(out.flags.map((f) => f.flag))],
        facts: json(facts),
        trace: json({ reasons, flags: out.flags, scoreComponents: out.scoreComponents, ruleSet: out.ruleSet, trace: out.trace }),
        ruleSetVersionId: version.id,
        round,
        createdAt: new Date(input.at),
    };
    const row = await prisma.score.upsert({
      where: { evaluationId_kind: { evaluationId, kind } },
      create: { evaluationId, kind, ...fields },
      update: fields,
    });
    const region = (await prisma.evaluation.findUniqueOrThrow({ where: { id: evaluationId }, select: { regionId: true } })).regionId;
    await appendAudit(prisma, {
      regionId: region,
      action: kind === 'INITIAL' ? 'score.initial' : 'score.final',
      entityType: 'Score',
      entityId: row.id,
      before: existing ? { predikat: existing.predikat, numericScore: existing.numericScore, round: existing.round } : null,
      after: { predikat: row.predikat, numericScore: row.numericScore, flags: row.flags, ruleSetVersionId: version.id, round },
      at: new Date(input.at),
    });
    return toView(row);
  }

  // ------------------------------------------------------------------------------------------------ cycle fan-out

  /**
   * One batch of the cycle's fan-out. In one transaction: the batch's new Evaluation rows, already in their first
   * projected state (seq 1, the SUBMIT_TARGETS task, one `evaluation.started` audit event each, appended under one
   * lock). Then the workflow starts, START_CONCURRENCY at a time, each told that its first projection exists.
   * Re-running a batch (retry, resumed worker, re-opened cycle) inserts nothing twice and starts nobody twice:
   * existing rows are kept, with the opening time they were created with, and a start of a running id is refused.
   */
  async function startEvaluationBatch(input: StartBatchInput) {
    const cycle = await prisma.cycle.findUniqueOrThrow({ where: { id: input.cycleId }, include: { ruleSetVersion: true } });
    const doc = cycle.ruleSetVersion.document as unknown as RuleSetDocument;
    const calendar: Calendar = calendarOf(doc);
    const periods = periodsOf(doc);
    const where = { regionId: cycle.regionId, status: 'ACTIVE' as const };
    const total = await prisma.employee.count({ where });
    const employees = await prisma.employee.findMany({
      where: { ...where, ...(input.cursor ? { id: { gt: input.cursor } } : {}) },
      orderBy: { id: 'asc' },
      take: input.batchSize,
      select: { id: true, unitId: true, superiorId: true, superior: { select: { superiorId: true } } },
    });
    const inputFor = (ev: { id: string; employeeId: string; supervisorId: string | null; reviewerId: string | null; createdAt: Date; seq: number }): EvaluationInput => ({
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
      openedAt: ev.createdAt.toISOString(),
      // rows written before the fan-out projected them (seq 0) are left to the workflow's own first projection
      projected: ev.seq >= 1,
    });
    const openedAt = deps.now?.() ?? new Date();
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
        await tx.task.createMany({ data: mine.flatMap(({ row, first }) => first.openTasks.map((t) => newTask(cycle.regionId, row.id, t, openedAt))) });
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
    const tc = await temporalClient();
    let started = 0;
    let eager = 0;
    for (let i = 0; i < rows.length; i += START_CONCURRENCY) {
      await Promise.all(
        rows.slice(i, i + START_CONCURRENCY).map(async (ev) => {
          try {
            const h = await tc.workflow.start('evaluationWorkflow', {
              workflowId: ev.workflowId,
              taskQueue,
              args: [inputFor(ev)],
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

  /** Failures are logged (then rethrown for Temporal's retry): a failing projection must never be silent. */
  const logged =
    <A extends unknown[], R>(name: string, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await fn(...args);
      } catch (err) {
        log.warn(`${name} failed`, { error: err instanceof Error ? err.message : String(err) });
        throw err;
      }
    };
  return {
    project: logged('project', project),
    sendReminder: logged('sendReminder', sendReminder),
    computeScore: logged('computeScore', computeScore),
    startEvaluationBatch: logged('startEvaluationBatch', startEvaluationBatch),
    markCycleOpen: logged('markCycleOpen', markCycleOpen),
    ...simulationActivities({ prisma, log }),
    ...maintenanceActivities({ prisma, log }),
  };
}
