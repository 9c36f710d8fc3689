/**
 * The embedded default's database off the thread that serves requests: PGlite runs in a worker thread of its own and
 * serves the PostgreSQL wire protocol on a loopback port (pglite-server-thread.mjs), so the API and the worker open it
 * by URL, with the same driver and adapter as production (`openDb({ url })`), and PGlite's query execution no longer
 * competes with request handling for one thread. PGlite has one session, which all connections share: the thread runs
 * each connection's messages up to a Sync (or a simple Query) as one unit, so concurrent parameterised queries never
 * replace each other's unnamed statement or portal, and while a connection's transaction is open only that
 * connection's statements run, so the others never see or join its uncommitted work.
 */
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Worker } from 'node:worker_threads';

export interface PgliteServer {
  /** postgresql://… of the served database */
  url: string;
  /**
   * What openDb needs to reach it: the url, and no named prepared statements. Every connection is served by the one
   * PGlite session, so a statement one connection prepares by name already exists for the next (42P05).
   */
  openOptions: { url: string; preparedStatements: false };
  close(): Promise<void>;
}

export interface PgliteServerOptions {
  /** the data directory, or `memory://` */
  dataDir: string;
  /** loopback port; default a free one */
  port?: number | undefined;
  /** connections served at once (their statements queue for the one session) */
  maxConnections?: number | undefined;
}

async function freeLoopbackPort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  probe.close();
  await once(probe, 'close');
  return port;
}

export async function startPgliteServer(options: PgliteServerOptions): Promise<PgliteServer> {
  const port = options.port ?? (await freeLoopbackPort());
  const worker = new Worker(new URL('./pglite-server-thread.mjs', import.meta.url), {
    workerData: { dataDir: options.dataDir, port, maxConnections: options.maxConnections ?? 100 },
  });
  const [first] = (await Promise.race([once(worker, 'message'), once(worker, 'error').then(([e]) => [{ error: String(e) }])])) as [
    { ready?: true; error?: string },
  ];
  if (!first.ready) {
    await worker.terminate();
    throw new Error(`the embedded database did not start: ${first.error ?? 'no answer'}`);
  }
  // after startup the thread reports only what broke inside PGlite (SQL errors go to their connection)
  worker.on('message', (m: { error?: string }) => {
    if (m.error) console.error(`the embedded database: ${m.error}`);
  });
  let closed: Promise<void> | undefined;
  const url = `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    openOptions: { url, preparedStatements: false },
    close: () =>
      (closed ??= (async () => {
        worker.postMessage('stop');
        const stopped = new Promise<void>((resolve) => worker.on('message', (m: { stopped?: true }) => m.stopped && resolve()));
        await Promise.race([stopped, new Promise((r) => setTimeout(r, 10_000))]);
        await worker.terminate();
      })()),
  };
}
