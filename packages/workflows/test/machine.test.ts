import { describe, expect, it } from 'vitest';
import { cycleCalendar, NATIONAL_CALENDAR, type AnnualRatingInput, type PeriodReportInput, type SkpDraftInput } from '@kinerja/domain';
import type { Actor, EvaluationInput, ResultView } from '../src/contracts.js';
import { indicatorId } from '../src/ids.js';
import { payloadProblem } from '../src/payload.js';
import {
  appealWindowClosed,
  hasDue,
  initialState,
  isTerminal,
  nextWakeAt,
  pendingDeadlines,
  realisationProblems,
  initialView,
  nextWakeAfter,
  openingTime,
  openTasks,
  reduce,
  validate,
  view,
  type Command,
  type DeadlinePoint,
  type MachineEvent,
  type MachineState,
} from '../src/workflows/machine.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const input = (over: Partial<EvaluationInput> = {}): EvaluationInput => ({
  evaluationId: 'ev1',
  cycleId: 'c1',
  regionId: 'r1',
  employeeId: 'asn',
  supervisorId: 'sup',
  reviewerId: 'atasan',
  ruleSetVersionId: 'rsv',
  calendar: NATIONAL_CALENDAR,
  periods: 12,
  ...over,
});
const who = (employeeId: string, actingForId?: string): Actor => ({ userId: `u-${employeeId}`, employeeId, actingForId });
const skp: SkpDraftInput = { rhk: [{ title: 'Pelayanan KTP', indicators: [{ name: 'Jumlah KTP', kind: 'QUANTITY', target: 120, unit: 'dok' }] }] };
const report: PeriodReportInput = { realisations: [{ indicatorId: 'x', value: 10 }], evidence: [] };
const aspects = {
  BERORIENTASI_PELAYANAN: 'SESUAI',
  AKUNTABEL: 'SESUAI',
  KOMPETEN: 'SESUAI',
  HARMONIS: 'SESUAI',
  LOYAL: 'SESUAI',
  ADAPTIF: 'SESUAI',
  KOLABORATIF: 'SESUAI',
} as const;
const annual: AnnualRatingInput = { hasilKerja: 'SESUAI', perilaku: aspects };
const result: ResultView = { hasilKerja: 'SESUAI', perilaku: 'SESUAI', predikat: 'BAIK', numericScore: 80, flags: [], reasons: [], final: false };

/** A small driver: applies events at given times and checks commands against the validator first. */
class Sim {
  s: MachineState;
  now = T0;
  changes: string[] = [];
  reminders: string[] = [];
  constructor(i = input(), start = T0) {
    this.s = initialState(i, start);
    this.now = start;
  }
  at(t: number) {
    this.now = t;
    return this.ev({ type: 'tick' });
  }
  ev(e: MachineEvent) {
    const step = reduce(this.s, e, this.now);
    this.s = step.state;
    this.changes.push(...step.changes.map((c) => c.kind));
    this.reminders.push(...step.reminders.map((r) => `${r.kind}${r.period ?? ''}@${r.assigneeId}`));
    return this;
  }
  problem(c: Command) {
    return (validate(reduce(this.s, { type: 'tick' }, this.now).state, c, this.now) ?? payloadProblem(c))?.type ?? null;
  }
  do(c: Command) {
    const p = this.problem(c);
    if (p) throw new Error(`${c.type} rejected: ${p}`);
    return this.ev(c);
  }
  approveTargets() {
    this.do({ type: 'submitTargets', actor: who('asn'), skp });
    return this.do({ type: 'decideTargets', actor: who('sup'), input: { decision: 'APPROVE' } });
  }
}

