import { dbKinds } from '@kinerja/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeEvaluation, json, NIPS, setup, validSkp, type Fixture } from './helpers.js';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  requestId: string;
  errors?: { pointer: string; field: string; code: string; message: string }[];
}

describe.each(dbKinds())('errors are RFC 9457 problems (%s)', (kind) => {
  let f: Fixture;
  let asn: string;
  let evalPath: string;
  beforeAll(async () => {
    f = await setup(kind, { config: { maxBodyBytes: 16 * 1024 } });
    asn = await f.login(NIPS.staff1);
    evalPath = `/evaluations/${(await fakeEvaluation(f, 'staff1')).id}`;
  });
  afterAll(() => f?.close());

  const problemOf = async (res: Response) => {
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const p = await json<Problem>(res);
    expect(p).toMatchObject({
      status: res.status,
      type: expect.stringContaining('/problems/') as string,
      requestId: expect.any(String) as string,
      instance: expect.any(String) as string,
    });
    return p;
  };

  it('malformed JSON → 400 MALFORMED_JSON', async () => {
    const res = await f.req('PUT', `${evalPath}/targets`, { token: asn, raw: '{"rhk": [', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect((await problemOf(res)).code).toBe('MALFORMED_JSON');
  });

  it('wrong types → 422 with JSON pointers into the body (Indonesian by default)', async () => {
    const body = structuredClone(validSkp) as { rhk: { indicators: Record<string, unknown>[] }[] };
    body.rhk[0]!.indicators[1]!.target = 'tiga';
    const res = await f.req('PUT', `${evalPath}/targets`, { token: asn, body });
    expect(res.status).toBe(422);
    const p = await problemOf(res);
    expect(p.code).toBe('VALIDATION_FAILED');
    expect(p.errors).toEqual([
      expect.objectContaining({ pointer: '/rhk/0/indicators/1/target', code: 'invalid_type', message: expect.stringContaining('angka') as string }),
    ]);
    expect(p.detail).toBe('Data yang dikirim tidak valid.');
  });

  it('English with Accept-Language: en', async () => {
    const res = await f.req('PUT', `${evalPath}/targets`, {
      token: asn,
      body: { rhk: [{ title: 'ok judul', indicators: [] }] },
      headers: { 'accept-language': 'en' },
    });
    const p = await problemOf(res);
    expect(p.detail).toBe('The submitted data is invalid.');
    expect(p.errors![0]).toMatchObject({ pointer: '/rhk/0/indicators', code: 'too_small', message: 'must be at least 1 items' });
  });

  it('missing and unknown fields → 422 (schemas are strict)', async () => {
    const res = await f.req('PUT', `${evalPath}/targets`, { token: asn, body: { ...validSkp, extra: 1 } });
    expect(res.status).toBe(422);
    expect((await problemOf(res)).errors).toEqual([expect.objectContaining({ pointer: '/extra', code: 'unrecognized_key' })]);
    const missing = await problemOf(await f.req('POST', `${evalPath}/appeal`, { token: asn, body: {} }));
    expect(missing.errors).toEqual([expect.objectContaining({ pointer: '/reasons', code: 'required' })]);
    const disc = await problemOf(await f.req('POST', `${evalPath}/targets/decision`, { token: asn, body: { decision: 'MAYBE' } }));
    expect(disc.errors![0]).toMatchObject({ pointer: '/decision' });
  });

  it('oversized body → 413, wrong content type → 415', async () => {
    const big = await f.req('PUT', `${evalPath}/targets`, { token: asn, body: { rhk: [{ title: 'x'.repeat(20_000), indicators: [] }] } });
    expect(big.status).toBe(413);
    expect((await problemOf(big)).code).toBe('PAYLOAD_TOO_LARGE');
    const withLength = await f.req('PUT', `${evalPath}/targets`, {
      token: asn,
      raw: '{}',
      headers: { 'content-type': 'application/json', 'content-length': '999999' },
    });
    expect(withLength.status).toBe(413);
    const text = await f.req('PUT', `${evalPath}/targets`, { token: asn, raw: 'rhk=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(text.status).toBe(415);
    expect((await problemOf(text)).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('query and path parameters are validated too', async () => {
    const res = await f.req('GET', '/me/tasks?limit=abc', { token: asn });
    expect(res.status).toBe(422);
    expect((await problemOf(res)).errors![0]).toMatchObject({ pointer: '/limit', in: 'query' });
    const period = await f.req('PUT', `${evalPath}/periods/99/report`, { token: asn, body: { realisations: [{ indicatorId: 'x', value: 1 }] } });
    expect(period.status).toBe(422);
  });

  it('unknown routes → 404 problem; X-Request-Id is echoed', async () => {
    const res = await f.req('GET', '/nope', { headers: { 'x-request-id': 'req-123' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('req-123');
    expect((await problemOf(res)).requestId).toBe('req-123');
  });

  it('every response varies on Accept-Language exactly once: a 200, a problem, a 422', async () => {
    const tokens = (res: Response) =>
      (res.headers.get('vary') ?? '')
        .split(',')
        .map((t) => t.trim().toLowerCase())
        .filter((t) => t === 'accept-language');
    const ok = await f.req('GET', evalPath, { token: asn });
    expect(ok.status).toBe(200);
    expect(tokens(ok)).toEqual(['accept-language']);
    const missing = await f.req('GET', '/nope');
    expect(missing.status).toBe(404);
    expect(tokens(missing)).toEqual(['accept-language']);
    const invalid = await f.req('PUT', `${evalPath}/targets`, { token: asn, body: { rhk: 'x' }, headers: { 'accept-language': 'en' } });
    expect(invalid.status).toBe(422);
    expect(tokens(invalid)).toEqual(['accept-language']);
  });

  it('a Temporal failure of an allowed action is a state problem, never a 500', async () => {
    // the fake evaluation has no workflow: the update cannot run → 409 WRONG_PHASE
    const res = await f.req('PUT', `${evalPath}/targets`, { token: asn, body: validSkp });
    expect(res.status).toBe(409);
    expect((await problemOf(res)).code).toBe('WRONG_PHASE');
  });

  it('serves OpenAPI 3.1 and the Scalar reference; health reports dependencies', async () => {
    const doc = await json<{ openapi: string; paths: Record<string, unknown>; components: { securitySchemes: Record<string, unknown> } }>(
      await f.req('GET', '/openapi.json'),
    );
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/auth/login', '/evaluations/{id}/targets', '/admin/regions/{regionCode}/cycles', '/me/tasks']),
    );
    expect(doc.components.securitySchemes.bearerAuth).toBeTruthy();
    const docs = await f.req('GET', '/docs');
    expect(docs.status).toBe(200);
    const html = await docs.text();
    expect(html).toContain('/openapi.json');
    // the reference page works offline: its script comes from this server, not a CDN
    expect(html).toContain('src="/docs/scalar.js"');
    expect(html).not.toMatch(/src="https?:/);
    const script = await f.req('GET', '/docs/scalar.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('javascript');
    const health = await f.req('GET', '/health');
    expect(health.status).toBe(200);
    expect(await json(health)).toEqual({ status: 'ok', database: 'up', temporal: 'up' });
  });
});
