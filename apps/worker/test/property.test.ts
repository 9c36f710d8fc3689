/**
 * Property: whatever legal actions arrive, in whatever order, interleaved with any passage of time, every
 * evaluation ends FINAL or CLOSED (never stuck), the projection agrees with the workflow, and there is never
 * more than one FINAL score (the DB's unique (evaluationId, kind) plus an explicit count).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { NATIONAL_CALENDAR, RATINGS, type Calendar, type Rating } from '@kinerja/domain';
import type { EvaluationState } from '@kinerja/workflows';
import {
  DAY,
  actor,
  addCycle,
  allAspects,
  reportFor,
  seedOrg,
  skpDraft,
  startEvaluation,
  timeSkippingContext,
  type EvalHandle,
  type Org,
  type TsContext,
} from './helpers.js';

let ctx: TsContext;
let org: Org;
beforeAll(async () => {
  ctx = await timeSkippingContext();
  org = await seedOrg(ctx.prisma, { staff: 2 });
}, 120_000);
afterAll(async () => {
  await ctx?.teardown();
});

const rating = fc.constantFrom(...RATINGS);
/** A step: act (pick one of the actions legal right now, by index), let time pass, or an organisational signal. */
const step = fc.oneof(
  { weight: 20, arbitrary: fc.record({ k: fc.constant('act' as const), choice: fc.nat(), r1: rating, r2: rating }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('sleep' as const), days: fc.integer({ min: 1, max: 60 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('changeSupervisor' as const), toOther: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ k: 'close' as const }) },
);
type Step = typeof step extends fc.Arbitrary<infer A> ? A : never;

type Candidate = { name: string; run: () => Promise<unknown> };

/** The actions a user could take right now, derived from the open tasks and the phase (what the UI would offer). */
function legalActions(h: EvalHandle, s: EvaluationState, staff: string, evaluationId: string, r1: Rating, r2: Rating): Candidate[] {
  const out: Candidate[] = [];
  const as = (t: { assigneeId: string; actingForId?: string | undefined }) => actor(t.assigneeId, t.actingForId);
  for (const t of s.openTasks) {
    switch (t.kind) {
      case 'SUBMIT_TARGETS':
        out.push({ name: 'submitTargets', run: () => h.executeUpdate('submitTargets', { args: [{ actor: as(t), skp: skpDraft }] }) });
        break;
      case 'APPROVE_TARGETS':
        out.push({ name: 'approve', run: () => h.executeUpdate('decideTargets', { args: [{ actor: as(t), input: { decision: 'APPROVE' } }] }) });
        out.push({
          name: 'return',
          run: () => h.executeUpdate('decideTargets', { args: [{ actor: as(t), input: { decision: 'RETURN', note: 'perbaiki target' } }] }),
        });
        break;
      case 'SUBMIT_REPORT':
        // a year whose SKP was never submitted has no indicators to realise: the validator refuses any report
        if (s.skpStatus === 'DRAFT') break;
        out.push({
          name: 'submitReport',
          run: () => h.executeUpdate('submitReport', { args: [{ actor: as(t), period: t.period!, input: reportFor(evaluationId) }] }),
        });
        break;
      case 'REVIEW_PERIOD':
        out.push({
          name: 'rateReport',
          run: () =>
            h.executeUpdate('reviewReport', { args: [{ actor: as(t), period: t.period!, input: { decision: 'RATE', rating: r1, feedback: 'umpan balik' } }] }),
        });
        out.push({
          name: 'requestRevision',
          run: () =>
            h.executeUpdate('reviewReport', {
              args: [{ actor: as(t), period: t.period!, input: { decision: 'REQUEST_REVISION', feedback: 'lengkapi bukti' } }],
            }),
        });
        // the employee may revise until it is reviewed
        if (s.skpStatus !== 'DRAFT')
          out.push({
            name: 'reviseReport',
            run: () => h.executeUpdate('submitReport', { args: [{ actor: actor(staff), period: t.period!, input: reportFor(evaluationId, 12) }] }),
          });
        break;
      case 'ANNUAL_RATING':
        out.push({
          name: 'rateAnnual',
          run: () => h.executeUpdate('rateAnnual', { args: [{ actor: as(t), input: { hasilKerja: r1, perilaku: allAspects(r2) } }] }),
        });
        break;
      case 'DECIDE_APPEAL':
        out.push({
          name: 'uphold',
          run: () => h.executeUpdate('decideAppeal', { args: [{ actor: as(t), input: { decision: 'UPHOLD', reasons: 'nilai tetap' } }] }),
        });
        out.push({
          name: 'revise',
          run: () =>
            h.executeUpdate('decideAppeal', {
              args: [{ actor: as(t), input: { decision: 'REVISE', reasons: 'ditinjau ulang', hasilKerja: r1, perilaku: allAspects(r2) } }],
            }),
        });
        if (s.appeal?.status === 'FILED' && s.supervisorId) {
          out.push({ name: 'askResponse', run: () => h.executeUpdate('requestAppealResponse', { args: [{ actor: as(t) }] }) });
        }
        break;
      case 'RESPOND_APPEAL':
        out.push({ name: 'respond', run: () => h.executeUpdate('respondAppeal', { args: [{ actor: as(t), input: { response: 'penilaian sesuai bukti' } }] }) });
        break;
    }
  }
  if (s.phase === 'APPEAL_WINDOW') {
    out.push({
      name: 'fileAppeal',
      run: () => h.executeUpdate('fileAppeal', { args: [{ actor: actor(staff), input: { reasons: 'saya keberatan atas nilai ini' } }] }),
    });
  }
  return out;
}

const viewOf = (s: EvaluationState) => JSON.stringify([s.phase, s.skpStatus, s.openTasks, s.periods, s.appeal, s.result]);
const sameView = (a: EvaluationState, b: EvaluationState) => viewOf(a) === viewOf(b);
/** Whether the workflow still shows `s` after the tasks already due have had time to run (2 s of real time). */
async function viewHolds(h: EvalHandle, s: EvaluationState): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < 2_000; await new Promise((r) => setTimeout(r, 100))) {
    if (!sameView(s, await h.query<EvaluationState>('getState'))) return false;
  }
  return true;
}

