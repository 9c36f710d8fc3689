/**
 * The activity interface the workflows call (`proxyActivities<Activities>` / `proxyLocalActivities<Activities>`).
 * The worker implements it (`createActivities` in @kinerja/worker); workflows import only this type, never worker
 * code, so the import direction stays workflows → domain.
 */
import type {
  AnnualRatingInput,
  AppealDecisionInput,
  AppealInput,
  AppealResponseInput,
  BehaviourRatings,
  PeriodReportInput,
  PeriodReviewInput,
  Rating,
  SkpDraftInput,
  TargetDecisionInput,
  TaskKind,
} from '@kinerja/domain';
import type { Actor, EvaluationState, ResultView } from './contracts.js';
import type { SimulationActivities } from './workflows/simulation.js';
import type { MaintenanceActivities } from './workflows/maintenance.js';

/** Who caused a change: a person (through an update) or the system (a deadline, an organisational signal). */
export type ChangeActor = Actor | { system: true; by?: string | undefined };

/** One fact to write to the projection and to the audit trail; `at` is the workflow time (ISO). */
export type Change = { at: string } & (
  | { kind: 'EVALUATION_STARTED' }
  | { kind: 'SKP_SUBMITTED'; actor: Actor; skp: SkpDraftInput; revision: number }
  | { kind: 'SKP_DECIDED'; actor: Actor; input: TargetDecisionInput; escalated: boolean }
  | { kind: 'SKP_LAPSED'; status: string }
  | { kind: 'REPORT_SUBMITTED'; actor: Actor; period: number; input: PeriodReportInput; late: boolean; revision: number }
  | { kind: 'REPORT_REVIEWED'; actor: Actor; period: number; input: PeriodReviewInput; escalated: boolean }
  | { kind: 'REPORT_MISSING'; period: number }
  | { kind: 'REPORT_UNREVIEWED'; period: number }
  | { kind: 'ESCALATED'; task: TaskKind; period?: number | undefined; from: string | null; to: string | null }
  | { kind: 'ANNUAL_RATED'; actor: Actor; input: AnnualRatingInput; escalated: boolean }
  | { kind: 'ANNUAL_LAPSED' }
  | { kind: 'APPEAL_FILED'; actor: Actor; input: AppealInput; reviewerId: string | null }
  | { kind: 'APPEAL_RESPONSE_REQUESTED'; actor: Actor }
  | { kind: 'APPEAL_RESPONDED'; actor: Actor; input: AppealResponseInput }
  | { kind: 'APPEAL_DECIDED'; actor: Actor; input: AppealDecisionInput }
  | { kind: 'APPEAL_LAPSED' }
  /** the INITIAL score becomes FINAL unchanged (no appeal, appeal upheld or lapsed) */
  | { kind: 'FINALIZED' }
  | { kind: 'PHASE_CHANGED'; from: string; to: string }
  | {
      kind: 'SUPERVISOR_CHANGED';
      by: string;
      from: { supervisorId: string | null; reviewerId: string | null };
      to: { supervisorId: string | null; reviewerId: string | null };
    }
  | { kind: 'CLOSED'; by: string; reason: string }
  /** the unit calibration decision (SE MenPANRB 03/2023); LAPSED when nobody decided before the hard stop */
  | { kind: 'CALIBRATED'; decision: 'FINALISED' | 'SENT_BACK' | 'LAPSED'; by: string | null; reason: string; round: number }
);

export interface ProjectInput {
  evaluationId: string;
  cycleId: string;
  regionId: string;
  employeeId: string;
  /** strictly increasing per evaluation; a write whose seq is not above Evaluation.seq is skipped (idempotent retry) */
  seq: number;
  /** the workflow id (to create the Evaluation row when a workflow was started without the cycle) */
  workflowId: string;
  state: EvaluationState;
  changes: Change[];
}

export interface ReminderInput {
  evaluationId: string;
  regionId: string;
  kind: TaskKind;
  period?: number | undefined;
  assigneeId: string;
  dueAt: string;
  /** workflow time when the reminder was due (ISO) */
  at: string;
}

export interface ComputeScoreInput {
  evaluationId: string;
  ruleSetVersionId: string;
  kind: 'INITIAL' | 'FINAL';
  /** the assessor's annual rating (absent when the rating lapsed) */
  rating?: { hasilKerja: Rating; perilaku: BehaviourRatings } | undefined;
  /** workflow time (ISO), used as the Score's createdAt */
  at: string;
  /** calibration round: a higher round replaces the INITIAL score (re-rating after the unit sent it back) */
  round?: number | undefined;
}

export interface StartBatchInput {
  cycleId: string;
  cursor: string | null;
  batchSize: number;
}
export interface StartBatchResult {
  started: number;
  nextCursor: string | null;
  total: number;
}

/**
 * The ApplicationFailure type of a projection the worker gave up on: retrying cannot make the database accept it
 * (a data exception, an integrity violation, a payload Prisma refuses). Non-retryable; `details[0]` is
 * `{ code }` (the SQLSTATE or the error class). The workflow records it and goes on.
 */
export const PROJECTION_REJECTED = 'PROJECTION_REJECTED';

export interface Activities extends SimulationActivities, MaintenanceActivities {
  /** Write the evaluation's projection (Evaluation, Skp/Rhk/Indicator, PeriodReport, Review, Appeal, Task, audit). */
  project(input: ProjectInput): Promise<{ applied: boolean }>;
  /** Remind the assignee of an open task before its deadline (recorded as an audit event `reminder.sent` + log). */
  sendReminder(input: ReminderInput): Promise<void>;
  /** Gather facts, evaluate the pinned rule set, write the Score row (idempotent by evaluationId + kind). */
  computeScore(input: ComputeScoreInput): Promise<ResultView>;
  /** Upsert Evaluation rows and start evaluation workflows for one batch of the region's active employees. */
  startEvaluationBatch(input: StartBatchInput): Promise<StartBatchResult>;
  /** Mark the cycle OPEN once every employee's workflow is started. */
  markCycleOpen(input: { cycleId: string; total: number; started: number }): Promise<void>;
}
