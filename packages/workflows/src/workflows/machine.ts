/**
 * The evaluation state machine: pure, deterministic, no Temporal APIs. The workflow feeds it commands (updates),
 * signals and the clock (`tick`), and performs what comes out (projection changes, reminders, scoring requests).
 * Every wait has a deadline and every deadline has a hard stop, so a cycle always ends FINAL or CLOSED.
 *
 * Times are epoch milliseconds (workflow time).
 */
// Types only from @kinerja/domain, values only from its zod-free subpaths: this file runs in every workflow, and
// evaluating zod schemas there cost ~13 ms per workflow created (payload shapes are checked in ../payload.ts).
import { addSpan, periodLabel, spanOf, type CalendarPeriod, type Span, type WorkingCalendar } from '@kinerja/domain/calendar';
import { durationMs } from '@kinerja/domain/duration';
import type { BehaviourRatings, Calendar, Phase, Rating, TaskKind } from '@kinerja/domain';
import type { Change } from '../activities-contract.js';
import { indicatorId } from '../ids.js';
import type { EvaluationCommand } from '../commands.js';
import type { Actor, EvaluationInput, EvaluationState, OpenTask, PeriodView, ReportState, ResultView } from '../contracts.js';

export type ProblemType = 'WRONG_PHASE' | 'FORBIDDEN' | 'CONFLICT' | 'DEADLINE_PASSED' | 'NOT_FOUND' | 'VALIDATION_FAILED';
export interface Problem {
  type: ProblemType;
  message: string;
  /** the fields at fault (VALIDATION_FAILED), each by JSON pointer into the payload */
  errors?: FieldProblem[] | undefined;
}

/** The calendar's deadlines: fixed durations or working days (see `after`); periods and reminders are fixed. */
export interface Durations {
  /** a compressed calendar's period (and the period of runs that predate calendars) */
  periodLength: number;
  targetDeadline: Span;
  reportDeadline: Span;
  reportCutoff: Span;
  reviewDeadline: Span;
  ratingDeadline: Span;
  appealWindow: Span;
  appealDecisionDeadline: Span;
  reminderBefore: number;
}

export function durationsOf(c: Calendar): Durations {
  return {
    periodLength: durationMs(c.periodLength ?? '30d'),
    targetDeadline: spanOf(c.targetDeadline),
    reportDeadline: spanOf(c.reportDeadline),
    reportCutoff: spanOf(c.reportCutoff),
    reviewDeadline: spanOf(c.reviewDeadline),
    ratingDeadline: spanOf(c.ratingDeadline),
    appealWindow: spanOf(c.appealWindow ?? '14d'),
    appealDecisionDeadline: spanOf(c.appealDecisionDeadline),
    reminderBefore: durationMs(c.reminderBefore),
  };
}

/** `from` + a deadline span, in the state's working calendar (working days skip weekends and the cycle's holidays). */
const after = (s: MachineState, from: number, span: Span) => addSpan(from, span, s.cal);

/** A step with a deadline, a reminder before it, an escalation at it and a hard stop after it. */
interface Deadline {
  dueAt: number;
  hardAt: number;
  escalated: boolean;
  reminded: boolean;
}

export interface PeriodS {
  period: number;
  label?: string | undefined;
  opensAt: number;
  endsAt: number;
  dueAt: number;
  cutoffAt: number;
  /** hard stop: the period settles (unreviewed) when nothing happened by then */
  closesAt: number;
  opened: boolean;
  state: ReportState;
  late: boolean;
  /** the period ended before the SKP was approved and is reported late by the rule set's choice */
  lateByApproval?: boolean | undefined;
  revision: number;
  submittedAt?: number | undefined;
  reviewDueAt?: number | undefined;
  escalated: boolean;
  remindedReport: boolean;
  remindedReview: boolean;
  rating?: Rating | undefined;
  settled: boolean;
}

export interface ScoreRequest {
  kind: 'INITIAL' | 'FINAL';
  /** calibration round (0 until a unit sends the result back for re-rating) */
  round?: number | undefined;
  rating?: { hasilKerja: Rating; perilaku: BehaviourRatings } | undefined;
}

export interface MachineState {
  evaluationId: string;
  employeeId: string;
  periodCount: number;
  periodKind: 'MONTHLY' | 'QUARTERLY';
  d: Durations;
  /** working days skip weekends and these holidays in this zone; absent on runs that predate cycle calendars */
  cal?: WorkingCalendar | undefined;
  /** the cycle's calendar periods; absent: compressed periods from the SKP's approval */
  schedule?: CalendarPeriod[] | undefined;
  periodsBeforeApproval: 'NOT_APPLICABLE' | 'REPORT_LATE';
  escalation: boolean;
  seq: number;
  phase: Phase;
  supervisorId: string | null;
  reviewerId: string | null;
  skp: Deadline & {
    status: EvaluationState['skpStatus'];
    revision: number;
    /** indicators per RHK of the SKP as last submitted (the rows the projection wrote); absent until one is submitted */
    indicators?: number[] | undefined;
  };
  periodicStartAt?: number | undefined;
  periods: PeriodS[];
  annual?: (Deadline & { rating?: ScoreRequest['rating']; lapsed: boolean }) | undefined;
  scoreNeeded?: ScoreRequest | undefined;
  result?: ResultView | undefined;
  appealWindowEndsAt?: number | undefined;
  appeal?:
    | {
        status: 'FILED' | 'RESPONSE_REQUESTED' | 'DECIDED';
        filedAt: number;
        dueAt: number;
        reminded: boolean;
        responded: boolean;
        decision?: string | undefined;
      }
    | undefined;
  closedReason?: string | undefined;
  /** a close that arrived while a score was being computed: applied once the score is in (see the 'close' event) */
  closeAfterScore?: { reason: string; by: string } | undefined;
  /** the cycle waits for the unit's calibration after the INITIAL score (SE MenPANRB 03/2023) */
  calibration: boolean;
  calibrationRound: number;
  /** hard stop of the calibration wait: the result stands and the keberatan window opens */
  calibrationHardAt?: number | undefined;
}

