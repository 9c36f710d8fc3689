import { createRoute, z } from '@hono/zod-openapi';
import type { Prisma } from '@kinerja/db';
import type { Lang } from '@kinerja/domain';
import {
  compareDistributions,
  contentHash,
  demoRuleSet,
  diffRuleSets,
  FactsError,
  nationalRuleSet,
  regionPacks,
  simulate,
  validateRuleSet,
  type Facts,
  type RuleSetDocument,
  type SimulationSubject,
} from '@kinerja/rules';
import type { ResolvedDeps } from '../../env.js';
import { authorizeRegion } from '../../access.js';
import { ProblemError, type FieldError } from '../../problem.js';
import { AnyObject, bearer, jsonBody, newRouter, ok, problems } from '../../router.js';
import { audit, RegionParams, withId } from './common.js';

const tags = ['admin: rule sets'];
const base = '/admin/regions/{regionCode}/rule-sets';

export const PACKS: Record<string, RuleSetDocument> = { national: nationalRuleSet, 'national-demo': demoRuleSet, ...regionPacks };

const CreateRuleSet = z
  .object({
    key: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/),
    name: z.string().trim().min(3).max(200),
    from: z.union([
      z.object({ pack: z.enum(Object.keys(PACKS) as [string, ...string[]]) }).strict(),
      z.object({ versionId: z.string().min(1).max(64) }).strict(),
    ]),
  })
  .strict()
  .openapi('CreateRuleSet');
const NewVersion = z.object({ fromVersionId: z.string().min(1).max(64).optional() }).strict().openapi('NewRuleSetVersion');
const EditDraft = z.object({ document: z.record(z.string(), z.unknown()) }).strict().openapi('EditRuleSetDraft');
const SimulateInput = z
  .object({
    /** explicit subjects: bare facts or { id, facts } */
    subjects: z.array(z.record(z.string(), z.unknown())).min(1).max(10_000).optional(),
    /** dry run over a cycle: re-evaluates the facts recorded in the cycle's scores and compares distributions */
    cycleId: z.string().min(1).max(64).optional(),
    /**
     * dry run over the region's active employees: each with the facts of their latest score, else the facts known
     * now (unit kind, position kind, attendance, citizen surveys); compared with the current version
     */
    employees: z.literal(true).optional(),
    /** the version to compare with (employees/cycle dry runs); default the cycle's version, else the region's current one */
    compareToVersionId: z.string().min(1).max(64).optional(),
    /** subjects mode: include each subject's rule trace (which rules fired on which fact values); default true */
    trace: z.boolean().optional(),
  })
  .strict()
  .refine((v) => (v.subjects ? 1 : 0) + (v.cycleId ? 1 : 0) + (v.employees ? 1 : 0) === 1, { message: 'isi tepat satu dari subjects, cycleId atau employees', path: ['subjects'] })
  .refine((v) => !(v.subjects && v.compareToVersionId), { message: 'compareToVersionId hanya untuk cycleId atau employees', path: ['compareToVersionId'] })
  .openapi('SimulateRuleSet');

const RsParams = withId('ruleSetId');
const VerParams = RsParams.extend({ versionId: z.string().min(1).max(64).openapi({ param: { name: 'versionId', in: 'path' } }) });

