/**
 * The web app's budget, measured on the built app (apps/web/dist) served by the real system (e2e/boot.ts: in-memory
 * PGlite, a Temporal dev server spawned here, the real worker and API) in Chromium:
 *
 *  - web.initial-js: the JavaScript a first visit loads before anything renders (index.html's entry script and its
 *    modulepreloads), gzip level 9, against 200 KB;
 *  - web.page-requests: per page, the API requests a full load of the page makes for its data (the session renewal
 *    /auth/refresh, which every reload of a signed-in tab makes, is named apart), against 2;
 *  - web.sign-in-to-inbox: from the sign-in form's submit event to the inbox's heading in the document, measured in
 *    the page (performance.now), each run in a fresh browser context (nothing cached), BENCH_SIGNINS runs (default 5).
 *
 * One JSON object per line on stdout; progress on stderr. A benchmark reports; it asserts nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { gzipSync } from 'node:zlib';
import { migrateDb, openDb } from '@kinerja/db';
import { launchBrowser, type Page } from '@kinerja/testing/browser';
import { startTemporalDevServer } from '@kinerja/testing/services';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { bootSystem, NIP, PASSWORD, until, WEB_ROOT } from '../e2e/boot.js';

const BUDGET_INITIAL_JS = 200 * 1024;
const BUDGET_REQUESTS = 2;
const SIGNINS = Number(process.env.BENCH_SIGNINS ?? 5);
const TIMEOUT_S = Number(process.env.BENCH_TIMEOUT_SECONDS ?? 600);

const log = (m: string) => process.stderr.write(`[web budget.bench] ${m}\n`);
// stdout carries the results only: what the in-process worker and API log goes to stderr
console.log = console.info = (...args: unknown[]) => process.stderr.write(`${format(...args)}\n`);
const emit = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);
const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;
const hardTimeout = setTimeout(() => {
  log(`hard timeout after ${TIMEOUT_S} s`);
  process.exit(2);
}, TIMEOUT_S * 1000);
hardTimeout.unref();

// ------------------------------------------------------------------------------------------------ initial JavaScript

function initialJs(): void {
  const html = readFileSync(join(WEB_ROOT, 'index.html'), 'utf8');
  const entries = [...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)].map((m) => m[1]!);
  const preloads = [...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]!);
  const files = [...new Set([...entries, ...preloads])];
  let raw = 0;
  let gzip = 0;
  for (const f of files) {
    const bytes = readFileSync(join(WEB_ROOT, f.replace(/^\//, '')));
    raw += bytes.byteLength;
    gzip += gzipSync(bytes, { level: 9 }).byteLength;
  }
  emit({
    bench: 'web.initial-js',
    files: files.length,
    rawBytes: raw,
    gzipBytes: gzip,
    budgetBytes: BUDGET_INITIAL_JS,
    withinBudget: gzip <= BUDGET_INITIAL_JS,
  });
}

// ------------------------------------------------------------------------------------------------ in the browser

async function signIn(page: Page, nip: string): Promise<void> {
  await page.goto('/sign-in');
  await page.locator('input[name=username]').fill(nip);
  await page.locator('input[name=password]').fill(PASSWORD);
}

/** ms from the sign-in form's submit to an h1 other than the sign-in page's, measured in the page */
async function timeToInbox(page: Page, nip: string): Promise<number> {
  await signIn(page, nip);
  const signInTitle = (await page.locator('h1').first().textContent()) ?? '';
  // a script, not a function: the bench runs through tsx, whose helper names would not exist in the page
  const measured = page.evaluate<number>(`new Promise((resolve) => {
    let t0 = 0;
    document.addEventListener('submit', () => { t0 = performance.now(); }, { capture: true, once: true });
    const observer = new MutationObserver(() => {
      const h = document.querySelector('main h1');
      if (t0 && h && h.textContent !== ${JSON.stringify(signInTitle)}) {
        observer.disconnect();
        resolve(performance.now() - t0);
      }
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  })`);
  measured.catch(() => undefined);
  await page.locator('form button[type=submit]').click();
  const ms = await measured;
  await page.waitForURL(/\/inbox$/);
  return ms;
}

const API_PREFIXES = ['/auth/', '/me', '/evaluations/', '/admin/', '/public/'];

