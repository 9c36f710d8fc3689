/**
 * kill -9 between an Idempotency-Key's record and its answer, then a retry: the real API runs as a child process
 * (apps/api/src/main.ts) on a PostgreSQL test database shared with this test and on the global Temporal dev server;
 * the worker runs here. A burst of keyed period-report submissions is cut by SIGKILL while some keys are still in
 * progress; after a restart every request is retried with its own key until it answers. Each retry must answer its
 * result (the replayed first answer, or the first update's outcome), no key may stay IDEMPOTENCY_IN_PROGRESS past
 * its lease, and every report is applied exactly once (revision 1, one `report.submitted` audit event).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { hashPassword, type PrismaClient } from '@kinerja/db';
import { nationalRuleSet, withCalendar } from '@kinerja/rules';
import { createLocalEnv, createTestDb, dbKinds, freePort, temporalDevAddress, uniqueId, type Db } from '@kinerja/testing';
import { indicatorId, startWorker, type RunningWorker } from '@kinerja/worker';
import { COMMAND_UPDATES, cycleWorkflowId, evaluationWorkflowId, getState, type Actor, type EvaluationInput } from '@kinerja/workflows';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEASE_MS } from '../src/idempotency.js';
import { FAST_CALENDAR, PASSWORD, sleep, until, validSkp } from './helpers.js';

const STAFF = 10;
const PERIODS = 4;
const JWT_SECRET = 'crash-test-secret-0123456789-abcdefghijklmnop';
const silentLog = { info: () => undefined, warn: () => undefined };

interface Api {
  child: ChildProcess;
  url: string;
  exited: Promise<void>;
}

async function startApiProcess(databaseUrl: string): Promise<Api> {
  const port = await freePort();
  const apiDir = join(import.meta.dirname, '..');
  // node itself with tsx's loader (not the tsx wrapper, which would forward SIGKILL to nothing): the pid is the server
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: apiDir,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalDevAddress(),
      TEMPORAL_NAMESPACE: 'default',
      PORT: String(port),
      HOST: '127.0.0.1',
      JWT_SECRET,
      LOGIN_RATE_BURST: '100000',
      LOGIN_RATE_PER_MINUTE: '100000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  // a vitest that is itself killed cannot run afterAll: a watchdog ends the server once this process is gone
  const dog = spawn('sh', ['-c', `while kill -0 ${process.pid} 2>/dev/null; do sleep 2; done; kill -9 ${child.pid} 2>/dev/null`], {
    stdio: 'ignore',
    detached: true,
  });
  dog.unref();
  const exited = new Promise<void>((r) =>
    child.once('exit', () => {
      dog.kill('SIGKILL');
      r();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  await until(
    'the API child to answer /health',
    async () => {
      if (child.exitCode !== null) throw new Error(`the API child exited (${child.exitCode}): ${output}`);
      try {
        return (await fetch(`${url}/health`)).status === 200;
      } catch {
        return false;
      }
    },
    90_000,
  );
  return { child, url, exited };
}

async function kill9(api: Api) {
  if (api.child.exitCode === null && api.child.signalCode === null) api.child.kill('SIGKILL');
  await api.exited;
}

/** A region with a head and STAFF employees who sign in, the national rule set on the fast calendar, a cycle. */
async function seed(prisma: PrismaClient) {
  const tag = randomUUID().slice(0, 8);
  const region = await prisma.region.create({ data: { code: `crash-${tag}`, name: `Crash ${tag}` } });
  const unit = await prisma.unit.create({ data: { regionId: region.id, code: 'dinas', name: 'Dinas Uji', kind: 'DINAS' } });
  const hash = await hashPassword(PASSWORD, { N: 1024, r: 8, p: 1 });
  let n = 0;
  const employee = async (superiorId: string | null) => {
    const nip = `1990010120200110${String(++n).padStart(2, '0')}`;
    const e = await prisma.employee.create({ data: { regionId: region.id, nip, name: `Pegawai ${n}`, position: 'Staf', unitId: unit.id, superiorId } });
    await prisma.user.create({ data: { username: nip, passwordHash: hash, displayName: `Pegawai ${n}`, employeeId: e.id, regionId: region.id } });
    return { id: e.id, nip };
  };
  const kepala = await employee(null);
  const head = await employee(kepala.id);
  const staff = [];
  for (let i = 0; i < STAFF; i++) staff.push(await employee(head.id));
  const ruleSet = await prisma.ruleSet.create({ data: { regionId: region.id, key: 'national', name: 'Nasional' } });
  const document = JSON.parse(JSON.stringify(withCalendar(nationalRuleSet, FAST_CALENDAR))) as object;
  const version = await prisma.ruleSetVersion.create({
    data: { ruleSetId: ruleSet.id, regionId: region.id, version: 1, status: 'PUBLISHED', document, publishedAt: new Date() },
  });
  const cycleId = randomUUID();
  await prisma.cycle.create({
    data: { id: cycleId, regionId: region.id, year: 2026, name: 'Penilaian 2026', ruleSetVersionId: version.id, workflowId: cycleWorkflowId(cycleId) },
  });
  return { regionId: region.id, kepala, head, staff, ruleSetVersionId: version.id, cycleId };
}

