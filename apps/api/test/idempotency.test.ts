import { dbKinds } from '@kinerja/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, setup, type Fixture } from './helpers.js';

describe.each(dbKinds())('Idempotency-Key (%s)', (kind) => {
  let f: Fixture;
  let admin: string;
  beforeAll(async () => {
    f = await setup(kind);
    admin = await f.login('admin');
  });
  afterAll(() => f?.close());

  const createUnit = (key: string, code: string, token = admin) =>
    f.req('POST', '/admin/regions/demo/units', { token, body: { code, name: 'Bidang Inovasi' }, headers: { 'idempotency-key': key } });

  it('replays the first answer for the same key and request', async () => {
    const a = await createUnit('k-1', 'INOV');
    expect(a.status).toBe(201);
    const first = await json<{ id: string }>(a);
    const b = await createUnit('k-1', 'INOV');
    expect(b.status).toBe(201);
    expect(b.headers.get('idempotency-replayed')).toBe('true');
    expect((await json<{ id: string }>(b)).id).toBe(first.id);
    expect(await f.db.prisma.unit.count({ where: { code: 'INOV' } })).toBe(1);
  });

  it('same key with another body → 422 IDEMPOTENCY_KEY_REUSED', async () => {
    await createUnit('k-2', 'INOV2');
    const res = await createUnit('k-2', 'INOV3');
    expect(res.status).toBe(422);
    expect((await json(res)).code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('keys are per user', async () => {
    // another admin may use the same key string for their own request (it is a different record)
    const otherAdmin = await f.login('admin-lain');
    const res = await f.req('POST', '/admin/regions/lain/units', { token: otherAdmin, body: { code: 'INOV', name: 'Bidang Inovasi' }, headers: { 'idempotency-key': 'k-1' } });
    expect(res.status).toBe(201);
  });

  it('a request still in progress with the key → 409 IDEMPOTENCY_IN_PROGRESS', async () => {
    const user = await f.db.prisma.user.findUniqueOrThrow({ where: { username: 'admin' } });
    const body = JSON.stringify({ code: 'LAMBAT', name: 'Bidang Lambat' });
    // simulate the first request being mid-flight: the claimed record without an answer
    const { createHash } = await import('node:crypto');
    const requestHash = createHash('sha256').update(`POST\n/admin/regions/demo/units\napplication/json\n${body}`).digest('hex');
    await f.db.prisma.idempotencyRecord.create({ data: { userId: user.id, key: 'k-busy', method: 'POST', path: '/admin/regions/demo/units', requestHash } });
    const res = await f.req('POST', '/admin/regions/demo/units', { token: admin, raw: body, headers: { 'content-type': 'application/json', 'idempotency-key': 'k-busy' } });
    expect(res.status).toBe(409);
    expect((await json(res)).code).toBe('IDEMPOTENCY_IN_PROGRESS');
  });

  it('concurrent identical requests: one runs, the others replay or see 409; one unit is created', async () => {
    const results = await Promise.all([1, 2, 3].map(() => createUnit('k-race', 'RACE')));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(await f.db.prisma.unit.count({ where: { code: 'RACE' } })).toBe(1);
  });

  it('validation failures are not stored: a corrected retry with the same key goes through', async () => {
    const bad = await f.req('POST', '/admin/regions/demo/units', { token: admin, body: { code: 'FIX' }, headers: { 'idempotency-key': 'k-fix' } });
    expect(bad.status).toBe(422);
    const good = await createUnit('k-fix', 'FIX');
    expect(good.status).toBe(201);
  });

  it('concurrent conflicting publishes: one wins, the other 409', async () => {
    const created = await json<{ ruleSet: { id: string }; version: { id: string } }>(
      await f.req('POST', '/admin/regions/demo/rule-sets', { token: admin, body: { key: 'balapan', name: 'Aturan balapan', from: { pack: 'national' } } }),
    );
    const path = `/admin/regions/demo/rule-sets/${created.ruleSet.id}/versions/${created.version.id}/publish`;
    const [a, b] = await Promise.all([f.req('POST', path, { token: admin }), f.req('POST', path, { token: admin })]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
  });
});
