import { predikatFor, type Flag, type Predikat, type Rating } from '@kinerja/domain';
import type { Facts, NormalizedFacts } from './catalog.js';
import type { ConditionNode, RuleEvent, RuleSetDocument } from './schema.js';

/** A rule after compilation: `{param}` references resolved, defaults applied. */
export interface CompiledRule {
  index: number;
  name: string;
  reason: string;
  /** the reason split at `{fact}` placeholders: even indexes are text, odd indexes fact names */
  reasonParts: readonly string[];
  reasonEn: string | undefined;
  priority: number;
  conditions: { all: ConditionNode[] } | { any: ConditionNode[] };
  event: RuleEvent;
}

export interface ConditionTrace {
  /** pointer relative to the rule, e.g. /conditions/all/0 */
  pointer: string;
  fact: string;
  operator: string;
  value: unknown;
  /** the fact's value for this subject (null when absent) */
  factValue: unknown;
  /** the comparison's result; null when the engine did not need to evaluate it */
  result: boolean | null;
}

export interface RuleTrace {
  rule: string;
  index: number;
  priority: number;
  fired: boolean;
  outcome: RuleEvent;
  conditions: ConditionTrace[];
}

export interface FlagOutcome {
  flag: Flag;
  rule: string;
  reason: string;
}

export interface ScoreComponentResult {
  component: string;
  weight: number;
  /** 0–100, null when no rule produced it or its fact is absent */
  value: number | null;
  rule: string | null;
}

export interface Evaluation {
  ruleSet: { key: string; hash: string };
  /** effective hasil kerja: the assessor's rating, else a rule's suggestion, else null */
  hasilKerja: Rating | null;
  hasilKerjaSource: 'ASSESSOR' | 'SUGGESTED' | null;
  /** effective perilaku: the assessor's overall rating, else from the seven aspects, else a suggestion */
  perilaku: Rating | null;
  perilakuSource: 'ASSESSOR' | 'ASPECTS' | 'SUGGESTED' | null;
  suggestions: { hasilKerja: Rating | null; perilaku: Rating | null };
  predikat: Predikat | null;
  predikatSource: 'MATRIX' | 'RULE' | null;
  /** weighted score 0–100 (2 decimals), null when it cannot be computed */
  numericScore: number | null;
  scoreComponents: ScoreComponentResult[];
  flags: FlagOutcome[];
  /** why, in Bahasa Indonesia: each fired rule's reason, then how the ratings, predikat and score were set */
  reasons: string[];
  trace: RuleTrace[];
}

export interface CompiledRuleSet {
  doc: RuleSetDocument;
  hash: string;
  rules: readonly CompiledRule[];
  /** rules ordered by priority (desc), then document order: the order in which outcomes win */
  byPrecedence: readonly CompiledRule[];
}

const fmtNumber = (x: number): string => {
  const r = Math.round(x * 100) / 100;
  return String(r).replace('.', ',');
};

