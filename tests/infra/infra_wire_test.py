#!/usr/bin/env python3
"""`live2 infra` and `live2 doctor` end to end against tests/fakes/fake_aws_account.py on loopback.

Debian's `aws` CLI drives the same fake (to check the fake speaks the real protocols, and to make drift the way an
operator would), then live2 plans, applies, reviews and destroys the deployment over the wire.

usage: infra_wire_test.py LIVE2_BINARY FAKE_SERVER_SCRIPT
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

LIVE2, FAKE = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
AWS_CLI = "/usr/bin/aws"  # Debian's awscli (a pyenv shim may shadow `aws` on PATH)
SUBNETS, GROUPS = "subnet-0a1,subnet-0b2", "sg-0c3"


class FakeAccountTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
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

    @classmethod
    def tearDownClass(cls):
        cls.server.terminate()
        cls.server.wait(timeout=10)
        cls.workdir.cleanup()

    def live2(self, *args):
        return subprocess.run([LIVE2, *args], env=self.env, cwd=self.workdir.name, capture_output=True, text=True,
                              timeout=120)

    def aws(self, *args):
        result = subprocess.run([AWS_CLI, "--endpoint-url", self.endpoint, "--output", "json", *args], env=self.env,
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout) if result.stdout.strip() else {}

    def doctor(self):
        result = self.live2("doctor", "--format", "json")
        report = json.loads(result.stdout)
        self.assertEqual(result.returncode, 0 if report["ok"] else 1)
        return report, {check["id"]: check for check in report["checks"]}

    def test_lifecycle(self):
        # A clean account: plan lists every resource and exits 2 without changing anything.
        plan = self.live2("infra", "plan")
        self.assertEqual(plan.returncode, 2, plan.stderr)
        self.assertIn("8 changes to apply", plan.stdout)
        self.assertEqual(self.aws("batch", "describe-job-queues")["jobQueues"], [])

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
        request = urllib.request.Request(self.endpoint + "/_fake/deny", method="POST", data=json.dumps(
            {"principal": "arn:aws:iam::123456789012:user/live2-server", "actions": ["batch:TerminateJob"]}).encode())
        urllib.request.urlopen(request).read()
        drift = self.live2("infra", "plan")
        self.assertEqual(drift.returncode, 2)
        self.assertIn("state DISABLED -> ENABLED", drift.stdout)
        self.assertIn("minvCpus 8 -> 0", drift.stdout)
        self.assertIn("platform EC2 -> FARGATE", drift.stdout)
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
        self.assertEqual(self.live2("infra", "plan").returncode, 2)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
