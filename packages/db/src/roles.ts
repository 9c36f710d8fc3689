/**
 * The application's database role. Migrations run as the owner of the schema; the API and the worker connect as a
 * role that reads and writes the application tables but cannot rewrite history: no UPDATE, DELETE or TRUNCATE on
 * "AuditEvent" (the append-only triggers stop the first two for everyone; the missing privilege stops them earlier
 * and also stops TRUNCATE, which triggers do not see), and, owning nothing, it cannot ALTER the table to drop or
 * disable those triggers. Nothing in the application updates or deletes audit rows (appends take an advisory lock,
 * not a table lock), and there is no chain-head table: the head is the region's latest event.
 */
import type { PrismaClient } from './generated/prisma/client.js';

export interface AppRoleOptions {
  role: string;
  password: string;
}

/** The tables the application role may only read and append to. */
export const APPEND_ONLY_TABLES = ['AuditEvent'] as const;
/** Migration bookkeeping: the application reads it at most. */
const OWNER_ONLY_TABLES = ['_prisma_migrations'] as const;

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * Creates the LOGIN role if it is missing (else sets its password) and grants it today's tables and sequences, and
 * those later migrations create (default privileges of the owner running this). Idempotent: run it after every
 * migration. `owner` must be connected as the owner of the schema's tables.
 */
export async function ensureAppRole(owner: PrismaClient, options: AppRoleOptions): Promise<void> {
  const { role, password } = options;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role)) throw new Error(`app role name must be a lower-case SQL identifier: ${role}`);
  if (password.length < 12) throw new Error('app role password must have at least 12 characters');
  const [{ schema, me } = { schema: 'public', me: '' }] = await owner.$queryRaw<{ schema: string; me: string }[]>`
    SELECT current_schema() AS schema, current_user AS me`;
  if (role === me) throw new Error('the app role must not be the owner running the migrations');
  const r = ident(role);
  const s = ident(schema);
  await owner.$transaction(async (tx) => {
    const exists = await tx.$queryRaw<{ n: number }[]>`SELECT 1 AS n FROM pg_roles WHERE rolname = ${role}`;
    // CREATE/ALTER ROLE take no bind parameters: the password goes in as a quoted literal
    await tx.$executeRawUnsafe(
      `${exists.length ? 'ALTER' : 'CREATE'} ROLE ${r} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD ${literal(password)}`,
    );
    await tx.$executeRawUnsafe(`GRANT USAGE ON SCHEMA ${s} TO ${r}`);
    await tx.$executeRawUnsafe(`REVOKE CREATE ON SCHEMA ${s} FROM ${r}`);
    await tx.$executeRawUnsafe(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${r}`);
    await tx.$executeRawUnsafe(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${s} TO ${r}`);
    await tx.$executeRawUnsafe(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${r}`);
    await tx.$executeRawUnsafe(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT USAGE, SELECT ON SEQUENCES TO ${r}`);
    for (const table of APPEND_ONLY_TABLES) {
      await tx.$executeRawUnsafe(`REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ${s}.${ident(table)} FROM ${r}`);
    }
    for (const table of OWNER_ONLY_TABLES) {
      const present = await tx.$queryRaw<{ n: number }[]>`
        SELECT 1 AS n FROM pg_tables WHERE schemaname = ${schema} AND tablename = ${table}`;
      if (present.length) await tx.$executeRawUnsafe(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ${s}.${ident(table)} FROM ${r}`);
    }
  });
}
