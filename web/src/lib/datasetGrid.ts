// A dataset's runs laid out as a grid of sweep points (docs/api.md, "Datasets"): the runs are the product of the
// sweep's lists in the order given, the last field varying fastest, times the replicas (innermost), so run index =
// point x replicas + replica. Rows and columns: no swept field, one cell; one field, one row per value; two fields,
// the first field's values down and the second's across; three or more, one row per combination of all but the
// last field and the last field across. Each cell holds its point's replicas. Pure.

export type SweepValue = number | string | boolean;

export interface DatasetShape {
  fields: string[]; // in the sweep's order
  values: SweepValue[][]; // per field
  replicas: number;
}

export interface GridCell {
  point: number;
  sweep: Record<string, SweepValue>;
  runIndices: number[];
}

export interface GridRow {
  label: Record<string, SweepValue>; // the row's fixed fields (empty with no swept field)
  cells: GridCell[];
}

export interface DatasetGrid {
  rowFields: string[];
  columnField: string | null; // null: one column
  columnValues: SweepValue[];
  rows: GridRow[];
}

function isSweepValue(value: unknown): value is SweepValue {
  return typeof value === "number" || typeof value === "string" || typeof value === "boolean";
}

// The shape of a dataset from its params (`{"simulation_config", "sweep", "replicas"}`); entries that are not lists
// of values are left out (the server refused such params anyway).
export function datasetShape(params: unknown): DatasetShape {
  const record = typeof params === "object" && params !== null ? (params as Record<string, unknown>) : {};
  const sweep = typeof record.sweep === "object" && record.sweep !== null ? (record.sweep as Record<string, unknown>) : {};
  const fields: string[] = [];
  const values: SweepValue[][] = [];
  for (const [field, list] of Object.entries(sweep)) {
    if (!Array.isArray(list) || list.length === 0 || !list.every(isSweepValue)) continue;
    fields.push(field);
    values.push(list);
  }
  const replicas = typeof record.replicas === "number" && Number.isInteger(record.replicas) && record.replicas >= 1 ? record.replicas : 1;
  return { fields, values, replicas };
}

export function pointCount(shape: DatasetShape): number {
  return shape.values.reduce((product, list) => product * list.length, 1);
}

export function runCount(shape: DatasetShape): number {
  return pointCount(shape) * shape.replicas;
}

// The swept values of grid point `point` (mixed radix, last field fastest).
export function pointSweep(shape: DatasetShape, point: number): Record<string, SweepValue> {
  const sweep: Record<string, SweepValue> = {};
  let rest = point;
  for (let f = shape.fields.length - 1; f >= 0; f -= 1) {
    const list = shape.values[f];
    sweep[shape.fields[f]] = list[rest % list.length];
    rest = Math.floor(rest / list.length);
  }
  // In the sweep's order, for display.
  return Object.fromEntries(shape.fields.map((field) => [field, sweep[field]]));
}

export function datasetGrid(shape: DatasetShape): DatasetGrid {
  const last = shape.fields.length - 1;
  const columnField = shape.fields.length >= 2 ? shape.fields[last] : null;
  const columnValues = columnField !== null ? shape.values[last] : [];
  const columns = Math.max(1, columnValues.length);
  const points = pointCount(shape);
  const rows: GridRow[] = [];
  for (let first = 0; first < points; first += columns) {
    const cells: GridCell[] = [];
    for (let point = first; point < first + columns; point += 1) {
      const runIndices = Array.from({ length: shape.replicas }, (_, replica) => point * shape.replicas + replica);
      cells.push({ point, sweep: pointSweep(shape, point), runIndices });
    }
    const label = { ...cells[0].sweep };
    if (columnField !== null) delete label[columnField];
    rows.push({ label, cells });
  }
  return { rowFields: columnField !== null ? shape.fields.slice(0, last) : shape.fields, columnField, columnValues, rows };
}

export function formatSweepValue(value: SweepValue): string {
  return typeof value === "string" ? value : String(value);
}

// "temperature=300, composition.C=0.1"; "" for no field.
export function sweepText(sweep: Record<string, SweepValue>): string {
  return Object.entries(sweep)
    .map(([field, value]) => `${field}=${formatSweepValue(value)}`)
    .join(", ");
}
