/**
 * Typed client for scripts and the web app:
 *   const api = createClient('http://localhost:3000', { headers: { authorization: `Bearer ${token}` } });
 *   const res = await api.auth.login.$post({ json: { username, password } });
 */
import { hc } from 'hono/client';
import type { AppType } from './app.js';

export type { AppType } from './app.js';
export const createClient = (baseUrl: string, options?: Parameters<typeof hc>[1]) => hc<AppType>(baseUrl, options);
