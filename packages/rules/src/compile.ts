import { contentHash } from './canonical.js';
import { reasonParts, type CompiledRule, type CompiledRuleSet } from './outcome.js';
import type { ConditionNode, RuleSetDocument } from './schema.js';
import { RuleSetInvalidError, validateRuleSet } from './validate.js';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

function resolveParams(node: unknown, thresholds: Readonly<Record<string, number>>): unknown {
  if (Array.isArray(node)) return node.map((n) => resolveParams(n, thresholds));
  if (!isObj(node)) return node;
  if (typeof node.param === 'string' && Object.keys(node).length === 1) return thresholds[node.param];
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) out[k] = resolveParams(v, thresholds);
  return out;
}

/** Validate (throws RuleSetInvalidError) and compile a document, without any engine. */
export function compileDocument(doc: RuleSetDocument, hash = contentHash(doc)): CompiledRuleSet {
  const v = validateRuleSet(doc);
  if (!v.ok) throw new RuleSetInvalidError(v.errors);
  const thresholds = doc.params.thresholds;
  const rules: CompiledRule[] = doc.rules.map((r, index) => ({
    index,
    name: r.name,
    reason: r.reason,
    reasonParts: reasonParts(r.reason),
    reasonEn: r.reasonEn,
    priority: r.priority ?? 1,
    conditions: resolveParams(r.conditions, thresholds) as { all: ConditionNode[] } | { any: ConditionNode[] },
    event: r.event,
  }));
  const byPrecedence = [...rules].sort((a, b) => b.priority - a.priority || a.index - b.index);
  return { doc, hash, rules, byPrecedence };
}
