/**
 * Plt/Plh and supervisor changes over HTTP on real services (real worker, Temporal dev server): the admin names an
 * acting official for the kepala bidang, who sees and decides the staff's SKP in the kepala bidang's place (the
 * record says for whom), loses that power when the delegation is revoked, and a supervisor change mid-cycle moves
 * the open task to the new supervisor. PostgreSQL (PGlite only where no PostgreSQL is available, see dbKinds()).
 */
import { dbKinds } from '@kinerja/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, NIPS, PASSWORD, setup, validSkp, type Fixture, until } from './helpers.js';

interface TaskItem {
  kind: string;
  assigneeId: string;
  actingForId: string | null;
  evaluation: { id: string; employee: { nip: string } };
}

const PLT_NIP = '198507102010011005';
const kinds = dbKinds().includes('postgres') ? (['postgres'] as const) : dbKinds();

describe.each(kinds)('Plt/Plh delegation and supervisor change over HTTP (%s)', (kind) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setup(kind, { withWorker: true });
  }, 180_000);
  afterAll(() => f?.close());

  it('lets the acting official act for the kepala bidang until revoked; a supervisor change moves the open task', async () => {
    const admin = await f.login('admin');
    const staff1 = await f.login(NIPS.staff1);
    const staff2 = await f.login(NIPS.staff2);
    const kabid = await f.login(NIPS.kepalaBidang);
    const kabidId = f.seed.employees.kepalaBidang;

    // the acting official: a new employee of the dinas with a login, no relation to the staff
    const created = await f.req('POST', '/admin/regions/demo/employees', {
      token: admin,
      body: {
        nip: PLT_NIP,
        name: 'Hendra Wijaya, S.Sos.',
        position: 'Sekretaris Dinas',
        positionKind: 'STRUKTURAL',
        unitCode: 'DISDUKCAPIL',
        superiorNip: NIPS.kepalaDinas,
        password: PASSWORD,
      },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const pltId = (await json<{ id: string }>(created)).id;
    const plt = await f.login(PLT_NIP);

    const open = await f.req('POST', '/admin/regions/demo/cycles', {
      token: admin,
      body: { year: 2025, name: 'Penilaian Kinerja 2025', ruleSetVersionId: f.seed.ruleSetVersionId },
    });
    expect(open.status, await open.clone().text()).toBe(201);
    const cycleId = (await json<{ cycle: { id: string } }>(open)).cycle.id;
    const myEvaluation = (token: string, who: string) =>
      until(`evaluation of ${who}`, async () => {
        const res = await json<{ items: { id: string; cycleId: string }[] }>(await f.req('GET', '/me/evaluations', { token }));
        return res.items.find((e) => e.cycleId === cycleId)?.id;
      });
    const ev1 = await myEvaluation(staff1, 'staff1');
    const ev2 = await myEvaluation(staff2, 'staff2');

    const call = async (method: string, path: string, token: string, body?: unknown) => {
      const res = await f.req(method, path, { token, ...(body !== undefined ? { body } : {}) });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    };
    const tasks = async (token: string) => (await json<{ items: TaskItem[] }>(await f.req('GET', '/me/tasks?kind=APPROVE_TARGETS', { token }))).items;

    // before any delegation the acting official sees nothing and may not act
    expect((await f.req('GET', `/evaluations/${ev1}`, { token: plt })).status).toBe(404);

    // the admin names the Plt for an hour (started a minute ago); a delegation in the future grants nothing yet
    const now = Date.now();
    const future = await call('POST', '/admin/regions/demo/delegations', admin, {
      fromEmployeeId: f.seed.employees.kepalaDinas,
      toEmployeeId: pltId,
      kind: 'PLH',
      startsAt: new Date(now + 3_600_000).toISOString(),
      endsAt: new Date(now + 7_200_000).toISOString(),
      reason: 'Cuti tahunan kepala dinas',
    });
    expect(future.status, JSON.stringify(future.body)).toBe(201);
    const del = await call('POST', '/admin/regions/demo/delegations', admin, {
      fromEmployeeId: kabidId,
      toEmployeeId: pltId,
      kind: 'PLT',
      startsAt: new Date(now - 60_000).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
      reason: 'Kepala bidang tugas belajar',
    });
    expect(del.status, JSON.stringify(del.body)).toBe(201);
    const delegationId = del.body.id as string;
    const active = await json<{ items: { id: string }[] }>(await f.req('GET', '/admin/regions/demo/delegations?active=true', { token: admin }));
    expect(active.items.map((d) => d.id)).toEqual([delegationId]);
    const me = await json<{ actingFor: string[]; roles: string[] }>(await f.req('GET', '/me', { token: plt }));
    expect(me.actingFor).toEqual([kabidId]);
    expect(me.roles).toContain('SUPERVISOR');

    // staff1 submits targets: the task is the kepala bidang's, and shows in the Plt's inbox as acting-for
    expect((await call('PUT', `/evaluations/${ev1}/targets`, staff1, validSkp)).status).toBe(200);
    const item = await until('APPROVE_TARGETS in the Plt inbox', async () => (await tasks(plt)).find((t) => t.evaluation.id === ev1));
    expect(item).toMatchObject({ kind: 'APPROVE_TARGETS', assigneeId: kabidId, actingForId: kabidId, evaluation: { employee: { nip: NIPS.staff1 } } });
    expect((await tasks(kabid)).some((t) => t.evaluation.id === ev1)).toBe(true);
    expect((await f.req('GET', `/evaluations/${ev1}`, { token: plt })).status).toBe(200);
    const rating = await json<{ items: { id: string }[] }>(await f.req('GET', `/me/evaluations?as=supervisor&cycleId=${cycleId}`, { token: plt }));
    expect(rating.items.map((e) => e.id).sort()).toEqual([ev1, ev2].sort());

    // the Plt approves in the kepala bidang's place; the record says for whom
    const approved = await call('POST', `/evaluations/${ev1}/targets/decision`, plt, { decision: 'APPROVE', note: 'Disetujui oleh Plt Kepala Bidang' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const skp = await until('approved SKP projected', async () => {
      const s = await f.db.prisma.skp.findUnique({ where: { evaluationId: ev1 } });
      return s?.status === 'APPROVED' ? s : undefined;
    });
    expect(skp).toMatchObject({ decidedById: pltId, actingForId: kabidId });
    const event = await f.db.prisma.auditEvent.findFirstOrThrow({ where: { regionId: f.seed.regionId, action: 'skp.approved', entityId: ev1 } });
    expect(event).toMatchObject({ actorEmployeeId: pltId, actingForId: kabidId });
    await until('task done', async () => !(await tasks(plt)).some((t) => t.evaluation.id === ev1));

    // revoked: the next action of the same person is refused (the evaluation is no longer theirs to see)
    const revoked = await call('DELETE', `/admin/regions/demo/delegations/${delegationId}`, admin);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toBeTruthy();
    expect((await call('DELETE', `/admin/regions/demo/delegations/${delegationId}`, admin)).status).toBe(200); // idempotent
    expect((await json<{ actingFor: string[] }>(await f.req('GET', '/me', { token: plt }))).actingFor).toEqual([]);
    expect((await call('PUT', `/evaluations/${ev2}/targets`, staff2, validSkp)).status).toBe(200);
    await until('APPROVE_TARGETS of staff2 for the kepala bidang', async () => (await tasks(kabid)).some((t) => t.evaluation.id === ev2));
    expect((await tasks(plt)).some((t) => t.evaluation.id === ev2)).toBe(false);
    const refused = await call('POST', `/evaluations/${ev2}/targets/decision`, plt, { decision: 'APPROVE' });
    expect([403, 404]).toContain(refused.status);
    expect(refused.status).toBe(404);
    expect((await f.req('GET', `/evaluations/${ev1}`, { token: plt })).status).toBe(404);

    // a supervisor change mid-cycle: staff2 now reports to the (former) Plt; the open task follows
    const changed = await call('PUT', `/admin/regions/demo/employees/${f.seed.employees.staff2}/supervisor`, admin, {
      superiorId: pltId,
      reason: 'Mutasi jabatan',
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.signalled).toBe(1);
    const moved = await until('APPROVE_TARGETS moved to the new supervisor', async () => (await tasks(plt)).find((t) => t.evaluation.id === ev2));
    expect(moved).toMatchObject({ assigneeId: pltId, actingForId: null });
    expect((await tasks(kabid)).some((t) => t.evaluation.id === ev2)).toBe(false);
    const row = await f.db.prisma.evaluation.findUniqueOrThrow({ where: { id: ev2 } });
    expect(row).toMatchObject({ supervisorId: pltId, reviewerId: f.seed.employees.kepalaDinas });
    // the old supervisor may no longer act; the new one may
    expect((await call('POST', `/evaluations/${ev2}/targets/decision`, kabid, { decision: 'APPROVE' })).status).toBe(404);
    const approved2 = await call('POST', `/evaluations/${ev2}/targets/decision`, plt, { decision: 'APPROVE', note: 'Disetujui atasan baru' });
    expect(approved2.status, JSON.stringify(approved2.body)).toBe(200);
    const skp2 = await until('staff2 SKP approved', async () => {
      const s = await f.db.prisma.skp.findUnique({ where: { evaluationId: ev2 } });
      return s?.status === 'APPROVED' ? s : undefined;
    });
    expect(skp2).toMatchObject({ decidedById: pltId, actingForId: null });

    const verify = await json<{ ok: boolean }>(await f.req('GET', '/admin/regions/demo/audit/verify', { token: admin }));
    expect(verify.ok).toBe(true);
  }, 240_000);
});
