/**
 * A year cannot be held hostage by its projection: a projection slower than the gap between two deadlines still lets
 * every deadline apply on time, and a projection the database refuses for good is recorded, queried and skipped
 * while the year goes on. Time-skipping server, real activities (wrapped: a delay, a value the real database
 * refuses), real PGlite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NATIONAL_CALENDAR, type Calendar } from '@kinerja/domain';
import type { EvaluationState, ProjectInput } from '@kinerja/workflows';
import { DAY, actor, eventually, rejection, reportFor, seedOrg, skpDraft, startEvaluation, state, timeSkippingContext, type TsContext } from './helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sub-second deadlines: four 1-second periods whose cutoffs are 1 s apart; the projection below takes 1.5 s. */
const QUICK: Calendar = {
  ...NATIONAL_CALENDAR,
  periodKind: 'QUARTERLY',
  periodLength: '1s',
  targetDeadline: '1s',
  reportDeadline: '200ms',
  reportCutoff: '300ms',
  reviewDeadline: '1s',
  ratingDeadline: '10m',
  appealWindow: '1m',
  appealDecisionDeadline: '10m',
  reminderBefore: '100ms',
};
const PROJECTION_DELAY_MS = 1_500;
/**
 * How late (workflow time) a deadline may apply: one slow projection plus scheduling slack on a loaded machine.
 * Applying a deadline only at the next timer, as a loop working on a copy did, is late by the 10-minute rating deadline.
 */
const LATE_BOUND_MS = 60_000;

describe('a projection slower than the gap between two deadlines', () => {
  let ctx: TsContext;
  beforeAll(async () => {
    ctx = await timeSkippingContext('pglite', (real) => ({
      ...real,
      project: async (input) => {
        await sleep(PROJECTION_DELAY_MS);
        return real.project(input);
      },
    }));
  }, 120_000);
  afterAll(async () => {
    await ctx?.teardown();
  });

  it('lets every deadline apply within one projection of its time and the year end', async () => {
    const org = await seedOrg(ctx.prisma, { calendar: QUICK });
    const staff = org.staff[0]!;
    const { handle, input } = await startEvaluation(ctx, org, staff, { periods: 4 });
    // nobody acts: the SKP lapses, every period goes MISSING, the rating lapses, the score comes from the rule set
    const result = await handle.result();
    expect(result.phase).toBe('FINAL');
    expect(result.periods.map((p) => p.state)).toEqual(['MISSING', 'MISSING', 'MISSING', 'MISSING']);
    const missing = await ctx.prisma.auditEvent.findMany({ where: { regionId: org.regionId, action: 'report.missing' }, orderBy: { at: 'asc' } });
    expect(missing).toHaveLength(4);
    for (const [i, ev] of missing.entries()) {
      const cutoffAt = Date.parse(result.periods[i]!.cutoffAt!);
      expect(ev.at.getTime()).toBeGreaterThanOrEqual(cutoffAt);
      expect(ev.at.getTime() - cutoffAt).toBeLessThan(LATE_BOUND_MS);
    }
    // the annual rating starts once the last period is settled, not at some later timer
    const annual = await ctx.prisma.auditEvent.findFirstOrThrow({
      where: { regionId: org.regionId, action: 'evaluation.phase', entityId: input.evaluationId, after: { equals: { phase: 'ANNUAL_RATING' } } },
    });
    expect(annual.at.getTime() - Date.parse(result.periods[3]!.cutoffAt!)).toBeLessThan(LATE_BOUND_MS);
    await eventually(
      async () => (await ctx.prisma.evaluation.findUniqueOrThrow({ where: { id: input.evaluationId } })).phase === 'FINAL',
      30_000,
      'final projection',
    );
  }, 240_000);
});

