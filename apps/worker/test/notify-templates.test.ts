/** The notification texts and their derivation from a projection: pure, in Bahasa Indonesia and English. */
import { describe, expect, it } from 'vitest';
import type { EvaluationState, ProjectInput } from '@kinerja/workflows';
import { formatInstant, notificationsOfProjection, periodName, renderNotification, type NotificationPayload } from '../src/index.js';

const ctx = { recipientName: 'Andi Pratama', employeeName: 'Andi Pratama', byName: 'Siti Rahmawati', timeZone: 'Asia/Makassar' as const };

describe('templates', () => {
  it('shows times in the region zone and period names in the reader language', () => {
    // local midnight in WITA (UTC+8)
    expect(formatInstant('2027-01-31T16:00:00.000Z', 'Asia/Makassar', 'id')).toBe('1 Februari 2027 pukul 00.00 WITA');
    expect(formatInstant('2027-01-31T16:00:00.000Z', 'Asia/Makassar', 'en')).toBe('1 February 2027, 00:00 WITA');
    expect(formatInstant('2027-01-31T16:00:00.000Z', 'Asia/Jayapura', 'id')).toBe('1 Februari 2027 pukul 01.00 WIT');
    expect(periodName({ period: 3, periodLabel: 'Maret 2027' }, 'en')).toBe('March 2027');
    expect(periodName({ period: 2, periodLabel: 'Triwulan II 2027' }, 'en')).toBe('Quarter II 2027');
    expect(periodName({ period: 3 }, 'id')).toBe('periode 3');
  });

  const payloads: NotificationPayload[] = [
    {
      event: 'REMINDER',
      task: 'REVIEW_PERIOD',
      period: 1,
      periodLabel: 'Januari 2027',
      dueAt: '2027-02-14T16:00:00.000Z',
      ...ctx,
      employeeName: 'Dewi Lestari',
    },
    { event: 'ESCALATION', task: 'ANNUAL_RATING', fromId: 'x', dueAt: '2027-02-14T16:00:00.000Z', ...ctx },
    { event: 'SKP_RETURNED', note: 'tambahkan target mutu', byId: 'x', targetDeadline: '2027-01-31T16:00:00.000Z', ...ctx },
    { event: 'PERIOD_FEEDBACK', period: 1, periodLabel: 'Januari 2027', decision: 'RATE', rating: 'DI_ATAS', feedback: 'bagus', byId: 'x', ...ctx },
    { event: 'PERIOD_FEEDBACK', period: 1, decision: 'REQUEST_REVISION', feedback: 'lampirkan bukti', byId: 'x', cutoffAt: '2027-02-14T16:00:00.000Z', ...ctx },
    {
      event: 'ANNUAL_RESULT',
      predikat: 'BAIK',
      hasilKerja: 'SESUAI',
      perilaku: 'SESUAI',
      numericScore: 95.5,
      appealDeadline: '2028-01-20T16:00:00.000Z',
      ...ctx,
    },
    { event: 'APPEAL_DECISION', decision: 'LAPSED', predikat: 'BAIK', hasilKerja: 'SESUAI', perilaku: 'SESUAI', numericScore: 80, ...ctx },
  ];

  it.each(payloads.map((p) => [p.event, p] as const))('renders %s in both languages', (_event, p) => {
    const id = renderNotification(p, 'id');
    const en = renderNotification(p, 'en');
    expect(id.text.startsWith('Yth. Andi Pratama,')).toBe(true);
    expect(en.text.startsWith('Dear Andi Pratama,')).toBe(true);
    expect(id.subject).not.toBe(en.subject);
    for (const r of [id, en]) {
      expect(r.subject.length).toBeGreaterThan(10);
      expect(r.short.startsWith('Kinerja: ')).toBe(true);
      expect(r.text).not.toMatch(/undefined|null|NaN/);
    }
  });

  it('says what each event means', () => {
    const [reminder, , returned, rated, , result, lapsed] = payloads.map((p) => renderNotification(p, 'id'));
    expect(reminder!.subject).toBe('Pengingat: memeriksa laporan kinerja Januari 2027 dari Dewi Lestari sebelum 15 Februari 2027 pukul 00.00 WITA');
    expect(returned!.text).toContain('Catatan: tambahkan target mutu');
    expect(rated!.subject).toBe('Laporan Januari 2027 Anda: Di Atas Ekspektasi');
    expect(result!.text).toContain('mengajukan keberatan sampai 21 Januari 2028 pukul 00.00 WITA');
    expect(result!.text).toContain('nilai 95,5.');
    expect(renderNotification(payloads[5]!, 'en').text).toContain('score 95.5.');
    expect(lapsed!.short).toBe(
      'Kinerja: Keberatan Anda tidak diputuskan dalam batas waktu: hasil penilaian tetap. Hasil akhir Anda: predikat Baik (nilai 80).',
    );
  });
});

