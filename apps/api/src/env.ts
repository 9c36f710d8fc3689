/**
 * The API's one configuration. `loadApiConfig` reads the environment, here and nowhere else in the API, validated
 * with zod: a wrong setting stops the API at start with the variable's name. VARIABLES below lists every variable
 * with its default and meaning (exported as `apiConfigVariables` for the README's table). Under NODE_ENV=production
 * a missing DATABASE_URL, a missing, short or placeholder JWT_SECRET, and a variable that looks like ours but is not
 * one (DATABSE_URL, S3_BUKET) stop the start; elsewhere the unknown ones are warnings.
 */
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import type { Lang } from '@kinerja/domain';
import { PASSWORD_POLICY, REPO_ROOT, type PasswordPolicy, type PrismaClient } from '@kinerja/db';
import type { Client } from '@temporalio/client';
import { TASK_QUEUE } from '@kinerja/workflows';
import { createLogger, type Logger } from './observability/logger.js';
import { createHttpMetrics, type HttpMetrics } from './observability/metrics.js';
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
  /** browser origins allowed to call the API cross-site (env CORS_ORIGINS); default none: same origin only */
  corsOrigins?: string[] | undefined;
  /** GET /metrics: open, off (404), or behind a Bearer token (env METRICS_TOKEN); default open */
  metrics?: MetricsAccess | undefined;
}

export type MetricsAccess = 'open' | 'off' | { token: string };

export interface Deps {
  prisma: PrismaClient;
  temporal: Client;
  config: ApiConfig;
  /** the evidence file store; default built from `config.fileStore` */
  files?: FileStore;
  now?: () => Date;
  /** the JSON logger; default pino at LOG_LEVEL */
  logger?: Logger;
  /** the Prometheus registry and request metrics; default a registry of this app's own */
  metrics?: HttpMetrics;
  /** scrypt cost of new password hashes and the re-hash target at sign-in; PASSWORD_POLICY (N = 2^17) unless a test passes a cheaper one */
  passwordPolicy?: PasswordPolicy;
}

export interface ResolvedConfig extends Required<Omit<ApiConfig, 'webRoot' | 'fileStore' | 'corsOrigins' | 'metrics'>> {
  webRoot: string | undefined;
  fileStore: FileStoreConfig;
  corsOrigins: string[];
  metrics: MetricsAccess;
}

export interface ResolvedDeps {
  prisma: PrismaClient;
  temporal: Client;
  config: ResolvedConfig;
  files: FileStore;
  now: () => Date;
  logger: Logger;
  metrics: HttpMetrics;
  passwordPolicy: PasswordPolicy;
}

// ------------------------------------------------------------------------------------------------ the environment

export class ConfigError extends Error {}

const blankAsUnset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const opt = <T extends z.ZodType>(schema: T) => z.preprocess(blankAsUnset, schema.optional());
const count = (fallback: number, max = 1_000_000) => z.preprocess(blankAsUnset, z.coerce.number().int().positive().max(max).default(fallback));
const absolutePath = z.string().refine((p) => isAbsolute(p), 'an absolute path');
const flag = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
/** a comma-separated list of origins (scheme://host[:port]), each normalised to the form a browser sends */
const origins = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o !== ''),
  )
  .pipe(
    z.array(
      z
        .string()
        .refine(
          (o) => URL.canParse(o) && /^https?:$/.test(new URL(o).protocol) && new URL(o).origin === o.replace(/\/$/, ''),
          'an origin such as https://kinerja.example.go.id',
        )
        .transform((o) => new URL(o).origin),
    ),
  );

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

interface Variable {
  schema: z.ZodType;
  /** the default as the configuration table shows it; undefined: none */
  default?: string;
  description: string;
}

/**
 * Every variable the API reads, with its default and meaning: the schema `loadApiConfig` validates, the list of
 * known names the unknown-settings check compares against, and (as `apiConfigVariables`) the README's table.
 */
