import {
  BERAKHLAK_LABELS,
  BERAKHLAK_ASPECTS,
  POSITION_KINDS,
  PREDIKATS,
  RATINGS,
  UNIT_KINDS,
  overallPerilaku,
  predikatFor,
  type BerakhlakAspect,
  type PositionKind,
  type Predikat,
  type Rating,
  type UnitKind,
} from '@kinerja/domain';

/** Job families, for role-specific rules (Tenayan Raya: finance timeliness). */
export const JOB_FAMILIES = ['KEUANGAN', 'KESEHATAN', 'PENDIDIKAN', 'PELAYANAN', 'ADMINISTRASI', 'TEKNIS', 'LAINNYA'] as const;
export type JobFamily = (typeof JOB_FAMILIES)[number];

/** Value types of facts. `enum` facts list their `values`. */
export type FactType = 'number' | 'integer' | 'rating' | 'enum' | 'number[]';

export interface FactDefinition {
  name: string;
  type: FactType;
  /** allowed values for `enum` and `rating` facts */
  values?: readonly string[];
  /** inclusive numeric range, for validation and reachability analysis */
  min?: number;
  max?: number;
  unit: string;
  description: { id: string; en: string };
  /** derived from other facts by `normalizeFacts` when absent (documented in the description) */
  derived?: boolean;
}

const num = (
  name: string,
  unit: string,
  id: string,
  en: string,
  range: { min?: number; max?: number; integer?: boolean; derived?: boolean } = {},
): FactDefinition => ({
  name,
  type: range.integer ? 'integer' : 'number',
  unit,
  description: { id, en },
  ...(range.min !== undefined ? { min: range.min } : {}),
  ...(range.max !== undefined ? { max: range.max } : {}),
  ...(range.derived ? { derived: true } : {}),
});

const count = (name: string, id: string, en: string, derived = false) => num(name, 'jumlah', id, en, { min: 0, integer: true, derived });

const rating = (name: string, id: string, en: string, derived = false): FactDefinition => ({
  name,
  type: 'rating',
  values: RATINGS,
  unit: 'rating',
  description: { id, en },
  ...(derived ? { derived: true } : {}),
});

const LABELS_ID: Record<BerakhlakAspect, string> = BERAKHLAK_LABELS;

/**
 * Every fact a rule may reference. All facts are optional: an absent fact has the value `null`
 * (see README "Missing facts"). Derived facts are computed by `normalizeFacts` from their sources when the
 * caller did not supply them.
 */
