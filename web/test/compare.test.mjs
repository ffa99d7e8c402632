import { test } from "node:test";
import assert from "node:assert/strict";
import { compareParams, flattenParams, overlay } from "../.test-build/lib/compare.js";

test("params flatten to one path per setting, lists of objects by index", () => {
  const flat = flattenParams({
    simulation_config: { mode: "open_chemistry", config: { steps: 2000, energy_sources: [{ x: 0.5 }], composition: {} } },
  });
  assert.deepEqual([...flat.entries()], [
    ["simulation_config.mode", '"open_chemistry"'],
    ["simulation_config.config.steps", "2000"],
    ["simulation_config.config.energy_sources[0].x", "0.5"],
    ["simulation_config.config.composition", "{}"],
  ]);
});

test("rows that differ between runs are marked, a setting only one run has differs", () => {
  const rows = compareParams([
    { simulation_config: { config: { steps: 2000, num_particles: 200 } } },
    { simulation_config: { config: { steps: 1500, num_particles: 200, seed: 7 } } },
  ]);
  assert.deepEqual(
    rows.map((row) => [row.path, row.values, row.differs]),
    [
      ["simulation_config.config.num_particles", ["200", "200"], false],
      ["simulation_config.config.seed", [null, "7"], true],
      ["simulation_config.config.steps", ["2000", "1500"], true],
    ],
  );
});

test("metrics overlay on the union of steps, with gaps where a run has no row", () => {
  const a = { step: [0, 100, 200], n: [1, 2, 3] };
  const b = { step: [0, 50, 100], n: [5, 6, 7] };
  const merged = overlay([a, b, null], "n");
  assert.deepEqual(merged.x, [0, 50, 100, 200]);
  assert.deepEqual(merged.series, [[1, NaN, 2, 3], [5, 6, 7, NaN], [NaN, NaN, NaN, NaN]]);
  assert.equal(overlay([a], "missing"), null);
  assert.equal(overlay([null, null], "n"), null);
});
