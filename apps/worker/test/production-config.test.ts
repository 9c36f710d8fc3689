/** The worker's production checks: no silent PGlite, no misspelt setting ignored, and the variables' table. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleWorkflowCode, NativeConnection } from '@temporalio/worker';
import { createTestDb, temporalDevAddress, uniqueId, type Db } from '@kinerja/testing';
import { ConfigError, loadWorkerConfig, startWorker, workerConfigVariables, workflowInterceptorModules, workflowsPath } from '../src/index.js';
import { silentLog } from './helpers.js';

const quietLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: console.error,
  log: () => undefined,
};

const production = { NODE_ENV: 'production', DATABASE_URL: 'postgresql://kinerja:rahasia@db:5432/kinerja' };

it('refuses to start in production without DATABASE_URL, naming it', () => {
  const missing = () => loadWorkerConfig({ NODE_ENV: 'production' });
  expect(missing).toThrow(ConfigError);
  expect(missing).toThrow(/DATABASE_URL: required when NODE_ENV=production/);
  expect(() => loadWorkerConfig({ NODE_ENV: 'production', DATABASE_URL: '  ' })).toThrow(/DATABASE_URL/);
  // outside production the unset database is PGlite
  expect(loadWorkerConfig({}).databaseUrl).toBeUndefined();
});

it('refuses an unknown setting in production, naming it and the likely intended name', () => {
  const typo = () => loadWorkerConfig({ ...production, DATABSE_URL: 'postgresql://x', NOTIFY_RETRIES: '3' });
  expect(typo).toThrow(ConfigError);
  expect(typo).toThrow(/DATABSE_URL: not a setting of the worker \(did you mean DATABASE_URL\?\)/);
  // a name with our prefix but near none of ours: named without a guess
  expect(typo).toThrow(/NOTIFY_RETRIES: not a setting of the worker$/m);
  expect(() => loadWorkerConfig({ ...production, TEMPORAL_ADRESS: 'temporal:7233' })).toThrow(/did you mean TEMPORAL_ADDRESS\?/);
  expect(() => loadWorkerConfig({ ...production, WORKER_METRICS_ADDR: '0.0.0.0:9464' })).toThrow(/WORKER_METRICS_ADDR/);
});

it('warns about an unknown setting outside production and starts', () => {
  const c = loadWorkerConfig({ SMTP_HOST: 'mail.example.go.id', NOTIFY_BATCHES: '5', MAIL_FORM: 'x' });
  expect(c.warnings).toEqual([
    'SMTP_HOST: not a setting of the worker',
    'NOTIFY_BATCHES: not a setting of the worker (did you mean NOTIFY_BATCH?)',
    'MAIL_FORM: not a setting of the worker (did you mean MAIL_FROM?)',
  ]);
  expect(c.notifications.dispatcher.batchSize).toBe(20);
});

it("leaves other programs' variables alone", () => {
  const env = { ...production, PATH: '/usr/bin', HOME: '/home/kinerja', JWT_SECRET: 'x', PORT: '3000', npm_config_cache: '/tmp', S3_BUCKET: 'b' };
  expect(loadWorkerConfig(env).warnings).toEqual([]);
});

it('serves metrics in production by default, elsewhere only when asked', () => {
  expect(loadWorkerConfig(production).metricsAddress).toBe('0.0.0.0:9464');
  expect(loadWorkerConfig({ ...production, WORKER_METRICS_ADDRESS: 'off' }).metricsAddress).toBeUndefined();
  expect(loadWorkerConfig({}).metricsAddress).toBeUndefined();
  expect(loadWorkerConfig({ WORKER_METRICS_ADDRESS: '127.0.0.1:9465' }).metricsAddress).toBe('127.0.0.1:9465');
  expect(() => loadWorkerConfig({ WORKER_METRICS_ADDRESS: '9464' })).toThrow(/WORKER_METRICS_ADDRESS: host:port/);
});

it('reads the workflow bundle path (absolute only) and the log level', () => {
  const c = loadWorkerConfig({ WORKFLOW_BUNDLE: '/opt/kinerja/workflow-bundle.js', LOG_LEVEL: 'debug' });
  expect(c).toMatchObject({ workflowBundlePath: '/opt/kinerja/workflow-bundle.js', logLevel: 'debug' });
  expect(loadWorkerConfig({}).logLevel).toBe('info');
  expect(() => loadWorkerConfig({ WORKFLOW_BUNDLE: 'dist/workflow-bundle.js' })).toThrow(/WORKFLOW_BUNDLE: an absolute path/);
  expect(() => loadWorkerConfig({ LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL/);
});

it('lists every variable it reads, with a description, for the README', () => {
  const names = workerConfigVariables.map((v) => v.name);
  expect(names).toEqual(
    expect.arrayContaining(['DATABASE_URL', 'TEMPORAL_ADDRESS', 'SMTP_URL', 'NOTIFY_BATCH', 'WORKFLOW_BUNDLE', 'WORKER_METRICS_ADDRESS', 'LOG_LEVEL']),
  );
  expect(new Set(names).size).toBe(names.length);
  for (const v of workerConfigVariables) expect(v.description.length).toBeGreaterThan(10);
});

describe('a prebuilt workflow bundle', () => {
  let dir: string;
  let db: Db;
  let connection: NativeConnection;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kinerja-bundle-'));
    db = await createTestDb('pglite');
    connection = await NativeConnection.connect({ address: temporalDevAddress() });
  });
  afterAll(async () => {
    await connection?.close();
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the workflows from the file it is given', async () => {
    const codePath = join(dir, 'workflow-bundle.js');
    const { code } = await bundleWorkflowCode({ workflowsPath, workflowInterceptorModules, logger: quietLogger });
    await writeFile(codePath, code);
    const taskQueue = uniqueId('bundle');
    const running = await startWorker({ prisma: db.prisma, connection, taskQueue, log: silentLog, workflowBundlePath: codePath });
    try {
      const result = await running.client.workflow.execute('maintenanceWorkflow', { taskQueue, workflowId: uniqueId('maintenance'), args: [{}] });
      expect(result).toEqual({ idempotencyRecordsDeleted: 0 });
    } finally {
      await running.shutdown();
    }
    // the path is what the worker loads: a missing file stops it at creation instead of bundling again
    await expect(startWorker({ prisma: db.prisma, connection, taskQueue, log: silentLog, workflowBundlePath: join(dir, 'missing.js') })).rejects.toThrow();
  });
});
