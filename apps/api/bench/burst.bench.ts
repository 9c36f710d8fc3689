/**
 * api.burst (the issue "Month-end at scale"): month-end, every employee of a region submits a period report through
 * the API over HTTP, as themselves (a token each, `PUT /evaluations/{id}/periods/1/report`), 50 in flight; beside
 * the same number of raw Temporal updates on the same server in the same run: a trivial workflow whose update
 * handler runs one no-op local activity and returns (burst-workflow.ts, its own worker and task queue), started N
 * times, then N updates with 50 in flight from a Temporal client. The ratio says what Kinerja adds (HTTP,
 * authentication, authorisation, validation, the evaluation workflow's machine and its projection) to the floor of
 * an update that writes once.
 *
 *  - pglite: the embedded default as `npm start` wires it, in this one process: PGlite on a file served from a thread
 *    of its own over the wire protocol (startPgliteServer), a Temporal dev server (@kinerja/testing's), the worker
 *    (startWorker) and the API (startApi) on localhost sharing the database;
 *    the API runs on a statement-counting client of the same PGlite (openCountingClient), so statementsPerRequest is
 *    what the API itself sent per submission (the worker's projection writes are not in it). No e-mail dispatcher:
 *    notification rows wait in the outbox.
 *  - postgresql: startTopology({ temporal: 'dev', workers: 1 }): PostgreSQL, the dev server, the built API and one
 *    built worker as processes; the baseline's worker runs in this process on the same dev server. The API is another
 *    process, so its statements are not counted there (statementsPerRequest null).
 *
 * Setup (not measured): a cycle on a fast calendar opened through the API, every SKP submitted and approved through
 * the Temporal client, then a wait until period 1 is open.
 *
 * BENCH_BURST_EMPLOYEES (default 2000); BENCH_BURST_MAX_CACHED and BENCH_BURST_WORKFLOW_THREADS, the worker's cache and
 * workflow threads (default the worker's); BENCH_BURST_DATABASES, a comma-separated subset of `pglite,postgresql`
 * (default both); BENCH_BURST_PGLITE=memory for an in-memory PGlite instead of a file; BENCH_BURST_CPU_PROFILE=<file>
 * writes a V8 CPU profile of the embedded run's measured API burst (this process: API, worker, client);
 * BENCH_BURST_PROCESS_PROFILES=<dir> has the PostgreSQL run's API and worker processes write theirs there
 * (cpu-profile-hook.cjs, their whole life: setup and burst). Each line also carries the CPU milliseconds per operation of each
 * kind of process (/proc), for the burst and for the baseline.
 * Goal: ≥ 0.7× the baseline's rate and p99 ≤ 1 s. One JSON object per line on stdout; progress on stderr. A benchmark
 * reports; it asserts nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Session } from 'node:inspector/promises';
import { Client, Connection } from '@temporalio/client';
// The API never imports a worker (the lint rule); this bench runs npm start's one process, the worker beside the API,
// and the baseline's own worker. apps/api declares neither @temporalio/worker nor @temporalio/workflow: the worker
// resolves from the root package's dependencies, the workflow package from the worker's own (see bundleBaseline).
// eslint-disable-next-line no-restricted-imports -- see above
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { migrateDb, openCountingClient, openDb, startPgliteServer, type Db } from '@kinerja/db';
import { startTemporalDevServer } from '@kinerja/testing/services';
import { startTopology } from '@kinerja/testing/topology';
// eslint-disable-next-line no-restricted-imports -- npm start's one process: see above
import { DEFAULT_MAX_CACHED_WORKFLOWS, DEFAULT_WORKFLOW_THREADS, startWorker, type ActivityLog } from '@kinerja/worker';
import { indicatorId } from '@kinerja/workflows';
import {
  BENCH_SECRET,
  cpuByKind,
  cpuMsPer,
  emitLine,
  pool as poolOf,
  quantile,
  round,
  seedBenchRegion,
  sleep,
  type BenchRegion,
  type BenchStaff,
  type Pooled,
} from './harness.js';
import { createLogger, startApi, temporalClientInterceptors } from '../src/index.js';

const N = Number(process.env.BENCH_BURST_EMPLOYEES ?? 2000);
const DATABASES = (process.env.BENCH_BURST_DATABASES ?? 'pglite,postgresql').split(',').map((d) => d.trim());
const PGLITE_MEMORY = process.env.BENCH_BURST_PGLITE === 'memory';
const CPU_PROFILE = process.env.BENCH_BURST_CPU_PROFILE;
const PROCESS_PROFILES = process.env.BENCH_BURST_PROCESS_PROFILES;
/**
 * The worker's cache and workflow threads (WORKER_MAX_CACHED_WORKFLOWS, WORKER_WORKFLOW_THREADS); absent: the worker's
 * defaults. Both topologies are given them explicitly, so the built worker runs with what each line reports even when
 * its build is older than this source.
 */
