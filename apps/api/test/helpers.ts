/**
 * Test fixture on real services: a fresh database (PGlite or PostgreSQL) from @kinerja/testing, the demo region
 * from seedDemo, a second region ("lain") with its own admin and ASN, and a Temporal client on the dev server.
 * `withWorker` also runs the real worker (@kinerja/worker) on a task queue of its own.
 */
import { expect } from 'vitest';
import { hashPassword, seedDemo, DEMO_PASSWORD, type DbKind, type PasswordPolicy, type SeedDemoResult } from '@kinerja/db';
import { DEMO_CALENDAR, type Calendar, type Phase, type SkpDraftInput } from '@kinerja/domain';
import { demoRuleSet, withCalendar } from '@kinerja/rules';
import { createLocalEnv, createTestDb, uniqueId, type Db } from '@kinerja/testing';
import { startWorker, type RunningWorker } from '@kinerja/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createApp, type ApiConfig } from '../src/index.js';
import { checkContract } from './contract.js';

export const PASSWORD = DEMO_PASSWORD;
/** test fixtures hash hundreds of passwords: a cheap cost here; the app's own default is the production policy */
export const TEST_PASSWORD_POLICY: PasswordPolicy = { N: 1024, r: 8, p: 1 };
export const NIPS = {
  kepalaDinas: '197001011995031001',
  kepalaBidang: '198003152005012002',
  staff1: '199205202019031003',
  staff2: '199508172020122004',
  lainStaff: '199001012015031005',
} as const;

/** A short calendar: four 1-second quarters, generous deadlines, a 2-minute appeal window. */
export const FAST_CALENDAR: Calendar = {
  ...DEMO_CALENDAR,
  periodKind: 'QUARTERLY',
  periodLength: '1s',
  targetDeadline: '10m',
  reportDeadline: '10m',
  reportCutoff: '20m',
  reviewDeadline: '10m',
  ratingDeadline: '10m',
  appealWindow: '2m',
  appealDecisionDeadline: '10m',
  reminderBefore: '1m',
};

export interface Fixture {
  db: Db;
  env: TestWorkflowEnvironment;
  app: ReturnType<typeof createApp>;
  seed: SeedDemoResult;
  other: { regionId: string; adminUserId: string; employeeId: string; unitId: string };
  taskQueue: string;
  worker?: RunningWorker;
  req: (
    method: string,
    path: string,
    opts?: { token?: string | undefined; body?: unknown; raw?: string; headers?: Record<string, string> },
  ) => Promise<Response>;
  login: (username: string, password?: string) => Promise<string>;
  close: () => Promise<void>;
}

