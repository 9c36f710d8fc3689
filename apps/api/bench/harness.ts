/**
 * What the whole-system benches (topology, burst) share: the fast calendar, the bench region of N staff with minted
 * tokens, a bounded job pool with latencies, and the small numeric helpers. Benches report; nothing here asserts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { hashPassword, seedDemo, type Db } from '@kinerja/db';
import { DEMO_CALENDAR } from '@kinerja/domain';
import { demoRuleSet, withCalendar } from '@kinerja/rules';
import { signAccessToken } from '../src/auth/tokens.js';

export const BENCH_SECRET = 'bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz';

/** 1-second quarters: every period is open a few seconds after the SKP is approved; nothing lapses during a bench */
export const BENCH_CALENDAR = {
  ...DEMO_CALENDAR,
  periodKind: 'QUARTERLY' as const,
  periodLength: '1s',
  targetDeadline: '1h',
  reportDeadline: '1h',
  reportCutoff: '2h',
  reviewDeadline: '1h',
  ratingDeadline: '1h',
  appealWindow: '1h',
  appealDecisionDeadline: '1h',
  reminderBefore: '10m',
};

/** One JSON object per line on stdout, with the machine's load beside the figure. */
export const emitLine = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ ...o, load1: Math.round(loadavg()[0]! * 100) / 100 })}\n`);
export const round = (x: number, d = 0) => Math.round(x * 10 ** d) / 10 ** d;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
};

/** Linux's clock ticks per second for /proc's CPU times (USER_HZ, 100 on every Linux this runs on) */
const TICKS = 100;
/** What a process of a bench's topology is, from its command line. */
function processKind(cmdline: string): string {
  if (/postgres/.test(cmdline)) return 'postgresql';
  if (/temporal/.test(cmdline)) return 'temporal';
  if (/apps\/api\//.test(cmdline)) return 'api';
  if (/apps\/worker\//.test(cmdline)) return 'worker';
  return 'other';
}
/**
 * CPU seconds (user + system) used so far by this process (`bench`) and by each kind of its descendants (PostgreSQL's
 * postmaster and backends, the Temporal server, the API and worker processes), read from /proc. Two readings around
 * a phase say where its CPU went, process by process: the profile of a topology that a single process's profiler
 * cannot give. Linux only; elsewhere, only `bench`.
 */
export function cpuByKind(): Record<string, number> {
  const out: Record<string, number> = { bench: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6 };
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  const parent = new Map<number, number>();
  const cpu = new Map<number, number>();
  const cmd = new Map<number, string>();
  for (const d of entries) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(d);
      parent.set(pid, Number(f[1]));
      cpu.set(pid, (Number(f[11]) + Number(f[12])) / TICKS);
      cmd.set(pid, readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' '));
    } catch {
      // the process ended while being read
    }
  }
  const descends = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === process.pid) return true;
    return false;
  };
  for (const [pid, seconds] of cpu) {
    if (!descends(pid)) continue;
    const kind = processKind(cmd.get(pid) ?? '');
    out[kind] = (out[kind] ?? 0) + seconds;
  }
  return out;
}
/** CPU milliseconds per operation by kind of process between two readings of `cpuByKind` */
export function cpuMsPer(before: Record<string, number>, after: Record<string, number>, operations: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [kind, s] of Object.entries(after)) {
    const ms = ((s - (before[kind] ?? 0)) * 1000) / Math.max(1, operations);
    if (ms >= 0.05) out[kind] = round(ms, 1);
  }
  return out;
}

export interface Pooled {
  latencies: number[];
  seconds: number;
  errors: number;
}

/**
 * `jobs` run with at most `inFlight` at once; each one's latency, and the wall time of the whole. With `progress`, a
 * line each tenth of the jobs (done, errors, rate so far) under that label: a long setup shows it is moving.
 */
export async function pool(jobs: (() => Promise<void>)[], inFlight: number, log: (m: string) => void, progress?: string): Promise<Pooled> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  const step = Math.max(1, Math.ceil(jobs.length / 10));
  const done = () => {
    const n = latencies.length + errors;
    if (progress && n % step === 0 && n < jobs.length)
      log(`${progress}: ${n}/${jobs.length} (${errors} failed), ${round(n / ((performance.now() - t0) / 1000), 1)}/s`);
  };
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        const s = performance.now();
        try {
          await job();
          latencies.push(performance.now() - s);
        } catch (err) {
          errors++;
          if (errors <= 3) log(`failed: ${String(err)}`);
        }
        done();
      }
    }),
  );
  return { latencies, seconds: (performance.now() - t0) / 1000, errors };
}

export interface BenchStaff {
  employeeId: string;
  userId: string;
  token: string;
}

export interface BenchRegion {
  regionId: string;
  ruleSetVersionId: string;
  adminToken: string;
  staff: BenchStaff[];
  supervisor: { employeeId: string; userId: string };
  /** employees of the region, the demo's own included */
  employees: number;
}

/** The demo region on the fast calendar, plus `n` staff under one supervisor, each a user with a token of their own. */
export async function seedBenchRegion(db: Db, n: number): Promise<BenchRegion> {
  const seeded = await seedDemo(db.prisma, { ruleSetDocument: withCalendar(demoRuleSet, BENCH_CALENDAR, 'bench'), calendarName: 'bench' });
  const p = db.prisma;
  // one hash for every bench user: they sign in with minted tokens, and hashing N passwords would measure scrypt
  const passwordHash = await hashPassword('bench-password');
  const supervisorId = seeded.employees.kepalaBidang;
  const staff = Array.from({ length: n }, (_, i) => ({
    id: crypto.randomUUID(),
    regionId: seeded.regionId,
    nip: `19900101${String(2_000_000_000 + i).slice(-10)}`,
    name: `Pegawai Bench ${i + 1}`,
    position: 'Pelaksana',
    unitId: seeded.units.bidang,
    superiorId: supervisorId,
  }));
  for (let i = 0; i < staff.length; i += 1000) await p.employee.createMany({ data: staff.slice(i, i + 1000) });
  const users = staff.map((e) => ({ id: crypto.randomUUID(), username: e.nip, passwordHash, displayName: e.name, employeeId: e.id, regionId: e.regionId }));
  for (let i = 0; i < users.length; i += 1000) await p.user.createMany({ data: users.slice(i, i + 1000) });
  const now = new Date();
  return {
    regionId: seeded.regionId,
    ruleSetVersionId: seeded.ruleSetVersionId,
    adminToken: await signAccessToken(seeded.adminUserId, BENCH_SECRET, 86_400, now),
    staff: await Promise.all(
      users.map(async (u) => ({ employeeId: u.employeeId, userId: u.id, token: await signAccessToken(u.id, BENCH_SECRET, 86_400, now) })),
    ),
    supervisor: { employeeId: supervisorId, userId: seeded.users.kepalaBidang },
    employees: await p.employee.count({ where: { regionId: seeded.regionId } }),
  };
}
