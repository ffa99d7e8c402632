// The server's messages for one input, tied to it with aria-describedby (hint first, then errors).

import { humanizeMessage } from "../lib/params";

export function FieldErrors(props: { id: string; messages: string[] | undefined }) {
  if (!props.messages || props.messages.length === 0) return null;
  return (
    <p class="field-error" id={`${props.id}-error`}>
      {props.messages.map(humanizeMessage).join("; ")}
    </p>
  );
}

export function describedBy(id: string, messages: string[] | undefined): string {
  return messages && messages.length > 0 ? `${id}-hint ${id}-error` : `${id}-hint`;
}
