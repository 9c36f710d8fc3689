import type { Lang } from '@kinerja/domain';
import type { PrismaClient } from '@kinerja/db';
import type { Client } from '@temporalio/client';
import { TASK_QUEUE } from '@kinerja/workflows';

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
