// One uPlot chart of means with 95 % confidence bars: a line per series, and at each point a dot and a vertical bar
// with caps from its ci95 low to high, drawn on uPlot's canvas in its draw hook (uPlot has no error bars). Series
// are shifted a few pixels apart at each x (dodged) so that equal points do not hide each other's bars. The y
// scale spans the bars, not only the means. Rebuilt when the series change (uPlot cannot change series in place).
// The caption names each series with its colour; the numbers are in the table beside it (OutcomePlot).

import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { PlotData } from "../lib/datasetSummary";
import { formatNumber } from "../lib/format";

export const SERIES_COLORS = ["#1d5fa8", "#c2571a", "#2e7d32", "#7a3d9c", "#b3261e", "#00796b", "#37474f", "#9e7c0c"];
const HEIGHT_PX = 260;
const CAP_PX = 4;
const DOT_PX = 3.5;
const DODGE_PX = 6;

export function seriesColor(i: number): string {
  return SERIES_COLORS[i % SERIES_COLORS.length];
}

function drawBars(u: uPlot, data: PlotData) {
  const ctx = u.ctx;
  const ratio = uPlot.pxRatio;
  const cap = CAP_PX * ratio;
  ctx.save();
  ctx.lineWidth = 1.5 * ratio;
  data.series.forEach((series, i) => {
    const dodge = (i - (data.series.length - 1) / 2) * DODGE_PX * ratio;
    ctx.strokeStyle = seriesColor(i);
    ctx.fillStyle = seriesColor(i);
    data.x.forEach((x, j) => {
      const mean = series.mean[j];
      if (mean === null) return;
      const cx = u.valToPos(x, "x", true) + dodge;
      const low = series.low[j];
      const high = series.high[j];
      if (low !== null && high !== null) {
        const top = u.valToPos(high, "y", true);
        const bottom = u.valToPos(low, "y", true);
        ctx.beginPath();
        ctx.moveTo(cx, top);
        ctx.lineTo(cx, bottom);
        ctx.moveTo(cx - cap, top);
        ctx.lineTo(cx + cap, top);
        ctx.moveTo(cx - cap, bottom);
        ctx.lineTo(cx + cap, bottom);
        ctx.stroke();
      }
      ctx.beginPath();
      ctx.arc(cx, u.valToPos(mean, "y", true), DOT_PX * ratio, 0, 2 * Math.PI);
      ctx.fill();
    });
  });
  ctx.restore();
}

function yExtent(data: PlotData): [number, number] | null {
  let min = Infinity;
  let max = -Infinity;
  for (const series of data.series) {
    for (const column of [series.mean, series.low, series.high]) {
      for (const value of column) {
        if (value === null) continue;
        min = Math.min(min, value);
        max = Math.max(max, value);
      }
    }
  }
  return Number.isFinite(min) ? padded(min, max, 0.08) : null;
}

function padded(min: number, max: number, fraction: number): [number, number] {
  const pad = max > min ? (max - min) * fraction : Math.max(1, Math.abs(min) * 0.1);
  return [min - pad, max + pad];
}

export function ErrorBarChart(props: { id: string; xLabel: string; yLabel: string; data: PlotData }) {
  const container = useRef<HTMLDivElement>(null);
  const latest = useRef(props);
  latest.current = props;
  const key = JSON.stringify(props);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const { data, xLabel, yLabel } = latest.current;
    const options: uPlot.Options = {
      width: Math.max(200, element.clientWidth),
      height: HEIGHT_PX,
      scales: {
        // Padded so the end points' bars are not cut at the plot's edges.
        x: { time: false, range: (_u, min, max) => padded(min, max, 0.04) },
        y: { range: (_u, min, max) => yExtent(latest.current.data) ?? [min, max] },
      },
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      series: [
        { label: xLabel, value: (_, v) => (v === null ? "–" : formatNumber(v)) },
        ...data.series.map((s, i) => ({
          label: s.label || yLabel,
          stroke: seriesColor(i),
          width: 1.5,
          points: { show: false }, // drawn dodged with the bars
          spanGaps: true,
        })),
      ],
      axes: [{ label: xLabel, size: 40 }, { label: yLabel, size: 70 }],
      hooks: { draw: [(u) => drawBars(u, latest.current.data)] },
    };
    const plot = new uPlot(options, [data.x, ...data.series.map((s) => s.mean)], element);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, element.clientWidth), height: HEIGHT_PX }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [key]);

  return <div ref={container} id={props.id} class="chart-canvas" aria-hidden="true" />;
}
