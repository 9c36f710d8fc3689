/**
 * Two costs of the Temporal SDK's workflow sandbox on this Node, measured outside it, that bound what a workflow task
 * can cost (README, "Month-end at scale").
 *
 * worker.async-local-storage: what one promise costs on this Node while `n` AsyncLocalStorages are enabled in the
 * thread, beside the same promises with none (the baseline). Each workflow the worker caches keeps four or five
 * enabled on its workflow thread (the SDK's cancellation, update, marker and randomness scopes, the request id's), and
 * on Node 20 every promise is tagged by every one of them (temporalio/sdk-typescript#1432): this is the curve behind
 * the worker's cache size (apps/worker/src/config.ts, DEFAULT_MAX_CACHED_WORKFLOWS). Each `n` runs in a fresh child
 * process, since a storage cannot be taken out of the list without disabling it.
 *
 * worker.vm-call: one call into a vm context with the 5 s `timeout` the SDK gives every call into the workflow
 * sandbox (its isolateExecutionTimeout, not a worker option), beside the same call without one: each such call arms
 * a watchdog. An activation makes several.
 *
 * One JSON object per line on stdout. A benchmark reports; it asserts nothing.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import vm from 'node:vm';

const ROUNDS = 200;
const PER_ROUND = 100;

/** microseconds per promise and its `then`, with `n` storages enabled in this process */
async function measure(n: number): Promise<number> {
  for (let i = 0; i < n; i++) new AsyncLocalStorage().run(i, () => undefined);
  const t0 = performance.now();
  for (let r = 0; r < ROUNDS; r++) {
    const round: Promise<number>[] = [];
    for (let i = 0; i < PER_ROUND; i++) round.push(Promise.resolve(i).then((x) => x + 1));
    await Promise.all(round);
  }
  return ((performance.now() - t0) * 1000) / (ROUNDS * PER_ROUND);
}

/** microseconds per `runInContext` of a trivial script, with the vm `timeout` option or without */
function vmCall(timeout: number | undefined): number {
  const context = vm.createContext({ n: 0 });
  const script = new vm.Script('n++');
  const calls = 20_000;
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) script.runInContext(context, timeout ? { timeout } : {});
  return ((performance.now() - t0) * 1000) / calls;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const line = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ ...o, node: process.version, load1: round2(loadavg()[0]!) })}\n`);

const child = process.env.BENCH_ALS_CHILD;
if (child !== undefined) {
  process.stdout.write(String(await measure(Number(child))));
} else {
  const inChild = (n: number) =>
    Number(execFileSync(process.execPath, [...process.execArgv, process.argv[1]!], { env: { ...process.env, BENCH_ALS_CHILD: String(n) }, encoding: 'utf8' }));
  const baseline = inChild(0);
  for (const n of [5, 100, 500, 1500]) {
    const value = inChild(n);
    line({
      name: 'worker.async-local-storage',
      storages: n,
      value: round2(value),
      unit: 'µs per promise and its then',
      baseline: round2(baseline),
      ratio: Math.round((value / baseline) * 10) / 10,
    });
  }
  const bare = vmCall(undefined);
  const guarded = vmCall(5_000);
  line({ name: 'worker.vm-call', value: round2(guarded), unit: 'µs per call with a 5 s timeout', baseline: round2(bare), ratio: Math.round(guarded / bare) });
}