const MAX_CACHED = process.env.BENCH_BURST_MAX_CACHED ? Number(process.env.BENCH_BURST_MAX_CACHED) : DEFAULT_MAX_CACHED_WORKFLOWS;
const WORKFLOW_THREADS = process.env.BENCH_BURST_WORKFLOW_THREADS ? Number(process.env.BENCH_BURST_WORKFLOW_THREADS) : DEFAULT_WORKFLOW_THREADS;
const IN_FLIGHT = 50;
/** the setup's updates: fewer at once, so that a starved single process answers them before they time out */
const SETUP_IN_FLIGHT = 10;
const GOAL = { ratio: 0.7, p99Ms: 1000 };
const SECRET = BENCH_SECRET;
const BASELINE_QUEUE = 'bench-burst';
const log = (m: string) => process.stderr.write(`[api burst.bench] ${m}\n`);
const emit = emitLine;
/**
 * Core's "workflow task exceeded 5 seconds" (TMPRL1104) and "task not found when completing" (the task timed out
 * and was handed out again) warnings, counted per phase: they say the worker was starved of CPU or of its event loop.
 */
const starved = { slowTasks: 0, timedOutTasks: 0 };

const pool = (jobs: (() => Promise<void>)[], inFlight: number, progress?: string) => poolOf(jobs, inFlight, log, progress);

// ------------------------------------------------------------------------------------------------ the region

type Staff = BenchStaff;
type Region = BenchRegion;
const seedRegion = (db: Db) => seedBenchRegion(db, N);

const SKP = {
  rhk: [
    {
      title: 'Terselenggaranya pelayanan administrasi kependudukan',
      indicators: [
        { name: 'Jumlah dokumen yang diterbitkan', kind: 'QUANTITY', target: 120, unit: 'dokumen' },
        { name: 'Waktu penyelesaian rata-rata', kind: 'TIME', target: 3, unit: 'hari' },
      ],
    },
  ],
};

const report = (evaluationId: string) => ({
  realisations: [
    { indicatorId: indicatorId(evaluationId, 0, 0), value: 10 },
    { indicatorId: indicatorId(evaluationId, 0, 1), value: 3 },
  ],
  evidence: [{ kind: 'LINK', name: 'Rekap', url: 'https://example.go.id/rekap.pdf' }],
});

type Ready = (Staff & { evaluationId: string; workflowId: string })[];

/**
 * The admin opens the cycle through the API (the worker fans it out); every SKP is submitted and approved through
 * the Temporal client (setup, not measured); then period 1 opens on the 1-second calendar.
 */
