#!/usr/bin/env python3
"""Drives tests/fakes/fake_batch.py with the real AWS CLI (`aws batch ...`), so the fake speaks the protocol the
way botocore serialises and parses it: submit-job with environment, resource overrides (an invalid Fargate pair
refused) and tags, describe-jobs through the status
sequence to SUCCEEDED and FAILED with exit codes, list-jobs by JOB_NAME, cancel-job before start, terminate-job
while running, a simulated Spot reclaim retried as a second attempt, Batch's error shape for a bad request, and
injected throttling and server errors as botocore retries and reports them.
Exits 0 when every check passes; prints 'N passed, N failed'."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
failures = []
passed = 0


def check(condition, what):
    global passed
    if condition:
        passed += 1
    else:
        failures.append(what)
        print("FAILED:", what, file=sys.stderr)


def main():
    aws = "/usr/bin/aws" if os.path.exists("/usr/bin/aws") else shutil.which("aws")  # Debian's awscli first
    if aws is None:
        print("aws CLI not installed (scripts/install-deps.sh --test); skipping")
        print("0 passed, 0 failed, 1 skipped")
        return 0
    state = tempfile.mkdtemp(prefix="fake-batch-cli-")
    port_file = os.path.join(state, "port")
    # The worker: succeeds, fails with 3 or sleeps, by the JOB_ID in its environment.
    worker = ("sh -c 'case \"$JOB_ID\" in fail) exit 3;; slow) exec sleep 300;; *) "
              "test \"$AWS_BATCH_JOB_ATTEMPT\" -ge 1 && test -n \"$AWS_BATCH_JOB_ID\";; esac'")
    fake = subprocess.Popen([sys.executable, os.path.join(HERE, "fake_batch.py"), "--port-file", port_file,
                             "--worker", worker, "--step-seconds", "0.05",
                             "--compute-environments", "live2-compute-env,live2-compute-env-on-demand",
                             "--job-state-time-limit", "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY=1"])
    try:
        for _ in range(200):
            if os.path.exists(port_file):
                break
            time.sleep(0.05)
        endpoint = "http://127.0.0.1:" + open(port_file).read()
        environment = dict(os.environ, AWS_ACCESS_KEY_ID="AKIDFAKE", AWS_SECRET_ACCESS_KEY="fake",
                           AWS_DEFAULT_REGION="eu-central-1", AWS_PAGER="", AWS_CONFIG_FILE="/dev/null",
                           AWS_SHARED_CREDENTIALS_FILE="/dev/null")

        def batch(*arguments, expect_ok=True):
            result = subprocess.run([aws, "batch", "--endpoint-url", endpoint, "--output", "json", *arguments],
                                    env=environment, capture_output=True, text=True, timeout=60)
            if expect_ok and result.returncode != 0:
                raise RuntimeError(f"aws batch {arguments[0]} failed: {result.stderr}")
            return result if not expect_ok else json.loads(result.stdout or "{}")

        def submit(name, job_id, runnable_seconds=0, resources=("0.5", "2048")):
            overrides = {"environment": [{"name": "JOB_ID", "value": job_id},
                                         {"name": "FAKE_BATCH_RUNNABLE_SECONDS", "value": str(runnable_seconds)}],
                         "resourceRequirements": [{"type": "VCPU", "value": resources[0]},
                                                  {"type": "MEMORY", "value": resources[1]}]}
            return batch("submit-job", "--job-name", name, "--job-queue", "live2-job-queue",
                         "--job-definition", "live2-simulation", "--propagate-tags",
                         "--tags", f"live2:job-id={job_id},live2:user-id=usr_1",
                         "--container-overrides", json.dumps(overrides))["jobId"]

        def status_of(job_id):
            # Polled without the CLI (a CLI call costs about a second); the final answer comes through the CLI.
            request = urllib.request.Request(endpoint + "/v1/describejobs", json.dumps({"jobs": [job_id]}).encode(),
                                             {"Authorization": "AWS4-HMAC-SHA256 Credential=AKIDFAKE/poll"})
            with urllib.request.urlopen(request, timeout=10) as answer:
                return json.load(answer)["jobs"][0]["status"]

        def wait_for(job_id, statuses):
            seen = []
            for _ in range(1000):
                status = status_of(job_id)
                if not seen or seen[-1] != status:
                    seen.append(status)
                if status in statuses:
                    return batch("describe-jobs", "--jobs", job_id)["jobs"][0], seen
                time.sleep(0.02)
            raise RuntimeError(f"{job_id} stuck in {seen}")

        ok_id = submit("live2-job_ok", "ok")
        job, seen = wait_for(ok_id, ("SUCCEEDED", "FAILED"))
        check(job["status"] == "SUCCEEDED", f"ok job succeeded ({job.get('statusReason')})")
        order = ["SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED"]
        check(seen[-1] == "SUCCEEDED" and seen == sorted(seen, key=order.index), f"status sequence {seen}")
        check(job["tags"] == {"live2:job-id": "ok", "live2:user-id": "usr_1"}, "tags kept")
        check(job["propagateTags"] is True, "propagateTags kept")
        check(job["container"]["exitCode"] == 0 and job["container"]["logStreamName"], "exit code and log stream")
        # The task ran in the queue's first (Spot) environment: its ECS cluster is named for it, as Batch names it.
        check("/AWSBatch-live2-compute-env-" in job["container"]["taskArn"] and
              job["attempts"][0]["container"]["taskArn"] == job["container"]["taskArn"],
              f"task ARN names the Spot environment: {job['container'].get('taskArn')}")
        check({"name": "JOB_ID", "value": "ok"} in job["container"]["environment"], "environment kept")
        check(job["container"]["resourceRequirements"] == [{"type": "VCPU", "value": "0.5"},
                                                          {"type": "MEMORY", "value": "2048"}],
              f"resource overrides kept: {job['container'].get('resourceRequirements')}")
        odd = batch("submit-job", "--job-name", "odd", "--job-queue", "live2-job-queue", "--job-definition", "d",
                    "--container-overrides", json.dumps({"resourceRequirements": [
                        {"type": "VCPU", "value": "0.25"}, {"type": "MEMORY", "value": "4096"}]}), expect_ok=False)
        check(odd.returncode != 0 and "ClientException" in odd.stderr and "0.25 vCPU with 4096 MiB" in odd.stderr,
              f"an invalid Fargate pair is refused: {odd.stderr.strip()}")

        fail_id = submit("live2-job_fail", "fail")
        job, _ = wait_for(fail_id, ("SUCCEEDED", "FAILED"))
        check(job["status"] == "FAILED" and job["attempts"][-1]["container"]["exitCode"] == 3, "failing job")

        listed = batch("list-jobs", "--job-queue", "live2-job-queue", "--filters", "name=JOB_NAME,values=LIVE2-JOB_OK")
        check([s["jobId"] for s in listed["jobSummaryList"]] == [ok_id], "list-jobs by JOB_NAME (case-insensitive)")
        prefix = batch("list-jobs", "--job-queue", "live2-job-queue", "--filters", "name=JOB_NAME,values=live2-*")
        check(len(prefix["jobSummaryList"]) == 2, "JOB_NAME prefix filter")

        slow_id = submit("live2-job_slow", "slow")
        wait_for(slow_id, ("RUNNING",))
        with_reclaim = subprocess.run(["curl", "-sf", "-o", "/dev/null", "-X", "POST", endpoint + "/fake/interrupt", "-d",
                                       json.dumps({"jobId": slow_id, "reason": "Your Spot Task was interrupted."})])
        check(with_reclaim.returncode == 0, "interrupt accepted")
        time.sleep(0.5)
        job, _ = wait_for(slow_id, ("RUNNING",))
        check(len(job["attempts"]) == 1 and job["attempts"][0]["statusReason"] == "Your Spot Task was interrupted.",
              "Spot reclaim recorded as attempt 1")
        batch("terminate-job", "--job-id", slow_id, "--reason", "cancelled by user")
        job, _ = wait_for(slow_id, ("SUCCEEDED", "FAILED"))
        check(job["status"] == "FAILED" and job["statusReason"] == "cancelled by user",
              f"terminate-job: {job['status']} {job.get('statusReason')}")
        check(len(job["attempts"]) == 2, "two attempts after the reclaim")

        queued_id = submit("live2-job_queued", "slow", runnable_seconds=60)
        batch("cancel-job", "--job-id", queued_id, "--reason", "cancelled early")
        job, _ = wait_for(queued_id, ("SUCCEEDED", "FAILED"))
        check(job["status"] == "FAILED" and job["statusReason"] == "cancelled early" and not job["attempts"],
              "cancel-job before start")

        # Without Spot capacity the job runs in the next environment of the queue (the on-demand fallback); with none
        # at all it waits RUNNABLE with a CAPACITY reason until the queue's time limit action cancels it.
        def capacity(**available):
            subprocess.run(["curl", "-sf", "-o", "/dev/null", "-X", "POST", endpoint + "/fake/capacity", "-d",
                            json.dumps(available)], check=True)
        capacity(spot=False)
        fallback_id = submit("live2-job_fallback", "ok")
        job, _ = wait_for(fallback_id, ("SUCCEEDED", "FAILED"))
        check(job["status"] == "SUCCEEDED" and "/AWSBatch-live2-compute-env-on-demand-" in job["container"]["taskArn"],
              f"no Spot capacity: ran on demand ({job['container'].get('taskArn')})")
        capacity(on_demand=False)
        stuck_id = submit("live2-job_stuck", "ok")
        job, _ = wait_for(stuck_id, ("SUCCEEDED", "FAILED"))
        check(job["status"] == "FAILED" and job["statusReason"] == "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY" and
              not job["attempts"] and "startedAt" not in job,
              f"RUNNABLE past the time limit is cancelled: {job.get('statusReason')}")
        capacity(spot=True, on_demand=True)

        bad = batch("submit-job", "--job-name", "x", "--job-queue", "q", "--job-definition", "", expect_ok=False)
        check(bad.returncode != 0 and "ClientException" in bad.stderr, f"error shape: {bad.stderr.strip()}")

        # Injected faults as botocore sees them: a throttle and a 500 are retried by the CLI (so both must parse as
        # retryable Batch errors) and the call then succeeds; once the CLI's retries run out the throttle's code shows.
        def inject(*faults):
            subprocess.run(["curl", "-sf", "-o", "/dev/null", "-X", "POST", endpoint + "/fake/faults", "-d",
                            json.dumps({"faults": list(faults)})], check=True)
        inject("throttle", "server_error")
        retried = batch("describe-jobs", "--jobs", ok_id, expect_ok=False)
        check(retried.returncode == 0 and json.loads(retried.stdout)["jobs"][0]["jobId"] == ok_id,
              f"throttle and 500 retried by botocore: {retried.stderr.strip()}")
        inject(*["throttle"] * 10)
        throttled = batch("describe-jobs", "--jobs", ok_id, expect_ok=False)
        check(throttled.returncode != 0 and "TooManyRequestsException" in throttled.stderr,
              f"throttling error shape: {throttled.stderr.strip()}")
    finally:
        fake.terminate()
        fake.wait(timeout=10)
        shutil.rmtree(state, ignore_errors=True)
    print(f"{passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
