/** Steps a user takes in the app, written with the accessible roles and names a person (or a screen reader) uses. */
import { screenshot, type Page } from '@kinerja/testing/browser';
import { afterEach, beforeEach } from 'vitest';
import { FAILURES, PASSWORD } from './boot.js';
import { ID } from './text.js';

type Text = typeof ID;

export async function signIn(page: Page, nip: string, options: { password?: string; t?: Text } = {}): Promise<void> {
  const t = options.t ?? ID;
  if (!new URL(page.url()).pathname.startsWith('/sign-in')) await page.goto('/sign-in');
  await page.getByRole('heading', { name: t.signIn.title, level: 1 }).waitFor();
  await page.getByLabel(t.signIn.nip).fill(nip);
  await page.getByLabel(t.signIn.password, { exact: true }).fill(options.password ?? PASSWORD);
  await page.getByRole('button', { name: t.signIn.submit, exact: true }).click();
}

/** Signs in and waits for the inbox. */
export async function signInToInbox(page: Page, nip: string, t: Text = ID): Promise<void> {
  await signIn(page, nip, { t });
  await heading(page, t.inbox.title).waitFor();
}

export const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { name, level: 1 });

/** A tab of the main navigation. */
export const nav = (page: Page, name: string, t: Text = ID) => page.getByRole('navigation', { name: t.nav.main }).getByRole('link', { name, exact: true });

/**
 * A story told in steps that build on each other: after a failed step the rest cannot pass and are skipped, and what
 * the page showed then is saved (FAILURES, named after the step) for the one reading the failure. Call it inside the
 * story's describe; `page` is read when a step fails.
 */
export function storySteps(prefix: string, page: () => Page | undefined): void {
  let failed = false;
  beforeEach(({ skip }) => {
    if (failed) skip();
  });
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return;
    failed = true;
    const shown = page();
    if (shown) await screenshot(shown, FAILURES, `${prefix}-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
  });
}
