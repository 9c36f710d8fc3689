/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- the tests build oversized documents freely */
import { describe, expect, it } from 'vitest';
import {
  RULE_SET_LIMITS,
  SIMULATION_LIMITS,
  canonicalJson,
  chunkSize,
  contentHash,
  diffRuleSets,
  documentBounds,
  evaluate,
  evaluationCount,
  nationalRuleSet,
  ruleSetSize,
  simulate,
  simulationCost,
  validateRuleSet,
  type RuleSetDocument,
} from '../src/index.js';

const clone = (): Record<string, any> => structuredClone(nationalRuleSet) as unknown as Record<string, any>;
const leaf = { fact: 'trainingHours', operator: 'lessThan', value: { param: 'minTrainingHours' } };

/** rule 9 (TRAINING under 20 JP) with its leaf wrapped in `levels` blocks, alternating all/any */
function nested(levels: number, block: (i: number) => string = (i) => (i % 2 ? 'any' : 'all')): Record<string, any> {
  const d = clone();
  let node: Record<string, unknown> = leaf;
  for (let i = levels - 1; i >= 0; i--) node = { [block(i)]: [node] };
  d.rules[9].conditions = node;
  return d;
}

describe('rule-set bounds', () => {
  it('a document nested 10,000 deep is refused with a pointer, and nothing overflows the stack', () => {
    const d = nested(10_000);
    const r = validateRuleSet(d);
    expect(r.ok).toBe(false);
    expect(r.errors).toHaveLength(1);
    const depth = RULE_SET_LIMITS.conditionDepth;
    // the first block past the limit: blocks 1..depth are allowed, block depth+1 is the one refused
    const expected = '/rules/9/conditions' + Array.from({ length: depth }, (_, i) => `/${i % 2 ? 'any' : 'all'}/0`).join('') + `/${depth % 2 ? 'any' : 'all'}`;
    expect(r.errors[0]).toMatchObject({ pointer: expected, code: 'TOO_DEEP' });
    expect(r.errors[0]!.message).toContain(`${depth} tingkat`);
    expect(r.errors[0]!.messageEn).toContain(`at most ${depth} levels`);
    // the rest of the package takes any depth without recursion
    expect(contentHash(d)).toMatch(/^[0-9a-f]{64}$/);
    expect(
      diffRuleSets(d, nested(10_001))
        .map((e) => e.op)
        .sort(),
    ).toEqual(['add', 'remove', 'remove', 'remove']);
    expect(diffRuleSets(d, d)).toEqual([]);
  });

  it(`${RULE_SET_LIMITS.conditionDepth} levels of blocks are accepted, one more is refused; "not" counts as a level`, () => {
    expect(validateRuleSet(nested(RULE_SET_LIMITS.conditionDepth))).toEqual({ ok: true, errors: [] });
    expect(validateRuleSet(nested(RULE_SET_LIMITS.conditionDepth + 1)).errors.map((e) => e.code)).toEqual(['TOO_DEEP']);
    const nots = nested(10_000, (i) => (i === 0 ? 'all' : 'not'));
    expect(validateRuleSet(nots).errors.map((e) => e.code)).toEqual(['TOO_DEEP']);
  });

  it('deep nesting outside conditions (a value, the description) is refused too', () => {
    const d = clone();
    let v: unknown = 1;
    for (let i = 0; i < 10_000; i++) v = [v];
    d.rules[9].conditions.all[0].value = v;
    const r = validateRuleSet(d);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.code).toBe('TOO_DEEP');
    expect(r.errors[0]!.pointer.startsWith('/rules/9/conditions/all/0/value/0/0')).toBe(true);
    const e = clone();
    let o: Record<string, unknown> = {};
    for (let i = 0; i < 100; i++) o = { x: o };
    e.description = o;
    expect(validateRuleSet(e).errors[0]).toMatchObject({ code: 'TOO_DEEP' });
  });

  it('conditions per rule and per document are limited', () => {
    const wide = (n: number) => ({ all: Array.from({ length: n }, () => ({ any: [leaf, leaf, leaf] })) });
    const perRule = clone();
    perRule.rules[9].conditions = wide(RULE_SET_LIMITS.conditionsPerBlock); // 1 + 50 × 4 = 201 nodes
    expect(documentBounds(perRule)).toEqual([expect.objectContaining({ pointer: '/rules/9/conditions', code: 'TOO_MANY_CONDITIONS' })]);
    expect(validateRuleSet(perRule).errors.map((e) => e.code)).toEqual(['TOO_MANY_CONDITIONS']);

    const perSet = clone();
    const ok = wide(49); // 1 + 49 × 4 = 197 nodes
    for (let i = 0; i < 11; i++)
      perSet.rules.push({ name: `Pelatihan ${i}`, reason: 'Kurang dari 20 JP', conditions: ok, event: { type: 'flag', params: { flag: 'TRAINING' } } });
    expect(documentBounds(perSet)).toEqual([expect.objectContaining({ pointer: '/rules', code: 'TOO_MANY_CONDITIONS' })]);
    perSet.rules.pop();
    expect(documentBounds(perSet)).toEqual([]);
    expect(ruleSetSize(perSet as RuleSetDocument).conditions).toBeLessThanOrEqual(RULE_SET_LIMITS.conditionsPerSet);
  });

  it('control characters anywhere in the document are refused with their pointer', () => {
    const d = clone();
    d.rules[2].reason = 'a\u0000b';
    d.params.thresholds['x\u0007'] = 1;
    const codes = validateRuleSet(d).errors.filter((e) => e.code === 'INVALID_CHARACTERS');
    expect(codes.map((e) => e.pointer).sort()).toEqual(['/params/thresholds/x\u0007', '/rules/2/reason']);
    expect(codes[0]!.message).toContain('U+00');
  });

  it('size and cost of a simulation are known before any evaluation', () => {
    expect(ruleSetSize(nationalRuleSet)).toEqual({ rules: 10, conditions: 21, leaves: 11 });
    const before = evaluationCount();
    expect(simulationCost(1_000, nationalRuleSet)).toEqual({ evaluations: 21_000, traceEntries: 11_000 });
    expect(simulationCost(1_000, nationalRuleSet, nationalRuleSet).evaluations).toBe(42_000);
    const tiny = { ...nationalRuleSet, rules: nationalRuleSet.rules.slice(9) } as RuleSetDocument;
    expect(simulationCost(100, tiny).evaluations).toBe(100 * SIMULATION_LIMITS.minNodesPerSubject);
    expect(evaluationCount()).toBe(before);
    expect(chunkSize(nationalRuleSet)).toBe(SIMULATION_LIMITS.chunk);
    const wide = {
      ...nationalRuleSet,
      rules: [
        ...nationalRuleSet.rules,
        ...Array.from({ length: 20 }, (_, i) => ({
          ...nationalRuleSet.rules[9]!,
          name: `Pelatihan ${i}`,
          conditions: { all: Array.from({ length: 49 }, () => ({ fact: 'trainingHours', operator: 'lessThan', value: 20 })) },
        })),
      ],
    } as RuleSetDocument;
    const nodes = ruleSetSize(wide).conditions;
    expect(nodes).toBe(21 + 20 * 50);
    expect(chunkSize(wide)).toBe(Math.floor(SIMULATION_LIMITS.chunkEvaluations / nodes));
  });
});

