import { Almanac, Engine, Fact } from 'json-rules-engine';
import { contentHash } from './canonical.js';
import { normalizeFacts, type Facts, type NormalizedFacts } from './catalog.js';
import { compileDocument } from './compile.js';
import { LIST_DECORATORS, OPERATORS, compare, resolveOperator } from './operators.js';
import { resolveOutcome, type CompiledRule, type CompiledRuleSet, type ConditionTrace, type Evaluation, type RuleTrace } from './outcome.js';
import type { ConditionNode, RuleSetDocument } from './schema.js';

/** An almanac carrying this run's facts: engine facts read from it, so no fact is hashed or cloned per run. */
class FactAlmanac extends Almanac {
  constructor(readonly values: NormalizedFacts) {
    super({ allowUndefinedFacts: false });
  }
}

const factReaders = new Map<string, Fact>();
function factReader(name: string): Fact {
  let f = factReaders.get(name);
  if (!f) {
    // cache: false → json-rules-engine computes no cache key (no hashing) for this fact
    f = new Fact(name, (_params, almanac) => (almanac as FactAlmanac).values[name as keyof NormalizedFacts], { cache: false });
    factReaders.set(name, f);
  }
  return f;
}

/** The single leaf of a one-condition rule, or null (then the rule's own block is used). */
function singleLeaf(r: CompiledRule): ConditionNode | null {
  const list = 'all' in r.conditions ? r.conditions.all : r.conditions.any;
  return list.length === 1 && 'fact' in list[0]! ? list[0] : null;
}

/** In combined mode a one-condition rule is its leaf (fewer objects for json-rules-engine to deep-clone). */
function engineCondition(r: CompiledRule): unknown {
  return singleLeaf(r) ?? r.conditions;
}

function newEngine(rs: PooledRuleSet): Engine {
  const engine = new Engine([], { allowUndefinedFacts: false, allowUndefinedConditions: false });
  // Our operators replace the built-ins: null-safe (a comparison on an absent fact is false) plus custom ones.
  for (const spec of OPERATORS) {
    const op = resolveOperator(spec.name)!;
    engine.addOperator(spec.name, (a: unknown, b: unknown) => compare(op, a, b));
    if (spec.factTypes.includes('number')) {
      for (const dec of LIST_DECORATORS) {
        const name = `${dec}:${spec.name}`;
        const dop = resolveOperator(name)!;
        engine.addOperator(name, (a: unknown, b: unknown) => compare(dop, a, b));
      }
    }
  }
  for (const name of rs.doc.facts) engine.addFact(factReader(name));
  if (rs.rules.length === 0) return engine;
  if (rs.mode === 'combined') {
    // Engine rules that each hold a chunk of document rules in one `any`: json-rules-engine evaluates every
    // child (one priority set, no short-circuit) and records each one's result on the result tree. Per-run
    // costs (RuleResult deep clone, events, promise chains) are paid per chunk instead of per rule; chunks stay
    // small because the clone of one result tree grows quadratically with its size.
    for (let start = 0, chunk = 0; start < rs.rules.length; start += options.rulesPerChunk, chunk++) {
      const part = rs.rules.slice(start, start + options.rulesPerChunk);
      engine.addRule({ name: String(start), priority: 1, conditions: { any: part.map(engineCondition) } as never, event: { type: 'r' } });
    }
    return engine;
  }
  for (const r of rs.rules) {
    engine.addRule({
      name: String(r.index),
      priority: 1,
      conditions: r.conditions,
      event: { type: 'r' },
    });
  }
  return engine;
}

/**
 * A small pool of Engines for one rule-set version. json-rules-engine keeps one `status` per Engine, so two
 * overlapping `run()`s on one Engine corrupt each other; every evaluation checks out its own Engine.
 */
export class EnginePool {
  private readonly idle: Engine[] = [];
  private readonly waiters: ((e: Engine) => void)[] = [];
  private created = 0;
  constructor(
    private readonly factory: () => Engine,
    readonly max: number,
  ) {}