async function perform(h: EvalHandle, a: Step, staff: string, evaluationId: string, log: string[]): Promise<'ok' | 'idle' | 'ended'> {
  try {
    switch (a.k) {
      case 'act': {
        const s = await h.query<EvaluationState>('getState');
        const options = legalActions(h, s, staff, evaluationId, a.r1, a.r2);
        if (!options.length) {
          // nothing to do now: let a week pass (the users wait for the next period or deadline)
          await ctx.env.sleep(7 * DAY);
          return 'idle';
        }
        const pick = options[a.choice % options.length]!;
        log.push(pick.name);
        try {
          await pick.run();
        } catch (err) {
          // a query answers from the workflow's last task, so a deadline due by now but whose timer task has not run
          // yet is missing from the view, while the validator applies every deadline due by the update's own time.
          // An action chosen from that view may meet the next phase: the view then changes as soon as the timer's
          // task runs (the server's clock is not skipping here, so only deadlines already due fire). A refusal is a
          // defect when the view it was chosen from still holds once those have run.
          if (!(err instanceof WorkflowUpdateFailedError) || (await viewHolds(h, s))) throw err;
          log.push('(stale view)');
          return 'idle';
        }
        return 'ok';
      }
      case 'sleep':
        await ctx.env.sleep(a.days * DAY);
        return 'ok';
      case 'changeSupervisor':
        await h.signal('changeSupervisor', { supervisorId: a.toOther ? org.staff[1]! : org.head, reviewerId: org.kepala, by: 'admin' });
        return 'ok';
      case 'close':
        await h.signal('closeEvaluation', { reason: 'pegawai berhenti', by: 'admin' });
        return 'ok';
    }
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'ended';
    if (err instanceof WorkflowUpdateFailedError) throw new Error(`a legal action was rejected after ${log.join(' → ')}: ${err.cause?.message}`);
    throw err;
  }
}

it('random interleavings of legal actions and timeouts always end FINAL or CLOSED, with at most one FINAL score', async () => {
  const staff = org.staff[0]!;
  let runs = 0;
  const outcomes: Record<string, number> = {};
  let accepted = 0;
  let idle = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 50 }), async (steps) => {
      runs++;
      // a fresh cycle per run keeps workflow ids and (cycle, employee) rows unique; the org is shared
      const cycleId = await addCycle(ctx.prisma, org, 2030 + runs);
      const { handle, input } = await startEvaluation(ctx, { ...org, cycleId }, staff, { periods: 1 });
      const log: string[] = [];
      for (const a of steps) {
        const r = await perform(handle, a, staff, input.evaluationId, log);
        if (r === 'ok' && a.k === 'act') accepted++;
        if (r === 'idle') idle++;
        if (r === 'ended') break;
      }
      // nobody acts any more: awaiting the result lets the server skip time through every remaining deadline
      const result = await handle.result();
      expect(['FINAL', 'CLOSED']).toContain(result.phase);
      const how = result.phase === 'CLOSED' ? 'CLOSED' : `FINAL/${result.appeal?.decision ?? 'no-appeal'}`;
      outcomes[how] = (outcomes[how] ?? 0) + 1;
      if (process.env.KINERJA_PROPERTY_LOG) console.info(how, log.join(' '));
      const finals = await ctx.prisma.score.count({ where: { evaluationId: input.evaluationId, kind: 'FINAL' } });
      expect(finals).toBe(result.phase === 'FINAL' ? 1 : 0);
      const row = await ctx.prisma.evaluation.findUniqueOrThrow({ where: { id: input.evaluationId } });
      expect(row.phase).toBe(result.phase);
      expect(await ctx.prisma.task.count({ where: { evaluationId: input.evaluationId, status: 'OPEN' } })).toBe(0);
    }),
    { numRuns: 20, endOnFailure: true },
  );
  console.info('[property] outcomes', outcomes, 'accepted actions', accepted, 'steps with nothing to do', idle);
  expect(Object.keys(outcomes).some((k) => k.startsWith('FINAL'))).toBe(true);
}, 300_000);

