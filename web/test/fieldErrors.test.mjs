import { test } from "node:test";
import assert from "node:assert/strict";
import { placeErrors, inputId } from "../.test-build/lib/fieldErrors.js";

const rendered = [
  "params.simulation_config.config.steps",
  "params.simulation_config.config.composition",
  "params.simulation_config.config.composition.H",
  "params.simulation_config.config.energy_sources",
  "params.simulation_config.config.energy_sources[0]",
  "params.simulation_config.config.energy_sources[0].radius",
];

test("errors go to the most specific enclosing input; the rest are unplaced", () => {
  const placed = placeErrors(
    [
      { field: "params.simulation_config.config.steps", message: "too big" },
      { field: "params.simulation_config.config.composition.H", message: "negative" },
      { field: "params.simulation_config.config.composition.X", message: "unknown element" },
      { field: "params.simulation_config.config.energy_sources[0].duty", message: "above 1" },
      { field: "params.simulation_config.config.stepsize", message: "is not a known field" },
    ],
    rendered,
  );
  assert.deepEqual(placed.byPath.get("params.simulation_config.config.steps"), ["too big"]);
  assert.deepEqual(placed.byPath.get("params.simulation_config.config.composition.H"), ["negative"]);
  assert.deepEqual(placed.byPath.get("params.simulation_config.config.composition"), ["X: unknown element"]);
  assert.deepEqual(placed.byPath.get("params.simulation_config.config.energy_sources[0]"), ["duty: above 1"]);
  assert.deepEqual(placed.unplaced, [{ field: "params.simulation_config.config.stepsize", message: "is not a known field" }]);
});

test("input ids are valid and stable", () => {
  assert.equal(inputId("params.simulation_config.config.energy_sources[0].x"), "field-params-simulation_config-config-energy_sources-0-x");
});

test("field paths and messages in words", async () => {
  const { fieldLabel, humanizeMessage } = await import("../.test-build/lib/params.js");
  assert.equal(fieldLabel("params.simulation_config.config.num_particles"), "Particles");
  assert.equal(fieldLabel("params.simulation_config.config.composition.H"), "Composition: H");
  assert.equal(fieldLabel("params.simulation_config.config.energy_sources[1].duty"), "Energy source 2: Duty");
  assert.equal(fieldLabel("params.simulation_config.config.energy_sources[0]"), "Energy source 1");
  assert.equal(fieldLabel("webhook_url"), "Webhook URL");
  assert.equal(fieldLabel("params.simulation_config.config.novel"), "novel");
  assert.equal(humanizeMessage("must be a number from 0 to 1e+09"), "must be a number from 0 to 1,000,000,000");
  assert.equal(humanizeMessage("must be at most 2.5e+3 and 1e+400"), "must be at most 2,500 and 1e+400");
});

test("a 422 on a swept value lands on the input its values were typed in, naming which value", async () => {
  const { PATHS, sweepDetailOnInput } = await import("../.test-build/lib/params.js");
  const details = [
    { field: "params.sweep.temperature[2]", message: "must be at most 5000" },
    { field: "params.sweep.composition.C[0]", message: "must be at least 0" },
    { field: "params.sweep.seed", message: "seed cannot be swept" },
    { field: "params.sweep", message: "more runs than the tier allows" },
    { field: "params.replicas", message: "must be at least 1" },
  ].map(sweepDetailOnInput);
  const rendered = [PATHS.config("temperature"), PATHS.config("seed"), PATHS.element("C"), PATHS.sweep, PATHS.replicas];
  const { byPath, unplaced } = placeErrors(details, rendered);
  assert.deepEqual(unplaced, []);
  assert.deepEqual(byPath.get(PATHS.config("temperature")), ["value 3: must be at most 5000"]);
  assert.deepEqual(byPath.get(PATHS.element("C")), ["value 1: must be at least 0"]);
  assert.deepEqual(byPath.get(PATHS.config("seed")), ["seed cannot be swept"]);
  assert.deepEqual(byPath.get(PATHS.sweep), ["more runs than the tier allows"]);
  assert.deepEqual(byPath.get(PATHS.replicas), ["must be at least 1"]);
});
