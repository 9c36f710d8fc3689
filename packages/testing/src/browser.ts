/**
 * A real browser for tests: playwright-core driving the system's Chromium (Debian's `chromium`, installed by
 * `node scripts/kinerja.mjs setup --chromium`; Playwright's own browser downloads are not reachable from the build
 * machines). One browser per test file; each user gets a context of their own (cookies and storage apart), so an ASN,
 * the supervisor and the atasan pejabat penilai can be signed in side by side.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

export type { Browser, BrowserContext, Locator, Page, Request, Response } from 'playwright-core';

/** KINERJA_CHROMIUM, else Debian's /usr/bin/chromium. */
export function chromiumPath(): string {
  return process.env.KINERJA_CHROMIUM ?? '/usr/bin/chromium';
}

/** null when the browser is there; else why it is not and how to get it. */
export function chromiumUnavailable(): string | null {
  const path = chromiumPath();
  if (existsSync(path)) return null;
  return `no Chromium at ${path}: run \`node scripts/kinerja.mjs setup --chromium\` (Debian: apt-get install chromium) or set KINERJA_CHROMIUM`;
}

/**
 * Flags for a headless browser on a machine without a display, GPU or internet: nothing phones home (background
 * networking, component updates, sync, QUIC), no first-run dialogs. Playwright adds `--headless` and a fresh
 * temporary user-data-dir per launch itself.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
] as const;

/** The phone the ASN uses in the browser tests: 390 × 844 CSS pixels, touch, a mobile viewport. */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

/** A desktop window for supervisors. */
export const DESKTOP: BrowserContextOptions = {
  viewport: { width: 1280, height: 800 },
  deviceScaleFactor: 1,
};

export interface UserOptions {
  /** the app's origin, so `page.goto('/')` works */
  baseURL?: string;
  /** the browser's language (Accept-Language, navigator.language); default id-ID */
  locale?: string;
  /** a phone (PHONE) instead of a desktop window (DESKTOP) */
  phone?: boolean;
}

export interface BrowserFixture {
  browser: Browser;
  /** a new browser context (its own cookies and storage) for one user, with one page open */
  newUser(options?: UserOptions): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

export async function launchBrowser(options: { headless?: boolean } = {}): Promise<BrowserFixture> {
  const missing = chromiumUnavailable();
  if (missing) throw new Error(missing);
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: options.headless ?? true,
    chromiumSandbox: false,
    args: [...CHROMIUM_ARGS],
    timeout: 60_000,
  });
  const contexts: BrowserContext[] = [];
  return {
    browser,
    async newUser(user = {}) {
      const context = await browser.newContext({
        ...(user.phone ? PHONE : DESKTOP),
        locale: user.locale ?? 'id-ID',
        timezoneId: 'Asia/Jakarta',
        ...(user.baseURL ? { baseURL: user.baseURL } : {}),
      });
      contexts.push(context);
      const page = await context.newPage();
      return { context, page };
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
    },
  };
}

/**
 * Writes a PNG of `page` to `<dir>/<name>.png` and returns its path: the screen as the user sees it at the top of the
 * page (a phone's 390 × 844), or with `fullPage` the whole page. Scrolled to the top first: a full-page capture
 * would otherwise draw fixed bars where the page was scrolled to.
 */
export async function screenshot(page: Page, dir: string, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: options.fullPage ?? false, animations: 'disabled', caret: 'hide' });
  return path;
}

export { axeViolations, BLOCKING_IMPACTS, describeViolations, expectAccessible, type AxeViolation } from './axe.js';
