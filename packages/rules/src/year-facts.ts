/**
 * The year's facts from a snapshot of what the database holds for one evaluation (indicators, period reports, feedback
 * sessions, attendance, surveys), optionally with the supervisor's annual rating. Pure: the snapshot is loaded
 * elsewhere (@kinerja/db loadYearSnapshot), so the worker's scoring and the API's preview derive the same facts.
 */
import {
  BERAKHLAK_ASPECTS,
  capaian,
  predikatFor,
  type BehaviourRatings,
  type Flag,
  type PositionKind,
  type Predikat,
  type Rating,
  type UnitKind,
} from '@kinerja/domain';
import type { Facts, NormalizedFacts } from './catalog.js';
import { normalizeFacts } from './catalog.js';
import { compileDocument } from './compile.js';
import { interpolate, reasonParts, type CompiledRule, type Evaluation } from './outcome.js';
import type { RuleSetDocument } from './schema.js';

export interface YearIndicator {
  id: string;
  kind: 'QUANTITY' | 'QUALITY' | 'TIME' | 'COST';
  target: number;
}

export interface YearReport {
  /** OPEN, SUBMITTED, …, MISSING or NOT_APPLICABLE */
  status: string;
  late: boolean;
  rating: string | null;
  /** as stored: a list of `{ indicatorId, value }`; anything else counts as no realisation */
  realisations: unknown;
}

export interface YearSnapshot {
  indicators: readonly YearIndicator[];
  reports: readonly YearReport[];
  /** PERIOD reviews (feedback sessions) recorded */
  periodReviews: number;
  unitKind: UnitKind;
  positionKind: PositionKind;
  attendance: { present: number; total: number };
  /** the employee's survey responses in the region, on a 1–5 scale */
  survey: { mean: number | null; responses: number };
}

export interface YearRating {
  hasilKerja: Rating;
  perilaku: BehaviourRatings;
}

/** Mean of numbers, null when empty. */
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

export function yearFacts(snapshot: YearSnapshot, rating?: YearRating | null): Facts {
  // a period that ended before the SKP was approved, and that the rule set asks no report for, is not part of the year
  const reports = snapshot.reports.filter((r) => r.status !== 'NOT_APPLICABLE');
  // realisation per indicator: QUANTITY sums over periods (annual target), the other kinds average
  const values = new Map<string, number[]>();
  for (const r of reports) {
    if (r.status === 'MISSING' || !Array.isArray(r.realisations)) continue;
    for (const item of r.realisations as { indicatorId?: unknown; value?: unknown }[]) {
      if (typeof item.indicatorId !== 'string' || typeof item.value !== 'number') continue;
      const list = values.get(item.indicatorId) ?? [];
      list.push(item.value);
      values.set(item.indicatorId, list);
    }
  }
  const capaianIndicators: number[] = [];
  const timeCapaian: number[] = [];
  for (const ind of snapshot.indicators) {
    const vs = values.get(ind.id) ?? [];
    const kind = ind.kind;
    const real = kind === 'QUANTITY' ? vs.reduce((a, b) => a + b, 0) : (mean(vs) ?? 0);
    const pct = vs.length === 0 && kind !== 'QUANTITY' ? 0 : capaian(kind, ind.target, real);
    const bounded = Math.max(0, Math.round(pct * 100) / 100);
    capaianIndicators.push(bounded);
    if (kind === 'TIME') timeCapaian.push(bounded);
  }
  const count = (pred: (r: YearReport) => boolean) => reports.filter(pred).length;
  const facts: Facts = {
    capaianIndicators: capaianIndicators.length ? capaianIndicators : null,
    capaianTimeAvg: mean(timeCapaian),
    periods: reports.length,
    reportsOnTime: count((r) => r.status !== 'MISSING' && r.status !== 'OPEN' && !r.late),
    reportsLate: count((r) => r.status !== 'MISSING' && r.status !== 'OPEN' && r.late),
    reportsMissing: count((r) => r.status === 'MISSING'),
    periodRatingsAbove: count((r) => r.rating === 'DI_ATAS'),
    periodRatingsMeets: count((r) => r.rating === 'SESUAI'),
    periodRatingsBelow: count((r) => r.rating === 'DI_BAWAH'),
    feedbackSessions: snapshot.periodReviews,
    unitKind: snapshot.unitKind,
    positionKind: snapshot.positionKind,
  };
  if (rating) {
    facts.hasilKerjaRating = rating.hasilKerja;
    for (const a of BERAKHLAK_ASPECTS) (facts as Record<string, Rating>)[`perilaku.${a}`] = rating.perilaku[a];
  }
  const { present, total } = snapshot.attendance;
  if (total > 0) facts.attendanceRate = (present / total) * 100;
  const survey = snapshot.survey;
  if (survey.responses > 0 && survey.mean !== null) {
    facts.satisfactionMean = satisfactionOnSkmScale(survey.mean);
    facts.satisfactionResponses = survey.responses;
  }
  return facts;
}

/**
 * A mean of the public form's 1–5 answers on the SKM's 1–4 scale (PermenPANRB 14/2017), mapped linearly: the
 * `satisfactionMean` fact the rule sets judge, and the index the admin's survey page shows.
 */
export function satisfactionOnSkmScale(mean5: number): number {
  return Math.min(4, Math.max(1, 1 + ((mean5 - 1) * 3) / 4));
}

export interface ExplainedReason {
  id: string;
  /** the rule's English reason, when the rule set carries one */
  en?: string;
}

/**
 * An evaluation's reasons, each with the English text of the rule it came from when that rule carries `reasonEn`;
 * the sentences the engine adds about how ratings, predikat and score were set are Indonesian only.
 */
export function explainReasons(doc: RuleSetDocument, facts: Facts, out: { reasons: readonly string[] }): ExplainedReason[] {
  const normalized: NormalizedFacts = normalizeFacts(facts);
  const english = new Map<string, string>();
  for (const rule of compileDocument(doc).rules) {
    if (!rule.reasonEn) continue;
    const en: CompiledRule = { ...rule, reasonParts: reasonParts(rule.reasonEn) };
    english.set(interpolate(rule, normalized), interpolate(en, normalized));
  }
  return out.reasons.map((id) => {
    const en = english.get(id);
    return en === undefined ? { id } : { id, en };
  });
}

export interface RecordedOutcome {
  hasilKerja: Rating;
  perilaku: Rating;
  predikat: Predikat;
  numericScore: number;
  flags: Flag[];
  reasons: string[];
}

/**
 * What is recorded as the year's result from an evaluation: the rule set may leave a rating open (nobody rated and no
 * rule suggested one), the fallback is then recorded with a reason saying so, never guessed silently.
 */
export function recordedOutcome(out: Evaluation): RecordedOutcome {
  const reasons = [...out.reasons];
  const hasilKerja: Rating = out.hasilKerja ?? 'DI_BAWAH';
  const perilaku: Rating = out.perilaku ?? 'SESUAI';
  if (!out.hasilKerja) reasons.push('Hasil kerja tidak dinilai dan tidak dapat diturunkan: ditetapkan DI_BAWAH ekspektasi.');
  if (!out.perilaku) reasons.push('Perilaku kerja tidak dinilai: ditetapkan SESUAI ekspektasi.');
  return {
    hasilKerja,
    perilaku,
    predikat: out.predikat ?? predikatFor(hasilKerja, perilaku),
    numericScore: out.numericScore ?? 0,
    flags: [...new Set(out.flags.map((f) => f.flag))],
    reasons,
  };
}
