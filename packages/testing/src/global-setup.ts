/**
 * vitest globalSetup for the projects that need real services (db, testing, worker, api):
 *   - a project-local PostgreSQL cluster (fsync off) with a migrated template database `kinerja_template`;
 *   - a migrated PGlite data directory dumped to a file, so each test's in-memory PGlite starts migrated;
 *   - a Temporal dev server (in memory, headless).
 * Started once per vitest run even when several projects list this file; stopped when the last one tears down.
 * In CI (CI=true) a missing PostgreSQL fails the run instead of skipping the PostgreSQL variants.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import type {} from './context.js';
import { migrateDb, openDb } from '@kinerja/db';
import { findPgBin, isCI, REPO_ROOT, startPgCluster, startTemporalDevServer, TEMPLATE_DB, type PgCluster, type TemporalDevServer } from './services.js';

export interface TestServices {
  pgAdminUrl: string | null;
  pgUnavailable: string | null;
  pgliteTemplate: string;
  temporalAddress: string;
  timings: Record<string, number>;
  stop(): Promise<void>;
}

const elapsed = (t0: number) => Math.round(performance.now() - t0);

async function createPgTemplate(cluster: PgCluster): Promise<number> {
  const t0 = performance.now();
  const admin = new pg.Client({ connectionString: cluster.adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  const db = await openDb({ url: cluster.urlFor(TEMPLATE_DB) });
  try {
    await migrateDb(db);
  } finally {
    await db.close();
  }
  return elapsed(t0);
}

async function createPgliteTemplate(file: string): Promise<number> {
  const t0 = performance.now();
  const instance = await PGlite.create('memory://');
  try {
    await migrateDb(await openDb({ pglite: instance }));
    const dump = await instance.dumpDataDir('none');
    writeFileSync(file, new Uint8Array(await dump.arrayBuffer()));
  } finally {
    await instance.close();
  }
  return elapsed(t0);
}

export async function startTestServices(): Promise<TestServices> {
  const timings: Record<string, number> = {};
  const runDir = join(REPO_ROOT, '.data', `test-run-${process.pid}`);
  mkdirSync(runDir, { recursive: true });
  const pgliteTemplate = join(runDir, 'pglite-template.tar');

  const stops: (() => Promise<void>)[] = [];
  const pending: Promise<unknown>[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => console.error('[testing] teardown:', err));
    rmSync(runDir, { recursive: true, force: true });
  };
  try {
    const temporalStarted = performance.now();
    const temporalPromise: Promise<TemporalDevServer> = startTemporalDevServer().then((server) => {
      timings.temporalStartMs = elapsed(temporalStarted);
      stops.push(() => server.stop());
      return server;
    });
    pending.push(temporalPromise);

    let pgAdminUrl: string | null = null;
    let pgUnavailable: string | null = null;
    const pgBin = findPgBin();
    if (!pgBin) {
      pgUnavailable = 'no PostgreSQL server binaries (set KINERJA_PG_BIN or run `node scripts/kinerja.mjs setup --postgres`)';
      if (isCI()) throw new Error(`CI=true and ${pgUnavailable}`);
      console.warn(`[testing] ${pgUnavailable}: PostgreSQL variants of the tests are skipped`);
    } else {
      const t0 = performance.now();
      const cluster = await startPgCluster(pgBin);
      stops.push(() => cluster.stop());
      timings.pgClusterStartMs = elapsed(t0);
      timings.pgTemplateMigrateMs = await createPgTemplate(cluster);
      pgAdminUrl = cluster.adminUrl;
    }
    timings.pgliteTemplateMigrateMs = await createPgliteTemplate(pgliteTemplate);
    const temporal = await temporalPromise;
    return { pgAdminUrl, pgUnavailable, pgliteTemplate, temporalAddress: temporal.address, timings, stop: stopAll };
  } catch (err) {
    // let a Temporal start still in flight finish (or fail) so that its stop is registered, then stop everything
    await Promise.allSettled(pending);
    await stopAll();
    throw err;
  }
}

// One set of services per vitest process, shared by every project that lists this file.
interface Shared {
  services: Promise<TestServices>;
  users: number;
}
const KEY = Symbol.for('kinerja.testing.services');
const registry = globalThis as unknown as { [KEY]?: Shared };

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let shared = registry[KEY];
  if (!shared) {
    shared = { services: startTestServices(), users: 0 };
    registry[KEY] = shared;
    shared.services.then(
      (s) => {
        if (process.env.KINERJA_TEST_TIMINGS === '1') console.log('[testing] service timings (ms):', s.timings);
      },
      () => {
        delete registry[KEY];
      },
    );
  }
  shared.users += 1;
  const services = await shared.services;
  project.provide('kinerjaPgAdminUrl', services.pgAdminUrl);
  project.provide('kinerjaPgTemplate', TEMPLATE_DB);
  project.provide('kinerjaPgUnavailable', services.pgUnavailable);
  project.provide('kinerjaPgliteTemplate', services.pgliteTemplate);
  project.provide('kinerjaTemporalAddress', services.temporalAddress);
  const mine = shared;
  return async () => {
    mine.users -= 1;
    if (mine.users > 0) return;
    if (registry[KEY] === mine) delete registry[KEY];
    await services.stop();
  };
}
