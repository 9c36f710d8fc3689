/** `pnpm --filter @kinerja/db run migrate`: applies prisma/migrations to DATABASE_URL (unset → PGlite at .data/pglite). */
import { openDb } from '../index.js';
import { migrateDb } from '../migrate.js';

try {
  const db = await openDb({ url: process.env.DATABASE_URL });
  try {
    const { applied, ms } = await migrateDb(db, { verbose: process.env.KINERJA_MIGRATE_VERBOSE === '1' });
    console.log(
      applied.length
        ? `[db] applied ${applied.length} migration(s) to ${db.kind} in ${ms} ms: ${applied.join(', ')}`
        : `[db] ${db.kind} database is up to date (${ms} ms)`,
    );
  } finally {
    await db.close();
  }
  // the wasm schema engine leaves a timer running: exit explicitly
  process.exit(0);
} catch (err) {
  console.error('[db] migration failed:', err);
  process.exit(1);
}
