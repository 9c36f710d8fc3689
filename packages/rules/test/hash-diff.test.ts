import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash, diffRuleSets, nationalRuleSet, regionPacks, type RuleSetDocument } from '../src/index.js';

function reverseKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reverseKeys);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .reverse()
        .map(([k, x]) => [k, reverseKeys(x)]),
    );
  return v;
}

describe('contentHash', () => {
  it('is stable across key order and formatting, and a sha256 hex', () => {
    const h = contentHash(nationalRuleSet);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHash(reverseKeys(nationalRuleSet))).toBe(h);
    expect(contentHash(JSON.parse(JSON.stringify(nationalRuleSet, null, 2)))).toBe(h);
    expect(canonicalJson({ b: 1, a: [2, { d: 1, c: undefined }] })).toBe('{"a":[2,{"d":1}],"b":1}');
  });
  it('changes with content, including array order', () => {
    const d = structuredClone(nationalRuleSet);
    d.params.thresholds.capaianAbove = 111;
    expect(contentHash(d)).not.toBe(contentHash(nationalRuleSet));
    const e = structuredClone(nationalRuleSet);
    e.rules.reverse();
    expect(contentHash(e)).not.toBe(contentHash(nationalRuleSet));
    const hashes = new Set([nationalRuleSet, ...Object.values(regionPacks)].map(contentHash));
    expect(hashes.size).toBe(6);
  });
});

describe('diffRuleSets', () => {
  it('is empty for equal documents', () => {
    expect(diffRuleSets(nationalRuleSet, reverseKeys(nationalRuleSet))).toEqual([]);
  });
  it('lists replace, add and remove with pointers', () => {
    const b: RuleSetDocument = structuredClone(nationalRuleSet);
    b.params.thresholds.capaianAbove = 115;
    b.params.weights = { hasilKerja: 0.6, perilaku: 0.4 };
    b.rules[0]!.reasonEn = 'Average achievement above 115%';
    b.rules.pop();
    b.facts.push('attendanceRate');
    expect(diffRuleSets(nationalRuleSet, b)).toEqual([
      { pointer: '/facts/5', op: 'add', after: 'attendanceRate' },
      { pointer: '/params/thresholds/capaianAbove', op: 'replace', before: 110, after: 115 },
      { pointer: '/params/weights/hasilKerja', op: 'replace', before: 0.7, after: 0.6 },
      { pointer: '/params/weights/perilaku', op: 'replace', before: 0.3, after: 0.4 },
      { pointer: '/rules/0/reasonEn', op: 'add', after: 'Average achievement above 115%' },
      { pointer: '/rules/9', op: 'remove', before: nationalRuleSet.rules[9] },
    ]);
  });
});
