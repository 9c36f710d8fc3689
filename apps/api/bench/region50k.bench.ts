/**
 * The API's budget for a large region, on a real PostgreSQL (a cluster of its own, as the tests start one) with the
 * real API app in process (app.request: every middleware, authentication, validation and the response schemas):
 *
 *  - a region of BENCH_EMPLOYEES employees (default 50,000) in a unit tree (a PEMDA, OPDs, bidang below each) with
 *    their superiors, and a cycle with one evaluation each in mixed phases, with scores, open and done tasks
 *    (some overdue, some escalated) and reminder/escalation notifications, inserted in batches of createMany;
 *  - api.employees.*: GET /admin/regions/{code}/employees, the first page, a name search, a unit filter (with its
 *    subunits) and a deep page, against 300 ms at p95;
 *  - api.cycle-report: GET …/cycles/{id}/report (the dashboard), against 300 ms at p95;
 *  - api.report-xlsx / api.report-csv: the whole export, for information (no budget);
 *  - reports.50k (the issue "Month-end at scale"): the cycle report, the CSV export and the employee list's first
 *    page, each against its baseline in the same run: the very statements the request sent (recorded at the driver
 *    adapter, parameters and all) sent again one after another on a bare driver connection, without the app, so the
 *    ratio is what the app adds to the database's own work; the two are measured alternately, run by run;
 *  - BENCH_REPORTS_DATABASES: a comma-separated subset of `postgresql,pglite` (default postgresql): PGlite (in memory)
 *    seeds the same region, more slowly, and gives the reports.50k lines only; the api.* lines are PostgreSQL's.
 *
 * A case over its budget prints the plans of its statements that took 50 ms or more (auto_explain, EXPLAIN ANALYZE
 * with buffers, from the cluster's log) to stderr.
 *
 * One JSON object per line on stdout; progress on stderr. A benchmark reports; it asserts nothing.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { DEMO_PASSWORD, migrateDb, openDb, PrismaClient, seedDemo, type Db, type Prisma } from '@kinerja/db';
import { PHASES, PREDIKATS, type Phase } from '@kinerja/domain';
import { demoRuleSet } from '@kinerja/rules';
import { findPgBin, startPgCluster } from '@kinerja/testing/services';
import { Client, Connection } from '@temporalio/client';
import { pino } from 'pino';
import { createApp } from '../src/index.js';

const EMPLOYEES = Number(process.env.BENCH_EMPLOYEES ?? 50_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const BUDGET_MS = 300;
const BATCH = 5_000;
const DATABASES = (process.env.BENCH_REPORTS_DATABASES ?? 'postgresql').split(',').map((d) => d.trim());
/** runs of reports.50k's CSV case: a whole export is seconds, not milliseconds */
const CSV_RUNS = Math.min(RUNS, Number(process.env.BENCH_REPORTS_CSV_RUNS ?? 10));

const log = (m: string) => process.stderr.write(`[api region50k.bench] ${m}\n`);
console.log = console.info = (...args: unknown[]) => process.stderr.write(`${format(...args)}\n`);
const emit = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);
const round = (x: number) => Math.round(x * 10) / 10;

// ------------------------------------------------------------------------------------------------ seeding

const FIRST = [
  'Siti',
  'Budi',
  'Agus',
  'Dewi',
  'Rina',
  'Joko',
  'Sri',
  'Andi',
  'Putri',
  'Hendra',
  'Wahyu',
  'Nur',
  'Dian',
  'Eko',
  'Ratna',
  'Bambang',
  'Yuni',
  'Fajar',
  'Indah',
  'Rudi',
];
const LAST = [
  'Rahayu',
  'Santoso',
  'Wijaya',
  'Lestari',
  'Hidayat',
  'Kusuma',
  'Pratama',
  'Saputra',
  'Wulandari',
  'Setiawan',
  'Nugroho',
  'Handayani',
  'Susanto',
  'Purnomo',
  'Permata',
];
/** a deterministic pseudo-random sequence, so every run seeds the same region */
let state = 42;
const rand = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
const nipOf = (i: number) => `19${String(i).padStart(6, '0')}2010011${String(i % 1000).padStart(3, '0')}`;

async function insert<T>(what: string, rows: T[], write: (batch: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += BATCH) await write(rows.slice(i, i + BATCH));
  log(`${what}: ${rows.length}`);
}

