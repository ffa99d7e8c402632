// The top of a refused form: what was wrong in words, every field error under the field's label, and a link that
// moves focus to each field (errors no input claims are listed by their name too, without a link). The API's own
// message names fields by path ("params.simulation_config.config.composition.H: ..."), so with field errors the
// summary says it in its own words instead.

import { Ref } from "preact";
import { PlacedErrors, inputId } from "../lib/fieldErrors";
import { fieldLabel, humanizeMessage } from "../lib/params";

function focusField(event: MouseEvent, path: string) {
  event.preventDefault();
  document.getElementById(inputId(path))?.focus();
}

export function ErrorSummary(props: { message: string | null; placed: PlacedErrors; focusRef: Ref<HTMLDivElement> }) {
  return (
    <div ref={props.focusRef} tabIndex={-1} class="form-summary" aria-live="assertive">
      {props.message !== null && (
        <div class="notice notice-error" role="alert">
          <p>
            {props.placed.byPath.size > 0 || props.placed.unplaced.length > 0
              ? "The job was not accepted: please correct the values marked below."
              : `The job was not accepted: ${props.message}`}
          </p>
          {(props.placed.byPath.size > 0 || props.placed.unplaced.length > 0) && (
            <ul>
              {props.placed.unplaced.map((detail) => (
                <li key={detail.field}>
                  {fieldLabel(detail.field)}: {humanizeMessage(detail.message)}
                </li>
              ))}
              {[...props.placed.byPath.entries()].map(([path, messages]) => (
                <li key={path}>
                  <a href={`#${inputId(path)}`} onClick={(event) => focusField(event, path)}>
                    {fieldLabel(path)}
                  </a>
                  : {messages.map(humanizeMessage).join("; ")}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
