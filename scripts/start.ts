/**
 * `npm start`: the whole system in one process, nothing to install beyond `node scripts/kinerja.mjs setup`.
 *
 *   Temporal   `temporal server start-dev` (SQLite at .data/temporal/temporal.db, UI on :8233), unless TEMPORAL_ADDRESS
 *   Database   PGlite at .data/pglite on a thread of its own, reached over the PostgreSQL wire protocol (the driver
 *              production uses), unless DATABASE_URL (postgres://…); migrated on every start, demo data on the first
 *   Worker     in-process (@kinerja/worker), sharing the one PrismaClient
 *   API        in-process (@kinerja/api) on PORT (default 3000), serving the web app (apps/web/dist, built by the
 *              setup) at /
 *   E-mail     to SMTP_URL, unless unset: then to a local inbox (an in-process SMTP server writing .data/inbox/*.eml,
 *              read with `npm run inbox`)
 *
 * Ctrl-C (SIGINT) or SIGTERM stops everything, the Temporal child included; the next start keeps the data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startApi, temporalClientInterceptors } from '@kinerja/api';
import { createClient, okBody } from '@kinerja/api/client';
import { DEFAULT_PGLITE_DIR, DEMO_PASSWORD, DEMO_REGION_CODE, migrateDb, openDb, seedDemo, startPgliteServer, type Db } from '@kinerja/db';
import { demoRuleSet } from '@kinerja/rules';
import { ensureMaintenanceSchedule, loadWorkerConfig, startWorker, type NotificationConfig } from '@kinerja/worker';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { MAIL_ROUTE_FILE, startLocalInbox, type MailRoute } from './local-inbox.js';

const ROOT = resolve(import.meta.dirname, '..');
const DATA = join(ROOT, '.data');
const PORT = Number(process.env.PORT ?? 3000);
const NAMESPACE = process.env.TEMPORAL_NAMESPACE ?? 'default';
const TEMPORAL_PORT = 7233;
const TEMPORAL_UI_PORT = 8233;
/** the built web app (`node scripts/kinerja.mjs setup` builds it) */
const WEB_ROOT = join(ROOT, 'apps', 'web', 'dist');

const c = { cyan: '\x1b[36m', green: '\x1b[32m', red: '\x1b[31m', dim: '\x1b[2m', bold: '\x1b[1m', off: '\x1b[0m' };
const log = (msg: string) => console.log(`${c.cyan}[kinerja]${c.off} ${msg}`);

// ------------------------------------------------------------------------------------------------ lifecycle

const cleanups: { name: string; run: () => Promise<void> | void }[] = [];
let stopping = false;

async function shutdown(reason: string, code: number): Promise<void> {
  // Ctrl-C reaches every process of the terminal's group, and pnpm/tsx relay it once more: repeated signals during
  // shutdown are ignored; a stuck shutdown is cut off after 30 s.
  if (stopping) return;
  stopping = true;
  setTimeout(() => {
    console.error(`${c.red}[kinerja] shutdown took longer than 30 s: exiting${c.off}`);
    process.exit(code || 1);
  }, 30_000).unref();
  log(`${reason}: stopping`);
  for (const step of cleanups.reverse()) {
    try {
      await step.run();
    } catch (err) {
      console.error(`${c.red}[kinerja] stopping ${step.name} failed:${c.off}`, err);
      code = code || 1;
    }
  }
  log('stopped');
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void shutdown(signal, 0));
}

// ------------------------------------------------------------------------------------------------ Temporal

async function temporalAnswers(address: string): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 1_000 });
    await connection.workflowService.describeNamespace({ namespace: NAMESPACE });
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}

