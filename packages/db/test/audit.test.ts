import { describe, expect, it } from 'vitest';
import { appendAudit, appendAuditMany, verifyAuditChain, GENESIS_HASH, type Db } from '../src/index.js';
import { createTestDb, dbKinds } from './fixtures.js';

async function withDb<T>(kind: Parameters<typeof createTestDb>[0], fn: (db: Db, regionId: string) => Promise<T>) {
  const db = await createTestDb(kind);
  try {
    const region = await db.prisma.region.create({ data: { code: 'audit', name: 'Audit' } });
    return await fn(db, region.id);
  } finally {
    await db.close();
  }
}

describe.each(dbKinds())('audit chain on %s', (kind) => {
  it('appends a gapless per-region chain and verifies it', () =>
    withDb(kind, async (db, regionId) => {
      const other = await db.prisma.region.create({ data: { code: 'other', name: 'Other' } });
      const first = await appendAudit(db.prisma, {
        regionId,
        actorUserId: 'u1',
        action: 'CREATE',
        entityType: 'Unit',
        entityId: 'x',
        after: { b: 1, a: [1, 'two', null], nested: { z: true, y: 1.5 } },
      });
      expect(first.seq).toBe(1);
      expect(first.prevHash).toBe(GENESIS_HASH);
      await db.prisma.$transaction(async (tx) => {
        await appendAudit(tx, { regionId, action: 'UPDATE', entityType: 'Unit', entityId: 'x', before: { a: 1 }, after: { a: 2 } });
        await appendAudit(tx, { regionId: other.id, action: 'CREATE', entityType: 'Unit', entityId: 'y' });
      });
      // concurrent appends are serialised per region
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          db.prisma.$transaction((tx) => appendAudit(tx, { regionId, action: 'NOTE', entityType: 'Test', entityId: String(i) })),
        ),
      );
      const rows = await db.prisma.auditEvent.findMany({ where: { regionId }, orderBy: { seq: 'asc' } });
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      expect(rows[1]?.prevHash).toBe(first.hash);
      expect(await verifyAuditChain(db.prisma, regionId)).toEqual({ ok: true, checked: 12 });
      expect(await verifyAuditChain(db.prisma, other.id)).toEqual({ ok: true, checked: 1 });
      expect(await verifyAuditChain(db.prisma, regionId, { batchSize: 5 })).toEqual({ ok: true, checked: 12 });
    }));

  it('appends a batch in order under one lock, interleaved safely with single appends', () =>
    withDb(kind, async (db, regionId) => {
      await appendAudit(db.prisma, { regionId, action: 'FIRST', entityType: 'Test', entityId: 'a' });
      const at = new Date('2026-01-02T03:04:05.000Z');
      const batch = (tag: string) =>
        Array.from({ length: 25 }, (_, i) => ({ regionId, action: 'BATCH', entityType: 'Test', entityId: `${tag}${i}`, after: { i }, at }));
      // two batches and single appends racing: each batch stays contiguous, the chain has no gaps
      const counts = await Promise.all([
        db.prisma.$transaction((tx) => appendAuditMany(tx, batch('x'))),
        db.prisma.$transaction((tx) => appendAuditMany(tx, batch('y'))),
        ...Array.from({ length: 5 }, (_, i) => appendAudit(db.prisma, { regionId, action: 'SINGLE', entityType: 'Test', entityId: `s${i}` }).then(() => 1)),
      ]);
      expect(counts).toEqual([25, 25, 1, 1, 1, 1, 1]);
      const rows = await db.prisma.auditEvent.findMany({ where: { regionId }, orderBy: { seq: 'asc' } });
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 56 }, (_, i) => i + 1));
      for (const tag of ['x', 'y']) {
        const seqs = rows.filter((r) => r.entityId.startsWith(tag)).map((r) => r.seq);
        expect(seqs).toEqual(Array.from({ length: 25 }, (_, i) => seqs[0]! + i));
        expect(rows.filter((r) => r.entityId.startsWith(tag)).map((r) => r.entityId)).toEqual(batch(tag).map((b) => b.entityId));
      }
      expect(rows.find((r) => r.entityId === 'x3')?.at.toISOString()).toBe(at.toISOString());
      expect(await verifyAuditChain(db.prisma, regionId)).toEqual({ ok: true, checked: 56 });
      expect(await db.prisma.$transaction((tx) => appendAuditMany(tx, []))).toBe(0);
    }));

  it('refuses a batch that mixes regions, writing nothing', () =>
    withDb(kind, async (db, regionId) => {
      const other = await db.prisma.region.create({ data: { code: 'other', name: 'Other' } });
      const mixed = [
        { regionId, action: 'A', entityType: 'Test', entityId: '1' },
        { regionId: other.id, action: 'B', entityType: 'Test', entityId: '2' },
      ];
      await expect(db.prisma.$transaction((tx) => appendAuditMany(tx, mixed))).rejects.toThrow(/one region/);
      expect(await db.prisma.auditEvent.count()).toBe(0);
    }));

  it('the database rejects UPDATE, DELETE and TRUNCATE of audit events', () =>
    withDb(kind, async (db, regionId) => {
      await appendAudit(db.prisma, { regionId, action: 'CREATE', entityType: 'Unit', entityId: 'x' });
      await expect(db.prisma.auditEvent.updateMany({ data: { action: 'FORGED' } })).rejects.toThrow(/append-only/);
      await expect(db.prisma.auditEvent.deleteMany({})).rejects.toThrow(/append-only/);
      await expect(db.prisma.$executeRawUnsafe('TRUNCATE "AuditEvent"')).rejects.toThrow(/append-only/);
      expect(await db.prisma.auditEvent.count()).toBe(1);
    }));

  it('detects tampering: an edited event (triggers disabled by a superuser) and a forged insert', () =>
    withDb(kind, async (db, regionId) => {
      for (let i = 0; i < 4; i++) {
        await appendAudit(db.prisma, { regionId, action: 'STEP', entityType: 'Test', entityId: String(i), after: { i } });
      }
      await db.prisma.$executeRawUnsafe('ALTER TABLE "AuditEvent" DISABLE TRIGGER USER');
      await db.prisma.$executeRawUnsafe(`UPDATE "AuditEvent" SET "after" = '{"i": 99}' WHERE "regionId" = $1 AND seq = 3`, regionId);
      await db.prisma.$executeRawUnsafe('ALTER TABLE "AuditEvent" ENABLE TRIGGER USER');
      expect(await verifyAuditChain(db.prisma, regionId)).toMatchObject({ ok: false, checked: 2, brokenAt: 3 });

      // a forged row with a valid-looking link but a made-up hash, in a second region
      const r2 = await db.prisma.region.create({ data: { code: 'r2', name: 'R2' } });
      const e1 = await appendAudit(db.prisma, { regionId: r2.id, action: 'A', entityType: 'T', entityId: '1' });
      await db.prisma.auditEvent.create({
        data: { regionId: r2.id, seq: 2, action: 'FORGED', entityType: 'T', entityId: '2', prevHash: e1.hash, hash: 'f'.repeat(64) },
      });
      expect(await verifyAuditChain(db.prisma, r2.id)).toMatchObject({ ok: false, checked: 1, brokenAt: 2 });
    }));
});
