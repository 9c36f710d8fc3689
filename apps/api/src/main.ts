/**
 * Standalone API server, configured from the environment by `loadApiConfig` (env.ts lists the variables). Logs are
 * JSON lines (pino) on stdout.
 */
import { randomBytes } from 'node:crypto';
import { openDb } from '@kinerja/db';
import { Client, Connection } from '@temporalio/client';
import { ConfigError, loadApiConfig } from './env.js';
import { startApi } from './index.js';
import { createLogger } from './observability/logger.js';
import { temporalClientInterceptors } from './observability/request-id.js';
import { startTracing } from './observability/tracing.js';

// until the configuration is read, the level is not known: errors of the start itself are always written
let logger = createLogger('info');

async function main() {
  const env = loadApiConfig();
  logger = createLogger(env.logLevel);
  for (const w of env.warnings) logger.warn({ setting: w }, w);
  // before the first client: the Temporal interceptor and the request spans find the provider registered
  const stopTracing = startTracing(env.tracing);
  let jwtSecret = env.jwtSecret;
  if (!jwtSecret) {
    // loadApiConfig refuses production without a secret; this guards the fallback should that check ever move
    if (env.production) throw new ConfigError('JWT_SECRET: required when NODE_ENV=production');
    jwtSecret = randomBytes(32).toString('base64url');
    logger.warn('JWT_SECRET not set: using a random development secret (tokens die with the process)');
  }
  if (env.config.metrics === 'off') logger.info('METRICS_TOKEN not set: GET /metrics is off in production');
  const db = await openDb({ url: env.databaseUrl, ...env.database });
  const connection = await Connection.connect({ address: env.temporal.address });
  const temporal = new Client({ connection, namespace: env.temporal.namespace, interceptors: temporalClientInterceptors() });
  const api = await startApi({ prisma: db.prisma, temporal, port: env.port, hostname: env.host, config: { ...env.config, jwtSecret }, logger });
  logger.info(
    { url: api.url, docs: `${api.url}/docs`, openapi: `${api.url}/openapi.json`, webRoot: env.config.webRoot ?? null, traces: env.tracing.endpoint ?? 'off' },
    `listening on ${api.url}`,
  );
  const stop = async (signal: string) => {
    logger.info({ signal }, 'stopping');
    await api.close();
    await connection.close();
    await db.close();
    await stopTracing();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) logger.fatal(err.message);
  else logger.fatal({ err }, 'failed to start');
  // pino writes stdout asynchronously: let the line out before the exit
  logger.flush(() => process.exit(1));
});
