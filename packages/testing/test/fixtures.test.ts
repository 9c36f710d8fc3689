import { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { createLocalEnv, createTestDb, createTimeSkippingEnv, dbKinds, temporalDevAddress, waitForTemporal } from '../src/index.js';
import { isCI } from '../src/services.js';

describe('dbKinds', () => {
  it('always includes PGlite, and PostgreSQL whenever it is installed (always in CI)', () => {
    const kinds = dbKinds();
    expect(kinds).toContain('pglite');
    if (isCI()) expect(kinds).toContain('postgres');
  });
});

describe.each(dbKinds())('createTestDb(%s)', (kind) => {
  it('returns migrated databases isolated from each other', async () => {
    const [a, b] = await Promise.all([createTestDb(kind), createTestDb(kind)]);
    try {
      expect(a.kind).toBe(kind);
      await a.prisma.region.create({ data: { code: 'only-in-a', name: 'A' } });
      expect(await a.prisma.region.count()).toBe(1);
      expect(await b.prisma.region.count()).toBe(0);
      const migrations = await b.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM _prisma_migrations`;
      expect(Number(migrations[0]?.n)).toBeGreaterThan(0);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('Temporal', () => {
  it('the dev server of the run answers', async () => {
    const address = temporalDevAddress();
    expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
    await waitForTemporal(address, { timeoutMs: 5_000 });
  });

  it('createLocalEnv connects to the shared dev server', async () => {
    const env = await createLocalEnv();
    try {
      const client: Client = env.client;
      const ns = await client.workflowService.describeNamespace({ namespace: 'default' });
      expect(ns.namespaceInfo?.name).toBe('default');
    } finally {
      await env.teardown();
    }
  });

  it('createTimeSkippingEnv starts the installed test server (no download)', async () => {
    const env = await createTimeSkippingEnv();
    try {
      expect(env.supportsTimeSkipping).toBe(true);
      const before = await env.currentTimeMs();
      await env.sleep('1 day');
      expect(Number(await env.currentTimeMs()) - Number(before)).toBeGreaterThanOrEqual(86_400_000);
    } finally {
      await env.teardown();
    }
  });
});
