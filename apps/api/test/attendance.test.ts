import { dbKinds } from '@kinerja/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regionToday } from '../src/routes/admin/facts.js';
import { json, NIPS, setup, type Fixture } from './helpers.js';

interface Report {
  code?: string;
  total: number;
  valid: number;
  created?: number;
  updated?: number;
  dryRun?: boolean;
  errors?: { row: number; field: string; code: string; message: string; pointer: string }[];
}

const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe('regionToday', () => {
  it('is the date in the region time zone', () => {
    const t = new Date('2025-03-31T18:30:00Z'); // 01:30 on 1 April in Jakarta (UTC+7)
    expect(regionToday(t, 'Asia/Jakarta')).toBe('2025-04-01');
    expect(regionToday(t, 'UTC')).toBe('2025-03-31');
    expect(regionToday(t, 'Not/AZone')).toBe('2025-04-01');
  });
});

describe.each(dbKinds())('attendance import and facts (%s)', (kind) => {
  let f: Fixture;
  let admin: string;
  const base = '/admin/regions/demo/attendance';
  const today = regionToday(new Date(), 'Asia/Jakarta');
  const d1 = addDays(today, -10);
  const d2 = addDays(today, -9);
  const d3 = addDays(today, -8);

  beforeAll(async () => {
    f = await setup(kind);
    admin = await f.login('admin');
  });
  afterAll(() => f?.close());

  const records = () => f.db.prisma.attendanceRecord.count();
  const audits = () => f.db.prisma.auditEvent.count({ where: { regionId: f.seed.regionId, action: 'attendance.import' } });
  const csv = (text: string, query = '', token = admin) =>
    f.req('POST', `${base}/import${query}`, { token, raw: text, headers: { 'content-type': 'text/csv' } });

  it('JSON: valid rows are upserted in one go with one audit event; re-import updates', async () => {
    const rows = [
      { nip: NIPS.staff1, date: d1, present: true, lateMinutes: 5, source: 'e-presensi' },
      { nip: NIPS.staff1, date: d2, present: false },
      { nip: NIPS.staff2, date: d1, present: true },
    ];
    const res = await f.req('POST', `${base}/import`, { token: admin, body: rows });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await json<Report>(res)).toEqual({ total: 3, valid: 3, errors: [], dryRun: false, created: 3, updated: 0 });
    expect(await records()).toBe(3);
    expect(await audits()).toBe(1);
    const r = await f.db.prisma.attendanceRecord.findFirstOrThrow({ where: { employeeId: f.seed.employees.staff1, date: new Date(`${d1}T00:00:00Z`) } });
    expect(r).toMatchObject({ regionId: f.seed.regionId, present: true, lateMinutes: 5, source: 'e-presensi' });

    const again = await json<Report>(await f.req('POST', `${base}/import`, { token: admin, body: [{ nip: NIPS.staff1, date: d2, present: true }] }));
    expect(again).toMatchObject({ total: 1, created: 0, updated: 1 });
    expect(await records()).toBe(3);
    expect(await audits()).toBe(2);
  });

  it('JSON: bad rows → 422 report (row, field, code, pointer), nothing applied', async () => {
    const before = await records();
    const auditsBefore = await audits();
    const rows = [
      { nip: NIPS.staff2, date: d3, present: true }, // fine on its own
      { nip: '123', date: d3, present: true },
      { nip: NIPS.lainStaff, date: d3, present: true }, // employee of another region
      { nip: NIPS.staff1, date: addDays(today, 2), present: true },
      { nip: NIPS.staff1, date: '2025-02-30', present: 'yes' },
      { nip: NIPS.staff2, date: d3, present: false }, // duplicate of row 1
      { nip: NIPS.staff1, date: d3, present: false, lateMinutes: -1, extra: 1 },
      'not a row',
    ];
    const res = await f.req('POST', `${base}/import`, { token: admin, body: rows });
    expect(res.status).toBe(422);
    const rep = await json<Report>(res);
    expect(rep).toMatchObject({ code: 'VALIDATION_FAILED', total: 8, valid: 1 });
    const got = rep.errors!.map((e) => `${e.row}:${e.field}:${e.code}:${e.pointer}`);
    expect(got).toEqual(
      expect.arrayContaining([
        '2:nip:invalid_nip:/1/nip',
        '3:nip:unknown_employee:/2/nip',
        '4:date:future_date:/3/date',
        '5:date:invalid_date:/4/date',
        '5:present:invalid_type:/4/present',
        '6:date:duplicate:/5/date',
        '7:lateMinutes:too_small:/6/lateMinutes',
        '7:extra:unrecognized_key:/6/extra',
        '8::invalid_type:/7',
      ]),
    );
    expect(rep.errors!.some((e) => e.row === 1)).toBe(false);
    expect(rep.errors!.every((e) => e.message.length > 0)).toBe(true);
    expect(await records()).toBe(before);
    expect(await audits()).toBe(auditsBefore);
    const empty = await f.req('POST', `${base}/import`, { token: admin, body: [] });
    expect(empty.status).toBe(422);
    expect((await f.req('POST', `${base}/import`, { token: admin, body: { rows: [] } })).status).toBe(422);
  });

  it('CSV: dry run validates only; bad rows → 422 and nothing written; then applied', async () => {
    const good = `nip,date,present,lateMinutes,source\r\n${NIPS.kepalaBidang},${d1},true,0,mesin-absen\r\n${NIPS.kepalaBidang},${d2},ya,12,\r\n${NIPS.kepalaDinas},${d1},false,,"Rekap, manual"\r\n`;
    const before = await records();
    const auditsBefore = await audits();
    const dry = await csv(good, '?dryRun=true');
    expect(dry.status, await dry.clone().text()).toBe(200);
    expect(await json<Report>(dry)).toMatchObject({ total: 3, valid: 3, created: 3, dryRun: true, errors: [] });
    expect(await records()).toBe(before);
    expect(await audits()).toBe(auditsBefore);

    const bad = `${good}${NIPS.kepalaDinas},${d1},true,,\r\n199909092020121009,${d2},true,,\r\n${NIPS.kepalaDinas},${d3},true,abc,\r\n${NIPS.kepalaDinas},${d2},false,15,\r\n`;
    const res = await csv(bad);
    expect(res.status).toBe(422);
    const rep = await json<Report>(res);
    expect(rep).toMatchObject({ total: 7, valid: 3 });
    expect(rep.errors!.map((e) => `${e.row}:${e.field}:${e.code}:${e.pointer}`)).toEqual([
      // the spreadsheet's row numbers: the header is row 1
      '5:date:duplicate:/5/date',
      '6:nip:unknown_employee:/6/nip',
      '7:lateMinutes:invalid_type:/7/lateMinutes',
      '8:lateMinutes:inconsistent:/8/lateMinutes',
    ]);
    expect(await records()).toBe(before);

    const header = await csv(`nip,tanggal,present\r\n${NIPS.kepalaDinas},${d1},true\r\n`);
    expect(header.status).toBe(422);
    expect((await json<Report>(header)).errors!.map((e) => `${e.field}:${e.code}`)).toEqual(['tanggal:unrecognized_key', 'date:required']);

    const ok = await csv(good);
    expect(ok.status, await ok.clone().text()).toBe(200);
    expect(await json<Report>(ok)).toMatchObject({ total: 3, created: 3, dryRun: false });
    expect(await records()).toBe(before + 3);
    expect(await audits()).toBe(auditsBefore + 1);
    const r = await f.db.prisma.attendanceRecord.findFirstOrThrow({ where: { employeeId: f.seed.employees.kepalaDinas } });
    expect(r).toMatchObject({ present: false, source: 'Rekap, manual' });
  });

  it('summary: attendance rate per employee in a date range and unit', async () => {
    const res = await f.req('GET', `${base}/summary?from=${d1}&to=${d2}`, { token: admin });
    expect(res.status, await res.clone().text()).toBe(200);
    const s = await json<{ items: { nip: string; days: number; present: number; lateMinutes: number; attendanceRate: number | null }[]; total: number }>(res);
    const by = new Map(s.items.map((i) => [i.nip, i]));
    expect(by.get(NIPS.staff1)).toMatchObject({ days: 2, present: 2, lateMinutes: 5, attendanceRate: 100 });
    expect(by.get(NIPS.kepalaBidang)).toMatchObject({ days: 2, present: 2, lateMinutes: 12, attendanceRate: 100 });
    expect(by.get(NIPS.kepalaDinas)).toMatchObject({ days: 1, present: 0, attendanceRate: 0 });
    const oneDay = await json<typeof s>(await f.req('GET', `${base}/summary?from=${d2}&to=${d2}&unitCode=DISDUKCAPIL-PDP`, { token: admin }));
    expect(oneDay.items.every((i) => i.nip !== NIPS.kepalaDinas)).toBe(true);
    expect(new Map(oneDay.items.map((i) => [i.nip, i])).get(NIPS.staff2)).toMatchObject({ days: 0, attendanceRate: null });
    const backwards = await f.req('GET', `${base}/summary?from=${d2}&to=${d1}`, { token: admin });
    expect(backwards.status).toBe(422);
    expect((await json<Report>(backwards)).errors![0]).toMatchObject({ pointer: '/to', in: 'query' });
    expect((await f.req('GET', `${base}/summary?from=2025-13-01`, { token: admin })).status).toBe(422);
  });

  it('access: other region 404, its own admin cannot use demo NIPs, ASN 404, no token 401, wrong media type 415', async () => {
    const row = [{ nip: NIPS.staff1, date: d1, present: true }];
    expect((await f.req('POST', '/admin/regions/lain/attendance/import', { token: admin, body: row })).status).toBe(404);
    expect((await f.req('GET', '/admin/regions/lain/attendance/summary', { token: admin })).status).toBe(404);
    const otherAdmin = await f.login('admin-lain');
    expect((await f.req('POST', `${base}/import`, { token: otherAdmin, body: row })).status).toBe(404);
    const cross = await f.req('POST', '/admin/regions/lain/attendance/import', { token: otherAdmin, body: row });
    expect(cross.status).toBe(422);
    expect((await json<Report>(cross)).errors![0]).toMatchObject({ row: 1, field: 'nip', code: 'unknown_employee' });
    const asn = await f.login(NIPS.staff1);
    expect((await f.req('POST', `${base}/import`, { token: asn, body: row })).status).toBe(404);
    expect((await f.req('GET', `${base}/summary`, { token: asn })).status).toBe(404);
    expect((await f.req('POST', `${base}/import`, { body: row })).status).toBe(401);
    expect((await f.req('POST', `${base}/import`, { token: admin, raw: 'nip,date,present', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
  });
});
