// One labelled checkbox with a hint and the server's errors for its API path.

import { inputId } from "../lib/fieldErrors";
import { FieldErrors, describedBy } from "./FieldErrors";

export function CheckboxField(props: {
  path: string;
  label: string;
  hint: string;
  checked: boolean;
  errors: string[] | undefined;
  onChange: (checked: boolean) => void;
}) {
  const id = inputId(props.path);
  return (
    <div class="field field-check">
      <input
        id={id}
        type="checkbox"
        checked={props.checked}
        aria-describedby={describedBy(id, props.errors)}
        onChange={(event) => props.onChange((event.currentTarget as HTMLInputElement).checked)}
      />
      <label for={id}>{props.label}</label>
      <p class="hint" id={`${id}-hint`}>
        {props.hint}
      </p>
      <FieldErrors id={id} messages={props.errors} />
    </div>
  );
}