interface Seeded {
  regionCode: string;
  cycleId: string;
  unitCode: string;
  search: string;
}

async function seedRegion(db: Db): Promise<Seeded> {
  // the same sequence on every database of the run: the same region
  state = 42;
  const p = db.prisma;
  const demo = await seedDemo(p, { ruleSetDocument: demoRuleSet });
  const regionId = demo.regionId;

  // units: one PEMDA, 40 OPDs, 6 bidang below each
  const root = { id: randomUUID(), regionId, code: 'PEMDA', name: 'Pemerintah Kota Besar', kind: 'PEMDA' as const, parentId: null as string | null };
  const opds = Array.from({ length: 40 }, (_, i) => ({
    id: randomUUID(),
    regionId,
    code: `OPD-${i + 1}`,
    name: `Dinas ${i + 1}`,
    kind: 'DINAS' as const,
    parentId: root.id,
  }));
  const bidang = opds.flatMap((o, i) =>
    Array.from({ length: 6 }, (_, j) => ({
      id: randomUUID(),
      regionId,
      code: `OPD-${i + 1}-B${j + 1}`,
      name: `Bidang ${j + 1} Dinas ${i + 1}`,
      kind: 'BIDANG' as const,
      parentId: o.id,
    })),
  );
  await p.unit.createMany({ data: [root] });
  await p.unit.createMany({ data: opds });
  await p.unit.createMany({ data: bidang });

  // the head of each unit reports to the head of the unit above; everyone else to their unit's head
  type Row = Prisma.EmployeeCreateManyInput & { id: string };
  let n = 0;
  const person = (unitId: string, superiorId: string | null, position: string, positionKind: 'STRUKTURAL' | 'FUNGSIONAL' | 'PELAKSANA'): Row => {
    n++;
    return { id: randomUUID(), regionId, nip: nipOf(n), name: `${pick(FIRST)} ${pick(LAST)}`, position, positionKind, unitId, superiorId };
  };
  const sekda = person(root.id, null, 'Sekretaris Daerah', 'STRUKTURAL');
  const opdHeads = new Map(opds.map((o) => [o.id, person(o.id, sekda.id, `Kepala ${o.name}`, 'STRUKTURAL')]));
  const bidangHeads = new Map(bidang.map((b) => [b.id, person(b.id, opdHeads.get(b.parentId)!.id, `Kepala ${b.name}`, 'STRUKTURAL')]));
  const heads = [sekda, ...opdHeads.values(), ...bidangHeads.values()];
  const staff: Row[] = [];
  while (heads.length + staff.length < EMPLOYEES) {
    const b = pick(bidang);
    staff.push(
      person(
        b.id,
        bidangHeads.get(b.id)!.id,
        pick(['Analis Kebijakan', 'Pranata Komputer', 'Pengadministrasi Umum', 'Arsiparis']),
        rand() < 0.4 ? 'FUNGSIONAL' : 'PELAKSANA',
      ),
    );
  }
  await p.employee.createMany({ data: [sekda] });
  await p.employee.createMany({ data: [...opdHeads.values()] });
  await p.employee.createMany({ data: [...bidangHeads.values()] });
  await insert('employees', staff, (data) => p.employee.createMany({ data }));
  const everyone = [...heads, ...staff];
  const byId = new Map(everyone.map((e) => [e.id, e]));

  // the cycle: one evaluation each, phases spread over the year's course
  const cycleId = randomUUID();
  await p.cycle.create({
    data: {
      id: cycleId,
      regionId,
      year: 2025,
      name: 'Siklus 2025',
      ruleSetVersionId: demo.ruleSetVersionId,
      workflowId: `bench/${cycleId}`,
      status: 'OPEN',
      totalEmployees: everyone.length,
      startedCount: everyone.length,
    },
  });
  const weights: [Phase, number][] = [
    ['TARGET_SETTING', 0.1],
    ['PERIODIC', 0.45],
    ['ANNUAL_RATING', 0.1],
    ['CALIBRATION', 0.1],
    ['APPEAL_WINDOW', 0.05],
    ['APPEAL', 0.02],
    ['FINAL', 0.16],
    ['CLOSED', 0.02],
  ];
  const phaseOf = () => {
    let x = rand();
    for (const [ph, w] of weights) if ((x -= w) < 0) return ph;
    return 'FINAL' as Phase;
  };
  const evaluations = everyone.map((e) => ({
    id: randomUUID(),
    cycleId,
    regionId,
    employeeId: e.id,
    unitId: e.unitId,
    supervisorId: e.superiorId ?? null,
    reviewerId: e.superiorId ? (byId.get(e.superiorId)?.superiorId ?? null) : null,
    workflowId: `bench/evaluation/${e.id}`,
    phase: phaseOf(),
  }));
  await insert('evaluations', evaluations, (data) => p.evaluation.createMany({ data }));

  const scored = (ph: Phase) => PHASES.indexOf(ph) >= PHASES.indexOf('CALIBRATION');
  const scores = evaluations
    .filter((e) => scored(e.phase))
    .flatMap((e) => {
      const predikat = pick(PREDIKATS);
      const base = {
        evaluationId: e.id,
        hasilKerja: 'SESUAI',
        perilaku: 'SESUAI',
        predikat,
        numericScore: 60 + Math.floor(rand() * 60),
        flags: [],
        facts: {},
        trace: [],
        ruleSetVersionId: demo.ruleSetVersionId,
      };
      return e.phase === 'FINAL' || e.phase === 'CLOSED'
        ? [
            { ...base, kind: 'INITIAL' as const },
            { ...base, kind: 'FINAL' as const },
          ]
        : [{ ...base, kind: 'INITIAL' as const }];
    });
  await insert('scores', scores, (data) => p.score.createMany({ data }));

  const now = Date.now();
  const DAY = 86_400_000;
  const tasks = evaluations.flatMap((e) => {
    const done = { regionId, cycleId, evaluationId: e.id, status: 'DONE' as const, dueAt: new Date(now - 60 * DAY), completedAt: new Date(now - 61 * DAY) };
    const history = [
      { ...done, key: `${e.id}:SUBMIT_TARGETS:0`, kind: 'SUBMIT_TARGETS', assigneeId: e.employeeId },
      { ...done, key: `${e.id}:APPROVE_TARGETS:0`, kind: 'APPROVE_TARGETS', assigneeId: e.supervisorId ?? e.employeeId },
    ];
    if (e.phase !== 'PERIODIC' && e.phase !== 'TARGET_SETTING' && e.phase !== 'ANNUAL_RATING') return history;
    const own = rand() < 0.5 || !e.supervisorId;
    const escalated = !own && rand() < 0.1 && !!e.reviewerId;
    const kind =
      e.phase === 'TARGET_SETTING'
        ? own
          ? 'SUBMIT_TARGETS'
          : 'APPROVE_TARGETS'
        : e.phase === 'ANNUAL_RATING'
          ? 'ANNUAL_RATING'
          : own
            ? 'SUBMIT_REPORT'
            : 'REVIEW_PERIOD';
    const open = {
      regionId,
      cycleId,
      evaluationId: e.id,
      key: `${e.id}:${kind}:2`,
      kind,
      period: 2,
      assigneeId: own ? e.employeeId : escalated ? e.reviewerId! : e.supervisorId!,
      actingForId: escalated ? e.supervisorId : null,
      escalated,
      dueAt: new Date(now + (rand() * 40 - 20) * DAY),
    };
    return [...history.filter((h) => h.kind !== kind), open];
  });
  await insert('tasks', tasks, (data) => p.task.createMany({ data }));

  const notifications = tasks
    .filter((t) => t.kind !== 'SUBMIT_TARGETS' || rand() < 0.2)
    .filter(() => rand() < 0.3)
    .map((t) => ({
      regionId,
      key: `${'escalated' in t && t.escalated ? 'ESCALATION' : 'REMINDER'}:${t.key}:EMAIL`,
      event: 'escalated' in t && t.escalated ? 'ESCALATION' : 'REMINDER',
      channel: 'EMAIL' as const,
      evaluationId: t.evaluationId,
      cycleId,
      recipientId: t.assigneeId,
      address: 'pegawai@contoh.invalid',
      payload: {},
      status: 'SENT' as const,
    }));
  await insert('notifications', notifications, (data) => p.notification.createMany({ data }));
  // the steady state autovacuum keeps: statistics, and the visibility map that lets the report's counts read indexes only
  await p.$executeRawUnsafe('VACUUM ANALYZE');
  return { regionCode: 'demo', cycleId, unitCode: 'OPD-7', search: 'siti rah' };
}

