// A numeric parameter as a text input (so what the user typed is exactly what gets sent, see lib/request.ts) with
// its default, range, unit and help as the hint. A sweepable one takes several values (a sweep) and says so.

import { formatNumber } from "../lib/format";
import { NumericField, rangeText } from "../lib/params";
import { TextField } from "./TextField";

export function NumberField(props: {
  field: NumericField;
  path: string;
  value: string;
  placeholder?: string;
  defaultText?: string; // overrides the field's own default (derived defaults)
  errors: string[] | undefined;
  sweepable?: boolean;
  onInput: (value: string) => void;
}) {
  const { field } = props;
  const defaultText = props.defaultText ?? (field.defaultValue === null ? "" : formatNumber(field.defaultValue));
  const sweep = props.sweepable ? "several values, e.g. 1, 2, 3: a sweep" : "";
  const hint = [defaultText && `Default ${defaultText}`, rangeText(field, formatNumber), field.unit, field.help, sweep]
    .filter(Boolean)
    .join(" · ");
  return (
    <TextField
      path={props.path}
      label={field.label}
      hint={hint}
      value={props.value}
      inputMode={field.integer ? "numeric" : "decimal"}
      placeholder={props.placeholder}
      errors={props.errors}
      onInput={props.onInput}
    />
  );
}
