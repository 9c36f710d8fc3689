import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState, type ReactNode } from 'react';
import { Dialog, DialogTrigger, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { ProblemAlert } from '../../../components/basic';
import { Button, TextField, useFieldError } from '../../../components/ui';
import { useT } from '../../../i18n';
import { useRegionCode } from '../base';
import { employeeQuery, employeesQuery } from './queries';

/**
 * A form in a modal dialog that stays open until its action succeeded (components/dialog's confirmation closes
 * at once): the problem and the field messages show inside it, next to what the admin typed.
 */
export function FormDialog({
  triggerLabel,
  title,
  confirmLabel,
  variant = 'primary',
  isOpen,
  onOpenChange,
  onSubmit,
  isPending,
  error,
  placed,
  children,
}: {
  triggerLabel: string;
  title: string;
  confirmLabel: string;
  variant?: 'primary' | 'danger' | 'secondary';
  isOpen: boolean;
  onOpenChange: (open: boolean) => void;
  onSubmit: () => void;
  isPending: boolean;
  error: unknown;
  placed: readonly string[];
  children: ReactNode;
}) {
  const t = useT();
  return (
    <DialogTrigger isOpen={isOpen} onOpenChange={onOpenChange}>
      <Button variant={variant}>{triggerLabel}</Button>
      <ModalOverlay className="modal-overlay" isOpen={isOpen} onOpenChange={onOpenChange} isDismissable>
        <Modal className="modal">
          <Dialog aria-label={title} className="stack" style={{ outline: 'none' }}>
            <Heading slot="title">{title}</Heading>
            <form
              className="stack"
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                onSubmit();
              }}
            >
              {children}
              <ProblemAlert error={error} placed={placed} />
              <div className="row">
                <Button type="submit" variant={variant === 'danger' ? 'danger' : 'primary'} isDisabled={isPending}>
                  {confirmLabel}
                </Button>
                <Button variant="secondary" onPress={() => onOpenChange(false)}>
                  {t.app.cancel}
                </Button>
              </div>
            </form>
          </Dialog>
        </Modal>
      </ModalOverlay>
    </DialogTrigger>
  );
}

/** A calendar date ('YYYY-MM-DD', the browser's date picker) with its label and the API's message at `pointer`. */
export function DateField({
  label,
  value,
  onChange,
  problem,
  pointer,
  error,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  problem?: unknown;
  pointer?: string;
  error?: string;
}) {
  const id = useId();
  const message = useFieldError(problem, ...(pointer ? [pointer] : [])) ?? error;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="date"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={message ? true : undefined}
        aria-describedby={message ? `${id}-err` : undefined}
      />
      {message ? (
        <p className="error" id={`${id}-err`}>
          {message}
        </p>
      ) : null}
    </div>
  );
}

/** The start (or the end) of a calendar day in the browser's time zone, as the API's ISO date-time. */
export const dayStart = (date: string) => new Date(`${date}T00:00:00`).toISOString();
export const dayEnd = (date: string) => new Date(`${date}T23:59:59`).toISOString();
export const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

export interface Picked {
  id: string;
  name: string;
  nip: string;
}

/**
 * Find an active employee by NIP or name (the list route's search, debounced) and choose one; `exclude` is the
 * employee the choice is for.
 */
export function EmployeePicker({
  label,
  value,
  onChange,
  exclude,
  error,
}: {
  label: string;
  value: Picked | null;
  onChange: (p: Picked) => void;
  exclude: string;
  error?: string;
}) {
  const t = useT();
  const regionCode = useRegionCode();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const id = setTimeout(() => setQ(text.trim()), 300);
    return () => clearTimeout(id);
  }, [text]);
  const found = useQuery({ ...employeesQuery(regionCode, { q, status: 'ACTIVE' }), enabled: q.length >= 2 });
  const items = q.length >= 2 ? (found.data?.items ?? []).filter((e) => e.id !== exclude).slice(0, 8) : [];
  return (
    <div className="org-picker">
      <TextField label={`${label}: ${t.adminOrg.picker.search}`} value={text} onChange={setText} error={value ? undefined : error} />
      {value ? <p className="help">{t.adminOrg.picker.chosen(value.name, value.nip)}</p> : null}
      <ProblemAlert error={found.error} />
      {q.length >= 2 && found.data ? (
        items.length ? (
          <ul className="org-picker-results" aria-label={t.adminOrg.picker.results}>
            {items.map((e) => (
              <li key={e.id}>
                <Button
                  variant={value?.id === e.id ? 'primary' : 'secondary'}
                  aria-pressed={value?.id === e.id}
                  onPress={() => onChange({ id: e.id, name: e.name, nip: e.nip })}
                  aria-label={t.adminOrg.picker.choose(e.name)}
                >
                  {e.name} <span className="small">({e.nip})</span>
                </Button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t.adminOrg.picker.none}</p>
        )
      ) : null}
    </div>
  );
}

/** An employee's name by id (cached: the same employee is asked for once). */
export function EmployeeName({ id }: { id: string }) {
  const regionCode = useRegionCode();
  const e = useQuery(employeeQuery(regionCode, id));
  return <>{e.data ? `${e.data.name} (${e.data.nip})` : '…'}</>;
}
