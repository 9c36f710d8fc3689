import { describe, expect, it } from 'vitest';
import { createTestDb, cutConnections, dbKinds } from '../src/index.js';

describe.skipIf(!dbKinds().includes('postgres'))('cutConnections (PostgreSQL)', () => {
  it('fails the next query until the database is given back', async () => {
    const db = await createTestDb('postgres');
    try {
      expect(await db.prisma.region.count()).toBe(0);
      const restore = await cutConnections(db);
      await expect(db.prisma.region.count()).rejects.toThrow();
      await restore();
      expect(await db.prisma.region.count()).toBe(0);
    } finally {
      await db.close();
    }
  });

  it('refuses PGlite, which has no connections to cut', async () => {
    const db = await createTestDb('pglite');
    try {
      await expect(cutConnections(db)).rejects.toThrow(/PostgreSQL/);
    } finally {
      await db.close();
    }
  });
});
