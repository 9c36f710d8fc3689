import { defineMessages } from '../../../i18n/shape';

export const adminRules = defineMessages({ title: 'Aturan penilaian' }, { title: 'Rule sets' });
