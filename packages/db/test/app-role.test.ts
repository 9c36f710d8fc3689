import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { appendAudit, ensureAppRole, openDb, verifyAuditChain } from '../src/index.js';
import { createTestDb, dbKinds } from './fixtures.js';

// roles exist on PostgreSQL only (PGlite is one in-process superuser)
describe.runIf(dbKinds().includes('postgres'))('the application role on postgres', () => {
  it('appends audit events and writes application tables, but cannot update, delete or truncate the audit trail', async () => {
    const owner = await createTestDb('postgres');
    const role = `kinerja_app_${randomBytes(4).toString('hex')}`;
    const password = randomBytes(12).toString('hex');
    const appUrl = new URL(owner.url ?? '');
    appUrl.username = role;
    appUrl.password = password;
    const adminUrl = new URL(owner.url ?? '');
    adminUrl.pathname = '/postgres';
    try {
      await ensureAppRole(owner.prisma, { role, password });
      await ensureAppRole(owner.prisma, { role, password }); // idempotent: a second run after the next migration
      const region = await owner.prisma.region.create({ data: { code: 'peran', name: 'Peran' } });
      await appendAudit(owner.prisma, { regionId: region.id, action: 'CREATE', entityType: 'Region', entityId: region.id });

      const app = await openDb({ url: appUrl.toString() });
      try {
        // the normal audit code path, and ordinary writes, as the application
        const event = await appendAudit(app.prisma, {
          regionId: region.id,
          action: 'UPDATE',
          entityType: 'Region',
          entityId: region.id,
          after: { name: 'Baru' },
        });
        expect(event.seq).toBe(2);
        await app.prisma.region.update({ where: { id: region.id }, data: { name: 'Baru' } });
        const other = await app.prisma.region.create({ data: { code: 'lain', name: 'Lain' } });
        await app.prisma.region.delete({ where: { id: other.id } });
        expect((await verifyAuditChain(app.prisma, region.id)).ok).toBe(true);
      } finally {
        await app.close();
      }

      const client = new pg.Client({ connectionString: appUrl.toString() });
      await client.connect();
      try {
        for (const sql of [
          `UPDATE "AuditEvent" SET action = 'FORGED'`,
          `DELETE FROM "AuditEvent"`,
          `TRUNCATE "AuditEvent"`,
          `ALTER TABLE "AuditEvent" DISABLE TRIGGER ALL`,
          `DROP TABLE "AuditEvent"`,
        ]) {
          await expect(client.query(sql), sql).rejects.toThrow(/permission denied|must be owner/);
        }
      } finally {
        await client.end();
      }
      expect(await owner.prisma.auditEvent.count({ where: { regionId: region.id } })).toBe(2);
    } finally {
      await owner.close();
      const admin = new pg.Client({ connectionString: adminUrl.toString() });
      await admin.connect();
      try {
        await admin.query(`DROP ROLE IF EXISTS "${role}"`);
      } finally {
        await admin.end();
      }
    }
  });
});
