/**
 * `pnpm --filter @kinerja/db run verify-audit [-- --region <code>]` (root: `npm run verify-audit`): recomputes the
 * audit hash chain of every region (or of one) in DATABASE_URL (unset → PGlite at .data/pglite) and prints one line
 * per region:
 *
 *   region demo: ok, 42 events
 *   region lain: BROKEN at seq 17: hash does not match the event content (16 events verified before it)
 *
 * Exit codes: 0 every chain verifies, 1 at least one chain is broken, 2 usage error or unknown region, 3 failure.
 */
import { openDb } from '../index.js';
import { verifyAuditChain } from '../audit.js';

const USAGE = 'usage: verify-audit [--region <code>]';

function parseArgs(argv: string[]): { region?: string } {
  const out: { region?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') continue;
    if (a === '--region' || a === '-r') {
      const v = argv[++i];
      if (!v || v.startsWith('-')) throw new Error(`--region needs a region code\n${USAGE}`);
      out.region = v;
    } else if (a.startsWith('--region=')) {
      out.region = a.slice('--region='.length);
      if (!out.region) throw new Error(`--region needs a region code\n${USAGE}`);
    } else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else {
      throw new Error(`unknown argument '${a}'\n${USAGE}`);
    }
  }
  return out;
}

let args: { region?: string };
try {
  args = parseArgs(process.argv.slice(2));
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}

let exitCode = 0;
try {
  const db = await openDb({ url: process.env.DATABASE_URL });
  try {
    const regions = await db.prisma.region.findMany({
      where: args.region ? { code: args.region } : {},
      orderBy: { code: 'asc' },
      select: { id: true, code: true },
    });
    if (args.region && regions.length === 0) {
      console.error(`region ${args.region}: not found`);
      exitCode = 2;
    } else if (regions.length === 0) {
      console.log('no regions: nothing to verify');
    }
    let broken = 0;
    for (const r of regions) {
      const report = await verifyAuditChain(db.prisma, r.id);
      if (report.ok) {
        console.log(`region ${r.code}: ok, ${report.checked} event${report.checked === 1 ? '' : 's'}`);
      } else {
        broken++;
        console.log(
          `region ${r.code}: BROKEN at seq ${report.brokenAt}: ${report.reason} (${report.checked} event${report.checked === 1 ? '' : 's'} verified before it)`,
        );
      }
    }
    if (broken > 0) {
      console.error(`[db] audit chain broken in ${broken} of ${regions.length} region(s)`);
      exitCode = 1;
    }
  } finally {
    await db.close();
  }
} catch (err) {
  console.error('[db] audit verification failed:', err);
  exitCode = 3;
}
process.exit(exitCode);
