/**
 * Text hygiene at the edge, generated from the route table: the real app (real database, the real worker on the
 * Temporal dev server) serves /openapi.json, and every operation with a JSON body, a query string or a path
 * parameter must have a fixture below (a valid request), so a new route cannot slip past. For each one:
 *   - every string leaf of the body (and of its extra bodies: other union branches, optional fields), every query
 *     parameter and every path parameter is sent once with a NUL inserted → 422 VALIDATION_FAILED with an error whose
 *     pointer names exactly that field;
 *   - a body-taking operation without a body (and with an empty one) → 422 naming the body; malformed JSON → 400;
 *   - nothing of it is applied: the tables the admin routes write are unchanged, and no audit event or workflow
 *     history carries the request ids of the refused requests;
 *   - then the valid request succeeds. The evaluation routes run in the order of a year, so the report's refusals are
 *     followed by the review, the other periods, the annual rating and an appeal: the year goes on.
 * Then: other control characters, evidence links, dates, the task sort, LIKE escaping, and a NUL sent to the workflow
 * directly (bypassing the API), which the workflow's own validator refuses.
 */
import type { PeriodReportInput } from '@kinerja/domain';
import { dbKinds, uniqueId } from '@kinerja/testing';
import { COMMAND_UPDATES, getState, type Actor } from '@kinerja/workflows';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allSesuai, json, NIPS, PASSWORD, setup, until, validSkp, type Fixture } from './helpers.js';

// the survey routes' per-client buckets: every app.request shares one client key here
process.env.SURVEY_RATE_BURST = '100000';
process.env.SURVEY_READ_BURST = '100000';

/** `spare`: a user no other case signs in as, for what ends its sessions (a password change) */
type Who = 'admin' | 'asn' | 'sup' | 'rev' | 'spare' | 'none';

interface Ctx {
  tokens: Record<Exclude<Who, 'none'>, string>;
  cycleId?: string;
  evaluationId?: string;
  workflowId?: string;
  indicatorIds?: string[];
  unitId?: string;
  emp1?: string;
  emp2?: string;
  delegationId?: string;
  newRuleSetId?: string;
  newV1?: string;
  v1?: string;
  draftId?: string;
  draftDocument?: Record<string, unknown>;
  calibrationCycleId?: string;
  refreshToken?: string;
  refreshToken2?: string;
  projectionFailureId?: string;
  simulationRunId?: string;
  regionName?: string;
  notificationId?: string;
  fileId?: string;
}

interface Case {
  /** "METHOD /path" exactly as in /openapi.json */
  op: string;
  as: Who;
  params?: (x: Ctx) => Record<string, string>;
  query?: (x: Ctx) => Record<string, string>;
  body?: (x: Ctx) => unknown;
  /** a multipart body for the valid request (an upload); the JSON body checks do not apply to it */
  form?: (x: Ctx) => FormData;
  /** more bodies whose string leaves are checked too (other union branches, fields the valid request leaves out) */
  extraBodies?: (x: Ctx) => unknown[];
  /** statuses that count as success for the valid request */
  ok?: number[];
  /** the valid request is retried while it answers 409 (a period not open yet) */
  retryWhileConflict?: boolean;
  /** wait for the state the valid request needs */
  ready?: (x: Ctx) => Promise<void>;
  after?: (x: Ctx, body: unknown) => Promise<void>;
}

const EMP1_NIP = '198512122010011001';
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4]);
const EMP2_NIP = '199001012015032002';
const REGION = { regionCode: 'demo' };

const OPS_WITHOUT_INPUT = new Set(['GET /health', 'GET /health/live', 'GET /health/ready', 'GET /me', 'POST /me/logout-all']);