describe('evaluation machine: target setting', () => {
  it('starts with a SUBMIT_TARGETS task for the employee and a deadline', () => {
    const sim = new Sim();
    expect(sim.s.phase).toBe('TARGET_SETTING');
    expect(openTasks(sim.s)).toEqual([{ kind: 'SUBMIT_TARGETS', assigneeId: 'asn', escalated: false, dueAt: new Date(T0 + 31 * DAY).toISOString() }]);
  });

  it('loops RETURN → resubmit → APPROVE and then opens period 1', () => {
    const sim = new Sim();
    sim.do({ type: 'submitTargets', actor: who('asn'), skp });
    expect(openTasks(sim.s)[0]).toMatchObject({ kind: 'APPROVE_TARGETS', assigneeId: 'sup' });
    sim.do({ type: 'decideTargets', actor: who('sup'), input: { decision: 'RETURN', note: 'tambahkan indikator mutu' } });
    expect(sim.s.skp.status).toBe('RETURNED');
    expect(openTasks(sim.s)[0]).toMatchObject({ kind: 'SUBMIT_TARGETS', assigneeId: 'asn' });
    sim.do({ type: 'submitTargets', actor: who('asn'), skp });
    sim.do({ type: 'decideTargets', actor: who('sup'), input: { decision: 'APPROVE' } });
    expect(sim.s.phase).toBe('PERIODIC');
    expect(sim.s.periods).toHaveLength(12);
    expect(sim.s.periods[0]!.opened).toBe(true);
    expect(openTasks(sim.s)).toEqual([expect.objectContaining({ kind: 'SUBMIT_REPORT', period: 1, assigneeId: 'asn' })]);
  });

  it('rejects wrong actors, wrong phases and conflicts with problem types', () => {
    const sim = new Sim();
    expect(sim.problem({ type: 'submitTargets', actor: who('sup'), skp })).toBe('FORBIDDEN');
    expect(sim.problem({ type: 'decideTargets', actor: who('sup'), input: { decision: 'APPROVE' } })).toBe('CONFLICT');
    expect(sim.problem({ type: 'submitReport', actor: who('asn'), period: 1, input: report })).toBe('WRONG_PHASE');
    expect(sim.problem({ type: 'submitTargets', actor: who('asn'), skp: { rhk: [] } })).toBe('VALIDATION_FAILED');
    sim.do({ type: 'submitTargets', actor: who('asn'), skp });
    expect(sim.problem({ type: 'decideTargets', actor: who('asn'), input: { decision: 'APPROVE' } })).toBe('FORBIDDEN');
    expect(sim.problem({ type: 'decideTargets', actor: who('atasan'), input: { decision: 'APPROVE' } })).toBe('FORBIDDEN');
    expect(sim.problem({ type: 'decideTargets', actor: who('plt', 'sup'), input: { decision: 'APPROVE' } })).toBeNull();
  });

  it('reminds before the deadline, escalates to the atasan at it, records who acted for whom', () => {
    const sim = new Sim();
    sim.do({ type: 'submitTargets', actor: who('asn'), skp });
    expect(nextWakeAfter(sim.s, sim.now)).toBe(T0 + 28 * DAY);
    sim.at(T0 + 28 * DAY);
    expect(sim.reminders).toEqual(['APPROVE_TARGETS@sup']);
    expect(nextWakeAfter(sim.s, sim.now)).toBe(T0 + 31 * DAY);
    sim.at(T0 + 31 * DAY);
    expect(sim.changes).toContain('ESCALATED');
    expect(openTasks(sim.s)[0]).toMatchObject({ kind: 'APPROVE_TARGETS', assigneeId: 'atasan', actingForId: 'sup', escalated: true });
    expect(sim.problem({ type: 'decideTargets', actor: who('atasan'), input: { decision: 'APPROVE' } })).toBeNull();
    const step = reduce(sim.s, { type: 'decideTargets', actor: who('atasan'), input: { decision: 'APPROVE' } }, sim.now);
    expect(step.changes[0]).toMatchObject({ kind: 'SKP_DECIDED', escalated: true, actor: { employeeId: 'atasan', actingForId: 'sup' } });
  });

  it('without a supervisor the atasan holds the approval task from the start', () => {
    const sim = new Sim(input({ supervisorId: null }));
    sim.do({ type: 'submitTargets', actor: who('asn'), skp });
    expect(openTasks(sim.s)[0]).toMatchObject({ kind: 'APPROVE_TARGETS', assigneeId: 'atasan', escalated: false });
    expect(sim.problem({ type: 'decideTargets', actor: who('atasan'), input: { decision: 'APPROVE' } })).toBeNull();
  });

  it('lapses at the hard stop and moves on to the periods', () => {
    const sim = new Sim();
    sim.at(T0 + 62 * DAY);
    expect(sim.changes).toContain('SKP_LAPSED');
    expect(sim.s.phase).toBe('PERIODIC');
  });
});

describe('evaluation machine: opening', () => {
  it('counts target deadlines from the fan-out opening time, not from when the workflow first runs', () => {
    const openedAt = T0 + 3_600_000;
    const given = input({ openedAt: new Date(openedAt).toISOString() });
    expect(openingTime(given, T0 + 5 * DAY)).toBe(openedAt);
    // absent or malformed: the workflow's own start time
    expect(openingTime(input(), T0 + 5 * DAY)).toBe(T0 + 5 * DAY);
    expect(openingTime(input({ openedAt: 'bukan tanggal' }), T0)).toBe(T0);

    const first = initialView(given, openedAt);
    const targetDeadline = 31 * DAY; // NATIONAL_CALENDAR
    expect(first).toMatchObject({ seq: 1, phase: 'TARGET_SETTING', skpStatus: 'DRAFT', targetDeadline: new Date(openedAt + targetDeadline).toISOString() });
    expect(first.openTasks).toEqual([
      { kind: 'SUBMIT_TARGETS', assigneeId: 'asn', escalated: false, dueAt: new Date(openedAt + targetDeadline).toISOString() },
    ]);
  });
});

