/**
 * The composition root of the activities behind the workflows: each job builds its activities from the dependencies
 * given here (the pattern of Temporal's activities-dependency-injection sample), and `createActivities` composes
 * them into the one object the worker registers.
 */
import { TASK_QUEUE, type Activities } from '@kinerja/workflows';
import { fanOutActivities } from './fan-out.js';
import { maintenanceActivities } from './maintenance.js';
import { projectionActivities } from './projection.js';
import { reminderActivities } from './reminders.js';
import { scoringActivities } from './scoring.js';
import { consoleLog, type ActivityDeps, type JobDeps } from './shared.js';
import { simulationActivities } from './simulation.js';

export type { Activities } from '@kinerja/workflows';
export type { ActivityDeps, ActivityLog } from './shared.js';
export { taskKey } from './shared.js';
// Deterministic ids (a retried projection writes the same rows), shared with the workflow's realisation check.
export { rhkId, indicatorId } from '@kinerja/workflows';

export function createActivities(deps: ActivityDeps): Activities {
  const job: JobDeps = { prisma: deps.prisma, log: deps.log ?? consoleLog, now: deps.now ?? (() => new Date()) };
  return {
    ...projectionActivities(job),
    ...reminderActivities(job),
    ...scoringActivities(job),
    ...fanOutActivities({ ...job, temporal: deps.temporal, taskQueue: deps.taskQueue ?? TASK_QUEUE, eagerStart: deps.eagerStart ?? false }),
    ...simulationActivities(job),
    ...maintenanceActivities(job),
  };
}
