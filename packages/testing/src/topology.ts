/**
 * The production topology on one machine, from real parts: a PostgreSQL cluster, the Temporal server built from its
 * Go module on that cluster (schema applied by temporal-sql-tool, 4 history shards, every service on loopback, no
 * TLS), and the built API and workers (`node dist/main.js`, no tsx) as separate processes with the environment
 * docker-compose.yml gives them. Used by the production-topology test and by `npm run start:production-local`.
 * Plain Node; no vitest imports here.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import {
  findPgBin,
  freePort,
  REPO_ROOT,
  SEARCH_ATTRIBUTE_NAMES,
  startPgCluster,
  startTemporalDevServer,
  stopChild,
  temporalCliPath,
  waitForTemporal,
  whenProcessDies,
  type PgCluster,
} from './services.js';

export const TEMPORAL_SERVER_VERSION = 'v1.30.0';
/** the role the API and the workers connect as (migrate --app-role): no UPDATE, DELETE or TRUNCATE on the audit trail */
export const APP_ROLE = 'kinerja_app';
const SCHEMA_VERSIONS = { temporal: 'postgresql/v12/temporal', temporal_visibility: 'postgresql/v12/visibility' } as const;

export const BUILT = {
  api: join(REPO_ROOT, 'apps', 'api', 'dist', 'main.js'),
  worker: join(REPO_ROOT, 'apps', 'worker', 'dist', 'main.js'),
  migrate: join(REPO_ROOT, 'packages', 'db', 'dist', 'migrate.js'),
  webRoot: join(REPO_ROOT, 'apps', 'web', 'dist'),
};

export function temporalServerDir(): string {
  return process.env.KINERJA_TEMPORAL_SERVER_DIR ?? join(REPO_ROOT, '.tools', 'temporal-server');
}

/**
 * The server and SQL tool binaries, once `node scripts/kinerja.mjs setup` has built them. `npm test` builds them in
 * the background while the other tests run: this waits for the build's stamp (or its failure marker).
 */
export async function temporalServerBinaries(timeoutMs = 0): Promise<{ server: string; sql: string }> {
  const dir = temporalServerDir();
  const server = join(dir, 'bin', 'server');
  const sql = join(dir, 'bin', 'sql');
  const stamp = join(dir, 'version');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (existsSync(server) && existsSync(sql) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === TEMPORAL_SERVER_VERSION) return { server, sql };
    if (existsSync(join(dir, 'build.failed'))) {
      const log = existsSync(join(dir, 'build.log')) ? readFileSync(join(dir, 'build.log'), 'utf8').slice(-3000) : '';
      throw new Error(`the Temporal server build failed (${join(dir, 'build.log')}):\n${log}`);
    }
    if (Date.now() >= deadline) {
      throw new Error(`the Temporal server ${TEMPORAL_SERVER_VERSION} is not built in ${dir}: run \`node scripts/kinerja.mjs setup\` (npm test builds it)`);
    }
    await new Promise((r) => setTimeout(r, 5_000));
  }
}

// ------------------------------------------------------------------------------------------------ processes

/** A child process of the topology, its output appended to a log file, restartable with the same arguments. */
export class Proc {
  child: ChildProcess | undefined;
  private cancelWatchdog: (() => void) | undefined;
  constructor(
    readonly name: string,
    private readonly command: string,
    private readonly args: string[],
    private readonly env: NodeJS.ProcessEnv,
    readonly logFile: string,
  ) {}

