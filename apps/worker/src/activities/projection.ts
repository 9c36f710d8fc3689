/**
 * The projection: one transaction writes a workflow's state into the database (the Evaluation head, SKP, RHK and
 * indicators, period reports, reviews, the appeal, the task inbox, an audit event per change and, in the outbox, the
 * notifications the changes produce: a notification exists exactly when its event is recorded). Idempotent by the
 * workflow's monotonic `seq`; a write that can never succeed is recorded as a ProjectionFailure and refused.
 */
import { ApplicationFailure } from '@temporalio/common';
import { appendAuditMany, Prisma, type AuditEventInput } from '@kinerja/db';
import { PROJECTION_REJECTED, indicatorId, rhkId, type Activities, type Actor, type Change, type OpenTask, type ProjectInput } from '@kinerja/workflows';
import { notificationsOfProjection } from '../notify/derive.js';
import { writeOutbox } from '../notify/outbox.js';
import { activityContext, json, logged, newTask, taskFields, taskKey, type JobDeps } from './shared.js';

type ProjectionActivities = Pick<Activities, 'project'>;

type Tx = Prisma.TransactionClient;

function actorFields(actor: Actor | undefined) {
  return actor
    ? { actorUserId: actor.userId, actorEmployeeId: actor.employeeId, actingForId: actor.actingForId ?? null, requestId: actor.requestId ?? null }
    : { actorUserId: null, actorEmployeeId: null, actingForId: null, requestId: null };
}

/**
 * Whether a failed projection can never succeed by retrying, and why (SQLSTATE or error class); null: transient, retry.
 * Permanent: PostgreSQL data exceptions (class 22, e.g. 22P05/22021 for a NUL), integrity violations (class 23; a
 * unique violation only after a few attempts, because a concurrent attempt of the same idempotent write causes one
 * and the retry then finds the row and skips), a missing row to update (P2025), Prisma's own validation errors, and
 * JSON/serialisation errors. Everything
 * else (connections, 40001 serialization failures, 40P01 deadlocks, timeouts, a score not written yet) retries.
 */
function classifyProjectionError(err: unknown, attempt: number): { code: string; message: string } | null {
  if (err instanceof Prisma.PrismaClientValidationError) return { code: 'PRISMA_VALIDATION', message: lastLine(err.message) };
  if (err instanceof Prisma.PrismaClientKnownRequestError) {
    const cause = (err.meta as { driverAdapterError?: { cause?: { originalCode?: unknown; originalMessage?: unknown } } } | undefined)?.driverAdapterError
      ?.cause;
    const sqlState = typeof cause?.originalCode === 'string' ? cause.originalCode : undefined;
    const message = typeof cause?.originalMessage === 'string' ? cause.originalMessage : lastLine(err.message);
    if (sqlState?.startsWith('22')) return { code: sqlState, message };
    if (sqlState === '23505') return attempt >= UNIQUE_RETRIES ? { code: sqlState, message } : null;
    if (sqlState?.startsWith('23')) return { code: sqlState, message };
    // a row this change updates does not exist: an earlier write of the same evaluation was refused (and is listed)
    if (err.code === 'P2025') return { code: 'P2025', message: lastLine(err.message) };
    return null;
  }
  if (err instanceof SyntaxError || (err instanceof TypeError && /JSON|circular|BigInt/i.test(err.message)))
    return { code: 'SERIALISATION', message: err.message };
  return null;
}
/** attempts after which a unique violation is taken to be permanent rather than a concurrent duplicate attempt */
const UNIQUE_RETRIES = 5;
const lastLine = (m: string) => m.trim().split('\n').filter(Boolean).pop() ?? m;
/** A message fit for a log line and a text column: no control characters (the cause may be a NUL), bounded. */
// eslint-disable-next-line no-control-regex
const sanitise = (m: string) => m.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, 1000);

export function projectionActivities(deps: JobDeps): ProjectionActivities {
  const { prisma, log } = deps;

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
    const review = (
      actor: Actor,
      fields: {
        kind: 'PERIOD' | 'ANNUAL' | 'APPEAL_DECISION';
        decision: string;
        period?: number;
        hasilKerja: string | null;
        perilaku?: unknown;
        feedback: string | null;
      },
    ) =>
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
        return audit(
          'report.submitted',
          'PeriodReport',
          `${evaluationId}:${c.period}`,
          { period: c.period, late: c.late, revision: c.revision, realisations: c.input.realisations },
          c.actor,
        );
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
        return audit(
          rating ? 'report.reviewed' : 'report.revision_requested',
          'PeriodReport',
          `${evaluationId}:${c.period}`,
          { ...c.input, escalated: c.escalated },
          c.actor,
        );
      }
      case 'REPORT_MISSING':
        return audit('report.missing', 'PeriodReport', `${evaluationId}:${c.period}`, { period: c.period });
      case 'REPORT_UNREVIEWED':
        return audit('report.unreviewed', 'PeriodReport', `${evaluationId}:${c.period}`, { period: c.period });
      case 'ESCALATED':
        return audit('task.escalated', 'Task', taskKey(evaluationId, c.task, c.period), { from: c.from, to: c.to });
      case 'ANNUAL_RATED':
        await review(c.actor, {
          kind: 'ANNUAL',
          decision: 'RATE',
          hasilKerja: c.input.hasilKerja,
          perilaku: c.input.perilaku,
          feedback: c.input.notes ?? null,
        });
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
        create: newTask({ regionId: input.regionId, cycleId: input.cycleId, evaluationId }, t, now),
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
          create: {
            regionId: input.regionId,
            evaluationId: input.evaluationId,
            workflowId: input.workflowId,
            seq: input.seq,
            code: rejected.code,
            message,
            changeKinds,
          },
          update: { code: rejected.code, message, changeKinds },
        }),
      );
      log.warn('projection rejected', {
        workflowId: input.workflowId,
        evaluationId: input.evaluationId,
        seq: input.seq,
        code: rejected.code,
        message,
        changeKinds,
      });
      throw ApplicationFailure.create({
        type: PROJECTION_REJECTED,
        message: `${rejected.code}: ${message}`,
        nonRetryable: true,
        details: [{ code: rejected.code }],
      });
    }
  }

  async function writeProjection(input: ProjectInput): Promise<{ applied: boolean }> {
    const s = input.state;
    const at = input.changes.length ? new Date(input.changes[input.changes.length - 1]!.at) : deps.now();
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
        // due now by the worker's clock, not the workflow's: a time-skipped test workflow runs ahead of the dispatcher
        await writeOutbox(tx, input.regionId, notificationsOfProjection(input), deps.now());
        await appendAuditMany(tx, audits);
        return { applied: true };
      },
      { timeout: 20_000, maxWait: 20_000 },
    );
  }

  return { project: logged(log, 'project', project) };
}
