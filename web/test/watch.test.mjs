import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiError } from "../.test-build/api/client.js";
import { watchJob } from "../.test-build/api/watch.js";

const job = (status) => ({ job_id: "job_1", status, progress: status === "completed" ? 1 : 0.5 });

test("a stream refused with 429 falls back to polling the job until it is terminal", async () => {
  const polled = [job("running"), job("running"), job("completed")];
  let streamAttempts = 0;
  const source = {
    async streamJobEvents() {
      streamAttempts += 1;
      throw new ApiError(429, "quota_exceeded", "you have 32 event streams open");
    },
    async getJob(jobId) {
      assert.equal(jobId, "job_1");
      return polled.shift();
    },
  };
  const seen = [];
  await watchJob(source, "job_1", (update) => seen.push(update.status), new AbortController().signal, 5);
  assert.deepEqual(seen, ["running", "running", "completed"]);
  assert.equal(streamAttempts, 1);
  assert.equal(polled.length, 0);
});

test("a stream the server ended early (its lifetime) is opened again, without polling", async () => {
  const streams = [[job("running")], [job("running"), job("completed")]];
  const source = {
    async streamJobEvents(_jobId, onJob) {
      for (const update of streams.shift()) onJob(update);
    },
    async getJob() {
      throw new Error("must not poll");
    },
  };
  const seen = [];
  await watchJob(source, "job_1", (update) => seen.push(update.status), new AbortController().signal, 5);
  assert.deepEqual(seen, ["running", "running", "completed"]);
  assert.equal(streams.length, 0);
});

test("polling stops on abort", async () => {
  const controller = new AbortController();
  let polls = 0;
  const source = {
    async streamJobEvents() {
      throw new ApiError(429, "quota_exceeded", "too many");
    },
    async getJob() {
      polls += 1;
      if (polls === 2) controller.abort();
      return job("running");
    },
  };
  await watchJob(source, "job_1", () => undefined, controller.signal, 5);
  assert.equal(polls, 2);
});