export const FACT_CATALOG: readonly FactDefinition[] = [
  {
    name: 'capaianIndicators',
    type: 'number[]',
    unit: '%',
    min: 0,
    description: {
      id: 'Capaian tiap indikator kinerja (realisasi ÷ target × 100; indikator waktu/biaya dibalik).',
      en: 'Achievement per indicator (realisation ÷ target × 100; time/cost inverted).',
    },
  },
  num(
    'capaianAvg',
    '%',
    'Rata-rata capaian seluruh indikator (diturunkan dari capaianIndicators).',
    'Mean achievement over all indicators (derived from capaianIndicators).',
    { min: 0, derived: true },
  ),
  num('capaianMin', '%', 'Capaian terendah di antara indikator (diturunkan).', 'Lowest indicator achievement (derived).', { min: 0, derived: true }),
  num('capaianTimeAvg', '%', 'Rata-rata capaian indikator jenis WAKTU (ketepatan waktu).', 'Mean achievement of TIME indicators (timeliness).', { min: 0 }),
  count('indicatorsTotal', 'Jumlah indikator (diturunkan).', 'Number of indicators (derived).', true),
  count('indicatorsBelowTarget', 'Jumlah indikator dengan capaian di bawah 100% (diturunkan).', 'Indicators below 100% achievement (derived).', true),
  count('periods', 'Jumlah periode pelaporan yang sudah berakhir.', 'Reporting periods that have ended.'),
  count('reportsOnTime', 'Laporan periodik yang disampaikan tepat waktu.', 'Period reports submitted on time.'),
  count('reportsLate', 'Laporan periodik yang terlambat (sebelum batas akhir).', 'Period reports submitted late (before the cutoff).'),
  count('reportsMissing', 'Laporan periodik yang tidak disampaikan.', 'Period reports never submitted.'),
  num(
    'reportsOnTimeRate',
    '%',
    'Persentase laporan tepat waktu = reportsOnTime ÷ periods × 100 (diturunkan; null bila periods = 0).',
    'On-time report share = reportsOnTime ÷ periods × 100 (derived; null when periods = 0).',
    { min: 0, max: 100, derived: true },
  ),
  count('periodRatingsAbove', 'Periode yang dinilai DI_ATAS ekspektasi.', 'Periods rated above expectation.'),
  count('periodRatingsMeets', 'Periode yang dinilai SESUAI ekspektasi.', 'Periods rated as expected.'),
  count('periodRatingsBelow', 'Periode yang dinilai DI_BAWAH ekspektasi.', 'Periods rated below expectation.'),
  rating('hasilKerjaRating', 'Rating hasil kerja tahunan dari pejabat penilai.', "The assessor's annual work-result rating."),
  ...BERAKHLAK_ASPECTS.map((a) =>
    rating(`perilaku.${a}`, `Rating perilaku kerja aspek ${LABELS_ID[a]} (BerAKHLAK).`, `Behaviour rating for the ${LABELS_ID[a]} core value.`),
  ),
  rating(
    'perilakuRating',
    'Rating perilaku kerja keseluruhan; bila kosong dan ketujuh aspek terisi, dihitung dengan overallPerilaku.',
    'Overall behaviour rating; derived from the seven aspects when absent.',
    true,
  ),
  count('perilakuAspectsBelow', 'Jumlah aspek BerAKHLAK yang DI_BAWAH ekspektasi (diturunkan).', 'BerAKHLAK aspects rated below expectation (derived).', true),
  count('perilakuAspectsAbove', 'Jumlah aspek BerAKHLAK yang DI_ATAS ekspektasi (diturunkan).', 'BerAKHLAK aspects rated above expectation (derived).', true),
  {
    name: 'matrixPredikat',
    type: 'enum',
    values: PREDIKATS,
    unit: 'predikat',
    derived: true,
    description: {
      id: 'Predikat menurut matriks PermenPANRB 6/2022 dari rating pejabat penilai (diturunkan; null bila salah satu rating kosong).',
      en: "Predikat by the PermenPANRB 6/2022 matrix from the assessor's ratings (derived; null when a rating is absent).",
    },
  },
  num('attendanceRate', '%', 'Persentase kehadiran dari aplikasi presensi.', 'Attendance share from the attendance app.', { min: 0, max: 100 }),
  num(
    'satisfactionMean',
    'skala 1–4',
    'Rata-rata survei kepuasan masyarakat (skala SKM 1–4, PermenPANRB 14/2017).',
    'Mean citizen-satisfaction score (SKM scale 1–4).',
    { min: 1, max: 4 },
  ),
  num(
    'satisfactionIndex',
    'IKM 25–100',
    'Indeks Kepuasan Masyarakat = satisfactionMean × 25 (diturunkan).',
    'Satisfaction index = satisfactionMean × 25 (derived).',
    { min: 25, max: 100, derived: true },
  ),
  count('satisfactionResponses', 'Jumlah responden survei kepuasan.', 'Number of survey responses.'),
  count('innovations', 'Jumlah inovasi yang tercatat.', 'Recorded innovations.'),
  num('trainingHours', 'JP', 'Jam pelajaran pengembangan kompetensi tahun ini.', 'Competency-development hours (JP) this year.', { min: 0 }),
  count('feedbackSessions', 'Jumlah sesi umpan balik/pembinaan yang tercatat.', 'Recorded feedback/coaching sessions.'),
  { name: 'unitKind', type: 'enum', values: UNIT_KINDS, unit: 'jenis', description: { id: 'Jenis unit kerja pegawai.', en: "Kind of the employee's unit." } },
  {
    name: 'positionKind',
    type: 'enum',
    values: POSITION_KINDS,
    unit: 'jenis',
    description: { id: 'Jenis jabatan (struktural/fungsional/pelaksana).', en: 'Position kind.' },
  },
  {
    name: 'jobFamily',
    type: 'enum',
    values: JOB_FAMILIES,
    unit: 'jenis',
    description: { id: 'Rumpun tugas (keuangan, kesehatan, pendidikan, …).', en: 'Job family (finance, health, education, …).' },
  },
];

