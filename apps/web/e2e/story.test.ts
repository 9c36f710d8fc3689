/**
 * One ASN's year in the browser, from the SKP to a final predikat, against the real system (boot.ts: real Temporal,
 * real database, real worker and API serving the built app) on a short calendar of four 2-second quarters:
 *   - the ASN on a phone (390 × 844, touch) drafts the SKP, which the pejabat penilai returns with a note; the ASN
 *     revises it and it is approved;
 *   - the ASN reports every quarter (link and uploaded-file evidence); the supervisor rates them and asks for one
 *     revision, which the ASN sends;
 *   - the supervisor rates the year; the ASN reads the predikat with the rule set's reasons and files a keberatan;
 *     the atasan pejabat penilai asks the rater for a response, the rater answers, the atasan revises the result;
 *   - the ASN sees the FINAL result.
 * Every user has a browser context of their own (desk.ts drives the supervisor's and the atasan's). axe checks every page visited (no serious or critical violation);
 * the main pages are saved for the README (docs/screenshots with KINERJA_UPDATE_SCREENSHOTS=1, see boot.ts).
 */
import { expectAccessible, launchBrowser, screenshot, type BrowserFixture, type Page } from '@kinerja/testing/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NIP, SCREENSHOTS, startSystem, until, type System } from './system.js';
import { ID } from './text.js';
import { heading, nav, signInToInbox, storySteps } from './ui.js';
import { supervisorDesk, type SupervisorDesk } from './desk.js';

const t = ID;

interface Detail {
  evaluation: {
    phase: string;
    skp: { status: string; rhk: { indicators: { id: string; name: string }[] }[] } | null;
    scores: { kind: string; predikat: string }[];
  };
  workflow: {
    phase: string;
    periods: { period: number; state: string; label?: string; opensAt?: string }[];
    result?: { predikat: string; final: boolean; reasons: string[] };
  } | null;
}

