import { dbKinds } from '@kinerja/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../src/index.js';
import { checkContract } from './contract.js';
import { clientAddress, TokenBuckets, UNKNOWN_CLIENT } from '../src/ratelimit.js';
import { publicSurveyConfig } from '../src/env.js';
import { cleanComment } from '../src/routes/public.js';
import { json, NIPS, setup, type Fixture } from './helpers.js';

interface Problem {
  code: string;
  status: number;
  errors?: { pointer: string; code: string; message: string; in?: string }[];
}

const SURVEYS = '/public/regions/demo/surveys';
const JWT = 'test-secret-0123456789-abcdefghijklmnop';

describe('public survey helpers', () => {
  it('token bucket: burst, refill by the clock, Retry-After seconds, bounded memory', () => {
    const b = new TokenBuckets(2, 6); // 6 a minute = one every 10 s
    expect(b.take('a', 0)).toBe(0);
    expect(b.take('a', 0)).toBe(0);
    expect(b.take('a', 0)).toBe(10);
    expect(b.take('a', 4_000)).toBe(6);
    expect(b.take('a', 10_000)).toBe(0);
    expect(b.take('b', 10_000)).toBe(0); // clients are independent
    b.drain('b', 10_000);
    expect(b.take('b', 10_000)).toBeGreaterThan(0);
    const small = new TokenBuckets(1, 60, 3);
    for (let i = 0; i < 10; i++) small.take(`k${i}`, i);
    expect(small.size).toBeLessThanOrEqual(3);
  });

  it('comments: control and bidi characters stripped, CRLF normalised, blank → null', () => {
    expect(cleanComment('Pelayanan\u0000 cepat\r\nterima kasih\u202E\u0007\t!')).toBe('Pelayanan cepat\nterima kasih !');
    expect(cleanComment(' \u0001 ')).toBeNull();
    expect(cleanComment(undefined)).toBeNull();
  });

  it('config: TRUSTED_PROXY and bucket sizes from the environment', () => {
    expect(publicSurveyConfig({}).trustedProxies).toBe(0);
    expect(publicSurveyConfig({ TRUSTED_PROXY: 'true' }).trustedProxies).toBe(1);
    expect(publicSurveyConfig({ TRUSTED_PROXY: '2', SURVEY_RATE_BURST: '9' })).toMatchObject({ trustedProxies: 2, submitBurst: 9 });
    expect(publicSurveyConfig({ SURVEY_RATE_BURST: '-1' }).submitBurst).toBe(5);
  });

  it('client address: X-Forwarded-For only behind trusted proxies (rightmost hops), else the socket, else a shared key', () => {
    const ctx = (xff: string | undefined, socket?: string) =>
      ({
        req: { header: (n: string) => (n === 'x-forwarded-for' ? xff : undefined) },
        env: socket ? { incoming: { socket: { remoteAddress: socket } } } : undefined,
      }) as never;
    expect(clientAddress(ctx('1.1.1.1', '10.0.0.9'), 0)).toBe('10.0.0.9');
    expect(clientAddress(ctx('6.6.6.6, 1.1.1.1', '10.0.0.9'), 1)).toBe('1.1.1.1');
    expect(clientAddress(ctx('6.6.6.6, 1.1.1.1, 10.0.0.2', '10.0.0.9'), 2)).toBe('1.1.1.1');
    expect(clientAddress(ctx(undefined, '10.0.0.9'), 1)).toBe('10.0.0.9');
    expect(clientAddress(ctx('1.1.1.1'), 0)).toBe(UNKNOWN_CLIENT);
  });
});

