import type { OkBody, plain } from './client';

/**
 * The session: the access token lives in memory only (a script injected later cannot read it from storage); the
 * refresh token is kept in localStorage so a reload or a new tab stays signed in.
 */
const REFRESH_KEY = 'kinerja.refresh';

export type EndReason = 'expired' | 'signed-out' | 'everywhere' | 'password';

let accessToken: string | null = null;
let accessExpiresAt = 0;
const endListeners = new Set<(reason: EndReason) => void>();

/** What the session keeps of a token pair (the answer of sign-in, token rotation and a password change). */
export type Tokens = Pick<OkBody<Awaited<ReturnType<typeof plain.auth.refresh.$post>>>, 'accessToken' | 'expiresIn' | 'refreshToken'>;

/**
 * Seconds before expiry at which a token counts as spent, so it is renewed before the API would refuse it. A quarter of
 * the lifetime at most: a fixed margin at least as long as a short lifetime would spend the token on arrival.
 */
export const renewalMargin = (lifetimeSeconds: number) => Math.max(0, Math.min(15, lifetimeSeconds / 4));

export function storeTokens(t: Tokens, now = Date.now()) {
  accessToken = t.accessToken;
  accessExpiresAt = now + (t.expiresIn - renewalMargin(t.expiresIn)) * 1000;
  try {
    localStorage.setItem(REFRESH_KEY, t.refreshToken);
  } catch {
    // without storage the session lasts for this page
    memoryRefresh = t.refreshToken;
  }
}

let memoryRefresh: string | null = null;

export function refreshToken(): string | null {
  try {
    return localStorage.getItem(REFRESH_KEY) ?? memoryRefresh;
  } catch {
    return memoryRefresh;
  }
}

export const currentAccessToken = (now = Date.now()) => (accessToken && now < accessExpiresAt ? accessToken : null);
/** A session that can still make a request: a live access token, or a refresh token to get one. */
export const hasSession = (now = Date.now()) => refreshToken() !== null || currentAccessToken(now) !== null;

/** Forget the tokens; listeners (the router) take the user to the sign-in page with the reason. */
export function endSession(reason: EndReason) {
  accessToken = null;
  accessExpiresAt = 0;
  memoryRefresh = null;
  try {
    localStorage.removeItem(REFRESH_KEY);
  } catch {
    // nothing stored
  }
  for (const l of endListeners) l(reason);
}

export function onSessionEnd(listener: (reason: EndReason) => void): () => void {
  endListeners.add(listener);
  return () => void endListeners.delete(listener);
}
