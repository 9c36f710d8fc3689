import { Calendar, DEMO_CALENDAR, NATIONAL_CALENDAR, type Flag } from '@kinerja/domain';
import type { ConditionNode, LeafCondition, Rule, RuleEvent, RuleSetDocument } from './schema.js';

// ---------------------------------------------------------------------------------------------------------------
// small builders (the packs are plain JSON documents; these only keep them readable)

const c = (fact: string, operator: string, value: unknown): LeafCondition => ({ fact, operator, value });
const p = (param: string) => ({ param });
const all = (...conds: ConditionNode[]) => ({ all: conds });
const any = (...conds: ConditionNode[]) => ({ any: conds });

function rule(name: string, reason: string, conditions: Rule['conditions'], event: RuleEvent, priority?: number): Rule {
  return { name, reason, conditions, event, ...(priority !== undefined ? { priority } : {}) };
}
const flag = (f: Flag): RuleEvent => ({ type: 'flag', params: { flag: f } });

const RATING_SCORE = { DI_BAWAH: 60, SESUAI: 85, DI_ATAS: 95 };

/** Thresholds shared by every pack. */
const BASE_THRESHOLDS = {
  /** capaian (%) at or above which hasil kerja is suggested DI_ATAS (domain ratingFromCapaian) */
  capaianAbove: 110,
  /** capaian (%) at or above which hasil kerja is suggested SESUAI */
  capaianMeets: 90,
  /** PP 17/2020 ps. 203: at least 20 JP of competency development per year */
  minTrainingHours: 20,
};

// ---------------------------------------------------------------------------------------------------------------
// national building blocks

const suggestFromCapaian: Rule[] = [
  rule(
    'Saran hasil kerja dari capaian: di atas ekspektasi',
    'Rata-rata capaian indikator {capaianAvg}% mencapai batas di atas ekspektasi (110%): hasil kerja disarankan DI_ATAS.',
    all(c('capaianAvg', 'greaterThanInclusive', p('capaianAbove'))),
    { type: 'suggestHasilKerja', params: { rating: 'DI_ATAS' } },
  ),
  rule(
    'Saran hasil kerja dari capaian: sesuai ekspektasi',
    'Rata-rata capaian indikator {capaianAvg}% berada antara 90% dan 110%: hasil kerja disarankan SESUAI.',
    all(c('capaianAvg', 'greaterThanInclusive', p('capaianMeets')), c('capaianAvg', 'lessThan', p('capaianAbove'))),
    { type: 'suggestHasilKerja', params: { rating: 'SESUAI' } },
  ),
  rule(
    'Saran hasil kerja dari capaian: di bawah ekspektasi',
    'Rata-rata capaian indikator {capaianAvg}% di bawah 90%: hasil kerja disarankan DI_BAWAH.',
    all(c('capaianAvg', 'lessThan', p('capaianMeets'))),
    { type: 'suggestHasilKerja', params: { rating: 'DI_BAWAH' } },
  ),
];

const scoreHasilKerjaFromCapaian = rule(
  'Nilai SKP dari capaian',
  'Komponen hasil kerja dinilai dari rata-rata capaian {capaianAvg}% (dibatasi 0–100), sesuai PP 30/2019.',
  all(c('capaianAvg', 'present', true)),
  { type: 'scoreComponent', params: { component: 'hasilKerja', fact: 'capaianAvg', min: 0, max: 100 } },
  2,
);

const scoreHasilKerjaFromRating = rule(
  'Nilai SKP dari rating (bila capaian tidak tersedia)',
  'Capaian tidak tersedia; komponen hasil kerja memakai rating pejabat penilai {hasilKerjaRating} (DI_ATAS 95, SESUAI 85, DI_BAWAH 60).',
  all(c('hasilKerjaRating', 'present', true)),
  { type: 'scoreComponent', params: { component: 'hasilKerja', fact: 'hasilKerjaRating', map: RATING_SCORE } },
  1,
);

const scorePerilaku = rule(
  'Nilai perilaku dari rating',
  'Komponen perilaku kerja memakai rating {perilakuRating} (DI_ATAS 95, SESUAI 85, DI_BAWAH 60).',
  all(c('perilakuRating', 'present', true)),
  { type: 'scoreComponent', params: { component: 'perilaku', fact: 'perilakuRating', map: RATING_SCORE } },
);

