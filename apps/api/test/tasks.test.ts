import { dbKinds } from '@kinerja/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeEvaluation, json, NIPS, plhForAnHour, setup, type Fixture } from './helpers.js';

interface TaskPage {
  items: { kind: string; dueAt: string | null; actingForId: string | null; overdue: boolean }[];
  total: number;
  page: number;
}

describe.each(dbKinds())('GET /me/tasks (%s)', (kind) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setup(kind);
    const e1 = await fakeEvaluation(f, 'staff1');
    const e2 = await fakeEvaluation(f, 'staff2');
    const sup = f.seed.employees.kepalaBidang;
    const t = (e: { id: string; cycleId: string }, kind: string, assigneeId: string, dueInMin: number, period?: number) => ({
      key: `${e.id}:${kind}:${period ?? ''}`,
      regionId: f.seed.regionId,
      cycleId: e.cycleId,
      evaluationId: e.id,
      kind,
      assigneeId,
      period: period ?? null,
      dueAt: new Date(Date.now() + dueInMin * 60_000),
    });
    await f.db.prisma.task.createMany({
      data: [
        t(e1, 'APPROVE_TARGETS', sup, 30),
        t(e2, 'APPROVE_TARGETS', sup, -5),
        t(e1, 'REVIEW_PERIOD', sup, 60, 1),
        t(e1, 'SUBMIT_REPORT', f.seed.employees.staff1, 10, 1),
      ],
    });
    // kepala dinas is Plh for kepala bidang
    await f.db.prisma.delegation.create({
      data: { regionId: f.seed.regionId, ...plhForAnHour(f, sup) },
    });
  });
  afterAll(() => f?.close());

  it('lists my tasks sorted by due date, with filters and pages', async () => {
    const sup = await f.login(NIPS.kepalaBidang);
    const all = await json<TaskPage>(await f.req('GET', '/me/tasks', { token: sup }));
    expect(all.total).toBe(3);
    expect(all.items.map((i) => i.kind)).toEqual(['APPROVE_TARGETS', 'APPROVE_TARGETS', 'REVIEW_PERIOD']);
    expect(all.items[0]!.overdue).toBe(true);
    const approvals = await json<TaskPage>(await f.req('GET', '/me/tasks?kind=APPROVE_TARGETS&sort=-dueAt', { token: sup }));
    expect(approvals.items.map((i) => i.overdue)).toEqual([false, true]);
    const page2 = await json<TaskPage>(await f.req('GET', '/me/tasks?limit=2&page=2', { token: sup }));
    expect(page2.items.map((i) => i.kind)).toEqual(['REVIEW_PERIOD']);
    const asn = await json<TaskPage>(await f.req('GET', '/me/tasks', { token: await f.login(NIPS.staff1) }));
    expect(asn.items.map((i) => i.kind)).toEqual(['SUBMIT_REPORT']);
  });

  it('includes the tasks of the people I act for', async () => {
    const plh = await json<TaskPage>(await f.req('GET', '/me/tasks', { token: await f.login(NIPS.kepalaDinas) }));
    expect(plh.total).toBe(3);
    expect(plh.items.every((i) => i.actingForId === f.seed.employees.kepalaBidang)).toBe(true);
  });
});
