import { useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../i18n';

/** One button: shows the other language's code and switches to it; API texts are fetched again in that language. */
export function LanguageSwitch({ tone = 'light' }: { tone?: 'light' | 'dark' }) {
  const { lang, setLang, t } = useI18n();
  const qc = useQueryClient();
  const next = lang === 'id' ? 'en' : 'id';
  const code = next === 'en' ? 'EN' : 'ID';
  return (
    <button
      type="button"
      className="btn"
      data-variant={tone === 'dark' ? 'ghost' : 'secondary'}
      // the visible code starts the accessible name (WCAG 2.5.3, label in name)
      aria-label={`${code} · ${t.lang.switchTo}: ${t.lang[next]}`}
      onClick={() => {
        setLang(next);
        void qc.invalidateQueries();
      }}
    >
      {code}
    </button>
  );
}
