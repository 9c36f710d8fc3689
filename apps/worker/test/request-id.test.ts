/**
 * The request id from the caller to the activity's log, on the real Temporal dev server: a workflow started with
 * REQUEST_ID_HEADER hands it to the activities it schedules (the workflow interceptors bundled into the workflow code),
 * and the activity's log lines carry it; a start without the header leaves the lines without one.
 */
import { randomUUID } from 'node:crypto';
import { Client, type WorkflowClientInterceptor } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createLocalEnv, createTestDb, uniqueId, type Db } from '@kinerja/testing';
import { decodeRequestId, encodeRequestId, REQUEST_ID_HEADER } from '@kinerja/workflows';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type RunningWorker } from '../src/index.js';

const HOUR = 3_600_000;

interface Line {
  message: string;
  meta: Record<string, unknown> | undefined;
}

describe('the request id (Temporal dev server)', () => {
  let env: TestWorkflowEnvironment;
  let db: Db;
  let worker: RunningWorker;
  const lines: Line[] = [];
  const taskQueue = uniqueId('request-id');

  beforeAll(async () => {
    [env, db] = await Promise.all([createLocalEnv(), createTestDb('pglite')]);
    const capture = (message: string, meta?: Record<string, unknown>) => void lines.push({ message, meta });
    worker = await startWorker({ prisma: db.prisma, connection: env.nativeConnection, taskQueue, log: { info: capture, warn: capture } });
  }, 120_000);
  afterAll(async () => {
    await worker?.shutdown();
    await env?.teardown();
    await db?.close();
  });

  /** Runs the maintenance workflow over one expired record; its activity logs the deletion. */
  async function runMaintenance(requestId: string | undefined): Promise<Line> {
    await db.prisma.idempotencyRecord.create({
      data: {
        userId: randomUUID(),
        key: uniqueId('k'),
        method: 'POST',
        path: '/x',
        requestHash: 'h',
        status: 200,
        createdAt: new Date(Date.now() - 25 * HOUR),
      },
    });
    const withHeader: WorkflowClientInterceptor = {
      start: (input, next) => next(requestId ? { ...input, headers: { ...input.headers, [REQUEST_ID_HEADER]: encodeRequestId(requestId) } } : input),
    };
    const client = new Client({ connection: env.connection, interceptors: { workflow: [withHeader] } });
    const before = lines.length;
    const result: unknown = await client.workflow.execute('maintenanceWorkflow', { taskQueue, workflowId: uniqueId('maintenance'), args: [{}] });
    expect(result).toEqual({ idempotencyRecordsDeleted: 1 });
    const line = lines.slice(before).find((l) => l.message === 'expired idempotency records deleted');
    expect(line, 'the activity logs the deletion').toBeDefined();
    return line!;
  }

  it("reaches the activity's log lines from the workflow start's header", { timeout: 60_000 }, async () => {
    expect((await runMaintenance('req-7f3a')).meta).toMatchObject({ deleted: 1, requestId: 'req-7f3a' });
  });

  it('is absent from the lines of a workflow started without one', { timeout: 60_000 }, async () => {
    expect((await runMaintenance(undefined)).meta).not.toHaveProperty('requestId');
  });

  it('accepts only a short string payload as a request id', () => {
    expect(decodeRequestId(encodeRequestId('abc'))).toBe('abc');
    expect(decodeRequestId(encodeRequestId('x'.repeat(201)))).toBeUndefined();
    expect(decodeRequestId(encodeRequestId(''))).toBeUndefined();
    expect(decodeRequestId(undefined)).toBeUndefined();
  });
});
