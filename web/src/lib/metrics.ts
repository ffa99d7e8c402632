// The one adapter from GET /api/v1/jobs/{id}/metrics to column arrays. The documented shape is
// {"job_id", "columns": [names], "rows": [[values]]}; it also accepts column-major objects ({"columns" | "metrics":
// {name: [values]}}) and row objects ([{name: value}] under "rows" | "metrics" or bare), so a change of encoding
// on the server degrades to "no chart" for an unknown shape rather than to a broken page. Pure.

export type MetricTable = Record<string, number[]>;

function toNumber(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "") return Number(value);
  return Number.NaN;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fromColumnNamesAndRows(names: unknown[], rows: unknown[]): MetricTable {
  const table: MetricTable = {};
  names.forEach((name, index) => {
    table[String(name)] = rows.map((row) => (Array.isArray(row) ? toNumber(row[index]) : Number.NaN));
  });
  return table;
}

function fromColumnObject(columns: Record<string, unknown>): MetricTable {
  const table: MetricTable = {};
  for (const [name, values] of Object.entries(columns)) {
    if (Array.isArray(values)) table[name] = values.map(toNumber);
  }
  return table;
}

function fromRowObjects(rows: unknown[]): MetricTable {
  const table: MetricTable = {};
  const names = new Set<string>();
  for (const row of rows) if (isRecord(row)) Object.keys(row).forEach((name) => names.add(name));
  for (const name of names) table[name] = rows.map((row) => (isRecord(row) ? toNumber(row[name]) : Number.NaN));
  return table;
}

export function adaptMetrics(body: unknown): MetricTable {
  if (Array.isArray(body)) return fromRowObjects(body);
  if (!isRecord(body)) return {};
  const { columns, rows, metrics } = body;
  if (Array.isArray(columns) && Array.isArray(rows)) {
    return rows.every(Array.isArray) ? fromColumnNamesAndRows(columns, rows) : fromRowObjects(rows);
  }
  if (isRecord(columns)) return fromColumnObject(columns);
  if (isRecord(metrics)) return fromColumnObject(metrics);
  if (Array.isArray(metrics)) return fromRowObjects(metrics);
  if (Array.isArray(rows)) return fromRowObjects(rows);
  return {};
}

// metrics.csv as the worker writes it (a header of column names, then numbers; docs/simulation-contract.md): a dataset
// run's metrics, read from its file since GET .../metrics serves only a job's own.
export function metricsFromCsv(csv: string): MetricTable {
  const lines = csv.split(/\r?\n/).filter((line) => line.trim() !== "");
  if (lines.length === 0) return {};
  const split = (line: string) => line.split(",").map((cell) => cell.trim());
  return fromColumnNamesAndRows(split(lines[0]), lines.slice(1).map(split));
}

export function rowCount(table: MetricTable): number {
  return Object.values(table).reduce((longest, values) => Math.max(longest, values.length), 0);
}

// The metrics table as the API sends it (GET .../metrics), kept raw so the event stream's rows can be appended.
export interface RawMetrics {
  columns: string[];
  rows: unknown[][];
}

// Applies one `metrics` event of the job's stream: rows from `first_row` on. first_row 0 replaces the table; rows
// that continue the table are appended. null when the event does not fit what is held (a row was missed, or the
// columns changed): the caller reloads the whole table.
export function applyMetricsEvent(
  current: RawMetrics | null,
  event: { columns: string[]; first_row: number; rows: unknown[][] },
): RawMetrics | null {
  if (event.first_row === 0) return { columns: event.columns, rows: event.rows };
  if (!current || current.rows.length !== event.first_row) return null;
  if (current.columns.join("\n") !== event.columns.join("\n")) return null;
  return { columns: current.columns, rows: current.rows.concat(event.rows) };
}
