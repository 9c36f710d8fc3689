/**
 * The worker's one configuration, read from the environment here and nowhere else, validated with zod: a wrong
 * setting stops the worker at start with the variable's name, instead of failing later in a delivery. VARIABLES
 * below lists every variable with its default and meaning (exported as `workerConfigVariables` for the README's
 * table). Under NODE_ENV=production a missing DATABASE_URL and a variable that looks like ours but is not one
 * (DATABSE_URL, NOTIFY_RETRIES) stop the start; elsewhere the unknown ones are warnings.
 */
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { parseDuration } from '@kinerja/domain';
import { TASK_QUEUE } from '@kinerja/workflows';
import type { DispatcherSettings } from './notify/dispatcher.js';

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v, ctx) => {
      const ms = parseDuration(v);
      if (ms === null || ms <= 0) {
        ctx.addIssue({ code: 'custom', message: 'a duration: a number and ms, s, m, h, d or w (e.g. 30s)' });
        return z.NEVER;
      }
      return ms;
    });
const count = (fallback: number) => z.coerce.number().int().positive().max(1_000_000).default(fallback);
const blankAsUnset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const SmtpUrl = z
  .string()
  .trim()
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'smtp:' || u.protocol === 'smtps:') && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'smtp://user:pass@host:port or smtps://user:pass@host:port');

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** where production exposes the SDK's Prometheus metrics unless WORKER_METRICS_ADDRESS says otherwise */
export const DEFAULT_METRICS_ADDRESS = '0.0.0.0:9464';

const opt = <T extends z.ZodType>(schema: T) => z.preprocess(blankAsUnset, schema.optional());
const flag = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const absolutePath = z.string().refine((p) => isAbsolute(p), 'an absolute path');
/** host:port (a bracketed IPv6 host allowed), or `off` */
const bindAddress = z
  .string()
  .trim()
  .refine((v) => v === 'off' || /^(\[[0-9a-fA-F:.]+\]|[\w.-]+):\d{1,5}$/.test(v), 'host:port (e.g. 0.0.0.0:9464) or off');

interface Variable {
  schema: z.ZodType;
  /** the default as the configuration table shows it; undefined: none */
  default?: string;
  description: string;
}

/**
 * Workflows kept in memory between their tasks, and the threads that run them. On Node 20 every promise a workflow
 * thread creates is tagged by every AsyncLocalStorage enabled on that thread, and each cached workflow keeps about
 * four enabled (the SDK's cancellation, update, marker and randomness scopes, and the request id's:
 * temporalio/sdk-typescript#1432), so the cost of every promise grows with the workflows cached per thread, faster
 * than linearly. The SDK's default cache (hundreds of workflows on one thread) made a month-end of 2,000 employees
 * starve the worker: workflow tasks took 6–14 s and timed out. Measured on the burst bench at 2,000 employees
 * (README, "Month-end at scale"): 100 cached on one thread 21 submissions/s, on two threads 27/s, 518 cached on one
 * 12/s. A miss costs a replay of the evaluation's history (tens of events); a cache that held a whole region would
 * cost far more in promises than it saves in replays. 100 is at least twice the 50 updates in flight a burst has, and
 * twice the SDK's 40 concurrent workflow tasks.
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 100;
/** two workflow threads: each holds half the cache (half the storages per promise) and the machine has two cores */
export const DEFAULT_WORKFLOW_THREADS = 2;

/**
 * Every variable the worker reads, with its default and meaning: the schema `loadWorkerConfig` validates, the list of
 * known names the unknown-settings check compares against, and (as `workerConfigVariables`) the README's table.
 */
