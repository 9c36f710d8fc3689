/** Fixtures for the worker's integration tests: a real migrated database, a real Temporal server, real activities. */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { PrismaClient } from '@kinerja/db';
import {
  NATIONAL_CALENDAR,
  type AnnualRatingInput,
  type BehaviourRatings,
  type Calendar,
  type PeriodReportInput,
  type Rating,
  type SkpDraftInput,
} from '@kinerja/domain';
import { nationalRuleSet, withCalendar } from '@kinerja/rules';
import { createTestDb, createTimeSkippingEnv, uniqueId, type Db } from '@kinerja/testing';
import { cycleWorkflowId, evaluationWorkflowId, type Actor, type EvaluationInput, type EvaluationState } from '@kinerja/workflows';
import type { evaluationWorkflow } from '@kinerja/workflows/workflows';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { Client as TemporalClient } from '@temporalio/client';
import { createActivities, indicatorId, startWorker, workflowBundle, type Activities, type ActivityLog, type RunningWorker } from '../src/index.js';

export const DAY = 86_400_000;
export const silentLog = { info: () => undefined, warn: () => undefined };

export interface Org {
  regionId: string;
  unitId: string;
  /** kepala dinas: the head's superior (atasan pejabat penilai of the staff) */
  kepala: string;
  /** kepala bidang: the staff's direct superior (pejabat penilai) */
  head: string;
  staff: string[];
  ruleSetVersionId: string;
  cycleId: string;
  calendar: Calendar;
}

/** A region with one unit: kepala → head → staff, the national rule set on `calendar`, and an OPENING cycle. */
export async function seedOrg(prisma: PrismaClient, opts: { calendar?: Calendar; staff?: number; extraEmployees?: number } = {}): Promise<Org> {
  const calendar = opts.calendar ?? NATIONAL_CALENDAR;
  const tag = randomUUID().slice(0, 8);
  const region = await prisma.region.create({ data: { code: `r-${tag}`, name: `Region ${tag}` } });
  const unit = await prisma.unit.create({ data: { regionId: region.id, code: 'dinas', name: 'Dinas Uji', kind: 'DINAS' } });
  let n = 0;
  const emp = async (name: string, superiorId: string | null, positionKind: 'STRUKTURAL' | 'PELAKSANA') =>
    (
      await prisma.employee.create({
        data: {
          regionId: region.id,
          nip: `19800101200501100${String(++n).padStart(3, '0')}`.slice(-18),
          name,
          position: name,
          positionKind,
          unitId: unit.id,
          superiorId,
        },
      })
    ).id;
  const kepala = await emp('Kepala Dinas', null, 'STRUKTURAL');
  const head = await emp('Kepala Bidang', kepala, 'STRUKTURAL');
  const staff: string[] = [];
  for (let i = 0; i < (opts.staff ?? 2); i++) staff.push(await emp(`Staf ${i + 1}`, head, 'PELAKSANA'));
  for (let i = 0; i < (opts.extraEmployees ?? 0); i++) staff.push(await emp(`Staf tambahan ${i + 1}`, head, 'PELAKSANA'));
  const ruleSet = await prisma.ruleSet.create({ data: { regionId: region.id, key: 'national', name: 'Nasional' } });
  const document = JSON.parse(JSON.stringify(withCalendar(nationalRuleSet, calendar))) as object;
  const version = await prisma.ruleSetVersion.create({
    data: { ruleSetId: ruleSet.id, regionId: region.id, version: 1, status: 'PUBLISHED', document, publishedAt: new Date() },
  });
  const cycleId = randomUUID();
  await prisma.cycle.create({
    data: { id: cycleId, regionId: region.id, year: 2026, name: 'Penilaian 2026', ruleSetVersionId: version.id, workflowId: cycleWorkflowId(cycleId) },
  });
  return { regionId: region.id, unitId: unit.id, kepala, head, staff, ruleSetVersionId: version.id, cycleId, calendar };
}

/** Another cycle (another year) of the same region and rule set. */
export async function addCycle(prisma: PrismaClient, org: Org, year: number): Promise<string> {
  const id = randomUUID();
  await prisma.cycle.create({
    data: { id, regionId: org.regionId, year, name: `Penilaian ${year}`, ruleSetVersionId: org.ruleSetVersionId, workflowId: cycleWorkflowId(id) },
  });
  return id;
}

export const actor = (employeeId: string, actingForId?: string): Actor => ({ userId: `user-${employeeId}`, employeeId, actingForId });

export const skpDraft: SkpDraftInput = {
  rhk: [
    {
      title: 'Terselenggaranya pelayanan administrasi kependudukan',
      indicators: [
        { name: 'Jumlah dokumen yang diterbitkan', kind: 'QUANTITY', target: 120, unit: 'dokumen' },
        { name: 'Waktu penyelesaian rata-rata', kind: 'TIME', target: 3, unit: 'hari' },
      ],
    },
  ],
};

export const reportFor = (evaluationId: string, perPeriod = 10): PeriodReportInput => ({
  realisations: [
    { indicatorId: indicatorId(evaluationId, 0, 0), value: perPeriod },
    { indicatorId: indicatorId(evaluationId, 0, 1), value: 3 },
  ],
  evidence: [{ kind: 'LINK', name: 'rekap', url: 'https://example.org/rekap.pdf' }],
});

