import { appendAudit } from '@kinerja/db';
import { dbKinds } from '@kinerja/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeEvaluation, json, NIPS, setup, type Fixture } from './helpers.js';

interface Person {
  id: string;
  nip: string;
  name: string;
}
interface Item {
  seq: number;
  at: string;
  action: string;
  entity: { type: string; id: string };
  actor: { userId: string | null; username: string | null; displayName: string | null; employee: Person | null } | null;
  actingFor: Person | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
}
interface Page {
  items: Item[];
  nextBefore: number | null;
}

/** Audit events written as the API and the worker write them, then searched through the route. */
describe.each(dbKinds())('GET /admin/regions/{regionCode}/audit (%s)', (kind) => {
  let f: Fixture;
  let admin: string;
  let e1: string;
  let e2: string;
  const at = (iso: string) => new Date(iso);
  beforeAll(async () => {
    f = await setup(kind);
    admin = await f.login('admin');
    const p = f.db.prisma;
    const { staff1, kepalaBidang, kepalaDinas } = f.seed.employees;
    e1 = (await fakeEvaluation(f, 'staff1')).id;
    e2 = (await fakeEvaluation(f, 'staff2')).id;
    const regionId = f.seed.regionId;
    const adminUserId = f.seed.adminUserId;
    await appendAudit(p, {
      regionId,
      actorUserId: adminUserId,
      action: 'employee.update',
      entityType: 'Employee',
      entityId: staff1,
      before: { position: 'Staf' },
      after: { position: 'Analis' },
      requestId: 'req-1',
      at: at('2030-01-02T00:00:00Z'),
    });
    await appendAudit(p, {
      regionId,
      actorUserId: f.seed.users.staff1,
      actorEmployeeId: staff1,
      action: 'skp.submit',
      entityType: 'Evaluation',
      entityId: e1,
      after: { revision: 1 },
      at: at('2030-01-03T00:00:00Z'),
    });
    await appendAudit(p, {
      regionId,
      action: 'task.escalated',
      entityType: 'Task',
      entityId: `${e1}:REVIEW_PERIOD:1`,
      after: { to: kepalaDinas },
      at: at('2030-01-04T00:00:00Z'),
    });
    await appendAudit(p, {
      regionId,
      actorUserId: f.seed.users.kepalaDinas,
      actorEmployeeId: kepalaDinas,
      actingForId: kepalaBidang,
      action: 'review.period',
      entityType: 'Evaluation',
      entityId: e2,
      after: { decision: 'RATE' },
      at: at('2030-01-05T00:00:00Z'),
    });
    await appendAudit(p, {
      regionId,
      actorUserId: adminUserId,
      action: 'unit.update',
      entityType: 'Unit',
      entityId: f.seed.units.bidang,
      at: at('2030-01-06T00:00:00Z'),
    });
    // another region's event about nobody here
    await appendAudit(p, {
      regionId: f.other.regionId,
      actorUserId: f.other.adminUserId,
      action: 'employee.update',
      entityType: 'Employee',
      entityId: f.other.employeeId,
      at: at('2030-01-07T00:00:00Z'),
    });
  });
  afterAll(() => f?.close());

  const search = async (query: Record<string, string>) => {
    const res = await f.req('GET', `/admin/regions/demo/audit?${new URLSearchParams(query).toString()}`, { token: admin });
    expect(res.status).toBe(200);
    return json<Page>(res);
  };
  const actions = (p: Page) => p.items.map((i) => i.action);

  it("finds an employee's events by NIP or id: its Employee row, its evaluations, their tasks, what it did", async () => {
    const byNip = await search({ nip: NIPS.staff1 });
    expect(actions(byNip)).toEqual(['task.escalated', 'skp.submit', 'employee.update']);
    const byId = await search({ employeeId: f.seed.employees.staff1 });
    expect(byId.items.map((i) => i.seq)).toEqual(byNip.items.map((i) => i.seq));
    // acting for: the kepala bidang's review done by the kepala dinas
    expect(actions(await search({ employeeId: f.seed.employees.kepalaBidang }))).toEqual(['review.period']);
    expect(actions(await search({ nip: NIPS.kepalaDinas }))).toEqual(['review.period']);
  });

  it('carries the actor, acting-for, before/after and the request id', async () => {
    const [review] = (await search({ kind: 'review.period' })).items;
    expect(review).toMatchObject({
      entity: { type: 'Evaluation', id: e2 },
      actor: { userId: f.seed.users.kepalaDinas, username: NIPS.kepalaDinas, employee: { nip: NIPS.kepalaDinas } },
      actingFor: { id: f.seed.employees.kepalaBidang, nip: NIPS.kepalaBidang },
      after: { decision: 'RATE' },
      before: null,
    });
    const [update] = (await search({ kind: 'employee.update' })).items;
    expect(update).toMatchObject({
      actor: { userId: f.seed.adminUserId, username: 'admin', employee: null },
      actingFor: null,
      before: { position: 'Staf' },
      after: { position: 'Analis' },
      requestId: 'req-1',
      at: '2030-01-02T00:00:00.000Z',
    });
    const [system] = (await search({ kind: 'task.escalated' })).items;
    expect(system!.actor).toBeNull();
  });

  it('filters by actor (username or user id), kind (exact or prefix) and time', async () => {
    const mine = await search({ actor: 'admin', from: '2030-01-01T00:00:00Z' });
    expect(actions(mine)).toEqual(['unit.update', 'employee.update']);
    expect((await search({ actor: f.seed.adminUserId, from: '2030-01-01T00:00:00Z' })).items).toEqual(mine.items);
    expect(actions(await search({ kind: 'task.*' }))).toEqual(['task.escalated']);
    expect(actions(await search({ kind: 'employee.', from: '2030-01-01T00:00:00Z' }))).toEqual(['employee.update']);
    expect(actions(await search({ kind: 'employee' }))).toEqual([]);
    expect(actions(await search({ from: '2030-01-03T00:00:00Z', to: '2030-01-05T00:00:00Z' }))).toEqual(['review.period', 'task.escalated', 'skp.submit']);
  });

  it('pages by seq, newest first, without gaps or repeats', async () => {
    const all = await search({ limit: '200' });
    expect(all.nextBefore).toBeNull();
    const seqs = all.items.map((i) => i.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    const paged: number[] = [];
    let before: number | null | undefined;
    do {
      const page = await search({ limit: '2', ...(before ? { before: String(before) } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(2);
      paged.push(...page.items.map((i) => i.seq));
      before = page.nextBefore;
    } while (before);
    expect(paged).toEqual(seqs);
    expect(seqs.length).toBeGreaterThanOrEqual(5);
  });

  it('refuses bad filters with 422 naming the field', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ nip: '123' }, 'nip'],
      [{ nip: '199999999999999999' }, 'nip'],
      [{ employeeId: 'tidak-ada' }, 'employeeId'],
      [{ employeeId: f.seed.employees.staff1, nip: NIPS.staff1 }, 'nip'],
      [{ actor: 'nobody-at-all' }, 'actor'],
      [{ kind: 'a b' }, 'kind'],
      [{ from: 'yesterday' }, 'from'],
      [{ from: '2030-01-05T00:00:00Z', to: '2030-01-01T00:00:00Z' }, 'to'],
      [{ before: 'abc' }, 'before'],
      [{ limit: '0' }, 'limit'],
      [{ limit: '201' }, 'limit'],
      [{ sort: 'seq' }, 'sort'],
    ];
    for (const [query, field] of cases) {
      const res = await f.req('GET', `/admin/regions/demo/audit?${new URLSearchParams(query).toString()}`, { token: admin });
      expect(res.status, JSON.stringify(query)).toBe(422);
      const body = await json<{ errors: { field: string }[] }>(res);
      expect(
        body.errors.map((e) => e.field),
        JSON.stringify(query),
      ).toContain(field);
    }
  });

  it("keeps the chain's verification at its path, and hides the region from another region's admin", async () => {
    const verify = await json<{ ok: boolean; checked: number }>(await f.req('GET', '/admin/regions/demo/audit/verify', { token: admin }));
    expect(verify.ok).toBe(true);
    expect(verify.checked).toBeGreaterThanOrEqual(5);
    const other = await f.login('admin-lain');
    expect((await f.req('GET', '/admin/regions/demo/audit', { token: other })).status).toBe(404);
    const own = await json<Page>(await f.req('GET', '/admin/regions/lain/audit?kind=employee.update', { token: other }));
    expect(own.items.map((i) => i.entity.id)).toEqual([f.other.employeeId]);
  });
});
