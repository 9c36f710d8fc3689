/**
 * The production topology measured (startTopology: PostgreSQL, the built API and two built workers as processes),
 * once on the real Temporal server on PostgreSQL and once on the CLI's dev server, ratios within the same run:
 *
 *  - topology.cycle.open: the admin opens a cycle of N employees (BENCH_TOPOLOGY_EMPLOYEES, default 2,000) through the
 *    API; time until every year is started: a first (cold) cycle with two workers, then warm ones with two and with
 *    one; CPU milliseconds per evaluation of the Temporal server, PostgreSQL, the workers and the API (from /proc),
 *    the basis of the README's scaling note.
 *  - topology.burst: month-end: every employee submits a period report through the API, 50 in flight; submissions/s
 *    and p99, beside the same number of `submitReport` updates sent straight through the Temporal client
 *    (the workflow's own update, no API) on the same server.
 *
 * BENCH_TOPOLOGY_BIG=50000 adds a cycle of that size (two workers; about 10 minutes a server on 2 cores).
 * One JSON object per line on stdout; progress on stderr.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { openDb, type Db } from '@kinerja/db';
import { startTopology, type Topology } from '@kinerja/testing/topology';
import { indicatorId } from '@kinerja/workflows';
import { BENCH_SECRET, emitLine, pool as poolOf, quantile, round, seedBenchRegion, sleep, type BenchRegion } from './harness.js';

const N = Number(process.env.BENCH_TOPOLOGY_EMPLOYEES ?? 2000);
const BIG = process.env.BENCH_TOPOLOGY_BIG ? Number(process.env.BENCH_TOPOLOGY_BIG) : undefined;
const IN_FLIGHT = 50;
const SECRET = BENCH_SECRET;

const log = (m: string) => process.stderr.write(`[topology.bench] ${m}\n`);
const emit = emitLine;

// ------------------------------------------------------------------------------------------------ CPU from /proc

const CLK_TCK = 100;
/** CPU seconds of a process and its descendants (live ones, and those already reaped into cutime/cstime). */
function treeCpu(pid: number | undefined): number {
  if (!pid) return 0;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0;
  }
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const own = (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / CLK_TCK;
  let children = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]) === pid) children += treeCpu(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return own + children;
}

