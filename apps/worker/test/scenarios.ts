/**
 * Scripted evaluation years used to record replay fixtures (scripts/record-histories.ts). Each scenario drives real
 * workflows on a time-skipping server and returns the workflow handles whose histories are worth keeping.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { PrismaClient } from '@kinerja/db';
import { cycleCalendar, NATIONAL_CALENDAR } from '@kinerja/domain';
import { cycleWorkflowId, evaluationWorkflowId, type EvaluationState } from '@kinerja/workflows';
import type { cycleWorkflow } from '@kinerja/workflows/workflows';
import { DAY, actor, allAspects, evaluationInput, firstPeriodRated, reportFor, seedOrg, skpDraft, type EvalHandle, type Org } from './helpers.js';

export interface ScenarioContext {
  env: TestWorkflowEnvironment;
  client: Client;
  prisma: PrismaClient;
  taskQueue: string;
}

export type Recorded = { name: string; handle: WorkflowHandle; runId?: string | undefined };

async function start(c: ScenarioContext, org: Org, employeeId: string, periods: number, calibration = false) {
  const input = evaluationInput(org, employeeId, { periods, ...(calibration ? { calibration: true } : {}) });
  const handle: EvalHandle = await c.client.workflow.start('evaluationWorkflow', {
    taskQueue: c.taskQueue,
    workflowId: evaluationWorkflowId(org.cycleId, employeeId),
    args: [input],
  });
  return { handle, input };
}
const state = (h: EvalHandle) => h.query<EvaluationState>('getState');

/** Everybody acts promptly for a whole year; the employee appeals, the atasan hears the supervisor and revises. */
async function yearWithRevisedAppeal(c: ScenarioContext): Promise<Recorded[]> {
  const org = await seedOrg(c.prisma);
  const staff = org.staff[0]!;
  const { handle: h, input } = await start(c, org, staff, 12);
  await h.executeUpdate('submitTargets', { args: [{ actor: actor(staff), skp: skpDraft }] });
  await h.executeUpdate('decideTargets', { args: [{ actor: actor(org.head), input: { decision: 'RETURN', note: 'tambahkan target mutu' } }] });
  await h.executeUpdate('submitTargets', { args: [{ actor: actor(staff), skp: skpDraft }] });
  await h.executeUpdate('decideTargets', { args: [{ actor: actor(org.head), input: { decision: 'APPROVE' } }] });
  for (let p = 1; p <= 12; p++) {
    await c.env.sleep(30 * DAY);
    await h.executeUpdate('submitReport', { args: [{ actor: actor(staff), period: p, input: reportFor(input.evaluationId, 11) }] });
    if (p === 3) {
      await h.executeUpdate('reviewReport', {
        args: [{ actor: actor(org.head), period: p, input: { decision: 'REQUEST_REVISION', feedback: 'lampirkan bukti' } }],
      });
      await h.executeUpdate('submitReport', { args: [{ actor: actor(staff), period: p, input: reportFor(input.evaluationId, 12) }] });
    }
    await h.executeUpdate('reviewReport', {
      args: [{ actor: actor(org.head), period: p, input: { decision: 'RATE', rating: 'SESUAI', feedback: 'sesuai target' } }],
    });
  }
  await c.env.sleep(DAY);
  await h.executeUpdate('rateAnnual', { args: [{ actor: actor(org.head), input: { hasilKerja: 'SESUAI', perilaku: allAspects('SESUAI') } }] });
  while ((await state(h)).phase !== 'APPEAL_WINDOW') await c.env.sleep(1000);
  await h.executeUpdate('fileAppeal', { args: [{ actor: actor(staff), input: { reasons: 'capaian saya di atas target, mohon ditinjau' } }] });
  await h.executeUpdate('requestAppealResponse', { args: [{ actor: actor(org.kepala) }] });
  await h.executeUpdate('respondAppeal', { args: [{ actor: actor(org.head), input: { response: 'penilaian sesuai bukti' } }] });
  await h.executeUpdate('decideAppeal', {
    args: [{ actor: actor(org.kepala), input: { decision: 'REVISE', reasons: 'bukti kuat', hasilKerja: 'DI_ATAS', perilaku: allAspects('DI_ATAS') } }],
  });
  await h.result();
  return [{ name: 'year-revised-appeal', handle: h }];
}

