import { Link } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { Button, TextField } from '../../../components/ui';
import { useT } from '../../../i18n';
import { useRegionCode } from '../base';
import type { PeriodSearch } from './index';
import './facts.css';

/** The two halves of the section (attendance, surveys) as links, so each has its own URL. */
export function FactsTabs() {
  const t = useT().adminFacts;
  const regionCode = useRegionCode();
  return (
    <nav aria-label={t.tabs.label} className="facts-tabs">
      <Link to="/admin/$regionCode/facts" params={{ regionCode }} activeOptions={{ exact: true }}>
        {t.tabs.attendance}
      </Link>
      <Link to="/admin/$regionCode/facts/surveys" params={{ regionCode }}>
        {t.tabs.surveys}
      </Link>
    </nav>
  );
}

/** The period filter (kept in the URL by the caller); the API names a wrong date in its problem. */
export function PeriodForm({ value, onApply, problem }: { value: PeriodSearch; onApply: (p: PeriodSearch) => void; problem?: unknown }) {
  const t = useT().adminFacts.period;
  const [from, setFrom] = useState(value.from ?? '');
  const [to, setTo] = useState(value.to ?? '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply({ ...(from.trim() ? { from: from.trim() } : {}), ...(to.trim() ? { to: to.trim() } : {}) });
  };
  return (
    <form className="facts-period" onSubmit={submit}>
      <TextField label={t.from} value={from} onChange={setFrom} description={t.hint} problem={problem} pointer="/from" name="from" />
      <TextField label={t.to} value={to} onChange={setTo} description={t.hint} problem={problem} pointer="/to" name="to" />
      <Button type="submit" variant="secondary">
        {t.apply}
      </Button>
    </form>
  );
}
