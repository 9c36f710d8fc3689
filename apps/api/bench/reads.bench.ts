/**
 * api.reads: a signed-in ASN's hot reads (GET /me, GET /me/tasks) over real HTTP, against a bare Hono app (one
 * trivial JSON route on @hono/node-server) on the same machine, in the same run, with the same load generator:
 *
 *  - the real API (every middleware, authentication, validation) on PGlite (the embedded default, in memory) and on
 *    PostgreSQL (a cluster of the bench's own, as the tests start one), each served by startApi on localhost;
 *  - BENCH_READS_CONNECTIONS keep-alive connections (default 100) sending one request after another for
 *    BENCH_READS_SECONDS (default 10) after BENCH_READS_WARMUP seconds (default 2) of the same load unmeasured;
 *  - the load runs on a worker thread of its own (node:http with a keep-alive agent), so the server's event loop is
 *    not the generator's; the bare app is measured the same way, so the ratio compares servers, not clients;
 *  - BENCH_READS_DATABASES: a comma-separated subset of `pglite,pglite-thread,postgresql` (default all: PGlite in the
 *    API's process, PGlite on its own thread as `npm start` runs it, PostgreSQL);
 *  - statementsPerRequest: the SQL statements the API sent during the measured window (counted at the driver
 *    adapter, openCountingClient) over the requests answered in it, so a query added to a route shows here;
 *  - BENCH_READS_PROFILE=<dir>: a CPU profile of the API's thread (the load generator has its own) over each measured
 *    window, written as <dir>/<database>-<route>.cpuprofile (open it in Chrome DevTools), to see where a request's
 *    time goes without the setup and warm-up in it.
 *
 * Goal (the issue "Month-end at scale"): ≥ 0.3× the bare app's req/s and p99 ≤ 50 ms on PostgreSQL.
 * One JSON object per line on stdout; progress on stderr. A benchmark reports; it asserts nothing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { serve, type ServerType } from '@hono/node-server';
import { migrateDb, openCountingClient, openDb, seedDemo, startPgliteServer, type CountingClient, type Db } from '@kinerja/db';
import { demoRuleSet } from '@kinerja/rules';
import { findPgBin, startPgCluster, type PgCluster } from '@kinerja/testing/services';
import { Client, Connection } from '@temporalio/client';
import { Hono } from 'hono';
import { signAccessToken } from '../src/auth/tokens.js';
import { createLogger, startApi } from '../src/index.js';

const CONNECTIONS = Number(process.env.BENCH_READS_CONNECTIONS ?? 100);
const SECONDS = Number(process.env.BENCH_READS_SECONDS ?? 10);
const WARMUP = Number(process.env.BENCH_READS_WARMUP ?? 2);
const ROUTES = ['/me', '/me/tasks'] as const;
/** which databases to measure, e.g. `postgresql` alone while profiling */
const DATABASES = (process.env.BENCH_READS_DATABASES ?? 'pglite,pglite-thread,postgresql').split(',').map((d) => d.trim());
const SECRET = 'bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
const GOAL = { ratio: 0.3, p99Ms: 50 };
const PROFILE_DIR = process.env.BENCH_READS_PROFILE;

const log = (m: string) => process.stderr.write(`[api reads.bench] ${m}\n`);
const emit = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ ...o, load1: Math.round(loadavg()[0]! * 100) / 100 })}\n`);
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

interface Load {
  requests: number;
  errors: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * The load generator, run as a worker thread's source (CommonJS, plain JavaScript: no loader reaches a worker
 * started from a string): `connections` loops, each sending its next request when the previous answer has been read.
 */
const LOAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { url, headers, connections, seconds } = workerData;
const u = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
function one(latencies) {
  return new Promise((resolve) => {
    const start = performance.now();
    const req = http.request({ agent, host: u.hostname, port: u.port, path: u.pathname + u.search, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200 ? (latencies.push(performance.now() - start), 0) : 1));
    });
    req.on('error', () => resolve(1));
    req.end();
  });
}
async function run(secs) {
  const latencies = [];
  let errors = 0;
  const t0 = performance.now();
  const end = t0 + secs * 1000;
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < end) errors += await one(latencies);
  }));
  return { latencies, errors, seconds: (performance.now() - t0) / 1000 };
}
parentPort.on('message', async (secs) => {
  const r = await run(secs);
  const s = Float64Array.from(r.latencies).sort();
  const q = (p) => (s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : 0);
  parentPort.postMessage({ requests: s.length + r.errors, errors: r.errors, seconds: r.seconds, p50Ms: q(0.5), p99Ms: q(0.99) });
});
`;

