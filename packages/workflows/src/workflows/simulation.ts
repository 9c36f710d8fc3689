/**
 * A background dry run of a rule set (an admin's simulation too large for the request thread): one activity
 * evaluates the subjects in chunks, heartbeating and writing progress to its SimulationRun row, then the result.
 * If the activity gives up (its retries exhausted), a second activity marks the run FAILED so that nobody polls a
 * run that will never finish. The workflow itself only sequences the two: no I/O, no rules engine.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities-contract.js';

export interface SimulationRunInput {
  /** the SimulationRun row (status RUNNING) written by the API before starting this workflow */
  runId: string;
}

/** The activities a simulation run calls (part of `Activities`). */
export interface SimulationActivities {
  /** Evaluate the run's subjects in chunks, write progress (done/total) and finally the result with status DONE. */
  runSimulation(input: SimulationRunInput): Promise<{ status: 'DONE' | 'FAILED' }>;
  /** Mark a run FAILED with a reason (after runSimulation gave up). */
  failSimulation(input: SimulationRunInput & { error: string }): Promise<void>;
}

const { runSimulation } = proxyActivities<Activities>({
  startToCloseTimeout: '30m',
  heartbeatTimeout: '1m',
  retry: { initialInterval: '2s', maximumInterval: '1m', maximumAttempts: 3 },
});
const { failSimulation } = proxyActivities<Activities>({ startToCloseTimeout: '1m', retry: { initialInterval: '1s', maximumInterval: '1m' } });

export async function simulationWorkflow(input: SimulationRunInput): Promise<{ status: 'DONE' | 'FAILED' }> {
  try {
    return await runSimulation(input);
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
    const message = cause instanceof Error ? cause.message : String(cause);
    await failSimulation({ ...input, error: message.slice(0, 1000) });
    return { status: 'FAILED' };
  }
}
