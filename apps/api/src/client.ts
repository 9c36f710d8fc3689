/**
 * Typed client for scripts and the web app:
 *   const api = createClient('http://localhost:3000', { headers: { authorization: `Bearer ${token}` } });
 *   const res = await api.auth.login.$post({ json: { username, password } });
 *   const { accessToken } = await okBody(res); // the 2xx body, typed; any other answer throws ApiError
 */
import { hc, type ClientResponse } from 'hono/client';
import type { AppType } from './app.js';

export type { AppType } from './app.js';
export type { ClientResponse, InferRequestType, InferResponseType } from 'hono/client';
export const createClient = (baseUrl: string, options?: Parameters<typeof hc>[1]) => hc<AppType>(baseUrl, options);

/** The body type of a typed answer's 2xx statuses. */
export type OkBody<R> = R extends ClientResponse<infer T, infer S, 'json'> ? (S extends 200 | 201 ? T : never) : never;

/** An answer that was not 2xx: its status and its RFC 9457 problem (or the text the server sent). */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly problem: unknown,
    what: string,
  ) {
    super(`${what} → ${status}: ${typeof problem === 'string' ? problem : JSON.stringify(problem)}`);
  }
}

/** The JSON body of a 2xx answer, typed from the route's documented schema; anything else throws ApiError. */
export async function okBody<R extends ClientResponse<unknown, number, string>>(res: R | Promise<R>, what = 'request'): Promise<OkBody<R>> {
  const r = await res;
  if (r.status !== 200 && r.status !== 201) {
    const text = await r.text();
    let problem: unknown = text;
    try {
      problem = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    throw new ApiError(r.status, problem, `${what} ${new URL(r.url).pathname}`);
  }
  return (await r.json()) as OkBody<R>;
}
