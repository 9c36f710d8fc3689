/**
 * Authorisation matrix, generated from the route table: every route × every role, on a resource of the demo region
 * and one of another region. Allowed = anything but 401/403/404; denied answers are 401 (no token), 404 (not
 * visible: other region, other ASN) or 403 (visible but not this person's step).
 */
import { dbKinds } from '@kinerja/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allSesuai, fakeEvaluation, NIPS, setup, validSkp, type Fixture } from './helpers.js';

const ROLES = ['adminOwn', 'adminOther', 'owner', 'otherAsn', 'supervisor', 'reviewer', 'unauthenticated'] as const;
type Role = (typeof ROLES)[number];

interface Ctx {
  evaluationId: string;
  regionCode: string;
  employeeId: string;
  ruleSetId: string;
  versionId: string;
  n: () => number;
}
interface RouteCase {
  method: string;
  path: (c: Ctx) => string;
  body?: (c: Ctx) => unknown;
  /** who may call it on a resource of the demo region */
  allowed: Role[];
}

const ALL_SIGNED_IN: Role[] = ['adminOwn', 'adminOther', 'owner', 'otherAsn', 'supervisor', 'reviewer'];
const ev = (p: string) => (c: Ctx) => `/evaluations/${c.evaluationId}${p}`;
const adm = (p: string) => (c: Ctx) => `/admin/regions/${c.regionCode}${p}`;
const admin: Role[] = ['adminOwn'];

const ROUTES: RouteCase[] = [
  { method: 'GET', path: () => '/me', allowed: ALL_SIGNED_IN },
  { method: 'GET', path: () => '/me/tasks', allowed: ALL_SIGNED_IN },
  { method: 'GET', path: () => '/me/evaluations', allowed: ALL_SIGNED_IN },
  { method: 'GET', path: ev(''), allowed: ['adminOwn', 'owner', 'supervisor', 'reviewer'] },
  { method: 'PUT', path: ev('/targets'), body: () => validSkp, allowed: ['owner'] },
  { method: 'POST', path: ev('/targets/decision'), body: () => ({ decision: 'APPROVE' }), allowed: ['supervisor'] },
  { method: 'PUT', path: ev('/periods/1/report'), body: () => ({ realisations: [{ indicatorId: 'i1', value: 1 }] }), allowed: ['owner'] },
  { method: 'POST', path: ev('/periods/1/review'), body: () => ({ decision: 'RATE', rating: 'SESUAI', feedback: 'baik sekali' }), allowed: ['supervisor'] },
  { method: 'POST', path: ev('/annual-rating'), body: () => ({ hasilKerja: 'SESUAI', perilaku: allSesuai }), allowed: ['supervisor'] },
  { method: 'POST', path: ev('/appeal'), body: () => ({ reasons: 'alasan keberatan yang cukup panjang' }), allowed: ['owner'] },
  { method: 'POST', path: ev('/appeal/request-response'), allowed: ['reviewer'] },
  { method: 'POST', path: ev('/appeal/response'), body: () => ({ response: 'tanggapan atasan' }), allowed: ['supervisor'] },
  { method: 'POST', path: ev('/appeal/decision'), body: () => ({ decision: 'UPHOLD', reasons: 'tetap pada penilaian' }), allowed: ['reviewer'] },
  { method: 'GET', path: adm('/units'), allowed: admin },
  { method: 'POST', path: adm('/units'), body: (c) => ({ code: `U${c.n()}`, name: 'Unit baru uji' }), allowed: admin },
  { method: 'GET', path: adm('/employees'), allowed: admin },
  { method: 'GET', path: (c) => `/admin/regions/${c.regionCode}/employees/${c.employeeId}`, allowed: admin },
  {
    method: 'PATCH',
    path: (c) => `/admin/regions/${c.regionCode}/employees/${c.employeeId}`,
    body: () => ({ position: 'Pranata Komputer Ahli Muda' }),
    allowed: admin,
  },
  { method: 'GET', path: adm('/delegations'), allowed: admin },
  { method: 'GET', path: adm('/rule-sets'), allowed: admin },
  { method: 'POST', path: adm('/rule-sets'), body: (c) => ({ key: `uji-${c.n()}`, name: 'Aturan uji', from: { pack: 'national' } }), allowed: admin },
  { method: 'GET', path: (c) => `/admin/regions/${c.regionCode}/rule-sets/${c.ruleSetId}/versions/${c.versionId}`, allowed: admin },
  { method: 'POST', path: (c) => `/admin/regions/${c.regionCode}/rule-sets/${c.ruleSetId}/versions/${c.versionId}/validate`, allowed: admin },
  { method: 'GET', path: adm('/cycles'), allowed: admin },
  { method: 'GET', path: adm('/audit/verify'), allowed: admin },
];

