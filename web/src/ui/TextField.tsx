// One labelled text input with a hint beneath it and the server's errors for its API path.

import { inputId } from "../lib/fieldErrors";
import { FieldErrors, describedBy } from "./FieldErrors";

export function TextField(props: {
  path: string;
  label: string;
  hint: string;
  value: string;
  type?: "text" | "url";
  inputMode?: "numeric" | "decimal" | "url";
  placeholder?: string;
  errors: string[] | undefined;
  onInput: (value: string) => void;
}) {
  const id = inputId(props.path);
  const invalid = Boolean(props.errors?.length);
  return (
    <div class={invalid ? "field field-invalid" : "field"}>
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.path}
        type={props.type ?? "text"}
        inputMode={props.inputMode}
        autoComplete="off"
        spellcheck={false}
        value={props.value}
        placeholder={props.placeholder}
        aria-invalid={invalid}
        aria-describedby={describedBy(id, props.errors)}
        onInput={(event) => props.onInput((event.currentTarget as HTMLInputElement).value)}
      />
      <p class="hint" id={`${id}-hint`}>
        {props.hint}
      </p>
      <FieldErrors id={id} messages={props.errors} />
    </div>
  );
}