/**
 * The national matrix flags. `rewardGuard` adds conditions to the Sangat Baik reward where a pack's source makes
 * the reward depend on more than the predikat (a pack never rewards a subject its own rules call for improving).
 */
function matrixFlags(...rewardGuard: ConditionNode[]): Rule[] {
  return [
    rule(
      'Penghargaan untuk predikat Sangat Baik',
      'Predikat menurut matriks adalah Sangat Baik: pegawai dipertimbangkan untuk penghargaan (tindak lanjut PermenPANRB 6/2022).',
      all(c('matrixPredikat', 'equal', 'SANGAT_BAIK'), ...rewardGuard),
      flag('REWARD'),
    ),
    rule(
      'Pembinaan untuk predikat di bawah Baik',
      'Predikat menurut matriks adalah {matrixPredikat}: pejabat penilai wajib melakukan pembinaan dan menyusun rencana perbaikan bersama pegawai.',
      all(c('matrixPredikat', 'in', ['BUTUH_PERBAIKAN', 'KURANG', 'SANGAT_KURANG'])),
      flag('COACHING'),
    ),
    rule(
      'Telaah sanksi untuk predikat Kurang atau Sangat Kurang',
      'Predikat menurut matriks adalah {matrixPredikat} (perilaku atau hasil kerja jauh di bawah ekspektasi): perlu telaah disiplin/sanksi sesuai PP 94/2021 dan PP 17/2020.',
      all(c('matrixPredikat', 'in', ['KURANG', 'SANGAT_KURANG'])),
      flag('SANCTION_REVIEW'),
    ),
  ];
}

/**
 * A pack's own REWARD rules also need the matrix predikat to be Baik or better (or not yet known): a subject the
 * matrix flags for coaching or a sanction review is not at the same time a reward candidate.
 */
const matrixAtLeastBaik: ConditionNode = any(c('matrixPredikat', 'present', false), c('matrixPredikat', 'in', ['SANGAT_BAIK', 'BAIK']));

const trainingHoursFlag = rule(
  'Pengembangan kompetensi kurang dari 20 JP',
  'Pengembangan kompetensi tahun ini {trainingHours} JP, kurang dari 20 JP per tahun (PP 17/2020 ps. 203): jadwalkan pelatihan.',
  all(c('trainingHours', 'lessThan', p('minTrainingHours'))),
  flag('TRAINING'),
);

const NATIONAL_FACTS = ['capaianAvg', 'hasilKerjaRating', 'perilakuRating', 'matrixPredikat', 'trainingHours'];

function doc(
  key: string,
  name: string,
  description: string,
  opts: {
    weights: Record<string, number>;
    missingComponent: 'REDISTRIBUTE' | 'NULL';
    thresholds?: Record<string, number>;
    facts: string[];
    rules: Rule[];
  },
): RuleSetDocument {
  return {
    schemaVersion: 1,
    key,
    name,
    description,
    params: {
      calendar: { ...NATIONAL_CALENDAR },
      weights: opts.weights,
      missingComponent: opts.missingComponent,
      thresholds: { ...BASE_THRESHOLDS, ...opts.thresholds },
      predikatBasis: 'PERMENPANRB_6_2022_MATRIX',
    },
    facts: [...new Set(opts.facts)],
    rules: opts.rules,
  };
}

/**
 * National rule set: predikat by the PermenPANRB 6/2022 matrix (the evaluation's built-in basis; no rule
 * overrides it), hasil kerja suggested from capaian (≥110% DI_ATAS, ≥90% SESUAI, else DI_BAWAH), a PP 30/2019
 * numeric score (70% SKP from capaian, 30% perilaku), and the follow-up flags of the tindak lanjut phase.
 */
