// One labelled <select> with a hint and the server's errors for its API path.

import { inputId } from "../lib/fieldErrors";
import { FieldErrors, describedBy } from "./FieldErrors";

export function SelectField(props: {
  path: string;
  label: string;
  hint: string;
  value: string;
  options: { value: string; label: string }[];
  errors: string[] | undefined;
  onChange: (value: string) => void;
}) {
  const id = inputId(props.path);
  return (
    <div class={props.errors?.length ? "field field-invalid" : "field"}>
      <label for={id}>{props.label}</label>
      <select
        id={id}
        value={props.value}
        aria-invalid={Boolean(props.errors?.length)}
        aria-describedby={describedBy(id, props.errors)}
        onChange={(event) => props.onChange((event.currentTarget as HTMLSelectElement).value)}
      >
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <p class="hint" id={`${id}-hint`}>
        {props.hint}
      </p>
      <FieldErrors id={id} messages={props.errors} />
    </div>
  );
}