describe('evaluation machine: periods', () => {
  it('periods overlap: p+1 opens while p waits for review; on time, late, missing', () => {
    const sim = new Sim().approveTargets();
    const p1 = sim.s.periods[0]!;
    sim.now = p1.endsAt + DAY;
    sim.do({ type: 'submitReport', actor: who('asn'), period: 1, input: report });
    sim.at(p1.endsAt + DAY);
    expect(sim.s.periods[1]!.opened).toBe(true);
    expect(openTasks(sim.s).map((t) => `${t.kind}${t.period}`)).toEqual(['REVIEW_PERIOD1', 'SUBMIT_REPORT2']);
    expect(sim.s.periods[0]!.late).toBe(false);
    // revise before review
    sim.do({ type: 'submitReport', actor: who('asn'), period: 1, input: report });
    expect(sim.s.periods[0]!.revision).toBe(2);
    const p2 = sim.s.periods[1]!;
    sim.now = p2.dueAt + 1;
    sim.do({ type: 'submitReport', actor: who('asn'), period: 2, input: report });
    expect(sim.s.periods[1]!.late).toBe(true);
    const p3 = sim.s.periods[2]!;
    sim.at(p3.cutoffAt);
    expect(sim.s.periods[2]!.state).toBe('MISSING');
    expect(sim.problem({ type: 'submitReport', actor: who('asn'), period: 3, input: report })).toBe('DEADLINE_PASSED');
    expect(sim.problem({ type: 'submitReport', actor: who('asn'), period: 13, input: report })).toBe('NOT_FOUND');
    expect(sim.problem({ type: 'submitReport', actor: who('asn'), period: 12, input: report })).toBe('CONFLICT');
  });

  it('review: request revision, resubmit, rate; escalates when late; settles at the hard stop', () => {
    const sim = new Sim().approveTargets();
    const p1 = sim.s.periods[0]!;
    sim.now = p1.endsAt;
    sim.do({ type: 'submitReport', actor: who('asn'), period: 1, input: report });
    sim.do({ type: 'reviewReport', actor: who('sup'), period: 1, input: { decision: 'REQUEST_REVISION', feedback: 'lampirkan bukti' } });
    expect(sim.s.periods[0]!.state).toBe('REVISION_REQUESTED');
    expect(sim.problem({ type: 'reviewReport', actor: who('sup'), period: 1, input: { decision: 'RATE', rating: 'SESUAI', feedback: 'baik' } })).toBe(
      'CONFLICT',
    );
    sim.do({ type: 'submitReport', actor: who('asn'), period: 1, input: report });
    sim.do({ type: 'reviewReport', actor: who('sup'), period: 1, input: { decision: 'RATE', rating: 'DI_ATAS', feedback: 'bagus' } });
    expect(sim.s.periods[0]).toMatchObject({ state: 'REVIEWED', rating: 'DI_ATAS', settled: true });
    expect(sim.problem({ type: 'submitReport', actor: who('asn'), period: 1, input: report })).toBe('CONFLICT');

    const p2 = sim.s.periods[1]!;
    sim.now = p2.endsAt;
    sim.do({ type: 'submitReport', actor: who('asn'), period: 2, input: report });
    sim.at(p2.endsAt + 7 * DAY);
    expect(sim.reminders).toContain('REVIEW_PERIOD2@sup');
    sim.at(p2.endsAt + 10 * DAY);
    expect(openTasks(sim.s).find((t) => t.period === 2)).toMatchObject({ assigneeId: 'atasan', escalated: true, actingForId: 'sup' });
    sim.at(p2.closesAt);
    expect(sim.s.periods[1]).toMatchObject({ state: 'SUBMITTED', settled: true });
    expect(sim.changes).toContain('REPORT_UNREVIEWED');
  });

  it('changeSupervisor moves open escalated tasks to the new supervisor with a fresh deadline', () => {
    const sim = new Sim().approveTargets();
    const p1 = sim.s.periods[0]!;
    sim.now = p1.endsAt;
    sim.do({ type: 'submitReport', actor: who('asn'), period: 1, input: report });
    sim.at(p1.endsAt + 10 * DAY);
    expect(openTasks(sim.s)[0]).toMatchObject({ kind: 'REVIEW_PERIOD', assigneeId: 'atasan' });
    sim.ev({ type: 'changeSupervisor', supervisorId: 'sup2', reviewerId: 'atasan', by: 'admin' });
    expect(openTasks(sim.s).find((t) => t.kind === 'REVIEW_PERIOD')).toMatchObject({ assigneeId: 'sup2', escalated: false });
    expect(sim.problem({ type: 'reviewReport', actor: who('sup'), period: 1, input: { decision: 'RATE', rating: 'SESUAI', feedback: 'oke baik' } })).toBe(
      'FORBIDDEN',
    );
    expect(
      sim.problem({ type: 'reviewReport', actor: who('sup2'), period: 1, input: { decision: 'RATE', rating: 'SESUAI', feedback: 'oke baik' } }),
    ).toBeNull();
  });
});