describe.each([dbKinds().includes('postgres') ? ('postgres' as const) : ('pglite' as const)])('text hygiene at the edge (%s)', (kind) => {
  let f: Fixture;
  let doc: { paths: Record<string, Record<string, OpenApiOperation>>; components?: { schemas?: Record<string, unknown> } };
  const x = { tokens: {} } as Ctx;
  const badRequestIds: string[] = [];
  let seq = 0;

  beforeAll(async () => {
    f = await setup(kind, { withWorker: true });
    x.tokens = {
      admin: await f.login('admin'),
      asn: await f.login(NIPS.staff1),
      sup: await f.login(NIPS.kepalaBidang),
      rev: await f.login(NIPS.kepalaDinas),
      spare: await f.login(NIPS.lainStaff),
    };
    doc = await json(await f.req('GET', '/openapi.json'));
    x.v1 = f.seed.ruleSetVersionId;
    // a cycle with unit calibration and no evaluations: a unit in it can be finalised at once
    const cal = await f.db.prisma.cycle.create({
      data: {
        regionId: f.seed.regionId,
        year: 2020,
        name: 'Kalibrasi uji',
        ruleSetVersionId: f.seed.ruleSetVersionId,
        workflowId: uniqueId('cycle/none'),
        unitCalibration: true,
      },
    });
    x.calibrationCycleId = cal.id;
  }, 180_000);
  afterAll(() => f?.close());

  /** the workflow's history as text, payloads decoded (their JSON bytes arrive base64-encoded) */
  async function historyText(workflowId: string) {
    const history = await f.env.client.workflow.getHandle(workflowId).fetchHistory();
    return JSON.stringify(history.events ?? [], (k, v: unknown) =>
      typeof v === 'bigint'
        ? String(v)
        : k === 'data' && typeof v === 'string'
          ? Buffer.from(v, 'base64').toString('utf8')
          : v instanceof Uint8Array
            ? Buffer.from(v).toString('utf8')
            : v,
    );
  }

  const tokenOf = (who: Who) => (who === 'none' ? undefined : x.tokens[who]);

  function url(path: string, params: Record<string, string>, query: Record<string, string> = {}) {
    const p = path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const v = params[name];
      if (v === undefined) throw new Error(`no value for path parameter ${name} of ${path}`);
      return encodeURIComponent(v);
    });
    const qs = new URLSearchParams(query).toString();
    return qs ? `${p}?${qs}` : p;
  }

  /** a request that must be refused: its request id is remembered, so no trace of it may appear anywhere */
  async function bad(method: string, path: string, opts: { token?: string | undefined; body?: unknown; raw?: string; headers?: Record<string, string> }) {
    const requestId = `hyg-bad-${++seq}`;
    badRequestIds.push(requestId);
    return f.req(method, path, { ...opts, headers: { ...(opts.headers ?? {}), 'x-request-id': requestId } });
  }

  async function expectRefused(res: Response, pointer: string, where: 'body' | 'query' | 'param', what: string) {
    const text = await res.text();
    expect(res.status, `${what}: ${text}`).toBe(422);
    const body = JSON.parse(text) as { code: string; errors?: { pointer: string; in?: string }[] };
    expect(body.code, what).toBe('VALIDATION_FAILED');
    const names = (body.errors ?? []).map((e) => `${e.in ?? 'body'}:${e.pointer}`);
    expect(names, `${what}: ${text}`).toContain(`${where}:${pointer}`);
  }

  /** contents of the tables the admin routes write (the workflow's projection writes none of them) */
  async function fingerprint() {
    const tables = [
      'Unit',
      'Employee',
      'Delegation',
      'RuleSet',
      'RuleSetVersion',
      'UnitResult',
      'SurveyResponse',
      'AttendanceRecord',
      'AdminGrant',
      'Region',
      'Holiday',
      'WebhookEndpoint',
      'User',
    ];
    const out: Record<string, string> = {};
    for (const t of tables) {
      const rows = await f.db.prisma.$queryRawUnsafe<{ h: string | null }[]>(
        `SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h FROM "${t}" t`,
      );
      out[t] = rows[0]?.h ?? '';
    }
    return out;
  }

  const evalParams = (x: Ctx) => ({ id: x.evaluationId! });
  const post = (method: string, path: string, token: string, body?: unknown) => f.req(method, path, { token, ...(body !== undefined ? { body } : {}) });
  const view = async () =>
    json<{ evaluation: { phase: string; skp: { rhk: { indicators: { id: string }[] }[] } | null }; workflow: { phase: string } | null }>(
      await f.req('GET', `/evaluations/${x.evaluationId}`, { token: x.tokens.asn }),
    );
  const report = (x: Ctx) => ({
    realisations: x.indicatorIds!.map((indicatorId, i) => ({ indicatorId, value: i === 0 ? 330 : 3 })),
    evidence: [
      { kind: 'LINK', name: 'Rekap SIAK', url: 'https://example.go.id/rekap.pdf', mimeType: 'application/pdf', sizeBytes: 1024, sha256: 'a'.repeat(64) },
    ],
    note: 'Laporan triwulan\nlengkap',
  });
  const review = { decision: 'RATE', rating: 'SESUAI', feedback: 'Laporan lengkap dan tepat waktu' };
  async function reportAndReview(period: number) {
    await until(`report ${period} accepted`, async () => {
      const r = await post('PUT', `/evaluations/${x.evaluationId}/periods/${period}/report`, x.tokens.asn, report(x));
      if (r.status === 200) return true;
      expect(r.status, await r.text()).toBe(409);
      return false;
    });
    const r = await post('POST', `/evaluations/${x.evaluationId}/periods/${period}/review`, x.tokens.sup, review);
    expect(r.status, await r.text()).toBe(200);
  }

  // ------------------------------------------------------------------------------------------ the fixture table
  // in the order they run: the cycle first, then a year of one evaluation, then the admin routes

  const cases: Case[] = [
    {
      op: 'POST /admin/regions/{regionCode}/cycles',
      as: 'admin',
      params: () => REGION,
      body: (x) => ({ year: 2025, name: 'Penilaian Kinerja 2025', ruleSetVersionId: x.v1, unitCalibration: false }),
      extraBodies: () => [{ year: 2025, name: 'Penilaian Kinerja 2025', ruleSetVersionId: 'v', startsAt: '2025-01-02T00:00:00+07:00' }],
      ok: [201],
      after: async (x, body) => {
        x.cycleId = (body as { cycle: { id: string } }).cycle.id;
        const e = await until('evaluation of staff1', () =>
          f.db.prisma.evaluation.findFirst({ where: { cycleId: x.cycleId, employeeId: f.seed.employees.staff1 } }),
        );
        x.evaluationId = e.id;
        x.workflowId = e.workflowId;
      },
    },
    { op: 'GET /evaluations/{id}', as: 'asn', params: evalParams },
    {
      op: 'PUT /evaluations/{id}/targets',
      as: 'asn',
      params: evalParams,
      body: () => validSkp,
      extraBodies: () => [{ rhk: [{ ...validSkp.rhk[0]!, parentRhkId: 'rhk-atasan' }] }],
    },
    {
      op: 'POST /evaluations/{id}/targets/decision',
      as: 'sup',
      params: evalParams,
      body: () => ({ decision: 'APPROVE', note: 'Sesuai rencana strategis' }),
      extraBodies: () => [{ decision: 'RETURN', note: 'Perbaiki indikator' }],
      ready: () =>
        until(
          'APPROVE_TARGETS task',
          async () => (await json<{ items: unknown[] }>(await f.req('GET', '/me/tasks?kind=APPROVE_TARGETS', { token: x.tokens.sup }))).items.length > 0,
        ).then(() => undefined),
      after: async (x) => {
        x.indicatorIds = await until('approved SKP in the projection', async () =>
          (await view()).evaluation.skp?.rhk.flatMap((r) => r.indicators.map((i) => i.id)),
        );
      },
    },
    {
      op: 'POST /evaluations/{id}/periods/{period}/evidence',
      as: 'asn',
      params: (x) => ({ id: x.evaluationId!, period: '1' }),
      form: () => {
        const form = new FormData();
        form.append('file', new File([PNG], 'foto kegiatan.png', { type: 'image/png' }));
        return form;
      },
      ok: [201],
      retryWhileConflict: true,
      after: async (x, body) => {
        x.fileId = (body as { fileId: string }).fileId;
      },
    },
    { op: 'GET /evaluations/{id}/evidence/{fileId}', as: 'asn', params: (x) => ({ id: x.evaluationId!, fileId: x.fileId! }) },
    {
      op: 'PUT /evaluations/{id}/periods/{period}/report',
      as: 'asn',
      params: (x) => ({ id: x.evaluationId!, period: '1' }),
      body: report,
      extraBodies: () => [
        {
          realisations: [{ indicatorId: 'ind', value: 1 }],
          evidence: [
            { kind: 'LINK', name: 'Tautan', url: 'https://example.go.id/a' },
            { kind: 'FILE', name: 'Berkas', fileId: 'berkas-1' },
          ],
        },
      ],
      retryWhileConflict: true,
      after: async (x) => {
        // the year still works: the workflow answers, and no projection was refused
        const v = await view();
        expect(v.workflow?.phase).toBe('PERIODIC');
        expect(await f.db.prisma.projectionFailure.count({ where: { evaluationId: x.evaluationId! } })).toBe(0);
      },
    },
    {
      op: 'POST /evaluations/{id}/periods/{period}/review',
      as: 'sup',
      params: (x) => ({ id: x.evaluationId!, period: '1' }),
      body: () => review,
      extraBodies: () => [{ decision: 'REQUEST_REVISION', feedback: 'Lengkapi bukti' }],
      after: async () => {
        for (let period = 2; period <= 4; period++) await reportAndReview(period);
      },
    },
    {
      op: 'POST /evaluations/{id}/annual-rating/preview',
      as: 'sup',
      params: evalParams,
      body: () => ({
        hasilKerja: 'SESUAI',
        perilaku: allSesuai,
        notes: 'Kinerja baik',
        aspectNotes: Object.fromEntries(Object.keys(allSesuai).map((k) => [k, 'Catatan aspek'])),
      }),
      ready: () => until('ANNUAL_RATING', async () => (await view()).workflow?.phase === 'ANNUAL_RATING').then(() => undefined),
    },
    {
      op: 'POST /evaluations/{id}/annual-rating',
      as: 'sup',
      params: evalParams,
      body: () => ({
        hasilKerja: 'SESUAI',
        perilaku: allSesuai,
        notes: 'Kinerja baik',
        aspectNotes: Object.fromEntries(Object.keys(allSesuai).map((k) => [k, 'Catatan aspek'])),
      }),
      ready: () => until('ANNUAL_RATING', async () => (await view()).workflow?.phase === 'ANNUAL_RATING').then(() => undefined),
    },
    {
      op: 'POST /evaluations/{id}/appeal',
      as: 'asn',
      params: evalParams,
      body: () => ({ reasons: 'Capaian saya melampaui target pada tiga triwulan.' }),
      ready: () => until('APPEAL_WINDOW', async () => (await view()).workflow?.phase === 'APPEAL_WINDOW').then(() => undefined),
    },
    { op: 'POST /evaluations/{id}/appeal/request-response', as: 'rev', params: evalParams },
    { op: 'POST /evaluations/{id}/appeal/response', as: 'sup', params: evalParams, body: () => ({ response: 'Penilaian sudah sesuai bukti.' }) },
    {
      op: 'POST /evaluations/{id}/appeal/decision',
      as: 'rev',
      params: evalParams,
      body: () => ({ decision: 'REVISE', reasons: 'Bukti capaian mendukung keberatan.', hasilKerja: 'DI_ATAS', perilaku: allSesuai }),
      extraBodies: () => [{ decision: 'UPHOLD', reasons: 'Tetap' }],
      after: async () => {
        await until('FINAL', async () => (await view()).evaluation.phase === 'FINAL');
      },
    },
    {
      op: 'GET /me/tasks',
      as: 'sup',
      query: (x) => ({ kind: 'REVIEW_PERIOD', status: 'DONE', cycleId: x.cycleId!, sort: 'createdAt', page: '1', limit: '10' }),
    },
    { op: 'GET /me/evaluations', as: 'sup', query: (x) => ({ as: 'supervisor', cycleId: x.cycleId! }) },

    // organisation
    { op: 'GET /admin/regions/{regionCode}/units', as: 'admin', params: () => REGION },
    {
      op: 'POST /admin/regions/{regionCode}/units',
      as: 'admin',
      params: () => REGION,
      body: () => ({ code: 'HYG-1', name: 'Unit Uji Kebersihan', kind: 'BIDANG', parentCode: 'DISDUKCAPIL' }),
      ok: [201],
      after: async (x, body) => {
        x.unitId = (body as { id: string }).id;
      },
    },
    {
      op: 'PATCH /admin/regions/{regionCode}/units/{unitId}',
      as: 'admin',
      params: (x) => ({ ...REGION, unitId: x.unitId! }),
      body: () => ({ name: 'Unit Uji Baru', kind: 'BIDANG', parentCode: 'DISDUKCAPIL' }),
    },
    {
      op: 'POST /admin/regions/{regionCode}/employees',
      as: 'admin',
      params: () => REGION,
      body: () => ({
        nip: EMP1_NIP,
        name: 'Budi Santoso',
        position: 'Analis Kebijakan',
        positionKind: 'FUNGSIONAL',
        unitCode: 'HYG-1',
        superiorNip: NIPS.kepalaDinas,
        pangkat: 'Penata Muda',
        golongan: 'III/a',
        email: 'budi.santoso@demo.go.id',
        phone: '081234567890',
        password: 'rahasia-panjang-1',
      }),
      ok: [201],
      after: async (x, body) => {
        x.emp1 = (body as { id: string }).id;
      },
    },
    {
      op: 'GET /admin/regions/{regionCode}/employees',
      as: 'admin',
      params: () => REGION,
      query: () => ({ unitCode: 'HYG-1', subunits: 'true', q: 'Budi', status: 'ACTIVE', positionKind: 'FUNGSIONAL', sort: '-name', page: '1', limit: '10' }),
    },
    { op: 'GET /admin/regions/{regionCode}/employees/{employeeId}', as: 'admin', params: (x) => ({ ...REGION, employeeId: x.emp1! }) },
    {
      op: 'PATCH /admin/regions/{regionCode}/employees/{employeeId}',
      as: 'admin',
      params: (x) => ({ ...REGION, employeeId: x.emp1! }),
      body: () => ({
        name: 'Budi 100% Hadir',
        position: 'Analis Kebijakan Ahli Muda',
        positionKind: 'FUNGSIONAL',
        unitCode: 'HYG-1',
        pangkat: 'Penata Muda Tingkat I',
        golongan: 'III/b',
        email: 'budi@demo.go.id',
        phone: '+6281234567891',
      }),
    },
    {
      op: 'POST /admin/regions/{regionCode}/employees/import',
      as: 'admin',
      params: () => REGION,
      body: () => ({
        rows: [
          {
            nip: EMP2_NIP,
            name: 'Citra Dewi',
            position: 'Pengelola Data',
            positionKind: 'PELAKSANA',
            unitCode: 'HYG-1',
            superiorNip: EMP1_NIP,
            pangkat: 'Pengatur',
            golongan: 'II/c',
            email: 'citra@demo.go.id',
            phone: '0857 0000 1111',
            password: 'rahasia-panjang-2',
          },
        ],
        dryRun: false,
      }),
      after: async (x) => {
        x.emp2 = (await f.db.prisma.employee.findFirstOrThrow({ where: { nip: EMP2_NIP } })).id;
      },
    },
    {
      op: 'PUT /admin/regions/{regionCode}/employees/{employeeId}/supervisor',
      as: 'admin',
      params: (x) => ({ ...REGION, employeeId: x.emp2! }),
      body: (x) => ({ superiorId: x.emp1, reason: 'Mutasi jabatan' }),
    },
    { op: 'GET /admin/regions/{regionCode}/delegations', as: 'admin', params: () => REGION, query: () => ({ active: 'true' }) },
    {
      op: 'POST /admin/regions/{regionCode}/delegations',
      as: 'admin',
      params: () => REGION,
      body: (x) => ({
        fromEmployeeId: x.emp1,
        toEmployeeId: x.emp2,
        kind: 'PLH',
        startsAt: '2026-01-01T00:00:00+07:00',
        endsAt: '2026-02-01T00:00:00+07:00',
        reason: 'Cuti tahunan',
      }),
      ok: [201],
      after: async (x, body) => {
        x.delegationId = (body as { id: string }).id;
      },
    },
    { op: 'DELETE /admin/regions/{regionCode}/delegations/{delegationId}', as: 'admin', params: (x) => ({ ...REGION, delegationId: x.delegationId! }) },
    {
      op: 'POST /admin/regions/{regionCode}/employees/{employeeId}/departure',
      as: 'admin',
      params: (x) => ({ ...REGION, employeeId: x.emp2! }),
      body: () => ({ reason: 'Pindah tugas ke daerah lain', leftAt: '2026-06-30T17:00:00+07:00' }),
    },

    // rule sets
    { op: 'GET /admin/regions/{regionCode}/rule-sets', as: 'admin', params: () => REGION },
    {
      op: 'POST /admin/regions/{regionCode}/rule-sets',
      as: 'admin',
      params: () => REGION,
      body: () => ({ key: 'hyg-rs', name: 'Aturan uji kebersihan', from: { pack: 'national' } }),
      extraBodies: (x) => [{ key: 'hyg-rs', name: 'Aturan uji', from: { versionId: x.v1 } }],
      ok: [201],
      after: async (x, body) => {
        x.newRuleSetId = (body as { ruleSet: { id: string } }).ruleSet.id;
        x.newV1 = (body as { version: { id: string } }).version.id;
      },
    },
    {
      op: 'POST /admin/regions/{regionCode}/rule-sets/{ruleSetId}/versions',
      as: 'admin',
      params: (x) => ({ ...REGION, ruleSetId: x.newRuleSetId! }),
      body: () => ({}),
      extraBodies: (x) => [{ fromVersionId: x.v1 }],
      ok: [201],
      after: async (x, body) => {
        x.draftId = (body as { id: string }).id;
      },
    },
    {
      op: 'GET /admin/regions/{regionCode}/rule-sets/{ruleSetId}/versions/{versionId}',
      as: 'admin',
      params: (x) => ({ ...REGION, ruleSetId: x.newRuleSetId!, versionId: x.draftId! }),
      after: async (x, body) => {
        x.draftDocument = (body as { document: Record<string, unknown> }).document;
      },
    },
    {
      op: 'PUT /admin/regions/{regionCode}/rule-sets/{ruleSetId}/versions/{versionId}',
      as: 'admin',
      params: (x) => ({ ...REGION, ruleSetId: x.newRuleSetId!, versionId: x.draftId! }),
      body: (x) => ({ document: { ...x.draftDocument, description: 'Draf uji kebersihan teks' } }),
    },
    {
      op: 'POST /admin/regions/{regionCode}/rule-sets/{ruleSetId}/versions/{versionId}/validate',
      as: 'admin',
      params: (x) => ({ ...REGION, ruleSetId: x.newRuleSetId!, versionId: x.draftId! }),
    },
    {
      op: 'POST /admin/regions/{regionCode}/rule-sets/{ruleSetId}/versions/{versionId}/simulate',
      as: 'admin',
      params: (x) => ({ ...REGION, ruleSetId: x.newRuleSetId!, versionId: x.draftId! }),
      body: () => ({ subjects: [{ id: 'subjek-1', facts: { unitKind: 'DINAS', positionKind: 'PELAKSANA', attendanceRate: 97 } }], trace: false }),
      extraBodies: (x) => [{ cycleId: x.cycleId, compareToVersionId: x.v1 }],
      ok: [200, 202],
    },
    {
      op: 'POST /admin/regions/{regionCode}/rule-sets/{ruleSetId}/versions/{versionId}/publish',
      as: 'admin',
      params: (x) => ({ ...REGION, ruleSetId: x.newRuleSetId!, versionId: x.draftId! }),
    },
    {
      op: 'GET /admin/regions/{regionCode}/rule-sets/{ruleSetId}/diff',
      as: 'admin',
      params: (x) => ({ ...REGION, ruleSetId: x.newRuleSetId! }),
      query: (x) => ({ from: x.newV1!, to: x.draftId! }),
    },

    // cycles, reports, facts, calibration
    { op: 'GET /admin/regions/{regionCode}/cycles', as: 'admin', params: () => REGION },
    { op: 'GET /admin/regions/{regionCode}/cycles/{cycleId}', as: 'admin', params: (x) => ({ ...REGION, cycleId: x.cycleId! }) },
    {
      op: 'GET /admin/regions/{regionCode}/cycles/{cycleId}/report',
      as: 'admin',
      params: (x) => ({ ...REGION, cycleId: x.cycleId! }),
      query: () => ({ unitCode: 'DISDUKCAPIL-PDP' }),
    },
    {
      op: 'GET /admin/regions/{regionCode}/cycles/{cycleId}/report.csv',
      as: 'admin',
      params: (x) => ({ ...REGION, cycleId: x.cycleId! }),
      query: () => ({ unitCode: 'DISDUKCAPIL-PDP' }),
    },
    {
      op: 'GET /admin/regions/{regionCode}/cycles/{cycleId}/report.xlsx',
      as: 'admin',
      params: (x) => ({ ...REGION, cycleId: x.cycleId! }),
      query: () => ({ unitCode: 'DISDUKCAPIL-PDP' }),
    },
    {
      op: 'GET /admin/regions/{regionCode}/audit',
      as: 'admin',
      params: () => REGION,
      query: () => ({
        nip: NIPS.staff1,
        actor: 'admin',
        kind: 'employee.*',
        from: '2020-01-01T00:00:00Z',
        to: '2030-01-01T00:00:00Z',
        before: '1000000',
        limit: '20',
      }),
    },
    { op: 'GET /admin/regions/{regionCode}/audit/verify', as: 'admin', params: () => REGION },
    {
      op: 'POST /admin/regions/{regionCode}/attendance/import',
      as: 'admin',
      params: () => REGION,
      query: () => ({ dryRun: 'false' }),
      body: () => [{ nip: NIPS.staff2, date: '2025-03-03', present: true, lateMinutes: 5, source: 'e-presensi' }],
    },
    {
      op: 'GET /admin/regions/{regionCode}/attendance/summary',
      as: 'admin',
      params: () => REGION,
      query: () => ({ from: '2025-03-01', to: '2025-03-31', unitCode: 'DISDUKCAPIL-PDP', page: '1', limit: '10' }),
    },
    {
      op: 'GET /admin/regions/{regionCode}/surveys',
      as: 'admin',
      params: () => REGION,
      query: () => ({
        from: '2025-01-01',
        to: '2030-12-31',
        unitCode: 'DISDUKCAPIL',
        employeeNip: NIPS.kepalaDinas,
        service: 'KTP-el',
        page: '1',
        limit: '10',
      }),
    },
    {
      op: 'GET /admin/regions/{regionCode}/cycles/{cycleId}/units/{unitId}/calibration',
      as: 'admin',
      params: (x) => ({ ...REGION, cycleId: x.calibrationCycleId!, unitId: f.seed.units.dinas }),
      query: () => ({ unitPredikat: 'BAIK' }),
    },
    {
      op: 'POST /admin/regions/{regionCode}/cycles/{cycleId}/units/{unitId}/calibration',
      as: 'admin',
      params: (x) => ({ ...REGION, cycleId: x.calibrationCycleId!, unitId: f.seed.units.dinas }),
      body: () => ({ unitPredikat: 'BAIK', decision: 'FINALISE', reason: 'Distribusi sudah dibahas tim penilai' }),
      extraBodies: () => [{ unitPredikat: 'BAIK', decision: 'SEND_BACK', reason: 'Perlu penilaian ulang', evaluationIds: ['eval-1'] }],
    },

    // operations: a projection failure to list and resolve, a background simulation run to read
    { op: 'GET /admin/regions/{regionCode}/projection-failures', as: 'admin', params: () => REGION, query: () => ({ all: 'true', page: '1', limit: '10' }) },
    {
      op: 'POST /admin/regions/{regionCode}/projection-failures/{id}/resolve',
      as: 'admin',
      params: (x) => ({ ...REGION, id: x.projectionFailureId! }),
      ready: async (x) => {
        const row = await f.db.prisma.projectionFailure.create({
          data: {
            regionId: f.seed.regionId,
            evaluationId: x.evaluationId!,
            workflowId: x.workflowId!,
            seq: 1_000_000,
            code: '22P05',
            message: 'uji',
            changeKinds: ['report'],
          },
        });
        x.projectionFailureId = row.id;
      },
    },
    {
      op: 'GET /admin/regions/{regionCode}/simulations/{runId}',
      as: 'admin',
      params: (x) => ({ ...REGION, runId: x.simulationRunId! }),
      ready: async (x) => {
        const run = await f.db.prisma.simulationRun.create({
          data: {
            regionId: f.seed.regionId,
            ruleSetVersionId: f.seed.ruleSetVersionId,
            requestedById: f.seed.adminUserId,
            request: { mode: 'employees', compareToVersionId: null },
          },
        });
        x.simulationRunId = run.id;
      },
    },

    // region settings, holidays, notifications
    {
      op: 'GET /admin/regions/{regionCode}',
      as: 'admin',
      params: () => REGION,
      after: async (x, body) => {
        x.regionName = (body as { name: string }).name;
      },
    },
    { op: 'PATCH /admin/regions/{regionCode}', as: 'admin', params: () => REGION, body: (x) => ({ name: x.regionName, timezone: 'Asia/Jakarta' }) },
    { op: 'GET /admin/regions/{regionCode}/holidays', as: 'admin', params: () => REGION, query: () => ({ year: '2030' }) },
    {
      op: 'PUT /admin/regions/{regionCode}/holidays/{date}',
      as: 'admin',
      params: () => ({ ...REGION, date: '2030-12-25' }),
      body: () => ({ kind: 'LIBUR_NASIONAL', name: 'Hari Raya Natal' }),
      ok: [201, 200],
    },
    { op: 'DELETE /admin/regions/{regionCode}/holidays/{date}', as: 'admin', params: () => ({ ...REGION, date: '2030-12-25' }), ok: [204] },
    {
      op: 'PUT /admin/regions/{regionCode}/holidays/years/{year}',
      as: 'admin',
      params: () => ({ ...REGION, year: '2030' }),
      body: () => ({
        holidays: [
          { date: '2030-01-01', kind: 'LIBUR_NASIONAL', name: 'Tahun Baru 2030 Masehi' },
          { date: '2030-05-02', kind: 'CUTI_BERSAMA', name: 'Cuti bersama' },
        ],
      }),
    },
    { op: 'GET /admin/regions/{regionCode}/webhooks', as: 'admin', params: () => REGION },
    {
      op: 'PUT /admin/regions/{regionCode}/webhooks/{channel}',
      as: 'admin',
      params: () => ({ ...REGION, channel: 'WHATSAPP' }),
      body: () => ({ url: 'https://wa-gateway.example.id/kinerja', active: true }),
      ok: [201, 200],
    },
    { op: 'POST /admin/regions/{regionCode}/webhooks/{channel}/rotate-secret', as: 'admin', params: () => ({ ...REGION, channel: 'WHATSAPP' }) },
    { op: 'DELETE /admin/regions/{regionCode}/webhooks/{channel}', as: 'admin', params: () => ({ ...REGION, channel: 'WHATSAPP' }), ok: [204] },
    {
      op: 'GET /admin/regions/{regionCode}/notifications',
      as: 'admin',
      params: () => REGION,
      query: () => ({ status: 'FAILED', channel: 'EMAIL', event: 'REMINDER', page: '1', limit: '10' }),
    },
    {
      op: 'POST /admin/regions/{regionCode}/notifications/{notificationId}/retry',
      as: 'admin',
      params: (x) => ({ ...REGION, notificationId: x.notificationId! }),
      ready: async (x) => {
        const row = await f.db.prisma.notification.create({
          data: {
            regionId: f.seed.regionId,
            key: uniqueId('hyg/notification'),
            event: 'REMINDER',
            channel: 'EMAIL',
            recipientId: f.seed.employees.staff1,
            address: 'andi@demo.go.id',
            payload: {},
            status: 'FAILED',
            attempts: 5,
            lastError: 'uji',
          },
        });
        x.notificationId = row.id;
      },
    },
    { op: 'PUT /me/notification-settings', as: 'asn', body: () => ({ language: 'id', mutedChannels: ['SMS'] }) },

    // public and auth
    {
      op: 'POST /public/regions/{regionCode}/surveys',
      as: 'none',
      params: () => REGION,
      body: () => ({ score: 4, comment: 'Pelayanan cepat\ndan ramah', unitCode: 'DISDUKCAPIL', employeeNip: NIPS.kepalaDinas, service: 'KTP-el', website: '' }),
      ok: [201],
    },
    { op: 'GET /public/regions/{regionCode}/surveys/summary', as: 'none', params: () => REGION, query: () => ({ unitCode: 'DISDUKCAPIL' }) },
    { op: 'GET /public/regions/{regionCode}/survey-form', as: 'none', params: () => REGION },
    { op: 'GET /me/notifications', as: 'asn', query: () => ({ limit: '10' }) },
    { op: 'PUT /me/password', as: 'spare', body: () => ({ currentPassword: PASSWORD, newPassword: 'rahasia-baru-panjang-9' }) },
    { op: 'GET /evaluations/{id}/documents/skp.pdf', as: 'asn', params: (x) => ({ id: x.evaluationId! }) },
    { op: 'GET /evaluations/{id}/documents/evaluation.pdf', as: 'asn', params: (x) => ({ id: x.evaluationId! }) },
    {
      op: 'POST /auth/login',
      as: 'none',
      body: () => ({ username: NIPS.staff2, password: PASSWORD }),
      after: async (x, body) => {
        x.refreshToken = (body as { refreshToken: string }).refreshToken;
      },
    },
    {
      op: 'POST /auth/refresh',
      as: 'none',
      body: (x) => ({ refreshToken: x.refreshToken }),
      after: async (x, body) => {
        x.refreshToken2 = (body as { refreshToken: string }).refreshToken;
      },
    },
    { op: 'POST /auth/logout', as: 'none', body: (x) => ({ refreshToken: x.refreshToken2 }), ok: [204] },
  ];

  it('every operation with a body, a query string or a path parameter has a fixture', () => {
    const known = new Set(cases.map((c) => c.op));
    const missing: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const name = `${method.toUpperCase()} ${path}`;
        if (known.has(name)) continue;
        if (op.requestBody || (op.parameters ?? []).length > 0 || !OPS_WITHOUT_INPUT.has(name)) missing.push(name);
      }
    }
    expect(missing).toEqual([]);
  });

  for (const c of cases) {
    it(
      c.op,
      async () => {
        const [method, path] = c.op.split(' ') as [string, string];
        const op = doc.paths[path]?.[method.toLowerCase()];
        expect(op, 'a fixture for an operation /openapi.json does not have').toBeDefined();
        if (!op) return;
        await c.ready?.(x);
        const token = tokenOf(c.as);
        const params = c.params?.(x) ?? {};
        const query = c.query?.(x) ?? {};
        const body = c.body?.(x);
        const declared = op.parameters ?? [];
        const jsonContent = op.requestBody?.content?.['application/json'];
        if (jsonContent) expect(body, 'an operation with a JSON body needs a body in its fixture').toBeDefined();

        // every declared string field of the body is somewhere in the fixture's bodies
        const bodies = body === undefined ? [] : [body, ...(c.extraBodies?.(x) ?? [])];
        if (jsonContent) {
          const covered = new Set(bodies.flatMap((b) => stringLeaves(b).map((p) => p.map((s) => (typeof s === 'number' ? '*' : s)).join('/'))));
          const declaredPaths = [...schemaStringPaths(jsonContent.schema, doc)];
          expect(
            declaredPaths.filter((p) => !covered.has(p)),
            'string fields the fixture leaves out',
          ).toEqual([]);
        }

        const before = await fingerprint();
        // NUL in every path parameter
        for (const p of declared.filter((d) => d.in === 'path')) {
          const res = await bad(method, url(path, { ...params, [p.name]: withNulIn(params[p.name] ?? 'x') }, query), {
            token,
            ...(body !== undefined ? { body } : {}),
          });
          await expectRefused(res, `/${p.name}`, 'param', `path ${p.name}`);
        }
        // NUL in every query parameter
        for (const p of declared.filter((d) => d.in === 'query')) {
          const res = await bad(method, url(path, params, { ...query, [p.name]: withNulIn(query[p.name] ?? 'x') }), {
            token,
            ...(body !== undefined ? { body } : {}),
          });
          await expectRefused(res, `/${p.name}`, 'query', `query ${p.name}`);
        }
        // NUL in every string leaf of every body
        for (const b of bodies) {
          for (const leaf of stringLeaves(b)) {
            const res = await bad(method, url(path, params, query), { token, body: withNulAt(b, leaf) });
            await expectRefused(res, pointerOf(leaf), 'body', `body ${pointerOf(leaf)}`);
          }
        }
        if (op.requestBody && jsonContent) {
          // no body, an empty body, malformed JSON
          if (op.requestBody.required) {
            for (const opts of [
              {},
              { raw: '', headers: { 'content-type': 'application/json' } },
              { raw: '  \n', headers: { 'content-type': 'application/json' } },
            ]) {
              const res = await bad(method, url(path, params, query), { token, ...opts });
              await expectRefused(res, '', 'body', 'missing body');
            }
          } else {
            expect((await bad(method, url(path, params, query), { token })).status, 'missing body').toBe(422);
          }
          const malformed = await bad(method, url(path, params, query), { token, raw: '{"a":', headers: { 'content-type': 'application/json' } });
          expect(malformed.status).toBe(400);
          expect((await json<{ code: string }>(malformed)).code).toBe('MALFORMED_JSON');
        }
        // nothing of the refused requests was applied
        expect(await fingerprint()).toEqual(before);

        // the valid request succeeds
        const send = () =>
          c.form
            ? Promise.resolve(f.app.request(url(path, params, query), { method, headers: token ? { authorization: `Bearer ${token}` } : {}, body: c.form(x) }))
            : f.req(method, url(path, params, query), { token, ...(body !== undefined ? { body } : {}) });
        let res = await send();
        if (c.retryWhileConflict) {
          const end = Date.now() + 60_000;
          while (res.status === 409 && Date.now() < end) {
            await new Promise((r) => setTimeout(r, 250));
            res = await send();
          }
        }
        const text = await res.text();
        expect(c.ok ?? [200], `${c.op}: ${text}`).toContain(res.status);
        await c.after?.(x, text && (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text);
      },
      240_000,
    );
  }

  it('no refused request left a trace: no audit event and no workflow history event carries its request id', async () => {
    expect(badRequestIds.length).toBeGreaterThan(100);
    expect(await f.db.prisma.auditEvent.count({ where: { requestId: { startsWith: 'hyg-bad-' } } })).toBe(0);
    const events = await historyText(x.workflowId!);
    expect(events).toContain('Laporan triwulan'); // the valid report's note: the search reads the payloads
    expect(events).not.toContain('hyg-bad-');
  });

  it('other control characters: refused in single-line and multi-line text alike, tab and newline kept where text is multi-line', async () => {
    for (const [ch, label] of [
      ['\u0001', 'SOH'],
      ['\u0007', 'BEL'],
      ['\u001b', 'ESC'],
      ['\u007f', 'DEL'],
      ['\u0085', 'NEL'],
      ['\u009b', 'CSI'],
      ['\ud800', 'lone surrogate'],
    ] as const) {
      const unit = await bad('POST', '/admin/regions/demo/units', { token: x.tokens.admin, body: { code: 'HYG-2', name: `Unit${ch}Dua` } });
      await expectRefused(unit, '/name', 'body', `unit name with ${label}`);
      const reason = await bad('POST', `/admin/regions/demo/employees/${x.emp1}/departure`, { token: x.tokens.admin, body: { reason: `Alasan${ch}keluar` } });
      await expectRefused(reason, '/reason', 'body', `departure reason with ${label}`);
    }
    for (const ch of ['\t', '\n', '\r']) {
      await expectRefused(
        await bad('POST', '/admin/regions/demo/units', { token: x.tokens.admin, body: { code: 'HYG-2', name: `Unit${ch}Dua` } }),
        '/name',
        'body',
        'single-line name with a line break or tab',
      );
    }
    // multi-line text keeps tab and newline; the message is Indonesian by default and English on request
    const en = await json<{ errors: { message: string; code: string }[] }>(
      await bad('POST', '/admin/regions/demo/units', {
        token: x.tokens.admin,
        body: { code: 'HYG-2', name: 'Unit\u0000Dua' },
        headers: { 'accept-language': 'en' },
      }),
    );
    expect(en.errors[0]).toMatchObject({ code: 'invalid_characters', message: 'must not contain control characters or broken Unicode: U+0000 at position 5' });
    const id = await json<{ errors: { message: string }[] }>(
      await bad('POST', '/admin/regions/demo/units', { token: x.tokens.admin, body: { code: 'HYG-2', name: 'Unit\u0000Dua' } }),
    );
    expect(id.errors[0]!.message).toBe('tidak boleh berisi karakter kendali atau karakter Unicode yang tidak utuh: U+0000 pada posisi 5');
    const res = await f.req('PUT', `/admin/regions/demo/employees/${x.emp1}/supervisor`, {
      token: x.tokens.admin,
      body: { superiorId: f.seed.employees.kepalaDinas, reason: 'Baris satu\n\tbaris dua' },
    });
    expect(res.status, await res.clone().text()).toBe(200);
  });

  it('CSV imports: a control character in a cell → 422 naming its row and column, nothing applied', async () => {
    const before = await fingerprint();
    const csv = (body: string, path: string) => bad('POST', path, { token: x.tokens.admin, raw: body, headers: { 'content-type': 'text/csv' } });
    const emp = await csv(`nip,name,position,unitCode\n${EMP1_NIP},Budi\u0000Santoso,Analis,HYG-1\n`, '/admin/regions/demo/employees/import');
    // the spreadsheet's row numbers: the header is row 1
    await expectRefused(emp, '/2/name', 'body', 'employee CSV');
    const att = await csv(`nip,date,present,source\n${NIPS.staff2},2025-03-04,true,e-pre\u0007sensi\n`, '/admin/regions/demo/attendance/import');
    await expectRefused(att, '/2/source', 'body', 'attendance CSV');
    expect(await fingerprint()).toEqual(before);
  });

  it('evidence links: only http(s) to public hosts, the error names the field', async () => {
    const base = report(x);
    for (const link of [
      'javascript:alert(document.cookie)',
      'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'ftp://example.go.id/a',
      'http://localhost:3000/x',
      'http://127.0.0.1/x',
      'http://2130706433/x',
      'http://10.0.0.5/x',
      'http://172.20.1.1/x',
      'http://192.168.0.1/x',
      'http://169.254.169.254/latest/meta-data/',
      'http://0.0.0.0/',
      'http://[::1]/',
      'http://[fd00::1]/',
      'http://[fe80::1]/',
      'http://intranet.local/x',
      'http://db.internal/x',
    ]) {
      const res = await bad('PUT', `/evaluations/${x.evaluationId}/periods/1/report`, {
        token: x.tokens.asn,
        body: { ...base, evidence: [base.evidence[0], { kind: 'LINK', name: 'Tautan', url: link }] },
      });
      await expectRefused(res, '/evidence/1/url', 'body', link);
    }
    const msg = await json<{ errors: { pointer: string; message: string; code: string }[] }>(
      await bad('PUT', `/evaluations/${x.evaluationId}/periods/1/report`, {
        token: x.tokens.asn,
        body: { ...base, evidence: [{ kind: 'LINK', name: 'x', url: 'javascript:alert(1)' }] },
      }),
    );
    expect(msg.errors).toEqual([
      expect.objectContaining({ pointer: '/evidence/0/url', code: 'url_scheme', message: 'url hanya boleh memakai https: atau http: (diterima: javascript:)' }),
    ]);
  });

  it('dates: within 2000..2100, a cycle start within the cycle year ± 1', async () => {
    const del = (startsAt: string, endsAt: string) =>
      bad('POST', '/admin/regions/demo/delegations', {
        token: x.tokens.admin,
        body: { fromEmployeeId: f.seed.employees.kepalaBidang, toEmployeeId: f.seed.employees.staff2, kind: 'PLH', startsAt, endsAt },
      });
    await expectRefused(await del('0001-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), '/startsAt', 'body', 'delegation from year 1');
    await expectRefused(await del('2026-01-01T00:00:00Z', '9999-12-31T23:59:59Z'), '/endsAt', 'body', 'delegation to year 9999');
    await expectRefused(
      await bad('POST', '/admin/regions/demo/cycles', {
        token: x.tokens.admin,
        body: { year: 2027, name: 'Siklus 2027', ruleSetVersionId: x.v1, startsAt: '2029-01-01T00:00:00Z' },
      }),
      '/startsAt',
      'body',
      'cycle start two years after its year',
    );
    await expectRefused(
      await bad('POST', `/admin/regions/demo/employees/${x.emp1}/departure`, {
        token: x.tokens.admin,
        body: { reason: 'Pensiun dini', leftAt: '0001-01-01T00:00:00Z' },
      }),
      '/leftAt',
      'body',
      'departure in year 1',
    );
    const att = await bad('POST', '/admin/regions/demo/attendance/import', {
      token: x.tokens.admin,
      body: [{ nip: NIPS.staff2, date: '1999-12-31', present: true }],
    });
    await expectRefused(att, '/0/date', 'body', 'attendance in 1999');
    await expectRefused(
      await bad('GET', '/admin/regions/demo/attendance/summary?from=0001-01-01', { token: x.tokens.admin }),
      '/from',
      'query',
      'summary from year 1',
    );
    expect(await f.db.prisma.cycle.count({ where: { year: 2027 } })).toBe(0);
  });

  it('GET /me/tasks sorts by createdAt both ways (a documented value, not a 500)', async () => {
    for (const sort of ['createdAt', '-createdAt'] as const) {
      const res = await f.req('GET', `/me/tasks?status=DONE&sort=${sort}&limit=100`, { token: x.tokens.sup });
      expect(res.status, await res.clone().text()).toBe(200);
      const items = (await json<{ items: { createdAt: string; id: string }[] }>(res)).items;
      expect(items.length).toBeGreaterThan(1);
      const times = items.map((t) => t.createdAt);
      const sorted = [...times].sort();
      expect(times).toEqual(sort === 'createdAt' ? sorted : sorted.reverse());
    }
  });

  it('employee search: %, _ and \\ match themselves, not everyone', async () => {
    const search = async (q: string) =>
      json<{ total: number; items: { id: string; name: string }[] }>(
        await f.req('GET', `/admin/regions/demo/employees?q=${encodeURIComponent(q)}`, { token: x.tokens.admin }),
      );
    const all = await f.db.prisma.employee.count({ where: { regionId: f.seed.regionId } });
    expect(all).toBeGreaterThan(3);
    const percent = await search('%');
    expect(percent.items.map((e) => e.name)).toEqual(['Budi 100% Hadir']); // the one name with a '%' in it
    expect((await search('0% H')).total).toBe(1);
    expect((await search('_')).total).toBe(0);
    expect((await search('\\')).total).toBe(0);
    expect((await search('%%')).total).toBe(0);
    expect((await search('Andi')).total).toBe(1); // an ordinary search still matches
    expect((await search(NIPS.staff1.slice(0, 8))).items.map((e) => e.name)).toContain('Andi Pratama, S.Kom.');
  });

  it('the workflow refuses a NUL sent past the API (its update validator uses the same schemas)', async () => {
    const handle = f.env.client.workflow.getHandle(x.workflowId!);
    const before = await handle.query(getState);
    const actor: Actor = { userId: f.seed.users.staff1, employeeId: f.seed.employees.staff1, requestId: 'hyg-bad-direct' };
    badRequestIds.push('hyg-bad-direct');
    await expect(
      handle.executeUpdate(COMMAND_UPDATES.submitReport, { args: [{ actor, period: 1, input: { ...report(x), note: 'a\u0000b' } as PeriodReportInput }] }),
    ).rejects.toThrow();
    expect(await handle.query(getState)).toEqual(before);
    expect(await historyText(x.workflowId!)).not.toContain('hyg-bad-direct');
  });
});

// ------------------------------------------------------------------------------------------------ helpers

interface OpenApiOperation {
  parameters?: { name: string; in: 'path' | 'query' | 'header' | 'cookie' }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema: unknown }> };
}