  start(): this {
    const out = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(this.command, this.args, { env: this.env, cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(out, { end: false });
    child.stderr?.pipe(out, { end: false });
    child.once('exit', () => out.end());
    this.child = child;
    this.cancelWatchdog = whenProcessDies(`kill -9 ${child.pid ?? 0} 2>/dev/null`);
    return this;
  }

  get alive(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM (a graceful stop), SIGKILL after the grace. */
  async stop(graceMs = 15_000): Promise<void> {
    this.cancelWatchdog?.();
    if (this.child) await stopChild(this.child, graceMs);
  }

  /** SIGKILL: the process dies mid-work, as in a crash or an OOM kill. */
  async kill(): Promise<void> {
    this.cancelWatchdog?.();
    const child = this.child;
    if (!child || !this.alive) return;
    await new Promise<void>((done) => {
      child.once('exit', () => done());
      child.kill('SIGKILL');
    });
  }

  /** The end of its log, for error messages. */
  tail(chars = 4_000): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8').slice(-chars) : '';
  }
}

async function waitForHttp(url: string, proc: Proc, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (!proc.alive) throw new Error(`${proc.name} exited before ${url} answered:\n${proc.tail()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not answer in time (${last}):\n${proc.tail()}`);
}

// ------------------------------------------------------------------------------------------------ Temporal on PostgreSQL

interface TemporalPorts {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
  metrics: number;
}

/** Temporal keeps membership ports in a smallint column: the kernel's ephemeral ports (32768+) do not fit. */
async function loopbackPortBelow32768(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (taken.has(port)) continue;
    const free = await new Promise<boolean>((done) => {
      const server = createServer();
      server.once('error', () => done(false));
      server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
    });
    if (free) {
      taken.add(port);
      return port;
    }
  }
}

async function temporalPorts(): Promise<TemporalPorts> {
  const names = [
    'frontend',
    'frontendHttp',
    'frontendMembership',
    'history',
    'historyMembership',
    'matching',
    'matchingMembership',
    'worker',
    'workerMembership',
    'metrics',
  ] as const;
  const ports: Partial<TemporalPorts> = {};
  const taken = new Set<number>();
  for (const n of names) ports[n] = await loopbackPortBelow32768(taken);
  return ports as TemporalPorts;
}

/** The server's static configuration: PostgreSQL persistence and visibility, 4 shards, loopback, no TLS. */
function temporalConfig(pgPort: number, user: string, password: string, ports: TemporalPorts): string {
  const store = (db: string, conns: number) => `      sql:
        pluginName: postgres12
        databaseName: ${db}
        connectAddr: 127.0.0.1:${pgPort}
        connectProtocol: tcp
        user: ${user}
        password: ${JSON.stringify(password)}
        maxConns: ${conns}
        maxIdleConns: ${conns}
        maxConnLifetime: 1h`;
  const service = (grpc: number, membership: number, extra = '') => `    rpc:
      grpcPort: ${grpc}
      membershipPort: ${membership}
      bindOnLocalHost: true${extra}`;
  return `log:
  stdout: true
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: 4
  datastores:
    default:
${store('temporal', 20)}
    visibility:
${store('temporal_visibility', 4)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
  metrics:
    prometheus:
      framework: tally
      timerType: histogram
      listenAddress: 127.0.0.1:${ports.metrics}
services:
  frontend:
${service(ports.frontend, ports.frontendMembership, `\n      httpPort: ${ports.frontendHttp}`)}
  history:
${service(ports.history, ports.historyMembership)}
  matching:
${service(ports.matching, ports.matchingMembership)}
  worker:
${service(ports.worker, ports.workerMembership)}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: 127.0.0.1:${ports.frontend}
dcRedirectionPolicy:
  policy: noop
`;
}

function mustSpawn(what: string, cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: REPO_ROOT });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`;
  if (r.status !== 0) throw new Error(`${what} failed (${cmd} ${args.join(' ')}):\n${output}`);
  return output;
}

/**
 * Temporal's two databases with temporal-sql-tool, as the compose file's one-shot job does: create, the base schema
 * (`setup-schema -v 0.0`), then every versioned step up to the binary's own (`update-schema --schema-name`).
 * Idempotent: an existing database is upgraded, never re-created.
 */
export function applyTemporalSchema(sqlTool: string, pg: { port: number; user: string; password: string }): void {
  for (const [db, schemaName] of Object.entries(SCHEMA_VERSIONS)) {
    const base = ['--plugin', 'postgres12', '--ep', '127.0.0.1', '-p', String(pg.port), '-u', pg.user, '--pw', pg.password, '--db', db];
    const created = spawnSync(sqlTool, [...base, 'create'], { encoding: 'utf8' });
    const exists = created.status !== 0 && /already exists/.test(`${created.stdout}${created.stderr}`);
    if (created.status !== 0 && !exists) throw new Error(`temporal-sql-tool create ${db} failed:\n${created.stdout}${created.stderr}`);
    if (!exists) mustSpawn(`temporal-sql-tool setup-schema ${db}`, sqlTool, [...base, 'setup-schema', '-v', '0.0']);
    mustSpawn(`temporal-sql-tool update-schema ${db}`, sqlTool, [...base, 'update-schema', '--schema-name', schemaName]);
  }
}

export interface TemporalServer {
  address: string;
  namespace: string;
  metricsUrl: string;
  proc: Proc;
  /** SIGTERM, then the same binary and configuration again; resolves when it serves the namespace again. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTemporalServer(opts: {
  dir: string;
  pg: { port: number; user: string; password: string };
  namespace?: string;
  retention?: string;
  binariesTimeoutMs?: number;
}): Promise<TemporalServer> {
  const { server, sql } = await temporalServerBinaries(opts.binariesTimeoutMs ?? 0);
  const namespace = opts.namespace ?? 'default';
  applyTemporalSchema(sql, opts.pg);
  const ports = await temporalPorts();
  const configDir = join(opts.dir, 'temporal-config');
  mkdirSync(configDir, { recursive: true });
  writeFileSync(join(configDir, 'development.yaml'), temporalConfig(opts.pg.port, opts.pg.user, opts.pg.password, ports));
  const address = `127.0.0.1:${ports.frontend}`;
  const proc = new Proc(
    'temporal server',
    server,
    ['--config-file', join(configDir, 'development.yaml'), '--allow-no-auth', 'start'],
    { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? opts.dir },
    join(opts.dir, 'temporal-server.log'),
  );
  const up = async () => {
    proc.start();
    // the frontend answers before the namespace exists; registering it is idempotent (an existing one is kept)
    await waitForFrontend(address, proc);
    const r = spawnSync(
      temporalCliPath(),
      ['operator', 'namespace', 'create', '--address', address, '--retention', opts.retention ?? '72h', '--namespace', namespace],
      { encoding: 'utf8' },
    );
    if (r.status !== 0 && !/already (exists|registered)/i.test(`${r.stdout}${r.stderr}`)) {
      throw new Error(`registering the namespace ${namespace} failed:\n${r.stdout}${r.stderr}`);
    }
    await waitForTemporal(address, { namespace, timeoutMs: 120_000, ...(proc.child ? { child: proc.child } : {}) });
    // Kinerja's search attributes, as an operator registers them on a new namespace. The server answers success for one
    // it has with the same type and fails one it has with another; one name a call: the CLI gives its one --type to
    // the first --name only.
    for (const name of SEARCH_ATTRIBUTE_NAMES) {
      const sa = spawnSync(
        temporalCliPath(),
        ['operator', 'search-attribute', 'create', '--address', address, '--namespace', namespace, '--name', name, '--type', 'Keyword'],
        { encoding: 'utf8' },
      );
      if (sa.status !== 0) {
        throw new Error(`registering the search attribute ${name} of ${namespace} failed:\n${sa.stdout}${sa.stderr}`);
      }
    }
  };
  try {
    await up();
  } catch (err) {
    await proc.stop();
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${proc.tail()}`);
  }
  return {
    address,
    namespace,
    metricsUrl: `http://127.0.0.1:${ports.metrics}/metrics`,
    proc,
    restart: async () => {
      await proc.stop(30_000);
      await up();
    },
    stop: () => proc.stop(30_000),
  };
}

