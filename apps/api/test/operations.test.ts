/**
 * Projection failures for the admin: the list (unresolved by default, paginated, newest first), resolving one
 * (audited, repeatable), and who may see them (the region's admin only).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeEvaluation, json, NIPS, setup, type Fixture } from './helpers.js';

interface Failure {
  id: string;
  evaluationId: string;
  seq: number;
  code: string;
  message: string;
  changeKinds: string[];
  resolvedAt: string | null;
  resolvedBy: string | null;
  superseded: boolean;
}
interface List {
  items: Failure[];
  total: number;
  page: number;
  limit: number;
}

describe('admin: projection failures', () => {
  let f: Fixture;
  let admin: string;
  const base = '/admin/regions/demo/projection-failures';
  let ids: string[] = [];
  let evaluationId = '';

  beforeAll(async () => {
    f = await setup('pglite');
    admin = await f.login('admin');
    const ev = await fakeEvaluation(f, 'staff1');
    evaluationId = ev.id;
    await f.db.prisma.evaluation.update({ where: { id: ev.id }, data: { seq: 5 } });
    const rows = [];
    for (const [i, seq] of [4, 6, 7].entries()) {
      rows.push(
        await f.db.prisma.projectionFailure.create({
          data: {
            regionId: f.seed.regionId,
            evaluationId: ev.id,
            workflowId: ev.workflowId,
            seq,
            code: '22P05',
            message: 'unsupported Unicode escape sequence',
            changeKinds: ['REPORT_SUBMITTED'],
            createdAt: new Date(Date.UTC(2026, 0, 1 + i)),
          },
        }),
      );
    }
    ids = rows.map((r) => r.id);
    // another region's failure is never listed here
    const other = await fakeEvaluation(f, 'lain');
    await f.db.prisma.projectionFailure.create({
      data: { regionId: f.other.regionId, evaluationId: other.id, workflowId: other.workflowId, seq: 2, code: '23503', message: 'fk', changeKinds: [] },
    });
  }, 180_000);
  afterAll(() => f?.close());

  it('lists the unresolved failures of the region, newest first, paginated, with whether a later write superseded them', async () => {
    const res = await f.req('GET', base, { token: admin });
    expect(res.status).toBe(200);
    const body = await json<List>(res);
    expect(body.total).toBe(3);
    expect(body.items.map((i) => i.seq)).toEqual([7, 6, 4]);
    expect(body.items[0]).toMatchObject({ evaluationId, code: '22P05', changeKinds: ['REPORT_SUBMITTED'], resolvedAt: null, superseded: false });
    expect(body.items.find((i) => i.seq === 4)!.superseded).toBe(true);
    const page2 = await json<List>(await f.req('GET', `${base}?limit=2&page=2`, { token: admin }));
    expect(page2).toMatchObject({ total: 3, page: 2, limit: 2 });
    expect(page2.items.map((i) => i.seq)).toEqual([4]);
    expect((await f.req('GET', `${base}?limit=0`, { token: admin })).status).toBe(422);
  });

  it('resolves one: gone from the default list, kept with all=true, audited once, repeatable', async () => {
    const res = await f.req('POST', `${base}/${ids[1]}/resolve`, { token: admin });
    expect(res.status).toBe(200);
    const resolved = await json<Failure>(res);
    expect(resolved).toMatchObject({ id: ids[1], seq: 6 });
    expect(resolved.resolvedAt).not.toBeNull();
    expect(resolved.resolvedBy).toBe(f.seed.adminUserId);
    const again = await json<Failure>(await f.req('POST', `${base}/${ids[1]}/resolve`, { token: admin }));
    expect(again.resolvedAt).toBe(resolved.resolvedAt);
    expect((await json<List>(await f.req('GET', base, { token: admin }))).items.map((i) => i.seq)).toEqual([7, 4]);
    expect((await json<List>(await f.req('GET', `${base}?all=true`, { token: admin }))).total).toBe(3);
    expect(await f.db.prisma.auditEvent.count({ where: { regionId: f.seed.regionId, action: 'projection_failure.resolved', entityId: ids[1] } })).toBe(1);
    expect((await f.req('POST', `${base}/no-such-id/resolve`, { token: admin })).status).toBe(404);
  });

  it("refuses another region's admin and a non-admin, in both directions", async () => {
    const otherAdmin = await f.login('admin-lain');
    expect((await f.req('GET', base, { token: otherAdmin })).status).toBe(404);
    expect((await f.req('POST', `${base}/${ids[0]}/resolve`, { token: otherAdmin })).status).toBe(404);
    const staff = await f.login(NIPS.staff1);
    expect((await f.req('GET', base, { token: staff })).status).toBe(404);
    expect((await f.req('POST', `${base}/${ids[0]}/resolve`, { token: staff })).status).toBe(404);
    expect((await f.req('GET', base)).status).toBe(401);
    // the other region's admin sees only their own; our admin cannot resolve theirs
    const theirs = await json<List>(await f.req('GET', '/admin/regions/lain/projection-failures', { token: otherAdmin }));
    expect(theirs.items.map((i) => i.code)).toEqual(['23503']);
    expect((await f.req('POST', `${base}/${theirs.items[0]!.id}/resolve`, { token: admin })).status).toBe(404);
    expect((await f.db.prisma.projectionFailure.findUniqueOrThrow({ where: { id: ids[0] } })).resolvedAt).toBeNull();
  });
});
