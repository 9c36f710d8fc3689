import { useT } from '../../../i18n';

export function CyclesPage() {
  const t = useT();
  return <h1>{t.adminCycles.title}</h1>;
}

export function OverviewPage() {
  const t = useT();
  return <h1>{t.admin.nav.overview}</h1>;
}
