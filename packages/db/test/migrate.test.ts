import { describe, expect, it } from 'vitest';
import { diffMigrationsToSchema, loadMigrations, migrateDb } from '../src/index.js';
import { createTestDb, createUnmigratedPglite, dbKinds } from './fixtures.js';

describe('migrations', () => {
  it('the migrations folder matches prisma/schema.prisma (a schema change needs `run migration:new`)', async () => {
    const diff = await diffMigrationsToSchema();
    expect(diff, `the schema differs from the migrations; create one:\n${diff}`).toBe('');
  });

  it('applies every migration to an empty PGlite, records them in _prisma_migrations, and is a no-op the second time', async () => {
    const db = await createUnmigratedPglite();
    try {
      const names = loadMigrations().migrationDirectories.map((d) => d.path);
      const first = await migrateDb(db);
      expect(first.applied).toEqual(names);
      const second = await migrateDb(db);
      expect(second.applied).toEqual([]);
      const rows = await db.prisma.$queryRaw<{ migration_name: string; finished_at: Date | null }[]>`
        SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name`;
      expect(rows.map((r) => r.migration_name)).toEqual(names);
      expect(rows.every((r) => r.finished_at !== null)).toBe(true);
    } finally {
      await db.close();
    }
  });

  for (const kind of dbKinds()) {
    it(`${kind}: a test database is migrated and up to date`, async () => {
      const db = await createTestDb(kind);
      try {
        expect(db.kind).toBe(kind);
        expect((await migrateDb(db)).applied).toEqual([]);
        expect(await db.prisma.region.count()).toBe(0);
      } finally {
        await db.close();
      }
    });
  }
});
