import { useT } from '../../../i18n';

export function RuleSetsPage() {
  const t = useT();
  return <h1>{t.adminRules.title}</h1>;
}
