// dataset_summary.json (written by `live2-sim combine`, docs/api.md "Datasets") read defensively, and turned into
// the outcome plot's data: one outcome against one swept numeric field, every other swept field's combination a
// series, each point its replicas' mean with the 95 % confidence interval (null with a single replica). Pure.

import { SweepValue, sweepText } from "./datasetGrid";

export interface OutcomeStats {
  n: number;
  mean: number | null;
  stddev: number | null;
  ci95Low: number | null;
  ci95High: number | null;
}

export interface SummaryPoint {
  sweep: Record<string, SweepValue>;
  runIndices: number[];
  completed: number;
  outcomes: Record<string, OutcomeStats>;
}

export interface DatasetSummary {
  sweepFields: string[];
  replicas: number;
  outcomes: { name: string; unit: string }[];
  points: SummaryPoint[];
}

type Loose = Record<string, unknown>;

function record(value: unknown): Loose | null {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Loose) : null;
}

function finiteOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function isSweepValue(value: unknown): value is SweepValue {
  return typeof value === "number" || typeof value === "string" || typeof value === "boolean";
}

function parseStats(value: unknown): OutcomeStats | null {
  const stats = record(value);
  if (!stats || typeof stats.n !== "number") return null;
  return {
    n: stats.n,
    mean: finiteOrNull(stats.mean),
    stddev: finiteOrNull(stats.stddev),
    ci95Low: finiteOrNull(stats.ci95_low),
    ci95High: finiteOrNull(stats.ci95_high),
  };
}

// null when the text is not a summary of the documented shape.
export function parseDatasetSummary(text: string): DatasetSummary | null {
  let body: Loose | null;
  try {
    body = record(JSON.parse(text));
  } catch {
    return null;
  }
  if (!body || !Array.isArray(body.sweep_fields) || !Array.isArray(body.outcomes) || !Array.isArray(body.points)) return null;
  const sweepFields = body.sweep_fields.filter((field): field is string => typeof field === "string");
  const outcomes = body.outcomes.flatMap((entry) => {
    const outcome = record(entry);
    return outcome && typeof outcome.name === "string"
      ? [{ name: outcome.name, unit: typeof outcome.unit === "string" ? outcome.unit : "" }]
      : [];
  });
  const points = body.points.flatMap((entry): SummaryPoint[] => {
    const point = record(entry);
    if (!point) return [];
    const sweep: Record<string, SweepValue> = {};
    for (const [field, value] of Object.entries(record(point.sweep) ?? {})) if (isSweepValue(value)) sweep[field] = value;
    const stats: Record<string, OutcomeStats> = {};
    for (const [name, value] of Object.entries(record(point.outcomes) ?? {})) {
      const parsed = parseStats(value);
      if (parsed) stats[name] = parsed;
    }
    const runIndices = Array.isArray(point.run_indices) ? point.run_indices.filter((i): i is number => Number.isInteger(i)) : [];
    return [{ sweep, runIndices, completed: typeof point.completed === "number" ? point.completed : 0, outcomes: stats }];
  });
  const replicas = typeof body.replicas === "number" ? body.replicas : 1;
  return { sweepFields, replicas, outcomes, points };
}

// The swept fields the plot can put on its x axis: those whose every value is a number.
export function numericSweepFields(summary: DatasetSummary): string[] {
  return summary.sweepFields.filter((field) => summary.points.every((point) => typeof point.sweep[field] === "number"));
}

export interface PlotSeries {
  label: string; // the other swept fields' values, "" when x is the only swept field
  mean: (number | null)[]; // aligned with PlotData.x
  low: (number | null)[];
  high: (number | null)[];
  n: (number | null)[];
}

export interface PlotData {
  x: number[]; // ascending, distinct
  series: PlotSeries[];
}

export function plotData(summary: DatasetSummary, outcome: string, xField: string): PlotData {
  const x = [...new Set(summary.points.map((point) => point.sweep[xField]).filter((v): v is number => typeof v === "number"))].sort(
    (a, b) => a - b,
  );
  const column = new Map(x.map((value, i) => [value, i]));
  const series = new Map<string, PlotSeries>();
  for (const point of summary.points) {
    const at = column.get(point.sweep[xField] as number);
    if (at === undefined) continue;
    const others = Object.fromEntries(Object.entries(point.sweep).filter(([field]) => field !== xField));
    const label = sweepText(others);
    let line = series.get(label);
    if (!line) {
      const empty = () => x.map(() => null);
      line = { label, mean: empty(), low: empty(), high: empty(), n: empty() };
      series.set(label, line);
    }
    const stats = point.outcomes[outcome];
    if (!stats) continue;
    line.mean[at] = stats.mean;
    line.low[at] = stats.ci95Low;
    line.high[at] = stats.ci95High;
    line.n[at] = stats.n;
  }
  return { x, series: [...series.values()] };
}