  acquire(): Engine | Promise<Engine> {
    const e = this.idle.pop();
    if (e) return e;
    if (this.created < this.max) {
      this.created++;
      return this.factory();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(e: Engine): void {
    const w = this.waiters.shift();
    if (w) w(e);
    else this.idle.push(e);
  }

  stats(): { created: number; idle: number; waiting: number; max: number } {
    return { created: this.created, idle: this.idle.length, waiting: this.waiters.length, max: this.max };
  }
}

/**
 * How document rules map onto json-rules-engine rules: `combined` (default) compiles the whole rule set into one
 * engine rule and reads each document rule's result from the engine's result tree; `perRule` adds one engine
 * rule per document rule. Both give identical evaluations (tested); `combined` is ~1.5× faster.
 */
export type EngineMode = 'combined' | 'perRule';

interface PooledRuleSet extends CompiledRuleSet {
  pool: EnginePool;
  mode: EngineMode;
}

const options: { maxEnginesPerRuleSet: number; maxCachedRuleSets: number; engineMode: EngineMode; rulesPerChunk: number } = {
  maxEnginesPerRuleSet: 32,
  maxCachedRuleSets: 64,
  engineMode: 'combined',
  rulesPerChunk: 32,
};
/** compiled rule sets by content hash, least recently used first */
const byHash = new Map<string, PooledRuleSet>();
/** document object → compiled (documents are treated as immutable once evaluated) */
let compiledByObject = new WeakMap<object, PooledRuleSet>();

/** Tune the engine pool size per rule set and how many compiled rule sets stay cached. */
export function configureRules(opts: Partial<typeof options>): void {
  if ((opts.engineMode && opts.engineMode !== options.engineMode) || (opts.rulesPerChunk && opts.rulesPerChunk !== options.rulesPerChunk)) {
    byHash.clear();
    compiledByObject = new WeakMap();
  }
  Object.assign(options, opts);
}

/**
 * Compile (validate once, then cache by content hash) a rule-set document. The same document object, or any
 * document with the same content hash, reuses the compiled rules and their engine pool.
 */
export function compileRuleSet(doc: RuleSetDocument): PooledRuleSet {
  const cached = compiledByObject.get(doc);
  if (cached) return cached;
  const hash = contentHash(doc);
  let rs = byHash.get(hash);
  if (rs) {
    byHash.delete(hash);
    byHash.set(hash, rs);
  } else {
    const compiled = compileDocument(doc, hash);
    const withPool: PooledRuleSet = { ...compiled, pool: null as unknown as EnginePool, mode: options.engineMode };
    // engines are built lazily by the pool, with the options in force now
    withPool.pool = new EnginePool(() => newEngine(withPool), options.maxEnginesPerRuleSet);
    rs = withPool;
    byHash.set(hash, rs);
    while (byHash.size > options.maxCachedRuleSets) byHash.delete(byHash.keys().next().value!);
  }
  compiledByObject.set(doc, rs);
  return rs;
}

let evaluations = 0;
/** Evaluations started in this process (monitoring, and tests asserting that refused work never started). */
export function evaluationCount(): number {
  return evaluations;
}

/** Pool statistics for a document (for tests and monitoring). */
export function poolStats(doc: RuleSetDocument) {
  return compileRuleSet(doc).pool.stats();
}

interface ResultCondition {
  all?: ResultCondition[];
  any?: ResultCondition[];
  fact?: string;
  operator?: string;
  value?: unknown;
  factResult?: unknown;
  result?: boolean;
}

function traceConditions(node: ResultCondition, ptr: string, facts: NormalizedFacts, out: ConditionTrace[]): void {
  const kids = node.all ?? node.any;
  if (kids) {
    const block = node.all ? 'all' : 'any';
    for (let i = 0; i < kids.length; i++) traceConditions(kids[i]!, `${ptr}/${block}/${i}`, facts, out);
    return;
  }
  const evaluated = node.result !== undefined;
  out.push({
    pointer: ptr,
    fact: node.fact!,
    operator: node.operator!,
    value: node.value,
    factValue: (facts as Record<string, unknown>)[node.fact!] ?? null,
    result: evaluated ? node.result! : null,
  });
}

/**
 * Evaluate one subject's facts with a rule set through json-rules-engine (see README "Evaluation semantics").
 * Throws RuleSetInvalidError for an invalid document and FactsError for ill-typed facts.
 */
export async function evaluate(doc: RuleSetDocument, input: Facts): Promise<Evaluation> {
  evaluations++;
  const rs = compileRuleSet(doc);
  const facts = normalizeFacts(input);
  const pending = rs.pool.acquire();
  const engine = pending instanceof Engine ? pending : await pending;
  let result;
  try {
    result = await engine.run({}, { almanac: new FactAlmanac(facts) });
  } finally {
    rs.pool.release(engine);
  }
  const fired: boolean[] = new Array<boolean>(rs.rules.length).fill(false);
  const trace: RuleTrace[] = new Array<RuleTrace>(rs.rules.length);
  const record = (idx: number, tree: ResultCondition, ok: boolean) => {
    const rule = rs.rules[idx]!;
    fired[idx] = ok;
    const conditions: ConditionTrace[] = [];
    traceConditions(tree, '/conditions', facts, conditions);
    trace[idx] = { rule: rule.name, index: idx, priority: rule.priority, fired: ok, outcome: rule.event, conditions };
  };
  if (rs.mode === 'combined') {
    for (const list of [result.results, result.failureResults]) {
      for (const rr of list) {
        const start = Number(rr.name);
        const children = (rr.conditions as ResultCondition).any ?? [];
        for (let i = 0; i < children.length; i++) {
          const rule = rs.rules[start + i]!;
          const child = children[i]!;
          const tree = singleLeaf(rule) ? ('all' in rule.conditions ? { all: [child] } : { any: [child] }) : child;
          record(start + i, tree, child.result === true);
        }
      }
    }
  } else {
    for (const rr of result.results) record(Number(rr.name), rr.conditions, true);
    for (const rr of result.failureResults) record(Number(rr.name), rr.conditions, false);
  }
  return resolveOutcome(rs, input, facts, fired, trace);
}

/**
 * Reference interpreter: the same semantics evaluated directly, synchronously, without json-rules-engine.
 * Used by tests and the benchmark to cross-check the engine; also handy for bulk what-if runs.
 */
export function evaluateReference(doc: RuleSetDocument, input: Facts): Evaluation {
  const rs = compileRuleSet(doc);
  const facts = normalizeFacts(input);
  const fired: boolean[] = [];
  const trace: RuleTrace[] = [];
  for (const rule of rs.rules) {
    const conditions: ConditionTrace[] = [];
    const ok = evalNode(rule.conditions, '/conditions', facts, conditions);
    fired.push(ok);
    trace.push({ rule: rule.name, index: rule.index, priority: rule.priority, fired: ok, outcome: rule.event, conditions });
  }
  return resolveOutcome(rs, input, facts, fired, trace);
}

function evalNode(node: ConditionNode, ptr: string, facts: NormalizedFacts, out: ConditionTrace[]): boolean {
  if ('all' in node) {
    let ok = true;
    node.all.forEach((c, i) => {
      ok = evalNode(c, `${ptr}/all/${i}`, facts, out) && ok;
    });
    return ok;
  }
  if ('any' in node) {
    let ok = false;
    node.any.forEach((c, i) => {
      ok = evalNode(c, `${ptr}/any/${i}`, facts, out) || ok;
    });
    return ok;
  }
  const f = facts as Record<string, unknown>;
  const factValue = f[node.fact] ?? null;
  const v = node.value;
  const value = v !== null && typeof v === 'object' && !Array.isArray(v) && 'fact' in v ? (f[(v as { fact: string }).fact] ?? null) : v;
  const result = compare(resolveOperator(node.operator)!, factValue, value);
  out.push({ pointer: ptr, fact: node.fact, operator: node.operator, value: node.value, factValue, result });
  return result;
}