type Path = (string | number)[];

function stringLeaves(v: unknown, path: Path = []): Path[] {
  if (typeof v === 'string') return [path];
  if (Array.isArray(v)) return v.flatMap((item, i) => stringLeaves(item, [...path, i]));
  if (v !== null && typeof v === 'object') return Object.entries(v).flatMap(([k, item]) => stringLeaves(item, [...path, k]));
  return [];
}

const withNulIn = (s: string) => `${s.slice(0, 1)}\u0000${s.slice(1)}`;

function withNulAt(v: unknown, path: Path): unknown {
  if (path.length === 0) return withNulIn(v as string);
  const [head, ...rest] = path;
  if (Array.isArray(v)) return v.map((item, i) => (i === head ? withNulAt(item, rest) : item));
  const o = v as Record<string, unknown>;
  return { ...o, [head!]: withNulAt(o[head!], rest) };
}

const pointerOf = (path: Path) => path.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');

/**
 * Paths ("a/*\/b") of the free-text string fields a request-body schema declares: object properties and array
 * items, through $ref, allOf/anyOf/oneOf; enums and consts are left out (they refuse a NUL by being closed), and so
 * are records (additionalProperties), whose keys are free.
 */
function schemaStringPaths(schema: unknown, doc: { components?: { schemas?: Record<string, unknown> } }, prefix: string[] = [], depth = 0): Set<string> {
  const out = new Set<string>();
  if (depth > 20 || schema === null || typeof schema !== 'object') return out;
  const s = schema as Record<string, unknown>;
  if (typeof s.$ref === 'string') return schemaStringPaths(doc.components?.schemas?.[s.$ref.split('/').pop()!], doc, prefix, depth + 1);
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    for (const sub of (s[key] as unknown[] | undefined) ?? []) for (const p of schemaStringPaths(sub, doc, prefix, depth + 1)) out.add(p);
  }
  const types = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === 'string' ? [s.type] : [];
  if (types.includes('string') && s.enum === undefined && s.const === undefined) out.add(prefix.join('/'));
  if (s.properties && typeof s.properties === 'object') {
    for (const [k, sub] of Object.entries(s.properties as Record<string, unknown>))
      for (const p of schemaStringPaths(sub, doc, [...prefix, k], depth + 1)) out.add(p);
  }
  if (s.items) for (const p of schemaStringPaths(s.items, doc, [...prefix, '*'], depth + 1)) out.add(p);
  return out;
}
