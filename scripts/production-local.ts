/**
 * `npm run start:production-local`: the production topology on this machine, for people to try what the image runs.
 * PostgreSQL (data kept in .data/production-local/pg), the Temporal server built from its Go module on it, the built
 * API (plain `node apps/api/dist/main.js`, serving the web app) and two built workers, each a process of its own
 * with compose's environment. The demo region is seeded on the first run. Ctrl-C stops everything gracefully.
 *
 *   --port <n>      the API and web app's port (default 3000)
 *   --workers <n>   how many worker processes (default 2)
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DEMO_PASSWORD, DEMO_REGION_CODE, openDb, seedDemo } from '@kinerja/db';
import { demoRuleSet } from '@kinerja/rules';
import { startTopology } from '@kinerja/testing/topology';

const ROOT = resolve(import.meta.dirname, '..');
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive whole number`);
  return v;
};
const log = (msg: string) => console.log(`\x1b[36m[production-local]\x1b[0m ${msg}`);

const dir = join(ROOT, '.data', 'production-local');
log('starting PostgreSQL, the Temporal server on it, then the built API and workers (logs in .data/production-local)');
const topology = await startTopology({
  dir,
  persistent: true,
  workers: arg('workers', 2),
  apiPort: arg('port', 3000),
  // a stable secret across restarts, so sessions survive them; generated once, kept with the data
  env: { JWT_SECRET: stableSecret(join(dir, 'jwt-secret')) },
  beforeStart: async (url) => {
    const db = await openDb({ url });
    try {
      const seeded = await seedDemo(db.prisma, { ruleSetDocument: demoRuleSet, calendarName: 'demo' });
      if (seeded.created) log(`seeded the demo region (${seeded.credentials.length} logins)`);
    } finally {
      await db.close();
    }
  },
});

log(`web app and API: ${topology.apiUrl}  (sign in as admin / ${DEMO_PASSWORD}; region ${DEMO_REGION_CODE})`);
log(`readiness: ${topology.apiUrl}/health/ready   API reference: ${topology.apiUrl}/docs`);
log(`Temporal frontend: ${topology.temporal.address} (loopback only), its metrics: ${topology.temporal.metricsUrl}`);
log(`application database: ${topology.databaseUrl}`);
log(`processes: api, ${topology.workers.map((w) => w.name).join(', ')}, temporal server; logs: ${dir}/*.log`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  log('stopping');
  await topology.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
// a process that dies on its own ends the run: a half-running topology is no use to anyone
for (const p of [topology.api, topology.temporal.proc, ...topology.workers]) {
  p.child?.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`[production-local] ${p.name} exited (${signal ?? code}); the end of its log:\n${p.tail(2_000)}`);
    void stop();
  });
}

function stableSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
