/**
 * Concurrent conflicting actions on a real workflow resolve to one: two approvals, or an approval racing a return,
 * give exactly one 200 and one 409, and the state reflects the winner only. Real worker on the dev server.
 */
import { dbKinds } from '@kinerja/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, NIPS, setup, sleep, validSkp, type Fixture } from './helpers.js';

describe.each(dbKinds())('concurrent conflicting actions (%s)', (kind) => {
  let f: Fixture;
  let asn: string;
  let sup: string;
  const evaluations: Record<string, string> = {};

  beforeAll(async () => {
    f = await setup(kind, { withWorker: true });
    const admin = await f.login('admin');
    asn = await f.login(NIPS.staff1);
    sup = await f.login(NIPS.kepalaBidang);
    const open = await f.req('POST', '/admin/regions/demo/cycles', {
      token: admin,
      body: { year: 2025, name: 'Penilaian Kinerja 2025', ruleSetVersionId: f.seed.ruleSetVersionId },
    });
    expect(open.status).toBe(201);
    const cycleId = (await json<{ cycle: { id: string } }>(open)).cycle.id;
    for (const [key, nip] of [
      ['staff1', NIPS.staff1],
      ['staff2', NIPS.staff2],
    ] as const) {
      const token = key === 'staff1' ? asn : await f.login(nip);
      for (let i = 0; i < 240 && !evaluations[key]; i++) {
        const res = await json<{ items: { id: string; cycleId: string }[] }>(await f.req('GET', '/me/evaluations', { token }));
        const found = res.items.find((e) => e.cycleId === cycleId)?.id;
        if (found) evaluations[key] = found;
        else await sleep(250);
      }
      expect(evaluations[key]).toBeDefined();
      const submitted = await f.req('PUT', `/evaluations/${evaluations[key]}/targets`, { token, body: validSkp });
      expect(submitted.status).toBe(200);
    }
  }, 180_000);
  afterAll(() => f?.close());

  it('two approvals at once: one 200, one 409; one decision recorded', async () => {
    const path = `/evaluations/${evaluations.staff1}/targets/decision`;
    const [a, b] = await Promise.all([
      f.req('POST', path, { token: sup, body: { decision: 'APPROVE' } }),
      f.req('POST', path, { token: sup, body: { decision: 'APPROVE' } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    // the winner already moved the evaluation on (approval opens the periodic phase): a state problem, never a 5xx
    expect(['CONFLICT', 'WRONG_PHASE']).toContain((await json<{ code: string }>(loser)).code);
    const skp = await f.db.prisma.skp.findUniqueOrThrow({ where: { evaluationId: evaluations.staff1! } });
    expect(skp.status).toBe('APPROVED');
    // exactly one decision reached the audit trail
    const decisions = await f.db.prisma.auditEvent.count({ where: { entityId: evaluations.staff1!, action: { in: ['skp.approved', 'skp.returned'] } } });
    expect(decisions).toBe(1);
  });

  it('approve racing return: exactly one wins and the state matches the winner', async () => {
    const path = `/evaluations/${evaluations.staff2}/targets/decision`;
    const [approve, ret] = await Promise.all([
      f.req('POST', path, { token: sup, body: { decision: 'APPROVE' } }),
      f.req('POST', path, { token: sup, body: { decision: 'RETURN', note: 'Lengkapi indikator mutu' } }),
    ]);
    expect([approve.status, ret.status].sort()).toEqual([200, 409]);
    const skp = await f.db.prisma.skp.findUniqueOrThrow({ where: { evaluationId: evaluations.staff2! } });
    expect(skp.status).toBe(approve.status === 200 ? 'APPROVED' : 'RETURNED');
  });
});