const VARIABLES = {
  NODE_ENV: { schema: opt(z.string()), description: '`production` turns on the production checks (database, secret, unknown settings)' },
  DATABASE_URL: {
    schema: opt(z.string()),
    default: 'PGlite in .data/pglite (not allowed in production)',
    description: 'PostgreSQL connection URL; required in production',
  },
  DATABASE_POOL_MAX: { schema: opt(z.coerce.number().int().min(1).max(1000)), default: '20', description: 'PostgreSQL connections this process opens at most' },
  DATABASE_PREPARED_STATEMENTS: {
    schema: opt(flag),
    default: 'true',
    description: 'prepare statements by name (parsed and planned once per connection); `false` behind PgBouncer < 1.21 in transaction mode',
  },
  TEMPORAL_ADDRESS: {
    schema: z.preprocess(blankAsUnset, z.string().default('localhost:7233')),
    default: 'localhost:7233',
    description: 'Temporal frontend (host:port)',
  },
  TEMPORAL_NAMESPACE: { schema: z.preprocess(blankAsUnset, z.string().default('default')), default: 'default', description: 'Temporal namespace' },
  TEMPORAL_TASK_QUEUE: {
    schema: opt(z.string()),
    default: TASK_QUEUE,
    description: "the task queue the API starts workflows on: the worker's TEMPORAL_TASK_QUEUE",
  },
  PORT: { schema: z.preprocess(blankAsUnset, z.coerce.number().int().min(0).max(65535).default(3000)), default: '3000', description: 'API port' },
  HOST: { schema: z.preprocess(blankAsUnset, z.string().default('0.0.0.0')), default: '0.0.0.0', description: 'address the API listens on' },
  JWT_SECRET: {
    schema: opt(z.string()),
    default: 'random per process (not allowed in production)',
    description: 'HS256 secret for access tokens; in production required, at least 32 characters and not a documented example',
  },
  LOGIN_RATE_BURST: { schema: count(30), default: '30', description: 'sign-in attempts one client address may make at once' },
  LOGIN_RATE_PER_MINUTE: { schema: count(30), default: '30', description: 'sign-in attempts refilled per minute per client address' },
  TRUSTED_PROXY: {
    schema: opt(z.string().regex(/^(true|yes|\d+)$/i, "'true' or a number of proxies")),
    default: '0',
    description: "'true' or the number of proxies of ours in front of the API that append to X-Forwarded-For",
  },
  WEB_ROOT: { schema: opt(absolutePath), description: 'absolute path of the built web app (apps/web/dist) the API serves at /; unset: none' },
  UPLOAD_MAX_BYTES: {
    schema: count(DEFAULT_UPLOAD_MAX_BYTES, 1024 * 1024 * 1024),
    default: String(DEFAULT_UPLOAD_MAX_BYTES),
    description: 'largest evidence file in bytes',
  },
  IMPORT_MAX_BYTES: {
    schema: count(DEFAULT_IMPORT_MAX_BYTES, 1024 * 1024 * 1024),
    default: String(DEFAULT_IMPORT_MAX_BYTES),
    description: 'largest employee or attendance import file in bytes',
  },
  FILE_STORE: {
    schema: z.preprocess(blankAsUnset, z.enum(['local', 's3']).default('local')),
    default: 'local',
    description: 'where evidence files live: local or s3',
  },
  FILE_DIR: { schema: opt(absolutePath), default: '<repo>/.data/files', description: "the local store's directory (absolute path)" },
  S3_BUCKET: {
    schema: opt(z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name')),
    description: 'the bucket; required with FILE_STORE=s3',
  },
  S3_REGION: { schema: z.preprocess(blankAsUnset, z.string().default('us-east-1')), default: 'us-east-1', description: 'the bucket region' },
  S3_ENDPOINT: { schema: opt(z.url({ protocol: /^https?$/ })), default: 'AWS', description: 'an S3-compatible server URL (MinIO, Ceph, …)' },
  S3_FORCE_PATH_STYLE: { schema: opt(flag), default: 'true when S3_ENDPOINT is set', description: 'bucket in the path instead of the host name' },
  S3_ACCESS_KEY_ID: { schema: opt(z.string()), default: "the AWS SDK's default chain", description: 'given together with S3_SECRET_ACCESS_KEY' },
  S3_SECRET_ACCESS_KEY: { schema: opt(z.string()), default: "the AWS SDK's default chain", description: 'given together with S3_ACCESS_KEY_ID' },
  S3_PREFIX: { schema: opt(z.string().regex(/^[\w./-]*$/, 'letters, digits, _, ., / and -')), default: 'none', description: 'key prefix inside the bucket' },
  // the public survey's settings: a value that is not a positive number keeps the default (publicSurveyConfig)
  SURVEY_RATE_BURST: { schema: opt(z.string()), default: '5', description: 'survey submissions one client may make at once' },
  SURVEY_RATE_PER_MINUTE: { schema: opt(z.string()), default: '2', description: 'survey submissions refilled per minute per client' },
  SURVEY_READ_BURST: { schema: opt(z.string()), default: '60', description: 'survey form reads one client may make at once' },
  SURVEY_READ_PER_MINUTE: { schema: opt(z.string()), default: '60', description: 'survey form reads refilled per minute per client' },
  SURVEY_DUPLICATE_MINUTES: { schema: opt(z.string()), default: '10', description: 'minutes in which a second submission from one client is a duplicate' },
  SURVEY_CLIENT_SALT: { schema: opt(z.string()), default: 'derived from JWT_SECRET', description: 'salt of the hashed client address' },
  SURVEY_MAX_CLIENTS: { schema: opt(z.string()), default: '100000', description: 'most clients remembered per rate-limit bucket (memory bound)' },
  CORS_ORIGINS: {
    schema: opt(origins),
    default: 'none (same origin only)',
    description: 'comma-separated browser origins allowed to call the API from another site',
  },
  LOG_LEVEL: {
    schema: opt(z.enum(LOG_LEVELS)),
    default: 'info (silent under NODE_ENV=test)',
    description: `JSON log level: ${LOG_LEVELS.join(', ')}`,
  },
  METRICS_TOKEN: {
    schema: opt(z.string().min(16, 'at least 16 characters')),
    default: 'none: /metrics open outside production, off in production',
    description: 'Bearer token a Prometheus scraper sends to GET /metrics',
  },
  OTEL_EXPORTER_OTLP_ENDPOINT: {
    schema: opt(z.url({ protocol: /^https?$/ })),
    default: 'none: traces are not recorded',
    description: 'OTLP/HTTP base URL of an OpenTelemetry collector (spans go to <url>/v1/traces)',
  },
  OTEL_SERVICE_NAME: {
    schema: z.preprocess(blankAsUnset, z.string().default('kinerja-api')),
    default: 'kinerja-api',
    description: 'service.name of the spans',
  },
} satisfies Record<string, Variable>;

type Shape = { [K in keyof typeof VARIABLES]: (typeof VARIABLES)[K]['schema'] };

/** The API's variables in order (name, default, meaning), for the README's configuration table. */
export const apiConfigVariables: readonly { name: string; default: string | undefined; description: string }[] = Object.entries(VARIABLES).map(
  ([name, v]: [string, Variable]) => ({ name, default: v.default, description: v.description }),
);

const KNOWN_NAMES = new Set(Object.keys(VARIABLES));
/** name prefixes of the API's own settings: any other variable with one is a misspelling or a setting we do not have */
const OUR_PREFIXES = [
  'S3_',
  'SURVEY_',
  'LOGIN_RATE_',
  'TEMPORAL_',
  'UPLOAD_',
  'IMPORT_',
  'CORS_',
  'LOG_',
  'METRICS_',
  'JWT_',
  'FILE_',
  'WEB_ROOT',
  'TRUSTED_PROX',
];

/**
 * Secrets that must not sign production tokens: the examples in docker/env.example, docker-compose.yml and the
 * README, and the words people put in a placeholder.
 */
const PLACEHOLDER_WORDS = ['changeme', 'changethis', 'replaceme', 'placeholder', 'yoursecret', 'secretkey', 'example', 'devsecret', 'longrandomsecret'];

function placeholderSecret(secret: string): boolean {
  const letters = secret.toLowerCase().replace(/[^a-z0-9]/g, '');
  return PLACEHOLDER_WORDS.some((w) => letters.includes(w)) || new Set(secret).size < 8;
}

/** Optimal string alignment distance (a transposition counts as one edit). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** the closest known name within the edits a typo makes (fewer for short names, where PORT and PATH are 2 apart) */
function closestKnown(name: string): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const known of KNOWN_NAMES) {
    const allowed = known.length >= 8 ? 2 : known.length >= 5 ? 1 : 0;
    const distance = editDistance(name, known);
    if (distance <= allowed && (!best || distance < best.distance)) best = { name: known, distance };
  }
  return best?.name;
}