/** A user command, as the table in ../commands.ts declares it: `{ type, actor, ...payload }`. */
export type Command = EvaluationCommand;

export type MachineEvent =
  | Command
  | { type: 'changeSupervisor'; supervisorId: string | null; reviewerId: string | null; by: string }
  /**
   * `afterScore`: a close arriving while a score is computed waits for it. The scoring activity writes the score row
   * itself, so a close applied at once could leave a CLOSED year with a FINAL score; waiting, the year ends as the
   * score leaves it (FINAL stays FINAL; after an INITIAL score the close applies). Runs recorded before
   * PATCH_CLOSE_AFTER_SCORE close at once.
   */
  | { type: 'close'; reason: string; by: string; afterScore?: boolean | undefined }
  | { type: 'tick' }
  | { type: 'scored'; kind: 'INITIAL' | 'FINAL'; result: ResultView }
  | { type: 'calibrated'; decision: 'FINALISED' | 'SENT_BACK'; reason: string; by: string };

export interface Reminder {
  kind: TaskKind;
  period?: number | undefined;
  assigneeId: string;
  dueAt: number;
}

export interface Step {
  state: MachineState;
  changes: Change[];
  reminders: Reminder[];
}

const iso = (ms: number) => new Date(ms).toISOString();
const TERMINAL: readonly Phase[] = ['FINAL', 'CLOSED'];
export const isTerminal = (s: MachineState) => TERMINAL.includes(s.phase);

/** Where the target-setting deadlines count from: the fan-out's opening time when given, else the workflow's start. */
export function openingTime(input: EvaluationInput, workflowNow: number): number {
  const at = input.openedAt === undefined ? NaN : Date.parse(input.openedAt);
  return Number.isFinite(at) ? at : workflowNow;
}

/**
 * The first projection of a new evaluation (seq 1), exactly as the workflow would write it: the cycle's fan-out
 * writes it for a whole batch at once (EvaluationInput.projected).
 */
export function initialView(input: EvaluationInput, openedAt: number): EvaluationState {
  return view(initialState(input, openedAt));
}

export function initialState(input: EvaluationInput, now: number): MachineState {
  const d = durationsOf(input.calendar);
  const cc = input.cycleCalendar;
  const s: MachineState = {
    evaluationId: input.evaluationId,
    employeeId: input.employeeId,
    periodCount: input.periods,
    periodKind: input.calendar.periodKind === 'QUARTERLY' ? 'QUARTERLY' : 'MONTHLY',
    d,
    ...(cc ? { cal: { timeZone: cc.timeZone, holidays: cc.holidays } } : {}),
    ...(cc && !cc.compressed && cc.periods.length ? { schedule: cc.periods } : {}),
    periodsBeforeApproval: input.calendar.periodsBeforeApproval === 'REPORT_LATE' ? 'REPORT_LATE' : 'NOT_APPLICABLE',
    escalation: (input.calendar.escalation ?? 'SUPERIORS_SUPERIOR') === 'SUPERIORS_SUPERIOR',
    // 1: the first projection (EVALUATION_STARTED) must win over the row the cycle created with seq 0
    seq: 1,
    phase: 'TARGET_SETTING',
    supervisorId: input.supervisorId,
    reviewerId: input.reviewerId,
    skp: { status: 'DRAFT', revision: 0, dueAt: now, hardAt: now, escalated: false, reminded: false },
    periods: [],
    calibration: input.calibration === true,
    calibrationRound: 0,
  };
  s.skp.dueAt = after(s, now, d.targetDeadline);
  s.skp.hardAt = after(s, s.skp.dueAt, d.targetDeadline);
  return s;
}

// ------------------------------------------------------------------------------------------------ who may act

const is = (actor: Actor, id: string | null | undefined) => !!id && (actor.employeeId === id || actor.actingForId === id);

/** Who holds a supervisor-side task: the supervisor, or the reviewer when escalated or when there is no supervisor. */
export function supervisorSide(s: MachineState, escalated: boolean): { assigneeId: string | null; actingForId?: string | undefined } {
  if (escalated && s.reviewerId) return { assigneeId: s.reviewerId, actingForId: s.supervisorId ?? undefined };
  if (s.supervisorId) return { assigneeId: s.supervisorId };
  return { assigneeId: s.reviewerId };
}

/** The supervisor may always act (also late); the reviewer once the task is escalated or when there is no supervisor. */
function mayActAsSupervisor(s: MachineState, actor: Actor, escalated: boolean): boolean {
  if (is(actor, s.supervisorId)) return true;
  if ((escalated || !s.supervisorId) && is(actor, s.reviewerId)) return true;
  return false;
}

const canEscalate = (s: MachineState) => s.escalation && !!s.supervisorId && !!s.reviewerId;

// ------------------------------------------------------------------------------------------------ validation

const p = (type: ProblemType, message: string): Problem => ({ type, message });
const wrongPhase = (s: MachineState) => p('WRONG_PHASE', `tindakan ini tidak tersedia pada tahap ${s.phase}`);
const forbidden = (who: string) => p('FORBIDDEN', `hanya ${who} yang boleh melakukan tindakan ini`);

const notApplicable = (period: number) => p('CONFLICT', `periode ${period} tidak berlaku: periode berakhir sebelum SKP disetujui`);

const BULAN = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];
const two = (n: number) => String(n).padStart(2, '0');

