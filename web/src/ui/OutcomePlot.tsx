// The dataset's outcome plot: the user picks an outcome of dataset_summary.json and a swept numeric field for the x
// axis; every combination of the other swept fields is a series. Means with 95 % confidence bars over the replicas,
// and the same numbers in a table (canvas is invisible to screen readers).

import { useState } from "preact/hooks";
import { DatasetSummary, numericSweepFields, plotData } from "../lib/datasetSummary";
import { formatNumber } from "../lib/format";
import { ErrorBarChart, seriesColor } from "./ErrorBarChart";
import { SelectField } from "./SelectField";

function shown(value: number | null): string {
  return value === null ? "–" : formatNumber(Math.round(value * 1000) / 1000);
}

export function OutcomePlot(props: { summary: DatasetSummary }) {
  const { summary } = props;
  const xFields = numericSweepFields(summary);
  const [outcome, setOutcome] = useState(
    summary.outcomes.some((o) => o.name === "final_molecules") ? "final_molecules" : (summary.outcomes[0]?.name ?? ""),
  );
  const [xField, setXField] = useState(xFields[0] ?? "");
  if (summary.outcomes.length === 0) return <p class="muted">The dataset's summary has no outcomes.</p>;
  if (xFields.length === 0) {
    return <p class="muted">No swept field has numeric values to plot against; dataset.csv has every run's outcomes.</p>;
  }
  const unit = summary.outcomes.find((o) => o.name === outcome)?.unit ?? "";
  const yLabel = unit && unit !== "1" ? `${outcome} (${unit})` : outcome;
  const data = plotData(summary, outcome, xField);
  return (
    <div class="outcome-plot">
      <div class="field-grid">
        <SelectField
          path="outcome-plot.outcome"
          label="Outcome"
          hint="Mean over the completed replicas, bars: 95 % confidence interval"
          value={outcome}
          options={summary.outcomes.map((o) => ({ value: o.name, label: o.name }))}
          errors={undefined}
          onChange={setOutcome}
        />
        <SelectField
          path="outcome-plot.x"
          label="Against"
          hint="Other swept fields are separate series"
          value={xField}
          options={xFields.map((field) => ({ value: field, label: field }))}
          errors={undefined}
          onChange={setXField}
        />
      </div>
      <figure class="chart" data-points={data.series.reduce((n, s) => n + s.mean.filter((v) => v !== null).length, 0)}>
        <figcaption>
          <span class="chart-title">
            {outcome} against {xField}
          </span>
          {data.series.map((s, i) => (
            <span key={s.label} class="chart-series">
              <span class="swatch" style={{ background: seriesColor(i) }} aria-hidden="true" />
              {s.label || outcome}
            </span>
          ))}
        </figcaption>
        <ErrorBarChart id="outcome-chart" xLabel={xField} yLabel={yLabel} data={data} />
      </figure>
      <details class="outcome-values">
        <summary>The numbers</summary>
        <div class="table-scroll">
          <table class="outcome-table">
            <thead>
              <tr>
                {data.series.length > 1 || data.series[0]?.label ? <th scope="col">series</th> : null}
                <th scope="col">{xField}</th>
                <th scope="col">n</th>
                <th scope="col">mean</th>
                <th scope="col">95 % CI</th>
              </tr>
            </thead>
            <tbody>
              {data.series.flatMap((s) =>
                data.x.map((x, j) =>
                  s.n[j] === null ? null : (
                    <tr key={`${s.label}|${x}`}>
                      {data.series.length > 1 || s.label ? <td>{s.label}</td> : null}
                      <td class="numeric">{formatNumber(x)}</td>
                      <td class="numeric">{s.n[j]}</td>
                      <td class="numeric">{shown(s.mean[j])}</td>
                      <td class="numeric">{s.low[j] === null ? "–" : `${shown(s.low[j])} – ${shown(s.high[j])}`}</td>
                    </tr>
                  ),
                ),
              )}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}
