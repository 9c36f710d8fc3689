import { serve, type ServerType } from '@hono/node-server';
import type { PrismaClient } from '@kinerja/db';
import type { Client } from '@temporalio/client';
import { createApp } from './app.js';
import { loadApiConfig, type ApiConfig } from './env.js';
import type { Logger } from './observability/logger.js';

export { createApp, toProblem } from './app.js';
export type { App, AppType } from './app.js';
export { ConfigError, DEFAULT_FILE_DIR, DEFAULT_IMPORT_MAX_BYTES, DEFAULT_UPLOAD_MAX_BYTES, loadApiConfig, apiConfigVariables } from './env.js';
export type { ApiConfig, ApiEnvironment, Deps, AuthUser } from './env.js';
export { createFileStore, type FileStore, type FileStoreConfig } from './storage/index.js';
export type { ProblemBody, FieldError } from './problem.js';
export { createLogger, type Logger } from './observability/logger.js';
export { currentRequestId, REQUEST_ID_HEADER, temporalClientInterceptors } from './observability/request-id.js';

export interface StartApiOptions {
  prisma: PrismaClient;
  temporal: Client;
  /** 0 picks a free port */
  port: number;
  hostname?: string;
  config?: Partial<ApiConfig>;
  /** the JSON logger; default pino at LOG_LEVEL */
  logger?: Logger;
}

export async function startApi(opts: StartApiOptions): Promise<{ close(): Promise<void>; url: string; port: number }> {
  const jwtSecret = opts.config?.jwtSecret ?? loadApiConfig().jwtSecret;
  if (!jwtSecret) throw new Error('startApi: config.jwtSecret (or JWT_SECRET) is required');
  const app = createApp({
    prisma: opts.prisma,
    temporal: opts.temporal,
    config: { ...opts.config, jwtSecret },
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
  const hostname = opts.hostname ?? '127.0.0.1';
  const { server, port } = await new Promise<{ server: ServerType; port: number }>((resolve) => {
    const s = serve({ fetch: app.fetch, port: opts.port, hostname }, (info) => resolve({ server: s, port: info.port }));
  });
  return {
    url: `http://${hostname}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
