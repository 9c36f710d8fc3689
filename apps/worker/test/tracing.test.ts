/**
 * Workflow spans on the real Temporal dev server: the SDK's OpenTelemetry workflow interceptors run in a workflow
 * whose start carries a trace context (a `traceparent` under their header), continuing that trace, and its spans
 * leave the sandbox through the exporter sink; a workflow started without one, or with the empty carrier an untraced
 * client sends, records none (packages/workflows tracing.ts loads the interceptors only for traced workflows).
 */
import { randomUUID } from 'node:crypto';
import { Client, type WorkflowClientInterceptor } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { createLocalEnv, createTestDb, uniqueId, type Db } from '@kinerja/testing';
import { carriesTrace, TRACE_HEADER } from '@kinerja/workflows';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type RunningWorker } from '../src/index.js';

const traceId = () => randomUUID().replace(/-/g, '');

describe('workflow spans (Temporal dev server)', () => {
  let env: TestWorkflowEnvironment;
  let db: Db;
  let worker: RunningWorker;
  const spans = new InMemorySpanExporter();
  const taskQueue = uniqueId('tracing');

  beforeAll(async () => {
    [env, db] = await Promise.all([createLocalEnv(), createTestDb('pglite')]);
    const tracing = { spanProcessor: new SimpleSpanProcessor(spans), resource: resourceFromAttributes({}), shutdown: () => Promise.resolve() };
    worker = await startWorker({ prisma: db.prisma, connection: env.nativeConnection, taskQueue, tracing, log: { info() {}, warn() {} } });
  }, 120_000);
  afterAll(async () => {
    await worker?.shutdown();
    await env?.teardown();
    await db?.close();
  });

  /** Runs the maintenance workflow (one activity) started with `carrier` under the trace header, or without it. */
  async function runMaintenance(carrier: Record<string, string> | undefined): Promise<string> {
    const withHeader: WorkflowClientInterceptor = {
      start: (input, next) => next(carrier ? { ...input, headers: { ...input.headers, [TRACE_HEADER]: defaultPayloadConverter.toPayload(carrier) } } : input),
    };
    const client = new Client({ connection: env.connection, interceptors: { workflow: [withHeader] } });
    const workflowId = uniqueId('maintenance');
    await client.workflow.execute('maintenanceWorkflow', { taskQueue, workflowId, args: [{}] });
    return workflowId;
  }

  /** the spans exported for one workflow (the interceptors put its id on each) */
  const spansOf = (workflowId: string) => spans.getFinishedSpans().filter((s) => s.attributes.workflowId === workflowId);

  it("continues the start's trace: the run and the activity it schedules", { timeout: 60_000 }, async () => {
    const trace = traceId();
    const workflowId = await runMaintenance({ traceparent: `00-${trace}-00f067aa0ba902b7-01` });
    const names = spans
      .getFinishedSpans()
      .filter((s) => s.spanContext().traceId === trace)
      .map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['RunWorkflow:maintenanceWorkflow', expect.stringMatching(/^StartActivity:/)]));
    expect(spansOf(workflowId).length).toBeGreaterThan(0);
  });

  it('records nothing for a workflow started without a trace context', { timeout: 60_000 }, async () => {
    const before = spans.getFinishedSpans().length;
    await runMaintenance(undefined);
    await runMaintenance({});
    expect(spans.getFinishedSpans().length).toBe(before);
  });

  it('tells a trace context from the empty carrier of an untraced caller', () => {
    const header = (carrier: unknown) => ({ [TRACE_HEADER]: defaultPayloadConverter.toPayload(carrier) });
    expect(carriesTrace(header({ traceparent: `00-${traceId()}-00f067aa0ba902b7-01` }))).toBe(true);
    expect(carriesTrace(header({}))).toBe(false);
    expect(carriesTrace(header('00-abc'))).toBe(false);
    expect(carriesTrace({})).toBe(false);
  });
});
