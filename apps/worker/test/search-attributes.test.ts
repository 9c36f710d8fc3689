/**
 * Kinerja's search attributes on the real dev server: an evaluation opened by its cycle carries its region, NIP and
 * phase, keeps the phase current when it changes, and a visibility query finds it (the Temporal UI's search). The
 * registration is idempotent on the dev server (which lists) and on the time-skipping server (which cannot).
 */
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { msToTs } from '@temporalio/common/lib/time';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createLocalEnv, createTestDb, createTimeSkippingEnv, temporalDevAddress, uniqueId, waitForTemporal, type Db } from '@kinerja/testing';
import { SEARCH_ATTRIBUTE_NAMES } from '@kinerja/testing/services';
import { cycleWorkflowId, evaluationWorkflowId, KINERJA_SEARCH_ATTRIBUTES, KinerjaNip, KinerjaPhase, KinerjaRegion } from '@kinerja/workflows';
import type { cycleWorkflow } from '@kinerja/workflows/workflows';
import { ensureSearchAttributes, startWorker, type RunningWorker } from '../src/index.js';
import { actor, eventually, seedOrg, silentLog, skpDraft, state, type EvalHandle } from './helpers.js';

/** the workflow ids a visibility query returns, polled until `expected` (visibility is eventually consistent) */
async function findIds(env: TestWorkflowEnvironment, query: string, expected: string[]): Promise<string[]> {
  let ids: string[] = [];
  await eventually(
    async () => {
      ids = [];
      for await (const w of env.client.workflow.list({ query })) ids.push(w.workflowId);
      return JSON.stringify(ids.sort()) === JSON.stringify([...expected].sort());
    },
    20_000,
    `visibility to answer ${query} with ${expected.join(', ')}`,
  );
  return ids;
}

