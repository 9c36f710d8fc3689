/**
 * Evaluations per second on one core through json-rules-engine (pooled engines), beside a reference computed
 * without the engine on the same facts: the hand-written national function for the national set, the
 * synchronous reference interpreter (`evaluateReference`) for the region packs. One JSON object per line.
 */
import { evaluate, evaluateReference, nationalRuleSet, regionPacks, type Evaluation, type Facts, type RuleSetDocument } from '../src/index.js';
import { nationalReference, project, randomFacts, rng, type Projection } from '../test/support.js';

const N = 2000;
/** process CPU seconds: evaluations per CPU-second is the per-core rate, robust on a shared machine */
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);

async function measureAsync(facts: readonly Facts[], fn: (f: Facts) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 500; i++) await fn(facts[i % facts.length]!); // warm-up
  const start = cpu();
  let n = 0;
  while (cpu() - start < SECONDS) {
    for (let i = 0; i < 200; i++) await fn(facts[n++ % facts.length]!);
  }
  return n / (cpu() - start);
}

function measureSync(facts: readonly Facts[], fn: (f: Facts) => unknown): number {
  for (let i = 0; i < 2000; i++) fn(facts[i % facts.length]!);
  const start = cpu();
  let n = 0;
  let sink = 0;
  while (cpu() - start < SECONDS) {
    for (let i = 0; i < 1000; i++) if (fn(facts[n++ % facts.length]!)) sink++;
  }
  if (sink < 0) console.error(sink);
  return n / (cpu() - start);
}

async function bench(name: string, doc: RuleSetDocument, reference: (f: Facts) => Projection | Evaluation): Promise<void> {
  const r = rng(name.length * 7919);
  const facts = Array.from({ length: N }, () => randomFacts(r));
  let mismatches = 0;
  for (const f of facts) {
    const a = JSON.stringify(project(await evaluate(doc, f)));
    const ref = reference(f);
    const b = JSON.stringify('trace' in ref ? project(ref) : ref);
    if (a !== b) mismatches++;
  }
  const value = await measureAsync(facts, (f) => evaluate(doc, f));
  const baseline = measureSync(facts, reference);
  const round = (x: number) => Math.round(x);
  console.log(
    JSON.stringify({
      bench: `rules.${name}`,
      value: round(value),
      unit: 'evals/s',
      baseline: round(baseline),
      ratio: Math.round((baseline / value) * 10) / 10,
      mismatches,
      rules: doc.rules.length,
      clock: 'cpu',
    }),
  );
}

await bench('national', nationalRuleSet, nationalReference);
for (const [key, doc] of Object.entries(regionPacks)) await bench(key, doc, (f) => evaluateReference(doc, f));
