/**
 * The worker's one configuration, read from the environment here and nowhere else, validated with zod: a wrong
 * setting stops the worker at start with the variable's name, instead of failing later in a delivery.
 *
 *   DATABASE_URL                 PostgreSQL (unset: PGlite at .data/pglite)
 *   TEMPORAL_ADDRESS             default localhost:7233
 *   TEMPORAL_NAMESPACE           default "default"
 *   TEMPORAL_TASK_QUEUE          default "kinerja"
 *   SMTP_URL                     smtp://user:pass@host:port (smtps:// for implicit TLS); unset: e-mails wait in the outbox
 *   MAIL_FROM                    the From address, default "Kinerja <no-reply@kinerja.invalid>"
 *   NOTIFY_MAX_ATTEMPTS          tries before a notification is FAILED, default 8
 *   NOTIFY_BACKOFF               wait after the first failure, doubled after each further one, default 30s
 *   NOTIFY_MAX_BACKOFF           longest wait between tries, default 1h
 *   NOTIFY_POLL                  how often the outbox is polled, default 2s
 *   NOTIFY_LEASE                 how long a worker holds a row it delivers, default 1m
 *   NOTIFY_TIMEOUT               one SMTP or webhook exchange's timeout, default 10s
 *   NOTIFY_BATCH                 rows claimed per round, default 20
 */
import { z } from 'zod';
import { parseDuration } from '@kinerja/domain';
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

const Env = z.object({
  DATABASE_URL: z.preprocess(blankAsUnset, z.string().optional()),
  TEMPORAL_ADDRESS: z.preprocess(blankAsUnset, z.string().default('localhost:7233')),
  TEMPORAL_NAMESPACE: z.preprocess(blankAsUnset, z.string().default('default')),
  TEMPORAL_TASK_QUEUE: z.preprocess(blankAsUnset, z.string().optional()),
  SMTP_URL: z.preprocess(blankAsUnset, SmtpUrl.optional()),
  MAIL_FROM: z.preprocess(blankAsUnset, z.string().trim().min(3).default('Kinerja <no-reply@kinerja.invalid>')),
  NOTIFY_MAX_ATTEMPTS: z.preprocess(blankAsUnset, count(8)),
  NOTIFY_BACKOFF: z.preprocess(blankAsUnset, duration('30s')),
  NOTIFY_MAX_BACKOFF: z.preprocess(blankAsUnset, duration('1h')),
  NOTIFY_POLL: z.preprocess(blankAsUnset, duration('2s')),
  NOTIFY_LEASE: z.preprocess(blankAsUnset, duration('1m')),
  NOTIFY_TIMEOUT: z.preprocess(blankAsUnset, duration('10s')),
  NOTIFY_BATCH: z.preprocess(blankAsUnset, count(20)),
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
  databaseUrl?: string | undefined;
  temporal: { address: string; namespace: string; taskQueue?: string | undefined };
  notifications: NotificationConfig;
}

export class ConfigError extends Error {}

/** The worker's configuration from `env` (the process environment unless given); throws ConfigError naming the variable. */
export function loadWorkerConfig(env: Record<string, string | undefined> = process.env): WorkerConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid worker configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL,
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
  };
}
