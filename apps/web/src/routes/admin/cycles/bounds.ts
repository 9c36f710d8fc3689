import type { Predikat, UnitPredikat } from '@kinerja/domain';
import type { ChartBound } from '../../../components/chart';

/**
 * The SE MenPANRB 03/2023 bounds as the calibration page draws and words them: per unit predikat, each rule's code
 * (the code of the API's violation when it breaks), the staff predikat it counts and its share (0..1). The API decides
 * (domain `checkDistribution`); this table only explains its answer, and the browser test checks the two agree.
 */
export interface DistributionRule {
  code: string;
  of: readonly [Predikat, ...Predikat[]];
  min?: number;
  max?: number;
}

export const DISTRIBUTION_RULES: Readonly<Record<UnitPredikat, readonly DistributionRule[]>> = {
  ISTIMEWA: [{ code: 'SANGAT_BAIK_MAX', of: ['SANGAT_BAIK'], max: 0.7 }],
  BAIK: [
    { code: 'BAIK_MAX', of: ['BAIK'], max: 0.7 },
    // "there must be someone": any share above zero
    { code: 'BUTUH_PERBAIKAN_OR_KURANG_EXISTS', of: ['BUTUH_PERBAIKAN', 'KURANG'], min: Number.MIN_VALUE },
  ],
  BUTUH_PERBAIKAN: [
    { code: 'BUTUH_PERBAIKAN_MIN', of: ['BUTUH_PERBAIKAN'], min: 0.6 },
    { code: 'SANGAT_BAIK_MAX', of: ['SANGAT_BAIK'], max: 0.1 },
  ],
  KURANG: [
    { code: 'KURANG_MIN', of: ['KURANG'], min: 0.6 },
    { code: 'BUTUH_PERBAIKAN_MIN', of: ['BUTUH_PERBAIKAN'], min: 0.1 },
  ],
  SANGAT_KURANG: [
    { code: 'SANGAT_KURANG_MIN', of: ['SANGAT_KURANG'], min: 0.6 },
    { code: 'KURANG_OR_BUTUH_PERBAIKAN_MIN', of: ['KURANG', 'BUTUH_PERBAIKAN'], min: 0.1 },
    { code: 'SANGAT_BAIK_NONE', of: ['SANGAT_BAIK'], max: 0 },
  ],
};

/** The unit predikat, in the table's order (best first). */
export const UNIT_PREDIKATS = Object.keys(DISTRIBUTION_RULES) as UnitPredikat[];

/** The bands of the rules that bound one predikat alone, in percent (BarChart's `bounds`). */
export function chartBounds(unit: UnitPredikat): Record<string, ChartBound> {
  const out: Record<string, ChartBound> = {};
  for (const r of DISTRIBUTION_RULES[unit]) {
    if (r.of.length !== 1) continue;
    const b = (out[r.of[0]] ??= {});
    if (r.min !== undefined) b.min = r.min * 100;
    if (r.max !== undefined) b.max = r.max * 100;
  }
  return out;
}

/** The rule's observed share in a distribution of counts. */
export function shareOf(rule: DistributionRule, counts: Readonly<Record<Predikat, number>>): number {
  const total = Object.values(counts).reduce((a, n) => a + n, 0);
  return total ? rule.of.reduce((a, p) => a + counts[p], 0) / total : 0;
}

/** the tolerance of the shares' floating-point sums (7 of 10 is 70%, not more) */
const EPS = 1e-9;

/** Whether a distribution of counts breaks the rule ("someone must": a share above zero). */
export function breaks(rule: DistributionRule, counts: Readonly<Record<Predikat, number>>): boolean {
  const share = shareOf(rule, counts);
  if (rule.max !== undefined && share > rule.max + EPS) return true;
  if (rule.min === undefined) return false;
  return rule.min < EPS ? share <= 0 : share < rule.min - EPS;
}