const VARIABLES = {
  NODE_ENV: { schema: opt(z.string()), description: '`production` turns on the production checks (database, unknown settings) and the metrics endpoint' },
  DATABASE_URL: {
    schema: opt(z.string()),
    default: 'PGlite in .data/pglite (not allowed in production)',
    description: 'PostgreSQL connection URL; required in production',
  },
  DATABASE_POOL_MAX: { schema: opt(z.coerce.number().int().min(1).max(1000)), default: '20', description: 'PostgreSQL connections this process opens at most' },
  DATABASE_PREPARED_STATEMENTS: {
    schema: opt(flag),
    default: 'true',
    description: 'prepare statements by name (parsed and planned once per connection); `false` behind PgBouncer < 1.21 in transaction mode',
  },
  TEMPORAL_ADDRESS: {
    schema: z.preprocess(blankAsUnset, z.string().default('localhost:7233')),
    default: 'localhost:7233',
    description: 'Temporal frontend (host:port)',
  },
  TEMPORAL_NAMESPACE: { schema: z.preprocess(blankAsUnset, z.string().default('default')), default: 'default', description: 'Temporal namespace' },
  TEMPORAL_TASK_QUEUE: { schema: opt(z.string()), default: TASK_QUEUE, description: "the task queue the worker polls: the API's TEMPORAL_TASK_QUEUE" },
  SMTP_URL: {
    schema: opt(SmtpUrl),
    default: 'none: e-mails wait in the outbox',
    description: 'smtp://user:pass@host:port (smtps:// for implicit TLS) the notifications are sent through',
  },
  MAIL_FROM: {
    schema: z.preprocess(blankAsUnset, z.string().trim().min(3).default('Kinerja <no-reply@kinerja.invalid>')),
    default: 'Kinerja <no-reply@kinerja.invalid>',
    description: 'the From address of notification e-mails',
  },
  NOTIFY_MAX_ATTEMPTS: { schema: z.preprocess(blankAsUnset, count(8)), default: '8', description: 'tries before a notification is FAILED' },
  NOTIFY_BACKOFF: {
    schema: z.preprocess(blankAsUnset, duration('30s')),
    default: '30s',
    description: 'wait after the first failed delivery, doubled after each further one',
  },
  NOTIFY_MAX_BACKOFF: { schema: z.preprocess(blankAsUnset, duration('1h')), default: '1h', description: 'longest wait between delivery tries' },
  NOTIFY_POLL: { schema: z.preprocess(blankAsUnset, duration('2s')), default: '2s', description: 'how often the notification outbox is polled' },
  NOTIFY_LEASE: { schema: z.preprocess(blankAsUnset, duration('1m')), default: '1m', description: 'how long a worker holds an outbox row it delivers' },
  NOTIFY_TIMEOUT: { schema: z.preprocess(blankAsUnset, duration('10s')), default: '10s', description: 'timeout of one SMTP or webhook exchange' },
  NOTIFY_BATCH: { schema: z.preprocess(blankAsUnset, count(20)), default: '20', description: 'outbox rows claimed per round' },
  WORKFLOW_BUNDLE: {
    schema: opt(absolutePath),
    default: 'workflow-bundle.js next to the running main file when it exists, else bundled at start',
    description: 'absolute path of the prebuilt workflow bundle (bundleWorkflowCode output)',
  },
  WORKER_MAX_CACHED_WORKFLOWS: {
    schema: opt(z.coerce.number().int().min(10).max(100_000)),
    default: String(DEFAULT_MAX_CACHED_WORKFLOWS),
    description: 'workflows kept in memory between their tasks (an evicted one is replayed from its history; more cost every promise more)',
  },
  WORKER_WORKFLOW_THREADS: {
    schema: opt(z.coerce.number().int().min(1).max(16)),
    default: String(DEFAULT_WORKFLOW_THREADS),
    description: 'threads that run workflow code, each holding its share of the cached workflows',
  },
  WORKER_METRICS_ADDRESS: {
    schema: opt(bindAddress),
    default: `${DEFAULT_METRICS_ADDRESS} in production, off elsewhere`,
    description: "host:port where the Temporal SDK's Prometheus metrics are served at /metrics, or off",
  },
  LOG_LEVEL: { schema: opt(z.enum(LOG_LEVELS)), default: 'info', description: `JSON log level: ${LOG_LEVELS.join(', ')}` },
  OTEL_EXPORTER_OTLP_ENDPOINT: {
    schema: opt(z.url({ protocol: /^https?$/ })),
    default: 'none: traces are not recorded',
    description: 'OTLP/HTTP base URL of an OpenTelemetry collector (spans go to <url>/v1/traces)',
  },
  OTEL_SERVICE_NAME: {
    schema: z.preprocess(blankAsUnset, z.string().default('kinerja-worker')),
    default: 'kinerja-worker',
    description: 'service.name of the spans',
  },
} satisfies Record<string, Variable>;

type Shape = { [K in keyof typeof VARIABLES]: (typeof VARIABLES)[K]['schema'] };

/** The worker's variables in order (name, default, meaning), for the README's configuration table. */
export const workerConfigVariables: readonly { name: string; default: string | undefined; description: string }[] = Object.entries(VARIABLES).map(
  ([name, v]: [string, Variable]) => ({ name, default: v.default, description: v.description }),
);

const KNOWN_NAMES = new Set(Object.keys(VARIABLES));
/** name prefixes of the worker's own settings: any other variable with one is a misspelling or a setting we do not have */
const OUR_PREFIXES = ['NOTIFY_', 'SMTP_', 'TEMPORAL_', 'WORKER_', 'WORKFLOW_', 'LOG_', 'MAIL_'];

/** Optimal string alignment distance (a transposition counts as one edit). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** the closest known name within 2 edits (every name of ours is 8 characters or longer, so 2 edits stay a typo) */
function closestKnown(name: string): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const known of KNOWN_NAMES) {
    const distance = editDistance(name, known);
    if (distance <= 2 && (!best || distance < best.distance)) best = { name: known, distance };
  }
  return best?.name;
}

