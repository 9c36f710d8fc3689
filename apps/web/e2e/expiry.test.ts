/**
 * A session that runs out on its own: the API issues access tokens for 20 seconds (the app renews them 15 s early) and
 * refresh tokens for 8 (each renewal issues a new one), so while the ASN works the app renews the session unseen, and
 * after the refresh token's lifetime of idleness the next step asks to sign in again, saying the session ended.
 */
import { expectAccessible, launchBrowser, type BrowserFixture } from '@kinerja/testing/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NIP, sleep, startSystem, type System } from './system.js';
import { ID } from './text.js';
import { heading, nav, signIn, signInToInbox } from './ui.js';

const REFRESH_TTL_S = 8;

describe('an expired session', () => {
  let sys: System;
  let b: BrowserFixture;
  beforeAll(async () => {
    sys = await startSystem({ openCycle: false, config: { accessTtlSeconds: 20, refreshTtlSeconds: REFRESH_TTL_S } });
    b = await launchBrowser();
  });
  afterAll(async () => {
    await b?.close();
    await sys?.close();
  });

  it('is renewed while in use, and after it lapses leads to the sign-in page with a message, then back', async () => {
    const { page } = await b.newUser({ baseURL: sys.url, phone: true });
    await signInToInbox(page, NIP.asn);
    // past the access token's renewal time: the next request renews the session with the refresh token
    await sleep(6_000);
    await nav(page, ID.nav.notifications).click();
    await heading(page, ID.notifications.title).waitFor();

    // idle past the refresh token's lifetime; then a page whose data the app has not loaded yet
    await sleep((REFRESH_TTL_S + 2) * 1000);
    await nav(page, ID.nav.year).click();
    await page.getByText(ID.signIn.sessionEnded).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await expectAccessible(page, 'sign-in after the session expired');
    await signIn(page, NIP.asn);
    await heading(page, ID.asn.years.title).waitFor();
  });
});
