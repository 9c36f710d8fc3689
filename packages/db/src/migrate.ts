/**
 * Offline migrations: prisma/migrations/<name>/migration.sql applied by Prisma's schema engine compiled to WebAssembly,
 * through the database's driver adapter. The engine records what it applied in the standard `_prisma_migrations`
 * table, so the native `prisma migrate` accepts the database later.
 *
 * Note: the wasm engine leaves a timer running; command-line callers must exit the process explicitly.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaFilter } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { openSchemaEngine, type EngineLog } from './schema-engine.js';

const PACKAGE_ROOT = resolve(import.meta.dirname, '..');
export const SCHEMA_PATH = join(PACKAGE_ROOT, 'prisma', 'schema.prisma');
export const MIGRATIONS_DIR = join(PACKAGE_ROOT, 'prisma', 'migrations');
const LOCKFILE = 'migration_lock.toml';
const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

export interface MigrateResult {
  /** names of the migrations applied by this call (empty when the database was up to date) */
  applied: string[];
  ms: number;
}

/** Reads the migrations folder the way the Prisma CLI does (sorted directory names, each with migration.sql). */
export function loadMigrations(dir: string = MIGRATIONS_DIR): MigrationList {
  const lockPath = join(dir, LOCKFILE);
  const names = existsSync(dir)
    ? readdirSync(dir)
        .filter((n) => statSync(join(dir, n)).isDirectory())
        .sort()
    : [];
  return {
    baseDir: dir,
    lockfile: { path: LOCKFILE, content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: names.map((name) => {
      const file = join(dir, name, 'migration.sql');
      return {
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: existsSync(file) ? { tag: 'ok' as const, value: readFileSync(file, 'utf8') } : { tag: 'error' as const, value: `${file} not found` },
        },
      };
    }),
  };
}

function engineLogger(verbose: boolean) {
  return (log: EngineLog) => {
    if (!verbose) return;
    const level = typeof log.level === 'string' ? log.level : 'INFO';
    console.error(`[schema-engine] ${level} ${JSON.stringify(log.fields ?? log.message ?? log)}`);
  };
}

interface MultiStatementDriver {
  query(sql: string): Promise<unknown>;
}
const isMultiStatementDriver = (d: unknown): d is MultiStatementDriver =>
  typeof d === 'object' && d !== null && typeof (d as { query?: unknown }).query === 'function';

/**
 * @prisma/adapter-pg runs a migration script by splitting it on every ';', which breaks dollar-quoted function bodies
 * (our AuditEvent trigger) and comments containing ';'. Send the script whole instead, as the native engine does:
 * PostgreSQL's simple-query protocol runs a multi-statement script in one implicit transaction.
 */
