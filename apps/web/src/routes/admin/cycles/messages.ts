import { defineMessages } from '../../../i18n/shape';

export const adminCycles = defineMessages({ title: 'Siklus penilaian' }, { title: 'Evaluation cycles' });
