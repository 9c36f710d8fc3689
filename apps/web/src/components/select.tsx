import { Button as AriaButton, FieldError, Label, ListBox, ListBoxItem, Popover, Select, SelectValue, Text } from 'react-aria-components';
import { useFieldError } from './ui';

export function SelectField<K extends string>({
  label,
  value,
  onChange,
  options,
  problem,
  pointer,
  placeholder,
  description,
}: {
  label: string;
  value: K | null;
  onChange: (v: K) => void;
  options: readonly { id: K; label: string }[];
  problem?: unknown;
  pointer?: string;
  placeholder?: string;
  description?: string;
}) {
  const message = useFieldError(problem, ...(pointer ? [pointer] : []));
  return (
    <Select
      className="field"
      selectedKey={value}
      onSelectionChange={(k) => k !== null && onChange(String(k) as K)}
      isInvalid={!!message}
      placeholder={placeholder}
    >
      <Label>{label}</Label>
      <AriaButton className="select-button">
        <SelectValue />
        <span aria-hidden="true">▾</span>
      </AriaButton>
      {description ? (
        <Text slot="description" className="help">
          {description}
        </Text>
      ) : null}
      <FieldError className="error">{message}</FieldError>
      <Popover className="popover">
        <ListBox className="listbox" items={options}>
          {(o) => (
            <ListBoxItem className="option" id={o.id} textValue={o.label}>
              {o.label}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </Select>
  );
}
