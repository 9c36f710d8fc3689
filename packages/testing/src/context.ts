import type { ProvidedContext } from 'vitest';

/** What the global setup hands to the test workers (vitest `provide`/`inject`). */
declare module 'vitest' {
  export interface ProvidedContext {
    /** superuser URL of the test cluster's maintenance database; null when PostgreSQL is unavailable (never in CI) */
    kinerjaPgAdminUrl: string | null;
    /** name of the migrated template database on that cluster */
    kinerjaPgTemplate: string;
    /** why PostgreSQL is unavailable (shown when tests skip the PostgreSQL variants) */
    kinerjaPgUnavailable: string | null;
    /** a migrated PGlite data directory (tar file) to start in-memory test databases from */
    kinerjaPgliteTemplate: string;
    /** host:port of the Temporal dev server */
    kinerjaTemporalAddress: string;
  }
}

export type ProvidedKey = keyof ProvidedContext & `kinerja${string}`;
