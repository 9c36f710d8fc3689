/**
 * Property: whatever legal actions arrive, in whatever order, interleaved with any passage of time, every
 * evaluation ends FINAL or CLOSED (never stuck), the projection agrees with the workflow, and there is never
 * more than one FINAL score (the DB's unique (evaluationId, kind) plus an explicit count).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { RATINGS } from '@kinerja/domain';
import type { EvaluationState } from '@kinerja/workflows';
import { DAY, actor, addCycle, allAspects, reportFor, seedOrg, skpDraft, startEvaluation, timeSkippingContext, type EvalHandle, type Org, type TsContext } from './helpers.js';

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
const period = fc.integer({ min: 1, max: 2 });
const action = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ k: 'submitTargets' as const }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('decideTargets' as const), approve: fc.boolean() }) },
  { weight: 5, arbitrary: fc.record({ k: fc.constant('submitReport' as const), period }) },
  { weight: 5, arbitrary: fc.record({ k: fc.constant('reviewReport' as const), period, revise: fc.boolean(), rating }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('rateAnnual' as const), hasil: rating, perilaku: rating }) },
  { weight: 2, arbitrary: fc.constant({ k: 'fileAppeal' as const }) },
  { weight: 1, arbitrary: fc.constant({ k: 'requestAppealResponse' as const }) },
  { weight: 1, arbitrary: fc.constant({ k: 'respondAppeal' as const }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('decideAppeal' as const), revise: fc.boolean(), hasil: rating }) },
  { weight: 6, arbitrary: fc.record({ k: fc.constant('sleep' as const), days: fc.integer({ min: 1, max: 45 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('changeSupervisor' as const), toOther: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ k: 'close' as const }) },
);
type Action = typeof action extends fc.Arbitrary<infer A> ? A : never;

/** Perform one action as the person who would do it; a rejection by a validator is a legal outcome. */
async function perform(h: EvalHandle, a: Action, staff: string, evaluationId: string): Promise<'ok' | 'rejected' | 'ended'> {
  const s = await h.query<EvaluationState>('getState');
  const sup = s.supervisorId ?? org.kepala;
  const supTask = (kind: string, p?: number) => s.openTasks.find((t) => t.kind === kind && (p === undefined || t.period === p));
  const asSup = (kind: string, p?: number) => {
    const t = supTask(kind, p);
    return t ? actor(t.assigneeId, t.actingForId) : actor(sup);
  };
  try {
    switch (a.k) {
      case 'submitTargets':
        await h.executeUpdate('submitTargets', { args: [{ actor: actor(staff), skp: skpDraft }] });
        break;
      case 'decideTargets':
        await h.executeUpdate('decideTargets', {
          args: [{ actor: asSup('APPROVE_TARGETS'), input: a.approve ? { decision: 'APPROVE' } : { decision: 'RETURN', note: 'perbaiki target' } }],
        });
        break;
      case 'submitReport':
        await h.executeUpdate('submitReport', { args: [{ actor: actor(staff), period: a.period, input: reportFor(evaluationId) }] });
        break;
      case 'reviewReport':
        await h.executeUpdate('reviewReport', {
          args: [
            {
              actor: asSup('REVIEW_PERIOD', a.period),
              period: a.period,
              input: a.revise ? { decision: 'REQUEST_REVISION', feedback: 'lengkapi bukti' } : { decision: 'RATE', rating: a.rating, feedback: 'umpan balik' },
            },
          ],
        });
        break;
      case 'rateAnnual':
        await h.executeUpdate('rateAnnual', { args: [{ actor: asSup('ANNUAL_RATING'), input: { hasilKerja: a.hasil, perilaku: allAspects(a.perilaku) } }] });
        break;
      case 'fileAppeal':
        await h.executeUpdate('fileAppeal', { args: [{ actor: actor(staff), input: { reasons: 'saya keberatan atas nilai ini' } }] });
        break;
      case 'requestAppealResponse':
        await h.executeUpdate('requestAppealResponse', { args: [{ actor: actor(s.reviewerId ?? org.kepala) }] });
        break;
      case 'respondAppeal':
        await h.executeUpdate('respondAppeal', { args: [{ actor: actor(sup), input: { response: 'penilaian sesuai bukti' } }] });
        break;
      case 'decideAppeal':
        await h.executeUpdate('decideAppeal', {
          args: [
            {
              actor: actor(s.reviewerId ?? org.kepala),
              input: a.revise
                ? { decision: 'REVISE', reasons: 'ditinjau ulang', hasilKerja: a.hasil, perilaku: allAspects('SESUAI') }
                : { decision: 'UPHOLD', reasons: 'nilai tetap' },
            },
          ],
        });
        break;
      case 'sleep':
        await ctx.env.sleep(a.days * DAY);
        break;
      case 'changeSupervisor':
        await h.signal('changeSupervisor', { supervisorId: a.toOther ? org.staff[1]! : org.head, reviewerId: org.kepala, by: 'admin' });
        break;
      case 'close':
        await h.signal('closeEvaluation', { reason: 'pegawai berhenti', by: 'admin' });
        break;
    }
    return 'ok';
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) return 'rejected';
    if (err instanceof WorkflowNotFoundError) return 'ended';
    throw err;
  }
}

it('random interleavings of legal actions and timeouts always end FINAL or CLOSED, with at most one FINAL score', async () => {
  const staff = org.staff[0]!;
  let runs = 0;
  const outcomes: Record<string, number> = {};
  let accepted = 0;
  let rejected = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(action, { minLength: 3, maxLength: 30 }), async (actions) => {
      runs++;
      // a fresh cycle per run keeps workflow ids and (cycle, employee) rows unique; the org is shared
      const cycleId = await addCycle(ctx.prisma, org, 2030 + runs);
      const { handle, input } = await startEvaluation(ctx, { ...org, cycleId }, staff, { periods: 2 });
      for (const a of actions) {
        const r = await perform(handle, a, staff, input.evaluationId);
        if (r === 'ok' && a.k !== 'sleep') accepted++;
        if (r === 'rejected') rejected++;
        if (r === 'ended') break;
      }
      // nobody acts any more: awaiting the result lets the server skip time through every remaining deadline
      const result = await handle.result();
      expect(['FINAL', 'CLOSED']).toContain(result.phase);
      const how = result.phase === 'CLOSED' ? 'CLOSED' : `FINAL/${result.appeal?.decision ?? 'no-appeal'}`;
      outcomes[how] = (outcomes[how] ?? 0) + 1;
      const finals = await ctx.prisma.score.count({ where: { evaluationId: input.evaluationId, kind: 'FINAL' } });
      expect(finals).toBe(result.phase === 'FINAL' ? 1 : 0);
      const row = await ctx.prisma.evaluation.findUniqueOrThrow({ where: { id: input.evaluationId } });
      expect(row.phase).toBe(result.phase);
      expect(await ctx.prisma.task.count({ where: { evaluationId: input.evaluationId, status: 'OPEN' } })).toBe(0);
    }),
    { numRuns: 15, endOnFailure: true },
  );
  console.info('[property] outcomes', outcomes, 'accepted actions', accepted, 'rejected by validators', rejected);
  expect(Object.keys(outcomes).some((k) => k.startsWith('FINAL'))).toBe(true);
}, 300_000);