// ------------------------------------------------------------------------------------------------ measuring

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

/** The server log's plans written since `from` (auto_explain logs each statement's EXPLAIN ANALYZE). */
let serverLog = '';
const logSize = () => (serverLog ? statSync(serverLog).size : 0);
function plansSince(from: number): string {
  if (!serverLog) return '';
  const text = readFileSync(serverLog).subarray(from).toString('utf8');
  return text
    .split(/\n(?=\S)/)
    .filter((entry) => entry.includes('duration:') && entry.includes('plan:'))
    .join('\n');
}

async function measure(name: string, run: () => Promise<Response>, budget: number | null, extra: Record<string, unknown> = {}) {
  let detail: Record<string, unknown> = {};
  const logFrom = logSize();
  for (let i = 0; i < 3; i++) {
    const res = await run(); // warm-up: plans, caches, the JIT
    if (res.status !== 200) throw new Error(`${name}: ${res.status} ${await res.text()}`);
    const body = await res.arrayBuffer();
    detail = { status: res.status, bytes: body.byteLength };
  }
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const res = await run();
    await res.arrayBuffer();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const p95 = percentile(times, 0.95);
  if (budget !== null && p95 > budget) log(`${name} is over its budget; the plans of its slow statements:\n${plansSince(logFrom) || '(none over 50 ms)'}`);
  emit({
    bench: name,
    employees: EMPLOYEES,
    runs: RUNS,
    p50Ms: round(percentile(times, 0.5)),
    p95Ms: round(p95),
    maxMs: round(times[times.length - 1]!),
    ...(budget === null ? { budgetMs: null } : { budgetMs: budget, withinBudget: p95 <= budget }),
    ...detail,
    ...extra,
  });
}

