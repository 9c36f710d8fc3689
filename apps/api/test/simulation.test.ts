/**
 * Bounded simulation, through the API on real PostgreSQL/PGlite and the Temporal dev server:
 * - a facts simulation past SIMULATION_LIMITS is refused (413 SIMULATION_TOO_LARGE with the limit and the measured
 *   value) before any evaluation starts (evaluationCount) and without the heap moving;
 * - traces are kept only when they fit, an explicit trace past the cap is refused;
 * - a draft nested 10,000 deep is refused with a pointer (422), never a stack overflow, and is not stored;
 * - a dry run past the inline limit runs in the background through the real worker (simulationWorkflow): 202 with a
 *   Location, progress polled to DONE, and the distributions equal inline simulations of the same subjects.
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { dbKinds, uniqueId } from '@kinerja/testing';
import { evaluationCount, nationalRuleSet, ruleSetSize, SIMULATION_LIMITS, type RuleSetDocument } from '@kinerja/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, setup, until, type Fixture } from './helpers.js';

interface Problem {
  status: number;
  code: string;
  detail: string;
  limit?: number;
  measured?: number;
  errors?: { pointer: string; code: string; message: string }[];
}
type Distribution = Record<string, number>;
interface Run {
  id: string;
  status: 'RUNNING' | 'DONE' | 'FAILED';
  total: number;
  done: number;
  error: string | null;
  result: {
    mode: string;
    withFacts?: number;
    employees?: number;
    fromScores?: number;
    current: { versionId: string; distribution: Distribution; flagCounts: Record<string, number> } | null;
    proposed: { versionId: string; distribution: Distribution; flagCounts: Record<string, number> };
    comparison: {
      rows: { predikat: string; delta: number }[];
      changed: { id: string; current: string | null; proposed: string | null }[];
      changedTotal: number;
    } | null;
  } | null;
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapUsed = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const REGION = '/admin/regions/demo';

/**
 * The national rule set grown to 200 rules: 189 four-condition flag rules and one that sets the predikat for
 * capaian ≥ 130% (so that a dry run changes some subjects' predikat).
 */
function bigDocument(): RuleSetDocument {
  const doc = structuredClone(nationalRuleSet) as RuleSetDocument;
  for (let i = 0; i < 189; i++) {
    doc.rules.push({
      name: `Pelatihan tambahan ${i}`,
      reason: 'Pengembangan kompetensi {trainingHours} JP',
      conditions: {
        all: [
          { fact: 'trainingHours', operator: 'lessThan', value: 20 + (i % 10) },
          { fact: 'trainingHours', operator: 'greaterThanInclusive', value: i % 5 },
          { fact: 'capaianAvg', operator: 'greaterThan', value: i % 50 },
          { fact: 'capaianAvg', operator: 'lessThan', value: 200 },
        ],
      },
      event: { type: 'flag', params: { flag: 'TRAINING' } },
    });
  }
  doc.rules.push({
    name: 'Predikat sangat baik untuk capaian luar biasa',
    reason: 'Rata-rata capaian {capaianAvg}% ≥ 130%',
    priority: 5,
    conditions: { all: [{ fact: 'capaianAvg', operator: 'greaterThanInclusive', value: 130 }] },
    event: { type: 'setPredikat', params: { predikat: 'SANGAT_BAIK' } },
  });
  return doc;
}

async function draftWith(f: Fixture, token: string, key: string, document: unknown) {
  const created = await json<{ ruleSet: { id: string }; version: { id: string } }>(
    await f.req('POST', `${REGION}/rule-sets`, { token, body: { key, name: `Aturan ${key}`, from: { pack: 'national' } } }),
  );
  const path = `${REGION}/rule-sets/${created.ruleSet.id}/versions/${created.version.id}`;
  const put = await f.req('PUT', path, { token, body: { document } });
  return { path, versionId: created.version.id, put };
}

