/**
 * Calendar-true cycles on the real time-skipping server: a cycle's fan-out hands each evaluation the calendar the
 * cycle opened with, and the year runs on its months, in the region's zone, with working-day deadlines.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cycleCalendar, NATIONAL_CALENDAR, type Calendar } from '@kinerja/domain';
import { cycleWorkflowId, type EvaluationState } from '@kinerja/workflows';
import { actor, addCycle, reportFor, seedOrg, skpDraft, timeSkippingContext, type EvalHandle, type TsContext } from './helpers.js';

let ctx: TsContext;
beforeAll(async () => {
  ctx = await timeSkippingContext();
}, 120_000);
afterAll(async () => {
  await ctx?.teardown();
});

const wita = (local: string) => Date.parse(`${local}+08:00`);
const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];

/** A 2027 cycle in WITA, opened through its workflow (the fan-out), with a holiday on 2 March. */
async function openCycle2027(calendar: Calendar) {
  const org = await seedOrg(ctx.prisma, { calendar, staff: 1 });
  await ctx.prisma.region.update({ where: { id: org.regionId }, data: { timezone: 'Asia/Makassar' } });
  const cycleId = await addCycle(ctx.prisma, org, 2027);
  const cal = cycleCalendar(2027, { periodKind: 'MONTHLY', compressed: false }, 'Asia/Makassar', ['2027-03-02']);
  await ctx.prisma.cycle.update({ where: { id: cycleId }, data: { calendar: JSON.parse(JSON.stringify(cal)) as object } });
  await ctx.client.workflow.execute('cycleWorkflow', {
    taskQueue: ctx.taskQueue,
    workflowId: cycleWorkflowId(cycleId),
    args: [{ cycleId, regionId: org.regionId }],
  });
  const staff = org.staff[0]!;
  const ev = await ctx.prisma.evaluation.findFirstOrThrow({ where: { cycleId, employeeId: staff } });
  const h: EvalHandle = ctx.client.workflow.getHandle(ev.workflowId);
  return { org, staff, ev, h };
}

/** The SKP submitted at once, approved on 1 February 2027 at 10:00 WITA: January has ended by then. */
async function approvedInFebruary(calendar: Calendar) {
  const c = await openCycle2027(calendar);
  await c.h.executeUpdate('submitTargets', { args: [{ actor: actor(c.staff), skp: skpDraft }] });
  await ctx.env.sleep(wita('2027-02-01T10:00:00') - (await ctx.env.currentTimeMs()));
  await c.h.executeUpdate('decideTargets', { args: [{ actor: actor(c.org.head), input: { decision: 'APPROVE' } }] });
  return { ...c, state: await c.h.query<EvaluationState>('getState') };
}

it('Januari 2027 .. Desember 2027 at local midnight WITA; approving late moves no boundary and January is not applicable', async () => {
  const { ev, state } = await approvedInFebruary(NATIONAL_CALENDAR);
  expect(state.phase).toBe('PERIODIC');
  expect(state.periods.map((p) => p.label)).toEqual(MONTHS.map((m) => `${m} 2027`));
  state.periods.forEach((p, i) => {
    const month = String(i + 1).padStart(2, '0');
    expect(p.opensAt).toBe(new Date(wita(`2027-${month}-01T00:00:00`)).toISOString());
  });
  expect(state.periods[11]!.endsAt).toBe(new Date(wita('2028-01-01T00:00:00')).toISOString());
  expect(state.periods[0]).toMatchObject({ state: 'NOT_APPLICABLE', settled: true });
  // February's report: five working days from 1 March, skipping the holiday on 2 March → due at 9 March 00:00 WITA
  expect(state.periods[1]).toMatchObject({ state: 'OPEN', dueAt: new Date(wita('2027-03-09T00:00:00')).toISOString() });
  expect(state.openTasks.filter((t) => t.kind === 'SUBMIT_REPORT').map((t) => t.period)).toEqual([2]);
  const rows = await ctx.prisma.periodReport.findMany({ where: { evaluationId: ev.id }, orderBy: { period: 'asc' } });
  expect(rows.map((r) => [r.period, r.status])).toEqual([
    [1, 'NOT_APPLICABLE'],
    [2, 'OPEN'],
  ]);
}, 120_000);

it('with REPORT_LATE, January takes a report after the approval, counted late', async () => {
  const { h, ev, staff, state } = await approvedInFebruary({ ...NATIONAL_CALENDAR, periodsBeforeApproval: 'REPORT_LATE' });
  expect(state.periods[0]).toMatchObject({ label: 'Januari 2027', state: 'OPEN', settled: false });
  await h.executeUpdate('submitReport', { args: [{ actor: actor(staff), period: 1, input: reportFor(ev.id) }] });
  expect((await h.query<EvaluationState>('getState')).periods[0]).toMatchObject({ state: 'SUBMITTED', late: true });
  expect(await ctx.prisma.periodReport.findUniqueOrThrow({ where: { evaluationId_period: { evaluationId: ev.id, period: 1 } } })).toMatchObject({
    status: 'SUBMITTED',
    late: true,
  });
}, 120_000);
