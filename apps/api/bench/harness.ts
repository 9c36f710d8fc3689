/**
 * What the whole-system benches (topology, burst) share: the fast calendar, the bench region of N staff with minted
 * tokens, a bounded job pool with latencies, and the small numeric helpers. Benches report; nothing here asserts.
 */
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

export interface Pooled {
  latencies: number[];
  seconds: number;
  errors: number;
}

/** `jobs` run with at most `inFlight` at once; each one's latency, and the wall time of the whole. */
export async function pool(jobs: (() => Promise<void>)[], inFlight: number, log: (m: string) => void): Promise<Pooled> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
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
