/**
 * The region's calendar settings for the admin: its time zone (WIB, WITA, WIT) and its holiday table (one date at a
 * time, or a whole year replaced in one step). Bad input names its field and changes nothing; another region's admin
 * and an ASN see 404, no token 401; every change is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, NIPS, setup, type Fixture } from './helpers.js';

interface Problem {
  code: string;
  errors?: { pointer: string; field: string; code: string; in?: string; message: string }[];
}
interface Region {
  code: string;
  name: string;
  timezone: string;
  timezoneAbbreviation: string;
  utcOffsetMinutes: number;
}
interface Holiday {
  date: string;
  kind: string;
  name: string;
  weekend: boolean;
  createdBy: string | null;
}
interface HolidayList {
  year: number;
  timezone: string;
  items: Holiday[];
}

/** far from any year a seed or another test fills */
const YEAR = 2031;

describe('region calendar: time zone and holidays', () => {
  let f: Fixture;
  let admin: string;
  let otherAdmin: string;
  let asn: string;
  const region = '/admin/regions/demo';
  const holidays = `${region}/holidays`;

  beforeAll(async () => {
    f = await setup('pglite');
    admin = await f.login('admin');
    otherAdmin = await f.login('admin-lain');
    asn = await f.login(NIPS.staff1);
  }, 180_000);
  afterAll(() => f?.close());

  const auditActions = async (prefix: string) =>
    (await f.db.prisma.auditEvent.findMany({ where: { regionId: f.seed.regionId, action: { startsWith: prefix } }, orderBy: { seq: 'asc' } })).map(
      (a) => a.action,
    );
  const listYear = async (year = YEAR) => json<HolidayList>(await f.req('GET', `${holidays}?year=${year}`, { token: admin }));

  describe('region settings', () => {
    it('shows the region; PATCH renames it and sets its zone (WIB, WITA, WIT), audited', async () => {
      const res = await f.req('GET', region, { token: admin });
      expect(res.status, await res.clone().text()).toBe(200);
      const before = await json<Region>(res);
      expect(before.code).toBe('demo');
      expect(['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura']).toContain(before.timezone);

      for (const [timezone, abbreviation, offset] of [
        ['Asia/Makassar', 'WITA', 480],
        ['Asia/Jayapura', 'WIT', 540],
        ['Asia/Jakarta', 'WIB', 420],
      ] as const) {
        const p = await f.req('PATCH', region, { token: admin, body: { timezone } });
        expect(p.status, await p.clone().text()).toBe(200);
        expect(await json<Region>(p)).toMatchObject({ timezone, timezoneAbbreviation: abbreviation, utcOffsetMinutes: offset, name: before.name });
      }
      const renamed = await json<Region>(await f.req('PATCH', region, { token: admin, body: { name: '  Kabupaten Contoh  ', timezone: 'Asia/Makassar' } }));
      expect(renamed).toMatchObject({ name: 'Kabupaten Contoh', timezone: 'Asia/Makassar' });
      expect(await f.db.prisma.region.findUniqueOrThrow({ where: { id: f.seed.regionId } })).toMatchObject({
        name: 'Kabupaten Contoh',
        timezone: 'Asia/Makassar',
      });
      expect(await auditActions('region.')).toEqual(['region.update', 'region.update', 'region.update', 'region.update']);
      // the holiday list names the zone its dates are read in
      expect((await listYear()).timezone).toBe('Asia/Makassar');
    });

    it('bad settings: 422 naming the field, nothing changed', async () => {
      const before = await f.db.prisma.region.findUniqueOrThrow({ where: { id: f.seed.regionId } });
      for (const [body, pointer] of [
        [{ timezone: 'Europe/Berlin' }, '/timezone'],
        [{ timezone: 'WITA' }, '/timezone'],
        [{ name: 'AB', timezone: 'Asia/Jakarta' }, '/name'],
        [{ name: 'Kota\u0000Demo' }, '/name'],
        [{ code: 'baru' }, '/code'],
      ] as const) {
        const res = await f.req('PATCH', region, { token: admin, body });
        expect(res.status, JSON.stringify(body)).toBe(422);
        expect(
          (await json<Problem>(res)).errors!.map((e) => e.pointer),
          JSON.stringify(body),
        ).toEqual([pointer]);
      }
      expect((await f.req('PATCH', region, { token: admin })).status).toBe(422);
      expect(await f.db.prisma.region.findUniqueOrThrow({ where: { id: f.seed.regionId } })).toEqual(before);
    });

    it("another region's admin, an ASN and no token reach nothing", async () => {
      const before = await f.db.prisma.region.findMany({ orderBy: { id: 'asc' } });
      for (const token of [otherAdmin, asn]) {
        expect((await f.req('GET', region, { token })).status).toBe(404);
        expect((await f.req('PATCH', region, { token, body: { timezone: 'Asia/Jayapura' } })).status).toBe(404);
      }
      expect((await f.req('GET', region)).status).toBe(401);
      expect((await f.req('PATCH', region, { body: { timezone: 'Asia/Jayapura' } })).status).toBe(401);
      expect((await f.req('GET', '/admin/regions/tidak-ada', { token: admin })).status).toBe(404);
      expect(await f.db.prisma.region.findMany({ orderBy: { id: 'asc' } })).toEqual(before);
      expect(await json<Region>(await f.req('GET', '/admin/regions/lain', { token: otherAdmin }))).toMatchObject({ code: 'lain', timezone: 'Asia/Jakarta' });
    });
  });

  describe('holidays', () => {
    it('one date at a time: created (201), changed (200), listed by year with weekends marked, removed (204); audited', async () => {
      expect(await listYear()).toEqual({ year: YEAR, timezone: 'Asia/Makassar', items: [] });
      const created = await f.req('PUT', `${holidays}/${YEAR}-01-01`, { token: admin, body: { kind: 'LIBUR_NASIONAL', name: 'Tahun Baru' } });
      expect(created.status, await created.clone().text()).toBe(201);
      expect(await json<Holiday>(created)).toMatchObject({
        date: `${YEAR}-01-01`,
        kind: 'LIBUR_NASIONAL',
        name: 'Tahun Baru',
        weekend: false,
        createdBy: f.seed.adminUserId,
      });
      const changed = await f.req('PUT', `${holidays}/${YEAR}-01-01`, { token: admin, body: { kind: 'LIBUR_NASIONAL', name: `Tahun Baru ${YEAR} Masehi` } });
      expect(changed.status).toBe(200);
      expect((await json<Holiday>(changed)).name).toBe(`Tahun Baru ${YEAR} Masehi`);
      // 4 January 2031 is a Saturday: stored, marked, changes nothing about working days
      const saturday = await json<Holiday>(
        await f.req('PUT', `${holidays}/${YEAR}-01-04`, { token: admin, body: { kind: 'CUTI_BERSAMA', name: 'Cuti bersama' } }),
      );
      expect(saturday.weekend).toBe(true);
      await f.req('PUT', `${holidays}/${YEAR}-08-17`, { token: admin, body: { kind: 'LIBUR_NASIONAL', name: 'Hari Kemerdekaan' } });
      await f.req('PUT', `${holidays}/${YEAR + 1}-01-01`, { token: admin, body: { kind: 'LIBUR_NASIONAL', name: 'Tahun Baru' } });

      const list = await listYear();
      expect(list.items.map((h) => [h.date, h.kind, h.weekend])).toEqual([
        [`${YEAR}-01-01`, 'LIBUR_NASIONAL', false],
        [`${YEAR}-01-04`, 'CUTI_BERSAMA', true],
        [`${YEAR}-08-17`, 'LIBUR_NASIONAL', true], // a Sunday in 2031
      ]);
      expect((await listYear(YEAR + 1)).items.map((h) => h.date)).toEqual([`${YEAR + 1}-01-01`]);

      expect((await f.req('DELETE', `${holidays}/${YEAR}-01-04`, { token: admin })).status).toBe(204);
      expect((await f.req('DELETE', `${holidays}/${YEAR}-01-04`, { token: admin })).status).toBe(404);
      expect((await listYear()).items.map((h) => h.date)).toEqual([`${YEAR}-01-01`, `${YEAR}-08-17`]);
      expect(await auditActions('holiday.')).toEqual([
        'holiday.create',
        'holiday.update',
        'holiday.create',
        'holiday.create',
        'holiday.create',
        'holiday.delete',
      ]);
    });

    it('without a year: the current year in the region time zone', async () => {
      const offsetMs = 8 * 3_600_000; // Asia/Makassar, set above
      const year = new Date(Date.now() + offsetMs).getUTCFullYear();
      expect((await json<HolidayList>(await f.req('GET', holidays, { token: admin }))).year).toBe(year);
    });

    it('a whole year replaced in one step: dates that stay keep their row, others go, the next year is untouched; audited once', async () => {
      const firstEntered = (await f.db.prisma.holiday.findFirstOrThrow({ where: { regionId: f.seed.regionId, date: new Date(`${YEAR}-01-01T00:00:00Z`) } })).id;
      const body = {
        holidays: [
          { date: `${YEAR}-01-01`, kind: 'LIBUR_NASIONAL', name: 'Tahun Baru Masehi' },
          { date: `${YEAR}-03-28`, kind: 'LIBUR_NASIONAL', name: 'Hari Suci Nyepi' },
          { date: `${YEAR}-03-27`, kind: 'CUTI_BERSAMA', name: 'Cuti bersama Nyepi' },
          { date: `${YEAR}-05-20`, kind: 'LIBUR_DAERAH', name: 'Hari jadi kabupaten' },
        ],
      };
      const audits = (await auditActions('holiday.')).length;
      const res = await f.req('PUT', `${holidays}/years/${YEAR}`, { token: admin, body });
      expect(res.status, await res.clone().text()).toBe(200);
      const list = await json<HolidayList>(res);
      expect(list.year).toBe(YEAR);
      expect(list.items.map((h) => [h.date, h.kind, h.name])).toEqual([
        [`${YEAR}-01-01`, 'LIBUR_NASIONAL', 'Tahun Baru Masehi'],
        [`${YEAR}-03-27`, 'CUTI_BERSAMA', 'Cuti bersama Nyepi'],
        [`${YEAR}-03-28`, 'LIBUR_NASIONAL', 'Hari Suci Nyepi'],
        [`${YEAR}-05-20`, 'LIBUR_DAERAH', 'Hari jadi kabupaten'],
      ]);
      expect(await listYear()).toEqual(list);
      expect((await f.db.prisma.holiday.findFirstOrThrow({ where: { regionId: f.seed.regionId, date: new Date(`${YEAR}-01-01T00:00:00Z`) } })).id).toBe(
        firstEntered,
      );
      expect((await listYear(YEAR + 1)).items.map((h) => h.date)).toEqual([`${YEAR + 1}-01-01`]);
      expect((await auditActions('holiday.')).slice(audits)).toEqual(['holiday.year.replace']);
      // the same table again changes nothing; an empty one clears the year
      expect(await json<HolidayList>(await f.req('PUT', `${holidays}/years/${YEAR}`, { token: admin, body }))).toEqual(list);
      const cleared = await json<HolidayList>(await f.req('PUT', `${holidays}/years/${YEAR + 1}`, { token: admin, body: { holidays: [] } }));
      expect(cleared.items).toEqual([]);
      expect((await listYear()).items.length).toBe(4);
    });

    it('bad input: 422 naming the field (a date outside the year, a date listed twice naming the first), nothing applied', async () => {
      const before = await f.db.prisma.holiday.findMany({ orderBy: { id: 'asc' } });
      const ok = { date: `${YEAR}-06-01`, kind: 'LIBUR_NASIONAL', name: 'Hari Lahir Pancasila' };
      const replace = (holidaysList: unknown[], lang = 'id') =>
        f.req('PUT', `${holidays}/years/${YEAR}`, { token: admin, body: { holidays: holidaysList }, headers: { 'accept-language': lang } });

      const wrongYear = await json<Problem>(await replace([ok, { ...ok, date: `${YEAR + 1}-01-01` }, { ...ok, date: `${YEAR}-12-25` }]));
      expect(wrongYear.errors).toEqual([
        expect.objectContaining({ pointer: '/holidays/1/date', code: 'wrong_year', message: `tanggal harus dalam tahun ${YEAR}` }),
      ]);
      const dup = await json<Problem>(await replace([ok, { ...ok, date: `${YEAR}-12-25` }, { ...ok, name: 'Lagi' }], 'en'));
      expect(dup.errors).toEqual([
        expect.objectContaining({ pointer: '/holidays/2/date', code: 'duplicate', message: `date ${YEAR}-06-01 is already listed at index 0` }),
      ]);
      for (const [entry, pointer] of [
        [{ ...ok, date: `${YEAR}-02-30` }, '/holidays/0/date'],
        [{ ...ok, date: '01-06-2031' }, '/holidays/0/date'],
        [{ ...ok, kind: 'LIBUR' }, '/holidays/0/kind'],
        [{ ...ok, name: 'AB' }, '/holidays/0/name'],
        [{ ...ok, name: 'Hari\nLahir' }, '/holidays/0/name'],
        [{ ...ok, note: 'x' }, '/holidays/0/note'],
      ] as const) {
        const res = await replace([entry]);
        expect(res.status, JSON.stringify(entry)).toBe(422);
        expect(
          (await json<Problem>(res)).errors!.map((e) => e.pointer),
          JSON.stringify(entry),
        ).toEqual([pointer]);
      }
      const tooMany = await json<Problem>(await replace(Array.from({ length: 367 }, () => ok)));
      expect(tooMany.errors!.map((e) => e.pointer)).toEqual(['/holidays']);
      for (const year of ['1999', '2101', '20x1']) {
        const res = await f.req('PUT', `${holidays}/years/${year}`, { token: admin, body: { holidays: [] } });
        expect(res.status, year).toBe(422);
        expect((await json<Problem>(res)).errors, year).toEqual([expect.objectContaining({ pointer: '/year', in: 'param' })]);
      }
      for (const date of [`${YEAR}-13-01`, `${YEAR}-02-29`, 'besok', '1999-12-31']) {
        const res = await f.req('PUT', `${holidays}/${date}`, { token: admin, body: { kind: 'LIBUR_NASIONAL', name: 'Tanggal salah' } });
        expect(res.status, date).toBe(422);
        expect((await json<Problem>(res)).errors, date).toEqual([expect.objectContaining({ pointer: '/date', in: 'param' })]);
        expect((await f.req('DELETE', `${holidays}/${date}`, { token: admin })).status, date).toBe(422);
      }
      const badOne = await json<Problem>(await f.req('PUT', `${holidays}/${YEAR}-06-01`, { token: admin, body: { kind: 'LIBUR_NASIONAL' } }));
      expect(badOne.errors!.map((e) => [e.pointer, e.code])).toEqual([['/name', 'required']]);
      expect((await f.req('GET', `${holidays}?year=abc`, { token: admin })).status).toBe(422);
      expect(await f.db.prisma.holiday.findMany({ orderBy: { id: 'asc' } })).toEqual(before);
    });

    it("another region's admin, an ASN and no token reach nothing", async () => {
      const before = await f.db.prisma.holiday.findMany({ orderBy: { id: 'asc' } });
      const entry = { kind: 'LIBUR_DAERAH', name: 'Bukan hari libur kami' };
      for (const token of [otherAdmin, asn]) {
        expect((await f.req('GET', `${holidays}?year=${YEAR}`, { token })).status).toBe(404);
        expect((await f.req('PUT', `${holidays}/${YEAR}-06-02`, { token, body: entry })).status).toBe(404);
        expect((await f.req('DELETE', `${holidays}/${YEAR}-01-01`, { token })).status).toBe(404);
        expect((await f.req('PUT', `${holidays}/years/${YEAR}`, { token, body: { holidays: [] } })).status).toBe(404);
      }
      expect((await f.req('GET', `${holidays}?year=${YEAR}`)).status).toBe(401);
      expect((await f.req('PUT', `${holidays}/years/${YEAR}`, { body: { holidays: [] } })).status).toBe(401);
      expect(await f.db.prisma.holiday.findMany({ orderBy: { id: 'asc' } })).toEqual(before);
      // each region has its own table
      expect((await f.req('PUT', `/admin/regions/lain/holidays/${YEAR}-06-02`, { token: otherAdmin, body: entry })).status).toBe(201);
      expect((await listYear()).items.map((h) => h.date)).not.toContain(`${YEAR}-06-02`);
    });
  });
});
