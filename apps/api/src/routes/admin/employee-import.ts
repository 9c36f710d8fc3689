/**
 * Applying a validated employee import: set-based SQL, so a region of 50,000 is a few statements per chunk instead of
 * 100,000 round trips. The whole import stays one transaction (all or nothing), but a short one: its statements take
 * seconds, not the minutes that holding row locks one upsert at a time took. Passwords are hashed before the
 * transaction opens, concurrently on libuv's thread pool (crypto.scrypt), never on the thread that serves requests.
 */
import { availableParallelism } from 'node:os';
import { hashPassword, Prisma, type PasswordPolicy, type PrismaClient } from '@kinerja/db';
import type { PositionKind } from '@kinerja/domain';

export interface ImportRow {
  nip: string;
  name: string;
  position: string;
  positionKind: PositionKind;
  unitCode: string;
  /** undefined: keep the superior; null (or empty): clear it */
  superiorNip?: string | null | undefined;
  /** undefined: keep what the employee has; null: clear it */
  pangkat?: string | null | undefined;
  golongan?: string | null | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  password?: string | undefined;
}

export type ImportPhase = 'passwords' | 'employees' | 'superiors';

/**
 * Rows per statement: a progress line every 250 rows for an ordinary file, and for a whole region (where statements of
 * 250 rows would be round trips more than work) a chunk that grows with the file, about forty lines in all.
 */
export const importChunk = (rows: number) => 250 * Math.max(1, Math.ceil(rows / 10_000));

/** Every row's password hash (null without one), `availableParallelism()` at a time, with progress. */
export async function hashImportPasswords(
  rows: readonly ImportRow[],
  policy: Partial<PasswordPolicy>,
  progress: (done: number) => Promise<unknown>,
): Promise<(string | null)[]> {
  const hashes: (string | null)[] = rows.map(() => null);
  const pending = rows.flatMap((r, i) => (r.password ? [i] : []));
  if (pending.length === 0) return hashes;
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < pending.length) {
      const i = pending[next++]!;
      hashes[i] = await hashPassword(rows[i]!.password!, policy);
      if (++done % 50 === 0 || done === pending.length) await progress(done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(availableParallelism(), pending.length) }, lane));
  return hashes;
}

const textArray = (values: readonly (string | null)[]) => Prisma.sql`${values}::text[]`;
const boolArray = (values: readonly boolean[]) => Prisma.sql`${values}::boolean[]`;

/**
 * Writes `rows` into region `regionId` inside `tx`: new employees inserted, existing ones updated (an absent optional
 * field keeps its value, null clears it), then the superiors (which may name rows of the same file), then a login
 * for each row with a password whose NIP has none. `existing` holds the region's employees by NIP before the import.
 */
