#!/usr/bin/env python3
"""A fake AWS Batch for tests: speaks Batch's REST-JSON protocol (botocore model batch/2016-08-10) on loopback and
runs every submitted job as a local process.

SubmitJob's containerOverrides.resourceRequirements (VCPU, MEMORY) replace the job definition's (taken to be
live2's: 8 vCPU, 16384 MiB) and must be a valid Fargate pair, as on a Fargate compute environment; DescribeJobs
shows them under container.resourceRequirements.
Each job is started with its containerOverrides.environment plus the fake's --env settings (for example the local
S3 endpoint and credentials; FAKE_BATCH_RUNNABLE_SECONDS in a job's own environment overrides
--runnable-seconds for that job) and AWS_BATCH_JOB_ID / AWS_BATCH_JOB_ATTEMPT, as Batch sets them, and moves through
SUBMITTED -> PENDING -> RUNNABLE -> STARTING -> RUNNING -> SUCCEEDED | FAILED (exit code 0 or not).
The queue's compute environments are --compute-environments (in the queue's order, the first FARGATE_SPOT): a
RUNNABLE job starts on the first with capacity, and its container and attempts carry the Fargate task's ARN, whose
ECS cluster is named for that environment as Batch names it (AWSBatch-<environment>-<uuid>). POST /fake/capacity
{"spot": false, "on_demand": false} takes the Spot capacity (the first environment) or the on-demand capacity (the
others) away, true gives it back: with no environment left a job stays RUNNABLE
with statusReason "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY - ...", and the queue's jobStateTimeLimitActions
(--job-state-time-limit REASON=SECONDS, CANCEL) cancel a job RUNNABLE with that reason past the time: it FAILS with
the action's reason as its statusReason.
Array jobs: SubmitJob with arrayProperties.size (2..10,000) makes a parent that runs nothing and children
"<parent>:<index>" that run as jobs of their own with AWS_BATCH_JOB_ARRAY_INDEX (and AWS_BATCH_JOB_ID the child's id);
DescribeJobs shows the parent's arrayProperties {size, statusSummary (children per status, every status)} and a
child's {index}. The parent is SUBMITTED, then PENDING while any child is unfinished (never RUNNABLE or RUNNING), then
SUCCEEDED when every child succeeded, else FAILED; cancelling or terminating the parent does so to its children.
dependsOn [{"jobId"}] (at most 20; the ids must exist): the job stays PENDING until every dependency SUCCEEDED, and
FAILS with statusReason "Dependent Job failed" when one FAILED (Batch's user guide, "Job dependencies"). An array
job's children wait for the parent's dependencies. ListJobs lists parents, not children.
containerOverrides.command replaces the container's command as Docker does: the job runs --entrypoint followed by
that command ({workdir} substituted in both) instead of --worker (the entrypoint with the image's default command);
DescribeJobs shows it under container.command.
Operations: SubmitJob, DescribeJobs (<= 100 ids), ListJobs (jobStatus or a JOB_NAME filter, maxResults/nextToken),
CancelJob (before STARTING), TerminateJob. Test controls (not Batch): POST /fake/interrupt {"jobId", "reason"}
ends the running attempt like a Spot reclaim and retries the job (up to --attempts); POST /fake/faults
{"faults": ["throttle" | "server_error" | "drop", ...]} makes the next Batch calls, one fault each in that order,
answer 429 TooManyRequestsException or 500 without running, or run and then close the connection without an answer
(a lost response: the caller cannot know whether a SubmitJob happened); GET /fake/stats counts calls and how many
jobs were submitted under each job name.
Requests must carry a SigV4 Authorization header; errors use Batch's shape (x-amzn-ErrorType, __type, message).

  fake_batch.py --port-file FILE [--worker CMD] [--entrypoint CMD] [--env NAME=VALUE ...] [--step-seconds S] [--runnable-seconds S]
                [--attempts N] [--compute-environments SPOT[,ON_DEMAND...]] [--job-state-time-limit REASON=S ...]
Stops on SIGTERM or SIGINT. Python 3 standard library only.
"""
import argparse
import json
import os
import shlex
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ACCOUNT = "123456789012"
TERMINAL = ("SUCCEEDED", "FAILED")
STATUSES = ("SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED", "FAILED")
DEPENDENCY_FAILED = "Dependent Job failed"
CANCELLABLE = ("SUBMITTED", "PENDING", "RUNNABLE")
JOB_DEFINITION_RESOURCES = {"VCPU": "8", "MEMORY": "16384"}


