import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { asn } from './asn';
import { common } from './common';
import { admin } from '../routes/admin/messages';
import { adminAudit } from '../routes/admin/audit/messages';
import { adminCycles } from '../routes/admin/cycles/messages';
import { adminFacts } from '../routes/admin/facts/messages';
import { adminOrg } from '../routes/admin/org/messages';
import { adminRules } from '../routes/admin/rulesets/messages';
import { publicSurvey } from '../routes/public/messages';
import { supervisor } from '../routes/supervisor/messages';
import { locale, storeLang, storedLang, type Lang } from './lang';

/**
 * The one dictionary, merged from each feature's messages (a feature adds its module here). Each module is
 * checked for completeness against Bahasa Indonesia when it is defined.
 */
const modules = { asn, supervisor, admin, adminOrg, adminRules, adminCycles, adminFacts, adminAudit, publicSurvey };
type Modules = typeof modules;
const pick = <L extends 'id' | 'en'>(lang: L) =>
  Object.fromEntries(Object.entries(modules).map(([k, m]) => [k, m[lang]])) as { [K in keyof Modules]: Modules[K][L] };
const id = { ...common.id, ...pick('id') };
export type Messages = typeof id;
const en: Messages = { ...common.en, ...pick('en') };
export const dictionaries: Record<Lang, Messages> = { id, en };

interface I18n {
  lang: Lang;
  t: Messages;
  setLang: (lang: Lang) => void;
  /** Intl locale for dates and numbers */
  locale: string;
}

const Ctx = createContext<I18n | null>(null);

/** The current language, readable outside React (the API layer sends it as Accept-Language). */
let currentLang: Lang = storedLang();
const listeners = new Set<(l: Lang) => void>();
export const getLang = () => currentLang;
export function setLanguage(lang: Lang) {
  currentLang = lang;
  storeLang(lang);
  for (const l of listeners) l(lang);
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(currentLang);
  useEffect(() => {
    listeners.add(setLangState);
    return () => void listeners.delete(setLangState);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((l: Lang) => setLanguage(l), []);
  const value = useMemo<I18n>(() => ({ lang, t: dictionaries[lang], setLang, locale: locale(lang) }), [lang, setLang]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
export const useT = () => useI18n().t;
