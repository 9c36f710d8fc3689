// The embedded database's own thread (started by pglite-server.ts): PGlite, PostgreSQL in WebAssembly, runs its
// queries here, and the API and the worker reach it over the PostgreSQL wire protocol on loopback, with the same
// driver and adapter as a PostgreSQL server. JavaScript (type-checked through JSDoc): a worker thread loads it with no
// TypeScript loader, under tsx, vitest and the built files alike.
import { mkdirSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** @typedef {{ dataDir: string; port: number; maxConnections: number }} ThreadData */

const port = parentPort;
if (!port) throw new Error('pglite-server-thread.mjs runs as a worker thread');
/** @param {unknown} data what pglite-server.ts passes */
const threadData = (data) => /** @type {ThreadData} */ (data);
const options = threadData(workerData);
try {
  if (!options.dataDir.includes('://')) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir);
  const server = new PGLiteSocketServer({ db, port: options.port, host: '127.0.0.1', maxConnections: options.maxConnections });
  await server.start();
  port.on('message', (/** @type {unknown} */ m) => {
    if (m !== 'stop') return;
    void (async () => {
      await server.stop();
      await db.close();
      port.postMessage({ stopped: true });
    })();
  });
  port.postMessage({ ready: true });
} catch (err) {
  port.postMessage({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
}