def fargate_pairs():
    """AWS's Fargate task size table: {vCPU: [memory MiB, ...]}."""
    pairs = {"0.25": [512, 1024, 2048]}
    for vcpus, low, high, step in (("0.5", 1, 4, 1), ("1", 2, 8, 1), ("2", 4, 16, 1), ("4", 8, 30, 1),
                                   ("8", 16, 60, 4), ("16", 32, 120, 8)):
        pairs[vcpus] = [gib * 1024 for gib in range(low, high + 1, step)]
    return pairs


FARGATE_PAIRS = fargate_pairs()


def resource_requirements(overrides):
    """The job's resourceRequirements: the job definition's, replaced type by type by the overrides."""
    resources = dict(JOB_DEFINITION_RESOURCES)
    for requirement in overrides.get("resourceRequirements") or []:
        if requirement.get("type") not in ("VCPU", "MEMORY", "GPU"):
            raise ClientException(f"unknown resource requirement type {requirement.get('type')}")
        resources[requirement["type"]] = str(requirement.get("value"))
    memory = int(resources["MEMORY"]) if resources["MEMORY"].isdigit() else -1
    if memory not in FARGATE_PAIRS.get(resources["VCPU"], []):
        raise ClientException(f"Fargate resource requirements are not a supported combination: "
                              f"{resources['VCPU']} vCPU with {resources['MEMORY']} MiB")
    return [{"type": name, "value": value} for name, value in resources.items()]


def now_ms():
    return int(time.time() * 1000)


class ClientException(Exception):
    pass


