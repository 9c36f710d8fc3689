/**
 * `npm run demo`: drives one employee's whole year through the HTTP API of a running Kinerja (`npm start`), the way
 * the three kinds of users would: the admin opens a cycle, the ASN drafts targets and reports every period, the
 * supervisor approves and reviews, rates the year, the ASN files a keberatan and the atasan pejabat penilai decides.
 *
 *   npm run demo                      # against http://localhost:3000, the first year from this one without a cycle
 *   npm run demo -- --year 2031       # that year's cycle (a region has one cycle per year)
 *   KINERJA_URL=http://host:3000 npm run demo
 *
 * Uses only the public API (what the README's curl steps show), so it doubles as a smoke test of a deployment. At
 * the end it reports where the ASN's annual result and keberatan decision e-mails went: with the embedded default's
 * local inbox (`npm start` without SMTP_URL) it waits for both messages there and names their files; with SMTP_URL it
 * names the server the worker delivers to.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { simpleParser } from 'mailparser';
import { createClient, okBody } from '@kinerja/api/client';
import { readMailRoute } from './local-inbox.js';

const BASE = (process.env.KINERJA_URL ?? 'http://localhost:3000').replace(/\/$/, '');
const yearArg = process.argv.indexOf('--year');
const YEAR_GIVEN = yearArg > 0 ? Number(process.argv[yearArg + 1]) : null;
const PASSWORD = 'kinerja-demo';
const NIP = { kepalaDinas: '197001011995031001', kepalaBidang: '198003152005012002', staff: '199205202019031003' };
/** the ASN's address in the demo seed (packages/db/src/seed.ts) */
const ASN_EMAIL = 'andi.pratama@kotademo.example';
const DATA = join(resolve(import.meta.dirname, '..'), '.data');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (who: string, what: string) => console.log(`\x1b[36m${who.padEnd(22)}\x1b[0m ${what}`);

/** The typed client (@kinerja/api/client), signed in as `token` when given. */
const client = (token?: string) => createClient(BASE, { headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } });

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 10 * 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(500);
  }
}
const login = async (username: string) => (await okBody(client().auth.login.$post({ json: { username, password: PASSWORD } }), 'sign-in')).accessToken;

