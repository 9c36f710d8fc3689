/**
 * The production topology, end to end: PostgreSQL, the real Temporal server (built from its Go module) on it, the
 * built API and two built workers as separate `node` processes with compose's environment. One employee's year goes
 * from targets to FINAL over HTTP while one worker is killed with SIGKILL and the Temporal server is restarted; the
 * year finishes with every report, review and score in place and the audit chain intact.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDb, seedDemo } from '@kinerja/db';
import { demoRuleSet, withCalendar } from '@kinerja/rules';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '@kinerja/testing';
import { startTopology, type Topology } from '@kinerja/testing/topology';
import { allSesuai, FAST_CALENDAR, NIPS, PASSWORD, until, validSkp } from './helpers.js';

// the year's clock: 1-second quarters, and an appeal window short enough to wait out
const CALENDAR = { ...FAST_CALENDAR, appealWindow: '15s' };

let topology: Topology;
let traces: OtlpReceiver;
let dir: string;
let ruleSetVersionId: string;
let employees: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kinerja-topology-'));
  traces = await startOtlpReceiver();
  topology = await startTopology({
    dir,
    workers: 2,
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: traces.url },
    // npm test builds the server in the background while the other projects run
    binariesTimeoutMs: 40 * 60_000,
    beforeStart: async (url) => {
      const db = await openDb({ url });
      try {
        const seeded = await seedDemo(db.prisma, { ruleSetDocument: withCalendar(demoRuleSet, CALENDAR, 'national-fast') });
        ruleSetVersionId = seeded.ruleSetVersionId;
        employees = await db.prisma.employee.count();
      } finally {
        await db.close();
      }
    },
  });
}, 45 * 60_000);

afterAll(async () => {
  await topology?.stop();
  await traces?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function call(method: string, path: string, token?: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(topology.apiUrl + path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** A command that must succeed, retried while the Temporal server is coming back (503) or the step is not open yet (409). */
async function command(what: string, method: string, path: string, token: string, body?: unknown): Promise<Answer> {
  let last: Answer | undefined;
  return until(
    what,
    async () => {
      last = await call(method, path, token, body);
      if (last.status === 200 || last.status === 201) return last;
      expect([409, 503, 504], `${what}: ${last.status} ${JSON.stringify(last.body)}`).toContain(last.status);
      return undefined;
    },
    120_000,
  ).catch((err: unknown) => {
    throw new Error(`${String(err)}; last answer ${last?.status} ${JSON.stringify(last?.body)}`);
  });
}

async function login(username: string): Promise<string> {
  const res = await call('POST', '/auth/login', undefined, { username, password: PASSWORD });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.accessToken as string;
}

