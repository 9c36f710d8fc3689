/**
 * End to end over HTTP on real services: the demo region (seedDemo with the national rule set on a fast calendar),
 * the admin opens a cycle, then the ASN (staff1), the supervisor (kepala bidang) and the appeal reviewer
 * (kepala dinas) each sign in and drive staff1's whole cycle to a FINAL predikat. PostgreSQL and PGlite.
 */
import { overallPerilaku, predikatFor, type BerakhlakAspect, type Rating } from '@kinerja/domain';
import { dbKinds } from '@kinerja/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allSesuai, json, NIPS, setup, validSkp, type Fixture, until } from './helpers.js';


interface EvalView {
  evaluation: { id: string; phase: string; scores: { kind: string; predikat: string }[]; skp: { rhk: { indicators: { id: string }[] }[] } | null };
  workflow: { phase: string; periods: { period: number; state: string; opensAt?: string }[]; result?: { predikat: string; final: boolean } } | null;
}

describe.each(dbKinds())('end to end over HTTP (%s)', (kind) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setup(kind, { withWorker: true });
  }, 180_000);
  afterAll(() => f?.close());

  it('drives one employee from targets to a FINAL predikat after an appeal', async () => {
    const admin = await f.login('admin');
    const asn = await f.login(NIPS.staff1);
    const sup = await f.login(NIPS.kepalaBidang);
    const rev = await f.login(NIPS.kepalaDinas);

    // admin opens the cycle; re-opening is idempotent
    const open = await f.req('POST', '/admin/regions/demo/cycles', { token: admin, body: { year: 2025, name: 'Penilaian Kinerja 2025', ruleSetVersionId: f.seed.ruleSetVersionId } });
    expect(open.status, await open.clone().text()).toBe(201);
    const cycleId = (await json<{ cycle: { id: string } }>(open)).cycle.id;
    const again = await f.req('POST', '/admin/regions/demo/cycles', { token: admin, body: { year: 2025, name: 'Penilaian Kinerja 2025', ruleSetVersionId: f.seed.ruleSetVersionId } });
    expect(again.status).toBe(200);

    // the ASN's evaluation appears (projection) and in their inbox
    const evaluationId = await until('evaluation of staff1', async () => {
      const res = await json<{ items: { id: string; cycleId: string }[] }>(await f.req('GET', '/me/evaluations', { token: asn }));
      return res.items.find((e) => e.cycleId === cycleId)?.id;
    });
    const progress = await json<{ progress: { started: number; total: number } }>(await f.req('GET', `/admin/regions/demo/cycles/${cycleId}`, { token: admin }));
    expect(progress.progress.started).toBeGreaterThan(0);

    const base = `/evaluations/${evaluationId}`;
    const post = async (method: string, path: string, token: string, body?: unknown) => {
      const res = await f.req(method, base + path, { token, ...(body !== undefined ? { body } : {}) });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    };

    // targets → supervisor approves (the ASN may not approve their own)
    expect((await post('PUT', '/targets', asn, validSkp)).status).toBe(200);
    const selfApprove = await post('POST', '/targets/decision', asn, { decision: 'APPROVE' });
    expect(selfApprove.status).toBe(403);
    await until('APPROVE_TARGETS task for the supervisor', async () => {
      const res = await json<{ items: { kind: string }[] }>(await f.req('GET', '/me/tasks?kind=APPROVE_TARGETS', { token: sup }));
      return res.items.length > 0;
    });
    const approved = await post('POST', '/targets/decision', sup, { decision: 'APPROVE', note: 'Sesuai rencana strategis' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);

    // periodic: report then review each quarter as it opens
    const view = async () => json<EvalView>(await f.req('GET', base, { token: asn }));
    const indicators = await until('approved SKP in the projection', async () => (await view()).evaluation.skp?.rhk.flatMap((r) => r.indicators));
    for (let period = 1; period <= 4; period++) {
      await until(`report ${period} accepted`, async () => {
        const r = await post('PUT', `/periods/${period}/report`, asn, {
          realisations: indicators.map((ind, i) => ({ indicatorId: ind.id, value: i === 0 ? 330 : 3 })),
          evidence: [{ kind: 'LINK', name: 'Rekap SIAK', url: 'https://example.go.id/rekap' }],
        });
        if (r.status === 200) return true;
        expect(r.status, JSON.stringify(r.body)).toBe(409); // not yet open
        return false;
      });
      const reviewed = await post('POST', `/periods/${period}/review`, sup, { decision: 'RATE', rating: 'SESUAI', feedback: 'Laporan lengkap dan tepat waktu' });
      expect(reviewed.status, JSON.stringify(reviewed.body)).toBe(200);
    }

    // annual rating by the supervisor
    await until('ANNUAL_RATING phase', async () => (await view()).workflow?.phase === 'ANNUAL_RATING');
    const rated = await post('POST', '/annual-rating', sup, { hasilKerja: 'SESUAI', perilaku: allSesuai, notes: 'Kinerja baik' });
    expect(rated.status, JSON.stringify(rated.body)).toBe(200);
    await until('APPEAL_WINDOW phase', async () => (await view()).workflow?.phase === 'APPEAL_WINDOW');

    // appeal: the ASN files, the reviewer asks the supervisor, the supervisor answers, the reviewer decides
    expect((await post('POST', '/appeal', asn, { reasons: 'Capaian saya melampaui target pada tiga triwulan.' })).status).toBe(200);
    expect((await post('POST', '/appeal/decision', sup, { decision: 'UPHOLD', reasons: 'Tetap' })).status).toBe(403); // the rater never decides
    expect((await post('POST', '/appeal/request-response', rev)).status).toBe(200);
    expect((await post('POST', '/appeal/response', sup, { response: 'Penilaian sudah sesuai bukti.' })).status).toBe(200);
    const revised = { BERORIENTASI_PELAYANAN: 'DI_ATAS', AKUNTABEL: 'DI_ATAS', KOMPETEN: 'DI_ATAS', HARMONIS: 'DI_ATAS', LOYAL: 'SESUAI', ADAPTIF: 'SESUAI', KOLABORATIF: 'SESUAI' } as const;
    const decided = await post('POST', '/appeal/decision', rev, { decision: 'REVISE', reasons: 'Bukti capaian mendukung keberatan.', hasilKerja: 'DI_ATAS', perilaku: revised });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);

    const final = await until('FINAL score', async () => {
      const v = await view();
      return v.evaluation.phase === 'FINAL' && v.evaluation.scores.find((s) => s.kind === 'FINAL') ? v : undefined;
    });
    const expected = predikatFor('DI_ATAS', overallPerilaku(revised as Record<BerakhlakAspect, Rating>));
    expect(final.evaluation.scores.find((s) => s.kind === 'FINAL')!.predikat).toBe(expected);
    expect(final.workflow?.result?.final).toBe(true);
    expect(final.workflow?.result?.predikat).toBe(expected);

    // after FINAL, further actions are refused as a state problem, not a server error
    expect((await post('POST', '/appeal', asn, { reasons: 'Sekali lagi saya keberatan atas hasilnya.' })).status).toBe(409);

    // reports and audit
    const report = await json<{ total: number; distribution: Record<string, number> }>(await f.req('GET', `/admin/regions/demo/cycles/${cycleId}/report`, { token: admin }));
    expect(report.total).toBeGreaterThan(0);
    expect(report.distribution[expected]).toBeGreaterThanOrEqual(1);
    const csv = await f.req('GET', `/admin/regions/demo/cycles/${cycleId}/report.csv`, { token: admin });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(await csv.text()).toContain(NIPS.staff1);
    const auditRes = await json<{ ok: boolean }>(await f.req('GET', '/admin/regions/demo/audit/verify', { token: admin }));
    expect(auditRes.ok).toBe(true);
  }, 240_000);
});