class FakeBatch:
    def __init__(self, options):
        self.options = options
        self.lock = threading.Lock()
        self.jobs = {}  # id -> job detail dict (Batch's JobDetail fields)
        self.order = []
        self.processes = {}  # id -> Popen of the running attempt
        self.interrupts = {}  # id -> statusReason of a pending simulated Spot reclaim
        self.calls = {}
        self.faults = []  # injected by POST /fake/faults, consumed one per Batch call
        self.capacity = {"spot": True, "on_demand": True}  # POST /fake/capacity

    def next_fault(self):
        with self.lock:
            return self.faults.pop(0) if self.faults else None

    def inject_faults(self, body):
        faults = body.get("faults")
        if not isinstance(faults, list) or any(f not in ("throttle", "server_error", "drop") for f in faults):
            raise ClientException('faults must be a list of "throttle", "server_error" or "drop"')
        with self.lock:
            self.faults.extend(faults)
        return {}

    def set_capacity(self, body):
        if not body or any(key not in self.capacity or not isinstance(value, bool) for key, value in body.items()):
            raise ClientException('capacity takes {"spot": true | false, "on_demand": true | false}')
        with self.lock:
            self.capacity.update(body)
        return {}

    def jobs_per_name(self):
        counts = {}
        for job in (self.jobs[i] for i in self.order):  # submitted jobs: array children are not submissions
            counts[job["jobName"]] = counts.get(job["jobName"], 0) + 1
        return counts

    def count(self, operation):
        with self.lock:
            self.calls[operation] = self.calls.get(operation, 0) + 1

    # --- operations -------------------------------------------------------------------------------------------
    def submit_job(self, body):
        for field in ("jobName", "jobQueue", "jobDefinition"):
            if not body.get(field):
                raise ClientException(f"{field} is required")
        job_id = str(uuid.uuid4())
        region = self.options.region
        overrides = body.get("containerOverrides", {})
        environment = overrides.get("environment", [])
        resources = resource_requirements(overrides)
        size = (body.get("arrayProperties") or {}).get("size")
        if size is not None and not (isinstance(size, int) and 2 <= size <= 10000):
            raise ClientException(f"Array size must be between 2 and 10000: {size}")
        depends_on = body.get("dependsOn") or []
        if len(depends_on) > 20:
            raise ClientException("A job can depend on at most 20 jobs")
        with self.lock:
            for dependency in depends_on:
                if dependency.get("jobId") not in self.jobs:
                    raise ClientException(f"Dependent job {dependency.get('jobId')} not found")
        job = {
            "jobArn": f"arn:aws:batch:{region}:{ACCOUNT}:job/{job_id}",
            "jobName": body["jobName"],
            "jobId": job_id,
            "jobQueue": f"arn:aws:batch:{region}:{ACCOUNT}:job-queue/{body['jobQueue']}",
            "status": "SUBMITTED",
            "attempts": [],
            "createdAt": now_ms(),
            "jobDefinition": f"arn:aws:batch:{region}:{ACCOUNT}:job-definition/{body['jobDefinition']}",
            "container": {"environment": environment, "resourceRequirements": resources,
                          **({"command": overrides["command"]} if overrides.get("command") else {})},
            "tags": body.get("tags", {}),
            "propagateTags": body.get("propagateTags", False),
            "platformCapabilities": ["FARGATE"],
            "dependsOn": [{"jobId": d["jobId"], **({"type": d["type"]} if "type" in d else {})} for d in depends_on],
        }
        children = []
        if size is not None:
            job["arrayProperties"] = {"size": size}
            del job["container"]  # the parent runs nothing
            for index in range(size):
                child = json.loads(json.dumps({**job, "container": {"environment": environment,
                                                                    "resourceRequirements": resources,
                                                                    **({"command": overrides["command"]}
                                                                       if overrides.get("command") else {})}}))
                child.update(jobId=f"{job_id}:{index}", jobArn=f"{job['jobArn']}:{index}",
                             arrayProperties={"index": index})
                children.append(child)
        with self.lock:
            self.jobs[job_id] = job
            self.order.append(job_id)
            for child in children:
                self.jobs[child["jobId"]] = child
        for started in children or [job]:
            threading.Thread(target=self.run_job, args=(started["jobId"],), daemon=True).start()
        return {"jobArn": job["jobArn"], "jobName": job["jobName"], "jobId": job_id}

    def children_of(self, job):
        """An array parent's children, in index order. Caller holds the lock."""
        size = job.get("arrayProperties", {}).get("size")
        return [self.jobs[f"{job['jobId']}:{index}"] for index in range(size)] if size else []

    def refresh(self, job):
        """An array parent's statusSummary and status, from its children. Caller holds the lock."""
        children = self.children_of(job)
        if not children or job["status"] in TERMINAL:
            return job
        summary = {status: 0 for status in STATUSES}
        for child in children:
            summary[child["status"]] += 1
        job["arrayProperties"]["statusSummary"] = summary
        if summary["SUCCEEDED"] + summary["FAILED"] == len(children):
            self.finish(job, "SUCCEEDED" if summary["FAILED"] == 0 else "FAILED",
                        "" if summary["FAILED"] == 0 else f"{summary['FAILED']} of {len(children)} child jobs failed")
        elif summary["SUBMITTED"] < len(children):
            job["status"] = "PENDING"
        return job

    def describe_jobs(self, body):
        ids = body.get("jobs")
        if not isinstance(ids, list):
            raise ClientException("jobs is required")
        if len(ids) > 100:
            raise ClientException("A maximum of 100 jobs can be described in a single request.")
        with self.lock:
            return {"jobs": [json.loads(json.dumps(self.refresh(self.jobs[i]))) for i in ids if i in self.jobs]}

    def list_jobs(self, body):
        filters = body.get("filters") or []
        with self.lock:
            jobs = [self.refresh(self.jobs[i]) for i in reversed(self.order)]  # newest first, parents not children
        queue = body.get("jobQueue", "")
        jobs = [j for j in jobs if not queue or j["jobQueue"].endswith("/" + queue) or j["jobQueue"] == queue]
        if filters:
            name_filter = next((f for f in filters if f.get("name") == "JOB_NAME"), None)
            if name_filter is None:
                raise ClientException("only the JOB_NAME filter is supported by this fake")
            wanted = name_filter["values"][0].lower()
            if wanted.endswith("*"):
                jobs = [j for j in jobs if j["jobName"].lower().startswith(wanted[:-1])]
            else:
                jobs = [j for j in jobs if j["jobName"].lower() == wanted]
        else:
            status = body.get("jobStatus", "RUNNING")
            jobs = [j for j in jobs if j["status"] == status]
        start = int(body.get("nextToken") or 0)
        page = int(body.get("maxResults") or 100)
        summaries = [{k: j[k] for k in ("jobArn", "jobId", "jobName", "createdAt", "status") if k in j}
                     for j in jobs[start:start + page]]
        for summary, job in zip(summaries, jobs[start:start + page]):
            if "arrayProperties" in job:
                summary["arrayProperties"] = {"size": job["arrayProperties"]["size"]}
        answer = {"jobSummaryList": summaries}
        if start + page < len(jobs):
            answer["nextToken"] = str(start + page)
        return answer

    def cancel_job(self, body):
        job_id, reason = self.require_job_and_reason(body)
        with self.lock:
            parent = self.jobs[job_id]
            for job in self.children_of(parent) or [parent]:
                if job["status"] in CANCELLABLE:
                    self.finish(job, "FAILED", reason)
        return {}

    def terminate_job(self, body):
        job_id, reason = self.require_job_and_reason(body)
        processes = []
        with self.lock:
            parent = self.jobs[job_id]
            for job in self.children_of(parent) or [parent]:
                if job["status"] not in TERMINAL:
                    job["terminateReason"] = reason
                    process = self.processes.get(job["jobId"])
                    if process is None:
                        self.finish(job, "FAILED", reason)
                    else:
                        processes.append(process)
        for process in processes:
            process.terminate()
        return {}

    def interrupt(self, body):
        job_id = body.get("jobId")
        with self.lock:
            process = self.processes.get(job_id)
            if process is None:
                raise ClientException("job is not running")
            self.interrupts[job_id] = body.get("reason", "Your Spot Task was interrupted.")
        process.terminate()
        return {}

    def require_job_and_reason(self, body):
        job_id, reason = body.get("jobId"), body.get("reason")
        if not job_id or not reason:
            raise ClientException("jobId and reason are required")
        with self.lock:
            if job_id not in self.jobs:
                raise ClientException(f"Job {job_id} not found")
        return job_id, reason

    # --- the job's life ---------------------------------------------------------------------------------------
    def finish(self, job, status, reason):
        """Caller holds the lock."""
        job["status"] = status
        job["statusReason"] = reason
        job["stoppedAt"] = now_ms()

    def advance(self, job_id, status):
        time.sleep(self.options.step_seconds)
        with self.lock:
            job = self.jobs[job_id]
            if job["status"] in TERMINAL:
                return False
            job["status"] = status
            return True

    def placement(self):
        """The first compute environment of the queue with capacity, or None. Caller holds the lock."""
        for index, environment in enumerate(self.options.compute_environments):
            if self.capacity["spot" if index == 0 else "on_demand"]:
                return environment
        return None

    def wait_for_capacity(self, job_id):
        """RUNNABLE until an environment has capacity; False when the job ended meanwhile (cancelled, or by the
        queue's time limit action)."""
        waiting_since = None
        while True:
            with self.lock:
                job = self.jobs[job_id]
                if job["status"] in TERMINAL:
                    return False
                environment = self.placement()
                if environment is not None:
                    job["computeEnvironment"] = environment
                    if job.get("statusReason", "").startswith("CAPACITY:"):
                        del job["statusReason"]
                    return True
                job["statusReason"] = ("CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY - Service cannot fulfill the "
                                       "capacity requested for instance type [FARGATE_SPOT]")
                waiting_since = waiting_since or time.monotonic()
                for reason, seconds in self.options.job_state_time_limits:
                    if job["statusReason"].startswith(reason) and time.monotonic() - waiting_since >= seconds:
                        self.finish(job, "FAILED", reason)
                        return False
            time.sleep(0.02)

    def task_arn(self, job):
        cluster = f"AWSBatch-{job['computeEnvironment']}-{uuid.uuid5(uuid.NAMESPACE_DNS, job['computeEnvironment'])}"
        return f"arn:aws:ecs:{self.options.region}:{ACCOUNT}:task/{cluster}/{uuid.uuid4().hex}"

    def wait_for_dependencies(self, job_id):
        """PENDING until every dependency (an array child: its parent's) SUCCEEDED; False when one FAILED (the job
        then fails) or the job ended meanwhile."""
        while True:
            with self.lock:
                job = self.jobs[job_id]
                if job["status"] in TERMINAL:
                    return False
                dependencies = [self.refresh(self.jobs[d["jobId"]]) for d in job["dependsOn"]]
                if any(d["status"] == "FAILED" for d in dependencies):
                    self.finish(job, "FAILED", DEPENDENCY_FAILED)
                    return False
                if all(d["status"] == "SUCCEEDED" for d in dependencies):
                    return True
            time.sleep(0.02)

    def run_job(self, job_id):
        if not self.advance(job_id, "PENDING") or not self.wait_for_dependencies(job_id) or \
                not self.advance(job_id, "RUNNABLE"):
            return
        with self.lock:
            environment = {e["name"]: e["value"] for e in self.jobs[job_id]["container"]["environment"]}
        time.sleep(float(environment.get("FAKE_BATCH_RUNNABLE_SECONDS", self.options.runnable_seconds)))
        for attempt in range(1, self.options.attempts + 1):
            if not self.wait_for_capacity(job_id) or not self.advance(job_id, "STARTING"):
                return
            if not self.run_attempt(job_id, attempt):
                return
            with self.lock:
                job = self.jobs[job_id]
                if job["status"] in TERMINAL:
                    return
                job["status"] = "RUNNABLE"

    def run_attempt(self, job_id, attempt):
        """Runs one attempt; returns True when the job should be retried (a simulated Spot reclaim)."""
        with self.lock:
            job = self.jobs[job_id]
            environment = dict(os.environ)
            environment.update({e["name"]: e["value"] for e in job["container"]["environment"]})
            environment.update(self.options.env)
            environment.update({"AWS_BATCH_JOB_ID": job_id, "AWS_BATCH_JOB_ATTEMPT": str(attempt),
                                "AWS_BATCH_CE_NAME": "fake", "AWS_BATCH_JQ_NAME": job["jobQueue"]})
            if "index" in job.get("arrayProperties", {}):
                environment["AWS_BATCH_JOB_ARRAY_INDEX"] = str(job["arrayProperties"]["index"])
            log_stream = f"live2-simulation/default/{job_id.replace('-', '').replace(':', '-')}-{attempt}"
            workdir = tempfile.mkdtemp(prefix=f"fake-batch-{job_id[:8]}-")
            override = job["container"].get("command")
            command = [part.replace("{workdir}", workdir)
                       for part in (self.options.entrypoint + override if override else self.options.worker)]
            log_path = os.path.join(workdir, "container.log")
            job["status"] = "RUNNING"
            started = now_ms()
            job.setdefault("startedAt", started)
            job["container"]["logStreamName"] = log_stream
            task_arn = self.task_arn(job)
            job["container"]["taskArn"] = task_arn
            with open(log_path, "wb") as log:
                process = subprocess.Popen(command, env=environment, stdout=log, stderr=subprocess.STDOUT,
                                           cwd=workdir)
            self.processes[job_id] = process
        exit_code = process.wait()
        with self.lock:
            self.processes.pop(job_id, None)
            job = self.jobs[job_id]
            interrupted = self.interrupts.pop(job_id, None)
            reason = interrupted or job.get("terminateReason") or (
                "Essential container in task exited" if exit_code != 0 else "")
            job["attempts"].append({
                "container": {"exitCode": exit_code, "logStreamName": log_stream, "taskArn": task_arn,
                              "reason": "" if exit_code == 0 else f"exit code {exit_code}"},
                "startedAt": started, "stoppedAt": now_ms(), "statusReason": reason})
            job["container"]["exitCode"] = exit_code
            if interrupted and attempt < self.options.attempts and "terminateReason" not in job:
                job["statusReason"] = interrupted
                return True
            if exit_code == 0 and not interrupted:
                self.finish(job, "SUCCEEDED", "Essential container in task exited")
            else:
                self.finish(job, "FAILED", reason)
        return False


