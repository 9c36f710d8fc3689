/**
 * Counts the SQL statements a Prisma client sends, at the driver adapter: every statement the database receives,
 * inside transactions as well, whichever way Prisma splits a query (an include may be a join or a second query).
 * For tests that bound a route's statements and for benchmarks that report statements per request; the client it
 * opens is a second one on the same database, so the application under test runs on it instead of `db.prisma`.
 */
import type { IsolationLevel, SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';
import { PrismaClient } from './generated/prisma/client.js';

export interface StatementCounter {
  /** statements sent since the counter was made */
  readonly count: number;
  /**
   * Runs `fn` and returns its result with the SQL of the statements sent while it ran. Every statement of the client
   * counts, so `fn` should be the only thing using the client meanwhile.
   */
  measure<T>(fn: () => Promise<T>): Promise<{ result: T; statements: string[] }>;
}

export interface CountingClient {
  prisma: PrismaClient;
  counter: StatementCounter;
  close(): Promise<void>;
}

/**
 * A driver adapter factory that counts what it sends. BEGIN is counted when a transaction starts. The end of a
 * transaction: PostgreSQL's adapter receives COMMIT/ROLLBACK from Prisma as a statement (counted as such); PGlite's
 * ends the transaction itself inside commit()/rollback() ("phantom" statements to Prisma), counted there.
 */
export function countingAdapter(factory: SqlDriverAdapterFactory): { adapter: SqlDriverAdapterFactory; counter: StatementCounter } {
  let count = 0;
  let recording: string[][] = [];
  const sent = (sql: string) => {
    count++;
    for (const r of recording) r.push(sql);
  };

  /** the statements of a connection or a transaction, counted on their way */
  const counted = (inner: Pick<SqlDriverAdapter, 'queryRaw' | 'executeRaw'>): Pick<SqlDriverAdapter, 'queryRaw' | 'executeRaw'> => ({
    queryRaw: (params) => {
      sent(params.sql);
      return inner.queryRaw(params);
    },
    executeRaw: (params) => {
      sent(params.sql);
      return inner.executeRaw(params);
    },
  });

  const transaction = (inner: Transaction): Transaction => {
    const phantom = inner.options.usePhantomQuery;
    const savepoint = (method: 'createSavepoint' | 'rollbackToSavepoint' | 'releaseSavepoint', sql: (name: string) => string) => {
      const f = inner[method]?.bind(inner);
      return f
        ? {
            [method]: (name: string) => {
              sent(sql(name));
              return f(name);
            },
          }
        : {};
    };
    return {
      provider: inner.provider,
      adapterName: inner.adapterName,
      options: inner.options,
      ...counted(inner),
      commit: () => {
        if (phantom) sent('COMMIT');
        return inner.commit();
      },
      rollback: () => {
        if (phantom) sent('ROLLBACK');
        return inner.rollback();
      },
      ...savepoint('createSavepoint', (name) => `SAVEPOINT ${name}`),
      ...savepoint('rollbackToSavepoint', (name) => `ROLLBACK TO SAVEPOINT ${name}`),
      ...savepoint('releaseSavepoint', (name) => `RELEASE SAVEPOINT ${name}`),
    };
  };

  const driver = (inner: SqlDriverAdapter): SqlDriverAdapter => ({
    provider: inner.provider,
    adapterName: inner.adapterName,
    ...counted(inner),
    executeScript: (script) => {
      sent(script);
      return inner.executeScript(script);
    },
    startTransaction: async (isolationLevel?: IsolationLevel) => {
      sent('BEGIN');
      if (isolationLevel) sent(`SET TRANSACTION ISOLATION LEVEL ${isolationLevel}`);
      return transaction(await inner.startTransaction(isolationLevel));
    },
    // Prisma asks whether the database joins relations in one statement: the answer is the inner adapter's
    ...(inner.getConnectionInfo ? { getConnectionInfo: inner.getConnectionInfo.bind(inner) } : {}),
    dispose: () => inner.dispose(),
  });

  const adapter: SqlDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => driver(await factory.connect()),
  };
  const counter: StatementCounter = {
    get count() {
      return count;
    },
    async measure(fn) {
      const statements: string[] = [];
      recording = [...recording, statements];
      try {
        return { result: await fn(), statements };
      } finally {
        recording = recording.filter((r) => r !== statements);
      }
    },
  };
  return { adapter, counter };
}

/**
 * Prisma's default error format captures a stack trace (new Error) on every query to point at the calling line in
 * its messages: a measurable part of a short read's CPU. Errors keep their code (P2002, P2025) and message.
 */
export const ERROR_FORMAT = 'minimal' as const;

/** A second Prisma client on `db`'s database whose statements are counted; close it before the database. */
export function openCountingClient(db: { adapter: SqlDriverAdapterFactory }): CountingClient {
  const { adapter, counter } = countingAdapter(db.adapter);
  // as openDb's clients, so what is measured on it is what production runs
  const prisma = new PrismaClient({ adapter, errorFormat: ERROR_FORMAT });
  return { prisma, counter, close: () => prisma.$disconnect() };
}