export const nationalRuleSet: RuleSetDocument = doc(
  'national',
  'Nasional (PermenPANRB 6/2022, PP 30/2019)',
  'Predikat menurut matriks PermenPANRB 6/2022; saran hasil kerja dari capaian; nilai angka 70% SKP + 30% perilaku (PP 30/2019); tindak lanjut penghargaan, pembinaan, pelatihan, dan telaah sanksi.',
  {
    weights: { hasilKerja: 0.7, perilaku: 0.3 },
    missingComponent: 'NULL',
    facts: NATIONAL_FACTS,
    rules: [...suggestFromCapaian, scoreHasilKerjaFromCapaian, scoreHasilKerjaFromRating, scorePerilaku, ...matrixFlags(), trainingHoursFlag],
  },
);

const IKM = { ikmMutuA: 88.31, ikmMutuB: 76.61, ikmMutuC: 65, minSurveyResponses: 30 };

const scoreKepuasan = rule(
  'Nilai kepuasan masyarakat dari survei',
  'Komponen kepuasan memakai Indeks Kepuasan Masyarakat {satisfactionIndex} dari {satisfactionResponses} responden.',
  all(c('satisfactionIndex', 'present', true), c('satisfactionResponses', 'greaterThanInclusive', p('minSurveyResponses'))),
  { type: 'scoreComponent', params: { component: 'kepuasan', fact: 'satisfactionIndex', min: 0, max: 100 } },
);

/**
 * Without a usable survey the kepuasan component is the lower bound of mutu B (Baik, 76.61), not left out: left out,
 * its weight would go to the other components, and a survey better than Baik could then score below no survey at all
 * (an IKM of 96 below an average of 96.47). So a survey rated Baik or better never lowers the score.
 */
const scoreKepuasanWithoutSurvey = rule(
  'Nilai kepuasan tanpa survei yang memadai',
  'Survei kepuasan masyarakat tidak tersedia atau kurang dari 30 responden ({satisfactionResponses}): komponen kepuasan memakai batas bawah mutu B (Baik), 76,61.',
  any(c('satisfactionIndex', 'present', false), c('satisfactionResponses', 'present', false), c('satisfactionResponses', 'lessThan', p('minSurveyResponses'))),
  { type: 'scoreComponent', params: { component: 'kepuasan', value: IKM.ikmMutuB } },
);

/** Gayungan: discipline, service quality, innovation, satisfaction surveys, monthly reports, training. */
const gayungan = doc(
  'gayungan',
  'Gayungan: disiplin, kualitas layanan, inovasi',
  'Penilaian berkala atas disiplin (laporan kegiatan bulanan), kualitas pelayanan (survei kepuasan masyarakat) dan inovasi; umpan balik setelah kesalahan layanan; pelatihan. Nilai angka: 50% hasil kerja, 20% perilaku, 15% disiplin pelaporan, 15% kepuasan masyarakat.',
  {
    weights: { hasilKerja: 0.5, perilaku: 0.2, disiplin: 0.15, kepuasan: 0.15 },
    missingComponent: 'REDISTRIBUTE',
    thresholds: IKM,
    facts: [
      ...NATIONAL_FACTS,
      'reportsOnTimeRate',
      'reportsMissing',
      'positionKind',
      'satisfactionIndex',
      'satisfactionResponses',
      'innovations',
      'perilaku.BERORIENTASI_PELAYANAN',
    ],
    rules: [
      ...suggestFromCapaian,
      scoreHasilKerjaFromCapaian,
      scoreHasilKerjaFromRating,
      scorePerilaku,
      rule(
        'Nilai disiplin dari laporan bulanan tepat waktu',
        'Komponen disiplin memakai persentase laporan kegiatan bulanan yang tepat waktu: {reportsOnTimeRate}%.',
        all(c('reportsOnTimeRate', 'present', true)),
        { type: 'scoreComponent', params: { component: 'disiplin', fact: 'reportsOnTimeRate', min: 0, max: 100 } },
      ),
      scoreKepuasan,
      scoreKepuasanWithoutSurvey,
      rule(
        'Laporan kegiatan bulanan tidak disampaikan',
        'Petugas pelaksana tidak menyampaikan laporan kegiatan bulanan sebanyak {reportsMissing} kali: diskusikan penyebabnya dan sepakati solusi agar tidak terulang.',
        all(c('positionKind', 'equal', 'PELAKSANA'), c('reportsMissing', 'greaterThanInclusive', 1)),
        flag('COACHING'),
      ),
      rule(
        'Kepuasan masyarakat di bawah mutu B',
        'Indeks Kepuasan Masyarakat {satisfactionIndex} di bawah mutu B (76,61): adakan diskusi umpan balik untuk memperbaiki kualitas layanan.',
        all(c('satisfactionIndex', 'lessThan', p('ikmMutuB')), c('satisfactionResponses', 'greaterThanInclusive', p('minSurveyResponses'))),
        flag('COACHING'),
      ),
      rule(
        'Penghargaan inovasi layanan',
        'Pegawai mencatat {innovations} inovasi dengan hasil kerja minimal sesuai ekspektasi: dipertimbangkan untuk penghargaan inovasi.',
        all(c('innovations', 'greaterThanInclusive', 1), c('hasilKerjaRating', 'ratingAtLeast', 'SESUAI'), matrixAtLeastBaik),
        flag('REWARD'),
      ),
      rule(
        'Pelatihan pelayanan prima',
        'Aspek Berorientasi Pelayanan dinilai di bawah ekspektasi: ikutkan pelatihan pelayanan prima.',
        all(c('perilaku.BERORIENTASI_PELAYANAN', 'equal', 'DI_BAWAH')),
        flag('TRAINING'),
      ),
      ...matrixFlags(),
      trainingHoursFlag,
    ],
  },
);

