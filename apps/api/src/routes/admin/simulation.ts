/**
 * Simulating a rule-set version: against given facts (with traces), or as a dry run over the region's employees
 * or a cycle's recorded facts, compared with the current version. The work is measured before it starts
 * (`simulationCost`): within SIMULATION_LIMITS it runs inline (chunked, yielding to the event loop); a facts
 * simulation past the limits is refused (413 SIMULATION_TOO_LARGE, saying the limit and the measured value); a dry
 * run past them runs in the background (simulationWorkflow → SimulationRun) and answers 202 with where to poll.
 */
import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { cycleSubjects, employeeSubjects, type Prisma } from '@kinerja/db';
import { cleanJsonObject, idText, type Lang } from '@kinerja/domain';
import {
  checkFacts,
  compareDistributions,
  FactsError,
  SIMULATION_LIMITS,
  simulate,
  simulationCost,
  type Facts,
  type RuleSetDocument,
  type SimulateOptions,
  type SimulationCost,
  type SimulationSubject,
  toPointer,
} from '@kinerja/rules';
import type { ResolvedDeps } from '../../env.js';
import { authorizeRegion } from '../../access.js';
import { ProblemError, type FieldError } from '../../problem.js';
import { bearer, jsonBody, newRouter, ok, problems } from '../../router.js';
import { JsonObjectSchema, JsonValueSchema } from '../../schemas.js';
import { RegionParams } from './common.js';
import { findVersion, validDoc, VerParams, type VersionRow } from './ruleset-common.js';

const tags = ['admin: rule sets'];

const SimulateInput = z
  .object({
    /** explicit subjects: bare facts or { id, facts } */
    subjects: z.array(cleanJsonObject()).min(1).max(10_000).optional(),
    /** dry run over a cycle: re-evaluates the facts recorded in the cycle's scores and compares distributions */
    cycleId: idText(64).optional(),
    /**
     * dry run over the region's active employees: each with the facts of their latest score, else the facts known
     * now (unit kind, position kind, attendance, citizen surveys); compared with the current version
     */
    employees: z.literal(true).optional(),
    /** the version to compare with (employees/cycle dry runs); default the cycle's version, else the region's current one */
    compareToVersionId: idText(64).optional(),
    /**
     * subjects mode: include each subject's rule trace (which rules fired on which fact values); by default traced
     * when the trace stays within SIMULATION_LIMITS.traceEntries
     */
    trace: z.boolean().optional(),
  })
  .strict()
  .refine((v) => (v.subjects ? 1 : 0) + (v.cycleId ? 1 : 0) + (v.employees ? 1 : 0) === 1, {
    message: 'isi tepat satu dari subjects, cycleId atau employees',
    path: ['subjects'],
  })
  .refine((v) => !(v.subjects && v.compareToVersionId), { message: 'compareToVersionId hanya untuk cycleId atau employees', path: ['compareToVersionId'] })
  .openapi('SimulateRuleSet');

const RunParams = RegionParams.extend({ runId: idText(64).openapi({ param: { name: 'runId', in: 'path' } }) });

const Predikat = z.string().nullable();
const Distribution = z.record(z.string(), z.number().int()).openapi('PredikatDistribution');
const Counts = z.record(z.string(), z.number().int());
const Side = z.object({ versionId: z.string(), version: z.number().int().optional(), distribution: Distribution, flagCounts: Counts });
const Row = z.object({
  predikat: z.string(),
  current: z.number().int(),
  proposed: z.number().int(),
  delta: z.number().int(),
  currentShare: z.number(),
  proposedShare: z.number(),
});
const Changed = z.object({ id: z.string(), current: Predikat, proposed: Predikat });
const Comparison = z.object({ rows: z.array(Row), changed: z.array(Changed), changedTotal: z.number().int().optional() }).openapi('DistributionComparison');
const Flag = z.object({ flag: z.string(), rule: z.string(), reason: z.string() });
const ConditionTrace = z.object({
  pointer: z.string(),
  fact: z.string(),
  operator: z.string(),
  value: JsonValueSchema,
  factValue: JsonValueSchema.optional(),
  result: z.boolean().nullable(),
});
const RuleTrace = z.object({
  rule: z.string(),
  index: z.number().int(),
  priority: z.number().int(),
  fired: z.boolean(),
  outcome: z.object({ type: z.string(), params: JsonObjectSchema }),
  conditions: z.array(ConditionTrace),
});
const ScoreComponent = z.object({ component: z.string(), weight: z.number(), value: z.number().nullable(), rule: z.string().nullable() });

