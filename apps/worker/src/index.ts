/**
 * @kinerja/worker: the Temporal worker that runs Kinerja's workflows and activities.
 */
import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import { bundleWorkflowCode, Worker, type NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { PrismaClient } from '@kinerja/db';
import { TASK_QUEUE } from '@kinerja/workflows';
import interceptorModules from '@kinerja/workflows/interceptor-modules.json' with { type: 'json' };
import { consoleLog } from './activities/shared.js';
import { DEFAULT_MAX_CACHED_WORKFLOWS, DEFAULT_WORKFLOW_THREADS } from './config.js';
import { createActivities, type ActivityLog } from './activities/index.js';
import { createDispatcher, type Dispatcher, type DispatcherSettings } from './notify/dispatcher.js';
import { createEmailTransport, type EmailTransport } from './notify/email.js';
import { requestIdActivityInterceptor, withRequestId } from './observability/request-id.js';
import { tracingActivityInterceptor, tracingClientInterceptor, tracingSinks, type Tracing } from './observability/tracing.js';

export { createActivities, taskKey, rhkId, indicatorId } from './activities/index.js';
export { ensureMaintenanceSchedule, maintenanceActivities, maintenanceScheduleId } from './activities/maintenance.js';
export { ensureSearchAttributes, type SearchAttributesRegistration } from './search-attributes.js';
export type { ActivityDeps, ActivityLog, Activities } from './activities/index.js';
export {
  DEFAULT_MAX_CACHED_WORKFLOWS,
  DEFAULT_WORKFLOW_THREADS,
  loadWorkerConfig,
  ConfigError,
  SmtpUrl,
  unknownSettings,
  workerConfigVariables,
  type LogLevel,
  type WorkerConfig,
  type NotificationConfig,
} from './config.js';
export * from './notify/index.js';
export * from './observability/index.js';

/** The workflow entry point (packages/workflows/src/workflows/index.ts), resolved through the package exports. */
export const workflowsPath = fileURLToPath(import.meta.resolve('@kinerja/workflows/workflows'));
/**
 * The workflow interceptor modules every bundle is built with (bundleWorkflowCode's `workflowInterceptorModules`; a
 * prebuilt bundle carries them, the worker cannot add them later): the one that passes the request id on, and the
 * SDK's OpenTelemetry interceptors behind the one that loads them only into traced workflows. The workflows package
 * lists them (interceptor-modules.json, paths relative to that file) for this worker and for the production build.
 */
export const workflowInterceptorModules = interceptorModules.map((m) =>
  fileURLToPath(new URL(m, import.meta.resolve('@kinerja/workflows/interceptor-modules.json'))),
);

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** One workflow bundle per process: bundling takes seconds, tests create many workers. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath, workflowInterceptorModules, logger: quietBundlerLogger });
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
  /**
   * Absolute path of a prebuilt workflow bundle (the code `bundleWorkflowCode` returns, written to a file): the worker
   * starts without webpack. Absent: the workflows are bundled in this process (once, `workflowBundle()`).
   */
  workflowBundlePath?: string | undefined;
  /** where the spans go (`startTracing`); absent: the trace context is passed on, nothing is recorded */
  tracing?: Tracing | undefined;
  /** max concurrent workflow/activity task executions (defaults of the SDK when absent) */
  maxConcurrentActivityTaskExecutions?: number | undefined;
  /** workflows kept in memory between tasks; default DEFAULT_MAX_CACHED_WORKFLOWS */
  maxCachedWorkflows?: number | undefined;
  /** threads that run workflow code (the SDK's workflowThreadPoolSize); default DEFAULT_WORKFLOW_THREADS */
  workflowThreads?: number | undefined;
  /**
   * Deliver the notification outbox while the worker runs (the dispatcher starts with the worker and stops before
   * it). Absent: rows are written by the projection but delivered by another worker.
   */
  notifications?: NotificationsOption | undefined;
}

/** What the dispatcher needs (a `WorkerConfig['notifications']` fits; tests give small backoffs and polls). */
export interface NotificationsOption {
  /** absent: e-mail rows wait in the outbox */
  smtpUrl?: string | undefined;
  mailFrom?: string | undefined;
  smtpTimeoutMs?: number | undefined;
  dispatcher?: Partial<DispatcherSettings> | undefined;
}

export interface RunningWorker {
  worker: Worker;
  /** the client on the worker's own connection (the fan-out's), for callers that need one, e.g. the maintenance schedule */
  client: Client;
  /** the outbox dispatcher, when `notifications` was given */
  dispatcher?: Dispatcher | undefined;
  shutdown(): Promise<void>;
}

export async function startWorker(opts: StartWorkerOptions): Promise<RunningWorker> {
  const namespace = opts.namespace ?? 'default';
  const taskQueue = opts.taskQueue ?? TASK_QUEUE;
  // The fan-out starts evaluation workflows through a client on the worker's own connection, so that the server can
  // hand each new workflow's first task straight back to this worker (eager workflow start): no task-queue round
  // trip, measured at a quarter less CPU per opened evaluation on the dev server.
  const client = new Client({ connection: opts.connection, namespace, interceptors: { workflow: [tracingClientInterceptor()] } });
  // the activities' lines carry the request id of the call that caused them (none for the dispatcher's)
  const log = withRequestId(opts.log ?? consoleLog);
  const worker = await Worker.create({
    connection: opts.connection,
    namespace,
    taskQueue,
    workflowBundle: opts.workflowBundlePath ? { codePath: opts.workflowBundlePath } : await workflowBundle(),
    activities: createActivities({ prisma: opts.prisma, temporal: client, taskQueue, log, eagerStart: true }),
    interceptors: { activity: [requestIdActivityInterceptor, tracingActivityInterceptor] },
    sinks: tracingSinks(opts.tracing),
    maxCachedWorkflows: opts.maxCachedWorkflows ?? DEFAULT_MAX_CACHED_WORKFLOWS,
    workflowThreadPoolSize: opts.workflowThreads ?? DEFAULT_WORKFLOW_THREADS,
    ...(opts.maxConcurrentActivityTaskExecutions ? { maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivityTaskExecutions } : {}),
  });
  const running = worker.run();
  const notifications = opts.notifications ? startNotifications(opts.prisma, opts.notifications, log) : undefined;
  let stopped: Promise<void> | undefined;
  return {
    worker,
    client,
    dispatcher: notifications?.dispatcher,
    shutdown: () => {
      stopped ??= (async () => {
        await notifications?.stop();
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
      })();
      return stopped;
    },
  };
}

function startNotifications(prisma: PrismaClient, config: NotificationsOption, log: ActivityLog) {
  const email: EmailTransport | undefined = config.smtpUrl
    ? createEmailTransport({ smtpUrl: config.smtpUrl, from: config.mailFrom ?? 'Kinerja <no-reply@kinerja.invalid>', timeoutMs: config.smtpTimeoutMs })
    : undefined;
  if (!email) log.warn('no SMTP server configured (SMTP_URL): e-mail notifications wait in the outbox');
  const dispatcher = createDispatcher({ prisma, email, settings: config.dispatcher, log });
  return {
    dispatcher,
    stop: async () => {
      await dispatcher.stop();
      email?.close();
    },
  };
}
