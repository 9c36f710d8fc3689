import fc from 'fast-check';
import { RATINGS, type Rating } from '@kinerja/domain';
import { describe, expect, it } from 'vitest';
import { evaluate, nationalRuleSet, regionPacks, validateRuleSet, type Evaluation, type Facts, type RuleSetDocument } from '../src/index.js';
import { randomFacts, rng } from './support.js';

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
    it('innovation is rewarded; weak service orientation and < 20 JP call for training; too few responses → kepuasan at mutu B', async () => {
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
      expect(e.scoreComponents.find((c) => c.component === 'kepuasan')).toMatchObject({ value: 76.61, rule: 'Nilai kepuasan tanpa survei yang memadai' });
      expect(e.numericScore).toBe(Math.round((0.5 * 100 + 0.2 * 95 + 0.15 * 100 + 0.15 * 76.61) * 100) / 100);
      expect(e.reasons.some((r) => r.includes('dibagi ulang'))).toBe(false);
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
      const e = await evaluate(doc, {
        satisfactionMean: 2.4,
        satisfactionResponses: 40,
        hasilKerjaRating: 'SESUAI',
        perilakuRating: 'SESUAI',
        capaianAvg: 100,
        trainingHours: 20,
      });
      expect(flagRules(e)).toEqual(['Kepuasan masyarakat rendah']);
      expect(e.numericScore).toBe(89); // 60% × 100 + 20% × 85 + 20% × 60
    });
    it('an excellent survey is rewarded; repeated weak periods call for coaching', async () => {
      const e = await evaluate(doc, {
        satisfactionMean: 3.6,
        satisfactionResponses: 30,
        hasilKerjaRating: 'DI_ATAS',
        perilakuRating: 'SESUAI',
        periodRatingsBelow: 2,
        trainingHours: 20,
      });
      expect(flagRules(e)).toEqual(['Kepuasan masyarakat sangat baik', 'Evaluasi berkala: beberapa periode di bawah ekspektasi']);
    });
    it('too few responses: the survey counts as mutu B (76.61), whatever its mean', async () => {
      const e = await evaluate(doc, {
        satisfactionMean: 1,
        satisfactionResponses: 29,
        hasilKerjaRating: 'SESUAI',
        perilakuRating: 'SESUAI',
        trainingHours: 20,
      });
      expect(e.flags).toEqual([]);
      expect(e.numericScore).toBe(Math.round((0.6 * 85 + 0.2 * 85 + 0.2 * 76.61) * 100) / 100);
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

  describe('contradicting cases', () => {
    const packs: [string, RuleSetDocument][] = [['national', nationalRuleSet], ...Object.entries(regionPacks)];
    const has = (e: Evaluation, f: string) => e.flags.some((x) => x.flag === f);
    /**
     * Packs whose source puts a reward and an improvement plan side by side: Gayungan (feedback after a service
     * slip), Tenayan Raya (an improvement plan after every assessment), Rakumpit (periodic coaching). Elsewhere a
     * subject a rule calls for coaching is not a reward candidate. In no pack does a reward meet a sanction review
     * or the matrix's own coaching (predikat below Baik).
     */
    const rewardBesideCoaching = new Set(['gayungan', 'tenayan-raya', 'rakumpit']);
    const contradictions = (key: string, e: Evaluation): string[] => {
      if (!has(e, 'REWARD')) return [];
      const out: string[] = [];
      if (has(e, 'SANCTION_REVIEW')) out.push('REWARD + SANCTION_REVIEW');
      if (e.flags.some((x) => x.rule === 'Pembinaan untuk predikat di bawah Baik')) out.push('REWARD + matrix COACHING');
      if (!rewardBesideCoaching.has(key) && has(e, 'COACHING')) out.push('REWARD + COACHING');
      return out;
    };
    /** random facts, half of them with the assessor's ratings at the top so that rewards are common */
    const subject = (seed: number): Facts => {
      const f = randomFacts(rng(seed));
      return seed % 2 ? { ...f, hasilKerjaRating: 'DI_ATAS', perilakuRating: 'DI_ATAS' } : f;
    };

    it.each(packs)('%s: no subject is rewarded where the pack asks for a sanction review or (per its source) coaching', async (key, doc) => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
          const f = subject(seed);
          expect(contradictions(key, await evaluate(doc, f)), JSON.stringify(f)).toEqual([]);
        }),
        { numRuns: 400 },
      );
    });

    const up = (r: Rating): Rating => RATINGS[Math.min(RATINGS.indexOf(r) + 1, RATINGS.length - 1)]!;
    /** each returns the same subject with one fact better (more capaian, attendance, satisfaction, …), or null */
    const better: Record<string, (f: Facts, d: number, i: number) => Facts | null> = {
      capaian: (f, d, i) =>
        f.capaianIndicators?.length
          ? { ...f, capaianIndicators: f.capaianIndicators.map((x, j) => (j === i % f.capaianIndicators!.length ? x + d : x)) }
          : null,
      hasilKerjaRating: (f) => (f.hasilKerjaRating ? { ...f, hasilKerjaRating: up(f.hasilKerjaRating) } : null),
      perilakuRating: (f) => (f.perilakuRating ? { ...f, perilakuRating: up(f.perilakuRating) } : null),
      attendance: (f, d) => (f.attendanceRate != null ? { ...f, attendanceRate: Math.min(100, f.attendanceRate + d) } : null),
      // attendance data that needs no coaching (≥ 90%) against no attendance data
      attendanceGiven: (f, d) => (f.attendanceRate == null ? { ...f, attendanceRate: Math.min(100, 90 + d / 5) } : null),
      satisfaction: (f, d) => (f.satisfactionMean != null ? { ...f, satisfactionMean: Math.min(4, f.satisfactionMean + d / 50) } : null),
      // a survey rated Baik or better (IKM ≥ 76.61) with enough responses against no survey
      surveyGiven: (f, d) =>
        f.satisfactionMean == null ? { ...f, satisfactionMean: Math.min(4, 3.07 + d / 50), satisfactionResponses: 30 + Math.round(d) } : null,
      reportOnTime: (f) => (f.periods && f.reportsMissing ? { ...f, reportsOnTime: (f.reportsOnTime ?? 0) + 1, reportsMissing: f.reportsMissing - 1 } : null),
    };

    it.each(packs)('%s: a better fact never lowers the score', async (_key, doc) => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.double({ min: 0, max: 50, noNaN: true }), fc.nat(5), async (seed, d, i) => {
          const f = subject(seed);
          const before = (await evaluate(doc, f)).numericScore;
          for (const [name, improve] of Object.entries(better)) {
            const g = improve(f, d, i);
            if (!g) continue;
            const after = (await evaluate(doc, g)).numericScore;
            if (before === null) continue;
            expect(after, `${name}: ${JSON.stringify(f)} → ${JSON.stringify(g)}`).not.toBeNull();
            expect(after!, `${name}: ${JSON.stringify(f)} → ${JSON.stringify(g)}`).toBeGreaterThanOrEqual(before);
          }
        }),
        { numRuns: 300 },
      );
    });

    it('national: the matrix flags exclude each other (REWARD only for Sangat Baik)', async () => {
      const kurang = await evaluate(nationalRuleSet, { hasilKerjaRating: 'DI_ATAS', perilakuRating: 'DI_BAWAH', trainingHours: 20 });
      expect(flags(kurang)).toEqual(['COACHING', 'SANCTION_REVIEW']);
      const top = await evaluate(nationalRuleSet, { hasilKerjaRating: 'DI_ATAS', perilakuRating: 'DI_ATAS', capaianAvg: 80, trainingHours: 20 });
      expect(flags(top)).toEqual(['REWARD']);
    });

    it('gayungan: an excellent survey (IKM 96 from 50 responses) scores above no survey; no innovation reward at Kurang', async () => {
      const base: Facts = {
        capaianIndicators: [100],
        hasilKerjaRating: 'SESUAI',
        perilakuRating: 'DI_ATAS',
        periods: 12,
        reportsOnTime: 11,
        reportsMissing: 1,
      };
      const none = await evaluate(regionPacks.gayungan, base);
      const excellent = await evaluate(regionPacks.gayungan, { ...base, satisfactionMean: 3.84, satisfactionResponses: 50 }); // 4.8 of 5
      expect(excellent.scoreComponents.find((c) => c.component === 'kepuasan')!.value).toBe(96);
      expect(excellent.numericScore!).toBeGreaterThan(none.numericScore!);
      const baik = await evaluate(regionPacks.gayungan, { ...base, satisfactionMean: 76.61 / 25, satisfactionResponses: 30 });
      expect(baik.numericScore).toBe(none.numericScore);
      const kurang = await evaluate(regionPacks.gayungan, { innovations: 3, hasilKerjaRating: 'SESUAI', perilakuRating: 'DI_BAWAH' });
      expect(flags(kurang)).toEqual(['COACHING', 'SANCTION_REVIEW']);
    });

    it('bukittinggi: Sangat Baik by the assessor with weak capaian, and all targets met at Butuh Perbaikan, are not rewarded', async () => {
      const weak = await evaluate(regionPacks.bukittinggi, { capaianIndicators: [80, 70], hasilKerjaRating: 'DI_ATAS', perilakuRating: 'DI_ATAS' });
      expect(weak.predikat).toBe('SANGAT_BAIK');
      expect(flagRules(weak)).toEqual(['Dorongan perbaikan capaian']);
      const rated = await evaluate(regionPacks.bukittinggi, { capaianIndicators: [120, 115], hasilKerjaRating: 'DI_BAWAH', perilakuRating: 'SESUAI' });
      expect(flagRules(rated)).toEqual(['Pembinaan untuk predikat di bawah Baik']);
      const both = await evaluate(regionPacks.bukittinggi, { capaianIndicators: [120, 115], hasilKerjaRating: 'DI_ATAS', perilakuRating: 'DI_ATAS' });
      expect(flags(both)).toEqual(['REWARD', 'REWARD']);
    });

    it('tenayan-raya: a Kurang is never rewarded; a Sangat Baik keeps its reward beside an improvement plan for a weak period', async () => {
      const kurang = await evaluate(regionPacks['tenayan-raya'], { hasilKerjaRating: 'DI_ATAS', perilakuRating: 'DI_BAWAH', trainingHours: 20 });
      expect(flags(kurang)).toEqual(['COACHING', 'SANCTION_REVIEW']);
      const top = await evaluate(regionPacks['tenayan-raya'], {
        hasilKerjaRating: 'DI_ATAS',
        perilakuRating: 'DI_ATAS',
        periodRatingsBelow: 1,
        trainingHours: 20,
      });
      expect(flagRules(top)).toEqual(['Rencana perbaikan setelah penilaian periodik', 'Penghargaan untuk predikat Sangat Baik']);
    });

    it('rakumpit: a mutu A survey at Kurang is not rewarded; it scores above no survey', async () => {
      const kurang = await evaluate(regionPacks.rakumpit, {
        satisfactionMean: 3.9,
        satisfactionResponses: 40,
        hasilKerjaRating: 'SESUAI',
        perilakuRating: 'DI_BAWAH',
        trainingHours: 20,
      });
      expect(flags(kurang)).toEqual(['COACHING', 'SANCTION_REVIEW']);
      const base: Facts = { capaianAvg: 100, hasilKerjaRating: 'SESUAI', perilakuRating: 'DI_ATAS', trainingHours: 20 };
      const none = await evaluate(regionPacks.rakumpit, base);
      const excellent = await evaluate(regionPacks.rakumpit, { ...base, satisfactionMean: 3.84, satisfactionResponses: 50 });
      expect(excellent.numericScore!).toBeGreaterThan(none.numericScore!);
    });

    it('mataram: 70% attendance with Sangat Baik ratings is reviewed, not rewarded; 95% attendance scores above no data', async () => {
      const e = await evaluate(regionPacks.mataram, {
        attendanceRate: 70,
        hasilKerjaRating: 'DI_ATAS',
        perilakuRating: 'DI_ATAS',
        unitKind: 'SEKOLAH',
        capaianAvg: 120,
        trainingHours: 20,
      });
      expect(flags(e)).toEqual(['COACHING', 'SANCTION_REVIEW']);
      // the predikat stays the matrix's over the assessor's ratings (no pack overrides the regulation's matrix)
      expect(e.predikat).toBe('SANGAT_BAIK');
      const teacher = await evaluate(regionPacks.mataram, { unitKind: 'SEKOLAH', capaianAvg: 112, attendanceRate: 85, trainingHours: 20 });
      expect(flagRules(teacher)).toEqual(['Pembinaan disiplin kehadiran']);
      const base: Facts = { capaianAvg: 100, hasilKerjaRating: 'SESUAI', perilakuRating: 'DI_ATAS', trainingHours: 20 };
      const none = await evaluate(regionPacks.mataram, base);
      expect(none.scoreComponents.find((c) => c.component === 'kehadiran')).toMatchObject({ value: 90, rule: 'Nilai kehadiran tanpa data presensi' });
      expect((await evaluate(regionPacks.mataram, { ...base, attendanceRate: 95 })).numericScore!).toBeGreaterThan(none.numericScore!);
    });
  });
});