describe('search attributes on the dev server', () => {
  let env: TestWorkflowEnvironment;
  let db: Db;
  let worker: RunningWorker;
  let taskQueue: string;

  beforeAll(async () => {
    [env, db] = await Promise.all([createLocalEnv(), createTestDb('pglite')]);
    taskQueue = uniqueId('search-attributes');
    worker = await startWorker({ prisma: db.prisma, connection: env.nativeConnection, taskQueue, log: silentLog });
  }, 60_000);
  afterAll(async () => {
    await worker?.shutdown();
    await env?.teardown();
    await db?.close();
  });

  it('finds one employee’s year by NIP and phase, before and after the phase changes', async () => {
    const org = await seedOrg(db.prisma, { staff: 1 });
    const staff = org.staff[0]!;
    // every seeded org has the same NIPs and the dev server is shared: this employee's is made unique
    const nip = `19920520${String(randomInt(1e9)).padStart(10, '0')}`;
    await db.prisma.employee.update({ where: { id: staff }, data: { nip } });
    const { code } = await db.prisma.region.findUniqueOrThrow({ where: { id: org.regionId }, select: { code: true } });

    const cycle = await env.client.workflow.start<typeof cycleWorkflow>('cycleWorkflow', {
      taskQueue,
      workflowId: cycleWorkflowId(org.cycleId),
      args: [{ cycleId: org.cycleId, regionId: org.regionId }],
    });
    await cycle.result();
    const workflowId = evaluationWorkflowId(org.cycleId, staff);
    const h: EvalHandle = env.client.workflow.getHandle(workflowId);

    // set by the fan-out's start
    expect((await h.describe()).typedSearchAttributes.getAll()).toEqual(
      expect.arrayContaining([
        { key: KinerjaRegion, value: code },
        { key: KinerjaNip, value: nip },
        { key: KinerjaPhase, value: 'TARGET_SETTING' },
      ]),
    );
    await findIds(env, `KinerjaNip = '${nip}' AND KinerjaPhase = 'TARGET_SETTING'`, [workflowId]);

    await h.executeUpdate('submitTargets', { args: [{ actor: actor(staff), skp: skpDraft }] });
    await h.executeUpdate('decideTargets', { args: [{ actor: actor(org.head), input: { decision: 'APPROVE' } }] });
    expect((await state(h)).phase).toBe('PERIODIC');

    // kept current by the workflow
    await findIds(env, `KinerjaNip = '${nip}' AND KinerjaPhase = 'PERIODIC'`, [workflowId]);
    await findIds(env, `KinerjaRegion = '${code}' AND KinerjaNip = '${nip}'`, [workflowId]);
    await findIds(env, `KinerjaNip = '${nip}' AND KinerjaPhase = 'TARGET_SETTING'`, []);

    // one upsert for the one phase change, behind its patch marker (the id recorded histories depend on)
    const events = (await h.fetchHistory()).events ?? [];
    // (patch markers upsert TemporalChangeVersion of their own)
    const upserts = events.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.['KinerjaPhase']);
    expect(upserts).toHaveLength(1);
    const text = (p: { data?: Uint8Array | null }) => Buffer.from(p.data ?? new Uint8Array()).toString('utf8');
    const patchIds = events.flatMap((e) =>
      (e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads ?? []).map((p) => (JSON.parse(text(p)) as { id: string }).id),
    );
    expect(patchIds).toContain('search-attributes');
    const phase = upserts[0]!.upsertWorkflowSearchAttributesEventAttributes!.searchAttributes!.indexedFields!['KinerjaPhase']!;
    expect(text(phase)).toBe('"PERIODIC"');

    await h.signal('closeEvaluation', { reason: 'uji', by: 'admin' });
    await findIds(env, `KinerjaNip = '${nip}' AND KinerjaPhase = 'CLOSED'`, [workflowId]);
  }, 90_000);

  it('the dev server fixture registers exactly KINERJA_SEARCH_ATTRIBUTES, so the worker adds nothing there', async () => {
    expect([...SEARCH_ATTRIBUTE_NAMES].sort()).toEqual(KINERJA_SEARCH_ATTRIBUTES.map((k) => k.name).sort());
    expect(KINERJA_SEARCH_ATTRIBUTES.every((k) => k.type === 'KEYWORD')).toBe(true);
    expect(await ensureSearchAttributes(env.connection, 'default')).toEqual({ added: [] });
  });

  it('ensureSearchAttributes registers a namespace’s missing attributes once, also when called at once', async () => {
    const namespace = uniqueId('ns-sa');
    await env.connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
    await waitForTemporal(temporalDevAddress(), { namespace });
    // two workers starting at once: both may add (the dev server answers a repeated add with success), neither fails
    const [a, b] = await Promise.all([ensureSearchAttributes(env.connection, namespace), ensureSearchAttributes(env.nativeConnection, namespace)]);
    expect([...new Set([...a.added, ...b.added])].sort()).toEqual(KINERJA_SEARCH_ATTRIBUTES.map((k) => k.name).sort());
    expect(await ensureSearchAttributes(env.connection, namespace)).toEqual({ added: [] });
    const listed = await env.connection.operatorService.listSearchAttributes({ namespace });
    for (const k of KINERJA_SEARCH_ATTRIBUTES) expect(listed.customAttributes?.[k.name], k.name).toBe(2); // INDEXED_VALUE_TYPE_KEYWORD
  }, 60_000);

  it('ensureSearchAttributes refuses a name registered with another type', async () => {
    const namespace = uniqueId('ns-sa');
    await env.connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
    await waitForTemporal(temporalDevAddress(), { namespace });
    await env.connection.operatorService.addSearchAttributes({ namespace, searchAttributes: { [KinerjaNip.name]: 3 } }); // INDEXED_VALUE_TYPE_INT
    await expect(ensureSearchAttributes(env.connection, namespace)).rejects.toThrow(/KinerjaNip .* registered with type 3, Kinerja needs KEYWORD/);
  }, 60_000);
});

it('ensureSearchAttributes is idempotent on the time-skipping server, which cannot list', async () => {
  const env = await createTimeSkippingEnv();
  try {
    expect((await ensureSearchAttributes(env.connection, 'default')).added.sort()).toEqual(KINERJA_SEARCH_ATTRIBUTES.map((k) => k.name).sort());
    expect(await ensureSearchAttributes(env.nativeConnection, 'default')).toEqual({ added: [] });
  } finally {
    await env.teardown();
  }
}, 60_000);
