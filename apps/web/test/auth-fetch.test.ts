import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, ok } from '../src/api/client';
import { ApiProblem } from '../src/api/problem';
import { endSession, hasSession, onSessionEnd, refreshToken, storeTokens, type EndReason } from '../src/api/session';

/**
 * The signed-in fetch against a fake API: what renewing the access token does to the session when the refresh route
 * refuses the token, when it fails for another reason, and when another tab has already removed the refresh token.
 */
const REFRESH_KEY = 'kinerja.refresh';
const HOUR = 3_600_000;

/** localStorage as every tab of the origin shares it (another tab's sign-out is a removeItem here). */
class SharedStorage {
  private readonly items = new Map<string, string>();
  getItem = (k: string) => this.items.get(k) ?? null;
  setItem = (k: string, v: string) => void this.items.set(k, v);
  removeItem = (k: string) => void this.items.delete(k);
}

const problem = (status: number, code: string) =>
  new Response(JSON.stringify({ type: 'about:blank', title: code, status, detail: code, instance: '/', code, requestId: 'r-1' }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });
const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
const pair = (n: number) => ({
  tokenType: 'Bearer',
  accessToken: `access-${n}`,
  expiresIn: 900,
  refreshToken: `refresh-token-${n}`,
  refreshExpiresAt: '2099-01-01T00:00:00.000Z',
});

let storage: SharedStorage;
let ended: EndReason[];
let stopListening: () => void;
/** the fake API: how the refresh route and /me answer, and the requests made */
let refreshAnswer: () => Response;
let meAnswer: (authorization: string | null) => Response;
let calls: string[];

beforeEach(() => {
  storage = new SharedStorage();
  vi.stubGlobal('localStorage', storage);
  ended = [];
  stopListening = onSessionEnd((r) => ended.push(r));
  calls = [];
  refreshAnswer = () => json(pair(2));
  meAnswer = (authorization) => (authorization === 'Bearer access-2' ? json({ id: 'u-1' }) : problem(401, 'UNAUTHENTICATED'));
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    const path = new URL(req.url).pathname;
    calls.push(path);
    if (path.endsWith('/auth/refresh')) return Promise.resolve(refreshAnswer());
    if (path.endsWith('/me')) return Promise.resolve(meAnswer(req.headers.get('authorization')));
    return Promise.resolve(new Response('not found', { status: 404 }));
  });
});

afterEach(() => {
  stopListening();
  endSession('signed-out');
  vi.unstubAllGlobals();
});

/** signed in with tokens whose access token has already run out */
const signedInExpired = () => storeTokens(pair(1), Date.now() - HOUR);
const me = () => ok(api.me.$get());

describe('a renewal the API answers with something other than a refusal', () => {
  it.each([
    ['a 503', () => problem(503, 'UNAVAILABLE')],
    ['a 500', () => problem(500, 'INTERNAL')],
    ['a 429', () => problem(429, 'RATE_LIMITED')],
    ['a proxy page', () => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway', headers: { 'content-type': 'text/html' } })],
  ])('throws %s as the problem and keeps the session', async (_, answer) => {
    signedInExpired();
    refreshAnswer = answer;
    const status = answer().status;
    const err = await me().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiProblem);
    expect((err as ApiProblem).status).toBe(status);
    expect(ended).toEqual([]);
    expect(refreshToken()).toBe('refresh-token-1');
    expect(hasSession()).toBe(true);
    expect(calls).toEqual(['/auth/refresh']);
  });

  it('lets the next attempt renew and answer', async () => {
    signedInExpired();
    refreshAnswer = () => problem(503, 'UNAVAILABLE');
    await expect(me()).rejects.toBeInstanceOf(ApiProblem);
    refreshAnswer = () => json(pair(2));
    await expect(me()).resolves.toEqual({ id: 'u-1' });
    expect(refreshToken()).toBe('refresh-token-2');
    expect(ended).toEqual([]);
  });
});

describe('a renewal the API refuses', () => {
  it.each([
    [401, 'UNAUTHENTICATED'],
    [401, 'TOKEN_EXPIRED'],
    [400, 'MALFORMED'],
    [422, 'VALIDATION_FAILED'],
  ])('ends the session on a %i %s', async (status, code) => {
    signedInExpired();
    refreshAnswer = () => problem(status, code);
    await expect(me()).rejects.toMatchObject({ status: 401, code: 'TOKEN_EXPIRED' });
    expect(ended).toEqual(['expired']);
    expect(refreshToken()).toBeNull();
    expect(hasSession()).toBe(false);
  });

  it('ends the session when the access token is refused and so is its renewal', async () => {
    storeTokens(pair(1));
    refreshAnswer = () => problem(401, 'UNAUTHENTICATED');
    await expect(me()).rejects.toMatchObject({ status: 401 });
    expect(calls).toEqual(['/me', '/auth/refresh']);
    expect(ended).toEqual(['expired']);
    expect(hasSession()).toBe(false);
  });
});

describe('a 401 after another tab removed the refresh token', () => {
  it('ends this tab’s session without trying to renew', async () => {
    storeTokens(pair(1));
    // another tab signed out (or changed the password): the shared refresh token is gone
    storage.removeItem(REFRESH_KEY);
    await expect(me()).rejects.toMatchObject({ status: 401 });
    expect(calls).toEqual(['/me']);
    expect(ended).toEqual(['expired']);
    expect(hasSession()).toBe(false);
  });

  it('renews and retries while the refresh token is still there', async () => {
    storeTokens(pair(1));
    await expect(me()).resolves.toEqual({ id: 'u-1' });
    expect(calls).toEqual(['/me', '/auth/refresh', '/me']);
    expect(ended).toEqual([]);
  });
});

describe('hasSession', () => {
  it('is false once the access token in memory has run out and no refresh token is left', () => {
    signedInExpired();
    expect(hasSession()).toBe(true);
    storage.removeItem(REFRESH_KEY);
    expect(hasSession()).toBe(false);
  });

  it('is true while the access token lasts, even without a refresh token', () => {
    storeTokens(pair(1));
    storage.removeItem(REFRESH_KEY);
    expect(hasSession()).toBe(true);
  });
});
