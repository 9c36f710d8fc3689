/**
 * A cycle opened for 2027 in a WITA region, over HTTP on real services: the cycle answers with its fixed calendar
 * (Januari 2027 … Desember 2027 from local midnight, the region's holidays of 2027–2028), and the employee's
 * evaluation shows those periods by name once the SKP is approved.
 */
import { NATIONAL_CALENDAR } from '@kinerja/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { json, NIPS, setup, until, validSkp, type Fixture } from './helpers.js';

const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];

interface CycleAnswer {
  cycle: {
    id: string;
    calendar: { timeZone: string; compressed: boolean; periods: { period: number; label: string; startsAt: string; endsAt: string }[]; holidays: string[] };
  };
}

let f: Fixture;
beforeAll(async () => {
  f = await setup('postgres', { withWorker: true, calendar: NATIONAL_CALENDAR });
}, 180_000);
afterAll(() => f?.close());

it('opens 2027 in Asia/Makassar with calendar months at local midnight and the holidays of the year', async () => {
  await f.db.prisma.region.update({ where: { id: f.seed.regionId }, data: { timezone: 'Asia/Makassar' } });
  const date = (d: string) => new Date(`${d}T00:00:00Z`);
  await f.db.prisma.holiday.createMany({
    data: [
      { regionId: f.seed.regionId, date: date('2027-08-17'), kind: 'LIBUR_NASIONAL', name: 'Hari Kemerdekaan' },
      { regionId: f.seed.regionId, date: date('2028-01-01'), kind: 'LIBUR_NASIONAL', name: 'Tahun Baru' },
      { regionId: f.seed.regionId, date: date('2026-12-25'), kind: 'LIBUR_NASIONAL', name: 'Natal (tahun lain)' },
    ],
  });
  const admin = await f.login('admin');
  const open = await f.req('POST', '/admin/regions/demo/cycles', {
    token: admin,
    body: { year: 2027, name: 'Penilaian Kinerja 2027', ruleSetVersionId: f.seed.ruleSetVersionId },
  });
  expect(open.status, await open.clone().text()).toBe(201);
  const { cycle } = await json<CycleAnswer>(open);
  expect(cycle.calendar.timeZone).toBe('Asia/Makassar');
  expect(cycle.calendar.compressed).toBe(false);
  expect(cycle.calendar.holidays).toEqual(['2027-08-17', '2028-01-01']);
  expect(cycle.calendar.periods.map((p) => p.label)).toEqual(MONTHS.map((m) => `${m} 2027`));
  expect(cycle.calendar.periods[0]).toMatchObject({ startsAt: '2026-12-31T16:00:00.000Z', endsAt: '2027-01-31T16:00:00.000Z' });
  expect(cycle.calendar.periods[11]).toMatchObject({ startsAt: '2027-11-30T16:00:00.000Z', endsAt: '2027-12-31T16:00:00.000Z' });
  // the holiday table edited after the opening does not reach the cycle
  await f.db.prisma.holiday.create({ data: { regionId: f.seed.regionId, date: date('2027-03-11'), kind: 'CUTI_BERSAMA', name: 'Cuti bersama' } });
  const again = await json<CycleAnswer>(await f.req('GET', `/admin/regions/demo/cycles/${cycle.id}`, { token: admin }));
  expect(again.cycle.calendar.holidays).toEqual(['2027-08-17', '2028-01-01']);

  const asn = await f.login(NIPS.staff1);
  const sup = await f.login(NIPS.kepalaBidang);
  const evaluationId = await until('evaluation of staff1', async () => {
    const res = await json<{ items: { id: string; cycleId: string }[] }>(await f.req('GET', '/me/evaluations', { token: asn }));
    return res.items.find((e) => e.cycleId === cycle.id)?.id;
  });
  const base = `/evaluations/${evaluationId}`;
  expect((await f.req('PUT', `${base}/targets`, { token: asn, body: validSkp })).status).toBe(200);
  await until(
    'APPROVE_TARGETS task',
    async () => (await json<{ items: unknown[] }>(await f.req('GET', '/me/tasks?kind=APPROVE_TARGETS', { token: sup }))).items.length > 0,
  );
  expect((await f.req('POST', `${base}/targets/decision`, { token: sup, body: { decision: 'APPROVE' } })).status).toBe(200);
  const view = await json<{ workflow: { phase: string; periods: { label: string; opensAt: string; endsAt: string; state: string }[] } }>(
    await f.req('GET', base, { token: asn }),
  );
  expect(view.workflow.phase).toBe('PERIODIC');
  expect(view.workflow.periods.map((p) => [p.label, p.opensAt, p.endsAt])).toEqual(cycle.calendar.periods.map((p) => [p.label, p.startsAt, p.endsAt]));
  // approved in December 2026: no period of 2027 has ended, none is open yet
  expect(view.workflow.periods.every((p) => p.state === 'OPEN')).toBe(true);
}, 240_000);

it('refuses to open a cycle for a region whose zone is not one of WIB, WITA, WIT', async () => {
  await f.db.prisma.region.update({ where: { id: f.seed.regionId }, data: { timezone: 'Europe/Amsterdam' } });
  const admin = await f.login('admin');
  const res = await f.req('POST', '/admin/regions/demo/cycles', {
    token: admin,
    body: { year: 2028, name: 'Penilaian Kinerja 2028', ruleSetVersionId: f.seed.ruleSetVersionId },
  });
  expect(res.status).toBe(409);
  expect((await json<{ detail: string }>(res)).detail).toContain('Europe/Amsterdam');
  expect(await f.db.prisma.cycle.count({ where: { regionId: f.seed.regionId, year: 2028 } })).toBe(0);
  await f.db.prisma.region.update({ where: { id: f.seed.regionId }, data: { timezone: 'Asia/Jakarta' } });
});
