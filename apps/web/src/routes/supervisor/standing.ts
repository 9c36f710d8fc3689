import type { TaskKind } from '@kinerja/domain';
import type { EvaluationDetail, Me, TaskList } from '../../api/queries';

/** Of GET /me: the user's employee record and whom they act for. */
export type SignedIn = { employee: Pick<NonNullable<Me['employee']>, 'id'> | null; actingFor: Me['actingFor'] };

/** The employee ids the signed-in user acts as: their own, and those they act for now (Plt/Plh delegations). */
export function myIds(me: SignedIn): ReadonlySet<string> {
  return new Set([...(me.employee ? [me.employee.id] : []), ...me.actingFor]);
}

export interface OpenTaskView {
  kind: TaskKind;
  period: number | null;
  assigneeId: string;
  actingForId: string | null;
  escalated: boolean;
  dueAt: string | null;
}

/** What the standing is read from: who rates and reviews, and the open tasks (live, else as projected). */
export interface StandingSource {
  evaluation: Pick<EvaluationDetail['evaluation'], 'supervisorId' | 'reviewerId' | 'tasks'>;
  workflow: Pick<NonNullable<EvaluationDetail['workflow']>, 'supervisorId' | 'reviewerId' | 'openTasks'> | null;
}

/** The open tasks of one evaluation: the workflow's live list when it answered, else the projection's. */
export function openTasksOf(d: StandingSource): OpenTaskView[] {
  if (d.workflow)
    return d.workflow.openTasks.map((t) => ({
      kind: t.kind,
      period: t.period ?? null,
      assigneeId: t.assigneeId,
      actingForId: t.actingForId ?? null,
      escalated: t.escalated,
      dueAt: t.dueAt ?? null,
    }));
  return d.evaluation.tasks.map((t) => ({
    kind: t.kind,
    period: t.period,
    assigneeId: t.assigneeId,
    actingForId: t.actingForId,
    escalated: t.escalated,
    dueAt: t.dueAt,
  }));
}

/**
 * Where the signed-in user stands on one evaluation: its pejabat penilai (themself or as Plt/Plh), its atasan
 * pejabat penilai, and the open tasks that are theirs (an escalated task lets its assignee act in the rater's place).
 * The API decides; this only chooses which forms to offer.
 */
export interface Standing {
  supervisor: boolean;
  /** the rater is someone the user acts for (Plt/Plh) */
  actingFor: boolean;
  reviewer: boolean;
  myTasks: OpenTaskView[];
  /** a command of this task kind (and period) is the user's to send */
  may: (kind: TaskKind, period?: number) => boolean;
}

export function standingOf(me: SignedIn, d: StandingSource): Standing {
  const ids = myIds(me);
  const supervisorId = d.workflow?.supervisorId ?? d.evaluation.supervisorId;
  const reviewerId = d.workflow?.reviewerId ?? d.evaluation.reviewerId;
  const supervisor = supervisorId !== null && ids.has(supervisorId);
  const reviewer = reviewerId !== null && ids.has(reviewerId);
  const myTasks = openTasksOf(d).filter((t) => ids.has(t.assigneeId));
  const byRole: Record<TaskKind, boolean> = {
    SUBMIT_TARGETS: false,
    SUBMIT_REPORT: false,
    APPROVE_TARGETS: supervisor,
    REVIEW_PERIOD: supervisor,
    ANNUAL_RATING: supervisor,
    RESPOND_APPEAL: supervisor,
    DECIDE_APPEAL: reviewer,
  };
  return {
    supervisor,
    actingFor: supervisor && supervisorId !== me.employee?.id,
    reviewer,
    myTasks,
    may: (kind, period) => byRole[kind] || myTasks.some((t) => t.kind === kind && (period === undefined || t.period === period)),
  };
}

export type Task = TaskList['items'][number];

/** Whether a task from the inbox is done for someone else (Plt/Plh) or was escalated to the user. */
export const isActingTask = (t: Task) => t.actingForId !== null;
