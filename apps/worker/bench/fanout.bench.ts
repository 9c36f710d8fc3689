/**
 * How fast a cycle opens: a real Temporal dev server (in memory, spawned here), a real database (in-memory PGlite,
 * migrated; or PostgreSQL when BENCH_DATABASE_URL is a postgres:// URL), one region with N employees
 * (BENCH_EMPLOYEES, default 2,000) and the published national rule set, a real worker with the real activities.
 *
 *  - cycle.open: start `cycleWorkflow`, time until the Cycle row is OPEN with startedCount == N.
 *  - cycle.reopen: start `cycleWorkflow` again for the same cycle under a new workflow id, time until it completes;
 *    then check nobody was started twice (Evaluation rows == N and evaluation executions on the server == N).
 *
 * One JSON object per line on stdout; progress on stderr. Bounded by BENCH_TIMEOUT_SECONDS (default 900).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { isPostgresUrl, migrateDb, openDb, type Db } from '@kinerja/db';
import { nationalRuleSet } from '@kinerja/rules';
import { cycleWorkflowId } from '@kinerja/workflows';
import type { cycleWorkflow } from '@kinerja/workflows/workflows';
import { startWorker, type RunningWorker } from '../src/index.js';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');
const N = Number(process.env.BENCH_EMPLOYEES ?? 2000);
const BATCH_SIZE = process.env.BENCH_BATCH_SIZE ? Number(process.env.BENCH_BATCH_SIZE) : undefined;
const TIMEOUT_S = Number(process.env.BENCH_TIMEOUT_SECONDS ?? 900);
const DB_URL = process.env.BENCH_DATABASE_URL;
if (!Number.isInteger(N) || N < 3) throw new Error(`BENCH_EMPLOYEES must be an integer >= 3 (got ${process.env.BENCH_EMPLOYEES})`);

const log = (m: string) => process.stderr.write(`[fanout.bench] ${m}\n`);
/** evaluation workflows whose first task the server handed straight back to the worker (eager start) */
let eagerlyStarted = 0;
const silentLog = {
  info: (m: string, meta?: Record<string, unknown>) => {
    if (m === 'cycle batch' && typeof meta?.eagerlyStarted === 'number') eagerlyStarted += meta.eagerlyStarted;
  },
  warn: (m: string, meta?: Record<string, unknown>) => log(`worker warn: ${m} ${JSON.stringify(meta ?? {})}`),
};
const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let slowWorkflowTasks = 0;
let load1AtStart = 0;

// ------------------------------------------------------------------------------------------------ cleanup

let server: ChildProcess | undefined;
let watchdog: ChildProcess | undefined;
const killServer = () => {
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
  watchdog?.kill('SIGKILL');
};
process.on('exit', killServer);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    log(`${sig}: stopping`);
    killServer();
    process.exit(130);
  });
}
const hardTimeout = setTimeout(() => {
  log(`hard timeout after ${TIMEOUT_S}s`);
  killServer();
  process.exit(2);
}, TIMEOUT_S * 1000);
hardTimeout.unref();

// ------------------------------------------------------------------------------------------------ CPU accounting

/** CPU time (ms) of another process from /proc (Linux); undefined where that is not readable. */
function processCpuMs(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (USER_HZ, 100 on Linux)
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}
const ownCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
/** CPU spent per evaluation by this process (worker, activities, and PGlite when embedded) and by the dev server. */
function cpuMeter() {
  const start = { own: ownCpuMs(), server: processCpuMs(server?.pid) };
  return (n: number) => {
    const serverNow = processCpuMs(server?.pid);
    return {
      workerProcess: round((ownCpuMs() - start.own) / n, 1),
      temporalServer: serverNow !== undefined && start.server !== undefined ? round((serverNow - start.server) / n, 1) : null,
    };
  };
}

// ------------------------------------------------------------------------------------------------ services

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => ok(port));
    });
  });
}

async function startTemporal(): Promise<string> {
  const cli = process.env.KINERJA_TEMPORAL_CLI ?? join(REPO_ROOT, '.tools', 'venv', 'bin', 'temporal');
  if (!existsSync(cli)) throw new Error(`Temporal CLI not found at ${cli}: run \`node scripts/kinerja.mjs setup\` or set KINERJA_TEMPORAL_CLI`);
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const child = spawn(cli, ['server', 'start-dev', '--headless', '--port', String(port), '--ip', '127.0.0.1', '--log-level', 'error'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  server = child;
  // a SIGKILLed bench cannot run its exit handler: a detached watchdog stops the server when this process is gone
  watchdog = spawn('sh', ['-c', `while kill -0 ${process.pid} 2>/dev/null; do sleep 2; done; kill -9 ${child.pid ?? 0} 2>/dev/null`], {
    stdio: 'ignore',
    detached: true,
  });
  watchdog.unref();
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString('utf8')).slice(-4000)));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`temporal dev server exited with ${child.exitCode}:\n${stderr}`);
    let c: Connection | undefined;
    try {
      c = await Connection.connect({ address, connectTimeout: 1000 });
      await c.workflowService.describeNamespace({ namespace: 'default' });
      return address;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`temporal dev server at ${address} did not answer: ${String(err)}\n${stderr}`);
      await sleep(200);
    } finally {
      await c?.close().catch(() => undefined);
    }
  }
}

