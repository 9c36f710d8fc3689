/**
 * A bounded schemathesis run (tools/requirements-schemathesis.txt, installed by `node scripts/kinerja.mjs setup
 * --schemathesis` and by `npm test`) against a running instance: the real API (startApi) on a free port, real
 * PostgreSQL, the real worker on the Temporal dev server, and the demo region with an open cycle whose ASN year is
 * past its targets. Every path parameter is a real row (the region, the ASN's evaluation, a unit, an employee, the
 * rule set and a draft version, the cycle, a delegation), so requests reach handlers and workflows, not only 404s.
 *
 * One run per role (ASN, supervisor, admin), each over every operation with that role's bearer token; then a
 * throwaway user's run over the one operation that ends its own token (sign out everywhere), kept out of the others.
 * Checks: no 5xx, and every 4xx an RFC 9457 problem (schemathesis-hooks.py). On failure the test prints each failing
 * request compactly (method, target, body, status, answer).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi } from '../src/index.js';
import { NIPS, PASSWORD, setup, until, validSkp, type Fixture } from './helpers.js';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');
const SCHEMATHESIS = process.env.KINERJA_SCHEMATHESIS ?? join(REPO_ROOT, '.tools', 'schemathesis', 'bin', 'schemathesis');
const HOOKS = join(import.meta.dirname, 'schemathesis-hooks.py');
const JWT_SECRET = 'schemathesis-secret-0123456789-abcdefghij';

/** Examples per operation in the fuzzing phase (the examples and coverage phases add their own cases). */
const MAX_EXAMPLES = 20;
/** A fixed seed: a failure reproduces with the same data. */
const SEED = 9;
/** Wall-clock bound of all the runs together; a run still going at the end is killed (each takes ~30 s here). */
const RUNS_BUDGET_MS = 300_000;

interface Logged {
  op: string;
  status: number;
  defect?: string;
  method?: string;
  target?: string;
  body?: string | null;
  response?: string | null;
}

interface RunResult {
  role: string;
  requests: Logged[];
  exitCode: number | null;
  killed: boolean;
  limitMs: number;
  ms: number;
  output: string;
}

/** Real rows: each path parameter always takes its value. */
type Ids = Record<'regionCode' | 'id' | 'unitId' | 'employeeId' | 'delegationId' | 'ruleSetId' | 'versionId' | 'cycleId' | 'runId', string> & {
  /** `{id}` of the projection-failure operations (elsewhere `{id}` is the evaluation) */
  projectionFailureId: string;
};

/**
 * Real values for body and query fields, each used in half the generated cases (the other half stays generated), so
 * that bodies pass the checks against the database (a report's indicators, a cycle's rule-set version, ...) and reach
 * the workflows and the writes behind them.
 */
type Dictionaries = Record<'indicator' | 'employee' | 'version' | 'cycle' | 'unitCode' | 'nip', string[]>;
const BINDINGS: Record<string, keyof Dictionaries> = {
  'body.realisations[*].indicatorId': 'indicator',
  'body.fromEmployeeId': 'employee',
  'body.toEmployeeId': 'employee',
  'body.superiorId': 'employee',
  'body.ruleSetVersionId': 'version',
  'body.compareToVersionId': 'version',
  'body.unitCode': 'unitCode',
  'body.parentCode': 'unitCode',
  'body.nip': 'nip',
  'body.superiorNip': 'nip',
  'query.cycleId': 'cycle',
  'query.from': 'version',
  'query.to': 'version',
  'query.unitCode': 'unitCode',
  'query.employeeNip': 'nip',
};

/**
 * schemathesis.toml for one run: the bearer token, the real ids, and the paths where the coverage phase (boundary and
 * negative values for every field, most of the run's time) is off for this role: each operation gets it under the
 * role that owns it, the fuzzing and examples phases run everywhere. TOML basic strings are JSON strings here.
 */