describe.each(dbKinds())('public surveys (%s)', (kind) => {
  let f: Fixture;
  let clock = Date.now();
  let nextIp = 1;
  const ip = () => `198.51.100.${nextIp++}`;

  beforeAll(async () => {
    // a small bucket for the test: 3 submissions at once, one more a minute
    vi.stubEnv('SURVEY_RATE_BURST', '3');
    vi.stubEnv('SURVEY_RATE_PER_MINUTE', '1');
    vi.stubEnv('SURVEY_DUPLICATE_MINUTES', '10');
    vi.stubEnv('TRUSTED_PROXY', '');
    f = await setup(kind, { now: () => new Date(clock) });
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await f?.close();
  });

  /** A request from a given socket address, as @hono/node-server would hand it over. */
  const send = (app: Fixture['app'], method: string, path: string, from: string, body?: unknown, headers: Record<string, string> = {}) =>
    Promise.resolve(
      app.request(
        path,
        {
          method,
          headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        },
        { incoming: { socket: { remoteAddress: from } } },
      ),
    );
  const post = (from: string, body: unknown, headers?: Record<string, string>) => send(f.app, 'POST', SURVEYS, from, body, headers);
  const count = () => f.db.prisma.surveyResponse.count();

  it('accepts a response without signing in (unit, employee, service targets) and answers only the id', async () => {
    const from = ip();
    const res = await post(from, { score: 4, unitCode: 'DISDUKCAPIL', comment: 'Cepat\u200B dan ramah\u202E' });
    expect(res.status, await res.clone().text()).toBe(201);
    const body = await json<{ id: string }>(res);
    expect(Object.keys(body)).toEqual(['id']);
    const row = await f.db.prisma.surveyResponse.findUniqueOrThrow({ where: { id: body.id } });
    expect(row).toMatchObject({ regionId: f.seed.regionId, unitId: f.seed.units.dinas, employeeId: null, score: 4, comment: 'Cepat dan ramah' });
    // the address is kept only as a salted hash
    expect(row.clientHash).toMatch(/^[\w-]{43}$/);
    expect(row.clientHash).not.toContain(from);

    expect((await post(ip(), { score: 5, employeeNip: NIPS.staff1 })).status).toBe(201);
    expect((await post(ip(), { score: 2, service: 'Akta kelahiran', unitCode: 'DISDUKCAPIL-PDP', employeeNip: NIPS.staff1 })).status).toBe(201);
    // a bearer header is irrelevant here (the route is outside the auth middleware)
    expect((await post(ip(), { score: 3, service: 'KTP-el' }, { authorization: 'Bearer not-a-token' })).status).toBe(201);
  });

  it('validation errors with JSON pointers; nothing stored', async () => {
    const before = await count();
    const bad = await json<Problem>(await post(ip(), { score: 6, comment: 'x'.repeat(1001), unitCode: 'DISDUKCAPIL', extra: 1 }));
    expect(bad.code).toBe('VALIDATION_FAILED');
    expect(bad.errors!.map((e) => `${e.pointer}:${e.code}`)).toEqual(expect.arrayContaining(['/score:too_big', '/comment:too_big', '/extra:unrecognized_key']));
    expect((await json<Problem>(await post(ip(), { score: 2.5, unitCode: 'DISDUKCAPIL' }))).errors![0]).toMatchObject({ pointer: '/score' });
    expect((await json<Problem>(await post(ip(), { unitCode: 'DISDUKCAPIL' }))).errors![0]).toMatchObject({ pointer: '/score', code: 'required' });
    const noTarget = await post(ip(), { score: 3 });
    expect(noTarget.status).toBe(422);
    expect((await json<Problem>(noTarget)).errors![0]).toMatchObject({ code: 'target_required' });
    expect((await post(ip(), { score: 3, employeeNip: '12345' })).status).toBe(422);
    // control characters are refused like everywhere else (bidi and zero-width ones are stripped)
    expect((await json<Problem>(await post(ip(), { score: 3, unitCode: 'DISDUKCAPIL', comment: 'Cepat\u0000' }))).errors![0]).toMatchObject({
      pointer: '/comment',
      code: 'invalid_characters',
    });
    const text = await f.app.request(
      SURVEYS,
      { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'score=5' },
      { incoming: { socket: { remoteAddress: ip() } } },
    );
    expect(text.status).toBe(415);
    expect(await count()).toBe(before);
  });

  it('unknown region, unit or employee (or one of another region) → bare 404', async () => {
    const before = await count();
    const cases: [string, unknown][] = [
      ['/public/regions/nowhere/surveys', { score: 4, service: 'KTP-el' }],
      [SURVEYS, { score: 4, unitCode: 'NOPE' }],
      [SURVEYS, { score: 4, employeeNip: '199909092020121009' }],
      [SURVEYS, { score: 4, employeeNip: NIPS.lainStaff }], // exists, but in region "lain"
      ['/public/regions/lain/surveys', { score: 4, unitCode: 'DISDUKCAPIL' }], // a demo unit through region "lain"
      [SURVEYS, { score: 4, unitCode: 'DISDUKCAPIL', employeeNip: NIPS.staff1 }], // staff1 works in DISDUKCAPIL-PDP
    ];
    for (const [path, body] of cases) {
      const res = await send(f.app, 'POST', path, ip(), body);
      expect(res.status, path + JSON.stringify(body)).toBe(404);
      const p = await json<Record<string, unknown>>(res);
      expect(Object.keys(p).sort()).toEqual(['code', 'detail', 'instance', 'requestId', 'status', 'title', 'type']);
    }
    expect(await count()).toBe(before);
  });

  it('honeypot: a filled `website` is refused, nothing stored, and the client is throttled', async () => {
    const before = await count();
    const from = ip();
    const res = await post(from, { score: 5, service: 'KTP-el', website: 'http://spam.example' });
    expect(res.status).toBe(422);
    expect((await json<Problem>(res)).errors).toEqual([expect.objectContaining({ pointer: '/website', code: 'must_be_empty' })]);
    expect(await count()).toBe(before);
    expect((await post(from, { score: 5, service: 'KTP-el' })).status).toBe(429);
    expect((await post(ip(), { score: 5, service: 'KTP-el', website: '' })).status).toBe(201);
  });

  it('rate limit: 429 RATE_LIMITED with Retry-After past the burst, per client, refilled over time', async () => {
    const from = ip();
    for (const service of ['Layanan A', 'Layanan B', 'Layanan C']) expect((await post(from, { score: 4, service })).status).toBe(201);
    const limited = await post(from, { score: 4, service: 'Layanan D' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    expect((await json<Problem>(limited)).code).toBe('RATE_LIMITED');
    const retry = Number(limited.headers.get('retry-after'));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    // invalid requests cost a token too
    expect((await post(from, { score: 99 })).status).toBe(429);
    // another client is not affected
    expect((await post(ip(), { score: 4, service: 'Layanan D' })).status).toBe(201);
    // X-Forwarded-For is ignored without TRUSTED_PROXY: a forged header does not make a new client
    expect((await post(from, { score: 4, service: 'Layanan D' }, { 'x-forwarded-for': '203.0.113.77' })).status).toBe(429);
    clock += retry * 1000;
    expect((await post(from, { score: 4, service: 'Layanan D' })).status).toBe(201);
    expect((await post(from, { score: 4, service: 'Layanan E' })).status).toBe(429);
  });

  it('duplicate: same client and target within the window → 409; other target or after the window → 201; racing copies land once', async () => {
    const from = ip();
    const body = { score: 3, unitCode: 'DISDUKCAPIL-PDP', service: 'Pindah datang' };
    expect((await post(from, body)).status).toBe(201);
    const dup = await post(from, { ...body, score: 1, comment: 'lagi' });
    expect(dup.status).toBe(409);
    expect((await json<Problem>(dup)).code).toBe('CONFLICT');
    expect((await post(from, { ...body, service: 'Akta kematian' })).status).toBe(201);
    clock += 11 * 60_000;
    expect((await post(from, body)).status).toBe(201);

    const racer = ip();
    const race = await Promise.all([post(racer, { score: 5, service: 'Paralel' }), post(racer, { score: 5, service: 'Paralel' })]);
    expect(race.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await f.db.prisma.surveyResponse.count({ where: { service: 'Paralel' } })).toBe(1);
  });

  it('TRUSTED_PROXY: the rightmost X-Forwarded-For hop identifies the client, the forged left part does not', async () => {
    vi.stubEnv('TRUSTED_PROXY', '1');
    const behindProxy = checkContract(createApp({ prisma: f.db.prisma, temporal: f.env.client, config: { jwtSecret: JWT }, now: () => new Date(clock) }));
    vi.stubEnv('TRUSTED_PROXY', '');
    const proxy = '10.9.9.9';
    const body = { score: 4, service: 'Lewat proxy' };
    expect((await send(behindProxy, 'POST', SURVEYS, proxy, body, { 'x-forwarded-for': '203.0.113.1' })).status).toBe(201);
    expect((await send(behindProxy, 'POST', SURVEYS, proxy, body, { 'x-forwarded-for': '203.0.113.2' })).status).toBe(201);
    // same real client with a forged first hop: still a duplicate
    expect((await send(behindProxy, 'POST', SURVEYS, proxy, body, { 'x-forwarded-for': '6.6.6.6, 203.0.113.2' })).status).toBe(409);
  });

  it('summary: aggregate only (mean, count), per region or unit; unknown unit/region 404', async () => {
    const agg = await f.db.prisma.surveyResponse.aggregate({ where: { regionId: f.seed.regionId }, _avg: { score: true }, _count: { _all: true } });
    const res = await send(f.app, 'GET', `${SURVEYS}/summary`, ip());
    expect(res.status).toBe(200);
    const s = await json<{ mean: number; count: number }>(res);
    expect(Object.keys(s).sort()).toEqual(['count', 'mean']);
    expect(s.count).toBe(agg._count._all);
    expect(s.mean).toBeCloseTo(agg._avg.score!, 2);
    const unit = await json<{ mean: number; count: number }>(await send(f.app, 'GET', `${SURVEYS}/summary?unitCode=DISDUKCAPIL`, ip()));
    expect(unit).toEqual({ mean: 4, count: 1 });
    expect(await json(await send(f.app, 'GET', '/public/regions/lain/surveys/summary', ip()))).toEqual({ mean: null, count: 0 });
    expect((await send(f.app, 'GET', `${SURVEYS}/summary?unitCode=NOPE`, ip())).status).toBe(404);
    expect((await send(f.app, 'GET', '/public/regions/nowhere/surveys/summary', ip())).status).toBe(404);
    expect((await send(f.app, 'GET', `${SURVEYS}/summary?employeeNip=${NIPS.staff1}`, ip())).status).toBe(422);
  });

  it('admin listing: paginated, filtered, no client hash; other region, ASN → 404; no token → 401', async () => {
    const admin = await f.login('admin');
    const res = await f.req('GET', '/admin/regions/demo/surveys?limit=2', { token: admin });
    expect(res.status, await res.clone().text()).toBe(200);
    const page = await json<{ items: Record<string, unknown>[]; total: number; summary: { count: number } }>(res);
    expect(page.items).toHaveLength(2);
    expect(page.total).toBe(await f.db.prisma.surveyResponse.count({ where: { regionId: f.seed.regionId } }));
    expect(page.items.every((i) => !('clientHash' in i))).toBe(true);
    const byEmp = await json<{ items: { employee: { nip: string } }[]; total: number }>(
      await f.req('GET', `/admin/regions/demo/surveys?employeeNip=${NIPS.staff1}`, { token: admin }),
    );
    expect(byEmp.total).toBe(2);
    expect(byEmp.items.every((i) => i.employee.nip === NIPS.staff1)).toBe(true);
    const byUnit = await json<{ items: { score: number; comment: string; unit: { code: string } }[] }>(
      await f.req('GET', '/admin/regions/demo/surveys?unitCode=DISDUKCAPIL', { token: admin }),
    );
    expect(byUnit.items).toHaveLength(1);
    expect(byUnit.items[0]).toMatchObject({ score: 4, comment: 'Cepat dan ramah', unit: { code: 'DISDUKCAPIL' } });
    expect((await f.req('GET', '/admin/regions/lain/surveys', { token: admin })).status).toBe(404);
    expect((await f.req('GET', '/admin/regions/demo/surveys', { token: await f.login('admin-lain') })).status).toBe(404);
    expect((await f.req('GET', '/admin/regions/demo/surveys', { token: await f.login(NIPS.staff1) })).status).toBe(404);
    expect((await f.req('GET', '/admin/regions/demo/surveys')).status).toBe(401);
  });
});