/** A keberatan after its window: DEADLINE_PASSED naming when the window closed (UTC, to the second: the demo year is minutes long). */
export function appealWindowClosed(endsAt: number): Problem {
  const d = new Date(endsAt);
  const when = `${d.getUTCDate()} ${BULAN[d.getUTCMonth()]} ${d.getUTCFullYear()} pukul ${two(d.getUTCHours())}.${two(d.getUTCMinutes())}.${two(d.getUTCSeconds())} UTC`;
  return p('DEADLINE_PASSED', `masa keberatan telah berakhir pada ${when}`);
}

/**
 * Why a command cannot be applied now (null when it can): phase, actor, deadlines and conflicts. `s` must already be
 * ticked to `now`. The payload's shape is checked separately, after this, by `payloadProblem` (../payload.ts).
 */
export function validate(s: MachineState, c: Command, now: number): Problem | null {
  if (s.phase === 'CLOSED') return p('WRONG_PHASE', 'penilaian sudah ditutup');
  switch (c.type) {
    case 'submitTargets': {
      if (s.phase !== 'TARGET_SETTING') return wrongPhase(s);
      if (c.actor.employeeId !== s.employeeId) return forbidden('pegawai yang dinilai');
      if (s.skp.status === 'SUBMITTED') return p('CONFLICT', 'SKP sedang menunggu persetujuan');
      if (s.skp.status === 'APPROVED') return p('CONFLICT', 'SKP sudah disetujui');
      if (now >= s.skp.hardAt) return p('DEADLINE_PASSED', 'batas waktu penyusunan SKP telah lewat');
      return null;
    }
    case 'decideTargets': {
      if (s.phase !== 'TARGET_SETTING') return wrongPhase(s);
      if (!mayActAsSupervisor(s, c.actor, s.skp.escalated)) return forbidden('pejabat penilai');
      if (s.skp.status !== 'SUBMITTED') return p('CONFLICT', 'tidak ada SKP yang menunggu persetujuan');
      return null;
    }
    case 'submitReport': {
      if (s.phase !== 'PERIODIC') return wrongPhase(s);
      if (c.actor.employeeId !== s.employeeId) return forbidden('pegawai yang dinilai');
      const per = s.periods[c.period - 1];
      if (!Number.isInteger(c.period) || !per) return p('NOT_FOUND', `periode ${c.period} tidak ada`);
      if (!per.opened) return p('CONFLICT', `periode ${c.period} belum dibuka`);
      if (per.state === 'NOT_APPLICABLE') return notApplicable(c.period);
      if (per.state === 'REVIEWED') return p('CONFLICT', `laporan periode ${c.period} sudah dinilai`);
      if (per.state === 'MISSING') return p('DEADLINE_PASSED', `batas akhir laporan periode ${c.period} telah lewat`);
      if (per.settled) return p('DEADLINE_PASSED', `periode ${c.period} sudah ditutup`);
      if (per.state === 'OPEN' && now >= per.cutoffAt) return p('DEADLINE_PASSED', `batas akhir laporan periode ${c.period} telah lewat`);
      return null;
    }
    case 'reviewReport': {
      if (s.phase !== 'PERIODIC') return wrongPhase(s);
      const per = s.periods[c.period - 1];
      if (!Number.isInteger(c.period) || !per) return p('NOT_FOUND', `periode ${c.period} tidak ada`);
      if (!mayActAsSupervisor(s, c.actor, per.escalated)) return forbidden('pejabat penilai');
      if (per.state === 'NOT_APPLICABLE') return notApplicable(c.period);
      if (per.settled && per.state !== 'REVIEWED') return p('DEADLINE_PASSED', `periode ${c.period} sudah ditutup`);
      if (per.state !== 'SUBMITTED') return p('CONFLICT', `laporan periode ${c.period} tidak menunggu penilaian (${per.state})`);
      return null;
    }
    case 'rateAnnual': {
      if (s.phase !== 'ANNUAL_RATING' || !s.annual) return wrongPhase(s);
      if (!mayActAsSupervisor(s, c.actor, s.annual.escalated)) return forbidden('pejabat penilai');
      if (s.annual.rating || s.annual.lapsed || s.scoreNeeded) return p('CONFLICT', 'penilaian tahunan sudah diberikan');
      return null;
    }
    case 'fileAppeal': {
      if (s.phase === 'APPEAL') return p('CONFLICT', 'keberatan sudah diajukan');
      // FINAL without an appeal: the window ran out (the tick that ended it finalised the result)
      if (s.phase === 'FINAL')
        return !s.appeal && s.appealWindowEndsAt !== undefined ? appealWindowClosed(s.appealWindowEndsAt) : p('DEADLINE_PASSED', 'hasil penilaian sudah final');
      if (s.phase !== 'APPEAL_WINDOW') return wrongPhase(s);
      if (c.actor.employeeId !== s.employeeId) return forbidden('pegawai yang dinilai');
      if (s.appealWindowEndsAt !== undefined && now >= s.appealWindowEndsAt) return appealWindowClosed(s.appealWindowEndsAt);
      return null;
    }
    case 'requestAppealResponse': {
      if (s.phase !== 'APPEAL' || !s.appeal) return wrongPhase(s);
      if (!is(c.actor, s.reviewerId)) return forbidden('atasan pejabat penilai');
      if (s.appeal.status !== 'FILED') return p('CONFLICT', `keberatan berstatus ${s.appeal.status}`);
      if (!s.supervisorId) return p('CONFLICT', 'tidak ada pejabat penilai yang dapat dimintai tanggapan');
      return null;
    }
    case 'respondAppeal': {
      if (s.phase !== 'APPEAL' || !s.appeal) return wrongPhase(s);
      if (!is(c.actor, s.supervisorId)) return forbidden('pejabat penilai');
      if (s.appeal.status !== 'RESPONSE_REQUESTED') return p('CONFLICT', 'tanggapan tidak diminta');
      return null;
    }
    case 'decideAppeal': {
      if (s.phase !== 'APPEAL' || !s.appeal) return wrongPhase(s);
      if (!is(c.actor, s.reviewerId)) return forbidden('atasan pejabat penilai');
      if (s.appeal.status === 'DECIDED') return p('CONFLICT', 'keberatan sudah diputus');
      return null;
    }
  }
}

