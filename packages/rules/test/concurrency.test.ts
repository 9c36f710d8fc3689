import { afterAll, describe, expect, it } from 'vitest';
import {
  compareDistributions,
  configureRules,
  evaluate,
  evaluateReference,
  nationalRuleSet,
  poolStats,
  regionPacks,
  simulate,
  type RuleSetDocument,
} from '../src/index.js';
import { nationalReference, project, randomFacts, rng } from './support.js';

const DOCS: RuleSetDocument[] = [nationalRuleSet, ...Object.values(regionPacks)];

async function hammer(n: number, seed: number): Promise<number> {
  const r = rng(seed);
  const jobs = Array.from({ length: n }, (_, i) => ({ doc: DOCS[i % DOCS.length]!, facts: randomFacts(r) }));
  const results = await Promise.all(jobs.map((j) => evaluate(j.doc, j.facts)));
  let mismatches = 0;
  results.forEach((e, i) => {
    const { doc, facts } = jobs[i]!;
    const ref = evaluateReference(doc, facts);
    const same =
      JSON.stringify(project(e)) === JSON.stringify(project(ref)) &&
      JSON.stringify(e.reasons) === JSON.stringify(ref.reasons) &&
      JSON.stringify(e.trace.map((t) => t.fired)) === JSON.stringify(ref.trace.map((t) => t.fired)) &&
      (doc !== nationalRuleSet || JSON.stringify(project(e)) === JSON.stringify(nationalReference(facts)));
    if (!same) mismatches++;
  });
  return mismatches;
}

describe('concurrency: overlapping evaluations never share an Engine', () => {
  afterAll(() => configureRules({ engineMode: 'combined' }));

  it('6,000 overlapping evaluations across the national set and all packs: zero mismatches (combined mode)', async () => {
    expect(await hammer(6000, 42)).toBe(0);
    for (const d of DOCS) {
      const s = poolStats(d);
      expect(s.created).toBeLessThanOrEqual(s.max);
      expect(s.waiting).toBe(0);
      expect(s.idle).toBe(s.created);
    }
  });

  it('3,000 overlapping evaluations: zero mismatches (one engine rule per document rule)', async () => {
    configureRules({ engineMode: 'perRule' });
    expect(await hammer(3000, 7)).toBe(0);
  });

  it('3,000 overlapping evaluations: zero mismatches (rules split over several engine rules of 3)', async () => {
    configureRules({ engineMode: 'combined', rulesPerChunk: 3 });
    expect(await hammer(3000, 9)).toBe(0);
    configureRules({ rulesPerChunk: 32 });
  });

  it('a pool of one engine serialises runs and stays correct', async () => {
    configureRules({ engineMode: 'combined', maxEnginesPerRuleSet: 1 });
    const doc = { ...nationalRuleSet, key: 'pool-of-one' };
    const r = rng(3);
    const facts = Array.from({ length: 500 }, () => randomFacts(r));
    const out = await Promise.all(facts.map((f) => evaluate(doc, f)));
    out.forEach((e, i) => expect(project(e)).toEqual(nationalReference(facts[i]!)));
    expect(poolStats(doc).created).toBe(1);
    configureRules({ maxEnginesPerRuleSet: 32 });
  });
});

describe('simulate', () => {
  it('gives per-subject results with traces and a predikat distribution; compares rule sets', async () => {
    const r = rng(11);
    const subjects = Array.from({ length: 300 }, (_, i) => ({ id: `pegawai-${i}`, facts: randomFacts(r) }));
    const current = await simulate(nationalRuleSet, subjects);
    expect(current.total).toBe(300);
    expect(Object.values(current.distribution).reduce((a, b) => a + b, 0)).toBe(300);
    expect(current.results[0]!.evaluation.trace.length).toBe(nationalRuleSet.rules.length);
    const strict = structuredClone(nationalRuleSet);
    strict.key = 'national-strict';
    strict.params.thresholds.capaianAbove = 130;
    const proposed = await simulate(strict, subjects);
    const cmp = compareDistributions(current, proposed);
    expect(cmp.rows.map((x) => x.predikat)).toEqual(['SANGAT_BAIK', 'BAIK', 'BUTUH_PERBAIKAN', 'KURANG', 'SANGAT_KURANG', 'NONE']);
    expect(cmp.rows.reduce((a, x) => a + x.delta, 0)).toBe(0);
    // a stricter DI_ATAS threshold can only move suggested-DI_ATAS subjects down
    expect(cmp.rows[0]!.delta).toBeLessThanOrEqual(0);
    for (const c of cmp.changed) expect(c.current).not.toBe(c.proposed);
    expect(compareDistributions(current.distribution, proposed.distribution).changed).toEqual([]);
  });
});
