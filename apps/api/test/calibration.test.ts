/**
 * Unit calibration (SE MenPANRB 03/2023) over HTTP on real services: the admin opens a cycle with
 * `unitCalibration: true`, the three evaluations of the bidang (kepala bidang rated by the kepala dinas, two staff
 * rated by the kepala bidang) are driven to CALIBRATION, then the admin previews the distribution, is refused a
 * finalisation without a reason, sends one result back for re-rating and finalises; the keberatan window opens only
 * then. PostgreSQL and PGlite, real worker on the Temporal dev server, fast calendar (1-second quarters).
 */
import type { BehaviourRatings, Rating } from '@kinerja/domain';
import { dbKinds } from '@kinerja/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, NIPS, setup, validSkp, type Fixture, until } from './helpers.js';

interface EvalView {
  evaluation: { id: string; phase: string; scores: { kind: string; predikat: string }[]; skp: { rhk: { indicators: { id: string }[] }[] } | null };
  workflow: { phase: string } | null;
}
interface Preview {
  cycle: { id: string; unitCalibration: boolean };
  unit: { id: string; code: string };
  unitPredikat: string | null;
  unitResult: { status: string; reason: string | null; unitPredikat: string } | null;
  staff: number;
  scored: number;
  waiting: number;
  pending: number;
  distribution: Record<string, number>;
  violations: { code: string; actual: number; bound: number }[];
  evaluations: { id: string; phase: string; predikat: string | null; employee: { nip: string } }[];
}
interface Problem {
  status: number;
  errors?: { pointer: string; code: string }[];
}

const allDiAtas: BehaviourRatings = {
  BERORIENTASI_PELAYANAN: 'DI_ATAS',
  AKUNTABEL: 'DI_ATAS',
  KOMPETEN: 'DI_ATAS',
  HARMONIS: 'DI_ATAS',
  LOYAL: 'DI_ATAS',
  ADAPTIF: 'DI_ATAS',
  KOLABORATIF: 'DI_ATAS',
};
const allMeets: BehaviourRatings = {
  BERORIENTASI_PELAYANAN: 'SESUAI',
  AKUNTABEL: 'SESUAI',
  KOMPETEN: 'SESUAI',
  HARMONIS: 'SESUAI',
  LOYAL: 'SESUAI',
  ADAPTIF: 'SESUAI',
  KOLABORATIF: 'SESUAI',
};