/** Bukittinggi: achievement-based; results only (no attendance, no tenure); rewards and improvement. */
const bukittinggi = doc(
  'bukittinggi',
  'Bukittinggi: penilaian berbasis capaian',
  'ASN dinilai dari hasil kerja yang dicapai, bukan kehadiran atau masa kerja. Saran hasil kerja DI_ATAS hanya bila rata-rata capaian ≥110% dan tidak ada indikator di bawah target; penghargaan untuk capaian tinggi, rencana perbaikan untuk capaian rendah. Nilai angka: 80% capaian, 20% perilaku.',
  {
    weights: { hasilKerja: 0.8, perilaku: 0.2 },
    missingComponent: 'NULL',
    thresholds: { fullTarget: 100, maxIndicatorsBelow: 1 },
    facts: ['capaianAvg', 'capaianMin', 'indicatorsBelowTarget', 'hasilKerjaRating', 'perilakuRating', 'matrixPredikat'],
    rules: [
      rule(
        'Saran hasil kerja: seluruh target tercapai dan rata-rata di atas ekspektasi',
        'Rata-rata capaian {capaianAvg}% ≥ 110% dan capaian terendah {capaianMin}% ≥ 100% (tidak ada hasil utama di bawah target): hasil kerja disarankan DI_ATAS.',
        all(c('capaianAvg', 'greaterThanInclusive', p('capaianAbove')), c('capaianMin', 'greaterThanInclusive', p('fullTarget'))),
        { type: 'suggestHasilKerja', params: { rating: 'DI_ATAS' } },
        2,
      ),
      rule(
        'Saran hasil kerja: sesuai ekspektasi',
        'Rata-rata capaian {capaianAvg}% ≥ 90%: hasil kerja disarankan SESUAI (DI_ATAS hanya bila semua indikator mencapai target).',
        all(c('capaianAvg', 'greaterThanInclusive', p('capaianMeets'))),
        { type: 'suggestHasilKerja', params: { rating: 'SESUAI' } },
        1,
      ),
      rule(
        'Saran hasil kerja: di bawah ekspektasi',
        'Rata-rata capaian {capaianAvg}% di bawah 90%: hasil kerja disarankan DI_BAWAH.',
        all(c('capaianAvg', 'lessThan', p('capaianMeets'))),
        { type: 'suggestHasilKerja', params: { rating: 'DI_BAWAH' } },
      ),
      scoreHasilKerjaFromCapaian,
      scorePerilaku,
      rule(
        'Apresiasi capaian tinggi',
        'Seluruh target tercapai (terendah {capaianMin}%) dengan rata-rata {capaianAvg}%: pegawai mendapat apresiasi/penghargaan.',
        all(c('capaianAvg', 'greaterThanInclusive', p('capaianAbove')), c('capaianMin', 'greaterThanInclusive', p('fullTarget')), matrixAtLeastBaik),
        flag('REWARD'),
      ),
      rule(
        'Dorongan perbaikan capaian',
        'Capaian belum memadai (rata-rata {capaianAvg}%, {indicatorsBelowTarget} indikator di bawah target): susun rencana perbaikan bersama atasan.',
        any(c('capaianAvg', 'lessThan', p('capaianMeets')), c('indicatorsBelowTarget', 'greaterThan', p('maxIndicatorsBelow'))),
        flag('COACHING'),
      ),
      // "reward good, improve weak": the Sangat Baik reward only where the capaian does not call for improvement
      ...matrixFlags(
        any(c('capaianAvg', 'present', false), c('capaianAvg', 'greaterThanInclusive', p('capaianMeets'))),
        any(c('indicatorsBelowTarget', 'present', false), c('indicatorsBelowTarget', 'lessThanInclusive', p('maxIndicatorsBelow'))),
      ),
    ],
  },
);

