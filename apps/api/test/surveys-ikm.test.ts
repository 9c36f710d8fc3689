/**
 * The citizens' survey: the IKM of PermenPANRB 14/2017 on known answers (element means, × 25, mutu and kinerja at the
 * interval edges), the public form a web page is built from, a bad public submission naming its fields, and the
 * admin's counts and means per unit and per service for a period. Real database, app.request().
 */
import { dbKinds } from '@kinerja/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ikmOf, ikmOfScoreMean, SURVEY_ELEMENTS } from '../src/routes/public.js';
import { json, NIPS, setup, type Fixture } from './helpers.js';

const all = (v: number) => SURVEY_ELEMENTS.map(() => v);

describe('IKM (PermenPANRB 14/2017)', () => {
  it('is the mean of the element means × 25, with its mutu and kinerja', () => {
    expect(ikmOf([])).toBeNull();
    // element U1 answered 4 and 2 (mean 3), every other element 3 and 4 (mean 3.5)
    const a = [
      [4, 3, 3, 3, 3, 3, 3, 3, 3],
      [2, 4, 4, 4, 4, 4, 4, 4, 4],
    ];
    const r = ikmOf(a)!;
    expect(r.elements.map((e) => e.mean)).toEqual([3, 3.5, 3.5, 3.5, 3.5, 3.5, 3.5, 3.5, 3.5]);
    // (3 + 8 × 3.5) / 9 × 25 = 86.11
    expect(r).toMatchObject({ responses: 2, ikm: 86.11, mutu: 'B', kinerja: { id: 'Baik', en: 'Good' } });
    expect(ikmOf([all(4)])).toMatchObject({ ikm: 100, mutu: 'A', kinerja: { id: 'Sangat baik' } });
    expect(ikmOf([all(1)])).toMatchObject({ ikm: 25, mutu: 'D', kinerja: { id: 'Tidak baik' } });
    // the interval edges: 88.31 is A, 88.30 B; 76.61 B, 76.60 C; 65.00 C, 64.99 D
    const edge = (ikm: number) => {
      // nine elements whose mean gives the IKM: one element carries the difference from 3
      const mean = ikm / 25;
      return ikmOf([[3 + (mean - 3) * 9, 3, 3, 3, 3, 3, 3, 3, 3]])!;
    };
    expect(edge(88.31).mutu).toBe('A');
    expect(edge(88.3).mutu).toBe('B');
    expect(edge(76.61).mutu).toBe('B');
    expect(edge(76.6).mutu).toBe('C');
    expect(edge(65).mutu).toBe('C');
    expect(edge(64.99).mutu).toBe('D');
  });

  it('of 1..5 scores: the mean mapped linearly onto 1..4, as the rules read it', () => {
    expect(ikmOfScoreMean(null)).toBeNull();
    expect(ikmOfScoreMean(5)).toMatchObject({ ikm: 100, mutu: 'A' });
    expect(ikmOfScoreMean(1)).toMatchObject({ ikm: 25, mutu: 'D' });
    // 4 → 1 + 3 × 3/4 = 3.25 → 81.25 (B)
    expect(ikmOfScoreMean(4)).toEqual({ ikm: 81.25, mutu: 'B', kinerja: { id: 'Baik', en: 'Good' } });
  });
});