const FactsSimulation = z
  .object({
    mode: z.literal('facts'),
    ruleSet: z.object({ key: z.string(), hash: z.string() }),
    total: z.number().int(),
    /** whether results carry scoreComponents and trace */
    traced: z.boolean(),
    distribution: Distribution,
    flagCounts: Counts,
    results: z.array(
      z.object({
        id: z.string(),
        predikat: Predikat,
        numericScore: z.number().nullable(),
        hasilKerja: z.string().nullable(),
        perilaku: z.string().nullable(),
        flags: z.array(Flag),
        reasons: z.array(z.string()),
        scoreComponents: z.array(ScoreComponent).optional(),
        trace: z.array(RuleTrace).optional(),
      }),
    ),
  })
  .openapi('FactsSimulation');
const Brief = z.object({ predikat: Predikat, numericScore: z.number().nullable(), flags: z.array(z.string()) });
const EmployeesDryRun = z
  .object({
    mode: z.literal('employees'),
    employees: z.number().int(),
    fromScores: z.number().int(),
    current: Side.nullable(),
    proposed: Side,
    comparison: Comparison.nullable(),
    results: z.array(
      z.object({
        employeeId: z.string(),
        nip: z.string().optional(),
        name: z.string().optional(),
        factsFrom: z.enum(['score', 'current']).optional(),
        current: Brief.nullable(),
        proposed: Brief,
      }),
    ),
  })
  .openapi('EmployeesDryRun');
const CycleDryRun = z
  .object({
    mode: z.literal('cycle'),
    cycleId: z.string(),
    evaluations: z.number().int(),
    withFacts: z.number().int(),
    current: Side,
    proposed: Side,
    comparison: Comparison,
  })
  .openapi('CycleDryRun');

const RunStatus = z.enum(['RUNNING', 'DONE', 'FAILED']);
const RunStarted = z
  .object({
    runId: z.string(),
    status: RunStatus,
    total: z.number().int(),
    done: z.number().int(),
    location: z.string(),
    cost: z.object({ evaluations: z.number().int(), inlineLimit: z.number().int() }),
  })
  .openapi('SimulationStarted');
/** What a background run writes into SimulationRun.result (the worker's simulation activity). */
const RunResult = z
  .object({
    mode: z.enum(['employees', 'cycle']),
    employees: z.number().int().optional(),
    fromScores: z.number().int().optional(),
    cycleId: z.string().optional(),
    evaluations: z.number().int().optional(),
    withFacts: z.number().int().optional(),
    current: Side.nullable(),
    proposed: Side,
    comparison: Comparison.nullable(),
  })
  .openapi('SimulationRunResult');