function wholeScriptAdapter(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const driver: unknown = (adapter as { underlyingDriver?: () => unknown }).underlyingDriver?.();
  if (adapter.adapterName !== '@prisma/adapter-pg' || !isMultiStatementDriver(driver)) return adapter;
  const onError = (adapter as { onError?: (e: unknown) => never }).onError;
  const executeScript = async (script: string): Promise<void> => {
    try {
      await driver.query(script);
    } catch (err) {
      if (onError) onError.call(adapter, err);
      throw err;
    }
  };
  return new Proxy(adapter, {
    get(target, prop) {
      if (prop === 'executeScript') return executeScript;
      const value: unknown = Reflect.get(target, prop);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * The factory the engine connects through, keeping the connections it opens: each @prisma/adapter-pg connection is a
 * pool of its own, which `engine.free()` leaves open; an idle one holds its database for the pool's idle timeout,
 * long enough to make `CREATE DATABASE … TEMPLATE` of a just-migrated database fail. `dispose` ends them.
 */
function wholeScriptFactory(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory & { dispose(): Promise<void> } {
  const opened: SqlDriverAdapter[] = [];
  const keep = (a: SqlDriverAdapter) => {
    opened.push(a);
    return wholeScriptAdapter(a);
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => keep(await factory.connect()),
    connectToShadowDb: async () => keep(await factory.connectToShadowDb()),
    // PGlite's adapter shares the caller's instance, which the caller goes on using: only pools are ended
    dispose: async () => {
      await Promise.all(opened.filter((a) => a.adapterName === '@prisma/adapter-pg').map((a) => a.dispose()));
    },
  };
}

/** Applies every unapplied migration to the database behind `target` (a Db from openDb, or any adapter factory). */
export async function migrateDb(
  target: { adapter: SqlMigrationAwareDriverAdapterFactory } | SqlMigrationAwareDriverAdapterFactory,
  options: { migrationsDir?: string; verbose?: boolean } = {},
): Promise<MigrateResult> {
  const started = performance.now();
  const factory = wholeScriptFactory('adapter' in target ? target.adapter : target);
  const engine = await openSchemaEngine(factory, { onLog: engineLogger(options.verbose ?? false) });
  try {
    const out = await engine.applyMigrations({
      migrationsList: loadMigrations(options.migrationsDir),
      filters: NO_FILTER,
    });
    return { applied: out.appliedMigrationNames, ms: Math.round(performance.now() - started) };
  } finally {
    engine.free();
    await factory.dispose();
  }
}

/**
 * The SQL that would bring a database migrated with the migrations folder to the Prisma schema; empty when the
 * folder is complete. Works offline: the migrations are replayed on an in-memory PGlite shadow database.
 */
export async function diffMigrationsToSchema(options: { migrationsDir?: string; schemaPath?: string } = {}): Promise<string> {
  const schemaPath = options.schemaPath ?? SCHEMA_PATH;
  const migrations = loadMigrations(options.migrationsDir);
  const pg = await PGlite.create('memory://');
  const engine = await openSchemaEngine(new PrismaPGlite(pg));
  try {
    const from = migrations.migrationDirectories.length > 0 ? ({ tag: 'migrations', ...migrations } as const) : ({ tag: 'empty' } as const);
    const out = await engine.diff({
      from,
      to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: readFileSync(schemaPath, 'utf8') }] },
      script: true,
      exitCode: null,
      filters: NO_FILTER,
    });
    const created = migrations.migrationDirectories.map((d) => (d.migrationFile.content.tag === 'ok' ? d.migrationFile.content.value : ''));
    return normaliseScript(withoutIndexRecreations(out.stdout ?? '', created));
  } finally {
    engine.free();
    await pg.close();
  }
}

/**
 * Prisma's diff does not read back the operator class of a B-tree index (`ops: raw("text_pattern_ops")`, prisma/orm
 * #16275), so it proposes to drop and recreate such an index on every diff. A DROP INDEX whose CREATE INDEX in the
 * same script is, word for word, the statement a migration already ran is that false drift: both are left out.
 */
function withoutIndexRecreations(script: string, migrationSql: string[]): string {
  const statements = script.split(/;\s*\n/);
  const created = new Set(migrationSql.flatMap((sql) => sql.split(/;\s*\n/)).map(statementText));
  const recreated = new Set<string>();
  for (const st of statements) {
    const m = /CREATE INDEX "([^"]+)"/.exec(st);
    if (m && created.has(statementText(st)) && statements.some((d) => statementText(d) === `DROP INDEX "${m[1]}"`)) recreated.add(m[1]!);
  }
  if (recreated.size === 0) return script;
  const kept = statements.filter((st) => {
    const text = statementText(st);
    return ![...recreated].some((name) => text === `DROP INDEX "${name}"` || text.startsWith(`CREATE INDEX "${name}" `));
  });
  return kept.join(';\n');
}

/** A statement without its comment lines and surrounding blanks. */
const statementText = (st: string) =>
  st
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n')
    .trim()
    .replace(/;$/, '');

/** An empty diff script still carries a comment line; treat whitespace/comment-only output as empty. */
function normaliseScript(script: string): string {
  const meaningful = script.split('\n').some((line) => line.trim() !== '' && !line.trim().startsWith('--'));
  return meaningful ? script.trimEnd() + '\n' : '';
}

const timestamp = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(0, 14); // YYYYMMDDHHMMSS, as `prisma migrate dev` names them

/**
 * Writes prisma/migrations/<timestamp>_<name>/migration.sql from the difference between the migrations folder and
 * the schema (the offline `prisma migrate dev --create-only`). Returns null when the schema has no changes.
 */
export async function createMigration(
  name: string,
  options: { migrationsDir?: string; schemaPath?: string; now?: Date } = {},
): Promise<{ name: string; path: string; sql: string } | null> {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!slug) throw new Error('a migration name is required (letters, digits, underscores)');
  const dir = options.migrationsDir ?? MIGRATIONS_DIR;
  const sql = await diffMigrationsToSchema({ ...options, migrationsDir: dir });
  if (!sql) return null;
  const dirName = `${timestamp(options.now ?? new Date())}_${slug}`;
  mkdirSync(join(dir, dirName), { recursive: true });
  const lockPath = join(dir, LOCKFILE);
  if (!existsSync(lockPath)) {
    writeFileSync(
      lockPath,
      '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
    );
  }
  const path = join(dir, dirName, 'migration.sql');
  writeFileSync(path, sql);
  return { name: dirName, path, sql };
}
