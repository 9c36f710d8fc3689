/**
 * Standalone API server from the environment:
 *   DATABASE_URL (postgres://… or unset for PGlite), TEMPORAL_ADDRESS (default localhost:7233), TEMPORAL_NAMESPACE,
 *   PORT (default 3000), JWT_SECRET (required when NODE_ENV=production).
 */
import { randomBytes } from 'node:crypto';
import { openDb } from '@kinerja/db';
import { Client, Connection } from '@temporalio/client';
import { startApi } from './index.js';

async function main() {
  const production = process.env.NODE_ENV === 'production';
  let jwtSecret = process.env.JWT_SECRET;
  if (!jwtSecret) {
    if (production) {
      console.error('[api] JWT_SECRET is required in production; refusing to start');
      process.exit(1);
    }
    jwtSecret = randomBytes(32).toString('base64url');
    console.warn('[api] JWT_SECRET not set: using a random development secret (tokens die with the process)');
  }
  if (production && jwtSecret.length < 32) {
    console.error('[api] JWT_SECRET must be at least 32 characters in production');
    process.exit(1);
  }
  const db = await openDb({ url: process.env.DATABASE_URL });
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? 'localhost:7233' });
  const temporal = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
  const api = await startApi({ prisma: db.prisma, temporal, port: Number(process.env.PORT ?? 3000), hostname: process.env.HOST ?? '0.0.0.0', config: { jwtSecret } });
  console.log(`[api] listening on ${api.url} (docs: ${api.url}/docs, OpenAPI: ${api.url}/openapi.json)`);
  const stop = async () => {
    await api.close();
    await connection.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error('[api] failed to start', err);
  process.exit(1);
});