async function openPeriodOne(apiUrl: string, db: Db, client: Client, r: Region): Promise<Ready> {
  const t0 = performance.now();
  const res = await fetch(`${apiUrl}/admin/regions/demo/cycles`, {
    method: 'POST',
    headers: { authorization: `Bearer ${r.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ year: 2025, name: 'Bench 2025', ruleSetVersionId: r.ruleSetVersionId }),
  });
  if (res.status !== 201) throw new Error(`opening the cycle: ${res.status} ${await res.text()}`);
  const cycleId = ((await res.json()) as { cycle: { id: string } }).cycle.id;
  const deadline = Date.now() + 60 * 60_000;
  for (;;) {
    const c = await db.prisma.cycle.findUniqueOrThrow({ where: { id: cycleId }, select: { startedCount: true, totalEmployees: true } });
    if (c.totalEmployees > 0 && c.startedCount >= c.totalEmployees) break;
    if (Date.now() > deadline) throw new Error(`${c.startedCount}/${c.totalEmployees} started after an hour`);
    await sleep(250);
  }
  log(`cycle open in ${round((performance.now() - t0) / 1000, 1)} s; SKPs submitted and approved (Temporal client, ${SETUP_IN_FLIGHT} in flight)`);
  const evaluations = await db.prisma.evaluation.findMany({ where: { cycleId }, select: { id: true, workflowId: true, employeeId: true } });
  const byEmployee = new Map(evaluations.map((e) => [e.employeeId, e]));
  const staff = r.staff.map((s) => {
    const e = byEmployee.get(s.employeeId);
    if (!e) throw new Error(`no evaluation for ${s.employeeId}`);
    return { ...s, evaluationId: e.id, workflowId: e.workflowId };
  });
  const sup = { userId: r.supervisor.userId, employeeId: r.supervisor.employeeId };
  // Setup, not measured: an update that times out on a starved worker is sent again under the same update id,
  // which Temporal answers with the first one's outcome rather than applying it twice
  const retried = async (send: () => Promise<unknown>) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await send();
      } catch (err) {
        if (attempt >= 5) throw err;
        await sleep(1_000 * attempt);
      }
    }
  };
  const targets = await pool(
    staff.map((s) => async () => {
      const h = client.workflow.getHandle(s.workflowId);
      const actor = { userId: s.userId, employeeId: s.employeeId };
      await retried(() => h.executeUpdate('submitTargets', { args: [{ actor, skp: SKP }], updateId: `bench-skp-${s.evaluationId}` }));
      await retried(() =>
        h.executeUpdate('decideTargets', { args: [{ actor: sup, input: { decision: 'APPROVE' } }], updateId: `bench-approve-${s.evaluationId}` }),
      );
    }),
    SETUP_IN_FLIGHT,
    'setup: SKPs submitted and approved',
  );
  if (targets.errors) throw new Error(`${targets.errors} target updates failed`);
  await sleep(5_000); // a few 1-second quarters: period 1 is open for reports
  return staff;
}

/** The measured burst: every employee PUTs their period-1 report through the API, as themselves. */
function burst(apiUrl: string, staff: Ready): Promise<Pooled> {
  return pool(
    staff.map((s) => async () => {
      const res = await fetch(`${apiUrl}/evaluations/${s.evaluationId}/periods/1/report`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(report(s.evaluationId)),
      });
      if (res.status !== 200) throw new Error(`${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    }),
    IN_FLIGHT,
    'burst',
  );
}

// ------------------------------------------------------------------------------------------------ the baseline

/**
 * burst-workflow.ts, bundled. Webpack resolves @temporalio/workflow from the importing file, and apps/api does not
 * depend on it: it is aliased to the copy @temporalio/worker depends on, the one the sandbox's runtime uses anyway.
 */
async function bundleBaseline(): Promise<string> {
  const fromWorker = createRequire(createRequire(import.meta.url).resolve('@temporalio/worker'));
  const workflowPackage = dirname(dirname(fromWorker.resolve('@temporalio/workflow')));
  const quiet = { trace() {}, debug() {}, info() {}, log() {}, warn: (m: string) => log(m), error: (m: string) => log(m) };
  const { code } = await bundleWorkflowCode({
    workflowsPath: join(import.meta.dirname, 'burst-workflow.ts'),
    logger: quiet,
    webpackConfigHook: (config) => ({
      ...config,
      resolve: { ...config.resolve, alias: { ...(config.resolve?.alias as Record<string, string | false>), '@temporalio/workflow': workflowPackage } },
    }),
  });
  return code;
}

/** N `burstWorkflow`s on their own worker and task queue, then one `burst` update each, `IN_FLIGHT` at once. */
async function baseline(address: string, namespace: string, code: string): Promise<Pooled> {
  const native = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace });
  const worker = await Worker.create({
    connection: native,
    namespace,
    taskQueue: BASELINE_QUEUE,
    workflowBundle: { code },
    activities: { noop: () => Promise.resolve() },
  });
  const running = worker.run();
  try {
    const run = crypto.randomUUID().slice(0, 8);
    const ids = Array.from({ length: N }, (_, i) => `bench-burst-${run}-${i}`);
    log(`baseline: starting ${N} workflows`);
    const started = await pool(
      ids.map((workflowId) => async () => {
        await client.workflow.start('burstWorkflow', { workflowId, taskQueue: BASELINE_QUEUE, workflowExecutionTimeout: '1h' });
      }),
      IN_FLIGHT,
    );
    if (started.errors) throw new Error(`${started.errors} baseline workflows did not start`);
    // a query each: every workflow has run its first task and sits in the worker's cache, as the evaluations do
    // after their setup updates, so the updates measured are not also the workflows' first tasks
    const warmed = await pool(
      ids.map((workflowId) => async () => {
        await client.workflow.getHandle(workflowId).query('__temporal_workflow_metadata');
      }),
      IN_FLIGHT,
    );
    if (warmed.errors) throw new Error(`${warmed.errors} baseline workflows did not answer a query`);
    log(`baseline: ${N} updates, ${IN_FLIGHT} in flight`);
    return await pool(
      ids.map((workflowId, i) => async () => {
        const n = await client.workflow.getHandle(workflowId).executeUpdate<number, [number]>('burst', { args: [i] });
        if (n !== i) throw new Error(`burst ${i} answered ${n}`);
      }),
      IN_FLIGHT,
    );
  } finally {
    worker.shutdown();
    await running;
    await connection.close();
    await native.close();
  }
}