/** Tenayan Raya: role-specific indicators (finance timeliness), improvement planning after every assessment. */
const tenayanRaya = doc(
  'tenayan-raya',
  'Tenayan Raya: indikator sesuai jabatan dan rencana perbaikan',
  'Indikator terukur sesuai tugas (jabatan keuangan: ketepatan waktu laporan keuangan); umpan balik dan rencana perbaikan setelah setiap penilaian; pelaporan daring yang ditinjau atasan secara langsung; pelatihan bila aspek pelayanan rendah. Nilai angka 70/30 (PP 30/2019).',
  {
    weights: { hasilKerja: 0.7, perilaku: 0.3 },
    missingComponent: 'NULL',
    thresholds: { timelinessTarget: 100, timelinessMin: 90, minOnTimeRate: 80 },
    facts: [...NATIONAL_FACTS, 'jobFamily', 'capaianTimeAvg', 'periodRatingsBelow', 'perilaku.BERORIENTASI_PELAYANAN', 'reportsOnTimeRate'],
    rules: [
      ...suggestFromCapaian,
      rule(
        'Laporan keuangan jauh dari tepat waktu',
        'Jabatan keuangan dengan ketepatan waktu laporan keuangan {capaianTimeAvg}% (< 90%): indikator kunci jabatan tidak tercapai, hasil kerja disarankan DI_BAWAH.',
        all(c('jobFamily', 'equal', 'KEUANGAN'), c('capaianTimeAvg', 'lessThan', p('timelinessMin'))),
        { type: 'suggestHasilKerja', params: { rating: 'DI_BAWAH' } },
        3,
      ),
      scoreHasilKerjaFromCapaian,
      scoreHasilKerjaFromRating,
      scorePerilaku,
      rule(
        'Rencana perbaikan ketepatan waktu laporan keuangan',
        'Ketepatan waktu laporan keuangan {capaianTimeAvg}% belum 100%: diskusikan dan susun rencana perbaikan.',
        all(c('jobFamily', 'equal', 'KEUANGAN'), c('capaianTimeAvg', 'lessThan', p('timelinessTarget'))),
        flag('COACHING'),
      ),
      rule(
        'Rencana perbaikan setelah penilaian periodik',
        '{periodRatingsBelow} penilaian periodik di bawah ekspektasi: setiap penilaian diikuti umpan balik dan rencana perbaikan.',
        all(c('periodRatingsBelow', 'greaterThanInclusive', 1)),
        flag('COACHING'),
      ),
      rule(
        'Pelaporan daring tidak tepat waktu',
        'Hanya {reportsOnTimeRate}% laporan daring tepat waktu (< 80%): atasan tidak dapat meninjau progres secara langsung; perbaiki disiplin pelaporan.',
        all(c('reportsOnTimeRate', 'lessThan', p('minOnTimeRate'))),
        flag('COACHING'),
      ),
      rule(
        'Pelatihan pelayanan publik',
        'Nilai aspek Berorientasi Pelayanan rendah: sinyal untuk pelatihan atau peningkatan kapasitas pelayanan publik.',
        all(c('perilaku.BERORIENTASI_PELAYANAN', 'equal', 'DI_BAWAH')),
        flag('TRAINING'),
      ),
      ...matrixFlags(),
      trainingHoursFlag,
    ],
  },
);

