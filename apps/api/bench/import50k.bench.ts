/**
 * import.50k: a whole region's roster imported through the real API app in process (app.request: every middleware,
 * authentication, the CSV reader, validation row by row, the set-based apply), with `Accept: application/x-ndjson`
 * and the progress lines read as they arrive:
 *
 *  - a fresh region with its unit tree (a PEMDA, 40 OPDs, 9 bidang below each: 401 units), then BENCH_IMPORT_ROWS
 *    rows (default 50,000: valid NIPs, names, positions, unit codes, superiors naming other rows of the same file,
 *    no passwords) as one CSV file: `create`; then the same file again: `update` (every row an existing employee);
 *  - value: the wall time from the request to its result line; progressLines, firstLineMs (the silence while the
 *    file is read and validated) and maxGapMs (the largest gap between two consecutive lines);
 *  - baseline, in the same run: the same rows written into a second fresh region by one bare statement, an
 *    `INSERT … SELECT FROM unnest(…)` with the superiors' ids computed beforehand (create), an `UPDATE … FROM unnest(…)`
 *    (update): the database's floor for writing those rows;
 *  - the route refuses more rows per request than its limit: a file it refuses is imported in parts of
 *    BENCH_IMPORT_PART rows (default 60,000: the whole file in one request), one request after another, top down so every superior is in an earlier
 *    part or the same one; the line then says `parts` and `singleRequest` (the refusal's status and detail);
 *  - BENCH_IMPORT_DATABASES: a comma-separated subset of `postgresql,pglite` (default both); PostgreSQL is a cluster
 *    of the bench's own, PGlite in memory;
 *  - ok: the region holds `rows` employees and `rows - 1` superiors afterwards (the head of the region has none);
 *    a run whose counts are wrong says `"ok":false` rather than pass for a figure.
 *
 * Goal (the issue "Month-end at scale"): ≤ 120 s for 50,000 employees, with progress.
 * One JSON object per line on stdout; progress on stderr. A benchmark reports; it asserts nothing.
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { format } from 'node:util';
import { DEMO_PASSWORD, migrateDb, openDb, Prisma, seedDemo, type Db } from '@kinerja/db';
import { demoRuleSet } from '@kinerja/rules';
import { findPgBin, startPgCluster, type PgCluster } from '@kinerja/testing/services';
import { Client, Connection } from '@temporalio/client';
import { pino } from 'pino';
import { createApp } from '../src/index.js';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 50_000);
const PART = Number(process.env.BENCH_IMPORT_PART ?? 60_000);
const DATABASES = (process.env.BENCH_IMPORT_DATABASES ?? 'postgresql,pglite').split(',').map((d) => d.trim());
const GOAL_S = 120;

const log = (m: string) => process.stderr.write(`[api import50k.bench] ${m}\n`);
console.log = console.info = (...args: unknown[]) => process.stderr.write(`${format(...args)}\n`);
const emit = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ ...o, load1: Math.round(loadavg()[0]! * 100) / 100 })}\n`);
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

// ------------------------------------------------------------------------------------------------ the roster

const FIRST = ['Siti', 'Budi', 'Agus', 'Dewi', 'Rina', 'Joko', 'Sri', 'Andi', 'Putri', 'Hendra', 'Wahyu', 'Nur', 'Dian', 'Eko', 'Ratna'];
const LAST = ['Rahayu', 'Santoso', 'Wijaya', 'Lestari', 'Hidayat', 'Kusuma', 'Pratama', 'Saputra', 'Wulandari', 'Setiawan', 'Nugroho'];
const STAFF_POSITIONS = ['Analis Kebijakan', 'Pranata Komputer', 'Pengadministrasi Umum', 'Arsiparis'];

/**
 * A valid NIP for row i: birth date (1960-01-01 + i mod 10,080, over 30 years of 12 months of 28 days),
 * appointment at 20 years old, sex, and the sequence that keeps the NIPs of one birth date apart.
 */
