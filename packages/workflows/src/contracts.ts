/**
 * The workflows' public contract: names, inputs, updates, signals and queries.
 * The API imports this file (through the package root) and reaches workflows only through the Temporal client.
 * Changing a name or a payload shape here breaks running cycles: add, never rename.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { Calendar, CycleCalendar, Flag, Phase, Predikat, Rating, TaskKind } from '@kinerja/domain';

export const TASK_QUEUE = 'kinerja';

/** How long the API replays an Idempotency-Key's answer; the maintenance workflow deletes records older than this. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

export const evaluationWorkflowId = (cycleId: string, employeeId: string) => `evaluation/${cycleId}/${employeeId}`;
export const cycleWorkflowId = (cycleId: string) => `cycle/${cycleId}`;

/** Who acts: the API resolves the person from the login and delegation data before calling an update. */
export interface Actor {
  userId: string;
  employeeId: string;
  /** set when acting for someone else (Plt/Plh delegation or escalation) */
  actingForId?: string | undefined;
  requestId?: string | undefined;
}

export interface EvaluationInput {
  evaluationId: string;
  cycleId: string;
  regionId: string;
  employeeId: string;
  /** pejabat penilai (direct superior); null when the employee has none (e.g. the regional secretary) */
  supervisorId: string | null;
  /** atasan pejabat penilai (the superior's superior), for appeals and escalations */
  reviewerId: string | null;
  ruleSetVersionId: string;
  calendar: Calendar;
  /** number of reporting periods (12 monthly, 4 quarterly) */
  periods: number;
  /**
   * SE MenPANRB 03/2023 unit calibration: after the annual score the result waits (phase CALIBRATION) until the
   * admin finalises the unit's distribution or sends it back for re-rating; only then does the keberatan window open.
   * Absent on runs started before this existed (and guarded by `patched('unit-calibration')`).
   */
  calibration?: boolean | undefined;
  /**
   * When the cycle's fan-out opened this evaluation (ISO): the target-setting deadlines count from it, so everybody
   * in a batch shares one calendar however long the workflow waits for its first task. Absent on runs started
   * before it existed (and on direct starts): the workflow's own start time is used.
   */
  openedAt?: string | undefined;
  /**
   * The fan-out already wrote the first projection (seq 1: phase, the SUBMIT_TARGETS task, the audit event) for the
   * whole batch in one transaction, so the workflow does not write it again (patch 'cycle-projects-start').
   */
  projected?: boolean | undefined;
  /**
   * The cycle's calendar, fixed when it opened: calendar periods in the region's zone and the holidays that working-day
   * deadlines skip (patch 'cycle-calendar'). Absent on runs started before calendars existed and on direct starts:
   * periods then run back to back from the SKP's approval, each `calendar.periodLength` long.
   */
  cycleCalendar?: CycleCalendar | undefined;
}

export interface CycleInput {
  cycleId: string;
  regionId: string;
  /** resume point for continue-as-new */
  cursor?: string | null;
  batchSize?: number;
}

/** NOT_APPLICABLE: the period ended before the SKP was approved and the rule set asks no report for it. */
export type ReportState = 'OPEN' | 'SUBMITTED' | 'REVISION_REQUESTED' | 'REVIEWED' | 'MISSING' | 'NOT_APPLICABLE';

export interface PeriodView {
  period: number;
  /** the period's name, e.g. "Januari 2027" or "Triwulan I 2027" ("Januari" on a compressed calendar) */
  label?: string | undefined;
  state: ReportState;
  late: boolean;
  rating?: Rating | undefined;
  /** ISO timestamps */
  opensAt?: string | undefined;
  /** the period's end (exclusive): the next period's start */
  endsAt?: string | undefined;
  dueAt?: string | undefined;
  cutoffAt?: string | undefined;
  /** how often the report was (re)submitted */
  revision?: number | undefined;
  /** no further action possible on this period (reviewed, missing, or its hard stop passed) */
  settled?: boolean | undefined;
  /** ISO time of the latest submission */
  submittedAt?: string | undefined;
  /** ISO time by which the supervisor should review */
  reviewDueAt?: string | undefined;
}

export interface OpenTask {
  kind: TaskKind;
  period?: number | undefined;
  assigneeId: string;
  /** whom the assignee acts for when the task was escalated */
  actingForId?: string | undefined;
  escalated: boolean;
  dueAt?: string | undefined;
}

export interface ResultView {
  hasilKerja: Rating;
  perilaku: Rating;
  predikat: Predikat;
  numericScore: number;
  flags: Flag[];
  reasons: string[];
  final: boolean;
}

export interface EvaluationState {
  evaluationId: string;
  phase: Phase;
  skpStatus: 'DRAFT' | 'SUBMITTED' | 'RETURNED' | 'APPROVED';
  supervisorId: string | null;
  reviewerId: string | null;
  periods: PeriodView[];
  openTasks: OpenTask[];
  result?: ResultView | undefined;
  appeal?:
    | {
        status: 'FILED' | 'RESPONSE_REQUESTED' | 'DECIDED';
        deadline?: string | undefined;
        /** the supervisor answered a requestAppealResponse */
        responded?: boolean | undefined;
        /** UPHOLD | REVISE | LAPSED (no decision by the deadline) */
        decision?: string | undefined;
      }
    | undefined;
  appealDeadline?: string | undefined;
  closedReason?: string | undefined;
  /** projection sequence (Evaluation.seq once written) */
  seq?: number | undefined;
  /** ISO deadline of target setting */
  targetDeadline?: string | undefined;
  /** projections the worker refused for good (query only; also in the ProjectionFailure table) */
  projectionFailures?: ProjectionFailureView[] | undefined;
}

/** A projection write that cannot succeed by retrying (e.g. data PostgreSQL refuses); the year goes on without it. */
export interface ProjectionFailureView {
  seq: number;
  /** why: the SQLSTATE (e.g. 22P05) or error class (PRISMA_VALIDATION, SERIALISATION) the worker classified */
  code: string;
  message: string;
}

export interface UpdateResult {
  ok: true;
  phase: Phase;
}

// Updates: the user commands, one row each in ./commands.ts (COMMAND_UPDATES). Each is validated by the workflow
// (wrong phase, wrong actor → rejected with an ApplicationFailure whose `type` is a ProblemCode such as WRONG_PHASE
// or FORBIDDEN), and returns only after the database projection is written.

// Signals: organisational changes that flow into running cycles.
export const changeSupervisor = defineSignal<[{ supervisorId: string | null; reviewerId: string | null; by: string }]>('changeSupervisor');
export const closeEvaluation = defineSignal<[{ reason: string; by: string }]>('closeEvaluation');
/** The admin's unit calibration decision: FINALISED opens the keberatan window, SENT_BACK reopens the annual rating. */
export const unitCalibrated = defineSignal<[{ decision: 'FINALISED' | 'SENT_BACK'; reason: string; by: string }]>('unitCalibrated');

export const getState = defineQuery<EvaluationState>('getState');

export interface CycleProgress {
  total: number;
  started: number;
  done: boolean;
}
export const getCycleProgress = defineQuery<CycleProgress>('getCycleProgress');
