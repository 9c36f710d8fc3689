/**
 * Standalone production worker, configured by the environment (see src/config.ts: DATABASE_URL, TEMPORAL_*, SMTP_URL,
 * MAIL_FROM, NOTIFY_*, LOG_LEVEL, WORKER_METRICS_ADDRESS). It logs JSON lines (pino, the SDK's own log routed in) and
 * serves the SDK's Prometheus metrics when WORKER_METRICS_ADDRESS is set (production's default 0.0.0.0:9464). Stops gracefully on SIGINT/SIGTERM: the notification dispatcher finishes its round, in-flight
 * activities finish, workflow tasks are handed back to the server. At start it creates the maintenance schedule
 * (hourly deletion of expired Idempotency-Key records) unless it exists.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { openDb } from '@kinerja/db';
import {
  ConfigError,
  createLogger,
  ensureMaintenanceSchedule,
  ensureSearchAttributes,
  installRuntime,
  loadWorkerConfig,
  pinoActivityLog,
  startTracing,
  startWorker,
  type WorkerConfig,
} from './index.js';

let config: WorkerConfig;
try {
  config = loadWorkerConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`[kinerja-worker] ${err.message}`);
  process.exit(2);
}
const logger = createLogger(config.logLevel);
for (const w of config.warnings) logger.warn(w);
// before the first connection: the runtime is the process's one and cannot be replaced once a connection made it
installRuntime({ logger, level: config.logLevel, metricsAddress: config.metricsAddress });
const tracing = startTracing(config.tracing);
const { address, namespace, taskQueue } = config.temporal;

// The prebuilt workflow bundle: WORKFLOW_BUNDLE, else workflow-bundle.js beside the file node runs (dist/main.js in the
// built worker; the build replaces import.meta.url by the source file's location, so it is argv[1] that says where the
// running file is). From source there is none and the workflows are bundled at start.
const besideMain = process.argv[1] ? join(dirname(process.argv[1]), 'workflow-bundle.js') : undefined;
const workflowBundlePath = config.workflowBundlePath ?? (besideMain && existsSync(besideMain) ? besideMain : undefined);
if (workflowBundlePath && !existsSync(workflowBundlePath)) {
  console.error(`[kinerja-worker] invalid worker configuration:\n  WORKFLOW_BUNDLE: no such file: ${workflowBundlePath}`);
  process.exit(2);
}

const db = await openDb({ url: config.databaseUrl, ...config.database });
const connection = await NativeConnection.connect({ address });
// a server refuses starts and upserts of unregistered search attributes: register them before any work, and stop at a
// missing permission or an attribute of another type instead of failing workflow tasks later
await ensureSearchAttributes(connection, namespace);
const running = await startWorker({
  prisma: db.prisma,
  connection,
  namespace,
  taskQueue,
  notifications: config.notifications,
  workflowBundlePath,
  log: pinoActivityLog(logger),
  tracing,
  maxCachedWorkflows: config.maxCachedWorkflows,
  workflowThreads: config.workflowThreads,
});
await ensureMaintenanceSchedule(running.client, { taskQueue });
const smtp = config.notifications.smtpUrl ? new URL(config.notifications.smtpUrl).host : 'none';
logger.info(
  {
    address,
    namespace,
    taskQueue,
    db: db.kind,
    smtp,
    metrics: config.metricsAddress ?? 'off',
    traces: config.tracing.endpoint ?? 'off',
    bundle: workflowBundlePath ?? 'bundled at start',
    maxCachedWorkflows: running.worker.options.maxCachedWorkflows,
    workflowThreads: running.worker.options.workflowThreadPoolSize,
  },
  'kinerja-worker running',
);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  try {
    await running.shutdown();
    await connection.close();
    await db.close();
    await tracing.shutdown();
    process.exit(0);
  } catch (err) {
    logger.error({ err }, 'shutdown failed');
    process.exit(1);
  }
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
