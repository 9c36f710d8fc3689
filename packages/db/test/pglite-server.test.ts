/**
 * The embedded database served from its own thread: PGlite behind the PostgreSQL wire protocol, opened by URL through
 * the production driver and adapter. Migrations apply, the demo seeds, and concurrent transactions from two clients
 * (as the API and the worker hold) stay whole: the audit chain their appends build verifies, and another client never
 * sees a transaction's uncommitted writes; the same statement sent on many connections at once is answered on each
 * (the one session would refuse a second prepared statement of the same name); different parameterised statements
 * sent at once on both clients' pools each get their own answer (their Parse/Bind/Execute messages share the one
 * session's unnamed statement and portal); and a client that drops its connection mid-transaction does not leave the
 * session stuck in it.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, migrateDb, openDb, seedDemo, startPgliteServer, verifyAuditChain, type Db, type PgliteServer } from '../src/index.js';

/** A bare wire-protocol client, to send a query's messages in pieces as TCP may deliver them. */
class WireClient {
  private buffer = Buffer.alloc(0);
  private wake: () => void = () => {};
  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake();
    });
  }
  static async open(url: string): Promise<WireClient> {
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    await once(socket, 'connect');
    const client = new WireClient(socket);
    const params = Buffer.from('user\0postgres\0database\0postgres\0\0');
    const head = Buffer.alloc(8);
    head.writeInt32BE(8 + params.length, 0);
    head.writeInt32BE(196608, 4);
    socket.write(Buffer.concat([head, params]));
    for (const m of await client.untilReady()) {
      if (m.type === 'R' && m.body.readInt32BE(0) === 3) {
        socket.write(WireClient.message('p', Buffer.from('postgres\0')));
        await client.untilReady();
      }
    }
    return client;
  }
  static message(type: string, body: Buffer): Buffer {
    const head = Buffer.alloc(5);
    head.write(type, 0, 'latin1');
    head.writeInt32BE(body.length + 4, 1);
    return Buffer.concat([head, body]);
  }
  static parse(sql: string): Buffer {
    return WireClient.message('P', Buffer.from(`\0${sql}\0\0\0`));
  }
  static bind(param: string): Buffer {
    const value = Buffer.from(param);
    const body = Buffer.alloc(2 + 2 + 2 + 4 + value.length + 2);
    let at = 2; // unnamed portal and statement: two empty strings
    at = body.writeInt16BE(0, at); // parameter formats: all text
    at = body.writeInt16BE(1, at);
    at = body.writeInt32BE(value.length, at);
    at += value.copy(body, at);
    body.writeInt16BE(0, at); // result formats: all text
    return WireClient.message('B', body);
  }
  static executeSync(): Buffer {
    return Buffer.concat([WireClient.message('E', Buffer.from([0, 0, 0, 0, 0])), WireClient.message('S', Buffer.alloc(0))]);
  }
  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }
  /** the messages up to the next ReadyForQuery */
  async untilReady(): Promise<{ type: string; body: Buffer }[]> {
    const seen: { type: string; body: Buffer }[] = [];
    for (;;) {
      while (this.buffer.length >= 5 && this.buffer.length >= 1 + this.buffer.readInt32BE(1)) {
        const end = 1 + this.buffer.readInt32BE(1);
        const m = { type: String.fromCharCode(this.buffer[0]!), body: this.buffer.subarray(5, end) };
        this.buffer = this.buffer.subarray(end);
        seen.push(m);
        if (m.type === 'Z') return seen;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
  /** the first column of each DataRow, or the error's text */
  static answers(messages: { type: string; body: Buffer }[]): string[] {
    return messages.flatMap((m) => {
      if (m.type === 'D') return [m.body.subarray(6, 6 + m.body.readInt32BE(2)).toString()];
      if (m.type === 'E') return [`error: ${m.body.toString('latin1').replaceAll('\0', ' ')}`];
      return [];
    });
  }
  close(): void {
    this.socket.destroy();
  }
}

describe('PGlite served on its own thread', () => {
  let server: PgliteServer;
  let api: Db;
  let worker: Db;
  let regionId: string;

  beforeAll(async () => {
    server = await startPgliteServer({ dataDir: 'memory://' });
    api = await openDb(server.openOptions);
    worker = await openDb(server.openOptions);
    expect(api.kind).toBe('postgres');
    const { applied } = await migrateDb(api);
    expect(applied.length).toBeGreaterThan(5);
    regionId = (await seedDemo(api.prisma, { ruleSetDocument: { id: 'national', periods: { kind: 'MONTHLY' }, rules: [] } })).regionId;
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await worker?.close();
    await server?.close();
  });

  it('keeps concurrent transactions of two clients whole: the chain of their interleaved appends verifies', async () => {
    const before = await api.prisma.auditEvent.count({ where: { regionId } });
    const append = (db: Db, i: number) => appendAudit(db.prisma, { regionId, action: 'test.append', entityType: 'Test', entityId: `e-${i}`, after: { i } });
    await Promise.all(Array.from({ length: 40 }, (_, i) => append(i % 2 ? api : worker, i)));
    expect(await api.prisma.auditEvent.count({ where: { regionId } })).toBe(before + 40);
    expect((await verifyAuditChain(worker.prisma, regionId)).ok).toBe(true);
  });

  it('answers the same statements from many connections of both clients at once', async () => {
    const read = (db: Db) => db.prisma.unit.findMany({ where: { regionId }, select: { id: true } });
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => read(i % 2 ? api : worker)));
    expect(new Set(answers.map((a) => a.length)).size).toBe(1);
    expect(answers[0]!.length).toBeGreaterThan(0);
  });

  it('isolates a transaction: the other client does not see its uncommitted writes, and nothing stays after the rollback', async () => {
    let seenInside: Promise<number> | undefined;
    const failing = api.prisma.$transaction(async (tx) => {
      await tx.unit.updateMany({ where: { regionId }, data: { name: 'sementara' } });
      // asked while the transaction holds its write: on one shared session it would count the uncommitted rows
      seenInside = worker.prisma.unit.count({ where: { regionId, name: 'sementara' } });
      await new Promise((r) => setTimeout(r, 100));
      throw new Error('abort');
    });
    await expect(failing).rejects.toThrow('abort');
    expect(await seenInside).toBe(0);
    expect(await api.prisma.unit.count({ where: { regionId, name: 'sementara' } })).toBe(0);
    expect(await worker.prisma.unit.count({ where: { regionId } })).toBeGreaterThan(0);
  });

  it('answers many different parameterised statements from both clients at once, each with its own answer', async () => {
    const units = await api.prisma.unit.findMany({ where: { regionId }, select: { id: true }, orderBy: { id: 'asc' } });
    expect(units.length).toBeGreaterThan(1);
    // each kind sends its own statement with its own parameters; on a session whose unnamed statement and portal
    // another connection can replace between Parse and Execute, some fail (26000, 34000) or answer the wrong query
    const ask = async (i: number): Promise<void> => {
      const db = i % 2 ? api : worker;
      const unit = units[i % units.length]!;
      switch (i % 4) {
        case 0:
          expect(await db.prisma.unit.findMany({ where: { regionId, id: unit.id }, select: { id: true } })).toEqual([unit]);
          break;
        case 1:
          expect(await db.prisma.unit.count({ where: { regionId, id: { not: unit.id } } })).toBe(units.length - 1);
          break;
        case 2:
          expect(await db.prisma.$queryRaw<{ n: number; s: string }[]>`SELECT ${i}::int AS n, ${`v-${i}`}::text AS s`).toEqual([{ n: i, s: `v-${i}` }]);
          break;
        default:
          expect(await db.prisma.unit.findFirst({ where: { regionId, id: { gt: unit.id } }, select: { id: true }, orderBy: { id: 'asc' } })).toEqual(
            units[(i % units.length) + 1] ?? null,
          );
      }
    };
    const results = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => ask(i)));
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
    expect(failures.slice(0, 3), `${failures.length} of 200 failed`).toEqual([]);
  });

  it('keeps a query whole when its messages arrive in pieces while another connection queries', async () => {
    const a = await WireClient.open(server.url);
    const b = await WireClient.open(server.url);
    try {
      // a's Parse and Bind arrive, then b's whole query, then a's Execute and Sync: run per message, b's Parse
      // replaces a's unnamed statement and portal before a executes
      a.send(Buffer.concat([WireClient.parse('SELECT $1::text AS v'), WireClient.bind('dari a')]));
      await new Promise((r) => setTimeout(r, 100));
      b.send(Buffer.concat([WireClient.parse('SELECT $1::int + 1 AS v'), WireClient.bind('41'), WireClient.executeSync()]));
      expect(WireClient.answers(await b.untilReady())).toEqual(['42']);
      a.send(WireClient.executeSync());
      expect(WireClient.answers(await a.untilReady())).toEqual(['dari a']);
    } finally {
      a.close();
      b.close();
    }
  });

  it('rolls back the transaction of a connection that drops mid-transaction, and the other client carries on', async () => {
    const dropped = new pg.Client({ connectionString: server.url });
    await dropped.connect();
    dropped.on('error', () => {});
    await dropped.query('BEGIN');
    await dropped.query(`UPDATE "Unit" SET name = $1 WHERE "regionId" = $2`, ['terputus', regionId]);
    // the socket goes away with the transaction open: no ROLLBACK, no Terminate
    (dropped as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    const count = await Promise.race([
      api.prisma.$transaction(async (tx) => {
        await tx.unit.updateMany({ where: { regionId, name: 'tidak ada' }, data: { name: 'tidak ada' } });
        return tx.unit.count({ where: { regionId, name: 'terputus' } });
      }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the session stayed in the dropped transaction')), 10_000)),
    ]);
    expect(count).toBe(0);
    expect(await worker.prisma.unit.count({ where: { regionId, name: 'terputus' } })).toBe(0);
  }, 20_000);
});
