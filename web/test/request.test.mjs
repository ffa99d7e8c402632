import { test } from "node:test";
import assert from "node:assert/strict";
import { buildSubmitBody, initialDraft, newEnergySource } from "../.test-build/lib/request.js";

test("the initial draft sends the defaults of open_chemistry, leaving derived fields to the server", () => {
  const body = JSON.parse(buildSubmitBody(initialDraft(), "k1"));
  assert.equal(body.job_type, "run_simulation");
  assert.equal(body.idempotency_key, "k1");
  const { mode, config } = body.params.simulation_config;
  assert.equal(mode, "open_chemistry");
  assert.equal(config.num_particles, 1000);
  assert.deepEqual(config.composition, { H: 0.5, C: 0.2, N: 0.1, O: 0.2 });
  assert.equal("snapshot_interval" in config, false);
  assert.equal("preset" in config, false);
  assert.equal("energy_sources" in config, false);
  assert.equal("webhook_url" in body, false);
});

test("a 64-bit seed is sent digit for digit and bad numbers are sent as typed", () => {
  const draft = initialDraft();
  draft.config.seed = "18446744073709551615";
  draft.config.steps = "lots";
  const text = buildSubmitBody(draft, "k");
  assert.match(text, /"seed":18446744073709551615[,}]/);
  assert.equal(JSON.parse(text).params.simulation_config.config.steps, "lots");
});

test("preset mode sends the preset and no composition; energy sources only when chosen", () => {
  const draft = initialDraft();
  draft.mode = "preset_prebiotic";
  draft.preset = "formamide";
  draft.setEnergySources = true;
  draft.energySources = [newEnergySource()];
  draft.energySources[0].radius = "";
  const config = JSON.parse(buildSubmitBody(draft, "k")).params.simulation_config.config;
  assert.equal(config.preset, "formamide");
  assert.equal("composition" in config, false);
  assert.deepEqual(config.energy_sources, [{ x: 0.5, y: 0.5, temperature: 1500, period: 0, duty: 1 }]);
});
