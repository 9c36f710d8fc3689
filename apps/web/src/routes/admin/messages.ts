import { defineMessages } from '../../i18n/shape';

/** The admin console's frame: its navigation and the region switch. */
export const admin = defineMessages(
  {
    nav: {
      label: 'Navigasi admin',
      overview: 'Ringkasan',
      org: 'Organisasi',
      ruleSets: 'Aturan penilaian',
      cycles: 'Siklus',
      facts: 'Fakta',
      audit: 'Audit',
    },
    console: 'Konsol admin',
    region: 'Wilayah',
    notAdmin: 'Akun ini bukan admin wilayah.',
  },
  {
    nav: {
      label: 'Admin navigation',
      overview: 'Overview',
      org: 'Organisation',
      ruleSets: 'Rule sets',
      cycles: 'Cycles',
      facts: 'Facts',
      audit: 'Audit',
    },
    console: 'Admin console',
    region: 'Region',
    notAdmin: 'This account is not a region admin.',
  },
);