describe.each(dbKinds())('simulation limits (%s)', (kind) => {
  let f: Fixture;
  let admin: string;
  let big: string;
  beforeAll(async () => {
    f = await setup(kind);
    admin = await f.login('admin');
    const d = await draftWith(f, admin, 'sim-big', bigDocument());
    expect(d.put.status).toBe(200);
    expect((await json<{ validation: { ok: boolean } }>(d.put)).validation.ok).toBe(true);
    big = d.path;
  }, 180_000);
  afterAll(() => f?.close());

  it('a simulation over the limit is refused without the heap moving', async () => {
    const size = ruleSetSize(bigDocument());
    expect(size.rules).toBe(200);
    const subjects = Array.from({ length: 2_000 }, (_, i) => ({ id: `s${i}`, facts: { capaianIndicators: [80 + (i % 60)], trainingHours: i % 30 } }));
    const refuse = () => f.req('POST', `${big}/simulate`, { token: admin, body: { subjects } });
    expect((await refuse()).status).toBe(413); // the route's code paths loaded once

    const evaluations = evaluationCount();
    const before = heapUsed();
    const res = await refuse();
    const body = await json<Problem>(res);
    const grown = heapUsed() - before;

    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(body.code).toBe('SIMULATION_TOO_LARGE');
    const measured = 2_000 * size.conditions;
    expect(body).toMatchObject({ limit: SIMULATION_LIMITS.inlineEvaluations, measured });
    expect(body.detail).toContain(SIMULATION_LIMITS.inlineEvaluations.toLocaleString('id'));
    expect(body.detail).toContain(measured.toLocaleString('id'));
    expect(body.errors).toEqual([expect.objectContaining({ pointer: '/subjects', code: 'too_large' })]);
    expect(evaluationCount()).toBe(evaluations);
    // evaluating it would have retained ~200 bytes per condition evaluation (~390 MB); refusing it keeps nothing
    expect(grown).toBeLessThan(4 * 1024 * 1024);
  });

  it('traces are kept only when they fit; an explicit trace past the cap is refused', async () => {
    const { leaves } = ruleSetSize(bigDocument());
    const n = Math.floor(SIMULATION_LIMITS.traceEntries / leaves) + 1;
    const subjects = Array.from({ length: n }, (_, i) => ({ capaianIndicators: [90 + i], trainingHours: i }));
    const evaluations = evaluationCount();
    const explicit = await f.req('POST', `${big}/simulate`, { token: admin, body: { subjects, trace: true } });
    expect(explicit.status).toBe(413);
    expect(await json<Problem>(explicit)).toMatchObject({
      code: 'SIMULATION_TOO_LARGE',
      limit: SIMULATION_LIMITS.traceEntries,
      measured: n * leaves,
      errors: [{ pointer: '/trace' }],
    });
    expect(evaluationCount()).toBe(evaluations);

    const byDefault = await json<{ traced: boolean; total: number; results: Record<string, unknown>[] }>(
      await f.req('POST', `${big}/simulate`, { token: admin, body: { subjects } }),
    );
    expect(byDefault).toMatchObject({ traced: false, total: n });
    expect(byDefault.results[0]).not.toHaveProperty('trace');

    const many = Array.from({ length: SIMULATION_LIMITS.inlineSubjects + 1 }, () => ({ trainingHours: 1 }));
    const beforeMany = evaluationCount();
    const tooMany = await f.req('POST', `${big}/simulate`, { token: admin, body: { subjects: many, trace: false } });
    expect(tooMany.status).toBe(413);
    expect(await json<Problem>(tooMany)).toMatchObject({
      code: 'SIMULATION_TOO_LARGE',
      limit: SIMULATION_LIMITS.inlineSubjects,
      measured: many.length,
      errors: [{ pointer: '/subjects' }],
    });
    expect(evaluationCount()).toBe(beforeMany);

    const few = await json<{ traced: boolean; results: { trace: unknown[] }[] }>(
      await f.req('POST', `${big}/simulate`, { token: admin, body: { subjects: subjects.slice(0, n - 1) } }),
    );
    expect(few.traced).toBe(true);
    expect(few.results[0]!.trace).toHaveLength(200);
  });

  it('a draft nested 10,000 deep is refused with a pointer and not stored', async () => {
    const created = await draftWith(f, admin, 'sim-deep', nationalRuleSet);
    expect(created.put.status).toBe(200);
    // written as text: JSON.stringify itself overflows the stack on such a value
    const doc = structuredClone(nationalRuleSet) as unknown as { rules: { conditions: unknown }[] };
    doc.rules[9]!.conditions = 'DEEP';
    const deep = '{"all":['.repeat(10_000) + JSON.stringify({ fact: 'trainingHours', operator: 'lessThan', value: 20 }) + ']}'.repeat(10_000);
    const raw = JSON.stringify({ document: doc }).replace('"DEEP"', deep);
    const res = await f.req('PUT', created.path, { token: admin, raw, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(422);
    const body = await json<Problem>(res);
    expect(body.code).toBe('RULESET_INVALID');
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]).toMatchObject({ code: 'TOO_DEEP', pointer: '/rules/9/conditions' + '/all/0'.repeat(8) + '/all' });
    const stored = await json<{ document: RuleSetDocument }>(await f.req('GET', created.path, { token: admin }));
    expect(stored.document.rules[9]!.conditions).toEqual(nationalRuleSet.rules[9]!.conditions);
  });
});

