/**
 * Which notifications a projection or a reminder produces. Pure: the same input gives the same intents with the same
 * keys, so a retried projection or reminder finds its rows already written and inserts nothing twice.
 *
 *   REMINDER         each reminder → its assignee
 *   ESCALATION       a task escalated → the official it moved to
 *   SKP_RETURNED     the SKP returned with a note → the employee
 *   PERIOD_FEEDBACK  a period report rated or sent back for revision → the employee
 *   ANNUAL_RESULT    the result becomes visible (the keberatan window opens) → the employee, with the window's end
 *   APPEAL_DECISION  the year becomes FINAL after a keberatan (upheld, revised, or lapsed) → the employee
 */
import type { ProjectInput, ReminderInput } from '@kinerja/workflows';
import type { NotificationIntent } from './payload.js';

const periodFields = (input: ProjectInput, period: number | undefined) => {
  if (period === undefined) return {};
  const label = input.state.periods.find((p) => p.period === period)?.label;
  return { period, ...(label !== undefined ? { periodLabel: label } : {}) };
};

/** A deadline worth telling: one still ahead of the change (a lapsed target deadline is no date to act by). */
const ahead = (deadline: string | undefined, at: string): deadline is string => deadline !== undefined && Date.parse(deadline) > Date.parse(at);

export function notificationsOfProjection(input: ProjectInput): NotificationIntent[] {
  const { evaluationId, employeeId, seq, state } = input;
  const out: NotificationIntent[] = [];
  const add = (index: number, recipientId: string, facts: NotificationIntent['facts']) =>
    out.push({ recipientId, evaluationId, key: `${evaluationId}:${seq}:${index}:${facts.event}:${recipientId}`, facts });
  const result = state.result
    ? { predikat: state.result.predikat, hasilKerja: state.result.hasilKerja, perilaku: state.result.perilaku, numericScore: state.result.numericScore }
    : undefined;

  for (const [i, c] of input.changes.entries()) {
    switch (c.kind) {
      case 'ESCALATED': {
        if (!c.to) break;
        const task = state.openTasks.find((t) => t.kind === c.task && t.period === c.period && t.assigneeId === c.to);
        add(i, c.to, {
          event: 'ESCALATION',
          task: c.task,
          ...periodFields(input, c.period),
          ...(ahead(task?.dueAt, c.at) ? { dueAt: task.dueAt } : {}),
          fromId: c.from,
        });
        break;
      }
      case 'SKP_DECIDED':
        if (c.input.decision !== 'RETURN') break;
        add(i, employeeId, {
          event: 'SKP_RETURNED',
          note: c.input.note ?? null,
          byId: c.actor.employeeId,
          ...(ahead(state.targetDeadline, c.at) ? { targetDeadline: state.targetDeadline } : {}),
        });
        break;
      case 'REPORT_REVIEWED': {
        const p = state.periods.find((x) => x.period === c.period);
        add(i, employeeId, {
          event: 'PERIOD_FEEDBACK',
          ...periodFields(input, c.period),
          period: c.period,
          decision: c.input.decision,
          ...(c.input.decision === 'RATE' ? { rating: c.input.rating } : {}),
          feedback: c.input.feedback,
          byId: c.actor.employeeId,
          ...(c.input.decision === 'REQUEST_REVISION' && ahead(p?.cutoffAt, c.at) ? { cutoffAt: p.cutoffAt } : {}),
        });
        break;
      }
      case 'PHASE_CHANGED':
        if (!result) break;
        if (c.to === 'APPEAL_WINDOW') {
          add(i, employeeId, { event: 'ANNUAL_RESULT', ...result, ...(state.appealDeadline ? { appealDeadline: state.appealDeadline } : {}) });
        } else if (c.to === 'FINAL' && state.appeal?.status === 'DECIDED') {
          const d = state.appeal.decision;
          const decision = d === 'UPHOLD' || d === 'REVISE' ? d : 'LAPSED';
          add(i, employeeId, { event: 'APPEAL_DECISION', decision, ...result });
        }
        break;
      default:
        break;
    }
  }
  return out;
}

export function notificationOfReminder(r: ReminderInput, periodLabel?: string): NotificationIntent {
  return {
    recipientId: r.assigneeId,
    evaluationId: r.evaluationId,
    key: `${r.evaluationId}:REMINDER:${r.kind}:${r.period ?? '-'}:${r.dueAt}:${r.assigneeId}`,
    facts: {
      event: 'REMINDER',
      task: r.kind,
      ...(r.period !== undefined ? { period: r.period } : {}),
      ...(periodLabel !== undefined ? { periodLabel } : {}),
      dueAt: r.dueAt,
    },
  };
}
