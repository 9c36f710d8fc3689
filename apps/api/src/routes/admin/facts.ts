/**
 * External facts for the rule sets (admin side): attendance from the regional attendance app (fact attendanceRate)
 * and the citizens' survey responses collected by routes/public.ts (facts satisfactionMean / satisfactionResponses).
 */
import { createRoute, z } from '@hono/zod-openapi';
import {
  calendarDate,
  isCalendarDate,
  isRegionTimeZone,
  localMidnight,
  nipProblem,
  SANE_YEARS,
  text,
  textProblem,
  textProblemMessage,
  type Lang,
} from '@kinerja/domain';
import type { ResolvedDeps } from '../../env.js';
import { authorizeRegion } from '../../access.js';
import { ProblemError, type FieldError } from '../../problem.js';
import { bearer, Code, FieldErrorSchema, newRouter, ok, problems } from '../../router.js';
import { IsoDateTime } from '../../schemas.js';
import { audit, Paging, RegionParams, tableBody } from './common.js';
import { IkmGradeSchema, ikmOfScoreMean } from '../public.js';
import { impreciseErrors, readTable, tableType, type TableSpec } from '../../tabular/readTable.js';

const tags = ['admin: external facts'];
const base = '/admin/regions/{regionCode}';
/** a real date within 2000..2100 */
const IsoDate = calendarDate().openapi({ example: '2025-03-31' });

/** Rows at most per import (the body limit usually bites first). */
export const MAX_ATTENDANCE_ROWS = 50_000;
const MAX_LATE_MINUTES = 24 * 60;
const COLUMNS = ['nip', 'date', 'present', 'lateMinutes', 'source'] as const;
const ATTENDANCE_TABLE: TableSpec = { columns: COLUMNS, required: ['nip', 'date', 'present'], maxRows: MAX_ATTENDANCE_ROWS };

/** Rows are checked one by one in the handler (report with row numbers), so the schema only asks for an array. */
const AttendanceImport = z.array(z.unknown()).openapi('AttendanceImport', {
  description: 'Rows { nip: NIP (18 digits), date: YYYY-MM-DD (not in the future), present: boolean, lateMinutes?: integer ≥ 0, source?: string ≤ 50 }',
  example: [{ nip: '199205202019031003', date: '2025-03-03', present: true, lateMinutes: 5, source: 'e-presensi' }],
});

const AttendanceImportReport = z
  .object({
    total: z.number().int(),
    valid: z.number().int(),
    /** empty: a bad row answers 422 with the report */
    errors: z.array(FieldErrorSchema),
    dryRun: z.boolean(),
    created: z.number().int(),
    updated: z.number().int(),
  })
  .openapi('AttendanceImportReport');
const AttendanceSummarySchema = z
  .object({
    from: z.string().nullable(),
    to: z.string().nullable(),
    items: z.array(
      z.object({
        employeeId: z.string(),
        nip: z.string(),
        name: z.string(),
        status: z.enum(['ACTIVE', 'LEFT']),
        unitCode: z.string(),
        days: z.number().int(),
        present: z.number().int(),
        absent: z.number().int(),
        lateMinutes: z.number().int(),
        /** the rule fact attendanceRate (0..100); null without records */
        attendanceRate: z.number().nullable(),
      }),
    ),
    total: z.number().int(),
    page: z.number().int(),
    limit: z.number().int(),
  })
  .openapi('AttendanceSummary');
const SurveyGroup = z.object({
  count: z.number().int(),
  /** mean score 1..5, two decimals */
  mean: z.number().nullable(),
  /** the IKM (PermenPANRB 14/2017) of the mean, as the rule sets see it; null without responses */
  ikm: IkmGradeSchema.nullable(),
});
const SurveyListSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        score: z.number().int(),
        comment: z.string().nullable(),
        service: z.string().nullable(),
        unit: z.object({ code: z.string(), name: z.string() }).nullable(),
        employee: z.object({ nip: z.string(), name: z.string() }).nullable(),
        createdAt: IsoDateTime,
      }),
    ),
    total: z.number().int(),
    page: z.number().int(),
    limit: z.number().int(),
    summary: z.object({ mean: z.number().nullable(), count: z.number().int() }),
    /** the period asked for (YYYY-MM-DD, the region's days), null: open */
    from: z.string().nullable(),
    to: z.string().nullable(),
    /** per unit rated, most responses first (the selection's filters and period apply) */
    byUnit: z.array(SurveyGroup.extend({ unit: z.object({ code: z.string(), name: z.string() }) })),
    /** per service named, most responses first */
    byService: z.array(SurveyGroup.extend({ service: z.string() })),
  })
  .openapi('SurveyResponseList');

