import { jsonTextProblems } from '@kinerja/domain';
import type { ConditionNode, RuleSetDocument } from './schema.js';
import { escapePointerToken } from './canonical.js';

/**
 * Size limits of a rule-set document, checked before anything walks it recursively (zod, the semantic checks,
 * compilation, json-rules-engine, hashing, diffs, JSON.stringify): a document past them is refused with a pointer.
 * "Condition nodes" count blocks (all/any) and leaves alike, because json-rules-engine pays for both.
 */
export const RULE_SET_LIMITS = {
  rules: 200,
  /** children of one all/any block */
  conditionsPerBlock: 50,
  /** nested all/any/not blocks, the rule's top-level block counting as 1 */
  conditionDepth: 8,
  /** condition nodes in one rule */
  conditionsPerRule: 200,
  /** condition nodes in the whole document */
  conditionsPerSet: 2_000,
  /** nesting of arrays and objects anywhere in the document */
  jsonDepth: 32,
} as const;

/**
 * Limits of one simulation answered on the request thread, from measurements on a 2-vCPU machine (README,
 * "Simulation limits"): one condition-node evaluation costs 5–9 µs of CPU and ~200 bytes of trace retained, so
 * 100,000 of them are ≤ ~1 s of CPU, 10,000 trace entries are ~1.5 MB of JSON and 2,000 subjects' outcomes ~3 MB.
 */
export const SIMULATION_LIMITS = {
  /** subjects × condition nodes, summed over every rule set the request evaluates */
  inlineEvaluations: 100_000,
  /** a subject evaluation costs at least this many condition nodes (normalising facts, resolving the outcome) */
  minNodesPerSubject: 10,
  /** subjects in one facts simulation (each answered with its outcome and reasons, ~1.4 kB of JSON) */
  inlineSubjects: 2_000,
  /** subjects × leaf conditions in the traces of one answer */
  traceEntries: 10_000,
  /** at most this many subjects between two yields to the event loop */
  chunk: 100,
  /** and at most about this many condition evaluations (~25–45 ms of CPU) between two yields */
  chunkEvaluations: 5_000,
  /** changed subjects listed in a background run's result (the count is always complete) */
  changedSubjects: 1_000,
} as const;

export interface RuleSetSize {
  rules: number;
  /** condition nodes: blocks and leaves */
  conditions: number;
  /** leaf conditions: one trace entry each */
  leaves: number;
}

/** Condition counts of a validated document (iterative; cheap enough to call per request). */
export function ruleSetSize(doc: RuleSetDocument): RuleSetSize {
  let conditions = 0;
  let leaves = 0;
  const stack: ConditionNode[] = doc.rules.map((r) => r.conditions);
  while (stack.length > 0) {
    const node = stack.pop()!;
    conditions++;
    if ('all' in node && Array.isArray(node.all)) stack.push(...node.all);
    else if ('any' in node && Array.isArray(node.any)) stack.push(...node.any);
    else leaves++;
  }
  return { rules: doc.rules.length, conditions, leaves };
}

export interface SimulationCost {
  /** condition-node evaluations: subjects × condition nodes (at least `minNodesPerSubject`), summed over the rule sets */
  evaluations: number;
  /** trace entries when traced: subjects × leaf conditions of the first rule set */
  traceEntries: number;
}

/** What simulating `subjects` subjects with each of `docs` costs, before any of it is done. */
export function simulationCost(subjects: number, ...docs: RuleSetDocument[]): SimulationCost {
  let evaluations = 0;
  for (const d of docs) evaluations += subjects * Math.max(SIMULATION_LIMITS.minNodesPerSubject, ruleSetSize(d).conditions);
  return { evaluations, traceEntries: docs[0] ? subjects * ruleSetSize(docs[0]).leaves : 0 };
}

/** Subjects per chunk for one rule set: `chunk`, fewer when its conditions would exceed `chunkEvaluations`. */
export function chunkSize(doc: RuleSetDocument): number {
  const L = SIMULATION_LIMITS;
  return Math.max(1, Math.min(L.chunk, Math.floor(L.chunkEvaluations / Math.max(L.minNodesPerSubject, ruleSetSize(doc).conditions))));
}

