// The embedded database's own thread (started by pglite-server.ts): PGlite, PostgreSQL in WebAssembly, runs its
// queries here, and the API and the worker reach it over the PostgreSQL wire protocol on loopback, with the same
// driver and adapter as a PostgreSQL server. JavaScript (type-checked through JSDoc): a worker thread loads it with no
// TypeScript loader, under tsx, vitest and the built files alike.
//
// PGlite has ONE session, and every connection is served by it. A parameterised query is several messages (Parse,
// Bind, Describe, Execute, Sync) that use the session's unnamed statement and portal, and TCP may deliver them in any
// number of pieces; if another connection's messages ran between them, it would replace that statement or portal
// (26000 "unnamed prepared statement does not exist", 34000 "portal does not exist", or another query's answer).
// @electric-sql/pglite-socket interleaves connections per message, so this file serves the protocol itself and
// guarantees:
// - a connection's messages up to a batch boundary (Sync, a simple Query, Flush, CopyDone/CopyFail, the startup
//   message) run on the session as one unit, under PGlite's exclusive lock, before any other connection's;
// - batches run one at a time in arrival order, except that while the session is inside a transaction, or inside an
//   extended-protocol sequence a Flush left open, only the batches of the connection that opened it run (the others
//   wait, so they neither see nor join its uncommitted work);
// - a connection that goes away holding the session has its transaction rolled back and its queued batches dropped,
//   so the session is never left stuck in it.
// Named prepared statements still collide across connections (one session): pglite-server.ts turns them off.
import { Buffer } from 'node:buffer';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

/** @typedef {{ dataDir: string; port: number; maxConnections: number }} ThreadData */
/**
 * @typedef {object} Connection
 * @property {import('node:net').Socket} socket
 * @property {Buffer} buffer bytes received and not yet split into messages
 * @property {Buffer[]} pending this connection's messages since its last batch boundary
 * @property {boolean} started whether the startup message has arrived (before it, messages have no type byte)
 * @property {boolean} closed
 */
/**
 * @typedef {object} Batch
 * @property {Connection} conn
 * @property {Buffer | null} bytes the messages to run; null: the connection closed, release the session if it holds it
 * @property {boolean} complete whether it ends a protocol exchange (Sync, Query, startup), so the session is free after
 *   it unless a transaction is open
 */

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;
/** message types that end a batch: the client waits for an answer after them */
const BOUNDARIES = new Set(['S', 'Q', 'H', 'c', 'f'].map((c) => c.charCodeAt(0)));
/** of those, the ones after which the session is back to idle (ReadyForQuery) */
const COMPLETE = new Set(['S', 'Q', 'c', 'f'].map((c) => c.charCodeAt(0)));
const TERMINATE = 'X'.charCodeAt(0);

/**
 * @param {string} type one character
 * @param {Buffer} body
 */
