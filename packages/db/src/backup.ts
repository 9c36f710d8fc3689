/**
 * Backup and restore of Kinerja's PostgreSQL database with the server's own tools: pg_dump in the custom format
 * (-Fc: compressed, restorable table by table) and pg_restore into an empty database, after which the restored audit
 * chain of every region is recomputed, so a backup that does not carry an intact history is noticed at restore time
 * rather than when the history is needed.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { verifyAuditChain, type AuditChainReport } from './audit.js';
import { openDb } from './index.js';

/**
 * A PostgreSQL client program: `pgBin/<tool>` when given, else the first on PATH, else the newest
 * /usr/lib/postgresql/<version>/bin (Debian/Ubuntu keep the server binaries off PATH).
 */
export function findPgTool(tool: 'pg_dump' | 'pg_restore', options: { pgBin?: string | undefined; path?: string | undefined } = {}): string {
  if (options.pgBin) {
    const candidate = join(options.pgBin, tool);
    if (existsSync(candidate)) return candidate;
    throw new Error(`${tool} not found in ${options.pgBin}`);
  }
  for (const dir of (options.path ?? '').split(delimiter).filter(Boolean)) {
    if (existsSync(join(dir, tool))) return join(dir, tool);
  }
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(join(base, v, 'bin', tool)))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0]) return join(base, versions[0], 'bin', tool);
  throw new Error(`${tool} not found on PATH nor in /usr/lib/postgresql/*/bin`);
}

/** The URL without its password, and the password for PGPASSWORD: nothing secret on the process list. */
function connection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env: password ? { PGPASSWORD: password } : {} };
}

function run(program: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'inherit', 'pipe'], env });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${program} exited with ${code}: ${stderr.trim()}`))));
  });
}

export interface PgToolOptions {
  pgBin?: string | undefined;
  /** the PATH searched for the tool */
  path?: string | undefined;
  /** the tool's environment (PGSSLMODE, PGSERVICEFILE…); the password from the URL is added as PGPASSWORD */
  env?: NodeJS.ProcessEnv | undefined;
}

/** pg_dump -Fc of `url` into `out`. */
export async function backupDatabase(url: string, out: string, options: PgToolOptions = {}): Promise<void> {
  const { dbname, env } = connection(url);
  await run(findPgTool('pg_dump', options), ['--format=custom', '--no-password', `--file=${out}`, `--dbname=${dbname}`], { ...options.env, ...env });
}

export interface RestoreOptions extends PgToolOptions {
  /** drop the target's existing objects first; without it a target with tables is refused */
  clean?: boolean | undefined;
}

export interface RestoreReport {
  regions: { code: string; report: AuditChainReport }[];
  ok: boolean;
}

/**
 * pg_restore of `file` into `url` (no owners and no grants from the source: the target's owner owns everything;
 * re-run `migrate --app-role` to grant the application role), then verifies every region's audit chain.
 */
export async function restoreDatabase(url: string, file: string, options: RestoreOptions = {}): Promise<RestoreReport> {
  if (!options.clean) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`);
      if (Number(rows[0]?.n ?? 0) > 0) throw new Error('the target database is not empty (pass --clean to replace its contents)');
    } finally {
      await client.end();
    }
  }
  const { dbname, env } = connection(url);
  const args = ['--no-owner', '--no-acl', '--exit-on-error', '--single-transaction', '--no-password', `--dbname=${dbname}`];
  if (options.clean) args.push('--clean', '--if-exists');
  await run(findPgTool('pg_restore', options), [...args, file], { ...options.env, ...env });
  return verifyDatabase(url);
}

/** Recomputes the audit chain of every region of `url`. */
export async function verifyDatabase(url: string): Promise<RestoreReport> {
  const db = await openDb({ url });
  try {
    const regions = await db.prisma.region.findMany({ orderBy: { code: 'asc' }, select: { id: true, code: true } });
    const out: RestoreReport['regions'] = [];
    for (const r of regions) out.push({ code: r.code, report: await verifyAuditChain(db.prisma, r.id) });
    return { regions: out, ok: out.every((r) => r.report.ok) };
  } finally {
    await db.close();
  }
}
