/**
 * The browser tests' system (boot.ts) on the run's services: a database of its own (PostgreSQL from the global
 * setup's cluster, or PGlite where PostgreSQL is not installed) and the global setup's Temporal dev server.
 */
import { createLocalEnv, createTestDb, cutConnections, dbKinds, uniqueId, type Db } from '@kinerja/testing';
import { bootSystem, type BootedSystem, type BootOptions } from './boot.js';

export { E2E_CALENDAR, FAILURES, NIP, PASSWORD, SCREENSHOTS, sleep, until, WEB_ROOT } from './boot.js';

export interface System extends Omit<BootedSystem, 'stop'> {
  db: Db;
  /**
   * Takes the database away from the API (PostgreSQL refuses and ends its connections) until the returned function
   * gives it back: the next request that reads data fails on the server.
   */
  cutDatabase(): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export async function startSystem(options: Omit<BootOptions, 'taskQueue'> = {}): Promise<System> {
  const db = await createTestDb(dbKinds().includes('postgres') ? 'postgres' : 'pglite');
  let env: Awaited<ReturnType<typeof createLocalEnv>> | undefined;
  try {
    env = await createLocalEnv();
    const booted = await bootSystem(db, env, { ...options, taskQueue: uniqueId('web-e2e') });
    const ownEnv = env;
    return {
      ...booted,
      db,
      cutDatabase: () => cutConnections(db),
      close: async () => {
        await booted.stop();
        await ownEnv.teardown();
        await db.close();
      },
    };
  } catch (err) {
    await env?.teardown();
    await db.close();
    throw err;
  }
}