describe('evaluation machine: rating, appeal, final, close', () => {
  const toAnnual = (over: Partial<EvaluationInput> = {}) => {
    const sim = new Sim(input({ periods: 2, ...over })).approveTargets();
    for (const p of sim.s.periods) {
      sim.now = p.endsAt;
      sim.do({ type: 'submitReport', actor: who('asn'), period: p.period, input: report });
      sim.do({ type: 'reviewReport', actor: who('sup'), period: p.period, input: { decision: 'RATE', rating: 'SESUAI', feedback: 'oke baik' } });
    }
    sim.at(sim.now);
    return sim;
  };

  it('all periods settled → ANNUAL_RATING → score requested → APPEAL_WINDOW → FINAL on expiry', () => {
    const sim = toAnnual();
    expect(sim.s.phase).toBe('ANNUAL_RATING');
    expect(sim.problem({ type: 'fileAppeal', actor: who('asn'), input: { reasons: 'tidak setuju dengan nilai' } })).toBe('WRONG_PHASE');
    sim.do({ type: 'rateAnnual', actor: who('sup'), input: annual });
    expect(sim.s.scoreNeeded).toEqual({ kind: 'INITIAL', rating: { hasilKerja: 'SESUAI', perilaku: aspects }, round: 0 });
    expect(nextWakeAfter(sim.s, sim.now)).toBeUndefined();
    sim.ev({ type: 'scored', kind: 'INITIAL', result });
    expect(sim.s.phase).toBe('APPEAL_WINDOW');
    sim.at(sim.now + 14 * DAY);
    expect(sim.s.phase).toBe('FINAL');
    expect(view(sim.s).result?.final).toBe(true);
    expect(sim.changes.filter((c) => c === 'FINALIZED')).toHaveLength(1);
  });

  it('a keberatan after the window is DEADLINE_PASSED naming when the window closed, at its end and once FINAL', () => {
    const sim = toAnnual();
    sim.do({ type: 'rateAnnual', actor: who('sup'), input: annual });
    sim.ev({ type: 'scored', kind: 'INITIAL', result });
    const endsAt = sim.s.appealWindowEndsAt!;
    const appeal: Command = { type: 'fileAppeal', actor: who('asn'), input: { reasons: 'tidak setuju dengan nilai' } };
    const closed = {
      type: 'DEADLINE_PASSED',
      message: expect.stringMatching(/^masa keberatan telah berakhir pada \d{1,2} [A-Z][a-z]+ \d{4} pukul \d\d\.\d\d\.\d\d UTC$/) as string,
    };
    // the instant the window ends, before the tick that finalises it
    expect(validate(sim.s, appeal, endsAt)).toEqual(closed);
    sim.at(endsAt + DAY);
    expect(sim.s.phase).toBe('FINAL');
    const problem = validate(sim.s, appeal, sim.now);
    expect(problem).toEqual(appealWindowClosed(endsAt));
    const d = new Date(endsAt);
    expect(problem!.message).toContain(`${d.getUTCDate()} `);
    expect(problem!.message).toContain(String(d.getUTCFullYear()));
    expect(appealWindowClosed(Date.UTC(2027, 1, 3, 4, 5, 6)).message).toBe('masa keberatan telah berakhir pada 3 Februari 2027 pukul 04.05.06 UTC');
    // refused either way, as before: replaying a history that holds such an attempt emits the same commands
    const step = reduce(sim.s, appeal, sim.now);
    expect(step.state).toEqual(sim.s);
    expect(step.changes).toEqual([]);
  });

  it('appeal: only the ASN files within the window; the atasan asks the supervisor, then revises', () => {
    const sim = toAnnual();
    sim.do({ type: 'rateAnnual', actor: who('sup'), input: annual });
    sim.ev({ type: 'scored', kind: 'INITIAL', result });
    expect(sim.problem({ type: 'fileAppeal', actor: who('sup'), input: { reasons: 'tidak setuju dengan nilai' } })).toBe('FORBIDDEN');
    sim.do({ type: 'fileAppeal', actor: who('asn'), input: { reasons: 'tidak setuju dengan nilai' } });
    expect(sim.s.phase).toBe('APPEAL');
    expect(sim.problem({ type: 'requestAppealResponse', actor: who('sup') })).toBe('FORBIDDEN');
    sim.do({ type: 'requestAppealResponse', actor: who('atasan') });
    expect(
      openTasks(sim.s)
        .map((t) => t.kind)
        .sort(),
    ).toEqual(['DECIDE_APPEAL', 'RESPOND_APPEAL']);
    sim.do({ type: 'respondAppeal', actor: who('sup'), input: { response: 'nilai sesuai bukti' } });
    sim.do({ type: 'decideAppeal', actor: who('atasan'), input: { decision: 'REVISE', reasons: 'bukti baru', hasilKerja: 'DI_ATAS', perilaku: aspects } });
    expect(sim.s.scoreNeeded).toMatchObject({ kind: 'FINAL', rating: { hasilKerja: 'DI_ATAS' } });
    expect(sim.problem({ type: 'decideAppeal', actor: who('atasan'), input: { decision: 'UPHOLD', reasons: 'tetap' } })).toBe('CONFLICT');
    sim.ev({ type: 'scored', kind: 'FINAL', result: { ...result, hasilKerja: 'DI_ATAS' } });
    expect(sim.s.phase).toBe('FINAL');
    expect(sim.problem({ type: 'fileAppeal', actor: who('asn'), input: { reasons: 'tidak setuju dengan nilai' } })).toBe('DEADLINE_PASSED');
    // decided: the result is final, not a closed window
    expect(validate(sim.s, { type: 'fileAppeal', actor: who('asn'), input: { reasons: 'tidak setuju dengan nilai' } }, sim.now)?.message).toBe(
      'hasil penilaian sudah final',
    );
  });

  it('an undecided appeal lapses at its deadline and the result stands', () => {
    const sim = toAnnual();
    sim.do({ type: 'rateAnnual', actor: who('sup'), input: annual });
    sim.ev({ type: 'scored', kind: 'INITIAL', result });
    sim.do({ type: 'fileAppeal', actor: who('asn'), input: { reasons: 'tidak setuju dengan nilai' } });
    sim.at(sim.now + 14 * DAY);
    expect(sim.s.phase).toBe('FINAL');
    expect(sim.s.appeal?.decision).toBe('LAPSED');
  });

  it('close ends any phase, drops a pending score and is ignored once final', () => {
    const sim = toAnnual();
    sim.do({ type: 'rateAnnual', actor: who('sup'), input: annual });
    sim.ev({ type: 'close', reason: 'pensiun', by: 'admin' });
    expect(sim.s).toMatchObject({ phase: 'CLOSED', closedReason: 'pensiun', scoreNeeded: undefined });
    expect(openTasks(sim.s)).toEqual([]);
    sim.ev({ type: 'scored', kind: 'INITIAL', result });
    expect(sim.s.phase).toBe('CLOSED');
  });

  it('a close while the FINAL score is computed waits for it: the year ends FINAL, the close changes nothing', () => {
    const sim = toAnnual();
    sim.do({ type: 'rateAnnual', actor: who('sup'), input: annual });
    sim.ev({ type: 'scored', kind: 'INITIAL', result });
    sim.do({ type: 'fileAppeal', actor: who('asn'), input: { reasons: 'tidak setuju dengan nilai' } });
    sim.do({ type: 'decideAppeal', actor: who('atasan'), input: { decision: 'REVISE', reasons: 'bukti baru', hasilKerja: 'DI_ATAS', perilaku: aspects } });
    const seq = sim.s.seq;
    sim.changes = [];
    sim.ev({ type: 'close', reason: 'pensiun', by: 'admin', afterScore: true });
    expect(sim.s).toMatchObject({ phase: 'APPEAL', seq, scoreNeeded: { kind: 'FINAL' }, closeAfterScore: { reason: 'pensiun', by: 'admin' } });
    expect(sim.changes).toEqual([]);
    sim.ev({ type: 'scored', kind: 'FINAL', result: { ...result, hasilKerja: 'DI_ATAS' } });
    expect(sim.s).toMatchObject({ phase: 'FINAL', result: { hasilKerja: 'DI_ATAS', final: true } });
    expect([sim.s.closedReason, sim.s.closeAfterScore]).toEqual([undefined, undefined]);
    expect(sim.changes).not.toContain('CLOSED');
  });

  it('a close while the INITIAL score is computed applies once the score is in', () => {
    const sim = toAnnual();
    sim.do({ type: 'rateAnnual', actor: who('sup'), input: annual });
    sim.ev({ type: 'close', reason: 'pensiun', by: 'admin', afterScore: true });
    expect(sim.s.phase).toBe('ANNUAL_RATING');
    sim.ev({ type: 'scored', kind: 'INITIAL', result });
    expect(sim.s).toMatchObject({ phase: 'CLOSED', closedReason: 'pensiun', result });
    expect(sim.s.closeAfterScore).toBeUndefined();
    expect(sim.changes.slice(-2)).toEqual(['CLOSED', 'PHASE_CHANGED']);
    expect(openTasks(sim.s)).toEqual([]);
  });

  it('a close with nothing being scored applies at once, waiting or not', () => {
    const sim = toAnnual();
    sim.ev({ type: 'close', reason: 'pensiun', by: 'admin', afterScore: true });
    expect(sim.s.phase).toBe('CLOSED');
    expect(sim.s.closeAfterScore).toBeUndefined();
  });

  it('with nobody acting at all, the clock alone reaches a score request and then FINAL', () => {
    const sim = new Sim();
    for (let i = 0; i < 200 && !sim.s.scoreNeeded; i++) {
      const t = nextWakeAfter(sim.s, sim.now);
      if (t === undefined) break;
      sim.at(t);
    }
    expect(sim.s.phase).toBe('ANNUAL_RATING');
    expect(sim.s.scoreNeeded).toEqual({ kind: 'INITIAL', round: 0 });
    expect(sim.s.periods.every((p) => p.state === 'MISSING')).toBe(true);
    sim.ev({ type: 'scored', kind: 'INITIAL', result });
    sim.at(nextWakeAfter(sim.s, sim.now)!);
    expect(sim.s.phase).toBe('FINAL');
  });
});

