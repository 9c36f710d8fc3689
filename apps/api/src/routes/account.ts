/**
 * The signed-in user's account: changing the password, and the notifications sent to them (the outbox rows the
 * worker delivers).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { hashPassword, verifyPassword } from '@kinerja/db';
import { NotificationChannel, NotificationEvent, text, type Lang } from '@kinerja/domain';
import type { ResolvedDeps } from '../env.js';
import { countWrongPassword, issueSession } from '../auth/sessions.js';
import { ProblemError, type FieldError } from '../problem.js';
import { bearer, jsonBody, newRouter, ok, problems } from '../router.js';
import { IsoDateTime } from '../schemas.js';

export const MIN_PASSWORD_LENGTH = 10;

const msg = (lang: Lang, id: string, en: string) => (lang === 'en' ? en : id);

const PasswordChangeInput = z
  .object({
    currentPassword: text({ min: 1, max: 200, trim: false }),
    newPassword: text({ min: MIN_PASSWORD_LENGTH, max: 200, trim: false }).openapi({
      description: `At least ${MIN_PASSWORD_LENGTH} characters; not the NIP/username`,
    }),
  })
  .strict()
  .openapi('PasswordChangeInput');

const PasswordChanged = z
  .object({
    tokenType: z.literal('Bearer'),
    accessToken: z.string(),
    expiresIn: z.number().int(),
    refreshToken: z.string(),
    refreshExpiresAt: IsoDateTime,
  })
  .openapi('PasswordChanged');

const passwordRoute = createRoute({
  method: 'put',
  path: '/me/password',
  tags: ['me'],
  summary: 'Change my password; every other session ends, this one continues with the new tokens answered',
  description:
    'Every refresh token and every access token issued so far are revoked (as by sign out everywhere); the answer carries a new ' +
    'token pair for the caller. A wrong current password answers 422 naming `currentPassword` and counts as a failed sign-in ' +
    '(enough of them lock the account: 429 ACCOUNT_LOCKED).',
  security: bearer,
  request: jsonBody(PasswordChangeInput),
  responses: {
    200: ok(PasswordChanged, 'Changed; use these tokens from now on'),
    ...problems,
    429: { description: 'Too many wrong current passwords: the account is locked (ACCOUNT_LOCKED)', content: problems[422].content },
  },
});

/** A short title per event, in the reader's language; the message itself is the worker's rendering (e-mail, WhatsApp). */
const EVENT_TITLES: Record<NotificationEvent, Record<Lang, string>> = {
  REMINDER: { id: 'Pengingat batas waktu', en: 'Deadline reminder' },
  ESCALATION: { id: 'Tugas dialihkan kepada Anda', en: 'A task was escalated to you' },
  SKP_RETURNED: { id: 'SKP dikembalikan untuk diperbaiki', en: 'SKP returned for revision' },
  PERIOD_FEEDBACK: { id: 'Umpan balik laporan periode', en: 'Feedback on a period report' },
  ANNUAL_RESULT: { id: 'Hasil penilaian kinerja tahunan', en: 'Annual performance result' },
  APPEAL_DECISION: { id: 'Keputusan keberatan', en: 'Keberatan decision' },
};

const NotificationItem = z
  .object({
    id: z.string(),
    event: NotificationEvent,
    channel: NotificationChannel,
    status: z.enum(['PENDING', 'SENT', 'FAILED']),
    evaluationId: z.string().nullable(),
    /** in the language of the request (Accept-Language) */
    title: z.string(),
    createdAt: IsoDateTime,
    sentAt: IsoDateTime.nullable(),
  })
  .openapi('MyNotification');

const NotificationPage = z
  .object({
    items: z.array(NotificationItem),
    /** pass as `cursor` for the next (older) page; null on the last page */
    nextCursor: z.string().nullable(),
  })
  .openapi('MyNotificationPage');

