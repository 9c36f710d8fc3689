/**
 * The outbox and its dispatcher on a real database (PGlite, and PostgreSQL when the test cluster runs), a real SMTP
 * server and a real HTTP gateway: a reminder written twice is one notification per channel; a refused e-mail is
 * retried and sent once; a gateway that keeps failing leaves the row FAILED after the last try, and the admin's reset
 * sends it; two dispatchers on PostgreSQL never deliver one row twice.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@kinerja/db';
import { createTestDb, dbKinds, startSmtpServer, type Db, type SmtpFixture } from '@kinerja/testing';
import type { ReminderInput } from '@kinerja/workflows';
import { Client } from '@temporalio/client';
import { createActivities, createDispatcher, createEmailTransport, notificationMessageId, type Dispatcher, type EmailTransport } from '../src/index.js';
import { eventually, silentLog } from './helpers.js';
import { startGateway, type Gateway } from './notify-helpers.js';

const fast = { maxAttempts: 3, backoffMs: 30, maxBackoffMs: 100, pollMs: 20, leaseMs: 5_000, batchSize: 10, webhookTimeoutMs: 2_000 };

async function seedPeople(prisma: PrismaClient, gateway: Gateway) {
  const tag = randomUUID().slice(0, 8);
  const region = await prisma.region.create({ data: { code: `n-${tag}`, name: `Region ${tag}`, timezone: 'Asia/Makassar' } });
  const unit = await prisma.unit.create({ data: { regionId: region.id, code: 'dinas', name: 'Dinas Uji', kind: 'DINAS' } });
  const person = (n: number, extra: { email?: string; phone?: string }) =>
    prisma.employee.create({
      data: { regionId: region.id, nip: `1980010120050110${String(n).padStart(2, '0')}`, name: `Pegawai ${n}`, position: 'Staf', unitId: unit.id, ...extra },
    });
  const withBoth = await person(1, { email: 'pegawai1@example.go.id', phone: '+6281200000001' });
  const noAddress = await person(2, {});
  const muted = await person(3, { email: 'pegawai3@example.go.id', phone: '+6281200000003' });
  await prisma.user.create({
    data: { username: `u3-${tag}`, passwordHash: 'x', displayName: 'Pegawai 3', employeeId: muted.id, language: 'en', mutedChannels: ['EMAIL'] },
  });
  await prisma.webhookEndpoint.create({ data: { regionId: region.id, channel: 'WHATSAPP', url: gateway.url, secret: gateway.secret } });
  // an inactive SMS gateway: no SMS rows
  await prisma.webhookEndpoint.create({ data: { regionId: region.id, channel: 'SMS', url: gateway.url, secret: gateway.secret, active: false } });
  return { regionId: region.id, withBoth: withBoth.id, noAddress: noAddress.id, muted: muted.id };
}

const reminder = (regionId: string, assigneeId: string): ReminderInput => ({
  evaluationId: randomUUID(),
  regionId,
  kind: 'SUBMIT_REPORT',
  period: 3,
  assigneeId,
  dueAt: '2027-04-05T16:00:00.000Z',
  at: '2027-04-02T16:00:00.000Z',
});

describe.each(dbKinds())('notification outbox and dispatcher on %s', (kind) => {
  let db: Db;
  let smtp: SmtpFixture;
  let gateway: Gateway;
  let email: EmailTransport;
  const dispatchers: Dispatcher[] = [];
  beforeAll(async () => {
    [db, smtp, gateway] = await Promise.all([createTestDb(kind), startSmtpServer(), startGateway()]);
    email = createEmailTransport({ smtpUrl: smtp.url, from: 'Kinerja <kinerja@example.go.id>', timeoutMs: 5_000 });
  });
  afterAll(async () => {
    for (const d of dispatchers) await d.stop();
    email?.close();
    await Promise.all([db?.close(), smtp?.close(), gateway?.close()]);
  });
  const start = (settings = fast) => {
    const d = createDispatcher({ prisma: db.prisma, email, settings, log: silentLog });
    dispatchers.push(d);
    return d;
  };

  it('writes a reminder once per channel the person can be reached on, retries, fails after the last try, and sends after a reset', async () => {
    const prisma = db.prisma;
    const people = await seedPeople(prisma, gateway);
    // the activity itself, outside Temporal (it uses no Temporal client)
    const activities = createActivities({ prisma, temporal: undefined as unknown as Client, log: silentLog });
    const r = reminder(people.regionId, people.withBoth);
    await activities.sendReminder(r);
    await activities.sendReminder(r); // a retried activity
    await activities.sendReminder(reminder(people.regionId, people.noAddress));
    await activities.sendReminder(reminder(people.regionId, people.muted));

    const rows = await prisma.notification.findMany({ where: { regionId: people.regionId }, orderBy: { channel: 'asc' } });
    expect(rows.map((n) => [n.recipientId, n.channel, n.status])).toEqual(
      expect.arrayContaining([
        [people.withBoth, 'EMAIL', 'PENDING'],
        [people.withBoth, 'WHATSAPP', 'PENDING'],
        [people.muted, 'WHATSAPP', 'PENDING'],
      ]),
    );
    expect(rows).toHaveLength(3);
    expect(rows.find((n) => n.recipientId === people.muted)!.language).toBe('en');
    expect(await prisma.auditEvent.count({ where: { regionId: people.regionId, action: 'reminder.sent' } })).toBe(4);

    smtp.rejectNext(1);
    gateway.answer(500);
    const before = smtp.messages.length;
    start();
    const mail = rows.find((n) => n.channel === 'EMAIL')!;
    await eventually(async () => (await prisma.notification.findUniqueOrThrow({ where: { id: mail.id } })).status === 'SENT', 15_000, 'the e-mail sent');
    expect(await prisma.notification.findUniqueOrThrow({ where: { id: mail.id } })).toMatchObject({ attempts: 2, lastError: null });
    const mine = smtp.messages.slice(before).filter((m) => m.messageId === notificationMessageId(mail.id));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.to).toEqual(['pegawai1@example.go.id']);
    expect(mine[0]!.subject).toBe('Pengingat: menyampaikan laporan kinerja periode 3 sebelum 6 April 2027 pukul 00.00 WITA');
    expect(mine[0]!.text).toContain('Yth. Pegawai 1,');

    const hooks = rows.filter((n) => n.channel === 'WHATSAPP').map((n) => n.id);
    await eventually(async () => (await prisma.notification.count({ where: { id: { in: hooks }, status: 'FAILED' } })) === 2, 15_000, 'the webhooks FAILED');
    for (const n of await prisma.notification.findMany({ where: { id: { in: hooks } } })) {
      expect(n).toMatchObject({ attempts: 3, status: 'FAILED' });
      expect(n.lastError).toContain('answered 500');
    }
    const tried = gateway.received.filter((h) => hooks.includes(h.body.id));
    expect(tried).toHaveLength(6);
    expect(tried.every((h) => h.signatureValid && h.headers['x-kinerja-id'] === h.body.id)).toBe(true);

    // the admin sets the failed rows back to PENDING once the gateway works again
    gateway.answer(200);
    await prisma.notification.updateMany({
      where: { id: { in: hooks } },
      data: { status: 'PENDING', attempts: 0, nextAttemptAt: new Date(), lastError: null },
    });
    await eventually(async () => (await prisma.notification.count({ where: { id: { in: hooks }, status: 'SENT' } })) === 2, 15_000, 'the webhooks SENT');
    const delivered = gateway.received.filter((h) => hooks.includes(h.body.id) && h.status === 200);
    expect(delivered).toHaveLength(2);
    const english = delivered.find((h) => h.body.to === '+6281200000003')!;
    expect(english.body).toMatchObject({ event: 'REMINDER', channel: 'WHATSAPP', language: 'en' });
    expect(english.body.text).toBe('Kinerja: Please submit your performance report for period 3 by 6 April 2027, 00:00 WITA.');
    expect(english.body.data).toMatchObject({ task: 'SUBMIT_REPORT', period: 3, dueAt: r.dueAt, timeZone: 'Asia/Makassar' });
  });

  it.runIf(kind === 'postgres')('two dispatchers deliver each of many rows exactly once', async () => {
    const prisma = db.prisma;
    const people = await seedPeople(prisma, gateway);
    const activities = createActivities({ prisma, temporal: undefined as unknown as Client, log: silentLog });
    for (let i = 0; i < 30; i++) await activities.sendReminder({ ...reminder(people.regionId, people.withBoth), period: (i % 12) + 1 });
    const ids = (await prisma.notification.findMany({ where: { regionId: people.regionId, channel: 'EMAIL' }, select: { id: true } })).map((n) => n.id);
    expect(ids).toHaveLength(30);
    const small = { ...fast, batchSize: 3, pollMs: 5 };
    start(small);
    start(small);
    await eventually(async () => (await prisma.notification.count({ where: { regionId: people.regionId, status: 'SENT' } })) === 60, 30_000, 'all sent');
    const got = smtp.messages.filter((m) => ids.some((id) => m.messageId === notificationMessageId(id)));
    expect(got).toHaveLength(30);
    expect(new Set(got.map((m) => m.messageId)).size).toBe(30);
  });
});