/**
 * Variables that look like ours but are not in the schema: a misspelling (DATABSE_URL) or a setting the worker does
 * not have (NOTIFY_RETRIES). Only upper-case names are compared: npm's and the shell's own variables are lower case
 * or far away.
 */
export function unknownSettings(env: Record<string, string | undefined>): { name: string; suggestion: string | undefined }[] {
  const found: { name: string; suggestion: string | undefined }[] = [];
  for (const name of Object.keys(env)) {
    if (KNOWN_NAMES.has(name) || !/^[A-Z][A-Z0-9_]*$/.test(name)) continue;
    const suggestion = closestKnown(name);
    if (suggestion || OUR_PREFIXES.some((p) => name.startsWith(p))) found.push({ name, suggestion });
  }
  return found;
}

const Env = z.object(Object.fromEntries(Object.entries(VARIABLES).map(([k, v]: [string, Variable]) => [k, v.schema])) as Shape).superRefine((e, ctx) => {
  if (e.NODE_ENV === 'production' && !e.DATABASE_URL)
    ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'required when NODE_ENV=production (PGlite is for development only)' });
});

export interface NotificationConfig {
  /** absent: no SMTP server; e-mail rows stay PENDING until one is configured */
  smtpUrl?: string | undefined;
  mailFrom: string;
  /** SMTP exchange timeout (ms) */
  smtpTimeoutMs: number;
  dispatcher: DispatcherSettings;
}

export interface WorkerConfig {
  production: boolean;
  databaseUrl?: string | undefined;
  /** the PostgreSQL pool's size and whether statements are prepared by name (openDb's poolMax, preparedStatements) */
  database?: { poolMax: number | undefined; preparedStatements: boolean } | undefined;
  temporal: { address: string; namespace: string; taskQueue?: string | undefined };
  notifications: NotificationConfig;
  /** absolute path of a prebuilt workflow bundle; undefined: main.ts looks next to itself, else bundles at start */
  workflowBundlePath?: string | undefined;
  /** host:port of the SDK's Prometheus endpoint; undefined: no metrics endpoint */
  metricsAddress?: string | undefined;
  /** undefined: DEFAULT_MAX_CACHED_WORKFLOWS */
  maxCachedWorkflows?: number | undefined;
  /** undefined: DEFAULT_WORKFLOW_THREADS */
  workflowThreads?: number | undefined;
  logLevel: LogLevel;
  /** OpenTelemetry: the collector's OTLP/HTTP base URL (undefined: no spans recorded) and the service name */
  tracing: { endpoint?: string | undefined; serviceName: string };
  /** what the worker should log at start (unknown settings outside production) */
  warnings: string[];
}

export class ConfigError extends Error {}

/** The worker's configuration from `env` (the process environment unless given); throws ConfigError naming the variable. */
export function loadWorkerConfig(env: Record<string, string | undefined> = process.env): WorkerConfig {
  const parsed = Env.safeParse(env);
  const production = env.NODE_ENV === 'production';
  const unknown = unknownSettings(env).map((u) => `${u.name}: not a setting of the worker${u.suggestion ? ` (did you mean ${u.suggestion}?)` : ''}`);
  const lines = [...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)), ...(production ? unknown : [])];
  if (!parsed.success || lines.length > 0) throw new ConfigError(`invalid worker configuration:\n  ${lines.join('\n  ')}`);
  const e = parsed.data;
  const metrics = e.WORKER_METRICS_ADDRESS ?? (production ? DEFAULT_METRICS_ADDRESS : 'off');
  return {
    production,
    databaseUrl: e.DATABASE_URL,
    database: { poolMax: e.DATABASE_POOL_MAX, preparedStatements: e.DATABASE_PREPARED_STATEMENTS ?? true },
    temporal: { address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE, taskQueue: e.TEMPORAL_TASK_QUEUE },
    notifications: {
      smtpUrl: e.SMTP_URL,
      mailFrom: e.MAIL_FROM,
      smtpTimeoutMs: e.NOTIFY_TIMEOUT,
      dispatcher: {
        maxAttempts: e.NOTIFY_MAX_ATTEMPTS,
        backoffMs: e.NOTIFY_BACKOFF,
        maxBackoffMs: e.NOTIFY_MAX_BACKOFF,
        pollMs: e.NOTIFY_POLL,
        leaseMs: e.NOTIFY_LEASE,
        batchSize: e.NOTIFY_BATCH,
        webhookTimeoutMs: e.NOTIFY_TIMEOUT,
      },
    },
    workflowBundlePath: e.WORKFLOW_BUNDLE,
    metricsAddress: metrics === 'off' ? undefined : metrics,
    maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
    workflowThreads: e.WORKER_WORKFLOW_THREADS,
    logLevel: e.LOG_LEVEL ?? 'info',
    tracing: { endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: e.OTEL_SERVICE_NAME },
    warnings: production ? [] : unknown,
  };
}
