import { test } from "node:test";
import assert from "node:assert/strict";
import { distinctStatusReason } from "../.test-build/lib/failureReason.js";

const reason = "unstable at step 4: atoms moved more than 0.5 sigma in one step; lower dt (now 0.02) or temperature (now 5000 K)";

test("a failed job's reason is not repeated in the executor panel", () => {
  assert.equal(distinctStatusReason(reason, reason), null);
  assert.equal(distinctStatusReason(`${reason}\n`, reason), null);
});

test("a status reason that says something else, or one of a job without an error, is shown", () => {
  assert.equal(distinctStatusReason("cannot start the worker: fork failed", null), "cannot start the worker: fork failed");
  assert.equal(distinctStatusReason("Task failed to start", reason), "Task failed to start");
  assert.equal(distinctStatusReason(null, reason), null);
  assert.equal(distinctStatusReason("  ", null), null);
});
