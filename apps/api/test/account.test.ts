/**
 * The account routes on the real app and database: changing the password (validation naming the field, a wrong
 * current password counted like a failed sign-in up to the lockout, other sessions ended, the caller continuing with
 * the new tokens) and my notifications from the outbox (newest first, cursor pages, only mine, titles in my language).
 */
import { dbKinds, uniqueId } from '@kinerja/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, NIPS, PASSWORD, setup, type Fixture } from './helpers.js';

interface Problem {
  code: string;
  errors?: { pointer: string; code: string; message: string }[];
}
interface Tokens {
  accessToken: string;
  refreshToken: string;
}

describe.each([dbKinds().includes('postgres') ? ('postgres' as const) : ('pglite' as const)])('account (%s)', (kind) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setup(kind, { config: { maxFailedLogins: 3 } });
  }, 180_000);
  afterAll(() => f?.close());

  const signIn = async (username: string, password: string) => {
    const res = await f.req('POST', '/auth/login', { body: { username, password } });
    return { status: res.status, body: await json<Tokens & Problem>(res) };
  };
  const change = (token: string, body: unknown, lang?: string) =>
    f.req('PUT', '/me/password', { token, body, ...(lang ? { headers: { 'accept-language': lang } } : {}) });

  it('the new password is validated, naming the field', async () => {
    const { body: s } = await signIn(NIPS.staff2, PASSWORD);
    const cases: [unknown, string, string][] = [
      [{ currentPassword: PASSWORD, newPassword: 'pendek' }, '/newPassword', 'too_small'],
      [{ currentPassword: PASSWORD, newPassword: NIPS.staff2 }, '/newPassword', 'same_as_username'],
      [{ currentPassword: PASSWORD, newPassword: PASSWORD }, '/newPassword', 'unchanged'],
      [{ newPassword: 'kata-sandi-baru-2027' }, '/currentPassword', 'required'],
    ];
    for (const [body, pointer, code] of cases) {
      const res = await change(s.accessToken, body);
      const p = await json<Problem>(res);
      expect(res.status, JSON.stringify(p)).toBe(422);
      expect(p.errors?.map((e) => `${e.pointer}:${e.code}`)).toContain(`${pointer}:${code}`);
    }
    expect((await signIn(NIPS.staff2, PASSWORD)).status).toBe(200);
  });

  it('a wrong current password: 422 naming it, counted like a failed sign-in, the lockout ends the sessions', async () => {
    const { body: s } = await signIn(NIPS.kepalaDinas, PASSWORD);
    const res = await change(s.accessToken, { currentPassword: 'salah-sekali-123', newPassword: 'kata-sandi-baru-2027' }, 'en');
    const p = await json<Problem>(res);
    expect(res.status).toBe(422);
    expect(p.errors).toEqual([expect.objectContaining({ pointer: '/currentPassword', code: 'wrong_password', message: 'the current password is wrong' })]);
    const user = await f.db.prisma.user.findUniqueOrThrow({ where: { username: NIPS.kepalaDinas } });
    expect(user.failedLogins).toBe(1);
    // a failed sign-in adds to the same count: the third failure locks the account (maxFailedLogins 3)
    expect((await signIn(NIPS.kepalaDinas, 'salah-juga-456')).status).toBe(401);
    const locked = await change(s.accessToken, { currentPassword: 'masih-salah-789', newPassword: 'kata-sandi-baru-2027' });
    expect(locked.status).toBe(429);
    expect(await json(locked)).toMatchObject({ code: 'ACCOUNT_LOCKED' });
    expect((await f.req('GET', '/me', { token: s.accessToken })).status).toBe(401);
    expect((await f.req('POST', '/auth/refresh', { body: { refreshToken: s.refreshToken } })).status).toBe(401);
  });

  it('success: the password changes, other sessions end, the caller continues with the new tokens', async () => {
    const { body: here } = await signIn(NIPS.staff1, PASSWORD);
    const { body: phone } = await signIn(NIPS.staff1, PASSWORD);
    const res = await change(here.accessToken, { currentPassword: PASSWORD, newPassword: 'Kinerja-baru-2027!' });
    const fresh = await json<Tokens & { tokenType: string; expiresIn: number }>(res);
    expect(res.status, JSON.stringify(fresh)).toBe(200);
    expect(fresh.tokenType).toBe('Bearer');

    // every earlier session is over, access and refresh tokens alike, this request's own included
    for (const token of [here.accessToken, phone.accessToken]) expect((await f.req('GET', '/me', { token })).status).toBe(401);
    for (const refreshToken of [here.refreshToken, phone.refreshToken])
      expect((await f.req('POST', '/auth/refresh', { body: { refreshToken } })).status).toBe(401);
    // the new pair works
    expect((await f.req('GET', '/me', { token: fresh.accessToken })).status).toBe(200);
    expect((await f.req('POST', '/auth/refresh', { body: { refreshToken: fresh.refreshToken } })).status).toBe(200);
    // and only the new password signs in
    expect((await signIn(NIPS.staff1, PASSWORD)).status).toBe(401);
    expect((await signIn(NIPS.staff1, 'Kinerja-baru-2027!')).status).toBe(200);
  });

  it('my notifications: newest first, paged by cursor, only mine, titled in the language asked for', async () => {
    const p = f.db.prisma;
    const me = f.seed.employees.staff2;
    const base = Date.parse('2027-02-01T00:00:00Z');
    const events = ['REMINDER', 'SKP_RETURNED', 'PERIOD_FEEDBACK', 'ANNUAL_RESULT', 'APPEAL_DECISION'] as const;
    for (const [i, event] of events.entries()) {
      await p.notification.create({
        data: {
          regionId: f.seed.regionId,
          key: uniqueId('acct/n'),
          event,
          channel: i % 2 ? 'WHATSAPP' : 'EMAIL',
          recipientId: me,
          address: 'dewi@kotademo.example',
          payload: {},
          status: i === 4 ? 'PENDING' : 'SENT',
          sentAt: i === 4 ? null : new Date(base + i * 60_000 + 1000),
          createdAt: new Date(base + i * 60_000),
        },
      });
    }
    // two at the same instant: the cursor still passes each exactly once
    for (const channel of ['EMAIL', 'SMS'] as const) {
      await p.notification.create({
        data: {
          regionId: f.seed.regionId,
          key: uniqueId('acct/n'),
          event: 'ESCALATION',
          channel,
          recipientId: me,
          address: 'x',
          payload: {},
          createdAt: new Date(base - 60_000),
        },
      });
    }
    await p.notification.create({
      data: {
        regionId: f.seed.regionId,
        key: uniqueId('acct/other'),
        event: 'REMINDER',
        channel: 'EMAIL',
        recipientId: f.seed.employees.kepalaBidang,
        address: 'y',
        payload: {},
        createdAt: new Date(base + 10 * 60_000),
      },
    });

    const token = await f.login(NIPS.staff2);
    type Page = {
      items: { id: string; event: string; channel: string; status: string; title: string; createdAt: string; sentAt: string | null }[];
      nextCursor: string | null;
    };
    const seen: Page['items'] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=3&cursor=${encodeURIComponent(cursor)}` : '?limit=3';
      const res = await f.req('GET', `/me/notifications${query}`, { token });
      const page = await json<Page>(res);
      expect(res.status, JSON.stringify(page)).toBe(200);
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen.map((n) => n.event)).toEqual(['APPEAL_DECISION', 'ANNUAL_RESULT', 'PERIOD_FEEDBACK', 'SKP_RETURNED', 'REMINDER', 'ESCALATION', 'ESCALATION']);
    expect(new Set(seen.map((n) => n.id)).size).toBe(7);
    expect(seen[0]).toMatchObject({ status: 'PENDING', sentAt: null, title: 'Keputusan keberatan', channel: 'EMAIL' });
    expect(seen[1]).toMatchObject({ status: 'SENT', sentAt: new Date(base + 3 * 60_000 + 1000).toISOString(), title: 'Hasil penilaian kinerja tahunan' });

    const en = await json<Page>(await f.req('GET', '/me/notifications?limit=1', { token, headers: { 'accept-language': 'en' } }));
    expect(en.items[0]?.title).toBe('Keberatan decision');

    const bad = await f.req('GET', '/me/notifications?cursor=bukan-cursor', { token });
    expect(bad.status).toBe(422);
    expect((await json<Problem>(bad)).errors?.[0]).toMatchObject({ pointer: '/cursor', code: 'invalid_cursor' });

    // an admin without an employee record has none
    const admin = await f.login('admin');
    expect(await json(await f.req('GET', '/me/notifications', { token: admin }))).toEqual({ items: [], nextCursor: null });
  });
});