export interface BoundsError {
  pointer: string;
  code: 'TOO_DEEP' | 'TOO_MANY_CONDITIONS' | 'INVALID_CHARACTERS';
  message: string;
  messageEn: string;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const BLOCKS = ['all', 'any', 'not'] as const;

/**
 * The bounds of an unvalidated document, walked without recursion so that no nesting depth can overflow the
 * stack: condition depth and counts per rule and per document, the nesting depth of everything else, and control
 * characters in any string or key. Empty when the document is within bounds (it may still be invalid otherwise).
 */
export function documentBounds(doc: unknown): BoundsError[] {
  const L = RULE_SET_LIMITS;
  const errors: BoundsError[] = [];
  const rules = isObj(doc) && Array.isArray(doc.rules) ? (doc.rules as unknown[]) : [];
  let total = 0;
  let totalReported = false;
  for (let i = 0; i < rules.length && errors.length < 20; i++) {
    const rule = rules[i];
    if (!isObj(rule) || !('conditions' in rule)) continue;
    const base = `/rules/${i}/conditions`;
    let count = 0;
    const stack: { node: unknown; ptr: string; depth: number }[] = [{ node: rule.conditions, ptr: base, depth: 1 }];
    while (stack.length > 0) {
      const { node, ptr, depth } = stack.pop()!;
      count++;
      total++;
      if (!isObj(node)) continue;
      for (const block of BLOCKS) {
        if (!(block in node)) continue;
        const kids = node[block];
        const list = Array.isArray(kids) ? kids : [kids];
        if (list.length > 0 && depth > L.conditionDepth) {
          errors.push({
            pointer: `${ptr}/${block}`,
            code: 'TOO_DEEP',
            message: `Kondisi bersarang terlalu dalam: paling banyak ${L.conditionDepth} tingkat blok all/any/not.`,
            messageEn: `Conditions are nested too deep: at most ${L.conditionDepth} levels of all/any/not blocks.`,
          });
          stack.length = 0;
          break;
        }
        list.forEach((k, j) => stack.push({ node: k, ptr: Array.isArray(kids) ? `${ptr}/${block}/${j}` : `${ptr}/${block}`, depth: depth + 1 }));
      }
      if (count > L.conditionsPerRule) {
        errors.push({
          pointer: base,
          code: 'TOO_MANY_CONDITIONS',
          message: `Aturan ini punya lebih dari ${L.conditionsPerRule} kondisi (blok dan kondisi tunggal); pecah menjadi beberapa aturan.`,
          messageEn: `This rule has more than ${L.conditionsPerRule} conditions (blocks and leaves); split it into several rules.`,
        });
        break;
      }
    }
    if (total > L.conditionsPerSet && !totalReported) {
      totalReported = true;
      errors.push({
        pointer: '/rules',
        code: 'TOO_MANY_CONDITIONS',
        message: `Dokumen punya lebih dari ${L.conditionsPerSet} kondisi (blok dan kondisi tunggal) di seluruh aturan.`,
        messageEn: `The document has more than ${L.conditionsPerSet} conditions (blocks and leaves) over all rules.`,
      });
    }
  }
  if (errors.length > 0) return errors;

  const tooDeep = deeperThan(doc, L.jsonDepth);
  if (tooDeep !== null)
    return [
      {
        pointer: tooDeep,
        code: 'TOO_DEEP',
        message: `Dokumen bersarang terlalu dalam: paling banyak ${L.jsonDepth} tingkat objek/daftar.`,
        messageEn: `The document is nested too deep: at most ${L.jsonDepth} levels of objects/lists.`,
      },
    ];
  return jsonTextProblems(doc, 20).map((p) => ({ pointer: p.pointer, code: 'INVALID_CHARACTERS', message: p.message, messageEn: p.messageEn }));
}

/** The pointer of the first array/object nested deeper than `max` levels, or null. */
function deeperThan(value: unknown, max: number): string | null {
  const stack: { v: unknown; ptr: string; depth: number }[] = [{ v: value, ptr: '', depth: 0 }];
  while (stack.length > 0) {
    const { v, ptr, depth } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return ptr;
    if (Array.isArray(v)) v.forEach((x, i) => stack.push({ v: x, ptr: `${ptr}/${i}`, depth: depth + 1 }));
    else for (const [k, x] of Object.entries(v)) stack.push({ v: x, ptr: `${ptr}/${escapePointerToken(k)}`, depth: depth + 1 });
  }
  return null;
}