type Factory = Db['adapter'];
type Driver = Awaited<ReturnType<Factory['connect']>>;
type Query = Parameters<Driver['queryRaw']>[0];
/** A statement a request sent, and when (performance.now()) it was sent and answered. */
interface Sent {
  query: Query;
  start: number;
  end: number;
}

/**
 * `factory` with every statement its connections and transactions send recorded (SQL, arguments and their types,
 * when it was sent and answered) while `record` runs: what a request sends, to be sent again without the app.
 */
function recordingAdapter(factory: Factory) {
  let recording: Sent[] | null = null;
  const tap = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(t, key) {
        const v: unknown = Reflect.get(t, key, t);
        if (typeof v !== 'function') return v;
        const f = v as (...args: unknown[]) => unknown;
        if (key === 'queryRaw' || key === 'executeRaw')
          return (q: Query) => {
            if (!recording) return f.call(t, q);
            const sent = { query: q, start: performance.now(), end: Infinity };
            recording.push(sent);
            return (f.call(t, q) as Promise<unknown>).finally(() => (sent.end = performance.now()));
          };
        // connections and transactions are tapped in turn
        if (key === 'connect' || key === 'startTransaction') return async (...args: unknown[]) => tap((await f.apply(t, args)) as object);
        return f.bind(t);
      },
    });
  return {
    adapter: tap(factory),
    async record(fn: () => Promise<unknown>): Promise<Sent[]> {
      const statements: Sent[] = [];
      recording = statements;
      try {
        await fn();
      } finally {
        recording = null;
      }
      return statements;
    },
  };
}

async function main() {
  for (const database of DATABASES) {
    if (database === 'postgresql') await onPostgres();
    else if (database === 'pglite') {
      const db = await openDb({ dataDir: 'memory://' });
      try {
        await migrateDb(db);
        await runOn('pglite', db);
      } finally {
        await db.close();
      }
    } else log(`unknown database ${database} (postgresql or pglite)`);
  }
}

