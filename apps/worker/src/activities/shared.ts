/**
 * What the activity jobs share: the dependencies the composition root passes them, the log, the logging wrapper,
 * the activity context and heartbeat, and the Task rows written by both the projection and the fan-out.
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Prisma, PrismaClient } from '@kinerja/db';
import type { OpenTask } from '@kinerja/workflows';

export interface ActivityLog {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
}

export interface ActivityDeps {
  prisma: PrismaClient;
  /**
   * Temporal client the fan-out starts evaluation workflows with. The caller owns its connection and configuration
   * (`startWorker` builds it on the worker's own connection), so no activity reads the environment.
   */
  temporal: Client;
  taskQueue?: string | undefined;
  now?: () => Date;
  log?: ActivityLog | undefined;
  /**
   * Ask the server to hand each new evaluation's first workflow task straight back to this worker (eager workflow
   * start): no task-queue round trip. Needs `temporal` to be a client on the worker's own NativeConnection.
   */
  eagerStart?: boolean | undefined;
}

/** The dependencies every job's factory receives, defaults filled in by the composition root. */
export interface JobDeps {
  prisma: PrismaClient;
  log: ActivityLog;
  now: () => Date;
}

export const consoleLog: ActivityLog = {
  info: (m, meta) => console.info(`[kinerja-worker] ${m}`, meta ?? ''),
  warn: (m, meta) => console.warn(`[kinerja-worker] ${m}`, meta ?? ''),
};

/** Failures are logged (then rethrown for Temporal's retry): a failing projection must never be silent. */
export const logged =
  <A extends unknown[], R>(log: ActivityLog, name: string, fn: (...args: A) => Promise<R>) =>
  async (...args: A): Promise<R> => {
    try {
      return await fn(...args);
    } catch (err) {
      log.warn(`${name} failed`, { error: err instanceof Error ? err.message : String(err) });
      throw err;
    }
  };

export const activityContext = () => {
  try {
    return Context.current();
  } catch {
    return undefined; // called outside an activity (unit test)
  }
};

/** Heartbeat and stop early when the activity is cancelled (worker shutting down): the retry redoes the batch. */
export const heartbeat = (details?: unknown) => {
  const c = activityContext();
  if (!c) return;
  c.heartbeat(details);
  if (c.cancellationSignal.aborted) throw c.cancellationSignal.reason ?? new Error('activity cancelled');
};

export const json = (v: unknown): Prisma.InputJsonValue => JSON.parse(JSON.stringify(v ?? null)) as Prisma.InputJsonValue;

export const taskKey = (evaluationId: string, kind: string, period?: number | null) => `${evaluationId}:${kind}:${period ?? '-'}`;

/** The columns of a Task row that follow the workflow's open task. */
export const taskFields = (t: OpenTask) => ({
  assigneeId: t.assigneeId,
  actingForId: t.actingForId ?? null,
  escalated: t.escalated,
  dueAt: t.dueAt ? new Date(t.dueAt) : null,
});
/** A new Task row; it carries the evaluation's region and cycle, so the cycle's counts read the Task table alone. */
export const newTask = (of: { regionId: string; cycleId: string; evaluationId: string }, t: OpenTask, now: Date) => ({
  key: taskKey(of.evaluationId, t.kind, t.period),
  regionId: of.regionId,
  cycleId: of.cycleId,
  evaluationId: of.evaluationId,
  kind: t.kind,
  period: t.period ?? null,
  ...taskFields(t),
  status: 'OPEN' as const,
  createdAt: now,
});
