// A failed request, shown where the content would be.

import { ApiError } from "../api/client";

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return `${error.message} (${error.code})`;
  if (error instanceof Error) return error.message;
  return String(error);
}

export function ErrorNotice(props: { error: unknown; what: string }) {
  return (
    <p class="notice notice-error" role="alert">
      Could not load {props.what}: {errorText(props.error)}
    </p>
  );
}

// The log and the metrics answer 404 until the worker has written them: "not yet", not an error.
export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}