/** The local inbox's messages of `event` to the ASN that arrived since `since`. */
async function inboxMail(dir: string, event: string, since: number) {
  const found: { file: string; subject: string }[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.eml'))) {
    const file = join(dir, f);
    if (statSync(file).mtimeMs < since) continue;
    const mail = await simpleParser(readFileSync(file));
    const to = (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((a) => a.value.map((v) => v.address));
    if (mail.headers.get('x-kinerja-event') === event && to.includes(ASN_EMAIL)) found.push({ file, subject: mail.subject ?? '' });
  }
  return found[0];
}

async function reportMail(since: number) {
  const route = readMailRoute(DATA);
  if (!route) {
    say('e-mail', `the worker e-mails ${ASN_EMAIL} through its SMTP_URL (no mail route in ${DATA}: Kinerja runs elsewhere)`);
    return;
  }
  if (!route.inbox) {
    say('e-mail', `the annual result and the keberatan decision go to ${ASN_EMAIL} through SMTP ${route.smtp} (SMTP_URL)`);
    return;
  }
  const inbox = route.inbox;
  for (const [event, what] of [
    ['ANNUAL_RESULT', 'annual result'],
    ['APPEAL_DECISION', 'keberatan decision'],
  ] as const) {
    const m = await until(`the ${what} e-mail in ${inbox}`, () => inboxMail(inbox, event, since), 60_000);
    say('e-mail', `${what} → ${ASN_EMAIL}: "${m.subject}"`);
    say('', `  ${m.file}`);
  }
  console.log('Read them with `npm run inbox` (`npm run inbox -- --last` prints the newest).');
}

async function main() {
  const startedAt = Date.now();
  const health = await client()
    .health.$get()
    .catch(() => null);
  if (!health || health.status !== 200) throw new Error(`Kinerja is not answering at ${BASE}/health: run \`npm start\` first`);

  const admin = client(await login('admin'));
  const asn = client(await login(NIP.staff));
  const sup = client(await login(NIP.kepalaBidang));
  const rev = client(await login(NIP.kepalaDinas));
  say('admin (BKPSDM)', 'signed in; the ASN, the supervisor and the appeal reviewer sign in too');

  const region = admin.admin.regions[':regionCode'];
  const ruleSets = await okBody(region['rule-sets'].$get({ param: { regionCode: 'demo' } }));
  const published = ruleSets.items.flatMap((rs) => rs.versions).find((v) => v.status === 'PUBLISHED');
  if (!published) throw new Error('the demo region has no published rule set');
  // `npm start` opens this year's cycle for the browser: the demo takes the next year nobody has opened
  const taken = new Set((await okBody(region.cycles.$get({ param: { regionCode: 'demo' } }))).items.map((cy) => cy.year));
  let year = YEAR_GIVEN ?? new Date().getFullYear();
  while (YEAR_GIVEN === null && taken.has(year)) year += 1;
  const opened = await okBody(
    region.cycles.$post({ param: { regionCode: 'demo' }, json: { year: year, name: `Penilaian Kinerja ${year}`, ruleSetVersionId: published.id } }),
  );
  const cycleId = opened.cycle.id;
  say('admin (BKPSDM)', `opened cycle ${year} (${cycleId}) on rule-set version ${published.id}`);

  const id = await until('the ASN evaluation', async () => {
    const r = await okBody(asn.me.evaluations.$get({ query: {} }));
    return r.items.find((e) => e.cycleId === cycleId)?.id;
  });
  const base = `/evaluations/${id}`;
  const param = { id };
  const as = (c: typeof asn) => c.evaluations[':id'];
  const view = () => okBody(as(asn).$get({ param }));
  if ((await view()).evaluation.phase !== 'TARGET_SETTING') {
    throw new Error(`the ${year} evaluation is already past target setting: run \`npm run demo -- --year ${year + 1}\``);
  }

  await okBody(
    as(asn).targets.$put({
      param,
      json: {
        rhk: [
          {
            title: 'Terselenggaranya pelayanan administrasi kependudukan yang cepat',
            indicators: [
              { name: 'Jumlah dokumen kependudukan yang diterbitkan', kind: 'QUANTITY', target: 1200, unit: 'dokumen' },
              { name: 'Rata-rata waktu penyelesaian dokumen', kind: 'TIME', target: 3, unit: 'hari' },
            ],
          },
        ],
      },
    }),
  );
  say('ASN (staff)', 'submitted the SKP: 1 RHK, 2 indicators');
  await okBody(as(sup).targets.decision.$post({ param, json: { decision: 'APPROVE', note: 'Target sesuai rencana strategis bidang' } }));
  say('pejabat penilai', 'approved the SKP');

  const indicators = await until('the approved SKP', async () => (await view()).evaluation.skp?.rhk.flatMap((r) => r.indicators));
  const periods = (await view()).workflow?.periods.length ?? 12;
  for (let p = 1; p <= periods; p++) {
    const period = { id, period: p };
    await until(`period ${p} to open`, async () => {
      const r = await as(asn).periods[':period'].report.$put({
        param: period,
        json: {
          realisations: indicators.map((ind, i) => ({ indicatorId: ind.id, value: i === 0 ? 100 + (p % 3) * 10 : 3 })),
          evidence: [{ kind: 'LINK', name: `Rekap SIAK bulan ${p}`, url: `https://siak.example.go.id/rekap/${p}` }],
          note: `Laporan periode ${p}`,
        },
      });
      if (r.status === 200) return true;
      if (r.status !== 409) throw new Error(`report ${p} → ${r.status}: ${await r.text()}`);
      return false;
    });
    await okBody(
      as(sup).periods[':period'].review.$post({ param: period, json: { decision: 'RATE', rating: 'SESUAI', feedback: 'Laporan lengkap, pertahankan.' } }),
    );
    say('ASN → pejabat penilai', `period ${p}/${periods}: reported, reviewed (SESUAI)`);
  }

  await until('the annual rating phase', async () => (await view()).workflow?.phase === 'ANNUAL_RATING');
  const perilaku = {
    BERORIENTASI_PELAYANAN: 'SESUAI',
    AKUNTABEL: 'SESUAI',
    KOMPETEN: 'SESUAI',
    HARMONIS: 'SESUAI',
    LOYAL: 'SESUAI',
    ADAPTIF: 'SESUAI',
    KOLABORATIF: 'SESUAI',
  } as const;
  await okBody(as(sup)['annual-rating'].$post({ param, json: { hasilKerja: 'SESUAI', perilaku, notes: 'Kinerja sesuai ekspektasi' } }));
  const initial = await until('the initial result', async () => (await view()).workflow?.result);
  say('pejabat penilai', `rated the year → predikat ${initial.predikat}`);
  for (const reason of initial.reasons) say('', `  · ${reason}`);

  await okBody(as(asn).appeal.$post({ param, json: { reasons: 'Jumlah dokumen yang saya terbitkan melampaui target di sebagian besar bulan.' } }));
  say('ASN (staff)', 'filed a keberatan within the window');
  await okBody(as(rev).appeal['request-response'].$post({ param }));
  await okBody(as(sup).appeal.response.$post({ param, json: { response: 'Penilaian sudah mempertimbangkan seluruh bukti dukung.' } }));
  say('atasan pejabat penilai', 'asked the supervisor for a response; the supervisor answered');
  await okBody(
    as(rev).appeal.decision.$post({
      param,
      json: {
        decision: 'REVISE',
        reasons: 'Bukti capaian mendukung keberatan.',
        hasilKerja: 'DI_ATAS',
        perilaku: { ...perilaku, BERORIENTASI_PELAYANAN: 'DI_ATAS', AKUNTABEL: 'DI_ATAS', KOMPETEN: 'DI_ATAS', KOLABORATIF: 'DI_ATAS' },
      },
    }),
  );
  say('atasan pejabat penilai', 'revised the ratings (final decision)');

  const final = await until('the FINAL score', async () => {
    const v = await view();
    return v.evaluation.phase === 'FINAL' ? v.evaluation.scores.find((s) => s.kind === 'FINAL') : undefined;
  });
  say('result', `FINAL predikat ${final.predikat}, score ${final.numericScore}`);
  await reportMail(startedAt);
  console.log(`\nSee it in the API (${BASE}${base}) and in the Temporal UI (http://localhost:8233).`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`\x1b[31mdemo failed:\x1b[0m ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
