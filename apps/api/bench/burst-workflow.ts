/**
 * The baseline of api.burst (burst.bench.ts): the least a Temporal update with one database write can cost, i.e.
 * an update whose handler runs one local activity (a no-op here, where the evaluation workflow's runs the projection)
 * and returns. Workflow code: bundled for the bench's own worker on its own task queue, deterministic, nothing but
 * @temporalio/workflow imported.
 */
// @ts-expect-error -- apps/api does not list @temporalio/workflow, so its types do not resolve here (the bench bundles this file against the copy @temporalio/worker depends on); once it is a devDependency, delete this line and WorkflowApi
import * as wf from '@temporalio/workflow';

/** The SDK 1.24 signatures this file uses, narrowed to its needs (the real ones do not resolve from apps/api). */
interface WorkflowApi {
  defineUpdate: <Ret, Args extends unknown[]>(name: string) => { type: 'update'; name: string; __types?: [Ret, Args] };
  setHandler: <Ret, Args extends unknown[]>(def: { type: 'update'; name: string; __types?: [Ret, Args] }, handler: (...args: Args) => Promise<Ret>) => void;
  proxyLocalActivities: <A>(options: { startToCloseTimeout: string }) => A;
  condition: (fn: () => boolean) => Promise<void>;
}
const { condition, defineUpdate, proxyLocalActivities, setHandler } = wf as WorkflowApi;

/** the bench's client sends it by name: the client side cannot import this module (no @temporalio/workflow there) */
export const burstUpdate = defineUpdate<number, [number]>('burst');

export interface BurstActivities {
  noop: () => Promise<void>;
}

const { noop } = proxyLocalActivities<BurstActivities>({ startToCloseTimeout: '10s' });

/** Answers `burst` updates; stays open afterwards, as an evaluation does between its reports. */
export async function burstWorkflow(): Promise<void> {
  setHandler(burstUpdate, async (n: number) => {
    await noop();
    return n;
  });
  await condition(() => false);
}
