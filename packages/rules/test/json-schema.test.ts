import { describe, expect, it } from 'vitest';
import { FACT_NAMES, OPERATORS, nationalRuleSet, regionPacks, ruleSetJsonSchema } from '../src/index.js';

type S = Record<string, unknown>;
const props = (s: unknown) => (s as { properties: Record<string, S> }).properties;

describe('the rule-set document as JSON Schema', () => {
  const schema = ruleSetJsonSchema('en');

  it('names every top-level field of the document and refuses others', () => {
    expect(Object.keys(props(schema)).sort()).toEqual(Object.keys(nationalRuleSet).sort());
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(['schemaVersion', 'key', 'params', 'rules']));
  });

  it('describes the calendar settings with their choices; fields with defaults are optional', () => {
    const calendar = props(props(props(schema).params).calendar);
    expect(calendar.periodKind).toMatchObject({ enum: ['MONTHLY', 'QUARTERLY'], default: 'MONTHLY' });
    const required = (props(props(schema).params).calendar as { required: string[] }).required;
    expect(required).toContain('reportDeadline');
    expect(required).not.toContain('periodKind');
  });

  it("offers the catalog's facts and the operators, with descriptions, at a condition", () => {
    const defs = Object.values(schema.$defs as Record<string, S>);
    const leaf = JSON.stringify(defs);
    for (const f of FACT_NAMES) expect(leaf).toContain(`"const":"${f}"`);
    for (const o of OPERATORS) expect(leaf).toContain(`"const":"${o.name}"`);
    const factItems = (props(schema).facts as { items: { anyOf: { const: string; description: string }[] } }).items.anyOf;
    expect(factItems.map((c) => c.const)).toEqual(FACT_NAMES);
    expect(factItems.every((c) => c.description.length > 3)).toBe(true);
  });

  it('the packs use only facts and event types the schema lists', () => {
    const text = JSON.stringify(schema);
    for (const doc of [nationalRuleSet, ...Object.values(regionPacks)]) {
      for (const r of doc.rules) expect(text).toContain(`"const":"${r.event.type}"`);
      for (const f of doc.facts) expect(FACT_NAMES).toContain(f);
    }
  });

  it('speaks the asked language', () => {
    const id = JSON.stringify(ruleSetJsonSchema('id'));
    expect(id).not.toEqual(JSON.stringify(schema));
  });
});

// the browser cannot load this package (node:crypto, json-rules-engine), so the web editor ships a generated copy
describe("the web editor's copy", () => {
  it("is the schema of today (regenerate: in packages/rules, tsx -e \"…writeFileSync(path, JSON.stringify(ruleSetJsonSchema('id')) + '\\n')\")", async () => {
    const { readFile } = await import('node:fs/promises');
    const copy: unknown = JSON.parse(await readFile(new URL('../../../apps/web/src/routes/admin/rulesets/rule-set.schema.json', import.meta.url), 'utf8'));
    expect(copy).toEqual(ruleSetJsonSchema('id'));
  });
});
