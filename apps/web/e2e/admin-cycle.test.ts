/**
 * The cycles section of the admin console in the browser, against the real system (boot.ts, four 2-second quarters):
 * the overview says how to start without a cycle; the admin opens this year's cycle with unit calibration on the
 * seed's published rule-set version and watches the progress bar reach the total; the bidang's three evaluations are
 * driven through the API to CALIBRATION, all rated Sangat Baik (more than the 70% an Istimewa unit allows); the
 * unit's calibration page shows that violation, refuses to finalise without a reason (at the field) and finalises
 * with one; the report exported as XLSX from the cycle's page reads back with exceljs, NIPs as text. axe on every
 * page visited.
 */
import { checkDistribution, PREDIKATS, UNIT_PREDIKATS, type BehaviourRatings, type Predikat } from '@kinerja/domain';
import { expectAccessible, launchBrowser, screenshot, type BrowserFixture, type Page } from '@kinerja/testing/browser';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { breaks, DISTRIBUTION_RULES } from '../src/routes/admin/cycles/bounds';
import { adminCycles } from '../src/routes/admin/cycles/messages';
import { NIP, SCREENSHOTS, startSystem, until, type System } from './system.js';
import { ID, literally } from './text.js';
import { heading, signIn, storySteps } from './ui.js';

const t = { ...ID, adminCycles: adminCycles.id };
const c = t.adminCycles;
const UNIT_NAME = 'Bidang Pelayanan Pendaftaran Penduduk';
const REASON = 'Seluruh pegawai bidang melampaui target; pimpinan menetapkan hasil apa adanya.';

const allDiAtas: BehaviourRatings = {
  BERORIENTASI_PELAYANAN: 'DI_ATAS',
  AKUNTABEL: 'DI_ATAS',
  KOMPETEN: 'DI_ATAS',
  HARMONIS: 'DI_ATAS',
  LOYAL: 'DI_ATAS',
  ADAPTIF: 'DI_ATAS',
  KOLABORATIF: 'DI_ATAS',
};
const SKP = {
  rhk: [
    {
      title: 'Pelayanan dokumen kependudukan tepat waktu',
      indicators: [
        { name: 'Jumlah dokumen yang diterbitkan', kind: 'QUANTITY', target: 1200, unit: 'dokumen' },
        { name: 'Waktu penerbitan rata-rata', kind: 'TIME', target: 3, unit: 'hari' },
      ],
    },
  ],
};

interface View {
  evaluation: { phase: string; skp: { rhk: { indicators: { id: string }[] }[] } | null };
  workflow: { phase: string } | null;
}

