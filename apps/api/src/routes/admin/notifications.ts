/**
 * Notifications for the region's admin: the WhatsApp and SMS gateways the worker POSTs to (signed webhooks), and
 * the deliveries that failed for good, which the admin may send again. E-mail goes out over the worker's SMTP
 * configuration and needs nothing per region.
 */
import { randomBytes } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { idText, NotificationEvent, NotificationStatus, publicUrl } from '@kinerja/domain';
import type { ResolvedDeps } from '../../env.js';
import { authorizeRegion } from '../../access.js';
import { ProblemError } from '../../problem.js';
import { bearer, jsonBody, newRouter, ok, problems } from '../../router.js';
import { audit, Paging, RegionParams } from './common.js';

const WEBHOOK_CHANNELS = ['WHATSAPP', 'SMS'] as const;
const WebhookChannel = z.enum(WEBHOOK_CHANNELS);

const SIGNATURE =
  'The worker POSTs each notification to the gateway as JSON `{ id, event, channel, to, language, text, data }` (`to`: the ' +
  "phone number in E.164) with three headers: `X-Kinerja-Id` (the notification id, the same on every retry: the gateway's " +
  'dedupe key), `X-Kinerja-Timestamp` (unix seconds) and `X-Kinerja-Signature: sha256=<hex HMAC-SHA256(secret, ' +
  '"<timestamp>.<raw body>")>`. The gateway recomputes the HMAC over the exact bytes it received, compares in constant ' +
  'time, and refuses a timestamp far from its clock (a replay). Any answer but 2xx is a failure: retried with backoff, ' +
  'and after the last try listed under notifications with status FAILED.';

const webhookTags = ['admin: notifications'];
const webhookBase = '/admin/regions/{regionCode}/webhooks';

const WebhookSchema = z
  .object({
    id: z.string(),
    channel: WebhookChannel,
    url: z.string(),
    active: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    createdBy: z.string().nullable(),
  })
  .openapi('WebhookEndpoint');
const WebhookWithSecretSchema = z
  .object({
    endpoint: WebhookSchema,
    /** shown only in this answer: keep it in the gateway's configuration */
    secret: z.string().openapi({ description: '32 random bytes, base64url; shown only in this answer' }),
  })
  .openapi('WebhookEndpointSecret');
const WebhookListSchema = z.object({ items: z.array(WebhookSchema) }).openapi('WebhookEndpointList');

/** Phone numbers and message texts travel to the gateway: https only, to a public host. */
const GatewayUrl = publicUrl({ field: 'url' })
  .superRefine((v, ctx) => {
    if (/^http:/i.test(v)) {
      ctx.addIssue({
        code: 'custom',
        message: 'url gateway harus memakai https:',
        params: { code: 'url_scheme', messageEn: 'the gateway url must use https:' },
      });
    }
  })
  .openapi({
    description: 'https: link to a public host (not localhost, a private, link-local or unspecified address)',
    example: 'https://wa-gateway.example.id/kinerja',
  });

const WebhookInput = z
  .object({ url: GatewayUrl, active: z.boolean().default(true) })
  .strict()
  .openapi('WebhookEndpointInput');

const ChannelParams = RegionParams.extend({ channel: WebhookChannel.openapi({ param: { name: 'channel', in: 'path' }, example: 'WHATSAPP' }) });

const listWebhooks = createRoute({
  method: 'get',
  path: webhookBase,
  tags: webhookTags,
  security: bearer,
  summary: "The region's WhatsApp and SMS gateways (their secrets are never shown here)",
  description: SIGNATURE,
  request: { params: RegionParams },
  responses: { 200: ok(WebhookListSchema), ...problems },
});
const putWebhook = createRoute({
  method: 'put',
  path: `${webhookBase}/{channel}`,
  tags: webhookTags,
  security: bearer,
  summary: "Set a channel's gateway: created (201, with its new secret, shown once) or its url and active flag changed (200, the secret unchanged)",
  description: SIGNATURE,
  request: { params: ChannelParams, ...jsonBody(WebhookInput) },
  responses: {
    200: ok(z.object({ endpoint: WebhookSchema }).openapi('WebhookEndpointUpdated'), 'Updated'),
    201: ok(WebhookWithSecretSchema, 'Created'),
    ...problems,
  },
});
const rotateSecret = createRoute({
  method: 'post',
  path: `${webhookBase}/{channel}/rotate-secret`,
  tags: webhookTags,
  security: bearer,
  summary: 'Replace the gateway secret; the new one is shown once, the old one stops working at once',
  description: SIGNATURE,
  request: { params: ChannelParams },
  responses: { 200: ok(WebhookWithSecretSchema), ...problems },
});
const deleteWebhook = createRoute({
  method: 'delete',
  path: `${webhookBase}/{channel}`,
  tags: webhookTags,
  security: bearer,
  summary: "Remove a channel's gateway (to pause it instead, PUT it with active: false)",
  description:
    'Notifications already written for it that are still to be delivered fail (they are listed under notifications as FAILED); new ones are not written for the channel while the region has no active gateway for it.',
  request: { params: ChannelParams },
  responses: { 204: { description: 'Removed' }, ...problems },
});

