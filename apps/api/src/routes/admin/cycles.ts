import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { verifyAuditChain, type Prisma } from '@kinerja/db';
import {
  checkDistribution,
  cycleCalendar,
  cycleYearWindow,
  dateTime,
  idText,
  isRegionTimeZone,
  Phase,
  PHASES,
  Predikat,
  PREDIKATS,
  TaskKind,
  text,
  UnitPredikat,
  yearWindowProblem,
  type CycleCalendar,
} from '@kinerja/domain';
import { calendarOf, type RuleSetDocument } from '@kinerja/rules';
import { cycleWorkflowId, getCycleProgress, type CycleInput, type CycleProgress } from '@kinerja/workflows';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { ResolvedDeps } from '../../env.js';
import { authorizeRegion } from '../../access.js';
import { ProblemError } from '../../problem.js';
import { bearer, Code, jsonBody, newRouter, ok, problems } from '../../router.js';
import { CycleSchema, CycleStatusSchema } from '../../schemas.js';
import { audit, csvCell, RegionParams, withId } from './common.js';

const tags = ['admin: cycles'];
const base = '/admin/regions/{regionCode}';

const OpenCycle = z
  .object({
    year: z.number().int().min(2000).max(2100),
    name: text({ min: 3, max: 200 }),
    ruleSetVersionId: idText(64),
    /** within the cycle's year ± 1 */
    startsAt: dateTime().optional(),
    /** SE MenPANRB 03/2023: results wait for each unit's distribution check before the keberatan window opens */
    unitCalibration: z.boolean().default(false),
  })
  .strict()
  .superRefine((v, ctx) => {
    const p = v.startsAt ? yearWindowProblem(new Date(v.startsAt), cycleYearWindow(v.year)) : null;
    if (p) ctx.addIssue({ code: 'custom', path: ['startsAt'], message: p.id, params: { code: 'out_of_range', messageEn: p.en } });
  })
  .openapi('OpenCycle');

const CycleParams = withId('cycleId');
const ReportQuery = z.object({ unitCode: Code.optional() }).strict();

const CycleListSchema = z.object({ items: z.array(CycleSchema) }).openapi('CycleList');
const CycleOpenedSchema = z
  .object({ cycle: CycleSchema, created: z.boolean().openapi({ description: 'false: the year was already open with this version' }) })
  .openapi('CycleOpened');
const CycleProgressSchema = z
  .object({ cycle: CycleSchema, progress: z.object({ started: z.number().int(), total: z.number().int(), done: z.boolean() }) })
  .openapi('CycleWithProgress');
const PredikatCounts = z.record(Predikat, z.number().int());
const CycleReportSchema = z
  .object({
    cycle: z.object({ id: z.string(), year: z.number().int(), name: z.string(), status: CycleStatusSchema }),
    total: z.number().int(),
    byPhase: z.record(Phase, z.number().int()),
    overdueTasks: z.object({
      total: z.number().int(),
      byKind: z.partialRecord(TaskKind, z.number().int()).openapi({ description: 'by task kind; kinds without overdue tasks are absent' }),
    }),
    /** NONE: not scored yet */
    distribution: z.record(z.enum([...PREDIKATS, 'NONE']), z.number().int()),
    units: z.array(
      z.object({
        unit: z.object({ id: z.string(), code: z.string(), name: z.string() }),
        evaluations: z.number().int(),
        rated: z.number().int(),
        distribution: PredikatCounts,
        unitPredikat: UnitPredikat.nullable(),
        violations: z.array(z.object({ code: z.string(), message: z.string(), actual: z.number(), bound: z.number() })),
      }),
    ),
  })
  .openapi('CycleReport');
const AuditVerifySchema = z
  .object({
    ok: z.boolean(),
    checked: z.number().int(),
    /** seq of the first event that does not verify */
    brokenAt: z.number().int().optional(),
    reason: z.string().optional(),
  })
  .openapi('AuditChainReport');

/** The row as Cycle describes it: `calendar` is written only from `cycleCalendar` when the cycle opens. */
const cycleBody = <C extends { calendar: unknown }>({ calendar, ...c }: C) => ({ ...c, calendar: calendar as CycleCalendar | null });

