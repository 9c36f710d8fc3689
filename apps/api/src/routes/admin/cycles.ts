import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { Prisma } from '@kinerja/db';
import {
  checkDistribution,
  cycleCalendar,
  cycleYearWindow,
  dateTime,
  EMPLOYEE_TASK_KINDS,
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
import { CycleSchema, CycleStatusSchema, IsoDateTime } from '../../schemas.js';
import {
  attachment,
  csvLineSql,
  csvLinesStream,
  CSV_TYPE,
  sheet,
  xlsxStream,
  XLSX_TYPE,
  type Column,
  type CsvDelimiter,
  type SqlCsvCell,
} from '../../tabular/write.js';
import { audit, RegionParams, withId } from './common.js';

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
const CsvQuery = ReportQuery.extend({
  /** semicolon: what Excel reads and writes where the decimal mark is a comma (Indonesian Windows) */
  delimiter: z.enum(['comma', 'semicolon']).default('comma'),
}).strict();

const CycleListSchema = z.object({ items: z.array(CycleSchema) }).openapi('CycleList');
const CycleOpenedSchema = z
  .object({ cycle: CycleSchema, created: z.boolean().openapi({ description: 'false: the year was already open with this version' }) })
  .openapi('CycleOpened');
const CycleProgressSchema = z
  .object({ cycle: CycleSchema, progress: z.object({ started: z.number().int(), total: z.number().int(), done: z.boolean() }) })
  .openapi('CycleWithProgress');
const PredikatCounts = z.record(Predikat, z.number().int());
const PhaseCounts = z.record(Phase, z.number().int());
const EmployeeRef = z.object({ id: z.string(), nip: z.string(), name: z.string() }).openapi('EmployeeRef');
const UnitRef = z.object({ id: z.string(), code: z.string(), name: z.string() }).openapi('UnitRef');
const CycleReportSchema = z
  .object({
    cycle: z.object({ id: z.string(), year: z.number().int(), name: z.string(), status: CycleStatusSchema }),
    generatedAt: IsoDateTime,
    total: z.number().int(),
    /** progress: evaluations in each phase */
    byPhase: PhaseCounts,
    overdueTasks: z.object({
      total: z.number().int(),
      byKind: z.partialRecord(TaskKind, z.number().int()).openapi({ description: 'by task kind; kinds without overdue tasks are absent' }),
    }),
    openTasks: z.object({
      total: z.number().int(),
      byKind: z.partialRecord(TaskKind, z.number().int()).openapi({ description: 'by task kind; kinds without open tasks are absent' }),
    }),
    overdueBySupervisor: z.array(z.object({ supervisor: EmployeeRef, unit: UnitRef, overdue: z.number().int(), oldestDueAt: IsoDateTime })).openapi({
      description:
        "the 20 pejabat penilai with the most overdue open tasks on the supervisor's side of their staff's evaluations (held by the supervisor, or by the reviewer once escalated); most first, then the oldest due",
    }),
    reminders: z
      .object({
        notifications: z.number().int().openapi({ description: 'reminder notifications written (one per recipient and channel)' }),
        evaluations: z.number().int().openapi({ description: 'evaluations with at least one reminder' }),
      })
      .openapi({ description: "the worker's reminders before a deadline (notification outbox, event REMINDER)" }),
    escalations: z
      .object({
        tasks: z.number().int().openapi({ description: 'tasks escalated to the reviewer (atasan pejabat penilai), open or done' }),
        open: z.number().int().openapi({ description: 'escalated tasks still open' }),
        notifications: z.number().int().openapi({ description: 'escalation notifications written (event ESCALATION)' }),
      })
      .openapi({ description: 'tasks past their deadline, moved to the reviewer' }),
    /** NONE: not scored yet */
    distribution: z.record(z.enum([...PREDIKATS, 'NONE']), z.number().int()),
    units: z.array(
      z.object({
        unit: UnitRef,
        evaluations: z.number().int(),
        rated: z.number().int(),
        distribution: PredikatCounts,
        byPhase: PhaseCounts,
        unitPredikat: UnitPredikat.nullable(),
        violations: z.array(z.object({ code: z.string(), message: z.string(), actual: z.number(), bound: z.number() })),
      }),
    ),
  })
  .openapi('CycleReport');

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
  summary: 'Per-employee CSV export (UTF-8 with BOM; NIP as ="<digits>"; text starting with = + - @ prefixed with a quote)',
  request: { params: CycleParams, query: CsvQuery },
  responses: {
    200: {
      description: 'CSV, one row per evaluation, by NIP; content-disposition names the file kinerja-<year>[-<unit>].csv',
      content: { 'text/csv': { schema: z.string() } },
    },
    ...problems,
  },
});
const reportXlsx = createRoute({
  method: 'get',
  path: `${base}/cycles/{cycleId}/report.xlsx`,
  tags: ['admin: reports'],
  security: bearer,
  summary: 'XLSX export: sheet "Pegawai" one row per evaluation (NIP a text cell), sheet "Unit" the predikat distribution per unit',
  request: { params: CycleParams, query: ReportQuery },
  responses: {
    200: {
      description: 'XLSX workbook; content-disposition names the file kinerja-<year>[-<unit>].xlsx',
      content: { [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary' }) } },
    },
    ...problems,
  },
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

  /** The cycle (of this region) and the unit the report is narrowed to; unknown ones are 404. */
  async function reportScope(regionId: string, cycleId: string, unitCode: string | undefined) {
    const cycle = await prisma.cycle.findFirst({ where: { id: cycleId, regionId } });
    if (!cycle) throw new ProblemError('NOT_FOUND');
    const unit = unitCode ? await prisma.unit.findUnique({ where: { regionId_code: { regionId, code: unitCode } } }) : null;
    if (unitCode && !unit) throw new ProblemError('NOT_FOUND');
    /** the SQL condition on evaluation alias `e` */
    const where = unit ? Prisma.sql`e."cycleId" = ${cycle.id} AND e."unitId" = ${unit.id}` : Prisma.sql`e."cycleId" = ${cycle.id}`;
    /**
     * The rows of table alias `x` (Task or Notification, which carry their evaluation's cycle) in scope: the whole
     * cycle reads that table alone; a unit's narrows it through its evaluations.
     */
    const rowsOf = (x: 't' | 'n') => {
      const alias = Prisma.raw(x);
      return unit
        ? Prisma.sql`${alias}."cycleId" = ${cycle.id} AND ${alias}."evaluationId" IN (SELECT e.id FROM "Evaluation" e WHERE ${where})`
        : Prisma.sql`${alias}."cycleId" = ${cycle.id}`;
    };
    return { cycle, unit, where, rowsOf };
  }
  type Scope = Awaited<ReturnType<typeof reportScope>>;

  /**
   * The dashboard, aggregated in SQL (a handful of GROUP BY queries over the cycle's evaluations, tasks and
   * notifications), so it answers in the same time for 50 employees and for 50,000.
   */
  async function cycleReport({ cycle, where, rowsOf }: Scope, now: Date) {
    const [counts, tasks, bySupervisor, notifications] = await Promise.all([
      // one pass over the evaluations' index gives both the phases and the predikat (the database keeps each
      // evaluation's predikat from its scores: the final one, else the initial one)
      prisma.$queryRaw<{ unitId: string; phase: Phase; predikat: string | null; n: number }[]>`
        SELECT e."unitId", e.phase::text AS phase, e.predikat, count(*)::int AS n
        FROM "Evaluation" e WHERE ${where} GROUP BY 1, 2, 3`,
      prisma.$queryRaw<{ kind: TaskKind; open: number; overdue: number; escalated: number; escalatedOpen: number }[]>`
        SELECT t.kind,
          count(*) FILTER (WHERE t.status = 'OPEN')::int AS open,
          count(*) FILTER (WHERE t.status = 'OPEN' AND t."dueAt" < ${now})::int AS overdue,
          count(*) FILTER (WHERE t.escalated)::int AS escalated,
          count(*) FILTER (WHERE t.escalated AND t.status = 'OPEN')::int AS "escalatedOpen"
        FROM "Task" t WHERE ${rowsOf('t')} GROUP BY 1`,
      // the supervisors' own overdue tasks (not the ASN's), each under the supervisor it waits on: the one a delegate
      // (Plt/Plh) or an escalation acts for, else its assignee
      prisma.$queryRaw<{ supervisorId: string; n: number; oldest: Date }[]>`
        SELECT COALESCE(t."actingForId", t."assigneeId") AS "supervisorId", count(*)::int AS n, min(t."dueAt") AS oldest
        FROM "Task" t
        WHERE ${rowsOf('t')} AND t.status = 'OPEN' AND t."dueAt" < ${now} AND t.kind NOT IN (${Prisma.join(EMPLOYEE_TASK_KINDS)})
        GROUP BY 1 ORDER BY 2 DESC, 3 ASC LIMIT 20`,
      prisma.$queryRaw<{ event: string; n: number; evaluations: number }[]>`
        SELECT n.event, count(*)::int AS n, count(DISTINCT n."evaluationId")::int AS evaluations
        FROM "Notification" n WHERE ${rowsOf('n')} AND n.event IN ('REMINDER', 'ESCALATION')
        GROUP BY 1`,
    ]);
    const unitIds = [...new Set(counts.map((r) => r.unitId))];
    const [unitRows, unitResults, supervisors] = await Promise.all([
      prisma.unit.findMany({ where: { id: { in: unitIds } }, select: { id: true, code: true, name: true }, orderBy: { code: 'asc' } }),
      prisma.unitResult.findMany({ where: { cycleId: cycle.id, unitId: { in: unitIds } }, select: { unitId: true, unitPredikat: true } }),
      prisma.employee.findMany({
        where: { id: { in: bySupervisor.map((r) => r.supervisorId) } },
        select: { id: true, nip: true, name: true, unit: { select: { id: true, code: true, name: true } } },
      }),
    ]);

    const zeroPhases = () => Object.fromEntries(PHASES.map((p) => [p, 0])) as Record<Phase, number>;
    const zeroPredikats = () => Object.fromEntries(PREDIKATS.map((p) => [p, 0])) as Record<Predikat, number>;
    const byPhase = zeroPhases();
    const unitPhases = new Map<string, Record<Phase, number>>();
    const distribution = { ...zeroPredikats(), NONE: 0 } as Record<Predikat | 'NONE', number>;
    const unitPredikats = new Map<string, Record<Predikat, number>>();
    for (const r of counts) {
      byPhase[r.phase] += r.n;
      const up = unitPhases.get(r.unitId) ?? zeroPhases();
      up[r.phase] += r.n;
      unitPhases.set(r.unitId, up);
      const p = Predikat.safeParse(r.predikat);
      if (!p.success) {
        distribution.NONE += r.n;
        continue;
      }
      distribution[p.data] += r.n;
      const u = unitPredikats.get(r.unitId) ?? zeroPredikats();
      u[p.data] += r.n;
      unitPredikats.set(r.unitId, u);
    }
    const byKind = (pick: (r: (typeof tasks)[number]) => number) =>
      Object.fromEntries(tasks.filter((r) => pick(r) > 0).map((r) => [r.kind, pick(r)])) as Partial<Record<TaskKind, number>>;
    const sum = (pick: (r: (typeof tasks)[number]) => number) => tasks.reduce((a, r) => a + pick(r), 0);
    const notified = (event: string) => notifications.find((r) => r.event === event);
    const units = unitRows.map((unit) => {
      const counts = unitPredikats.get(unit.id) ?? zeroPredikats();
      const rated = PREDIKATS.reduce((a, p) => a + counts[p], 0);
      const ur = UnitPredikat.safeParse(unitResults.find((r) => r.unitId === unit.id)?.unitPredikat);
      const list = PREDIKATS.flatMap((p) => Array.from({ length: counts[p] }, () => p));
      const phaseCounts = unitPhases.get(unit.id) ?? zeroPhases();
      return {
        unit,
        evaluations: PHASES.reduce((a, p) => a + phaseCounts[p], 0),
        rated,
        distribution: counts,
        byPhase: phaseCounts,
        unitPredikat: ur.success ? ur.data : null,
        violations: ur.success ? checkDistribution(ur.data, list) : [],
      };
    });
    const people = new Map(supervisors.map((s) => [s.id, s]));
    return {
      cycle: { id: cycle.id, year: cycle.year, name: cycle.name, status: cycle.status },
      generatedAt: now.toISOString(),
      total: PHASES.reduce((a, p) => a + byPhase[p], 0),
      byPhase,
      overdueTasks: { total: sum((r) => r.overdue), byKind: byKind((r) => r.overdue) },
      openTasks: { total: sum((r) => r.open), byKind: byKind((r) => r.open) },
      overdueBySupervisor: bySupervisor.flatMap((r) => {
        const s = people.get(r.supervisorId);
        if (!s) return [];
        return [{ supervisor: { id: s.id, nip: s.nip, name: s.name }, unit: s.unit, overdue: r.n, oldestDueAt: r.oldest.toISOString() }];
      }),
      reminders: { notifications: notified('REMINDER')?.n ?? 0, evaluations: notified('REMINDER')?.evaluations ?? 0 },
      escalations: { tasks: sum((r) => r.escalated), open: sum((r) => r.escalatedOpen), notifications: notified('ESCALATION')?.n ?? 0 },
      distribution,
      units,
    };
  }

  interface ExportRow {
    nip: string;
    name: string;
    position: string;
    unitCode: string;
    unitName: string;
    phase: string;
    predikat: string | null;
    final: boolean;
    numericScore: number | null;
    openTasks: number;
    overdueTasks: number;
    supervisorNip: string | null;
    supervisorName: string | null;
  }

  /**
   * The export's columns, once for both files: the SQL of each (over exportSource's aliases), its header and how it is
   * written. The XLSX reads them as typed values; the CSV has PostgreSQL write each row as its CSV line (csvLineSql).
   */
  const EXPORT_FIELDS: readonly { key: keyof ExportRow; header: string; sql: Prisma.Sql; kind: SqlCsvCell['kind']; width?: number }[] = [
    { key: 'nip', header: 'nip', sql: Prisma.sql`emp.nip`, kind: 'digits', width: 22 },
    { key: 'name', header: 'name', sql: Prisma.sql`emp.name`, kind: 'text', width: 30 },
    { key: 'position', header: 'position', sql: Prisma.sql`emp.position`, kind: 'text', width: 30 },
    { key: 'unitCode', header: 'unit', sql: Prisma.sql`u.code`, kind: 'text', width: 14 },
    // an enum's label: never text to quote or to make inert
    { key: 'phase', header: 'phase', sql: Prisma.sql`e.phase::text`, kind: 'plain', width: 16 },
    // the FINAL score's, else the INITIAL one's: what the database keeps on the evaluation
    { key: 'predikat', header: 'predikat', sql: Prisma.sql`e.predikat`, kind: 'text', width: 18 },
    { key: 'final', header: 'final', sql: Prisma.sql`(f."evaluationId" IS NOT NULL)`, kind: 'plain' },
    { key: 'numericScore', header: 'numericScore', sql: Prisma.sql`COALESCE(f."numericScore", i."numericScore")`, kind: 'plain' },
    { key: 'openTasks', header: 'openTasks', sql: Prisma.sql`COALESCE(t.open, 0)::int`, kind: 'plain' },
    { key: 'overdueTasks', header: 'overdueTasks', sql: Prisma.sql`COALESCE(t.overdue, 0)::int`, kind: 'plain' },
    { key: 'unitName', header: 'unitName', sql: Prisma.sql`u.name`, kind: 'text', width: 30 },
    { key: 'supervisorNip', header: 'supervisorNip', sql: Prisma.sql`sup.nip`, kind: 'digits', width: 22 },
    { key: 'supervisorName', header: 'supervisorName', sql: Prisma.sql`sup.name`, kind: 'text', width: 30 },
  ];
  const EXPORT_COLUMNS: readonly Column<ExportRow>[] = EXPORT_FIELDS.map((f) => ({
    header: f.header,
    value: (r) => r[f.key],
    ...(f.kind === 'digits' ? { digits: true } : {}),
    ...(f.width ? { width: f.width } : {}),
  }));

  /**
   * The export's rows in one statement, joined as sets: the scope's evaluations with their employee, unit,
   * supervisor, scores and open-task counts (the cycle's open tasks counted once, grouped by evaluation through
   * Task(cycleId, status, evaluationId, dueAt)), sorted by NIP once. At 50,000 rows hash joins cost a few
   * microseconds a row, where following the indexes row by row in NIP order (keyset batches) costs some 25. The result
   * is read whole: some 150 bytes of CSV a row, 7.5 MB at 50,000.
   */
  const exportSource = ({ where, cycle }: Scope, now: Date) => Prisma.sql`
    FROM "Evaluation" e
    JOIN "Employee" emp ON emp.id = e."employeeId"
    JOIN "Unit" u ON u.id = e."unitId"
    LEFT JOIN "Employee" sup ON sup.id = e."supervisorId"
    LEFT JOIN "Score" f ON f."evaluationId" = e.id AND f.kind = 'FINAL'
    LEFT JOIN "Score" i ON i."evaluationId" = e.id AND i.kind = 'INITIAL'
    LEFT JOIN (
      SELECT x."evaluationId", count(*) AS open, count(*) FILTER (WHERE x."dueAt" < ${now}) AS overdue
      FROM "Task" x WHERE x."cycleId" = ${cycle.id} AND x.status = 'OPEN'
      GROUP BY x."evaluationId"
    ) t ON t."evaluationId" = e.id
    WHERE ${where} AND emp."regionId" = ${cycle.regionId}`;

  /** The export's rows by NIP, as values (the XLSX). */
  async function exportRows(scope: Scope, now: Date): Promise<ExportRow[]> {
    const columns = Prisma.join(EXPORT_FIELDS.map((f) => Prisma.sql`${f.sql} AS ${Prisma.raw(`"${f.key}"`)}`));
    return prisma.$queryRaw<ExportRow[]>`SELECT ${columns} ${exportSource(scope, now)} ORDER BY emp.nip`;
  }

  /**
   * The export's CSV lines by NIP, each ending in CRLF, written by PostgreSQL: one text a row for the driver to decode
   * instead of 13 values, joined here into chunks of EXPORT_CHUNK lines.
   */
  const EXPORT_CHUNK = 5000;
  async function* exportCsvLines(scope: Scope, now: Date, delimiter: CsvDelimiter): AsyncGenerator<string> {
    const line = csvLineSql(
      EXPORT_FIELDS.map((f) => ({ sql: f.sql, kind: f.kind })),
      delimiter,
    );
    const rows = await prisma.$queryRaw<{ line: string }[]>`SELECT ${line} AS line ${exportSource(scope, now)} ORDER BY emp.nip`;
    for (let i = 0; i < rows.length; i += EXPORT_CHUNK) {
      let chunk = '';
      for (const r of rows.slice(i, i + EXPORT_CHUNK)) chunk += r.line;
      yield chunk;
    }
  }

  type UnitRow = Awaited<ReturnType<typeof cycleReport>>['units'][number];
  const UNIT_COLUMNS: readonly Column<UnitRow>[] = [
    { header: 'unit', value: (r) => r.unit.code, width: 14 },
    { header: 'unitName', value: (r) => r.unit.name, width: 30 },
    { header: 'evaluations', value: (r) => r.evaluations },
    { header: 'rated', value: (r) => r.rated },
    ...PREDIKATS.map((p): Column<UnitRow> => ({ header: p, value: (r) => r.distribution[p] })),
    { header: 'unitPredikat', value: (r) => r.unitPredikat, width: 18 },
    { header: 'violations', value: (r) => r.violations.map((v) => v.message).join('; '), width: 40 },
  ];
  const exportName = ({ cycle, unit }: Scope, ext: string) => `kinerja-${cycle.year}${unit ? `-${unit.code}` : ''}.${ext}`;

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
      const scope = await reportScope(region.id, cycleId, c.req.valid('query').unitCode);
      return c.json(await cycleReport(scope, deps.now()), 200);
    })
    .openapi(reportCsv, async (c) => {
      const { regionCode, cycleId } = c.req.valid('param');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      const query = c.req.valid('query');
      const scope = await reportScope(region.id, cycleId, query.unitCode);
      const delimiter = query.delimiter === 'semicolon' ? ';' : ',';
      const body = csvLinesStream(
        EXPORT_COLUMNS.map((col) => col.header),
        exportCsvLines(scope, deps.now(), delimiter),
        delimiter,
      );
      return c.body(body, 200, { 'content-type': CSV_TYPE, 'content-disposition': attachment(exportName(scope, 'csv')) });
    })
    .openapi(reportXlsx, async (c) => {
      const { regionCode, cycleId } = c.req.valid('param');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      const scope = await reportScope(region.id, cycleId, c.req.valid('query').unitCode);
      const now = deps.now();
      const [{ units }, rows] = await Promise.all([cycleReport(scope, now), exportRows(scope, now)]);
      const body = xlsxStream([sheet({ name: 'Pegawai', columns: EXPORT_COLUMNS, rows }), sheet({ name: 'Unit', columns: UNIT_COLUMNS, rows: units })]);
      return c.body(body, 200, { 'content-type': XLSX_TYPE, 'content-disposition': attachment(exportName(scope, 'xlsx')) });
    });
}