/** A problem with one field of a command's payload: `pointer` is a JSON pointer into the payload (the request body). */
export interface FieldProblem {
  pointer: string;
  /** machine-readable reason, e.g. unknown_indicator or a zod issue code */
  code: string;
  message: string;
}

/**
 * Realisations may only name the indicators of the SKP on record (the last one submitted: approved, or lapsed while
 * waiting). Checked by the update validator only, never inside `reduce`: histories recorded before this check may
 * hold such reports, and replaying them must apply them as they were.
 */
export function realisationProblems(s: MachineState, c: Command): FieldProblem[] {
  if (c.type !== 'submitReport' || !Array.isArray(c.input?.realisations)) return [];
  const known = new Set<string>();
  (s.skp.indicators ?? []).forEach((n, i) => {
    for (let j = 0; j < n; j++) known.add(indicatorId(s.evaluationId, i, j));
  });
  const out: FieldProblem[] = [];
  c.input.realisations.forEach((r, i) => {
    if (!known.has(r.indicatorId)) {
      out.push({
        pointer: `/realisations/${i}/indicatorId`,
        code: 'unknown_indicator',
        message: known.size ? `indikator ${r.indicatorId} tidak ada dalam SKP` : 'belum ada SKP yang diajukan: tidak ada indikator untuk dilaporkan',
      });
    }
  });
  return out;
}

// ------------------------------------------------------------------------------------------------ reducer

type ChangeBody = Change extends infer C ? (C extends Change ? Omit<C, 'at'> : never) : never;

/** When the reviewer acts on an escalated task, record that they acted for the supervisor. */
const actingFor = (actor: Actor, escalated: boolean, supervisorId: string | null): Actor =>
  escalated && !actor.actingForId && supervisorId ? { ...actor, actingForId: supervisorId } : actor;

