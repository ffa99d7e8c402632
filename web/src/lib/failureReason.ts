// Where a failed job's reason appears on its page: once, in the page's error notice. The executor panel repeats its
// status reason only when it says something else (a Batch state reason, a retry in progress). Pure.

export function distinctStatusReason(statusReason: string | null | undefined, jobError: string | null): string | null {
  if (statusReason === null || statusReason === undefined || statusReason.trim() === "") return null;
  if (jobError !== null && statusReason.trim() === jobError.trim()) return null;
  return statusReason;
}