const NotificationQuery = z
  .object({
    cursor: text({ min: 1, max: 200 }).optional().openapi({ description: 'nextCursor of the previous page' }),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

const notificationsRoute = createRoute({
  method: 'get',
  path: '/me/notifications',
  tags: ['me'],
  summary: 'Notifications sent (or being sent) to me, newest first, paged with a cursor',
  security: bearer,
  request: { query: NotificationQuery },
  responses: { 200: ok(NotificationPage), 401: problems[401], 422: problems[422] },
});

/** Cursor: the last row's creation time and id (ties broken by id), opaque to clients. */
const encodeCursor = (createdAt: Date, id: string) => Buffer.from(`${createdAt.toISOString()}|${id}`, 'utf8').toString('base64url');
function decodeCursor(cursor: string): { createdAt: Date; id: string } | null {
  const [at, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (rest.length > 0 || !id || Number.isNaN(createdAt.getTime())) return null;
  return { createdAt, id };
}

export function accountRoutes(deps: ResolvedDeps) {
  const { prisma } = deps;

  return newRouter()
    .openapi(passwordRoute, async (c) => {
      const { currentPassword, newPassword } = c.req.valid('json');
      const lang = c.get('lang');
      const me = c.get('user');
      const now = deps.now();
      const user = await prisma.user.findUniqueOrThrow({
        where: { id: me.userId },
        select: { id: true, username: true, passwordHash: true, employee: { select: { nip: true } } },
      });

      if (!(await verifyPassword(currentPassword, user.passwordHash))) {
        // counted like a failed sign-in: a stolen session cannot guess the password without locking the account
        await countWrongPassword(deps, user.id, now);
        throw new ProblemError('VALIDATION_FAILED', {
          errors: [
            {
              pointer: '/currentPassword',
              field: 'currentPassword',
              code: 'wrong_password',
              message: msg(lang, 'kata sandi saat ini salah', 'the current password is wrong'),
            },
          ],
        });
      }

      const errors: FieldError[] = [];
      const lowered = newPassword.toLowerCase();
      const identities = [user.username, user.employee?.nip].filter((v): v is string => !!v).map((v) => v.toLowerCase());
      if (identities.includes(lowered)) {
        errors.push({
          pointer: '/newPassword',
          field: 'newPassword',
          code: 'same_as_username',
          message: msg(lang, 'kata sandi tidak boleh sama dengan NIP atau nama pengguna', 'the password may not be your NIP or username'),
        });
      } else if (newPassword === currentPassword) {
        errors.push({
          pointer: '/newPassword',
          field: 'newPassword',
          code: 'unchanged',
          message: msg(lang, 'kata sandi baru harus berbeda dari yang sekarang', 'the new password must differ from the current one'),
        });
      }
      if (errors.length > 0) throw new ProblemError('VALIDATION_FAILED', { errors });

      const passwordHash = await hashPassword(newPassword, deps.passwordPolicy);
      await prisma.$transaction(async (tx) => {
        // every access token issued so far ends (tokensValidAfter); the refresh tokens are deleted, not marked revoked:
        // another device refreshing with its old token is then merely signed out, where a revoked token's reuse would
        // count as theft and end the session this answer starts as well
        await tx.user.update({ where: { id: user.id }, data: { passwordHash, failedLogins: 0, lockedUntil: null, tokensValidAfter: now } });
        await tx.refreshToken.deleteMany({ where: { userId: user.id } });
      });
      return c.json(await issueSession(deps, user.id, now), 200);
    })
    .openapi(notificationsRoute, async (c) => {
      const { cursor, limit } = c.req.valid('query');
      const lang = c.get('lang');
      const me = c.get('user');
      let after: { createdAt: Date; id: string } | null = null;
      if (cursor !== undefined) {
        after = decodeCursor(cursor);
        if (!after) {
          throw new ProblemError('VALIDATION_FAILED', {
            errors: [
              { pointer: '/cursor', field: 'cursor', in: 'query', code: 'invalid_cursor', message: msg(lang, 'cursor tidak dikenal', 'unknown cursor') },
            ],
          });
        }
      }
      if (!me.employeeId) return c.json({ items: [], nextCursor: null }, 200);
      const rows = await prisma.notification.findMany({
        where: {
          recipientId: me.employeeId,
          ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit + 1,
        select: { id: true, event: true, channel: true, status: true, evaluationId: true, createdAt: true, sentAt: true },
      });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return c.json(
        {
          items: page.map((r) => {
            // written by the worker from NOTIFICATION_EVENTS only
            const event = NotificationEvent.parse(r.event);
            return {
              id: r.id,
              event,
              channel: r.channel,
              status: r.status,
              evaluationId: r.evaluationId,
              title: EVENT_TITLES[event][lang],
              createdAt: r.createdAt.toISOString(),
              sentAt: r.sentAt?.toISOString() ?? null,
            };
          }),
          nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null,
        },
        200,
      );
    });
}
