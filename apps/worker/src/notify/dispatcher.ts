/**
 * The outbox dispatcher: claims due Notification rows, delivers them (e-mail or webhook), and records the outcome.
 *
 * A row is claimed by setting a lease (`leaseUntil`) in one UPDATE over a `FOR UPDATE SKIP LOCKED` selection, so
 * several workers on PostgreSQL never deliver the same row at once, and PGlite (one connection) runs the same
 * statement. A worker that dies mid-delivery leaves a lease that simply runs out: the row is claimed again then.
 * Success → SENT. Failure → `attempts + 1`, `lastError`, and the next attempt after an exponential backoff; after
 * `maxAttempts` tries → FAILED, listed for the region's admin, who may set it back to PENDING.
 * Every outcome is written only while this worker still holds the lease it claimed.
 */
import { Prisma, type PrismaClient } from '@kinerja/db';
import type { ActivityLog } from '../activities/shared.js';
import type { EmailTransport } from './email.js';
import { NotificationPayload, asLang } from './payload.js';
import { renderNotification } from './templates.js';
import { postWebhook } from './webhook.js';

export interface DispatcherSettings {
  /** tries before a row is FAILED */
  maxAttempts: number;
  /** the wait after the first failure; doubled after each further one */
  backoffMs: number;
  /** the longest wait between two tries */
  maxBackoffMs: number;
  /** how often the outbox is polled when the last round found nothing */
  pollMs: number;
  /** how long a claimed row is held while it is delivered */
  leaseMs: number;
  /** rows claimed per round */
  batchSize: number;
  /** one webhook request's timeout */
  webhookTimeoutMs: number;
}

export const DEFAULT_DISPATCHER_SETTINGS: DispatcherSettings = {
  maxAttempts: 8,
  backoffMs: 30_000,
  maxBackoffMs: 3_600_000,
  pollMs: 2_000,
  leaseMs: 60_000,
  batchSize: 20,
  webhookTimeoutMs: 10_000,
};

export interface DispatcherDeps {
  prisma: PrismaClient;
  /** absent: no SMTP server configured, e-mail rows wait in the outbox */
  email?: EmailTransport | undefined;
  settings?: Partial<DispatcherSettings> | undefined;
  log: ActivityLog;
  now?: () => Date;
}

export interface Dispatcher {
  /** one round: claim due rows and deliver them; the number of rows handled */
  runOnce(): Promise<number>;
  /** stop polling and wait for the round in flight */
  stop(): Promise<void>;
}

/** The wait before try `attempts + 1` after `attempts` failed tries. */
export const backoffAfter = (attempts: number, s: Pick<DispatcherSettings, 'backoffMs' | 'maxBackoffMs'>) =>
  Math.min(s.maxBackoffMs, s.backoffMs * 2 ** Math.max(0, attempts - 1));

const errorText = (err: unknown) =>
  // eslint-disable-next-line no-control-regex
  (err instanceof Error ? err.message : String(err)).replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, 1000);

export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  const s: DispatcherSettings = { ...DEFAULT_DISPATCHER_SETTINGS, ...deps.settings };
  const now = deps.now ?? (() => new Date());
  const { prisma, log } = deps;
  const channels = deps.email ? ['EMAIL', 'WHATSAPP', 'SMS'] : ['WHATSAPP', 'SMS'];

  async function claim(at: Date): Promise<{ ids: string[]; lease: Date }> {
    const lease = new Date(at.getTime() + s.leaseMs);
    // the columns are UTC timestamps without a zone (Prisma's DateTime): ISO text cast to timestamp keeps them exact
    // whatever the session's TimeZone
    const atText = at.toISOString();
    const rows = await prisma.$queryRaw<{ id: string }[]>(Prisma.sql`
      UPDATE "Notification" SET "leaseUntil" = ${lease.toISOString()}::timestamp(3)
      WHERE "id" IN (
        SELECT "id" FROM "Notification"
        WHERE "status" = 'PENDING' AND "nextAttemptAt" <= ${atText}::timestamp(3)
          AND ("leaseUntil" IS NULL OR "leaseUntil" < ${atText}::timestamp(3))
          AND "channel"::text = ANY(${channels})
        ORDER BY "nextAttemptAt"
        LIMIT ${s.batchSize}
        FOR UPDATE SKIP LOCKED
      )
      RETURNING "id"`);
    return { ids: rows.map((r) => r.id), lease };
  }

  async function deliver(n: Prisma.NotificationGetPayload<{ include: { endpoint: true } }>): Promise<void> {
    const parsed = NotificationPayload.safeParse(n.payload);
    if (!parsed.success) throw new Error(`unreadable payload: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const language = asLang(n.language);
    const rendered = renderNotification(parsed.data, language);
    if (n.channel === 'EMAIL') {
      if (!deps.email) throw new Error('no SMTP server configured');
      await deps.email.send({ notificationId: n.id, event: n.event, to: n.address, language, rendered });
      return;
    }
    // a gateway deleted and set up again is a new row: the region's gateway for the channel now is the one to use
    const endpoint = n.endpoint ?? (await prisma.webhookEndpoint.findUnique({ where: { regionId_channel: { regionId: n.regionId, channel: n.channel } } }));
    if (!endpoint || !endpoint.active) throw new Error(`no active ${n.channel} gateway for the region`);
    await postWebhook(
      endpoint,
      { id: n.id, event: n.event, channel: n.channel, to: n.address, language, text: rendered.short, data: parsed.data },
      { timeoutMs: s.webhookTimeoutMs, now },
    );
  }

  async function handle(id: string, lease: Date): Promise<void> {
    const n = await prisma.notification.findUnique({ where: { id }, include: { endpoint: true } });
    if (!n || n.status !== 'PENDING') return;
    const held = { id, status: 'PENDING' as const, leaseUntil: lease };
    try {
      await deliver(n);
      await prisma.notification.updateMany({
        where: held,
        data: { status: 'SENT', sentAt: now(), attempts: n.attempts + 1, leaseUntil: null, lastError: null },
      });
    } catch (err) {
      const attempts = n.attempts + 1;
      const lastError = errorText(err);
      const failed = attempts >= s.maxAttempts;
      await prisma.notification.updateMany({
        where: held,
        data: failed
          ? { status: 'FAILED', attempts, lastError, leaseUntil: null }
          : { attempts, lastError, leaseUntil: null, nextAttemptAt: new Date(now().getTime() + backoffAfter(attempts, s)) },
      });
      log.warn(failed ? 'notification failed for good' : 'notification delivery failed, will retry', {
        notificationId: id,
        channel: n.channel,
        event: n.event,
        attempts,
        error: lastError,
      });
    }
  }

  async function runOnce(): Promise<number> {
    const { ids, lease } = await claim(now());
    await Promise.all(ids.map((id) => handle(id, lease)));
    return ids.length;
  }

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> = Promise.resolve();
  const schedule = (ms: number) => {
    if (!stopped) timer = setTimeout(tick, ms);
  };
  const tick = () => {
    timer = undefined;
    round = runOnce().then(
      // a full batch: more may be due, go on at once
      (handled) => schedule(handled >= s.batchSize ? 0 : s.pollMs),
      (err: unknown) => {
        log.warn('notification round failed', { error: errorText(err) });
        schedule(s.pollMs);
      },
    );
  };
  schedule(0);

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await round;
    },
  };
}
