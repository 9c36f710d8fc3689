/** The worker's configuration: defaults, durations, and a wrong setting named at start. */
import { expect, it } from 'vitest';
import { ConfigError, loadWorkerConfig } from '../src/index.js';

it('has defaults that need no environment', () => {
  const c = loadWorkerConfig({});
  expect(c.temporal).toEqual({ address: 'localhost:7233', namespace: 'default', taskQueue: undefined });
  expect(c.notifications).toMatchObject({ smtpUrl: undefined, mailFrom: 'Kinerja <no-reply@kinerja.invalid>' });
  expect(c.notifications.dispatcher).toMatchObject({ maxAttempts: 8, backoffMs: 30_000, maxBackoffMs: 3_600_000, pollMs: 2_000 });
});

it('reads SMTP_URL, MAIL_FROM and the dispatcher settings', () => {
  const c = loadWorkerConfig({
    SMTP_URL: 'smtp://kinerja:rahasia@mail.example.go.id:587',
    MAIL_FROM: 'BKPSDM <bkpsdm@example.go.id>',
    NOTIFY_BACKOFF: '5s',
    NOTIFY_MAX_ATTEMPTS: '3',
    NOTIFY_POLL: '',
  });
  expect(c.notifications.smtpUrl).toBe('smtp://kinerja:rahasia@mail.example.go.id:587');
  expect(c.notifications.mailFrom).toBe('BKPSDM <bkpsdm@example.go.id>');
  expect(c.notifications.dispatcher).toMatchObject({ backoffMs: 5_000, maxAttempts: 3, pollMs: 2_000 });
});

it('stops at start naming every wrong variable', () => {
  const wrong = () => loadWorkerConfig({ SMTP_URL: 'http://mail.example.go.id', NOTIFY_BACKOFF: 'soon', NOTIFY_MAX_ATTEMPTS: '0' });
  expect(wrong).toThrow(ConfigError);
  expect(wrong).toThrow(/SMTP_URL: smtp:\/\/user:pass@host:port/);
  expect(wrong).toThrow(/NOTIFY_BACKOFF: a duration/);
  expect(wrong).toThrow(/NOTIFY_MAX_ATTEMPTS/);
});

it('sizes the PostgreSQL pool and turns named statements off for a transaction-mode pooler', () => {
  expect(loadWorkerConfig({}).database).toEqual({ poolMax: undefined, preparedStatements: true });
  expect(loadWorkerConfig({ DATABASE_POOL_MAX: '5', DATABASE_PREPARED_STATEMENTS: 'false' }).database).toEqual({ poolMax: 5, preparedStatements: false });
  const wrong = () => loadWorkerConfig({ DATABASE_POOL_MAX: '0', DATABASE_PREPARED_STATEMENTS: 'nanti' });
  expect(wrong).toThrow(/DATABASE_POOL_MAX/);
  expect(wrong).toThrow(/DATABASE_PREPARED_STATEMENTS/);
});
