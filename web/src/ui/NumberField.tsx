// One labelled numeric input with its default, range and unit beneath it, and the server's errors for its API path.
// Kept as text in the form state so what the user typed is what gets sent (see lib/request.ts).

import { NumericField, rangeText } from "../lib/params";
import { inputId } from "../lib/fieldErrors";
import { formatNumber } from "../lib/format";

export function FieldErrors(props: { id: string; messages: string[] | undefined }) {
  if (!props.messages || props.messages.length === 0) return null;
  return (
    <p class="field-error" id={`${props.id}-error`}>
      {props.messages.join("; ")}
    </p>
  );
}

export function describedBy(id: string, messages: string[] | undefined): string {
  return messages && messages.length > 0 ? `${id}-hint ${id}-error` : `${id}-hint`;
}

export function NumberField(props: {
  field: NumericField;
  path: string;
  value: string;
  placeholder?: string;
  defaultText?: string;
  errors: string[] | undefined;
  onInput: (value: string) => void;
}) {
  const { field } = props;
  const id = inputId(props.path);
  const range = rangeText(field, formatNumber);
  const defaultText = props.defaultText ?? (field.defaultValue === null ? "" : formatNumber(field.defaultValue));
  const hint = [defaultText && `Default ${defaultText}`, range, field.unit, field.help].filter(Boolean).join(" · ");
  const invalid = Boolean(props.errors?.length);
  return (
    <div class={invalid ? "field field-invalid" : "field"}>
      <label for={id}>{field.label}</label>
      <input
        id={id}
        name={props.path}
        type="text"
        inputMode={field.integer ? "numeric" : "decimal"}
        autoComplete="off"
        spellcheck={false}
        value={props.value}
        placeholder={props.placeholder}
        aria-invalid={invalid}
        aria-describedby={describedBy(id, props.errors)}
        onInput={(event) => props.onInput((event.currentTarget as HTMLInputElement).value)}
      />
      <p class="hint" id={`${id}-hint`}>
        {hint}
      </p>
      <FieldErrors id={id} messages={props.errors} />
    </div>
  );
}
