/**
 * Regenerates the replay fixtures in packages/workflows/test/histories/ from the CURRENT workflow code:
 *   pnpm --filter @kinerja/worker run record-histories
 * Run it only when a change is meant to be incompatible for new runs AND old runs are guarded with `patched()`;
 * keep the old fixtures (rename them *.v<N>.json) so the replay test proves old histories still replay.
 * Name scenarios to record only those (new ones, typically), leaving the existing fixtures untouched:
 *   pnpm --filter @kinerja/worker run record-histories -- yearWithCalibration
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { migrateDb, openDb } from '@kinerja/db';
import { createTimeSkippingEnv, uniqueId } from '@kinerja/testing';
import { startWorker } from '../src/index.js';
import { SCENARIOS } from '../test/scenarios.js';

const OUT = resolve(import.meta.dirname, '..', '..', '..', 'packages', 'workflows', 'test', 'histories');

const env = await createTimeSkippingEnv();
const db = await openDb({ dataDir: 'memory://' });
await migrateDb(db);
const taskQueue = uniqueId('record');
const worker = await startWorker({ prisma: db.prisma, connection: env.nativeConnection, taskQueue, log: { info: () => undefined, warn: () => undefined } });
mkdirSync(OUT, { recursive: true });
try {
  const only = process.argv.slice(2).filter((a) => a !== '--');
  for (const scenario of SCENARIOS.filter((s) => only.length === 0 || only.includes(s.name))) {
    const recorded = await scenario({ env, client: env.client, prisma: db.prisma, taskQueue });
    for (const r of recorded) {
      const history = await r.handle.fetchHistory();
      const file = join(OUT, `${r.name}.json`);
      writeFileSync(file, historyToJSON(history) + '\n');
      console.info(`recorded ${r.name}: ${history.events?.length ?? 0} events → ${file}`);
    }
  }
} finally {
  await worker.shutdown();
  await env.teardown();
  await db.close();
}
process.exit(0);
