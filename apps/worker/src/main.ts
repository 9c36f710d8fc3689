/**
 * Standalone production worker, configured by the environment (see src/config.ts: DATABASE_URL, TEMPORAL_*, SMTP_URL,
 * MAIL_FROM, NOTIFY_*). Stops gracefully on SIGINT/SIGTERM: the notification dispatcher finishes its round, in-flight
 * activities finish, workflow tasks are handed back to the server. At start it creates the maintenance schedule
 * (hourly deletion of expired Idempotency-Key records) unless it exists.
 */
import { NativeConnection } from '@temporalio/worker';
import { openDb } from '@kinerja/db';
import { ConfigError, ensureMaintenanceSchedule, loadWorkerConfig, startWorker, type WorkerConfig } from './index.js';

let config: WorkerConfig;
try {
  config = loadWorkerConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`[kinerja-worker] ${err.message}`);
  process.exit(2);
}
for (const w of config.warnings) console.warn(`[kinerja-worker] ${w}`);
const { address, namespace, taskQueue } = config.temporal;

const db = await openDb({ url: config.databaseUrl });
const connection = await NativeConnection.connect({ address });
const running = await startWorker({ prisma: db.prisma, connection, namespace, taskQueue, notifications: config.notifications });
await ensureMaintenanceSchedule(running.client, { taskQueue });
const smtp = config.notifications.smtpUrl ? new URL(config.notifications.smtpUrl).host : 'none';
console.info(`[kinerja-worker] running: ${address} namespace=${namespace} db=${db.kind} smtp=${smtp}`);

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