const notificationBase = '/admin/regions/{regionCode}/notifications';

const NotificationSchema = z
  .object({
    id: z.string(),
    event: z.string().openapi({ description: 'REMINDER, ESCALATION, SKP_RETURNED, PERIOD_FEEDBACK, ANNUAL_RESULT, APPEAL_DECISION' }),
    channel: z.enum(['EMAIL', 'WHATSAPP', 'SMS']),
    status: NotificationStatus,
    evaluationId: z.string().nullable(),
    recipient: z.object({ id: z.string(), nip: z.string().nullable(), name: z.string().nullable() }),
    /** the e-mail address or phone number the row was written with */
    address: z.string(),
    language: z.string(),
    attempts: z.number().int(),
    nextAttemptAt: z.string(),
    lastError: z.string().nullable(),
    sentAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Notification');
const NotificationListSchema = z
  .object({ items: z.array(NotificationSchema), total: z.number().int(), page: z.number().int(), limit: z.number().int() })
  .openapi('NotificationList');

const NotificationQuery = z
  .object({
    status: NotificationStatus.default('FAILED'),
    channel: z.enum(['EMAIL', 'WHATSAPP', 'SMS']).optional(),
    event: NotificationEvent.optional(),
    ...Paging,
  })
  .strict();

const listNotifications = createRoute({
  method: 'get',
  path: notificationBase,
  tags: webhookTags,
  security: bearer,
  summary: "The region's notifications by status (default FAILED: deliveries that failed after their last try), newest first",
  request: { params: RegionParams, query: NotificationQuery },
  responses: { 200: ok(NotificationListSchema), ...problems },
});
const retryNotification = createRoute({
  method: 'post',
  path: `${notificationBase}/{notificationId}/retry`,
  tags: webhookTags,
  security: bearer,
  summary: 'Send a FAILED notification again: it becomes PENDING with its attempts reset; 409 unless it is FAILED',
  description: 'The last error stays on the row until the next attempt replaces it or the delivery succeeds.',
  request: { params: RegionParams.extend({ notificationId: idText(64).openapi({ param: { name: 'notificationId', in: 'path' } }) }) },
  responses: { 200: ok(NotificationSchema), ...problems },
});

type WebhookRow = { id: string; channel: string; url: string; active: boolean; createdAt: Date; updatedAt: Date; createdBy: string | null };
const presentWebhook = (w: WebhookRow): z.infer<typeof WebhookSchema> => ({
  id: w.id,
  channel: w.channel as z.infer<typeof WebhookChannel>,
  url: w.url,
  active: w.active,
  createdAt: w.createdAt.toISOString(),
  updatedAt: w.updatedAt.toISOString(),
  createdBy: w.createdBy,
});
/** what the audit trail keeps of an endpoint: never the secret */
const auditable = (w: WebhookRow) => ({ channel: w.channel, url: w.url, active: w.active });
const newSecret = () => randomBytes(32).toString('base64url');

type NotificationRow = {
  id: string;
  event: string;
  channel: 'EMAIL' | 'WHATSAPP' | 'SMS';
  status: z.infer<typeof NotificationStatus>;
  evaluationId: string | null;
  recipientId: string;
  address: string;
  language: string;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  sentAt: Date | null;
  createdAt: Date;
};

export function notificationRoutes(deps: ResolvedDeps) {
  const { prisma } = deps;

  async function presentNotifications(rows: NotificationRow[]): Promise<z.infer<typeof NotificationSchema>[]> {
    const people = new Map(
      (
        await prisma.employee.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.recipientId))] } }, select: { id: true, nip: true, name: true } })
      ).map((e) => [e.id, e]),
    );
    return rows.map((r) => ({
      id: r.id,
      event: r.event,
      channel: r.channel,
      status: r.status,
      evaluationId: r.evaluationId,
      recipient: { id: r.recipientId, nip: people.get(r.recipientId)?.nip ?? null, name: people.get(r.recipientId)?.name ?? null },
      address: r.address,
      language: r.language,
      attempts: r.attempts,
      nextAttemptAt: r.nextAttemptAt.toISOString(),
      lastError: r.lastError,
      sentAt: r.sentAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
    }));
  }

  return newRouter()
    .openapi(listWebhooks, async (c) => {
      const region = await authorizeRegion(prisma, c.get('user'), c.req.valid('param').regionCode);
      const rows = await prisma.webhookEndpoint.findMany({ where: { regionId: region.id }, orderBy: { channel: 'asc' } });
      return c.json({ items: rows.map(presentWebhook) }, 200);
    })
    .openapi(putWebhook, async (c) => {
      const { regionCode, channel } = c.req.valid('param');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      const input = c.req.valid('json');
      const result = await prisma.$transaction(async (tx) => {
        const before = await tx.webhookEndpoint.findUnique({ where: { regionId_channel: { regionId: region.id, channel } } });
        if (before) {
          const after = await tx.webhookEndpoint.update({ where: { id: before.id }, data: { url: input.url, active: input.active } });
          await audit(tx, c, region.id, 'webhook.update', 'WebhookEndpoint', after.id, auditable(before), auditable(after));
          return { endpoint: after, secret: null };
        }
        const secret = newSecret();
        const created = await tx.webhookEndpoint.create({
          data: { regionId: region.id, channel, url: input.url, active: input.active, secret, createdBy: c.get('user').userId },
        });
        await audit(tx, c, region.id, 'webhook.create', 'WebhookEndpoint', created.id, null, auditable(created));
        return { endpoint: created, secret };
      });
      if (result.secret === null) return c.json({ endpoint: presentWebhook(result.endpoint) }, 200);
      return c.json({ endpoint: presentWebhook(result.endpoint), secret: result.secret }, 201);
    })
    .openapi(rotateSecret, async (c) => {
      const { regionCode, channel } = c.req.valid('param');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      const secret = newSecret();
      const endpoint = await prisma.$transaction(async (tx) => {
        const before = await tx.webhookEndpoint.findUnique({ where: { regionId_channel: { regionId: region.id, channel } } });
        if (!before) throw new ProblemError('NOT_FOUND');
        const after = await tx.webhookEndpoint.update({ where: { id: before.id }, data: { secret } });
        await audit(tx, c, region.id, 'webhook.secret.rotate', 'WebhookEndpoint', after.id, auditable(before), auditable(after));
        return after;
      });
      return c.json({ endpoint: presentWebhook(endpoint), secret }, 200);
    })
    .openapi(deleteWebhook, async (c) => {
      const { regionCode, channel } = c.req.valid('param');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      await prisma.$transaction(async (tx) => {
        const before = await tx.webhookEndpoint.findUnique({ where: { regionId_channel: { regionId: region.id, channel } } });
        if (!before) throw new ProblemError('NOT_FOUND');
        // notifications written for it keep their row; their endpoint becomes null (ON DELETE SET NULL)
        await tx.webhookEndpoint.delete({ where: { id: before.id } });
        await audit(tx, c, region.id, 'webhook.delete', 'WebhookEndpoint', before.id, auditable(before), null);
      });
      return c.body(null, 204);
    })
    .openapi(listNotifications, async (c) => {
      const region = await authorizeRegion(prisma, c.get('user'), c.req.valid('param').regionCode);
      const q = c.req.valid('query');
      const where = { regionId: region.id, status: q.status, ...(q.channel ? { channel: q.channel } : {}), ...(q.event ? { event: q.event } : {}) };
      const [total, rows] = await Promise.all([
        prisma.notification.count({ where }),
        prisma.notification.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], skip: (q.page - 1) * q.limit, take: q.limit }),
      ]);
      return c.json({ items: await presentNotifications(rows), total, page: q.page, limit: q.limit }, 200);
    })
    .openapi(retryNotification, async (c) => {
      const { regionCode, notificationId } = c.req.valid('param');
      const region = await authorizeRegion(prisma, c.get('user'), regionCode);
      const row = await prisma.$transaction(async (tx) => {
        const before = await tx.notification.findFirst({ where: { id: notificationId, regionId: region.id } });
        if (!before) throw new ProblemError('NOT_FOUND');
        // conditional on FAILED: a concurrent retry (or the worker) that moved the row first wins, this one answers 409
        const moved = await tx.notification.updateMany({
          where: { id: notificationId, status: 'FAILED' },
          data: { status: 'PENDING', attempts: 0, nextAttemptAt: deps.now(), leaseUntil: null },
        });
        if (moved.count !== 1) {
          throw new ProblemError('CONFLICT', {
            detail: {
              id: `Hanya notifikasi berstatus FAILED yang dapat dikirim ulang (status: ${before.status}).`,
              en: `Only a FAILED notification can be sent again (status: ${before.status}).`,
            },
            extensions: { notificationStatus: before.status },
          });
        }
        await audit(
          tx,
          c,
          region.id,
          'notification.retry',
          'Notification',
          notificationId,
          { status: before.status, attempts: before.attempts, lastError: before.lastError },
          { status: 'PENDING', attempts: 0 },
        );
        return tx.notification.findUniqueOrThrow({ where: { id: notificationId } });
      });
      return c.json((await presentNotifications([row]))[0]!, 200);
    });
}
