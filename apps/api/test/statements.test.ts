/**
 * The statements the hot reads send, counted at the driver adapter (openCountingClient): a bound per route, so a
 * change that adds a query to GET /me or GET /me/tasks fails here. The API under test runs on the counting client.
 */
import { openCountingClient, type CountingClient } from '@kinerja/db';
import { dbKinds } from '@kinerja/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invalidateCallers } from '../src/auth/callers.js';
import { createApp } from '../src/index.js';
import { checkContract } from './contract.js';
import { fakeEvaluation, json, NIPS, plhForAnHour, setup, TEST_PASSWORD_POLICY, type Fixture } from './helpers.js';

/** the statements each read may send: authentication included */
const BOUNDS = { '/me': 2, '/me/tasks': 2 } as const;

/** the authentication's lookup is the only statement that reads tokensValidAfter */
const isAuthLookup = (sql: string) => sql.includes('"tokensValidAfter"');

describe.each(dbKinds())('statements per read (%s)', (kind) => {
  let f: Fixture;
  let counting: CountingClient;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    f = await setup(kind);
    counting = openCountingClient(f.db);
    app = checkContract(
      createApp({
        prisma: counting.prisma,
        temporal: f.env.client,
        config: { jwtSecret: 'test-secret-0123456789-abcdefghijklmnop', loginRateBurst: 100_000 },
        passwordPolicy: TEST_PASSWORD_POLICY,
      }),
    );
    const ev = await fakeEvaluation(f, 'staff1');
    await f.db.prisma.task.create({
      data: {
        key: `${ev.id}:SUBMIT_REPORT:1`,
        regionId: f.seed.regionId,
        cycleId: ev.cycleId,
        evaluationId: ev.id,
        kind: 'SUBMIT_REPORT',
        assigneeId: f.seed.employees.staff1,
        period: 1,
        dueAt: new Date(Date.now() + 3_600_000),
      },
    });
    // kepala dinas is Plh for kepala bidang: acting for someone costs no statement of its own
    await f.db.prisma.delegation.create({
      data: { regionId: f.seed.regionId, ...plhForAnHour(f) },
    });
    // the first request of a client also opens its connection: not a statement of the route
    const warm = await app.request('/me', { headers: { authorization: `Bearer ${await f.login(NIPS.staff1)}` } });
    expect(warm.status).toBe(200);
  });
  afterAll(async () => {
    await counting?.close();
    await f?.close();
  });

  /** `cold`: the caller is not cached (as after a change request, or CALLER_TTL_MS after the last lookup) */
  const get = async (path: string, username: string, { cold = true } = {}) => {
    const token = await f.login(username);
    if (cold) invalidateCallers();
    const { result, statements } = await counting.counter.measure(async () => {
      const res = await app.request(path, { headers: { authorization: `Bearer ${token}` } });
      return { status: res.status, body: await json(res) };
    });
    return { ...result, statements };
  };

  for (const path of ['/me', '/me/tasks'] as const) {
    it(`GET ${path} sends at most ${BOUNDS[path]} statements, one of them the authentication`, async () => {
      for (const username of [NIPS.staff1, NIPS.kepalaDinas, 'admin']) {
        const r = await get(path, username);
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        expect(r.statements.length, `${username}:\n${r.statements.join('\n')}`).toBeLessThanOrEqual(BOUNDS[path]);
        expect(r.statements.filter(isAuthLookup)).toHaveLength(1);
      }
    });
  }

  for (const path of ['/me', '/me/tasks'] as const) {
    it(`GET ${path} of a caller read a moment ago sends no authentication statement`, async () => {
      await get(path, NIPS.kepalaDinas);
      const warm = await get(path, NIPS.kepalaDinas, { cold: false });
      expect(warm.status).toBe(200);
      expect(warm.statements.filter(isAuthLookup)).toHaveLength(0);
      expect(warm.statements.length).toBeLessThanOrEqual(BOUNDS[path] - 1);
      // a change request answered here (this one changes nothing of the caller's) forgets every cached caller
      const token = await f.login(NIPS.kepalaDinas);
      const put = await app.request('/me/notification-settings', {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ language: 'id', mutedChannels: [] }),
      });
      expect(put.status).toBe(200);
      const after = await get(path, NIPS.kepalaDinas, { cold: false });
      expect(after.statements.filter(isAuthLookup)).toHaveLength(1);
    });
  }

  it('answers /me and /me/tasks from the one lookup, delegations included', async () => {
    const me = await get('/me', NIPS.kepalaDinas);
    expect(me.body).toMatchObject({ actingFor: [f.seed.employees.kepalaBidang] });
    expect((me.body as { roles: string[] }).roles).toContain('SUPERVISOR');
    const asn = await get('/me/tasks', NIPS.staff1);
    expect(asn.body).toMatchObject({ total: 1, items: [{ kind: 'SUBMIT_REPORT', actingForId: null }] });
  });

  it('counts the statements of a transaction, its BEGIN and COMMIT included', async () => {
    const { statements } = await counting.counter.measure(() =>
      counting.prisma.$transaction(async (tx) => {
        await tx.region.count();
        await tx.unit.count();
      }),
    );
    expect(statements).toHaveLength(4);
    expect([statements[0], statements[3]]).toEqual(['BEGIN', 'COMMIT']);
  });

  it('counts the total on its own only for a page past the end', async () => {
    const past = await get('/me/tasks?page=3', NIPS.staff1);
    expect(past.body).toMatchObject({ total: 1, items: [], page: 3 });
    expect(past.statements).toHaveLength(BOUNDS['/me/tasks'] + 1);
  });
});
