/**
 * A close (the employee leaves) that arrives while a score is being computed, on the real time-skipping server with
 * the real activities: the scoring activity writes the Score row itself, so the close waits for the score and the
 * database never holds a CLOSED year with a FINAL score. The score is slowed down so the close lands inside it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  actor,
  allAspects,
  annualRating,
  eventually,
  firstPeriodRated,
  seedOrg,
  startEvaluation,
  state,
  timeSkippingContext,
  type Org,
  type TsContext,
} from './helpers.js';

const SCORE_LATENCY_MS = 1_500;
let scoring = { started: 0 };
let ctx: TsContext;
beforeAll(async () => {
  ctx = await timeSkippingContext('pglite', (real) => ({
    ...real,
    computeScore: async (input) => {
      scoring.started++;
      await new Promise((r) => setTimeout(r, SCORE_LATENCY_MS));
      return real.computeScore(input);
    },
  }));
}, 120_000);
afterAll(async () => {
  await ctx?.teardown();
});

async function rated(org: Org, staff: string) {
  const { handle, input } = await startEvaluation(ctx, org, staff, { periods: 1 });
  await firstPeriodRated(ctx.env, handle, org, staff, input.evaluationId);
  await eventually(async () => (await state(handle)).phase === 'ANNUAL_RATING', 15_000, 'annual');
  return { handle, input };
}

const close = { reason: 'pensiun', by: 'admin' };

it('a close while the revised FINAL score is computed leaves the year FINAL with its one FINAL score', async () => {
  const org = await seedOrg(ctx.prisma);
  const staff = org.staff[0]!;
  const { handle, input } = await rated(org, staff);
  await handle.executeUpdate('rateAnnual', { args: [{ actor: actor(org.head), input: annualRating('SESUAI', 'SESUAI') }] });
  await eventually(async () => (await state(handle)).phase === 'APPEAL_WINDOW', 15_000, 'appeal window');
  await handle.executeUpdate('fileAppeal', { args: [{ actor: actor(staff), input: { reasons: 'capaian saya di atas target, mohon ditinjau' } }] });
  scoring = { started: 0 };
  await handle.executeUpdate('decideAppeal', {
    args: [{ actor: actor(org.kepala), input: { decision: 'REVISE', reasons: 'bukti kuat', hasilKerja: 'DI_ATAS', perilaku: allAspects('DI_ATAS') } }],
  });
  await eventually(() => scoring.started > 0, 15_000, 'the FINAL score started');
  await handle.signal('closeEvaluation', close);

  const result = await handle.result();
  expect(result.phase).toBe('FINAL');
  expect(result.closedReason).toBeUndefined();
  const scores = await ctx.prisma.score.findMany({ where: { evaluationId: input.evaluationId }, orderBy: { kind: 'asc' } });
  expect(scores.map((s) => s.kind)).toEqual(['INITIAL', 'FINAL']);
  expect(scores[1]!.hasilKerja).toBe('DI_ATAS');
  expect(await ctx.prisma.evaluation.findUniqueOrThrow({ where: { id: input.evaluationId } })).toMatchObject({ phase: 'FINAL' });
  expect(await ctx.prisma.auditEvent.count({ where: { regionId: org.regionId, action: 'evaluation.closed', entityId: input.evaluationId } })).toBe(0);
}, 120_000);

it('a close while the INITIAL score is computed applies once the score is in: CLOSED, no FINAL score', async () => {
  const org = await seedOrg(ctx.prisma);
  const staff = org.staff[0]!;
  const { handle, input } = await rated(org, staff);
  scoring = { started: 0 };
  await handle.executeUpdate('rateAnnual', { args: [{ actor: actor(org.head), input: annualRating('SESUAI', 'SESUAI') }] });
  await eventually(() => scoring.started > 0, 15_000, 'the INITIAL score started');
  await handle.signal('closeEvaluation', close);

  const result = await handle.result();
  expect(result).toMatchObject({ phase: 'CLOSED', closedReason: 'pensiun' });
  expect(await ctx.prisma.score.findMany({ where: { evaluationId: input.evaluationId }, select: { kind: true } })).toEqual([{ kind: 'INITIAL' }]);
  expect(await ctx.prisma.evaluation.findUniqueOrThrow({ where: { id: input.evaluationId } })).toMatchObject({ phase: 'CLOSED' });
  expect(await ctx.prisma.task.count({ where: { evaluationId: input.evaluationId, status: 'OPEN' } })).toBe(0);
}, 120_000);
