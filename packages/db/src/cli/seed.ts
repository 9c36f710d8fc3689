/**
 * `pnpm --filter @kinerja/db run seed -- <rule-set.json>` (or KINERJA_RULESET_FILE=<file>): migrates, then seeds the
 * demo region into DATABASE_URL (unset → PGlite at .data/pglite) and prints the demo logins.
 * The rule document comes from a file because @kinerja/db does not depend on @kinerja/rules; `npm start` seeds with
 * the national rule set from @kinerja/rules automatically.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { openDb } from '../index.js';
import { migrateDb } from '../migrate.js';
import { seedDemo } from '../seed.js';

const file = process.argv.slice(2).find((a) => a !== '--') ?? process.env.KINERJA_RULESET_FILE;
if (!file) {
  console.error(
    'usage: pnpm --filter @kinerja/db run seed -- <rule-set.json>   (or set KINERJA_RULESET_FILE)\n' +
      '`npm start` seeds the demo region with the national rule set automatically.',
  );
  process.exit(2);
}

try {
  const ruleSetDocument: unknown = JSON.parse(readFileSync(resolve(process.env.INIT_CWD ?? process.cwd(), file), 'utf8'));
  const db = await openDb({ url: process.env.DATABASE_URL });
  try {
    await migrateDb(db);
    const seeded = await seedDemo(db.prisma, { ruleSetDocument });
    console.log(seeded.created ? '[db] demo region seeded (Kota Demo)' : '[db] demo region already present: nothing changed');
    console.log('demo logins:');
    for (const c of seeded.credentials) console.log(`  ${c.username.padEnd(20)} ${c.password}   ${c.role}`);
  } finally {
    await db.close();
  }
  process.exit(0); // the wasm schema engine leaves a timer running
} catch (err) {
  console.error('[db] seed failed:', err);
  process.exit(1);
}
