// The top of a refused form: what the server said, every field error, and a link that moves focus to each field
// (errors no input claims are listed with their API path).

import { Ref } from "preact";
import { PlacedErrors, inputId } from "../lib/fieldErrors";

function shortName(path: string): string {
  return path.replace(/^params\.simulation_config\.(config\.)?/, "");
}

function focusField(event: MouseEvent, path: string) {
  event.preventDefault();
  document.getElementById(inputId(path))?.focus();
}

export function ErrorSummary(props: { message: string | null; placed: PlacedErrors; focusRef: Ref<HTMLDivElement> }) {
  return (
    <div ref={props.focusRef} tabIndex={-1} class="form-summary" aria-live="assertive">
      {props.message !== null && (
        <div class="notice notice-error" role="alert">
          <p>The job was not accepted: {props.message}</p>
          {(props.placed.byPath.size > 0 || props.placed.unplaced.length > 0) && (
            <ul>
              {props.placed.unplaced.map((detail) => (
                <li key={detail.field}>
                  <code>{detail.field}</code>: {detail.message}
                </li>
              ))}
              {[...props.placed.byPath.entries()].map(([path, messages]) => (
                <li key={path}>
                  <a href={`#${inputId(path)}`} onClick={(event) => focusField(event, path)}>
                    {shortName(path)}
                  </a>
                  : {messages.join("; ")}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