const listCycles = createRoute({
  method: 'get',
  path: `${base}/cycles`,
  tags,
  security: bearer,
  summary: 'Cycles of the region',
  request: { params: RegionParams },
  responses: { 200: ok(CycleListSchema), ...problems },
});
const openCycle = createRoute({
  method: 'post',
  path: `${base}/cycles`,
  tags,
  security: bearer,
  summary: 'Open a cycle pinned to a PUBLISHED rule-set version and start cycleWorkflow (re-opening is idempotent)',
  request: { params: RegionParams, ...jsonBody(OpenCycle) },
  responses: { 201: ok(CycleOpenedSchema, 'Opened'), 200: ok(CycleOpenedSchema, 'Already open (same version)'), ...problems },
});
const getCycle = createRoute({
  method: 'get',
  path: `${base}/cycles/{cycleId}`,
  tags,
  security: bearer,
  summary: 'Cycle with progress (started/total)',
  request: { params: CycleParams },
  responses: { 200: ok(CycleProgressSchema), ...problems },
});
const report = createRoute({
  method: 'get',
  path: `${base}/cycles/{cycleId}/report`,
  tags: ['admin: reports'],
  security: bearer,
  summary: 'Progress by phase, overdue tasks, predikat distribution, per unit',
  request: { params: CycleParams, query: ReportQuery },
  responses: { 200: ok(CycleReportSchema), ...problems },
});
const reportCsv = createRoute({
  method: 'get',
  path: `${base}/cycles/{cycleId}/report.csv`,
  tags: ['admin: reports'],
  security: bearer,
  summary: 'Per-employee CSV export',
  request: { params: CycleParams, query: ReportQuery },
  responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } }, ...problems },
});
const auditVerify = createRoute({
  method: 'get',
  path: `${base}/audit/verify`,
  tags: ['admin: audit'],
  security: bearer,
  summary: "Recompute the region's audit hash chain",
  request: { params: RegionParams },
  responses: { 200: ok(AuditVerifySchema), ...problems },
});

const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