function configToml(token: string, ids: Ids, dictionaries: Dictionaries, noCoverage: string): string {
  const q = (s: string) => JSON.stringify(s);
  return [
    `headers = { Authorization = ${q(`Bearer ${token}`)} }`,
    // stateful testing follows links, which the document has none of
    'phases.stateful.enabled = false',
    '[dictionaries]',
    ...Object.entries(dictionaries).map(([name, values]) => `${name} = { values = [${values.map(q).join(', ')}] }`),
    '[parameters]',
    ...Object.entries(ids)
      .filter(([name]) => name !== 'projectionFailureId')
      .map(([name, value]) => `${q(`path.${name}`)} = ${q(value)}`),
    ...Object.entries(BINDINGS).map(([key, dictionary]) => `${q(key)} = { dictionary = ${q(dictionary)}, probability = 0.5 }`),
    '[[operations]]',
    `include-path-regex = ${q('/projection-failures/')}`,
    `parameters = { "path.id" = ${q(ids.projectionFailureId)} }`,
    '[[operations]]',
    `include-path-regex = ${q(noCoverage)}`,
    'phases.coverage.enabled = false',
    '',
  ].join('\n');
}

interface Run {
  role: string;
  token: string;
  /** paths (regex) where this role's run skips the coverage phase */
  noCoverage: string;
  extra?: string[];
}

function runSchemathesis(run: Run, baseUrl: string, ids: Ids, dictionaries: Dictionaries, limitMs: number): Promise<RunResult> {
  const { role, token, noCoverage, extra = [] } = run;
  const dir = mkdtempSync(join(tmpdir(), `kinerja-st-${role}-`));
  const log = join(dir, 'requests.ndjson');
  const config = join(dir, 'schemathesis.toml');
  writeFileSync(config, configToml(token, ids, dictionaries, noCoverage));
  writeFileSync(log, '');
  const args = [
    '--config-file',
    config,
    'run',
    `${baseUrl}/openapi.json`,
    '--checks',
    'not_a_server_error,problem_details',
    '--max-examples',
    String(MAX_EXAMPLES),
    '--seed',
    String(SEED),
    '--no-shrink',
    '--continue-on-failure',
    // one worker: hypothesis describes strategies by parsing source (ast.parse), which breaks across threads on
    // CPython 3.11 ("AST constructor recursion depth mismatch")
    '--workers',
    '1',
    '--request-timeout',
    '30',
    '--generation-database',
    'none',
    '--no-color',
    ...extra,
  ];
  const started = Date.now();
  return new Promise((resolveRun, reject) => {
    const child = spawn(SCHEMATHESIS, args, {
      cwd: dir, // .hypothesis and reports stay in the temp dir
      env: { ...process.env, SCHEMATHESIS_HOOKS: HOOKS, KINERJA_ST_LOG: log },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    }, limitMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      const requests = readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Logged);
      rmSync(dir, { recursive: true, force: true });
      resolveRun({ role, requests, exitCode, killed, limitMs, ms: Date.now() - started, output });
    });
  });
}

function describeFailure(role: string, r: Logged): string {
  return `[${role}] ${r.op}: ${r.defect}\n    ${r.method} ${r.target} ${r.body ?? ''}\n    → ${r.status} ${r.response ?? ''}`;
}

