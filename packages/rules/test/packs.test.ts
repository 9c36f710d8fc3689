import { describe, expect, it } from 'vitest';
import { evaluate, regionPacks, validateRuleSet, type Evaluation, type Facts } from '../src/index.js';

const flags = (e: Evaluation) => e.flags.map((f) => f.flag).sort();
const flagRules = (e: Evaluation) => e.flags.map((f) => f.rule);

describe('region packs', () => {
  it.each(Object.entries(regionPacks))('%s is a valid document with the matrix as predikat basis', (_k, doc) => {
    expect(validateRuleSet(doc)).toEqual({ ok: true, errors: [] });
    expect(doc.params.predikatBasis).toBe('PERMENPANRB_6_2022_MATRIX');
    expect(doc.rules.some((r) => r.event.type === 'setPredikat')).toBe(false);
  });

  describe('gayungan: discipline, service quality, innovation, surveys, training', () => {
    const doc = regionPacks.gayungan;
    it('missing monthly reports and a poor survey call for feedback discussions; score includes discipline and satisfaction', async () => {
      const e = await evaluate(doc, {
        positionKind: 'PELAKSANA',
        periods: 12,
        reportsOnTime: 9,
        reportsLate: 1,
        reportsMissing: 2,
        satisfactionMean: 2.8, // IKM 70 < 76.61 (mutu B)
        satisfactionResponses: 50,
        hasilKerjaRating: 'SESUAI',
        perilakuRating: 'SESUAI',
        capaianIndicators: [100, 100],
        trainingHours: 24,
      });
      expect(flags(e)).toEqual(['COACHING', 'COACHING']);
      expect(flagRules(e)).toEqual(['Laporan kegiatan bulanan tidak disampaikan', 'Kepuasan masyarakat di bawah mutu B']);
      expect(e.predikat).toBe('BAIK');
      // 50% × 100 + 20% × 85 + 15% × 75 (9/12 on time) + 15% × 70 (IKM)
      expect(e.numericScore).toBe(88.75);
    });
    it('innovation is rewarded; weak service orientation and < 20 JP call for training; no survey → weight redistributed', async () => {
      const e = await evaluate(doc, {
        capaianIndicators: [115],
        hasilKerjaRating: 'DI_ATAS',
        perilakuRating: 'DI_ATAS',
        'perilaku.BERORIENTASI_PELAYANAN': 'DI_BAWAH',
        periods: 12,
        reportsOnTime: 12,
        reportsLate: 0,
        reportsMissing: 0,
        satisfactionMean: 4,
        satisfactionResponses: 10, // below the 30-response minimum: not used
        innovations: 2,
        trainingHours: 5,
      });
      expect(flags(e)).toEqual(['REWARD', 'REWARD', 'TRAINING', 'TRAINING']);
      expect(e.scoreComponents.find((c) => c.component === 'kepuasan')!.value).toBeNull();
      expect(e.numericScore).toBe(Math.round(((0.5 * 100 + 0.2 * 95 + 0.15 * 100) / 0.85) * 100) / 100);
      expect(e.reasons.some((r) => r.includes('dibagi ulang'))).toBe(true);
    });
  });

  describe('bukittinggi: achievement-based', () => {
    const doc = regionPacks.bukittinggi;
    it('all targets met with a high average → DI_ATAS suggested and rewarded; attendance is ignored', async () => {
      const base: Facts = { capaianIndicators: [120, 115, 100], perilakuRating: 'SESUAI' };
      const e = await evaluate(doc, base);
      expect(e.suggestions.hasilKerja).toBe('DI_ATAS');
      expect(e.hasilKerja).toBe('DI_ATAS');
      expect(e.predikat).toBe('BAIK');
      expect(flags(e)).toEqual(['REWARD']);
      expect(e.numericScore).toBe(97); // 80% × 100 + 20% × 85
      const withAttendance = await evaluate(doc, { ...base, attendanceRate: 10 });
      expect({ ...withAttendance, trace: [] }).toEqual({ ...e, trace: [] });
    });
    it('a high average with one indicator below target is only SESUAI (no main result below target for DI_ATAS)', async () => {
      const e = await evaluate(doc, { capaianIndicators: [130, 130, 80] });
      expect(e.suggestions.hasilKerja).toBe('SESUAI');
      expect(e.flags).toEqual([]);
    });
    it('weak results → DI_BAWAH and an improvement plan', async () => {
      const e = await evaluate(doc, { capaianIndicators: [95, 80, 70], perilakuRating: 'SESUAI' });
      expect(e.suggestions.hasilKerja).toBe('DI_BAWAH');
      expect(e.predikat).toBe('BUTUH_PERBAIKAN');
      expect(flagRules(e)).toEqual(['Dorongan perbaikan capaian']);
    });
    it('no capaian → no numeric score (results only)', async () => {
      const e = await evaluate(doc, { hasilKerjaRating: 'DI_ATAS', perilakuRating: 'DI_ATAS' });
      expect(e.numericScore).toBeNull();
      expect(e.predikat).toBe('SANGAT_BAIK');
    });
  });

  describe('tenayan-raya: role-specific indicators and improvement plans', () => {
    const doc = regionPacks['tenayan-raya'];
    it('finance staff with late financial reports: DI_BAWAH suggested over the capaian suggestion, improvement plan', async () => {
      const e = await evaluate(doc, { jobFamily: 'KEUANGAN', capaianTimeAvg: 85, capaianIndicators: [100, 105], perilakuRating: 'SESUAI' });
      expect(e.suggestions.hasilKerja).toBe('DI_BAWAH');
      expect(e.hasilKerjaSource).toBe('SUGGESTED');
      expect(e.predikat).toBe('BUTUH_PERBAIKAN');
      expect(flagRules(e)).toEqual(['Rencana perbaikan ketepatan waktu laporan keuangan']);
    });
    it('timeliness only matters for finance roles; weak periods, late online reports and weak service orientation', async () => {
      const e = await evaluate(doc, {
        jobFamily: 'PELAYANAN',
        capaianTimeAvg: 50,
        capaianIndicators: [100],
        periodRatingsBelow: 1,
        'perilaku.BERORIENTASI_PELAYANAN': 'DI_BAWAH',
        periods: 10,
        reportsOnTime: 7,
        trainingHours: 30,
      });
      expect(e.suggestions.hasilKerja).toBe('SESUAI');
      expect(flagRules(e)).toEqual(['Rencana perbaikan setelah penilaian periodik', 'Pelaporan daring tidak tepat waktu', 'Pelatihan pelayanan publik']);
    });
  });

  describe('rakumpit: public feedback surveys', () => {
    const doc = regionPacks.rakumpit;
    it('a poor survey lowers the score and calls for coaching', async () => {
      const e = await evaluate(doc, { satisfactionMean: 2.4, satisfactionResponses: 40, hasilKerjaRating: 'SESUAI', perilakuRating: 'SESUAI', capaianAvg: 100, trainingHours: 20 });
      expect(flagRules(e)).toEqual(['Kepuasan masyarakat rendah']);
      expect(e.numericScore).toBe(89); // 60% × 100 + 20% × 85 + 20% × 60
    });
    it('an excellent survey is rewarded; repeated weak periods call for coaching', async () => {
      const e = await evaluate(doc, { satisfactionMean: 3.6, satisfactionResponses: 30, hasilKerjaRating: 'DI_ATAS', perilakuRating: 'SESUAI', periodRatingsBelow: 2, trainingHours: 20 });
      expect(flagRules(e)).toEqual(['Kepuasan masyarakat sangat baik', 'Evaluasi berkala: beberapa periode di bawah ekspektasi']);
    });
    it('too few responses: the survey counts for nothing', async () => {
      const e = await evaluate(doc, { satisfactionMean: 1, satisfactionResponses: 29, hasilKerjaRating: 'SESUAI', perilakuRating: 'SESUAI', trainingHours: 20 });
      expect(e.flags).toEqual([]);
      expect(e.numericScore).toBe(Math.round(((0.6 * 85 + 0.2 * 85) / 0.8) * 100) / 100);
    });
  });

  describe('mataram: attendance app discipline and rewards for top performers', () => {
    const doc = regionPacks.mataram;
    it('attendance below 80% → coaching and a disciplinary review', async () => {
      const e = await evaluate(doc, { attendanceRate: 75, hasilKerjaRating: 'SESUAI', perilakuRating: 'SESUAI', capaianAvg: 100, trainingHours: 20 });
      expect(flags(e)).toEqual(['COACHING', 'SANCTION_REVIEW']);
      expect(e.numericScore).toBe(Math.round((0.6 * 100 + 0.25 * 85 + 0.15 * 75) * 100) / 100);
    });
    it('top performer with high attendance and an outstanding teacher are rewarded', async () => {
      const top = await evaluate(doc, { attendanceRate: 96, hasilKerjaRating: 'DI_ATAS', perilakuRating: 'DI_ATAS', trainingHours: 20 });
      expect(flagRules(top)).toEqual(['Penghargaan ASN berprestasi', 'Penghargaan untuk predikat Sangat Baik']);
      const teacher = await evaluate(doc, { unitKind: 'SEKOLAH', capaianAvg: 112, attendanceRate: 92, trainingHours: 20 });
      expect(flagRules(teacher)).toEqual(['Penghargaan guru berkinerja luar biasa']);
    });
  });
});
