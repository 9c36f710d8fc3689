import { defineMessages } from '../../../i18n/shape';

export const adminFacts = defineMessages({ title: 'Fakta penilaian' }, { title: 'Evaluation facts' });