function message(type, body) {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

/**
 * An ErrorResponse, for what the server refuses before PGlite sees it.
 * @param {string} code SQLSTATE
 * @param {string} text
 */
function errorResponse(code, text) {
  return message('E', Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${text}\0\0`));
}

// Sync first: after an error inside an extended-protocol sequence the session ignores everything up to a Sync, and a
// Sync outside one is harmless (inside a transaction it does not commit).
const ROLLBACK = Buffer.concat([message('S', Buffer.alloc(0)), message('Q', Buffer.from('ROLLBACK\0'))]);

const port = parentPort;
if (!port) throw new Error('pglite-server-thread.mjs runs as a worker thread');
/** @param {unknown} data what pglite-server.ts passes */
const threadData = (data) => /** @type {ThreadData} */ (data);
const options = threadData(workerData);
try {
  if (!options.dataDir.includes('://')) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir);

  /** @type {Set<Connection>} */
  const connections = new Set();
  /** @type {Batch[]} one FIFO for all connections */
  const queue = [];
  /** @type {Connection | null} the connection whose open transaction (or open Flush sequence) holds the session */
  let owner = null;
  /** @type {Promise<void> | null} the running drain of the queue */
  let draining = null;
  let stopping = false;

  /** @param {unknown} err */
  const report = (err) => port.postMessage({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) });

  /** @param {Batch} batch */
  const run = async (batch) => {
    const { conn } = batch;
    if (!batch.bytes) {
      // the connection is gone: if it held the session, give it back rolled back
      if (owner !== conn) return;
      try {
        await db.runExclusive(() => db.execProtocolRaw(ROLLBACK));
      } catch (err) {
        report(err);
      }
      owner = null;
      return;
    }
    const bytes = batch.bytes;
    try {
      await db.runExclusive(() =>
        db.execProtocolRawStream(bytes, {
          // PGlite reuses the memory it hands out: copy before the socket queues it
          onRawData: (data) => {
            if (!conn.closed) conn.socket.write(Buffer.from(data));
          },
        }),
      );
    } catch (err) {
      // PGlite itself failed (not an SQL error, which is an ErrorResponse): this connection cannot go on
      report(err);
      conn.socket.destroy();
    }
    owner = db.isInTransaction() || !batch.complete ? conn : null;
  };

  const drain = async () => {
    for (;;) {
      if (stopping) return;
      const i = owner ? queue.findIndex((b) => b.conn === owner) : queue.length ? 0 : -1;
      if (i === -1) return;
      const [batch] = queue.splice(i, 1);
      if (batch) await run(batch);
    }
  };
  const kick = () => {
    draining ??= drain().finally(() => {
      draining = null;
      // a batch may have arrived between the last look at the queue and the end of the drain
      if (!stopping && queue.some((b) => !owner || b.conn === owner)) kick();
    });
  };

  /**
   * @param {Connection} conn
   * @param {Buffer | null} bytes
   * @param {boolean} complete
   */
  const enqueue = (conn, bytes, complete) => {
    queue.push({ conn, bytes, complete });
    kick();
  };

  /** @param {Connection} conn */
  const close = (conn) => {
    if (conn.closed) return;
    conn.closed = true;
    connections.delete(conn);
    // after end() (Terminate, a refusal) the socket closes once its last bytes are out
    if (!conn.socket.writableEnded) conn.socket.destroy();
    for (let i = queue.length - 1; i >= 0; i--) if (queue[i]?.conn === conn) queue.splice(i, 1);
    // queued (not run now): a batch of this connection may be running and leave it the owner
    enqueue(conn, null, true);
  };

  /** @param {Connection} conn */
  const split = (conn) => {
    while (!conn.closed) {
      const buf = conn.buffer;
      if (!conn.started) {
        if (buf.length < 8) return;
        const length = buf.readInt32BE(0);
        const code = buf.readInt32BE(4);
        if (length < 8 || length > 10_000) return close(conn);
        if (buf.length < length) return;
        conn.buffer = buf.subarray(length);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          conn.socket.write('N'); // no encryption on loopback; the client goes on in plain text
        } else if (code === CANCEL_REQUEST) {
          return close(conn); // PGlite has no backend to interrupt; the protocol expects no answer
        } else if (code === PROTOCOL_3) {
          conn.started = true;
          enqueue(conn, Buffer.from(buf.subarray(0, length)), true); // alone: PGlite answers it apart from any other
        } else {
          conn.socket.end(errorResponse('0A000', `unsupported frontend protocol ${code >>> 16}.${code & 0xffff}`));
          return close(conn);
        }
        continue;
      }
      if (buf.length < 5) return;
      const type = /** @type {number} */ (buf[0]);
      const length = 1 + buf.readInt32BE(1);
      if (length < 5) return close(conn);
      if (buf.length < length) return;
      conn.buffer = buf.subarray(length);
      if (type === TERMINATE) {
        conn.socket.end();
        return close(conn);
      }
      // copied: the receive buffer's memory is reused by later chunks
      conn.pending.push(Buffer.from(buf.subarray(0, length)));
      if (BOUNDARIES.has(type)) {
        const bytes = Buffer.concat(conn.pending);
        conn.pending = [];
        enqueue(conn, bytes, COMPLETE.has(type));
      }
    }
  };

  const server = createServer((socket) => {
    if (stopping || connections.size >= options.maxConnections) {
      socket.on('error', () => {});
      socket.end(errorResponse('53300', 'too many connections to the embedded database'));
      return;
    }
    socket.setNoDelay(true);
    /** @type {Connection} */
    const conn = { socket, buffer: Buffer.alloc(0), pending: [], started: false, closed: false };
    connections.add(conn);
    socket.on('data', (chunk) => {
      conn.buffer = conn.buffer.length ? Buffer.concat([conn.buffer, chunk]) : chunk;
      split(conn);
    });
    // ECONNRESET and the like: the connection is gone, which 'close' handles
    socket.on('error', () => {});
    socket.on('close', () => close(conn));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve(undefined));
  });

  port.on('message', (/** @type {unknown} */ m) => {
    if (m !== 'stop') return;
    void (async () => {
      stopping = true;
      const closed = new Promise((resolve) => server.close(resolve));
      for (const conn of [...connections]) close(conn);
      queue.length = 0;
      await draining; // the batch running now finishes before PGlite closes
      await closed;
      await db.close();
      port.postMessage({ stopped: true });
    })();
  });
  port.postMessage({ ready: true });
} catch (err) {
  port.postMessage({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
}
