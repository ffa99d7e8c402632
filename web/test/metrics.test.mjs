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
