/**
 * A region's cycle: starts every employee's evaluation workflow in batches through an activity. The activity
 * starts workflows with the deterministic id `evaluationWorkflowId(cycleId, employeeId)`, so a retry, a resumed
 * worker or a re-opened cycle never starts anybody twice. Continues as new every few batches to keep history short.
 */
import { continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities-contract.js';
import { getCycleProgress, type CycleInput, type CycleProgress } from '../contracts.js';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '5m',
  heartbeatTimeout: '1m',
  retry: { initialInterval: '1s', maximumInterval: '1m' },
});

/** Batches per run before continue-as-new. */
export const BATCHES_PER_RUN = 10;
export const DEFAULT_BATCH_SIZE = 100;

export interface CycleRunInput extends CycleInput {
  /** carried across continue-as-new */
  started?: number;
  total?: number;
  batchesPerRun?: number;
}

export async function cycleWorkflow(input: CycleRunInput): Promise<CycleProgress> {
  const batchSize = input.batchSize ?? DEFAULT_BATCH_SIZE;
  const perRun = input.batchesPerRun ?? BATCHES_PER_RUN;
  const progress: CycleProgress = { total: input.total ?? 0, started: input.started ?? 0, done: false };
  setHandler(getCycleProgress, () => progress);

  let cursor = input.cursor ?? null;
  for (let batch = 0; ; batch++) {
    if (batch >= perRun || workflowInfo().continueAsNewSuggested) {
      return continueAsNew<typeof cycleWorkflow>({
        ...input,
        cursor,
        started: progress.started,
        total: progress.total,
      });
    }
    const r = await acts.startEvaluationBatch({ cycleId: input.cycleId, cursor, batchSize });
    progress.started += r.started;
    progress.total = r.total;
    cursor = r.nextCursor;
    if (cursor === null) break;
  }
  await acts.markCycleOpen({ cycleId: input.cycleId, total: progress.total, started: progress.started });
  progress.done = true;
  return progress;
}
