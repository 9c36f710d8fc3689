/**
 * Housekeeping: the maintenance activities and the Temporal Schedule that runs `maintenanceWorkflow`.
 * `ensureMaintenanceSchedule` is called at every worker start (apps/worker/src/main.ts, scripts/start.ts): it creates
 * the schedule once per namespace and task queue and leaves an existing one as it is, so restarts and several
 * workers never duplicate it. A changed spec therefore reaches an existing namespace only after the schedule is
 * deleted (`temporal schedule delete --schedule-id kinerja-maintenance`); the next worker start creates it anew.
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { PrismaClient } from '@kinerja/db';
import { TASK_QUEUE, type Activities } from '@kinerja/workflows';
import { heartbeat, type ActivityLog } from './shared.js';

type MaintenanceActivities = Pick<Activities, 'deleteExpiredIdempotencyRecords'>;

export function maintenanceActivities(deps: { prisma: PrismaClient; log: ActivityLog }): MaintenanceActivities {
  const { prisma, log } = deps;
  return {
    async deleteExpiredIdempotencyRecords({ createdBefore, batchSize }) {
      const cutoff = new Date(createdBefore);
      let deleted = 0;
      let batches = 0;
      for (;;) {
        // one short statement per batch (by the createdAt index): no long lock, no long transaction. A record whose
        // lease is still live is left alone whatever its age: its attempt is running.
        const n = await prisma.$executeRaw`
          DELETE FROM "IdempotencyRecord" WHERE id IN (
            SELECT id FROM "IdempotencyRecord"
            WHERE "createdAt" < ${cutoff} AND ("leaseUntil" IS NULL OR "leaseUntil" < now())
            ORDER BY "createdAt" LIMIT ${batchSize}
          )`;
        deleted += n;
        batches++;
        heartbeat({ deleted });
        if (n < batchSize) break;
      }
      if (deleted > 0) log.info('expired idempotency records deleted', { deleted, batches, createdBefore });
      return { deleted, batches };
    },
  };
}

/** One schedule per task queue: the production queue's is `kinerja-maintenance`. */
export const maintenanceScheduleId = (taskQueue: string = TASK_QUEUE) =>
  taskQueue === TASK_QUEUE ? 'kinerja-maintenance' : `kinerja-maintenance-${taskQueue}`;

/**
 * Creates the maintenance schedule unless it exists: hourly, skipping a run while the previous one is still going.
 * Returns whether this call created it.
 */
export async function ensureMaintenanceSchedule(
  client: Client,
  opts: { taskQueue?: string | undefined } = {},
): Promise<{ scheduleId: string; created: boolean }> {
  const taskQueue = opts.taskQueue ?? TASK_QUEUE;
  const scheduleId = maintenanceScheduleId(taskQueue);
  try {
    await client.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: '1h' }] },
      action: { type: 'startWorkflow', workflowType: 'maintenanceWorkflow', taskQueue, workflowId: `${scheduleId}-run`, args: [{}] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1h' },
    });
    return { scheduleId, created: true };
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return { scheduleId, created: false };
    throw err;
  }
}