/** Rakumpit: public feedback surveys after each service programme; periodic evaluation; training. */
const rakumpit = doc(
  'rakumpit',
  'Rakumpit: penilaian berbasis kinerja dengan umpan balik masyarakat',
  'Umpan balik masyarakat (survei setelah setiap program layanan) masuk ke nilai; evaluasi berkala; pelatihan rutin. Nilai angka: 60% hasil kerja, 20% perilaku, 20% kepuasan masyarakat (bila survei cukup responden).',
  {
    weights: { hasilKerja: 0.6, perilaku: 0.2, kepuasan: 0.2 },
    missingComponent: 'REDISTRIBUTE',
    thresholds: { ...IKM, maxPeriodsBelow: 2 },
    facts: [...NATIONAL_FACTS, 'satisfactionIndex', 'satisfactionResponses', 'periodRatingsBelow'],
    rules: [
      ...suggestFromCapaian,
      scoreHasilKerjaFromCapaian,
      scoreHasilKerjaFromRating,
      scorePerilaku,
      scoreKepuasan,
      scoreKepuasanWithoutSurvey,
      rule(
        'Kepuasan masyarakat rendah',
        'Survei setelah program layanan menghasilkan indeks {satisfactionIndex} (mutu D, < 65) dari {satisfactionResponses} responden: bahas masukan masyarakat dan rencana perbaikan layanan.',
        all(c('satisfactionIndex', 'lessThan', p('ikmMutuC')), c('satisfactionResponses', 'greaterThanInclusive', p('minSurveyResponses'))),
        flag('COACHING'),
      ),
      rule(
        'Kepuasan masyarakat sangat baik',
        'Survei masyarakat menghasilkan indeks {satisfactionIndex} (mutu A, ≥ 88,31) dengan hasil kerja minimal sesuai ekspektasi: dipertimbangkan untuk penghargaan.',
        all(
          c('satisfactionIndex', 'greaterThanInclusive', p('ikmMutuA')),
          c('satisfactionResponses', 'greaterThanInclusive', p('minSurveyResponses')),
          c('hasilKerjaRating', 'ratingAtLeast', 'SESUAI'),
          matrixAtLeastBaik,
        ),
        flag('REWARD'),
      ),
      rule(
        'Evaluasi berkala: beberapa periode di bawah ekspektasi',
        '{periodRatingsBelow} periode dinilai di bawah ekspektasi: lakukan pembinaan berkala.',
        all(c('periodRatingsBelow', 'greaterThanInclusive', p('maxPeriodsBelow'))),
        flag('COACHING'),
      ),
      ...matrixFlags(),
      trainingHoursFlag,
    ],
  },
);

/** Attendance at or above the coaching threshold, or no attendance data (then no attendance rule fires either). */
const attendanceNeedsNoCoaching: ConditionNode = any(c('attendanceRate', 'present', false), c('attendanceRate', 'greaterThanInclusive', p('attendanceMin')));