/**
 * Variables that look like ours but are not in the schema: a misspelling (DATABSE_URL) or a setting the API does not
 * have (S3_BUKET). Only upper-case names are compared: npm's and the shell's own variables are lower case or far away.
 */
export function unknownSettings(env: Record<string, string | undefined>): { name: string; suggestion: string | undefined }[] {
  const found: { name: string; suggestion: string | undefined }[] = [];
  for (const name of Object.keys(env)) {
    if (KNOWN_NAMES.has(name) || !/^[A-Z][A-Z0-9_]*$/.test(name)) continue;
    const suggestion = closestKnown(name);
    if (suggestion || OUR_PREFIXES.some((p) => name.startsWith(p))) found.push({ name, suggestion });
  }
  return found;
}

const Env = z.object(Object.fromEntries(Object.entries(VARIABLES).map(([k, v]: [string, Variable]) => [k, v.schema])) as Shape).superRefine((e, ctx) => {
  const production = e.NODE_ENV === 'production';
  if (production && !e.DATABASE_URL)
    ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'required when NODE_ENV=production (PGlite is for development only)' });
  if (production && !e.JWT_SECRET) ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'required when NODE_ENV=production' });
  if (production && e.JWT_SECRET && e.JWT_SECRET.length < 32)
    ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'at least 32 characters in production' });
  else if (production && e.JWT_SECRET && placeholderSecret(e.JWT_SECRET))
    ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'a placeholder or example value: generate one (openssl rand -base64 48)' });
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
  /** the PostgreSQL pool's size and whether statements are prepared by name (openDb's poolMax, preparedStatements) */
  database: { poolMax: number | undefined; preparedStatements: boolean };
  temporal: { address: string; namespace: string };
  port: number;
  host: string;
  /** undefined: not set (outside production a random development secret is used) */
  jwtSecret: string | undefined;
  logLevel: LogLevel;
  /** OpenTelemetry: the collector's OTLP/HTTP base URL (undefined: no spans recorded) and the service name */
  tracing: { endpoint: string | undefined; serviceName: string };
  /** what the server should say at start (unknown settings outside production) */
  warnings: string[];
  config: Omit<ApiConfig, 'jwtSecret'>;
}

