/**
 * @kinerja/worker: the Temporal worker that runs Kinerja's workflows and activities.
 */
import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import { bundleWorkflowCode, Worker, type NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { PrismaClient } from '@kinerja/db';
import { TASK_QUEUE } from '@kinerja/workflows';
import { createActivities, type ActivityLog } from './activities/index.js';

export { createActivities, taskKey, rhkId, indicatorId } from './activities/index.js';
export { ensureMaintenanceSchedule, maintenanceActivities, maintenanceScheduleId } from './activities/maintenance.js';
export type { ActivityDeps, ActivityLog, Activities } from './activities/index.js';

/** The workflow entry point (packages/workflows/src/workflows/index.ts), resolved through the package exports. */
export const workflowsPath = fileURLToPath(import.meta.resolve('@kinerja/workflows/workflows'));

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** One workflow bundle per process: bundling takes seconds, tests create many workers. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger });
  return bundle;
}

const quietBundlerLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
  log: () => undefined,
};

export interface StartWorkerOptions {
  prisma: PrismaClient;
  connection: NativeConnection;
  namespace?: string | undefined;
  taskQueue?: string | undefined;
  log?: ActivityLog | undefined;
  /** max concurrent workflow/activity task executions (defaults of the SDK when absent) */
  maxConcurrentActivityTaskExecutions?: number | undefined;
}

export interface RunningWorker {
  worker: Worker;
  /** the client on the worker's own connection (the fan-out's), for callers that need one, e.g. the maintenance schedule */
  client: Client;
  shutdown(): Promise<void>;
}

export async function startWorker(opts: StartWorkerOptions): Promise<RunningWorker> {
  const namespace = opts.namespace ?? 'default';
  const taskQueue = opts.taskQueue ?? TASK_QUEUE;
  // The fan-out starts evaluation workflows through a client on the worker's own connection, so that the server can
  // hand each new workflow's first task straight back to this worker (eager workflow start): no task-queue round
  // trip, measured at a quarter less CPU per opened evaluation on the dev server.
  const client = new Client({ connection: opts.connection, namespace });
  const worker = await Worker.create({
    connection: opts.connection,
    namespace,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: createActivities({ prisma: opts.prisma, temporal: client, taskQueue, log: opts.log, eagerStart: true }),
    ...(opts.maxConcurrentActivityTaskExecutions ? { maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivityTaskExecutions } : {}),
  });
  const running = worker.run();
  let stopped: Promise<void> | undefined;
  return {
    worker,
    client,
    shutdown: () => {
      stopped ??= (async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
      })();
      return stopped;
    },
  };
}
