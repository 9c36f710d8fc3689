import { describe, expect, it } from 'vitest';
import { completeRatings, emptyRatings, ASPECTS } from '../src/routes/supervisor/ratings';
import { openTasksOf, standingOf, type StandingSource } from '../src/routes/supervisor/standing';

const RATER = 'emp-rater';
const ATASAN = 'emp-atasan';
const PLT = 'emp-plt';

const task = (over: Partial<StandingSource['evaluation']['tasks'][number]>): StandingSource['evaluation']['tasks'][number] => ({
  id: 't1',
  key: 'k',
  regionId: 'r',
  evaluationId: 'e',
  kind: 'REVIEW_PERIOD',
  period: 2,
  assigneeId: RATER,
  actingForId: null,
  escalated: false,
  dueAt: '2027-04-10T00:00:00.000Z',
  status: 'OPEN',
  createdAt: '2027-04-01T00:00:00.000Z',
  completedAt: null,
  ...over,
});

const source = (over: { workflow?: StandingSource['workflow']; tasks?: StandingSource['evaluation']['tasks'] } = {}): StandingSource => ({
  evaluation: { supervisorId: RATER, reviewerId: ATASAN, tasks: over.tasks ?? [] },
  workflow: over.workflow === undefined ? null : over.workflow,
});

describe("the supervisor's standing on an evaluation", () => {
  it('the rater may decide the SKP, review and rate, but not decide a keberatan', () => {
    const s = standingOf({ employee: { id: RATER }, actingFor: [] }, source());
    expect(s).toMatchObject({ supervisor: true, actingFor: false, reviewer: false });
    expect(s.may('APPROVE_TARGETS')).toBe(true);
    expect(s.may('REVIEW_PERIOD', 3)).toBe(true);
    expect(s.may('ANNUAL_RATING')).toBe(true);
    expect(s.may('DECIDE_APPEAL')).toBe(false);
  });

  it('a Plt/Plh acting for the rater stands as the rater, marked as acting', () => {
    const s = standingOf({ employee: { id: PLT }, actingFor: [RATER] }, source());
    expect(s).toMatchObject({ supervisor: true, actingFor: true, reviewer: false });
    expect(s.may('APPROVE_TARGETS')).toBe(true);
  });

  it("the atasan decides the keberatan, and acts in the rater's place only on a task escalated to them (that period only)", () => {
    const plain = standingOf({ employee: { id: ATASAN }, actingFor: [] }, source());
    expect(plain).toMatchObject({ supervisor: false, reviewer: true });
    expect(plain.may('DECIDE_APPEAL')).toBe(true);
    expect(plain.may('REVIEW_PERIOD', 2)).toBe(false);

    const escalated = standingOf(
      { employee: { id: ATASAN }, actingFor: [] },
      source({ tasks: [task({ assigneeId: ATASAN, actingForId: RATER, escalated: true })] }),
    );
    expect(escalated.myTasks).toHaveLength(1);
    expect(escalated.may('REVIEW_PERIOD', 2)).toBe(true);
    expect(escalated.may('REVIEW_PERIOD', 3)).toBe(false);
    expect(escalated.may('ANNUAL_RATING')).toBe(false);
  });

  it('someone else has no standing and no tasks here', () => {
    const s = standingOf({ employee: { id: 'emp-other' }, actingFor: [] }, source({ tasks: [task({})] }));
    expect(s).toMatchObject({ supervisor: false, reviewer: false, myTasks: [] });
    expect(s.may('REVIEW_PERIOD', 2)).toBe(false);
  });

  it("the workflow's live state wins over the projection (a changed rater, the live task list)", () => {
    const live = source({
      tasks: [task({})],
      workflow: { supervisorId: 'emp-new-rater', reviewerId: ATASAN, openTasks: [{ kind: 'ANNUAL_RATING', assigneeId: 'emp-new-rater', escalated: false }] },
    });
    expect(standingOf({ employee: { id: RATER }, actingFor: [] }, live).supervisor).toBe(false);
    expect(openTasksOf(live)).toEqual([{ kind: 'ANNUAL_RATING', period: null, assigneeId: 'emp-new-rater', actingForId: null, escalated: false, dueAt: null }]);
  });
});

describe('the ratings draft', () => {
  it('is complete only with hasil kerja and all seven BerAKHLAK aspects', () => {
    expect(ASPECTS).toHaveLength(7);
    const d = emptyRatings();
    expect(completeRatings(d)).toBeNull();
    d.hasilKerja = 'SESUAI';
    for (const a of ASPECTS.slice(1)) d.perilaku[a] = 'DI_ATAS';
    expect(completeRatings(d)).toBeNull();
    d.perilaku[ASPECTS[0]!] = 'DI_BAWAH';
    expect(completeRatings(d)).toEqual({
      hasilKerja: 'SESUAI',
      perilaku: { ...Object.fromEntries(ASPECTS.map((a) => [a, 'DI_ATAS'])), [ASPECTS[0]!]: 'DI_BAWAH' },
    });
  });
});
