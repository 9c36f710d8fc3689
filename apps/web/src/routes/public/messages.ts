import { defineMessages } from '../../i18n/shape';

export const publicSurvey = defineMessages({ title: 'Survei kepuasan masyarakat' }, { title: "Citizens' satisfaction survey" });