describe('evaluation machine: unit calibration (SE MenPANRB 03/2023)', () => {
  const rated = () => {
    const sim = new Sim(input({ periods: 1, calibration: true })).approveTargets();
    const p = sim.s.periods[0]!;
    sim.now = p.endsAt;
    sim.do({ type: 'submitReport', actor: who('asn'), period: 1, input: report });
    sim.do({ type: 'reviewReport', actor: who('sup'), period: 1, input: { decision: 'RATE', rating: 'SESUAI', feedback: 'oke baik' } });
    sim.at(sim.now);
    sim.do({ type: 'rateAnnual', actor: who('sup'), input: annual });
    sim.ev({ type: 'scored', kind: 'INITIAL', result });
    return sim;
  };

  it('waits in CALIBRATION after the INITIAL score: no keberatan before the unit is finalised', () => {
    const sim = rated();
    expect(sim.s.phase).toBe('CALIBRATION');
    expect(sim.problem({ type: 'fileAppeal', actor: who('asn'), input: { reasons: 'tidak setuju dengan nilai' } })).toBe('WRONG_PHASE');
    expect(openTasks(sim.s)).toEqual([]);
    sim.ev({ type: 'calibrated', decision: 'FINALISED', reason: 'distribusi sesuai', by: 'admin' });
    expect(sim.s.phase).toBe('APPEAL_WINDOW');
    // the 14-day window runs from the finalisation, not from the rating
    expect(sim.s.appealWindowEndsAt).toBe(sim.now + 14 * DAY);
    expect(sim.problem({ type: 'fileAppeal', actor: who('asn'), input: { reasons: 'tidak setuju dengan nilai' } })).toBeNull();
    expect(sim.changes).toContain('CALIBRATED');
  });

  it('sent back: the supervisor rates again and the new score is the next round', () => {
    const sim = rated();
    sim.ev({ type: 'calibrated', decision: 'SENT_BACK', reason: 'terlalu banyak Sangat Baik', by: 'admin' });
    expect(sim.s.phase).toBe('ANNUAL_RATING');
    expect(sim.s.result).toBeUndefined();
    expect(openTasks(sim.s).map((t) => t.kind)).toEqual(['ANNUAL_RATING']);
    sim.do({ type: 'rateAnnual', actor: who('sup'), input: { ...annual, hasilKerja: 'DI_BAWAH' } });
    expect(sim.s.scoreNeeded?.round).toBe(1);
    sim.ev({ type: 'scored', kind: 'INITIAL', result: { ...result, hasilKerja: 'DI_BAWAH', predikat: 'BUTUH_PERBAIKAN' } });
    expect(sim.s.phase).toBe('CALIBRATION');
    sim.ev({ type: 'calibrated', decision: 'FINALISED', reason: 'sesuai', by: 'admin' });
    sim.at(sim.now + 14 * DAY);
    expect(sim.s.phase).toBe('FINAL');
    expect(view(sim.s).result).toMatchObject({ predikat: 'BUTUH_PERBAIKAN', final: true });
  });

  it('never hangs: with no decision the result stands at the hard stop and the window opens', () => {
    const sim = rated();
    const hardAt = sim.s.calibrationHardAt!;
    expect(hardAt).toBe(sim.now + 2 * 31 * DAY);
    expect(nextWakeAfter(sim.s, sim.now)).toBe(hardAt);
    sim.at(hardAt);
    expect(sim.s.phase).toBe('APPEAL_WINDOW');
    expect(sim.changes.filter((c) => c === 'CALIBRATED')).toHaveLength(1);
  });

  it('ignores a decision outside CALIBRATION, and cycles without calibration never wait', () => {
    const sim = rated();
    sim.ev({ type: 'calibrated', decision: 'FINALISED', reason: 'sesuai', by: 'admin' });
    const seq = sim.s.seq;
    sim.ev({ type: 'calibrated', decision: 'SENT_BACK', reason: 'terlambat', by: 'admin' });
    expect(sim.s.phase).toBe('APPEAL_WINDOW');
    expect(sim.s.seq).toBe(seq);

    const plain = new Sim(input({ periods: 1 })).approveTargets();
    plain.now = plain.s.periods[0]!.endsAt;
    plain.do({ type: 'submitReport', actor: who('asn'), period: 1, input: report });
    plain.do({ type: 'reviewReport', actor: who('sup'), period: 1, input: { decision: 'RATE', rating: 'SESUAI', feedback: 'oke baik' } });
    plain.at(plain.now);
    plain.do({ type: 'rateAnnual', actor: who('sup'), input: annual });
    plain.ev({ type: 'scored', kind: 'INITIAL', result });
    expect(plain.s.phase).toBe('APPEAL_WINDOW');
  });
});

