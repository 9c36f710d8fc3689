import { useT } from '../../i18n';

export function SurveyPage() {
  const t = useT();
  return (
    <main className="main" id="main">
      <h1>{t.publicSurvey.title}</h1>
    </main>
  );
}
