/**
 * The notification texts, in Bahasa Indonesia (the default) and English: pure functions of the payload and the
 * language. Times are shown in the region's zone (WIB, WITA, WIT) by its fixed offset, so a text renders the same on
 * every machine.
 */
import { PREDIKAT_LABELS, REGION_TIME_ZONES, localDate, ratingInSentence, type RegionTimeZone, type TaskKind } from '@kinerja/domain';
import type { Lang, NotificationPayload } from './payload.js';

export interface RenderedNotification {
  subject: string;
  /** the e-mail body */
  text: string;
  /** one paragraph for WhatsApp and SMS */
  short: string;
}

const BULAN = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "16 Januari 2027 pukul 08.00 WITA" / "16 January 2027, 08:00 WITA" */
export function formatInstant(isoTime: string, tz: RegionTimeZone, lang: Lang): string {
  const ms = Date.parse(isoTime);
  if (Number.isNaN(ms)) return isoTime;
  const zone = REGION_TIME_ZONES[tz];
  const [y, m, d] = localDate(ms, tz).split('-').map(Number) as [number, number, number];
  const local = new Date(ms + zone.offsetMinutes * 60_000);
  const hh = String(local.getUTCHours()).padStart(2, '0');
  const mm = String(local.getUTCMinutes()).padStart(2, '0');
  return lang === 'en' ? `${d} ${MONTHS[m - 1]} ${y}, ${hh}:${mm} ${zone.abbreviation}` : `${d} ${BULAN[m - 1]} ${y} pukul ${hh}.${mm} ${zone.abbreviation}`;
}

/** The period's name from the workflow ("Maret 2027", "Triwulan II 2027"), in English when asked; else its number. */
export function periodName(p: { period?: number | undefined; periodLabel?: string | undefined }, lang: Lang): string {
  if (p.periodLabel) {
    if (lang === 'id') return p.periodLabel;
    const i = BULAN.findIndex((b) => p.periodLabel!.startsWith(b));
    if (i >= 0) return MONTHS[i] + p.periodLabel.slice(BULAN[i]!.length);
    return p.periodLabel.replace(/^Triwulan\b/, 'Quarter');
  }
  if (p.period === undefined) return '';
  return lang === 'en' ? `period ${p.period}` : `periode ${p.period}`;
}

/** A score as the reader writes numbers: 95,5 in Bahasa Indonesia, 95.5 in English. */
export const formatScore = (n: number, lang: Lang) => (lang === 'en' ? String(n) : String(n).replace('.', ','));

/** What the recipient is asked to do, as the object of "please …". */
function taskText(task: TaskKind, p: NotificationPayload, lang: Lang): string {
  const who = p.employeeName;
  const period = periodName(p as { period?: number; periodLabel?: string }, lang);
  const id: Record<TaskKind, string> = {
    SUBMIT_TARGETS: 'menyusun dan mengajukan SKP Anda',
    APPROVE_TARGETS: `memeriksa dan menyetujui SKP ${who}`,
    SUBMIT_REPORT: `menyampaikan laporan kinerja ${period}`,
    REVIEW_PERIOD: `memeriksa laporan kinerja ${period} dari ${who}`,
    ANNUAL_RATING: `memberikan penilaian kinerja tahunan ${who}`,
    RESPOND_APPEAL: `menanggapi keberatan ${who}`,
    DECIDE_APPEAL: `memutuskan keberatan ${who}`,
  };
  const en: Record<TaskKind, string> = {
    SUBMIT_TARGETS: 'draft and submit your SKP',
    APPROVE_TARGETS: `review and approve the SKP of ${who}`,
    SUBMIT_REPORT: `submit your performance report for ${period}`,
    REVIEW_PERIOD: `review the performance report of ${who} for ${period}`,
    ANNUAL_RATING: `give the annual performance rating of ${who}`,
    RESPOND_APPEAL: `respond to the keberatan (appeal) of ${who}`,
    DECIDE_APPEAL: `decide the keberatan (appeal) of ${who}`,
  };
  return (lang === 'en' ? en : id)[task];
}

interface Parts {
  subject: string;
  /** the first line is the message itself (also the WhatsApp/SMS text); the rest is detail for the e-mail */
  lines: string[];
}