function cpu(t: Topology) {
  const postmaster = Number(readFileSync(join(t.pg.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  return {
    temporal: treeCpu(t.temporal.proc.child?.pid),
    postgres: treeCpu(postmaster),
    workers: t.workers.reduce((n, w) => n + treeCpu(w.child?.pid), 0),
    api: treeCpu(t.api.child?.pid),
  };
}

// ------------------------------------------------------------------------------------------------ the region

type Region = BenchRegion;
const seedRegion = (db: Db) => seedBenchRegion(db, N);
const pool = (jobs: (() => Promise<void>)[], inFlight: number) => poolOf(jobs, inFlight, log);

async function openCycle(t: Topology, db: Db, r: Region, year: number): Promise<{ cycleId: string; seconds: number }> {
  const t0 = performance.now();
  const res = await fetch(`${t.apiUrl}/admin/regions/demo/cycles`, {
    method: 'POST',
    headers: { authorization: `Bearer ${r.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ year, name: `Bench ${year}`, ruleSetVersionId: r.ruleSetVersionId }),
  });
  if (res.status !== 201) throw new Error(`opening the cycle: ${res.status} ${await res.text()}`);
  const cycleId = ((await res.json()) as { cycle: { id: string } }).cycle.id;
  const deadline = Date.now() + 60 * 60_000;
  for (;;) {
    const c = await db.prisma.cycle.findUniqueOrThrow({ where: { id: cycleId }, select: { startedCount: true, totalEmployees: true } });
    if (c.totalEmployees > 0 && c.startedCount >= c.totalEmployees) break;
    if (Date.now() > deadline) throw new Error(`cycle ${year}: ${c.startedCount}/${c.totalEmployees} started after an hour`);
    await sleep(250);
  }
  return { cycleId, seconds: (performance.now() - t0) / 1000 };
}

async function measureOpen(t: Topology, db: Db, r: Region, server: string, year: number, workers: number, warm: boolean) {
  const before = cpu(t);
  const { cycleId, seconds } = await openCycle(t, db, r, year);
  const after = cpu(t);
  const per = (k: keyof typeof before) => round(((after[k] - before[k]) / r.employees) * 1000, 2);
  emit({
    name: 'topology.cycle.open',
    server,
    employees: r.employees,
    workers,
    // the first cycle of a run also pays the workers' warm-up (workflow bundle loaded, code compiled, caches filled)
    warm,
    value: round(r.employees / seconds, 1),
    unit: 'years started/s',
    seconds: round(seconds, 1),
    cpuMsPerEvaluation: { temporal: per('temporal'), postgres: per('postgres'), workers: per('workers'), api: per('api') },
  });
  return cycleId;
}

async function runOn(server: 'server' | 'dev') {
  const label = server === 'server' ? 'temporal-server-postgresql' : 'dev-server';
  const dir = mkdtempSync(join(tmpdir(), `kinerja-bench-${server}-`));
  let region: Region | undefined;
  log(`${label}: starting the topology`);
  const t = await startTopology({
    dir,
    workers: 2,
    temporal: server,
    binariesTimeoutMs: 0,
    env: { JWT_SECRET: SECRET, LOG_LEVEL: 'warn' },
    beforeStart: async (url) => {
      const db = await openDb({ url });
      try {
        region = await seedRegion(db);
      } finally {
        await db.close();
      }
    },
  });
  const db = await openDb({ url: t.databaseUrl });
  const connection = await Connection.connect({ address: t.temporal.address });
  const client = new Client({ connection, namespace: t.temporal.namespace });
  try {
    const r = region!;
    log(`${label}: opening a cycle of ${r.employees} with 2 workers`);
    const cycleId = await measureOpen(t, db, r, label, 2025, 2, false);

    const evaluations = await db.prisma.evaluation.findMany({ where: { cycleId }, select: { id: true, workflowId: true, employeeId: true } });
    const byEmployee = new Map(evaluations.map((e) => [e.employeeId, e]));
    const staff = r.staff.map((s) => ({ ...s, evaluation: byEmployee.get(s.employeeId)! }));
    log(`${label}: targets submitted and approved for ${staff.length} (Temporal client, ${IN_FLIGHT} in flight)`);
    const sup = { userId: r.supervisor.userId, employeeId: r.supervisor.employeeId };
    const skp = {
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
    const targets = await pool(
      staff.map((s) => async () => {
        const h = client.workflow.getHandle(s.evaluation.workflowId);
        await h.executeUpdate('submitTargets', { args: [{ actor: { userId: s.userId, employeeId: s.employeeId }, skp }] });
        await h.executeUpdate('decideTargets', { args: [{ actor: sup, input: { decision: 'APPROVE' } }] });
      }),
      IN_FLIGHT,
    );
    if (targets.errors) throw new Error(`${targets.errors} target updates failed`);
    await sleep(5_000); // four 1-second quarters: periods 1 and 2 are open

    const report = (evaluationId: string, period: number) => ({
      realisations: [
        { indicatorId: indicatorId(evaluationId, 0, 0), value: 10 * period },
        { indicatorId: indicatorId(evaluationId, 0, 1), value: 3 },
      ],
      evidence: [{ kind: 'LINK', name: 'Rekap', url: 'https://example.go.id/rekap.pdf' }],
    });
    log(`${label}: month-end burst through the API (${staff.length} reports, ${IN_FLIGHT} in flight)`);
    const api = await pool(
      staff.map((s) => async () => {
        const res = await fetch(`${t.apiUrl}/evaluations/${s.evaluation.id}/periods/1/report`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
          body: JSON.stringify(report(s.evaluation.id, 1)),
        });
        if (res.status !== 200) throw new Error(`${res.status} ${await res.text()}`);
      }),
      IN_FLIGHT,
    );
    log(`${label}: the same through the Temporal client (period 2)`);
    const raw = await pool(
      staff.map((s) => async () => {
        await client.workflow
          .getHandle(s.evaluation.workflowId)
          .executeUpdate('submitReport', { args: [{ actor: { userId: s.userId, employeeId: s.employeeId }, period: 2, input: report(s.evaluation.id, 2) }] });
      }),
      IN_FLIGHT,
    );
    const apiRate = api.latencies.length / api.seconds;
    const rawRate = raw.latencies.length / raw.seconds;
    emit({
      name: 'topology.burst',
      server: label,
      employees: staff.length,
      inFlight: IN_FLIGHT,
      value: round(apiRate, 1),
      unit: 'submissions/s',
      p50Ms: round(quantile(api.latencies, 0.5)),
      p99Ms: round(quantile(api.latencies, 0.99)),
      failures: api.errors,
      baseline: round(rawRate, 1),
      baselineP99Ms: round(quantile(raw.latencies, 0.99)),
      baselineFailures: raw.errors,
      baselineIs: 'submitReport updates through the Temporal client, same server',
      ratio: round(apiRate / rawRate, 2),
    });

    log(`${label}: a second cycle of ${r.employees} with 2 warm workers`);
    await measureOpen(t, db, r, label, 2026, 2, true);
    log(`${label}: one worker stopped; a third cycle of ${r.employees}`);
    await t.workers[1]!.stop();
    await measureOpen(t, db, r, label, 2027, 1, true);
    if (BIG) {
      await t.restartWorker(1);
      log(`${label}: ${BIG - N} more employees, then a cycle of ${BIG} with 2 workers`);
      const { unitId } = await db.prisma.employee.findFirstOrThrow({ where: { id: r.supervisor.employeeId } });
      const more = Array.from({ length: BIG - r.employees }, (_, i) => ({
        regionId: r.regionId,
        nip: `19850101${String(3_000_000_000 + i).slice(-10)}`,
        name: `Pegawai Besar ${i + 1}`,
        position: 'Pelaksana',
        unitId,
        superiorId: r.supervisor.employeeId,
      }));
      for (let i = 0; i < more.length; i += 2000) await db.prisma.employee.createMany({ data: more.slice(i, i + 2000) });
      await measureOpen(t, db, { ...r, employees: await db.prisma.employee.count({ where: { regionId: r.regionId } }) }, label, 2028, 2, true);
    }
  } finally {
    await connection.close();
    await db.close();
    await t.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await runOn('server');
await runOn('dev');
process.exit(0);
