#!/usr/bin/env python3
"""Checks the deployment files that cannot be exercised here (no container engine on the development machines):
the runtime package list covers every shared library the binaries load directly, the Dockerfiles keep their shape
(multi-stage, non-root, live2-sim entrypoint), and the IAM policies are valid JSON granting exactly the actions of
docs/aws-contract.md, each on resources as narrow as the Service Authorization Reference allows.

usage: check_deploy_files.py REPO_ROOT BINARY...
"""
import json
import pathlib
import re
import subprocess
import sys

# Present in every debian:bookworm-slim image.
BASE_IMAGE_PACKAGES = {"libc6", "libgcc-s1", "libstdc++6", "zlib1g"}

ORCHESTRATOR_ACTIONS = {
    "batch:SubmitJob", "batch:DescribeJobs", "batch:ListJobs", "batch:CancelJob", "batch:TerminateJob",
    "batch:TagResource", "s3:ListBucket", "s3:GetObject", "logs:GetLogEvents",
}

# The read-only policy `live2 doctor` runs with (docs/aws-contract.md, "live2 doctor").
DOCTOR_ACTIONS = {
    "batch:DescribeJobQueues", "batch:DescribeComputeEnvironments", "batch:DescribeJobDefinitions",
    "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeRouteTables",
    "ecr:DescribeRepositories", "ecr:ListImages", "iam:SimulatePrincipalPolicy",
    "s3:GetBucketLocation", "s3:GetBucketPublicAccessBlock", "s3:GetEncryptionConfiguration",
    "s3:GetLifecycleConfiguration",
}

# The only actions a live2 policy may grant on "*": those without resource-level permissions.
ANY_RESOURCE_ACTIONS = {
    "batch:DescribeJobs", "batch:ListJobs", "batch:DescribeJobQueues", "batch:DescribeComputeEnvironments",
    "batch:DescribeJobDefinitions", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeRouteTables",
    "ecr:GetAuthorizationToken", "iam:SimulatePrincipalPolicy",
}

failures = []


def fail(message):
    failures.append(message)


def alternative_spelling(path):
    # /lib is a symlink to /usr/lib on bookworm; dpkg knows each file under the name its package used.
    if path.startswith("/usr/lib/"):
        return path.replace("/usr/lib/", "/lib/", 1)
    return path.replace("/lib/", "/usr/lib/", 1)


def packages_of(paths):
    """Maps each library path to its Debian package (one dpkg query for all of them: dpkg -S is slow)."""
    candidates = sorted({p for path in paths for p in (path, alternative_spelling(path))})
    output = subprocess.run(["dpkg", "-S", *candidates], capture_output=True, text=True).stdout
    owner = {}
    for line in output.splitlines():
        package, _, path = line.partition(": ")
        owner[path.strip()] = package.split(":")[0].strip()
    return {path: owner.get(path) or owner.get(alternative_spelling(path)) for path in paths}


def check_runtime_packages(root, binaries):
    listed = {line.strip() for line in (root / "deploy/runtime-packages.txt").read_text().splitlines()
              if line.strip() and not line.startswith("#")}
    needed_by = []
    for binary in binaries:
        needed = re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]",
                            subprocess.run(["readelf", "-d", binary], capture_output=True, text=True).stdout)
        resolved = dict(re.findall(r"^\s*(\S+) => (\S+)", subprocess.run(["ldd", binary], capture_output=True,
                                                                         text=True).stdout, re.M))
        for library in needed:
            if library not in resolved:
                fail(f"{binary}: cannot resolve {library}")
            else:
                needed_by.append((binary, library, resolved[library]))
    owners = packages_of([path for _, _, path in needed_by])
    for binary, library, path in needed_by:
        package = owners[path]
        if package is None:
            fail(f"{binary}: {library} ({path}) belongs to no Debian package")
        elif package not in listed and package not in BASE_IMAGE_PACKAGES:
            fail(f"{binary}: {library} comes from {package}, missing in deploy/runtime-packages.txt")


def check_dockerfile(path, entrypoint):
    text = path.read_text()
    if len(re.findall(r"^FROM debian:bookworm", text, re.M)) < 2:
        fail(f"{path.name}: expected a multi-stage build from debian:bookworm")
    users = re.findall(r"^USER (\S+)", text, re.M)
    if not users or users[-1].split(":")[0] in ("root", "0"):
        fail(f"{path.name}: the final stage must run as a non-root user")
    if not re.search(r'^ENTRYPOINT \[' + re.escape(entrypoint), text, re.M):
        fail(f"{path.name}: entrypoint must start with {entrypoint}")


def actions_of(policy):
    actions = set()
    for statement in policy["Statement"]:
        if statement.get("Effect") != "Allow":
            fail("policies should only allow")
        value = statement["Action"]
        actions.update([value] if isinstance(value, str) else value)
    return actions


def check_policies(root):
    iam = root / "deploy/iam"
    policies = {}
    for path in sorted(iam.glob("*.json")):
        try:
            policies[path.name] = json.loads(path.read_text())
        except json.JSONDecodeError as error:
            fail(f"{path.name}: not valid JSON: {error}")
    orchestrator = policies.get("orchestrator-policy.json")
    if orchestrator is None:
        fail("deploy/iam/orchestrator-policy.json is missing")
    elif actions_of(orchestrator) != ORCHESTRATOR_ACTIONS:
        fail("orchestrator policy actions differ from docs/aws-contract.md: "
             f"{sorted(actions_of(orchestrator) ^ ORCHESTRATOR_ACTIONS)}")
    doctor = policies.get("doctor-policy.json")
    if doctor is None:
        fail("deploy/iam/doctor-policy.json is missing")
    elif actions_of(doctor) != DOCTOR_ACTIONS:
        fail(f"doctor policy actions differ from docs/aws-contract.md: {sorted(actions_of(doctor) ^ DOCTOR_ACTIONS)}")
    for name, policy in policies.items():
        if name.endswith("-trust.json"):
            continue
        for statement in policy["Statement"]:
            resources = statement.get("Resource", [])
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            if "*" in (resources if isinstance(resources, list) else [resources]):
                for action in set(actions) - ANY_RESOURCE_ACTIONS:
                    fail(f"{name}: {action} is granted on every resource; scope it")
    job_role = policies.get("job-role-policy.json")
    if job_role is not None and any(not action.startswith("s3:") for action in actions_of(job_role)):
        fail("the job role may only use its bucket")
    for trust in ("job-role-trust.json", "execution-role-trust.json"):
        principal = policies.get(trust, {}).get("Statement", [{}])[0].get("Principal", {}).get("Service")
        if principal != "ecs-tasks.amazonaws.com":
            fail(f"{trust}: must trust ecs-tasks.amazonaws.com")


def main():
    root = pathlib.Path(sys.argv[1])
    check_runtime_packages(root, sys.argv[2:])
    check_dockerfile(root / "deploy/worker.Dockerfile", '"/usr/local/bin/live2-sim"')
    check_dockerfile(root / "deploy/server.Dockerfile", '"/usr/local/bin/live2"')
    check_policies(root)
    for message in failures:
        print("FAIL:", message)
    if not failures:
        print("deployment files are consistent")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
