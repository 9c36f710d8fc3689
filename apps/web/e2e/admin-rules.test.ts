/**
 * The rule-set section of the admin console in the browser, against the real system (boot.ts): the list with the
 * seed's published version; a new rule set copied from the Gayungan pack (a draft v1); an invalid edit typed into the
 * CodeMirror editor (an unknown operator in a rule's condition, a wrong type at a rule's priority) shows each error at
 * its pointer, underlined at its place in the editor, and publishing is refused with the reason; the fix clears it;
 * a simulation against given facts shows which rules fired on which values; v1 is published (its hash, as the API
 * has it); a new draft v2 adds a rule that gives the struktural officers a predikat (the seed's employees have no
 * recorded scores, so no threshold moves their predikat), and the dry run over the region's employees shows the
 * distribution before (v1) and after (v2) differ; the diff of v1 and v2 shows the added rule;
 * v2 is published, immutable, with its hash. axe on every page and state visited.
 */
import { isDeepStrictEqual } from 'node:util';
import { PREDIKAT_MATRIX } from '@kinerja/domain';
import { expectAccessible, launchBrowser, screenshot, type BrowserFixture, type Locator, type Page } from '@kinerja/testing/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRules } from '../src/routes/admin/rulesets/messages';
import { SCREENSHOTS, startSystem, until, type System } from './system.js';
import { ID, literally } from './text.js';
import { heading, signIn, storySteps } from './ui.js';

const t = { ...ID, adminRules: adminRules.id };
const r = t.adminRules;
const PACK = 'gayungan';
const KEY = 'gayungan-uji';
const NAME = 'Gayungan (uji coba dinas)';
const BAD_OPERATOR = 'lebihBesar';
const OPERATOR_AT = '/rules/0/conditions/all/0/operator';
const PRIORITY_AT = '/rules/4/priority';
/** the rule v2 adds: the demo region's struktural officers (no recorded scores yet) get the predikat Baik */
const NEW_RULE = {
  name: 'Predikat Baik untuk pejabat struktural',
  reason: 'Pejabat struktural yang belum dinilai: predikat ditetapkan Baik selama uji coba.',
  conditions: { all: [{ fact: 'positionKind', operator: 'equal', value: 'STRUKTURAL' }] },
  event: { type: 'setPredikat', params: { predikat: 'BAIK' } },
};
/** the simulation's subject: capaian above 110%, rated above expectation in hasil kerja, as expected in perilaku */
const FACTS = [{ id: 'A', facts: { capaianAvg: 115, hasilKerjaRating: 'DI_ATAS', perilakuRating: 'SESUAI' } }];
const FIRED = 'Saran hasil kerja dari capaian: di atas ekspektasi';
const NOT_FIRED = 'Saran hasil kerja dari capaian: di bawah ekspektasi';
const PREDIKATS = ['SANGAT_BAIK', 'BAIK', 'BUTUH_PERBAIKAN', 'KURANG', 'SANGAT_KURANG', 'NONE'] as const;

type Json = Record<string, unknown>;
interface Version {
  id: string;
  version: number;
  status: 'DRAFT' | 'PUBLISHED';
  document: Json;
  contentHash: string | null;
}
interface RuleSetList {
  items: { id: string; key: string; name: string; versions: { id: string; version: number; status: string; contentHash: string | null }[] }[];
}
interface DryRun {
  current: { version: number; distribution: Record<string, number> } | null;
  proposed: { version: number; distribution: Record<string, number> };
  comparison: { changed: { id: string }[] } | null;
}

const show = (doc: unknown) => JSON.stringify(doc, null, 2);
/** a share of a distribution as the chart writes it (one decimal at most, Indonesian digits) */
const share = (d: Record<string, number>, key: string) => {
  const total = PREDIKATS.reduce((n, k) => n + (d[k] ?? 0), 0);
  return `${(total ? (100 * (d[key] ?? 0)) / total : 0).toLocaleString('id-ID', { maximumFractionDigits: 1 })}%`;
};
const predikatLabel = (k: (typeof PREDIKATS)[number]) => (k === 'NONE' ? r.none : t.predikat[k]);