/** A one-page PDF: evidence files are checked against their bytes, so the upload must be a real PDF. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj ' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

describe('an ASN year in the browser: SKP, reports, rating, keberatan, final predikat', () => {
  let sys: System;
  let b: BrowserFixture;
  let asn: Page;
  let desk: SupervisorDesk;
  let evaluationId = '';
  const visited: string[] = [];

  /** axe on the page as the user sees it now, and once per page a screenshot when `shot` names it */
  async function check(page: Page, label: string, shot?: string) {
    await expectAccessible(page, label);
    visited.push(label);
    if (shot) await screenshot(page, SCREENSHOTS, shot);
  }

  /** the evaluation as the API answers it (to wait for the workflow between the users' steps) */
  const detail = async () => (await sys.call<Detail>('GET', `/evaluations/${evaluationId}`, { token: await sys.login(NIP.asn) })).body;

  beforeAll(async () => {
    sys = await startSystem();
    b = await launchBrowser();
    asn = (await b.newUser({ baseURL: sys.url, phone: true })).page;
    desk = await supervisorDesk(sys, b, check);
  });
  storySteps('story', () => asn);
  afterAll(async () => {
    await b?.close();
    await sys?.close();
  });

  it('the ASN drafts the SKP on the phone; the supervisor returns it with a note; the revised SKP is approved', async () => {
    await signInToInbox(asn, NIP.asn);
    await check(asn, 'inbox (ASN)', 'asn-inbox');
    await asn.getByRole('link', { name: new RegExp(t.taskKind.SUBMIT_TARGETS) }).click();
    await heading(asn, t.asn.skp.title).waitFor();
    evaluationId = /\/year\/([^/]+)\/skp/.exec(new URL(asn.url()).pathname)?.[1] ?? '';
    expect(evaluationId).not.toBe('');

    await asn.getByLabel(t.asn.skp.rhkTitle).fill('Terselenggaranya pelayanan administrasi kependudukan yang cepat');
    await asn.getByLabel(t.asn.skp.indicatorName).fill('Jumlah dokumen kependudukan yang diterbitkan');
    await asn.getByLabel(t.asn.skp.target, { exact: true }).fill('1200');
    await asn.getByLabel(t.asn.skp.unit).fill('dokumen');
    await asn.getByRole('button', { name: t.asn.skp.addIndicator }).click();
    await asn.getByLabel(t.asn.skp.indicatorName).nth(1).fill('Rata-rata waktu penyelesaian dokumen');
    await asn
      .getByRole('button', { name: new RegExp(t.asn.skp.kind) })
      .nth(1)
      .click();
    await asn.getByRole('option', { name: t.indicatorKind.TIME }).click();
    await asn.getByLabel(t.asn.skp.target, { exact: true }).nth(1).fill('3');
    await asn.getByLabel(t.asn.skp.unit).nth(1).fill('hari');
    await check(asn, 'SKP editor', 'asn-skp-editor');
    await asn.getByRole('button', { name: t.asn.skp.submit }).click();
    const confirm = asn.getByRole('dialog', { name: t.asn.skp.confirmSubmit });
    await confirm.waitFor();
    await check(asn, 'SKP submit dialog');
    await confirm.getByRole('button', { name: t.asn.skp.submit }).click();
    await asn.getByText(t.asn.skp.submitted).waitFor();

    const note = 'Target jumlah dokumen perlu dinaikkan sesuai rencana strategis dinas.';
    await desk.returnSkp(evaluationId, note);

    await asn.reload();
    await asn.getByRole('alert').or(asn.getByRole('status')).filter({ hasText: t.asn.skp.returned }).waitFor();
    await asn.getByText(note).waitFor();
    await check(asn, 'SKP returned with a note', 'asn-skp-returned');
    await asn.getByLabel(t.asn.skp.target, { exact: true }).first().fill('1500');
    await asn.getByRole('button', { name: t.asn.skp.submit }).click();
    await asn.getByRole('dialog', { name: t.asn.skp.confirmSubmit }).getByRole('button', { name: t.asn.skp.submit }).click();
    await asn.getByText(t.asn.skp.submitted).waitFor();

    await desk.approveSkp(evaluationId);
    await until('the approved SKP', async () => (await detail()).evaluation.skp?.status === 'APPROVED');
    await asn.goto(`/year/${evaluationId}`);
    await asn.getByText(t.asn.skpStatus.APPROVED).first().waitFor();
    await check(asn, 'the year (timeline)', 'asn-year');
  });

  it('the ASN reports every quarter; the supervisor rates them and asks for one revision, which the ASN sends', async () => {
    // the quarters run back to back from the approval: report once the last one has begun
    const periods = await until('four open quarters', async () => {
      const d = await detail();
      const ps = d.workflow?.periods ?? [];
      return ps.length === 4 && ps.every((p) => p.state === 'OPEN' && p.opensAt !== undefined && Date.parse(p.opensAt) <= Date.now()) ? ps : undefined;
    });
    const indicators = (await detail()).evaluation.skp!.rhk.flatMap((r) => r.indicators);
    for (const p of periods) {
      await asn.goto(`/year/${evaluationId}/periods/${p.period}`);
      await heading(asn, t.asn.period.title(p.label ?? String(p.period))).waitFor();
      await asn.getByLabel(indicators[0]!.name).fill(String(300 + p.period * 10));
      await asn.getByLabel(indicators[1]!.name).fill('3');
      await asn.getByLabel(t.asn.period.linkName).fill(`Rekap SIAK triwulan ${p.period}`);
      await asn.getByLabel(t.asn.period.linkUrl).fill(`https://siak.kotademo.example/rekap/${p.period}`);
      await asn.getByRole('button', { name: t.asn.period.addLink }).click();
      if (p.period === 1) {
        await asn.locator('input[type=file]').setInputFiles({ name: 'berita-acara.pdf', mimeType: 'application/pdf', buffer: PDF });
        await asn.getByRole('button', { name: /berita-acara\.pdf/ }).waitFor();
        await check(asn, 'period report with evidence', 'asn-period-report');
      }
      await asn.getByRole('button', { name: t.asn.period.submit }).click();
      await asn.getByText(t.asn.period.submitted).waitFor();
      if (p.period === 1) await check(asn, 'period report sent');
    }

    const revisionNote = 'Lampirkan rekap jumlah dokumen per kelurahan untuk triwulan ini.';
    await desk.ratePeriod(evaluationId, 1, 'SESUAI', 'Laporan lengkap dan tepat waktu.');
    await desk.askRevision(evaluationId, 2, revisionNote);
    await desk.ratePeriod(evaluationId, 3, 'DI_ATAS', 'Capaian melampaui target.');
    await desk.ratePeriod(evaluationId, 4, 'SESUAI', 'Sesuai target.');

    await asn.goto(`/year/${evaluationId}/periods/2`);
    await asn.getByText(t.asn.period.revisionAsked).waitFor();
    await asn.getByText(revisionNote).waitFor();
    await check(asn, 'period with a revision asked', 'asn-period-revision');
    await asn.getByLabel(indicators[0]!.name).fill('345');
    await asn.getByLabel(t.asn.period.note).fill('Rekap per kelurahan terlampir.');
    await asn.getByRole('button', { name: t.asn.period.resubmit }).click();
    await asn.getByText(t.asn.period.submitted).waitFor();
    await desk.ratePeriod(evaluationId, 2, 'SESUAI', 'Revisi diterima.');

    await asn.goto(`/year/${evaluationId}/periods/1`);
    await asn.getByText('Laporan lengkap dan tepat waktu.').waitFor();
    await check(asn, 'period with the supervisor feedback');
  });

  it('the supervisor rates the year; the ASN reads the predikat and its reasons and files a keberatan', async () => {
    await until('the annual rating phase', async () => (await detail()).workflow?.phase === 'ANNUAL_RATING', 120_000);
    await desk.rateYear(evaluationId);
    const result = await until('the initial result', async () => (await detail()).workflow?.result);

    await asn.goto(`/year/${evaluationId}/result`);
    await heading(asn, t.asn.result.title).waitFor();
    await asn
      .getByText(t.predikat[result.predikat as keyof typeof t.predikat], { exact: true })
      .first()
      .waitFor();
    await asn.getByText(t.asn.result.provisional).waitFor();
    for (const reason of result.reasons) await asn.getByText(reason, { exact: true }).first().waitFor();
    await check(asn, 'result with the keberatan form', 'asn-result');

    await asn.getByLabel(t.asn.result.reasonsLabel).fill('Capaian saya melampaui target pada tiga triwulan, bukti terlampir.');
    await asn.getByRole('button', { name: t.asn.result.file }).click();
    await asn.getByRole('dialog', { name: t.asn.result.confirmFile }).getByRole('button', { name: t.asn.result.file }).click();
    await asn.getByText(t.asn.result.progress).waitFor();
    await check(asn, 'keberatan progress');
  });

  it('the atasan asks for the rater\u2019s response, the rater answers, the atasan revises: the ASN sees the FINAL result', async () => {
    await until('the appeal in the workflow', async () => (await detail()).workflow?.phase === 'APPEAL');
    await desk.requestResponse(evaluationId);
    await desk.respond(evaluationId, 'Penilaian sudah sesuai bukti yang dilaporkan.');
    await desk.decideRevise(evaluationId);
    const final = await until('the FINAL result', async () => {
      const d = await detail();
      return d.evaluation.phase === 'FINAL' && d.workflow?.result?.final ? d.workflow.result : undefined;
    });

    await asn.goto(`/year/${evaluationId}/result`);
    await asn.getByText(t.asn.result.final).waitFor();
    await asn.getByText(t.asn.result.decision.REVISE).waitFor();
    await asn
      .getByText(t.predikat[final.predikat as keyof typeof t.predikat], { exact: true })
      .first()
      .waitFor();
    await check(asn, 'the FINAL result', 'asn-result-final');
    await nav(asn, t.nav.year).click();
    await asn.getByText(t.phase.FINAL).first().waitFor();
    await check(asn, 'the year, FINAL');
    expect(visited.length).toBeGreaterThanOrEqual(12);
  });
});
