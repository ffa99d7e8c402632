import { test } from "node:test";
import assert from "node:assert/strict";
import { adaptMetrics, rowCount } from "../.test-build/lib/metrics.js";

test("columns + rows (the documented shape)", () => {
  const table = adaptMetrics({ job_id: "job_x", columns: ["step", "n_species"], rows: [[0, 1], [100, "3"]] });
  assert.deepEqual(table, { step: [0, 100], n_species: [1, 3] });
  assert.equal(rowCount(table), 2);
});

test("column-major objects and row objects", () => {
  assert.deepEqual(adaptMetrics({ metrics: { step: [0, 1] } }), { step: [0, 1] });
  assert.deepEqual(adaptMetrics({ columns: { step: [5] } }), { step: [5] });
  assert.deepEqual(adaptMetrics([{ step: 1, t: 2 }, { step: 2 }]), { step: [1, 2], t: [2, NaN] });
  assert.deepEqual(adaptMetrics({ rows: [{ step: 1 }] }), { step: [1] });
});

test("unknown shapes give an empty table", () => {
  assert.deepEqual(adaptMetrics(null), {});
  assert.deepEqual(adaptMetrics({ something: 1 }), {});
  assert.equal(rowCount({}), 0);
});

test("metrics events: first_row 0 replaces, a continuation appends, a gap or new columns asks for a reload", async () => {
  const { applyMetricsEvent } = await import("../.test-build/lib/metrics.js");
  const held = applyMetricsEvent(null, { columns: ["step", "n"], first_row: 0, rows: [[0, 1], [100, 2]] });
  assert.deepEqual(held, { columns: ["step", "n"], rows: [[0, 1], [100, 2]] });
  const grown = applyMetricsEvent(held, { columns: ["step", "n"], first_row: 2, rows: [[200, 3]] });
  assert.deepEqual(grown.rows, [[0, 1], [100, 2], [200, 3]]);
  assert.deepEqual(adaptMetrics(grown), { step: [0, 100, 200], n: [1, 2, 3] });
  assert.equal(applyMetricsEvent(held, { columns: ["step", "n"], first_row: 3, rows: [[300, 4]] }), null);
  assert.equal(applyMetricsEvent(held, { columns: ["step", "m"], first_row: 2, rows: [[200, 3]] }), null);
  assert.equal(applyMetricsEvent(null, { columns: ["step"], first_row: 1, rows: [[1]] }), null);
  assert.deepEqual(applyMetricsEvent(grown, { columns: ["step"], first_row: 0, rows: [] }), { columns: ["step"], rows: [] });
});

test("a run's metrics.csv read from its file: header names, numbers by column", async () => {
  const { metricsFromCsv } = await import("../.test-build/lib/metrics.js");
  assert.deepEqual(metricsFromCsv("step,time,n_molecules\r\n0,0.0,0\n100,0.5,12\n\n"), {
    step: [0, 100],
    time: [0, 0.5],
    n_molecules: [0, 12],
  });
  assert.deepEqual(metricsFromCsv(""), {});
  assert.deepEqual(metricsFromCsv("step,n\n5,x"), { step: [5], n: [NaN] });
});
