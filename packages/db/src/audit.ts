/**
 * The audit trail: append-only (database triggers reject UPDATE/DELETE/TRUNCATE) and hash-chained per region.
 * Each event's hash = sha256(prevHash + canonicalJson(event fields)); the first event of a region chains to
 * GENESIS_HASH. Appends for one region are serialised with a transaction-scoped advisory lock, so `seq` has no gaps.
 */
import { createHash } from 'node:crypto';
import { Prisma, type AuditEvent, type PrismaClient } from './generated/prisma/client.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEventInput {
  regionId: string;
  actorUserId?: string | null | undefined;
  actorEmployeeId?: string | null | undefined;
  actingForId?: string | null | undefined;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  requestId?: string | null | undefined;
  /** defaults to now */
  at?: Date | undefined;
}

export interface AuditChainReport {
  ok: boolean;
  checked: number;
  /** seq of the first event that does not verify */
  brokenAt?: number;
  reason?: string;
}

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Normalises a value to what JSON (and jsonb) keeps: Dates become ISO strings, undefined members disappear. */
function toJsonValue(value: unknown): JsonValue {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value) ?? 'null') as JsonValue;
}

/** Deterministic JSON: object keys sorted, no whitespace. */
export function canonicalJson(value: unknown): string {
  const walk = (v: JsonValue): string => {
    if (v === null || typeof v !== 'object') return JSON.stringify(v);
    if (Array.isArray(v)) return `[${v.map(walk).join(',')}]`;
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${walk(v[k] as JsonValue)}`).join(',')}}`;
  };
  return walk(toJsonValue(value));
}

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

interface HashedFields {
  regionId: string;
  seq: number;
  at: Date;
  actorUserId: string | null;
  actorEmployeeId: string | null;
  actingForId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  requestId: string | null;
}

function eventHash(prevHash: string, e: HashedFields): string {
  return sha256Hex(
    prevHash +
      canonicalJson({
        regionId: e.regionId,
        seq: e.seq,
        at: e.at.toISOString(),
        actorUserId: e.actorUserId,
        actorEmployeeId: e.actorEmployeeId,
        actingForId: e.actingForId,
        action: e.action,
        entityType: e.entityType,
        entityId: e.entityId,
        before: e.before ?? null,
        after: e.after ?? null,
        requestId: e.requestId,
      }),
  );
}

const jsonInput = (v: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull => {
  const j = toJsonValue(v);
  return j === null ? Prisma.DbNull : j;
};

type Tx = Prisma.TransactionClient;

/** Rows for consecutive events after `last` (the region's newest event, if any), each linked to the one before. */
function chainRows(last: { seq: number; hash: string } | null, inputs: AuditEventInput[]) {
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  return inputs.map((input) => {
    const fields: HashedFields = {
      regionId: input.regionId,
      seq: ++seq,
      at: input.at ?? new Date(),
      actorUserId: input.actorUserId ?? null,
      actorEmployeeId: input.actorEmployeeId ?? null,
      actingForId: input.actingForId ?? null,
      action: input.action,
      entityType: input.entityType,
      entityId: input.entityId,
      before: toJsonValue(input.before),
      after: toJsonValue(input.after),
      requestId: input.requestId ?? null,
    };
    const row = { ...fields, before: jsonInput(fields.before), after: jsonInput(fields.after), prevHash, hash: eventHash(prevHash, fields) };
    prevHash = row.hash;
    return row;
  });
}

/** Takes the region's append lock until the transaction ends and reads the chain's head. */
async function lockChain(tx: Tx, regionId: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`kinerja:audit:${regionId}`}, 0))`;
  return tx.auditEvent.findFirst({ where: { regionId }, orderBy: { seq: 'desc' }, select: { seq: true, hash: true } });
}

async function appendInTx(tx: Tx, input: AuditEventInput): Promise<AuditEvent> {
  const [row] = chainRows(await lockChain(tx, input.regionId), [input]);
  return tx.auditEvent.create({ data: row! });
}

/**
 * Appends several events of one region in order, under one lock and with one insert (the cycle's fan-out audits a
 * whole batch of new evaluations this way). Must run inside the transaction of the changes it records.
 */
export async function appendAuditMany(tx: Tx, inputs: AuditEventInput[]): Promise<number> {
  if (inputs.length === 0) return 0;
  const regionId = inputs[0]!.regionId;
  if (inputs.some((i) => i.regionId !== regionId)) throw new Error('appendAuditMany: all events must belong to one region');
  const rows = chainRows(await lockChain(tx, regionId), inputs);
  return (await tx.auditEvent.createMany({ data: rows })).count;
}

const isRootClient = (c: Tx | PrismaClient): c is PrismaClient => typeof (c as { $connect?: unknown }).$connect === 'function';

/**
 * Appends one event to the region's chain. Pass the transaction client of the change being audited so both commit
 * together; given the plain client it opens its own transaction.
 */
export async function appendAudit(tx: Tx | PrismaClient, input: AuditEventInput): Promise<AuditEvent> {
  // a transaction client lacks $connect (Prisma's denylist); `$transaction` exists on both (nested transactions)
  if (isRootClient(tx)) return tx.$transaction((inner) => appendInTx(inner, input));
  return appendInTx(tx, input);
}

/** Recomputes the region's chain from the start; reports the first event whose seq, link or hash is wrong. */
export async function verifyAuditChain(prisma: PrismaClient | Tx, regionId: string, options: { batchSize?: number } = {}): Promise<AuditChainReport> {
  const batchSize = options.batchSize ?? 1000;
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const rows = await prisma.auditEvent.findMany({
      where: { regionId, seq: { gte: expectedSeq } },
      orderBy: { seq: 'asc' },
      take: batchSize,
    });
    for (const row of rows) {
      if (row.seq !== expectedSeq) {
        return { ok: false, checked, brokenAt: expectedSeq, reason: `event ${expectedSeq} is missing` };
      }
      if (row.prevHash !== prevHash) {
        return { ok: false, checked, brokenAt: row.seq, reason: 'prevHash does not link to the previous event' };
      }
      if (eventHash(prevHash, row) !== row.hash) {
        return { ok: false, checked, brokenAt: row.seq, reason: 'hash does not match the event content' };
      }
      prevHash = row.hash;
      expectedSeq += 1;
      checked += 1;
    }
    if (rows.length < batchSize) break;
  }
  return { ok: true, checked };
}
