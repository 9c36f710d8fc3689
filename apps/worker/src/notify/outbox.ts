/**
 * The outbox writer: turns notification intents into Notification rows inside the caller's transaction (the
 * projection's, or the reminder's with its audit row), so a notification exists exactly when its event does.
 *
 * Per recipient: an EMAIL row when the employee has an e-mail address; a WHATSAPP or SMS row when the employee has a
 * phone number and the region has an active gateway for that channel. Channels the user turned off get no row, and
 * neither does a recipient without an address. One row per event × recipient × channel (`key`), inserted with
 * skipDuplicates: a retried projection or reminder inserts nothing twice.
 */
import type { NotificationChannel, Prisma } from '@kinerja/db';
import { isRegionTimeZone, type RegionTimeZone } from '@kinerja/domain';
import { json } from '../activities/shared.js';
import { asLang, type NotificationContext, type NotificationIntent, type NotificationPayload } from './payload.js';

type Tx = Prisma.TransactionClient;

const PHONE_CHANNELS = ['WHATSAPP', 'SMS'] as const;

/** The employees a notification's text names, besides its recipient. */
function namedIds(i: NotificationIntent): string[] {
  const f = i.facts;
  if (f.event === 'ESCALATION') return f.fromId ? [f.fromId] : [];
  if (f.event === 'SKP_RETURNED' || f.event === 'PERIOD_FEEDBACK') return [f.byId];
  return [];
}

export async function writeOutbox(tx: Tx, regionId: string, intents: NotificationIntent[], now: Date): Promise<number> {
  if (intents.length === 0) return 0;
  const evaluationIds = [...new Set(intents.map((i) => i.evaluationId))];
  // one query at a time: a transaction is one connection
  const region = await tx.region.findUnique({ where: { id: regionId }, select: { timezone: true } });
  const evaluations = await tx.evaluation.findMany({ where: { id: { in: evaluationIds } }, select: { id: true, employeeId: true, cycleId: true } });
  const endpoints = await tx.webhookEndpoint.findMany({ where: { regionId, active: true }, select: { id: true, channel: true } });
  const evaluatedOf = new Map(evaluations.map((e) => [e.id, e.employeeId]));
  const cycleOf = new Map(evaluations.map((e) => [e.id, e.cycleId]));
  const employeeIds = new Set<string>();
  for (const i of intents) {
    employeeIds.add(i.recipientId);
    const evaluated = evaluatedOf.get(i.evaluationId);
    if (evaluated) employeeIds.add(evaluated);
    for (const id of namedIds(i)) employeeIds.add(id);
  }
  const employees = await tx.employee.findMany({
    where: { id: { in: [...employeeIds] } },
    select: { id: true, name: true, email: true, phone: true, user: { select: { language: true, mutedChannels: true } } },
  });
  const byId = new Map(employees.map((e) => [e.id, e]));
  const gateway = new Map(endpoints.map((e) => [e.channel, e.id]));
  const timeZone: RegionTimeZone = region && isRegionTimeZone(region.timezone) ? region.timezone : 'Asia/Jakarta';
  const appealReasons = await appealReasonsOf(tx, intents);

  const rows: Prisma.NotificationCreateManyInput[] = [];
  for (const i of intents) {
    const recipient = byId.get(i.recipientId);
    if (!recipient) continue;
    const muted = new Set<NotificationChannel>(recipient.user?.mutedChannels ?? []);
    const named = namedIds(i)[0];
    const context: NotificationContext = {
      recipientName: recipient.name,
      employeeName: byId.get(evaluatedOf.get(i.evaluationId) ?? '')?.name ?? recipient.name,
      ...(named && byId.get(named) ? { byName: byId.get(named)!.name } : {}),
      ...(i.facts.event === 'APPEAL_DECISION' && appealReasons.get(i.evaluationId) ? { reasons: appealReasons.get(i.evaluationId)! } : {}),
      timeZone,
    };
    const payload: NotificationPayload = { ...i.facts, ...context };
    const row = (channel: NotificationChannel, address: string, endpointId: string | null): Prisma.NotificationCreateManyInput => ({
      regionId,
      key: `${i.key}:${channel}`,
      event: i.facts.event,
      channel,
      evaluationId: i.evaluationId,
      cycleId: cycleOf.get(i.evaluationId) ?? null,
      recipientId: recipient.id,
      address,
      endpointId,
      language: asLang(recipient.user?.language),
      payload: json(payload),
      nextAttemptAt: now,
      createdAt: now,
    });
    if (recipient.email && !muted.has('EMAIL')) rows.push(row('EMAIL', recipient.email, null));
    for (const channel of PHONE_CHANNELS) {
      const endpointId = gateway.get(channel);
      if (recipient.phone && endpointId && !muted.has(channel)) rows.push(row(channel, recipient.phone, endpointId));
    }
  }
  if (rows.length === 0) return 0;
  return (await tx.notification.createMany({ data: rows, skipDuplicates: true })).count;
}

/** The keberatan decision's reasons: written by the APPEAL_DECIDED change, which may precede the FINAL projection. */
async function appealReasonsOf(tx: Tx, intents: NotificationIntent[]): Promise<Map<string, string>> {
  const ids = intents.filter((i) => i.facts.event === 'APPEAL_DECISION').map((i) => i.evaluationId);
  if (ids.length === 0) return new Map();
  const appeals = await tx.appeal.findMany({ where: { evaluationId: { in: ids } }, select: { evaluationId: true, decisionReasons: true } });
  return new Map(appeals.flatMap((a) => (a.decisionReasons ? [[a.evaluationId, a.decisionReasons] as const] : [])));
}
