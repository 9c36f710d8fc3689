/**
 * Every deadline, reminder, escalation and window of the evaluation workflow, on the real time-skipping server
 * with the real activities writing a real (PGlite) database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { predikatFor } from '@kinerja/domain';
import type { EvaluationInput } from '@kinerja/workflows';
import {
  DAY,
  actor,
  annualRating,
  eventually,
  rejection,
  reportFor,
  seedOrg,
  skpDraft,
  startEvaluation,
  state,
  timeSkippingContext,
  type Org,
  type TsContext,
} from './helpers.js';

let ctx: TsContext;
beforeAll(async () => {
  ctx = await timeSkippingContext();
}, 120_000);
afterAll(async () => {
  await ctx?.teardown();
});

const task = (evaluationId: string, kind: string, period?: number) =>
  ctx.prisma.task.findUnique({ where: { key: `${evaluationId}:${kind}:${period ?? '-'}` } });

async function approved(org: Org, employeeId: string, periods = 2, over: Partial<EvaluationInput> = {}) {
  const { handle, input } = await startEvaluation(ctx, org, employeeId, { periods, ...over });
  await handle.executeUpdate('submitTargets', { args: [{ actor: actor(employeeId), skp: skpDraft }] });
  await handle.executeUpdate('decideTargets', { args: [{ actor: actor(org.head), input: { decision: 'APPROVE' } }] });
  return { handle, input };
}

describe('target setting', () => {
  it('reminds before the target deadline and escalates approval to the atasan at it', async () => {
    const org = await seedOrg(ctx.prisma);
    const staff = org.staff[0]!;
    const { handle, input } = await startEvaluation(ctx, org, staff);
    expect(await task(input.evaluationId, 'SUBMIT_TARGETS')).toMatchObject({ assigneeId: staff, status: 'OPEN' });
    await handle.executeUpdate('submitTargets', { args: [{ actor: actor(staff), skp: skpDraft }] });
    expect(await task(input.evaluationId, 'APPROVE_TARGETS')).toMatchObject({ assigneeId: org.head, status: 'OPEN', escalated: false });
    expect(await task(input.evaluationId, 'SUBMIT_TARGETS')).toMatchObject({ status: 'DONE' });

    await ctx.env.sleep(29 * DAY); // reminder at 31d - 3d
    await eventually(async () => (await ctx.prisma.auditEvent.count({ where: { regionId: org.regionId, action: 'reminder.sent' } })) === 1, 15_000, 'reminder');
    const reminder = await ctx.prisma.auditEvent.findFirstOrThrow({ where: { regionId: org.regionId, action: 'reminder.sent' } });
    expect(reminder.after).toMatchObject({ assigneeId: org.head });

    await ctx.env.sleep(2 * DAY + 1000);
    await eventually(async () => (await task(input.evaluationId, 'APPROVE_TARGETS'))?.escalated === true, 15_000, 'escalation');
    expect(await task(input.evaluationId, 'APPROVE_TARGETS')).toMatchObject({ assigneeId: org.kepala, actingForId: org.head, escalated: true });
    expect(await ctx.prisma.auditEvent.count({ where: { regionId: org.regionId, action: 'task.escalated' } })).toBe(1);

    // the employee cannot approve their own targets; the atasan can now
    expect(await rejection(handle.executeUpdate('decideTargets', { args: [{ actor: actor(staff), input: { decision: 'APPROVE' } }] }))).toBe('FORBIDDEN');
    await handle.executeUpdate('decideTargets', { args: [{ actor: actor(org.kepala), input: { decision: 'APPROVE' } }] });
    const skp = await ctx.prisma.skp.findUniqueOrThrow({ where: { evaluationId: input.evaluationId } });
    expect(skp).toMatchObject({ status: 'APPROVED', decidedById: org.kepala, actingForId: org.head });
    expect((await state(handle)).phase).toBe('PERIODIC');
    expect(await ctx.prisma.evaluation.findUniqueOrThrow({ where: { id: input.evaluationId } })).toMatchObject({ phase: 'PERIODIC' });
  });

  it('a RETURN goes back to the employee with the note; nobody acting lapses target setting at the hard stop', async () => {
    const org = await seedOrg(ctx.prisma);
    const staff = org.staff[0]!;
    const { handle, input } = await startEvaluation(ctx, org, staff);
    await handle.executeUpdate('submitTargets', { args: [{ actor: actor(staff), skp: skpDraft }] });
    await handle.executeUpdate('decideTargets', { args: [{ actor: actor(org.head), input: { decision: 'RETURN', note: 'tambahkan indikator mutu' } }] });
    expect(await ctx.prisma.skp.findUniqueOrThrow({ where: { evaluationId: input.evaluationId } })).toMatchObject({
      status: 'RETURNED',
      returnNote: 'tambahkan indikator mutu',
    });
    expect(await task(input.evaluationId, 'SUBMIT_TARGETS')).toMatchObject({ status: 'OPEN', assigneeId: staff });
    await ctx.env.sleep(62 * DAY + 1000);
    await eventually(async () => (await state(handle)).phase === 'PERIODIC', 15_000, 'lapse');
    expect(await ctx.prisma.auditEvent.count({ where: { regionId: org.regionId, action: 'skp.lapsed' } })).toBe(1);
  });
});

describe('periods', () => {
  it('flags a late report and records MISSING after the cutoff', async () => {
    const org = await seedOrg(ctx.prisma);
    const staff = org.staff[0]!;
    const { handle, input } = await approved(org, staff, 3);
    // period 1 ends at 30d; on time until +5d, late until +15d
    await ctx.env.sleep(30 * DAY + 6 * DAY);
    await handle.executeUpdate('submitReport', { args: [{ actor: actor(staff), period: 1, input: reportFor(input.evaluationId) }] });
    const p1 = await ctx.prisma.periodReport.findUniqueOrThrow({ where: { evaluationId_period: { evaluationId: input.evaluationId, period: 1 } } });
    expect(p1).toMatchObject({ status: 'SUBMITTED', late: true, revision: 1 });
    // period 2 ends at 60d, cutoff at 75d
    await ctx.env.sleep(40 * DAY);
    await eventually(async () => (await state(handle)).periods[1]?.state === 'MISSING', 15_000, 'missing');
    expect(await rejection(handle.executeUpdate('submitReport', { args: [{ actor: actor(staff), period: 2, input: reportFor(input.evaluationId) }] }))).toBe(
      'DEADLINE_PASSED',
    );
    expect(await ctx.prisma.periodReport.findUniqueOrThrow({ where: { evaluationId_period: { evaluationId: input.evaluationId, period: 2 } } })).toMatchObject({
      status: 'MISSING',
    });
    expect(await task(input.evaluationId, 'SUBMIT_REPORT', 2)).toMatchObject({ status: 'DONE' });
    expect(await rejection(handle.executeUpdate('submitReport', { args: [{ actor: actor(staff), period: 9, input: reportFor(input.evaluationId) }] }))).toBe(
      'NOT_FOUND',
    );
  });

  it('escalates an unreviewed report to the atasan at the review deadline; the atasan rates it for the supervisor', async () => {
    const org = await seedOrg(ctx.prisma);
    const staff = org.staff[0]!;
    const { handle, input } = await approved(org, staff);
    await ctx.env.sleep(30 * DAY);
    await handle.executeUpdate('submitReport', { args: [{ actor: actor(staff), period: 1, input: reportFor(input.evaluationId) }] });
    expect(await task(input.evaluationId, 'REVIEW_PERIOD', 1)).toMatchObject({ assigneeId: org.head, escalated: false });
    await ctx.env.sleep(10 * DAY + 1000);
    await eventually(async () => (await task(input.evaluationId, 'REVIEW_PERIOD', 1))?.escalated === true, 15_000, 'review escalation');
    expect(await task(input.evaluationId, 'REVIEW_PERIOD', 1)).toMatchObject({ assigneeId: org.kepala, actingForId: org.head });
    await handle.executeUpdate('reviewReport', {
      args: [{ actor: actor(org.kepala), period: 1, input: { decision: 'RATE', rating: 'SESUAI', feedback: 'sesuai target' } }],
    });
    const review = await ctx.prisma.review.findFirstOrThrow({ where: { evaluationId: input.evaluationId, kind: 'PERIOD' } });
    expect(review).toMatchObject({ reviewerId: org.kepala, actingForId: org.head, decision: 'RATE', hasilKerja: 'SESUAI' });
    expect(await task(input.evaluationId, 'REVIEW_PERIOD', 1)).toMatchObject({ status: 'DONE' });
  });
});

async function toAppealWindow(org: Org, staff: string, hasil: 'DI_ATAS' | 'SESUAI' | 'DI_BAWAH' = 'SESUAI') {
  const { handle, input } = await approved(org, staff, 2);
  for (const p of [1, 2]) {
    await ctx.env.sleep(30 * DAY);
    await handle.executeUpdate('submitReport', { args: [{ actor: actor(staff), period: p, input: reportFor(input.evaluationId, 60) }] });
    await handle.executeUpdate('reviewReport', {
      args: [{ actor: actor(org.head), period: p, input: { decision: 'RATE', rating: 'SESUAI', feedback: 'sesuai target' } }],
    });
  }
  await eventually(async () => (await state(handle)).phase === 'ANNUAL_RATING', 15_000, 'annual');
  await handle.executeUpdate('rateAnnual', { args: [{ actor: actor(org.head), input: annualRating(hasil, 'SESUAI') }] });
  await eventually(async () => (await state(handle)).phase === 'APPEAL_WINDOW', 15_000, 'appeal window');
  return { handle, input };
}

describe('annual rating, appeal window, appeal', () => {
  it('the appeal window expires into FINAL: one FINAL score equal to the INITIAL one', async () => {
    const org = await seedOrg(ctx.prisma);
    const staff = org.staff[0]!;
    const { handle, input } = await toAppealWindow(org, staff);
    const initial = await ctx.prisma.score.findUniqueOrThrow({ where: { evaluationId_kind: { evaluationId: input.evaluationId, kind: 'INITIAL' } } });
    expect(initial.predikat).toBe(predikatFor('SESUAI', 'SESUAI'));
    await ctx.env.sleep(14 * DAY + 1000);
    const result = await handle.result();
    expect(result.phase).toBe('FINAL');
    expect(result.result).toMatchObject({ predikat: initial.predikat, final: true });
    const finals = await ctx.prisma.score.findMany({ where: { evaluationId: input.evaluationId, kind: 'FINAL' } });
    expect(finals).toHaveLength(1);
    expect(finals[0]).toMatchObject({ predikat: initial.predikat, numericScore: initial.numericScore });
    // the workflow has completed: no update reaches it any more (the API answers from the projection)
    await expect(
      handle.executeUpdate('fileAppeal', { args: [{ actor: actor(staff), input: { reasons: 'saya tidak setuju dengan nilai ini' } }] }),
    ).rejects.toThrow();
    expect(await ctx.prisma.task.count({ where: { evaluationId: input.evaluationId, status: 'OPEN' } })).toBe(0);
  });

  it('a keberatan at the very end of its window is refused with the time it closed, even before its timer has run', async () => {
    const org = await seedOrg(ctx.prisma);
    const staff = org.staff[0]!;
    const { handle } = await toAppealWindow(org, staff);
    const endsAt = Date.parse((await state(handle)).appealDeadline!);
    await ctx.env.sleep(endsAt - (await ctx.env.currentTimeMs()));
    // the window's timer may not have run yet (a query then still shows APPEAL_WINDOW): the validator applies every
    // deadline due by the update's own time, and the window's end is due, not in it
    const appeal = handle.executeUpdate('fileAppeal', { args: [{ actor: actor(staff), input: { reasons: 'saya tidak setuju dengan nilai ini' } }] });
    await expect(appeal).rejects.toMatchObject({ cause: { type: 'DEADLINE_PASSED', message: expect.stringMatching(/^masa keberatan telah berakhir pada /) } });
    const result = await handle.result();
    expect(result.phase).toBe('FINAL');
    expect(result.appeal).toBeUndefined();
  });

  it('appeal: the atasan asks the supervisor, hears the answer and revises; the recomputed score is FINAL', async () => {
    const org = await seedOrg(ctx.prisma);
    const staff = org.staff[0]!;
    const { handle, input } = await toAppealWindow(org, staff, 'SESUAI');
    const appeal = { actor: actor(staff), input: { reasons: 'capaian saya melebihi target, mohon ditinjau' } };
    expect(await rejection(handle.executeUpdate('fileAppeal', { args: [{ ...appeal, actor: actor(org.head) }] }))).toBe('FORBIDDEN');
    await handle.executeUpdate('fileAppeal', { args: [appeal] });
    expect(await task(input.evaluationId, 'DECIDE_APPEAL')).toMatchObject({ assigneeId: org.kepala, status: 'OPEN' });
    expect(await rejection(handle.executeUpdate('decideAppeal', { args: [{ actor: actor(org.head), input: { decision: 'UPHOLD', reasons: 'tetap' } }] }))).toBe(
      'FORBIDDEN',
    );
    await handle.executeUpdate('requestAppealResponse', { args: [{ actor: actor(org.kepala) }] });
    expect(await task(input.evaluationId, 'RESPOND_APPEAL')).toMatchObject({ assigneeId: org.head, status: 'OPEN' });
    await handle.executeUpdate('respondAppeal', { args: [{ actor: actor(org.head), input: { response: 'nilai sudah sesuai bukti' } }] });
    await handle.executeUpdate('decideAppeal', {
      args: [
        {
          actor: actor(org.kepala),
          input: { decision: 'REVISE', reasons: 'bukti capaian kuat', hasilKerja: 'DI_ATAS', perilaku: annualRating('DI_ATAS', 'DI_ATAS').perilaku },
        },
      ],
    });
    const result = await handle.result();
    expect(result.phase).toBe('FINAL');
    const final = await ctx.prisma.score.findUniqueOrThrow({ where: { evaluationId_kind: { evaluationId: input.evaluationId, kind: 'FINAL' } } });
    expect(final).toMatchObject({ hasilKerja: 'DI_ATAS', perilaku: 'DI_ATAS' });
    expect(final.predikat).toBe(result.result?.predikat);
    expect(await ctx.prisma.appeal.findUniqueOrThrow({ where: { evaluationId: input.evaluationId } })).toMatchObject({
      status: 'DECIDED',
      decision: 'REVISE',
      supervisorResponse: 'nilai sudah sesuai bukti',
      decidedById: org.kepala,
    });
  });
});

describe('organisational signals', () => {
  it('changeSupervisor moves the open approval task to the new supervisor', async () => {
    const org = await seedOrg(ctx.prisma, { staff: 2 });
    const staff = org.staff[0]!;
    const newHead = org.staff[1]!;
    const { handle, input } = await startEvaluation(ctx, org, staff);
    await handle.executeUpdate('submitTargets', { args: [{ actor: actor(staff), skp: skpDraft }] });
    await handle.signal('changeSupervisor', { supervisorId: newHead, reviewerId: org.kepala, by: 'admin-user' });
    await eventually(async () => (await task(input.evaluationId, 'APPROVE_TARGETS'))?.assigneeId === newHead, 15_000, 'task moved');
    expect(await ctx.prisma.evaluation.findUniqueOrThrow({ where: { id: input.evaluationId } })).toMatchObject({ supervisorId: newHead });
    expect(await rejection(handle.executeUpdate('decideTargets', { args: [{ actor: actor(org.head), input: { decision: 'APPROVE' } }] }))).toBe('FORBIDDEN');
    await handle.executeUpdate('decideTargets', { args: [{ actor: actor(newHead), input: { decision: 'APPROVE' } }] });
  });

  it('closeEvaluation ends the workflow CLOSED with its reason and cancels open tasks', async () => {
    const org = await seedOrg(ctx.prisma);
    const staff = org.staff[0]!;
    const { handle, input } = await approved(org, staff);
    await handle.signal('closeEvaluation', { reason: 'pindah tugas ke daerah lain', by: 'admin-user' });
    const result = await handle.result();
    expect(result).toMatchObject({ phase: 'CLOSED', closedReason: 'pindah tugas ke daerah lain', openTasks: [] });
    expect(await ctx.prisma.evaluation.findUniqueOrThrow({ where: { id: input.evaluationId } })).toMatchObject({
      phase: 'CLOSED',
      closedReason: 'pindah tugas ke daerah lain',
    });
    expect(await ctx.prisma.task.count({ where: { evaluationId: input.evaluationId, status: 'OPEN' } })).toBe(0);
    expect(await ctx.prisma.task.count({ where: { evaluationId: input.evaluationId, status: 'CANCELLED' } })).toBeGreaterThan(0);
  });
});

describe('unit calibration (SE MenPANRB 03/2023)', () => {
  it('waits after the INITIAL score; sent back it is re-rated (round 1 replaces the score); finalised the window opens; FINAL follows', async () => {
    const org = await seedOrg(ctx.prisma);
    const staff = org.staff[0]!;
    const { handle, input } = await approved(org, staff, 2, { calibration: true });
    for (const p of [1, 2]) {
      await ctx.env.sleep(30 * DAY);
      await handle.executeUpdate('submitReport', { args: [{ actor: actor(staff), period: p, input: reportFor(input.evaluationId, 60) }] });
      await handle.executeUpdate('reviewReport', {
        args: [{ actor: actor(org.head), period: p, input: { decision: 'RATE', rating: 'SESUAI', feedback: 'sesuai target' } }],
      });
    }
    await eventually(async () => (await state(handle)).phase === 'ANNUAL_RATING', 15_000, 'annual');
    await handle.executeUpdate('rateAnnual', { args: [{ actor: actor(org.head), input: annualRating('DI_ATAS', 'DI_ATAS') }] });
    await eventually(async () => (await state(handle)).phase === 'CALIBRATION', 15_000, 'calibration');
    const first = await ctx.prisma.score.findUniqueOrThrow({ where: { evaluationId_kind: { evaluationId: input.evaluationId, kind: 'INITIAL' } } });
    expect(first).toMatchObject({ predikat: predikatFor('DI_ATAS', 'DI_ATAS'), round: 0 });
    // no keberatan while the unit is being calibrated
    expect(
      await rejection(handle.executeUpdate('fileAppeal', { args: [{ actor: actor(staff), input: { reasons: 'saya tidak setuju dengan nilai ini' } }] })),
    ).toBe('WRONG_PHASE');
    // days pass without the window opening
    await ctx.env.sleep(20 * DAY);
    expect((await state(handle)).phase).toBe('CALIBRATION');

    await handle.signal('unitCalibrated', { decision: 'SENT_BACK', reason: 'Sangat Baik melebihi 70% di unit Istimewa', by: 'admin-user' });
    await eventually(async () => (await state(handle)).phase === 'ANNUAL_RATING', 15_000, 'back to annual rating');
    expect(await ctx.prisma.task.findUnique({ where: { key: `${input.evaluationId}:ANNUAL_RATING:-` } })).toMatchObject({
      status: 'OPEN',
      assigneeId: org.head,
    });
    await handle.executeUpdate('rateAnnual', { args: [{ actor: actor(org.head), input: annualRating('SESUAI', 'SESUAI') }] });
    await eventually(async () => (await state(handle)).phase === 'CALIBRATION', 15_000, 'calibration again');
    const second = await ctx.prisma.score.findUniqueOrThrow({ where: { evaluationId_kind: { evaluationId: input.evaluationId, kind: 'INITIAL' } } });
    expect(second).toMatchObject({ predikat: predikatFor('SESUAI', 'SESUAI'), round: 1 });

    await handle.signal('unitCalibrated', { decision: 'FINALISED', reason: 'distribusi sesuai', by: 'admin-user' });
    await eventually(async () => (await state(handle)).phase === 'APPEAL_WINDOW', 15_000, 'appeal window');
    await ctx.env.sleep(14 * DAY + 1000);
    const result = await handle.result();
    expect(result.phase).toBe('FINAL');
    const finals = await ctx.prisma.score.findMany({ where: { evaluationId: input.evaluationId, kind: 'FINAL' } });
    expect(finals).toHaveLength(1);
    expect(finals[0]!.predikat).toBe(predikatFor('SESUAI', 'SESUAI'));
    const decisions = await ctx.prisma.auditEvent.findMany({
      where: { regionId: org.regionId, action: { startsWith: 'evaluation.calibration_' } },
      orderBy: { seq: 'asc' },
    });
    expect(decisions.map((d) => d.action)).toEqual(['evaluation.calibration_sent_back', 'evaluation.calibration_finalised']);
    expect(decisions[0]!.actorUserId).toBe('admin-user');
  });
});