describe('the admin console: cycles, calibration and the report', () => {
  let sys: System;
  let b: BrowserFixture;
  let page: Page;
  let admin = '';
  let cycleId = '';
  const year = new Date().getFullYear();
  /** the region the seed's admin administers, and its console */
  let region = '';
  let base = '';

  async function check(label: string, shot?: string) {
    await expectAccessible(page, label);
    if (shot) await screenshot(page, SCREENSHOTS, shot);
  }

  beforeAll(async () => {
    sys = await startSystem({ openCycle: false });
    admin = await sys.login('admin');
    region = (await sys.call<{ adminRegions: { code: string }[] }>('GET', '/me', { token: admin })).body.adminRegions[0]!.code;
    base = `/admin/${region}`;
    b = await launchBrowser();
    page = (await b.newUser({ baseURL: sys.url })).page;
  });
  storySteps('admin-cycle', () => page);
  afterAll(async () => {
    await b?.close();
    await sys?.close();
  });

  it("the calibration page's bounds say what the API checks, for every unit predikat and every distribution of ten", () => {
    const spread = (left: number, slots: number): number[][] =>
      slots === 1 ? [[left]] : Array.from({ length: left + 1 }, (_, n) => spread(left - n, slots - 1).map((rest) => [n, ...rest])).flat();
    const all = spread(10, PREDIKATS.length);
    expect(all).toHaveLength(1001);
    for (const unit of UNIT_PREDIKATS) {
      for (const split of all) {
        const counts = Object.fromEntries(PREDIKATS.map((p, i) => [p, split[i]!])) as Record<Predikat, number>;
        const staff = PREDIKATS.flatMap((p) => Array.from({ length: counts[p] }, () => p));
        const api = checkDistribution(unit, staff).map((v) => v.code);
        const page = DISTRIBUTION_RULES[unit].filter((r) => breaks(r, counts)).map((r) => r.code);
        expect(page, `${unit} ${JSON.stringify(counts)}`).toEqual(api);
      }
    }
  });

  it('without a cycle the overview says how to start; the admin opens a cycle with unit calibration and watches its progress', async () => {
    await signIn(page, 'admin');
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
    await page.goto(base);
    await heading(page, c.overview.title).waitFor();
    await page.getByRole('heading', { name: c.overview.emptyTitle }).waitFor();
    await page.getByText(c.overview.stepPublished(1)).waitFor();
    await check('overview without a cycle');

    await page.getByRole('link', { name: c.overview.toOpen }).click();
    await heading(page, c.open.title).waitFor();
    // the seed's published version is offered and chosen
    await page
      .getByRole('button', { name: literally(c.open.version) })
      .getByText(/v1 ·/)
      .waitFor();
    await check('open a cycle');
    await page.getByLabel(c.open.name).fill('');
    await page.getByRole('button', { name: c.open.submit }).click();
    await page.getByText(c.open.required).waitFor();
    await page.getByLabel(c.open.name).fill(`Penilaian Kinerja ${year}`);
    expect(await page.getByRole('checkbox', { name: c.open.calibration }).isChecked()).toBe(true);
    await page.getByRole('button', { name: c.open.submit }).click();

    await page.waitForURL((u) => /\/cycles\/[^/]+$/.test(u.pathname) && !u.pathname.endsWith('/new'));
    cycleId = new URL(page.url()).pathname.split('/').pop()!;
    await heading(page, `Penilaian Kinerja ${year}`).waitFor();
    const opened = await until('the fan-out done', async () => {
      const r = await sys.call<{ cycle: { unitCalibration: boolean }; progress: { started: number; total: number; done: boolean } }>(
        'GET',
        `/admin/regions/${region}/cycles/${cycleId}`,
        { token: admin },
      );
      return r.body.progress.done ? r.body : undefined;
    });
    expect(opened.cycle.unitCalibration).toBe(true);
    expect(opened.progress.total).toBeGreaterThanOrEqual(3);
    // the bar polls until it reaches the total
    await page.getByText(`${c.progress.value(opened.progress.total, opened.progress.total)}. ${c.progress.done}`).waitFor({ timeout: 30_000 });
    const bar = page.getByRole('progressbar', { name: c.progress.label });
    expect(await bar.getAttribute('value')).toBe(String(opened.progress.total));
    expect(await bar.getAttribute('max')).toBe(String(opened.progress.total));
    await check('a cycle opened');
  });

  it('the bidang, all rated Sangat Baik, breaks the Istimewa bound: the calibration page shows it and the admin finalises with a reason', async () => {
    // the bidang: the kepala bidang (rated by the kepala dinas) and two staff (rated by the kepala bidang), driven to CALIBRATION
    const people = [
      { nip: NIP.asn, rater: NIP.supervisor },
      { nip: NIP.asn2, rater: NIP.supervisor },
      { nip: NIP.supervisor, rater: NIP.atasan },
    ];
    await Promise.all(people.map((p) => drive(p.nip, p.rater)));

    await page.goto(`${base}/cycles/${cycleId}`);
    await heading(page, `Penilaian Kinerja ${year}`).waitFor();
    await page.getByRole('link', { name: c.report.calibrate(UNIT_NAME) }).click();
    await heading(page, c.calibration.title(UNIT_NAME)).waitFor();
    await page.getByText(c.calibration.pickFirst).waitFor();
    await page.getByRole('button', { name: literally(c.calibration.unitPredikat) }).click();
    await page.getByRole('option', { name: c.calibration.unitPredikatName.ISTIMEWA }).click();
    const violations = page.getByRole('list', { name: c.calibration.violations });
    await violations.getByText(t.adminCycles.rule.atMost(t.predikat.SANGAT_BAIK, 0.7)).waitFor();
    await violations.getByText(c.calibration.actual(1, 0.7)).waitFor();
    await page
      .getByRole('figure')
      .filter({ hasText: c.calibration.chart(UNIT_NAME) })
      .waitFor();
    await check('unit calibration with a violation', 'admin-calibration');

    const finalise = page.getByRole('form', { name: c.calibration.finalise });
    await finalise.getByRole('button', { name: c.calibration.finaliseSubmit }).click();
    await finalise.getByText(c.calibration.reasonRequired).waitFor();
    expect(await finalise.getByLabel(c.calibration.reason).getAttribute('aria-invalid')).toBe('true');
    await check('finalise without a reason');
    await finalise.getByLabel(c.calibration.reason).fill(REASON);
    await finalise.getByRole('button', { name: c.calibration.finaliseSubmit }).click();
    await page.getByText(c.calibration.finalised(3)).waitFor();
    await page.getByText(c.calibration.reasonWas(REASON)).waitFor();
    await check('unit finalised');

    const unitId = new URL(page.url()).pathname.split('/').pop()!;
    const stored = await sys.call<{ unitResult: { status: string; reason: string; unitPredikat: string } | null }>(
      'GET',
      `/admin/regions/${region}/cycles/${cycleId}/units/${unitId}/calibration`,
      { token: admin },
    );
    expect(stored.body.unitResult).toMatchObject({ status: 'FINALISED', reason: REASON, unitPredikat: 'ISTIMEWA' });
    // the keberatan window opens for the unit's staff
    const asn = await sys.login(NIP.asn);
    const id = await evaluationOf(asn);
    await until(
      'the ASN in APPEAL_WINDOW',
      async () => (await sys.call<View>('GET', `/evaluations/${id}`, { token: asn })).body.evaluation.phase === 'APPEAL_WINDOW',
    );
  });

  it('the overview and the cycle page show the dashboard; the report downloads as XLSX with NIPs as text', async () => {
    await page.goto(base);
    await page.getByRole('heading', { name: c.overview.current(`Penilaian Kinerja ${year}`) }).waitFor();
    await page.getByRole('figure').filter({ hasText: c.report.distribution }).getByRole('cell', { name: '3', exact: true }).first().waitFor();
    await check('overview with the current cycle', 'admin-overview');

    await page.getByRole('link', { name: c.overview.openCycle }).click();
    await heading(page, `Penilaian Kinerja ${year}`).waitFor();
    await page
      .getByRole('region', { name: c.report.unitsCaption })
      .getByRole('link', { name: c.report.calibrate(UNIT_NAME) })
      .waitFor();
    await check('the cycle with its report', 'admin-cycle');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: c.report.xlsx }).click()]);
    expect(download.suggestedFilename()).toBe(`kinerja-${year}.xlsx`);
    const path = await download.path();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    const sheet = wb.getWorksheet('Pegawai');
    expect(sheet).toBeDefined();
    const header = (sheet!.getRow(1).values as unknown[]).slice(1);
    const nipColumn = header.indexOf('nip') + 1;
    const predikatColumn = header.indexOf('predikat') + 1;
    expect(nipColumn).toBeGreaterThan(0);
    const rows = Array.from({ length: sheet!.rowCount - 1 }, (_, i) => sheet!.getRow(i + 2));
    const asnRow = rows.find((r) => r.getCell(nipColumn).text === NIP.asn);
    expect(asnRow, 'the ASN in the export').toBeDefined();
    expect(asnRow!.getCell(nipColumn).type).toBe(ExcelJS.ValueType.String);
    expect(asnRow!.getCell(predikatColumn).text).toBe('SANGAT_BAIK');
    expect(rows.map((r) => r.getCell(nipColumn).text)).toEqual(expect.arrayContaining([NIP.asn, NIP.asn2, NIP.supervisor]));
  });

  /** the employee's evaluation in the opened cycle */
  async function evaluationOf(token: string): Promise<string> {
    return until('the evaluation in the cycle', async () => {
      const r = await sys.call<{ items: { id: string; cycleId: string }[] }>('GET', '/me/evaluations', { token });
      return r.body.items.find((e) => e.cycleId === cycleId)?.id;
    });
  }

  /** The SKP, four quarterly reports and reviews, the annual rating (all above expectation): up to CALIBRATION. */
  async function drive(nip: string, raterNip: string): Promise<void> {
    const asn = await sys.login(nip);
    const rater = await sys.login(raterNip);
    const id = await evaluationOf(asn);
    const at = `/evaluations/${id}`;
    expect((await sys.call('PUT', `${at}/targets`, { token: asn, body: SKP })).status).toBe(200);
    await until(`the SKP of ${nip} approved`, async () => {
      const r = await sys.call('POST', `${at}/targets/decision`, { token: rater, body: { decision: 'APPROVE', note: 'Sesuai rencana strategis' } });
      if (r.status !== 200) expect(r.status, JSON.stringify(r.body)).toBe(409); // the workflow has not seen the SKP yet
      return r.status === 200;
    });
    const indicators = await until(`the approved SKP of ${nip}`, async () =>
      (await sys.call<View>('GET', at, { token: asn })).body.evaluation.skp?.rhk.flatMap((r) => r.indicators),
    );
    for (let period = 1; period <= 4; period++) {
      await until(`${nip} reports period ${period}`, async () => {
        const r = await sys.call('PUT', `${at}/periods/${period}/report`, {
          token: asn,
          body: {
            realisations: indicators.map((ind, i) => ({ indicatorId: ind.id, value: i === 0 ? 330 : 3 })),
            evidence: [{ kind: 'LINK', name: 'Rekap SIAK', url: 'https://example.go.id/rekap' }],
          },
        });
        if (r.status !== 200) expect(r.status, JSON.stringify(r.body)).toBe(409); // the period is not open yet
        return r.status === 200;
      });
      const reviewed = await sys.call('POST', `${at}/periods/${period}/review`, {
        token: rater,
        body: { decision: 'RATE', rating: 'DI_ATAS', feedback: 'Laporan lengkap dan tepat waktu' },
      });
      expect(reviewed.status, JSON.stringify(reviewed.body)).toBe(200);
    }
    await until(`${nip} in ANNUAL_RATING`, async () => (await sys.call<View>('GET', at, { token: asn })).body.workflow?.phase === 'ANNUAL_RATING');
    const rated = await sys.call('POST', `${at}/annual-rating`, {
      token: rater,
      body: { hasilKerja: 'DI_ATAS', perilaku: allDiAtas, notes: 'Kinerja sangat baik' },
    });
    expect(rated.status, JSON.stringify(rated.body)).toBe(200);
    await until(`${nip} in CALIBRATION`, async () => (await sys.call<View>('GET', at, { token: asn })).body.evaluation.phase === 'CALIBRATION', 90_000);
  }
});
