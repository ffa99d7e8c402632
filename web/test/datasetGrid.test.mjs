import { test } from "node:test";
import assert from "node:assert/strict";
import { datasetGrid, datasetShape, pointSweep, runCount } from "../.test-build/lib/datasetGrid.js";

const params = (sweep, replicas) => ({ simulation_config: { mode: "open_chemistry", config: {} }, sweep, replicas });

test("two swept fields: the first down, the second across, replicas inside each cell by run index", () => {
  const shape = datasetShape(params({ temperature: [300, 450, 600], "composition.C": [0.1, 0.2] }, 3));
  assert.equal(runCount(shape), 18);
  const grid = datasetGrid(shape);
  assert.deepEqual(grid.rowFields, ["temperature"]);
  assert.equal(grid.columnField, "composition.C");
  assert.deepEqual(grid.columnValues, [0.1, 0.2]);
  assert.equal(grid.rows.length, 3);
  assert.deepEqual(grid.rows[1].label, { temperature: 450 });
  // Run index = point x replicas + replica, the last field varying fastest (docs/api.md).
  const cell = grid.rows[1].cells[1];
  assert.equal(cell.point, 3);
  assert.deepEqual(cell.sweep, { temperature: 450, "composition.C": 0.2 });
  assert.deepEqual(cell.runIndices, [9, 10, 11]);
  assert.deepEqual(grid.rows[2].cells[1].runIndices, [15, 16, 17]);
});

test("one swept field: one row per value, one cell each", () => {
  const grid = datasetGrid(datasetShape(params({ steps: [100, 200, 300, 400] }, 2)));
  assert.deepEqual(grid.rowFields, ["steps"]);
  assert.equal(grid.columnField, null);
  assert.deepEqual(grid.rows.map((row) => row.label.steps), [100, 200, 300, 400]);
  assert.deepEqual(grid.rows.map((row) => row.cells.length), [1, 1, 1, 1]);
  assert.deepEqual(grid.rows[3].cells[0].runIndices, [6, 7]);
});

test("three swept fields: a row per combination of the first two, the last across", () => {
  const shape = datasetShape(params({ a: [1, 2], b: ["x", "y", "z"], c: [true, false] }, 1));
  const grid = datasetGrid(shape);
  assert.deepEqual(grid.rowFields, ["a", "b"]);
  assert.equal(grid.columnField, "c");
  assert.equal(grid.rows.length, 6);
  assert.deepEqual(grid.rows[4].label, { a: 2, b: "y" });
  assert.deepEqual(grid.rows[4].cells.map((cell) => cell.runIndices[0]), [8, 9]);
  assert.deepEqual(pointSweep(shape, 9), { a: 2, b: "y", c: false });
});

test("no swept field: one cell with every replica; malformed sweep entries are left out", () => {
  const grid = datasetGrid(datasetShape(params({ bad: "300", empty: [] }, 4)));
  assert.equal(grid.rows.length, 1);
  assert.deepEqual(grid.rows[0].label, {});
  assert.deepEqual(grid.rows[0].cells[0].runIndices, [0, 1, 2, 3]);
  assert.equal(runCount(datasetShape({})), 1);
});
