import type { BehaviourRatings } from '@kinerja/domain';
import { describe, expect, it } from 'vitest';
import { evaluate, explainReasons, nationalRuleSet, recordedOutcome, yearFacts, type YearSnapshot } from '../src/index.js';

const perilaku: BehaviourRatings = {
  BERORIENTASI_PELAYANAN: 'SESUAI',
  AKUNTABEL: 'SESUAI',
  KOMPETEN: 'DI_ATAS',
  HARMONIS: 'SESUAI',
  LOYAL: 'SESUAI',
  ADAPTIF: 'SESUAI',
  KOLABORATIF: 'SESUAI',
};

const snapshot: YearSnapshot = {
  indicators: [
    { id: 'docs', kind: 'QUANTITY', target: 100 },
    { id: 'days', kind: 'TIME', target: 3 },
  ],
  reports: [
    {
      status: 'APPROVED',
      late: false,
      rating: 'SESUAI',
      realisations: [
        { indicatorId: 'docs', value: 60 },
        { indicatorId: 'days', value: 3 },
      ],
    },
    {
      status: 'APPROVED',
      late: true,
      rating: 'DI_ATAS',
      realisations: [
        { indicatorId: 'docs', value: 60 },
        { indicatorId: 'days', value: 2 },
      ],
    },
    { status: 'MISSING', late: false, rating: null, realisations: [{ indicatorId: 'docs', value: 999 }] },
    { status: 'NOT_APPLICABLE', late: false, rating: null, realisations: null },
  ],
  periodReviews: 2,
  unitKind: 'DINAS',
  positionKind: 'PELAKSANA',
  attendance: { present: 9, total: 10 },
  survey: { mean: 5, responses: 4 },
};

describe('the year facts from a snapshot', () => {
  it('sums QUANTITY over the periods, averages the other kinds, counts reports, maps attendance and surveys', () => {
    const facts = yearFacts(snapshot, { hasilKerja: 'SESUAI', perilaku });
    expect(facts).toMatchObject({
      // 120 of 100 documents; 3 days over a mean 2.5 days
      capaianIndicators: [120, 120],
      capaianTimeAvg: 120,
      periods: 3,
      reportsOnTime: 1,
      reportsLate: 1,
      reportsMissing: 1,
      periodRatingsAbove: 1,
      periodRatingsMeets: 1,
      periodRatingsBelow: 0,
      feedbackSessions: 2,
      unitKind: 'DINAS',
      positionKind: 'PELAKSANA',
      hasilKerjaRating: 'SESUAI',
      'perilaku.KOMPETEN': 'DI_ATAS',
      attendanceRate: 90,
      satisfactionMean: 4,
      satisfactionResponses: 4,
    });
  });

  it('without a rating, attendance or surveys those facts stay absent', () => {
    const facts = yearFacts({ ...snapshot, attendance: { present: 0, total: 0 }, survey: { mean: null, responses: 0 } });
    expect(facts).not.toHaveProperty('hasilKerjaRating');
    expect(facts).not.toHaveProperty('attendanceRate');
    expect(facts).not.toHaveProperty('satisfactionMean');
  });
});

describe('the recorded outcome and its reasons', () => {
  it('falls back with a reason when the rule set leaves a rating open', async () => {
    const out = recordedOutcome(await evaluate(nationalRuleSet, yearFacts({ ...snapshot, indicators: [] })));
    expect(out.perilaku).toBe('SESUAI');
    expect(out.reasons).toContain('Perilaku kerja tidak dinilai: ditetapkan SESUAI ekspektasi.');
  });

  it("gives a rule's English reason, with its facts, where the rule carries one", async () => {
    const doc = {
      ...nationalRuleSet,
      rules: nationalRuleSet.rules.map((r) =>
        r.event.type === 'suggestHasilKerja' ? { ...r, reasonEn: 'Mean capaian {capaianAvg}%: hasil kerja suggested from it.' } : r,
      ),
    };
    const facts = yearFacts(snapshot, { hasilKerja: 'SESUAI', perilaku });
    const out = await evaluate(doc, facts);
    const reasons = explainReasons(doc, facts, out);
    expect(reasons.map((r) => r.id)).toEqual(out.reasons);
    expect(reasons).toContainEqual(expect.objectContaining({ en: 'Mean capaian 120%: hasil kerja suggested from it.' }));
    // the engine's own sentences carry no English
    expect(reasons.some((r) => r.en === undefined)).toBe(true);
  });
});
