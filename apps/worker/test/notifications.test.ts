/**
 * Notifications that reach people, end to end: a year on the real time-skipping Temporal server with the real
 * activities writing a real database, the worker's dispatcher delivering to a real SMTP server and a real HTTP
 * WhatsApp gateway (signatures checked there). Every event of the year reaches its person once per channel, in the
 * person's language; muted channels and people without an address get nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDb, createTimeSkippingEnv, startSmtpServer, uniqueId, type Db, type SmtpFixture } from '@kinerja/testing';
import type { EvaluationState } from '@kinerja/workflows';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TaskKind } from '@kinerja/domain';
import { notificationMessageId, startWorker, type RunningWorker } from '../src/index.js';
import { DAY, actor, allAspects, eventually, reportFor, seedOrg, silentLog, skpDraft, startEvaluation, type EvalHandle, type TsContext } from './helpers.js';
import { startGateway, type Gateway } from './notify-helpers.js';

let env: TestWorkflowEnvironment;
let db: Db;
let smtp: SmtpFixture;
let gateway: Gateway;
let worker: RunningWorker;
let ctx: TsContext;

beforeAll(async () => {
  [env, db, smtp, gateway] = await Promise.all([createTimeSkippingEnv(), createTestDb('pglite'), startSmtpServer(), startGateway()]);
  const taskQueue = uniqueId('kinerja-notify');
  worker = await startWorker({
    prisma: db.prisma,
    connection: env.nativeConnection,
    taskQueue,
    log: silentLog,
    notifications: {
      smtpUrl: smtp.url,
      mailFrom: 'Kinerja Kota Uji <kinerja@example.go.id>',
      dispatcher: { maxAttempts: 3, backoffMs: 50, maxBackoffMs: 200, pollMs: 25, leaseMs: 10_000, webhookTimeoutMs: 5_000 },
    },
  });
  ctx = { env, db, prisma: db.prisma, client: env.client, taskQueue, worker, teardown: async () => undefined };
}, 120_000);
afterAll(async () => {
  await worker?.shutdown();
  await Promise.all([env?.teardown(), smtp?.close(), gateway?.close()]);
  await db?.close();
});

const state = (h: EvalHandle) => h.query<EvaluationState>('getState');
async function taskOf(h: EvalHandle, kind: TaskKind, period?: number) {
  const t = (await state(h)).openTasks.find((x) => x.kind === kind && x.period === period);
  if (!t) throw new Error(`no open ${kind} task`);
  return actor(t.assigneeId, t.actingForId);
}

it('a year: reminder, escalation, returned SKP, period feedback, the annual result and the keberatan decision reach their people', async () => {
  const prisma = ctx.prisma;
  const org = await seedOrg(prisma, { staff: 1 });
  const staff = org.staff[0]!;
  await prisma.employee.update({ where: { id: staff }, data: { email: 'andi@example.go.id', phone: '+6281234567890' } });
  await prisma.employee.update({ where: { id: org.head }, data: { email: 'siti@example.go.id', phone: '+6281234567891' } });
  await prisma.employee.update({ where: { id: org.kepala }, data: { email: 'bambang@example.go.id' } });
  // the supervisor reads English and turned WhatsApp off; the staff member has the defaults (Bahasa Indonesia, all on)
  await prisma.user.create({
    data: { username: uniqueId('siti'), passwordHash: 'x', displayName: 'Siti', employeeId: org.head, language: 'en', mutedChannels: ['WHATSAPP'] },
  });
  await prisma.webhookEndpoint.create({ data: { regionId: org.regionId, channel: 'WHATSAPP', url: gateway.url, secret: gateway.secret } });

  const { handle: h, input } = await startEvaluation(ctx, org, staff, { periods: 2 });
  const e = input.evaluationId;
  await h.executeUpdate('submitTargets', { args: [{ actor: actor(staff), skp: skpDraft }] });
  await ctx.env.sleep(32 * DAY); // the supervisor is reminded, then the approval escalates to the kepala
  await h.executeUpdate('decideTargets', {
    args: [{ actor: await taskOf(h, 'APPROVE_TARGETS'), input: { decision: 'RETURN', note: 'tambahkan target mutu' } }],
  });
  await h.executeUpdate('submitTargets', { args: [{ actor: actor(staff), skp: skpDraft }] });
  await h.executeUpdate('decideTargets', { args: [{ actor: await taskOf(h, 'APPROVE_TARGETS'), input: { decision: 'APPROVE' } }] });
  for (let p = 1; p <= 2; p++) {
    await ctx.env.sleep(30 * DAY);
    await h.executeUpdate('submitReport', { args: [{ actor: actor(staff), period: p, input: reportFor(e, 11) }] });
    if (p === 1) {
      await h.executeUpdate('reviewReport', {
        args: [{ actor: await taskOf(h, 'REVIEW_PERIOD', p), period: p, input: { decision: 'REQUEST_REVISION', feedback: 'lampirkan bukti' } }],
      });
      await h.executeUpdate('submitReport', { args: [{ actor: actor(staff), period: p, input: reportFor(e, 12) }] });
    }
    await h.executeUpdate('reviewReport', {
      args: [{ actor: await taskOf(h, 'REVIEW_PERIOD', p), period: p, input: { decision: 'RATE', rating: 'SESUAI', feedback: 'sesuai target' } }],
    });
  }
  await eventually(async () => (await state(h)).phase === 'ANNUAL_RATING', 30_000, 'the annual rating');
  await h.executeUpdate('rateAnnual', { args: [{ actor: await taskOf(h, 'ANNUAL_RATING'), input: { hasilKerja: 'SESUAI', perilaku: allAspects('SESUAI') } }] });
  await eventually(async () => (await state(h)).phase === 'APPEAL_WINDOW', 30_000, 'the keberatan window');
  await h.executeUpdate('fileAppeal', { args: [{ actor: actor(staff), input: { reasons: 'capaian saya di atas target, mohon ditinjau' } }] });
  await h.executeUpdate('decideAppeal', {
    args: [{ actor: actor(org.kepala), input: { decision: 'REVISE', reasons: 'bukti dukung kuat', hasilKerja: 'DI_ATAS', perilaku: allAspects('DI_ATAS') } }],
  });
  const final = await h.result();
  expect(final.phase).toBe('FINAL');

  const rows = await prisma.notification.findMany({ where: { regionId: org.regionId }, orderBy: { createdAt: 'asc' } });
  const of = (who: string, channel: string) => rows.filter((n) => n.recipientId === who && n.channel === channel).map((n) => n.event);
  const staffEvents = ['SKP_RETURNED', 'PERIOD_FEEDBACK', 'PERIOD_FEEDBACK', 'PERIOD_FEEDBACK', 'ANNUAL_RESULT', 'APPEAL_DECISION'];
  expect(of(staff, 'EMAIL').filter((ev) => ev !== 'REMINDER')).toEqual(staffEvents);
  expect(of(staff, 'WHATSAPP').filter((ev) => ev !== 'REMINDER')).toEqual(staffEvents);
  expect(of(org.head, 'EMAIL')).toContain('REMINDER');
  expect(of(org.head, 'WHATSAPP')).toEqual([]); // muted
  expect(of(org.kepala, 'EMAIL')).toContain('ESCALATION');
  expect(of(org.kepala, 'WHATSAPP')).toEqual([]); // no phone
  expect(new Set(rows.map((n) => n.key)).size).toBe(rows.length);
  // each row names its evaluation's cycle, as the tasks do: the cycle report counts both without a join
  const cycles = await prisma.evaluation.findMany({ where: { id: { in: rows.flatMap((n) => (n.evaluationId ? [n.evaluationId] : [])) } } });
  const cycleOf = new Map(cycles.map((e) => [e.id, e.cycleId]));
  expect(rows.filter((n) => !n.cycleId || n.cycleId !== cycleOf.get(n.evaluationId ?? ''))).toEqual([]);
  const tasks = await prisma.task.findMany({ where: { evaluationId: { in: [...cycleOf.keys()] } }, select: { evaluationId: true, cycleId: true } });
  expect(tasks.length).toBeGreaterThan(0);
  expect(tasks.filter((t) => t.cycleId !== cycleOf.get(t.evaluationId))).toEqual([]);

  await eventually(
    async () => (await prisma.notification.count({ where: { regionId: org.regionId, status: { not: 'SENT' } } })) === 0,
    30_000,
    'every notification sent',
  );

  // each e-mail row arrived once, with its Message-ID
  const mails = smtp.messages.filter((m) => rows.some((n) => n.channel === 'EMAIL' && m.messageId === notificationMessageId(n.id)));
  expect(mails).toHaveLength(rows.filter((n) => n.channel === 'EMAIL').length);
  expect(new Set(mails.map((m) => m.messageId)).size).toBe(mails.length);
  const mailOf = (event: string, who: string) => {
    const ids = rows.filter((n) => n.event === event && n.recipientId === who && n.channel === 'EMAIL').map((n) => notificationMessageId(n.id));
    return mails.filter((m) => ids.includes(m.messageId!));
  };

  const reminder = mailOf('REMINDER', org.head)[0]!;
  expect(reminder.to).toEqual(['siti@example.go.id']);
  expect(reminder.subject).toMatch(/^Reminder: review and approve the SKP of Staf 1 by \d+ \w+ \d{4}, \d\d:\d\d WIB$/);
  expect(reminder.text).toContain('Dear Kepala Bidang,');

  const escalation = mailOf('ESCALATION', org.kepala)[0]!;
  expect(escalation.subject).toBe('Dialihkan kepada Anda: memeriksa dan menyetujui SKP Staf 1');
  expect(escalation.text).toContain('atas nama Kepala Bidang');

  const returned = mailOf('SKP_RETURNED', staff)[0]!;
  expect(returned.subject).toBe('SKP Anda dikembalikan untuk diperbaiki');
  expect(returned.text).toContain('Catatan: tambahkan target mutu');
  expect(returned.text).not.toContain('sebelum'); // the target deadline had passed: no date to act by

  const feedback = mailOf('PERIOD_FEEDBACK', staff);
  expect(feedback.map((m) => m.subject)).toEqual(
    expect.arrayContaining([expect.stringMatching(/perlu diperbaiki$/), expect.stringMatching(/: Sesuai Ekspektasi$/)]),
  );
  expect(feedback.find((m) => m.subject.endsWith('perlu diperbaiki'))!.text).toContain('Umpan balik: lampirkan bukti');

  const result = mailOf('ANNUAL_RESULT', staff)[0]!;
  expect(result.subject).toBe('Hasil penilaian kinerja tahunan Anda: predikat Baik');
  expect(result.text).toMatch(/mengajukan keberatan sampai \d+ \w+ \d{4} pukul \d\d\.\d\d WIB/);

  const decision = mailOf('APPEAL_DECISION', staff)[0]!;
  expect(decision.subject).toBe(`Keputusan keberatan: predikat akhir ${final.result!.predikat === 'SANGAT_BAIK' ? 'Sangat Baik' : final.result!.predikat}`);
  expect(decision.text).toContain('Keberatan Anda telah diputuskan: hasil penilaian diubah.');
  expect(decision.text).toContain('Alasan: bukti dukung kuat');

  // the staff member's WhatsApp messages: signed, once each, the short text
  const hookIds = rows.filter((n) => n.channel === 'WHATSAPP').map((n) => n.id);
  const hooks = gateway.received.filter((r) => hookIds.includes(r.body.id));
  expect(hooks).toHaveLength(hookIds.length);
  expect(new Set(hooks.map((r) => r.body.id)).size).toBe(hookIds.length);
  expect(hooks.every((r) => r.signatureValid && r.body.to === '+6281234567890' && r.body.channel === 'WHATSAPP' && r.body.language === 'id')).toBe(true);
  expect(hooks.find((r) => r.body.event === 'ANNUAL_RESULT')!.body.text).toBe(`Kinerja: Hasil penilaian kinerja tahunan Anda: predikat Baik.`);
}, 180_000);
