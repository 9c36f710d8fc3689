/**
 * Opening a cycle on the time-skipping server with the real activities and a real (PGlite) database:
 *  - the fan-out writes each new evaluation's first projection with its batch (row at seq 1, the SUBMIT_TARGETS task,
 *    one audit event) and the workflow, told so, agrees with it and does not write it again;
 *  - deadlines count from the batch's opening time, the same for the database and the workflow;
 *  - re-opening writes nothing twice; a row left unprojected by an older fan-out is projected by its workflow;
 *  - a malformed payload sent straight to a workflow (not through the API) is refused by the update validator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '@kinerja/db';
import { durationMs } from '@kinerja/domain';
import { cycleWorkflowId, evaluationWorkflowId, type EvaluationState } from '@kinerja/workflows';
import type { cycleWorkflow } from '@kinerja/workflows/workflows';
import { actor, eventually, rejection, seedOrg, skpDraft, timeSkippingContext, type EvalHandle, type Org, type TsContext } from './helpers.js';

let ctx: TsContext;

/**
 * Runs the cycle's fan-out until its `cycle.opened` event, and returns the Cycle row's counts. Never awaits
 * `result()`: the time-skipping client skips time whenever it awaits a result, which would fire the new
 * evaluations' reminder timers.
 */
async function openCycle(org: Org, workflowId = cycleWorkflowId(org.cycleId)) {
  const before = await ctx.prisma.auditEvent.count({ where: { regionId: org.regionId, action: 'cycle.opened' } });
  const h = await ctx.client.workflow.start<typeof cycleWorkflow>('cycleWorkflow', {
    taskQueue: ctx.taskQueue,
    workflowId,
    args: [{ cycleId: org.cycleId, regionId: org.regionId, batchSize: 2 }],
  });
  await eventually(
    async () => (await ctx.prisma.auditEvent.count({ where: { regionId: org.regionId, action: 'cycle.opened' } })) > before,
    30_000,
    'cycle opened',
  );
  await eventually(async () => (await h.describe()).status.name === 'COMPLETED', 30_000, 'cycle workflow completed');
  return ctx.prisma.cycle.findUniqueOrThrow({ where: { id: org.cycleId }, select: { status: true, totalEmployees: true, startedCount: true } });
}
const handle = (org: Org, employeeId: string): EvalHandle => ctx.client.workflow.getHandle(evaluationWorkflowId(org.cycleId, employeeId));
const everybody = (org: Org) => [org.kepala, org.head, ...org.staff];

