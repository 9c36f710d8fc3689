/**
 * @kinerja/worker: the Temporal worker that runs Kinerja's workflows and activities.
 */
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, Worker, type NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { PrismaClient } from '@kinerja/db';
import { TASK_QUEUE } from '@kinerja/workflows';
import { createActivities, type ActivityLog } from './activities.js';

export { createActivities, taskKey, rhkId, indicatorId } from './activities.js';
export type { ActivityDeps, ActivityLog, Activities } from './activities.js';

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
  /** client for the cycle fan-out; created from `address` (or TEMPORAL_ADDRESS) when absent */
  client?: Client | undefined;
  address?: string | undefined;
  log?: ActivityLog | undefined;
  /** max concurrent workflow/activity task executions (defaults of the SDK when absent) */
  maxConcurrentActivityTaskExecutions?: number | undefined;
}

export interface RunningWorker {
  worker: Worker;
  shutdown(): Promise<void>;
}

export async function startWorker(opts: StartWorkerOptions): Promise<RunningWorker> {
  const namespace = opts.namespace ?? 'default';
  const taskQueue = opts.taskQueue ?? TASK_QUEUE;
  let ownConnection: Connection | undefined;
  let client = opts.client;
  if (!client && opts.address) {
    ownConnection = await Connection.connect({ address: opts.address });
    client = new Client({ connection: ownConnection, namespace });
  }
  const worker = await Worker.create({
    connection: opts.connection,
    namespace,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: createActivities({ prisma: opts.prisma, temporal: client, taskQueue, log: opts.log }),
    ...(opts.maxConcurrentActivityTaskExecutions ? { maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivityTaskExecutions } : {}),
  });
  const running = worker.run();
  let stopped: Promise<void> | undefined;
  return {
    worker,
    shutdown: () => {
      stopped ??= (async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        try {
          await running;
        } finally {
          await ownConnection?.close();
        }
      })();
      return stopped;
    },
  };
}