describe('derivation', () => {
  const state = (over: Partial<EvaluationState>): EvaluationState => ({
    evaluationId: 'e1',
    phase: 'APPEAL_WINDOW',
    skpStatus: 'APPROVED',
    supervisorId: 'sup',
    reviewerId: 'rev',
    periods: [],
    openTasks: [],
    ...over,
  });
  const input = (over: Partial<ProjectInput>): ProjectInput => ({
    evaluationId: 'e1',
    cycleId: 'c1',
    regionId: 'r1',
    employeeId: 'emp',
    seq: 7,
    workflowId: 'w',
    state: state({}),
    changes: [],
    ...over,
  });
  const result: NonNullable<EvaluationState['result']> = {
    hasilKerja: 'SESUAI',
    perilaku: 'SESUAI',
    predikat: 'BAIK',
    numericScore: 80,
    flags: [],
    reasons: [],
    final: false,
  };

  it('gives each event of a projection a key of its own, the same on every retry', () => {
    const i = input({
      state: state({ result, appealDeadline: '2028-01-20T16:00:00.000Z' }),
      changes: [
        { kind: 'ESCALATED', task: 'REVIEW_PERIOD', period: 2, from: 'sup', to: 'rev', at: '2027-03-01T00:00:00.000Z' },
        { kind: 'ESCALATED', task: 'REVIEW_PERIOD', period: 3, from: 'sup', to: 'rev', at: '2027-03-01T00:00:00.000Z' },
        { kind: 'PHASE_CHANGED', from: 'ANNUAL_RATING', to: 'APPEAL_WINDOW', at: '2027-03-01T00:00:00.000Z' },
        { kind: 'ESCALATED', task: 'ANNUAL_RATING', from: 'sup', to: null, at: '2027-03-01T00:00:00.000Z' },
      ],
    });
    const out = notificationsOfProjection(i);
    expect(out.map((n) => [n.facts.event, n.recipientId])).toEqual([
      ['ESCALATION', 'rev'],
      ['ESCALATION', 'rev'],
      ['ANNUAL_RESULT', 'emp'],
    ]);
    expect(new Set(out.map((n) => n.key)).size).toBe(3);
    expect(notificationsOfProjection(i)).toEqual(out);
    expect(out[2]!.facts).toMatchObject({ predikat: 'BAIK', appealDeadline: '2028-01-20T16:00:00.000Z' });
  });

  it('tells the keberatan decision when the year becomes FINAL after an appeal, not when a window simply ends', () => {
    const finalAfter = (appeal: EvaluationState['appeal']) =>
      notificationsOfProjection(
        input({
          state: state({ phase: 'FINAL', result: { ...result, final: true }, appeal }),
          changes: [{ kind: 'PHASE_CHANGED', from: 'APPEAL', to: 'FINAL', at: '2027-04-01T00:00:00.000Z' }],
        }),
      ).map((n) => n.facts);
    expect(finalAfter({ status: 'DECIDED', decision: 'REVISE' })).toEqual([expect.objectContaining({ event: 'APPEAL_DECISION', decision: 'REVISE' })]);
    expect(finalAfter({ status: 'DECIDED', decision: 'LAPSED' })).toEqual([expect.objectContaining({ event: 'APPEAL_DECISION', decision: 'LAPSED' })]);
    expect(finalAfter(undefined)).toEqual([]);
  });
});