export const allAspects = (r: Rating): BehaviourRatings => ({
  BERORIENTASI_PELAYANAN: r,
  AKUNTABEL: r,
  KOMPETEN: r,
  HARMONIS: r,
  LOYAL: r,
  ADAPTIF: r,
  KOLABORATIF: r,
});
export const annualRating = (hasilKerja: Rating, perilaku: Rating): AnnualRatingInput => ({ hasilKerja, perilaku: allAspects(perilaku) });

export interface TsContext {
  env: TestWorkflowEnvironment;
  db: Db;
  prisma: PrismaClient;
  client: Client;
  taskQueue: string;
  worker: RunningWorker;
  teardown(): Promise<void>;
}

/** Wraps the real activities (each test double wraps real code: a delay, a corrupted input the real database refuses). */
export type WrapActivities = (real: Activities) => Activities;

/** A worker running the real workflow bundle with the real activities, as `startWorker` does, but wrapped. */
export async function startWrappedWorker(opts: {
  prisma: PrismaClient;
  connection: NativeConnection;
  taskQueue: string;
  wrap: WrapActivities;
  log?: ActivityLog;
}): Promise<RunningWorker> {
  const client = new TemporalClient({ connection: opts.connection });
  const worker = await Worker.create({
    connection: opts.connection,
    taskQueue: opts.taskQueue,
    workflowBundle: await workflowBundle(),
    activities: opts.wrap(createActivities({ prisma: opts.prisma, temporal: client, taskQueue: opts.taskQueue, log: opts.log ?? silentLog })),
  });
  const running = worker.run();
  return {
    worker,
    client,
    shutdown: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}

/** A time-skipping server, a fresh database (PGlite unless told) and a worker with the real activities (or wrapped ones). */
export async function timeSkippingContext(kind: 'pglite' | 'postgres' = 'pglite', wrap?: WrapActivities): Promise<TsContext> {
  const [env, db] = await Promise.all([createTimeSkippingEnv(), createTestDb(kind)]);
  const taskQueue = uniqueId('kinerja');
  const worker = wrap
    ? await startWrappedWorker({ prisma: db.prisma, connection: env.nativeConnection, taskQueue, wrap })
    : await startWorker({ prisma: db.prisma, connection: env.nativeConnection, taskQueue, log: silentLog });
  return {
    env,
    db,
    prisma: db.prisma,
    client: env.client,
    taskQueue,
    worker,
    teardown: async () => {
      await worker.shutdown();
      await env.teardown();
      await db.close();
    },
  };
}

export type EvalHandle = WorkflowHandle<typeof evaluationWorkflow>;

export function evaluationInput(org: Org, employeeId: string, over: Partial<EvaluationInput> = {}): EvaluationInput {
  const supervisorId = employeeId === org.kepala ? null : employeeId === org.head ? org.kepala : org.head;
  const reviewerId = employeeId === org.kepala || employeeId === org.head ? null : org.kepala;
  return {
    evaluationId: randomUUID(),
    cycleId: org.cycleId,
    regionId: org.regionId,
    employeeId,
    supervisorId,
    reviewerId,
    ruleSetVersionId: org.ruleSetVersionId,
    calendar: org.calendar,
    periods: 12,
    ...over,
  };
}

export async function startEvaluation(ctx: TsContext, org: Org, employeeId: string, over: Partial<EvaluationInput> = {}) {
  const input = evaluationInput(org, employeeId, over);
  const handle: EvalHandle = await ctx.client.workflow.start('evaluationWorkflow', {
    taskQueue: ctx.taskQueue,
    workflowId: evaluationWorkflowId(org.cycleId, employeeId),
    args: [input],
  });
  // the first projection creates the Evaluation row
  await eventually(async () => (await ctx.prisma.evaluation.count({ where: { id: input.evaluationId } })) === 1);
  return { handle, input };
}

/** Poll until `check` holds (projections after timers are asynchronous to the test). */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const state = (h: EvalHandle): Promise<EvaluationState> => h.query<EvaluationState>('getState');

/** Targets submitted and approved at once, then period 1 reported 31 days later and rated SESUAI by the supervisor. */
export async function firstPeriodRated(env: TestWorkflowEnvironment, h: EvalHandle, org: Org, staff: string, evaluationId: string) {
  await h.executeUpdate('submitTargets', { args: [{ actor: actor(staff), skp: skpDraft }] });
  await h.executeUpdate('decideTargets', { args: [{ actor: actor(org.head), input: { decision: 'APPROVE' } }] });
  await env.sleep(31 * DAY);
  await h.executeUpdate('submitReport', { args: [{ actor: actor(staff), period: 1, input: reportFor(evaluationId) }] });
  await h.executeUpdate('reviewReport', {
    args: [{ actor: actor(org.head), period: 1, input: { decision: 'RATE', rating: 'SESUAI', feedback: 'sesuai target' } }],
  });
}

/** Skip server time, then wait until the workflow has processed it (its state's seq is stable). */
export async function skip(ctx: TsContext, ms: number) {
  await ctx.env.sleep(ms);
}

/** The problem type of a rejected update (the ApplicationFailure type), or null when it succeeded. */
export async function rejection(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) return err.cause.type ?? 'UNKNOWN';
    throw err;
  }
}
