/**
 * The pejabat penilai and the atasan pejabat penilai in the year story, each signed in in a desktop browser context of
 * their own, acting on the subordinate's page (/team/{evaluationId}) the way a person would: the pages are found by
 * role and name, every page visited goes through `check` (axe, and a screenshot when named).
 */
import type { BrowserFixture, Locator, Page } from '@kinerja/testing/browser';
import { NIP, type System } from './system.js';
import { ID } from './text.js';
import { heading, nav, signInToInbox } from './ui.js';

const t = ID;
type Rating = keyof typeof t.rating;
type Aspect = keyof typeof t.supervisor.aspect;
type Check = (page: Page, label: string, shot?: string) => Promise<void>;

export interface SupervisorDesk {
  returnSkp(evaluationId: string, note: string): Promise<void>;
  approveSkp(evaluationId: string): Promise<void>;
  ratePeriod(evaluationId: string, period: number, rating: Rating, feedback: string): Promise<void>;
  askRevision(evaluationId: string, period: number, feedback: string): Promise<void>;
  rateYear(evaluationId: string): Promise<void>;
  /** as the atasan pejabat penilai */
  requestResponse(evaluationId: string): Promise<void>;
  /** as the rater, answering the atasan */
  respond(evaluationId: string, response: string): Promise<void>;
  /** as the atasan: revise the result */
  decideRevise(evaluationId: string): Promise<void>;
}

export const PERILAKU: Record<Aspect, Rating> = {
  BERORIENTASI_PELAYANAN: 'DI_ATAS',
  AKUNTABEL: 'SESUAI',
  KOMPETEN: 'DI_ATAS',
  HARMONIS: 'SESUAI',
  LOYAL: 'SESUAI',
  ADAPTIF: 'SESUAI',
  KOLABORATIF: 'SESUAI',
};
export const REVISED_PERILAKU: Record<Aspect, Rating> = { ...PERILAKU, AKUNTABEL: 'DI_ATAS', HARMONIS: 'DI_ATAS' };

/**
 * Waits until `target` shows on `page`, loading the page again every few seconds: the workflow hands a step to the
 * supervisor a moment after the ASN's action, as a person reloading the page would notice.
 */
async function whenShown(page: Page, target: Locator, what: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      await target.waitFor({ timeout: 3_000 });
      return;
    } catch {
      if (Date.now() > end) throw new Error(`${what} did not show on ${page.url()} within ${timeoutMs} ms`);
      await page.reload();
    }
  }
}

/**
 * Picks `choice` in the radio group named `group`. The radio's input is visually hidden behind its drawn dot, so the
 * pointer lands on the dot (inside the label), as a person's tap does; check() then confirms the radio is checked.
 */
async function pick(scope: Page | Locator, group: string, choice: string): Promise<void> {
  await scope.getByRole('radiogroup', { name: group, exact: true }).getByRole('radio', { name: choice, exact: true }).check({ force: true });
}

async function pickRatings(scope: Page | Locator, hasilKerja: Rating, perilaku: Record<Aspect, Rating>): Promise<void> {
  await pick(scope, t.supervisor.annual.hasilKerja, t.rating[hasilKerja]);
  for (const [aspect, rating] of Object.entries(perilaku) as [Aspect, Rating][]) await pick(scope, t.supervisor.aspect[aspect], t.rating[rating]);
}

