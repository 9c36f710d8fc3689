import { defineMessages } from '../../../i18n/shape';

export const adminOrg = defineMessages({ title: 'Organisasi' }, { title: 'Organisation' });