export const FACTS_BY_NAME: ReadonlyMap<string, FactDefinition> = new Map(FACT_CATALOG.map((f) => [f.name, f]));
export const FACT_NAMES: readonly string[] = FACT_CATALOG.map((f) => f.name);

/** Fact values for one employee and year. Every field is optional; absent means unknown (null in rules). */
export interface Facts {
  capaianIndicators?: readonly number[] | null;
  capaianAvg?: number | null;
  capaianMin?: number | null;
  capaianTimeAvg?: number | null;
  indicatorsTotal?: number | null;
  indicatorsBelowTarget?: number | null;
  periods?: number | null;
  reportsOnTime?: number | null;
  reportsLate?: number | null;
  reportsMissing?: number | null;
  reportsOnTimeRate?: number | null;
  periodRatingsAbove?: number | null;
  periodRatingsMeets?: number | null;
  periodRatingsBelow?: number | null;
  hasilKerjaRating?: Rating | null;
  perilakuRating?: Rating | null;
  perilakuAspectsBelow?: number | null;
  perilakuAspectsAbove?: number | null;
  matrixPredikat?: Predikat | null;
  attendanceRate?: number | null;
  satisfactionMean?: number | null;
  satisfactionIndex?: number | null;
  satisfactionResponses?: number | null;
  innovations?: number | null;
  trainingHours?: number | null;
  feedbackSessions?: number | null;
  unitKind?: UnitKind | null;
  positionKind?: PositionKind | null;
  jobFamily?: JobFamily | null;
  'perilaku.BERORIENTASI_PELAYANAN'?: Rating | null;
  'perilaku.AKUNTABEL'?: Rating | null;
  'perilaku.KOMPETEN'?: Rating | null;
  'perilaku.HARMONIS'?: Rating | null;
  'perilaku.LOYAL'?: Rating | null;
  'perilaku.ADAPTIF'?: Rating | null;
  'perilaku.KOLABORATIF'?: Rating | null;
}

/** Facts after normalisation: every catalog fact present, `null` when unknown. */
export type NormalizedFacts = { readonly [K in keyof Facts]-?: Exclude<Facts[K], undefined> };

export interface FactIssue {
  fact: string;
  message: string;
}

export class FactsError extends Error {
  constructor(readonly issues: readonly FactIssue[]) {
    super(`fakta tidak valid: ${issues.map((i) => `${i.fact}: ${i.message}`).join('; ')}`);
    this.name = 'FactsError';
  }
}

function checkValue(def: FactDefinition, v: unknown): string | null {
  switch (def.type) {
    case 'number':
    case 'integer':
      if (typeof v !== 'number' || !Number.isFinite(v)) return 'harus berupa angka';
      if (def.type === 'integer' && !Number.isInteger(v)) return 'harus bilangan bulat';
      if (def.min !== undefined && v < def.min) return `tidak boleh kurang dari ${def.min}`;
      if (def.max !== undefined && v > def.max) return `tidak boleh lebih dari ${def.max}`;
      return null;
    case 'rating':
    case 'enum':
      return typeof v === 'string' && def.values!.includes(v) ? null : `harus salah satu dari ${def.values!.join(', ')}`;
    case 'number[]':
      if (!Array.isArray(v)) return 'harus berupa daftar angka';
      for (const x of v as unknown[]) if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) return 'setiap nilai harus angka ≥ 0';
      return null;
  }
}