/** Mataram: annual plan with targets, attendance app feeds discipline, rewards for top performers. */
const mataram = doc(
  'mataram',
  'Mataram: rencana kerja tahunan, disiplin kehadiran, penghargaan',
  'Indikator kuantitatif dan kualitatif dari rencana kerja tahunan; aplikasi presensi memberi data disiplin; penghargaan bagi ASN berprestasi (mis. guru). Nilai angka: 60% hasil kerja, 25% perilaku, 15% kehadiran.',
  {
    weights: { hasilKerja: 0.6, perilaku: 0.25, kehadiran: 0.15 },
    missingComponent: 'REDISTRIBUTE',
    thresholds: { attendanceTop: 95, attendanceMin: 90, attendanceSanction: 80 },
    facts: [...NATIONAL_FACTS, 'attendanceRate', 'unitKind'],
    rules: [
      ...suggestFromCapaian,
      scoreHasilKerjaFromCapaian,
      scoreHasilKerjaFromRating,
      scorePerilaku,
      rule(
        'Nilai kehadiran dari aplikasi presensi',
        'Komponen kehadiran memakai data aplikasi presensi: {attendanceRate}%.',
        all(c('attendanceRate', 'present', true)),
        { type: 'scoreComponent', params: { component: 'kehadiran', fact: 'attendanceRate', min: 0, max: 100 } },
      ),
      // left out, the kehadiran weight would go to the other components and an attendance of 95% could score below
      // no attendance data; at the coaching threshold, attendance that needs no coaching never lowers the score
      rule(
        'Nilai kehadiran tanpa data presensi',
        'Data aplikasi presensi tidak tersedia: komponen kehadiran memakai batas pembinaan disiplin, 90%.',
        all(c('attendanceRate', 'present', false)),
        { type: 'scoreComponent', params: { component: 'kehadiran', value: 90 } },
      ),
      rule(
        'Pembinaan disiplin kehadiran',
        'Kehadiran menurut aplikasi presensi {attendanceRate}% (< 90%): lakukan pembinaan disiplin.',
        all(c('attendanceRate', 'lessThan', p('attendanceMin'))),
        flag('COACHING'),
      ),
      rule(
        'Telaah disiplin kehadiran',
        'Kehadiran menurut aplikasi presensi {attendanceRate}% (< 80%): telaah hukuman disiplin sesuai PP 94/2021; tidak ada penghargaan selama kehadiran di bawah 90%. Predikat tetap menurut matriks atas rating pejabat penilai.',
        all(c('attendanceRate', 'lessThan', p('attendanceSanction'))),
        flag('SANCTION_REVIEW'),
      ),
      rule(
        'Penghargaan ASN berprestasi',
        'Hasil kerja dan perilaku di atas ekspektasi dengan kehadiran {attendanceRate}%: ASN berprestasi, usulkan penghargaan.',
        all(
          c('hasilKerjaRating', 'equal', 'DI_ATAS'),
          c('perilakuRating', 'equal', 'DI_ATAS'),
          c('attendanceRate', 'greaterThanInclusive', p('attendanceTop')),
        ),
        flag('REWARD'),
      ),
      rule(
        'Penghargaan guru berkinerja luar biasa',
        'Guru di satuan pendidikan dengan rata-rata capaian {capaianAvg}% (≥ 110%) dan kehadiran tanpa catatan disiplin: usulkan penghargaan guru berprestasi.',
        all(c('unitKind', 'equal', 'SEKOLAH'), c('capaianAvg', 'greaterThanInclusive', p('capaianAbove')), attendanceNeedsNoCoaching, matrixAtLeastBaik),
        flag('REWARD'),
      ),
      // a reward needs attendance that calls for no coaching (the source rewards disciplined top performers)
      ...matrixFlags(attendanceNeedsNoCoaching),
      trainingHoursFlag,
    ],
  },
);

/** The five region packs, by key. Each is a complete, valid rule-set document. */
export const regionPacks: Readonly<Record<'gayungan' | 'bukittinggi' | 'tenayan-raya' | 'rakumpit' | 'mataram', RuleSetDocument>> = {
  gayungan,
  bukittinggi,
  'tenayan-raya': tenayanRaya,
  rakumpit,
  mataram,
};

/** The rule set's calendar with defaults applied. */
export function calendarOf(doc: RuleSetDocument): Calendar {
  return Calendar.parse(doc.params.calendar);
}

/** Number of assessment periods in a year: 12 (monthly) or 4 (quarterly). */
export function periodsOf(doc: RuleSetDocument): number {
  return calendarOf(doc).periodKind === 'QUARTERLY' ? 4 : 12;
}

const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];

/** Period labels in Bahasa Indonesia: months, or Triwulan I–IV. */
export function periodLabels(doc: RuleSetDocument): string[] {
  return periodsOf(doc) === 4 ? ['Triwulan I', 'Triwulan II', 'Triwulan III', 'Triwulan IV'] : [...MONTHS];
}

/** A copy of the document with another calendar (and optionally another key). */
export function withCalendar(doc: RuleSetDocument, calendar: Calendar, key?: string): RuleSetDocument {
  return { ...doc, ...(key ? { key } : {}), params: { ...doc.params, calendar: { ...calendar } } };
}

/** The national rule set on the demo calendar (a year in minutes). */
export const demoRuleSet: RuleSetDocument = withCalendar(nationalRuleSet, DEMO_CALENDAR, 'national-demo');
