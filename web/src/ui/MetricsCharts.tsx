// The run's metrics over its steps (molecules, species, new species, temperature, energies, pressure) as uPlot
// charts, from the column table that lib/metrics.ts makes of GET /jobs/{id}/metrics.

import { MetricTable, rowCount } from "../lib/metrics";
import { Chart } from "./Chart";

export const CHARTS: { id: string; title: string; series: { column: string; label: string; color: string }[] }[] = [
  { id: "chart-molecules", title: "Molecules", series: [{ column: "n_molecules", label: "molecules", color: "#1d5fa8" }] },
  {
    id: "chart-species",
    title: "Species",
    series: [
      { column: "n_species", label: "species", color: "#7a3d9c" },
      { column: "new_species", label: "new species", color: "#c2571a" },
    ],
  },
  { id: "chart-temperature", title: "Temperature (measured)", series: [{ column: "temperature", label: "temperature", color: "#b3261e" }] },
  {
    id: "chart-energies",
    title: "Energies",
    series: [
      { column: "kinetic_energy", label: "kinetic", color: "#2e7d32" },
      { column: "potential_energy", label: "potential", color: "#37474f" },
    ],
  },
  { id: "chart-pressure", title: "Pressure (virial)", series: [{ column: "pressure", label: "pressure", color: "#00796b" }] },
];

export function MetricsCharts(props: { table: MetricTable }) {
  const x = props.table.step ?? props.table.time;
  if (!x || rowCount(props.table) === 0) return <p class="muted">No metrics recorded yet.</p>;
  const xLabel = props.table.step ? "step" : "time";
  return (
    <div class="charts">
      {CHARTS.map((chart) => {
        const series = chart.series
          .filter((s) => props.table[s.column])
          .map((s) => ({ label: s.label, color: s.color, values: props.table[s.column] }));
        if (series.length === 0) return null;
        return <Chart key={chart.id} id={chart.id} title={chart.title} xLabel={xLabel} x={x} series={series} />;
      })}
    </div>
  );
}