/** Nobody acts on time: target escalation, a late and a missing report, review and rating escalation, appeal lapses. */
async function deadlinesEverywhere(c: ScenarioContext): Promise<Recorded[]> {
  const org = await seedOrg(c.prisma);
  const staff = org.staff[0]!;
  const { handle: h, input } = await start(c, org, staff, 3);
  await h.executeUpdate('submitTargets', { args: [{ actor: actor(staff), skp: skpDraft }] });
  await c.env.sleep(32 * DAY); // reminder + escalation
  await h.executeUpdate('decideTargets', { args: [{ actor: actor(org.kepala), input: { decision: 'APPROVE' } }] });
  await c.env.sleep(36 * DAY);
  await h.executeUpdate('submitReport', { args: [{ actor: actor(staff), period: 1, input: reportFor(input.evaluationId) }] }); // late
  await c.env.sleep(20 * DAY); // review of period 1 escalated
  await h.executeUpdate('reviewReport', {
    args: [{ actor: actor(org.kepala), period: 1, input: { decision: 'RATE', rating: 'DI_BAWAH', feedback: 'terlambat' } }],
  });
  await c.env.sleep(84 * DAY); // period 3 missing, annual rating reminded and escalated
  await h.executeUpdate('rateAnnual', { args: [{ actor: actor(org.kepala), input: { hasilKerja: 'DI_BAWAH', perilaku: allAspects('SESUAI') } }] });
  while ((await state(h)).phase !== 'APPEAL_WINDOW') await c.env.sleep(1000);
  await h.executeUpdate('fileAppeal', { args: [{ actor: actor(staff), input: { reasons: 'saya sakit pada bulan kedua, mohon ditinjau' } }] });
  await h.result(); // the decision deadline lapses
  return [{ name: 'deadlines-escalations-lapsed-appeal', handle: h }];
}

/** The supervisor changes mid-year, then the employee leaves. */
async function supervisorChangeThenClose(c: ScenarioContext): Promise<Recorded[]> {
  const org = await seedOrg(c.prisma, { staff: 2 });
  const staff = org.staff[0]!;
  const { handle: h, input } = await start(c, org, staff, 12);
  await h.executeUpdate('submitTargets', { args: [{ actor: actor(staff), skp: skpDraft }] });
  await h.signal('changeSupervisor', { supervisorId: org.staff[1]!, reviewerId: org.kepala, by: 'admin' });
  await h.executeUpdate('decideTargets', { args: [{ actor: actor(org.staff[1]!), input: { decision: 'APPROVE' } }] });
  await c.env.sleep(31 * DAY);
  await h.executeUpdate('submitReport', { args: [{ actor: actor(staff), period: 1, input: reportFor(input.evaluationId) }] });
  await h.signal('changeSupervisor', { supervisorId: null, reviewerId: org.kepala, by: 'admin' });
  await h.executeUpdate('reviewReport', {
    args: [{ actor: actor(org.kepala), period: 1, input: { decision: 'RATE', rating: 'DI_ATAS', feedback: 'sangat baik' } }],
  });
  await c.env.sleep(40 * DAY);
  await h.signal('closeEvaluation', { reason: 'mutasi ke instansi lain', by: 'admin' });
  await h.result();
  return [{ name: 'supervisor-change-then-close', handle: h }];
}

/** A cycle of five employees in batches of one, continuing as new every two batches. */
async function cycleWithContinueAsNew(c: ScenarioContext): Promise<Recorded[]> {
  const org = await seedOrg(c.prisma, { staff: 3 });
  const h = await c.client.workflow.start<typeof cycleWorkflow>('cycleWorkflow', {
    taskQueue: c.taskQueue,
    workflowId: cycleWorkflowId(org.cycleId),
    args: [{ cycleId: org.cycleId, regionId: org.regionId, batchSize: 1, batchesPerRun: 2 }],
  });
  const firstRunId = h.firstExecutionRunId;
  await h.result();
  for (const id of [org.kepala, org.head, ...org.staff]) {
    await c.client.workflow.getHandle(evaluationWorkflowId(org.cycleId, id)).signal('closeEvaluation', { reason: 'uji', by: 'admin' });
  }
  return [
    { name: 'cycle-first-run', handle: c.client.workflow.getHandle(cycleWorkflowId(org.cycleId), firstRunId), runId: firstRunId },
    { name: 'cycle-last-run', handle: c.client.workflow.getHandle(cycleWorkflowId(org.cycleId)) },
  ];
}

/**
 * An evaluation started by the cycle's fan-out (patch 'cycle-projects-start': the fan-out wrote its first projection
 * and its deadlines count from the batch's opening time): targets approved, a month of reporting, then closed.
 */