export async function supervisorDesk(sys: System, b: BrowserFixture, check: Check): Promise<SupervisorDesk> {
  const supervisor = (await b.newUser({ baseURL: sys.url })).page;
  const atasan = (await b.newUser({ baseURL: sys.url })).page;
  await signInToInbox(supervisor, NIP.supervisor);
  await signInToInbox(atasan, NIP.atasan);

  /** the period's label as the pages show it (Triwulan I …) */
  const labelOf = async (evaluationId: string, period: number) => {
    const r = await sys.call<{ workflow: { periods: { period: number; label?: string }[] } | null }>('GET', `/evaluations/${evaluationId}`, {
      token: await sys.login(NIP.supervisor),
    });
    return r.body.workflow?.periods.find((p) => p.period === period)?.label ?? String(period);
  };
  const memberPage = async (page: Page, evaluationId: string) => {
    if (!new URL(page.url()).pathname.endsWith(`/team/${evaluationId}`)) await page.goto(`/team/${evaluationId}`);
  };
  const periodCard = async (evaluationId: string, period: number) =>
    supervisor.getByRole('region', { name: t.supervisor.period.heading(await labelOf(evaluationId, period)), exact: true });

  let teamSeen = false;
  /** the rater's last response, which the atasan reads before deciding */
  let response = '';
  const review = async (evaluationId: string, period: number, decision: { rating: Rating } | 'REVISION', feedback: string) => {
    await memberPage(supervisor, evaluationId);
    const card = await periodCard(evaluationId, period);
    const button = card.getByRole('button', { name: decision === 'REVISION' ? t.supervisor.period.askRevision : t.supervisor.period.rate, exact: true });
    await whenShown(supervisor, button, `the review form of period ${period}`);
    if (period === 1 && decision !== 'REVISION') await check(supervisor, 'period review (supervisor)', 'supervisor-period-review');
    if (decision !== 'REVISION') await pick(card, t.supervisor.period.rating, t.rating[decision.rating]);
    await card.getByLabel(t.supervisor.period.feedback).fill(feedback);
    await button.click();
    await card.getByText(decision === 'REVISION' ? t.supervisor.period.revisionSent : t.supervisor.period.rated).waitFor();
  };

  return {
    async returnSkp(evaluationId, note) {
      if (!teamSeen) {
        await nav(supervisor, t.nav.team).click();
        await heading(supervisor, t.supervisor.team.title).waitFor();
        await check(supervisor, 'team (supervisor)', 'supervisor-team');
        teamSeen = true;
      }
      await memberPage(supervisor, evaluationId);
      const back = supervisor.getByRole('button', { name: t.supervisor.skp.return, exact: true });
      await whenShown(supervisor, back, 'the SKP decision');
      await check(supervisor, 'SKP decision (supervisor)', 'supervisor-skp-decision');
      await supervisor.getByLabel(t.supervisor.skp.note).fill(note);
      await back.click();
      await supervisor.getByText(t.supervisor.skp.returned).waitFor();
    },
    async approveSkp(evaluationId) {
      await memberPage(supervisor, evaluationId);
      const approve = supervisor.getByRole('button', { name: t.supervisor.skp.approve, exact: true });
      await whenShown(supervisor, approve, 'the resubmitted SKP');
      await supervisor.getByLabel(t.supervisor.skp.note).fill('Sesuai rencana strategis dinas.');
      await approve.click();
      await supervisor.getByText(t.supervisor.skp.approved).waitFor();
    },
    ratePeriod: (evaluationId, period, rating, feedback) => review(evaluationId, period, { rating }, feedback),
    askRevision: (evaluationId, period, feedback) => review(evaluationId, period, 'REVISION', feedback),
    async rateYear(evaluationId) {
      await memberPage(supervisor, evaluationId);
      const send = supervisor.getByRole('button', { name: t.supervisor.annual.send, exact: true });
      await whenShown(supervisor, send, 'the annual rating form');
      await pickRatings(supervisor, 'SESUAI', PERILAKU);
      await supervisor.getByLabel(t.supervisor.annual.aspectNote(t.supervisor.aspect.BERORIENTASI_PELAYANAN)).fill('Sigap melayani warga di loket.');
      await supervisor.getByLabel(t.supervisor.annual.notes, { exact: true }).fill('Kinerja baik sepanjang tahun.');
      await check(supervisor, 'annual rating (supervisor)', 'supervisor-annual-rating');
      await send.click();
      const confirm = supervisor.getByRole('dialog', { name: t.supervisor.annual.confirmTitle });
      await confirm.waitFor();
      await check(supervisor, 'annual rating confirmation (supervisor)');
      await confirm.getByRole('button', { name: t.supervisor.annual.confirm, exact: true }).click();
      await supervisor.getByText(t.supervisor.annual.sent).waitFor();
      // the rule set scores the rating in an activity after the answer: the result shows once it is written
      await whenShown(supervisor, supervisor.getByRole('heading', { name: t.supervisor.annual.result, exact: true }), 'the rule set\u2019s result');
      await check(supervisor, 'annual result (supervisor)', 'supervisor-annual-result');
    },
    async requestResponse(evaluationId) {
      await nav(atasan, t.nav.team).click();
      await heading(atasan, t.supervisor.team.title).waitFor();
      await atasan.goto('/team/appeals');
      await heading(atasan, t.supervisor.appeals.title).waitFor();
      await check(atasan, 'keberatan list (atasan)', 'atasan-appeals');
      await memberPage(atasan, evaluationId);
      const ask = atasan.getByRole('button', { name: t.supervisor.appeal.requestResponse, exact: true });
      await whenShown(atasan, ask, 'the keberatan');
      await check(atasan, 'keberatan (atasan)', 'atasan-keberatan');
      await ask.click();
      await atasan.getByText(t.supervisor.appeal.requested).waitFor();
    },
    async respond(evaluationId, text) {
      response = text;
      await supervisor.goto(`/team/${evaluationId}`);
      const field = supervisor.getByLabel(t.supervisor.appeal.respondLabel);
      await whenShown(supervisor, field, 'the request for a response');
      await check(supervisor, 'keberatan response (supervisor)');
      await field.fill(response);
      await supervisor.getByRole('button', { name: t.supervisor.appeal.respond, exact: true }).click();
      await supervisor.getByText(response).waitFor();
    },
    async decideRevise(evaluationId) {
      await atasan.goto(`/team/${evaluationId}`);
      await whenShown(atasan, atasan.getByText(response), 'the rater\u2019s response');
      await pick(atasan, t.supervisor.appeal.decision, t.supervisor.appeal.revise);
      await pickRatings(atasan, 'DI_ATAS', REVISED_PERILAKU);
      await atasan.getByLabel(t.supervisor.appeal.decisionReasons).fill('Bukti capaian mendukung keberatan.');
      await check(atasan, 'keberatan decision (atasan)', 'atasan-decision');
      await atasan.getByRole('button', { name: t.supervisor.appeal.decide, exact: true }).click();
      const confirm = atasan.getByRole('dialog', { name: t.supervisor.appeal.confirmTitle });
      await confirm.getByRole('button', { name: t.supervisor.appeal.confirm, exact: true }).click();
      await atasan.getByText(t.supervisor.appeal.outcome.REVISE).waitFor();
      await check(atasan, 'keberatan decided (atasan)');
    },
  };
}
