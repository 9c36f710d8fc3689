/**
 * The organisation section of the admin console in the browser, against the real system (boot.ts): the admin imports
 * employees from an XLSX built here with exceljs with one bad row (the row-by-row report shows that row and its
 * message, nothing is applied), fixes the file and imports again (progress to done), finds the new employees by
 * search, opens one and changes a field; the unit tree; axe on every page visited.
 */
import { expectAccessible, launchBrowser, screenshot, type BrowserFixture, type Page } from '@kinerja/testing/browser';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminOrg } from '../src/routes/admin/org/messages';
import { SCREENSHOTS, startSystem, type System } from './system.js';
import { ID } from './text.js';
import { heading, signIn, storySteps } from './ui.js';

const t = { ...ID, adminOrg: adminOrg.id };
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const UNIT = 'DISDUKCAPIL-PDP';
const SUPERIOR = '198003152005012002';
/** three new employees; the second names a unit the region does not have until the file is fixed */
const PEOPLE = [
  { nip: '199001012015031011', name: 'Rina Kusuma Wardani', position: 'Analis Kependudukan', positionKind: 'PELAKSANA', golongan: 'III/a' },
  { nip: '199102022016042012', name: 'Yusuf Hidayatullah', position: 'Pengolah Data Kependudukan', positionKind: 'PELAKSANA', golongan: 'II/c' },
  { nip: '199203032017051013', name: 'Maya Sekar Arum', position: 'Pranata Komputer Ahli Pertama', positionKind: 'FUNGSIONAL', golongan: 'III/a' },
] as const;
const BAD_UNIT = 'UNIT-TIDAK-ADA';