describe('evaluation machine: one deadline schedule', () => {
  const calendars = {
    national: NATIONAL_CALENDAR,
    short: {
      ...NATIONAL_CALENDAR,
      periodLength: '1s',
      targetDeadline: '2s',
      reportDeadline: '1s',
      reportCutoff: '2s',
      reviewDeadline: '1s',
      ratingDeadline: '2s',
      appealWindow: '2s',
      appealDecisionDeadline: '2s',
      reminderBefore: '500ms',
    },
  } as const;
  const key = (p: DeadlinePoint) => `${p.kind}${p.period ?? ''}@${p.at}`;

  for (const [name, calendar] of Object.entries(calendars)) {
    it(`applies every point exactly when due and wakes at the earliest one left (${name} calendar)`, () => {
      const sim = new Sim(input({ calendar, periods: 4 }));
      sim.do({ type: 'submitTargets', actor: who('asn'), skp });
      const applied: string[] = [];
      for (let i = 0; i < 500 && !isTerminal(sim.s); i++) {
        if (sim.s.scoreNeeded) {
          sim.ev({ type: 'scored', kind: sim.s.scoreNeeded.kind, result });
          continue;
        }
        const pending = pendingDeadlines(sim.s);
        const next = nextWakeAt(sim.s, sim.now);
        expect(next).toBe(Math.min(...pending.filter((p) => !(p.until !== undefined && sim.now >= p.until)).map((p) => p.at)));
        expect(next).toBeGreaterThan(sim.now);
        // a moment before, nothing changes
        const before = reduce(sim.s, { type: 'tick' }, next! - 1);
        expect(before.state.seq).toBe(sim.s.seq);
        expect(before.reminders).toEqual([]);
        expect(pendingDeadlines(before.state).map(key)).toEqual(pending.map(key));
        // at the time, every point due then is consumed, and only those
        const phase = sim.s.phase;
        sim.at(next!);
        const left = new Set(pendingDeadlines(sim.s).map(key));
        const due = pending.filter((p) => p.at <= next!);
        for (const p of due) {
          expect(left.has(key(p))).toBe(false);
          applied.push(p.kind);
        }
        // the others stay, unless a due point ended their phase or settled their period
        const touched = new Set(due.map((p) => p.period));
        for (const p of pending) {
          if (p.at > next! && sim.s.phase === phase && !touched.has(p.period)) expect(left.has(key(p))).toBe(true);
        }
      }
      expect(sim.s.phase).toBe('FINAL');
      expect(applied).toEqual(
        expect.arrayContaining([
          'SKP_REMINDER',
          'SKP_ESCALATION',
          'PERIOD_OPENS',
          'REPORT_REMINDER',
          'REPORT_CUTOFF',
          'ANNUAL_REMINDER',
          'ANNUAL_ESCALATION',
          'ANNUAL_HARD_STOP',
          'APPEAL_WINDOW_ENDS',
        ]),
      );
    });
  }

  it('one late tick applies everything due, in time order, across phase changes', () => {
    const sim = new Sim(input({ periods: 3 })).approveTargets();
    const last = sim.s.periods[2]!;
    const step = reduce(sim.s, { type: 'tick' }, last.closesAt + DAY);
    expect(step.state.phase).toBe('ANNUAL_RATING');
    expect(step.state.periods.map((p) => p.state)).toEqual(['MISSING', 'MISSING', 'MISSING']);
    const kinds = step.changes.map((c) => `${c.kind}${'period' in c ? c.period : ''}`);
    expect(kinds).toEqual(['REPORT_MISSING1', 'REPORT_MISSING2', 'REPORT_MISSING3', 'PHASE_CHANGED']);
    const times = step.changes.map((c) => c.at);
    expect(new Set(times).size).toBe(1); // stamped with the step's time, applied in the order they fell due
    // reminders whose deadline passed are not sent late, and not waited for
    expect(step.reminders).toEqual([]);
    const annualDue = step.state.annual!.dueAt;
    expect(nextWakeAt(step.state, last.closesAt + DAY)).toBe(annualDue - 3 * DAY);
  });

  it('a reminder is skipped once its deadline passed, so the next wake-up is the deadline after it', () => {
    const sim = new Sim();
    const dueAt = sim.s.skp.dueAt;
    sim.do({ type: 'submitTargets', actor: who('asn'), skp });
    // the reminder point (dueAt - 3d) is still listed on the state, but at or after its deadline nobody waits for it
    expect(pendingDeadlines(sim.s).map((p) => p.kind)).toEqual(['SKP_REMINDER', 'SKP_ESCALATION', 'SKP_HARD_STOP']);
    expect(nextWakeAt(sim.s, dueAt)).toBe(dueAt);
    sim.at(dueAt);
    expect(sim.reminders).toEqual([]);
    expect(sim.changes).toContain('ESCALATED');
    expect(pendingDeadlines(sim.s).map((p) => p.kind)).toEqual(['SKP_HARD_STOP']);
  });

  it('hasDue says whether a tick at that time would apply a point; terminal and scoring states list none', () => {
    const sim = new Sim(input({ periods: 1 })).approveTargets();
    sim.at(sim.s.periods[0]!.cutoffAt);
    sim.at(sim.s.periods[0]!.closesAt);
    expect(sim.s.phase).toBe('ANNUAL_RATING');
    expect(hasDue(sim.s, sim.now)).toBe(false);
    expect(hasDue(sim.s, sim.s.annual!.hardAt)).toBe(true);
    sim.at(sim.s.annual!.hardAt);
    expect(sim.s.scoreNeeded).toBeDefined();
    expect(pendingDeadlines(sim.s)).toEqual([]);
    expect(nextWakeAt(sim.s)).toBeUndefined();
  });
});

