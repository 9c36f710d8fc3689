/**
 * Observability on the real app (real database, Temporal dev server): the request id (adopted when safe, else new;
 * echoed, in problems, and carried to Temporal as the kinerja-request-id header of the workflow start), one JSON
 * access log line per request labelled by route pattern, liveness and readiness, and the Prometheus metrics.
 */
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import { dbKinds } from '@kinerja/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/index.js';
import { decodeRequestId } from '@kinerja/workflows';
import { REQUEST_ID_HEADER, temporalClientInterceptors } from '../src/observability/request-id.js';
import { json, NIPS, setup, type Fixture } from './helpers.js';

const SECRET = 'test-secret-0123456789-abcdefghijklmnop';
const METRICS_TOKEN = 'scrape-token-0123456789';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface AccessLine {
  level: number;
  msg: string;
  requestId: string;
  method: string;
  route: string;
  status: number;
  durationMs: number;
  userId?: string;
}

/** one counter's value from Prometheus text, 0 when the series does not exist yet */
function counter(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    const m = /^(\w+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...m[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1]!, l[2]!]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v) && Object.keys(got).length === Object.keys(labels).length) return Number(m[3]);
  }
  return 0;
}

describe.each([dbKinds().includes('postgres') ? ('postgres' as const) : ('pglite' as const)])('observability (%s)', (kind) => {
  let f: Fixture;
  let app: ReturnType<typeof createApp>;
  let client: Client;
  const lines: AccessLine[] = [];

  beforeAll(async () => {
    f = await setup(kind);
    // the client main.ts builds: the request id interceptor on a connection of its own
    client = new Client({ connection: f.env.connection, namespace: 'default', interceptors: temporalClientInterceptors() });
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as AccessLine);
        done();
      },
    });
    app = createApp({
      prisma: f.db.prisma,
      temporal: client,
      config: { jwtSecret: SECRET, taskQueue: f.taskQueue, loginRateBurst: 100_000, metrics: { token: METRICS_TOKEN } },
      logger: pino({ level: 'info' }, sink),
    });
  }, 180_000);
  afterAll(() => f?.close());

  const call = (method: string, path: string, headers: Record<string, string> = {}, body?: unknown) =>
    Promise.resolve(
      app.request(path, {
        method,
        headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      }),
    );
  const lineFor = (requestId: string) => lines.filter((l) => l.requestId === requestId && l.msg === 'request');

  it('a safe incoming X-Request-Id is adopted and echoed; anything else is replaced by a new id', async () => {
    const res = await call('GET', '/nope', { 'x-request-id': 'lb-7f3a.2_x' });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('lb-7f3a.2_x');
    expect((await json<{ requestId: string }>(res)).requestId).toBe('lb-7f3a.2_x');
    for (const bad of ['a'.repeat(65), 'id with spaces', 'x<script>', 'a/b', '']) {
      const r = await call('GET', '/nope', { 'x-request-id': bad });
      const id = r.headers.get('x-request-id')!;
      expect(id, bad).toMatch(UUID);
      expect((await json<{ requestId: string }>(r)).requestId).toBe(id);
    }
  });

  it('one access log line per request: id, method, route pattern, status, duration and the signed-in user', async () => {
    // the fixture's app signs with the same secret: its token is good here
    const token = await f.login(NIPS.staff1);
    const user = await f.db.prisma.user.findUniqueOrThrow({ where: { username: NIPS.staff1 } });
    const res = await call('GET', '/evaluations/00000000-0000-4000-8000-000000000000', { authorization: `Bearer ${token}`, 'x-request-id': 'obs-eval' });
    expect(res.status).toBe(404);
    const got = lineFor('obs-eval');
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ method: 'GET', route: '/evaluations/:id', status: 404, userId: user.id });
    expect(typeof got[0]!.durationMs).toBe('number');
    expect(got[0]!.durationMs).toBeGreaterThanOrEqual(0);
    // no user on a request without a token; an unknown path is labelled as no route
    await call('GET', '/nope/123', { 'x-request-id': 'obs-anon' });
    expect(lineFor('obs-anon')).toEqual([expect.objectContaining({ route: 'unmatched', status: 404 })]);
    expect(lineFor('obs-anon')[0]!.userId).toBeUndefined();
  });

  it('the request id travels to Temporal: the workflow start carries the kinerja-request-id header', async () => {
    const admin = await f.login('admin');
    const res = await call(
      'POST',
      '/admin/regions/demo/cycles',
      { authorization: `Bearer ${admin}`, 'x-request-id': 'obs-open-cycle' },
      { year: 2031, name: 'Penilaian Kinerja 2031', ruleSetVersionId: f.seed.ruleSetVersionId },
    );
    expect(res.status, await res.clone().text()).toBe(201);
    const { cycle } = await json<{ cycle: { id: string } }>(res);
    const { workflowId } = await f.db.prisma.cycle.findUniqueOrThrow({ where: { id: cycle.id } });
    const history = await f.env.client.workflow.getHandle(workflowId).fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    expect(Object.keys(started?.header?.fields ?? {})).toContain(REQUEST_ID_HEADER);
    expect(decodeRequestId(started!.header!.fields![REQUEST_ID_HEADER] as never)).toBe('obs-open-cycle');
    await f.env.client.workflow.getHandle(workflowId).terminate('test over');
  });

  it('/health/live asks nobody; /health/ready and /health name a dependency that is down', async () => {
    expect(await json(await call('GET', '/health/live'))).toEqual({ status: 'ok' });
    for (const path of ['/health/ready', '/health']) {
      const res = await call('GET', path);
      expect(res.status, path).toBe(200);
      expect(await json(res)).toEqual({ status: 'ok', database: 'up', temporal: 'up' });
    }
    // a Temporal no one listens on (a real connection to a closed port)
    const nowhere = await Connection.connect({ address: '127.0.0.1:9', connectTimeout: 2000 }).catch(() => null);
    const lazy = nowhere ?? Connection.lazy({ address: '127.0.0.1:9', connectTimeout: 2000 });
    const down = createApp({ prisma: f.db.prisma, temporal: new Client({ connection: lazy }), config: { jwtSecret: SECRET } });
    for (const path of ['/health/ready', '/health']) {
      const res = await down.request(path);
      expect(res.status, path).toBe(503);
      expect(await json(res)).toEqual({ status: 'degraded', database: 'up', temporal: 'down' });
    }
    const live = await down.request('/health/live');
    expect(live.status).toBe(200);
  }, 30_000);

  it('/metrics: Prometheus text behind the token; the counters move for the route pattern', async () => {
    expect((await call('GET', '/metrics')).status).toBe(401);
    expect((await call('GET', '/metrics', { authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
    const scrape = async () => {
      const res = await call('GET', '/metrics', { authorization: `Bearer ${METRICS_TOKEN}` });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      return res.text();
    };
    const before = await scrape();
    for (let i = 0; i < 3; i++) await call('GET', `/evaluations/00000000-0000-4000-8000-00000000000${i}`);
    await call('GET', '/health/live');
    const after = await scrape();
    const route = { method: 'GET', route: '/evaluations/:id', status: '401' };
    expect(counter(after, 'http_requests_total', route) - counter(before, 'http_requests_total', route)).toBe(3);
    const live = { method: 'GET', route: '/health/live', status: '200' };
    expect(counter(after, 'http_requests_total', live) - counter(before, 'http_requests_total', live)).toBe(1);
    // no raw path becomes a label
    expect(after).not.toContain('00000000-0000-4000-8000');
    expect(counter(after, 'http_request_duration_seconds_count', { method: 'GET', route: '/evaluations/:id' })).toBeGreaterThanOrEqual(3);
    expect(after).toMatch(/^process_cpu_user_seconds_total /m);
    expect(after).toMatch(/^nodejs_eventloop_lag_seconds /m);
    // not a JSON route: not in the OpenAPI document
    const doc = await json<{ paths: Record<string, unknown> }>(await call('GET', '/openapi.json'));
    expect(doc.paths['/metrics']).toBeUndefined();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health', '/health/live', '/health/ready']));
  });

  it('in production without a token /metrics is off', async () => {
    const off = createApp({ prisma: f.db.prisma, temporal: client, config: { jwtSecret: SECRET, metrics: 'off' } });
    expect((await off.request('/metrics')).status).toBe(404);
  });
});
