/**
 * A keberatan after its window, over HTTP on real services: the window's end finalises the result and the workflow
 * finishes, so the API reads the workflow's final state and answers 409 DEADLINE_PASSED saying when the window
 * closed (Indonesian by default, English on request), not WRONG_PHASE.
 */
import { dbKinds } from '@kinerja/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allSesuai, evaluationIn, FAST_CALENDAR, json, NIPS, openCycle, setup, validSkp, type Fixture, until } from './helpers.js';

interface Problem {
  code: string;
  status: number;
  detail: string;
  reason?: string;
}

describe.each(dbKinds())('keberatan after the window (%s)', (kind) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setup(kind, { withWorker: true, calendar: { ...FAST_CALENDAR, appealWindow: '3s' } });
  }, 180_000);
  afterAll(() => f?.close());

  it('answers DEADLINE_PASSED naming when the window closed', async () => {
    const admin = await f.login('admin');
    const asn = await f.login(NIPS.staff1);
    const sup = await f.login(NIPS.kepalaBidang);
    const cycleId = await openCycle(f, admin);
    const evaluationId = await evaluationIn(f, asn, cycleId, 'staff1');
    const base = `/evaluations/${evaluationId}`;
    const post = (path: string, token: string, body?: unknown, headers?: Record<string, string>) =>
      f.req('POST', base + path, { token, ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) });
    const view = async () =>
      json<{
        evaluation: { phase: string; skp: { rhk: { indicators: { id: string }[] }[] } | null };
        workflow: { phase: string; appealDeadline?: string } | null;
      }>(await f.req('GET', base, { token: asn }));

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
            realisations: indicators.map((ind) => ({ indicatorId: ind.id, value: 3 })),
            evidence: [{ kind: 'LINK', name: 'Rekap', url: 'https://example.go.id/rekap' }],
          },
        });
        if (r.status === 200) return true;
        expect(r.status, await r.text()).toBe(409); // not yet open
        return false;
      });
      expect((await post(`/periods/${period}/review`, sup, { decision: 'RATE', rating: 'SESUAI', feedback: 'Lengkap' })).status).toBe(200);
    }
    await until('ANNUAL_RATING phase', async () => (await view()).workflow?.phase === 'ANNUAL_RATING');
    expect((await post('/annual-rating', sup, { hasilKerja: 'SESUAI', perilaku: allSesuai, notes: 'Baik' })).status).toBe(200);
    const deadline = await until('APPEAL_WINDOW phase', async () => {
      const w = (await view()).workflow;
      return w?.phase === 'APPEAL_WINDOW' ? w.appealDeadline : undefined;
    });
    await until('FINAL after the window', async () => (await view()).evaluation.phase === 'FINAL');

    const late = await post('/appeal', asn, { reasons: 'Saya keberatan atas hasil penilaian ini.' });
    expect(late.status).toBe(409);
    const problem = await json<Problem>(late);
    const d = new Date(deadline);
    expect(problem.code).toBe('DEADLINE_PASSED');
    expect(problem.detail).toMatch(/^Masa keberatan telah berakhir pada \d{1,2} \S+ \d{4} pukul \d\d\.\d\d\.\d\d UTC\.$/);
    expect(problem.detail).toContain(`${d.getUTCDate()} `);
    expect(problem.detail).toContain(
      `${String(d.getUTCHours()).padStart(2, '0')}.${String(d.getUTCMinutes()).padStart(2, '0')}.${String(d.getUTCSeconds()).padStart(2, '0')} UTC`,
    );
    const en = await json<Problem>(await post('/appeal', asn, { reasons: 'Saya keberatan atas hasil penilaian ini.' }, { 'accept-language': 'en' }));
    expect(en).toMatchObject({ code: 'DEADLINE_PASSED', detail: `The keberatan window closed at ${deadline}.` });
  }, 240_000);
});
