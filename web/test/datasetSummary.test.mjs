import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { numericSweepFields, parseDatasetSummary, plotData } from "../.test-build/lib/datasetSummary.js";

// The format of docs/api.md ("Datasets"), as live2-sim combine writes it.
const fixture = readFileSync(new URL("./fixtures/dataset_summary.json", import.meta.url), "utf8");

test("the summary is read with its outcomes, points and confidence intervals", () => {
  const summary = parseDatasetSummary(fixture);
  assert.deepEqual(summary.sweepFields, ["temperature", "composition.C"]);
  assert.deepEqual(summary.outcomes.map((o) => o.name), ["final_molecules", "runtime_s"]);
  assert.equal(summary.points.length, 4);
  assert.deepEqual(summary.points[0].outcomes.final_molecules, { n: 3, mean: 123.3, stddev: 4.1, ci95Low: 113.1, ci95High: 133.5 });
  // A single replica has a mean but no spread: stddev and the interval are null.
  assert.deepEqual(summary.points[2].outcomes.final_molecules, { n: 1, mean: 90, stddev: null, ci95Low: null, ci95High: null });
  assert.deepEqual(numericSweepFields(summary), ["temperature", "composition.C"]);
});

test("plotting against temperature makes one series per carbon fraction, with its bars", () => {
  const data = plotData(parseDatasetSummary(fixture), "final_molecules", "temperature");
  assert.deepEqual(data.x, [300, 600]);
  assert.deepEqual(data.series.map((s) => s.label), ["composition.C=0.1", "composition.C=0.2"]);
  const [c1, c2] = data.series;
  assert.deepEqual(c1.mean, [123.3, 90]);
  assert.deepEqual(c1.low, [113.1, null]);
  assert.deepEqual(c1.high, [133.5, null]);
  assert.deepEqual(c1.n, [3, 1]);
  assert.deepEqual(c2.low, [145.03, 93.55]);
  assert.deepEqual(c2.high, [154.97, 108.45]);
});

test("plotting against the other field swaps the roles; x is numeric and ascending", () => {
  const summary = parseDatasetSummary(fixture);
  summary.points.reverse();
  const data = plotData(summary, "runtime_s", "composition.C");
  assert.deepEqual(data.x, [0.1, 0.2]);
  assert.deepEqual(data.series.map((s) => s.label).sort(), ["temperature=300", "temperature=600"]);
  const t300 = data.series.find((s) => s.label === "temperature=300");
  assert.deepEqual(t300.mean, [2.0, 2.1]);
  assert.deepEqual(t300.low, [1.75, 1.85]);
});

test("a point missing an outcome leaves a gap; a single swept field is one unlabelled series", () => {
  const single = {
    sweep_fields: ["steps"], replicas: 2, outcomes: [{ name: "bonds", unit: "1" }],
    points: [
      { sweep: { steps: 200 }, run_indices: [2, 3], completed: 0, outcomes: {} },
      { sweep: { steps: 100 }, run_indices: [0, 1], completed: 2, outcomes: { bonds: { n: 2, mean: 5, stddev: 1, ci95_low: -3.98, ci95_high: 13.98 } } },
    ],
  };
  const data = plotData(parseDatasetSummary(JSON.stringify(single)), "bonds", "steps");
  assert.deepEqual(data.x, [100, 200]);
  assert.equal(data.series.length, 1);
  assert.equal(data.series[0].label, "");
  assert.deepEqual(data.series[0].mean, [5, null]);
  assert.deepEqual(data.series[0].high, [13.98, null]);
});

test("text that is not a summary is refused, and non-numeric swept fields are not offered as x", () => {
  assert.equal(parseDatasetSummary("not json"), null);
  assert.equal(parseDatasetSummary(JSON.stringify({ points: [] })), null);
  const mixed = parseDatasetSummary(
    JSON.stringify({ sweep_fields: ["mode", "temperature"], outcomes: [], points: [{ sweep: { mode: "a", temperature: 1 } }] }),
  );
  assert.deepEqual(numericSweepFields(mixed), ["temperature"]);
});