export async function applyEmployeeImport(
  tx: Prisma.TransactionClient | PrismaClient,
  input: {
    regionId: string;
    rows: readonly ImportRow[];
    unitIds: ReadonlyMap<string, string>;
    existing: ReadonlyMap<string, string>;
    hashes: readonly (string | null)[];
    progress: (phase: ImportPhase, done: number) => Promise<unknown>;
  },
): Promise<void> {
  const { regionId, rows, unitIds, existing, hashes, progress } = input;
  const size = importChunk(rows.length);
  const chunks = <T>(list: readonly T[]) => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));
  const opt = (v: string | null | undefined) => v ?? null;

  let done = 0;
  for (const chunk of chunks(rows)) {
    const fresh = chunk.filter((r) => !existing.has(r.nip));
    const known = chunk.filter((r) => existing.has(r.nip));
    if (fresh.length > 0) {
      await tx.$executeRaw`
        INSERT INTO "Employee" (id, "regionId", nip, name, position, "positionKind", "unitId", pangkat, golongan, email, phone, "updatedAt")
        SELECT gen_random_uuid()::text, ${regionId}, s.nip, s.name, s.position, s.kind::"PositionKind", s.unit, s.pangkat, s.golongan, s.email, s.phone, now()
        FROM unnest(${textArray(fresh.map((r) => r.nip))}, ${textArray(fresh.map((r) => r.name))}, ${textArray(fresh.map((r) => r.position))},
          ${textArray(fresh.map((r) => r.positionKind))}, ${textArray(fresh.map((r) => unitIds.get(r.unitCode)!))},
          ${textArray(fresh.map((r) => opt(r.pangkat)))}, ${textArray(fresh.map((r) => opt(r.golongan)))},
          ${textArray(fresh.map((r) => opt(r.email)))}, ${textArray(fresh.map((r) => opt(r.phone)))})
          AS s(nip, name, position, kind, unit, pangkat, golongan, email, phone)`;
    }
    if (known.length > 0) {
      const has = (pick: (r: ImportRow) => unknown) => boolArray(known.map((r) => pick(r) !== undefined));
      await tx.$executeRaw`
        UPDATE "Employee" e SET name = s.name, position = s.position, "positionKind" = s.kind::"PositionKind", "unitId" = s.unit,
          pangkat = CASE WHEN s.has_pangkat THEN s.pangkat ELSE e.pangkat END,
          golongan = CASE WHEN s.has_golongan THEN s.golongan ELSE e.golongan END,
          email = CASE WHEN s.has_email THEN s.email ELSE e.email END,
          phone = CASE WHEN s.has_phone THEN s.phone ELSE e.phone END,
          "updatedAt" = now()
        FROM unnest(${textArray(known.map((r) => r.nip))}, ${textArray(known.map((r) => r.name))}, ${textArray(known.map((r) => r.position))},
          ${textArray(known.map((r) => r.positionKind))}, ${textArray(known.map((r) => unitIds.get(r.unitCode)!))},
          ${textArray(known.map((r) => opt(r.pangkat)))}, ${has((r) => r.pangkat)},
          ${textArray(known.map((r) => opt(r.golongan)))}, ${has((r) => r.golongan)},
          ${textArray(known.map((r) => opt(r.email)))}, ${has((r) => r.email)},
          ${textArray(known.map((r) => opt(r.phone)))}, ${has((r) => r.phone)})
          AS s(nip, name, position, kind, unit, pangkat, has_pangkat, golongan, has_golongan, email, has_email, phone, has_phone)
        WHERE e."regionId" = ${regionId} AND e.nip = s.nip`;
    }
    done += chunk.length;
    await progress('employees', done);
  }

  // superiors after every employee exists: a row may name one further down the file
  done = 0;
  for (const [c, chunk] of chunks(rows).entries()) {
    const given = chunk.filter((r) => r.superiorNip !== undefined);
    if (given.length > 0) {
      await tx.$executeRaw`
        UPDATE "Employee" e SET "superiorId" = sup.id, "updatedAt" = now()
        FROM unnest(${textArray(given.map((r) => r.nip))}, ${textArray(given.map((r) => r.superiorNip || null))}) AS s(nip, superior)
        LEFT JOIN "Employee" sup ON sup."regionId" = ${regionId} AND sup.nip = s.superior
        WHERE e."regionId" = ${regionId} AND e.nip = s.nip`;
    }
    const logins = chunk.flatMap((r, i) => {
      const hash = hashes[c * size + i];
      return hash ? [{ nip: r.nip, name: r.name, hash }] : [];
    });
    if (logins.length > 0) {
      // a NIP that already has a login keeps it (ON CONFLICT on the username or the employee)
      await tx.$executeRaw`
        INSERT INTO "User" (id, username, "passwordHash", "displayName", "employeeId", "regionId")
        SELECT gen_random_uuid()::text, s.nip, s.hash, s.name, e.id, ${regionId}
        FROM unnest(${textArray(logins.map((l) => l.nip))}, ${textArray(logins.map((l) => l.hash))}, ${textArray(logins.map((l) => l.name))}) AS s(nip, hash, name)
        JOIN "Employee" e ON e."regionId" = ${regionId} AND e.nip = s.nip
        ON CONFLICT DO NOTHING`;
    }
    done += chunk.length;
    await progress('superiors', done);
  }
}
