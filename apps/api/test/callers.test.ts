/**
 * requireAuth's per-process cache of callers (src/auth/callers.ts) against the database: a change answered by this
 * process takes effect on the next request, one made past it (another replica, SQL) within CALLER_TTL_MS.
 */
import { dbKinds } from '@kinerja/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLER_TTL_MS } from '../src/auth/callers.js';
import { json, NIPS, plhForAnHour, setup, type Fixture } from './helpers.js';

describe.each(dbKinds())('cached callers (%s)', (kind) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setup(kind);
  });
  afterAll(() => f?.close());

  const me = async (token: string) => {
    const res = await f.req('GET', '/me', { token });
    return { status: res.status, body: res.status === 200 ? await json<{ actingFor: string[]; roles: string[] }>(res) : null };
  };

  it('ends a session at once when it is signed out everywhere', async () => {
    const token = await f.login(NIPS.staff1);
    expect((await me(token)).status).toBe(200);
    expect((await f.req('POST', '/me/logout-all', { token })).status).toBe(204);
    expect((await me(token)).status).toBe(401);
  });

  it('applies a delegation at once when it is created and when it is revoked', async () => {
    const admin = await f.login('admin');
    const plh = await f.login(NIPS.kepalaDinas);
    expect((await me(plh)).body!.actingFor).toEqual([]);
    const created = await f.req('POST', '/admin/regions/demo/delegations', {
      token: admin,
      body: plhForAnHour(f),
    });
    expect(created.status).toBe(201);
    const { id } = await json<{ id: string }>(created);
    expect((await me(plh)).body!.actingFor).toEqual([f.seed.employees.kepalaBidang]);
    expect((await f.req('DELETE', `/admin/regions/demo/delegations/${id}`, { token: admin })).status).toBe(200);
    expect((await me(plh)).body!.actingFor).toEqual([]);
  });

  it('sees a change made past this process within the TTL', async () => {
    const token = await f.login(NIPS.staff2);
    expect((await me(token)).status).toBe(200);
    // another replica signs the user out everywhere
    await f.db.prisma.user.update({ where: { username: NIPS.staff2 }, data: { tokensValidAfter: new Date() } });
    await new Promise((r) => setTimeout(r, CALLER_TTL_MS + 100));
    expect((await me(token)).status).toBe(401);
  });
});