describe('evaluation machine: realisations only for the SKP indicators', () => {
  const rep = (ids: string[]): Command => ({
    type: 'submitReport',
    actor: who('asn'),
    period: 1,
    input: { realisations: ids.map((indicatorId) => ({ indicatorId, value: 1 })), evidence: [] },
  });

  it('names each realisation whose indicator is not in the SKP as last submitted, by pointer', () => {
    const sim = new Sim(input({ periods: 1 }));
    expect(realisationProblems(sim.s, rep(['ev1-r1-i1']))).toEqual([
      expect.objectContaining({ pointer: '/realisations/0/indicatorId', code: 'unknown_indicator' }),
    ]);
    sim.approveTargets();
    expect(realisationProblems(sim.s, rep([indicatorId('ev1', 0, 0)]))).toEqual([]);
    const problems = realisationProblems(sim.s, rep([indicatorId('ev1', 0, 0), 'x', indicatorId('ev1', 0, 1), indicatorId('other', 0, 0)]));
    expect(problems.map((p) => p.pointer)).toEqual(['/realisations/1/indicatorId', '/realisations/2/indicatorId', '/realisations/3/indicatorId']);
  });

  it('is not part of reduce: a recorded report with another indicator still applies on replay', () => {
    const sim = new Sim(input({ periods: 1 })).approveTargets();
    const c = rep(['not-in-skp']);
    expect(validate(sim.s, c, sim.now)).toBeNull();
    sim.ev(c);
    expect(sim.s.periods[0]!.state).toBe('SUBMITTED');
  });
});

