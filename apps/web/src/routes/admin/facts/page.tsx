import { useT } from '../../../i18n';

export function FactsPage() {
  const t = useT();
  return <h1>{t.adminFacts.title}</h1>;
}
