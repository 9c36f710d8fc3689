import { z } from 'zod';

/** Rating of hasil kerja or of a BerAKHLAK aspect (PermenPANRB 6/2022). */
export const RATINGS = ['DI_BAWAH', 'SESUAI', 'DI_ATAS'] as const;
export const Rating = z.enum(RATINGS);
export type Rating = z.infer<typeof Rating>;

/** Predikat kinerja pegawai, best first. */
export const PREDIKATS = ['SANGAT_BAIK', 'BAIK', 'BUTUH_PERBAIKAN', 'KURANG', 'SANGAT_KURANG'] as const;
export const Predikat = z.enum(PREDIKATS);
export type Predikat = z.infer<typeof Predikat>;

/** The seven BerAKHLAK core values. */
export const BERAKHLAK_ASPECTS = ['BERORIENTASI_PELAYANAN', 'AKUNTABEL', 'KOMPETEN', 'HARMONIS', 'LOYAL', 'ADAPTIF', 'KOLABORATIF'] as const;
export const BerakhlakAspect = z.enum(BERAKHLAK_ASPECTS);
export type BerakhlakAspect = z.infer<typeof BerakhlakAspect>;

export const BERAKHLAK_LABELS: Record<BerakhlakAspect, string> = {
  BERORIENTASI_PELAYANAN: 'Berorientasi Pelayanan',
  AKUNTABEL: 'Akuntabel',
  KOMPETEN: 'Kompeten',
  HARMONIS: 'Harmonis',
  LOYAL: 'Loyal',
  ADAPTIF: 'Adaptif',
  KOLABORATIF: 'Kolaboratif',
};

/** Indicator kinds of an RHK (quantity, quality, time, cost). Time and cost are better when smaller. */
export const INDICATOR_KINDS = ['QUANTITY', 'QUALITY', 'TIME', 'COST'] as const;
export const IndicatorKind = z.enum(INDICATOR_KINDS);
export type IndicatorKind = z.infer<typeof IndicatorKind>;

/** Phases of one employee's evaluation cycle, in order. */
export const PHASES = [
  'TARGET_SETTING',
  'PERIODIC',
  'ANNUAL_RATING',
  /** waiting for the unit's distribution check (SE MenPANRB 03/2023) when the cycle asks for it */
  'CALIBRATION',
  'APPEAL_WINDOW',
  'APPEAL',
  'FINAL',
  'CLOSED',
] as const;
export const Phase = z.enum(PHASES);
export type Phase = z.infer<typeof Phase>;

export const PERIOD_KINDS = ['MONTHLY', 'QUARTERLY'] as const;
export const PeriodKind = z.enum(PERIOD_KINDS);
export type PeriodKind = z.infer<typeof PeriodKind>;

/** A unit's own predikat (SE MenPANRB 03/2023), which bounds its staff's distribution. */
export const UNIT_PREDIKATS = ['ISTIMEWA', 'BAIK', 'BUTUH_PERBAIKAN', 'KURANG', 'SANGAT_KURANG'] as const;
export const UnitPredikat = z.enum(UNIT_PREDIKATS);
export type UnitPredikat = z.infer<typeof UnitPredikat>;

export const POSITION_KINDS = ['STRUKTURAL', 'FUNGSIONAL', 'PELAKSANA'] as const;
export const PositionKind = z.enum(POSITION_KINDS);
export type PositionKind = z.infer<typeof PositionKind>;

export const UNIT_KINDS = ['PEMDA', 'OPD', 'DINAS', 'BADAN', 'KECAMATAN', 'KELURAHAN', 'PUSKESMAS', 'SEKOLAH', 'BIDANG', 'LAINNYA'] as const;
export const UnitKind = z.enum(UNIT_KINDS);
export type UnitKind = z.infer<typeof UnitKind>;

/** Kinds of pending work that appear in a person's inbox. */
export const TASK_KINDS = ['SUBMIT_TARGETS', 'APPROVE_TARGETS', 'SUBMIT_REPORT', 'REVIEW_PERIOD', 'ANNUAL_RATING', 'RESPOND_APPEAL', 'DECIDE_APPEAL'] as const;
export const TaskKind = z.enum(TASK_KINDS);
export type TaskKind = z.infer<typeof TaskKind>;
/** The tasks the evaluated ASN does on their own year; every other kind waits on a supervisor, an atasan or a delegate. */
export const EMPLOYEE_TASK_KINDS = ['SUBMIT_TARGETS', 'SUBMIT_REPORT'] as const satisfies readonly TaskKind[];

export const FLAGS = ['REWARD', 'COACHING', 'TRAINING', 'SANCTION_REVIEW'] as const;
export const Flag = z.enum(FLAGS);
export type Flag = z.infer<typeof Flag>;

/** Where a notification goes: e-mail over SMTP, or the region's WhatsApp / SMS gateway (a signed webhook). */
export const NOTIFICATION_CHANNELS = ['EMAIL', 'WHATSAPP', 'SMS'] as const;
export const NotificationChannel = z.enum(NOTIFICATION_CHANNELS);
export type NotificationChannel = z.infer<typeof NotificationChannel>;

/** What a notification tells: each is produced by the projection (or the reminder) of the event it names. */
export const NOTIFICATION_EVENTS = ['REMINDER', 'ESCALATION', 'SKP_RETURNED', 'PERIOD_FEEDBACK', 'ANNUAL_RESULT', 'APPEAL_DECISION'] as const;
export const NotificationEvent = z.enum(NOTIFICATION_EVENTS);
export type NotificationEvent = z.infer<typeof NotificationEvent>;

export const NOTIFICATION_STATUSES = ['PENDING', 'SENT', 'FAILED'] as const;
export const NotificationStatus = z.enum(NOTIFICATION_STATUSES);
export type NotificationStatus = z.infer<typeof NotificationStatus>;

/** The languages of user-facing text (notifications, problems). */
export const LANGUAGES = ['id', 'en'] as const;
export const Language = z.enum(LANGUAGES);

/** hari libur nasional, cuti bersama, or a regional holiday */
export const HOLIDAY_KINDS = ['LIBUR_NASIONAL', 'CUTI_BERSAMA', 'LIBUR_DAERAH'] as const;
export const HolidayKind = z.enum(HOLIDAY_KINDS);
export type HolidayKind = z.infer<typeof HolidayKind>;
