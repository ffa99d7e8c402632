import { test } from "node:test";
import assert from "node:assert/strict";
import { buildSubmitBody, draftFromParams, draftRuns, draftSweep, initialDraft, newEnergySource } from "../.test-build/lib/request.js";

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

test("a job's params fill the form again (re-run with changes), and the form sends them back", async () => {
  const { draftFromParams, buildSubmitBody: build } = await import("../.test-build/lib/request.js");
  const params = {
    simulation_config: {
      mode: "open_chemistry",
      config: {
        num_particles: 200,
        steps: 2000,
        temperature: 450.5,
        reactions: false,
        composition: { H: 0.6, O: 0.4 },
        energy_sources: [{ x: 0.25, duty: 0.5 }],
      },
    },
  };
  const draft = draftFromParams(params);
  assert.equal(draft.config.num_particles, "200");
  assert.equal(draft.config.temperature, "450.5");
  assert.equal(draft.config.chemistry_scale, "0.1"); // not set by the job: the form's default
  assert.equal(draft.config.dt_fs, ""); // not set by the job: left to the server, which lowers 0.8 fs for hot sources
  assert.deepEqual(draft.composition, { H: "0.6", C: "0", N: "0", O: "0.4", P: "0", S: "0" });
  assert.equal(draft.reactions, false);
  assert.equal(draft.setEnergySources, true);
  assert.equal(draft.energySources[0].x, "0.25");
  assert.equal(draft.energySources[0].radius, "0.1");
  const sent = JSON.parse(build(draft, "k")).params.simulation_config.config;
  assert.deepEqual([sent.num_particles, sent.steps, sent.temperature, sent.reactions], [200, 2000, 450.5, false]);
  assert.deepEqual(sent.composition, { H: 0.6, O: 0.4 });
  assert.equal("dt_fs" in sent, false);

  const preset = draftFromParams({ simulation_config: { mode: "preset_prebiotic", config: { preset: "formamide" } } });
  assert.deepEqual([preset.mode, preset.preset, preset.setEnergySources], ["preset_prebiotic", "formamide", false]);
  assert.equal(draftFromParams(null).mode, "open_chemistry");
});

test("several values in a numeric input make a generate_dataset with a sweep and replicas", () => {
  const draft = initialDraft();
  draft.config.temperature = "300, 450 600";
  draft.composition.C = "0.1,0.2";
  draft.replicas = "3";
  const body = JSON.parse(buildSubmitBody(draft, "k"));
  assert.equal(body.job_type, "generate_dataset");
  assert.deepEqual(body.params.sweep, { temperature: [300, 450, 600], "composition.C": [0.1, 0.2] });
  assert.equal(body.params.replicas, 3);
  const config = body.params.simulation_config.config;
  assert.equal("temperature" in config, false);
  assert.deepEqual(config.composition, { H: 0.5, N: 0.1, O: 0.2 });
  assert.deepEqual(draftRuns(draft), { dataset: true, points: 6, replicas: 3, runs: 18 });
});

test("replicas alone make an ensemble; one value and one replica stay a single run_simulation", () => {
  const draft = initialDraft();
  assert.deepEqual(draftRuns(draft), { dataset: false, points: 1, replicas: 1, runs: 1 });
  assert.equal(JSON.parse(buildSubmitBody(draft, "k")).job_type, "run_simulation");
  assert.equal("replicas" in JSON.parse(buildSubmitBody(draft, "k")).params, false);
  draft.replicas = "4";
  const body = JSON.parse(buildSubmitBody(draft, "k"));
  assert.equal(body.job_type, "generate_dataset");
  assert.deepEqual(body.params.sweep, {});
  assert.equal(body.params.replicas, 4);
  draft.replicas = "two";
  assert.deepEqual(draftRuns(draft), { dataset: true, points: 1, replicas: null, runs: null });
  assert.equal(JSON.parse(buildSubmitBody(draft, "k")).params.replicas, "two"); // the server's 422 names it
});

test("a dataset's params fill the form back with its lists and replicas", () => {
  const draft = draftFromParams({
    simulation_config: { mode: "open_chemistry", config: { num_particles: 200, composition: { H: 0.6, O: 0.2 } } },
    sweep: { steps: [100, 200], "composition.C": [0.1, 0.2] },
    replicas: 2,
  });
  assert.equal(draft.config.steps, "100, 200");
  assert.equal(draft.config.num_particles, "200");
  assert.equal(draft.composition.C, "0.1, 0.2");
  assert.equal(draft.composition.H, "0.6");
  assert.equal(draft.replicas, "2");
  assert.deepEqual(draftSweep(draft), [
    { field: "steps", values: ["100", "200"] },
    { field: "composition.C", values: ["0.1", "0.2"] },
  ]);
});
