/**
 * A whole year for a small unit (kepala dinas → kepala bidang → two staff) on the time-skipping server: the cycle
 * starts everybody's workflow, a driver acts on each person's inbox like the users would, and the results are
 * checked against the PermenPANRB 6/2022 predikat matrix. Also measures the history size per employee-year.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { overallPerilaku, predikatFor, type Rating } from '@kinerja/domain';
import { cycleWorkflowId, evaluationWorkflowId, type EvaluationState } from '@kinerja/workflows';
import type { cycleWorkflow } from '@kinerja/workflows/workflows';
import { DAY, actor, allAspects, reportFor, seedOrg, skpDraft, timeSkippingContext, type EvalHandle, type TsContext } from './helpers.js';

let ctx: TsContext;
beforeAll(async () => {
  ctx = await timeSkippingContext();
}, 120_000);
afterAll(async () => {
  await ctx?.teardown();
});

/** Act on every open task of one evaluation as its assignee would. */
async function actOnInbox(h: EvalHandle, s: EvaluationState, plan: { hasil: Rating; perilaku: Rating }) {
  for (const t of s.openTasks) {
    const who = actor(t.assigneeId, t.actingForId);
    switch (t.kind) {
      case 'SUBMIT_TARGETS':
        await h.executeUpdate('submitTargets', { args: [{ actor: who, skp: skpDraft }] });
        break;
      case 'APPROVE_TARGETS':
        await h.executeUpdate('decideTargets', { args: [{ actor: who, input: { decision: 'APPROVE' } }] });
        break;
      case 'SUBMIT_REPORT':
        await h.executeUpdate('submitReport', { args: [{ actor: who, period: t.period!, input: reportFor(s.evaluationId, 10) }] });
        break;
      case 'REVIEW_PERIOD':
        await h.executeUpdate('reviewReport', {
          args: [{ actor: who, period: t.period!, input: { decision: 'RATE', rating: plan.hasil, feedback: 'umpan balik bulanan' } }],
        });
        break;
      case 'ANNUAL_RATING':
        await h.executeUpdate('rateAnnual', { args: [{ actor: who, input: { hasilKerja: plan.hasil, perilaku: allAspects(plan.perilaku) } }] });
        break;
      default:
        break;
    }
  }
}

it('runs a year for a unit in seconds; results follow the predikat matrix; history stays small', async () => {
  const t0 = performance.now();
  const org = await seedOrg(ctx.prisma, { staff: 2 });
  const cycle = await ctx.client.workflow.start<typeof cycleWorkflow>('cycleWorkflow', {
    taskQueue: ctx.taskQueue,
    workflowId: cycleWorkflowId(org.cycleId),
    args: [{ cycleId: org.cycleId, regionId: org.regionId, batchSize: 2 }],
  });
  expect(await cycle.result()).toEqual({ total: 4, started: 4, done: true });
  expect(await ctx.prisma.cycle.findUniqueOrThrow({ where: { id: org.cycleId } })).toMatchObject({ status: 'OPEN', totalEmployees: 4, startedCount: 4 });

  const plans: Record<string, { hasil: Rating; perilaku: Rating }> = {
    [org.staff[0]!]: { hasil: 'DI_ATAS', perilaku: 'DI_ATAS' },
    [org.staff[1]!]: { hasil: 'SESUAI', perilaku: 'DI_BAWAH' },
    [org.head]: { hasil: 'DI_BAWAH', perilaku: 'SESUAI' },
    [org.kepala]: { hasil: 'SESUAI', perilaku: 'SESUAI' }, // nobody above the kepala: never rated
  };
  const people = [org.kepala, org.head, ...org.staff];
  const handles = new Map(people.map((id) => [id, ctx.client.workflow.getHandle(evaluationWorkflowId(org.cycleId, id)) as EvalHandle]));
  const done = new Set<string>();
  for (let step = 0; step < 80 && done.size < people.length; step++) {
    for (const id of people) {
      if (done.has(id)) continue;
      const h = handles.get(id)!;
      const s = await h.query<EvaluationState>('getState');
      if (s.phase === 'FINAL' || s.phase === 'CLOSED') {
        done.add(id);
        continue;
      }
      await actOnInbox(h, s, plans[id]!);
    }
    await ctx.env.sleep(10 * DAY);
  }
  const results = new Map<string, EvaluationState>();
  for (const id of people) results.set(id, await handles.get(id)!.result());
  const elapsedMs = Math.round(performance.now() - t0);

  for (const id of [org.head, ...org.staff]) {
    const r = results.get(id)!;
    const plan = plans[id]!;
    expect(r.phase).toBe('FINAL');
    expect(r.periods.every((p) => p.state === 'REVIEWED')).toBe(true);
    expect(r.result).toMatchObject({ hasilKerja: plan.hasil, perilaku: overallPerilaku(allAspects(plan.perilaku)), final: true });
    expect(r.result!.predikat).toBe(predikatFor(plan.hasil, overallPerilaku(allAspects(plan.perilaku))));
  }
  // the kepala has no pejabat penilai in the system: everything lapses, the cycle still ends
  expect(results.get(org.kepala)!.phase).toBe('FINAL');

  const finals = await ctx.prisma.score.findMany({ where: { kind: 'FINAL', evaluation: { cycleId: org.cycleId } } });
  expect(finals).toHaveLength(4);
  for (const f of finals) expect(f.predikat).toBe(predikatFor(f.hasilKerja as Rating, f.perilaku as Rating));
  expect(await ctx.prisma.task.count({ where: { regionId: org.regionId, status: 'OPEN' } })).toBe(0);
  expect(await ctx.prisma.periodReport.count({ where: { evaluation: { cycleId: org.cycleId }, status: 'REVIEWED' } })).toBe(36);

  const sizes: Record<string, { events: number; bytes: number }> = {};
  for (const id of people) {
    const history = await handles.get(id)!.fetchHistory();
    const events = history.events?.length ?? 0;
    if (id === org.staff[0]) {
      const hist: Record<string, number> = {};
      for (const e of history.events ?? []) hist[String(e.eventType)] = (hist[String(e.eventType)] ?? 0) + 1;
      console.info('[year] staff-1 event types', hist);
    }
    sizes[id === org.kepala ? 'kepala' : id === org.head ? 'head' : `staff-${org.staff.indexOf(id) + 1}`] = {
      events,
      bytes: JSON.stringify(history).length,
    };
  }
  console.info('[year] elapsed ms', elapsedMs, 'history per employee-year', sizes);
  // ~270 events for a staff year: 27 updates (1 WFT + accepted + marker + completed each), 12 period openings and
  // deadline wake-ups (timer + WFT + marker). Far below the 51,200-event limit: no continue-as-new needed.
  for (const s of Object.values(sizes)) expect(s.events).toBeLessThan(400);
}, 120_000);
