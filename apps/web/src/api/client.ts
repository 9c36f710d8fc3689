import { createClient } from '@kinerja/api/client';
import type { ClientResponse } from 'hono/client';
import type { ResponseFormat } from 'hono/types';
import { getLang } from '../i18n';
import { ApiProblem, NetworkError, problemFrom } from './problem';
import { currentAccessToken, endSession, refreshToken, storeTokens } from './session';

/**
 * The one way the app talks to the API: the typed client, with a fetch that adds the access token and the
 * language, renews the access token with the refresh token (once, shared by concurrent requests), and ends the
 * session when the API no longer accepts it.
 */
const origin = typeof window === 'undefined' ? 'http://localhost:3000' : window.location.origin;

let refreshing: Promise<boolean> | null = null;

/**
 * The refresh route's answers that refuse the token itself (unknown, used, revoked, expired: 401; a stored value the
 * API cannot read: 400/422). Anything else (5xx, 429, a proxy's page) says nothing about the token, so the session goes on.
 */
const REFUSED = new Set([400, 401, 422]);

/**
 * Rotate the refresh token; false when the session is over (revoked, expired, reused), the problem thrown when the
 * renewal failed for another reason (the query's retry and the page's error display handle it). Tabs share the stored token,
 * and the API treats a rotated token used again as theft (it ends every session): a lock held across tabs makes
 * them rotate one after the other, each reading the token the previous one stored.
 */
function renew(): Promise<boolean> {
  refreshing ??= acrossTabs(async () => {
    const token = refreshToken();
    if (!token) return false;
    const res = await plain.auth.refresh.$post({ json: { refreshToken: token } });
    if (REFUSED.has(res.status)) return false;
    if (!res.ok) throw await problemFrom(res);
    storeTokens(await res.json());
    return true;
  }).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

function acrossTabs<T>(f: () => Promise<T>): Promise<T> {
  if (typeof navigator === 'undefined' || !('locks' in navigator)) return f();
  // the lock is released when the callback's promise settles
  return new Promise<T>((resolve, reject) => {
    navigator.locks.request('kinerja.refresh', () => f().then(resolve, reject)).catch(reject);
  });
}

async function send(input: RequestInfo | URL, init: RequestInit | undefined, token: string | null): Promise<Response> {
  const headers = new Headers(init?.headers);
  headers.set('accept-language', getLang());
  if (token) headers.set('authorization', `Bearer ${token}`);
  try {
    return await fetch(input, { ...init, headers });
  } catch (err) {
    throw new NetworkError(err);
  }
}

const authFetch: typeof fetch = async (input, init) => {
  let token = currentAccessToken();
  if (!token && refreshToken()) {
    if (!(await renew())) {
      endSession('expired');
      throw new ApiProblem({ status: 401, code: 'TOKEN_EXPIRED' });
    }
    token = currentAccessToken();
  }
  // a body stream can be read once: requests here carry JSON strings or FormData, both resendable
  const res = await send(input, init, token);
  if (res.status !== 401) return res;
  // no refresh token left: another tab signed out or changed the password, so this tab's session is over too
  if (!refreshToken() || !(await renew())) {
    endSession('expired');
    return res;
  }
  return send(input, init, currentAccessToken());
};

const plainFetch: typeof fetch = (input, init) => send(input, init, null);

/** For signed-in requests. */
export const api = createClient(origin, { fetch: authFetch });
/** For sign-in and token rotation (no access token). */
export const plain = createClient(origin, { fetch: plainFetch });

type Success = 200 | 201;
/** The success bodies of a client response union (one member per documented status). */
export type OkBody<R> = R extends ClientResponse<infer T, infer S, infer _F> ? (S extends Success ? T : never) : never;

/** The body of a successful JSON answer, or the problem thrown. */
export async function ok<R extends ClientResponse<unknown, number, ResponseFormat>>(call: Promise<R>): Promise<OkBody<R>> {
  const res = await call;
  if (!res.ok) throw await problemFrom(res);
  return (await res.json()) as OkBody<R>;
}

/** A successful answer without a body (204), or the problem thrown. */
export async function done(call: Promise<ClientResponse<unknown, number, ResponseFormat>>): Promise<void> {
  const res = await call;
  if (!res.ok) throw await problemFrom(res);
}
