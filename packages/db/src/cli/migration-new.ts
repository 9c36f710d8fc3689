/**
 * `pnpm --filter @kinerja/db run migration:new -- <name>`: writes a new migration from the difference between the
 * migrations folder and prisma/schema.prisma (offline; replays the migrations on an in-memory PGlite).
 */
import { relative } from 'node:path';
import { createMigration } from '../migrate.js';

const name = process.argv
  .slice(2)
  .filter((a) => a !== '--')
  .join('_');
if (!name) {
  console.error('usage: pnpm --filter @kinerja/db run migration:new -- <name>');
  process.exit(2);
}
try {
  const created = await createMigration(name);
  if (created) console.log(`created ${relative(process.cwd(), created.path)}`);
  else console.log('the schema matches the migrations folder: no migration needed');
  process.exit(0);
} catch (err) {
  console.error(err);
  process.exit(1);
}
