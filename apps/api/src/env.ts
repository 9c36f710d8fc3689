/**
 * The API's one configuration. `loadApiConfig` reads the environment, here and nowhere else in the API, validated
 * with zod: a wrong setting stops the API at start with the variable's name.
 *
 *   DATABASE_URL          PostgreSQL (unset: PGlite at .data/pglite)
 *   TEMPORAL_ADDRESS      default localhost:7233
 *   TEMPORAL_NAMESPACE    default "default"
 *   PORT                  default 3000
 *   HOST                  default 0.0.0.0
 *   JWT_SECRET            required (at least 32 characters) when NODE_ENV=production
 *   LOGIN_RATE_BURST, LOGIN_RATE_PER_MINUTE   sign-in attempts per client address, default 30 and 30
 *   TRUSTED_PROXY         'true' or the number of proxies of ours that append to X-Forwarded-For; default 0
 *   WEB_ROOT              absolute path of the built web app (apps/web/dist); unset: no web app is served
 *   UPLOAD_MAX_BYTES      largest evidence file, default 10485760 (10 MiB)
 *   IMPORT_MAX_BYTES      largest employee or attendance import file, default 33554432 (32 MiB)
 *   FILE_STORE            where evidence files live: "local" (default) or "s3"
 *   FILE_DIR              the local store's directory, default <repo>/.data/files
 *   S3_BUCKET             the bucket (required for FILE_STORE=s3)
 *   S3_REGION             default us-east-1
 *   S3_ENDPOINT           an S3-compatible server's URL (MinIO, Ceph, …); unset: AWS
 *   S3_FORCE_PATH_STYLE   bucket in the path instead of the host name; default true when S3_ENDPOINT is set
 *   S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY    unset: the AWS SDK's default credential chain
 *   S3_PREFIX             key prefix inside the bucket, default none
 *   SURVEY_RATE_BURST, SURVEY_RATE_PER_MINUTE, SURVEY_READ_BURST, SURVEY_READ_PER_MINUTE, SURVEY_DUPLICATE_MINUTES,
 *   SURVEY_CLIENT_SALT, SURVEY_MAX_CLIENTS   the public survey (publicSurveyConfig; a value that is not a positive
 *                         number keeps the default)
 */
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import type { Lang } from '@kinerja/domain';
import { REPO_ROOT, type PrismaClient } from '@kinerja/db';
import type { Client } from '@temporalio/client';
import { TASK_QUEUE } from '@kinerja/workflows';
import { positive, trustedProxiesFrom } from './ratelimit.js';
import { createFileStore, type FileStore, type FileStoreConfig } from './storage/index.js';

export const DEFAULT_UPLOAD_MAX_BYTES = 10 * 1024 * 1024;
/** a region's whole roster or a month of attendance as CSV: 50,000 employees are about 8 MB */
export const DEFAULT_IMPORT_MAX_BYTES = 32 * 1024 * 1024;
export const DEFAULT_FILE_DIR = join(REPO_ROOT, '.data', 'files');

export interface ApiConfig {
  jwtSecret: string;
  /** access token lifetime, default 900 s (15 min) */
  accessTtlSeconds?: number;
  /** refresh token lifetime, default 14 days */
  refreshTtlSeconds?: number;
  /** JSON request body limit in bytes, default 1 MiB */
  maxBodyBytes?: number;
  /** failed sign-ins before the account is locked, default 5 */
  maxFailedLogins?: number;
  /** lock duration, default 900 s */
  lockSeconds?: number;
  /** Temporal task queue for cycle workflows, default TASK_QUEUE ('kinerja') */
  taskQueue?: string;
  /**
   * Sign-in attempts one client address may make at once, and refilled per minute (env LOGIN_RATE_BURST, default 30;
   * LOGIN_RATE_PER_MINUTE, default 30). Generous on purpose: a government office's staff may share one public address;
   * the limit is against password spraying across accounts, which the per-account lockout does not stop.
   */
  loginRateBurst?: number;
  loginRatePerMinute?: number;
  /** proxies of ours that append to X-Forwarded-For (env TRUSTED_PROXY); 0 = use the socket address */
  trustedProxies?: number;
  /** absolute path of the built web app (apps/web/dist); undefined: the API serves no web app */
  webRoot?: string | undefined;
  /** largest evidence file in bytes, default 10 MiB (the upload route's body limit follows it) */
  maxUploadBytes?: number;
  /** largest import file (employees, attendance) in bytes, default 32 MiB; the import routes' body limit */
  maxImportBytes?: number;
  /** evidence files one evaluation may hold, default 600 (50 per report, 12 monthly reports): a bound on storage */
  maxFilesPerEvaluation?: number;
  /** bytes of evidence one evaluation may hold (the sum of its files' sizes), default 200 MiB: a bound on storage */
  maxBytesPerEvaluation?: number;
  /** the public survey's rate limits and client hashing, default from SURVEY_* (publicSurveyConfig) */
  publicSurvey?: PublicSurveyConfig;
  /** where evidence files are kept, default a local directory at <repo>/.data/files */
  fileStore?: FileStoreConfig;
}