const Run = z
  .object({
    id: z.string(),
    status: RunStatus,
    versionId: z.string(),
    request: z.object({ mode: z.enum(['employees', 'cycle']), cycleId: z.string().optional(), compareToVersionId: z.string().nullable() }),
    total: z.number().int(),
    done: z.number().int(),
    result: RunResult.nullable(),
    error: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('SimulationRun');
type RunRequest = z.infer<typeof Run>['request'];

const simulateRoute = createRoute({
  method: 'post',
  path: '/admin/regions/{regionCode}/rule-sets/{ruleSetId}/versions/{versionId}/simulate',
  tags,
  security: bearer,
  summary:
    "Simulate a draft/version against given facts (with traces), or dry-run over the region's employees or a cycle with distribution comparison against the current version",
  description:
    `Inline within ${SIMULATION_LIMITS.inlineEvaluations.toLocaleString('en')} condition evaluations (subjects × condition nodes of every rule set evaluated), ` +
    `${SIMULATION_LIMITS.inlineSubjects.toLocaleString('en')} subjects and ${SIMULATION_LIMITS.traceEntries.toLocaleString('en')} trace entries. Past them a facts simulation answers 413 SIMULATION_TOO_LARGE; ` +
    'a dry run over employees or a cycle starts in the background and answers 202 with the run to poll (Location).',
  request: { params: VerParams, ...jsonBody(SimulateInput) },
  responses: {
    200: ok(z.union([FactsSimulation, EmployeesDryRun, CycleDryRun])),
    202: { description: 'Started in the background', headers: z.object({ Location: z.string() }), content: { 'application/json': { schema: RunStarted } } },
    ...problems,
  },
});
const runRoute = createRoute({
  method: 'get',
  path: '/admin/regions/{regionCode}/simulations/{runId}',
  tags,
  security: bearer,
  summary: 'A background simulation: status, progress (done of total) and, when DONE, the result',
  request: { params: RunParams },
  responses: { 200: ok(Run), ...problems },
});

const asJson = (v: unknown) => v as Prisma.InputJsonValue;

function tooLarge(lang: Lang, pointer: string, what: { id: string; en: string }, limit: number, measured: number) {
  const n = (x: number) => x.toLocaleString(lang === 'en' ? 'en' : 'id');
  return new ProblemError('SIMULATION_TOO_LARGE', {
    detail: { id: `${what.id}: ${n(measured)}, batasnya ${n(limit)}.`, en: `${what.en}: ${n(measured)}, the limit is ${n(limit)}.` },
    errors: [
      {
        pointer,
        field: pointer.split('/').pop() ?? '',
        code: 'too_large',
        message: lang === 'en' ? `${what.en}: ${n(measured)} > ${n(limit)}` : `${what.id}: ${n(measured)} > ${n(limit)}`,
      },
    ],
    extensions: { limit, measured },
  });
}

const EVALUATIONS = {
  id: 'Simulasi ini membutuhkan terlalu banyak evaluasi kondisi (subjek × kondisi aturan)',
  en: 'This simulation needs too many condition evaluations (subjects × rule conditions)',
};
const SUBJECTS = {
  id: 'Simulasi ini memuat terlalu banyak subjek; bagi menjadi beberapa permintaan',
  en: 'This simulation has too many subjects; split it into several requests',
};
const TRACE = {
  id: 'Jejak simulasi ini terlalu besar (subjek × kondisi); kirim trace: false atau lebih sedikit subjek',
  en: 'The trace of this simulation is too large (subjects × conditions); send trace: false or fewer subjects',
};

export function simulationRoutes(deps: ResolvedDeps) {
  const { prisma, temporal } = deps;

  async function runSimulation(doc: RuleSetDocument, subjects: SimulationSubject[], pointerBase: string, opts: SimulateOptions = {}) {
    try {
      return await simulate(doc, subjects, opts);
    } catch (err) {
      if (err instanceof FactsError) {
        const errors: FieldError[] = err.issues.map((i) => ({ pointer: `${pointerBase}/${i.fact}`, field: i.fact, code: 'invalid_fact', message: i.message }));
        throw new ProblemError('VALIDATION_FAILED', { errors });
      }
      throw err;
    }
  }

  /**
   * The version a dry run compares with: the one asked for, else the cycle's, else the region's current one (the
   * version pinned by its latest cycle, else its most recently published version other than the proposed one).
   */
  async function baseline(
    regionId: string,
    proposedId: string,
    askedId: string | undefined,
    cycleVersion: VersionRow | null,
    lang: Lang,
  ): Promise<VersionRow | null> {
    if (askedId) {
      const v = await prisma.ruleSetVersion.findFirst({ where: { id: askedId, regionId } });
      if (!v)
        throw new ProblemError('VALIDATION_FAILED', {
          errors: [
            {
              pointer: '/compareToVersionId',
              field: 'compareToVersionId',
              code: 'unknown_version',
              message: lang === 'en' ? 'version not found' : 'versi tidak ditemukan',
            },
          ],
        });
      return v;
    }
    if (cycleVersion) return cycleVersion;
    const latestCycle = await prisma.cycle.findFirst({ where: { regionId }, orderBy: { year: 'desc' }, include: { ruleSetVersion: true } });
    if (latestCycle) return latestCycle.ruleSetVersion;
    return prisma.ruleSetVersion.findFirst({
      where: { regionId, status: 'PUBLISHED', id: { not: proposedId } },
      orderBy: { publishedAt: { sort: 'desc', nulls: 'last' } },
    });
  }

  /** Record the run, then start its workflow; a run whose workflow cannot start is FAILED, not left RUNNING. */
  async function startInBackground(
    regionId: string,
    regionCode: string,
    versionId: string,
    userId: string,
    request: RunRequest,
    total: number,
    cost: SimulationCost,
  ) {
    const run = await prisma.simulationRun.create({
      data: { id: randomUUID(), regionId, ruleSetVersionId: versionId, requestedById: userId, request: asJson(request), status: 'RUNNING', total },
    });
    try {
      await temporal.workflow.start('simulationWorkflow', { taskQueue: deps.config.taskQueue, workflowId: `simulation/${run.id}`, args: [{ runId: run.id }] });
    } catch (err) {
      await prisma.simulationRun.update({ where: { id: run.id }, data: { status: 'FAILED', error: 'the background run could not be started' } });
      throw new ProblemError('SERVICE_UNAVAILABLE', { cause: err });
    }
    const location = `/admin/regions/${encodeURIComponent(regionCode)}/simulations/${run.id}`;
    return {
      location,
      body: {
        runId: run.id,
        status: 'RUNNING' as const,
        total,
        done: 0,
        location,
        cost: { evaluations: cost.evaluations, inlineLimit: SIMULATION_LIMITS.inlineEvaluations },
      },
    };
  }

  return newRouter()
    .openapi(simulateRoute, async (c) => {
      const { regionCode, ruleSetId, versionId } = c.req.valid('param');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      const input = c.req.valid('json');
      const lang = c.get('lang');
      const v = await findVersion(prisma, region.id, ruleSetId, versionId);
      const doc = validDoc(v.document, lang);
      if (input.subjects) {
        const subjects = input.subjects as SimulationSubject[];
        // measured before anything else: the request was parsed, nothing has been evaluated yet
        if (subjects.length > SIMULATION_LIMITS.inlineSubjects) throw tooLarge(lang, '/subjects', SUBJECTS, SIMULATION_LIMITS.inlineSubjects, subjects.length);
        const cost = simulationCost(subjects.length, doc);
        if (cost.evaluations > SIMULATION_LIMITS.inlineEvaluations)
          throw tooLarge(lang, '/subjects', EVALUATIONS, SIMULATION_LIMITS.inlineEvaluations, cost.evaluations);
        const traceFits = cost.traceEntries <= SIMULATION_LIMITS.traceEntries;
        if (input.trace === true && !traceFits) throw tooLarge(lang, '/trace', TRACE, SIMULATION_LIMITS.traceEntries, cost.traceEntries);
        const withTrace = input.trace ?? traceFits;
        // every subject's facts are checked here, so each error points into its own subject (/subjects/0/facts/x)
        const errors: FieldError[] = [];
        subjects.forEach((s, i) => {
          const wrapped =
            typeof (s as { id?: unknown }).id === 'string' && typeof (s as { facts?: unknown }).facts === 'object' && (s as { facts?: unknown }).facts !== null;
          const facts = (wrapped ? (s as { facts: Facts }).facts : s) as Record<string, unknown>;
          const at = (fact: string) => toPointer(wrapped ? ['subjects', i, 'facts', fact] : ['subjects', i, fact]);
          const nested = Object.keys(facts).filter((k) => facts[k] !== null && typeof facts[k] === 'object' && !Array.isArray(facts[k]));
          for (const k of nested)
            errors.push({ pointer: at(k), field: k, code: 'invalid_type', message: lang === 'en' ? 'must be a value' : 'harus berupa nilai' });
          for (const issue of checkFacts(facts))
            if (!nested.includes(issue.fact)) errors.push({ pointer: at(issue.fact), field: issue.fact, code: 'invalid_fact', message: issue.message });
        });
        if (errors.length) throw new ProblemError('VALIDATION_FAILED', { errors });
        const result = await runSimulation(doc, subjects, '/subjects', { trace: withTrace });
        return c.json(
          {
            mode: 'facts' as const,
            ruleSet: result.ruleSet,
            total: result.total,
            traced: withTrace,
            distribution: result.distribution,
            flagCounts: result.flagCounts,
            results: result.results.map((r) => ({
              id: r.id,
              predikat: r.evaluation.predikat,
              numericScore: r.evaluation.numericScore,
              hasilKerja: r.evaluation.hasilKerja,
              perilaku: r.evaluation.perilaku,
              flags: r.evaluation.flags,
              reasons: r.evaluation.reasons,
              ...(withTrace ? { scoreComponents: r.evaluation.scoreComponents, trace: r.evaluation.trace } : {}),
            })),
          },
          200,
        );
      }
      if (input.employees) {
        const baseVersion = await baseline(region.id, v.id, input.compareToVersionId, null, lang);
        const baseDoc = baseVersion ? validDoc(baseVersion.document, lang) : null;
        const count = await prisma.employee.count({ where: { regionId: region.id, status: 'ACTIVE' } });
        const cost = simulationCost(count, doc, ...(baseDoc ? [baseDoc] : []));
        if (cost.evaluations > SIMULATION_LIMITS.inlineEvaluations) {
          const started = await startInBackground(
            region.id,
            regionCode,
            v.id,
            c.get('user').userId,
            { mode: 'employees', compareToVersionId: baseVersion?.id ?? null },
            count,
            cost,
          );
          return c.json(started.body, 202, { Location: started.location });
        }
        // the same subjects as the worker's background run (@kinerja/db)
        const found = await employeeSubjects(prisma, region.id);
        const subjects = found.map((p) => ({ id: p.id, facts: p.facts }));
        const factsFrom = new Map(found.map((p) => [p.id, p.from]));
        const people = new Map(found.map((p) => [p.id, { nip: p.nip, name: p.name }]));
        const proposed = await runSimulation(doc, subjects, '/employees', { trace: false });
        const current = baseDoc ? await runSimulation(baseDoc, subjects, '/employees', { trace: false }) : null;
        const before = new Map(current?.results.map((r) => [r.id, r.evaluation]) ?? []);
        return c.json(
          {
            mode: 'employees' as const,
            employees: subjects.length,
            fromScores: [...factsFrom.values()].filter((x) => x === 'score').length,
            current:
              baseVersion && current
                ? { versionId: baseVersion.id, version: baseVersion.version, distribution: current.distribution, flagCounts: current.flagCounts }
                : null,
            proposed: { versionId: v.id, version: v.version, distribution: proposed.distribution, flagCounts: proposed.flagCounts },
            comparison: current ? compareDistributions(current, proposed) : null,
            results: proposed.results.map((r) => {
              const b = before.get(r.id);
              return {
                employeeId: r.id,
                nip: people.get(r.id)?.nip,
                name: people.get(r.id)?.name,
                factsFrom: factsFrom.get(r.id),
                current: b ? { predikat: b.predikat, numericScore: b.numericScore, flags: [...new Set(b.flags.map((f) => f.flag))] } : null,
                proposed: {
                  predikat: r.evaluation.predikat,
                  numericScore: r.evaluation.numericScore,
                  flags: [...new Set(r.evaluation.flags.map((f) => f.flag))],
                },
              };
            }),
          },
          200,
        );
      }
      const cycle = await prisma.cycle.findFirst({ where: { id: input.cycleId!, regionId: region.id }, include: { ruleSetVersion: true } });
      if (!cycle)
        throw new ProblemError('VALIDATION_FAILED', {
          errors: [{ pointer: '/cycleId', field: 'cycleId', code: 'unknown_cycle', message: lang === 'en' ? 'cycle not found' : 'siklus tidak ditemukan' }],
        });
      const baseVersion = (await baseline(region.id, v.id, input.compareToVersionId, cycle.ruleSetVersion, lang))!;
      const currentDoc = validDoc(baseVersion.document, lang);
      const count = await prisma.evaluation.count({ where: { cycleId: cycle.id } });
      const cost = simulationCost(count, doc, currentDoc);
      if (cost.evaluations > SIMULATION_LIMITS.inlineEvaluations) {
        const started = await startInBackground(
          region.id,
          regionCode,
          v.id,
          c.get('user').userId,
          { mode: 'cycle', cycleId: cycle.id, compareToVersionId: baseVersion.id },
          count,
          cost,
        );
        return c.json(started.body, 202, { Location: started.location });
      }
      const { subjects: recorded, evaluations } = await cycleSubjects(prisma, cycle.id);
      const subjects = recorded as { id: string; facts: Facts }[];
      const current = await runSimulation(currentDoc, subjects, '/cycle', { trace: false });
      const proposed = await runSimulation(doc, subjects, '/cycle', { trace: false });
      return c.json(
        {
          mode: 'cycle' as const,
          cycleId: cycle.id,
          evaluations,
          withFacts: subjects.length,
          current: { versionId: baseVersion.id, distribution: current.distribution, flagCounts: current.flagCounts },
          proposed: { versionId: v.id, distribution: proposed.distribution, flagCounts: proposed.flagCounts },
          comparison: compareDistributions(current, proposed),
        },
        200,
      );
    })
    .openapi(runRoute, async (c) => {
      const { regionCode, runId } = c.req.valid('param');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      const run = await prisma.simulationRun.findFirst({ where: { id: runId, regionId: region.id } });
      if (!run) throw new ProblemError('NOT_FOUND');
      return c.json(
        {
          id: run.id,
          status: run.status,
          versionId: run.ruleSetVersionId,
          request: run.request as unknown as RunRequest,
          total: run.total,
          done: run.done,
          result: run.status === 'DONE' ? (run.result as unknown as z.infer<typeof RunResult>) : null,
          error: run.error,
          createdAt: run.createdAt.toISOString(),
          updatedAt: run.updatedAt.toISOString(),
        },
        200,
      );
    });
}