describe('the admin console: rule sets (editor, validation, simulation, dry run, diff, publish)', () => {
  let sys: System;
  let b: BrowserFixture;
  let page: Page;
  let admin = '';
  let region = '';
  let base = '';
  let ruleSetId = '';
  let v1: Version;
  let v2: Version;

  async function check(label: string, shot?: string, fullPage = false) {
    await expectAccessible(page, label);
    if (shot) await screenshot(page, SCREENSHOTS, shot, { fullPage });
  }
  const api = <T = Json>(method: string, path: string, body?: unknown) =>
    sys.call<T>(method, `/admin/regions/${region}/rule-sets${path}`, { token: admin, ...(body !== undefined ? { body } : {}) });
  const stored = async (id: string) => (await api<Version>('GET', `/${ruleSetId}/versions/${id}`)).body;

  const editorRegion = () => page.getByRole('region', { name: r.editor, exact: true });
  const editorStatus = () => editorRegion().getByRole('status');
  const publishButton = () => editorRegion().getByRole('button', { name: r.publish, exact: true });

  /**
   * Replaces the whole document the way a user pastes over it, without a clipboard: into the editor's content
   * (role textbox), select all, insert the text. Then waits until the debounced save has stored that document (jsonb
   * keeps its own order of members).
   */
  async function typeDocument(versionId: string, doc: Json) {
    const editor = page.getByRole('textbox', { name: r.editorLabel });
    await editor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText(show(doc));
    await until('the edited draft saved', async () => isDeepStrictEqual((await stored(versionId)).document, doc));
  }

  /** The chart's accessible table: per predikat, the figures of each series (before, after). */
  async function chartFigures(table: Locator): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    for (const k of PREDIKATS) {
      const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: predikatLabel(k), exact: true }) });
      out[k] = await row.getByRole('cell').allTextContents();
    }
    return out;
  }

  beforeAll(async () => {
    sys = await startSystem({ openCycle: false });
    admin = await sys.login('admin');
    region = (await sys.call<{ adminRegions: { code: string }[] }>('GET', '/me', { token: admin })).body.adminRegions[0]!.code;
    base = `/admin/${region}/rule-sets`;
    b = await launchBrowser();
    page = (await b.newUser({ baseURL: sys.url })).page;
  });
  storySteps('admin-rules', () => page);
  afterAll(async () => {
    await b?.close();
    await sys?.close();
  });

  it("the admin opens the rule sets: the region's rule set with its published version and hash", async () => {
    const list = (await api<RuleSetList>('GET', '')).body;
    const seeded = list.items[0]!;
    const published = seeded.versions.find((v) => v.status === 'PUBLISHED')!;
    expect(published.contentHash).toBeTruthy();

    await signIn(page, 'admin');
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
    await page.goto(base);
    await heading(page, r.title).waitFor();
    const card = page.getByRole('region', { name: literally(seeded.name) });
    const row = card.getByRole('row').filter({ has: page.getByRole('link', { name: r.version(published.version), exact: true }) });
    await row.getByText(r.status.PUBLISHED, { exact: true }).waitFor();
    await row.getByText(published.contentHash!.slice(0, 16)).waitFor();
    await row.getByRole('button', { name: r.copyVersion }).waitFor();
    await page.getByRole('form', { name: r.newTitle }).waitFor();
    await check('the rule sets', 'admin-rules');
  });

  it('copies a pack into a new rule set: a valid draft v1 opens in the editor', async () => {
    const form = page.getByRole('form', { name: r.newTitle });
    await form.getByRole('button', { name: literally(r.pack) }).click();
    await page.getByRole('option', { name: PACK, exact: true }).click();
    await form.getByLabel(r.key).fill(KEY);
    await form.getByLabel(r.name, { exact: true }).fill(NAME);
    await form.getByRole('button', { name: r.create }).click();

    await heading(page, `${NAME} · ${r.version(1)}`).waitFor();
    const path = new URL(page.url()).pathname.split('/');
    ruleSetId = path.at(-3)!;
    v1 = await stored(path.at(-1)!);
    expect(v1).toMatchObject({ version: 1, status: 'DRAFT', contentHash: null });
    expect(v1.document).toMatchObject({ key: KEY, name: NAME });
    await page.getByText(r.status.DRAFT, { exact: true }).first().waitFor();
    await editorStatus().getByText(r.valid).waitFor();
    expect(await publishButton().isEnabled()).toBe(true);
    await check('a new draft from a pack');
  });

  it('an invalid edit shows each error at its pointer in the editor, and publishing is refused with the reason', async () => {
    const bad = structuredClone(v1.document) as { rules: Json[] };
    const rules = bad.rules as { conditions: { all: Json[] }; priority?: unknown }[];
    rules[0]!.conditions.all[0]!.operator = BAD_OPERATOR;
    rules[4]!.priority = 'tinggi';
    await typeDocument(v1.id, bad);

    const errors = editorRegion()
      .getByRole('alert')
      .filter({ hasText: r.errors(2) });
    await errors.waitFor();
    await errors.getByText(`Operator "${BAD_OPERATOR}" tidak dikenal.`).waitFor();
    const toOperator = errors.getByRole('button', { name: r.showAt(OPERATOR_AT) });
    const toPriority = errors.getByRole('button', { name: r.showAt(PRIORITY_AT) });
    await toOperator.waitFor();
    await toPriority.waitFor();
    // publishing (and running the draft) waits for a valid document, and says so
    await editorRegion().getByText(r.cannotPublish.invalid).waitFor();
    expect(await publishButton().isDisabled()).toBe(true);

    // the error's pointer shows its place: the condition's operator selected, underlined, marked in the gutter
    await toOperator.click();
    const editor = page.getByRole('textbox', { name: r.editorLabel });
    await expect.poll(() => editor.evaluate((el) => el === document.activeElement || el.contains(document.activeElement))).toBe(true);
    const operatorMark = page.locator('.cm-lintRange-error').filter({ hasText: BAD_OPERATOR });
    await operatorMark.waitFor();
    expect(await operatorMark.textContent()).toBe(`"${BAD_OPERATOR}"`);
    await page
      .locator('.cm-line')
      .filter({ has: operatorMark })
      .filter({ hasText: `"operator": "${BAD_OPERATOR}"` })
      .waitFor();
    expect(await page.evaluate(() => window.getSelection()?.toString())).toBe(`"${BAD_OPERATOR}"`);
    await page.locator('.cm-lint-marker-error').first().waitFor();
    await check('an invalid draft, its first error shown in the editor', 'admin-rules-editor');

    await toPriority.click();
    const priorityMark = page.locator('.cm-lintRange-error').filter({ hasText: 'tinggi' });
    await priorityMark.waitFor();
    await page.locator('.cm-line').filter({ has: priorityMark }).filter({ hasText: '"priority": "tinggi"' }).waitFor();
    await check('an invalid draft, its second error shown in the editor');

    // the API refuses it too, with the same pointers
    const refused = await api<{ code: string; errors: { pointer: string }[] }>('POST', `/${ruleSetId}/versions/${v1.id}/publish`);
    expect(refused.status).toBe(422);
    expect(refused.body.errors.map((e) => e.pointer)).toEqual(expect.arrayContaining([OPERATOR_AT, PRIORITY_AT]));
  });

  it('the fix clears the validation', async () => {
    await typeDocument(v1.id, v1.document);
    await editorStatus().getByText(r.valid).waitFor();
    await expect.poll(() => editorRegion().getByRole('alert').count()).toBe(0);
    await expect.poll(() => page.locator('.cm-lintRange-error').count()).toBe(0);
    expect(await publishButton().isEnabled()).toBe(true);
    expect(await editorRegion().getByText(r.cannotPublish.invalid).count()).toBe(0);
    await check('the fixed draft');
  });

  it('a simulation against given facts shows the predikat and which rules fired on which values', async () => {
    const section = page.getByRole('region', { name: r.simulate });
    await section.getByLabel(r.facts).fill(JSON.stringify(FACTS, null, 2));
    await section.getByRole('button', { name: r.run }).click();
    const subject = section.getByRole('article', { name: r.subject('A') });
    await subject.getByRole('heading', { name: `${r.subject('A')}: ${t.predikat[PREDIKAT_MATRIX.DI_ATAS.SESUAI]}` }).waitFor();

    const fired = subject.getByRole('row').filter({ has: page.getByRole('rowheader', { name: literally(FIRED) }) });
    await fired.getByText(r.fired, { exact: true }).waitFor();
    expect(await fired.getByRole('cell').allTextContents()).toEqual(['capaianAvg', '115', 'greaterThanInclusive', '110', '✓']);
    const notFired = subject.getByRole('row').filter({ has: page.getByRole('rowheader', { name: literally(NOT_FIRED) }) });
    await notFired.getByText(r.notFired, { exact: true }).waitFor();
    expect(await notFired.getByRole('cell').allTextContents()).toEqual(['capaianAvg', '115', 'lessThan', '90', '✗']);
    await check('a simulation with its trace', 'admin-rules-simulate', true);
  });

  it('publishes v1: immutable, with the hash the API has', async () => {
    await publishButton().click();
    const dialog = page.getByRole('dialog', { name: r.publishTitle });
    await dialog.getByText(r.publishBody).waitFor();
    await check('the publish confirmation');
    await dialog.getByRole('button', { name: r.publish, exact: true }).click();

    const published = await until('v1 published', async () => {
      const v = await stored(v1.id);
      return v.status === 'PUBLISHED' ? v : undefined;
    });
    expect(published.contentHash).toBeTruthy();
    await editorRegion().getByText(r.publishedHash(published.contentHash!)).waitFor();
    await editorRegion().getByText(r.readOnly).waitFor();
    expect(await page.getByRole('textbox', { name: r.editorLabel }).getAttribute('aria-readonly')).toBe('true');
    expect(await editorRegion().getByRole('button', { name: r.save }).count()).toBe(0);
    // the stored document is immutable
    expect((await api('PUT', `/${ruleSetId}/versions/${v1.id}`, { document: { ...v1.document, description: 'diubah' } })).status).toBe(409);
    v1 = published;
    await check('v1 published', 'admin-rules-published');
  });

  it('a new draft v2 gives the struktural staff a predikat: the dry run shows the distribution before and after', async () => {
    await page.getByRole('link', { name: r.back }).click();
    await heading(page, r.title).waitFor();
    const card = page.getByRole('region', { name: literally(NAME) });
    const row = card.getByRole('row').filter({ has: page.getByRole('link', { name: r.version(1), exact: true }) });
    await row.getByText(v1.contentHash!.slice(0, 16)).waitFor();
    await row.getByRole('button', { name: r.copyVersion }).click();
    await heading(page, `${NAME} · ${r.version(2)}`).waitFor();
    v2 = await stored(new URL(page.url()).pathname.split('/').at(-1)!);
    expect(v2).toMatchObject({ version: 2, status: 'DRAFT', document: v1.document });
    await editorStatus().getByText(r.valid).waitFor();

    const changed = { ...v1.document, rules: [...(v1.document.rules as Json[]), NEW_RULE] };
    await typeDocument(v2.id, changed);
    await editorStatus().getByText(r.valid).waitFor();

    const section = page.getByRole('region', { name: r.dryRun });
    await section.getByRole('button', { name: r.startDryRun }).click();
    const table = section.getByRole('table', { name: r.distribution });
    await table.getByRole('columnheader', { name: r.proposed(2) }).waitFor();
    await table.getByRole('columnheader', { name: r.current(1) }).waitFor();

    // the same dry run through the API: v1 is the region's current version (its latest published)
    const run = await api<DryRun>('POST', `/${ruleSetId}/versions/${v2.id}/simulate`, { employees: true });
    expect(run.status).toBe(200);
    const { current, proposed } = run.body;
    expect(current?.version).toBe(1);
    expect(proposed.distribution.BAIK).toBeGreaterThan(current!.distribution.BAIK ?? 0);
    const figures = await chartFigures(table);
    for (const k of PREDIKATS) expect(figures[k], k).toEqual([share(current!.distribution, k), share(proposed.distribution, k)]);
    // before and after differ where the new rule applies
    expect(figures.BAIK![0]).not.toBe(figures.BAIK![1]);
    expect(figures.NONE![0]).not.toBe(figures.NONE![1]);

    const moved = run.body.comparison!.changed.length;
    expect(moved).toBe(proposed.distribution.BAIK);
    await section.getByRole('status').getByText(r.changed(moved)).waitFor();
    const people = section.getByRole('table', { name: r.changed(moved) });
    expect(await people.getByRole('row').filter({ hasText: t.predikat.BAIK }).count()).toBe(moved);
    await check('a dry run', 'admin-rules-dry-run', true);
  });

  it('the diff of v1 and v2 shows the added rule side by side', async () => {
    const section = page.getByRole('region', { name: r.diff });
    await section
      .getByRole('button', { name: literally(r.diffFrom) })
      .getByText(`${r.version(1)} · ${r.status.PUBLISHED}`)
      .waitFor();
    await section
      .getByRole('button', { name: literally(r.diffTo) })
      .getByText(`${r.version(2)} · ${r.status.DRAFT}`)
      .waitFor();
    const table = section.getByRole('table', { name: r.diff });
    const added = `/rules/${(v1.document.rules as Json[]).length}`;
    const rows = table.locator('tbody').getByRole('row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    const row = rows.filter({ has: page.getByRole('rowheader', { name: added, exact: true }) });
    const [before, after] = await row.getByRole('cell').allTextContents();
    expect(before).toBe('—');
    expect(JSON.parse(after!)).toEqual(NEW_RULE);
    await check('the diff of two versions', 'admin-rules-diff', true);
  });

  it('publishes v2 with its hash; the list shows both versions published', async () => {
    await publishButton().click();
    await page.getByRole('dialog', { name: r.publishTitle }).getByRole('button', { name: r.publish, exact: true }).click();
    const published = await until('v2 published', async () => {
      const v = await stored(v2.id);
      return v.status === 'PUBLISHED' ? v : undefined;
    });
    await editorRegion().getByText(r.publishedHash(published.contentHash!)).waitFor();
    expect(published.contentHash).not.toBe(v1.contentHash);
    // the API's own validation answers the same hash for the stored document
    const valid = await api<{ ok: true; contentHash: string }>('POST', `/${ruleSetId}/versions/${v2.id}/validate`);
    expect(valid.body.contentHash).toBe(published.contentHash);
    expect((await api('PUT', `/${ruleSetId}/versions/${v2.id}`, { document: v2.document })).status).toBe(409);
    await check('v2 published');

    await page.getByRole('link', { name: r.back }).click();
    const card = page.getByRole('region', { name: literally(NAME) });
    for (const v of [v1, published]) {
      const row = card.getByRole('row').filter({ has: page.getByRole('link', { name: r.version(v.version), exact: true }) });
      await row.getByText(r.status.PUBLISHED, { exact: true }).waitFor();
      await row.getByText(v.contentHash!.slice(0, 16)).waitFor();
    }
    await check('the rule sets after publishing');
  });
});
