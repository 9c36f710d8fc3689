/**
 * Focused tests of the rule-set simulation modes added for the acceptance story: traces in facts simulations
 * (opt-out), the dry run over the region's employees (baseline resolution, explicit version, other region's version,
 * no baseline) and the input rules (exactly one mode; compareToVersionId only with a dry run).
 */
import { dbKinds } from '@kinerja/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, NIPS, setup, type Fixture } from './helpers.js';

interface Problem {
  code: string;
  errors?: { pointer: string; code: string; message: string }[];
}

describe.each(dbKinds())('rule-set simulation modes (%s)', (kind) => {
  let f: Fixture;
  let admin: string;
  const base = '/admin/regions/demo';
  beforeAll(async () => {
    f = await setup(kind);
    admin = await f.login('admin');
  });
  afterAll(() => f?.close());

  async function draft(key: string, pack: string) {
    const res = await f.req('POST', `${base}/rule-sets`, { token: admin, body: { key, name: `Aturan ${key}`, from: { pack } } });
    expect(res.status).toBe(201);
    const body = await json<{ ruleSet: { id: string }; version: { id: string } }>(res);
    return `${base}/rule-sets/${body.ruleSet.id}/versions/${body.version.id}`;
  }
  const simulate = (path: string, body: unknown, token = admin) => f.req('POST', `${path}/simulate`, { token, body });

  it('facts: every rule traced with the fact values it saw; trace: false leaves traces out', async () => {
    const path = await draft('sim-national', 'national');
    const res = await simulate(path, { subjects: [{ id: 'a', facts: { capaianIndicators: [80, 90], trainingHours: 10 } }] });
    expect(res.status).toBe(200);
    const body = await json<{
      results: {
        id: string;
        trace: { rule: string; fired: boolean; conditions: { fact: string; factValue: unknown; result: boolean | null }[] }[];
        scoreComponents: unknown[];
      }[];
    }>(res);
    const r = body.results[0]!;
    expect(r.trace.length).toBeGreaterThan(3);
    const fired = r.trace.filter((t) => t.fired);
    expect(fired.length).toBeGreaterThan(0);
    expect(fired.flatMap((t) => t.conditions)).toContainEqual(expect.objectContaining({ fact: 'capaianAvg', factValue: 85, result: true }));
    expect(fired.flatMap((t) => t.conditions)).toContainEqual(expect.objectContaining({ fact: 'trainingHours', factValue: 10, result: true }));
    expect(Array.isArray(r.scoreComponents)).toBe(true);

    const lean = await json<{ results: Record<string, unknown>[] }>(await simulate(path, { subjects: [{ capaianIndicators: [100] }], trace: false }));
    expect(lean.results[0]).not.toHaveProperty('trace');
    expect(lean.results[0]).toHaveProperty('predikat');
  });

  it("employees: compared with the region's latest published version by default, or a named one; other region's version 422", async () => {
    const path = await draft('sim-mataram', 'mataram');
    const res = await simulate(path, { employees: true });
    expect(res.status).toBe(200);
    const body = await json<{
      mode: string;
      employees: number;
      current: { versionId: string } | null;
      results: { nip: string; factsFrom: string; proposed: { predikat: string | null } }[];
    }>(res);
    expect(body.mode).toBe('employees');
    expect(body.employees).toBe(4); // the demo region's active employees, not the other region's
    expect(body.current?.versionId).toBe(f.seed.ruleSetVersionId);
    expect(body.results.map((r) => r.nip).sort()).toEqual([NIPS.kepalaDinas, NIPS.kepalaBidang, NIPS.staff1, NIPS.staff2].sort());
    expect(body.results.every((r) => r.factsFrom === 'current')).toBe(true);

    const explicit = await json<{ current: { versionId: string } }>(await simulate(path, { employees: true, compareToVersionId: path.split('/').pop() }));
    expect(explicit.current.versionId).toBe(path.split('/').pop());

    // a version of another region is unknown here
    const otherAdmin = await f.login('admin-lain');
    const otherPath = await f
      .req('POST', '/admin/regions/lain/rule-sets', { token: otherAdmin, body: { key: 'lain', name: 'Aturan lain', from: { pack: 'national' } } })
      .then((r) => json<{ ruleSet: { id: string }; version: { id: string } }>(r));
    const cross = await simulate(path, { employees: true, compareToVersionId: otherPath.version.id });
    expect(cross.status).toBe(422);
    expect((await json<Problem>(cross)).errors![0]).toMatchObject({ pointer: '/compareToVersionId', code: 'unknown_version' });

    // a region with no published version: nothing to compare with
    const lainDraft = `/admin/regions/lain/rule-sets/${otherPath.ruleSet.id}/versions/${otherPath.version.id}`;
    const alone = await f.req('POST', `${lainDraft}/simulate`, { token: otherAdmin, body: { employees: true } });
    expect(alone.status).toBe(200);
    expect(await json(alone)).toMatchObject({ employees: 1, current: null, comparison: null });

    // admins only
    const asn = await f.login(NIPS.staff1);
    expect((await simulate(path, { employees: true }, asn)).status).toBe(404);
  });

  it('facts errors point into their subject: /subjects/<i>/<fact>, /subjects/<i>/facts/<fact> for { id, facts }', async () => {
    const path = await draft('sim-pointers', 'national');
    const res = await simulate(path, {
      subjects: [{ capaianIndicators: [100] }, { bogus: 1 }, { id: 'c', facts: { trainingHours: -1, 'a/b': 2 } }, { id: 'd', facts: { capaianAvg: { x: 1 } } }],
    });
    expect(res.status).toBe(422);
    const problem = await json<Problem>(res);
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors!.map((e) => [e.pointer, e.code])).toEqual([
      ['/subjects/1/bogus', 'invalid_fact'],
      ['/subjects/2/facts/trainingHours', 'invalid_fact'],
      ['/subjects/2/facts/a~1b', 'invalid_fact'],
      ['/subjects/3/facts/capaianAvg', 'invalid_type'],
    ]);
  });

  it('input: exactly one mode; compareToVersionId only with a dry run', async () => {
    const path = await draft('sim-input', 'national');
    for (const body of [{}, { employees: true, subjects: [{ capaianIndicators: [100] }] }, { employees: false }, { subjects: [{}], compareToVersionId: 'x' }]) {
      const res = await simulate(path, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect((await json<Problem>(res)).code).toBe('VALIDATION_FAILED');
    }
  });
});
