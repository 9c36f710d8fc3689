/**
 * The facts and audit sections of the admin console and the public survey form in the browser, against the real
 * system (boot.ts): the admin imports attendance from a `;`-separated CSV as Excel on Indonesian Windows saves it (a
 * BOM, CRLF, an NIP the spreadsheet turned into a number on one row): the row-by-row report names that row as the
 * spreadsheet numbers it and nothing is applied; the fixed file is checked, applied and summarised as the API reports
 * it. The surveys page shows each unit's and service's responses and IKM; the printable QR poster shows the region's
 * public form address and its QR code holds exactly that address. A citizen on a phone, without signing in, rates a
 * unit in Bahasa Indonesia; the admin's surveys page counts the new response and its IKM drops with the low score.
 * The audit trail finds the import by kind and the admin's changes by actor and employee, with before/after, and the
 * hash chain verifies. axe on every page and state visited.
 */
import { expectAccessible, launchBrowser, screenshot, type BrowserFixture, type Locator, type Page } from '@kinerja/testing/browser';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminAudit } from '../src/routes/admin/audit/messages';
import { adminFacts } from '../src/routes/admin/facts/messages';
import { admin as adminShell } from '../src/routes/admin/messages';
import { publicSurvey } from '../src/routes/public/messages';
import { NIP, SCREENSHOTS, startSystem, type System } from './system.js';
import { ID, literally } from './text.js';
import { heading, signIn, storySteps } from './ui.js';

const t = { ...ID, admin: adminShell.id, adminFacts: adminFacts.id, adminAudit: adminAudit.id, publicSurvey: publicSurvey.id };
const f = t.adminFacts;
const a = t.adminAudit;
const s = t.publicSurvey;

const UNIT = { code: 'DISDUKCAPIL-PDP', name: 'Bidang Pelayanan Pendaftaran Penduduk' };
const DINAS = { code: 'DISDUKCAPIL', name: 'Dinas Kependudukan dan Pencatatan Sipil' };
/** the answers already in when the admin first looks (sent through the public API, as a phone would) */
const EARLIER = [
  { unitCode: UNIT.code, service: 'KTP-el', score: 4 },
  { unitCode: UNIT.code, service: 'Kartu Keluarga', score: 5 },
  { unitCode: DINAS.code, score: 3 },
] as const;
/** the citizen's answer in the browser: a low score, so the unit's IKM visibly falls */
const CITIZEN = { service: 'Akta Kelahiran', score: 2, comment: 'Antrean terlalu lama, petugas ramah.' };

/**
 * The attendance file as Excel on Indonesian Windows saves "CSV (dipisah titik koma)": a BOM, `;` (the decimal comma
 * takes `,`), CRLF. On the bad file's third line the NIP cell was a number, so Excel wrote it in its shortened form.
 */
function attendanceCsv(nipOnRow3: string): Buffer {
  const lines = [
    'nip;date;present;lateMinutes;source',
    `${NIP.asn};2025-03-03;ya;0;e-presensi`,
    `${nipOnRow3};2025-03-04;ya;7;e-presensi`,
    `${NIP.asn};2025-03-05;tidak;0;e-presensi`,
    `${NIP.asn2};2025-03-03;hadir;12;e-presensi`,
  ];
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\r\n') + '\r\n', 'utf8')]);
}
const EXCEL_NIP = '1,99205E+17';

interface Summary {
  items: { nip: string; name: string; days: number; present: number; lateMinutes: number; attendanceRate: number | null }[];
}
interface Surveys {
  summary: { count: number; mean: number | null };
  byUnit: { unit: { code: string }; count: number; ikm: { ikm: number; mutu: string; kinerja: { id: string } } | null }[];
  byService: { service: string; count: number }[];
}

