/**
 * Standalone API server, configured from the environment by `loadApiConfig` (env.ts lists the variables).
 */
import { randomBytes } from 'node:crypto';
import { openDb } from '@kinerja/db';
import { Client, Connection } from '@temporalio/client';
import { ConfigError, loadApiConfig } from './env.js';
import { startApi } from './index.js';

async function main() {
  const env = loadApiConfig();
  for (const w of env.warnings) console.warn(`[api] ${w}`);
  let jwtSecret = env.jwtSecret;
  if (!jwtSecret) {
    // loadApiConfig refuses production without a secret; this guards the fallback should that check ever move
    if (env.production) throw new ConfigError('JWT_SECRET: required when NODE_ENV=production');
    jwtSecret = randomBytes(32).toString('base64url');
    console.warn('[api] JWT_SECRET not set: using a random development secret (tokens die with the process)');
  }
  const db = await openDb({ url: env.databaseUrl });
  const connection = await Connection.connect({ address: env.temporal.address });
  const temporal = new Client({ connection, namespace: env.temporal.namespace });
  const api = await startApi({ prisma: db.prisma, temporal, port: env.port, hostname: env.host, config: { ...env.config, jwtSecret } });
  console.log(
    `[api] listening on ${api.url} (docs: ${api.url}/docs, OpenAPI: ${api.url}/openapi.json)${env.config.webRoot ? `, web app from ${env.config.webRoot}` : ''}`,
  );
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
  if (err instanceof ConfigError) console.error(`[api] ${err.message}`);
  else console.error('[api] failed to start', err);
  process.exit(1);
});
