/**
 * The region's holiday table: hari libur nasional, cuti bersama and the region's own holidays. Deadlines counted in
 * working days ("5wd" in a rule set's calendar) skip weekends and these dates. A cycle copies the table when it opens
 * (it is part of the calendar the cycle fixes), so edits reach the cycles opened after them; a running cycle keeps
 * the dates it opened with.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { calendarDate, HolidayKind, localDate, text, type Lang } from '@kinerja/domain';
import type { ResolvedDeps } from '../../env.js';
import { authorizeRegion } from '../../access.js';
import { ProblemError, type FieldError } from '../../problem.js';
import { bearer, jsonBody, newRouter, ok, problems } from '../../router.js';
import { audit, RegionParams } from './common.js';
import { presentRegion } from './region.js';

const tags = ['admin: calendar'];
const base = '/admin/regions/{regionCode}/holidays';

const COPIED_WHEN_OPENED =
  'A cycle copies the holiday table when it opens: changes reach cycles opened later, a running cycle keeps the dates it opened with. ' +
  'Saturdays and Sundays may be listed (e.g. a national holiday falling on a weekend) but change nothing: they are not working days anyway.';

const Year = z.coerce.number().int().min(2000).max(2100);
const HolidayName = text({ min: 3, max: 200 }).openapi({ example: 'Tahun Baru Islam 1449 H' });

const HolidaySchema = z
  .object({
    date: z.string().openapi({ example: '2027-06-06' }),
    kind: HolidayKind,
    name: z.string(),
    /** a Saturday or Sunday: stored, but not a working day either way */
    weekend: z.boolean(),
    createdAt: z.string(),
    createdBy: z.string().nullable(),
  })
  .openapi('Holiday');

const HolidayListSchema = z.object({ year: z.number().int(), timezone: z.string(), items: z.array(HolidaySchema) }).openapi('HolidayList');

const HolidayInput = z.object({ kind: HolidayKind, name: HolidayName }).strict().openapi('HolidayInput');
const HolidayEntry = z.object({ date: calendarDate(), kind: HolidayKind, name: HolidayName }).strict().openapi('HolidayEntry');
const HolidayYearInput = z
  .object({ holidays: z.array(HolidayEntry).max(366) })
  .strict()
  .openapi('HolidayYear');

const DateParams = RegionParams.extend({ date: calendarDate().openapi({ param: { name: 'date', in: 'path' }, example: '2027-01-01' }) });
const YearParams = RegionParams.extend({ year: Year.openapi({ param: { name: 'year', in: 'path' }, example: 2027 }) });

const list = createRoute({
  method: 'get',
  path: base,
  tags,
  security: bearer,
  summary: "The region's holidays of one year (default: the current year in the region's time zone), by date",
  description: COPIED_WHEN_OPENED,
  request: { params: RegionParams, query: z.object({ year: Year.optional() }).strict() },
  responses: { 200: ok(HolidayListSchema), ...problems },
});
const putOne = createRoute({
  method: 'put',
  path: `${base}/{date}`,
  tags,
  security: bearer,
  summary: 'Set one holiday (created, or its kind and name replaced)',
  description: COPIED_WHEN_OPENED,
  request: { params: DateParams, ...jsonBody(HolidayInput) },
  responses: { 200: ok(HolidaySchema, 'Updated'), 201: ok(HolidaySchema, 'Created'), ...problems },
});
const deleteOne = createRoute({
  method: 'delete',
  path: `${base}/{date}`,
  tags,
  security: bearer,
  summary: 'Remove one holiday',
  description: COPIED_WHEN_OPENED,
  request: { params: DateParams },
  responses: { 204: { description: 'Removed' }, ...problems },
});
const putYear = createRoute({
  method: 'put',
  path: `${base}/years/{year}`,
  tags,
  security: bearer,
  summary: "Replace a whole year's holidays in one step (e.g. the SKB on hari libur nasional and cuti bersama)",
  description: `Every date must lie in the year; a date listed twice is refused, naming both places. All or nothing. ${COPIED_WHEN_OPENED}`,
  request: { params: YearParams, ...jsonBody(HolidayYearInput) },
  responses: { 200: ok(HolidayListSchema), ...problems },
});

const fe = (pointer: string, code: string, id: string, en: string, lang: Lang): FieldError => ({
  pointer,
  field: pointer.split('/').filter(Boolean).join('.'),
  code,
  message: lang === 'en' ? en : id,
});

/** a @db.Date column holds the date at UTC midnight */
const dbDate = (date: string) => new Date(`${date}T00:00:00Z`);
const isoDate = (d: Date) => d.toISOString().slice(0, 10);
const yearRange = (year: number) => ({ gte: dbDate(`${year}-01-01`), lt: dbDate(`${year + 1}-01-01`) });

