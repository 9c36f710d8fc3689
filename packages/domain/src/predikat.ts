import { BERAKHLAK_ASPECTS, type BerakhlakAspect, type Predikat, type Rating, type UnitPredikat } from './enums.js';

/**
 * PermenPANRB 6/2022 predikat matrix: rows are hasil kerja, columns perilaku kerja.
 * "Kurang / misconduct" (hasil kerja at or above expectation, perilaku below) is KURANG.
 */
export const PREDIKAT_MATRIX: Readonly<Record<Rating, Readonly<Record<Rating, Predikat>>>> = {
  DI_ATAS: { DI_BAWAH: 'KURANG', SESUAI: 'BAIK', DI_ATAS: 'SANGAT_BAIK' },
  SESUAI: { DI_BAWAH: 'KURANG', SESUAI: 'BAIK', DI_ATAS: 'BAIK' },
  DI_BAWAH: { DI_BAWAH: 'SANGAT_KURANG', SESUAI: 'BUTUH_PERBAIKAN', DI_ATAS: 'BUTUH_PERBAIKAN' },
};

export function predikatFor(hasilKerja: Rating, perilaku: Rating): Predikat {
  return PREDIKAT_MATRIX[hasilKerja][perilaku];
}

export const RATING_VALUE: Record<Rating, number> = { DI_BAWAH: 1, SESUAI: 2, DI_ATAS: 3 };

/**
 * Overall perilaku from the seven BerAKHLAK aspects, by the same rule the regulation gives for hasil kerja:
 * DI_ATAS when most aspects are above expectation and none is below; DI_BAWAH when most are below;
 * otherwise SESUAI.
 */
export function overallPerilaku(aspects: Readonly<Record<BerakhlakAspect, Rating>>): Rating {
  let above = 0;
  let below = 0;
  for (const a of BERAKHLAK_ASPECTS) {
    if (aspects[a] === 'DI_ATAS') above++;
    else if (aspects[a] === 'DI_BAWAH') below++;
  }
  const half = BERAKHLAK_ASPECTS.length / 2;
  if (below > half) return 'DI_BAWAH';
  if (above > half && below === 0) return 'DI_ATAS';
  return 'SESUAI';
}

/** Ratio of staff per predikat within a unit, and the SE MenPANRB 03/2023 bounds for the unit's own predikat. */
export interface DistributionViolation {
  code: string;
  message: string;
  /** the observed share, 0..1 */
  actual: number;
  /** the bound it breaks, 0..1 */
  bound: number;
}

export function predikatShares(predikats: readonly Predikat[]): Record<Predikat, number> {
  const counts: Record<Predikat, number> = { SANGAT_BAIK: 0, BAIK: 0, BUTUH_PERBAIKAN: 0, KURANG: 0, SANGAT_KURANG: 0 };
  for (const p of predikats) counts[p]++;
  const n = predikats.length || 1;
  return {
    SANGAT_BAIK: counts.SANGAT_BAIK / n,
    BAIK: counts.BAIK / n,
    BUTUH_PERBAIKAN: counts.BUTUH_PERBAIKAN / n,
    KURANG: counts.KURANG / n,
    SANGAT_KURANG: counts.SANGAT_KURANG / n,
  };
}

const EPS = 1e-9;

/** Check a unit's staff predikat against the unit's own predikat. An empty unit has no violations. */
export function checkDistribution(unit: UnitPredikat, predikats: readonly Predikat[]): DistributionViolation[] {
  if (predikats.length === 0) return [];
  const s = predikatShares(predikats);
  const out: DistributionViolation[] = [];
  const atMost = (code: string, actual: number, bound: number, message: string) => {
    if (actual > bound + EPS) out.push({ code, actual, bound, message });
  };
  const atLeast = (code: string, actual: number, bound: number, message: string) => {
    if (actual < bound - EPS) out.push({ code, actual, bound, message });
  };
  switch (unit) {
    case 'ISTIMEWA':
      atMost('SANGAT_BAIK_MAX', s.SANGAT_BAIK, 0.7, 'Sangat Baik paling banyak 70% pegawai');
      break;
    case 'BAIK':
      atMost('BAIK_MAX', s.BAIK, 0.7, 'Baik paling banyak 70% pegawai');
      atLeast('BUTUH_PERBAIKAN_OR_KURANG_EXISTS', s.BUTUH_PERBAIKAN + s.KURANG, EPS * 2, 'Harus ada pegawai dengan predikat Butuh Perbaikan atau Kurang');
      break;
    case 'BUTUH_PERBAIKAN':
      atLeast('BUTUH_PERBAIKAN_MIN', s.BUTUH_PERBAIKAN, 0.6, 'Butuh Perbaikan paling sedikit 60% pegawai');
      atMost('SANGAT_BAIK_MAX', s.SANGAT_BAIK, 0.1, 'Sangat Baik paling banyak 10% pegawai');
      break;
    case 'KURANG':
      atLeast('KURANG_MIN', s.KURANG, 0.6, 'Kurang paling sedikit 60% pegawai');
      atLeast('BUTUH_PERBAIKAN_MIN', s.BUTUH_PERBAIKAN, 0.1, 'Butuh Perbaikan paling sedikit 10% pegawai');
      break;
    case 'SANGAT_KURANG':
      atLeast('SANGAT_KURANG_MIN', s.SANGAT_KURANG, 0.6, 'Sangat Kurang paling sedikit 60% pegawai');
      atLeast('KURANG_OR_BUTUH_PERBAIKAN_MIN', s.KURANG + s.BUTUH_PERBAIKAN, 0.1, 'Kurang/Butuh Perbaikan paling sedikit 10% pegawai');
      atMost('SANGAT_BAIK_NONE', s.SANGAT_BAIK, 0, 'Tidak boleh ada Sangat Baik');
      break;
  }
  return out;
}

/** Indicator achievement (capaian) in percent. Time and cost indicators are better when smaller. */
export function capaian(kind: 'QUANTITY' | 'QUALITY' | 'TIME' | 'COST', target: number, realisation: number): number {
  if (kind === 'TIME' || kind === 'COST') {
    if (realisation <= 0) return target <= 0 ? 100 : 200;
    return (target / realisation) * 100;
  }
  if (target === 0) return realisation >= 0 ? 100 : 0;
  return (realisation / target) * 100;
}

/** hasil kerja suggested from an aggregated capaian: >= 110% above, >= 90% meets, below that under. */
export function ratingFromCapaian(pct: number, above = 110, meets = 90): Rating {
  if (pct >= above) return 'DI_ATAS';
  if (pct >= meets) return 'SESUAI';
  return 'DI_BAWAH';
}
