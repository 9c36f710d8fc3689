/**
 * Real services for tests, started from binaries installed by `node scripts/kinerja.mjs setup`:
 * a project-local PostgreSQL cluster and a Temporal dev server. Plain Node; no vitest imports here.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');
export const TEMPLATE_DB = 'kinerja_template';

export const isCI = () => process.env.CI === 'true' || process.env.CI === '1';
const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** KINERJA_PG_BIN, else the newest /usr/lib/postgresql/<version>/bin; null when no server binaries exist. */
export function findPgBin(): string | null {
  const fromEnv = process.env.KINERJA_PG_BIN;
  if (fromEnv && existsSync(join(fromEnv, 'postgres'))) return fromEnv;
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], 'bin') : null;
}

export function temporalCliPath(): string {
  return process.env.KINERJA_TEMPORAL_CLI ?? join(REPO_ROOT, '.tools', 'venv', 'bin', 'temporal');
}

export function temporalTestServerPath(): string {
  return process.env.KINERJA_TEMPORAL_TEST_SERVER ?? join(REPO_ROOT, '.tools', 'venv', 'bin', 'temporal-test-server');
}

/**
 * Runs `script` (sh) once this process is gone, however it ended (a killed vitest cannot run its teardown): keeps
 * test clusters and servers from outliving their run. Returns a function that cancels the watchdog.
 */