function nipOf(i: number): string {
  const d = i % 10_080;
  const year = 1960 + Math.floor(d / 336);
  const month = Math.floor((d % 336) / 28) + 1;
  const day = (d % 28) + 1;
  const seq = Math.floor(i / 10_080);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${year}${p2(month)}${p2(day)}${year + 20}${p2((i % 12) + 1)}${(i % 2) + 1}${String(seq).padStart(3, '0')}`;
}

interface Unit {
  code: string;
  name: string;
  kind: 'PEMDA' | 'DINAS' | 'BIDANG';
  parent: string | null;
}
interface Row {
  nip: string;
  name: string;
  position: string;
  positionKind: 'STRUKTURAL' | 'FUNGSIONAL' | 'PELAKSANA';
  unitCode: string;
  superiorNip: string;
}

const UNITS: Unit[] = [{ code: 'PEMDA', name: 'Pemerintah Kota Impor', kind: 'PEMDA', parent: null }];
for (let o = 1; o <= 40; o++) {
  UNITS.push({ code: `OPD-${o}`, name: `Dinas ${o}`, kind: 'DINAS', parent: 'PEMDA' });
  for (let b = 1; b <= 9; b++) UNITS.push({ code: `OPD-${o}-B${b}`, name: `Bidang ${b} Dinas ${o}`, kind: 'BIDANG', parent: `OPD-${o}` });
}

/** Top down: the head of the region, the unit heads (each under the head above), then the staff under their bidang's head. */
function roster(count: number): Row[] {
  const rows: Row[] = [];
  const head = new Map<string, string>();
  const add = (unit: Unit, position: string, positionKind: Row['positionKind'], superiorNip: string) => {
    const i = rows.length;
    const nip = nipOf(i);
    rows.push({
      nip,
      name: `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`,
      position,
      positionKind,
      unitCode: unit.code,
      superiorNip,
    });
    return nip;
  };
  for (const u of UNITS)
    head.set(u.code, add(u, u.kind === 'PEMDA' ? 'Sekretaris Daerah' : `Kepala ${u.name}`, 'STRUKTURAL', u.parent ? head.get(u.parent)! : ''));
  const bidang = UNITS.filter((u) => u.kind === 'BIDANG');
  while (rows.length < count) {
    const b = bidang[rows.length % bidang.length]!;
    add(b, STAFF_POSITIONS[rows.length % STAFF_POSITIONS.length]!, rows.length % 5 < 2 ? 'FUNGSIONAL' : 'PELAKSANA', head.get(b.code)!);
  }
  return rows.slice(0, count);
}

const csvOf = (rows: readonly Row[]) =>
  [
    'nip,name,position,positionKind,unitCode,superiorNip',
    ...rows.map((r) => `${r.nip},${r.name},${r.position},${r.positionKind},${r.unitCode},${r.superiorNip}`),
  ].join('\n') + '\n';

/** A region and its unit tree, written directly: the bench measures the employees' import, not the units'. */
async function freshRegion(db: Db, code: string, adminUserId: string): Promise<{ id: string; unitIds: Map<string, string> }> {
  const region = await db.prisma.region.create({ data: { code, name: `Kota ${code}` } });
  await db.prisma.adminGrant.create({ data: { userId: adminUserId, regionId: region.id } });
  const unitIds = new Map(UNITS.map((u) => [u.code, randomUUID()]));
  for (const level of ['PEMDA', 'DINAS', 'BIDANG'] as const)
    await db.prisma.unit.createMany({
      data: UNITS.filter((u) => u.kind === level).map((u) => ({
        id: unitIds.get(u.code)!,
        regionId: region.id,
        code: u.code,
        name: u.name,
        kind: u.kind,
        parentId: u.parent ? unitIds.get(u.parent)! : null,
      })),
    });
  return { id: region.id, unitIds };
}

// ------------------------------------------------------------------------------------------------ measuring

interface Streamed {
  seconds: number;
  progressLines: number;
  firstLineMs: number;
  maxGapMs: number;
  parts: number;
  singleRequest?: { status: number; detail: string };
  error?: string;
}

type Post = (csv: string) => Promise<Response>;

/** One streamed import: the arrival time of every line (ms since `t0`), and the last line parsed. */
async function streamOne(post: Post, rows: readonly Row[], t0: number, times: number[]): Promise<{ status: number; last: unknown; problem?: string }> {
  const res = await post(csvOf(rows));
  if (res.status !== 200) return { status: res.status, last: null, problem: await res.text() };
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let last: unknown = null;
  let progress = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (!line.trim()) continue;
      times.push(performance.now() - t0);
      last = JSON.parse(line);
      const l = last as { type: string; phase?: string; done?: number };
      if (l.type === 'progress' && ++progress % 10 === 0) log(`  ${l.phase} ${l.done}/${rows.length}`);
    }
  }
  return { status: 200, last };
}

/** The whole file in one request; when the route refuses it, the file in parts of PART rows, one after another. */
async function streamedImport(post: Post, rows: readonly Row[]): Promise<Streamed> {
  const times: number[] = [];
  let t0 = performance.now();
  const whole = await streamOne(post, rows, t0, times);
  let singleRequest: Streamed['singleRequest'];
  let parts = 1;
  let results: unknown[] = [whole.last];
  if (whole.status !== 200) {
    const detail = (() => {
      try {
        const p = JSON.parse(whole.problem ?? '') as { detail?: string; errors?: { message?: string }[] };
        return p.errors?.[0]?.message ?? p.detail ?? '';
      } catch {
        return (whole.problem ?? '').slice(0, 200);
      }
    })();
    singleRequest = { status: whole.status, detail };
    log(`  one request of ${rows.length} rows refused (${whole.status}: ${detail}); importing in parts of ${PART}`);
    times.length = 0;
    results = [];
    t0 = performance.now();
    parts = Math.ceil(rows.length / PART);
    for (let p = 0; p < parts; p++) {
      const r = await streamOne(post, rows.slice(p * PART, (p + 1) * PART), t0, times);
      if (r.status !== 200)
        return { seconds: 0, progressLines: 0, firstLineMs: 0, maxGapMs: 0, parts, singleRequest, error: `part ${p}: ${r.status} ${r.problem}` };
      results.push(r.last);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const failed = results.find((r) => (r as { type?: string } | null)?.type !== 'result');
  let maxGap = 0;
  for (let i = 1; i < times.length; i++) maxGap = Math.max(maxGap, times[i]! - times[i - 1]!);
  return {
    seconds,
    // every line but the result lines
    progressLines: times.length - results.length,
    firstLineMs: round(times[0] ?? 0),
    maxGapMs: round(maxGap),
    parts,
    ...(singleRequest ? { singleRequest } : {}),
    ...(failed !== undefined ? { error: JSON.stringify(failed) } : {}),
  };
}

/** The floor: the same rows in one bare statement into region `regionId` (ids, units and superiors resolved here). */
async function bareWrite(db: Db, path: 'create' | 'update', regionId: string, unitIds: Map<string, string>, rows: readonly Row[], ids: Map<string, string>) {
  const text = (xs: (string | null)[]) => Prisma.sql`${xs}::text[]`;
  const t0 = performance.now();
  if (path === 'create')
    await db.prisma.$executeRaw`
      INSERT INTO "Employee" (id, "regionId", nip, name, position, "positionKind", "unitId", "superiorId", "updatedAt")
      SELECT s.id, ${regionId}, s.nip, s.name, s.position, s.kind::"PositionKind", s.unit, s.superior, now()
      FROM unnest(${text(rows.map((r) => ids.get(r.nip)!))}, ${text(rows.map((r) => r.nip))}, ${text(rows.map((r) => r.name))},
        ${text(rows.map((r) => r.position))}, ${text(rows.map((r) => r.positionKind))}, ${text(rows.map((r) => unitIds.get(r.unitCode)!))},
        ${text(rows.map((r) => (r.superiorNip ? ids.get(r.superiorNip)! : null)))})
        AS s(id, nip, name, position, kind, unit, superior)`;
  else
    await db.prisma.$executeRaw`
      UPDATE "Employee" e SET name = s.name, position = s.position, "positionKind" = s.kind::"PositionKind", "unitId" = s.unit,
        "superiorId" = s.superior, "updatedAt" = now()
      FROM unnest(${text(rows.map((r) => r.nip))}, ${text(rows.map((r) => r.name))}, ${text(rows.map((r) => r.position))},
        ${text(rows.map((r) => r.positionKind))}, ${text(rows.map((r) => unitIds.get(r.unitCode)!))},
        ${text(rows.map((r) => (r.superiorNip ? ids.get(r.superiorNip)! : null)))})
        AS s(nip, name, position, kind, unit, superior)
      WHERE e."regionId" = ${regionId} AND e.nip = s.nip`;
  return (performance.now() - t0) / 1000;
}

async function counts(db: Db, regionId: string) {
  const [employees, superiors] = await Promise.all([
    db.prisma.employee.count({ where: { regionId } }),
    db.prisma.employee.count({ where: { regionId, superiorId: { not: null } } }),
  ]);
  return { employees, superiors };
}

async function runOn(database: 'postgresql' | 'pglite', db: Db) {
  await migrateDb(db);
  const demo = await seedDemo(db.prisma, { ruleSetDocument: demoRuleSet });
  const target = await freshRegion(db, 'impor', demo.adminUserId);
  const floor = await freshRegion(db, 'lantai', demo.adminUserId);
  const rows = roster(ROWS);
  const ids = new Map(rows.map((r) => [r.nip, randomUUID()]));
  log(`${database}: two regions of ${UNITS.length} units; ${rows.length} rows (${(csvOf(rows).length / 1024 / 1024).toFixed(1)} MiB of CSV)`);

  // the route does not reach Temporal: a lazy connection that is never used
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:7233' }) });
  const app = createApp({
    prisma: db.prisma,
    temporal,
    config: { jwtSecret: 'bench-secret-0123456789-abcdefghijklmnop', loginRateBurst: 100_000 },
    // stdout carries the bench's lines only: the app's warnings and errors (a failed import's cause) go to stderr
    logger: pino({ level: 'warn', base: { service: 'kinerja-api' } }, pino.destination(2)),
  });
  const login = await app.request('/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const post: Post = (csv) =>
    Promise.resolve(
      app.request('/admin/regions/impor/employees/import', {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'text/csv', accept: 'application/x-ndjson' },
        body: csv,
      }),
    );

  for (const path of ['create', 'update'] as const) {
    log(`${database} ${path}: importing ${rows.length} rows`);
    const r = await streamedImport(post, rows);
    const got = await counts(db, target.id);
    log(`${database} ${path}: ${round(r.seconds, 2)} s; the region holds ${got.employees} employees, ${got.superiors} with a superior`);
    const baseline = await bareWrite(db, path, floor.id, floor.unitIds, rows, ids);
    const floorGot = await counts(db, floor.id);
    log(`${database} ${path}: bare statement ${round(baseline, 2)} s (${floorGot.employees} employees, ${floorGot.superiors} with a superior)`);
    const ok = !r.error && got.employees === rows.length && got.superiors === rows.length - 1 && floorGot.employees === rows.length;
    if (r.error) log(`${database} ${path}: the import failed: ${r.error}`);
    emit({
      name: 'import.50k',
      path,
      value: round(r.seconds, 2),
      unit: 's',
      baseline: round(baseline, 3),
      ratio: round(r.seconds / baseline, 1),
      goal: GOAL_S,
      database,
      ok,
      rows: rows.length,
      employees: got.employees,
      superiors: got.superiors,
      progressLines: r.progressLines,
      firstLineMs: r.firstLineMs,
      maxGapMs: r.maxGapMs,
      parts: r.parts,
      ...(r.singleRequest ? { singleRequest: r.singleRequest } : {}),
    });
  }
}

async function main() {
  for (const database of DATABASES) {
    if (database === 'postgresql') {
      const pgBin = findPgBin();
      if (!pgBin) {
        emit({ name: 'import.50k', database, skipped: 'no PostgreSQL server binaries (set KINERJA_PG_BIN or install postgresql)' });
        continue;
      }
      let cluster: PgCluster | undefined;
      let db: Db | undefined;
      try {
        cluster = await startPgCluster(pgBin);
        // the cluster is the bench's own and goes when it ends: its maintenance database holds the regions
        db = await openDb({ url: cluster.adminUrl });
        await runOn(database, db);
      } finally {
        await db?.close();
        await cluster?.stop();
      }
    } else if (database === 'pglite') {
      const db = await openDb({ dataDir: 'memory://' });
      try {
        await runOn(database, db);
      } finally {
        await db.close();
      }
    } else log(`unknown database ${database} (postgresql or pglite)`);
  }
}

await main();
process.exit(0);