const listRoute = createRoute({ method: 'get', path: base, tags, security: bearer, summary: 'Rule sets with their versions; available packs', request: { params: RegionParams }, responses: { 200: ok(AnyObject), ...problems } });
const createRs = createRoute({ method: 'post', path: base, tags, security: bearer, summary: 'New rule set with a draft v1 from a pack or a copy of a version', request: { params: RegionParams, ...jsonBody(CreateRuleSet) }, responses: { 201: ok(AnyObject, 'Created'), ...problems } });
const newVersion = createRoute({ method: 'post', path: `${base}/{ruleSetId}/versions`, tags, security: bearer, summary: 'New draft version (copy of a version, default the latest)', request: { params: RsParams, ...jsonBody(NewVersion) }, responses: { 201: ok(AnyObject, 'Created'), ...problems } });
const getVersion = createRoute({ method: 'get', path: `${base}/{ruleSetId}/versions/{versionId}`, tags, security: bearer, summary: 'One version with its document', request: { params: VerParams }, responses: { 200: ok(AnyObject), ...problems } });
const editDraft = createRoute({ method: 'put', path: `${base}/{ruleSetId}/versions/{versionId}`, tags, security: bearer, summary: 'Replace a draft document (published versions are immutable: 409)', request: { params: VerParams, ...jsonBody(EditDraft) }, responses: { 200: ok(AnyObject), ...problems } });
const validateRoute = createRoute({ method: 'post', path: `${base}/{ruleSetId}/versions/{versionId}/validate`, tags, security: bearer, summary: 'Validate a version (422 RULESET_INVALID with JSON pointers into the document)', request: { params: VerParams }, responses: { 200: ok(AnyObject), ...problems } });
const publishRoute = createRoute({ method: 'post', path: `${base}/{ruleSetId}/versions/{versionId}/publish`, tags, security: bearer, summary: 'Publish a valid draft: immutable, with contentHash', request: { params: VerParams }, responses: { 200: ok(AnyObject), ...problems } });
const diffRoute = createRoute({
  method: 'get', path: `${base}/{ruleSetId}/diff`, tags, security: bearer, summary: 'Differences between two versions (JSON pointers)',
  request: { params: RsParams, query: z.object({ from: z.string().min(1).max(64), to: z.string().min(1).max(64) }).strict() },
  responses: { 200: ok(AnyObject), ...problems },
});
const simulateRoute = createRoute({ method: 'post', path: `${base}/{ruleSetId}/versions/{versionId}/simulate`, tags, security: bearer, summary: 'Simulate a draft/version against given facts (with traces), or dry-run over the region\'s employees or a cycle with distribution comparison against the current version', request: { params: VerParams, ...jsonBody(SimulateInput) }, responses: { 200: ok(AnyObject), ...problems } });

function rulesetProblem(errors: { pointer: string; code: string; message: string; messageEn?: string }[], lang: Lang) {
  return new ProblemError('RULESET_INVALID', {
    errors: errors.map((e) => ({ pointer: e.pointer, field: e.pointer.split('/').filter(Boolean).pop() ?? '', code: e.code, message: lang === 'en' && e.messageEn ? e.messageEn : e.message })),
  });
}

const asJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;

