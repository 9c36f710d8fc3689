/**
 * simulationWorkflow with the real activities on the time-skipping server and PGlite: a run over a region's
 * employees ends DONE with its progress at total; a run whose rule set is invalid ends FAILED at once (not
 * retried); a run whose activity keeps failing ends FAILED after its retries, with the reason, never left RUNNING.
 */
import { nationalRuleSet } from '@kinerja/rules';
import { uniqueId } from '@kinerja/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrg, timeSkippingContext, type Org, type TsContext } from './helpers.js';

describe('simulationWorkflow (time-skipping, pglite)', () => {
  let ctx: TsContext;
  let org: Org;
  let attempts = 0;
  beforeAll(async () => {
    ctx = await timeSkippingContext('pglite', (real) => ({
      ...real,
      // the activity of a run whose request names "crash" fails on every attempt, like a worker that keeps dying
      runSimulation: async (input) => {
        const run = await ctx.prisma.simulationRun.findUniqueOrThrow({ where: { id: input.runId } });
        if ((run.request as { crash?: boolean }).crash) {
          attempts++;
          throw new Error('worker lost');
        }
        return real.runSimulation(input);
      },
    }));
    org = await seedOrg(ctx.prisma, { staff: 3 });
  }, 120_000);
  afterAll(() => ctx?.teardown());

  async function run(request: Record<string, unknown>, ruleSetVersionId = org.ruleSetVersionId) {
    const row = await ctx.prisma.simulationRun.create({
      data: { regionId: org.regionId, ruleSetVersionId, requestedById: 'admin', request: request as never, total: 0 },
    });
    const result = await ctx.client.workflow.execute('simulationWorkflow', {
      taskQueue: ctx.taskQueue,
      workflowId: uniqueId('simulation'),
      args: [{ runId: row.id }],
    });
    return { result: result as { status: string }, row: await ctx.prisma.simulationRun.findUniqueOrThrow({ where: { id: row.id } }) };
  }

  it("evaluates the region's employees: DONE, progress at total, the distribution of every subject", async () => {
    const employees = await ctx.prisma.employee.count({ where: { regionId: org.regionId, status: 'ACTIVE' } });
    const { result, row } = await run({ mode: 'employees', compareToVersionId: org.ruleSetVersionId });
    expect(result).toEqual({ status: 'DONE' });
    expect(row).toMatchObject({ status: 'DONE', total: employees, done: employees, error: null });
    const r = row.result as { employees: number; proposed: { distribution: Record<string, number> }; comparison: { changed: unknown[]; changedTotal: number } };
    expect(r.employees).toBe(employees);
    // nobody is rated yet: no predikat, and the same version compared with itself changes nobody
    expect(r.proposed.distribution.NONE).toBe(employees);
    expect(r.comparison).toMatchObject({ changed: [], changedTotal: 0 });
  });

  it('an invalid rule set fails the run at once, with the reason', async () => {
    const ruleSet = await ctx.prisma.ruleSet.create({ data: { regionId: org.regionId, key: uniqueId('broken'), name: 'Rusak' } });
    const broken = {
      ...structuredClone(nationalRuleSet),
      rules: [{ ...nationalRuleSet.rules[0]!, conditions: { all: [{ fact: 'nope', operator: 'equal', value: 1 }] } }],
    };
    const version = await ctx.prisma.ruleSetVersion.create({ data: { ruleSetId: ruleSet.id, regionId: org.regionId, version: 1, document: broken as never } });
    const { result, row } = await run({ mode: 'employees', compareToVersionId: null }, version.id);
    expect(result).toEqual({ status: 'FAILED' });
    expect(row.status).toBe('FAILED');
    expect(row.error).toContain('invalid');
    expect(row.error).toContain('UNKNOWN_FACT');
  });

  it('an activity that keeps failing: FAILED after its three attempts, never left RUNNING', async () => {
    const { result, row } = await run({ mode: 'employees', compareToVersionId: null, crash: true });
    expect(result).toEqual({ status: 'FAILED' });
    expect(attempts).toBe(3);
    expect(row).toMatchObject({ status: 'FAILED', error: 'worker lost' });
  });
});
