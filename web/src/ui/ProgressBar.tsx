// Progress 0-100 as a fixed-size bar with its number in tabular figures, so live updates never move the layout.

import { formatPercent } from "../lib/format";

export function ProgressBar(props: { progress: number; label: string }) {
  const clamped = Math.min(100, Math.max(0, props.progress || 0));
  return (
    <span class="progress">
      <span
        class="progress-track"
        role="progressbar"
        aria-label={props.label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(clamped * 10) / 10}
      >
        <span class="progress-fill" style={{ transform: `scaleX(${clamped / 100})` }} />
      </span>
      <span class="progress-text">{formatPercent(clamped)}</span>
    </span>
  );
}