export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return 'tidak ada data';
  if (typeof v === 'number') return fmtNumber(v);
  if (Array.isArray(v)) return v.map(formatValue).join(', ');
  if (typeof v === 'string' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** Split a reason at its `{factName}` placeholders (even indexes text, odd indexes fact names). */
export function reasonParts(text: string): string[] {
  return text.split(/\{([^{}]+)\}/g);
}

/** A rule's reason with each `{factName}` replaced by the subject's fact value. */
export function interpolate(rule: CompiledRule, facts: NormalizedFacts): string {
  const parts = rule.reasonParts;
  if (parts.length === 1) return parts[0]!;
  let out = '';
  for (let i = 0; i < parts.length; i++) out += i % 2 === 0 ? parts[i] : formatValue((facts as Record<string, unknown>)[parts[i]!]);
  return out;
}

const RATING_ID: Record<Rating, string> = { DI_ATAS: 'di atas ekspektasi', SESUAI: 'sesuai ekspektasi', DI_BAWAH: 'di bawah ekspektasi' };
const PREDIKAT_ID: Record<Predikat, string> = {
  SANGAT_BAIK: 'Sangat Baik',
  BAIK: 'Baik',
  BUTUH_PERBAIKAN: 'Butuh Perbaikan',
  KURANG: 'Kurang',
  SANGAT_KURANG: 'Sangat Kurang',
};

/**
 * Turn the set of fired rules into the evaluation. Shared by the json-rules-engine path and the reference
 * interpreter, so both agree on everything but condition evaluation.
 */
export function resolveOutcome(rs: CompiledRuleSet, input: Facts, facts: NormalizedFacts, fired: readonly boolean[], trace: RuleTrace[]): Evaluation {
  let suggestH: CompiledRule | null = null;
  let suggestP: CompiledRule | null = null;
  let setP: CompiledRule | null = null;
  const comps = new Map<string, CompiledRule>();
  for (const r of rs.byPrecedence) {
    if (!fired[r.index]) continue;
    const ev = r.event;
    switch (ev.type) {
      case 'suggestHasilKerja':
        suggestH ??= r;
        break;
      case 'suggestPerilaku':
        suggestP ??= r;
        break;
      case 'setPredikat':
        setP ??= r;
        break;
      case 'scoreComponent':
        if (!comps.has(ev.params.component)) comps.set(ev.params.component, r);
        break;
      case 'flag':
        break;
    }
  }
  // reasons: every fired flag rule and every rule whose outcome took effect, in document order
  const effective = new Set<CompiledRule | null>([suggestH, suggestP, setP, ...comps.values()]);
  const reasons: string[] = [];
  for (const r of rs.rules) {
    if (fired[r.index] && (r.event.type === 'flag' || effective.has(r))) reasons.push(interpolate(r, facts));
  }
  const flags: FlagOutcome[] = [];
  for (const r of rs.rules) {
    if (fired[r.index] && r.event.type === 'flag') flags.push({ flag: r.event.params.flag, rule: r.name, reason: interpolate(r, facts) });
  }

  const suggestedH = suggestH && suggestH.event.type === 'suggestHasilKerja' ? suggestH.event.params.rating : null;
  const suggestedP = suggestP && suggestP.event.type === 'suggestPerilaku' ? suggestP.event.params.rating : null;

  let hasilKerja: Rating | null = facts.hasilKerjaRating;
  let hasilKerjaSource: Evaluation['hasilKerjaSource'] = hasilKerja ? 'ASSESSOR' : null;
  if (hasilKerja) reasons.push(`Hasil kerja ${RATING_ID[hasilKerja]} (${hasilKerja}) menurut rating pejabat penilai.`);
  else if (suggestedH) {
    hasilKerja = suggestedH;
    hasilKerjaSource = 'SUGGESTED';
    reasons.push(`Hasil kerja ${RATING_ID[suggestedH]} (${suggestedH}) disarankan oleh aturan "${suggestH!.name}"; pejabat penilai belum memberi rating.`);
  } else reasons.push('Hasil kerja belum dapat ditentukan: belum ada rating pejabat penilai dan tidak ada aturan yang memberi saran.');
  if (suggestedH && facts.hasilKerjaRating && suggestedH !== facts.hasilKerjaRating)
    reasons.push(
      `Catatan: aturan "${suggestH!.name}" menyarankan hasil kerja ${suggestedH}, berbeda dengan rating pejabat penilai (${facts.hasilKerjaRating}).`,
    );

  let perilaku: Rating | null = facts.perilakuRating;
  let perilakuSource: Evaluation['perilakuSource'] = null;
  if (perilaku) {
    perilakuSource = input.perilakuRating ? 'ASSESSOR' : 'ASPECTS';
    reasons.push(
      perilakuSource === 'ASSESSOR'
        ? `Perilaku kerja ${RATING_ID[perilaku]} (${perilaku}) menurut rating pejabat penilai.`
        : `Perilaku kerja ${RATING_ID[perilaku]} (${perilaku}) dari tujuh aspek BerAKHLAK: ${facts.perilakuAspectsAbove ?? 0} di atas, ${facts.perilakuAspectsBelow ?? 0} di bawah ekspektasi.`,
    );
  } else if (suggestedP) {
    perilaku = suggestedP;
    perilakuSource = 'SUGGESTED';
    reasons.push(`Perilaku kerja ${RATING_ID[suggestedP]} (${suggestedP}) disarankan oleh aturan "${suggestP!.name}"; pejabat penilai belum memberi rating.`);
  } else reasons.push('Perilaku kerja belum dapat ditentukan: belum ada rating pejabat penilai.');

  let predikat: Predikat | null = null;
  let predikatSource: Evaluation['predikatSource'] = null;
  if (setP && setP.event.type === 'setPredikat') {
    predikat = setP.event.params.predikat;
    predikatSource = 'RULE';
    reasons.push(`Predikat ${PREDIKAT_ID[predikat]} ditetapkan oleh aturan "${setP.name}".`);
  } else if (hasilKerja && perilaku) {
    predikat = predikatFor(hasilKerja, perilaku);
    predikatSource = 'MATRIX';
    reasons.push(`Predikat ${PREDIKAT_ID[predikat]} menurut matriks PermenPANRB 6/2022: hasil kerja ${hasilKerja} × perilaku ${perilaku}.`);
  } else reasons.push('Predikat belum dapat ditentukan.');

  // numeric score
  const weights = rs.doc.params.weights;
  const scoreComponents: ScoreComponentResult[] = [];
  let total = 0;
  let presentWeight = 0;
  let totalWeight = 0;
  const missing: string[] = [];
  for (const component of Object.keys(weights)) {
    const weight = weights[component]!;
    totalWeight += weight;
    const r = comps.get(component);
    let value: number | null = null;
    if (r && r.event.type === 'scoreComponent') {
      const p = r.event.params;
      if (p.value !== undefined) value = p.value;
      else if (p.fact !== undefined) {
        const fv = (facts as Record<string, unknown>)[p.fact];
        if (typeof fv === 'number') value = Math.min(p.max ?? 100, Math.max(p.min ?? 0, fv));
        else if (typeof fv === 'string' && p.map) value = p.map[fv as Rating];
      }
    }
    scoreComponents.push({ component, weight, value, rule: r ? r.name : null });
    if (value === null) missing.push(component);
    else {
      total += weight * value;
      presentWeight += weight;
    }
  }
  let numericScore: number | null = null;
  const parts = scoreComponents
    .filter((s) => s.value !== null)
    .map((s) => `${fmtNumber(s.weight * 100)}% × ${fmtNumber(s.value!)} (${s.component})`)
    .join(' + ');
  if (totalWeight > 0 && presentWeight > 0 && (missing.length === 0 || rs.doc.params.missingComponent === 'REDISTRIBUTE')) {
    numericScore = Math.round((total / presentWeight) * totalWeight * 100) / 100;
    if (missing.length === 0) reasons.push(`Nilai angka ${fmtNumber(numericScore)} = ${parts}.`);
    else
      reasons.push(
        `Nilai angka ${fmtNumber(numericScore)} = (${parts}) ÷ ${fmtNumber(presentWeight)}; komponen ${missing.join(', ')} tidak tersedia sehingga bobotnya dibagi ulang.`,
      );
  } else if (totalWeight > 0) {
    reasons.push(`Nilai angka belum dapat dihitung: komponen ${missing.join(', ')} tidak tersedia.`);
  }

  return {
    ruleSet: { key: rs.doc.key, hash: rs.hash },
    hasilKerja,
    hasilKerjaSource,
    perilaku,
    perilakuSource,
    suggestions: { hasilKerja: suggestedH, perilaku: suggestedP },
    predikat,
    predikatSource,
    numericScore,
    scoreComponents,
    flags,
    reasons,
    trace,
  };
}
