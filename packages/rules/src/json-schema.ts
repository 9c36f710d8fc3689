import { z } from 'zod';
import { FACT_CATALOG } from './catalog.js';
import { LIST_DECORATORS, OPERATORS } from './operators.js';
import { RuleSetDocument } from './schema.js';

type JsonSchema = Record<string, unknown>;

const factChoices = (lang: 'id' | 'en') => FACT_CATALOG.map((f) => ({ const: f.name, description: `${f.description[lang]} (${f.type}, ${f.unit})` }));
const operatorChoices = (lang: 'id' | 'en') => [
  ...OPERATORS.map((o) => ({ const: o.name, description: o.description[lang] })),
  // a list fact (number[]) takes a decorated numeric operator: someFact:greaterThan, everyFact:lessThan, …
  { type: 'string', pattern: `^(${LIST_DECORATORS.join('|')}):[A-Za-z]+$` },
];

/** Object schemas anywhere in `s` (properties, items, unions, $defs). */
function eachObject(s: unknown, visit: (o: JsonSchema) => void): void {
  if (Array.isArray(s)) return s.forEach((x) => eachObject(x, visit));
  if (typeof s !== 'object' || s === null) return;
  visit(s as JsonSchema);
  for (const v of Object.values(s)) eachObject(v, visit);
}

/**
 * The rule-set document as JSON Schema (draft 2020-12), derived from the zod schema so an editor's completion and
 * hover describe exactly the shape `validateRuleSet` accepts, with the fact catalog and the operators as the choices
 * (and their descriptions) for `fact` and `operator`. The input side: fields with defaults (calendar settings) are
 * optional, as a document may be written. Checks across fields (durations, unique names, weights summing to 1, an
 * operator fitting its fact) stay in `validateRuleSet`.
 */
export function ruleSetJsonSchema(lang: 'id' | 'en' = 'id'): JsonSchema {
  const schema = z.toJSONSchema(RuleSetDocument, { io: 'input', unrepresentable: 'any', cycles: 'ref', reused: 'inline' }) as JsonSchema;
  eachObject(schema, (o) => {
    const props = o.properties as Record<string, JsonSchema> | undefined;
    if (!props) return;
    // a leaf condition: { fact, operator, value }
    if (props.fact && props.operator && 'value' in props) {
      props.fact = { ...props.fact, anyOf: factChoices(lang) };
      props.operator = { ...props.operator, anyOf: operatorChoices(lang) };
    }
  });
  const facts = (schema.properties as Record<string, JsonSchema>).facts!;
  facts.items = { ...(facts.items as JsonSchema), anyOf: factChoices(lang) };
  return schema;
}
