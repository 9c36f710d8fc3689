/**
 * The annual rating's preview over HTTP on real services: the rule set's answer for a proposed rating equals the Score
 * the recorded rating then produces, it writes nothing, and it is authorised like the rating itself.
 */
import { dbKinds } from '@kinerja/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allSesuai, evaluationIn, FAST_CALENDAR, json, NIPS, openCycle, setup, validSkp, type Fixture, until } from './helpers.js';

interface Preview {
  ruleSet: { versionId: string; key: string; hash: string };
  hasilKerja: string;
  perilaku: string;
  predikat: string;
  numericScore: number;
  flags: string[];
  reasons: { id: string; en?: string }[];
  suggestedHasilKerja: string | null;
}
interface Score {
  kind: string;
  hasilKerja: string;
  perilaku: string;
  predikat: string;
  numericScore: number;
  flags: string[];
  ruleSetVersionId: string;
}
interface Problem {
  code: string;
  errors?: { pointer: string; field: string }[];
}

describe.each(dbKinds())('annual rating preview (%s)', (kind) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setup(kind, { withWorker: true, calendar: FAST_CALENDAR });
  }, 180_000);
  afterAll(() => f?.close());

  it('answers what the recorded rating then produces, only to those who may rate, only in the annual rating', async () => {
    const admin = await f.login('admin');
    const asn = await f.login(NIPS.staff1);
    const sup = await f.login(NIPS.kepalaBidang);
    const stranger = await f.login(NIPS.lainStaff);
    const cycleId = await openCycle(f, admin);
    const evaluationId = await evaluationIn(f, asn, cycleId, 'staff1');
    const base = `/evaluations/${evaluationId}`;
    const post = (path: string, token: string, body?: unknown) => f.req('POST', base + path, { token, ...(body !== undefined ? { body } : {}) });
    const view = async () =>
      json<{ evaluation: { phase: string; skp: { rhk: { indicators: { id: string }[] }[] } | null; scores: Score[] }; workflow: { phase: string } | null }>(
        await f.req('GET', base, { token: sup }),
      );
    const proposal = { hasilKerja: 'SESUAI', perilaku: allSesuai, notes: 'Kinerja baik', aspectNotes: { KOMPETEN: 'Menguasai aturan kependudukan' } };

    // before the annual rating there is nothing to preview
    const early = await post('/annual-rating/preview', sup, proposal);
    expect(early.status).toBe(409);
    expect((await json<Problem>(early)).code).toBe('WRONG_PHASE');

    expect((await f.req('PUT', `${base}/targets`, { token: asn, body: validSkp })).status).toBe(200);
    await until(
      'APPROVE_TARGETS task',
      async () => (await json<{ items: unknown[] }>(await f.req('GET', '/me/tasks?kind=APPROVE_TARGETS', { token: sup }))).items.length > 0,
    );
    expect((await post('/targets/decision', sup, { decision: 'APPROVE' })).status).toBe(200);
    const indicators = await until('approved SKP', async () => (await view()).evaluation.skp?.rhk.flatMap((r) => r.indicators));
    for (let period = 1; period <= 4; period++) {
      await until(`report ${period}`, async () => {
        const r = await f.req('PUT', `${base}/periods/${period}/report`, {
          token: asn,
          body: {
            realisations: indicators.map((ind, i) => ({ indicatorId: ind.id, value: i === 0 ? 300 : 3 })),
            evidence: [{ kind: 'LINK', name: 'Rekap', url: 'https://example.go.id/rekap' }],
          },
        });
        if (r.status === 200) return true;
        expect(r.status, await r.text()).toBe(409); // not yet open
        return false;
      });
      expect((await post(`/periods/${period}/review`, sup, { decision: 'RATE', rating: 'SESUAI', feedback: 'Lengkap' })).status).toBe(200);
    }
    // the workflow's phase is the one the preview meets, even before the projection shows it
    await until('ANNUAL_RATING phase', async () => (await view()).workflow?.phase === 'ANNUAL_RATING');

    // authorised like the rating: a stranger does not learn the evaluation exists, the ASN may not rate themself
    expect((await post('/annual-rating/preview', stranger, proposal)).status).toBe(404);
    expect((await post('/annual-rating/preview', asn, proposal)).status).toBe(403);

    // a proposal missing an aspect is refused naming it
    const { KOMPETEN: _kompeten, ...sixAspects } = allSesuai;
    const bad = await post('/annual-rating/preview', sup, { hasilKerja: 'SESUAI', perilaku: sixAspects });
    expect(bad.status).toBe(422);
    expect((await json<Problem>(bad)).errors?.map((e) => e.pointer)).toContain('/perilaku/KOMPETEN');

    // the workflow is in the annual rating but the projection (the preview's facts) not yet: refused, never a stale answer
    await f.db.prisma.evaluation.update({ where: { id: evaluationId }, data: { phase: 'PERIODIC' } });
    const lagging = await post('/annual-rating/preview', sup, proposal);
    expect(lagging.status).toBe(409);
    expect((await json<Problem>(lagging)).code).toBe('WRONG_PHASE');
    await f.db.prisma.evaluation.update({ where: { id: evaluationId }, data: { phase: 'ANNUAL_RATING' } });

    const res = await post('/annual-rating/preview', sup, proposal);
    expect(res.status, await res.clone().text()).toBe(200);
    const preview = await json<Preview>(res);
    expect(preview.ruleSet.versionId).toBe(f.seed.ruleSetVersionId);
    expect(preview.reasons.length).toBeGreaterThan(0);
    // a different proposal gets a different answer: the preview reads the proposal, not only the year
    const lower = await json<Preview>(await post('/annual-rating/preview', sup, { hasilKerja: 'DI_BAWAH', perilaku: allSesuai }));
    expect(lower.hasilKerja).toBe('DI_BAWAH');
    expect(lower.predikat).not.toBe(preview.predikat);
    // read-only: no score yet, still in the annual rating
    expect((await view()).evaluation.scores).toEqual([]);

    expect((await post('/annual-rating', sup, proposal)).status).toBe(200);
    const score = await until('INITIAL score', async () => (await view()).evaluation.scores.find((s) => s.kind === 'INITIAL'));
    expect({
      hasilKerja: score.hasilKerja,
      perilaku: score.perilaku,
      predikat: score.predikat,
      numericScore: score.numericScore,
      flags: score.flags,
      versionId: score.ruleSetVersionId,
    }).toEqual({
      hasilKerja: preview.hasilKerja,
      perilaku: preview.perilaku,
      predikat: preview.predikat,
      numericScore: preview.numericScore,
      flags: preview.flags,
      versionId: preview.ruleSet.versionId,
    });
    // once rated, the preview answers as the rating would: not in this phase
    await until('past ANNUAL_RATING', async () => (await view()).evaluation.phase !== 'ANNUAL_RATING');
    expect((await post('/annual-rating/preview', sup, proposal)).status).toBe(409);
  }, 240_000);
});
