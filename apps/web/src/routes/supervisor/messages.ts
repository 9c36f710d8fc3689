import { defineMessages } from '../../i18n/shape';

/** The supervisor pages' strings (pejabat penilai and atasan pejabat penilai). */
export const supervisor = defineMessages(
  {
    team: {
      title: 'Tim saya',
      intro: 'Pegawai yang Anda nilai tahun ini.',
      empty: 'Belum ada pegawai yang Anda nilai.',
      phase: 'Tahap',
      result: 'Predikat',
      open: 'Lihat',
    },
  },
  {
    team: {
      title: 'My team',
      intro: 'The employees you rate this year.',
      empty: 'There is nobody for you to rate yet.',
      phase: 'Phase',
      result: 'Predikat',
      open: 'View',
    },
  },
);