it(
  'an employee year finishes through a worker killed with SIGKILL and a Temporal server restart',
  async () => {
    const admin = await login('admin');
    const asn = await login(NIPS.staff1);
    const sup = await login(NIPS.kepalaBidang);

    const opened = await command('open the cycle', 'POST', '/admin/regions/demo/cycles', admin, {
      year: 2025,
      name: 'Penilaian Kinerja 2025',
      ruleSetVersionId,
    });
    const cycleId = (opened.body.cycle as { id: string }).id;
    const evaluationId = await until(
      'staff1 evaluation',
      async () => ((await call('GET', '/me/evaluations', asn)).body.items as { id: string; cycleId: string }[]).find((e) => e.cycleId === cycleId)?.id,
      120_000,
    );
    const base = `/evaluations/${evaluationId}`;
    await command('targets', 'PUT', `${base}/targets`, asn, validSkp);
    await command('targets approved', 'POST', `${base}/targets/decision`, sup, { decision: 'APPROVE', note: 'Sesuai rencana strategis' });
    const indicators = await until(
      'approved SKP',
      async () =>
        ((await call('GET', base, asn)).body.evaluation as { skp: { rhk: { indicators: { id: string }[] }[] } | null }).skp?.rhk.flatMap((r) => r.indicators),
      60_000,
    );
    const realisations = indicators.map((ind, i) => ({ indicatorId: ind.id, value: i === 0 ? 330 : 3 }));
    const report = (period: number) =>
      command(`report ${period}`, 'PUT', `${base}/periods/${period}/report`, asn, {
        realisations,
        evidence: [{ kind: 'LINK', name: `Rekap triwulan ${period}`, url: `https://example.go.id/rekap/${period}` }],
      });
    const review = (period: number) =>
      command(`review ${period}`, 'POST', `${base}/periods/${period}/review`, sup, {
        decision: 'RATE',
        rating: 'SESUAI',
        feedback: `Triwulan ${period} lengkap`,
      });

    await report(1);
    await review(1);

    // one worker dies mid-year, without a chance to hand its tasks back
    await topology.workers[0]!.kill();
    await report(2);
    await review(2);

    // the Temporal server goes down and comes back on the same database; the API and the surviving worker reconnect
    await topology.temporal.restart();
    await report(3);
    await review(3);
    await report(4);
    await review(4);

    const phase = async () => ((await call('GET', base, asn)).body.workflow as { phase: string } | null)?.phase;
    await until('ANNUAL_RATING', async () => (await phase()) === 'ANNUAL_RATING', 120_000);
    await command('annual rating', 'POST', `${base}/annual-rating`, sup, { hasilKerja: 'SESUAI', perilaku: allSesuai, notes: 'Kinerja baik' });
    const final = await until(
      'FINAL predikat',
      async () => {
        const v = await call('GET', base, asn);
        const e = v.body.evaluation as { phase: string; scores: { kind: string; predikat: string }[] };
        return e.phase === 'FINAL' && e.scores.some((s) => s.kind === 'FINAL') ? v.body : undefined;
      },
      180_000,
    );

    // nothing lost: four reports with their realisations, four reviews, the final score, every year of the fan-out
    const db = await openDb({ url: topology.databaseUrl });
    try {
      const reports = await db.prisma.periodReport.findMany({ where: { evaluationId }, orderBy: { period: 'asc' } });
      expect(reports.map((r) => [r.period, r.status])).toEqual([1, 2, 3, 4].map((p) => [p, 'REVIEWED']));
      expect(reports.every((r) => Array.isArray(r.realisations) && r.realisations.length === realisations.length)).toBe(true);
      expect(reports.map((r) => r.rating)).toEqual(['SESUAI', 'SESUAI', 'SESUAI', 'SESUAI']);
      expect(await db.prisma.evaluation.count({ where: { cycleId } })).toBe(employees);
    } finally {
      await db.close();
    }
    const scores = (final.evaluation as { scores: { kind: string; predikat: string }[] }).scores;
    expect(scores.find((s) => s.kind === 'FINAL')?.predikat).toBe((final.workflow as { result?: { predikat: string } }).result?.predikat);
    const audit = await call('GET', '/admin/regions/demo/audit/verify', admin);
    expect(audit.body.ok).toBe(true);

    // the processes connect as the app role: it writes the trail but cannot switch off the triggers that guard it
    const asApp = await openDb({ url: topology.databaseUrl });
    try {
      expect(await asApp.prisma.auditEvent.count()).toBeGreaterThan(0);
      await expect(asApp.prisma.$executeRawUnsafe('ALTER TABLE "AuditEvent" DISABLE TRIGGER ALL')).rejects.toThrow(/must be owner/);
      await expect(asApp.prisma.$executeRawUnsafe('TRUNCATE "AuditEvent"')).rejects.toThrow(/permission denied/);
    } finally {
      await asApp.close();
    }

    // operations: readiness names both dependencies; metrics from the API and from a worker; logs are JSON lines
    expect((await call('GET', '/health/ready')).body).toEqual({ status: 'ok', database: 'up', temporal: 'up' });
    expect((await call('GET', '/health/live')).status).toBe(200);
    expect((await fetch(`${topology.apiUrl}/metrics`)).status).toBe(401);
    const metricsRes = await fetch(`${topology.apiUrl}/metrics`, { headers: { authorization: `Bearer ${topology.env.METRICS_TOKEN}` } });
    expect(await metricsRes.text()).toMatch(/^http_requests_total\{[^}]*route="[^"]*periods[^"]*report"[^}]*status="200"[^}]*\} [1-9]/m);
    expect(await (await fetch(topology.workerMetricsUrls[1]!)).text()).toMatch(/^temporal_\w+/m);
    const access = readFileSync(topology.api.logFile, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === 'request');
    expect(access.length).toBeGreaterThan(10);
    expect(access.every((l) => typeof l.requestId === 'string' && typeof l.route === 'string')).toBe(true);

    // the Temporal UI finds the year by the employee's NIP and region, with its phase current (visibility is
    // eventually consistent: asked until it answers)
    const connection = await Connection.connect({ address: topology.temporal.address });
    try {
      const temporal = new Client({ connection, namespace: topology.temporal.namespace });
      const found = await until(
        'the year in the visibility store by NIP, region and phase',
        async () => {
          const hits = [];
          for await (const w of temporal.workflow.list({
            query: `KinerjaNip = '${NIPS.staff1}' AND KinerjaRegion = 'demo' AND KinerjaPhase IN ('FINAL', 'CLOSED')`,
          }))
            hits.push(w);
          return hits.length > 0 ? hits : undefined;
        },
        60_000,
      );
      expect(found.map((w) => w.workflowId)).toEqual([expect.stringContaining(cycleId)]);
    } finally {
      await connection.close();
    }

    // one trace from the API's request through the workflow's update into the activity that projects it, exported by
    // the API and a worker to the collector (batched: a few seconds late)
    // complete: the request's span, the client's update, the workflow's handler and the activity, and every span's
    // parent in the trace too (one tree, not fragments)
    const complete = (t: ReceivedSpan[]) =>
      ['kinerja-api StartWorkflowUpdate:', 'kinerja-worker HandleUpdate:', 'kinerja-worker RunActivity:'].every((prefix) =>
        t.some((s) => `${s.service} ${s.name}`.startsWith(prefix)),
      ) && t.every((s) => !s.parentSpanId || t.some((p) => p.spanId === s.parentSpanId));
    const reportTrace = await until(
      'a traced report from the API into a worker activity',
      () => {
        const spans = traces.spans();
        const requests = spans.filter((s) => s.service === 'kinerja-api' && /^PUT \S*periods\S*report$/.test(s.name));
        return Promise.resolve(requests.map((r) => spans.filter((s) => s.traceId === r.traceId)).find(complete));
      },
      60_000,
    ).catch((err: unknown) => {
      const seen = [...new Set(traces.spans().map((s) => `${s.service} ${s.name.split(':')[0]}`))];
      throw new Error(`${String(err)}; spans seen: ${seen.join(', ')}`);
    });
    expect(reportTrace.find((s) => s.service === 'kinerja-api' && s.name.startsWith('PUT'))?.attributes['http.response.status_code']).toBe(200);

    // the killed worker's slot restarts cleanly
    await topology.restartWorker(0);
    expect(topology.workers[0]!.alive).toBe(true);
    expect(readFileSync(topology.api.logFile, 'utf8')).not.toMatch(/Unhandled|uncaught/i);
  },
  20 * 60_000,
);