async function pageRequests(page: Page, name: string, path: string): Promise<void> {
  const seen: string[] = [];
  const onRequest = (r: { url(): string; resourceType(): string }) => {
    const u = new URL(r.url());
    if ((r.resourceType() === 'fetch' || r.resourceType() === 'xhr') && API_PREFIXES.some((p) => u.pathname.startsWith(p))) seen.push(u.pathname);
  };
  page.on('request', onRequest);
  await page.goto(path, { waitUntil: 'networkidle' });
  page.off('request', onRequest);
  const renewal = seen.filter((p) => p === '/auth/refresh').length;
  const data = seen.filter((p) => p !== '/auth/refresh');
  emit({
    bench: 'web.page-requests',
    page: name,
    requests: data.length,
    paths: data,
    sessionRenewals: renewal,
    budget: BUDGET_REQUESTS,
    withinBudget: data.length <= BUDGET_REQUESTS,
  });
}

// ------------------------------------------------------------------------------------------------ main

async function main(): Promise<void> {
  initialJs();

  Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { filter: { core: 'WARN', other: 'WARN' }, forward: {} } } });
  log('starting a Temporal dev server, PGlite and the system');
  const temporal = await startTemporalDevServer();
  const db = await openDb({ dataDir: 'memory://' });
  await migrateDb(db);
  const nativeConnection = await NativeConnection.connect({ address: temporal.address });
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, namespace: temporal.namespace });
  const sys = await bootSystem(db, { client, nativeConnection }, { taskQueue: `web-bench-${process.pid}` });
  const browser = await launchBrowser();
  try {
    // a year with something on every page: the SKP approved, the first quarter reported
    const asnToken = await sys.login(NIP.asn);
    const supToken = await sys.login(NIP.supervisor);
    const evaluations = await sys.call<{ items: { id: string }[] }>('GET', '/me/evaluations', { token: asnToken });
    const id = evaluations.body.items[0]!.id;
    await sys.call('PUT', `/evaluations/${id}/targets`, {
      token: asnToken,
      body: {
        rhk: [{ title: 'Pelayanan administrasi kependudukan', indicators: [{ name: 'Dokumen diterbitkan', kind: 'QUANTITY', target: 1200, unit: 'dokumen' }] }],
      },
    });
    await until(
      'the SKP decision',
      async () => (await sys.call('POST', `/evaluations/${id}/targets/decision`, { token: supToken, body: { decision: 'APPROVE' } })).status === 200,
    );
    const indicator = await until('the approved SKP', async () => {
      const d = await sys.call<{ evaluation: { skp: { rhk: { indicators: { id: string }[] }[] } | null } }>('GET', `/evaluations/${id}`, { token: asnToken });
      return d.body.evaluation.skp?.rhk[0]?.indicators[0]?.id;
    });
    await until('the first report', async () => {
      const r = await sys.call('PUT', `/evaluations/${id}/periods/1/report`, {
        token: asnToken,
        body: { realisations: [{ indicatorId: indicator, value: 300 }], evidence: [] },
      });
      return r.status === 200;
    });

    log(`sign-in to inbox, ${SIGNINS} runs`);
    const runs: number[] = [];
    for (let i = 0; i < SIGNINS; i++) {
      const { context, page } = await browser.newUser({ baseURL: sys.url, phone: true });
      runs.push(await timeToInbox(page, NIP.asn));
      await context.close();
    }
    const sorted = [...runs].sort((a, b) => a - b);
    emit({
      bench: 'web.sign-in-to-inbox',
      runs: runs.length,
      medianMs: round(sorted[Math.floor(sorted.length / 2)]!, 1),
      minMs: round(sorted[0]!, 1),
      maxMs: round(sorted.at(-1)!, 1),
      allMs: runs.map((r) => round(r, 1)),
    });

    log('requests per page');
    const asn = await browser.newUser({ baseURL: sys.url, phone: true });
    await timeToInbox(asn.page, NIP.asn);
    for (const [name, path] of [
      ['inbox', '/inbox'],
      ['year', `/year/${id}`],
      ['skp', `/year/${id}/skp`],
      ['period', `/year/${id}/periods/1`],
      ['result', `/year/${id}/result`],
      ['notifications', '/notifications'],
      ['account', '/account'],
    ] as const) {
      await pageRequests(asn.page, name, path);
    }
    const sup = await browser.newUser({ baseURL: sys.url });
    await timeToInbox(sup.page, NIP.supervisor);
    for (const [name, path] of [
      ['team', '/team'],
      ['team member', `/team/${id}`],
    ] as const) {
      await pageRequests(sup.page, name, path);
    }
    const atasan = await browser.newUser({ baseURL: sys.url });
    await timeToInbox(atasan.page, NIP.atasan);
    await pageRequests(atasan.page, 'keberatan list', '/team/appeals');
  } finally {
    await browser.close();
    await sys.stop();
    await connection.close();
    await nativeConnection.close();
    await db.close();
    await temporal.stop();
  }
}

main().then(
  // the schema engine (migrateDb) leaves a timer running: end the process explicitly
  () => process.exit(0),
  (err: unknown) => {
    log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