export function cycleRoutes(deps: ResolvedDeps) {
  const { prisma, temporal } = deps;

  async function startCycleWorkflow(cycle: { id: string; regionId: string; workflowId: string }) {
    const input: CycleInput = { cycleId: cycle.id, regionId: cycle.regionId };
    try {
      await temporal.workflow.start('cycleWorkflow', { taskQueue: deps.config.taskQueue, workflowId: cycle.workflowId, args: [input] });
      return true;
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
      throw err;
    }
  }

  async function loadReport(regionId: string, cycleId: string, unitCode: string | undefined) {
    const cycle = await prisma.cycle.findFirst({ where: { id: cycleId, regionId } });
    if (!cycle) throw new ProblemError('NOT_FOUND');
    const unit = unitCode ? await prisma.unit.findUnique({ where: { regionId_code: { regionId, code: unitCode } } }) : null;
    if (unitCode && !unit) throw new ProblemError('NOT_FOUND');
    const evaluations = await prisma.evaluation.findMany({
      where: { cycleId, ...(unit ? { unitId: unit.id } : {}) },
      select: {
        id: true,
        phase: true,
        unitId: true,
        employee: { select: { nip: true, name: true, position: true } },
        scores: { select: { kind: true, predikat: true, numericScore: true } },
        tasks: { where: { status: 'OPEN' }, select: { kind: true, dueAt: true, assigneeId: true } },
      },
      orderBy: { employee: { nip: 'asc' } },
    });
    return { cycle, unit, evaluations };
  }

  return newRouter()
    .openapi(listCycles, async (c) => {
      const region = await authorizeRegion(prisma, c.get('user'), c.req.valid('param').regionCode);
      const items = await prisma.cycle.findMany({ where: { regionId: region.id }, orderBy: { year: 'desc' } });
      return c.json({ items: items.map(cycleBody) }, 200);
    })
    .openapi(openCycle, async (c) => {
      const region = await authorizeRegion(prisma, c.get('user'), c.req.valid('param').regionCode);
      const input = c.req.valid('json');
      const lang = c.get('lang');
      const version = await prisma.ruleSetVersion.findFirst({ where: { id: input.ruleSetVersionId, regionId: region.id } });
      if (!version || version.status !== 'PUBLISHED') {
        throw new ProblemError('VALIDATION_FAILED', {
          errors: [
            {
              pointer: '/ruleSetVersionId',
              field: 'ruleSetVersionId',
              code: version ? 'not_published' : 'unknown_version',
              message: lang === 'en' ? 'must be a published rule-set version of this region' : 'harus versi aturan yang sudah terbit di daerah ini',
            },
          ],
        });
      }
      const existing = await prisma.cycle.findUnique({ where: { regionId_year: { regionId: region.id, year: input.year } } });
      if (existing) {
        if (existing.ruleSetVersionId !== input.ruleSetVersionId) {
          throw new ProblemError('CONFLICT', {
            detail: {
              id: 'Siklus tahun ini sudah dibuka dengan versi aturan lain.',
              en: 'A cycle for this year is already open with another rule-set version.',
            },
          });
        }
        await startCycleWorkflow(existing); // a previous start may have failed after the row was written
        return c.json({ cycle: cycleBody(existing), created: false }, 200);
      }
      if (!isRegionTimeZone(region.timezone)) {
        throw new ProblemError('CONFLICT', {
          detail: {
            id: `Zona waktu daerah "${region.timezone}" tidak dikenal: atur zona waktu daerah terlebih dahulu.`,
            en: `The region's time zone "${region.timezone}" is unknown: set the region's time zone first.`,
          },
        });
      }
      // the periods and the holidays are fixed now: later edits reach cycles opened later, never a running year
      const rules = calendarOf(version.document as unknown as RuleSetDocument);
      const holidays = await prisma.holiday.findMany({
        where: { regionId: region.id, date: { gte: new Date(`${input.year}-01-01T00:00:00Z`), lte: new Date(`${input.year + 1}-12-31T00:00:00Z`) } },
        select: { date: true },
      });
      const calendar = cycleCalendar(
        input.year,
        rules,
        region.timezone,
        holidays.map((h) => h.date.toISOString().slice(0, 10)),
      );
      const id = randomUUID();
      let cycle;
      try {
        cycle = await prisma.$transaction(async (tx) => {
          const created = await tx.cycle.create({
            data: {
              id,
              regionId: region.id,
              year: input.year,
              name: input.name,
              ruleSetVersionId: version.id,
              workflowId: cycleWorkflowId(id),
              unitCalibration: input.unitCalibration,
              calendar: calendar as unknown as Prisma.InputJsonObject,
              createdBy: c.get('user').userId,
              ...(input.startsAt ? { startsAt: new Date(input.startsAt) } : {}),
            },
          });
          await audit(tx, c, region.id, 'cycle.open', 'Cycle', created.id, null, {
            year: created.year,
            ruleSetVersionId: version.id,
            contentHash: version.contentHash,
            unitCalibration: created.unitCalibration,
            calendar,
          });
          return created;
        });
      } catch (err) {
        // two admins opening the same year at once: the loser re-reads and answers like a re-open
        if ((err as { code?: unknown }).code !== 'P2002') throw err;
        const again = await prisma.cycle.findUnique({ where: { regionId_year: { regionId: region.id, year: input.year } } });
        if (!again || again.ruleSetVersionId !== input.ruleSetVersionId) throw new ProblemError('CONFLICT');
        return c.json({ cycle: cycleBody(again), created: false }, 200);
      }
      await startCycleWorkflow(cycle);
      return c.json({ cycle: cycleBody(cycle), created: true }, 201);
    })
    .openapi(getCycle, async (c) => {
      const { regionCode, cycleId } = c.req.valid('param');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      const cycle = await prisma.cycle.findFirst({ where: { id: cycleId, regionId: region.id } });
      if (!cycle) throw new ProblemError('NOT_FOUND');
      let live: CycleProgress | null = null;
      try {
        live = await within(temporal.workflow.getHandle(cycle.workflowId).query(getCycleProgress), 3000);
      } catch {
        live = null;
      }
      const evaluations = await prisma.evaluation.count({ where: { cycleId } });
      const started = Math.max(cycle.startedCount, live?.started ?? 0, evaluations);
      const total = Math.max(cycle.totalEmployees, live?.total ?? 0);
      return c.json({ cycle: cycleBody(cycle), progress: { started, total, done: cycle.status !== 'OPENING' || Boolean(live?.done) } }, 200);
    })
    .openapi(report, async (c) => {
      const { regionCode, cycleId } = c.req.valid('param');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      const { cycle, evaluations } = await loadReport(region.id, cycleId, c.req.valid('query').unitCode);
      const now = deps.now();
      const byPhase = Object.fromEntries(PHASES.map((p) => [p, 0])) as Record<Phase, number>;
      const distribution = Object.fromEntries([...PREDIKATS, 'NONE'].map((p) => [p, 0])) as Record<Predikat | 'NONE', number>;
      const overdue: Partial<Record<TaskKind, number>> = {};
      const units = new Map<string, Predikat[]>();
      for (const e of evaluations) {
        byPhase[e.phase] = (byPhase[e.phase] ?? 0) + 1;
        const s = e.scores.find((x) => x.kind === 'FINAL') ?? e.scores.find((x) => x.kind === 'INITIAL');
        const key = (s?.predikat ?? 'NONE') as Predikat | 'NONE';
        distribution[key] = (distribution[key] ?? 0) + 1;
        if (s) units.set(e.unitId, [...(units.get(e.unitId) ?? []), s.predikat as Predikat]);
        for (const t of e.tasks) if (t.dueAt && t.dueAt.getTime() < now.getTime()) overdue[t.kind as TaskKind] = (overdue[t.kind as TaskKind] ?? 0) + 1;
      }
      const unitRows = await prisma.unit.findMany({
        where: { id: { in: [...new Set(evaluations.map((e) => e.unitId))] } },
        select: { id: true, code: true, name: true },
      });
      const unitResults = await prisma.unitResult.findMany({ where: { cycleId } });
      const perUnit = unitRows.map((u) => {
        const predikats = units.get(u.id) ?? [];
        const ur = unitResults.find((r) => r.unitId === u.id);
        const parsed = ur ? UnitPredikat.safeParse(ur.unitPredikat) : null;
        return {
          unit: u,
          evaluations: evaluations.filter((e) => e.unitId === u.id).length,
          rated: predikats.length,
          distribution: Object.fromEntries(PREDIKATS.map((p) => [p, predikats.filter((x) => x === p).length])) as Record<Predikat, number>,
          unitPredikat: parsed?.success ? parsed.data : null,
          violations: parsed?.success ? checkDistribution(parsed.data, predikats) : [],
        };
      });
      return c.json(
        {
          cycle: { id: cycle.id, year: cycle.year, name: cycle.name, status: cycle.status },
          total: evaluations.length,
          byPhase,
          overdueTasks: { total: Object.values(overdue).reduce((a, b) => a + b, 0), byKind: overdue },
          distribution,
          units: perUnit,
        },
        200,
      );
    })
    .openapi(reportCsv, async (c) => {
      const { regionCode, cycleId } = c.req.valid('param');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      const { evaluations } = await loadReport(region.id, cycleId, c.req.valid('query').unitCode);
      const unitCodes = new Map((await prisma.unit.findMany({ where: { regionId: region.id }, select: { id: true, code: true } })).map((u) => [u.id, u.code]));
      const now = deps.now();
      const lines = [['nip', 'name', 'position', 'unit', 'phase', 'predikat', 'final', 'numericScore', 'openTasks', 'overdueTasks'].join(',')];
      for (const e of evaluations) {
        const s = e.scores.find((x) => x.kind === 'FINAL') ?? e.scores.find((x) => x.kind === 'INITIAL');
        lines.push(
          [
            e.employee.nip,
            e.employee.name,
            e.employee.position,
            unitCodes.get(e.unitId) ?? '',
            e.phase,
            s?.predikat ?? '',
            s?.kind === 'FINAL',
            s?.numericScore ?? '',
            e.tasks.length,
            e.tasks.filter((t) => t.dueAt && t.dueAt < now).length,
          ]
            .map(csvCell)
            .join(','),
        );
      }
      return c.body(lines.join('\r\n') + '\r\n', 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="kinerja-${cycleId}.csv"`,
      });
    })
    .openapi(auditVerify, async (c) => {
      const region = await authorizeRegion(prisma, c.get('user'), c.req.valid('param').regionCode);
      return c.json(await verifyAuditChain(prisma, region.id), 200);
    });
}
