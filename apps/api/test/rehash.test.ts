import { hashPassword, needsRehash, PASSWORD_POLICY } from '@kinerja/db';
import { dbKinds } from '@kinerja/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NIPS, PASSWORD, setup, type Fixture } from './helpers.js';

// one database kind is enough: the re-hash is the sign-in route's logic, the same SQL on either
const kind = dbKinds().includes('postgres') ? 'postgres' : 'pglite';

describe(`password re-hash at sign-in (${kind})`, () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await setup(kind, { passwordPolicy: PASSWORD_POLICY });
  });
  afterAll(() => f?.close());

  const storedHash = async (username: string) =>
    (await f.db.prisma.user.findUniqueOrThrow({ where: { username }, select: { passwordHash: true } })).passwordHash;
  const signIn = (username: string, password: string) => f.req('POST', '/auth/login', { body: { username, password } });

  it('a hash made with the old parameters signs in and is replaced by one under the policy', async () => {
    const old = await hashPassword(PASSWORD, { N: 1 << 14, r: 8, p: 1 });
    await f.db.prisma.user.update({ where: { username: NIPS.staff1 }, data: { passwordHash: old } });

    expect((await signIn(NIPS.staff1, PASSWORD)).status).toBe(200);
    const stored = await storedHash(NIPS.staff1);
    expect(stored).not.toBe(old);
    expect(stored).toMatch(new RegExp(`^scrypt\\$N=${PASSWORD_POLICY.N},r=${PASSWORD_POLICY.r},p=${PASSWORD_POLICY.p}\\$`));
    expect(needsRehash(stored)).toBe(false);

    // the new hash is the same password: signing in again works and leaves it as it is
    expect((await signIn(NIPS.staff1, PASSWORD)).status).toBe(200);
    expect(await storedHash(NIPS.staff1)).toBe(stored);
  });

  it('a wrong password never re-hashes', async () => {
    const old = await hashPassword(PASSWORD, { N: 1 << 14, r: 8, p: 1 });
    await f.db.prisma.user.update({ where: { username: NIPS.staff2 }, data: { passwordHash: old } });

    const res = await signIn(NIPS.staff2, 'salah-sekali');
    expect(res.status).toBe(401);
    expect(await storedHash(NIPS.staff2)).toBe(old);
  });
});
