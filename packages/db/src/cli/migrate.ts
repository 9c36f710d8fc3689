/**
 * `pnpm --filter @kinerja/db run migrate [--app-role NAME]`: applies prisma/migrations to DATABASE_URL (unset →
 * PGlite at .data/pglite), connected as the schema's owner. With --app-role (PostgreSQL only) it then creates or
 * updates the application's LOGIN role (password from KINERJA_APP_ROLE_PASSWORD, kept out of the process list) with
 * the privileges the API and the worker need and no power to rewrite the audit trail.
 */
import { parseArgs } from 'node:util';
import { openDb } from '../index.js';
import { migrateDb } from '../migrate.js';
import { ensureAppRole } from '../roles.js';

try {
  const { values } = parseArgs({ options: { 'app-role': { type: 'string' } } });
  const appRole = values['app-role'];
  const appPassword = process.env.KINERJA_APP_ROLE_PASSWORD;
  if (appRole && !appPassword) throw new Error('--app-role needs KINERJA_APP_ROLE_PASSWORD');
  const db = await openDb({ url: process.env.DATABASE_URL });
  try {
    const { applied, ms } = await migrateDb(db, { verbose: process.env.KINERJA_MIGRATE_VERBOSE === '1' });
    console.log(
      applied.length
        ? `[db] applied ${applied.length} migration(s) to ${db.kind} in ${ms} ms: ${applied.join(', ')}`
        : `[db] ${db.kind} database is up to date (${ms} ms)`,
    );
    if (appRole && appPassword) {
      if (db.kind !== 'postgres') throw new Error('--app-role needs a PostgreSQL DATABASE_URL');
      await ensureAppRole(db.prisma, { role: appRole, password: appPassword });
      console.log(`[db] app role ${appRole}: table privileges granted, no UPDATE/DELETE/TRUNCATE on the audit trail`);
    }
  } finally {
    await db.close();
  }
  // the wasm schema engine leaves a timer running: exit explicitly
  process.exit(0);
} catch (err) {
  console.error('[db] migration failed:', err);
  process.exit(1);
}