async function openBenchDb(): Promise<{ db: Db; database: 'pglite' | 'postgres' }> {
  const db = isPostgresUrl(DB_URL) ? await openDb({ url: DB_URL }) : await openDb({ dataDir: 'memory://' });
  await migrateDb(db);
  return { db, database: db.kind };
}

// ------------------------------------------------------------------------------------------------ seed

async function seed(db: Db) {
  const prisma = db.prisma;
  const tag = randomUUID().slice(0, 8);
  const region = await prisma.region.create({ data: { code: `bench-${tag}`, name: `Bench ${tag}` } });
  const unit = await prisma.unit.create({ data: { regionId: region.id, code: 'dinas', name: 'Dinas Bench', kind: 'DINAS' } });
  const nip = (i: number) => `1980010120050110${String(i).padStart(6, '0')}`.slice(-18);
  const base = { regionId: region.id, unitId: unit.id };
  const kepala = await prisma.employee.create({ data: { ...base, nip: nip(0), name: 'Kepala Dinas', position: 'Kepala Dinas', positionKind: 'STRUKTURAL' } });
  const head = await prisma.employee.create({
    data: { ...base, nip: nip(1), name: 'Kepala Bidang', position: 'Kepala Bidang', positionKind: 'STRUKTURAL', superiorId: kepala.id },
  });
  const staff = Array.from({ length: N - 2 }, (_, i) => ({
    ...base,
    nip: nip(i + 2),
    name: `Staf ${i + 1}`,
    position: 'Pelaksana',
    positionKind: 'PELAKSANA' as const,
    superiorId: head.id,
  }));
  for (let i = 0; i < staff.length; i += 1000) await prisma.employee.createMany({ data: staff.slice(i, i + 1000) });
  const ruleSet = await prisma.ruleSet.create({ data: { regionId: region.id, key: 'national', name: 'Nasional' } });
  const version = await prisma.ruleSetVersion.create({
    data: {
      ruleSetId: ruleSet.id,
      regionId: region.id,
      version: 1,
      status: 'PUBLISHED',
      document: JSON.parse(JSON.stringify(nationalRuleSet)) as object,
      publishedAt: new Date(),
    },
  });
  const cycleId = randomUUID();
  await prisma.cycle.create({
    data: { id: cycleId, regionId: region.id, year: 2026, name: 'Penilaian 2026 (bench)', ruleSetVersionId: version.id, workflowId: cycleWorkflowId(cycleId) },
  });
  const count = await prisma.employee.count({ where: { regionId: region.id, status: 'ACTIVE' } });
  if (count !== N) throw new Error(`seeded ${count} employees, expected ${N}`);
  return { regionId: region.id, cycleId };
}

// ------------------------------------------------------------------------------------------------ bench

