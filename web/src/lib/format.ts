// Display formatting for numbers, sizes, times and durations. Pure; locale fixed to en so tests see stable text.

const integerFormat = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });

export function formatNumber(value: number): string {
  return Number.isInteger(value) ? integerFormat.format(value) : String(value);
}

export function formatPercent(progress: number): string {
  const clamped = Math.min(100, Math.max(0, progress));
  return `${clamped.toFixed(1)} %`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatDuration(totalSeconds: number): string {
  if (!Number.isFinite(totalSeconds) || totalSeconds < 0) return "–";
  const seconds = Math.round(totalSeconds);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

// "2026-11-24 10:00:00 UTC": the API's timestamps are UTC, and showing them in UTC keeps them comparable with logs.
export function formatTimestamp(iso: string | null | undefined): string {
  if (!iso) return "–";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

export function secondsBetween(startIso: string | null | undefined, endIso: string | null | undefined): number | null {
  if (!startIso || !endIso) return null;
  const start = Date.parse(startIso);
  const end = Date.parse(endIso);
  return Number.isNaN(start) || Number.isNaN(end) ? null : (end - start) / 1000;
}
