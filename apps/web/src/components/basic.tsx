import { useEffect, useState, type ReactNode } from 'react';
import { ApiProblem, NetworkError } from '../api/problem';
import { useI18n, useT } from '../i18n';
import { countdown, formatDateTime } from '../lib/time';

/*
 * The pieces the shell and every page show, without React Aria: they load with the first page, so they stay
 * small; the interactive controls (components/ui) load with the pages that use them.
 */

export type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'neutral';

export const Badge = ({ tone = 'neutral', children }: { tone?: Tone; children: ReactNode }) => (
  <span className="badge" data-tone={tone}>
    {children}
  </span>
);

export const Loading = () => {
  const t = useT();
  return (
    <div className="spinner" role="status" aria-live="polite">
      {t.app.loading}
    </div>
  );
};

export function Alert({ tone = 'info', title, children }: { tone?: Tone; title?: string; children?: ReactNode }) {
  return (
    <div className="alert" data-tone={tone} role={tone === 'bad' ? 'alert' : 'status'}>
      {title ? <strong>{title}</strong> : null}
      {children}
    </div>
  );
}

/**
 * A failed request as the user reads it: the problem's `detail`, the workflow's `reason` when it refused a command
 * (the detail alone only says the action conflicts with the current state), and the field messages whose pointers
 * the form does not show next to a field (`placed`).
 */
export function ProblemAlert({ error, placed, onRetry }: { error: unknown; placed?: readonly string[]; onRetry?: () => void }) {
  const t = useT();
  if (!error) return null;
  if (error instanceof ApiProblem) {
    const shown = new Set(placed ?? []);
    const rest = error.errors.filter((e) => !shown.has(e.pointer));
    const inline = error.errors.length - rest.length;
    return (
      <Alert tone="bad" title={error.detail}>
        {error.reason ? <p className="problem-reason">{error.reason}</p> : null}
        {inline > 0 ? <p>{t.errors.fieldErrors(inline)}</p> : null}
        {rest.length ? (
          <ul>
            {rest.map((e, i) => (
              <li key={i}>{e.message}</li>
            ))}
          </ul>
        ) : null}
        {error.requestId ? <p className="small">{t.errors.requestId(error.requestId)}</p> : null}
        {onRetry ? (
          <button type="button" className="btn" data-variant="secondary" onClick={onRetry}>
            {t.app.retry}
          </button>
        ) : null}
      </Alert>
    );
  }
  return (
    <Alert tone="bad" title={error instanceof NetworkError ? t.errors.network : t.errors.unexpected}>
      {onRetry ? (
        <button type="button" className="btn" data-variant="secondary" onClick={onRetry}>
          {t.app.retry}
        </button>
      ) : null}
    </Alert>
  );
}

/** A live countdown to a deadline; the text updates as often as it changes. */
export function Countdown({ dueAt, showDate = true }: { dueAt: string; showDate?: boolean }) {
  const { t, locale } = useI18n();
  const [now, setNow] = useState(() => Date.now());
  const c = countdown(dueAt, now, t.time);
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), c.tickMs);
    return () => clearInterval(id);
  }, [c.tickMs]);
  return (
    <span className="countdown-wrap">
      <span className="countdown" data-urgency={c.urgency}>
        {c.text}
      </span>
      {showDate ? <span className="muted small"> · {t.time.due(formatDateTime(dueAt, locale))}</span> : null}
    </span>
  );
}

/** The page's heading; it names the browser tab too, so tabs and history entries say which page they are. */
export function PageHead({ title, intro, children }: { title: string; intro?: string; children?: ReactNode }) {
  const t = useT();
  useEffect(() => {
    document.title = `${title} · ${t.app.name}`;
  }, [title, t.app.name]);
  return (
    <header className="page-head">
      <h1>{title}</h1>
      {intro ? <p>{intro}</p> : null}
      {children}
    </header>
  );
}