async function onPostgres() {
  const pgBin = findPgBin();
  if (!pgBin) {
    emit({ bench: 'api.region50k', skipped: 'no PostgreSQL server binaries (set KINERJA_PG_BIN or install postgresql)' });
    return;
  }
  const cluster = await startPgCluster(pgBin);
  let db: Db | undefined;
  try {
    // the cluster is the bench's own and goes when it ends: its maintenance database holds the region
    db = await openDb({ url: cluster.adminUrl });
    await migrateDb(db);
    // every statement of 50 ms or more leaves its plan in the log: connections opened after the reload load
    // auto_explain, and only then are its settings known
    await db.prisma.$executeRawUnsafe("ALTER SYSTEM SET session_preload_libraries = 'auto_explain'");
    await db.prisma.$queryRawUnsafe('SELECT pg_reload_conf()');
    await db.close();
    db = await openDb({ url: cluster.adminUrl });
    for (const sql of [
      "ALTER SYSTEM SET auto_explain.log_min_duration = '50ms'",
      'ALTER SYSTEM SET auto_explain.log_analyze = on',
      'ALTER SYSTEM SET auto_explain.log_buffers = on',
    ])
      await db.prisma.$executeRawUnsafe(sql);
    await db.prisma.$queryRawUnsafe('SELECT pg_reload_conf()');
    serverLog = join(cluster.dataDir, 'server.log');
    await runOn('postgresql', db);
  } finally {
    serverLog = '';
    await db?.close();
    await cluster.stop();
  }
}