describe.each(dbKinds())('unit calibration over HTTP (%s)', (kind) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setup(kind, { withWorker: true });
  }, 180_000);
  afterAll(() => f?.close());

  it('holds a unit in CALIBRATION until the admin finalises it (reason for violations, send back → re-rating)', async () => {
    const admin = await f.login('admin');
    const otherAdmin = await f.login('admin-lain');
    const staff1 = await f.login(NIPS.staff1);
    const staff2 = await f.login(NIPS.staff2);
    const kabid = await f.login(NIPS.kepalaBidang);
    const kadis = await f.login(NIPS.kepalaDinas);

    const open = await f.req('POST', '/admin/regions/demo/cycles', {
      token: admin,
      body: { year: 2025, name: 'Penilaian Kinerja 2025', ruleSetVersionId: f.seed.ruleSetVersionId, unitCalibration: true },
    });
    expect(open.status, await open.clone().text()).toBe(201);
    const cycle = (await json<{ cycle: { id: string; unitCalibration: boolean } }>(open)).cycle;
    expect(cycle.unitCalibration).toBe(true);
    const cycleId = cycle.id;
    const unitId = f.seed.units.bidang;
    const calibration = `/admin/regions/demo/cycles/${cycleId}/units/${unitId}/calibration`;

    const myEvaluation = (token: string, who: string) =>
      until(`evaluation of ${who}`, async () => {
        const res = await json<{ items: { id: string; cycleId: string }[] }>(await f.req('GET', '/me/evaluations', { token }));
        return res.items.find((e) => e.cycleId === cycleId)?.id;
      });
    // the bidang: kepala bidang (rated by the kepala dinas) and two staff (rated by the kepala bidang)
    const people = [
      { who: 'staff1', asn: staff1, sup: kabid, hasilKerja: 'DI_ATAS' as Rating, perilaku: allDiAtas },
      { who: 'staff2', asn: staff2, sup: kabid, hasilKerja: 'DI_ATAS' as Rating, perilaku: allDiAtas },
      { who: 'kepalaBidang', asn: kabid, sup: kadis, hasilKerja: 'DI_ATAS' as Rating, perilaku: allDiAtas },
    ];
    const ids = await Promise.all(people.map((p) => myEvaluation(p.asn, p.who)));
    const [ev1, ev2, evKabid] = ids as [string, string, string];

    const call = async (method: string, path: string, token: string, body?: unknown) => {
      const res = await f.req(method, path, { token, ...(body !== undefined ? { body } : {}) });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    };
    const view = async (id: string, token: string) => json<EvalView>(await f.req('GET', `/evaluations/${id}`, { token }));

    /** targets, four quarterly reports and reviews, the annual rating: up to CALIBRATION */
    const drive = async (id: string, p: (typeof people)[number]) => {
      const base = `/evaluations/${id}`;
      expect((await call('PUT', `${base}/targets`, p.asn, validSkp)).status).toBe(200);
      const approved = await until(`targets of ${p.who} approvable`, async () => {
        const r = await call('POST', `${base}/targets/decision`, p.sup, { decision: 'APPROVE', note: 'Sesuai rencana strategis' });
        if (r.status === 200) return r;
        expect(r.status, JSON.stringify(r.body)).toBe(409); // the submitted SKP not yet seen by the workflow
        return false;
      });
      expect(approved.status).toBe(200);
      const indicators = await until(`approved SKP of ${p.who}`, async () => (await view(id, p.asn)).evaluation.skp?.rhk.flatMap((r) => r.indicators));
      for (let period = 1; period <= 4; period++) {
        await until(`${p.who} report ${period}`, async () => {
          const r = await call('PUT', `${base}/periods/${period}/report`, p.asn, {
            realisations: indicators.map((ind, i) => ({ indicatorId: ind.id, value: i === 0 ? 330 : 3 })),
            evidence: [{ kind: 'LINK', name: 'Rekap SIAK', url: 'https://example.go.id/rekap' }],
          });
          if (r.status === 200) return true;
          expect(r.status, JSON.stringify(r.body)).toBe(409); // not yet open
          return false;
        });
        const reviewed = await call('POST', `${base}/periods/${period}/review`, p.sup, {
          decision: 'RATE',
          rating: 'DI_ATAS',
          feedback: 'Laporan lengkap dan tepat waktu',
        });
        expect(reviewed.status, JSON.stringify(reviewed.body)).toBe(200);
      }
      await until(`${p.who} in ANNUAL_RATING`, async () => (await view(id, p.asn)).workflow?.phase === 'ANNUAL_RATING');
      const rated = await call('POST', `${base}/annual-rating`, p.sup, { hasilKerja: p.hasilKerja, perilaku: p.perilaku, notes: 'Kinerja sangat baik' });
      expect(rated.status, JSON.stringify(rated.body)).toBe(200);
      await until(`${p.who} in CALIBRATION`, async () => (await view(id, p.asn)).evaluation.phase === 'CALIBRATION');
    };

    // finalising before every annual rating has arrived is refused
    const early = await call('POST', calibration, admin, { unitPredikat: 'ISTIMEWA', decision: 'FINALISE', reason: 'Terlalu dini untuk finalisasi' });
    expect(early.status, JSON.stringify(early.body)).toBe(409);

    await Promise.all(people.map((p, i) => drive(ids[i]!, p)));

    // the keberatan window is not open while the unit is being calibrated
    const w = await view(ev1, staff1);
    expect(w.workflow?.phase).toBe('CALIBRATION');
    const appealEarly = await call('POST', `/evaluations/${ev1}/appeal`, staff1, { reasons: 'Saya keberatan atas hasil penilaian ini.' });
    expect(appealEarly.status, JSON.stringify(appealEarly.body)).toBe(409);

    // preview: three SANGAT_BAIK out of three breaks the ISTIMEWA bound (at most 70%)
    const preview = async (q = '?unitPredikat=ISTIMEWA') => {
      const res = await f.req('GET', `${calibration}${q}`, { token: admin });
      expect(res.status).toBe(200);
      return json<Preview>(res);
    };
    const p1 = await preview();
    expect(p1.cycle.unitCalibration).toBe(true);
    expect(p1.unit.id).toBe(unitId);
    expect(p1.unitPredikat).toBe('ISTIMEWA');
    expect(p1.unitResult).toBeNull();
    expect(p1).toMatchObject({ staff: 3, scored: 3, waiting: 3, pending: 0 });
    expect(p1.distribution).toMatchObject({ SANGAT_BAIK: 3, BAIK: 0, BUTUH_PERBAIKAN: 0, KURANG: 0, SANGAT_KURANG: 0 });
    expect(p1.violations).toHaveLength(1);
    expect(p1.violations[0]).toMatchObject({ code: 'SANGAT_BAIK_MAX', actual: 1, bound: 0.7 });
    expect(p1.evaluations.map((e) => e.id).sort()).toEqual([...ids].sort());
    expect(p1.evaluations.every((e) => e.phase === 'CALIBRATION' && e.predikat === 'SANGAT_BAIK')).toBe(true);
    // without a unit predikat there is nothing to check against
    expect((await preview('')).violations).toEqual([]);

    // only the region's admin sees or decides: the ASN, the supervisor and another region's admin get 404
    for (const token of [staff1, kabid, otherAdmin]) {
      expect((await f.req('GET', `${calibration}?unitPredikat=ISTIMEWA`, { token })).status).toBe(404);
      expect(
        (await call('POST', calibration, token, { unitPredikat: 'ISTIMEWA', decision: 'FINALISE', reason: 'Bukan wewenang saya sama sekali' })).status,
      ).toBe(404);
    }
    expect((await f.req('GET', `${calibration}?unitPredikat=ISTIMEWA`)).status).toBe(401);
    // a unit of another region is not found
    expect((await f.req('GET', `/admin/regions/demo/cycles/${cycleId}/units/${f.other.unitId}/calibration`, { token: admin })).status).toBe(404);

    // violations and no reason: 422 pointing at /reason
    const noReason = await f.req('POST', calibration, { token: admin, body: { unitPredikat: 'ISTIMEWA', decision: 'FINALISE' } });
    expect(noReason.status).toBe(422);
    const problem = await json<Problem>(noReason);
    expect(problem.errors?.map((e) => e.pointer)).toContain('/reason');
    // sending back needs a reason too, and only evaluations waiting in this unit
    expect((await call('POST', calibration, admin, { unitPredikat: 'ISTIMEWA', decision: 'SEND_BACK', evaluationIds: [ev2] })).status).toBe(422);
    const stranger = await call('POST', calibration, admin, {
      unitPredikat: 'ISTIMEWA',
      decision: 'SEND_BACK',
      evaluationIds: ['tidak-ada'],
      reason: 'Mohon dinilai ulang secara objektif',
    });
    expect(stranger.status).toBe(422);
    expect(JSON.stringify(stranger.body)).toContain('/evaluationIds/0');

    // SEND_BACK staff2: the kepala bidang gets the ANNUAL_RATING task again
    const tasksOf = async (token: string, kindQ: string) =>
      (await json<{ items: { kind: string; evaluation: { id: string } }[] }>(await f.req('GET', `/me/tasks?kind=${kindQ}`, { token }))).items;
    expect((await tasksOf(kabid, 'ANNUAL_RATING')).some((t) => t.evaluation.id === ev2)).toBe(false);
    const sentBack = await call('POST', calibration, admin, {
      unitPredikat: 'ISTIMEWA',
      decision: 'SEND_BACK',
      evaluationIds: [ev2],
      reason: 'Mohon dinilai ulang sesuai bukti kinerja',
    });
    expect(sentBack.status, JSON.stringify(sentBack.body)).toBe(200);
    expect(sentBack.body).toMatchObject({ signalled: 1, failed: [], unitResult: { status: 'SENT_BACK' } });
    await until('ANNUAL_RATING task for the kepala bidang again', async () => (await tasksOf(kabid, 'ANNUAL_RATING')).some((t) => t.evaluation.id === ev2));
    await until('staff2 back in ANNUAL_RATING', async () => (await view(ev2, staff2)).workflow?.phase === 'ANNUAL_RATING');
    // the others stay in CALIBRATION
    expect((await view(ev1, staff1)).workflow?.phase).toBe('CALIBRATION');
    expect((await view(evKabid, kabid)).workflow?.phase).toBe('CALIBRATION');
    const mid = await preview();
    expect(mid).toMatchObject({ waiting: 2, scored: 2, pending: 1, unitResult: { status: 'SENT_BACK' } });
    // the sent-back result's old score no longer counts: it is pending until re-rated
    expect(mid.distribution.SANGAT_BAIK).toBe(2);
    expect(mid.evaluations.find((e) => e.id === ev2)).toMatchObject({ phase: 'ANNUAL_RATING', predikat: null });
    // finalising while one is being re-rated is refused
    expect(
      (await call('POST', calibration, admin, { unitPredikat: 'ISTIMEWA', decision: 'FINALISE', reason: 'Finalisasi sebelum penilaian ulang' })).status,
    ).toBe(409);

    // the re-rating: DI_ATAS hasil kerja, SESUAI perilaku → BAIK; the new score replaces the INITIAL one
    const rerated = await call('POST', `/evaluations/${ev2}/annual-rating`, kabid, {
      hasilKerja: 'DI_ATAS',
      perilaku: allMeets,
      notes: 'Dinilai ulang setelah kalibrasi',
    });
    expect(rerated.status, JSON.stringify(rerated.body)).toBe(200);
    await until('staff2 back in CALIBRATION', async () => (await view(ev2, staff2)).evaluation.phase === 'CALIBRATION');
    expect((await tasksOf(kabid, 'ANNUAL_RATING')).some((t) => t.evaluation.id === ev2)).toBe(false);
    const p2 = await until('re-rated score in the preview', async () => {
      const p = await preview();
      return p.waiting === 3 && p.distribution.BAIK === 1 ? p : undefined;
    });
    expect(p2.distribution).toMatchObject({ SANGAT_BAIK: 2, BAIK: 1 });
    expect(p2.violations).toEqual([]); // 2/3 Sangat Baik is within the ISTIMEWA bound
    expect(p2.evaluations.find((e) => e.id === ev2)?.predikat).toBe('BAIK');
    const rescored = await f.db.prisma.score.findUniqueOrThrow({ where: { evaluationId_kind: { evaluationId: ev2, kind: 'INITIAL' } } });
    expect(rescored).toMatchObject({ predikat: 'BAIK', round: 1 });

    // as a BAIK unit it violates (nobody Butuh Perbaikan/Kurang): a reason is required, then it is finalised
    const p3 = await preview('?unitPredikat=BAIK');
    expect(p3.violations.map((v) => v.code)).toEqual(['BUTUH_PERBAIKAN_OR_KURANG_EXISTS']);
    const noReason2 = await call('POST', calibration, admin, { unitPredikat: 'BAIK', decision: 'FINALISE' });
    expect(noReason2.status).toBe(422);
    const reason = 'Seluruh pegawai bidang mencapai target; pimpinan menetapkan hasil apa adanya.';
    const finalised = await call('POST', calibration, admin, { unitPredikat: 'BAIK', decision: 'FINALISE', reason });
    expect(finalised.status, JSON.stringify(finalised.body)).toBe(200);
    expect(finalised.body).toMatchObject({ signalled: 3, failed: [], unitResult: { status: 'FINALISED', unitPredikat: 'BAIK', reason } });
    const row = await f.db.prisma.unitResult.findUniqueOrThrow({ where: { cycleId_unitId: { cycleId, unitId } } });
    expect(row.status).toBe('FINALISED');
    expect(row.reason).toBe(reason);
    expect(JSON.stringify(row.violations)).toContain('BUTUH_PERBAIKAN_OR_KURANG_EXISTS');

    // every evaluation of the unit opens its keberatan window; the ASN may now appeal
    for (const [id, token] of [
      [ev1, staff1],
      [ev2, staff2],
      [evKabid, kabid],
    ] as const) {
      await until(`${id} in APPEAL_WINDOW`, async () => (await view(id, token)).evaluation.phase === 'APPEAL_WINDOW');
    }
    const appeal = await call('POST', `/evaluations/${ev2}/appeal`, staff2, { reasons: 'Penilaian ulang tidak mempertimbangkan bukti capaian saya.' });
    expect(appeal.status, JSON.stringify(appeal.body)).toBe(200);
    // the stored preview now shows the stored unit predikat and the result
    const after = await preview('');
    expect(after).toMatchObject({ unitPredikat: 'BAIK', unitResult: { status: 'FINALISED' }, waiting: 0 });

    // a second finalisation is a conflict
    const twice = await call('POST', calibration, admin, { unitPredikat: 'BAIK', decision: 'FINALISE', reason });
    expect(twice.status).toBe(409);
    expect((await call('POST', calibration, admin, { unitPredikat: 'BAIK', decision: 'SEND_BACK', reason: 'Dikembalikan setelah finalisasi' })).status).toBe(
      409,
    );

    // a cycle opened without unit calibration cannot be calibrated
    const plain = await f.req('POST', '/admin/regions/demo/cycles', {
      token: admin,
      body: { year: 2026, name: 'Penilaian Kinerja 2026', ruleSetVersionId: f.seed.ruleSetVersionId },
    });
    expect(plain.status, await plain.clone().text()).toBe(201);
    const plainCycle = (await json<{ cycle: { id: string; unitCalibration: boolean } }>(plain)).cycle;
    expect(plainCycle.unitCalibration).toBe(false);
    const plainPath = `/admin/regions/demo/cycles/${plainCycle.id}/units/${unitId}/calibration`;
    expect((await call('POST', plainPath, admin, { unitPredikat: 'ISTIMEWA', decision: 'FINALISE', reason: 'Tidak ada kalibrasi di siklus ini' })).status).toBe(
      409,
    );
    expect((await preview()).cycle.unitCalibration).toBe(true);
    const plainPreview = await f.req('GET', `${plainPath}?unitPredikat=ISTIMEWA`, { token: admin });
    expect(plainPreview.status).toBe(200);
    expect((await json<Preview>(plainPreview)).cycle.unitCalibration).toBe(false);
    // let the plain cycle's fan-out finish before the worker shuts down
    await until(
      'plain cycle opened',
      async () =>
        (await json<{ progress: { done: boolean } }>(await f.req('GET', `/admin/regions/demo/cycles/${plainCycle.id}`, { token: admin }))).progress.done,
    );

    // the decisions are audited and the region's chain verifies
    const events = await f.db.prisma.auditEvent.findMany({
      where: { regionId: f.seed.regionId, action: { startsWith: 'calibration.' } },
      orderBy: { seq: 'asc' },
    });
    expect(events.map((e) => e.action)).toEqual(['calibration.sent_back', 'calibration.finalised']);
    const perEvaluation = await f.db.prisma.auditEvent.count({ where: { regionId: f.seed.regionId, action: { startsWith: 'evaluation.calibration_' } } });
    expect(perEvaluation).toBe(4); // one send back, three finalisations
    const verify = await json<{ ok: boolean }>(await f.req('GET', '/admin/regions/demo/audit/verify', { token: admin }));
    expect(verify.ok).toBe(true);
  }, 300_000);
});
