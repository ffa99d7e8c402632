import { test } from "node:test";
import assert from "node:assert/strict";
import { filterJobs, runSummary, sortJobs } from "../.test-build/lib/jobList.js";

const job = (id, status, config, extra = {}) => ({
  job_id: id,
  job_type: "run_simulation",
  status,
  params: { simulation_config: { mode: config.preset ? "preset_prebiotic" : "open_chemistry", config } },
  ...extra,
});
const jobs = [
  job("job_c", "running", { num_particles: 2000, steps: 200000 }, { name: "long run", tags: { series: "t-scan" } }),
  job("job_b", "failed", { num_particles: 200, steps: 2000, temperature: 450, preset: "formamide" }),
  job("job_a", "completed", { num_particles: 500, steps: 5000, temperature: 300 }, { name: "baseline" }),
];

test("the run summary names mode, preset, atoms, steps and temperature", () => {
  assert.equal(runSummary(jobs[1]), "preset_prebiotic · formamide · 200 atoms · 2,000 steps · 450 K");
  assert.equal(runSummary(jobs[0]), "open_chemistry · 2,000 atoms · 200,000 steps");
  const dataset = job("job_d", "queued", { num_particles: 200 }, { job_type: "generate_dataset", runs: { total: 18 } });
  assert.equal(runSummary(dataset), "open_chemistry · dataset of 18 runs · 200 atoms");
  assert.deepEqual(filterJobs([...jobs, dataset], "dataset").map((j) => j.job_id), ["job_d"]);
});

test("the filter matches every word in id, name, tags, status and parameters", () => {
  const ids = (text) => filterJobs(jobs, text).map((j) => j.job_id);
  assert.deepEqual(ids("formamide"), ["job_b"]);
  assert.deepEqual(ids("series:t-scan"), ["job_c"]);
  assert.deepEqual(ids("BASELINE completed"), ["job_a"]);
  assert.deepEqual(ids("450 k"), ["job_b"]);
  assert.deepEqual(ids("  "), ["job_c", "job_b", "job_a"]);
  assert.deepEqual(ids("nothing-like-this"), []);
});

test("sorts by parameters, outcome and name, newest first among equals", () => {
  const ids = (sort) => sortJobs(jobs, sort).map((j) => j.job_id);
  assert.deepEqual(ids("newest"), ["job_c", "job_b", "job_a"]);
  assert.deepEqual(ids("oldest"), ["job_a", "job_b", "job_c"]);
  assert.deepEqual(ids("particles"), ["job_c", "job_a", "job_b"]);
  assert.deepEqual(ids("temperature"), ["job_b", "job_a", "job_c"]); // no temperature set: last
  assert.deepEqual(ids("outcome"), ["job_b", "job_c", "job_a"]);
  assert.deepEqual(ids("name"), ["job_a", "job_c", "job_b"]);
  assert.deepEqual(jobs.map((j) => j.job_id), ["job_c", "job_b", "job_a"]); // not changed in place
});
