import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BERAKHLAK_ASPECTS, PREDIKAT_MATRIX, RATINGS, type Predikat, type Rating } from '@kinerja/domain';
import { calendarOf, demoRuleSet, evaluate, nationalRuleSet, periodsOf, validateRuleSet, withCalendar, type Facts } from '../src/index.js';
import { nationalReference, project, randomFacts, rng } from './support.js';

const EXPECTED: [Rating, Rating, Predikat][] = [
  ['DI_ATAS', 'DI_ATAS', 'SANGAT_BAIK'],
  ['DI_ATAS', 'SESUAI', 'BAIK'],
  ['DI_ATAS', 'DI_BAWAH', 'KURANG'],
  ['SESUAI', 'DI_ATAS', 'BAIK'],
  ['SESUAI', 'SESUAI', 'BAIK'],
  ['SESUAI', 'DI_BAWAH', 'KURANG'],
  ['DI_BAWAH', 'DI_ATAS', 'BUTUH_PERBAIKAN'],
  ['DI_BAWAH', 'SESUAI', 'BUTUH_PERBAIKAN'],
  ['DI_BAWAH', 'DI_BAWAH', 'SANGAT_KURANG'],
];

describe('national rule set', () => {
  it('is valid', () => {
    expect(validateRuleSet(nationalRuleSet)).toEqual({ ok: true, errors: [] });
    expect(validateRuleSet(demoRuleSet).ok).toBe(true);
  });

  it.each(EXPECTED)('hasil kerja %s × perilaku %s → %s (PermenPANRB 6/2022)', async (h, p, predikat) => {
    const e = await evaluate(nationalRuleSet, { hasilKerjaRating: h, perilakuRating: p });
    expect(e.predikat).toBe(predikat);
    expect(e.predikatSource).toBe('MATRIX');
    expect(PREDIKAT_MATRIX[h][p]).toBe(predikat);
    expect(e.reasons.some((r) => r.includes('matriks PermenPANRB 6/2022'))).toBe(true);
    // score from ratings only (no capaian): 70% × map(h) + 30% × map(p)
    const m = { DI_BAWAH: 60, SESUAI: 85, DI_ATAS: 95 };
    expect(e.numericScore).toBeCloseTo(0.7 * m[h] + 0.3 * m[p], 6);
  });

  it('flags follow the matrix: reward for Sangat Baik, coaching + sanction review for Kurang', async () => {
    const sb = await evaluate(nationalRuleSet, { hasilKerjaRating: 'DI_ATAS', perilakuRating: 'DI_ATAS' });
    expect(sb.flags.map((f) => f.flag)).toEqual(['REWARD']);
    const k = await evaluate(nationalRuleSet, { hasilKerjaRating: 'SESUAI', perilakuRating: 'DI_BAWAH' });
    expect(k.flags.map((f) => f.flag).sort()).toEqual(['COACHING', 'SANCTION_REVIEW']);
    const bp = await evaluate(nationalRuleSet, { hasilKerjaRating: 'DI_BAWAH', perilakuRating: 'SESUAI', trainingHours: 8 });
    expect(bp.flags.map((f) => f.flag).sort()).toEqual(['COACHING', 'TRAINING']);
    expect(bp.flags.find((f) => f.flag === 'TRAINING')!.reason).toContain('8 JP');
  });

  it('suggests hasil kerja from capaian when the assessor has not rated, and derives perilaku from the aspects', async () => {
    const aspects = Object.fromEntries(BERAKHLAK_ASPECTS.map((a, i) => [`perilaku.${a}`, i < 4 ? 'DI_ATAS' : 'SESUAI'])) as Facts;
    const e = await evaluate(nationalRuleSet, { capaianIndicators: [120, 110, 105], ...aspects });
    expect(e.suggestions.hasilKerja).toBe('DI_ATAS'); // mean 111.67
    expect(e.hasilKerja).toBe('DI_ATAS');
    expect(e.hasilKerjaSource).toBe('SUGGESTED');
    expect(e.perilaku).toBe('DI_ATAS'); // 4 of 7 above, none below
    expect(e.perilakuSource).toBe('ASPECTS');
    expect(e.predikat).toBe('SANGAT_BAIK');
    expect(e.numericScore).toBe(0.7 * 100 + 0.3 * 95);
    // flags look at the assessor's ratings only (matrixPredikat): none yet
    expect(e.flags).toEqual([]);
    const fired = e.trace.filter((t) => t.fired).map((t) => t.rule);
    expect(fired).toContain('Saran hasil kerja dari capaian: di atas ekspektasi');
    const t = e.trace.find((x) => x.rule === 'Saran hasil kerja dari capaian: di atas ekspektasi')!;
    expect(t.conditions[0]).toMatchObject({ pointer: '/conditions/all/0', fact: 'capaianAvg', operator: 'greaterThanInclusive', value: 110, result: true });
  });

  it('missing facts are explicit: no ratings → no predikat, no score (missingComponent NULL)', async () => {
    const e = await evaluate(nationalRuleSet, {});
    expect(e).toMatchObject({ hasilKerja: null, perilaku: null, predikat: null, numericScore: null, flags: [] });
    expect(e.reasons).toContain('Predikat belum dapat ditentukan.');
  });

  it('rejects unknown or ill-typed facts', async () => {
    await expect(evaluate(nationalRuleSet, { capaianAvg: '90' as unknown as number })).rejects.toThrow(/capaianAvg/);
    await expect(evaluate(nationalRuleSet, { nope: 1 } as Facts)).rejects.toThrow(/tidak dikenal/);
  });

  it('property: equals the hand-written reference on random facts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const f = randomFacts(rng(seed));
        expect(project(await evaluate(nationalRuleSet, f))).toEqual(nationalReference(f));
      }),
      { numRuns: 500 },
    );
  });

  it('property: arbitrary ratings and capaian', async () => {
    const rating = fc.constantFrom(...RATINGS);
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            hasilKerjaRating: rating,
            perilakuRating: rating,
            capaianAvg: fc.double({ min: 0, max: 300, noNaN: true }),
            trainingHours: fc.double({ min: 0, max: 60, noNaN: true }),
          },
          { requiredKeys: [] },
        ),
        async (f) => {
          expect(project(await evaluate(nationalRuleSet, f))).toEqual(nationalReference(f));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('calendar helpers', () => {
    expect(periodsOf(nationalRuleSet)).toBe(12);
    expect(calendarOf(demoRuleSet).periodLength).toBe('10s');
    const q = withCalendar(nationalRuleSet, { ...calendarOf(nationalRuleSet), periodKind: 'QUARTERLY', periodLength: '91d' });
    expect(periodsOf(q)).toBe(4);
    expect(validateRuleSet(q).ok).toBe(true);
  });
});
