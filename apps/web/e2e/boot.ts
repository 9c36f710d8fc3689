/**
 * The real system for the browser (tests and the budget benchmark), in this process: a migrated database seeded with
 * the demo region on a short calendar, the real worker (@kinerja/worker) on a task queue of its own, and the real API
 * (@kinerja/api) serving the built web app (apps/web/dist) on a free port, optionally with this year's cycle open.
 * The browser talks to `url` like a user of `npm start` would. Plain Node: the vitest fixture is system.ts.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startApi, type ApiConfig } from '@kinerja/api';
import { DEMO_PASSWORD, DEMO_REGION_CODE, seedDemo, type Db, type SeedDemoResult } from '@kinerja/db';
import { DEMO_CALENDAR, type Calendar } from '@kinerja/domain';
import { demoRuleSet, withCalendar } from '@kinerja/rules';
import { startWorker } from '@kinerja/worker';
import type { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';

export const WEB_ROOT = resolve(import.meta.dirname, '..', 'dist');
const REPO = resolve(import.meta.dirname, '..', '..', '..');
/**
 * Where the browser tests save the main pages: docs/screenshots (committed, shown in the README) when
 * KINERJA_UPDATE_SCREENSHOTS=1, else .data/screenshots, so that a test run leaves the work tree as it was.
 */
export const SCREENSHOTS = process.env.KINERJA_UPDATE_SCREENSHOTS === '1' ? join(REPO, 'docs', 'screenshots') : join(REPO, '.data', 'screenshots');
/** screenshots of failed steps (ignored by git) */
export const FAILURES = join(REPO, '.data', 'e2e-failures');
export const PASSWORD = DEMO_PASSWORD;

/** The demo region's people (packages/db seed): the ASN, their pejabat penilai and the atasan pejabat penilai. */
export const NIP = {
  asn: '199205202019031003',
  asn2: '199508172020122004',
  supervisor: '198003152005012002',
  atasan: '197001011995031001',
} as const;

/**
 * The demo rule set runs twelve 10-second "months" (DEMO_CALENDAR). A browser story reports and reviews every period
 * by hand, so here the year has four 2-second quarters back to back from the SKP's approval: every period has ended by
 * the time the ASN opens it, and the deadlines (minutes) leave the users in the browser all the time they need. The
 * appeal window is long enough to file a keberatan after the rating is seen, short enough to end within the run.
 */
export const E2E_CALENDAR: Calendar = {
  ...DEMO_CALENDAR,
  periodKind: 'QUARTERLY',
  periodLength: '2s',
  targetDeadline: '15m',
  reportDeadline: '15m',
  reportCutoff: '20m',
  reviewDeadline: '15m',
  ratingDeadline: '15m',
  appealWindow: '5m',
  appealDecisionDeadline: '15m',
  reminderBefore: '1m',
};

export interface ApiAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export interface BootedSystem {
  /** the API's origin, serving the web app at / */
  url: string;
  seed: SeedDemoResult;
  /** the open cycle of the demo region (null when booted with openCycle: false) */
  cycleId: string | null;
  /** a JSON request to the API from Node (for setup steps no page offers, and for checks) */
  call<T = Record<string, unknown>>(method: string, path: string, options?: { token?: string; body?: unknown }): Promise<ApiAnswer<T>>;
  /** an access token for `username` (the demo password) */
  login(username: string): Promise<string>;
  /** stops the API and the worker (the database and Temporal belong to the caller) */
  stop(): Promise<void>;
}

export interface BootOptions {
  calendar?: Calendar;
  /** open this year's cycle as the admin, so every demo ASN has an evaluation (default true) */
  openCycle?: boolean;
  config?: Partial<ApiConfig>;
  taskQueue: string;
}

export async function bootSystem(db: Db, temporal: { client: Client; nativeConnection: NativeConnection }, options: BootOptions): Promise<BootedSystem> {
  if (!existsSync(join(WEB_ROOT, 'index.html'))) {
    throw new Error(`${WEB_ROOT}/index.html is missing: build the web app (node scripts/kinerja.mjs setup)`);
  }
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((err: unknown) => console.error('[e2e] stopping:', err));
    stops.length = 0;
  };
  try {
    const seed = await seedDemo(db.prisma, { ruleSetDocument: withCalendar(demoRuleSet, options.calendar ?? E2E_CALENDAR, 'national-e2e') });
    const worker = await startWorker({ prisma: db.prisma, connection: temporal.nativeConnection, taskQueue: options.taskQueue });
    stops.push(() => worker.shutdown());
    const api = await startApi({
      prisma: db.prisma,
      temporal: temporal.client,
      port: 0,
      config: {
        jwtSecret: `e2e-${options.taskQueue}-0123456789abcdef0123456789`,
        taskQueue: options.taskQueue,
        // every browser context signs in from 127.0.0.1: the per-address limit has its own API test
        loginRateBurst: 10_000,
        webRoot: WEB_ROOT,
        ...options.config,
      },
    });
    stops.push(() => api.close());

    const call: BootedSystem['call'] = async (method, path, o = {}) => {
      const res = await fetch(api.url + path, {
        method,
        headers: {
          accept: 'application/json',
          ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
          ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : {}) as never };
    };
    const login = async (username: string) => {
      const r = await call<{ accessToken: string }>('POST', '/auth/login', { body: { username, password: PASSWORD } });
      if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.accessToken;
    };

    let cycleId: string | null = null;
    if (options.openCycle ?? true) {
      const admin = await login('admin');
      const year = new Date().getFullYear();
      const opened = await call<{ cycle: { id: string } }>('POST', `/admin/regions/${DEMO_REGION_CODE}/cycles`, {
        token: admin,
        body: { year, name: `Penilaian Kinerja ${year}`, ruleSetVersionId: seed.ruleSetVersionId },
      });
      if (opened.status !== 201) throw new Error(`opening the cycle: ${opened.status} ${JSON.stringify(opened.body)}`);
      const id = opened.body.cycle.id;
      cycleId = id;
      // the fan-out starts one workflow per employee: wait until every demo ASN's evaluation is projected
      for (const nip of [NIP.asn, NIP.asn2]) {
        const token = await login(nip);
        await until(`the evaluation of ${nip} in the new cycle`, async () => {
          const r = await call<{ items: { cycleId: string }[] }>('GET', '/me/evaluations', { token });
          return r.body.items.some((e) => e.cycleId === id);
        });
      }
    }
    return { url: api.url, seed, cycleId, call, login, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value (workflows and their projections settle asynchronously). */
export async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}
