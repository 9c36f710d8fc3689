import { useT } from '../../../i18n';

export function AuditPage() {
  const t = useT();
  return <h1>{t.adminAudit.title}</h1>;
}
