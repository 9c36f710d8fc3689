import type { Lang } from '@kinerja/domain';
import type { PrismaClient } from '@kinerja/db';
import type { Client } from '@temporalio/client';
import { TASK_QUEUE } from '@kinerja/workflows';
import { positive, trustedProxiesFrom } from './ratelimit.js';

export interface ApiConfig {
  jwtSecret: string;
  /** access token lifetime, default 900 s (15 min) */
  accessTtlSeconds?: number;
  /** refresh token lifetime, default 14 days */
  refreshTtlSeconds?: number;
  /** request body limit in bytes, default 1 MiB */
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
}

export interface Deps {
  prisma: PrismaClient;
  temporal: Client;
  config: ApiConfig;
  now?: () => Date;
}

export interface ResolvedDeps {
  prisma: PrismaClient;
  temporal: Client;
  config: Required<ApiConfig>;
  now: () => Date;
}

export function resolveDeps(deps: Deps): ResolvedDeps {
  return {
    prisma: deps.prisma,
    temporal: deps.temporal,
    now: deps.now ?? (() => new Date()),
    config: {
      jwtSecret: deps.config.jwtSecret,
      accessTtlSeconds: deps.config.accessTtlSeconds ?? 900,
      refreshTtlSeconds: deps.config.refreshTtlSeconds ?? 14 * 24 * 3600,
      maxBodyBytes: deps.config.maxBodyBytes ?? 1024 * 1024,
      maxFailedLogins: deps.config.maxFailedLogins ?? 5,
      lockSeconds: deps.config.lockSeconds ?? 900,
      taskQueue: deps.config.taskQueue ?? TASK_QUEUE,
      loginRateBurst: deps.config.loginRateBurst ?? positive(process.env.LOGIN_RATE_BURST, 30),
      loginRatePerMinute: deps.config.loginRatePerMinute ?? positive(process.env.LOGIN_RATE_PER_MINUTE, 30),
      trustedProxies: deps.config.trustedProxies ?? trustedProxiesFrom(process.env),
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