describe.each(dbKinds())('authorisation matrix (%s)', (kind) => {
  let f: Fixture;
  const tokens = {} as Record<Role, string | undefined>;
  let own: Ctx;
  let other: Ctx;
  beforeAll(async () => {
    f = await setup(kind);
    tokens.adminOwn = await f.login('admin');
    tokens.adminOther = await f.login('admin-lain');
    tokens.owner = await f.login(NIPS.staff1);
    tokens.otherAsn = await f.login(NIPS.staff2);
    tokens.supervisor = await f.login(NIPS.kepalaBidang);
    tokens.reviewer = await f.login(NIPS.kepalaDinas);
    tokens.unauthenticated = undefined;
    let counter = 0;
    const n = () => ++counter;
    own = {
      evaluationId: (await fakeEvaluation(f, 'staff1')).id,
      regionCode: 'demo',
      employeeId: f.seed.employees.staff1,
      ruleSetId: f.seed.ruleSetId,
      versionId: f.seed.ruleSetVersionId,
      n,
    };
    const rs = await f.db.prisma.ruleSet.create({ data: { regionId: f.other.regionId, key: 'lain', name: 'Aturan lain' } });
    const v = await f.db.prisma.ruleSetVersion.create({ data: { ruleSetId: rs.id, regionId: f.other.regionId, version: 1, document: {} } });
    other = { evaluationId: (await fakeEvaluation(f, 'lain')).id, regionCode: 'lain', employeeId: f.other.employeeId, ruleSetId: rs.id, versionId: v.id, n };
  });
  afterAll(() => f?.close());

  const call = async (r: RouteCase, role: Role, c: Ctx) => {
    const res = await f.req(r.method, r.path(c), { token: tokens[role], ...(r.body ? { body: r.body(c) } : {}) });
    return res.status;
  };

  it.each(
    ROUTES.map(
      (r) =>
        [
          `${r.method} ${r.path({ evaluationId: ':id', regionCode: ':region', employeeId: ':emp', ruleSetId: ':rs', versionId: ':v', n: () => 0 })}`,
          r,
        ] as const,
    ),
  )('%s', async (_name, r) => {
    const isMe = r.path(own).startsWith('/me');
    for (const [scope, ctx] of [
      ['own', own],
      ['other', other],
    ] as const) {
      // on the other region's resource the only insider is that region's admin (and nobody for evaluations' steps)
      const allowed = new Set<Role>(
        isMe
          ? r.allowed
          : scope === 'own'
            ? r.allowed
            : r.allowed.includes('adminOwn') || (r.path(ctx) === `/evaluations/${ctx.evaluationId}` && r.method === 'GET')
              ? ['adminOther']
              : [],
      );
      const got: Record<string, number> = {};
      for (const role of ROLES) got[role] = await call(r, role, ctx);
      const allowedGot = ROLES.filter((role) => ![401, 403, 404].includes(got[role]!));
      expect(new Set(allowedGot), `${scope}: ${JSON.stringify(got)}`).toEqual(allowed);
      expect(got.unauthenticated).toBe(401);
      for (const role of ROLES) {
        if (allowed.has(role) || role === 'unauthenticated') continue;
        expect(got[role] === 403 || got[role] === 404, `${role} got ${got[role]}`).toBe(true);
        // another region's resource never answers 403: its existence is not revealed
        if (role === 'adminOther' && scope === 'own') expect(got[role]).toBe(404);
        if (role === 'adminOwn' && scope === 'other') expect(got[role]).toBe(404);
        if (role === 'otherAsn') expect(got[role]).toBe(404);
      }
    }
  });
});