async function runOn(database: 'postgresql' | 'pglite', db: Db) {
  const t0 = performance.now();
  const seeded = await seedRegion(db);
  log(`${database}: seeded in ${Math.round(performance.now() - t0)} ms`);

  // the app runs on a client of its own whose statements can be recorded; the routes measured do not reach Temporal:
  // a lazy connection that is never used
  const recorder = recordingAdapter(db.adapter);
  const prisma = new PrismaClient({ adapter: recorder.adapter });
  const bare = await db.adapter.connect();
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:7233' }) });
  const app = createApp({
    prisma,
    temporal,
    config: { jwtSecret: 'bench-secret-0123456789-abcdefghijklmnop', loginRateBurst: 100_000 },
    // stdout carries the bench's lines only: the app's warnings and errors go to stderr
    logger: pino({ level: 'warn', base: { service: 'kinerja-api' } }, pino.destination(2)),
  });
  try {
    const login = await app.request('/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const get = (path: string) => () => Promise.resolve(app.request(path, { headers: { authorization: `Bearer ${accessToken}` } }));
    const region = `/admin/regions/${seeded.regionCode}`;
    const deepPage = Math.floor(EMPLOYEES / 50 / 2);

    if (database === 'postgresql') {
      await measure('api.employees.first-page', get(`${region}/employees?limit=50`), BUDGET_MS);
      await measure('api.employees.search', get(`${region}/employees?q=${encodeURIComponent(seeded.search)}&limit=50`), BUDGET_MS, { q: seeded.search });
      await measure('api.employees.search-nip', get(`${region}/employees?q=1900&limit=50`), BUDGET_MS, { q: '1900' });
      await measure('api.employees.unit', get(`${region}/employees?unitCode=${seeded.unitCode}&subunits=true&limit=50`), BUDGET_MS, {
        unitCode: seeded.unitCode,
      });
      await measure('api.employees.deep-page', get(`${region}/employees?page=${deepPage}&limit=50`), BUDGET_MS, { page: deepPage });
      await measure('api.employees.by-name', get(`${region}/employees?sort=name&page=20&limit=50`), BUDGET_MS, { sort: 'name', page: 20 });
      await measure('api.cycle-report', get(`${region}/cycles/${seeded.cycleId}/report`), BUDGET_MS);
      await measure('api.cycle-report.unit', get(`${region}/cycles/${seeded.cycleId}/report?unitCode=${seeded.unitCode}-B1`), BUDGET_MS);
      const exportRuns = Math.min(RUNS, 3);
      await measureExport('api.report-csv', get(`${region}/cycles/${seeded.cycleId}/report.csv`), exportRuns);
      await measureExport('api.report-xlsx', get(`${region}/cycles/${seeded.cycleId}/report.xlsx`), exportRuns);
    }

    const against = { database, recorder, bare };
    await measureReport('cycle-report', get(`${region}/cycles/${seeded.cycleId}/report`), RUNS, against);
    await measureReport('report-csv', get(`${region}/cycles/${seeded.cycleId}/report.csv`), CSV_RUNS, against);
    await measureReport('employee-list', get(`${region}/employees?limit=50`), RUNS, against);
  } finally {
    await bare.dispose();
    await prisma.$disconnect();
  }
}

/** EXPLAIN (ANALYZE, BUFFERS) of the statement of `statements` that takes longest on its own, with its arguments. */
async function slowestPlan(statements: readonly Sent[], bare: Driver): Promise<string> {
  let slowest = { ms: -1, query: statements[0]!.query };
  for (const { query } of statements) {
    const t = performance.now();
    await bare.queryRaw(query);
    const ms = performance.now() - t;
    if (ms > slowest.ms) slowest = { ms, query };
  }
  const plan = await bare.queryRaw({ ...slowest.query, sql: `EXPLAIN (ANALYZE, BUFFERS) ${slowest.query.sql}` });
  return `${round(slowest.ms)} ms alone; ${statements.length} statements in all\n${plan.rows.map((r) => String(r[0])).join('\n')}`;
}

/**
 * Waves of statements: one after another as the request sent them, except that a statement sent while another of
 * the wave was still unanswered joins it (the app had them in flight together, e.g. a Promise.all over the pool).
 */
function waves(statements: readonly Sent[]): Query[][] {
  const out: Query[][] = [];
  let end = -Infinity;
  for (const s of [...statements].sort((a, b) => a.start - b.start)) {
    if (s.start < end) out.at(-1)!.push(s.query);
    else out.push([s.query]);
    end = Math.max(end, s.end);
  }
  return out;
}

/**
 * reports.50k: the request through the app against the statements it sent, sent again on a bare connection (`bare`:
 * PostgreSQL's a pool, so a wave runs on several connections as the app's did) wave after wave and their rows read;
 * alternately, run by run, so both see the same machine. Warmed up alike.
 */
async function measureReport(
  report: string,
  run: () => Promise<Response>,
  runs: number,
  { database, recorder, bare }: { database: string; recorder: ReturnType<typeof recordingAdapter>; bare: Driver },
) {
  const request = async () => {
    const res = await run();
    if (res.status !== 200) throw new Error(`${report}: ${res.status} ${await res.text()}`);
    return (await res.arrayBuffer()).byteLength;
  };
  for (let i = 0; i < 3; i++) await request();
  let bytes = 0;
  const statements = await recorder.record(async () => (bytes = await request()));
  const plan = waves(statements);
  log(
    `${database} ${report}: ${statements.length} statements in ${plan.length} waves\n${plan
      .map((w, i) => w.map((q) => `  ${i + 1}. ${q.sql.replace(/\s+/g, ' ').slice(0, 150)}  (${q.args.length} args)`).join('\n'))
      .join('\n')}`,
  );
  let rows = 0;
  const replay = async () => {
    rows = 0;
    for (const wave of plan) for (const r of await Promise.all(wave.map((q) => bare.queryRaw(q)))) rows += r.rows.length;
  };
  for (let i = 0; i < 3; i++) await replay();
  const app: number[] = [];
  const base: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    await request();
    app.push(performance.now() - t);
    t = performance.now();
    await replay();
    base.push(performance.now() - t);
  }
  app.sort((a, b) => a - b);
  base.sort((a, b) => a - b);
  const value = percentile(app, 0.95);
  const baseline = percentile(base, 0.95);
  if (value > BUDGET_MS) log(`${database} ${report} is over the goal; the plan of its slowest statement:\n${await slowestPlan(statements, bare)}`);
  emit({
    name: 'reports.50k',
    report,
    value: round(value),
    unit: 'ms',
    baseline: round(baseline),
    ratio: Math.round((value / baseline) * 100) / 100,
    goal: BUDGET_MS,
    database,
    p50Ms: round(percentile(app, 0.5)),
    baselineP50Ms: round(percentile(base, 0.5)),
    runs,
    employees: EMPLOYEES,
    statements: statements.length,
    waves: plan.length,
    rows,
    bytes,
    load1: Math.round(loadavg()[0]! * 100) / 100,
  });
}

/** A whole export, read to its end, for information: a few runs, no budget. */
async function measureExport(name: string, run: () => Promise<Response>, runs: number) {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const res = await run();
    if (res.status !== 200) throw new Error(`${name}: ${res.status} ${await res.text()}`);
    bytes = (await res.arrayBuffer()).byteLength;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  emit({ bench: name, employees: EMPLOYEES, runs, p50Ms: round(percentile(times, 0.5)), maxMs: round(times[times.length - 1]!), budgetMs: null, bytes });
}

await main();
process.exit(0);