// the fan-out's bulk writes (createManyAndReturn … skipDuplicates, one audit lock per batch) on both databases
describe.each(['pglite', 'postgres'] as const)('opening a cycle on %s', (kind) => {
  beforeAll(async () => {
    ctx = await timeSkippingContext(kind);
  }, 120_000);
  afterAll(async () => {
    await ctx?.teardown();
  });

  it('writes each first projection with its batch; the workflows agree and do not write it again', async () => {
    const org = await seedOrg(ctx.prisma, { staff: 3 });
    const total = everybody(org).length;
    expect(await openCycle(org)).toEqual({ status: 'OPEN', totalEmployees: total, startedCount: total });

    const rows = await ctx.prisma.evaluation.findMany({ where: { cycleId: org.cycleId }, include: { tasks: true } });
    expect(rows).toHaveLength(total);
    const targetDeadline = durationMs(org.calendar.targetDeadline);
    for (const row of rows) {
      expect(row).toMatchObject({ seq: 1, phase: 'TARGET_SETTING' });
      expect(row.tasks).toHaveLength(1);
      const task = row.tasks[0]!;
      expect(task).toMatchObject({ kind: 'SUBMIT_TARGETS', assigneeId: row.employeeId, status: 'OPEN', escalated: false });
      expect(task.dueAt?.getTime()).toBe(row.createdAt.getTime() + targetDeadline);

      const h = handle(org, row.employeeId);
      const s = await h.query<EvaluationState>('getState');
      expect(s.seq).toBe(1);
      expect(s.targetDeadline).toBe(task.dueAt?.toISOString());
      expect(s.openTasks.map((t) => ({ kind: t.kind, assigneeId: t.assigneeId, dueAt: t.dueAt }))).toEqual([
        { kind: 'SUBMIT_TARGETS', assigneeId: row.employeeId, dueAt: task.dueAt?.toISOString() },
      ]);
      // the workflow's first task only armed its timer: no local activity (projection) was recorded
      const events = (await h.fetchHistory()).events ?? [];
      const markers = events.filter((e) => e.markerRecordedEventAttributes).map((e) => e.markerRecordedEventAttributes?.markerName);
      expect(markers).not.toContain('core_local_activity');
      expect(markers).toContain('core_patch');
    }
    // one evaluation.started event per evaluation, stamped with its opening time, and the chain verifies
    const started = await ctx.prisma.auditEvent.findMany({ where: { regionId: org.regionId, action: 'evaluation.started' } });
    expect(started.map((e) => e.entityId).sort()).toEqual(rows.map((r) => r.id).sort());
    for (const e of started) expect(e.at.getTime()).toBe(rows.find((r) => r.id === e.entityId)!.createdAt.getTime());
    expect((await verifyAuditChain(ctx.prisma, org.regionId)).ok).toBe(true);

    // re-opening the same cycle (another cycle workflow) inserts, audits and starts nothing new
    const runIds = await Promise.all(everybody(org).map(async (id) => (await handle(org, id).describe()).runId));
    const auditsBefore = await ctx.prisma.auditEvent.count({ where: { regionId: org.regionId } });
    expect(await openCycle(org, `${cycleWorkflowId(org.cycleId)}/again`)).toEqual({ status: 'OPEN', totalEmployees: total, startedCount: total });
    expect(await ctx.prisma.evaluation.count({ where: { cycleId: org.cycleId } })).toBe(total);
    expect(await ctx.prisma.task.count({ where: { regionId: org.regionId } })).toBe(total);
    // only the second cycle.opened event is new
    expect(await ctx.prisma.auditEvent.count({ where: { regionId: org.regionId } })).toBe(auditsBefore + 1);
    expect(await Promise.all(everybody(org).map(async (id) => (await handle(org, id).describe()).runId))).toEqual(runIds);
  }, 120_000);

  it('a row an older fan-out left unprojected (seq 0) is projected by its own workflow', async () => {
    const org = await seedOrg(ctx.prisma, { staff: 1 });
    const legacyEmployee = org.staff[0]!;
    const legacy = await ctx.prisma.evaluation.create({
      data: {
        cycleId: org.cycleId,
        regionId: org.regionId,
        employeeId: legacyEmployee,
        unitId: org.unitId,
        supervisorId: org.head,
        reviewerId: org.kepala,
        workflowId: evaluationWorkflowId(org.cycleId, legacyEmployee),
      },
    });
    expect(legacy.seq).toBe(0);
    await openCycle(org);
    const s = await handle(org, legacyEmployee).query<EvaluationState>('getState');
    expect(s.seq).toBe(1);
    const row = await ctx.prisma.evaluation.findUniqueOrThrow({ where: { id: legacy.id }, include: { tasks: true } });
    expect(row.seq).toBe(1);
    expect(row.tasks.map((t) => [t.kind, t.assigneeId, t.dueAt?.toISOString()])).toEqual([['SUBMIT_TARGETS', legacyEmployee, s.targetDeadline]]);
    const audits = await ctx.prisma.auditEvent.findMany({ where: { regionId: org.regionId, action: 'evaluation.started' } });
    expect(audits.filter((a) => a.entityId === legacy.id)).toHaveLength(1);
    expect(audits).toHaveLength(everybody(org).length);
  }, 120_000);

  it('refuses a malformed payload sent straight to the workflow, changing nothing', async () => {
    const org = await seedOrg(ctx.prisma, { staff: 1 });
    await openCycle(org);
    const staff = org.staff[0]!;
    const h = handle(org, staff);
    const submit = (skp: unknown) => h.executeUpdate('submitTargets', { args: [{ actor: actor(staff), skp: skp as typeof skpDraft }] });
    expect(await rejection(submit({ rhk: [] }))).toBe('VALIDATION_FAILED');
    expect(await rejection(submit({ rhk: [{ name: 'tanpa indikator' }] }))).toBe('VALIDATION_FAILED');
    expect(await rejection(submit('bukan objek'))).toBe('VALIDATION_FAILED');
    let s = await h.query<EvaluationState>('getState');
    expect(s).toMatchObject({ seq: 1, skpStatus: 'DRAFT' });
    // the state checks still come first, and a well-formed payload goes through
    expect(await rejection(h.executeUpdate('submitTargets', { args: [{ actor: actor(org.head), skp: skpDraft }] }))).toBe('FORBIDDEN');
    expect(await rejection(submit(skpDraft))).toBeNull();
    s = await h.query<EvaluationState>('getState');
    expect(s.skpStatus).toBe('SUBMITTED');
  }, 120_000);
});
