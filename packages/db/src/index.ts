/**
 * @kinerja/db: the one way to open Kinerja's database.
 *
 *   openDb({ url: 'postgres://…' })   PostgreSQL through @prisma/adapter-pg
 *   openDb()                          PGlite (PostgreSQL in WebAssembly, in-process) at <repo>/.data/pglite
 *   openDb({ dataDir: 'memory://' })  PGlite in memory
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from './generated/prisma/client.js';

export * from './generated/prisma/client.js';
export { migrateDb, loadMigrations, diffMigrationsToSchema, createMigration, MIGRATIONS_DIR, SCHEMA_PATH } from './migrate.js';
export type { MigrateResult } from './migrate.js';
export { hashPassword, verifyPassword, needsRehash, PASSWORD_POLICY } from './password.js';
export type { PasswordPolicy } from './password.js';
export { ensureAppRole, APPEND_ONLY_TABLES } from './roles.js';
export type { AppRoleOptions } from './roles.js';
export { appendAudit, appendAuditMany, verifyAuditChain, canonicalJson, sha256Hex, GENESIS_HASH } from './audit.js';
export type { AuditEventInput, AuditChainReport } from './audit.js';
export { seedDemo, DEMO_PASSWORD, DEMO_REGION_CODE } from './seed.js';
export type { SeedDemoOptions, SeedDemoResult } from './seed.js';
export { employeeSubjects, cycleSubjects } from './subjects.js';
export type { EmployeeSubject, SubjectFacts } from './subjects.js';
export { loadYearSnapshot } from './year-snapshot.js';
export type { YearSnapshotRow } from './year-snapshot.js';
import { ERROR_FORMAT } from './statements.js';
export { countingAdapter, openCountingClient, type CountingClient, type StatementCounter } from './statements.js';

export type DbKind = 'pglite' | 'postgres';

export interface Db {
  prisma: PrismaClient;
  kind: DbKind;
  /** The driver-adapter factory behind `prisma` (the schema engine migrates through it). */
  adapter: SqlMigrationAwareDriverAdapterFactory;
  /** The PGlite instance when kind = 'pglite' (one connection, in-process). */
  pglite?: PGlite;
  /** The connection string when kind = 'postgres'. */
  url?: string;
  close(): Promise<void>;
}

export interface OpenDbOptions {
  /** postgres:// or postgresql:// → PostgreSQL; anything else (or unset) → PGlite */
  url?: string | undefined;
  /** PGlite data directory; `memory://` keeps it in memory. Default `<repo>/.data/pglite`. */
  dataDir?: string | undefined;
  /** An existing PGlite instance to wrap (e.g. a clone of a migrated template); closed with the Db. */
  pglite?: PGlite | undefined;
  /** PostgreSQL: connections in the pool, default DEFAULT_POOL_MAX */
  poolMax?: number | undefined;
  /** PostgreSQL: prepare statements by name (statementNames), default true */
  preparedStatements?: boolean | undefined;
}

/**
 * PostgreSQL connections one process opens at most. Under a hundred concurrent requests pg's default (10) makes
 * each statement wait for nine others to come back before it is even sent; twice that keeps more of them in flight
 * while staying well inside max_connections, which every replica and the worker share (a small server gains
 * nothing from many more: its backends compete for the same cores).
 */
export const DEFAULT_POOL_MAX = 20;

/** distinct statements one process prepares by name, at most (each PostgreSQL connection keeps what it prepared) */
export const PREPARED_STATEMENTS_MAX = 1_000;

/**
 * Names for prepared statements: PostgreSQL parses and plans an unnamed statement on every execution, which on a
 * short read costs the server more than running it; a named one is parsed once per connection and its plan reused.
 * The name is the SQL's hash, so a text is prepared once whatever its parameters. Prisma's texts vary with the
 * length of an IN list, so names are given to the first PREPARED_STATEMENTS_MAX texts only (the hot reads come
 * first): the rest run unnamed, and no connection holds more than that many statements.
 * Behind a pooler in transaction mode (PgBouncer < 1.21) named statements do not work: set preparedStatements false.
 */
function statementNames(): (query: { sql: string }) => string {
  const names = new Map<string, string>();
  return ({ sql }) => {
    let name = names.get(sql);
    if (name === undefined) {
      // an empty name is pg's unnamed statement
      name = names.size < PREPARED_STATEMENTS_MAX ? `k${createHash('sha256').update(sql).digest('base64url').slice(0, 24)}` : '';
      if (name !== '') names.set(sql, name);
    }
    return name;
  };
}

/** The repository root (packages/db/src → ../../..). */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');
export const DEFAULT_PGLITE_DIR = join(REPO_ROOT, '.data', 'pglite');

export const isPostgresUrl = (url: string | undefined): url is string => !!url && /^postgres(ql)?:\/\//i.test(url);

export async function openDb(options: OpenDbOptions = {}): Promise<Db> {
  if (isPostgresUrl(options.url)) {
    const url = options.url;
    const adapter = new PrismaPg(
      { connectionString: url, max: options.poolMax ?? DEFAULT_POOL_MAX },
      options.preparedStatements === false ? {} : { statementNameGenerator: statementNames() },
    );
    const prisma = new PrismaClient({ adapter, errorFormat: ERROR_FORMAT });
    return {
      prisma,
      kind: 'postgres',
      adapter,
      url,
      close: () => prisma.$disconnect(),
    };
  }
  let pglite = options.pglite;
  if (!pglite) {
    const dataDir = options.dataDir ?? (options.url && options.url !== '' ? options.url : DEFAULT_PGLITE_DIR);
    if (!dataDir.includes('://')) mkdirSync(dataDir, { recursive: true });
    pglite = await PGlite.create(dataDir);
  }
  const instance = pglite;
  const adapter = new PrismaPGlite(instance);
  const prisma = new PrismaClient({ adapter, errorFormat: ERROR_FORMAT });
  let closed = false;
  return {
    prisma,
    kind: 'pglite',
    adapter,
    pglite: instance,
    close: async () => {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      if (!instance.closed) await instance.close();
    },
  };
}
export { startPgliteServer, type PgliteServer, type PgliteServerOptions } from './pglite-server.js';