async function startTemporal(): Promise<{ address: string; ui: string | null }> {
  if (process.env.TEMPORAL_ADDRESS) {
    const address = process.env.TEMPORAL_ADDRESS;
    log(`using Temporal at ${address} (TEMPORAL_ADDRESS)`);
    return { address, ui: null };
  }
  const address = `127.0.0.1:${TEMPORAL_PORT}`;
  if (await temporalAnswers(address)) {
    log(`a Temporal server already answers on ${address}: using it`);
    return { address, ui: `http://localhost:${TEMPORAL_UI_PORT}` };
  }
  const cli = process.env.KINERJA_TEMPORAL_CLI ?? join(ROOT, '.tools', 'venv', 'bin', 'temporal');
  if (!existsSync(cli)) throw new Error(`Temporal CLI not found at ${cli}: run \`node scripts/kinerja.mjs setup\``);
  const dir = join(DATA, 'temporal');
  mkdirSync(dir, { recursive: true });
  const logFile = join(dir, 'server.log');
  const out = openSync(logFile, 'a');
  const child = spawn(
    cli,
    [
      'server',
      'start-dev',
      '--db-filename',
      join(dir, 'temporal.db'),
      '--port',
      String(TEMPORAL_PORT),
      '--ui-port',
      String(TEMPORAL_UI_PORT),
      '--ip',
      '127.0.0.1',
      ...(NAMESPACE === 'default' ? [] : ['--namespace', NAMESPACE]),
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', out, out] },
  );
  closeSync(out);
  cleanups.push({ name: 'Temporal dev server', run: () => stopChild(child) });
  child.once('exit', (code, signal) => {
    if (!stopping) void shutdown(`the Temporal dev server exited (${signal ?? code}); see ${logFile}`, 1);
  });
  log(`starting the Temporal dev server (${address}, data in .data/temporal, log in .data/temporal/server.log)`);
  const deadline = Date.now() + 60_000;
  while (!(await temporalAnswers(address))) {
    if (Date.now() > deadline) throw new Error(`the Temporal dev server did not answer within 60 s; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { address, ui: `http://localhost:${TEMPORAL_UI_PORT}` };
}

// ------------------------------------------------------------------------------------------------ database

/** PGlite is one process's database: refuse a second `npm start` on the same data directory. */
function lockPglite(): void {
  const lock = `${DEFAULT_PGLITE_DIR}.lock`;
  mkdirSync(DATA, { recursive: true });
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, 'utf8'));
    let alive = false;
    try {
      alive = pid > 0 && pid !== process.pid && process.kill(pid, 0);
    } catch {
      alive = false;
    }
    if (alive) throw new Error(`another Kinerja (pid ${pid}) is using .data/pglite; stop it first`);
  }
  writeFileSync(lock, String(process.pid));
  cleanups.push({ name: 'PGlite lock', run: () => rmSync(lock, { force: true }) });
}

async function openDatabase(): Promise<Db> {
  const url = process.env.DATABASE_URL;
  let options: Parameters<typeof openDb>[0] = { url };
  if (!url) {
    lockPglite();
    // PGlite on a thread of its own, reached over the wire protocol like PostgreSQL: its query execution does not
    // hold up the requests this thread serves
    const server = await startPgliteServer({ dataDir: DEFAULT_PGLITE_DIR });
    cleanups.push({ name: 'embedded database', run: () => server.close() });
    options = server.openOptions;
  }
  const db = await openDb(options);
  cleanups.push({ name: 'database', run: () => db.close() });
  const { applied, ms } = await migrateDb(db);
  log(
    `database: ${process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : 'PGlite at .data/pglite (on its own thread)'}; ` +
      (applied.length ? `applied ${applied.length} migration(s) in ${ms} ms` : `schema up to date (${ms} ms)`),
  );
  if (!(await db.prisma.region.findUnique({ where: { code: DEMO_REGION_CODE } }))) {
    const seeded = await seedDemo(db.prisma, { ruleSetDocument: demoRuleSet, calendarName: 'demo' });
    log(`seeded the demo region "Kota Demo" (${seeded.credentials.length} logins)`);
  }
  return db;
}

