import type { ReactNode } from 'react';
import {
  Button as AriaButton,
  Checkbox as AriaCheckbox,
  FieldError,
  Input,
  Label,
  Radio,
  RadioGroup as AriaRadioGroup,
  Text,
  TextArea,
  TextField as AriaTextField,
  type ButtonProps,
} from 'react-aria-components';
import { fieldMessages } from '../api/problem';

/** The form controls (React Aria Components): labelled, keyboard and screen-reader ready, 48 px touch targets. */

export function Button({
  variant = 'primary',
  block,
  className,
  ...props
}: ButtonProps & { variant?: 'primary' | 'secondary' | 'danger' | 'ghost'; block?: boolean }) {
  return (
    <AriaButton {...props} data-variant={variant} className={['btn', block ? 'block' : '', typeof className === 'string' ? className : ''].join(' ').trim()} />
  );
}

/** Field messages of a problem for one JSON pointer (several pointers: the first that has messages). */
export function useFieldError(problem: unknown, ...pointers: string[]): string | undefined {
  const map = fieldMessages(problem);
  for (const p of pointers) {
    const m = map.get(p);
    if (m?.length) return m.join(' ');
  }
  return undefined;
}

interface FieldProps {
  label: string;
  value: string;
  onChange: (v: string) => void;
  /** the problem of the last attempt: its errors[] entry at `pointer` is shown under the field */
  problem?: unknown;
  pointer?: string;
  description?: string;
  type?: 'text' | 'password' | 'url' | 'email' | 'number' | 'tel';
  inputMode?: 'numeric' | 'decimal' | 'text' | 'url';
  autoComplete?: string;
  isRequired?: boolean;
  isDisabled?: boolean;
  multiline?: boolean;
  name?: string;
  /** a client-side message, shown when the API has none for the field */
  error?: string;
}

export function TextField({
  label,
  value,
  onChange,
  problem,
  pointer,
  description,
  type = 'text',
  inputMode,
  autoComplete,
  isRequired,
  isDisabled,
  multiline,
  name,
  error,
}: FieldProps) {
  const apiError = useFieldError(problem, ...(pointer ? [pointer] : []));
  const message = apiError ?? error;
  return (
    <AriaTextField
      className="field"
      value={value}
      onChange={onChange}
      isInvalid={!!message}
      isRequired={isRequired}
      isDisabled={isDisabled}
      type={multiline ? undefined : type}
      autoComplete={autoComplete}
      name={name}
      validationBehavior="aria"
    >
      <Label>{label}</Label>
      {multiline ? <TextArea /> : <Input inputMode={inputMode} />}
      {description ? (
        <Text slot="description" className="help">
          {description}
        </Text>
      ) : null}
      <FieldError className="error">{message}</FieldError>
    </AriaTextField>
  );
}

export function Checkbox({ isSelected, onChange, children }: { isSelected: boolean; onChange: (v: boolean) => void; children: ReactNode }) {
  return (
    <AriaCheckbox className="checkbox" isSelected={isSelected} onChange={onChange}>
      <span className="box" aria-hidden="true">
        {isSelected ? '✓' : ''}
      </span>
      <span>{children}</span>
    </AriaCheckbox>
  );
}

export function RadioGroup<K extends string>({
  label,
  value,
  onChange,
  options,
  problem,
  pointer,
}: {
  label: string;
  value: K | null;
  onChange: (v: K) => void;
  options: readonly { id: K; label: string }[];
  problem?: unknown;
  pointer?: string;
}) {
  const message = useFieldError(problem, ...(pointer ? [pointer] : []));
  return (
    <AriaRadioGroup className="field radio-group" value={value} onChange={(v) => onChange(v as K)} isInvalid={!!message}>
      <Label>{label}</Label>
      {options.map((o) => (
        <Radio key={o.id} value={o.id} className="radio">
          <span className="dot" aria-hidden="true" />
          {o.label}
        </Radio>
      ))}
      <FieldError className="error">{message}</FieldError>
    </AriaRadioGroup>
  );
}
