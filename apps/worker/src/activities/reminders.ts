/**
 * Reminders of open tasks: in one transaction, an audit event (queryable, shown in the inbox history) and the
 * reminder's notifications in the outbox (e-mail and the region's WhatsApp/SMS gateway, as the assignee's settings
 * allow), delivered by the dispatcher. A retried reminder inserts no second notification (the outbox key).
 */
import { appendAudit } from '@kinerja/db';
import type { Activities, ReminderInput } from '@kinerja/workflows';
import { notificationOfReminder } from '../notify/derive.js';
import { writeOutbox } from '../notify/outbox.js';
import { logged, taskKey, type JobDeps } from './shared.js';

type ReminderActivities = Pick<Activities, 'sendReminder'>;

/** The period's name from the cycle's fixed calendar ("Maret 2027"), when the cycle has one. */
function labelFrom(calendar: unknown, period: number | undefined): string | undefined {
  if (period === undefined || typeof calendar !== 'object' || calendar === null) return undefined;
  const periods = (calendar as { periods?: unknown }).periods;
  if (!Array.isArray(periods)) return undefined;
  const p = (periods as { period?: unknown; label?: unknown }[]).find((x) => x.period === period);
  return typeof p?.label === 'string' ? p.label : undefined;
}

export function reminderActivities(deps: JobDeps): ReminderActivities {
  const { prisma, log } = deps;

  async function sendReminder(r: ReminderInput): Promise<void> {
    log.info('reminder', { evaluationId: r.evaluationId, kind: r.kind, period: r.period, assigneeId: r.assigneeId, dueAt: r.dueAt });
    await prisma.$transaction(
      async (tx) => {
        const cycle = await tx.evaluation.findUnique({ where: { id: r.evaluationId }, select: { cycle: { select: { calendar: true } } } });
        await writeOutbox(tx, r.regionId, [notificationOfReminder(r, labelFrom(cycle?.cycle.calendar, r.period))], deps.now());
        await appendAudit(tx, {
          regionId: r.regionId,
          action: 'reminder.sent',
          entityType: 'Task',
          entityId: taskKey(r.evaluationId, r.kind, r.period),
          after: { assigneeId: r.assigneeId, dueAt: r.dueAt },
          at: new Date(r.at),
        });
      },
      { timeout: 20_000, maxWait: 20_000 },
    );
  }

  return { sendReminder: logged(log, 'sendReminder', sendReminder) };
}
