/**
 * Traces on the real app (real database, Temporal dev server): one server span per request named by its route
 * pattern, a caller's W3C traceparent continued, and the Temporal client's span of a workflow start a child of the
 * request's, its context on the workflow's headers for the worker to continue. Spans are kept in memory by a tracer
 * provider registered for this file (the process's global one, as main.ts registers it).
 */
import { Client } from '@temporalio/client';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/index.js';
import { temporalClientInterceptors } from '../src/observability/request-id.js';
import { setup, type Fixture } from './helpers.js';

const SECRET = 'test-secret-0123456789-abcdefghijklmnop';

describe('traces (pglite)', () => {
  const spans = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  let f: Fixture;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    provider.register();
    f = await setup('pglite');
    const client = new Client({ connection: f.env.connection, namespace: 'default', interceptors: temporalClientInterceptors() });
    app = createApp({ prisma: f.db.prisma, temporal: client, config: { jwtSecret: SECRET, taskQueue: f.taskQueue, loginRateBurst: 100_000 } });
  }, 180_000);
  afterAll(async () => {
    await f?.close();
    await provider.shutdown();
    trace.disable();
  });

  const finished = (name: string) => spans.getFinishedSpans().filter((s) => s.name === name);

  it('one server span per request, named by the route pattern, with its status and request id', async () => {
    spans.reset();
    const res = await app.request('/evaluations/00000000-0000-4000-8000-000000000000', { headers: { 'x-request-id': 'trace-404' } });
    expect(res.status).toBe(401);
    const [span] = finished('GET /evaluations/:id');
    expect(span?.attributes).toMatchObject({ 'http.route': '/evaluations/:id', 'http.response.status_code': 401, 'kinerja.request_id': 'trace-404' });
    expect(span?.parentSpanContext).toBeUndefined();
  });

  it("continues the caller's traceparent", async () => {
    spans.reset();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await app.request('/health/live', { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    const [span] = finished('GET /health/live');
    expect(span?.spanContext().traceId).toBe(traceId);
    expect(span?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
  });

  it("a workflow the request starts is a child of the request's span, its context on the workflow's headers", async () => {
    spans.reset();
    const admin = await f.login('admin');
    const res = await app.request('/admin/regions/demo/cycles', {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ year: 2032, name: 'Penilaian Kinerja 2032', ruleSetVersionId: f.seed.ruleSetVersionId }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const [request] = finished('POST /admin/regions/:regionCode/cycles');
    const start = spans.getFinishedSpans().find((s) => s.name.startsWith('StartWorkflow:cycleWorkflow'));
    expect(request).toBeDefined();
    expect(start?.spanContext().traceId).toBe(request!.spanContext().traceId);
    expect(start?.parentSpanContext?.spanId).toBe(request!.spanContext().spanId);

    const { cycle } = (await res.json()) as { cycle: { id: string } };
    const { workflowId } = await f.db.prisma.cycle.findUniqueOrThrow({ where: { id: cycle.id } });
    const history = await f.env.client.workflow.getHandle(workflowId).fetchHistory();
    // the interceptor's header: the worker's OpenTelemetry interceptors read the parent span from it
    expect(Object.keys(history.events?.[0]?.workflowExecutionStartedEventAttributes?.header?.fields ?? {})).toContain('_tracer-data');
    await f.env.client.workflow.getHandle(workflowId).terminate('test over');
  });
});