/** The API's configuration from `env` (the process environment unless given); throws ConfigError naming the variable. */
export function loadApiConfig(env: Record<string, string | undefined> = process.env): ApiEnvironment {
  const parsed = Env.safeParse(env);
  const production = env.NODE_ENV === 'production';
  const unknown = unknownSettings(env).map((u) => `${u.name}: not a setting of the API${u.suggestion ? ` (did you mean ${u.suggestion}?)` : ''}`);
  const lines = [...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)), ...(production ? unknown : [])];
  if (!parsed.success || lines.length > 0) throw new ConfigError(`invalid API configuration:\n  ${lines.join('\n  ')}`);
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
    production,
    databaseUrl: e.DATABASE_URL,
    database: { poolMax: e.DATABASE_POOL_MAX, preparedStatements: e.DATABASE_PREPARED_STATEMENTS ?? true },
    temporal: { address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE },
    port: e.PORT,
    host: e.HOST,
    jwtSecret: e.JWT_SECRET,
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
    tracing: { endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: e.OTEL_SERVICE_NAME },
    warnings: production ? [] : unknown,
    config: {
      loginRateBurst: e.LOGIN_RATE_BURST,
      loginRatePerMinute: e.LOGIN_RATE_PER_MINUTE,
      trustedProxies: trustedProxiesFrom({ TRUSTED_PROXY: e.TRUSTED_PROXY }),
      webRoot: e.WEB_ROOT,
      maxUploadBytes: e.UPLOAD_MAX_BYTES,
      maxImportBytes: e.IMPORT_MAX_BYTES,
      publicSurvey: publicSurveyConfig(env),
      fileStore,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      corsOrigins: e.CORS_ORIGINS,
      // without a token, production keeps the process's numbers to itself (the API faces the public)
      metrics: e.METRICS_TOKEN ? { token: e.METRICS_TOKEN } : production ? 'off' : undefined,
    },
  };
}

/**
 * Fills in the defaults. Settings the caller leaves out come from the environment (`loadApiConfig`), so an API
 * started in-process (npm start, tests) honours the same variables as the standalone server.
 */
export function resolveDeps(deps: Deps, environment: ApiEnvironment = loadApiConfig()): ResolvedDeps {
  const c = deps.config;
  const env = environment.config;
  const fileStore = c.fileStore ?? env.fileStore ?? { kind: 'local' as const, dir: DEFAULT_FILE_DIR };
  return {
    prisma: deps.prisma,
    temporal: deps.temporal,
    now: deps.now ?? (() => new Date()),
    passwordPolicy: deps.passwordPolicy ?? PASSWORD_POLICY,
    files: deps.files ?? createFileStore(fileStore),
    logger: deps.logger ?? createLogger(environment.logLevel),
    metrics: deps.metrics ?? createHttpMetrics(),
    config: {
      jwtSecret: c.jwtSecret,
      accessTtlSeconds: c.accessTtlSeconds ?? 900,
      refreshTtlSeconds: c.refreshTtlSeconds ?? 14 * 24 * 3600,
      maxBodyBytes: c.maxBodyBytes ?? 1024 * 1024,
      maxFailedLogins: c.maxFailedLogins ?? 5,
      lockSeconds: c.lockSeconds ?? 900,
      taskQueue: c.taskQueue ?? env.taskQueue ?? TASK_QUEUE,
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
      corsOrigins: c.corsOrigins ?? env.corsOrigins ?? [],
      metrics: c.metrics ?? env.metrics ?? 'open',
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
    /** the request's logger (its lines carry the request id) */
    logger: Logger;
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