/** The import file as an admin saves it from Excel: a header row, then one employee a row; NIPs as text. */
async function employeesXlsx(unitOfSecond: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Pegawai');
  ws.addRow(['nip', 'name', 'position', 'positionKind', 'unitCode', 'superiorNip', 'golongan']);
  PEOPLE.forEach((p, i) => ws.addRow([p.nip, p.name, p.position, p.positionKind, i === 1 ? unitOfSecond : UNIT, SUPERIOR, p.golongan]));
  ws.getColumn(1).numFmt = '@';
  ws.getColumn(6).numFmt = '@';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('the admin console: organisation (import, employees, an employee)', () => {
  let sys: System;
  let b: BrowserFixture;
  let page: Page;
  let admin = '';
  /** the region the demo admin administers (from /me, as the app reads it) */
  let region = '';
  let base = '';

  async function check(label: string, shot?: string) {
    await expectAccessible(page, label);
    if (shot) await screenshot(page, SCREENSHOTS, shot);
  }
  const found = async (q: string) =>
    (
      await sys.call<{ total: number; items: { id: string; position: string }[] }>('GET', `/admin/regions/${region}/employees?q=${q}`, {
        token: admin,
      })
    ).body;

  beforeAll(async () => {
    sys = await startSystem({ openCycle: false });
    admin = await sys.login('admin');
    region = (await sys.call<{ adminRegions: { code: string }[] }>('GET', '/me', { token: admin })).body.adminRegions[0]!.code;
    base = `/admin/${region}/org`;
    b = await launchBrowser();
    page = (await b.newUser({ baseURL: sys.url })).page;
  });
  storySteps('admin-org', () => page);
  afterAll(async () => {
    await b?.close();
    await sys?.close();
  });

  it('the admin opens the organisation section: the employees and the unit tree with its counts', async () => {
    await signIn(page, 'admin');
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
    await page.goto(base);
    await heading(page, t.adminOrg.list.title).waitFor();
    await page.getByText(t.adminOrg.list.total(4)).waitFor();
    await page.getByRole('link', { name: 'Andi Pratama, S.Kom.' }).waitFor();
    await check('employees');

    await page.getByRole('navigation', { name: t.adminOrg.sections }).getByRole('link', { name: t.adminOrg.unitsTab }).click();
    await heading(page, t.adminOrg.units.title).waitFor();
    const tree = page.getByRole('list').filter({ hasText: 'Dinas Kependudukan dan Pencatatan Sipil' }).first();
    // the dinas counts its bidang's three employees and its own head
    await tree.getByText(t.adminOrg.units.employees(4)).waitFor();
    await check('unit tree');
  });

  it('an XLSX with one bad row: the report names that row and its message, and nothing is applied', async () => {
    const bad = await employeesXlsx(BAD_UNIT);
    // what the API says about this file, to find it in the page against the row it names
    const direct = await fetch(`${sys.url}/admin/regions/${region}/employees/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': XLSX_TYPE, 'accept-language': 'id' },
      body: new Uint8Array(bad),
    });
    expect(direct.status).toBe(422);
    const problem = (await direct.json()) as { errors: { row?: number; message: string; pointer: string }[] };
    expect(problem.errors).toHaveLength(1);
    const [error] = problem.errors;
    expect(error!.pointer).toMatch(/unitCode$/);

    await page.goto(`${base}/import`);
    await heading(page, t.adminOrg.import.title).waitFor();
    await page.getByText(t.adminOrg.import.allOrNothing).waitFor();
    await check('import');
    await page.getByLabel(t.adminOrg.import.file).setInputFiles({ name: 'pegawai.xlsx', mimeType: XLSX_TYPE, buffer: bad });
    await page.getByRole('button', { name: t.adminOrg.import.submit, exact: true }).click();
    await page.getByRole('heading', { name: t.adminOrg.import.report }).waitFor();
    await page.getByText(t.adminOrg.import.rejected).waitFor();
    const row = page.getByRole('row').filter({ hasText: error!.message });
    await expect(row.getByRole('rowheader').textContent()).resolves.toBe(String(error!.row));
    await expect(row.getByRole('cell').first().textContent()).resolves.toBe('unitCode');
    await check('import report', 'admin-org-import');
    for (const p of PEOPLE) expect((await found(p.nip)).total).toBe(0);
  });

  it('the fixed file imports: progress to done, and the new employees are found by search', async () => {
    await page.getByLabel(t.adminOrg.import.file).setInputFiles({ name: 'pegawai.xlsx', mimeType: XLSX_TYPE, buffer: await employeesXlsx(UNIT) });
    await page.getByRole('button', { name: t.adminOrg.import.again }).click();
    await page.getByText(t.adminOrg.import.done(3, 3, 0)).waitFor();
    await page.getByText(t.adminOrg.import.rows(3, 3)).waitFor();
    const bar = page.getByRole('progressbar');
    expect(await bar.getAttribute('value')).toBe('3');
    expect(await bar.getAttribute('max')).toBe('3');
    await check('import done');

    await page.getByRole('navigation', { name: t.adminOrg.sections }).getByRole('link', { name: t.adminOrg.employeesTab }).click();
    await heading(page, t.adminOrg.list.title).waitFor();
    await page.getByText(t.adminOrg.list.total(7)).waitFor();
    await page.getByLabel(t.adminOrg.list.search).fill('Yusuf');
    await page.getByText(t.adminOrg.list.total(1)).waitFor();
    await page.getByRole('link', { name: PEOPLE[1].name }).waitFor();
    // the view is in the URL: a link reproduces it
    expect(new URL(page.url()).searchParams.get('q')).toBe('Yusuf');
    await page.getByLabel(t.adminOrg.list.search).fill(PEOPLE[2].nip.slice(0, 8));
    await page.getByRole('link', { name: PEOPLE[2].name }).waitFor();
    await page.getByText(t.adminOrg.list.total(1)).waitFor();
    await check('employees searched', 'admin-org-employees');
  });

  it('an employee opened from the list: the chain of superiors, and a changed field is saved', async () => {
    await page.getByRole('link', { name: PEOPLE[2].name }).click();
    await heading(page, PEOPLE[2].name).waitFor();
    const chain = page.getByRole('region', { name: t.adminOrg.employee.chain });
    await chain.getByRole('link', { name: 'Siti Rahmawati, S.E.' }).waitFor();
    await chain.getByRole('link', { name: 'Drs. Bambang Santoso, M.Si.' }).waitFor();
    await check('employee');

    const position = 'Pranata Komputer Ahli Muda';
    await page.getByRole('textbox', { name: t.adminOrg.field.position, exact: true }).fill(position);
    await page.getByRole('button', { name: t.app.save, exact: true }).click();
    await page.getByText(t.adminOrg.employee.saved).waitFor();
    expect((await found(PEOPLE[2].nip)).items[0]?.position).toBe(position);

    // a field the API refuses shows its message at the field
    await page.getByRole('textbox', { name: t.adminOrg.field.email, exact: true }).fill('bukan-email');
    await page.getByRole('button', { name: t.app.save, exact: true }).click();
    const email = page.getByRole('textbox', { name: t.adminOrg.field.email, exact: true });
    await expect.poll(() => email.getAttribute('aria-invalid')).toBe('true');
    await check('employee with a field problem');
  });
});
