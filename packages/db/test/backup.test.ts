import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { backupDatabase, restoreDatabase } from '../src/backup.js';
import { appendAudit, openDb } from '../src/index.js';
import { createTestDb, dbKinds } from './fixtures.js';

async function admin<T>(url: URL, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const u = new URL(url);
  u.pathname = '/postgres';
  const client = new pg.Client({ connectionString: u.toString() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe.runIf(dbKinds().includes('postgres'))('backup and restore on postgres', () => {
  it('restores into an empty database with every row and a verifying chain; a tampered copy fails verification', async () => {
    const source = await createTestDb('postgres');
    const dir = mkdtempSync(join(tmpdir(), 'kinerja-backup-'));
    const sourceUrl = new URL(source.url ?? '');
    const targets: string[] = [];
    const emptyDb = async () => {
      const name = `kinerja_restore_${randomBytes(4).toString('hex')}`;
      await admin(sourceUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
      targets.push(name);
      const u = new URL(sourceUrl);
      u.pathname = `/${name}`;
      return u.toString();
    };
    const tools = { path: process.env.PATH };
    try {
      const region = await source.prisma.region.create({ data: { code: 'cadang', name: 'Cadangan' } });
      for (let i = 0; i < 5; i++) {
        await appendAudit(source.prisma, { regionId: region.id, action: 'UPDATE', entityType: 'Region', entityId: region.id, after: { i } });
      }
      const file = join(dir, 'kinerja.dump');
      await backupDatabase(source.url ?? '', file, tools);

      const target = await emptyDb();
      const report = await restoreDatabase(target, file, tools);
      expect(report.ok).toBe(true);
      expect(report.regions).toEqual([{ code: 'cadang', report: { ok: true, checked: 5 } }]);
      const copy = await openDb({ url: target });
      try {
        expect(await copy.prisma.auditEvent.count()).toBe(await source.prisma.auditEvent.count());
        expect(await copy.prisma.region.count()).toBe(await source.prisma.region.count());
      } finally {
        await copy.close();
      }
      // a non-empty target is refused unless --clean
      await expect(restoreDatabase(target, file, tools)).rejects.toThrow(/not empty/);
      expect((await restoreDatabase(target, file, { ...tools, clean: true })).ok).toBe(true);

      // the owner can get past the append-only triggers; verification of the restored copy notices the rewrite
      const tampered = new pg.Client({ connectionString: target });
      await tampered.connect();
      try {
        await tampered.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
        await tampered.query(`UPDATE "AuditEvent" SET "after" = '{"i": 99}' WHERE seq = 3`);
        await tampered.query(`ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
      } finally {
        await tampered.end();
      }
      const tamperedFile = join(dir, 'tampered.dump');
      await backupDatabase(target, tamperedFile, tools);
      const broken = await restoreDatabase(await emptyDb(), tamperedFile, tools);
      expect(broken.ok).toBe(false);
      expect(broken.regions[0]?.report).toMatchObject({ ok: false, brokenAt: 3 });
    } finally {
      await source.close();
      await admin(sourceUrl, async (c) => {
        for (const name of targets) await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
