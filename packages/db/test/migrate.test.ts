import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffMigrationsToSchema, loadMigrations, migrateDb } from '../src/index.js';
import { createTestDb, createUnmigratedPglite, dbKinds } from './fixtures.js';

const MIGRATIONS = join(import.meta.dirname, '..', 'prisma', 'migrations');

describe('migrations', () => {
  it('the migrations folder matches prisma/schema.prisma (a schema change needs `run migration:new`)', async () => {
    const diff = await diffMigrationsToSchema();
    expect(diff, `the schema differs from the migrations; create one:\n${diff}`).toBe('');
  });

  it('still reports a missing migration, and an operator-class index that a migration created otherwise', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kinerja-migrations-'));
    try {
      const names = loadMigrations().migrationDirectories.map((d) => d.path);
      cpSync(MIGRATIONS, dir, { recursive: true });
      // without the newest migration, the diff asks for what it creates (its first statement that names something)
      const newest = readFileSync(join(dir, names.at(-1)!, 'migration.sql'), 'utf8');
      const created = /CREATE (?:UNIQUE )?(?:INDEX|TABLE) "[^"]+"/.exec(newest)?.[0];
      expect(created, 'the newest migration creates an index or a table').toBeDefined();
      rmSync(join(dir, names.at(-1)!), { recursive: true });
      const missing = await diffMigrationsToSchema({ migrationsDir: dir });
      expect(missing).toContain(created);

      cpSync(MIGRATIONS, dir, { recursive: true });
      const withIndex = names.find((n) => readFileSync(join(dir, n, 'migration.sql'), 'utf8').includes('"AuditEvent_regionId_action_idx"'))!;
      const file = join(dir, withIndex, 'migration.sql');
      writeFileSync(file, readFileSync(file, 'utf8').replace('"action" text_pattern_ops', '"action"'));
      const plain = await diffMigrationsToSchema({ migrationsDir: dir });
      expect(plain).toContain('DROP INDEX "AuditEvent_regionId_action_idx"');
      expect(plain).toContain('CREATE INDEX "AuditEvent_regionId_action_idx" ON "AuditEvent"("regionId", "action" text_pattern_ops)');
      expect(plain).not.toContain('AuditEvent_regionId_entityId_idx');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
