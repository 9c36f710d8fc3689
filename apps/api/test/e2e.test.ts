/**
 * End to end over HTTP on real services: the demo region (seedDemo with the national rule set on a fast calendar),
 * the admin opens a cycle, then the ASN (staff1), the supervisor (kepala bidang) and the appeal reviewer
 * (kepala dinas) each sign in and drive staff1's whole cycle to a FINAL predikat, the first report with an uploaded
 * evidence file (in a real local directory). PostgreSQL and PGlite.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { overallPerilaku, predikatFor, type BerakhlakAspect, type Rating } from '@kinerja/domain';
import { dbKinds } from '@kinerja/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allSesuai, json, NIPS, setup, validSkp, type Fixture, until } from './helpers.js';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4]);

interface EvalView {
  evaluation: { id: string; phase: string; scores: { kind: string; predikat: string }[]; skp: { rhk: { indicators: { id: string }[] }[] } | null };
  workflow: { phase: string; periods: { period: number; state: string; opensAt?: string }[]; result?: { predikat: string; final: boolean } } | null;
}

describe.each(dbKinds())('end to end over HTTP (%s)', (kind) => {
  let f: Fixture;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kinerja-e2e-files-'));
    f = await setup(kind, { withWorker: true, config: { fileStore: { kind: 'local', dir } } });
  }, 180_000);
  afterAll(async () => {
    await f?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('drives one employee from targets to a FINAL predikat after an appeal', async () => {
    const admin = await f.login('admin');
    const asn = await f.login(NIPS.staff1);
    const sup = await f.login(NIPS.kepalaBidang);
    const rev = await f.login(NIPS.kepalaDinas);

    // admin opens the cycle; re-opening is idempotent
    const open = await f.req('POST', '/admin/regions/demo/cycles', {
      token: admin,
      body: { year: 2025, name: 'Penilaian Kinerja 2025', ruleSetVersionId: f.seed.ruleSetVersionId },
    });
    expect(open.status, await open.clone().text()).toBe(201);
    const cycleId = (await json<{ cycle: { id: string } }>(open)).cycle.id;
    const again = await f.req('POST', '/admin/regions/demo/cycles', {
      token: admin,
      body: { year: 2025, name: 'Penilaian Kinerja 2025', ruleSetVersionId: f.seed.ruleSetVersionId },
    });
    expect(again.status).toBe(200);

    // the ASN's evaluation appears (projection) and in their inbox
    const evaluationId = await until('evaluation of staff1', async () => {
      const res = await json<{ items: { id: string; cycleId: string }[] }>(await f.req('GET', '/me/evaluations', { token: asn }));
      return res.items.find((e) => e.cycleId === cycleId)?.id;
    });
    const progress = await json<{ progress: { started: number; total: number } }>(
      await f.req('GET', `/admin/regions/demo/cycles/${cycleId}`, { token: admin }),
    );
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
    // the first report's evidence is an uploaded file: the report names it by id, the projection holds what the
    // upload stored (type, size, SHA-256); a file id from nowhere is refused naming the field
    const form = new FormData();
    form.append('file', new File([PNG], 'foto kegiatan.png', { type: 'image/png' }));
    const uploaded = await f.app.request(`${base}/periods/1/evidence`, { method: 'POST', headers: { authorization: `Bearer ${asn}` }, body: form });
    expect(uploaded.status, await uploaded.clone().text()).toBe(201);
    const { fileId } = await json<{ fileId: string }>(uploaded);
    const realisations = indicators.map((ind, i) => ({ indicatorId: ind.id, value: i === 0 ? 330 : 3 }));
    const stranger = await post('PUT', '/periods/1/report', asn, { realisations, evidence: [{ kind: 'FILE', name: 'Bukan milik saya', fileId: 'tidak-ada' }] });
    expect(stranger.status, JSON.stringify(stranger.body)).toBe(422);
    expect((stranger.body.errors as { pointer: string }[]).map((e) => e.pointer)).toContain('/evidence/0/fileId');
    for (let period = 1; period <= 4; period++) {
      await until(`report ${period} accepted`, async () => {
        const r = await post('PUT', `/periods/${period}/report`, asn, {
          realisations,
          evidence:
            period === 1 ? [{ kind: 'FILE', name: 'Foto kegiatan', fileId }] : [{ kind: 'LINK', name: 'Rekap SIAK', url: 'https://example.go.id/rekap' }],
        });
        if (r.status === 200) return true;
        expect(r.status, JSON.stringify(r.body)).toBe(409); // not yet open
        return false;
      });
      const reviewed = await post('POST', `/periods/${period}/review`, sup, {
        decision: 'RATE',
        rating: 'SESUAI',
        feedback: 'Laporan lengkap dan tepat waktu',
      });
      expect(reviewed.status, JSON.stringify(reviewed.body)).toBe(200);
    }

    const first = await f.db.prisma.periodReport.findUniqueOrThrow({ where: { evaluationId_period: { evaluationId, period: 1 } } });
    expect(first.evidence).toEqual([
      expect.objectContaining({
        kind: 'FILE',
        fileId,
        name: 'Foto kegiatan',
        mimeType: 'image/png',
        sizeBytes: PNG.length,
        sha256: createHash('sha256').update(PNG).digest('hex'),
      }),
    ]);

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
    const revised = {
      BERORIENTASI_PELAYANAN: 'DI_ATAS',
      AKUNTABEL: 'DI_ATAS',
      KOMPETEN: 'DI_ATAS',
      HARMONIS: 'DI_ATAS',
      LOYAL: 'SESUAI',
      ADAPTIF: 'SESUAI',
      KOLABORATIF: 'SESUAI',
    } as const;
    const decided = await post('POST', '/appeal/decision', rev, {
      decision: 'REVISE',
      reasons: 'Bukti capaian mendukung keberatan.',
      hasilKerja: 'DI_ATAS',
      perilaku: revised,
    });
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
    const report = await json<{ total: number; distribution: Record<string, number> }>(
      await f.req('GET', `/admin/regions/demo/cycles/${cycleId}/report`, { token: admin }),
    );
    expect(report.total).toBeGreaterThan(0);
    expect(report.distribution[expected]).toBeGreaterThanOrEqual(1);
    const csv = await f.req('GET', `/admin/regions/demo/cycles/${cycleId}/report.csv`, { token: admin });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(await csv.text()).toContain(NIPS.staff1);
    const auditRes = await json<{ ok: boolean }>(await f.req('GET', '/admin/regions/demo/audit/verify', { token: admin }));
    expect(auditRes.ok).toBe(true);
  }, 240_000);
});