interface Write {
  key: string;
  evaluationId: string;
  period: number;
  token: string;
  body: string;
}

const send = (url: string, w: Write) =>
  fetch(`${url}/evaluations/${w.evaluationId}/periods/${w.period}/report`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${w.token}`, 'content-type': 'application/json', 'idempotency-key': w.key },
    body: w.body,
  });

describe.skipIf(!dbKinds().includes('postgres'))('Idempotency-Key across kill -9 of the API (postgres)', () => {
  let db: Db;
  let env: TestWorkflowEnvironment;
  let client: Client;
  let worker: RunningWorker;
  let api: Api | undefined;
  const taskQueue = uniqueId('crash');

  beforeAll(async () => {
    db = await createTestDb('postgres');
    env = await createLocalEnv();
    client = env.client;
    worker = await startWorker({ prisma: db.prisma, connection: env.nativeConnection, taskQueue, log: silentLog });
  }, 120_000);
  afterAll(async () => {
    if (api) await kill9(api);
    await worker?.shutdown();
    await env?.teardown();
    await db?.close();
  });

  it('a burst cut by SIGKILL: every retry with the same key answers its result, nothing applies twice', { timeout: 240_000 }, async () => {
    const prisma = db.prisma;
    const org = await seed(prisma);

    // every staff member's year, in PERIODIC with all four (1-second) periods open
    const evaluations = await Promise.all(
      org.staff.map(async (emp) => {
        const input: EvaluationInput = {
          evaluationId: randomUUID(),
          cycleId: org.cycleId,
          regionId: org.regionId,
          employeeId: emp.id,
          supervisorId: org.head.id,
          reviewerId: org.kepala.id,
          ruleSetVersionId: org.ruleSetVersionId,
          calendar: FAST_CALENDAR,
          periods: PERIODS,
        };
        const handle = await client.workflow.start('evaluationWorkflow', { taskQueue, workflowId: evaluationWorkflowId(org.cycleId, emp.id), args: [input] });
        const asn: Actor = { userId: `seed-${emp.id}`, employeeId: emp.id };
        const head: Actor = { userId: `seed-${org.head.id}`, employeeId: org.head.id };
        await handle.executeUpdate(COMMAND_UPDATES.submitTargets, { args: [{ actor: asn, skp: validSkp }] });
        await handle.executeUpdate(COMMAND_UPDATES.decideTargets, { args: [{ actor: head, input: { decision: 'APPROVE' } }] });
        return { ...emp, evaluationId: input.evaluationId, handle };
      }),
    );
    for (const e of evaluations) {
      await until(`periods of ${e.nip} open`, async () => {
        const s = await e.handle.query(getState);
        return s.phase === 'PERIODIC' && s.periods.length === PERIODS && Date.parse(s.periods[PERIODS - 1]!.opensAt ?? '') < Date.now() - 1_000;
      });
      await until(`evaluation row of ${e.nip}`, async () => (await prisma.evaluation.count({ where: { id: e.evaluationId } })) === 1);
    }

    api = await startApiProcess(db.url!);
    const tokens = new Map<string, string>();
    for (const e of evaluations) {
      const res = await fetch(`${api.url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: e.nip, password: PASSWORD }),
      });
      expect(res.status).toBe(200);
      tokens.set(e.nip, ((await res.json()) as { accessToken: string }).accessToken);
    }
    const writes: Write[] = evaluations.flatMap((e) =>
      Array.from({ length: PERIODS }, (_, i) => ({
        key: `crash-${e.evaluationId}-${i + 1}`,
        evaluationId: e.evaluationId,
        period: i + 1,
        token: tokens.get(e.nip)!,
        body: JSON.stringify({
          realisations: [
            { indicatorId: indicatorId(e.evaluationId, 0, 0), value: 100 + i },
            { indicatorId: indicatorId(e.evaluationId, 0, 1), value: 3 },
          ],
          evidence: [{ kind: 'LINK', name: 'rekap', url: 'https://example.go.id/rekap.pdf' }],
        }),
      })),
    );
    const keys = writes.map((w) => w.key);

    // the burst: 8 requests in flight at a time; SIGKILL as soon as a key is seen claimed, unanswered and yet already
    // applied by its workflow (the case a naive retry doubles); later writes are never sent before the kill
    const first = new Map<string, { status: number; body: unknown }>();
    const queue = [...writes];
    let killed = false;
    const burst = Array.from({ length: 8 }, async () => {
      for (let w = queue.shift(); w && !killed; w = queue.shift()) {
        try {
          const res = await send(api!.url, w);
          first.set(w.key, { status: res.status, body: await res.json().catch(() => null) });
        } catch {
          return; // cut by the kill
        }
      }
    });
    const counts = async () => {
      const rows = await prisma.idempotencyRecord.findMany({ where: { key: { in: keys } }, select: { key: true, status: true } });
      return { answered: rows.filter((r) => r.status !== null).length, inProgress: rows.filter((r) => r.status === null).map((r) => r.key) };
    };
    const byKey = new Map(writes.map((w) => [w.key, w]));
    const byEvaluation = new Map(evaluations.map((e) => [e.evaluationId, e]));
    /** keys whose workflow already counts the report (revision > 0) */
    const appliedOf = async (keysToCheck: string[]) => {
      const ws = keysToCheck.map((k) => byKey.get(k)!);
      const states = new Map(
        await Promise.all([...new Set(ws.map((w) => w.evaluationId))].map(async (id) => [id, await byEvaluation.get(id)!.handle.query(getState)] as const)),
      );
      return ws.filter((w) => (states.get(w.evaluationId)!.periods[w.period - 1]?.revision ?? 0) > 0).map((w) => w.key);
    };
    for (const end = Date.now() + 120_000; ;) {
      const c = await counts();
      if (c.inProgress.length > 0 && (await appliedOf(c.inProgress)).length > 0) break;
      if (Date.now() > end || first.size === writes.length) throw new Error(`no key was caught applied but unanswered: ${JSON.stringify(c)}`);
    }
    killed = true;
    await kill9(api);
    api = undefined;
    await Promise.all(burst);
    const atKill = await counts();
    // really mid-flight: some keys were claimed and never answered
    expect(atKill.inProgress.length).toBeGreaterThan(0);
    expect(atKill.answered).toBeLessThan(writes.length);
    // of the keys left in progress, how many had already reached the workflow
    const appliedButUnanswered = (await appliedOf(atKill.inProgress)).length;
    // the case a retry must not double: the workflow took the report, the answer was never stored
    expect(appliedButUnanswered).toBeGreaterThan(0);
    console.info(
      `[crash] at kill: ${atKill.answered} answered, ${atKill.inProgress.length} in progress (${appliedButUnanswered} of them applied in the workflow), ${first.size} answers received`,
    );

    // restart and retry every request with its own key until it answers
    api = await startApiProcess(db.url!);
    const final = new Map<string, { status: number; body: unknown; replayed: boolean }>();
    let busyAnswers = 0;
    await Promise.all(
      writes.map(async (w) => {
        for (const end = Date.now() + 120_000; ;) {
          const sentAt = Date.now();
          const res = await send(api!.url, w);
          const body = (await res.json()) as { code?: string };
          if (res.status === 409 && body.code === 'IDEMPOTENCY_IN_PROGRESS') {
            busyAnswers++;
            // only a live lease may answer "in progress" (this key has no other attempt running): the dead attempt's
            // lease, still ahead of the moment the retry was sent, and the wait it announces is within one lease
            const rec = await prisma.idempotencyRecord.findFirstOrThrow({ where: { key: w.key } });
            expect(rec.status).toBeNull();
            expect(rec.leaseUntil?.getTime() ?? 0).toBeGreaterThan(sentAt);
            const retryAfter = Number(res.headers.get('retry-after'));
            expect(retryAfter).toBeGreaterThanOrEqual(1);
            expect(retryAfter).toBeLessThanOrEqual(LEASE_MS / 1000);
            if (Date.now() > end) throw new Error(`${w.key} still in progress`);
            await sleep(Math.min(retryAfter * 1000, 2_000));
            continue;
          }
          final.set(w.key, { status: res.status, body, replayed: res.headers.get('idempotency-replayed') === 'true' });
          return;
        }
      }),
    );
    console.info(
      `[crash] retries: ${busyAnswers} IDEMPOTENCY_IN_PROGRESS answers before the leases ran out, ${[...final.values()].filter((f) => f.replayed).length} replayed`,
    );

    for (const w of writes) {
      const got = final.get(w.key)!;
      expect(got.status, `${w.key}: ${JSON.stringify(got.body)}`).toBe(200);
      expect(got.body).toEqual({ ok: true, phase: 'PERIODIC' });
      const before = first.get(w.key);
      if (before) expect(before).toEqual({ status: 200, body: got.body });
    }
    // every key now holds its answer; asking again replays it
    expect(await prisma.idempotencyRecord.count({ where: { key: { in: keys }, status: null } })).toBe(0);
    for (const w of writes.slice(0, 8)) {
      const res = await send(api.url, w);
      expect(res.status).toBe(200);
      expect(res.headers.get('idempotency-replayed')).toBe('true');
    }

    // applied exactly once: the workflow's revision, the projection and the audit trail
    for (const e of evaluations) {
      const s = await e.handle.query(getState);
      expect(s.periods.map((p) => [p.state, p.revision])).toEqual(Array.from({ length: PERIODS }, () => ['SUBMITTED', 1]));
    }
    const reportRows = () => prisma.periodReport.findMany({ where: { evaluationId: { in: evaluations.map((e) => e.evaluationId) } } });
    await until('the projection of every report', async () => (await reportRows()).filter((r) => r.status === 'SUBMITTED').length === writes.length);
    expect((await reportRows()).map((r) => r.revision)).toEqual(writes.map(() => 1));
    const audits = await prisma.auditEvent.groupBy({ by: ['entityId'], where: { regionId: org.regionId, action: 'report.submitted' }, _count: true });
    expect(audits).toHaveLength(writes.length);
    expect(audits.every((a) => a._count === 1)).toBe(true);
  });
});