async function waitForFrontend(address: string, proc: Proc): Promise<void> {
  const deadline = Date.now() + 180_000;
  let last = '';
  while (Date.now() < deadline) {
    if (!proc.alive) throw new Error(`the Temporal server exited:\n${proc.tail()}`);
    const r = spawnSync(temporalCliPath(), ['operator', 'cluster', 'health', '--address', address], { encoding: 'utf8', timeout: 10_000 });
    if (r.status === 0 && /SERVING/.test(r.stdout)) return;
    last = `${r.stdout}${r.stderr}`;
    await new Promise((res) => setTimeout(res, 1_000));
  }
  throw new Error(`the Temporal server at ${address} did not serve in time: ${last}`);
}

// ------------------------------------------------------------------------------------------------ the whole topology

export interface Topology {
  dir: string;
  apiUrl: string;
  /** the application role's connection string, as the API and the workers use it */
  databaseUrl: string;
  pg: PgCluster;
  temporal: TemporalServer;
  api: Proc;
  workers: Proc[];
  /** each worker's Prometheus endpoint (the Temporal SDK's metrics), by slot */
  workerMetricsUrls: string[];
  /** the owner's connection string (migrations, the tests' own checks); the processes connect as the app role */
  ownerDatabaseUrl: string;
  /** the variables every Kinerja process gets, as docker-compose.yml's x-kinerja-env */
  env: Record<string, string>;
  /** a fresh worker process in slot `i` (after a kill), with the same environment */
  restartWorker(i: number): Promise<void>;
  stop(): Promise<void>;
}