describe.each(dbKinds())('survey form and admin survey report (%s)', (kind) => {
  let f: Fixture;
  let admin: string;
  let n = 1;
  const post = (body: unknown) =>
    Promise.resolve(
      f.app.request(
        '/public/regions/demo/surveys',
        { method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': 'en' }, body: JSON.stringify(body) },
        { incoming: { socket: { remoteAddress: `203.0.113.${n++}` } } },
      ),
    );
  beforeAll(async () => {
    f = await setup(kind);
    admin = await f.login('admin');
  });
  afterAll(() => f?.close());

  it('the public form: region, units with their tree, known services, the questions in both languages; no sign-in', async () => {
    for (const score of [5, 3]) expect((await post({ score, unitCode: 'DISDUKCAPIL-PDP', service: 'KTP-el' })).status).toBe(201);
    expect((await post({ score: 4, unitCode: 'DISDUKCAPIL', service: 'Akta kelahiran' })).status).toBe(201);

    const res = await f.app.request('/public/regions/demo/survey-form');
    expect(res.status, await res.clone().text()).toBe(200);
    const form = await json<{
      region: { code: string; name: string };
      units: { code: string; parentCode: string | null }[];
      services: string[];
      score: { min: number; max: number; labels: unknown[] };
      elements: { id: string; question: { id: string; en: string } }[];
      scale: { value: number }[];
    }>(res);
    expect(form.region).toEqual({ code: 'demo', name: 'Kota Demo' });
    expect(form.units).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'DISDUKCAPIL', parentCode: null }),
        expect.objectContaining({ code: 'DISDUKCAPIL-PDP', parentCode: 'DISDUKCAPIL' }),
      ]),
    );
    expect(form.services).toEqual(['KTP-el', 'Akta kelahiran']);
    expect(form.score).toMatchObject({ min: 1, max: 5 });
    expect(form.score.labels).toHaveLength(5);
    expect(form.elements.map((e) => e.id)).toEqual(['U1', 'U2', 'U3', 'U4', 'U5', 'U6', 'U7', 'U8', 'U9']);
    expect(form.elements.every((e) => e.question.id.length > 10 && e.question.en.length > 10)).toBe(true);
    expect(form.scale.map((s) => s.value)).toEqual([1, 2, 3, 4]);
    expect((await f.app.request('/public/regions/nowhere/survey-form')).status).toBe(404);
  });

  it('a bad public submission names its fields, and nothing is stored', async () => {
    const before = await f.db.prisma.surveyResponse.count();
    const bad = await post({ score: 0, unitCode: 'DISDUKCAPIL', service: 'x', employeeNip: '12' });
    expect(bad.status).toBe(422);
    const p = await json<{ errors: { pointer: string; field: string }[] }>(bad);
    expect(p.errors.map((e) => e.pointer).sort()).toEqual(['/employeeNip', '/score', '/service']);
    expect(p.errors.every((e) => e.field !== '')).toBe(true);
    const none = await json<{ errors: { pointer: string; field: string; code: string }[] }>(await post({ score: 3 }));
    expect(none.errors).toEqual([expect.objectContaining({ pointer: '/unitCode', field: 'unitCode', code: 'target_required' })]);
    expect(await f.db.prisma.surveyResponse.count()).toBe(before);
  });

  it('admin: counts and means per unit and per service, for a period', async () => {
    const res = await f.req('GET', '/admin/regions/demo/surveys', { token: admin });
    expect(res.status, await res.clone().text()).toBe(200);
    const all = await json<{
      byUnit: { unit: { code: string }; count: number; mean: number }[];
      byService: { service: string; count: number; mean: number }[];
    }>(res);
    // mean 4 of 5 → 3.25 of 4 → IKM 81.25
    const b = { ikm: 81.25, mutu: 'B', kinerja: { id: 'Baik', en: 'Good' } };
    expect(all.byUnit).toEqual([
      { unit: { code: 'DISDUKCAPIL-PDP', name: 'Bidang Pelayanan Pendaftaran Penduduk' }, count: 2, mean: 4, ikm: b },
      { unit: { code: 'DISDUKCAPIL', name: 'Dinas Kependudukan dan Pencatatan Sipil' }, count: 1, mean: 4, ikm: b },
    ]);
    expect(all.byService).toEqual([
      { service: 'KTP-el', count: 2, mean: 4, ikm: b },
      { service: 'Akta kelahiran', count: 1, mean: 4, ikm: b },
    ]);
    // an older response falls outside a period of today
    const old = await f.db.prisma.surveyResponse.create({
      data: { regionId: f.seed.regionId, unitId: f.seed.units.dinas, service: 'KTP-el', score: 1, createdAt: new Date('2024-06-01T05:00:00Z') },
    });
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(new Date());
    const period = await json<{ from: string; total: number; byUnit: { count: number }[]; byService: { service: string; count: number }[] }>(
      await f.req('GET', `/admin/regions/demo/surveys?from=${today}&to=${today}`, { token: admin }),
    );
    expect(period).toMatchObject({ from: today, total: 3 });
    const june = await json<{ total: number; byService: { service: string; count: number; mean: number }[] }>(
      await f.req('GET', '/admin/regions/demo/surveys?from=2024-06-01&to=2024-06-01', { token: admin }),
    );
    expect(june).toMatchObject({ total: 1, byService: [{ service: 'KTP-el', count: 1, mean: 1, ikm: { ikm: 25, mutu: 'D' } }] });
    const backwards = await f.req('GET', '/admin/regions/demo/surveys?from=2024-06-02&to=2024-06-01', { token: admin });
    expect(backwards.status).toBe(422);
    expect((await json<{ errors: { field: string }[] }>(backwards)).errors[0]).toMatchObject({ field: 'to' });
    await f.db.prisma.surveyResponse.delete({ where: { id: old.id } });
    expect((await f.req('GET', `/admin/regions/demo/surveys?employeeNip=${NIPS.staff1}`, { token: admin })).status).toBe(200);
  });
});