export async function setup(
  kind: DbKind,
  opts: { withWorker?: boolean; config?: Partial<ApiConfig>; calendar?: Calendar; now?: () => Date; passwordPolicy?: PasswordPolicy } = {},
): Promise<Fixture> {
  const db = await createTestDb(kind);
  const env = await createLocalEnv();
  const taskQueue = uniqueId('api');
  const seed = await seedDemo(db.prisma, {
    ruleSetDocument: withCalendar(demoRuleSet, opts.calendar ?? FAST_CALENDAR, 'national-fast'),
    passwordPolicy: TEST_PASSWORD_POLICY,
  });

  // a second region with its own admin and one ASN
  const region = await db.prisma.region.create({ data: { code: 'lain', name: 'Kota Lain' } });
  const unit = await db.prisma.unit.create({ data: { regionId: region.id, code: 'DINKES', name: 'Dinas Kesehatan', kind: 'DINAS' } });
  const emp = await db.prisma.employee.create({ data: { regionId: region.id, nip: NIPS.lainStaff, name: 'Budi Lain', position: 'Staf', unitId: unit.id } });
  const hash = await hashPassword(PASSWORD, TEST_PASSWORD_POLICY);
  await db.prisma.user.create({ data: { username: NIPS.lainStaff, passwordHash: hash, displayName: 'Budi Lain', employeeId: emp.id, regionId: region.id } });
  const otherAdmin = await db.prisma.user.create({ data: { username: 'admin-lain', passwordHash: hash, displayName: 'Admin Lain' } });
  await db.prisma.adminGrant.create({ data: { userId: otherAdmin.id, regionId: region.id } });

  let worker: RunningWorker | undefined;
  if (opts.withWorker) worker = await startWorker({ prisma: db.prisma, connection: env.nativeConnection, taskQueue });

  // every answer is checked against the route's documented response schema (./contract.ts)
  const app = checkContract(
    createApp({
      prisma: db.prisma,
      temporal: env.client,
      // every app.request shares one client key: the sign-in limit is exercised by its own test (auth.test.ts)
      config: { jwtSecret: 'test-secret-0123456789-abcdefghijklmnop', taskQueue, loginRateBurst: 100_000, ...opts.config },
      ...(opts.now ? { now: opts.now } : {}),
      passwordPolicy: opts.passwordPolicy ?? TEST_PASSWORD_POLICY,
    }),
  );

  const req: Fixture['req'] = (method, path, o = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | undefined = o.raw;
    if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    return Promise.resolve(app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) }));
  };
  const tokens = new Map<string, string>();
  const login = async (username: string, password = PASSWORD) => {
    const cached = password === PASSWORD ? tokens.get(username) : undefined;
    if (cached) return cached;
    const res = await req('POST', '/auth/login', { body: { username, password } });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
    const token = ((await res.json()) as { accessToken: string }).accessToken;
    tokens.set(username, token);
    return token;
  };

  return {
    db,
    env,
    app,
    seed,
    other: { regionId: region.id, adminUserId: otherAdmin.id, employeeId: emp.id, unitId: unit.id },
    taskQueue,
    ...(worker ? { worker } : {}),
    req,
    login,
    close: async () => {
      await worker?.shutdown();
      await env.teardown();
      await db.close();
    },
  };
}

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/** An evaluation row without a workflow (its workflow id does not exist): enough for authorisation tests. */
export async function fakeEvaluation(f: Fixture, employeeKey: 'staff1' | 'staff2' | 'lain', opts: { phase?: Phase } = {}) {
  const p = f.db.prisma;
  const regionId = employeeKey === 'lain' ? f.other.regionId : f.seed.regionId;
  const cycle =
    (await p.cycle.findFirst({ where: { regionId } })) ??
    (await p.cycle.create({
      data: {
        regionId,
        year: 2020,
        name: 'Siklus uji',
        ruleSetVersionId: f.seed.ruleSetVersionId,
        workflowId: uniqueId('cycle/none'),
      },
    }));
  const employeeId = employeeKey === 'lain' ? f.other.employeeId : f.seed.employees[employeeKey];
  const unitId = employeeKey === 'lain' ? f.other.unitId : f.seed.units.bidang;
  return p.evaluation.create({
    data: {
      cycleId: cycle.id,
      regionId,
      employeeId,
      unitId,
      supervisorId: employeeKey === 'lain' ? null : f.seed.employees.kepalaBidang,
      reviewerId: employeeKey === 'lain' ? null : f.seed.employees.kepalaDinas,
      workflowId: uniqueId('evaluation/none'),
      ...(opts.phase ? { phase: opts.phase } : {}),
    },
  });
}

/**
 * A Plh delegation from kepalaBidang (unless another is named) to kepalaDinas, active for the next hour (it started a
 * minute ago): rows for prisma.delegation.create with the region added, or a request body (its Dates become ISO text).
 */
export function plhForAnHour(f: Fixture, fromEmployeeId = f.seed.employees.kepalaBidang) {
  const now = Date.now();
  return {
    fromEmployeeId,
    toEmployeeId: f.seed.employees.kepalaDinas,
    kind: 'PLH' as const,
    startsAt: new Date(now - 60_000),
    endsAt: new Date(now + 3_600_000),
  };
}

export const validSkp: SkpDraftInput = {
  rhk: [
    {
      title: 'Pelayanan dokumen kependudukan tepat waktu',
      indicators: [
        { name: 'Jumlah dokumen yang diterbitkan', kind: 'QUANTITY', target: 1200, unit: 'dokumen' },
        { name: 'Waktu penerbitan rata-rata', kind: 'TIME', target: 3, unit: 'hari' },
      ],
    },
  ],
};

export const allSesuai = {
  BERORIENTASI_PELAYANAN: 'DI_ATAS',
  AKUNTABEL: 'DI_ATAS',
  KOMPETEN: 'DI_ATAS',
  HARMONIS: 'SESUAI',
  LOYAL: 'DI_ATAS',
  ADAPTIF: 'SESUAI',
  KOLABORATIF: 'SESUAI',
} as const;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll until `fn` returns a truthy value (workflows and their projections settle asynchronously). */
export async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/** The admin opens a cycle on the seeded rule-set version (one workflow per employee); its id. */
export async function openCycle(f: Fixture, adminToken: string, year = 2025): Promise<string> {
  const open = await f.req('POST', '/admin/regions/demo/cycles', {
    token: adminToken,
    body: { year, name: `Penilaian Kinerja ${year}`, ruleSetVersionId: f.seed.ruleSetVersionId },
  });
  expect(open.status, await open.clone().text()).toBe(201);
  return (await json<{ cycle: { id: string } }>(open)).cycle.id;
}

/** The signed-in employee's evaluation in the cycle, once the fan-out has written it. */
export const evaluationIn = (f: Fixture, token: string, cycleId: string, who = 'the employee') =>
  until(`evaluation of ${who} in the cycle`, async () => {
    const res = await json<{ items: { id: string; cycleId: string }[] }>(await f.req('GET', '/me/evaluations', { token }));
    return res.items.find((e) => e.cycleId === cycleId)?.id;
  });
