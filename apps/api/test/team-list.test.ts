import { dbKinds } from '@kinerja/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invalidateCallers } from '../src/auth/callers.js';
import { fakeEvaluation, json, NIPS, plhForAnHour, setup, type Fixture } from './helpers.js';

interface ListedTask {
  kind: string;
  period: number | null;
  escalated: boolean;
  actingForId: string | null;
  dueAt: string | null;
  overdue: boolean;
  evaluation: { id: string; employee: { id: string } };
}
interface TeamList {
  items: { id: string; employee: { id: string }; openTasks: ListedTask[] }[];
  otherTasks: ListedTask[];
}

/** The team lists carry the caller's open tasks, so the supervisor's pages need no /me/tasks. */
describe.each(dbKinds())('GET /me/evaluations with the open tasks (%s)', (kind) => {
  let f: Fixture;
  let e1: string;
  let e2: string;
  let outside: string;
  let own: string;
  beforeAll(async () => {
    f = await setup(kind);
    e1 = (await fakeEvaluation(f, 'staff1')).id;
    e2 = (await fakeEvaluation(f, 'staff2')).id;
    outside = (await fakeEvaluation(f, 'lain')).id;
    const { kepalaBidang: sup, kepalaDinas: atasan, staff1 } = f.seed.employees;
    // the kepala bidang's own year, rated by the kepala dinas
    const sample = await f.db.prisma.evaluation.findUniqueOrThrow({ where: { id: e1 } });
    own = (
      await f.db.prisma.evaluation.create({
        data: {
          cycleId: sample.cycleId,
          regionId: sample.regionId,
          employeeId: sup,
          unitId: sample.unitId,
          supervisorId: atasan,
          reviewerId: null,
          workflowId: `evaluation/none-own-${kind}`,
        },
      })
    ).id;
    const cycleOf = new Map(
      (await f.db.prisma.evaluation.findMany({ where: { id: { in: [e1, e2, outside, own] } }, select: { id: true, cycleId: true } })).map((e) => [
        e.id,
        e.cycleId,
      ]),
    );
    const t = (
      evaluationId: string,
      taskKind: string,
      assigneeId: string,
      dueInMin: number,
      more: { period?: number; escalated?: boolean; status?: 'OPEN' | 'DONE'; regionId?: string } = {},
    ) => ({
      key: `${evaluationId}:${taskKind}:${more.period ?? ''}`,
      regionId: more.regionId ?? f.seed.regionId,
      cycleId: cycleOf.get(evaluationId) ?? '',
      evaluationId,
      kind: taskKind,
      assigneeId,
      period: more.period ?? null,
      escalated: more.escalated ?? false,
      status: more.status ?? 'OPEN',
      dueAt: new Date(Date.now() + dueInMin * 60_000),
    });
    await f.db.prisma.task.createMany({
      data: [
        t(e1, 'APPROVE_TARGETS', sup, 30),
        t(e1, 'REVIEW_PERIOD', sup, 60, { period: 1 }),
        t(e1, 'SUBMIT_REPORT', staff1, 10, { period: 1 }),
        t(e2, 'APPROVE_TARGETS', sup, -5),
        t(e2, 'REVIEW_PERIOD', sup, 20, { period: 1, status: 'DONE' }),
        t(e2, 'DECIDE_APPEAL', atasan, 90),
        // escalated to the kepala bidang from a year he does not rate
        t(outside, 'REVIEW_PERIOD', sup, 15, { period: 2, escalated: true, regionId: f.other.regionId }),
        // his own year: never among the tasks on other people
        t(own, 'SUBMIT_TARGETS', sup, 5),
      ],
    });
  });
  afterAll(() => f?.close());

  it("lists each team member's year with the supervisor's open tasks on it, and those on people outside the team", async () => {
    const list = await json<TeamList>(await f.req('GET', '/me/evaluations?as=supervisor', { token: await f.login(NIPS.kepalaBidang) }));
    const byId = new Map(list.items.map((e) => [e.id, e]));
    expect([...byId.keys()].sort()).toEqual([e1, e2].sort());
    expect(byId.get(e1)!.openTasks.map((x) => [x.kind, x.period, x.escalated, x.actingForId, x.overdue])).toEqual([
      ['APPROVE_TARGETS', null, false, null, false],
      ['REVIEW_PERIOD', 1, false, null, false],
    ]);
    expect(byId.get(e1)!.openTasks.every((x) => x.dueAt !== null && x.evaluation.id === e1)).toBe(true);
    // done tasks are not waiting
    expect(byId.get(e2)!.openTasks.map((x) => [x.kind, x.overdue])).toEqual([['APPROVE_TARGETS', true]]);
    expect(list.otherTasks.map((x) => [x.evaluation.id, x.kind, x.period, x.escalated])).toEqual([[outside, 'REVIEW_PERIOD', 2, true]]);
  });

  it("lists the reviewer's keberatan to decide on the years they review", async () => {
    const list = await json<TeamList>(await f.req('GET', '/me/evaluations?as=reviewer', { token: await f.login(NIPS.kepalaDinas) }));
    const byId = new Map(list.items.map((e) => [e.id, e]));
    expect([...byId.keys()].sort()).toEqual([e1, e2].sort());
    expect(byId.get(e1)!.openTasks).toEqual([]);
    expect(byId.get(e2)!.openTasks.map((x) => x.kind)).toEqual(['DECIDE_APPEAL']);
  });

  it('shows the open tasks of the person a Plh acts for, marked as done for them', async () => {
    await f.db.prisma.delegation.create({
      data: { regionId: f.seed.regionId, ...plhForAnHour(f) },
    });
    // written past the API, as another process would: this process sees it within CALLER_TTL_MS, or at once here
    invalidateCallers();
    const list = await json<TeamList>(await f.req('GET', '/me/evaluations?as=supervisor', { token: await f.login(NIPS.kepalaDinas) }));
    const e1Tasks = list.items.find((e) => e.id === e1)!.openTasks;
    expect(e1Tasks.map((x) => x.kind)).toEqual(['APPROVE_TARGETS', 'REVIEW_PERIOD']);
    expect(e1Tasks.every((x) => x.actingForId === f.seed.employees.kepalaBidang)).toBe(true);
    expect(list.otherTasks.map((x) => x.evaluation.id)).toEqual([outside]);
  });
});