async function main() {
  // native (core) logs are forwarded to a stderr logger: stdout carries only the JSON lines. Slow workflow tasks
  // (core's TMPRL1104, "exceeded 5 seconds") are counted and reported: they mean the worker was CPU-starved.
  Runtime.install({
    logger: new DefaultLogger('WARN', (entry) => {
      if (entry.message.includes('TMPRL1104')) {
        if (slowWorkflowTasks++ > 0) return;
      }
      process.stderr.write(`[temporal ${entry.level}] ${entry.message}\n`);
    }),
    telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
  });
  const t0 = performance.now();
  load1AtStart = round(loadavg()[0]!, 1);
  const [address, { db, database }] = await Promise.all([startTemporal(), openBenchDb()]);
  log(`temporal ${address}, database ${database} ready in ${round((performance.now() - t0) / 1000, 1)}s`);
  const prisma = db.prisma;
  const seedStart = performance.now();
  const { regionId, cycleId } = await seed(db);
  log(`seeded ${N} employees in ${round((performance.now() - seedStart) / 1000, 1)}s`);

  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const native = await NativeConnection.connect({ address });
  const taskQueue = `bench-fanout-${randomUUID().slice(0, 8)}`;
  let worker: RunningWorker | undefined;
  try {
    worker = await startWorker({ prisma, connection: native, taskQueue, log: silentLog });
    const input = { cycleId, regionId, ...(BATCH_SIZE ? { batchSize: BATCH_SIZE } : {}) };

    // ---- open
    const cpu = cpuMeter();
    const openStart = performance.now();
    const handle = await client.workflow.start<typeof cycleWorkflow>('cycleWorkflow', { taskQueue, workflowId: cycleWorkflowId(cycleId), args: [input] });
    let lastReport = 0;
    let allStartedSeconds: number | undefined;
    for (;;) {
      const c = await prisma.cycle.findUniqueOrThrow({ where: { id: cycleId }, select: { status: true, startedCount: true } });
      if (c.startedCount === N) allStartedSeconds ??= (performance.now() - openStart) / 1000;
      if (c.status === 'OPEN' && c.startedCount === N) break;
      if (performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        log(`open: ${c.startedCount}/${N} started after ${round((performance.now() - openStart) / 1000, 1)}s`);
      }
      await sleep(100);
    }
    const openSeconds = (performance.now() - openStart) / 1000;
    const cpuMsPerEvaluation = cpu(N);
    const openResult = await handle.result();
    if (openResult.started !== N || openResult.total !== N) throw new Error(`cycle result ${JSON.stringify(openResult)}, expected ${N}`);
    console.log(
      JSON.stringify({
        bench: 'cycle.open',
        value: round(N / openSeconds, 1),
        unit: 'evaluations/s',
        baseline: null,
        ratio: null,
        employees: N,
        seconds: round(openSeconds, 2),
        allStartedSeconds: round(allStartedSeconds ?? openSeconds, 2),
        extrapolated50kMinutes: round((openSeconds * (50_000 / N)) / 60, 1),
        batchSize: BATCH_SIZE ?? 100,
        cpuMsPerEvaluation,
        eagerlyStarted,
        slowWorkflowTasks,
        load1AtStart: load1AtStart,
        load1: round(loadavg()[0]!, 1),
        database,
      }),
    );

    // ---- re-open: the same cycle through a second cycle workflow; every start must hit an existing execution
    const reopenStart = performance.now();
    const again = await client.workflow.start<typeof cycleWorkflow>('cycleWorkflow', {
      taskQueue,
      workflowId: `${cycleWorkflowId(cycleId)}/reopen-${randomUUID().slice(0, 8)}`,
      args: [input],
    });
    const reopenResult = await again.result();
    const reopenSeconds = (performance.now() - reopenStart) / 1000;
    if (reopenResult.total !== N) throw new Error(`re-open result ${JSON.stringify(reopenResult)}, expected total ${N}`);
    const evaluationRows = await prisma.evaluation.count({ where: { cycleId } });
    // visibility lags the starts: wait until it has seen at least N executions (or 30 s), then count once more
    const query = `WorkflowType = 'evaluationWorkflow' AND TaskQueue = '${taskQueue}'`;
    let executions = 0;
    let visibility: 'count' | 'list' = 'count';
    const countExecutions = async (): Promise<number> => {
      if (visibility === 'count') {
        try {
          return (await client.workflow.count(query)).count;
        } catch (err) {
          log(`workflow.count unavailable (${err instanceof Error ? err.message : String(err)}); listing instead`);
          visibility = 'list';
        }
      }
      let n = 0;
      for await (const _ of client.workflow.list({ query })) n++;
      return n;
    };
    const visDeadline = Date.now() + 30_000;
    while ((executions = await countExecutions()) < N && Date.now() < visDeadline) await sleep(250);
    await sleep(1000);
    executions = await countExecutions();
    const startedTwice = Math.max(0, executions - N) + Math.max(0, evaluationRows - N);
    console.log(
      JSON.stringify({
        bench: 'cycle.reopen',
        value: round(N / reopenSeconds, 1),
        unit: 'employees/s',
        baseline: null,
        ratio: null,
        employees: N,
        seconds: round(reopenSeconds, 2),
        startedTwice,
        evaluationRows,
        executions,
        visibility,
        database,
      }),
    );
    if (executions !== N || evaluationRows !== N) {
      throw new Error(`re-open: ${evaluationRows} evaluation rows and ${executions} executions for ${N} employees`);
    }
  } finally {
    // running evaluation workflows stay on the in-memory server, which goes away with it
    if (worker) await Promise.race([worker.shutdown(), sleep(15_000)]).catch((e: unknown) => log(`worker shutdown: ${String(e)}`));
    await native.close().catch(() => undefined);
    await connection.close().catch(() => undefined);
    await db.close().catch(() => undefined);
  }
}

try {
  await main();
  killServer();
  process.exit(0); // the schema engine leaves a timer running
} catch (err) {
  log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  killServer();
  process.exit(1);
}