export interface TopologyOptions {
  /** where logs, the Temporal config and (for a persistent run) the PostgreSQL data live */
  dir: string;
  /** keep PostgreSQL's data in `dir/pg` across runs (the command); tests use a throw-away cluster */
  persistent?: boolean;
  workers?: number;
  apiPort?: number;
  /** extra variables for the Kinerja processes (e.g. JWT_SECRET) */
  env?: Record<string, string>;
  /** called with the application database's URL after migrations, before the API and workers start */
  beforeStart?: (databaseUrl: string) => Promise<void>;
  /** how long to wait for a Temporal server build still running (npm test builds it in the background) */
  binariesTimeoutMs?: number;
  /** 'server' (default): the Temporal server on PostgreSQL; 'dev': `temporal server start-dev` in memory, to compare */
  temporal?: 'server' | 'dev';
}

/** The CLI's dev server in the Temporal server's place (no restart: it keeps its state in memory). */
async function devServerInPlace(dir: string): Promise<TemporalServer> {
  const dev = await startTemporalDevServer();
  const proc = new Proc('temporal dev server', temporalCliPath(), [], {}, join(dir, 'temporal-dev-server.log'));
  if (dev.child) proc.child = dev.child;
  return {
    address: dev.address,
    namespace: dev.namespace,
    metricsUrl: '',
    proc,
    restart: () => Promise.reject(new Error('the dev server keeps its state in memory: it cannot be restarted')),
    stop: () => dev.stop(),
  };
}