export interface Deps {
  prisma: PrismaClient;
  temporal: Client;
  config: ApiConfig;
  /** the evidence file store; default built from `config.fileStore` */
  files?: FileStore;
  now?: () => Date;
}

export interface ResolvedConfig extends Required<Omit<ApiConfig, 'webRoot' | 'fileStore'>> {
  webRoot: string | undefined;
  fileStore: FileStoreConfig;
}

export interface ResolvedDeps {
  prisma: PrismaClient;
  temporal: Client;
  config: ResolvedConfig;
  files: FileStore;
  now: () => Date;
}

// ------------------------------------------------------------------------------------------------ the environment

export class ConfigError extends Error {}

const blankAsUnset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const opt = <T extends z.ZodType>(schema: T) => z.preprocess(blankAsUnset, schema.optional());
const count = (fallback: number, max = 1_000_000) => z.preprocess(blankAsUnset, z.coerce.number().int().positive().max(max).default(fallback));
const absolutePath = z.string().refine((p) => isAbsolute(p), 'an absolute path');
const flag = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const Env = z
  .object({
    NODE_ENV: opt(z.string()),
    DATABASE_URL: opt(z.string()),
    TEMPORAL_ADDRESS: z.preprocess(blankAsUnset, z.string().default('localhost:7233')),
    TEMPORAL_NAMESPACE: z.preprocess(blankAsUnset, z.string().default('default')),
    PORT: z.preprocess(blankAsUnset, z.coerce.number().int().min(0).max(65535).default(3000)),
    HOST: z.preprocess(blankAsUnset, z.string().default('0.0.0.0')),
    JWT_SECRET: opt(z.string()),
    LOGIN_RATE_BURST: count(30),
    LOGIN_RATE_PER_MINUTE: count(30),
    TRUSTED_PROXY: opt(z.string().regex(/^(true|yes|\d+)$/i, "'true' or a number of proxies")),
    WEB_ROOT: opt(absolutePath),
    UPLOAD_MAX_BYTES: count(DEFAULT_UPLOAD_MAX_BYTES, 1024 * 1024 * 1024),
    IMPORT_MAX_BYTES: count(DEFAULT_IMPORT_MAX_BYTES, 1024 * 1024 * 1024),
    FILE_STORE: z.preprocess(blankAsUnset, z.enum(['local', 's3']).default('local')),
    FILE_DIR: opt(absolutePath),
    S3_BUCKET: opt(z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name')),
    S3_REGION: z.preprocess(blankAsUnset, z.string().default('us-east-1')),
    S3_ENDPOINT: opt(z.url({ protocol: /^https?$/ })),
    S3_FORCE_PATH_STYLE: opt(flag),
    S3_ACCESS_KEY_ID: opt(z.string()),
    S3_SECRET_ACCESS_KEY: opt(z.string()),
    S3_PREFIX: opt(z.string().regex(/^[\w./-]*$/, 'letters, digits, _, ., / and -')),
  })
  .superRefine((e, ctx) => {
    const production = e.NODE_ENV === 'production';
    if (production && !e.JWT_SECRET) ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'required when NODE_ENV=production' });
    if (production && e.JWT_SECRET && e.JWT_SECRET.length < 32)
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'at least 32 characters in production' });
    if (e.FILE_STORE === 's3' && !e.S3_BUCKET) ctx.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'required when FILE_STORE=s3' });
    if (!!e.S3_ACCESS_KEY_ID !== !!e.S3_SECRET_ACCESS_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: [e.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID'],
        message: 'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together',
      });
    }
  });

/** What the environment says; the server's own settings beside the app's `ApiConfig` (without the secret). */
export interface ApiEnvironment {
  production: boolean;
  databaseUrl: string | undefined;
  temporal: { address: string; namespace: string };
  port: number;
  host: string;
  /** undefined: not set (outside production a random development secret is used) */
  jwtSecret: string | undefined;
  config: Omit<ApiConfig, 'jwtSecret'>;
}