describe('schemathesis against a running instance (postgres)', () => {
  let f: Fixture;
  let api: Awaited<ReturnType<typeof startApi>>;
  let ids: Ids;
  let dictionaries: Dictionaries;
  const tokens: Record<'admin' | 'asn' | 'supervisor' | 'throwaway', string> = { admin: '', asn: '', supervisor: '', throwaway: '' };

  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(api.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, text, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  const login = async (username: string) => {
    const res = await fetch(`${api.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD }),
    });
    expect(res.status, `login ${username}`).toBe(200);
    return ((await res.json()) as { accessToken: string }).accessToken;
  };

  beforeAll(async () => {
    if (!existsSync(SCHEMATHESIS)) {
      throw new Error(`schemathesis not found at ${SCHEMATHESIS}: run \`node scripts/kinerja.mjs setup --schemathesis\` or set KINERJA_SCHEMATHESIS`);
    }
    f = await setup('postgres', { withWorker: true });
    api = await startApi({
      prisma: f.db.prisma,
      temporal: f.env.client,
      port: 0,
      config: { jwtSecret: JWT_SECRET, taskQueue: f.taskQueue, loginRateBurst: 100_000 },
    });
    tokens.admin = await login('admin');
    tokens.asn = await login(NIPS.staff1);
    tokens.supervisor = await login(NIPS.kepalaBidang);
    tokens.throwaway = await login(NIPS.lainStaff);

    // an open cycle; the ASN's year past its targets (approved), so reports and reviews reach the workflow
    const open = await call('POST', '/admin/regions/demo/cycles', tokens.admin, {
      year: 2025,
      name: 'Penilaian Kinerja 2025',
      ruleSetVersionId: f.seed.ruleSetVersionId,
    });
    expect(open.status, open.text).toBe(201);
    const cycleId = (open.body.cycle as { id: string }).id;
    const evaluationId = await until('the ASN evaluation', async () => {
      const mine = await call('GET', '/me/evaluations', tokens.asn);
      return (mine.body.items as { id: string; cycleId: string }[]).find((e) => e.cycleId === cycleId)?.id;
    });
    await until('targets accepted', async () => (await call('PUT', `/evaluations/${evaluationId}/targets`, tokens.asn, validSkp)).status === 200);
    await until(
      'targets approved',
      async () => (await call('POST', `/evaluations/${evaluationId}/targets/decision`, tokens.supervisor, { decision: 'APPROVE' })).status === 200,
    );

    const draft = await call('POST', `/admin/regions/demo/rule-sets/${f.seed.ruleSetId}/versions`, tokens.admin, {});
    expect(draft.status, draft.text).toBe(201);
    const now = Date.now();
    const delegation = await call('POST', '/admin/regions/demo/delegations', tokens.admin, {
      fromEmployeeId: f.seed.employees.kepalaBidang,
      toEmployeeId: f.seed.employees.kepalaDinas,
      kind: 'PLH',
      // next week: a real row for the delegation operations that does not change who acts during the runs
      startsAt: new Date(now + 7 * 86_400_000).toISOString(),
      endsAt: new Date(now + 8 * 86_400_000).toISOString(),
      reason: 'Dinas luar',
    });
    expect(delegation.status, delegation.text).toBe(201);

    // rows that no request makes on demand (a projection the database refused, a dry run too large to run inline):
    // seeded, so that their operations reach a real row too
    const row = await f.db.prisma.evaluation.findUniqueOrThrow({ where: { id: evaluationId } });
    const failure = await f.db.prisma.projectionFailure.create({
      data: {
        regionId: f.seed.regionId,
        evaluationId,
        workflowId: row.workflowId,
        seq: 1,
        code: 'PROJECTION_REJECTED',
        message: 'uji',
        changeKinds: ['report'],
      },
    });
    const simulation = await f.db.prisma.simulationRun.create({
      data: {
        regionId: f.seed.regionId,
        ruleSetVersionId: f.seed.ruleSetVersionId,
        requestedById: f.seed.adminUserId,
        request: { mode: 'employees', compareToVersionId: null },
        status: 'FAILED',
        total: 4,
        error: 'uji',
      },
    });

    const view = await call('GET', `/evaluations/${evaluationId}`, tokens.asn);
    const skp = (view.body.evaluation as { skp: { rhk: { indicators: { id: string }[] }[] } | null }).skp;
    const indicators = skp?.rhk.flatMap((r) => r.indicators.map((i) => i.id)) ?? [];
    expect(indicators.length, view.text).toBeGreaterThan(0);
    const e = f.seed.employees;
    dictionaries = {
      indicator: indicators,
      employee: [e.kepalaDinas, e.kepalaBidang, e.staff1, e.staff2],
      version: [f.seed.ruleSetVersionId, (draft.body as { id: string }).id],
      cycle: [cycleId],
      unitCode: ['DISDUKCAPIL', 'DISDUKCAPIL-PDP'],
      nip: [NIPS.kepalaDinas, NIPS.kepalaBidang, NIPS.staff1, NIPS.staff2],
    };
    ids = {
      regionCode: 'demo',
      id: evaluationId,
      unitId: f.seed.units.bidang,
      // the admin's employee operations (supervisor change, departure) land on staff2, whom no run signs in as
      employeeId: f.seed.employees.staff2,
      delegationId: (delegation.body as { id: string }).id,
      ruleSetId: f.seed.ruleSetId,
      versionId: (draft.body as { id: string }).id,
      cycleId,
      runId: simulation.id,
      projectionFailureId: failure.id,
    };
  }, 240_000);
  afterAll(async () => {
    await api?.close();
    await f?.close();
  });

  it(
    'answers no 5xx and only RFC 9457 problems as 4xx, for the ASN, the supervisor and the admin',
    async () => {
      const base = api.url;
      // the ASN and the supervisor first: the admin's run may depart employees and publish the draft
      const runs: RunResult[] = [];
      // ending every session (sign out everywhere; a password change, whose wrong current passwords also lock the
      // account) would cut the other runs off: only the throwaway user does those
      const sessionEnders = ['/me/logout-all', '/me/password'];
      const own = sessionEnders.flatMap((p) => ['--exclude-path', p]);
      const plan: Run[] = [
        { role: 'asn', token: tokens.asn, noCoverage: '^/admin/', extra: own },
        { role: 'supervisor', token: tokens.supervisor, noCoverage: '^/(?!evaluations/)', extra: own },
        { role: 'admin', token: tokens.admin, noCoverage: '^/(?!admin/)', extra: own },
        { role: 'throwaway', token: tokens.throwaway, noCoverage: '^$', extra: sessionEnders.flatMap((p) => ['--include-path', p]) },
      ];
      const deadline = Date.now() + RUNS_BUDGET_MS;
      for (const run of plan) runs.push(await runSchemathesis(run, base, ids, dictionaries, Math.max(deadline - Date.now(), 1_000)));

      const statusClasses = (r: RunResult) => {
        const counts = new Map<string, number>();
        for (const q of r.requests) counts.set(`${String(q.status).slice(0, 1)}xx`, (counts.get(`${String(q.status).slice(0, 1)}xx`) ?? 0) + 1);
        return [...counts]
          .sort()
          .map(([k, n]) => `${k} ${n}`)
          .join(', ');
      };
      console.log(
        `schemathesis ${runs.map((r) => `${r.role}: ${r.requests.length} requests (${statusClasses(r)}) in ${(r.ms / 1000).toFixed(0)} s, exit ${r.exitCode}${r.killed ? ', killed' : ''}`).join('; ')}`,
      );
      const problems = [
        ...new Set(runs.flatMap((r) => r.requests.filter((q) => q.defect).map((q) => describeFailure(r.role, q)))),
        ...runs.flatMap((r) => {
          const errors = r.output.indexOf('= ERRORS =');
          if (r.killed) return [`[${r.role}] schemathesis still running after ${(r.limitMs / 1000).toFixed(0)} s (killed):\n${r.output.slice(-3000)}`];
          if (r.requests.length === 0) return [`[${r.role}] no requests:\n${r.output.slice(-3000)}`];
          // errors of the run itself (schema, generation, network), whatever else failed
          if (errors >= 0) return [`[${r.role}] schemathesis errors:\n${r.output.slice(errors, errors + 3000)}`];
          if (r.exitCode !== 0 && !r.requests.some((q) => q.defect)) return [`[${r.role}] schemathesis exited ${r.exitCode}:\n${r.output.slice(-3000)}`];
          return [];
        }),
      ];
      expect(problems, `${problems.length} failures:\n${problems.join('\n')}`).toEqual([]);
      // the year goes on after the runs: its workflow still answers a report for each quarter (accepted, or refused
      // because the quarter was already rated), where a jammed year answers 503 or not at all
      const report = { realisations: dictionaries.indicator.map((indicatorId) => ({ indicatorId, value: 3 })) };
      const after: Record<number, number> = {};
      for (let period = 1; period <= 4; period++)
        after[period] = (await call('PUT', `/evaluations/${ids.id}/periods/${period}/report`, tokens.asn, report)).status;
      expect(
        Object.values(after).every((status) => status === 200 || status === 409),
        `reports after the runs: ${JSON.stringify(after)}`,
      ).toBe(true);
    },
    RUNS_BUDGET_MS + 60_000,
  );
});