/** Check supplied facts against the catalog (unknown names, wrong types, out-of-range values). */
export function checkFacts(facts: Readonly<Record<string, unknown>>): FactIssue[] {
  const issues: FactIssue[] = [];
  for (const key in facts) {
    const v = facts[key];
    if (v === undefined || v === null) continue;
    const def = FACTS_BY_NAME.get(key);
    if (!def) {
      issues.push({ fact: key, message: 'fakta tidak dikenal' });
      continue;
    }
    const p = checkValue(def, v);
    if (p) issues.push({ fact: key, message: p });
  }
  return issues;
}

const NULL_FACTS: Readonly<Record<string, null>> = Object.freeze(Object.fromEntries(FACT_NAMES.map((n) => [n, null])));

const PERILAKU_KEYS = BERAKHLAK_ASPECTS.map((a) => `perilaku.${a}`);

/**
 * Validate facts and fill every catalog fact: supplied values are kept; derived facts are computed from their
 * sources when absent; everything else is `null`. Throws `FactsError` on unknown or ill-typed facts.
 */
export function normalizeFacts(input: Facts): NormalizedFacts {
  const f: Record<string, unknown> = { ...NULL_FACTS };
  const raw = input as Record<string, unknown>;
  let issues: FactIssue[] | null = null;
  for (const key in raw) {
    const v = raw[key];
    if (v === undefined || v === null) continue;
    const def = FACTS_BY_NAME.get(key);
    const p = def ? checkValue(def, v) : 'fakta tidak dikenal';
    if (p) (issues ??= []).push({ fact: key, message: p });
    else f[key] = v;
  }
  if (issues) throw new FactsError(issues);
  const list = f.capaianIndicators as number[] | null;
  if (list !== null && list.length === 0) f.capaianIndicators = null;
  else if (list !== null) {
    let sum = 0;
    let min = Infinity;
    let below = 0;
    for (const x of list) {
      sum += x;
      if (x < min) min = x;
      if (x < 100) below++;
    }
    if (f.capaianAvg === null) f.capaianAvg = sum / list.length;
    if (f.capaianMin === null) f.capaianMin = min;
    if (f.indicatorsTotal === null) f.indicatorsTotal = list.length;
    if (f.indicatorsBelowTarget === null) f.indicatorsBelowTarget = below;
  }
  if (f.reportsOnTimeRate === null && typeof f.periods === 'number' && f.periods > 0 && typeof f.reportsOnTime === 'number') {
    f.reportsOnTimeRate = Math.min(100, (f.reportsOnTime / f.periods) * 100);
  }
  if (f.satisfactionIndex === null && typeof f.satisfactionMean === 'number') f.satisfactionIndex = f.satisfactionMean * 25;
  let aspectsKnown = 0;
  let below = 0;
  let above = 0;
  for (const k of PERILAKU_KEYS) {
    const r = f[k] as Rating | null;
    if (r === null) continue;
    aspectsKnown++;
    if (r === 'DI_BAWAH') below++;
    else if (r === 'DI_ATAS') above++;
  }
  if (aspectsKnown === PERILAKU_KEYS.length) {
    if (f.perilakuAspectsBelow === null) f.perilakuAspectsBelow = below;
    if (f.perilakuAspectsAbove === null) f.perilakuAspectsAbove = above;
    if (f.perilakuRating === null) {
      const aspects = {} as Record<BerakhlakAspect, Rating>;
      for (const a of BERAKHLAK_ASPECTS) aspects[a] = f[`perilaku.${a}`] as Rating;
      f.perilakuRating = overallPerilaku(aspects);
    }
  }
  if (f.matrixPredikat === null && f.hasilKerjaRating !== null && f.perilakuRating !== null) {
    f.matrixPredikat = predikatFor(f.hasilKerjaRating as Rating, f.perilakuRating as Rating);
  }
  return f as NormalizedFacts;
}