/** Profiles this thread (the API's) from start() to stop(name); nothing without BENCH_READS_PROFILE. */
function profiler() {
  let session: Session | undefined;
  return {
    async start() {
      if (!PROFILE_DIR) return;
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    },
    async stop(name: string) {
      if (!session) return;
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      session = undefined;
      mkdirSync(PROFILE_DIR!, { recursive: true });
      const file = join(PROFILE_DIR!, `${name.replace(/[^\w.-]+/g, '_')}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      log(`profile: ${file}`);
    },
  };
}

/** Warm-up, then the measured window; `window` hears when the measured window starts and ends (the statement count). */
async function load(
  url: string,
  headers: Record<string, string>,
  window: { start(): void | Promise<void>; end(): void | Promise<void> } = { start() {}, end() {} },
): Promise<Load> {
  const worker = new Worker(LOAD_SOURCE, { eval: true, workerData: { url, headers, connections: CONNECTIONS, seconds: SECONDS } });
  const run = (secs: number) =>
    new Promise<Load>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.postMessage(secs);
    });
  try {
    if (WARMUP > 0) await run(WARMUP);
    await window.start();
    const r = await run(SECONDS);
    await window.end();
    return r;
  } finally {
    await worker.terminate();
  }
}

async function bare(): Promise<{ url: string; close(): Promise<void> }> {
  const app = new Hono().get('/', (c) => c.json({ ok: true }));
  const { server, port } = await new Promise<{ server: ServerType; port: number }>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve({ server: s, port: info.port }));
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The demo region, and an open evaluation with a few tasks of the ASN's: an inbox to list. */
async function seed(db: Db): Promise<{ userId: string }> {
  const s = await seedDemo(db.prisma, { ruleSetDocument: demoRuleSet, passwordPolicy: { N: 1024, r: 8, p: 1 } });
  const p = db.prisma;
  const cycle = await p.cycle.create({
    data: { regionId: s.regionId, year: 2099, name: 'Bench', ruleSetVersionId: s.ruleSetVersionId, workflowId: `cycle/bench-${crypto.randomUUID()}` },
  });
  const ev = await p.evaluation.create({
    data: {
      cycleId: cycle.id,
      regionId: s.regionId,
      employeeId: s.employees.staff1,
      unitId: s.units.bidang,
      supervisorId: s.employees.kepalaBidang,
      reviewerId: s.employees.kepalaDinas,
      workflowId: `evaluation/bench-${crypto.randomUUID()}`,
    },
  });
  await p.task.createMany({
    data: [1, 2, 3].map((period) => ({
      key: `${ev.id}:SUBMIT_REPORT:${period}`,
      regionId: s.regionId,
      cycleId: cycle.id,
      evaluationId: ev.id,
      kind: 'SUBMIT_REPORT',
      assigneeId: s.employees.staff1,
      period,
      dueAt: new Date(Date.now() + period * 86_400_000),
    })),
  });
  return { userId: s.users.staff1 };
}

async function measureApi(database: 'pglite' | 'postgresql', db: Db, baseline: Load, extra: Record<string, unknown> = {}) {
  const { userId } = await seed(db);
  const counting: CountingClient = openCountingClient(db);
  // the routes measured do not reach Temporal: a lazy connection that is never used
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:7233' }) });
  const api = await startApi({ prisma: counting.prisma, temporal, port: 0, config: { jwtSecret: SECRET }, logger: createLogger('silent') });
  try {
    const token = await signAccessToken(userId, SECRET, 3600, new Date());
    const headers = { authorization: `Bearer ${token}` };
    for (const route of ROUTES) {
      const check = await fetch(`${api.url}${route}`, { headers });
      if (check.status !== 200) throw new Error(`${database} ${route}: ${check.status} ${await check.text()}`);
      let before = 0;
      let after = 0;
      const prof = profiler();
      const r = await load(`${api.url}${route}`, headers, {
        start: async () => {
          before = counting.counter.count;
          await prof.start();
        },
        end: async () => {
          after = counting.counter.count;
          await prof.stop(`${database}-${route}`);
        },
      });
      const value = r.requests / r.seconds;
      const baselineValue = baseline.requests / baseline.seconds;
      const ratio = value / baselineValue;
      emit({
        name: 'api.reads',
        route,
        value: round(value),
        unit: 'req/s',
        baseline: round(baselineValue),
        ratio: round(ratio, 3),
        database,
        ...extra,
        p99Ms: round(r.p99Ms, 2),
        p50Ms: round(r.p50Ms, 2),
        statementsPerRequest: r.requests ? round((after - before) / r.requests, 2) : null,
        connections: CONNECTIONS,
        seconds: round(r.seconds, 1),
        errors: r.errors,
        ...(database === 'postgresql' ? { goal: GOAL, withinGoal: ratio >= GOAL.ratio && r.p99Ms <= GOAL.p99Ms } : {}),
      });
      log(`${database} ${route}: ${round(value)} req/s, p99 ${round(r.p99Ms, 2)} ms`);
    }
  } finally {
    await api.close();
    await counting.close();
    await temporal.connection.close();
  }
}

async function main() {
  const b = await bare();
  let baseline: Load;
  try {
    log(`bare Hono: ${CONNECTIONS} connections, ${SECONDS} s`);
    baseline = await load(b.url, {});
  } finally {
    await b.close();
  }
  emit({
    name: 'api.reads.baseline',
    route: '/',
    value: round(baseline.requests / baseline.seconds),
    unit: 'req/s',
    p99Ms: round(baseline.p99Ms, 2),
    p50Ms: round(baseline.p50Ms, 2),
    connections: CONNECTIONS,
    errors: baseline.errors,
  });

  if (DATABASES.includes('pglite')) {
    log('PGlite (in memory): migrating and seeding');
    const lite = await openDb({ dataDir: 'memory://' });
    try {
      await migrateDb(lite);
      await measureApi('pglite', lite, baseline, { served: 'in process' });
    } finally {
      await lite.close();
    }
  }

  if (DATABASES.includes('pglite-thread')) {
    // the embedded default as `npm start` runs it: PGlite on its own thread, reached over the wire protocol
    log('PGlite on its own thread (in memory): migrating and seeding');
    const server = await startPgliteServer({ dataDir: 'memory://' });
    const lite = await openDb(server.openOptions);
    try {
      await migrateDb(lite);
      await measureApi('pglite', lite, baseline, { served: 'own thread, wire protocol' });
    } finally {
      await lite.close();
      await server.close();
    }
  }

  if (!DATABASES.includes('postgresql')) return;
  const pgBin = findPgBin();
  if (!pgBin) {
    emit({ name: 'api.reads', database: 'postgresql', skipped: 'no PostgreSQL server binaries (set KINERJA_PG_BIN or install postgresql)' });
    return;
  }
  let cluster: PgCluster | undefined;
  let db: Db | undefined;
  try {
    log('PostgreSQL: starting a cluster, migrating and seeding');
    cluster = await startPgCluster(pgBin);
    // the cluster is the bench's own and goes when it ends: its maintenance database holds the region
    db = await openDb({ url: cluster.adminUrl });
    await migrateDb(db);
    await measureApi('postgresql', db, baseline);
  } finally {
    await db?.close();
    await cluster?.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
