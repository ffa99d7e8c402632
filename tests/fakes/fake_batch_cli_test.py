#!/usr/bin/env python3
"""Drives tests/fakes/fake_batch.py with the real AWS CLI (`aws batch ...`), so the fake speaks the protocol the
way botocore serialises and parses it: submit-job with environment, resource overrides (an invalid Fargate pair
refused) and tags, describe-jobs through the status
sequence to SUCCEEDED and FAILED with exit codes, list-jobs by JOB_NAME, cancel-job before start, terminate-job
while running, a simulated Spot reclaim retried as a second attempt, Batch's error shape for a bad request,
injected throttling and server errors as botocore retries and reports them, and array jobs with dependencies (children
`<parent>:<index>` with AWS_BATCH_JOB_ARRAY_INDEX, the parent's statusSummary, a dependent job PENDING until the
parent ends and failed when it failed, sizes outside 2..10,000 refused).
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
    # The worker: succeeds, fails with 3 or sleeps, by the JOB_ID in its environment. An array child of "array"
    # succeeds only as the child its id names, index 0 once the test creates the file `release` (so the parent is
    # seen unfinished); one of "array_exit" exits with its index (child 0 succeeds, the others fail).
    release = os.path.join(state, "release")
    worker = ("sh -c 'case \"$JOB_ID\" in fail) exit 3;; slow) exec sleep 300;; "
              "array) test \"$AWS_BATCH_JOB_ID\" = \"${AWS_BATCH_JOB_ID%:*}:$AWS_BATCH_JOB_ARRAY_INDEX\" || exit 9; "
              f"test \"$AWS_BATCH_JOB_ARRAY_INDEX\" != 0 || while ! test -e {release}; do sleep 0.05; done;; "
              "array_exit) exit \"$AWS_BATCH_JOB_ARRAY_INDEX\";; *) "
              "test \"$AWS_BATCH_JOB_ATTEMPT\" -ge 1 && test -n \"$AWS_BATCH_JOB_ID\" && "
              "test -z \"$AWS_BATCH_JOB_ARRAY_INDEX\";; esac'")
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

        def submit(name, job_id, runnable_seconds=0, resources=("0.5", "2048"), extra=()):
            overrides = {"environment": [{"name": "JOB_ID", "value": job_id},
                                         {"name": "FAKE_BATCH_RUNNABLE_SECONDS", "value": str(runnable_seconds)}],
                         "resourceRequirements": [{"type": "VCPU", "value": resources[0]},
                                                  {"type": "MEMORY", "value": resources[1]}]}
            return batch("submit-job", "--job-name", name, "--job-queue", "live2-job-queue",
                         "--job-definition", "live2-simulation", "--propagate-tags",
                         "--tags", f"live2:job-id={job_id},live2:user-id=usr_1",
                         "--container-overrides", json.dumps(overrides), *extra)["jobId"]

        def statuses_of(*job_ids):
            # Polled without the CLI (a CLI call costs about a second); the final answer comes through the CLI.
            request = urllib.request.Request(endpoint + "/v1/describejobs", json.dumps({"jobs": job_ids}).encode(),
                                             {"Authorization": "AWS4-HMAC-SHA256 Credential=AKIDFAKE/poll"})
            with urllib.request.urlopen(request, timeout=10) as answer:
                return [job["status"] for job in json.load(answer)["jobs"]]

        def status_of(job_id):
            return statuses_of(job_id)[0]

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

        # Array jobs: children <parent>:<index> each with its AWS_BATCH_JOB_ARRAY_INDEX, the parent never RUNNING and
        # its statusSummary counting the children; a job depending on the parent waits PENDING until it ends.
        array_id = submit("live2-job_array", "array", extra=("--array-properties", "size=3"))
        combine_id = submit("live2-job_array-combine", "ok", extra=("--depends-on", f"jobId={array_id}"))
        held = []
        for _ in range(1000):  # until children 1 and 2 are done and child 0 waits for the release
            held.append(statuses_of(array_id, combine_id, *[f"{array_id}:{i}" for i in range(3)]))
            if held[-1][2] == "RUNNING" and held[-1][3:] == ["SUCCEEDED", "SUCCEEDED"]:
                break
            time.sleep(0.02)
        time.sleep(0.5)  # the dependent job would have moved on by now if it did not wait
        parent_status, combine_status = statuses_of(array_id, combine_id)
        check(parent_status == "PENDING" and combine_status == "PENDING",
              f"dependent job PENDING while the array runs: parent {parent_status}, dependent {combine_status}")
        check(not any(h[0] in ("RUNNABLE", "STARTING", "RUNNING") for h in held), "the parent never runs itself")
        summary = batch("describe-jobs", "--jobs", array_id)["jobs"][0]["arrayProperties"]["statusSummary"]
        check(summary == {"SUBMITTED": 0, "PENDING": 0, "RUNNABLE": 0, "STARTING": 0, "RUNNING": 1, "SUCCEEDED": 2,
                          "FAILED": 0}, f"statusSummary while child 0 runs: {summary}")
        open(release, "w").close()
        parent, _ = wait_for(array_id, ("SUCCEEDED", "FAILED"))
        check(parent["status"] == "SUCCEEDED" and parent["arrayProperties"]["size"] == 3 and
              parent["arrayProperties"]["statusSummary"]["SUCCEEDED"] == 3,
              f"array parent: {parent['status']} {parent.get('arrayProperties')}")
        children = batch("describe-jobs", "--jobs", *[f"{array_id}:{i}" for i in range(3)])["jobs"]
        check([c["arrayProperties"]["index"] for c in children] == [0, 1, 2] and
              all(c["status"] == "SUCCEEDED" and c["container"]["exitCode"] == 0 for c in children),
              f"children by <parent>:<index>: {[(c['jobId'], c['status']) for c in children]}")
        combine, _ = wait_for(combine_id, ("SUCCEEDED", "FAILED"))
        check(combine["status"] == "SUCCEEDED" and combine["startedAt"] >= parent["stoppedAt"] and
              combine["dependsOn"] == [{"jobId": array_id}],
              f"dependent job ran after the array: {combine['status']} {combine.get('dependsOn')}")
        listed = batch("list-jobs", "--job-queue", "live2-job-queue", "--filters",
                       "name=JOB_NAME,values=live2-job_array")["jobSummaryList"]
        check([(j["jobId"], j["arrayProperties"]["size"]) for j in listed] == [(array_id, 3)],
              f"list-jobs shows the parent, not its children: {listed}")

        failing_array_id = submit("live2-job_array_exit", "array_exit", extra=("--array-properties", "size=3"))
        after_failure_id = submit("live2-job_after", "ok", extra=("--depends-on", f"jobId={failing_array_id}"))
        parent, _ = wait_for(failing_array_id, ("SUCCEEDED", "FAILED"))
        summary = parent["arrayProperties"]["statusSummary"]
        check(parent["status"] == "FAILED" and summary["SUCCEEDED"] == 1 and summary["FAILED"] == 2,
              f"a failed child fails the parent: {parent['status']} {summary}")
        child = batch("describe-jobs", "--jobs", f"{failing_array_id}:2")["jobs"][0]
        check(child["container"]["exitCode"] == 2, "AWS_BATCH_JOB_ARRAY_INDEX reached child 2")
        after, _ = wait_for(after_failure_id, ("SUCCEEDED", "FAILED"))
        check(after["status"] == "FAILED" and after["statusReason"] == "Dependent Job failed" and
              not after["attempts"], f"a job depending on a failed array fails unrun: {after.get('statusReason')}")
        for size in ("1", "10001"):
            refused = batch("submit-job", "--job-name", "x", "--job-queue", "live2-job-queue", "--job-definition",
                            "live2-simulation", "--array-properties", f"size={size}", expect_ok=False)
            check(refused.returncode != 0 and "ClientException" in refused.stderr, f"array size {size} refused")

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