const importAttendance = createRoute({
  method: 'post',
  path: `${base}/attendance/import`,
  tags,
  security: bearer,
  summary:
    'Import attendance (JSON array of rows, or a CSV or XLSX file with header nip,date,present,lateMinutes,source): validated row by row; ' +
    'any bad row → 422 with the report and nothing applied; else all rows upserted in one transaction. ?dryRun=true validates only.',
  description:
    'A file is sent as the raw body: `text/csv` (UTF-8, a BOM is ignored; `,` or `;` separated, as the header line shows) or ' +
    '`application/vnd.openxmlformats-officedocument.spreadsheetml.sheet` (the first worksheet, its first row the header; date cells read as YYYY-MM-DD). ' +
    'present accepts true/false, 1/0, ya/tidak, hadir/absen in a file. A problem names the row as the spreadsheet shows it (header = 1) and the column.',
  request: {
    params: RegionParams,
    query: z.object({ dryRun: z.enum(['true', 'false']).optional() }).strict(),
    ...tableBody(AttendanceImport),
  },
  responses: { 200: ok(AttendanceImportReport, 'What was (or, with dryRun, would be) created and updated'), ...problems },
});

const attendanceSummary = createRoute({
  method: 'get',
  path: `${base}/attendance/summary`,
  tags,
  security: bearer,
  summary: 'Attendance rate per employee (present ÷ recorded days × 100) in [from, to]',
  request: { params: RegionParams, query: z.object({ from: IsoDate.optional(), to: IsoDate.optional(), unitCode: Code.optional(), ...Paging }).strict() },
  responses: { 200: ok(AttendanceSummarySchema), ...problems },
});

const listSurveys = createRoute({
  method: 'get',
  path: `${base}/surveys`,
  tags,
  security: bearer,
  summary: "Citizens' survey responses (newest first) with the mean of the selection, and counts and means per unit and per service",
  description: "`from`/`to` select responses given on those days (inclusive) in the region's time zone.",
  request: {
    params: RegionParams,
    query: z
      .object({
        from: IsoDate.optional(),
        to: IsoDate.optional(),
        unitCode: Code.optional(),
        employeeNip: z
          .string()
          .regex(/^\d{18}$/)
          .optional(),
        service: text({ max: 100 }).optional(),
        ...Paging,
      })
      .strict(),
  },
  responses: { 200: ok(SurveyListSchema), ...problems },
});

/** Today in the region's time zone, as 'YYYY-MM-DD'. */
export function regionToday(now: Date, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  } catch {
    return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  }
}

const BOOL_TRUE = new Set(['true', '1', 'yes', 'ya', 'y', 'hadir']);
const BOOL_FALSE = new Set(['false', '0', 'no', 'tidak', 'n', 't', 'absen']);

interface CheckedRow {
  employeeId: string;
  nip: string;
  date: string;
  present: boolean;
  lateMinutes: number;
  source: string | null;
}

const msg = (lang: Lang, id: string, en: string) => (lang === 'en' ? en : id);
const invalidInput = (errors: FieldError[]) => new ProblemError('VALIDATION_FAILED', { errors });
const toBeforeFrom = (lang: Lang): FieldError => ({
  pointer: '/to',
  field: 'to',
  code: 'too_small',
  message: msg(lang, 'harus sama atau setelah from', 'must not be before from'),
  in: 'query',
});
/** a mean score, two decimals; null without responses */
const mean2 = (avg: number | null) => (avg === null ? null : Math.round(Number(avg) * 100) / 100);
/** one unit's or service's responses: count, mean score and its IKM */
const group = (g: { _count: { _all: number }; _avg: { score: number | null } }) => ({
  count: g._count._all,
  mean: mean2(g._avg.score),
  ikm: ikmOfScoreMean(g._avg.score === null ? null : Number(g._avg.score)),
});