describe('canonicalJson (iterative)', () => {
  const recursive = (v: unknown): string => {
    if (v === null || typeof v !== 'object') return v === undefined || (typeof v === 'number' && !Number.isFinite(v)) ? 'null' : JSON.stringify(v);
    if (Array.isArray(v)) return '[' + v.map(recursive).join(',') + ']';
    const o = v as Record<string, unknown>;
    return (
      '{' +
      Object.keys(o)
        .filter((k) => o[k] !== undefined)
        .sort()
        .map((k) => JSON.stringify(k) + ':' + recursive(o[k]))
        .join(',') +
      '}'
    );
  };
  it('equals the plain recursive definition', () => {
    for (const v of [
      nationalRuleSet,
      [],
      {},
      [1, [2, [3, {}]], { b: undefined, a: [null, undefined, NaN] }],
      'x"y',
      0,
      null,
      { z: { y: { x: [] } }, a: 'é\n' },
    ])
      expect(canonicalJson(v)).toBe(recursive(v));
  });
});

describe('simulate in chunks', () => {
  it('reports progress per chunk, keeps order and ids, and drops traces when asked', async () => {
    const n = SIMULATION_LIMITS.chunk * 2 + 7;
    const subjects = Array.from({ length: n }, (_, i) => ({
      id: `s${i}`,
      facts: { capaianIndicators: [60 + (i % 70)], trainingHours: i % 30, hasilKerjaRating: 'SESUAI' as const, perilakuRating: 'DI_ATAS' as const },
    }));
    const progress: number[] = [];
    const lean = await simulate(nationalRuleSet, subjects, { trace: false, onProgress: (done) => void progress.push(done) });
    expect(progress).toEqual([SIMULATION_LIMITS.chunk, SIMULATION_LIMITS.chunk * 2, n]);
    expect(lean.results.map((r) => r.id)).toEqual(subjects.map((s) => s.id));
    expect(lean.results.every((r) => r.evaluation.trace.length === 0)).toBe(true);
    const full = await simulate(nationalRuleSet, subjects);
    expect(full.distribution).toEqual(lean.distribution);
    expect(full.flagCounts).toEqual(lean.flagCounts);
    expect(full.results[5]!.evaluation.trace).toHaveLength(10);
    const one = await evaluate(nationalRuleSet, subjects[5]!.facts);
    expect(full.results[5]!.evaluation.predikat).toBe(one.predikat);
  });

  it('yields to the event loop between chunks (json-rules-engine alone would only run microtasks)', async () => {
    const subjects = Array.from({ length: SIMULATION_LIMITS.chunk * 3 }, (_, i) => ({ trainingHours: i % 30 }));
    let ticks = 0;
    let running = true;
    const tick = () => {
      ticks++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    const progress: number[] = [];
    await simulate(nationalRuleSet, subjects, { trace: false, onProgress: () => void progress.push(ticks) });
    running = false;
    // macrotasks ran between the chunks: each later chunk started after at least one more tick
    expect(progress).toHaveLength(3);
    expect(progress[1]!).toBeGreaterThan(progress[0]!);
    expect(progress[2]!).toBeGreaterThan(progress[1]!);
  });
});