describe('a projection the database refuses for good', () => {
  let ctx: TsContext;
  /** A NUL the edge would refuse, put straight into the activity input (bypassing API and validator): PostgreSQL 22021. */
  const poison = (input: ProjectInput): ProjectInput => ({
    ...input,
    changes: input.changes.map((c) => (c.kind === 'REPORT_SUBMITTED' ? { ...c, input: { ...c.input, note: 'catatan a\u0000b' } } : c)),
  });
  beforeAll(async () => {
    ctx = await timeSkippingContext('pglite', (real) => ({ ...real, project: (input) => real.project(poison(input)) }));
  }, 120_000);
  afterAll(async () => {
    await ctx?.teardown();
  });

  it('is recorded in ProjectionFailure and the query, while the year goes on to FINAL', async () => {
    const org = await seedOrg(ctx.prisma);
    const staff = org.staff[0]!;
    const { handle, input } = await startEvaluation(ctx, org, staff, { periods: 2 });
    await handle.executeUpdate('submitTargets', { args: [{ actor: actor(staff), skp: skpDraft }] });
    await handle.executeUpdate('decideTargets', { args: [{ actor: actor(org.head), input: { decision: 'APPROVE' } }] });
    await ctx.env.sleep(30 * DAY);
    // the update is applied to the year (the workflow is the record) even though its projection is refused
    await handle.executeUpdate('submitReport', { args: [{ actor: actor(staff), period: 1, input: reportFor(input.evaluationId) }] });
    const failure = await ctx.prisma.projectionFailure.findFirstOrThrow({ where: { evaluationId: input.evaluationId } });
    expect(failure).toMatchObject({
      regionId: org.regionId,
      workflowId: handle.workflowId,
      code: '22021',
      changeKinds: ['REPORT_SUBMITTED'],
      resolvedAt: null,
    });
    expect(failure.message).not.toContain('\u0000');
    const s: EvaluationState = await state(handle);
    expect(s.projectionFailures).toEqual([{ seq: failure.seq, code: '22021', message: expect.stringContaining('22021') as string }]);

    // the next actions and every deadline go on; the next snapshot repairs the report's state
    await handle.executeUpdate('reviewReport', {
      args: [{ actor: actor(org.head), period: 1, input: { decision: 'RATE', rating: 'SESUAI', feedback: 'sesuai target' } }],
    });
    expect(await ctx.prisma.periodReport.findUniqueOrThrow({ where: { evaluationId_period: { evaluationId: input.evaluationId, period: 1 } } })).toMatchObject({
      status: 'REVIEWED',
      rating: 'SESUAI',
    });
    const result = await handle.result();
    expect(result.phase).toBe('FINAL');
    expect(result.projectionFailures).toHaveLength(1);
    await eventually(
      async () => (await ctx.prisma.evaluation.findUniqueOrThrow({ where: { id: input.evaluationId } })).phase === 'FINAL',
      30_000,
      'final projection',
    );
    expect(await ctx.prisma.projectionFailure.count({ where: { evaluationId: input.evaluationId } })).toBe(1);
  }, 240_000);

  it("the validator refuses what the edge refuses, sent straight through the Temporal client: a NUL (also under another schema's mark), a foreign indicator", async () => {
    const org = await seedOrg(ctx.prisma);
    const staff = org.staff[0]!;
    const { handle, input } = await startEvaluation(ctx, org, staff, { periods: 2 });
    await handle.executeUpdate('submitTargets', { args: [{ actor: actor(staff), skp: skpDraft }] });
    await handle.executeUpdate('decideTargets', { args: [{ actor: actor(org.head), input: { decision: 'APPROVE' } }] });
    await ctx.env.sleep(30 * DAY);
    const report = reportFor(input.evaluationId);
    expect(await rejection(handle.executeUpdate('submitReport', { args: [{ actor: actor(staff), period: 1, input: { ...report, note: 'a\u0000b' } }] }))).toBe(
      'VALIDATION_FAILED',
    );
    // a mark naming another schema than the row's is no proof the body was parsed: it is parsed here
    const markedElse = { actor: actor(staff), period: 1, input: { ...report, note: 'a\u0000b' }, bodyCheckedAs: 'AppealInput' as const };
    expect(await rejection(handle.executeUpdate('submitReport', { args: [markedElse] }))).toBe('VALIDATION_FAILED');
    const foreign = { ...report, realisations: [report.realisations[0]!, { indicatorId: `${input.evaluationId}-r9-i9`, value: 1 }] };
    const err = await handle.executeUpdate('submitReport', { args: [{ actor: actor(staff), period: 1, input: foreign }] }).catch((e: unknown) => e);
    const cause = (err as { cause?: { type?: string; details?: unknown[] } }).cause;
    expect(cause?.type).toBe('VALIDATION_FAILED');
    expect(cause?.details?.[0]).toEqual({ errors: [expect.objectContaining({ pointer: '/realisations/1/indicatorId', code: 'unknown_indicator' })] });
    expect((await state(handle)).periods[0]!.state).toBe('OPEN');
    await handle.executeUpdate('submitReport', { args: [{ actor: actor(staff), period: 1, input: report }] });
    expect((await state(handle)).periods[0]!.state).toBe('SUBMITTED');
  }, 240_000);
});

describe('a projection that keeps failing transiently', () => {
  let ctx: TsContext;
  let failing = false;
  let failures = 0;
  beforeAll(async () => {
    ctx = await timeSkippingContext('pglite', (real) => ({
      ...real,
      project: async (input) => {
        if (failing) {
          failures++;
          throw new Error('connection terminated unexpectedly'); // unclassified: retried
        }
        return real.project(input);
      },
    }));
  }, 120_000);
  afterAll(async () => {
    await ctx?.teardown();
  });

  it('does not stop the deadlines: the year moves on in the workflow, and the projection catches up once it can write', async () => {
    const org = await seedOrg(ctx.prisma, { calendar: QUICK });
    const staff = org.staff[0]!;
    const { handle, input } = await startEvaluation(ctx, org, staff, { periods: 4 });
    failing = true;
    await eventually(async () => (await state(handle)).phase === 'ANNUAL_RATING', 120_000, 'the workflow reaching ANNUAL_RATING');
    expect(failures).toBeGreaterThan(1);
    // the database is stuck behind the first failing write ...
    expect((await ctx.prisma.evaluation.findUniqueOrThrow({ where: { id: input.evaluationId } })).phase).toBe('TARGET_SETTING');
    expect(await ctx.prisma.projectionFailure.count({ where: { evaluationId: input.evaluationId } })).toBe(0);
    // ... and catches up, in seq order, once the writes succeed again
    failing = false;
    await eventually(
      async () => (await ctx.prisma.evaluation.findUniqueOrThrow({ where: { id: input.evaluationId } })).phase === 'ANNUAL_RATING',
      120_000,
      'the projection catching up',
    );
    expect((await ctx.prisma.periodReport.findMany({ where: { evaluationId: input.evaluationId } })).map((r) => r.status)).toEqual([
      'MISSING',
      'MISSING',
      'MISSING',
      'MISSING',
    ]);
    await handle.terminate('test over');
  }, 300_000);
});
