// A dataset's runs as a grid of sweep points (lib/datasetGrid.ts says which field goes down and which across), one
// small square per run coloured by its status, each a link to the run's page. The status is also in words for
// screen readers (and in the tooltip), not only in colour.

import { Run } from "../api/types";
import { DatasetGrid as Grid, GridCell, SweepValue, formatSweepValue, sweepText } from "../lib/datasetGrid";
import { Link } from "../router";

export function runHref(jobId: string, index: number): string {
  return `/jobs/${encodeURIComponent(jobId)}/runs/${index}`;
}

function Cell(props: { jobId: string; cell: GridCell; runs: Map<number, Run> }) {
  return (
    <td class="run-cell" data-point={props.cell.point}>
      {props.cell.runIndices.map((index) => {
        const status = props.runs.get(index)?.status ?? "unknown";
        return (
          <Link key={index} href={runHref(props.jobId, index)} class={`run run-${status}`} title={`run ${index}: ${status}`}>
            <span aria-hidden="true">{index}</span>
            <span class="visually-hidden">
              run {index}, {status}
            </span>
          </Link>
        );
      })}
    </td>
  );
}

// One field: its value; several: "a=1, b=2"; none: every run is one point.
function rowLabel(fields: string[], label: Record<string, SweepValue>): string {
  if (fields.length === 0) return "all";
  return fields.length === 1 ? formatSweepValue(label[fields[0]]) : sweepText(label);
}

export function DatasetGrid(props: { jobId: string; grid: Grid; runs: Map<number, Run> }) {
  const { grid } = props;
  const rowHeading = grid.rowFields.length > 0 ? grid.rowFields.join(", ") : "runs";
  return (
    <div class="run-grid-scroll">
      <table class="run-grid">
        <caption class="visually-hidden">Runs by sweep point</caption>
        <thead>
          <tr>
            <th scope="col">
              {rowHeading}
              {grid.columnField !== null && <> ↓ / {grid.columnField} →</>}
            </th>
            {grid.columnField !== null ? (
              grid.columnValues.map((value, i) => (
                <th key={i} scope="col" class="numeric">
                  {formatSweepValue(value)}
                </th>
              ))
            ) : (
              <th scope="col">replicas</th>
            )}
          </tr>
        </thead>
        <tbody>
          {grid.rows.map((row) => (
            <tr key={row.cells[0].point}>
              <th scope="row" class="numeric">
                {rowLabel(grid.rowFields, row.label)}
              </th>
              {row.cells.map((cell) => (
                <Cell key={cell.point} jobId={props.jobId} cell={cell} runs={props.runs} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
