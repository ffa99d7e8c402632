#!/usr/bin/env python3
"""`live2 infra` and `live2 doctor` end to end against tests/fakes/fake_aws_account.py on loopback.

Debian's `aws` CLI drives the same fake (to check the fake speaks the real protocols, and to make drift the way an
operator would), then live2 plans, applies, reviews and destroys the deployment over the wire. `live2 infra` runs as
the account's administrator; `live2 doctor` runs as the server's identity (user live2-server), which the fake
authorizes against the policies attached to it, as IAM does.

usage: infra_wire_test.py LIVE2_BINARY FAKE_SERVER_SCRIPT
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse
import urllib.request

LIVE2, FAKE = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
AWS_CLI = "/usr/bin/aws"  # Debian's awscli (a pyenv shim may shadow `aws` on PATH)
SUBNETS, GROUPS = "subnet-0a1,subnet-0b2", "sg-0c3"
ADMIN_KEY = "AKIDADMINFAKE"  # the fake's administrator; any other key is the server's identity, user live2-server
SERVER_USER = "live2-server"
POLICY_ARN = "arn:aws:iam::123456789012:policy/Live2{}Policy"


class FakeAccountTest(unittest.TestCase):
    def setUp(self):
        cls = self
        cls.workdir = tempfile.TemporaryDirectory()
        port_file = os.path.join(cls.workdir.name, "port")
        cls.server = subprocess.Popen(["/usr/bin/python3", FAKE, "--port-file", port_file])
        deadline = time.time() + 10
        while not os.path.exists(port_file):
            if time.time() > deadline:
                raise RuntimeError("the fake AWS account did not start")
            time.sleep(0.05)
        with open(port_file) as port:
            cls.endpoint = "http://127.0.0.1:" + port.read()
        cls.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": cls.workdir.name,
            "AWS_ACCESS_KEY_ID": "AKIDFAKE",
            "AWS_SECRET_ACCESS_KEY": "secret",
            "AWS_REGION": "eu-central-1",
            "AWS_DEFAULT_REGION": "eu-central-1",
            "AWS_ENDPOINT_URL": cls.endpoint,
            "AWS_BATCH_JOB_QUEUE": "live2-job-queue",
            "AWS_BATCH_JOB_DEFINITION": "live2-simulation",
            "AWS_S3_BUCKET": "live2-artifacts",
            "LIVE2_EXECUTOR": "aws_batch",
            "LIVE2_INFRA_SUBNETS": SUBNETS,
            "LIVE2_INFRA_SECURITY_GROUPS": GROUPS,
        }

    def tearDown(self):
        self.server.terminate()
        self.server.wait(timeout=10)
        self.workdir.cleanup()

    def live2(self, *args):
        """live2 as the server's identity (doctor, as docs/deploy.md runs it), or as the administrator (infra)."""
        env = dict(self.env, AWS_ACCESS_KEY_ID=ADMIN_KEY) if args[0] == "infra" else self.env
        return subprocess.run([LIVE2, *args], env=env, cwd=self.workdir.name, capture_output=True, text=True,
                              timeout=120)

    def aws(self, *args, expect_error=None):
        """The aws CLI's JSON answer; with expect_error, the call must fail with that error code."""
        result = subprocess.run([AWS_CLI, "--endpoint-url", self.endpoint, "--output", "json", *args],
                                env=dict(self.env, AWS_ACCESS_KEY_ID=ADMIN_KEY), capture_output=True, text=True,
                                timeout=60)
        if expect_error:
            self.assertNotEqual(result.returncode, 0, result.stdout)
            self.assertIn(f"({expect_error})", result.stderr)
            return result.stderr
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout) if result.stdout.strip() else {}

    def call(self, service, body, headers=None, path="/"):
        """One request to the fake as the administrator, without the aws CLI (seconds per call under load)."""
        scope = f"Credential={ADMIN_KEY}/20260101/eu-central-1/{service}/aws4_request"
        request = urllib.request.Request(self.endpoint + path, data=body.encode(), method="POST", headers={
            "Authorization": f"AWS4-HMAC-SHA256 {scope}, SignedHeaders=host, Signature=0", **(headers or {})})
        with urllib.request.urlopen(request) as answer:
            return answer.read().decode()

    def iam(self, action, **parameters):
        return self.call("iam", urllib.parse.urlencode({"Action": action, "Version": "2010-05-08", **parameters}))

    def batch(self, operation, body):
        return json.loads(self.call("batch", json.dumps(body), {"Content-Type": "application/json"},
                                    "/v1/" + operation.lower()))

    def attach_server_policies(self, *kinds):
        for kind in kinds:
            self.iam("AttachUserPolicy", UserName=SERVER_USER, PolicyArn=POLICY_ARN.format(kind))

    def apply_and_push(self):
        applied = self.live2("infra", "apply")
        self.assertEqual(applied.returncode, 0, applied.stderr)
        self.call("ecr", json.dumps({"repositoryName": "live2-simulation", "imageTag": "latest",
                                     "imageManifest": '{"schemaVersion": 2}'}),
                  {"X-Amz-Target": "AmazonEC2ContainerRegistry_V20150921.PutImage"})

    def test_doctor_runs_as_the_server_identity_with_the_generated_policies(self):
        self.apply_and_push()
        # The server's identity with only its run policy: doctor cannot read, and names each action to grant.
        self.attach_server_policies("Orchestrator")
        report, checks = self.doctor()
        self.assertFalse(report["ok"])
        for check_id, action in (("job_queue.exists", "batch:DescribeJobQueues"),
                                 ("job_definition.active", "batch:DescribeJobDefinitions"),
                                 ("bucket.exists", "s3:GetBucketLocation"),
                                 ("permissions.orchestrator", "iam:SimulatePrincipalPolicy")):
            self.assertEqual(checks[check_id]["status"], "fail", check_id)
            self.assertIn("grant " + action, checks[check_id]["fix"], check_id)
            self.assertIn("Live2DoctorPolicy", checks[check_id]["fix"], check_id)
        # With the doctor policy `infra apply` generated, everything is read and everything passes; the permission
        # checks pass only because the simulation is asked about the grants' own ARNs and tag conditions.
        self.attach_server_policies("Doctor")
        report, checks = self.doctor()
        self.assertTrue(report["ok"], [c for c in report["checks"] if c["status"] != "pass"])
        self.assertIn("batch:CancelJob", checks["permissions.orchestrator"]["observed"])
        self.assertIn("s3:PutObject", checks["permissions.job_role"]["observed"])

    def test_deleted_subnet_is_reported_missing(self):
        # EC2 answers in its own error shape (<Response><Errors><Error>); doctor must read InvalidSubnetID.NotFound.
        self.env["LIVE2_INFRA_SUBNETS"] = "subnet-0a1,subnet-0gone"
        self.apply_and_push()
        report, checks = self.doctor()
        network = checks["compute_environment.network"]
        self.assertEqual(network["status"], "fail")
        self.assertIn("missing: subnet-0gone", network["observed"])
        self.assertIn("--subnets", network["fix"])

    def test_least_privilege_policies_as_iam_evaluates_them(self):
        self.apply_and_push()

        def simulate(principal, action, resource, job_tag=None):
            parameters = {"PolicySourceArn": principal, "ActionNames.member.1": action,
                          "ResourceArns.member.1": resource}
            if job_tag:
                parameters.update({"ContextEntries.member.1.ContextKeyName": "aws:ResourceTag/live2:job-id",
                                   "ContextEntries.member.1.ContextKeyValues.member.1": job_tag,
                                   "ContextEntries.member.1.ContextKeyType": "string"})
            answer = self.iam("SimulatePrincipalPolicy", **parameters)
            return answer.split("<EvalDecision>")[1].split("</EvalDecision>")[0]

        self.attach_server_policies("Orchestrator")
        server = "arn:aws:iam::123456789012:user/" + SERVER_USER
        job = "arn:aws:batch:eu-central-1:123456789012:job/0f1e2d3c"
        for action in ("batch:CancelJob", "batch:TerminateJob"):
            self.assertEqual(simulate(server, action, job, "job_1"), "allowed", action)
            self.assertEqual(simulate(server, action, job), "implicitDeny", action + " on a job live2 did not tag")
        self.assertEqual(simulate(server, "s3:GetObject", "arn:aws:s3:::live2-artifacts/prod/u/j/results.h5"),
                         "allowed")
        self.assertEqual(simulate(server, "s3:GetObject", "arn:aws:s3:::live2-artifacts/other/x"), "implicitDeny")
        job_role = "arn:aws:iam::123456789012:role/Live2JobRole"
        self.assertEqual(simulate(job_role, "s3:PutObject", "arn:aws:s3:::live2-artifacts/prod/u/j/a.json"), "allowed")
        self.assertEqual(simulate(job_role, "s3:PutObject", "arn:aws:s3:::live2-artifacts/staging/u/j/a.json"),
                         "implicitDeny")
        execution_role = "arn:aws:iam::123456789012:role/Live2ExecutionRole"
        self.assertEqual(simulate(execution_role, "ecr:GetAuthorizationToken", "*"), "allowed")
        self.assertEqual(simulate(execution_role, "ecr:BatchGetImage",
                                  "arn:aws:ecr:eu-central-1:123456789012:repository/live2-simulation"), "allowed")
        self.assertEqual(simulate(execution_role, "ecr:BatchGetImage",
                                  "arn:aws:ecr:eu-central-1:123456789012:repository/someone-else"), "implicitDeny")

    def test_destroy_detaches_every_attachment_and_reports_what_stays(self):
        self.apply_and_push()
        # What an operator does after apply: the server user gets its policies, a group and a role share them,
        # the policy gains versions and the job definition revisions.
        self.attach_server_policies("Orchestrator", "Doctor")
        self.iam("CreateGroup", GroupName="live2-operators")
        self.iam("AttachGroupPolicy", GroupName="live2-operators", PolicyArn=POLICY_ARN.format("Orchestrator"))
        self.iam("AttachRolePolicy", RoleName="Live2JobRole", PolicyArn=POLICY_ARN.format("Doctor"))
        self.iam("CreatePolicyVersion", PolicyArn=POLICY_ARN.format("Orchestrator"),
                 PolicyDocument='{"Version": "2012-10-17", "Statement": []}')
        definition = self.batch("DescribeJobDefinitions", {"jobDefinitionName": "live2-simulation"})[
            "jobDefinitions"][0]
        for _ in range(2):
            self.batch("RegisterJobDefinition", {"jobDefinitionName": "live2-simulation", "type": "container",
                                                 "containerProperties": definition["containerProperties"]})
        # A queue that is not live2's keeps the compute environment in use: destroy says so and removes the rest.
        environment_arn = self.batch("DescribeComputeEnvironments", {})["computeEnvironments"][0][
            "computeEnvironmentArn"]
        self.batch("CreateJobQueue", {"jobQueueName": "someone-elses-queue", "priority": 1,
                                      "computeEnvironmentOrder": [{"order": 1, "computeEnvironment": environment_arn}]})

        destroyed = self.live2("infra", "destroy", "--yes")
        self.assertEqual(destroyed.returncode, 1, destroyed.stdout + destroyed.stderr)
        self.assertIn("could not remove", destroyed.stderr)
        self.assertIn("live2-compute-env", destroyed.stderr)
        self.assertIn("JobQueue relationship", destroyed.stderr)
        active = [d for d in self.batch("DescribeJobDefinitions", {"jobDefinitionName": "live2-simulation"})[
            "jobDefinitions"] if d["status"] == "ACTIVE"]
        self.assertEqual(active, [])
        self.assertNotIn("<member>", self.iam("ListPolicies", Scope="Local"))
        self.assertEqual(len(self.batch("DescribeComputeEnvironments", {})["computeEnvironments"]), 1)

        # Once the other queue is gone, destroy finishes.
        self.batch("UpdateJobQueue", {"jobQueue": "someone-elses-queue", "state": "DISABLED"})
        self.batch("DeleteJobQueue", {"jobQueue": "someone-elses-queue"})
        again = self.live2("infra", "destroy", "--yes")
        self.assertEqual(again.returncode, 0, again.stdout + again.stderr)
        self.assertEqual(self.batch("DescribeComputeEnvironments", {})["computeEnvironments"], [])

    def doctor(self):
        result = self.live2("doctor", "--format", "json")
        report = json.loads(result.stdout)
        self.assertEqual(result.returncode, 0 if report["ok"] else 1)
        return report, {check["id"]: check for check in report["checks"]}

    def test_lifecycle(self):
        # A clean account: plan lists every resource and exits 2 without changing anything.
        plan = self.live2("infra", "plan")
        self.assertEqual(plan.returncode, 2, plan.stderr)
        self.assertIn("10 changes to apply", plan.stdout)
        self.assertEqual(self.aws("batch", "describe-job-queues")["jobQueues"], [])
        # A log retention CloudWatch does not allow is refused before any AWS call, naming the setting.
        refused = self.live2("infra", "plan", "--log-retention-days", "45")
        self.assertEqual(refused.returncode, 1)
        self.assertIn("LIVE2_INFRA_LOG_RETENTION_DAYS: 45 is not a retention CloudWatch Logs allows", refused.stderr)

        # The classic failure, explained.
        report, checks = self.doctor()
        self.assertFalse(report["ok"])
        self.assertIn("another account or region", checks["job_queue.exists"]["fix"])

        applied = self.live2("infra", "apply")
        self.assertEqual(applied.returncode, 0, applied.stderr)
        again = self.live2("infra", "plan")
        self.assertEqual(again.returncode, 0, again.stdout + again.stderr)
        self.assertIn("No changes", again.stdout)

        # What live2 built, read back by the aws CLI.
        queue = self.aws("batch", "describe-job-queues", "--job-queues", "live2-job-queue")["jobQueues"][0]
        self.assertEqual(queue["state"], "ENABLED")
        environment = self.aws("batch", "describe-compute-environments")["computeEnvironments"][0]
        self.assertEqual(environment["computeResources"]["type"], "FARGATE_SPOT")
        self.assertEqual(environment["computeResources"]["minvCpus"], 0)
        self.assertIn("AWSServiceRoleForBatch", environment["serviceRole"])
        definition = self.aws("batch", "describe-job-definitions", "--job-definition-name",
                              "live2-simulation")["jobDefinitions"][0]
        self.assertEqual(definition["platformCapabilities"], ["FARGATE"])
        self.assertEqual(definition["retryStrategy"]["evaluateOnExit"][-1], {"onReason": "*", "action": "EXIT"})
        role = self.aws("iam", "get-role", "--role-name", "Live2JobRole")["Role"]
        self.assertEqual(role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"],
                         "ecs-tasks.amazonaws.com")
        self.assertEqual(self.aws("s3api", "get-bucket-location", "--bucket", "live2-artifacts")["LocationConstraint"],
                         "eu-central-1")
        self.assertTrue(self.aws("s3api", "get-public-access-block", "--bucket", "live2-artifacts")
                        ["PublicAccessBlockConfiguration"]["BlockPublicPolicy"])
        lifecycle = self.aws("s3api", "get-bucket-lifecycle-configuration", "--bucket", "live2-artifacts")
        self.assertEqual(lifecycle["Rules"][0]["Expiration"]["Days"], 90)
        group = self.aws("logs", "describe-log-groups", "--log-group-name-prefix", "/aws/batch/job")["logGroups"]
        self.assertEqual([(g["logGroupName"], g["retentionInDays"]) for g in group], [("/aws/batch/job", 90)])
        self.assertEqual(self.aws("sts", "get-caller-identity")["Account"], "123456789012")
        self.assertEqual(self.aws("ec2", "describe-subnets", "--subnet-ids", "subnet-0a1")["Subnets"][0]["VpcId"],
                         "vpc-01")
        self.assertEqual(len(self.aws("ec2", "describe-security-groups", "--group-ids", "sg-0c3")["SecurityGroups"]), 1)
        routes = self.aws("ec2", "describe-route-tables", "--filters", "Name=association.main,Values=true",
                          "Name=vpc-id,Values=vpc-01")["RouteTables"]
        self.assertTrue(routes[0]["Routes"][0]["GatewayId"].startswith("igw-"))
        self.assertEqual(self.aws("ecr", "describe-repositories")["repositories"][0]["repositoryName"],
                         "live2-simulation")
        policy_arn = "arn:aws:iam::123456789012:policy/Live2OrchestratorPolicy"
        version = self.aws("iam", "get-policy", "--policy-arn", policy_arn)["Policy"]["DefaultVersionId"]
        document = self.aws("iam", "get-policy-version", "--policy-arn", policy_arn, "--version-id",
                            version)["PolicyVersion"]["Document"]
        self.assertIn("batch:TerminateJob", json.dumps(document))

        # Until the image is pushed, doctor says so; after, the deployment is ready.
        self.attach_server_policies("Orchestrator", "Doctor")
        report, checks = self.doctor()
        self.assertEqual(checks["image.tag"]["status"], "fail")
        self.aws("ecr", "put-image", "--repository-name", "live2-simulation", "--image-tag", "latest",
                 "--image-manifest", '{"schemaVersion": 2}')
        report, checks = self.doctor()
        self.assertTrue(report["ok"], [c for c in report["checks"] if c["status"] != "pass"])

        # Drift made with the aws CLI is planned, reviewed and repaired.
        self.aws("batch", "update-job-queue", "--job-queue", "live2-job-queue", "--state", "DISABLED")
        self.aws("batch", "update-compute-environment", "--compute-environment", "live2-compute-env",
                 "--compute-resources", "minvCpus=8")
        self.aws("batch", "register-job-definition", "--job-definition-name", "live2-simulation", "--type",
                 "container", "--platform-capabilities", "EC2", "--container-properties",
                 json.dumps({"image": definition["containerProperties"]["image"], "vcpus": 8, "memory": 16384}))
        self.aws("logs", "put-retention-policy", "--log-group-name", "/aws/batch/job", "--retention-in-days", "45",
                 expect_error="InvalidParameterException")
        self.aws("logs", "put-retention-policy", "--log-group-name", "/aws/batch/job", "--retention-in-days", "30")
        request = urllib.request.Request(self.endpoint + "/_fake/deny", method="POST", data=json.dumps(
            {"principal": "arn:aws:iam::123456789012:user/live2-server", "actions": ["batch:TerminateJob"]}).encode())
        urllib.request.urlopen(request).read()
        drift = self.live2("infra", "plan")
        self.assertEqual(drift.returncode, 2)
        self.assertIn("state DISABLED -> ENABLED", drift.stdout)
        self.assertIn("minvCpus 8 -> 0", drift.stdout)
        self.assertIn("platform EC2 -> FARGATE", drift.stdout)
        self.assertIn("~ update log group /aws/batch/job\n    keep events 30 days -> 90 days", drift.stdout)
        report, checks = self.doctor()
        for failed in ("job_queue.state", "compute_environment.scale_to_zero", "job_definition.platform",
                       "permissions.orchestrator"):
            self.assertEqual(checks[failed]["status"], "fail", failed)
        markdown = self.live2("doctor", "--format", "md").stdout
        self.assertIn("**Verdict: not ready.**", markdown)
        self.assertEqual(self.live2("infra", "apply").returncode, 0)
        self.assertIn("No changes", self.live2("infra", "plan").stdout)

        # destroy asks first, then removes everything.
        self.assertEqual(self.live2("infra", "destroy").returncode, 2)
        destroyed = self.live2("infra", "destroy", "--yes")
        self.assertEqual(destroyed.returncode, 0, destroyed.stderr)
        self.assertEqual(self.aws("batch", "describe-job-queues")["jobQueues"], [])
        # The log group stays (other Batch jobs of the account write there), with its retention.
        self.assertEqual(self.aws("logs", "describe-log-groups")["logGroups"][0]["retentionInDays"], 90)
        self.assertEqual(self.live2("infra", "plan").returncode, 2)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
