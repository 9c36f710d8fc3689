/**
 * Standalone production worker: DATABASE_URL, TEMPORAL_ADDRESS (default localhost:7233), TEMPORAL_NAMESPACE
 * (default "default"), TEMPORAL_TASK_QUEUE (default "kinerja"). Stops gracefully on SIGINT/SIGTERM: in-flight
 * activities finish, workflow tasks are handed back to the server. At start it creates the maintenance schedule
 * (hourly deletion of expired Idempotency-Key records) unless it exists.
 */
import { NativeConnection } from '@temporalio/worker';
import { openDb } from '@kinerja/db';
import { ensureMaintenanceSchedule, startWorker } from './index.js';

const address = process.env.TEMPORAL_ADDRESS ?? 'localhost:7233';
const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
const taskQueue = process.env.TEMPORAL_TASK_QUEUE || undefined;

const db = await openDb({ url: process.env.DATABASE_URL });
const connection = await NativeConnection.connect({ address });
const running = await startWorker({ prisma: db.prisma, connection, namespace, taskQueue });
await ensureMaintenanceSchedule(running.client, { taskQueue });
console.info(`[kinerja-worker] running: ${address} namespace=${namespace} db=${db.kind}`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.info(`[kinerja-worker] ${signal}: shutting down`);
  try {
    await running.shutdown();
    await connection.close();
    await db.close();
    process.exit(0);
  } catch (err) {
    console.error('[kinerja-worker] shutdown failed', err);
    process.exit(1);
  }
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
