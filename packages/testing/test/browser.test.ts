import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, chromiumUnavailable, expectAccessible, launchBrowser, screenshot, type BrowserFixture } from '../src/browser.js';
import { isCI } from '../src/services.js';

// Outside CI a machine without Chromium skips these (the setup installs it for `npm test`); in CI it fails.
const missing = chromiumUnavailable();
if (missing && isCI()) throw new Error(`CI=true and ${missing}`);

const accessible = `<!doctype html><html lang="id"><head><meta name="viewport" content="width=device-width, initial-scale=1"><title>Masuk</title></head><body><main>
  <h1>Masuk</h1><form><label for="nip">NIP</label><input id="nip" name="nip"><button type="submit">Masuk</button></form>
</main></body></html>`;
// a button with no accessible name and an image without alt text: both are `critical` in axe
const inaccessible = `<!doctype html><html lang="id"><head><title>Rusak</title></head><body><main>
  <h1>Rusak</h1><button id="nameless"></button><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
</main></body></html>`;

describe.skipIf(missing !== null)('browser fixture (Chromium)', () => {
  let b: BrowserFixture;
  beforeAll(async () => {
    b = await launchBrowser();
  }, 60_000);
  afterAll(() => b?.close());

  it('gives each user a context of their own (storage apart)', async () => {
    const one = await b.newUser();
    const two = await b.newUser();
    await one.page.route('http://kinerja.test/', (r) => r.fulfill({ contentType: 'text/html', body: accessible }));
    await two.page.route('http://kinerja.test/', (r) => r.fulfill({ contentType: 'text/html', body: accessible }));
    await one.page.goto('http://kinerja.test/');
    await two.page.goto('http://kinerja.test/');
    await one.page.evaluate(() => localStorage.setItem('who', 'one'));
    expect(await two.page.evaluate(() => localStorage.getItem('who'))).toBeNull();
    expect(await one.page.evaluate(() => navigator.language)).toBe('id-ID');
  });

  it('the phone context is 390 × 844 with touch', async () => {
    const { page } = await b.newUser({ phone: true, locale: 'en-US' });
    await page.setContent(accessible);
    const seen = await page.evaluate(() => ({ w: innerWidth, h: innerHeight, touch: navigator.maxTouchPoints > 0, lang: navigator.language }));
    expect(seen).toEqual({ w: 390, h: 844, touch: true, lang: 'en-US' });
  });

  it('axe passes an accessible page and names the serious and critical violations of another', async () => {
    const { page } = await b.newUser();
    await page.setContent(accessible);
    await expect(expectAccessible(page, 'accessible')).resolves.toEqual([]);

    await page.setContent(inaccessible);
    const ids = (await axeViolations(page)).map((v) => v.id);
    expect(ids).toEqual(expect.arrayContaining(['button-name', 'image-alt']));
    await expect(expectAccessible(page, 'inaccessible')).rejects.toThrow(/critical button-name[\s\S]*#nameless/);
  });

  it('writes a screenshot as a PNG file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kinerja-shot-'));
    try {
      const { page } = await b.newUser({ phone: true });
      await page.setContent(accessible);
      const file = await screenshot(page, join(dir, 'nested'), 'masuk');
      expect(existsSync(file)).toBe(true);
      const png = readFileSync(file);
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      // the phone's screen: 390 × 844 CSS pixels at device scale 2
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([780, 1688]);
      await page.setContent(`${accessible}<div style="height:3000px"></div>`);
      const whole = readFileSync(await screenshot(page, dir, 'lang', { fullPage: true }));
      expect(whole.readUInt32BE(20)).toBeGreaterThan(6000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
