// One uPlot line chart over the run's steps. The chart is created once and then fed new data, and follows its
// container's width. Canvas is invisible to screen readers, so the caption names each series (with its colour as
// the key) and its latest value in words; uPlot's own legend is off.

import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { formatNumber } from "../lib/format";

export interface ChartSeries {
  label: string;
  values: number[];
  color: string;
}

const HEIGHT_PX = 200;

function toPlotValues(values: number[]): (number | null)[] {
  return values.map((value) => (Number.isFinite(value) ? value : null));
}

function latest(values: number[]): string {
  for (let i = values.length - 1; i >= 0; i -= 1) {
    if (Number.isFinite(values[i])) return formatNumber(Math.round(values[i] * 1000) / 1000);
  }
  return "–";
}

export function Chart(props: { id: string; title: string; xLabel: string; x: number[]; series: ChartSeries[] }) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data: uPlot.AlignedData = [props.x, ...props.series.map((s) => toPlotValues(s.values))];
  // The plot is built once per set of series (uPlot cannot change its series in place) and fed data afterwards, so
  // the building effect reads the latest props from a ref and is keyed on the series' labels.
  const latestProps = useRef({ props, data });
  latestProps.current = { props, data };
  const seriesKey = [props.xLabel, ...props.series.map((s) => s.label)].join("|");

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const { props, data } = latestProps.current;
    const options: uPlot.Options = {
      width: Math.max(200, element.clientWidth),
      height: HEIGHT_PX,
      scales: { x: { time: false } },
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      series: [
        { label: props.xLabel, value: (_, v) => (v === null ? "–" : formatNumber(v)) },
        // Gaps (NaN cells; steps another run has, on the comparison page) are spanned, not drawn as breaks.
        ...props.series.map((s) => ({ label: s.label, stroke: s.color, width: 2, points: { show: false }, spanGaps: true })),
      ],
      axes: [{ label: props.xLabel, size: 40 }, { size: 60 }],
    };
    plot.current = new uPlot(options, data, element);
    const resize = new ResizeObserver(() => {
      plot.current?.setSize({ width: Math.max(200, element.clientWidth), height: HEIGHT_PX });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [seriesKey]);

  useEffect(() => {
    plot.current?.setData(data);
  });

  const captionId = `${props.id}-caption`;
  return (
    <figure class="chart" id={props.id} aria-labelledby={captionId} data-points={props.x.length}>
      <figcaption id={captionId}>
        <span class="chart-title">{props.title}</span>
        {props.series.map((s) => (
          <span key={s.label} class="chart-series">
            <span class="swatch" style={{ background: s.color }} aria-hidden="true" />
            {s.label} <span class="chart-latest">(latest {latest(s.values)})</span>
          </span>
        ))}
      </figcaption>
      <div ref={container} class="chart-canvas" aria-hidden="true" />
    </figure>
  );
}