describe.each(dbKinds())('background dry run through the worker (%s)', (kind) => {
  let f: Fixture;
  let admin: string;
  beforeAll(async () => {
    f = await setup(kind, { withWorker: true });
    admin = await f.login('admin');
  }, 180_000);
  afterAll(() => f?.close());

  it('past the inline limit: 202 with a Location, progress polled to DONE, distributions equal to inline simulations of the same subjects', async () => {
    const doc = bigDocument();
    const draft = await draftWith(f, admin, 'sim-background', doc);
    expect(draft.put.status).toBe(200);
    const p = f.db.prisma;
    const seedVersion = await p.ruleSetVersion.findUniqueOrThrow({ where: { id: f.seed.ruleSetVersionId } });
    const seedDoc = seedVersion.document as unknown as RuleSetDocument;
    // enough subjects that proposed + current exceed the inline limit
    const perSubject = ruleSetSize(doc).conditions + ruleSetSize(seedDoc).conditions;
    const n = Math.ceil(SIMULATION_LIMITS.inlineEvaluations / perSubject) + 20;

    // fixture: a cycle with n scored evaluations (facts as the worker records them), written directly
    const cycle = await p.cycle.create({
      data: {
        regionId: f.seed.regionId,
        year: 2031,
        name: 'Siklus simulasi',
        ruleSetVersionId: seedVersion.id,
        workflowId: uniqueId('cycle/none'),
        status: 'OPEN',
      },
    });
    const ratings = ['DI_BAWAH', 'SESUAI', 'DI_ATAS'] as const;
    const people = Array.from({ length: n }, (_, i) => ({ id: uniqueId('emp'), nip: `2031${String(i).padStart(14, '0')}`, i }));
    await p.employee.createMany({
      data: people.map((e) => ({ id: e.id, regionId: f.seed.regionId, nip: e.nip, name: `Pegawai ${e.i}`, position: 'Staf', unitId: f.seed.units.bidang })),
    });
    await p.evaluation.createMany({
      data: people.map((e) => ({
        id: `ev-${e.id}`,
        cycleId: cycle.id,
        regionId: f.seed.regionId,
        employeeId: e.id,
        unitId: f.seed.units.bidang,
        workflowId: uniqueId('evaluation/none'),
      })),
    });
    const factsOf = (i: number) => ({
      capaianIndicators: [70 + ((i * 7) % 80)],
      hasilKerjaRating: ratings[i % 3]!,
      perilakuRating: ratings[(i >> 1) % 3]!,
      trainingHours: i % 30,
    });
    await p.score.createMany({
      data: people.map((e) => ({
        evaluationId: `ev-${e.id}`,
        kind: 'FINAL' as const,
        hasilKerja: 'SESUAI',
        perilaku: 'SESUAI',
        predikat: 'BAIK',
        numericScore: 80,
        flags: [],
        facts: factsOf(e.i),
        trace: [],
        ruleSetVersionId: seedVersion.id,
      })),
    });

    const evaluationsBefore = evaluationCount();
    const started = await f.req('POST', `${draft.path}/simulate`, { token: admin, body: { cycleId: cycle.id } });
    expect(started.status).toBe(202);
    const body = await json<{ runId: string; status: string; total: number; location: string }>(started);
    expect(body).toMatchObject({ status: 'RUNNING', total: n });
    expect(started.headers.get('location')).toBe(`${REGION}/simulations/${body.runId}`);

    const seen: number[] = [];
    const run = await until(
      'the background simulation to finish',
      async () => {
        const r = await json<Run>(await f.req('GET', body.location, { token: admin }));
        seen.push(r.done);
        expect(r.done).toBeLessThanOrEqual(r.total);
        return r.status !== 'RUNNING' ? r : null;
      },
      240_000,
    );
    expect(run.error).toBeNull();
    expect(run.status).toBe('DONE');
    expect(run).toMatchObject({ total: n, done: n });
    expect(seen.every((d, i) => i === 0 || d >= seen[i - 1]!)).toBe(true);
    expect(run.result).toMatchObject({ mode: 'cycle', withFacts: n, current: { versionId: seedVersion.id }, proposed: { versionId: draft.versionId } });
    // the evaluations ran in the worker, not on the request that answered 202
    expect(evaluationCount() - evaluationsBefore).toBe(2 * n);

    // the same subjects, simulated inline in slices that fit the limit, with both versions
    const inline = async (path: string, conditions: number) => {
      const slice = Math.floor(SIMULATION_LIMITS.inlineEvaluations / Math.max(conditions, SIMULATION_LIMITS.minNodesPerSubject));
      const sum: Distribution = {};
      const predikat = new Map<string, string | null>();
      for (let start = 0; start < n; start += slice) {
        const subjects = people.slice(start, start + slice).map((e) => ({ id: e.id, facts: factsOf(e.i) }));
        const res = await f.req('POST', `${path}/simulate`, { token: admin, body: { subjects, trace: false } });
        expect(res.status).toBe(200);
        const r = await json<{ distribution: Distribution; results: { id: string; predikat: string | null }[] }>(res);
        for (const [k, v] of Object.entries(r.distribution)) sum[k] = (sum[k] ?? 0) + v;
        for (const x of r.results) predikat.set(x.id, x.predikat);
      }
      return { sum, predikat };
    };
    const proposed = await inline(draft.path, ruleSetSize(doc).conditions);
    const current = await inline(`${REGION}/rule-sets/${seedVersion.ruleSetId}/versions/${seedVersion.id}`, ruleSetSize(seedDoc).conditions);
    expect(run.result!.proposed.distribution).toEqual(proposed.sum);
    expect(run.result!.current!.distribution).toEqual(current.sum);
    const changed = people.filter((e) => proposed.predikat.get(e.id) !== current.predikat.get(e.id)).map((e) => e.id);
    expect(changed.length).toBeGreaterThan(0);
    expect(run.result!.comparison!.changedTotal).toBe(changed.length);
    expect(run.result!.comparison!.changed.map((c) => c.id).sort()).toEqual(changed.sort());
    expect(run.result!.comparison!.rows.find((r) => r.predikat === 'SANGAT_BAIK')!.delta).toBeGreaterThan(0);

    // the region's employees (the n above with their scores, plus the demo's four): a background run as well
    const employees = await f.req('POST', `${draft.path}/simulate`, { token: admin, body: { employees: true } });
    expect(employees.status).toBe(202);
    const location = employees.headers.get('location')!;
    const done = await until(
      'the employees dry run to finish',
      async () => {
        const r = await json<Run>(await f.req('GET', location, { token: admin }));
        return r.status !== 'RUNNING' ? r : null;
      },
      240_000,
    );
    expect(done).toMatchObject({ status: 'DONE', total: n + 4, result: { mode: 'employees', employees: n + 4, fromScores: n } });
    expect(done.result!.proposed.distribution.SANGAT_BAIK).toBe(proposed.sum.SANGAT_BAIK);

    // another region's admin does not see the run
    const other = await f.login('admin-lain');
    expect((await f.req('GET', body.location, { token: other })).status).toBe(404);
    expect((await f.req('GET', `/admin/regions/lain/simulations/${body.runId}`, { token: other })).status).toBe(404);
  }, 600_000);
});