async function evaluationOpenedByCycle(c: ScenarioContext): Promise<Recorded[]> {
  const org = await seedOrg(c.prisma, { staff: 1 });
  const cycle = await c.client.workflow.start<typeof cycleWorkflow>('cycleWorkflow', {
    taskQueue: c.taskQueue,
    workflowId: cycleWorkflowId(org.cycleId),
    args: [{ cycleId: org.cycleId, regionId: org.regionId }],
  });
  await cycle.result();
  const staff = org.staff[0]!;
  const h: EvalHandle = c.client.workflow.getHandle(evaluationWorkflowId(org.cycleId, staff));
  const { evaluationId } = await state(h);
  await h.executeUpdate('submitTargets', { args: [{ actor: actor(staff), skp: skpDraft }] });
  await h.executeUpdate('decideTargets', { args: [{ actor: actor(org.head), input: { decision: 'APPROVE' } }] });
  await c.env.sleep(30 * DAY);
  await h.executeUpdate('submitReport', { args: [{ actor: actor(staff), period: 1, input: reportFor(evaluationId, 10) }] });
  await h.executeUpdate('reviewReport', {
    args: [{ actor: actor(org.head), period: 1, input: { decision: 'RATE', rating: 'SESUAI', feedback: 'sesuai target' } }],
  });
  await h.signal('closeEvaluation', { reason: 'pensiun', by: 'admin' });
  await h.result();
  for (const id of [org.kepala, org.head]) {
    await c.client.workflow.getHandle(evaluationWorkflowId(org.cycleId, id)).signal('closeEvaluation', { reason: 'uji', by: 'admin' });
  }
  return [{ name: 'evaluation-opened-by-cycle', handle: h }];
}

/** Unit calibration (patch 'unit-calibration'): sent back once, re-rated, finalised, the window lapses into FINAL. */
async function yearWithCalibration(c: ScenarioContext): Promise<Recorded[]> {
  const org = await seedOrg(c.prisma);
  const staff = org.staff[0]!;
  const { handle: h, input } = await start(c, org, staff, 2, true);
  await h.executeUpdate('submitTargets', { args: [{ actor: actor(staff), skp: skpDraft }] });
  await h.executeUpdate('decideTargets', { args: [{ actor: actor(org.head), input: { decision: 'APPROVE' } }] });
  for (let p = 1; p <= 2; p++) {
    await c.env.sleep(30 * DAY);
    await h.executeUpdate('submitReport', { args: [{ actor: actor(staff), period: p, input: reportFor(input.evaluationId, 60) }] });
    await h.executeUpdate('reviewReport', {
      args: [{ actor: actor(org.head), period: p, input: { decision: 'RATE', rating: 'SESUAI', feedback: 'sesuai target' } }],
    });
  }
  while ((await state(h)).phase !== 'ANNUAL_RATING') await c.env.sleep(1000);
  await h.executeUpdate('rateAnnual', { args: [{ actor: actor(org.head), input: { hasilKerja: 'DI_ATAS', perilaku: allAspects('DI_ATAS') } }] });
  while ((await state(h)).phase !== 'CALIBRATION') await c.env.sleep(1000);
  await h.signal('unitCalibrated', { decision: 'SENT_BACK', reason: 'distribusi melampaui batas', by: 'admin' });
  while ((await state(h)).phase !== 'ANNUAL_RATING') await c.env.sleep(1000);
  await h.executeUpdate('rateAnnual', { args: [{ actor: actor(org.head), input: { hasilKerja: 'SESUAI', perilaku: allAspects('SESUAI') } }] });
  while ((await state(h)).phase !== 'CALIBRATION') await c.env.sleep(1000);
  await h.signal('unitCalibrated', { decision: 'FINALISED', reason: 'distribusi sesuai', by: 'admin' });
  await h.result();
  return [{ name: 'year-unit-calibration', handle: h }];
}

/**
 * Recorded with patch 'apply-due-first': due deadlines are applied to the real state before the timer is re-armed, and
 * the loop does not wait for tick and score projections. One report and review, then nobody acts until FINAL.
 */
async function yearApplyDueFirst(c: ScenarioContext): Promise<Recorded[]> {
  const org = await seedOrg(c.prisma);
  const staff = org.staff[0]!;
  const { handle: h, input } = await start(c, org, staff, 3);
  await firstPeriodRated(c.env, h, org, staff, input.evaluationId);
  await h.result(); // periods 2 and 3 missing, the rating lapses, the window expires
  return [{ name: 'year-apply-due-first', handle: h }];
}