export function ruleSetRoutes(deps: ResolvedDeps) {
  const { prisma } = deps;

  async function version(regionId: string, ruleSetId: string, versionId: string) {
    const v = await prisma.ruleSetVersion.findFirst({ where: { id: versionId, ruleSetId, regionId } });
    if (!v) throw new ProblemError('NOT_FOUND');
    return v;
  }

  function validDoc(document: unknown, lang: Lang): RuleSetDocument {
    const r = validateRuleSet(document);
    if (!r.ok) throw rulesetProblem(r.errors, lang);
    return document as RuleSetDocument;
  }

  async function runSimulation(doc: RuleSetDocument, subjects: SimulationSubject[], lang: Lang, pointerBase: string) {
    try {
      return await simulate(doc, subjects);
    } catch (err) {
      if (err instanceof FactsError) {
        const errors: FieldError[] = err.issues.map((i) => ({ pointer: `${pointerBase}/${i.fact}`, field: i.fact, code: 'invalid_fact', message: i.message }));
        throw new ProblemError('VALIDATION_FAILED', { errors });
      }
      throw err;
    }
  }

  type VersionRow = Awaited<ReturnType<typeof version>>;

  /**
   * The version a dry run compares with: the one asked for, else the cycle's, else the region's current one (the
   * version pinned by its latest cycle, else its most recently published version other than the proposed one).
   */
  async function baseline(regionId: string, proposedId: string, askedId: string | undefined, cycleVersion: VersionRow | null, lang: Lang): Promise<VersionRow | null> {
    if (askedId) {
      const v = await prisma.ruleSetVersion.findFirst({ where: { id: askedId, regionId } });
      if (!v) throw new ProblemError('VALIDATION_FAILED', { errors: [{ pointer: '/compareToVersionId', field: 'compareToVersionId', code: 'unknown_version', message: lang === 'en' ? 'version not found' : 'versi tidak ditemukan' }] });
      return v;
    }
    if (cycleVersion) return cycleVersion;
    const latestCycle = await prisma.cycle.findFirst({ where: { regionId }, orderBy: { year: 'desc' }, include: { ruleSetVersion: true } });
    if (latestCycle) return latestCycle.ruleSetVersion;
    return prisma.ruleSetVersion.findFirst({ where: { regionId, status: 'PUBLISHED', id: { not: proposedId } }, orderBy: { publishedAt: { sort: 'desc', nulls: 'last' } } });
  }

  /**
   * The region's active employees as simulation subjects: the facts of their latest score (FINAL over INITIAL, latest
   * cycle first), else the facts known today, gathered like the worker does (unit and position kind, attendance rate
   * over all records, citizen survey mean mapped from 1–5 to the SKM scale 1–4).
   */
  async function employeeSubjects(regionId: string) {
    const employees = await prisma.employee.findMany({
      where: { regionId, status: 'ACTIVE' },
      orderBy: { nip: 'asc' },
      select: {
        id: true,
        nip: true,
        name: true,
        positionKind: true,
        unit: { select: { kind: true } },
        evaluations: { orderBy: { cycle: { year: 'desc' } }, select: { scores: { select: { kind: true, facts: true } } } },
      },
    });
    const ids = employees.map((e) => e.id);
    const [attendance, surveys] = await Promise.all([
      prisma.attendanceRecord.groupBy({ by: ['employeeId', 'present'], where: { employeeId: { in: ids } }, _count: { _all: true } }),
      prisma.surveyResponse.groupBy({ by: ['employeeId'], where: { regionId, employeeId: { in: ids } }, _avg: { score: true }, _count: { _all: true } }),
    ]);
    const subjects: { id: string; facts: Facts }[] = [];
    const factsFrom = new Map<string, 'score' | 'current'>();
    for (const e of employees) {
      const scored = e.evaluations.map((ev) => ev.scores.find((x) => x.kind === 'FINAL') ?? ev.scores.find((x) => x.kind === 'INITIAL')).find((s) => s?.facts && typeof s.facts === 'object');
      if (scored) {
        subjects.push({ id: e.id, facts: scored.facts as Facts });
        factsFrom.set(e.id, 'score');
        continue;
      }
      const facts: Facts = { unitKind: e.unit.kind, positionKind: e.positionKind };
      const att = attendance.filter((g) => g.employeeId === e.id);
      const days = att.reduce((n, g) => n + g._count._all, 0);
      if (days > 0) facts.attendanceRate = ((att.find((g) => g.present)?._count._all ?? 0) / days) * 100;
      const survey = surveys.find((g) => g.employeeId === e.id);
      if (survey && survey._count._all > 0 && survey._avg.score !== null) {
        facts.satisfactionMean = Math.min(4, Math.max(1, 1 + ((survey._avg.score - 1) * 3) / 4));
        facts.satisfactionResponses = survey._count._all;
      }
      subjects.push({ id: e.id, facts });
      factsFrom.set(e.id, 'current');
    }
    return { subjects, factsFrom, people: new Map(employees.map((e) => [e.id, { nip: e.nip, name: e.name }])) };
  }

  return newRouter()
    .openapi(listRoute, async (c) => {
      const region = await authorizeRegion(prisma, c.get('user'), c.req.valid('param').regionCode);
      const items = await prisma.ruleSet.findMany({
        where: { regionId: region.id },
        orderBy: { key: 'asc' },
        include: { versions: { orderBy: { version: 'asc' }, select: { id: true, version: true, status: true, contentHash: true, createdAt: true, publishedAt: true } } },
      });
      return c.json({ items, packs: Object.keys(PACKS) }, 200);
    })
    .openapi(createRs, async (c) => {
      const region = await authorizeRegion(prisma, c.get('user'), c.req.valid('param').regionCode);
      const input = c.req.valid('json');
      let document: unknown;
      if ('pack' in input.from) document = structuredClone(PACKS[input.from.pack]);
      else {
        const src = await prisma.ruleSetVersion.findFirst({ where: { id: input.from.versionId, regionId: region.id } });
        if (!src) throw new ProblemError('VALIDATION_FAILED', { errors: [{ pointer: '/from/versionId', field: 'versionId', code: 'unknown_version', message: c.get('lang') === 'en' ? 'version not found' : 'versi tidak ditemukan' }] });
        document = src.document;
      }
      const doc = { ...(document as Record<string, unknown>), key: input.key, name: input.name };
      const out = await prisma.$transaction(async (tx) => {
        if (await tx.ruleSet.findUnique({ where: { regionId_key: { regionId: region.id, key: input.key } } })) {
          throw new ProblemError('CONFLICT', { detail: { id: 'Kunci aturan sudah dipakai.', en: 'The rule set key is already used.' } });
        }
        const rs = await tx.ruleSet.create({ data: { regionId: region.id, key: input.key, name: input.name } });
        const v = await tx.ruleSetVersion.create({ data: { ruleSetId: rs.id, regionId: region.id, version: 1, document: asJson(doc), createdBy: c.get('user').userId } });
        await audit(tx, c, region.id, 'ruleset.create', 'RuleSet', rs.id, null, { key: rs.key, from: input.from, versionId: v.id });
        return { ruleSet: rs, version: v };
      });
      return c.json(out, 201);
    })
    .openapi(newVersion, async (c) => {
      const { regionCode, ruleSetId } = c.req.valid('param');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      const input = c.req.valid('json');
      const v = await prisma.$transaction(async (tx) => {
        const rs = await tx.ruleSet.findFirst({ where: { id: ruleSetId, regionId: region.id }, include: { versions: { orderBy: { version: 'desc' } } } });
        if (!rs) throw new ProblemError('NOT_FOUND');
        const src = input.fromVersionId ? rs.versions.find((x) => x.id === input.fromVersionId) : rs.versions[0];
        if (!src) throw new ProblemError('VALIDATION_FAILED', { errors: [{ pointer: '/fromVersionId', field: 'fromVersionId', code: 'unknown_version', message: c.get('lang') === 'en' ? 'version not found' : 'versi tidak ditemukan' }] });
        const created = await tx.ruleSetVersion.create({
          data: { ruleSetId, regionId: region.id, version: (rs.versions[0]?.version ?? 0) + 1, document: asJson(src.document), createdBy: c.get('user').userId },
        });
        await audit(tx, c, region.id, 'ruleset.version.create', 'RuleSetVersion', created.id, null, { version: created.version, from: src.id });
        return created;
      });
      return c.json(v, 201);
    })
    .openapi(getVersion, async (c) => {
      const { regionCode, ruleSetId, versionId } = c.req.valid('param');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      return c.json(await version(region.id, ruleSetId, versionId), 200);
    })
    .openapi(editDraft, async (c) => {
      const { regionCode, ruleSetId, versionId } = c.req.valid('param');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      const { document } = c.req.valid('json');
      const out = await prisma.$transaction(async (tx) => {
        const v = await tx.ruleSetVersion.findFirst({ where: { id: versionId, ruleSetId, regionId: region.id } });
        if (!v) throw new ProblemError('NOT_FOUND');
        if (v.status !== 'DRAFT') throw new ProblemError('CONFLICT', { detail: { id: 'Versi yang sudah terbit tidak dapat diubah.', en: 'A published version is immutable.' } });
        // conditional on still being a draft: a concurrent publish wins
        const upd = await tx.ruleSetVersion.updateMany({ where: { id: versionId, status: 'DRAFT' }, data: { document: asJson(document) } });
        if (upd.count !== 1) throw new ProblemError('CONFLICT');
        await audit(tx, c, region.id, 'ruleset.version.edit', 'RuleSetVersion', versionId, { hash: contentHash(v.document) }, { hash: contentHash(document) });
        return tx.ruleSetVersion.findUniqueOrThrow({ where: { id: versionId } });
      });
      const validation = validateRuleSet(document);
      return c.json({ version: out, validation: { ok: validation.ok, errors: validation.errors } }, 200);
    })
    .openapi(validateRoute, async (c) => {
      const { regionCode, ruleSetId, versionId } = c.req.valid('param');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      const v = await version(region.id, ruleSetId, versionId);
      validDoc(v.document, c.get('lang'));
      return c.json({ ok: true, contentHash: contentHash(v.document) }, 200);
    })
    .openapi(publishRoute, async (c) => {
      const { regionCode, ruleSetId, versionId } = c.req.valid('param');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      const lang = c.get('lang');
      const out = await prisma.$transaction(async (tx) => {
        const v = await tx.ruleSetVersion.findFirst({ where: { id: versionId, ruleSetId, regionId: region.id } });
        if (!v) throw new ProblemError('NOT_FOUND');
        if (v.status !== 'DRAFT') throw new ProblemError('CONFLICT', { detail: { id: 'Versi ini sudah terbit.', en: 'This version is already published.' } });
        validDoc(v.document, lang);
        const hash = contentHash(v.document);
        const now = deps.now();
        const upd = await tx.ruleSetVersion.updateMany({ where: { id: versionId, status: 'DRAFT' }, data: { status: 'PUBLISHED', contentHash: hash, publishedAt: now, publishedBy: c.get('user').userId } });
        if (upd.count !== 1) throw new ProblemError('CONFLICT');
        await audit(tx, c, region.id, 'ruleset.version.publish', 'RuleSetVersion', versionId, { status: 'DRAFT' }, { status: 'PUBLISHED', contentHash: hash });
        return tx.ruleSetVersion.findUniqueOrThrow({ where: { id: versionId } });
      });
      return c.json(out, 200);
    })
    .openapi(diffRoute, async (c) => {
      const { regionCode, ruleSetId } = c.req.valid('param');
      const q = c.req.valid('query');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      const [a, b] = await Promise.all([version(region.id, ruleSetId, q.from), version(region.id, ruleSetId, q.to)]);
      return c.json({ from: { id: a.id, version: a.version }, to: { id: b.id, version: b.version }, changes: diffRuleSets(a.document, b.document) }, 200);
    })
    .openapi(simulateRoute, async (c) => {
      const { regionCode, ruleSetId, versionId } = c.req.valid('param');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      const input = c.req.valid('json');
      const lang = c.get('lang');
      const v = await version(region.id, ruleSetId, versionId);
      const doc = validDoc(v.document, lang);
      if (input.subjects) {
        const subjects = input.subjects as SimulationSubject[];
        const errors: FieldError[] = [];
        subjects.forEach((s, i) => {
          const facts = (typeof (s as { id?: unknown }).id === 'string' ? (s as { facts: Facts }).facts : s) as Record<string, unknown>;
          for (const k of Object.keys(facts ?? {})) if (facts[k] !== null && typeof facts[k] === 'object' && !Array.isArray(facts[k])) errors.push({ pointer: `/subjects/${i}/${k}`, field: k, code: 'invalid_type', message: lang === 'en' ? 'must be a value' : 'harus berupa nilai' });
        });
        if (errors.length) throw new ProblemError('VALIDATION_FAILED', { errors });
        const result = await runSimulation(doc, subjects, lang, '/subjects');
        const withTrace = input.trace ?? true;
        return c.json(
          {
            mode: 'facts',
            ...result,
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
        const { subjects, factsFrom, people } = await employeeSubjects(region.id);
        const baseVersion = await baseline(region.id, v.id, input.compareToVersionId, null, lang);
        const proposed = await runSimulation(doc, subjects, lang, '/employees');
        const current = baseVersion ? await runSimulation(validDoc(baseVersion.document, lang), subjects, lang, '/employees') : null;
        const before = new Map(current?.results.map((r) => [r.id, r.evaluation]) ?? []);
        return c.json(
          {
            mode: 'employees',
            employees: subjects.length,
            fromScores: [...factsFrom.values()].filter((x) => x === 'score').length,
            current: baseVersion && current ? { versionId: baseVersion.id, version: baseVersion.version, distribution: current.distribution, flagCounts: current.flagCounts } : null,
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
                proposed: { predikat: r.evaluation.predikat, numericScore: r.evaluation.numericScore, flags: [...new Set(r.evaluation.flags.map((f) => f.flag))] },
              };
            }),
          },
          200,
        );
      }
      const cycle = await prisma.cycle.findFirst({ where: { id: input.cycleId!, regionId: region.id }, include: { ruleSetVersion: true } });
      if (!cycle) throw new ProblemError('VALIDATION_FAILED', { errors: [{ pointer: '/cycleId', field: 'cycleId', code: 'unknown_cycle', message: lang === 'en' ? 'cycle not found' : 'siklus tidak ditemukan' }] });
      const evaluations = await prisma.evaluation.findMany({ where: { cycleId: cycle.id }, select: { id: true, employeeId: true, scores: { select: { kind: true, facts: true } } } });
      const subjects: { id: string; facts: Facts }[] = [];
      for (const e of evaluations) {
        const s = e.scores.find((x) => x.kind === 'FINAL') ?? e.scores.find((x) => x.kind === 'INITIAL');
        if (s && s.facts && typeof s.facts === 'object') subjects.push({ id: e.employeeId, facts: s.facts as Facts });
      }
      const baseVersion = (await baseline(region.id, v.id, input.compareToVersionId, cycle.ruleSetVersion, lang))!;
      const currentDoc = validDoc(baseVersion.document, lang);
      const [current, proposed] = await Promise.all([runSimulation(currentDoc, subjects, lang, '/cycle'), runSimulation(doc, subjects, lang, '/cycle')]);
      return c.json(
        {
          mode: 'cycle',
          cycleId: cycle.id,
          evaluations: evaluations.length,
          withFacts: subjects.length,
          current: { versionId: baseVersion.id, distribution: current.distribution, flagCounts: current.flagCounts },
          proposed: { versionId: v.id, distribution: proposed.distribution, flagCounts: proposed.flagCounts },
          comparison: compareDistributions(current, proposed),
        },
        200,
      );
    });
}