export async function startTopology(opts: TopologyOptions): Promise<Topology> {
  mkdirSync(opts.dir, { recursive: true });
  const pgBin = findPgBin();
  if (!pgBin) throw new Error('no PostgreSQL server binaries: run `node scripts/kinerja.mjs setup --postgres` or set KINERJA_PG_BIN');
  const cluster = await startPgCluster(pgBin, opts.persistent ? { dataDir: join(opts.dir, 'pg') } : {});
  const stops: (() => Promise<void>)[] = [() => cluster.stop()];
  const stopAll = async () => {
    for (const s of stops.reverse()) await s().catch((err: unknown) => console.error('[topology] stop:', err));
  };
  try {
    const admin = new pg.Client({ connectionString: cluster.adminUrl });
    await admin.connect();
    try {
      const exists = await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'kinerja'`);
      if (exists.rowCount === 0) await admin.query('CREATE DATABASE kinerja');
    } finally {
      await admin.end();
    }
    const databaseUrl = cluster.urlFor('kinerja');
    const temporal =
      opts.temporal === 'dev'
        ? await devServerInPlace(opts.dir)
        : await startTemporalServer({
            dir: opts.dir,
            pg: { port: cluster.port, user: 'postgres', password: 'postgres' },
            ...(opts.binariesTimeoutMs !== undefined ? { binariesTimeoutMs: opts.binariesTimeoutMs } : {}),
          });
    stops.push(() => temporal.stop());

    // migrations run as the owner; the API and the workers connect as a role that cannot rewrite the audit trail
    const appPassword = randomBytes(18).toString('base64url');
    const appUrl = new URL(databaseUrl);
    appUrl.username = APP_ROLE;
    appUrl.password = appPassword;
    const base: Record<string, string> = {
      NODE_ENV: 'production',
      DATABASE_URL: appUrl.toString(),
      METRICS_TOKEN: randomBytes(18).toString('base64url'),
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: temporal.namespace,
      TEMPORAL_TASK_QUEUE: 'kinerja',
      JWT_SECRET: randomBytes(32).toString('base64url'),
      ...opts.env,
    };
    // a clean environment: the processes see what compose gives them, not this shell's variables
    const processEnv = (extra: Record<string, string>) => ({
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? opts.dir,
      ...base,
      ...extra,
    });

    mustSpawnWithEnv(
      'migrations (built packages/db/dist/migrate.js)',
      process.execPath,
      [BUILT.migrate, '--app-role', APP_ROLE],
      processEnv({ DATABASE_URL: databaseUrl, KINERJA_APP_ROLE_PASSWORD: appPassword }),
    );
    await opts.beforeStart?.(databaseUrl);

    const apiPort = opts.apiPort ?? (await freePort());
    const api = new Proc(
      'api',
      process.execPath,
      [BUILT.api],
      processEnv({ PORT: String(apiPort), HOST: '127.0.0.1', WEB_ROOT: BUILT.webRoot, FILE_DIR: join(opts.dir, 'files') }),
      join(opts.dir, 'api.log'),
    ).start();
    stops.push(() => api.stop());
    const workers: Proc[] = [];
    // each worker serves the SDK's metrics on a port of its own (in production they would be on their own hosts)
    const metricsPorts: number[] = [];
    for (let i = 0; i < (opts.workers ?? 2); i++) metricsPorts.push(await freePort());
    const workerProc = (i: number) =>
      new Proc(
        `worker ${i + 1}`,
        process.execPath,
        [BUILT.worker],
        processEnv({ WORKER_METRICS_ADDRESS: `127.0.0.1:${metricsPorts[i]}` }),
        join(opts.dir, `worker-${i + 1}.log`),
      );
    for (let i = 0; i < metricsPorts.length; i++) workers.push(workerProc(i).start());
    stops.push(() => Promise.all(workers.map((w) => w.stop())).then(() => undefined));
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    await waitForHttp(`${apiUrl}/health/ready`, api, 120_000);
    return {
      dir: opts.dir,
      apiUrl,
      databaseUrl: appUrl.toString(),
      pg: cluster,
      temporal,
      api,
      workers,
      workerMetricsUrls: metricsPorts.map((p) => `http://127.0.0.1:${p}/metrics`),
      ownerDatabaseUrl: databaseUrl,
      env: base,
      restartWorker: async (i) => {
        await workers[i]?.stop();
        workers[i] = workerProc(i).start();
      },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

function mustSpawnWithEnv(what: string, cmd: string, args: string[], env: NodeJS.ProcessEnv): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: REPO_ROOT, env });
  if (r.status !== 0) throw new Error(`${what} failed:\n${r.stdout}${r.stderr}`);
}