export function factsRoutes(deps: ResolvedDeps) {
  const { prisma } = deps;

  return newRouter()
    .openapi(importAttendance, async (c) => {
      const region = await authorizeRegion(prisma, c.get('user'), c.req.valid('param').regionCode);
      const lang = c.get('lang');
      const dryRun = c.req.valid('query').dryRun === 'true';
      const type = tableType(c.req.header('content-type'));
      const isFile = type !== null;

      // 0. the shape of the file: rows of raw values, and where each row lives for pointers and the report
      let rawRows: Record<string, unknown>[];
      let rowPointer: (i: number) => string;
      let rowOf: (i: number) => number;
      if (type) {
        const table = await readTable(type, await c.req.arrayBuffer(), ATTENDANCE_TABLE, lang);
        const imprecise = table.rows.flatMap((r) => impreciseErrors(r, lang));
        if (imprecise.length) throw invalidInput(imprecise);
        rawRows = table.rows.map((r) => r.cells);
        rowPointer = (i) => `/${table.rows[i]!.row}`;
        rowOf = (i) => table.rows[i]!.row;
      } else {
        const body: unknown = c.req.valid('json');
        if (!Array.isArray(body))
          throw invalidInput([
            { pointer: '', field: '', code: 'invalid_type', message: msg(lang, 'harus berupa larik (array) baris', 'must be an array of rows') },
          ]);
        rawRows = body.map((r) => (r !== null && typeof r === 'object' && !Array.isArray(r) ? (r as Record<string, unknown>) : { __notObject: r }));
        rowPointer = (i) => `/${i}`;
        rowOf = (i) => i + 1;
      }
      if (rawRows.length === 0) throw invalidInput([{ pointer: '', field: '', code: 'too_small', message: msg(lang, 'tidak ada baris', 'no rows') }]);
      if (rawRows.length > MAX_ATTENDANCE_ROWS) {
        throw invalidInput([
          { pointer: '', field: '', code: 'too_big', message: msg(lang, `maksimal ${MAX_ATTENDANCE_ROWS} baris`, `at most ${MAX_ATTENDANCE_ROWS} rows`) },
        ]);
      }

      // 1. every row on its own and against this region's employees
      const employees = new Map(
        (
          await prisma.employee.findMany({
            where: {
              regionId: region.id,
              nip: { in: [...new Set(rawRows.map((r) => (typeof r.nip === 'string' ? r.nip.trim() : '')))].filter((n) => nipProblem(n) === null) },
            },
            select: { id: true, nip: true },
          })
        ).map((e) => [e.nip, e.id]),
      );
      const today = regionToday(deps.now(), region.timezone);
      const errors: FieldError[] = [];
      const rows: CheckedRow[] = [];
      const seen = new Map<string, number>();
      rawRows.forEach((raw, i) => {
        const row = rowOf(i);
        const err = (field: string, code: string, id: string, en: string) =>
          errors.push({ pointer: field ? `${rowPointer(i)}/${field}` : rowPointer(i), field, code, message: msg(lang, id, en), row });
        const before = errors.length;
        if ('__notObject' in raw) {
          err('', 'invalid_type', 'baris harus berupa objek', 'a row must be an object');
          return;
        }
        for (const k of Object.keys(raw)) if (!(COLUMNS as readonly string[]).includes(k)) err(k, 'unrecognized_key', 'kolom tidak dikenal', 'unknown field');

        // nip
        let employeeId: string | undefined;
        const nip = typeof raw.nip === 'string' ? raw.nip.trim() : raw.nip;
        if (nip === undefined || nip === '') err('nip', 'required', 'wajib diisi', 'is required');
        else if (typeof nip !== 'string') err('nip', 'invalid_type', 'harus bertipe teks', 'must be a string');
        else {
          const p = nipProblem(nip);
          if (p) err('nip', 'invalid_nip', p, p);
          else {
            employeeId = employees.get(nip);
            if (!employeeId) err('nip', 'unknown_employee', 'pegawai tidak ditemukan di daerah ini', 'no such employee in this region');
          }
        }
        // date
        const date = raw.date;
        if (date === undefined || date === '') err('date', 'required', 'wajib diisi', 'is required');
        else if (typeof date !== 'string' || !isCalendarDate(date))
          err('date', 'invalid_date', 'tanggal harus berformat YYYY-MM-DD dan ada di kalender', 'must be a real date YYYY-MM-DD');
        else if (date < `${SANE_YEARS.min}-01-01`)
          err('date', 'out_of_range', `tahun harus ${SANE_YEARS.min} atau sesudahnya`, `the year must be ${SANE_YEARS.min} or later`);
        else if (date > today) err('date', 'future_date', `tanggal tidak boleh setelah hari ini (${today})`, `must not be after today (${today})`);
        else if (typeof nip === 'string') {
          const key = `${nip}|${date}`;
          const first = seen.get(key);
          if (first !== undefined) err('date', 'duplicate', `NIP dan tanggal sudah ada di baris ${first}`, `same NIP and date as row ${first}`);
          else seen.set(key, row);
        }
        // present
        let present: boolean | undefined;
        const pv = raw.present;
        if (typeof pv === 'boolean') present = pv;
        else if (typeof pv === 'string' && isFile && BOOL_TRUE.has(pv.toLowerCase())) present = true;
        else if (typeof pv === 'string' && isFile && BOOL_FALSE.has(pv.toLowerCase())) present = false;
        else if (pv === undefined || pv === '') err('present', 'required', 'wajib diisi', 'is required');
        else err('present', 'invalid_type', 'harus bertipe boolean (true/false)', 'must be a boolean (true/false)');
        // lateMinutes
        let lateMinutes = 0;
        const lv = raw.lateMinutes;
        if (lv !== undefined && lv !== '') {
          const n = typeof lv === 'number' ? lv : typeof lv === 'string' && isFile && /^-?\d+$/.test(lv) ? Number(lv) : NaN;
          if (!Number.isInteger(n)) err('lateMinutes', 'invalid_type', 'harus bilangan bulat', 'must be an integer');
          else if (n < 0) err('lateMinutes', 'too_small', 'minimal 0', 'must be at least 0');
          else if (n > MAX_LATE_MINUTES) err('lateMinutes', 'too_big', `maksimal ${MAX_LATE_MINUTES}`, `must be at most ${MAX_LATE_MINUTES}`);
          else if (present === false && n > 0) err('lateMinutes', 'inconsistent', 'harus 0 bila tidak hadir', 'must be 0 when absent');
          else lateMinutes = n;
        }
        // source
        let source: string | null = null;
        const sv = raw.source;
        if (sv !== undefined && sv !== null) {
          const bad = typeof sv === 'string' ? textProblem(sv.trim()) : null;
          if (typeof sv !== 'string') err('source', 'invalid_type', 'harus bertipe teks', 'must be a string');
          else if (bad) {
            const m = textProblemMessage(bad);
            err('source', 'invalid_characters', m.id, m.en);
          } else if (sv.trim().length > 50) err('source', 'too_big', 'maksimal 50 karakter', 'must be at most 50 characters');
          else source = sv.trim() || null;
        }
        if (errors.length === before && employeeId && typeof nip === 'string' && typeof date === 'string' && present !== undefined) {
          rows.push({ employeeId, nip, date, present, lateMinutes, source });
        }
      });

      const report = { total: rawRows.length, valid: rows.length, errors, dryRun };
      if (errors.length) {
        throw new ProblemError('VALIDATION_FAILED', { errors, extensions: { total: report.total, valid: report.valid, dryRun } });
      }
      const existing = await prisma.attendanceRecord.findMany({
        where: {
          employeeId: { in: [...new Set(rows.map((r) => r.employeeId))] },
          date: { in: [...new Set(rows.map((r) => r.date))].map((d) => new Date(`${d}T00:00:00Z`)) },
        },
        select: { employeeId: true, date: true },
      });
      const known = new Set(existing.map((e) => `${e.employeeId}|${e.date.toISOString().slice(0, 10)}`));
      const updated = rows.filter((r) => known.has(`${r.employeeId}|${r.date}`)).length;
      const result = { ...report, created: rows.length - updated, updated };
      if (dryRun) return c.json(result, 200);

      // 2. all or nothing
      const dates = rows.map((r) => r.date).sort();
      await prisma.$transaction(
        async (tx) => {
          for (const r of rows) {
            const date = new Date(`${r.date}T00:00:00Z`);
            const data = { present: r.present, lateMinutes: r.lateMinutes, source: r.source };
            await tx.attendanceRecord.upsert({
              where: { employeeId_date: { employeeId: r.employeeId, date } },
              create: { regionId: region.id, employeeId: r.employeeId, date, ...data },
              update: data,
            });
          }
          await audit(tx, c, region.id, 'attendance.import', 'Region', region.id, null, {
            total: result.total,
            created: result.created,
            updated: result.updated,
            from: dates[0],
            to: dates[dates.length - 1],
            employees: new Set(rows.map((r) => r.nip)).size,
            sources: [...new Set(rows.map((r) => r.source).filter((s) => s !== null))],
          });
        },
        { timeout: 120_000 },
      );
      return c.json(result, 200);
    })
    .openapi(attendanceSummary, async (c) => {
      const region = await authorizeRegion(prisma, c.get('user'), c.req.valid('param').regionCode);
      const q = c.req.valid('query');
      const lang = c.get('lang');
      if (q.from && q.to && q.from > q.to) throw invalidInput([toBeforeFrom(lang)]);

      const empWhere = { regionId: region.id, ...(q.unitCode ? { unit: { code: q.unitCode } } : {}) };
      const [total, employees] = await Promise.all([
        prisma.employee.count({ where: empWhere }),
        prisma.employee.findMany({
          where: empWhere,
          orderBy: { nip: 'asc' },
          skip: (q.page - 1) * q.limit,
          take: q.limit,
          select: { id: true, nip: true, name: true, status: true, unit: { select: { code: true } } },
        }),
      ]);
      const date = {
        ...(q.from ? { gte: new Date(`${q.from}T00:00:00Z`) } : {}),
        ...(q.to ? { lte: new Date(`${q.to}T00:00:00Z`) } : {}),
      };
      const where = { regionId: region.id, employeeId: { in: employees.map((e) => e.id) }, ...(q.from || q.to ? { date } : {}) };
      const [all, present] = await Promise.all([
        prisma.attendanceRecord.groupBy({ by: ['employeeId'], where, _count: { _all: true }, _sum: { lateMinutes: true } }),
        prisma.attendanceRecord.groupBy({ by: ['employeeId'], where: { ...where, present: true }, _count: { _all: true } }),
      ]);
      const allBy = new Map(all.map((g) => [g.employeeId, g]));
      const presentBy = new Map(present.map((g) => [g.employeeId, g._count._all]));
      const items = employees.map((e) => {
        const days = allBy.get(e.id)?._count._all ?? 0;
        const presentDays = presentBy.get(e.id) ?? 0;
        return {
          employeeId: e.id,
          nip: e.nip,
          name: e.name,
          status: e.status,
          unitCode: e.unit.code,
          days,
          present: presentDays,
          absent: days - presentDays,
          lateMinutes: allBy.get(e.id)?._sum.lateMinutes ?? 0,
          /** the rule fact attendanceRate (0..100); null without records */
          attendanceRate: days === 0 ? null : Math.round((presentDays / days) * 10_000) / 100,
        };
      });
      return c.json({ from: q.from ?? null, to: q.to ?? null, items, total, page: q.page, limit: q.limit }, 200);
    })
    .openapi(listSurveys, async (c) => {
      const region = await authorizeRegion(prisma, c.get('user'), c.req.valid('param').regionCode);
      const q = c.req.valid('query');
      const lang = c.get('lang');
      if (q.from && q.to && q.from > q.to) throw invalidInput([toBeforeFrom(lang)]);
      const period = { from: q.from ?? null, to: q.to ?? null };
      const [unit, employee] = await Promise.all([
        q.unitCode ? prisma.unit.findUnique({ where: { regionId_code: { regionId: region.id, code: q.unitCode } }, select: { id: true } }) : null,
        q.employeeNip ? prisma.employee.findUnique({ where: { regionId_nip: { regionId: region.id, nip: q.employeeNip } }, select: { id: true } }) : null,
      ]);
      // an unknown unit or employee filter selects nothing
      if ((q.unitCode && !unit) || (q.employeeNip && !employee)) {
        return c.json({ items: [], total: 0, page: q.page, limit: q.limit, summary: { mean: null, count: 0 }, ...period, byUnit: [], byService: [] }, 200);
      }
      const tz = isRegionTimeZone(region.timezone) ? region.timezone : 'Asia/Jakarta';
      const createdAt = {
        ...(q.from ? { gte: new Date(localMidnight(q.from, tz)) } : {}),
        ...(q.to ? { lt: new Date(localMidnight(q.to, tz) + 86_400_000) } : {}),
      };
      const where = {
        regionId: region.id,
        ...(q.from || q.to ? { createdAt } : {}),
        ...(unit ? { unitId: unit.id } : {}),
        ...(employee ? { employeeId: employee.id } : {}),
        ...(q.service ? { service: q.service } : {}),
      };
      const [agg, rows, perUnit, perService] = await Promise.all([
        prisma.surveyResponse.aggregate({ where, _avg: { score: true }, _count: { _all: true } }),
        // clientHash stays in the database: admins have no use for it
        prisma.surveyResponse.findMany({
          where,
          orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
          skip: (q.page - 1) * q.limit,
          take: q.limit,
          select: { id: true, score: true, comment: true, service: true, unitId: true, employeeId: true, createdAt: true },
        }),
        prisma.surveyResponse.groupBy({
          by: ['unitId'],
          where: { ...where, unitId: unit ? unit.id : { not: null } },
          _avg: { score: true },
          _count: { _all: true },
        }),
        prisma.surveyResponse.groupBy({
          by: ['service'],
          where: { ...where, service: q.service ?? { not: null } },
          _avg: { score: true },
          _count: { _all: true },
        }),
      ]);
      const unitIds = [...new Set([...rows.map((r) => r.unitId), ...perUnit.map((g) => g.unitId)].filter((x): x is string => x !== null))];
      const empIds = [...new Set(rows.map((r) => r.employeeId).filter((x): x is string => x !== null))];
      const [units, emps] = await Promise.all([
        unitIds.length ? prisma.unit.findMany({ where: { id: { in: unitIds } }, select: { id: true, code: true, name: true } }) : [],
        empIds.length ? prisma.employee.findMany({ where: { id: { in: empIds } }, select: { id: true, nip: true, name: true } }) : [],
      ]);
      const unitBy = new Map(units.map((u) => [u.id, { code: u.code, name: u.name }]));
      const empBy = new Map(emps.map((e) => [e.id, { nip: e.nip, name: e.name }]));
      const items = rows.map((r) => ({
        id: r.id,
        score: r.score,
        comment: r.comment,
        service: r.service,
        unit: r.unitId ? (unitBy.get(r.unitId) ?? null) : null,
        employee: r.employeeId ? (empBy.get(r.employeeId) ?? null) : null,
        createdAt: r.createdAt,
      }));
      const byCount = (a: { count: number }, b: { count: number }) => b.count - a.count;
      return c.json(
        {
          items,
          total: agg._count._all,
          page: q.page,
          limit: q.limit,
          summary: { mean: mean2(agg._avg.score), count: agg._count._all },
          ...period,
          byUnit: perUnit
            .flatMap((g) => {
              const u = g.unitId ? unitBy.get(g.unitId) : undefined;
              return u ? [{ unit: u, ...group(g) }] : [];
            })
            .sort(byCount),
          byService: perService.flatMap((g) => (g.service ? [{ service: g.service, ...group(g) }] : [])).sort(byCount),
        },
        200,
      );
    });
}
