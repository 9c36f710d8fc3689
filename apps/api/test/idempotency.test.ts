import { createHash } from 'node:crypto';
import { createTestDb, dbKinds, type Db } from '@kinerja/testing';
import type { Client } from '@temporalio/client';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveDeps, type AppEnv } from '../src/env.js';
import { claimKey, idempotency, LEASE_MS, recordAnswer, RENEW_MS, workflowUpdateId } from '../src/idempotency.js';
import { ProblemError } from '../src/problem.js';
import { json, setup, sleep, until, type Fixture } from './helpers.js';

const hashOf = (method: string, path: string, body: string, contentType = 'application/json') =>
  createHash('sha256').update(`${method}\n${path}\n${contentType}\n${body}`).digest('hex');

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
    const res = await f.req('POST', '/admin/regions/lain/units', {
      token: otherAdmin,
      body: { code: 'INOV', name: 'Bidang Inovasi' },
      headers: { 'idempotency-key': 'k-1' },
    });
    expect(res.status).toBe(201);
  });

  it('a request still in progress with the key → 409 IDEMPOTENCY_IN_PROGRESS', async () => {
    const user = await f.db.prisma.user.findUniqueOrThrow({ where: { username: 'admin' } });
    const body = JSON.stringify({ code: 'LAMBAT', name: 'Bidang Lambat' });
    // simulate the first request being mid-flight: the claimed record without an answer, its lease 10 s ahead
    await f.db.prisma.idempotencyRecord.create({
      data: {
        userId: user.id,
        key: 'k-busy',
        method: 'POST',
        path: '/admin/regions/demo/units',
        requestHash: hashOf('POST', '/admin/regions/demo/units', body),
        leaseUntil: new Date(Date.now() + 10_000),
      },
    });
    const res = await f.req('POST', '/admin/regions/demo/units', {
      token: admin,
      raw: body,
      headers: { 'content-type': 'application/json', 'idempotency-key': 'k-busy' },
    });
    expect(res.status).toBe(409);
    expect((await json(res)).code).toBe('IDEMPOTENCY_IN_PROGRESS');
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(10); // the lease's remaining time, not a fixed guess
    expect(await f.db.prisma.unit.count({ where: { code: 'LAMBAT' } })).toBe(0);
  });

  /** the record a first attempt left behind when it died mid-flight: in progress, its lease run out */
  const deadAttempt = async (key: string, body: string) => {
    const user = await f.db.prisma.user.findUniqueOrThrow({ where: { username: 'admin' } });
    await f.db.prisma.idempotencyRecord.create({
      data: {
        userId: user.id,
        key,
        method: 'POST',
        path: '/admin/regions/demo/units',
        requestHash: hashOf('POST', '/admin/regions/demo/units', body),
        leaseUntil: new Date(Date.now() - 1_000),
      },
    });
  };
  const rawUnit = (key: string, body: string) =>
    f.req('POST', '/admin/regions/demo/units', { token: admin, raw: body, headers: { 'content-type': 'application/json', 'idempotency-key': key } });

  it('a key whose first attempt died (lease expired) is taken over: the retry runs, stores its answer, replays it', async () => {
    const body = JSON.stringify({ code: 'MATI', name: 'Bidang Mati' });
    await deadAttempt('k-dead', body);
    const retry = await rawUnit('k-dead', body);
    expect(retry.status, await retry.clone().text()).toBe(201);
    expect(retry.headers.get('idempotency-replayed')).toBeNull();
    const created = await json<{ id: string }>(retry);
    const rec = await f.db.prisma.idempotencyRecord.findFirstOrThrow({ where: { key: 'k-dead' } });
    expect(rec).toMatchObject({ status: 201, leaseUntil: null });
    const again = await rawUnit('k-dead', body);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotency-replayed')).toBe('true');
    expect((await json<{ id: string }>(again)).id).toBe(created.id);
    expect(await f.db.prisma.unit.count({ where: { code: 'MATI' } })).toBe(1);
  });

  it('two concurrent retries of a dead attempt: exactly one takes the key over and runs', async () => {
    for (let round = 0; round < 3; round++) {
      const code = `DUEL${round}`;
      const body = JSON.stringify({ code, name: 'Bidang Duel' });
      await deadAttempt(`k-duel-${round}`, body);
      const [a, b] = await Promise.all([rawUnit(`k-duel-${round}`, body), rawUnit(`k-duel-${round}`, body)]);
      // the loser either saw the winner's fresh lease (409) or, if it read after the winner finished, its answer
      const ran = [a, b].filter((r) => r.status === 201 && r.headers.get('idempotency-replayed') === null);
      const other = [a, b].filter((r) => !ran.includes(r));
      expect(ran, `${a.status} ${b.status}`).toHaveLength(1);
      expect(other[0]!.status === 409 || other[0]!.headers.get('idempotency-replayed') === 'true', `${other[0]!.status}`).toBe(true);
      expect(await f.db.prisma.unit.count({ where: { code } })).toBe(1);
    }
  });

  it('a dead attempt with another body: 422 IDEMPOTENCY_KEY_REUSED, the record is not taken over', async () => {
    await deadAttempt('k-dead-other', JSON.stringify({ code: 'ASLI', name: 'Bidang Asli' }));
    const res = await rawUnit('k-dead-other', JSON.stringify({ code: 'LAIN', name: 'Bidang Lain' }));
    expect(res.status).toBe(422);
    expect((await json(res)).code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await f.db.prisma.unit.count({ where: { code: 'LAIN' } })).toBe(0);
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

/** The middleware alone on a tiny app of this test: a handler that waits until the test lets it finish. */
describe.each(dbKinds())('idempotency lease while the handler runs (%s)', (kind) => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDb(kind);
  });
  afterAll(() => db?.close());

  function app() {
    const deps = resolveDeps({ prisma: db.prisma, temporal: undefined as unknown as Client, config: { jwtSecret: 'unused-in-this-test' } });
    const gates = new Map<string, () => void>();
    const a = new Hono<AppEnv>();
    a.onError((err) =>
      err instanceof ProblemError
        ? Response.json({ code: err.code }, { status: err.status, headers: err.headers ?? {} })
        : Response.json({ code: 'INTERNAL' }, { status: 500 }),
    );
    a.use('*', async (c, next) => {
      c.set('requestId', 'test');
      c.set('user', { userId: c.req.header('x-user') ?? 'user-a', username: 'u', displayName: 'U', employeeId: null, regionId: null, adminRegionIds: [] });
      await next();
    });
    a.use('*', idempotency(deps));
    a.post('/slow', async (c) => {
      await new Promise<void>((r) => gates.set(c.req.header('x-gate')!, r));
      return c.json({ updateId: workflowUpdateId(c) ?? null }, 200);
    });
    // a route whose write and answer commit in one transaction, then (as if the process died right after) waits;
    // `x-pre-gate` holds it before the transaction (a stalled attempt); the row's code names the attempt (x-gate)
    a.post('/tx', async (c) => {
      const { code } = await c.req.json<{ code: string }>();
      const pre = c.req.header('x-pre-gate');
      if (pre) await new Promise<void>((r) => gates.set(pre, r));
      const region = await db.prisma.$transaction(async (tx) => {
        const created = await tx.region.create({ data: { code: `${code}-${c.req.header('x-gate')}`, name: 'Wilayah uji' } });
        await recordAnswer(tx, c, 201, created);
        return created;
      });
      await new Promise<void>((r) => gates.set(c.req.header('x-gate')!, r));
      return c.json(region, 201);
    });
    const tx = (gate: string, key: string, code: string, preGate?: string) =>
      a.request('/tx', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-user': 'user-a',
          'x-gate': gate,
          'idempotency-key': key,
          ...(preGate ? { 'x-pre-gate': preGate } : {}),
        },
        body: JSON.stringify({ code }),
      });
    const post = (gate: string, key: string | undefined, body = '{}', user = 'user-a') =>
      a.request('/slow', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-user': user, 'x-gate': gate, ...(key ? { 'idempotency-key': key } : {}) },
        body,
      });
    const release = async (gate: string) => {
      while (!gates.has(gate)) await sleep(10);
      gates.get(gate)!();
    };
    return { post, tx, release };
  }

  it('recordAnswer: the answer commits with the write, so a retry replays it at once, even before the first returns', async () => {
    const { tx, release } = app();
    const code = `tx-${Date.now()}`;
    const regions = () => db.prisma.region.count({ where: { code: { startsWith: code } } });
    const first = tx('one', 'k-tx', code);
    while ((await regions()) === 0) await sleep(20);
    // the first attempt has committed but not answered (it could die here): its key already holds the answer
    const retry = await tx('two', 'k-tx', code);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotency-replayed')).toBe('true');
    expect(retry.headers.get('content-type')).toMatch(/^application\/json/);
    const replayed = await json<{ id: string; code: string }>(retry);
    expect(replayed.code).toBe(`${code}-one`);
    await release('one');
    const original = await first;
    expect(original.status).toBe(201);
    expect(await json(original)).toEqual(replayed);
    expect(await regions()).toBe(1);
    expect(await db.prisma.idempotencyRecord.findFirstOrThrow({ where: { key: 'k-tx' } })).toMatchObject({ status: 201, leaseUntil: null });
  });

  it('recordAnswer: an attempt that lost its key to a retry cannot commit its write', async () => {
    const { tx, release } = app();
    const code = `tx-lost-${Date.now()}`;
    const regions = () => db.prisma.region.findMany({ where: { code: { startsWith: code } }, select: { code: true } });
    const stalled = tx('stalled', 'k-tx-lost', code, 'stalled-pre');
    while (!(await db.prisma.idempotencyRecord.findFirst({ where: { key: 'k-tx-lost' } }))) await sleep(20);
    await db.prisma.idempotencyRecord.updateMany({ where: { key: 'k-tx-lost' }, data: { leaseUntil: new Date(Date.now() - 1) } });
    const retry = tx('retry', 'k-tx-lost', code); // takes the key over, commits, waits at its gate
    while ((await regions()).length === 0) await sleep(20);
    await release('stalled-pre'); // the stalled attempt wakes up and tries its transaction
    const late = await stalled;
    expect(late.status).toBe(409);
    expect((await json(late)).code).toBe('IDEMPOTENCY_IN_PROGRESS');
    await release('retry');
    expect((await retry).status).toBe(201);
    expect((await regions()).map((r) => r.code)).toEqual([`${code}-retry`]); // the stalled write rolled back
  });

  it("claimKey: eight retries racing for a dead attempt's key: exactly one claims it, the others are told to wait", async () => {
    const req = { userId: 'user-race', key: 'k-claim-race', method: 'POST', path: '/slow', requestHash: 'h' };
    await db.prisma.idempotencyRecord.create({ data: { ...req, leaseUntil: new Date(Date.now() - 1_000) } });
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => claimKey(db.prisma, () => new Date(), req)));
    expect(outcomes.filter((o) => o.kind === 'claimed')).toHaveLength(1);
    for (const o of outcomes.filter((x) => x.kind !== 'claimed')) {
      expect(o.kind).toBe('busy');
      if (o.kind === 'busy') expect(o.retryAfter).toBe(LEASE_MS / 1000);
    }
    // a legacy record without a lease counts from createdAt: taken over once that has passed
    const old = { ...req, key: 'k-claim-legacy' };
    await db.prisma.idempotencyRecord.create({ data: { ...old, createdAt: new Date(Date.now() - LEASE_MS - 1_000) } });
    expect((await claimKey(db.prisma, () => new Date(), old)).kind).toBe('claimed');
  });

  it('renews the lease while the handler runs and clears it with the answer', { timeout: 60_000 }, async () => {
    const { post, release } = app();
    const pending = post('renew', 'k-renew');
    await sleep(200);
    const first = await db.prisma.idempotencyRecord.findFirstOrThrow({ where: { key: 'k-renew' } });
    expect(first.status).toBeNull();
    expect(first.leaseUntil!.getTime()).toBeGreaterThan(Date.now());
    // renewed after RENEW_MS (polled: a loaded machine may be late, but not by a whole lease)
    await until(
      'the lease renewed',
      async () => (await db.prisma.idempotencyRecord.findFirstOrThrow({ where: { key: 'k-renew' } })).leaseUntil!.getTime() > first.leaseUntil!.getTime(),
      LEASE_MS - 1_000,
    );
    // still held: a retry now is told to wait
    const busy = await post('renew-retry', 'k-renew');
    expect(busy.status).toBe(409);
    await release('renew');
    expect((await pending).status).toBe(200);
    const done = await db.prisma.idempotencyRecord.findFirstOrThrow({ where: { key: 'k-renew' } });
    expect(done).toMatchObject({ status: 200, leaseUntil: null });
    expect(LEASE_MS).toBeGreaterThan(RENEW_MS * 2);
  });

  it('an attempt that stalled past its lease and lost the key to a retry neither stores nor deletes the record', async () => {
    const { post, release } = app();
    const stalled = post('stall', 'k-stall');
    await sleep(200);
    // the lease runs out (as if the event loop had stalled) and a retry takes the key over
    await db.prisma.idempotencyRecord.updateMany({ where: { key: 'k-stall' }, data: { leaseUntil: new Date(Date.now() - 1) } });
    const retry = post('stall-retry', 'k-stall');
    await sleep(200);
    await release('stall');
    expect((await stalled).status).toBe(200);
    const held = await db.prisma.idempotencyRecord.findFirstOrThrow({ where: { key: 'k-stall' } });
    expect(held.status).toBeNull(); // the retry's claim, untouched by the stalled attempt
    expect(held.leaseUntil!.getTime()).toBeGreaterThan(Date.now());
    await release('stall-retry');
    expect((await retry).status).toBe(200);
    expect(await db.prisma.idempotencyRecord.findFirstOrThrow({ where: { key: 'k-stall' } })).toMatchObject({ status: 200 });
  });

  it('the workflow update id is stable per user + key + request, and differs for another user, key or body', async () => {
    const { post, release } = app();
    const id = async (gate: string, key: string | undefined, body?: string, user?: string) => {
      const res = post(gate, key, body, user);
      await release(gate);
      return (await json<{ updateId: string | null }>(await res)).updateId;
    };
    const a = await id('u1', 'k-uid');
    expect(a).toMatch(/^idem-[0-9a-f]{64}$/);
    const forget = () => db.prisma.idempotencyRecord.deleteMany({ where: { key: 'k-uid' } });
    await forget(); // the same request run again (after a 5xx, or taken over after a crash)
    expect(await id('u2', 'k-uid')).toBe(a);
    expect(await id('u3', 'k-uid', '{}', 'user-b')).not.toBe(a);
    expect(await id('u4', 'k-uid-2')).not.toBe(a);
    await forget();
    expect(await id('u5', 'k-uid', '{"x":1}')).not.toBe(a);
    expect(await id('u7', undefined)).toBeNull();
  });
});