/** The API's token secret: JWT_SECRET, else one generated once and kept in .data so logins survive restarts. */
function jwtSecret(): string {
  if (process.env.JWT_SECRET) return process.env.JWT_SECRET;
  const file = join(DATA, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(48).toString('base64url');
  mkdirSync(DATA, { recursive: true });
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

// ------------------------------------------------------------------------------------------------ e-mail

/**
 * Where the worker's e-mail goes: SMTP_URL, or the local inbox. The route is written to .data for `npm run demo`,
 * which runs in another process and reports where the year's e-mails went.
 */
async function mail(): Promise<{ config: NotificationConfig; route: MailRoute; shown: string }> {
  const config = loadWorkerConfig().notifications;
  let route: MailRoute;
  let shown: string;
  if (config.smtpUrl) {
    const host = new URL(config.smtpUrl).host;
    route = { smtp: host, inbox: null };
    shown = `SMTP ${host} (SMTP_URL), from ${config.mailFrom}`;
  } else {
    const inbox = await startLocalInbox(join(DATA, 'inbox'));
    cleanups.push({ name: 'local inbox', run: () => inbox.close() });
    config.smtpUrl = inbox.url;
    route = { smtp: new URL(inbox.url).host, inbox: inbox.dir };
    shown = `local inbox .data/inbox (read it: npm run inbox)`;
  }
  mkdirSync(DATA, { recursive: true });
  writeFileSync(join(DATA, MAIL_ROUTE_FILE), JSON.stringify(route, null, 2));
  cleanups.push({ name: 'mail route', run: () => rmSync(join(DATA, MAIL_ROUTE_FILE), { force: true }) });
  return { config, route, shown };
}

// ------------------------------------------------------------------------------------------------ the demo year

/**
 * A new user opens the browser to a year already under way: on the first start (the demo region has no cycle yet)
 * the admin opens this year's cycle on the published demo rule set, through the API as any admin would, so the ASN
 * finds the SKP task in the inbox. The demo calendar gives a day for the SKP; after its approval the compressed
 * year runs in minutes.
 */
async function openDemoYear(db: Db, url: string): Promise<string> {
  const region = await db.prisma.region.findUnique({ where: { code: DEMO_REGION_CODE }, include: { cycles: { orderBy: { year: 'desc' }, take: 1 } } });
  if (!region) return 'no demo region';
  const latest = region.cycles[0];
  if (latest) return `${latest.name} (opened earlier)`;
  const api = createClient(url);
  const signIn = await api.auth.login.$post({ json: { username: 'admin', password: DEMO_PASSWORD } });
  if (!signIn.ok) return 'not opened: the demo admin could not sign in (password changed?)';
  const { accessToken } = await signIn.json();
  const admin = createClient(url, { headers: { authorization: `Bearer ${accessToken}` } }).admin.regions[':regionCode'];
  const param = { regionCode: DEMO_REGION_CODE };
  const ruleSets = await okBody(admin['rule-sets'].$get({ param }));
  const published = ruleSets.items.flatMap((rs) => rs.versions).find((v) => v.status === 'PUBLISHED');
  if (!published) return 'not opened: the demo region has no published rule set';
  const year = new Date().getFullYear();
  const opened = await okBody(admin.cycles.$post({ param, json: { year, name: `Penilaian Kinerja ${year}`, ruleSetVersionId: published.id } }));
  log(`opened the demo year: ${opened.cycle.name}`);
  return `${opened.cycle.name} (opened now: sign in as the ASN to write the SKP)`;
}

// ------------------------------------------------------------------------------------------------ main

async function main() {
  const started = performance.now();
  const temporal = await startTemporal();
  const db = await openDatabase();

  const nativeConnection = await NativeConnection.connect({ address: temporal.address });
  cleanups.push({ name: 'worker connection', run: () => nativeConnection.close() });
  const clientConnection = await Connection.connect({ address: temporal.address });
  cleanups.push({ name: 'client connection', run: () => clientConnection.close() });
  const client = new Client({ connection: clientConnection, namespace: NAMESPACE, interceptors: temporalClientInterceptors() });

  const email = await mail();
  log('starting the worker (bundling workflow code)…');
  const worker = await startWorker({ prisma: db.prisma, connection: nativeConnection, namespace: NAMESPACE, notifications: email.config });
  cleanups.push({ name: 'worker', run: () => worker.shutdown() });
  await ensureMaintenanceSchedule(client);

  const web = existsSync(join(WEB_ROOT, 'index.html'));
  if (!web) log(`${c.red}the web app is not built (${WEB_ROOT}): run \`node scripts/kinerja.mjs setup\`; the API runs without it${c.off}`);
  const api = await startApi({
    prisma: db.prisma,
    temporal: client,
    port: PORT,
    config: { jwtSecret: jwtSecret(), ...(web ? { webRoot: WEB_ROOT } : {}) },
  });
  cleanups.push({ name: 'API', run: () => api.close() });

  const base = `http://localhost:${PORT}`;
  const demoYear = await openDemoYear(db, api.url);
  const demo = await db.prisma.user.findMany({
    where: { OR: [{ username: 'admin' }, { employee: { region: { code: DEMO_REGION_CODE } } }] },
    include: { employee: true },
    orderBy: { username: 'asc' },
  });
  console.log(`
${c.green}${c.bold}Kinerja is running${c.off} ${c.dim}(ready in ${((performance.now() - started) / 1000).toFixed(1)} s)${c.off}
  Open           ${c.bold}${base}${c.off} ${web ? 'in a browser and sign in with a NIP below' : '(web app not built)'}
  API            ${base}
  OpenAPI        ${base}/openapi.json
  API reference  ${base}/docs
  Temporal UI    ${temporal.ui ?? `(external Temporal at ${temporal.address})`}
  E-mail         ${email.shown}
  Demo year      ${demoYear}

Demo logins (password ${c.bold}${DEMO_PASSWORD}${c.off}, unless changed):
${demo.map((u) => `  ${u.username.padEnd(20)} ${u.employee ? `${u.employee.position}${u.employee.email ? ` <${u.employee.email}>` : ''}` : 'admin (BKPSDM), Kota Demo'}`).join('\n')}

Ctrl-C stops everything; data stays in .data/ for the next start.
`);
}

main().catch((err: unknown) => {
  console.error(`${c.red}[kinerja] start failed:${c.off}`, err);
  void shutdown('start failed', 1);
});
