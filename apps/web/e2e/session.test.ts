/**
 * Signing in, the language, the session and server errors, in Chromium against the real system (boot.ts): the sign-in
 * page and the inbox (axe on both), a wrong password, id ↔ en, a session ended from another browser, and a database
 * outage shown as the API's problem, never a blank page.
 */
import { expectAccessible, launchBrowser, type BrowserFixture } from '@kinerja/testing/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NIP, startSystem, type System } from './system.js';
import { EN, ID, literally } from './text.js';
import { heading, nav, signIn, signInToInbox } from './ui.js';

describe('the web app: sign-in, language, session, errors', () => {
  let sys: System;
  let b: BrowserFixture;
  beforeAll(async () => {
    sys = await startSystem();
    b = await launchBrowser();
  });
  afterAll(async () => {
    await b?.close();
    await sys?.close();
  });

  it('opens on the sign-in page; the demo ASN signs in and reaches the inbox with the SKP task', async () => {
    const { page } = await b.newUser({ baseURL: sys.url, phone: true });
    const res = await page.goto('/');
    expect(res?.status()).toBe(200);
    await heading(page, ID.signIn.title).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await expectAccessible(page, 'sign-in');

    await signInToInbox(page, NIP.asn);
    expect(new URL(page.url()).pathname).toBe('/inbox');
    await page.getByRole('heading', { name: ID.taskKind.SUBMIT_TARGETS }).waitFor();
    await expectAccessible(page, 'inbox');
  });

  it('a wrong password shows the problem the API answered, on the sign-in page', async () => {
    const expected = await sys.call<{ detail: string }>('POST', '/auth/login', { body: { username: NIP.asn2, password: 'bukan-sandinya' } });
    expect(expected.status).toBe(401);
    const { page } = await b.newUser({ baseURL: sys.url });
    await signIn(page, NIP.asn2, { password: 'bukan-sandinya-juga' });
    const alert = page.getByRole('alert');
    await alert.getByText(expected.body.detail).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await expectAccessible(page, 'sign-in with a problem');
  });

  it('the language switch turns the app and the API answers from Bahasa Indonesia to English and back', async () => {
    const { page } = await b.newUser({ baseURL: sys.url, phone: true });
    await page.goto('/sign-in');
    await heading(page, ID.signIn.title).waitFor();
    await page.getByRole('button', { name: literally(`${ID.lang.switchTo}: ${ID.lang.en}`) }).click();
    await heading(page, EN.signIn.title).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');

    // the API's problem comes in the chosen language too (Accept-Language)
    const english = await fetch(`${sys.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
      body: JSON.stringify({ username: NIP.asn2, password: 'still-not-it' }),
    }).then((r) => r.json() as Promise<{ detail: string }>);
    await signIn(page, NIP.asn2, { password: 'still-not-it', t: EN });
    await page.getByRole('alert').getByText(english.detail).waitFor();

    await signInToInbox(page, NIP.asn, EN);
    await nav(page, EN.nav.year, EN).waitFor();
    await page.getByRole('button', { name: literally(`${EN.lang.switchTo}: ${EN.lang.id}`) }).click();
    await heading(page, ID.inbox.title).waitFor();
    await nav(page, ID.nav.year).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('id');
    // the choice is remembered on the next visit
    await page.reload();
    await heading(page, ID.inbox.title).waitFor();
  });

  it('signing out everywhere in another browser ends this session: the next step asks to sign in again, saying why', async () => {
    const phone = await b.newUser({ baseURL: sys.url, phone: true });
    await signInToInbox(phone.page, NIP.asn);
    const laptop = await b.newUser({ baseURL: sys.url });
    await signInToInbox(laptop.page, NIP.asn);

    await nav(laptop.page, ID.nav.account).click();
    await heading(laptop.page, ID.account.title).waitFor();
    await expectAccessible(laptop.page, 'account');
    await laptop.page.getByRole('button', { name: ID.account.signOutEverywhere }).click();
    const dialog = laptop.page.getByRole('dialog');
    await dialog.getByRole('button', { name: ID.account.signOutEverywhere }).click();
    await laptop.page.getByText(ID.signIn.signedOutEverywhere).waitFor();
    expect(new URL(laptop.page.url()).pathname).toBe('/sign-in');

    // the phone still shows the inbox; its next request is refused and the refresh token is revoked
    await nav(phone.page, ID.nav.notifications).click();
    await heading(phone.page, ID.signIn.title).waitFor();
    await phone.page.getByText(ID.signIn.sessionEnded).waitFor();
    await expectAccessible(phone.page, 'sign-in after the session ended');
    // signing in again returns to where the user was going
    await signIn(phone.page, NIP.asn);
    await heading(phone.page, ID.notifications.title).waitFor();
  });

  it('a server error is shown as the API problem with a way to retry, never a blank page', async () => {
    const { page } = await b.newUser({ baseURL: sys.url, phone: true });
    await signInToInbox(page, NIP.asn);
    const restore = await sys.cutDatabase();
    const alert = page.getByRole('alert');
    try {
      const problem = await sys.call<{ status: number; detail: string }>('GET', '/me/notifications', { token: loginWhileDown() });
      expect(problem.status).toBeGreaterThanOrEqual(500);
      await nav(page, ID.nav.notifications).click();
      // the app retries a 5xx before it gives up: the problem shows once the retries failed too
      await alert.getByText(problem.body.detail).waitFor({ timeout: 30_000 });
      // still the app around it: the page's heading and the navigation, never a blank page
      await heading(page, ID.notifications.title).waitFor();
      await nav(page, ID.nav.inbox).waitFor();
      await expectAccessible(page, 'server error');
    } finally {
      await restore();
    }
    await alert.getByRole('button', { name: ID.app.retry }).click();
    await alert.waitFor({ state: 'detached' });
    await heading(page, ID.notifications.title).waitFor();
  });

  /** an access token minted while the database is away is impossible: reuse one issued before the outage */
  let tokenBeforeOutage: string | undefined;
  function loginWhileDown(): string {
    if (!tokenBeforeOutage) throw new Error('no token from before the outage');
    return tokenBeforeOutage;
  }
  beforeAll(async () => {
    tokenBeforeOutage = await sys.login(NIP.asn2);
  });
});