/**
 * `cpuMsPerSubmission` / `baselineCpuMsPerUpdate`: CPU milliseconds each kind of process spent per operation during
 * the API burst and during the baseline (`bench` is this process: the load's client and the baseline's worker, and in
 * the embedded run also the API, the worker and PGlite's thread); `cachedHeapMb`: see `embedded`.
 */
interface BurstProfile {
  cachedHeapMb?: number;
  cpuMsPerSubmission: Record<string, number>;
  baselineCpuMsPerUpdate: Record<string, number>;
}

function emitBurst(database: 'pglite' | 'postgresql', api: Pooled, raw: Pooled, statementsPerRequest: number | null, profile: BurstProfile) {
  const value = api.latencies.length / api.seconds;
  const base = raw.latencies.length / raw.seconds;
  const ratio = value / base;
  const p99Ms = quantile(api.latencies, 0.99);
  emit({
    name: 'api.burst',
    value: round(value, 1),
    unit: 'submissions/s',
    baseline: round(base, 1),
    ratio: round(ratio, 3),
    database,
    p99Ms: round(p99Ms),
    p50Ms: round(quantile(api.latencies, 0.5)),
    baselineP99Ms: round(quantile(raw.latencies, 0.99)),
    baselineP50Ms: round(quantile(raw.latencies, 0.5)),
    statementsPerRequest,
    employees: N,
    inFlight: IN_FLIGHT,
    maxCachedWorkflows: MAX_CACHED,
    workflowThreads: WORKFLOW_THREADS,
    errors: api.errors,
    baselineErrors: raw.errors,
    seconds: round(api.seconds, 1),
    topology: database === 'pglite' ? 'one process (npm start)' : 'processes: PostgreSQL, dev server, built API, 1 built worker',
    goal: GOAL,
    withinGoal: ratio >= GOAL.ratio && p99Ms <= GOAL.p99Ms,
    // in this process's worker(s), during the API burst and the baseline (the embedded run's worker serves both)
    workflowTasksOver5s: starved.slowTasks,
    workflowTasksTimedOut: starved.timedOutTasks,
    ...profile,
  });
  log(`${database}: ${round(value, 1)} submissions/s (p99 ${round(p99Ms)} ms) vs ${round(base, 1)} updates/s: ${round(ratio, 3)}×`);
}

// ------------------------------------------------------------------------------------------------ the two topologies

