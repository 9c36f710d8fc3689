import { dbKinds } from '@kinerja/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, NIPS, setup, type Fixture } from './helpers.js';

describe.each(dbKinds())('auth (%s)', (kind) => {
  let f: Fixture;
  let clock = new Date();
  beforeAll(async () => {
    f = await setup(kind, { now: () => clock, config: { accessTtlSeconds: 60 } });
  });
  afterAll(() => f?.close());

  it('logs in with NIP and answers /me with roles derived from data', async () => {
    const token = await f.login(NIPS.kepalaBidang);
    const res = await f.req('GET', '/me', { token });
    expect(res.status).toBe(200);
    const me = await json<{ roles: string[]; employee: { nip: string }; adminRegions: unknown[] }>(res);
    expect(me.employee.nip).toBe(NIPS.kepalaBidang);
    expect(me.roles).toEqual(expect.arrayContaining(['ASN', 'SUPERVISOR']));
    expect(me.adminRegions).toEqual([]);
    const admin = await json<{ roles: string[]; adminRegions: { code: string }[] }>(await f.req('GET', '/me', { token: await f.login('admin') }));
    expect(admin.roles).toContain('ADMIN');
    expect(admin.adminRegions.map((r) => r.code)).toEqual(['demo']);
  });

  it('401 without a token, with a bad token, and with an expired token', async () => {
    for (const token of [undefined, 'garbage']) {
      const res = await f.req('GET', '/me', { token });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect((await json(res)).code).toBe('UNAUTHENTICATED');
    }
    const token = await f.login(NIPS.staff2);
    clock = new Date(clock.getTime() + 61_000);
    try {
      const res = await f.req('GET', '/me', { token });
      expect(res.status).toBe(401);
      expect((await json(res)).code).toBe('TOKEN_EXPIRED');
    } finally {
      clock = new Date();
    }
  });

  it('wrong password and unknown user fail the same way; messages follow Accept-Language', async () => {
    const a = await f.req('POST', '/auth/login', { body: { username: NIPS.staff2, password: 'salah-sekali' } });
    const b = await f.req('POST', '/auth/login', { body: { username: 'nobody', password: 'salah-sekali' }, headers: { 'accept-language': 'en-US,en;q=0.9' } });
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    const pa = await json(a);
    const pb = await json(b);
    expect(pa.code).toBe('INVALID_CREDENTIALS');
    expect(pb.code).toBe('INVALID_CREDENTIALS');
    expect(pa.detail).toMatch(/kata sandi/);
    expect(pb.detail).toMatch(/password/);
  });

  it('locks the account after 5 failures (429 ACCOUNT_LOCKED), even for the right password; open sessions end', async () => {
    const open = await json<{ accessToken: string; refreshToken: string }>(
      await f.req('POST', '/auth/login', { body: { username: NIPS.lainStaff, password: 'kinerja-demo' } }),
    );
    expect((await f.req('GET', '/me', { token: open.accessToken })).status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await f.req('POST', '/auth/login', { body: { username: NIPS.lainStaff, password: `wrong-${i}` } })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    const locked = await f.req('POST', '/auth/login', { body: { username: NIPS.lainStaff, password: 'kinerja-demo' } });
    expect(locked.status).toBe(429);
    expect((await json(locked)).code).toBe('ACCOUNT_LOCKED');
    expect(locked.headers.get('retry-after')).toBeTruthy();
    // the session opened before the lockout ends with it: its access token and its refresh token
    expect((await f.req('GET', '/me', { token: open.accessToken })).status).toBe(401);
    expect((await f.req('POST', '/auth/refresh', { body: { refreshToken: open.refreshToken } })).status).toBe(401);
    // after the lock expires the right password works again
    clock = new Date(clock.getTime() + 16 * 60_000);
    try {
      const ok = await f.req('POST', '/auth/login', { body: { username: NIPS.lainStaff, password: 'kinerja-demo' } });
      expect(ok.status).toBe(200);
    } finally {
      clock = new Date();
    }
  });

  it('sign out everywhere revokes every access and refresh token of the caller, and only theirs', async () => {
    const signIn = async (username: string) =>
      json<{ accessToken: string; refreshToken: string }>(await f.req('POST', '/auth/login', { body: { username, password: 'kinerja-demo' } }));
    const laptop = await signIn(NIPS.staff2);
    const phone = await signIn(NIPS.staff2);
    const someoneElse = await signIn(NIPS.staff1);
    try {
      expect((await f.req('POST', '/me/logout-all', { token: laptop.accessToken })).status).toBe(204);
      for (const session of [laptop, phone]) {
        const res = await f.req('GET', '/me', { token: session.accessToken });
        expect(res.status).toBe(401);
        expect((await json(res)).code).toBe('UNAUTHENTICATED');
        expect((await f.req('POST', '/auth/refresh', { body: { refreshToken: session.refreshToken } })).status).toBe(401);
      }
      expect((await f.req('GET', '/me', { token: someoneElse.accessToken })).status).toBe(200);
      // signing in again works at once
      const again = await signIn(NIPS.staff2);
      expect((await f.req('GET', '/me', { token: again.accessToken })).status).toBe(200);
      expect((await f.req('POST', '/me/logout-all', {})).status).toBe(401);
    } finally {
      clock = new Date();
    }
  });

  it('a replayed refresh token (theft) also revokes the access tokens already issued', async () => {
    const first = await json<{ accessToken: string; refreshToken: string }>(
      await f.req('POST', '/auth/login', { body: { username: NIPS.kepalaDinas, password: 'kinerja-demo' } }),
    );
    const rotated = await json<{ accessToken: string }>(await f.req('POST', '/auth/refresh', { body: { refreshToken: first.refreshToken } }));
    expect((await f.req('GET', '/me', { token: rotated.accessToken })).status).toBe(200);
    try {
      expect((await f.req('POST', '/auth/refresh', { body: { refreshToken: first.refreshToken } })).status).toBe(401);
      expect((await f.req('GET', '/me', { token: rotated.accessToken })).status).toBe(401);
      expect((await f.req('GET', '/me', { token: first.accessToken })).status).toBe(401);
    } finally {
      clock = new Date();
    }
  });

  it('rotates refresh tokens; reuse of a used token revokes every session; logout revokes', async () => {
    const login = await json<{ refreshToken: string; accessToken: string }>(
      await f.req('POST', '/auth/login', { body: { username: NIPS.staff1, password: 'kinerja-demo' } }),
    );
    const r1 = await f.req('POST', '/auth/refresh', { body: { refreshToken: login.refreshToken } });
    expect(r1.status).toBe(200);
    const t1 = await json<{ refreshToken: string; accessToken: string }>(r1);
    expect(t1.refreshToken).not.toBe(login.refreshToken);
    expect((await f.req('GET', '/me', { token: t1.accessToken })).status).toBe(200);
    // the old one again: reuse → 401 and the new one is revoked too
    expect((await f.req('POST', '/auth/refresh', { body: { refreshToken: login.refreshToken } })).status).toBe(401);
    expect((await f.req('POST', '/auth/refresh', { body: { refreshToken: t1.refreshToken } })).status).toBe(401);
    // logout
    const fresh = await json<{ refreshToken: string }>(await f.req('POST', '/auth/login', { body: { username: NIPS.staff1, password: 'kinerja-demo' } }));
    expect((await f.req('POST', '/auth/logout', { body: { refreshToken: fresh.refreshToken } })).status).toBe(204);
    expect((await f.req('POST', '/auth/refresh', { body: { refreshToken: fresh.refreshToken } })).status).toBe(401);
    // refresh tokens are stored hashed
    const stored = await f.db.prisma.refreshToken.findMany({ select: { tokenHash: true } });
    expect(stored.some((s) => s.tokenHash === fresh.refreshToken)).toBe(false);
  });

  it('revocation is exact to the millisecond: tokens of that very millisecond end, the next sign-in lives', async () => {
    // the clock stands still: issue, revoke and sign in again all happen in the same millisecond
    clock = new Date();
    try {
      const signIn = async () =>
        json<{ accessToken: string }>(await f.req('POST', '/auth/login', { body: { username: NIPS.kepalaBidang, password: 'kinerja-demo' } }));
      const before = await signIn();
      expect((await f.req('GET', '/me', { token: before.accessToken })).status).toBe(200);
      expect((await f.req('POST', '/me/logout-all', { token: before.accessToken })).status).toBe(204);
      expect((await f.req('GET', '/me', { token: before.accessToken })).status).toBe(401);
      const after = await signIn();
      expect((await f.req('GET', '/me', { token: after.accessToken })).status).toBe(200);
      const user = await f.db.prisma.user.findUniqueOrThrow({ where: { username: NIPS.kepalaBidang }, select: { tokensValidAfter: true } });
      expect(user.tokensValidAfter?.getTime()).toBe(clock.getTime());
    } finally {
      clock = new Date();
    }
  });

  it('a departure ends the access at once: the access token, the refresh token and signing in again', async () => {
    const session = await json<{ accessToken: string; refreshToken: string }>(
      await f.req('POST', '/auth/login', { body: { username: NIPS.staff1, password: 'kinerja-demo' } }),
    );
    expect((await f.req('GET', '/me', { token: session.accessToken })).status).toBe(200);
    const admin = await f.login('admin');
    const dep = await f.req('POST', `/admin/regions/demo/employees/${f.seed.employees.staff1}/departure`, { token: admin, body: { reason: 'Pensiun dini' } });
    expect(dep.status, await dep.clone().text()).toBe(200);
    const me = await f.req('GET', '/me', { token: session.accessToken });
    expect(me.status).toBe(401);
    expect((await json(me)).code).toBe('UNAUTHENTICATED');
    expect((await f.req('POST', '/auth/refresh', { body: { refreshToken: session.refreshToken } })).status).toBe(401);
    const again = await f.req('POST', '/auth/login', { body: { username: NIPS.staff1, password: 'kinerja-demo' } });
    expect(again.status).toBe(401);
    expect((await json(again)).code).toBe('INVALID_CREDENTIALS');
    // everyone else's access is untouched
    expect((await f.req('GET', '/me', { token: admin })).status).toBe(200);
  });
});

describe('sign-in rate limit per client address (PGlite)', () => {
  let f: Fixture;
  let clock = new Date();
  beforeAll(async () => {
    // 3 attempts at once, one more a minute; behind one proxy of ours (the client is X-Forwarded-For's last entry)
    f = await setup('pglite', { now: () => clock, config: { loginRateBurst: 3, loginRatePerMinute: 1, trustedProxies: 1 } });
  });
  afterAll(() => f?.close());
  const attempt = (from: string, username: string, password: string) =>
    f.req('POST', '/auth/login', { body: { username, password }, headers: { 'x-forwarded-for': from } });

  it('refuses a sprayer 429 RATE_LIMITED across accounts without touching them; other clients and the refill go on', async () => {
    const sprayed = [NIPS.staff1, NIPS.staff2, NIPS.lainStaff];
    const statuses: number[] = [];
    for (const username of sprayed) statuses.push((await attempt('203.0.113.7', username, 'tebakan-1')).status);
    const limited = await attempt('203.0.113.7', NIPS.kepalaBidang, 'tebakan-1');
    expect(statuses).toEqual([401, 401, 401]);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    expect(limited.headers.get('retry-after')).toBe('60');
    expect((await json(limited)).code).toBe('RATE_LIMITED');
    // even the right password is refused while the bucket is empty, and malformed requests cost a token too
    expect((await attempt('203.0.113.7', NIPS.kepalaBidang, 'kinerja-demo')).status).toBe(429);
    expect((await f.req('POST', '/auth/login', { raw: '{', headers: { 'x-forwarded-for': '203.0.113.7', 'content-type': 'application/json' } })).status).toBe(
      429,
    );
    // the refused attempts never reached the account: its failure counter is untouched
    const kb = await f.db.prisma.user.findUniqueOrThrow({ where: { username: NIPS.kepalaBidang }, select: { failedLogins: true } });
    expect(kb.failedLogins).toBe(0);
    // another client is not affected
    expect((await attempt('198.51.100.4', NIPS.kepalaBidang, 'kinerja-demo')).status).toBe(200);
    // a minute later the sprayer has one attempt again
    clock = new Date(clock.getTime() + 60_000);
    expect((await attempt('203.0.113.7', NIPS.kepalaBidang, 'kinerja-demo')).status).toBe(200);
    expect((await attempt('203.0.113.7', NIPS.kepalaBidang, 'kinerja-demo')).status).toBe(429);
  });
});
