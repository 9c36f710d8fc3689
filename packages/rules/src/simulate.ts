import { PREDIKATS, type Predikat } from '@kinerja/domain';
import type { Facts } from './catalog.js';
import { compileRuleSet, evaluate } from './engine.js';
import type { Evaluation } from './outcome.js';
import { chunkSize } from './limits.js';
import type { RuleSetDocument } from './schema.js';

/** One subject to simulate: bare facts, or facts with an id (to match subjects across simulations). */
export type SimulationSubject = Facts | { id: string; facts: Facts };

/** Count per predikat; NONE counts subjects whose predikat cannot be determined yet. */
export type PredikatDistribution = Record<Predikat | 'NONE', number>;

export interface SimulationResult {
  ruleSet: { key: string; hash: string };
  total: number;
  results: { id: string; evaluation: Evaluation }[];
  distribution: PredikatDistribution;
  /** how many subjects carry each flag */
  flagCounts: Record<string, number>;
}

/** A distribution with every predikat (and NONE) at zero. */
export const emptyDistribution = (): PredikatDistribution => ({ SANGAT_BAIK: 0, BAIK: 0, BUTUH_PERBAIKAN: 0, KURANG: 0, SANGAT_KURANG: 0, NONE: 0 });

function isWrapped(s: SimulationSubject): s is { id: string; facts: Facts } {
  return typeof (s as { id?: unknown }).id === 'string' && typeof (s as { facts?: unknown }).facts === 'object';
}

export interface SimulateOptions {
  /** keep each evaluation's trace (default true); without it a large simulation retains a fraction of the memory */
  trace?: boolean;
  /** called after every chunk with the subjects evaluated so far */
  onProgress?: (done: number, total: number) => void | Promise<void>;
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Evaluate many subjects with one rule set: concurrently through the engine pool, one chunk at a time (`chunkSize`:
 * at most `SIMULATION_LIMITS.chunk` subjects and about `chunkEvaluations` condition evaluations), yielding to the
 * event loop between chunks so that other requests are served meanwhile.
 * Callers bound the work first (`simulationCost`).
 */
export async function simulate(doc: RuleSetDocument, subjects: readonly SimulationSubject[], opts: SimulateOptions = {}): Promise<SimulationResult> {
  const keepTrace = opts.trace ?? true;
  const distribution = emptyDistribution();
  const flagCounts: Record<string, number> = {};
  const results: SimulationResult['results'] = [];
  let ruleSet: SimulationResult['ruleSet'] | undefined;
  compileRuleSet(doc); // validates (throws RuleSetInvalidError) before the document is measured
  const size = chunkSize(doc);
  for (let start = 0; start < subjects.length; start += size) {
    if (start > 0) await nextTick();
    const chunk = subjects.slice(start, start + size);
    const evaluations = await Promise.all(chunk.map((s) => evaluate(doc, isWrapped(s) ? s.facts : s)));
    evaluations.forEach((evaluation, k) => {
      const s = chunk[k]!;
      ruleSet ??= evaluation.ruleSet;
      distribution[evaluation.predikat ?? 'NONE']++;
      for (const f of new Set(evaluation.flags.map((x) => x.flag))) flagCounts[f] = (flagCounts[f] ?? 0) + 1;
      results.push({ id: isWrapped(s) ? s.id : String(start + k), evaluation: keepTrace ? evaluation : { ...evaluation, trace: [] } });
    });
    await opts.onProgress?.(start + chunk.length, subjects.length);
  }
  return { ruleSet: ruleSet ?? { key: doc.key, hash: '' }, total: subjects.length, results, distribution, flagCounts };
}

export interface DistributionRow {
  predikat: Predikat | 'NONE';
  current: number;
  proposed: number;
  delta: number;
  currentShare: number;
  proposedShare: number;
}

export interface DistributionComparison {
  rows: DistributionRow[];
  /** subjects (matched by id) whose predikat differs; only when both inputs are simulation results */
  changed: { id: string; current: Predikat | null; proposed: Predikat | null }[];
}

const isSimulation = (x: SimulationResult | PredikatDistribution): x is SimulationResult => 'results' in x;

/** Compare the predikat distribution of the current rule set with a proposed one. */
export function compareDistributions(
  current: SimulationResult | PredikatDistribution,
  proposed: SimulationResult | PredikatDistribution,
): DistributionComparison {
  const a = isSimulation(current) ? current.distribution : current;
  const b = isSimulation(proposed) ? proposed.distribution : proposed;
  const ta = Object.values(a).reduce((x, y) => x + y, 0) || 1;
  const tb = Object.values(b).reduce((x, y) => x + y, 0) || 1;
  const rows = ([...PREDIKATS, 'NONE'] as const).map((predikat) => ({
    predikat,
    current: a[predikat] ?? 0,
    proposed: b[predikat] ?? 0,
    delta: (b[predikat] ?? 0) - (a[predikat] ?? 0),
    currentShare: (a[predikat] ?? 0) / ta,
    proposedShare: (b[predikat] ?? 0) / tb,
  }));
  const changed: DistributionComparison['changed'] = [];
  if (isSimulation(current) && isSimulation(proposed)) {
    const before = new Map(current.results.map((r) => [r.id, r.evaluation.predikat]));
    for (const r of proposed.results) {
      if (!before.has(r.id)) continue;
      const prev = before.get(r.id) ?? null;
      if (prev !== r.evaluation.predikat) changed.push({ id: r.id, current: prev, proposed: r.evaluation.predikat });
    }
  }
  return { rows, changed };
}
