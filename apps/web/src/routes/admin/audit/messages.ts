import { defineMessages } from '../../../i18n/shape';

export const adminAudit = defineMessages({ title: 'Jejak audit' }, { title: 'Audit trail' });