/**
 * The same interleavings on a sub-second calendar, with the clock moving while activities run: each projection takes
 * a latency the run chooses (up to longer than the gap between two deadlines), and the clock jumps by seconds to
 * minutes between steps. Invariants: the year ends FINAL or CLOSED, and no deadline is applied later than one timer
 * firing after it is due (checked on every report cutoff: the MISSING is recorded within LATE_BOUND of it, in
 * workflow time; a deadline left to a later timer is late by the 10-minute rating deadline).
 */
describe('with activity latency and clock jumps', () => {
  const QUICK: Calendar = {
    ...NATIONAL_CALENDAR,
    periodKind: 'QUARTERLY',
    periodLength: '1s',
    targetDeadline: '2s',
    reportDeadline: '300ms',
    reportCutoff: '600ms',
    reviewDeadline: '1s',
    ratingDeadline: '10m',
    appealWindow: '1m',
    appealDecisionDeadline: '10m',
    reminderBefore: '100ms',
  };
  const LATE_BOUND_MS = 60_000;
  let latencyMs = 0;
  let qctx: TsContext;
  let qorg: Org;
  beforeAll(async () => {
    qctx = await timeSkippingContext('pglite', (real) => ({
      ...real,
      project: async (input) => {
        if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
        return real.project(input);
      },
    }));
    qorg = await seedOrg(qctx.prisma, { staff: 2, calendar: QUICK });
  }, 120_000);
  afterAll(async () => {
    await qctx?.teardown();
  });

  const qstep = fc.oneof(
    { weight: 8, arbitrary: fc.record({ k: fc.constant('act' as const), choice: fc.nat(), r1: rating, r2: rating }) },
    { weight: 3, arbitrary: fc.record({ k: fc.constant('latency' as const), ms: fc.constantFrom(0, 200, 700, 1_500) }) },
    { weight: 3, arbitrary: fc.record({ k: fc.constant('jump' as const), ms: fc.constantFrom(300, 1_000, 2_500, 60_000, 900_000) }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('changeSupervisor' as const), toOther: fc.boolean() }) },
  );

  it('always end FINAL or CLOSED, and every cutoff applies within one timer of its time', async () => {
    const staff = qorg.staff[0]!;
    let runs = 0;
    let rejected = 0;
    let worstLateMs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(qstep, { minLength: 3, maxLength: 15 }), async (steps) => {
        runs++;
        latencyMs = 0;
        const cycleId = await addCycle(qctx.prisma, qorg, 2100 + runs);
        const { handle, input } = await startEvaluation(qctx, { ...qorg, cycleId }, staff, { periods: 4 });
        for (const a of steps) {
          try {
            if (a.k === 'latency') latencyMs = a.ms;
            else if (a.k === 'jump') await qctx.env.sleep(a.ms);
            else if (a.k === 'changeSupervisor')
              await handle.signal('changeSupervisor', { supervisorId: a.toOther ? qorg.staff[1]! : qorg.head, reviewerId: qorg.kepala, by: 'admin' });
            else {
              const s = await handle.query<EvaluationState>('getState');
              const options = legalActions(handle, s, staff, input.evaluationId, a.r1, a.r2);
              if (options.length) await options[a.choice % options.length]!.run();
            }
          } catch (err) {
            if (err instanceof WorkflowNotFoundError) break;
            // on a sub-second calendar an action offered a moment ago may be past its deadline when it arrives
            if (err instanceof WorkflowUpdateFailedError) rejected++;
            else throw err;
          }
        }
        const result = await handle.result();
        latencyMs = 0;
        expect(['FINAL', 'CLOSED']).toContain(result.phase);
        const missing = await qctx.prisma.auditEvent.findMany({
          where: { regionId: qorg.regionId, action: 'report.missing', entityId: { startsWith: `${input.evaluationId}:` } },
        });
        for (const ev of missing) {
          const period = Number(ev.entityId.split(':').pop());
          const cutoffAt = Date.parse(result.periods[period - 1]!.cutoffAt!);
          const late = ev.at.getTime() - cutoffAt;
          worstLateMs = Math.max(worstLateMs, late);
          expect(late).toBeGreaterThanOrEqual(0);
          expect(late).toBeLessThan(LATE_BOUND_MS);
        }
        const row = await qctx.prisma.evaluation.findUniqueOrThrow({ where: { id: input.evaluationId } });
        expect(row.phase).toBe(result.phase);
      }),
      { numRuns: 6, endOnFailure: true },
    );
    console.info('[property: latency + jumps] runs', runs, 'actions refused by a deadline race', rejected, 'worst cutoff lateness (ms)', worstLateMs);
  }, 600_000);
});