function parts(p: NotificationPayload, lang: Lang): Parts {
  const en = lang === 'en';
  const at = (t: string) => formatInstant(t, p.timeZone, lang);
  switch (p.event) {
    case 'REMINDER': {
      const what = taskText(p.task, p, lang);
      return en
        ? { subject: `Reminder: ${what} by ${at(p.dueAt)}`, lines: [`Please ${what} by ${at(p.dueAt)}.`] }
        : { subject: `Pengingat: ${what} sebelum ${at(p.dueAt)}`, lines: [`Mohon ${what} sebelum ${at(p.dueAt)}.`] };
    }
    case 'ESCALATION': {
      const what = taskText(p.task, p, lang);
      const due = p.dueAt ? (en ? ` by ${at(p.dueAt)}` : ` sebelum ${at(p.dueAt)}`) : '';
      const from = p.byName ? (en ? ` for ${p.byName}` : ` atas nama ${p.byName}`) : '';
      return en
        ? {
            subject: `Escalated to you: ${what}`,
            lines: [`The deadline passed without action: please ${what}${from}${due}.`, 'You act on behalf of the official named above; the record shows it.'],
          }
        : {
            subject: `Dialihkan kepada Anda: ${what}`,
            lines: [`Batas waktu terlewati tanpa tindakan: mohon ${what}${from}${due}.`, 'Anda bertindak atas nama pejabat tersebut; hal ini tercatat.'],
          };
    }
    case 'SKP_RETURNED': {
      const by = p.byName ?? (en ? 'your supervisor' : 'pejabat penilai');
      const note = p.note ? (en ? `Note: ${p.note}` : `Catatan: ${p.note}`) : undefined;
      const due = p.targetDeadline
        ? en
          ? ` Please revise and resubmit by ${at(p.targetDeadline)}.`
          : ` Mohon perbaiki dan ajukan kembali sebelum ${at(p.targetDeadline)}.`
        : '';
      return en
        ? { subject: 'Your SKP was returned for revision', lines: [`${by} returned your SKP for revision.${due}`, ...(note ? [note] : [])] }
        : { subject: 'SKP Anda dikembalikan untuk diperbaiki', lines: [`${by} mengembalikan SKP Anda untuk diperbaiki.${due}`, ...(note ? [note] : [])] };
    }
    case 'PERIOD_FEEDBACK': {
      const period = periodName(p, lang);
      const by = p.byName ?? (en ? 'Your supervisor' : 'Pejabat penilai');
      const feedback = en ? `Feedback: ${p.feedback}` : `Umpan balik: ${p.feedback}`;
      if (p.decision === 'RATE' && p.rating) {
        const rating = ratingInSentence(p.rating, lang);
        return en
          ? { subject: `Your report for ${period}: ${rating}`, lines: [`${by} rated your report for ${period}: ${rating}.`, feedback] }
          : { subject: `Laporan ${period} Anda: ${rating}`, lines: [`${by} menilai laporan ${period} Anda: ${rating}.`, feedback] };
      }
      const until = p.cutoffAt ? (en ? ` by ${at(p.cutoffAt)}` : ` sebelum ${at(p.cutoffAt)}`) : '';
      return en
        ? { subject: `Your report for ${period} needs revision`, lines: [`${by} asks you to revise your report for ${period}${until}.`, feedback] }
        : { subject: `Laporan ${period} Anda perlu diperbaiki`, lines: [`${by} meminta Anda memperbaiki laporan ${period}${until}.`, feedback] };
    }
    case 'ANNUAL_RESULT': {
      const predikat = PREDIKAT_LABELS[p.predikat][lang];
      const detail = en
        ? `Hasil kerja ${ratingInSentence(p.hasilKerja, 'en')}, perilaku kerja ${ratingInSentence(p.perilaku, 'en')}, score ${formatScore(p.numericScore, lang)}.`
        : `Hasil kerja ${ratingInSentence(p.hasilKerja, 'id')}, perilaku kerja ${ratingInSentence(p.perilaku, 'id')}, nilai ${formatScore(p.numericScore, lang)}.`;
      const window = p.appealDeadline
        ? en
          ? `If you disagree, you may file a keberatan (appeal) until ${at(p.appealDeadline)}.`
          : `Jika Anda tidak sependapat, Anda dapat mengajukan keberatan sampai ${at(p.appealDeadline)}.`
        : undefined;
      return en
        ? {
            subject: `Your annual performance result: predikat ${predikat}`,
            lines: [`Your annual performance result is predikat ${predikat}.`, detail, ...(window ? [window] : [])],
          }
        : {
            subject: `Hasil penilaian kinerja tahunan Anda: predikat ${predikat}`,
            lines: [`Hasil penilaian kinerja tahunan Anda: predikat ${predikat}.`, detail, ...(window ? [window] : [])],
          };
    }
    case 'APPEAL_DECISION': {
      const predikat = PREDIKAT_LABELS[p.predikat][lang];
      const decided = en
        ? {
            UPHOLD: 'Your keberatan (appeal) was decided: the result stands.',
            REVISE: 'Your keberatan (appeal) was decided: the result was revised.',
            LAPSED: 'Your keberatan (appeal) was not decided in time: the result stands.',
          }
        : {
            UPHOLD: 'Keberatan Anda telah diputuskan: hasil penilaian tetap.',
            REVISE: 'Keberatan Anda telah diputuskan: hasil penilaian diubah.',
            LAPSED: 'Keberatan Anda tidak diputuskan dalam batas waktu: hasil penilaian tetap.',
          };
      const final = en
        ? `Your final result: predikat ${predikat} (score ${formatScore(p.numericScore, lang)}).`
        : `Hasil akhir Anda: predikat ${predikat} (nilai ${formatScore(p.numericScore, lang)}).`;
      const reasons = p.reasons ? [en ? `Reasons: ${p.reasons}` : `Alasan: ${p.reasons}`] : [];
      return {
        subject: en ? `Keberatan decision: final predikat ${predikat}` : `Keputusan keberatan: predikat akhir ${predikat}`,
        lines: [`${decided[p.decision]} ${final}`, ...reasons, en ? 'This decision is final.' : 'Keputusan ini bersifat final.'],
      };
    }
  }
}

export function renderNotification(p: NotificationPayload, lang: Lang): RenderedNotification {
  const { subject, lines } = parts(p, lang);
  const greeting = lang === 'en' ? `Dear ${p.recipientName},` : `Yth. ${p.recipientName},`;
  const footer =
    lang === 'en'
      ? 'This message was sent by Kinerja, the performance evaluation system. You can turn a channel off in your notification settings.'
      : 'Pesan ini dikirim oleh Kinerja, sistem penilaian kinerja. Anda dapat mematikan saluran pemberitahuan di pengaturan akun Anda.';
  return {
    subject,
    text: [greeting, '', ...lines.flatMap((l) => [l, '']), '--', footer, ''].join('\n'),
    short: `Kinerja: ${lines[0]}`,
  };
}