describe('calendar-true cycles', () => {
  // WITA is UTC+8: local midnight of 1 March 2027 is 2027-02-28T16:00Z
  const wita = (local: string) => Date.parse(`${local}+08:00`);
  const cal2027 = (holidays: string[] = []) => cycleCalendar(2027, { periodKind: 'MONTHLY', compressed: false }, 'Asia/Makassar', holidays);
  const opened = wita('2027-01-25T08:00:00');
  const approvedLate = (over: Partial<EvaluationInput> = {}, holidays: string[] = []) => {
    const sim = new Sim(input({ cycleCalendar: cal2027(holidays), ...over }), opened);
    sim.at(wita('2027-02-20T10:00:00'));
    return sim.approveTargets();
  };

  it('gives the calendar months of the year in the region zone, whatever the day of approval', () => {
    const sim = approvedLate();
    const periods = view(sim.s).periods;
    expect(periods.map((p) => p.label)).toEqual(
      ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'].map((m) => `${m} 2027`),
    );
    expect(periods[0]).toMatchObject({ opensAt: '2026-12-31T16:00:00.000Z', endsAt: '2027-01-31T16:00:00.000Z' });
    expect(periods[1]).toMatchObject({ opensAt: '2027-01-31T16:00:00.000Z', endsAt: '2027-02-28T16:00:00.000Z' });
    expect(periods[11]).toMatchObject({ opensAt: '2027-11-30T16:00:00.000Z', endsAt: '2027-12-31T16:00:00.000Z' });
    // approving on another day moves nothing
    const early = new Sim(input({ cycleCalendar: cal2027() }), opened).approveTargets();
    expect(view(early.s).periods.map((p) => [p.opensAt, p.endsAt])).toEqual(periods.map((p) => [p.opensAt, p.endsAt]));
  });

  it('quarters are Triwulan I..IV', () => {
    const cc = cycleCalendar(2027, { periodKind: 'QUARTERLY', compressed: false }, 'Asia/Jayapura', []);
    const sim = new Sim(input({ cycleCalendar: cc, periods: 4, calendar: { ...NATIONAL_CALENDAR, periodKind: 'QUARTERLY' } }), opened).approveTargets();
    expect(view(sim.s).periods.map((p) => `${p.label} ${p.opensAt}`)).toEqual([
      'Triwulan I 2027 2026-12-31T15:00:00.000Z',
      'Triwulan II 2027 2027-03-31T15:00:00.000Z',
      'Triwulan III 2027 2027-06-30T15:00:00.000Z',
      'Triwulan IV 2027 2027-09-30T15:00:00.000Z',
    ]);
  });

  it('a period that ended before the approval is not applicable by default: no task, no report, no missing', () => {
    const sim = approvedLate();
    const [jan, feb] = view(sim.s).periods;
    expect(jan).toMatchObject({ state: 'NOT_APPLICABLE', settled: true });
    expect(feb).toMatchObject({ state: 'OPEN', settled: false });
    expect(
      openTasks(sim.s)
        .filter((t) => t.kind === 'SUBMIT_REPORT')
        .map((t) => t.period),
    ).toEqual([2]);
    expect(sim.problem({ type: 'submitReport', actor: who('asn'), period: 1, input: report })).toBe('CONFLICT');
    expect(validate(sim.s, { type: 'submitReport', actor: who('asn'), period: 1, input: report }, sim.now)?.message).toContain('tidak berlaku');
    sim.at(wita('2027-12-31T23:00:00'));
    // nothing reported all year: February..November are missing by their cutoffs, January never is
    expect(sim.changes.filter((c) => c === 'REPORT_MISSING')).toHaveLength(10);
    expect(view(sim.s).periods[0]).toMatchObject({ state: 'NOT_APPLICABLE' });
  });

  it('with REPORT_LATE a period that already ended takes a report, counted late, due from the approval', () => {
    const sim = approvedLate({ calendar: { ...NATIONAL_CALENDAR, periodsBeforeApproval: 'REPORT_LATE' } });
    const jan = view(sim.s).periods[0]!;
    expect(jan).toMatchObject({ state: 'OPEN', settled: false });
    // five working days counted from Saturday 20 February 10:00: 22..26 February, due at local midnight after the 26th
    expect(jan.dueAt).toBe(new Date(wita('2027-02-27T00:00:00')).toISOString());
    sim.do({ type: 'submitReport', actor: who('asn'), period: 1, input: report });
    expect(view(sim.s).periods[0]).toMatchObject({ state: 'SUBMITTED', late: true });
  });

  it('report deadlines in working days skip weekends and the cycle holidays', () => {
    // February ends at local midnight starting Monday 1 March; 5wd: 1, (2 holiday), 3, 4, 5, 8 March
    const sim = approvedLate({}, ['2027-03-02']);
    expect(view(sim.s).periods[1]!.dueAt).toBe(new Date(wita('2027-03-09T00:00:00')).toISOString());
    const without = approvedLate();
    expect(view(without.s).periods[1]!.dueAt).toBe(new Date(wita('2027-03-06T00:00:00')).toISOString());
  });

  it('the annual rating opens after the last period of the year', () => {
    const sim = approvedLate();
    sim.at(wita('2027-12-31T23:59:00'));
    expect(sim.s.phase).toBe('PERIODIC');
    sim.at(wita('2028-03-01T00:00:00'));
    expect(sim.s.phase).toBe('ANNUAL_RATING');
    // December's report cutoff (15 days after 1 January) settled the year; the rating counts from then
    const due = Date.parse(openTasks(sim.s).find((t) => t.kind === 'ANNUAL_RATING')!.dueAt!);
    expect(due).toBeGreaterThan(wita('2028-01-01T00:00:00') + 31 * DAY);
  });
});
