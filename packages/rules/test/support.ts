/**
 * Test/bench support: a hand-written reference of the national rule set (no engine, no rule documents), a seeded
 * random-facts generator, and a projection of evaluations for comparisons.
 */
import {
  BERAKHLAK_ASPECTS,
  POSITION_KINDS,
  RATINGS,
  UNIT_KINDS,
  overallPerilaku,
  type BerakhlakAspect,
  type Flag,
  type Predikat,
  type Rating,
} from '@kinerja/domain';
import { JOB_FAMILIES, type Evaluation, type Facts } from '../src/index.js';

const MATRIX: Record<Rating, Record<Rating, Predikat>> = {
  DI_ATAS: { DI_BAWAH: 'KURANG', SESUAI: 'BAIK', DI_ATAS: 'SANGAT_BAIK' },
  SESUAI: { DI_BAWAH: 'KURANG', SESUAI: 'BAIK', DI_ATAS: 'BAIK' },
  DI_BAWAH: { DI_BAWAH: 'SANGAT_KURANG', SESUAI: 'BUTUH_PERBAIKAN', DI_ATAS: 'BUTUH_PERBAIKAN' },
};
const SCORE: Record<Rating, number> = { DI_BAWAH: 60, SESUAI: 85, DI_ATAS: 95 };

export interface Projection {
  hasilKerja: Rating | null;
  perilaku: Rating | null;
  predikat: Predikat | null;
  suggestedHasilKerja: Rating | null;
  numericScore: number | null;
  flags: string[];
}

export function project(e: Evaluation): Projection {
  return {
    hasilKerja: e.hasilKerja,
    perilaku: e.perilaku,
    predikat: e.predikat,
    suggestedHasilKerja: e.suggestions.hasilKerja,
    numericScore: e.numericScore,
    flags: e.flags.map((f) => f.flag).sort(),
  };
}

/** The national rule set written out by hand from the regulation (PermenPANRB 6/2022 matrix, PP 30/2019 70/30). */
export function nationalReference(f: Facts): Projection {
  const list = f.capaianIndicators && f.capaianIndicators.length ? f.capaianIndicators : null;
  const avg = f.capaianAvg ?? (list ? list.reduce((a, b) => a + b, 0) / list.length : null);
  let perilaku: Rating | null = f.perilakuRating ?? null;
  if (!perilaku && BERAKHLAK_ASPECTS.every((a) => f[`perilaku.${a}`])) {
    const aspects = Object.fromEntries(BERAKHLAK_ASPECTS.map((a) => [a, f[`perilaku.${a}`]])) as Record<BerakhlakAspect, Rating>;
    perilaku = overallPerilaku(aspects);
  }
  const assessed = f.hasilKerjaRating ?? null;
  const matrix = f.matrixPredikat ?? (assessed && perilaku ? MATRIX[assessed][perilaku] : null);
  const suggested: Rating | null = avg === null ? null : avg >= 110 ? 'DI_ATAS' : avg >= 90 ? 'SESUAI' : 'DI_BAWAH';
  const hasilKerja = assessed ?? suggested;
  const predikat = hasilKerja && perilaku ? MATRIX[hasilKerja][perilaku] : null;
  const hk = avg !== null ? Math.min(100, Math.max(0, avg)) : assessed ? SCORE[assessed] : null;
  const pr = perilaku ? SCORE[perilaku] : null;
  const numericScore = hk !== null && pr !== null ? Math.round((0.7 * hk + 0.3 * pr) * 100) / 100 : null;
  const flags: Flag[] = [];
  if (matrix === 'SANGAT_BAIK') flags.push('REWARD');
  if (matrix === 'BUTUH_PERBAIKAN' || matrix === 'KURANG' || matrix === 'SANGAT_KURANG') flags.push('COACHING');
  if (matrix === 'KURANG' || matrix === 'SANGAT_KURANG') flags.push('SANCTION_REVIEW');
  if (f.trainingHours != null && f.trainingHours < 20) flags.push('TRAINING');
  return { hasilKerja, perilaku, predikat, suggestedHasilKerja: suggested, numericScore, flags: flags.sort() };
}

/** mulberry32: a small seeded PRNG */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random facts, each fact present with probability ~0.8; values cover every rule boundary. */
export function randomFacts(r: () => number): Facts {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const maybe = <T>(v: () => T): T | undefined => (r() < 0.8 ? v() : undefined);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const periods = int(0, 12);
  const onTime = int(0, periods);
  const late = int(0, periods - onTime);
  const f: Record<string, unknown> = {
    capaianIndicators: maybe(() => Array.from({ length: int(1, 6) }, () => pick([0, 50, 89.99, 90, 95, 100, 109.99, 110, 120, 150, int(0, 200)]))),
    capaianTimeAvg: maybe(() => pick([80, 89, 90, 99, 100, 120, int(0, 150)])),
    periods,
    reportsOnTime: onTime,
    reportsLate: late,
    reportsMissing: periods - onTime - late,
    periodRatingsAbove: maybe(() => int(0, 4)),
    periodRatingsMeets: maybe(() => int(0, 8)),
    periodRatingsBelow: maybe(() => int(0, 4)),
    hasilKerjaRating: maybe(() => pick(RATINGS)),
    attendanceRate: maybe(() => pick([70, 79.9, 80, 89.9, 90, 94.9, 95, 100, int(0, 100)])),
    satisfactionMean: maybe(() => pick([1, 2.5, 2.6, 3.06, 3.07, 3.53, 3.54, 4])),
    satisfactionResponses: maybe(() => pick([0, 10, 29, 30, 200])),
    innovations: maybe(() => int(0, 3)),
    trainingHours: maybe(() => pick([0, 10, 19.5, 20, 40])),
    unitKind: maybe(() => pick(UNIT_KINDS)),
    positionKind: maybe(() => pick(POSITION_KINDS)),
    jobFamily: maybe(() => pick(JOB_FAMILIES)),
  };
  if (r() < 0.5) f.perilakuRating = pick(RATINGS);
  else if (r() < 0.8) for (const a of BERAKHLAK_ASPECTS) f[`perilaku.${a}`] = pick(RATINGS);
  for (const k of Object.keys(f)) if (f[k] === undefined) delete f[k];
  return f;
}