/** The API's configuration from `env` (the process environment unless given); throws ConfigError naming the variable. */
export function loadApiConfig(env: Record<string, string | undefined> = process.env): ApiEnvironment {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid API configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const fileStore: FileStoreConfig =
    e.FILE_STORE === 's3'
      ? {
          kind: 's3',
          bucket: e.S3_BUCKET!,
          region: e.S3_REGION,
          endpoint: e.S3_ENDPOINT,
          forcePathStyle: e.S3_FORCE_PATH_STYLE ?? e.S3_ENDPOINT !== undefined,
          credentials: e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY } : undefined,
          prefix: e.S3_PREFIX ?? '',
        }
      : { kind: 'local', dir: e.FILE_DIR ?? DEFAULT_FILE_DIR };
  return {
    production: e.NODE_ENV === 'production',
    databaseUrl: e.DATABASE_URL,
    temporal: { address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE },
    port: e.PORT,
    host: e.HOST,
    jwtSecret: e.JWT_SECRET,
    config: {
      loginRateBurst: e.LOGIN_RATE_BURST,
      loginRatePerMinute: e.LOGIN_RATE_PER_MINUTE,
      trustedProxies: trustedProxiesFrom({ TRUSTED_PROXY: e.TRUSTED_PROXY }),
      webRoot: e.WEB_ROOT,
      maxUploadBytes: e.UPLOAD_MAX_BYTES,
      maxImportBytes: e.IMPORT_MAX_BYTES,
      publicSurvey: publicSurveyConfig(env),
      fileStore,
    },
  };
}

/**
 * Fills in the defaults. Settings the caller leaves out come from the environment (`loadApiConfig`), so an API
 * started in-process (npm start, tests) honours the same variables as the standalone server.
 */
export function resolveDeps(deps: Deps, env: ApiEnvironment['config'] = loadApiConfig().config): ResolvedDeps {
  const c = deps.config;
  const fileStore = c.fileStore ?? env.fileStore ?? { kind: 'local' as const, dir: DEFAULT_FILE_DIR };
  return {
    prisma: deps.prisma,
    temporal: deps.temporal,
    now: deps.now ?? (() => new Date()),
    files: deps.files ?? createFileStore(fileStore),
    config: {
      jwtSecret: c.jwtSecret,
      accessTtlSeconds: c.accessTtlSeconds ?? 900,
      refreshTtlSeconds: c.refreshTtlSeconds ?? 14 * 24 * 3600,
      maxBodyBytes: c.maxBodyBytes ?? 1024 * 1024,
      maxFailedLogins: c.maxFailedLogins ?? 5,
      lockSeconds: c.lockSeconds ?? 900,
      taskQueue: c.taskQueue ?? TASK_QUEUE,
      loginRateBurst: c.loginRateBurst ?? env.loginRateBurst ?? 30,
      loginRatePerMinute: c.loginRatePerMinute ?? env.loginRatePerMinute ?? 30,
      trustedProxies: c.trustedProxies ?? env.trustedProxies ?? 0,
      webRoot: 'webRoot' in c ? c.webRoot : env.webRoot,
      maxUploadBytes: c.maxUploadBytes ?? env.maxUploadBytes ?? DEFAULT_UPLOAD_MAX_BYTES,
      maxImportBytes: c.maxImportBytes ?? env.maxImportBytes ?? DEFAULT_IMPORT_MAX_BYTES,
      maxFilesPerEvaluation: c.maxFilesPerEvaluation ?? 600,
      maxBytesPerEvaluation: c.maxBytesPerEvaluation ?? 200 * 1024 * 1024,
      publicSurvey: c.publicSurvey ?? env.publicSurvey ?? publicSurveyConfig({}),
      fileStore,
    },
  };
}

/** The signed-in caller, loaded from the access token and the database on every request. */
export interface AuthUser {
  userId: string;
  username: string;
  displayName: string;
  employeeId: string | null;
  /** region of the ASN user (null for a pure admin account) */
  regionId: string | null;
  /** regions where the user holds an AdminGrant */
  adminRegionIds: string[];
}

export interface AppEnv {
  Variables: {
    requestId: string;
    lang: Lang;
    user: AuthUser;
  };
}

// ------------------------------------------------------------------------------------------------ the public survey

export interface PublicSurveyConfig {
  /** proxies of ours in front of the API that append to X-Forwarded-For; 0 = ignore the header */
  trustedProxies: number;
  submitBurst: number;
  submitPerMinute: number;
  readBurst: number;
  readPerMinute: number;
  duplicateMinutes: number;
  /** undefined → derived from the JWT secret */
  clientSalt: string | undefined;
  /** most clients remembered per bucket (memory bound) */
  maxClients: number;
}

/** The public survey's settings from the environment's SURVEY_* variables and TRUSTED_PROXY (read by loadApiConfig). */
export function publicSurveyConfig(env: Record<string, string | undefined>): PublicSurveyConfig {
  return {
    trustedProxies: trustedProxiesFrom(env),
    submitBurst: positive(env.SURVEY_RATE_BURST, 5),
    submitPerMinute: positive(env.SURVEY_RATE_PER_MINUTE, 2),
    readBurst: positive(env.SURVEY_READ_BURST, 60),
    readPerMinute: positive(env.SURVEY_READ_PER_MINUTE, 60),
    duplicateMinutes: positive(env.SURVEY_DUPLICATE_MINUTES, 10),
    clientSalt: env.SURVEY_CLIENT_SALT || undefined,
    maxClients: positive(env.SURVEY_MAX_CLIENTS, 100_000),
  };
}
