import { nipProblem } from '@kinerja/domain';
import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex, verifyAuditChain, verifyPassword, type Db } from '../src/index.js';
import { DEMO_EMPLOYEES, DEMO_PASSWORD, seedDemo } from '../src/seed.js';
import { createTestDb, dbKinds } from './fixtures.js';

const ruleSetDocument = { id: 'national', periods: { kind: 'MONTHLY' }, rules: [{ name: 'r1', weight: 0.7 }] };

async function snapshot(db: Db) {
  const p = db.prisma;
  return JSON.stringify(
    await Promise.all([
      p.region.findMany({ orderBy: { id: 'asc' } }),
      p.unit.findMany({ orderBy: { id: 'asc' } }),
      p.employee.findMany({ orderBy: { id: 'asc' } }),
      p.user.findMany({ orderBy: { id: 'asc' } }),
      p.adminGrant.findMany({ orderBy: { id: 'asc' } }),
      p.ruleSet.findMany({ orderBy: { id: 'asc' } }),
      p.ruleSetVersion.findMany({ orderBy: { id: 'asc' } }),
      p.auditEvent.findMany({ orderBy: { id: 'asc' } }),
    ]),
    (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v),
  );
}

describe.each(dbKinds())('seedDemo on %s', (kind) => {
  it('seeds the demo region, logins and the published rule set; a second run changes nothing', async () => {
    const db = await createTestDb(kind);
    try {
      const first = await seedDemo(db.prisma, { ruleSetDocument });
      expect(first.created).toBe(true);
      const region = await db.prisma.region.findUniqueOrThrow({ where: { code: 'demo' } });
      expect(region.name).toBe('Kota Demo');

      const employees = await db.prisma.employee.findMany({ include: { user: true, unit: true } });
      expect(employees).toHaveLength(4);
      for (const e of employees) {
        expect(nipProblem(e.nip)).toBeNull();
        expect(e.user?.username).toBe(e.nip);
        expect(await verifyPassword(DEMO_PASSWORD, e.user?.passwordHash ?? '')).toBe(true);
        // the SKP and evaluation documents print pangkat/golongan and jabatan
        expect(e.pangkat).toMatch(/^(Pengatur|Penata|Pembina)/);
        expect(e.golongan).toMatch(/^(I|II|III|IV)\/[a-e]$/);
        expect(e.position).not.toBe('');
      }
      const byKey = first.employees;
      const head = employees.find((e) => e.id === byKey.kepalaBidang);
      expect(head?.superiorId).toBe(byKey.kepalaDinas);
      expect(head?.unit.kind).toBe('BIDANG');
      for (const s of [byKey.staff1, byKey.staff2]) {
        expect(employees.find((e) => e.id === s)?.superiorId).toBe(byKey.kepalaBidang);
      }
      const bidang = await db.prisma.unit.findUniqueOrThrow({ where: { id: first.units.bidang } });
      expect(bidang.parentId).toBe(first.units.dinas);

      const admin = await db.prisma.user.findUniqueOrThrow({ where: { username: 'admin' }, include: { adminGrants: true } });
      expect(await verifyPassword(DEMO_PASSWORD, admin.passwordHash)).toBe(true);
      expect(admin.adminGrants.map((g) => g.regionId)).toEqual([region.id]);

      const version = await db.prisma.ruleSetVersion.findUniqueOrThrow({ where: { id: first.ruleSetVersionId }, include: { ruleSet: true } });
      expect(version).toMatchObject({ version: 1, status: 'PUBLISHED', ruleSet: { key: 'national' } });
      expect(version.document).toEqual(ruleSetDocument);
      expect(version.contentHash).toBe(sha256Hex(canonicalJson(ruleSetDocument)));
      expect(first.credentials.map((c) => c.username)).toEqual(['admin', ...DEMO_EMPLOYEES.map((e) => e.nip)]);
      expect(await verifyAuditChain(db.prisma, region.id)).toEqual({ ok: true, checked: 1 });

      const before = await snapshot(db);
      const second = await seedDemo(db.prisma, { ruleSetDocument });
      expect(second.created).toBe(false);
      expect({ ...second, created: true }).toEqual(first);
      expect(await snapshot(db)).toBe(before);
    } finally {
      await db.close();
    }
  });
});
