/**
 * Reminders of open tasks. No notification channel exists yet: a reminder is an audit event (queryable, shown in the
 * inbox history) and a log line.
 */
import { appendAudit } from '@kinerja/db';
import type { Activities, ReminderInput } from '@kinerja/workflows';
import { logged, taskKey, type JobDeps } from './shared.js';

type ReminderActivities = Pick<Activities, 'sendReminder'>;

export function reminderActivities(deps: JobDeps): ReminderActivities {
  const { prisma, log } = deps;

  async function sendReminder(r: ReminderInput): Promise<void> {
    log.info('reminder', { evaluationId: r.evaluationId, kind: r.kind, period: r.period, assigneeId: r.assigneeId, dueAt: r.dueAt });
    await appendAudit(prisma, {
      regionId: r.regionId,
      action: 'reminder.sent',
      entityType: 'Task',
      entityId: taskKey(r.evaluationId, r.kind, r.period),
      after: { assigneeId: r.assigneeId, dueAt: r.dueAt },
      at: new Date(r.at),
    });
  }

  return { sendReminder: logged(log, 'sendReminder', sendReminder) };
}
