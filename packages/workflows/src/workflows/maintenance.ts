/**
 * Housekeeping run by a Temporal Schedule (created by the worker at start, `ensureMaintenanceSchedule`): deletes the
 * Idempotency-Key records older than their TTL. The workflow only computes the cut-off from workflow time and calls
 * one activity; the activity deletes in small batches so that no run holds a lock for long.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities-contract.js';
import { IDEMPOTENCY_TTL_MS } from '../contracts.js';
/** rows per DELETE statement */
export const IDEMPOTENCY_DELETE_BATCH = 5_000;

export interface MaintenanceInput {
  /** default IDEMPOTENCY_TTL_MS */
  idempotencyTtlMs?: number | undefined;
  /** default IDEMPOTENCY_DELETE_BATCH */
  batchSize?: number | undefined;
}

export interface DeleteExpiredInput {
  /** ISO time: records created before it are deleted */
  createdBefore: string;
  batchSize: number;
}

/** The activities the maintenance workflow calls (part of `Activities`). */
export interface MaintenanceActivities {
  /** Delete IdempotencyRecord rows created before the cut-off, `batchSize` rows per statement, heartbeating between. */
  deleteExpiredIdempotencyRecords(input: DeleteExpiredInput): Promise<{ deleted: number; batches: number }>;
}

const { deleteExpiredIdempotencyRecords } = proxyActivities<Activities>({
  startToCloseTimeout: '30m',
  heartbeatTimeout: '2m',
  retry: { initialInterval: '5s', maximumInterval: '5m', maximumAttempts: 5 },
});

export async function maintenanceWorkflow(input: MaintenanceInput = {}): Promise<{ idempotencyRecordsDeleted: number }> {
  // Date.now() is workflow time here (deterministic on replay)
  const createdBefore = new Date(Date.now() - (input.idempotencyTtlMs ?? IDEMPOTENCY_TTL_MS)).toISOString();
  const { deleted } = await deleteExpiredIdempotencyRecords({ createdBefore, batchSize: input.batchSize ?? IDEMPOTENCY_DELETE_BATCH });
  return { idempotencyRecordsDeleted: deleted };
}
