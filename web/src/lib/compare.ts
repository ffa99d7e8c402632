// Runs side by side: their parameters flattened to one row per setting with the rows that differ marked, and one
// metric of several runs on a shared step axis (the union of their steps; a run without a row at a step has a gap
// there). Pure.

import { MetricTable } from "./metrics";

export interface ParamRow {
  path: string; // "simulation_config.config.steps"
  values: (string | null)[]; // per run, as JSON text; null: the run does not set it
  differs: boolean;
}

function flatten(value: unknown, prefix: string, into: Map<string, string>) {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix) into.set(prefix, "{}");
    for (const [key, member] of entries) flatten(member, prefix ? `${prefix}.${key}` : key, into);
  } else if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === "object" && item !== null)) {
    value.forEach((item, index) => flatten(item, `${prefix}[${index}]`, into));
  } else if (prefix) {
    into.set(prefix, JSON.stringify(value));
  }
}

export function flattenParams(params: unknown): Map<string, string> {
  const flat = new Map<string, string>();
  flatten(params, "", flat);
  return flat;
}

// Every setting any run has, in a stable order (sorted by path), with the runs' values.
export function compareParams(paramsOfRuns: unknown[]): ParamRow[] {
  const flats = paramsOfRuns.map(flattenParams);
  const paths = [...new Set(flats.flatMap((flat) => [...flat.keys()]))].sort();
  return paths.map((path) => {
    const values = flats.map((flat) => flat.get(path) ?? null);
    return { path, values, differs: values.some((value) => value !== values[0]) };
  });
}

// One column of several runs' metrics over the union of their steps.
export function overlay(tables: (MetricTable | null)[], column: string): { x: number[]; series: number[][] } | null {
  const steps = new Set<number>();
  for (const table of tables) for (const step of table?.step ?? []) if (Number.isFinite(step)) steps.add(step);
  if (steps.size === 0 || !tables.some((table) => table?.[column])) return null;
  const x = [...steps].sort((a, b) => a - b);
  const series = tables.map((table) => {
    const byStep = new Map<number, number>();
    const values = table?.[column] ?? [];
    (table?.step ?? []).forEach((step, i) => byStep.set(step, values[i] ?? Number.NaN));
    return x.map((step) => byStep.get(step) ?? Number.NaN);
  });
  return { x, series };
}
