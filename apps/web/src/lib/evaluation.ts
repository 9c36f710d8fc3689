import type { EvaluationDetail } from '../api/queries';
import type { Tone } from '../components/basic';

/** The workflow's live state as GET /evaluations/{id} answers it. */
export type EvaluationState = NonNullable<EvaluationDetail['workflow']>;
export type PeriodView = EvaluationState['periods'][number];
export type Projection = EvaluationDetail['evaluation'];
export type ReportRow = Projection['reports'][number];

/**
 * The periods to show: the workflow's live view when it answered, otherwise what the projection recorded (state
 * and lateness only: the dates live in the workflow).
 */
export function periodsOf(d: EvaluationDetail): PeriodView[] {
  if (d.workflow) return d.workflow.periods;
  return d.evaluation.reports.map((r) => ({
    period: r.period,
    state: r.status,
    late: r.late,
    ...(r.rating ? { rating: r.rating } : {}),
    revision: r.revision,
  }));
}

export const skpStatusOf = (d: EvaluationDetail) => d.workflow?.skpStatus ?? d.evaluation.skp?.status ?? 'DRAFT';

export function periodTone(p: PeriodView, now: number): Tone {
  if (p.state === 'REVIEWED') return 'ok';
  if (p.state === 'MISSING') return 'bad';
  if (p.state === 'REVISION_REQUESTED') return 'warn';
  if (p.state === 'SUBMITTED') return 'info';
  if (p.state === 'NOT_APPLICABLE') return 'neutral';
  return p.opensAt && Date.parse(p.opensAt) > now ? 'neutral' : 'info';
}

type OpenTask = EvaluationState['openTasks'][number];

/** The ASN's open task to report a period, when the workflow offers one (a revision carries its own due time). */
export const reportTask = (d: EvaluationDetail, period: number): OpenTask | undefined =>
  d.workflow?.openTasks.find((t) => t.kind === 'SUBMIT_REPORT' && t.period === period);

/**
 * A period the ASN can still (re)submit: open, submitted or sent back, not settled, started, and either the workflow
 * offers the task or the period's hard stop is ahead.
 */
export function canReport(p: PeriodView, skpApproved: boolean, now: number, task?: OpenTask): boolean {
  if (!skpApproved || p.settled) return false;
  if (p.state !== 'OPEN' && p.state !== 'SUBMITTED' && p.state !== 'REVISION_REQUESTED') return false;
  if (p.opensAt && Date.parse(p.opensAt) > now) return false;
  if (task) return true;
  if (p.cutoffAt && Date.parse(p.cutoffAt) <= now) return false;
  return true;
}

/**
 * The deadline that matters next for a period: a revision's own due time; otherwise on time until dueAt, then
 * accepted late until cutoffAt.
 */
export function nextPeriodDeadline(p: PeriodView, now: number, task?: OpenTask): { at: string; late: boolean } | null {
  if (p.state === 'REVISION_REQUESTED' && task?.dueAt && Date.parse(task.dueAt) > now) return { at: task.dueAt, late: false };
  if (p.dueAt && Date.parse(p.dueAt) > now) return { at: p.dueAt, late: false };
  if (p.cutoffAt && Date.parse(p.cutoffAt) > now) return { at: p.cutoffAt, late: true };
  return null;
}

export const reportOf = (d: EvaluationDetail, period: number): ReportRow | undefined => d.evaluation.reports.find((r) => r.period === period);
export const periodReviews = (d: EvaluationDetail, period: number) => d.evaluation.reviews.filter((r) => r.kind === 'PERIOD' && r.period === period);

/** The score that counts: the final one once there is one, else the initial (before a keberatan or calibration). */
export function scoreOf<S extends { kind: 'INITIAL' | 'FINAL' }>(scores: readonly S[]): S | undefined {
  return scores.find((s) => s.kind === 'FINAL') ?? scores.find((s) => s.kind === 'INITIAL');
}

/**
 * The cascade: the title of the pejabat penilai's RHK an RHK supports; null when it supports none, undefined when the
 * superior's SKP no longer has that RHK.
 */
export function supportedRhkTitle(superiorRhk: EvaluationDetail['superiorRhk'], parentRhkId: string | null): string | null | undefined {
  if (parentRhkId === null) return null;
  return superiorRhk.find((r) => r.id === parentRhkId)?.title;
}
