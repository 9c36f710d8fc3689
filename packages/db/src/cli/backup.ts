/**
 * `pnpm --filter @kinerja/db run backup -- --url <DATABASE_URL> --out <file>`: pg_dump -Fc of Kinerja's database.
 * `pnpm --filter @kinerja/db run restore -- --url <target URL> --in <file> [--clean]`: pg_restore into an empty
 * database (a non-empty one only with --clean), then the audit chain of every region is verified.
 *
 * pg_dump/pg_restore: KINERJA_PG_BIN when set, else PATH, else the newest /usr/lib/postgresql/<version>/bin.
 * Exit codes: 0 done (and every chain verifies), 1 a restored chain is broken, 2 usage error, 3 failure.
 */
import { parseArgs } from 'node:util';
import { backupDatabase, restoreDatabase } from '../backup.js';

const USAGE = 'usage: backup --url <DATABASE_URL> --out <file> | restore --url <target URL> --in <file> [--clean]';

let exitCode = 0;
try {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { url: { type: 'string' }, out: { type: 'string' }, in: { type: 'string' }, clean: { type: 'boolean' } },
  });
  const verb = positionals.find((p) => p !== '--');
  const tools = { pgBin: process.env.KINERJA_PG_BIN || undefined, path: process.env.PATH, env: process.env };
  if (verb === 'backup' && values.url && values.out) {
    await backupDatabase(values.url, values.out, tools);
    console.log(`[db] backup written to ${values.out}`);
  } else if (verb === 'restore' && values.url && values.in) {
    const report = await restoreDatabase(values.url, values.in, { ...tools, clean: values.clean });
    for (const { code, report: r } of report.regions) {
      console.log(
        r.ok ? `region ${code}: ok, ${r.checked} events` : `region ${code}: BROKEN at seq ${r.brokenAt}: ${r.reason} (${r.checked} events verified before it)`,
      );
    }
    if (!report.ok) {
      console.error('[db] restored, but the audit chain does not verify: do not use this copy');
      exitCode = 1;
    } else console.log(`[db] restored ${values.in}; audit chains verify`);
  } else {
    console.error(USAGE);
    exitCode = 2;
  }
} catch (err) {
  console.error('[db]', (err as Error).message);
  exitCode = exitCode || 3;
}
process.exit(exitCode);