type Row = { date: Date; kind: z.infer<typeof HolidayKind>; name: string; createdAt: Date; createdBy: string | null };
const present = (h: Row): z.infer<typeof HolidaySchema> => {
  const dow = h.date.getUTCDay();
  return { date: isoDate(h.date), kind: h.kind, name: h.name, weekend: dow === 0 || dow === 6, createdAt: h.createdAt.toISOString(), createdBy: h.createdBy };
};
const brief = (h: { date: Date; kind: string; name: string }) => ({ date: isoDate(h.date), kind: h.kind, name: h.name });

export function holidayRoutes(deps: ResolvedDeps) {
  const { prisma } = deps;

  return newRouter()
    .openapi(list, async (c) => {
      const region = await authorizeRegion(prisma, c.get('user'), c.req.valid('param').regionCode);
      const { timezone } = presentRegion(region);
      const year = c.req.valid('query').year ?? Number(localDate(deps.now().getTime(), timezone).slice(0, 4));
      const rows = await prisma.holiday.findMany({ where: { regionId: region.id, date: yearRange(year) }, orderBy: { date: 'asc' } });
      return c.json({ year, timezone, items: rows.map(present) }, 200);
    })
    .openapi(putOne, async (c) => {
      const { regionCode, date } = c.req.valid('param');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      const input = c.req.valid('json');
      const userId = c.get('user').userId;
      const { row, created } = await prisma.$transaction(async (tx) => {
        const before = await tx.holiday.findUnique({ where: { regionId_date: { regionId: region.id, date: dbDate(date) } } });
        const after = before
          ? await tx.holiday.update({ where: { id: before.id }, data: { kind: input.kind, name: input.name } })
          : await tx.holiday.create({ data: { regionId: region.id, date: dbDate(date), kind: input.kind, name: input.name, createdBy: userId } });
        await audit(tx, c, region.id, before ? 'holiday.update' : 'holiday.create', 'Holiday', after.id, before ? brief(before) : null, brief(after));
        return { row: after, created: !before };
      });
      return created ? c.json(present(row), 201) : c.json(present(row), 200);
    })
    .openapi(deleteOne, async (c) => {
      const { regionCode, date } = c.req.valid('param');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      await prisma.$transaction(async (tx) => {
        const before = await tx.holiday.findUnique({ where: { regionId_date: { regionId: region.id, date: dbDate(date) } } });
        if (!before) throw new ProblemError('NOT_FOUND');
        await tx.holiday.delete({ where: { id: before.id } });
        await audit(tx, c, region.id, 'holiday.delete', 'Holiday', before.id, brief(before), null);
      });
      return c.body(null, 204);
    })
    .openapi(putYear, async (c) => {
      const { regionCode, year } = c.req.valid('param');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      const { holidays } = c.req.valid('json');
      const lang = c.get('lang');
      const errors: FieldError[] = [];
      const seen = new Map<string, number>();
      holidays.forEach((h, i) => {
        const pointer = `/holidays/${i}/date`;
        if (!h.date.startsWith(`${year}-`)) {
          errors.push(fe(pointer, 'wrong_year', `tanggal harus dalam tahun ${year}`, `the date must lie in ${year}`, lang));
        }
        const first = seen.get(h.date);
        if (first !== undefined) {
          errors.push(fe(pointer, 'duplicate', `tanggal ${h.date} sudah ada pada indeks ${first}`, `date ${h.date} is already listed at index ${first}`, lang));
        } else seen.set(h.date, i);
      });
      if (errors.length) throw new ProblemError('VALIDATION_FAILED', { errors });
      const userId = c.get('user').userId;
      const rows = await prisma.$transaction(async (tx) => {
        const where = { regionId: region.id, date: yearRange(year) };
        const before = await tx.holiday.findMany({ where, orderBy: { date: 'asc' } });
        const kept = new Map(before.map((h) => [isoDate(h.date), h]));
        // a date that stays keeps its row (who first entered it, when); the others go, the new ones come
        const wanted = new Set(holidays.map((h) => h.date));
        await tx.holiday.deleteMany({ where: { id: { in: before.filter((h) => !wanted.has(isoDate(h.date))).map((h) => h.id) } } });
        for (const h of holidays) {
          const old = kept.get(h.date);
          if (!old) await tx.holiday.create({ data: { regionId: region.id, date: dbDate(h.date), kind: h.kind, name: h.name, createdBy: userId } });
          else if (old.kind !== h.kind || old.name !== h.name) await tx.holiday.update({ where: { id: old.id }, data: { kind: h.kind, name: h.name } });
        }
        const after = await tx.holiday.findMany({ where, orderBy: { date: 'asc' } });
        await audit(tx, c, region.id, 'holiday.year.replace', 'Region', region.id, { year, holidays: before.map(brief) }, { year, holidays: after.map(brief) });
        return after;
      });
      return c.json({ year, timezone: presentRegion(region).timezone, items: rows.map(present) }, 200);
    });
}