/**
 * Recorded with patch 'cycle-calendar': the next calendar year's months in WITA with a holiday, the SKP approved after
 * January ended (reported late by the rule set's choice), working-day deadlines; January's late report is rated, then
 * nobody acts until FINAL.
 */
async function yearOnCycleCalendar(c: ScenarioContext): Promise<Recorded[]> {
  const org = await seedOrg(c.prisma, { calendar: { ...NATIONAL_CALENDAR, periodsBeforeApproval: 'REPORT_LATE' } });
  const staff = org.staff[0]!;
  const year = new Date(await c.env.currentTimeMs()).getUTCFullYear() + 1;
  const cycleCal = cycleCalendar(year, { periodKind: 'MONTHLY', compressed: false }, 'Asia/Makassar', [`${year}-03-02`]);
  const input = evaluationInput(org, staff, { cycleCalendar: cycleCal, openedAt: `${year}-01-10T00:00:00+08:00` });
  const h: EvalHandle = await c.client.workflow.start('evaluationWorkflow', {
    taskQueue: c.taskQueue,
    workflowId: evaluationWorkflowId(org.cycleId, staff),
    args: [input],
  });
  await h.executeUpdate('submitTargets', { args: [{ actor: actor(staff), skp: skpDraft }] });
  await c.env.sleep(Date.parse(`${year}-02-03T10:00:00+08:00`) - (await c.env.currentTimeMs()));
  await h.executeUpdate('decideTargets', { args: [{ actor: actor(org.head), input: { decision: 'APPROVE' } }] });
  await h.executeUpdate('submitReport', { args: [{ actor: actor(staff), period: 1, input: reportFor(input.evaluationId) }] });
  await h.executeUpdate('reviewReport', {
    args: [{ actor: actor(org.head), period: 1, input: { decision: 'RATE', rating: 'SESUAI', feedback: 'terlambat, tetapi sesuai' } }],
  });
  await h.result();
  return [{ name: 'year-cycle-calendar', handle: h }];
}

/**
 * The employee leaves while the keberatan's revised score is being computed: the close signal arrives between the
 * FINAL computeScore's scheduling and its completion (checked on the history, so a recording that missed the moment
 * fails instead of recording another year).
 */
async function closeWhileFinalScoreIsComputed(c: ScenarioContext): Promise<Recorded[]> {
  const org = await seedOrg(c.prisma);
  const staff = org.staff[0]!;
  const { handle: h, input } = await start(c, org, staff, 1);
  await firstPeriodRated(c.env, h, org, staff, input.evaluationId);
  while ((await state(h)).phase !== 'ANNUAL_RATING') await c.env.sleep(1000);
  await h.executeUpdate('rateAnnual', { args: [{ actor: actor(org.head), input: { hasilKerja: 'SESUAI', perilaku: allAspects('SESUAI') } }] });
  while ((await state(h)).phase !== 'APPEAL_WINDOW') await c.env.sleep(1000);
  await h.executeUpdate('fileAppeal', { args: [{ actor: actor(staff), input: { reasons: 'capaian saya di atas target, mohon ditinjau' } }] });
  await h.executeUpdate('decideAppeal', {
    args: [{ actor: actor(org.kepala), input: { decision: 'REVISE', reasons: 'bukti kuat', hasilKerja: 'DI_ATAS', perilaku: allAspects('DI_ATAS') } }],
  });
  await h.signal('closeEvaluation', { reason: 'pensiun', by: 'admin' });
  await h.result();
  const events = (await h.fetchHistory()).events ?? [];
  const scheduled = events.findLastIndex((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'computeScore');
  const signalled = events.findIndex((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'closeEvaluation');
  const completed = events.findIndex(
    (e, i) => i > scheduled && e.activityTaskCompletedEventAttributes !== undefined && e.activityTaskCompletedEventAttributes !== null,
  );
  if (!(scheduled < signalled && signalled < completed))
    throw new Error(`the close did not arrive while the score was computed (events ${scheduled}, ${signalled}, ${completed})`);
  return [{ name: 'close-while-final-score-is-computed', handle: h }];
}

export const SCENARIOS = [
  yearWithRevisedAppeal,
  deadlinesEverywhere,
  supervisorChangeThenClose,
  cycleWithContinueAsNew,
  yearWithCalibration,
  evaluationOpenedByCycle,
  yearApplyDueFirst,
  yearOnCycleCalendar,
  closeWhileFinalScoreIsComputed,
];
