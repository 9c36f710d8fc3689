/**
 * The `verify-audit` CLI as an operator runs it: a child process (tsx) against a test PostgreSQL database, once with
 * clean chains (exit 0, one line per region) and once after a row was forged behind the triggers' back (exit 1, the
 * line names the broken seq).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, type Db } from '../src/index.js';
import { createTestDb } from './fixtures.js';

const PKG = join(import.meta.dirname, '..');
const TSX = join(PKG, 'node_modules', '.bin', 'tsx');
const CLI = join(PKG, 'src', 'cli', 'verify-audit.ts');

function runCli(url: string, args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, [CLI, ...args], { cwd: PKG, env: { ...process.env, DATABASE_URL: url }, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('verify-audit CLI (PostgreSQL)', () => {
  let db: Db;
  let url: string;
  beforeAll(async () => {
    db = await createTestDb('postgres');
    url = db.url!;
    const alpha = await db.prisma.region.create({ data: { code: 'alpha', name: 'Alpha' } });
    const beta = await db.prisma.region.create({ data: { code: 'beta', name: 'Beta' } });
    for (let i = 0; i < 5; i++) await appendAudit(db.prisma, { regionId: alpha.id, action: 'STEP', entityType: 'Test', entityId: String(i), after: { i } });
    for (let i = 0; i < 3; i++) await appendAudit(db.prisma, { regionId: beta.id, action: 'STEP', entityType: 'Test', entityId: String(i), after: { i } });
    await db.prisma.region.create({ data: { code: 'empty', name: 'Empty' } });
  });
  afterAll(() => db?.close());

  it('exits 0 and prints one ok line per region when every chain verifies', async () => {
    const r = await runCli(url);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(['region alpha: ok, 5 events', 'region beta: ok, 3 events', 'region empty: ok, 0 events']);

    const one = await runCli(url, ['--region', 'beta']);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout.trim()).toBe('region beta: ok, 3 events');

    const unknown = await runCli(url, ['--region', 'nowhere']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('region nowhere: not found');

    const usage = await runCli(url, ['--bogus']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: verify-audit');
  }, 120_000);

  it('exits 1 and names the seq after a row is forged', async () => {
    const alpha = await db.prisma.region.findUniqueOrThrow({ where: { code: 'alpha' } });
    // a superuser edits event 4 behind the append-only triggers
    await db.prisma.$executeRawUnsafe('ALTER TABLE "AuditEvent" DISABLE TRIGGER USER');
    try {
      await db.prisma.$executeRawUnsafe(`UPDATE "AuditEvent" SET "after" = '{"i": 99}' WHERE "regionId" = $1 AND seq = 4`, alpha.id);
    } finally {
      await db.prisma.$executeRawUnsafe('ALTER TABLE "AuditEvent" ENABLE TRIGGER USER');
    }
    const r = await runCli(url);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^region alpha: BROKEN at seq 4: hash does not match the event content/);
    expect(lines.slice(1)).toEqual(['region beta: ok, 3 events', 'region empty: ok, 0 events']);
    expect(r.stderr).toContain('broken in 1 of 3 region(s)');

    // only the intact region: still 0
    expect((await runCli(url, ['--region=beta'])).code).toBe(0);
    expect((await runCli(url, ['--region', 'alpha'])).code).toBe(1);
  }, 120_000);
});