describe('the admin console: facts (attendance, surveys, the QR poster), the public survey form and the audit trail', () => {
  let sys: System;
  let b: BrowserFixture;
  let page: Page;
  let admin = '';
  let region = '';
  let base = '';
  let formUrl = '';
  let before: Surveys | undefined;

  async function check(p: Page, label: string, shot?: string, options: { fullPage?: boolean } = {}) {
    await expectAccessible(p, label);
    if (shot) await screenshot(p, SCREENSHOTS, shot, options);
  }
  const surveys = async () => (await sys.call<Surveys>('GET', `/admin/regions/${region}/surveys`, { token: admin })).body;
  const unitRow = (p: Page, name: string) =>
    p
      .getByRole('region', { name: f.surveys.byUnit })
      .getByRole('row')
      .filter({ has: p.getByRole('rowheader', { name, exact: true }) });
  /** the cells of a group row in the column order of the table: count, mean, IKM, mutu, poster */
  const cells = async (p: Page, name: string) => (await unitRow(p, name).getByRole('cell').allTextContents()).map((c) => c.trim());

  /** an audit event's value for a term (actor, acting-for, entity) */
  const meta = async (event: Locator, term: string) =>
    (await event.locator('dt', { hasText: term }).locator('xpath=following-sibling::dd').textContent())?.trim();
  /** an audit event's before and after of one field */
  const diffRow = async (event: Locator, field: string) =>
    (
      await event
        .getByRole('row')
        .filter({ has: page.getByRole('rowheader', { name: field, exact: true }) })
        .getByRole('cell')
        .allTextContents()
    ).map((c) => c.trim());

  /** the attendance summary lists the region's employees, every one with 0 days and no rate */
  const noDays = async (table: Locator) => {
    const rows = await table.getByRole('row').all();
    if (rows.length < 2) return false;
    for (const row of rows.slice(1)) {
      const c = (await row.getByRole('cell').allTextContents()).map((x) => x.trim());
      if (c[3] !== '0' || c[6] !== '–') return false;
    }
    return true;
  };

  beforeAll(async () => {
    sys = await startSystem({ openCycle: false });
    admin = await sys.login('admin');
    region = (await sys.call<{ adminRegions: { code: string }[] }>('GET', '/me', { token: admin })).body.adminRegions[0]!.code;
    base = `/admin/${region}`;
    for (const answer of EARLIER) {
      const r = await sys.call('POST', `/public/regions/${region}/surveys`, { body: answer });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    b = await launchBrowser();
    page = (await b.newUser({ baseURL: sys.url })).page;
  });
  storySteps('admin-facts', () => page);
  afterAll(async () => {
    await b?.close();
    await sys?.close();
  });

  it('attendance: a CSV with one bad row is reported at that row and nothing is applied', async () => {
    const bad = attendanceCsv(EXCEL_NIP);
    // what the API says about this file, to find its message in the page against the row it names
    const direct = await fetch(`${sys.url}/admin/regions/${region}/attendance/import?dryRun=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/csv', 'accept-language': 'id' },
      body: new Uint8Array(bad),
    });
    expect(direct.status).toBe(422);
    const problem = (await direct.json()) as { errors: { row?: number; field: string; message: string }[] };
    expect(problem.errors).toHaveLength(1);
    const [error] = problem.errors;
    // the header is row 1: the third line of the file is row 3
    expect(error!.row).toBe(3);
    expect(error!.field).toBe('nip');

    await signIn(page, 'admin');
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
    await page.goto(base);
    await page.getByRole('navigation', { name: t.admin.nav.label }).getByRole('link', { name: t.admin.nav.facts, exact: true }).click();
    await heading(page, f.title).waitFor();
    await page.getByRole('heading', { name: f.attendance.importTitle, level: 2 }).waitFor();
    // every employee is listed, none with a day recorded yet
    const summaryTable = page.getByRole('table', { name: f.attendance.summaryTitle });
    await expect.poll(() => noDays(summaryTable)).toBe(true);
    await check(page, 'facts: attendance, nothing recorded');

    await page.getByLabel(f.attendance.file).setInputFiles({ name: 'kehadiran.csv', mimeType: 'text/csv', buffer: bad });
    await page.getByRole('button', { name: f.attendance.check, exact: true }).click();
    const report = page.getByRole('table', { name: f.attendance.report });
    await report.waitFor();
    const row = report.getByRole('row').filter({ hasText: error!.message });
    await expect(row.getByRole('rowheader').textContent()).resolves.toBe('3');
    const [content, column, message] = await row.getByRole('cell').allTextContents();
    expect(content).toBe(`${EXCEL_NIP};2025-03-04;ya;7;e-presensi`);
    expect(column).toBe('nip');
    expect(message).toBe(error!.message);
    expect(await report.getByRole('row').count()).toBe(2);
    await page.getByText(f.attendance.refused(3, 4)).waitFor();
    // applying the same file is refused the same way
    const refused = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/attendance/import'));
    await page.getByRole('button', { name: f.attendance.apply, exact: true }).click();
    expect((await refused).status()).toBe(422);
    await report.getByRole('row').filter({ hasText: error!.message }).waitFor();
    expect(await page.getByText(literally(f.attendance.applied(0, 0).split(':')[0]!)).count()).toBe(0);
    await check(page, 'facts: attendance import report', 'admin-facts-attendance', { fullPage: true });
    const summary = (await sys.call<Summary>('GET', `/admin/regions/${region}/attendance/summary`, { token: admin })).body;
    expect(summary.items.every((r) => r.days === 0)).toBe(true);
    expect(await noDays(page.getByRole('table', { name: f.attendance.summaryTitle }))).toBe(true);
  });

  it('attendance: the fixed file is checked, applied and summarised as the API reports it', async () => {
    await page.getByLabel(f.attendance.file).setInputFiles({ name: 'kehadiran.csv', mimeType: 'text/csv', buffer: attendanceCsv(NIP.asn) });
    await page.getByRole('button', { name: f.attendance.check, exact: true }).click();
    await page.getByText(f.attendance.checked(4, 4)).waitFor();
    expect(await page.getByRole('table', { name: f.attendance.report }).count()).toBe(0);
    await check(page, 'facts: attendance checked');
    await page.getByRole('button', { name: f.attendance.apply, exact: true }).click();
    await page.getByText(f.attendance.applied(4, 0)).waitFor();

    const api = (await sys.call<Summary>('GET', `/admin/regions/${region}/attendance/summary`, { token: admin })).body;
    const recorded = api.items.filter((r) => r.days > 0);
    expect(recorded.map((r) => [r.nip, r.days, r.present, r.lateMinutes, r.attendanceRate]).sort()).toEqual(
      [
        [NIP.asn, 3, 2, 7, 66.67],
        [NIP.asn2, 1, 1, 12, 100],
      ].sort(),
    );
    const table = page.getByRole('table', { name: f.attendance.summaryTitle });
    for (const r of recorded) {
      const tr = table.getByRole('row').filter({ hasText: r.nip });
      await expect
        .poll(async () => (await tr.getByRole('cell').allTextContents()).map((c) => c.trim()))
        .toEqual([r.nip, r.name, expect.any(String) as string, String(r.days), String(r.present), String(r.lateMinutes), `${r.attendanceRate}%`]);
    }
    await check(page, 'facts: attendance applied and summarised');
  });

  it('surveys: responses, mean and IKM per unit and per service', async () => {
    before = await surveys();
    expect(before.summary.count).toBe(EARLIER.length);
    await page.getByRole('navigation', { name: f.tabs.label }).getByRole('link', { name: f.tabs.surveys, exact: true }).click();
    await heading(page, f.surveys.title).waitFor();
    await expect.poll(() => page.getByTestId('survey-total').textContent()).toBe(String(EARLIER.length));

    const unit = before.byUnit.find((g) => g.unit.code === UNIT.code)!;
    expect(unit.count).toBe(2);
    expect(unit.ikm?.mutu).toBe('A');
    const [count, mean, ikm, mutu] = await cells(page, UNIT.name);
    expect(count).toBe('2');
    expect(mean).toBe('4,50');
    expect(ikm).toBe(unit.ikm!.ikm.toLocaleString('id-ID', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
    expect(mutu).toBe(`A (${unit.ikm!.kinerja.id})`);
    expect((await cells(page, DINAS.name))[0]).toBe('1');

    const services = page.getByRole('region', { name: f.surveys.byService });
    for (const g of before.byService) {
      const tr = services.getByRole('row').filter({ has: page.getByRole('rowheader', { name: g.service, exact: true }) });
      await expect(tr.getByRole('cell').first().textContent()).resolves.toBe(String(g.count));
    }
    await check(page, 'facts: surveys', 'admin-facts-surveys');
  });

  it('the QR poster: the region, the public form address, a QR code that holds it, and a printable page', async () => {
    await page.getByRole('link', { name: f.surveys.regionPoster }).click();
    await page.getByRole('heading', { name: f.poster.heading, level: 1 }).waitFor();
    formUrl = `${sys.url}/survey/${region}`;
    await expect.poll(() => page.getByTestId('poster-url').textContent()).toBe(formUrl);
    const poster = page.getByRole('article', { name: f.poster.title });
    await poster.getByText('Kota Demo', { exact: true }).waitFor();
    await poster.getByText(f.poster.all, { exact: true }).waitFor();
    const qr = page.getByRole('img', { name: f.poster.qrAlt(formUrl) });
    await qr.waitFor();

    // the image as the browser draws it, read back module by module, is the QR code of that address
    const expected = QRCode.create(formUrl, { errorCorrectionLevel: 'M' }).modules;
    const margin = 2;
    const drawn = await qr.evaluate(
      async (img: HTMLImageElement, { n, margin }) => {
        await img.decode();
        const px = 8;
        const side = (n + 2 * margin) * px;
        const canvas = document.createElement('canvas');
        canvas.width = side;
        canvas.height = side;
        const ctx = canvas.getContext('2d');
        if (!ctx) throw new Error('no 2d canvas');
        ctx.fillStyle = '#fff';
        ctx.fillRect(0, 0, side, side);
        ctx.drawImage(img, 0, 0, side, side);
        const data = ctx.getImageData(0, 0, side, side).data;
        const rows: string[] = [];
        for (let y = 0; y < n; y++) {
          let line = '';
          for (let x = 0; x < n; x++) {
            const at = (((y + margin) * px + px / 2) * side + (x + margin) * px + px / 2) * 4;
            line += data[at]! < 128 ? '1' : '0';
          }
          rows.push(line);
        }
        return rows;
      },
      { n: expected.size, margin },
    );
    const want = Array.from({ length: expected.size }, (_, y) => Array.from({ length: expected.size }, (_, x) => (expected.get(y, x) ? '1' : '0')).join(''));
    expect(drawn).toEqual(want);
    await check(page, 'facts: poster');

    await page.emulateMedia({ media: 'print' });
    // nothing of the console is printed: the section bar and the buttons are hidden, the poster stays
    expect(await page.getByRole('navigation', { name: t.admin.nav.label }).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: f.poster.print }).isVisible()).toBe(false);
    expect(await qr.isVisible()).toBe(true);
    const box = await qr.boundingBox();
    expect(box && box.width).toBeGreaterThan(200);
    await screenshot(page, SCREENSHOTS, 'admin-facts-poster');
    await page.emulateMedia({ media: 'screen' });
  });

  it('a citizen on a phone, without signing in, rates a unit in Bahasa Indonesia and is thanked', async () => {
    const phone = (await b.newUser({ baseURL: sys.url, phone: true })).page;
    try {
      await phone.goto(formUrl);
      await heading(phone, s.title).waitFor();
      expect(new URL(phone.url()).pathname).toBe(`/survey/${region}`);
      await phone.getByText('Kota Demo', { exact: true }).waitFor();
      await check(phone, 'public survey');
      // nothing wider than the phone
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

      // sending without a score asks for one, at the question
      await phone.getByLabel(s.unit).selectOption(UNIT.code);
      await phone.getByRole('textbox', { name: s.service }).fill(CITIZEN.service);
      await phone.getByRole('button', { name: s.send }).click();
      await phone.getByRole('alert').filter({ hasText: s.chooseScore }).waitFor();
      await check(phone, 'public survey without a score');

      const question = phone.getByRole('radiogroup', { name: 'Seberapa puas Anda dengan pelayanan kami?' });
      // the radio's input is visually hidden behind its drawn dot: the tap lands on the label
      await question.getByRole('radio', { name: `${CITIZEN.score} · Tidak puas`, exact: true }).check({ force: true });
      await phone.getByRole('textbox', { name: s.comment }).fill(CITIZEN.comment);
      await screenshot(phone, SCREENSHOTS, 'public-survey-phone', { fullPage: true });
      await phone.getByRole('button', { name: s.send }).click();
      await phone.getByRole('heading', { name: s.thanksTitle }).waitFor();
      await phone.getByRole('status').filter({ hasText: s.thanks }).waitFor();
      await check(phone, 'public survey: thanks', 'public-survey-thanks');
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    } finally {
      await phone.context().close();
    }
  });

  it("the admin's surveys page counts the new response, and the unit's IKM falls with it", async () => {
    const after = await surveys();
    expect(after.summary.count).toBe(before!.summary.count + 1);
    const unit = after.byUnit.find((g) => g.unit.code === UNIT.code)!;
    expect(unit.count).toBe(3);
    // (4 + 5 + 2) / 3 on 1..5 is 3 on 1..4: an IKM of 75, mutu C
    expect(unit.ikm).toMatchObject({ ikm: 75, mutu: 'C' });

    await page.getByRole('link', { name: f.poster.back }).click();
    await heading(page, f.surveys.title).waitFor();
    await page.reload();
    await expect.poll(() => page.getByTestId('survey-total').textContent()).toBe(String(before!.summary.count + 1));
    await expect.poll(() => cells(page, UNIT.name)).toEqual(['3', '3,67', '75,00', `C (${unit.ikm!.kinerja.id})`, f.surveys.poster]);
    const latest = page.getByRole('region', { name: f.surveys.latest });
    await latest.getByRole('row').filter({ hasText: CITIZEN.comment }).waitFor();
    await check(page, 'facts: surveys after the citizen');
  });

  it('audit: the import by kind, the admin by actor, an employee by NIP with before/after, and the chain verifies', async () => {
    // an employee change of the admin's, so the trail has a before/after about one employee
    const found = await sys.call<{ items: { id: string; position: string }[] }>('GET', `/admin/regions/${region}/employees?q=${NIP.asn}`, { token: admin });
    const employee = found.body.items[0]!;
    const position = 'Pranata Komputer Ahli Muda';
    const patched = await sys.call('PATCH', `/admin/regions/${region}/employees/${employee.id}`, { token: admin, body: { position } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);

    await page.getByRole('navigation', { name: t.admin.nav.label }).getByRole('link', { name: t.admin.nav.audit, exact: true }).click();
    await heading(page, a.title).waitFor();
    const events = page.getByRole('list', { name: a.title }).getByRole('listitem');
    await events.first().waitFor();
    await check(page, 'audit');

    const search = page.getByRole('search', { name: a.search });
    await search.getByRole('textbox', { name: a.kind }).fill('attendance.import');
    await search.getByRole('button', { name: a.search, exact: true }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('kind')).toBe('attendance.import');
    await expect.poll(() => events.count()).toBe(1);
    const event = events.first();
    await event.getByText('attendance.import', { exact: true }).waitFor();
    expect(await meta(event, a.by)).toBe('Admin BKPSDM Kota Demo · admin');
    expect(await meta(event, a.actingFor)).toBe('–');
    await event.locator('time').waitFor();
    await event.locator('summary').click();
    expect(await diffRow(event, 'created')).toEqual(['', '4']);
    expect(await diffRow(event, 'employees')).toEqual(['', '2']);
    await check(page, 'audit by kind, a diff open');

    await search.getByRole('textbox', { name: a.kind }).fill('');
    await search.getByRole('textbox', { name: a.nip }).fill(NIP.asn);
    await search.getByRole('textbox', { name: a.actor }).fill('admin');
    await search.getByRole('button', { name: a.search, exact: true }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('actor')).toBe('admin');
    await expect.poll(() => events.count()).toBe(1);
    // the search is in the URL: a reload shows the same
    await page.reload();
    await expect.poll(() => search.getByRole('textbox', { name: a.nip }).inputValue()).toBe(NIP.asn);
    await expect.poll(() => events.count()).toBe(1);
    const update = events.first();
    await update.getByText('employee.update', { exact: true }).waitFor();
    expect(await meta(update, a.by)).toBe('Admin BKPSDM Kota Demo · admin');
    expect(await meta(update, a.entity)).toBe(`Employee ${employee.id}`);
    await update.locator('summary').click();
    expect(await diffRow(update, 'position')).toEqual([JSON.stringify(employee.position), JSON.stringify(position)]);

    await page.getByRole('button', { name: a.verify }).click();
    const verified = (await sys.call<{ ok: boolean; checked: number }>('GET', `/admin/regions/${region}/audit/verify`, { token: admin })).body;
    expect(verified.ok).toBe(true);
    await page
      .getByRole('status')
      .filter({ hasText: a.verifyOk(verified.checked) })
      .waitFor();
    await check(page, 'audit by employee and actor, verified', 'admin-audit', { fullPage: true });
  });
});