/** A mutable draft for one step; `reduce` clones the state first, so callers keep immutability. */
export class Draft {
  changes: Change[] = [];
  reminders: Reminder[] = [];
  dirty = false;
  constructor(
    public s: MachineState,
    public now: number,
  ) {}
  change(c: ChangeBody) {
    this.changes.push({ ...c, at: iso(this.now) });
    this.dirty = true;
  }
  touch() {
    this.dirty = true;
  }
  remind(kind: TaskKind, assigneeId: string | null, dueAt: number, period?: number) {
    this.dirty = true;
    if (assigneeId) this.reminders.push({ kind, assigneeId, dueAt, ...(period !== undefined ? { period } : {}) });
  }
  setPhase(to: Phase) {
    const from = this.s.phase;
    if (from === to) return;
    this.s.phase = to;
    this.change({ kind: 'PHASE_CHANGED', from, to });
  }
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** A period's deadlines, counted from `base`: its end, or the SKP's approval for a period reported late after it. */
function periodDeadlines(s: MachineState, base: number) {
  const cutoffAt = after(s, base, s.d.reportCutoff);
  return { dueAt: after(s, base, s.d.reportDeadline), cutoffAt, closesAt: after(s, after(s, cutoffAt, s.d.reviewDeadline), s.d.reviewDeadline) };
}

const newPeriod = (period: number, opensAt: number, endsAt: number, label: string | undefined, deadlines: ReturnType<typeof periodDeadlines>): PeriodS => ({
  period,
  ...(label !== undefined ? { label } : {}),
  opensAt,
  endsAt,
  ...deadlines,
  opened: false,
  state: 'OPEN',
  late: false,
  revision: 0,
  escalated: false,
  remindedReport: false,
  remindedReview: false,
  settled: false,
});

/**
 * The periods open when the SKP is approved (or lapses). On the cycle's calendar they are its months or quarters,
 * whatever the day; a period that already ended is not applicable, or open for a report counted late, as the rule set
 * says. On a compressed calendar they run back to back from now.
 */
function startPeriodic(dr: Draft) {
  const { s, now } = dr;
  s.periodicStartAt = now;
  s.periods = [];
  if (s.schedule) {
    for (const cp of s.schedule) {
      const opensAt = Date.parse(cp.startsAt);
      const endsAt = Date.parse(cp.endsAt);
      const ended = endsAt <= now;
      const per = newPeriod(cp.period, opensAt, endsAt, cp.label, periodDeadlines(s, ended ? now : endsAt));
      if (ended && s.periodsBeforeApproval === 'NOT_APPLICABLE') {
        per.opened = true;
        per.state = 'NOT_APPLICABLE';
        per.settled = true;
      } else if (ended) {
        per.lateByApproval = true;
      }
      s.periods.push(per);
    }
  } else {
    const L = s.d.periodLength;
    for (let i = 1; i <= s.periodCount; i++) {
      const opensAt = now + (i - 1) * L;
      const endsAt = opensAt + L;
      s.periods.push(newPeriod(i, opensAt, endsAt, s.cal ? periodLabel(s.periodKind, i) : undefined, periodDeadlines(s, endsAt)));
    }
  }
  dr.setPhase('PERIODIC');
}

function startAnnual(dr: Draft) {
  const { s, now } = dr;
  s.annual = {
    dueAt: after(s, now, s.d.ratingDeadline),
    hardAt: after(s, after(s, now, s.d.ratingDeadline), s.d.ratingDeadline),
    escalated: false,
    reminded: false,
    lapsed: false,
  };
  dr.setPhase('ANNUAL_RATING');
}

function openAppealWindow(dr: Draft) {
  dr.s.appealWindowEndsAt = after(dr.s, dr.now, dr.s.d.appealWindow);
  dr.s.calibrationHardAt = undefined;
  dr.setPhase('APPEAL_WINDOW');
}

function finalize(dr: Draft) {
  if (dr.s.result) dr.s.result = { ...dr.s.result, final: true };
  dr.change({ kind: 'FINALIZED' });
  dr.setPhase('FINAL');
}

// ------------------------------------------------------------------------------------------------ the deadline schedule

export type DeadlineKind =
  | 'SKP_REMINDER'
  | 'SKP_ESCALATION'
  | 'SKP_HARD_STOP'
  | 'PERIOD_OPENS'
  | 'REPORT_REMINDER'
  | 'REPORT_CUTOFF'
  | 'REVIEW_REMINDER'
  | 'REVIEW_ESCALATION'
  | 'PERIOD_HARD_STOP'
  | 'PERIODIC_ENDS'
  | 'ANNUAL_REMINDER'
  | 'ANNUAL_ESCALATION'
  | 'ANNUAL_HARD_STOP'
  | 'CALIBRATION_HARD_STOP'
  | 'APPEAL_WINDOW_ENDS'
  | 'APPEAL_REMINDER'
  | 'APPEAL_HARD_STOP';

/** One point of the state's deadline schedule: when it is due, what it is, and what it does to a step's draft. */
export interface DeadlinePoint {
  at: number;
  kind: DeadlineKind;
  period?: number | undefined;
  /**
   * Reminders only: a reminder is sent only before its deadline. Applied at or after `until` it is consumed
   * without sending anything, and nobody waits for it.
   */
  until?: number | undefined;
  /** Applies the point to the draft it was listed from; afterwards the point is no longer pending. */
  apply(dr: Draft): void;
}

/**
 * The single source of the deadlines: every point the state still waits for, in listing order (ties keep it).
 * `advanceClock` (what is due now) and `nextWakeAt` (when to wake next) are both derived from this list.
 */
export function pendingDeadlines(s: MachineState): DeadlinePoint[] {
  if (isTerminal(s) || s.scoreNeeded) return [];
  const d = s.d;
  const out: DeadlinePoint[] = [];
  const reminder = (kind: DeadlineKind, dueAt: number, send: (dr: Draft) => void, mark: () => void, period?: number) =>
    out.push({
      at: dueAt - d.reminderBefore,
      kind,
      until: dueAt,
      ...(period !== undefined ? { period } : {}),
      apply: (dr) => {
        mark();
        if (dr.now < dueAt) send(dr);
      },
    });
  /** A supervisor-side task not done by its deadline moves to the supervisor's superior (when the calendar says so). */
  const escalation = (kind: DeadlineKind, dueAt: number, task: TaskKind, mark: () => void, period?: number) =>
    out.push({
      at: dueAt,
      kind,
      ...(period !== undefined ? { period } : {}),
      apply: (dr) => {
        mark();
        dr.change({ kind: 'ESCALATED', task, ...(period !== undefined ? { period } : {}), from: s.supervisorId, to: s.reviewerId });
      },
    });
  switch (s.phase) {
    case 'TARGET_SETTING': {
      const k = s.skp;
      if (!k.reminded) {
        reminder(
          'SKP_REMINDER',
          k.dueAt,
          (dr) => {
            if (k.status === 'SUBMITTED') dr.remind('APPROVE_TARGETS', supervisorSide(s, false).assigneeId, k.dueAt);
            else dr.remind('SUBMIT_TARGETS', s.employeeId, k.dueAt);
          },
          () => (k.reminded = true),
        );
      }
      if (k.status === 'SUBMITTED' && !k.escalated && canEscalate(s)) escalation('SKP_ESCALATION', k.dueAt, 'APPROVE_TARGETS', () => (k.escalated = true));
      out.push({
        at: k.hardAt,
        kind: 'SKP_HARD_STOP',
        apply: (dr) => {
          dr.change({ kind: 'SKP_LAPSED', status: k.status });
          startPeriodic(dr);
        },
      });
      break;
    }
    case 'PERIODIC': {
      for (const per of s.periods) {
        if (per.settled) continue;
        const period = per.period;
        if (!per.opened) {
          out.push({ at: per.opensAt, kind: 'PERIOD_OPENS', period, apply: (dr) => ((per.opened = true), dr.touch()) });
          continue;
        }
        if (per.state === 'OPEN') {
          if (!per.remindedReport) {
            reminder(
              'REPORT_REMINDER',
              per.dueAt,
              (dr) => dr.remind('SUBMIT_REPORT', s.employeeId, per.dueAt, period),
              () => (per.remindedReport = true),
              period,
            );
          }
          out.push({
            at: per.cutoffAt,
            kind: 'REPORT_CUTOFF',
            period,
            apply: (dr) => {
              per.state = 'MISSING';
              per.settled = true;
              dr.change({ kind: 'REPORT_MISSING', period });
            },
          });
        } else if (per.state === 'SUBMITTED' && per.reviewDueAt !== undefined) {
          const due = per.reviewDueAt;
          if (!per.remindedReview) {
            reminder(
              'REVIEW_REMINDER',
              due,
              (dr) => dr.remind('REVIEW_PERIOD', supervisorSide(s, per.escalated).assigneeId, due, period),
              () => (per.remindedReview = true),
              period,
            );
          }
          if (!per.escalated && canEscalate(s)) escalation('REVIEW_ESCALATION', due, 'REVIEW_PERIOD', () => (per.escalated = true), period);
        }
        out.push({
          at: per.closesAt,
          kind: 'PERIOD_HARD_STOP',
          period,
          apply: (dr) => {
            // hard stop: an unreviewed report stays as submitted (no rating); a revision never resubmitted keeps the prior version
            if (per.state === 'REVISION_REQUESTED') per.state = 'SUBMITTED';
            per.settled = true;
            dr.change({ kind: 'REPORT_UNREVIEWED', period });
          },
        });
      }
      if (s.periods.every((x) => x.settled)) {
        const last = s.periods[s.periods.length - 1];
        out.push({ at: last ? last.endsAt : Number.NEGATIVE_INFINITY, kind: 'PERIODIC_ENDS', apply: startAnnual });
      }
      break;
    }
    case 'ANNUAL_RATING': {
      const a = s.annual!;
      if (a.rating || a.lapsed) break;
      if (!a.reminded) {
        reminder(
          'ANNUAL_REMINDER',
          a.dueAt,
          (dr) => dr.remind('ANNUAL_RATING', supervisorSide(s, a.escalated).assigneeId, a.dueAt),
          () => (a.reminded = true),
        );
      }
      if (!a.escalated && canEscalate(s)) escalation('ANNUAL_ESCALATION', a.dueAt, 'ANNUAL_RATING', () => (a.escalated = true));
      out.push({
        at: a.hardAt,
        kind: 'ANNUAL_HARD_STOP',
        apply: (dr) => {
          // nobody rated: the rule set scores on the recorded facts alone
          a.lapsed = true;
          s.scoreNeeded = { kind: 'INITIAL', round: s.calibrationRound };
          dr.change({ kind: 'ANNUAL_LAPSED' });
        },
      });
      break;
    }
    case 'CALIBRATION':
      if (s.calibrationHardAt !== undefined) {
        out.push({
          at: s.calibrationHardAt,
          kind: 'CALIBRATION_HARD_STOP',
          apply: (dr) => {
            dr.change({
              kind: 'CALIBRATED',
              decision: 'LAPSED',
              by: null,
              reason: 'batas waktu kalibrasi unit terlewati: hasil penilaian tetap',
              round: s.calibrationRound,
            });
            openAppealWindow(dr);
          },
        });
      }
      break;
    case 'APPEAL_WINDOW':
      if (s.appealWindowEndsAt !== undefined) out.push({ at: s.appealWindowEndsAt, kind: 'APPEAL_WINDOW_ENDS', apply: finalize });
      break;
    case 'APPEAL': {
      const ap = s.appeal;
      if (!ap || ap.status === 'DECIDED') break;
      if (!ap.reminded)
        reminder(
          'APPEAL_REMINDER',
          ap.dueAt,
          (dr) => dr.remind('DECIDE_APPEAL', s.reviewerId, ap.dueAt),
          () => (ap.reminded = true),
        );
      out.push({
        at: ap.dueAt,
        kind: 'APPEAL_HARD_STOP',
        apply: (dr) => {
          // no decision in time: the result stands
          ap.status = 'DECIDED';
          ap.decision = 'LAPSED';
          dr.change({ kind: 'APPEAL_LAPSED' });
          finalize(dr);
        },
      });
      break;
    }
    default:
      break;
  }
  return out;
}

/** The earliest pending point due at `now` (ties in listing order), if any. */
function firstDue(s: MachineState, now: number): DeadlinePoint | undefined {
  let first: DeadlinePoint | undefined;
  for (const p of pendingDeadlines(s)) if (p.at <= now && (!first || p.at < first.at)) first = p;
  return first;
}

/** Whether some deadline point is due at `now` (a tick at `now` would apply it). */
export const hasDue = (s: MachineState, now: number): boolean => firstDue(s, now) !== undefined;

/**
 * Apply every point due at `dr.now`, earliest first, re-listing after each one: a point may end a phase and list new
 * points (also due, when they count from a time already passed). Each application consumes its point, so this ends;
 * the bound only keeps `reduce` total against a malformed calendar.
 */
function advanceClock(dr: Draft) {
  for (let guard = 0; guard < 1_000; guard++) {
    const p = firstDue(dr.s, dr.now);
    if (!p) return;
    p.apply(dr);
  }
}

function applyCommand(dr: Draft, c: Command) {
  const { s, now } = dr;
  switch (c.type) {
    case 'submitTargets':
      s.skp.status = 'SUBMITTED';
      s.skp.revision += 1;
      // reduce stays total: a payload recorded before today's validators is counted as far as it has a shape
      s.skp.indicators = Array.isArray(c.skp?.rhk) ? c.skp.rhk.map((r) => (Array.isArray(r?.indicators) ? r.indicators.length : 0)) : [];
      dr.change({ kind: 'SKP_SUBMITTED', actor: c.actor, skp: c.skp, revision: s.skp.revision });
      // submitted after the deadline: the approval is due now, so it escalates at once
      advanceClock(dr);
      return;
    case 'decideTargets': {
      const escalated = s.skp.escalated && !is(c.actor, s.supervisorId);
      dr.change({ kind: 'SKP_DECIDED', actor: actingFor(c.actor, escalated, s.supervisorId), input: c.input, escalated });
      if (c.input.decision === 'APPROVE') {
        s.skp.status = 'APPROVED';
        startPeriodic(dr);
        advanceClock(dr);
      } else {
        s.skp.status = 'RETURNED';
      }
      return;
    }
    case 'submitReport': {
      const per = s.periods[c.period - 1]!;
      const first = per.state === 'OPEN';
      if (first) per.late = now > per.dueAt || per.lateByApproval === true;
      per.state = 'SUBMITTED';
      per.revision += 1;
      per.submittedAt = now;
      per.reviewDueAt = Math.min(after(s, Math.max(now, per.endsAt), s.d.reviewDeadline), per.closesAt);
      per.remindedReview = false;
      dr.change({ kind: 'REPORT_SUBMITTED', actor: c.actor, period: c.period, input: c.input, late: per.late, revision: per.revision });
      return;
    }
    case 'reviewReport': {
      const per = s.periods[c.period - 1]!;
      const escalated = per.escalated && !is(c.actor, s.supervisorId);
      dr.change({ kind: 'REPORT_REVIEWED', actor: actingFor(c.actor, escalated, s.supervisorId), period: c.period, input: c.input, escalated });
      if (c.input.decision === 'RATE') {
        per.state = 'REVIEWED';
        per.rating = c.input.rating;
        per.settled = true;
        advanceClock(dr);
      } else {
        per.state = 'REVISION_REQUESTED';
        per.escalated = false;
      }
      return;
    }
    case 'rateAnnual': {
      const a = s.annual!;
      a.rating = { hasilKerja: c.input.hasilKerja, perilaku: c.input.perilaku };
      s.scoreNeeded = { kind: 'INITIAL', rating: a.rating, round: s.calibrationRound };
      const escalated = a.escalated && !is(c.actor, s.supervisorId);
      dr.change({ kind: 'ANNUAL_RATED', actor: actingFor(c.actor, escalated, s.supervisorId), input: c.input, escalated });
      return;
    }
    case 'fileAppeal':
      s.appeal = { status: 'FILED', filedAt: now, dueAt: after(s, now, s.d.appealDecisionDeadline), reminded: false, responded: false };
      dr.change({ kind: 'APPEAL_FILED', actor: c.actor, input: c.input, reviewerId: s.reviewerId });
      dr.setPhase('APPEAL');
      return;
    case 'requestAppealResponse':
      s.appeal!.status = 'RESPONSE_REQUESTED';
      dr.change({ kind: 'APPEAL_RESPONSE_REQUESTED', actor: c.actor });
      return;
    case 'respondAppeal':
      s.appeal!.status = 'FILED';
      s.appeal!.responded = true;
      dr.change({ kind: 'APPEAL_RESPONDED', actor: c.actor, input: c.input });
      return;
    case 'decideAppeal': {
      const ap = s.appeal!;
      ap.status = 'DECIDED';
      ap.decision = c.input.decision;
      dr.change({ kind: 'APPEAL_DECIDED', actor: c.actor, input: c.input });
      if (c.input.decision === 'UPHOLD') finalize(dr);
      else s.scoreNeeded = { kind: 'FINAL', rating: { hasilKerja: c.input.hasilKerja, perilaku: c.input.perilaku } };
      return;
    }
  }
}

function close(dr: Draft, c: { reason: string; by: string }) {
  dr.s.closedReason = c.reason;
  dr.s.scoreNeeded = undefined;
  dr.change({ kind: 'CLOSED', by: c.by, reason: c.reason });
  dr.setPhase('CLOSED');
}

/** Apply one event at time `now`. The clock is advanced first, so deadlines that passed are applied before it. */
export function reduce(state: MachineState, e: MachineEvent, now: number): Step {
  const dr = new Draft(clone(state), now);
  const s = dr.s;
  if (!isTerminal(s)) advanceClock(dr);
  switch (e.type) {
    case 'tick':
      break;
    case 'close':
      if (isTerminal(s)) break;
      if (s.scoreNeeded && e.afterScore) s.closeAfterScore = { reason: e.reason, by: e.by };
      else close(dr, e);
      break;
    case 'changeSupervisor': {
      if (isTerminal(s)) break;
      const from = { supervisorId: s.supervisorId, reviewerId: s.reviewerId };
      s.supervisorId = e.supervisorId;
      s.reviewerId = e.reviewerId;
      // open supervisor tasks move to the new supervisor with a fresh deadline (capped by the hard stop)
      if (s.phase === 'TARGET_SETTING' && s.skp.escalated) {
        s.skp.escalated = false;
        s.skp.reminded = false;
        s.skp.dueAt = Math.min(s.skp.hardAt, after(s, now, s.d.targetDeadline));
      }
      for (const per of s.periods) {
        if (per.escalated && !per.settled) {
          per.escalated = false;
          per.remindedReview = false;
          per.reviewDueAt = Math.min(per.closesAt, after(s, now, s.d.reviewDeadline));
        }
      }
      if (s.annual?.escalated && !s.annual.rating) {
        s.annual.escalated = false;
        s.annual.reminded = false;
        s.annual.dueAt = Math.min(s.annual.hardAt, after(s, now, s.d.ratingDeadline));
      }
      dr.change({ kind: 'SUPERVISOR_CHANGED', by: e.by, from, to: { supervisorId: s.supervisorId, reviewerId: s.reviewerId } });
      break;
    }
    case 'calibrated': {
      if (s.phase !== 'CALIBRATION') break; // a late or repeated decision changes nothing
      dr.change({ kind: 'CALIBRATED', decision: e.decision, by: e.by, reason: e.reason, round: s.calibrationRound });
      if (e.decision === 'FINALISED') openAppealWindow(dr);
      else {
        // sent back: the supervisor rates the year again; the new rating replaces the INITIAL score (next round)
        s.calibrationRound += 1;
        s.calibrationHardAt = undefined;
        s.result = undefined;
        startAnnual(dr);
      }
      break;
    }
    case 'scored': {
      if (isTerminal(s) || !s.scoreNeeded || s.scoreNeeded.kind !== e.kind) break;
      s.scoreNeeded = undefined;
      s.result = e.result;
      dr.touch();
      if (e.kind === 'INITIAL' && s.calibration) {
        // the result waits for the unit's distribution check; a hard stop keeps the year from hanging
        s.calibrationHardAt = after(s, after(s, now, s.d.ratingDeadline), s.d.ratingDeadline);
        dr.setPhase('CALIBRATION');
      } else if (e.kind === 'INITIAL') {
        openAppealWindow(dr);
      } else {
        s.result = { ...e.result, final: true };
        dr.setPhase('FINAL');
      }
      const waiting = s.closeAfterScore;
      s.closeAfterScore = undefined;
      if (waiting && !isTerminal(s)) close(dr, waiting);
      break;
    }
    default: {
      if (isTerminal(s)) break;
      if (validate(s, e, now)) break; // the update validator already rejected it; stay total
      applyCommand(dr, e);
    }
  }
  if (dr.dirty) s.seq += 1;
  return { state: s, changes: dr.changes, reminders: dr.reminders };
}

/**
 * The next moment at which a tick would change something: the earliest pending deadline point (undefined when nothing
 * is scheduled). Reminders whose deadline is already behind `now` are not waited for (a reminder is only sent before
 * its deadline).
 */
export function nextWakeAt(s: MachineState, now = Number.NEGATIVE_INFINITY): number | undefined {
  let next: number | undefined;
  for (const p of pendingDeadlines(s)) {
    if (p.until !== undefined && now >= p.until) continue;
    if (next === undefined || p.at < next) next = p.at;
  }
  return next;
}

/**
 * The next wake-up strictly after `now`, computed on a copy advanced to `now`. The workflow first applies what is due
 * to its real state (`hasDue`, then a tick), after which the copy's advance changes nothing and this equals
 * `nextWakeAt`; runs from before PATCH_APPLY_DUE_FIRST (evaluation.ts) skip that step, and there the copy may pass
 * deadlines the real state applies only at the next timer.
 */
export function nextWakeAfter(s: MachineState, now: number): number | undefined {
  const ticked = hasDue(s, now) ? reduce(s, { type: 'tick' }, now).state : s;
  const t = nextWakeAt(ticked, now);
  return t === undefined ? undefined : Math.max(t, now + 1);
}

// ------------------------------------------------------------------------------------------------ views

export function openTasks(s: MachineState): OpenTask[] {
  const out: OpenTask[] = [];
  const push = (kind: TaskKind, who: { assigneeId: string | null; actingForId?: string | undefined }, escalated: boolean, dueAt?: number, period?: number) => {
    if (!who.assigneeId) return;
    out.push({
      kind,
      assigneeId: who.assigneeId,
      escalated: escalated && !!who.actingForId,
      ...(who.actingForId ? { actingForId: who.actingForId } : {}),
      ...(period !== undefined ? { period } : {}),
      ...(dueAt !== undefined ? { dueAt: iso(dueAt) } : {}),
    });
  };
  switch (s.phase) {
    case 'TARGET_SETTING':
      if (s.skp.status === 'DRAFT' || s.skp.status === 'RETURNED') push('SUBMIT_TARGETS', { assigneeId: s.employeeId }, false, s.skp.dueAt);
      else if (s.skp.status === 'SUBMITTED') {
        const who = supervisorSide(s, s.skp.escalated);
        push('APPROVE_TARGETS', who, s.skp.escalated, s.skp.escalated ? s.skp.hardAt : s.skp.dueAt);
      }
      break;
    case 'PERIODIC':
      for (const per of s.periods) {
        if (!per.opened || per.settled) continue;
        if (per.state === 'OPEN') push('SUBMIT_REPORT', { assigneeId: s.employeeId }, false, per.dueAt, per.period);
        else if (per.state === 'REVISION_REQUESTED') push('SUBMIT_REPORT', { assigneeId: s.employeeId }, false, per.closesAt, per.period);
        else if (per.state === 'SUBMITTED') {
          const who = supervisorSide(s, per.escalated);
          push('REVIEW_PERIOD', who, per.escalated, per.escalated ? per.closesAt : per.reviewDueAt, per.period);
        }
      }
      break;
    case 'ANNUAL_RATING':
      if (s.annual && !s.annual.rating && !s.annual.lapsed) {
        push('ANNUAL_RATING', supervisorSide(s, s.annual.escalated), s.annual.escalated, s.annual.escalated ? s.annual.hardAt : s.annual.dueAt);
      }
      break;
    case 'APPEAL':
      if (s.appeal && s.appeal.status !== 'DECIDED') {
        push('DECIDE_APPEAL', { assigneeId: s.reviewerId }, false, s.appeal.dueAt);
        if (s.appeal.status === 'RESPONSE_REQUESTED') push('RESPOND_APPEAL', { assigneeId: s.supervisorId }, false, s.appeal.dueAt);
      }
      break;
    default:
      break;
  }
  return out;
}

export function periodView(per: PeriodS): PeriodView {
  return {
    period: per.period,
    ...(per.label !== undefined ? { label: per.label } : {}),
    state: per.state,
    late: per.late,
    ...(per.rating ? { rating: per.rating } : {}),
    opensAt: iso(per.opensAt),
    endsAt: iso(per.endsAt),
    dueAt: iso(per.dueAt),
    cutoffAt: iso(per.cutoffAt),
    revision: per.revision,
    settled: per.settled,
    ...(per.submittedAt !== undefined ? { submittedAt: iso(per.submittedAt) } : {}),
    ...(per.reviewDueAt !== undefined ? { reviewDueAt: iso(per.reviewDueAt) } : {}),
  };
}

export function view(s: MachineState): EvaluationState {
  return {
    evaluationId: s.evaluationId,
    phase: s.phase,
    skpStatus: s.skp.status,
    supervisorId: s.supervisorId,
    reviewerId: s.reviewerId,
    periods: s.periods.map(periodView),
    openTasks: openTasks(s),
    ...(s.result ? { result: s.result } : {}),
    ...(s.appeal
      ? {
          appeal: {
            status: s.appeal.status,
            deadline: iso(s.appeal.dueAt),
            responded: s.appeal.responded,
            ...(s.appeal.decision ? { decision: s.appeal.decision } : {}),
          },
        }
      : {}),
    ...(s.appealWindowEndsAt !== undefined ? { appealDeadline: iso(s.appealWindowEndsAt) } : {}),
    ...(s.closedReason !== undefined ? { closedReason: s.closedReason } : {}),
    seq: s.seq,
    targetDeadline: iso(s.skp.dueAt),
  };
}
