/**
 * `npm run inbox`: the e-mails the embedded default delivered to its local inbox (.data/inbox, see local-inbox.ts).
 *
 *   npm run inbox                     # one line per message: number, time, recipient, subject
 *   npm run inbox -- --to andi        # only messages to addresses containing "andi"
 *   npm run inbox -- --show 3         # message 3 in full (headers and text)
 *   npm run inbox -- --last           # the newest message in full
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';

const DIR = join(resolve(import.meta.dirname, '..'), '.data', 'inbox');
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const addresses = (a: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((x) => x.value.map((v) => v.address ?? '')).join(', ');

async function main() {
  let files: string[];
  try {
    files = readdirSync(DIR)
      .filter((f) => f.endsWith('.eml'))
      .sort();
  } catch {
    console.log(`no local inbox yet (${DIR}): run \`npm start\` without SMTP_URL, then \`npm run demo\``);
    return;
  }
  const mails = await Promise.all(files.map(async (f, i) => ({ n: i + 1, file: f, mail: await simpleParser(readFileSync(join(DIR, f))) })));
  const to = arg('--to');
  const shown = to ? mails.filter((m) => addresses(m.mail.to).includes(to)) : mails;
  const pick = process.argv.includes('--last') ? shown.at(-1) : arg('--show') ? mails.find((m) => m.n === Number(arg('--show'))) : undefined;
  if (pick) {
    const m = pick.mail;
    console.log(`From:    ${m.from?.text ?? ''}\nTo:      ${addresses(m.to)}\nDate:    ${m.date?.toISOString() ?? ''}\nSubject: ${m.subject ?? ''}`);
    console.log(`Event:   ${String(m.headers.get('x-kinerja-event') ?? '')}\nFile:    ${join(DIR, pick.file)}\n\n${m.text ?? ''}`);
    return;
  }
  if (process.argv.includes('--show')) throw new Error(`no message ${arg('--show')} (1..${mails.length})`);
  if (shown.length === 0) console.log(`the local inbox (${DIR}) is empty${to ? ` for "${to}"` : ''}`);
  for (const { n, mail } of shown) {
    console.log(
      `${String(n).padStart(4)}  ${mail.date?.toISOString().slice(0, 19).replace('T', ' ') ?? ''}  ${addresses(mail.to).padEnd(34)}  ${mail.subject ?? ''}`,
    );
  }
  if (shown.length) console.log(`\n${shown.length} message(s) in ${DIR}; \`npm run inbox -- --show <n>\` prints one`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
