import { useT } from '../../../i18n';

export function OrgPage() {
  const t = useT();
  return <h1>{t.adminOrg.title}</h1>;
}