/**
 * The used V8 heap in MB of this process's main thread and of every worker thread (the worker's workflows run on a
 * workflow thread of their own, another isolate), each after a full collection: through the inspector, attached to
 * the threads with NodeWorker, so no --expose-gc is needed.
 */
async function heapAfterGc(): Promise<number> {
  const session = new Session();
  session.connect();
  try {
    const sessions: string[] = [];
    session.on('NodeWorker.attachedToWorker', (m) => void sessions.push(m.params.sessionId));
    await session.post('NodeWorker.enable', { waitForDebuggerOnStart: false });
    await sleep(200); // the attach events of the threads already running
    let nextId = 1;
    const pending = new Map<number, (result: unknown) => void>();
    session.on('NodeWorker.receivedMessageFromWorker', (m) => {
      const reply = JSON.parse(m.params.message) as { id?: number; result?: unknown };
      if (reply.id !== undefined) pending.get(reply.id)?.(reply.result);
    });
    const inThread = (sessionId: string, method: string) =>
      new Promise<unknown>((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        void session.post('NodeWorker.sendMessageToWorker', { sessionId, message: JSON.stringify({ id, method }) });
      });
    let used = 0;
    for (const id of sessions) {
      await inThread(id, 'HeapProfiler.collectGarbage');
      used += ((await inThread(id, 'Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
    }
    await session.post('NodeWorker.disable');
    await session.post('HeapProfiler.collectGarbage');
    return (used + process.memoryUsage().heapUsed) / 1024 / 1024;
  } finally {
    session.disconnect();
  }
}

/** the activities' per-batch info lines would drown the progress; warnings still show */
const quietWorkerLog: ActivityLog = { info() {}, warn: (m, meta) => log(`worker: ${m} ${JSON.stringify(meta ?? {})}`) };

async function embedded(code: string) {
  const dir = mkdtempSync(join(tmpdir(), 'kinerja-bench-burst-'));
  log(`pglite: a dev server, PGlite ${PGLITE_MEMORY ? 'in memory' : 'on a file'} on its own thread, the worker and the API in this process`);
  const dev = await startTemporalDevServer();
  const served = await startPgliteServer({ dataDir: PGLITE_MEMORY ? 'memory://' : join(dir, 'pglite') });
  const db = await openDb(served.openOptions);
  const counting = openCountingClient(db);
  const native = await NativeConnection.connect({ address: dev.address });
  const connection = await Connection.connect({ address: dev.address });
  const client = new Client({ connection, namespace: dev.namespace, interceptors: temporalClientInterceptors() });
  let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
  let api: Awaited<ReturnType<typeof startApi>> | undefined;
  try {
    await migrateDb(db);
    log(`pglite: seeding ${N} employees`);
    const region = await seedRegion(db);
    worker = await startWorker({
      prisma: db.prisma,
      connection: native,
      namespace: dev.namespace,
      log: quietWorkerLog,
      maxCachedWorkflows: MAX_CACHED,
      workflowThreads: WORKFLOW_THREADS,
    });
    api = await startApi({ prisma: counting.prisma, temporal: client, port: 0, config: { jwtSecret: SECRET }, logger: createLogger('warn') });
    const heapBefore = await heapAfterGc();
    const staff = await openPeriodOne(api.url, db, client, region);
    // every evaluation has taken two validated updates and sits in the worker's cache (up to its cap): what that holds
    const cachedHeapMb = round((await heapAfterGc()) - heapBefore, 1);
    log(`pglite: heap ${cachedHeapMb} MB more with ${staff.length} evaluations cached (up to the worker's cap)`);

    log(`pglite: month-end burst through the API (${staff.length} reports, ${IN_FLIGHT} in flight)`);
    const profiler = CPU_PROFILE ? new Session() : undefined;
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    starved.slowTasks = starved.timedOutTasks = 0;
    const before = counting.counter.count;
    const cpu0 = cpuByKind();
    const measured = await burst(api.url, staff);
    const cpu1 = cpuByKind();
    const statements = counting.counter.count - before;
    if (profiler && CPU_PROFILE) {
      const { profile } = await profiler.post('Profiler.stop');
      writeFileSync(CPU_PROFILE, JSON.stringify(profile));
      profiler.disconnect();
      log(`pglite: CPU profile of the burst in ${CPU_PROFILE}`);
    }
    const raw = await baseline(dev.address, dev.namespace, code);
    const cpu2 = cpuByKind();
    // every statement of the API's client during the burst: the requests were the only thing using it
    emitBurst('pglite', measured, raw, measured.latencies.length ? round(statements / (measured.latencies.length + measured.errors), 2) : null, {
      cachedHeapMb,
      cpuMsPerSubmission: cpuMsPer(cpu0, cpu1, measured.latencies.length),
      baselineCpuMsPerUpdate: cpuMsPer(cpu1, cpu2, raw.latencies.length),
    });
  } finally {
    await api?.close();
    await worker?.shutdown();
    await connection.close();
    await native.close();
    await counting.close();
    await db.close();
    await served.close();
    await dev.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function separate(code: string) {
  const dir = mkdtempSync(join(tmpdir(), 'kinerja-bench-burst-pg-'));
  let region: Region | undefined;
  log('postgresql: starting PostgreSQL, the dev server, the built API and one built worker as processes');
  const t = await startTopology({
    dir,
    workers: 1,
    temporal: 'dev',
    env: {
      JWT_SECRET: SECRET,
      LOG_LEVEL: 'warn',
      WORKER_MAX_CACHED_WORKFLOWS: String(MAX_CACHED),
      WORKER_WORKFLOW_THREADS: String(WORKFLOW_THREADS),
      ...(PROCESS_PROFILES
        ? { NODE_OPTIONS: `--require ${join(import.meta.dirname, 'cpu-profile-hook.cjs')}`, kinerja_cpu_profile_dir: PROCESS_PROFILES }
        : {}),
    },
    beforeStart: async (url) => {
      const seedDb = await openDb({ url });
      try {
        log(`postgresql: seeding ${N} employees`);
        region = await seedRegion(seedDb);
      } finally {
        await seedDb.close();
      }
    },
  });
  const db = await openDb({ url: t.databaseUrl });
  const connection = await Connection.connect({ address: t.temporal.address });
  const client = new Client({ connection, namespace: t.temporal.namespace });
  try {
    const staff = await openPeriodOne(t.apiUrl, db, client, region!);
    log(`postgresql: month-end burst through the API (${staff.length} reports, ${IN_FLIGHT} in flight)`);
    starved.slowTasks = starved.timedOutTasks = 0;
    const cpu0 = cpuByKind();
    const measured = await burst(t.apiUrl, staff);
    const cpu1 = cpuByKind();
    const raw = await baseline(t.temporal.address, t.temporal.namespace, code);
    const cpu2 = cpuByKind();
    // the API is another process: its client's statements cannot be counted from here
    emitBurst('postgresql', measured, raw, null, {
      cpuMsPerSubmission: cpuMsPer(cpu0, cpu1, measured.latencies.length),
      baselineCpuMsPerUpdate: cpuMsPer(cpu1, cpu2, raw.latencies.length),
    });
  } finally {
    await connection.close();
    await db.close();
    await t.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  if (!Number.isInteger(N) || N < 1) throw new Error(`BENCH_BURST_EMPLOYEES must be a positive integer (got ${process.env.BENCH_BURST_EMPLOYEES})`);
  // native (core) logs to stderr, counted rather than printed once the first of a kind is shown: stdout carries only
  // the JSON lines
  Runtime.install({
    logger: new DefaultLogger('WARN', (entry) => {
      if (entry.message.includes('TMPRL1104') && starved.slowTasks++ > 0) return;
      if (entry.message.includes('Task not found when completing') && starved.timedOutTasks++ > 0) return;
      process.stderr.write(`[temporal ${entry.level}] ${entry.message}\n`);
    }),
    telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
  });
  log('bundling the baseline workflow');
  const code = await bundleBaseline();
  if (DATABASES.includes('pglite')) await embedded(code);
  if (DATABASES.includes('postgresql')) await separate(code);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