export function whenProcessDies(script: string): () => void {
  const dog = spawn('sh', ['-c', `while kill -0 ${process.pid} 2>/dev/null; do sleep 2; done; ${script}`], {
    stdio: 'ignore',
    detached: true,
  });
  dog.unref();
  return () => {
    try {
      dog.kill('SIGKILL');
    } catch {
      // already gone
    }
  };
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

// ------------------------------------------------------------------------------------------------ PostgreSQL

export interface PgCluster {
  port: number;
  dataDir: string;
  /** superuser connection string to the `postgres` maintenance database */
  adminUrl: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

function runAsPostgres(cmd: string, args: string[]): { ok: boolean; output: string } {
  const [file, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  const r = spawnSync(file, argv, { encoding: 'utf8', cwd: '/' });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

function chownToPostgres(dir: string) {
  if (!isRoot()) return;
  const r = spawnSync('chown', ['-R', 'postgres:postgres', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`chown postgres ${dir} failed: ${r.stderr}`);
}

/** Removes clusters left behind by killed runs (their postmaster is gone). */
function removeStaleClusters(base: string) {
  if (!existsSync(base)) return;
  for (const name of readdirSync(base)) {
    if (!name.startsWith('test-pg-')) continue;
    const dir = join(base, name);
    const pidFile = join(dir, 'postmaster.pid');
    let alive = false;
    if (existsSync(pidFile)) {
      const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
      try {
        if (pid > 0) {
          process.kill(pid, 0);
          alive = true;
        }
      } catch {
        alive = false;
      }
    }
    if (!alive) rmSync(dir, { recursive: true, force: true });
  }
}

/** A data directory the cluster's user can write: .data/test-pg-<port>, else a temporary directory. */
function clusterDir(port: number): string {
  const base = join(REPO_ROOT, '.data');
  mkdirSync(base, { recursive: true });
  removeStaleClusters(base);
  const preferred = join(base, `test-pg-${port}`);
  mkdirSync(preferred, { recursive: true });
  chmodSync(preferred, 0o700);
  chownToPostgres(preferred);
  if (!isRoot() || runAsPostgres('test', ['-w', preferred]).ok) return preferred;
  // the postgres user cannot reach the repository (e.g. a home directory without o+x): use /tmp
  rmSync(preferred, { recursive: true, force: true });
  const tmp = mkdtempSync(join(tmpdir(), `kinerja-test-pg-${port}-`));
  chownToPostgres(tmp);
  return tmp;
}

/**
 * A PostgreSQL cluster on a free loopback port, trust authentication. By default a throw-away one (fsync off, removed
 * on stop or when this process dies); with `dataDir` a persistent one, initialised once, kept on stop.
 */
export async function startPgCluster(pgBin: string, opts: { dataDir?: string } = {}): Promise<PgCluster> {
  const port = await freePort();
  const persistent = opts.dataDir !== undefined;
  const dataDir = opts.dataDir ?? clusterDir(port);
  if (persistent) {
    mkdirSync(dataDir, { recursive: true });
    chmodSync(dataDir, 0o700);
    chownToPostgres(dataDir);
  }
  const initialised = existsSync(join(dataDir, 'PG_VERSION'));
  const init = initialised
    ? { ok: true, output: '' }
    : runAsPostgres(join(pgBin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions']);
  if (!init.ok) throw new Error(`initdb failed:\n${init.output}`);
  const options = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    "-c unix_socket_directories=''",
    ...(persistent ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
    '-c max_connections=300',
    '-c shared_buffers=64MB',
  ].join(' ');
  const start = runAsPostgres(join(pgBin, 'pg_ctl'), ['-D', dataDir, '-o', options, '-l', join(dataDir, 'server.log'), '-w', '-t', '60', 'start']);
  if (!start.ok) {
    const log = existsSync(join(dataDir, 'server.log')) ? readFileSync(join(dataDir, 'server.log'), 'utf8') : '';
    throw new Error(`pg_ctl start failed:\n${start.output}\n${log}`);
  }
  const urlFor = (database: string) => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  const pgCtl = [join(pgBin, 'pg_ctl'), '-D', dataDir, '-m', persistent ? 'fast' : 'immediate', 'stop'].map(shellQuote).join(' ');
  const cleanup = persistent ? '' : `; rm -rf ${shellQuote(dataDir)}`;
  const cancelWatchdog = whenProcessDies(`${isRoot() ? 'runuser -u postgres -- ' : ''}${pgCtl} >/dev/null 2>&1${cleanup}`);
  let stopped = false;
  return {
    port,
    dataDir,
    adminUrl: urlFor('postgres'),
    urlFor,
    stop: () => {
      if (stopped) return Promise.resolve();
      stopped = true;
      cancelWatchdog();
      runAsPostgres(join(pgBin, 'pg_ctl'), ['-D', dataDir, '-m', persistent ? 'fast' : 'immediate', '-w', 'stop']);
      if (!persistent) rmSync(dataDir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

// ------------------------------------------------------------------------------------------------ Temporal

export interface TemporalDevServer {
  address: string;
  namespace: string;
  /** the server's process, for its CPU time */
  child?: ChildProcess;
  stop(): Promise<void>;
}

/** Resolves once the server answers DescribeNamespace for `namespace`. */
export async function waitForTemporal(address: string, options: { namespace?: string; timeoutMs?: number; child?: ChildProcess } = {}): Promise<void> {
  const namespace = options.namespace ?? 'default';
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (options.child && options.child.exitCode !== null) {
      throw new Error(`the Temporal server exited with code ${options.child.exitCode} before answering`);
    }
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address, connectTimeout: 1_000 });
      await connection.workflowService.describeNamespace({ namespace });
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await connection?.close().catch(() => undefined);
    }
  }
  throw new Error(`the Temporal server at ${address} did not answer in time: ${String(lastError)}`);
}

/** Stops a child: SIGTERM, then SIGKILL after `graceMs`. */
export function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
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

/**
 * Kinerja's search attributes, all of type Keyword (KINERJA_SEARCH_ATTRIBUTES of @kinerja/workflows, which this package
 * may not import; apps/worker/test/search-attributes.test.ts fails when the two differ). The test servers register
 * them when they start: the tests sharing one open cycles at once, and each worker would otherwise race the others
 * to add them.
 */
export const SEARCH_ATTRIBUTE_NAMES = ['KinerjaRegion', 'KinerjaNip', 'KinerjaPhase'];

/** `temporal server start-dev` in memory on a free port, headless, with Kinerja's search attributes. */
export async function startTemporalDevServer(): Promise<TemporalDevServer> {
  const cli = temporalCliPath();
  if (!existsSync(cli)) {
    throw new Error(`Temporal CLI not found at ${cli}: run \`node scripts/kinerja.mjs setup\` or set KINERJA_TEMPORAL_CLI`);
  }
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const attributes = SEARCH_ATTRIBUTE_NAMES.flatMap((n) => ['--search-attribute', `${n}=Keyword`]);
  const child = spawn(cli, ['server', 'start-dev', '--headless', '--port', String(port), '--ip', '127.0.0.1', '--log-level', 'error', ...attributes], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4_000);
  });
  try {
    await waitForTemporal(address, { child });
  } catch (err) {
    await stopChild(child);
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${stderr}`);
  }
  const cancelWatchdog = whenProcessDies(`kill ${child.pid ?? 0} 2>/dev/null`);
  return {
    address,
    namespace: 'default',
    child,
    stop: () => {
      cancelWatchdog();
      return stopChild(child);
    },
  };
}
