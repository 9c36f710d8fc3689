/**
 * `npm run seed`: migrate, then seed the demo region into DATABASE_URL (or the embedded PGlite at .data/pglite).
 * Idempotent. `--national` pins the national rule set's real calendar instead of the short demo calendar.
 */
import { DEMO_REGION_CODE, migrateDb, openDb, seedDemo } from '@kinerja/db';
import { demoRuleSet, nationalRuleSet } from '@kinerja/rules';

const national = process.argv.includes('--national');
const db = await openDb({ url: process.env.DATABASE_URL });
try {
  await migrateDb(db);
  const seeded = await seedDemo(db.prisma, {
    ruleSetDocument: national ? nationalRuleSet : demoRuleSet,
    calendarName: national ? 'national' : 'demo',
  });
  console.log(`[kinerja] demo region "${DEMO_REGION_CODE}" ${seeded.created ? 'seeded' : 'already present'}; logins:`);
  for (const c of seeded.credentials) console.log(`  ${c.username.padEnd(20)} ${c.password}  ${c.role}`);
} finally {
  await db.close();
}
process.exit(0);
