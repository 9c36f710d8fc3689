/**
 * @kinerja/testing: fixtures on real services (never mocks). Use from vitest projects whose config lists
 * `packages/testing/src/global-setup.ts` as globalSetup (it starts PostgreSQL and Temporal once per run).
 */
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import pg from 'pg';
import { inject } from 'vitest';
import { migrateDb, openDb, type Db, type DbKind } from '@kinerja/db';
import type { ProvidedKey } from './context.js';
import { isCI, temporalTestServerPath } from './services.js';

export { findPgBin, freePort, temporalCliPath, temporalTestServerPath, waitForTemporal } from './services.js';
export type { Db, DbKind } from '@kinerja/db';

function provided<K extends ProvidedKey>(key: K) {
  try {
    return inject(key);
  } catch {
    throw new Error(`@kinerja/testing: '${key}' is not provided; add globalSetup: ['../../packages/testing/src/global-setup.ts'] to this vitest project`);
  }
}

/**
 * The database kinds to run database tests against: PGlite always; PostgreSQL when the global setup started a
 * cluster (always in CI, where a missing PostgreSQL fails the run).
 */
export function dbKinds(): DbKind[] {
  const available = provided('kinerjaPgAdminUrl') !== null;
  if (!available && isCI()) throw new Error(`PostgreSQL is required in CI: ${provided('kinerjaPgUnavailable') ?? 'unavailable'}`);
  return available ? ['pglite', 'postgres'] : ['pglite'];
}

// ------------------------------------------------------------------------------------------------ databases

let pgliteTemplate: Promise<Blob> | undefined;

async function freshPglite(): Promise<Db> {
  pgliteTemplate ??= readFile(provided('kinerjaPgliteTemplate')).then((bytes) => new Blob([new Uint8Array(bytes)]));
  const instance = await PGlite.create({ loadDataDir: await pgliteTemplate });
  return openDb({ pglite: instance });
}

async function freshPostgres(): Promise<Db> {
  const adminUrl = provided('kinerjaPgAdminUrl');
  if (!adminUrl) {
    throw new Error(`PostgreSQL is not available for tests: ${provided('kinerjaPgUnavailable') ?? 'unknown reason'}`);
  }
  const name = `kinerja_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${provided('kinerjaPgTemplate')}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openDb({ url: url.toString() });
  return {
    ...db,
    close: async () => {
      await db.close();
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

/**
 * A fresh, migrated database of its own: PostgreSQL = `CREATE DATABASE … TEMPLATE kinerja_template` on the test
 * cluster (dropped by close()); PGlite = a new in-memory instance started from the migrated template data directory.
 */
export function createTestDb(kind: DbKind): Promise<Db> {
  return kind === 'postgres' ? freshPostgres() : freshPglite();
}

/** An empty in-memory PGlite migrated from scratch (for tests of the migrations themselves). */
export async function createUnmigratedPglite(): Promise<Db> {
  return openDb({ dataDir: 'memory://' });
}

/** Migrates `db` (re-exported for tests that start from an empty database). */
export { migrateDb };

// ------------------------------------------------------------------------------------------------ Temporal

/** host:port of the Temporal dev server started by the global setup (shared by all tests: use unique ids). */
export function temporalDevAddress(): string {
  return provided('kinerjaTemporalAddress');
}

/** A time-skipping test server (the installed binary, never a download); one per call: teardown() it. */
export function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
  });
}

/** A test environment on the shared Temporal dev server (real persistence semantics, no time skipping). */
export function createLocalEnv(options: { namespace?: string } = {}): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createFromExistingServer({
    address: temporalDevAddress(),
    namespace: options.namespace ?? 'default',
  });
}

/** A unique suffix for task queues and workflow ids in tests sharing the dev server. */
export const uniqueId = (prefix = 'test') => `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
export { startSmtpServer, type SmtpFixture, type ReceivedMail } from './smtp.js';
export { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './otlp.js';

/**
 * Takes a PostgreSQL test database away from its users, the way an outage would: new connections are refused and the
 * open ones ended, so the next query of the application fails. The returned function lets connections in again (a
 * pool reconnects on its next query).
 */
export async function cutConnections(db: Db): Promise<() => Promise<void>> {
  if (db.kind !== 'postgres' || !db.url) throw new Error('cutConnections needs a PostgreSQL database (createTestDb("postgres"))');
  const target = new URL(db.url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const maintenance = new URL(db.url);
  maintenance.pathname = '/postgres';
  const onMaintenance = async (fn: (c: pg.Client) => Promise<unknown>) => {
    const admin = new pg.Client({ connectionString: maintenance.toString() });
    await admin.connect();
    try {
      await fn(admin);
    } finally {
      await admin.end();
    }
  };
  await onMaintenance(async (c) => {
    await c.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
    await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
  });
  return () => onMaintenance((c) => c.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`));
}
