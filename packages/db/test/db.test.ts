import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, PASSWORD_POLICY, verifyPassword } from '../src/index.js';
import { createTestDb, dbKinds } from './fixtures.js';

describe('password', () => {
  it('hashes with scrypt at N = 2^17 by default, parameters in the string, and verifies', async () => {
    const hash = await hashPassword('rahasia sekali');
    expect(hash).toMatch(/^scrypt\$N=131072,r=8,p=1\$[\w-]+\$[\w-]+$/);
    expect(needsRehash(hash)).toBe(false);
    expect(await verifyPassword('rahasia sekali', hash)).toBe(true);
    expect(await verifyPassword('rahasia sekalI', hash)).toBe(false);
    expect(await hashPassword('rahasia sekali')).not.toBe(hash); // salted
  });

  it('honours the parameters stored in the hash and rejects malformed or abusive ones', async () => {
    const weak = await hashPassword('pw', { N: 1024 });
    expect(weak).toMatch(/^scrypt\$N=1024,r=8,p=1\$/);
    expect(await verifyPassword('pw', weak)).toBe(true);
    expect(needsRehash(weak)).toBe(true);
    // the hashes of the old default (N = 2^14) are due for a re-hash under today's policy
    expect(needsRehash(await hashPassword('pw', { N: 16384 }))).toBe(true);
    // against a cheaper target (test fixtures) the same hash is current, and a stronger one is never downgraded
    expect(needsRehash(weak, { N: 1024, r: 8, p: 1 })).toBe(false);
    expect(needsRehash(await hashPassword('pw', { N: 2048 }), { N: 1024, r: 8, p: 1 })).toBe(false);
    expect(needsRehash(weak, { ...PASSWORD_POLICY, N: 1024, r: 16 })).toBe(true);
    expect(needsRehash('not a hash', { N: 2, r: 1, p: 1 })).toBe(true);
    for (const bad of ['', 'plain', 'scrypt$N=16384$x$y', 'scrypt$N=1000,r=8,p=1$c2FsdA$a2V5', 'scrypt$N=4194304,r=8,p=1$c2FsdA$a2V5']) {
      expect(await verifyPassword('pw', bad)).toBe(false);
    }
  });
});

describe.each(dbKinds())('openDb on %s', (kind) => {
  it('runs interactive transactions: commit and rollback', async () => {
    const db = await createTestDb(kind);
    try {
      await db.prisma.$transaction(async (tx) => {
        await tx.region.create({ data: { code: 'a', name: 'A' } });
        expect(await tx.region.count()).toBe(1);
      });
      await expect(
        db.prisma.$transaction(async (tx) => {
          await tx.region.create({ data: { code: 'b', name: 'B' } });
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect((await db.prisma.region.findMany()).map((r) => r.code)).toEqual(['a']);
    } finally {
      await db.close();
    }
  });

  it('serves concurrent transactions without losing writes', async () => {
    const db = await createTestDb(kind);
    try {
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          db.prisma.$transaction(async (tx) => {
            await tx.region.create({ data: { code: `r${i}`, name: `R${i}` } });
          }),
        ),
      );
      expect(await db.prisma.region.count()).toBe(8);
    } finally {
      await db.close();
    }
  });
});