OPERATIONS = {
    "/v1/submitjob": "submit_job",
    "/v1/describejobs": "describe_jobs",
    "/v1/listjobs": "list_jobs",
    "/v1/canceljob": "cancel_job",
    "/v1/terminatejob": "terminate_job",
    "/fake/interrupt": "interrupt",
    "/fake/faults": "inject_faults",
    "/fake/capacity": "set_capacity",
}


def make_handler(batch):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def answer(self, status, body, error_type=None):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
            if error_type:
                self.send_header("x-amzn-ErrorType", error_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path == "/fake/stats":
                with batch.lock:
                    return self.answer(200, {"calls": dict(batch.calls), "jobs_per_name": batch.jobs_per_name()})
            self.answer(404, {"__type": "ResourceNotFoundException", "message": "no such path"},
                        "ResourceNotFoundException")

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b"{}"
            operation = OPERATIONS.get(self.path.split("?")[0])
            if operation is None:
                return self.answer(404, {"__type": "ResourceNotFoundException", "message": "unknown operation"},
                                   "ResourceNotFoundException")
            if not self.path.startswith("/fake/") and \
                    not (self.headers.get("Authorization") or "").startswith("AWS4-HMAC-SHA256 Credential="):
                return self.answer(403, {"__type": "UnrecognizedClientException",
                                         "message": "The security token included in the request is invalid."},
                                   "UnrecognizedClientException")
            batch.count(operation)
            fault = None if self.path.startswith("/fake/") else batch.next_fault()
            if fault == "throttle":
                return self.answer(429, {"__type": "TooManyRequestsException", "message": "Too Many Requests"},
                                   "TooManyRequestsException")
            if fault == "server_error":
                return self.answer(500, {"__type": "ServerException", "message": "injected"}, "ServerException")
            try:
                body = json.loads(raw or b"{}")
                result = getattr(batch, operation)(body)
                if fault == "drop":
                    self.close_connection = True
                    return self.connection.shutdown(socket.SHUT_RDWR)
                self.answer(200, result)
            except (ClientException, ValueError, KeyError, TypeError) as error:
                self.answer(400, {"__type": "ClientException", "message": str(error)}, "ClientException")

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port-file", required=True, help="written with the port once listening")
    parser.add_argument("--worker", default="live2-sim run --out {workdir}",
                        help="command run for each attempt; {workdir} is a fresh directory")
    parser.add_argument("--entrypoint", default="live2-sim",
                        help="the image's entrypoint: run with a job's containerOverrides.command instead of --worker")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE added to every job's environment")
    parser.add_argument("--region", default="eu-central-1")
    parser.add_argument("--step-seconds", type=float, default=0.2, help="time spent in each status before RUNNING")
    parser.add_argument("--runnable-seconds", type=float, default=0,
                        help="extra time in RUNNABLE (waiting for capacity)")
    parser.add_argument("--attempts", type=int, default=2, help="retry strategy attempts (Spot reclaims)")
    parser.add_argument("--compute-environments", default="live2-compute-env",
                        help="the queue's compute environments in order (the first is FARGATE_SPOT), comma-separated")
    parser.add_argument("--job-state-time-limit", action="append", default=[],
                        help="REASON=SECONDS: the queue cancels jobs RUNNABLE with that statusReason for that long")
    options = parser.parse_args()
    options.worker = shlex.split(options.worker)
    options.entrypoint = shlex.split(options.entrypoint)
    options.env = dict(item.split("=", 1) for item in options.env)
    options.compute_environments = options.compute_environments.split(",")
    options.job_state_time_limits = [(reason, float(seconds)) for reason, seconds in
                                     (item.rsplit("=", 1) for item in options.job_state_time_limit)]

    batch = FakeBatch(options)
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(batch))
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    temporary = options.port_file + ".tmp"
    with open(temporary, "w") as port_file:
        port_file.write(str(server.server_address[1]))
    os.replace(temporary, options.port_file)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    with batch.lock:
        running = list(batch.processes.values())
    for process in running:
        process.terminate()


if __name__ == "__main__":
    main()
