#!/usr/bin/env python3
"""A fake AWS account for `live2 infra` and `live2 doctor` tests, on loopback, Python standard library only.

It speaks the wire protocols of the calls live2 makes to provision and review a deployment: STS and IAM (query
protocol, XML answers), EC2 (query, EC2's XML), ECR (JSON 1.1), AWS Batch control plane (REST-JSON), S3 bucket
configuration (REST-XML, path-style) and CloudWatch Logs log groups with their retention (JSON 1.1; a retention
CloudWatch does not allow is refused with InvalidParameterException, as the service does). Requests are routed by the service name in the SigV4 credential scope of the
Authorization header, so one port serves every service (point AWS_ENDPOINT_URL at it). Signatures are not verified.
Its tests drive it with Debian's `aws` CLI (botocore parses every answer), so it cannot drift from the protocols.

IAM behaves as the IAM documentation says where live2 depends on it: managed policies are attached to users, groups
and roles; DeletePolicy answers DeleteConflict while the policy is attached anywhere or has non-default versions;
SimulatePrincipalPolicy evaluates the principal's own policies (inline and attached, default versions) against the
ResourceArns and ContextEntries it is given (a resource it is not given is "*", which only a "*" grant matches).
Authorization: requests signed with an access key id starting AKIDADMIN are the account's administrator (tests drive
the aws CLI with one); any other key is the user live2-server, an administrator too while no policy is attached to
it; once one is,
every call it makes is authorized against its policies like real IAM does (action, and resource for S3 buckets and
ECR repositories) and refused with the service's own access-denied error.

Test-only control: POST /_fake/deny {"principal": ARN, "actions": [...]} makes SimulatePrincipalPolicy deny them.

usage: fake_aws_account.py --port-file FILE   (binds 127.0.0.1 on a free port and writes the port to FILE)
"""
import argparse
import datetime
import fnmatch
import json
import os
import re
import threading
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.etree import ElementTree

ACCOUNT = "123456789012"
CALLER_NAME = "live2-server"
CALLER = f"arn:aws:iam::{ACCOUNT}:user/{CALLER_NAME}"
ADMIN = f"arn:aws:iam::{ACCOUNT}:user/admin"
SUBNETS = {"subnet-0a1": "vpc-01", "subnet-0b2": "vpc-01"}
SECURITY_GROUPS = {"sg-0c3"}
S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/"
# PutRetentionPolicy's allowed retentionInDays (the API reference's `Days`).
LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
                      3288, 3653)


class AwsError(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def escape(text):
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def members(values):
    return "".join(f"<member>{escape(v)}</member>" for v in values)


def listed(params, name):
    """The values of a query-protocol list parameter (Name.member.1, Name.member.2, ...)."""
    values = []
    while f"{name}.member.{len(values) + 1}" in params:
        values.append(params[f"{name}.member.{len(values) + 1}"])
    return values


def as_list(value):
    return value if isinstance(value, list) else [value]


def condition_holds(operator, key, expected, context):
    """The condition operators live2's policies use, evaluated as IAM documents them."""
    present = context.get(key)
    if operator == "Null":
        return (present is None) == (str(expected).lower() == "true")
    if present is None:
        return operator.startswith("ForAllValues:")  # ForAllValues over no values is true
    if operator in ("StringEquals", "StringLike"):
        return any(fnmatch.fnmatchcase(v, e) if operator == "StringLike" else v == e
                   for v in present for e in as_list(expected))
    if operator == "ForAllValues:StringEquals":
        return all(v in as_list(expected) for v in present)
    return False  # an operator this fake does not know never grants


def allows(documents, action, resource, context, any_resource=False):
    """True when an Allow statement of `documents` grants `action` on `resource` under `context`."""
    for document in documents:
        for statement in as_list(document.get("Statement", [])):
            if statement.get("Effect") != "Allow":
                continue
            if not any(fnmatch.fnmatchcase(action.lower(), a.lower()) for a in as_list(statement.get("Action", []))):
                continue
            if not any_resource and not any(fnmatch.fnmatchcase(resource, r)
                                            for r in as_list(statement.get("Resource", []))):
                continue
            if all(condition_holds(operator, key, expected, context)
                   for operator, keys in statement.get("Condition", {}).items() for key, expected in keys.items()):
                return True
    return False


class Account:
    """The state of the account and one method per operation."""

    def __init__(self):
        self.lock = threading.Lock()
        self.roles = {}          # name -> {arn, trust, policies{name: doc}, created}
        self.policies = {}       # arn -> {name, versions[{id, document, default}], next}
        self.buckets = {}        # name -> {region, block, encryption, lifecycle}
        self.repositories = {}   # name -> {uri, tags set}
        self.compute_environments = {}  # name -> dict (Batch shape)
        self.job_queues = {}     # name -> dict (Batch shape)
        self.job_definitions = []  # Batch shape, every revision
        self.denied = {}         # principal -> set(actions)
        self.users = {CALLER_NAME: {"attached": set()}}  # name -> {attached policy ARNs}
        self.groups = {}         # name -> {attached policy ARNs}
        self.log_groups = {}     # name -> {created (ms), retention (days or None: forever)}

    # --- STS and IAM (query protocol) ---------------------------------------------------------------------
    def sts(self, action, params, access_key):
        if action != "GetCallerIdentity":
            raise AwsError(400, "InvalidAction", f"{action} is not supported by this fake")
        caller = ADMIN if access_key.startswith("AKIDADMIN") else CALLER
        return f"<UserId>AIDAFAKE</UserId><Account>{ACCOUNT}</Account><Arn>{caller}</Arn>"

    def role_xml(self, name, role):
        return (f"<Path>/</Path><RoleName>{name}</RoleName><RoleId>AROA{abs(hash(name)) % 10**12}</RoleId>"
                f"<Arn>{role['arn']}</Arn><CreateDate>{role['created']}</CreateDate>"
                f"<AssumeRolePolicyDocument>{urllib.parse.quote(role['trust'])}</AssumeRolePolicyDocument>")

    def role(self, name):
        if name not in self.roles:
            raise AwsError(404, "NoSuchEntity", f"The role with name {name} cannot be found.")
        return self.roles[name]

    def policy(self, arn):
        if arn not in self.policies:
            raise AwsError(404, "NoSuchEntity", f"Policy {arn} was not found.")
        return self.policies[arn]

    def iam(self, action, p):
        if action == "GetRole":
            return f"<Role>{self.role_xml(p['RoleName'], self.role(p['RoleName']))}</Role>"
        if action == "CreateRole":
            name = p["RoleName"]
            if name in self.roles:
                raise AwsError(409, "EntityAlreadyExists", f"Role with name {name} already exists.")
            self.roles[name] = {"arn": f"arn:aws:iam::{ACCOUNT}:role/{name}", "trust": p["AssumeRolePolicyDocument"],
                                "policies": {}, "attached": set(), "created": now_iso()}
            return f"<Role>{self.role_xml(name, self.roles[name])}</Role>"
        if action == "CreateServiceLinkedRole":
            if p.get("AWSServiceName") != "batch.amazonaws.com":
                raise AwsError(400, "InvalidInput", "only batch.amazonaws.com is supported by this fake")
            name = "AWSServiceRoleForBatch"
            if name in self.roles:
                raise AwsError(400, "InvalidInput", "Service role name AWSServiceRoleForBatch has been taken")
            self.roles[name] = {"arn": f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/batch.amazonaws.com/{name}",
                                "trust": '{"Statement":[{"Principal":{"Service":"batch.amazonaws.com"}}]}',
                                "policies": {}, "attached": set(), "created": now_iso()}
            return f"<Role>{self.role_xml(name, self.roles[name])}</Role>"
        if action == "ListRolePolicies":
            names = sorted(self.role(p["RoleName"])["policies"])
            return f"<PolicyNames>{members(names)}</PolicyNames><IsTruncated>false</IsTruncated>"
        if action == "GetRolePolicy":
            document = self.role(p["RoleName"])["policies"].get(p["PolicyName"])
            if document is None:
                raise AwsError(404, "NoSuchEntity", f"The role policy with name {p['PolicyName']} cannot be found.")
            return (f"<RoleName>{p['RoleName']}</RoleName><PolicyName>{p['PolicyName']}</PolicyName>"
                    f"<PolicyDocument>{urllib.parse.quote(document)}</PolicyDocument>")
        if action == "PutRolePolicy":
            json.loads(p["PolicyDocument"])
            self.role(p["RoleName"])["policies"][p["PolicyName"]] = p["PolicyDocument"]
            return ""
        if action == "DeleteRolePolicy":
            self.role(p["RoleName"])["policies"].pop(p["PolicyName"], None)
            return ""
        if action == "DeleteRole":
            if self.role(p["RoleName"])["policies"]:
                raise AwsError(409, "DeleteConflict", "Cannot delete entity, must delete policies first.")
            if self.role(p["RoleName"])["attached"]:
                raise AwsError(409, "DeleteConflict", "Cannot delete entity, must detach all policies first.")
            del self.roles[p["RoleName"]]
            return ""
        if action == "CreatePolicy":
            arn = f"arn:aws:iam::{ACCOUNT}:policy/{p['PolicyName']}"
            if arn in self.policies:
                raise AwsError(409, "EntityAlreadyExists", f"A policy called {p['PolicyName']} already exists.")
            self.policies[arn] = {"name": p["PolicyName"], "next": 2,
                                  "versions": [{"id": "v1", "document": p["PolicyDocument"], "default": True}]}
            return self.policy_xml(arn)
        if action == "GetPolicy":
            return self.policy_xml(p["PolicyArn"])
        if action == "GetPolicyVersion":
            for version in self.policy(p["PolicyArn"])["versions"]:
                if version["id"] == p["VersionId"]:
                    return (f"<PolicyVersion><Document>{urllib.parse.quote(version['document'])}</Document>"
                            f"<VersionId>{version['id']}</VersionId>"
                            f"<IsDefaultVersion>{str(version['default']).lower()}</IsDefaultVersion>"
                            f"<CreateDate>{now_iso()}</CreateDate></PolicyVersion>")
            raise AwsError(404, "NoSuchEntity", "no such version")
        if action == "ListPolicyVersions":
            versions = "".join(f"<member><VersionId>{v['id']}</VersionId><IsDefaultVersion>"
                               f"{str(v['default']).lower()}</IsDefaultVersion><CreateDate>{now_iso()}</CreateDate>"
                               f"</member>" for v in self.policy(p["PolicyArn"])["versions"])
            return f"<Versions>{versions}</Versions><IsTruncated>false</IsTruncated>"
        if action == "CreatePolicyVersion":
            policy = self.policy(p["PolicyArn"])
            if len(policy["versions"]) >= 5:
                raise AwsError(409, "LimitExceeded", "A managed policy can have up to 5 versions.")
            default = p.get("SetAsDefault") == "true"
            if default:
                for version in policy["versions"]:
                    version["default"] = False
            version_id = f"v{policy['next']}"
            policy["next"] += 1
            policy["versions"].append({"id": version_id, "document": p["PolicyDocument"], "default": default})
            return (f"<PolicyVersion><VersionId>{version_id}</VersionId><IsDefaultVersion>{str(default).lower()}"
                    f"</IsDefaultVersion><CreateDate>{now_iso()}</CreateDate></PolicyVersion>")
        if action == "DeletePolicyVersion":
            policy = self.policy(p["PolicyArn"])
            policy["versions"] = [v for v in policy["versions"] if v["id"] != p["VersionId"] or v["default"]]
            return ""
        kinds = {"User": self.users, "Group": self.groups, "Role": None}
        for verb, kind in ((v, k) for v in ("Attach", "Detach") for k in kinds):
            if action == f"{verb}{kind}Policy":
                self.policy(p["PolicyArn"])
                entity = self.role(p["RoleName"]) if kind == "Role" else kinds[kind].get(p[f"{kind}Name"])
                if entity is None:
                    raise AwsError(404, "NoSuchEntity", f"The {kind.lower()} {p[f'{kind}Name']} cannot be found.")
                if verb == "Attach":
                    entity["attached"].add(p["PolicyArn"])
                elif p["PolicyArn"] not in entity["attached"]:
                    raise AwsError(404, "NoSuchEntity", f"Policy {p['PolicyArn']} was not found.")
                else:
                    entity["attached"].discard(p["PolicyArn"])
                return ""
        if action == "CreateGroup":
            self.groups.setdefault(p["GroupName"], {"attached": set()})
            return f"<Group><GroupName>{p['GroupName']}</GroupName></Group>"
        if action == "ListAttachedRolePolicies":
            rows = "".join(f"<member><PolicyName>{self.policies[a]['name']}</PolicyName><PolicyArn>{a}</PolicyArn>"
                           f"</member>" for a in sorted(self.role(p["RoleName"])["attached"]))
            return f"<AttachedPolicies>{rows}</AttachedPolicies><IsTruncated>false</IsTruncated>"
        if action == "ListPolicies":
            rows = "".join(f"<member>{self.policy_xml(a)[len('<Policy>'):-len('</Policy>')]}</member>"
                           for a in sorted(self.policies))
            return f"<Policies>{rows}</Policies><IsTruncated>false</IsTruncated>"
        if action == "ListEntitiesForPolicy":
            self.policy(p["PolicyArn"])
            sections = []
            for kind, table in (("User", self.users), ("Group", self.groups), ("Role", self.roles)):
                names = sorted(n for n, e in table.items() if p["PolicyArn"] in e["attached"])
                rows = "".join(f"<member><{kind}Name>{n}</{kind}Name><{kind}Id>ID{n}</{kind}Id></member>"
                               for n in names)
                sections.append(f"<Policy{kind}s>{rows}</Policy{kind}s>")
            return "".join(sections) + "<IsTruncated>false</IsTruncated>"
        if action == "DeletePolicy":
            policy = self.policy(p["PolicyArn"])
            for table in (self.users, self.groups, self.roles):
                if any(p["PolicyArn"] in entity["attached"] for entity in table.values()):
                    raise AwsError(409, "DeleteConflict", "Cannot delete a policy attached to entities.")
            if len(policy["versions"]) > 1:
                raise AwsError(409, "DeleteConflict", "This policy has more than one version. Before you delete a "
                                                      "policy, you must delete the policy's versions. The default "
                                                      "version is deleted with the policy.")
            del self.policies[p["PolicyArn"]]
            return ""
        if action == "SimulatePrincipalPolicy":
            principal = p["PolicySourceArn"]
            actions = listed(p, "ActionNames")
            resources = listed(p, "ResourceArns") or ["*"]
            context = {}
            for n in range(1, 100):
                key = p.get(f"ContextEntries.member.{n}.ContextKeyName")
                if key is None:
                    break
                context[key] = listed(p, f"ContextEntries.member.{n}.ContextKeyValues")
            documents = self.documents_of(principal)
            denied = self.denied.get(principal, set())
            results = "".join(
                f"<member><EvalActionName>{a}</EvalActionName><EvalResourceName>{escape(r)}</EvalResourceName>"
                f"<EvalDecision>{'allowed' if a not in denied and allows(documents, a, r, context) else 'implicitDeny'}"
                f"</EvalDecision></member>" for a in actions for r in resources)
            return f"<EvaluationResults>{results}</EvaluationResults><IsTruncated>false</IsTruncated>"
        raise AwsError(400, "InvalidAction", f"{action} is not supported by this fake")

    def documents_of(self, principal_arn):
        """The policy documents that apply to a user or role: inline and attached (default versions)."""
        kind, _, name = principal_arn.split(":", 5)[-1].partition("/")
        name = name.rsplit("/", 1)[-1]
        entity = {"user": self.users, "role": self.roles}.get(kind, {}).get(name)
        if entity is None:
            raise AwsError(404, "NoSuchEntity", f"{principal_arn} cannot be found.")
        documents = [json.loads(d) for d in entity.get("policies", {}).values()]
        for arn in entity["attached"]:
            documents += [json.loads(v["document"]) for v in self.policies[arn]["versions"] if v["default"]]
        return documents

    def authorize(self, access_key, service, action, resource):
        """Refuses a call of live2-server that its attached policies do not allow (an administrator when none)."""
        if (access_key.startswith("AKIDADMIN") or not self.users[CALLER_NAME]["attached"]
                or action == "sts:GetCallerIdentity"):
            return
        if allows(self.documents_of(CALLER), action, resource, {}, any_resource=resource is None):
            return
        code = {"iam": "AccessDenied", "sts": "AccessDenied", "s3": "AccessDenied",
                "ec2": "UnauthorizedOperation"}.get(service, "AccessDeniedException")
        raise AwsError(403, code, f"User: {CALLER} is not authorized to perform: {action}"
                                  + (f" on resource: {resource}" if resource else "")
                                  + " because no identity-based policy allows the action")

    def policy_xml(self, arn):
        policy = self.policy(arn)
        default = next(v["id"] for v in policy["versions"] if v["default"])
        return (f"<Policy><PolicyName>{policy['name']}</PolicyName><PolicyId>ANPAFAKE</PolicyId><Arn>{arn}</Arn>"
                f"<Path>/</Path><DefaultVersionId>{default}</DefaultVersionId><AttachmentCount>0</AttachmentCount>"
                f"<IsAttachable>true</IsAttachable><CreateDate>{now_iso()}</CreateDate></Policy>")

    # --- EC2 (query protocol, EC2 XML) --------------------------------------------------------------------
    def ec2(self, action, p):
        if action == "DescribeSubnets":
            ids = [p[k] for k in p if k.startswith("SubnetId.")]
            for subnet in ids:
                if subnet not in SUBNETS:
                    raise AwsError(400, "InvalidSubnetID.NotFound", f"The subnet ID '{subnet}' does not exist")
            items = "".join(f"<item><subnetId>{s}</subnetId><vpcId>{SUBNETS[s]}</vpcId><state>available</state>"
                            f"<availabilityZone>eu-central-1a</availabilityZone></item>" for s in ids)
            return f"<subnetSet>{items}</subnetSet>"
        if action == "DescribeSecurityGroups":
            ids = [p[k] for k in p if k.startswith("GroupId.")]
            for group in ids:
                if group not in SECURITY_GROUPS:
                    raise AwsError(400, "InvalidGroup.NotFound", f"The security group '{group}' does not exist")
            items = "".join(f"<item><groupId>{g}</groupId><groupName>default</groupName><vpcId>vpc-01</vpcId>"
                            f"<ownerId>{ACCOUNT}</ownerId></item>" for g in ids)
            return f"<securityGroupInfo>{items}</securityGroupInfo>"
        if action == "DescribeRouteTables":
            filters = {p[k]: p[k.replace(".Name", ".Value.1")] for k in p if re.match(r"Filter\.\d+\.Name$", k)}
            if "association.subnet-id" in filters:
                return "<routeTableSet/>"  # no explicit association: the VPC's main table applies
            return ("<routeTableSet><item><routeTableId>rtb-main</routeTableId><vpcId>vpc-01</vpcId><routeSet>"
                    "<item><destinationCidrBlock>0.0.0.0/0</destinationCidrBlock><gatewayId>igw-0fake</gatewayId>"
                    "<state>active</state></item></routeSet></item></routeTableSet>")
        raise AwsError(400, "InvalidAction", f"{action} is not supported by this fake")

    # --- ECR (JSON 1.1) -----------------------------------------------------------------------------------
    def ecr(self, operation, body):
        name = body.get("repositoryName")
        if operation == "DescribeRepositories":
            found = []
            for wanted in body.get("repositoryNames", list(self.repositories)):
                if wanted not in self.repositories:
                    raise AwsError(400, "RepositoryNotFoundException",
                                   f"The repository with name '{wanted}' does not exist in the registry "
                                   f"with id '{ACCOUNT}'")
                found.append({"repositoryName": wanted, "repositoryUri": self.repositories[wanted]["uri"],
                              "repositoryArn": f"arn:aws:ecr:eu-central-1:{ACCOUNT}:repository/{wanted}",
                              "registryId": ACCOUNT})
            return {"repositories": found}
        if operation == "CreateRepository":
            if name in self.repositories:
                raise AwsError(400, "RepositoryAlreadyExistsException", f"The repository {name} already exists")
            self.repositories[name] = {"uri": f"{ACCOUNT}.dkr.ecr.eu-central-1.amazonaws.com/{name}", "tags": set()}
            return {"repository": {"repositoryName": name, "repositoryUri": self.repositories[name]["uri"]}}
        if operation == "DeleteRepository":
            if self.repositories.pop(name, None) is None:
                raise AwsError(400, "RepositoryNotFoundException", f"The repository {name} does not exist")
            return {"repository": {"repositoryName": name}}
        if operation == "PutImage":
            self.repository(name)["tags"].add(body["imageTag"])
            return {"image": {"repositoryName": name, "imageId": {"imageTag": body["imageTag"]}}}
        if operation == "ListImages":
            tags = sorted(self.repository(name)["tags"])
            return {"imageIds": [{"imageTag": t, "imageDigest": "sha256:" + "0" * 64} for t in tags]}
        raise AwsError(400, "UnknownOperationException", f"{operation} is not supported by this fake")

    def repository(self, name):
        if name not in self.repositories:
            raise AwsError(400, "RepositoryNotFoundException", f"The repository {name} does not exist")
        return self.repositories[name]

    # --- CloudWatch Logs (JSON 1.1) -----------------------------------------------------------------------
    def logs(self, operation, body):
        name = body.get("logGroupName")
        if operation == "DescribeLogGroups":
            limit = body.get("limit", 50)
            if not 1 <= limit <= 50:
                raise AwsError(400, "InvalidParameterException", "limit must be between 1 and 50")
            names = sorted(n for n in self.log_groups if n.startswith(body.get("logGroupNamePrefix", "")))
            start = int(body.get("nextToken") or 0)
            answer = {"logGroups": [self.log_group_json(n) for n in names[start:start + limit]]}
            if start + limit < len(names):
                answer["nextToken"] = str(start + limit)
            return answer
        if operation == "CreateLogGroup":
            if name in self.log_groups:
                raise AwsError(400, "ResourceAlreadyExistsException", "The specified log group already exists")
            self.log_groups[name] = {"created": int(datetime.datetime.now().timestamp() * 1000), "retention": None}
            return {}
        if operation == "PutRetentionPolicy":
            days = body["retentionInDays"]
            if days not in LOG_RETENTION_DAYS:
                raise AwsError(400, "InvalidParameterException",
                               f"1 validation error detected: Value '{days}' at 'retentionInDays' failed to satisfy "
                               f"constraint: Member must satisfy enum value set: "
                               f"[{', '.join(map(str, LOG_RETENTION_DAYS))}]")
            self.log_group(name)["retention"] = days
            return {}
        if operation == "DeleteRetentionPolicy":
            self.log_group(name)["retention"] = None
            return {}
        raise AwsError(400, "UnknownOperationException", f"{operation} is not supported by this fake")

    def log_group(self, name):
        if name not in self.log_groups:
            raise AwsError(400, "ResourceNotFoundException", "The specified log group does not exist.")
        return self.log_groups[name]

    def log_group_json(self, name):
        group = self.log_groups[name]
        answer = {"logGroupName": name, "creationTime": group["created"], "metricFilterCount": 0, "storedBytes": 0,
                  "arn": f"arn:aws:logs:eu-central-1:{ACCOUNT}:log-group:{name}:*"}
        if group["retention"] is not None:  # CloudWatch leaves it out for a group that keeps events forever
            answer["retentionInDays"] = group["retention"]
        return answer

    # --- Batch control plane (REST-JSON) ------------------------------------------------------------------
    def find(self, table, name_or_arn):
        name = name_or_arn.rsplit("/", 1)[-1]
        return table.get(name)

    def batch(self, operation, body):
        arn = f"arn:aws:batch:eu-central-1:{ACCOUNT}"
        if operation == "describecomputeenvironments":
            wanted = body.get("computeEnvironments") or list(self.compute_environments)
            return {"computeEnvironments": [e for e in (self.find(self.compute_environments, w) for w in wanted) if e]}
        if operation == "createcomputeenvironment":
            name = body["computeEnvironmentName"]
            if name in self.compute_environments:
                raise AwsError(400, "ClientException", "Object already exists")
            if "serviceRole" in body and body["serviceRole"] != self.roles.get("AWSServiceRoleForBatch", {}).get("arn"):
                raise AwsError(400, "ClientException", "serviceRole is not a valid role")
            resources = dict(body["computeResources"])
            resources.setdefault("minvCpus", 0)
            self.compute_environments[name] = {
                "computeEnvironmentName": name, "computeEnvironmentArn": f"{arn}:compute-environment/{name}",
                "type": body["type"], "state": body.get("state", "ENABLED"), "status": "VALID",
                "computeResources": resources, "serviceRole": body.get("serviceRole", "")}
            return {"computeEnvironmentName": name, "computeEnvironmentArn": f"{arn}:compute-environment/{name}"}
        if operation == "updatecomputeenvironment":
            environment = self.find(self.compute_environments, body["computeEnvironment"])
            if environment is None:
                raise AwsError(400, "ClientException", "compute environment does not exist")
            if "state" in body:
                environment["state"] = body["state"]
            environment["computeResources"].update(body.get("computeResources", {}))
            return {"computeEnvironmentName": environment["computeEnvironmentName"],
                    "computeEnvironmentArn": environment["computeEnvironmentArn"]}
        if operation == "deletecomputeenvironment":
            environment = self.find(self.compute_environments, body["computeEnvironment"])
            if environment is None:
                raise AwsError(400, "ClientException", "compute environment does not exist")
            if environment["state"] != "DISABLED":
                raise AwsError(400, "ClientException", "Cannot delete, compute environment is ENABLED")
            for queue in self.job_queues.values():
                if any(o["computeEnvironment"] == environment["computeEnvironmentArn"]
                       for o in queue["computeEnvironmentOrder"]):
                    raise AwsError(400, "ClientException", "Cannot delete, found existing JobQueue relationship")
            del self.compute_environments[environment["computeEnvironmentName"]]
            return {}
        if operation == "describejobqueues":
            wanted = body.get("jobQueues") or list(self.job_queues)
            return {"jobQueues": [q for q in (self.find(self.job_queues, w) for w in wanted) if q]}
        if operation == "createjobqueue":
            name = body["jobQueueName"]
            if name in self.job_queues:
                raise AwsError(400, "ClientException", "Object already exists")
            self.job_queues[name] = {"jobQueueName": name, "jobQueueArn": f"{arn}:job-queue/{name}",
                                     "state": body.get("state", "ENABLED"), "status": "VALID",
                                     "priority": body["priority"],
                                     "computeEnvironmentOrder": body["computeEnvironmentOrder"],
                                     "jobStateTimeLimitActions": body.get("jobStateTimeLimitActions", [])}
            return {"jobQueueName": name, "jobQueueArn": f"{arn}:job-queue/{name}"}
        if operation == "updatejobqueue":
            queue = self.find(self.job_queues, body["jobQueue"])
            if queue is None:
                raise AwsError(400, "ClientException", "job queue does not exist")
            for field in ("state", "priority", "computeEnvironmentOrder", "jobStateTimeLimitActions"):
                if field in body:
                    queue[field] = body[field]
            return {"jobQueueName": queue["jobQueueName"], "jobQueueArn": queue["jobQueueArn"]}
        if operation == "deletejobqueue":
            queue = self.find(self.job_queues, body["jobQueue"])
            if queue is None or queue["state"] != "DISABLED":
                raise AwsError(400, "ClientException", "job queue must exist and be DISABLED")
            del self.job_queues[queue["jobQueueName"]]
            return {}
        if operation == "describejobdefinitions":
            found = self.job_definitions
            if "jobDefinitionName" in body:
                found = [d for d in found if d["jobDefinitionName"] == body["jobDefinitionName"]]
            if "jobDefinitions" in body:
                wanted = set(body["jobDefinitions"])
                found = [d for d in found if d["jobDefinitionArn"] in wanted or
                         f"{d['jobDefinitionName']}:{d['revision']}" in wanted]
            if "status" in body:
                found = [d for d in found if d["status"] == body["status"]]
            return {"jobDefinitions": found}
        if operation == "registerjobdefinition":
            name = body["jobDefinitionName"]
            revision = 1 + max([d["revision"] for d in self.job_definitions if d["jobDefinitionName"] == name],
                               default=0)
            definition = dict(body)
            definition.update({"jobDefinitionArn": f"{arn}:job-definition/{name}:{revision}",
                               "revision": revision, "status": "ACTIVE"})
            self.job_definitions.append(definition)
            return {"jobDefinitionName": name, "jobDefinitionArn": definition["jobDefinitionArn"],
                    "revision": revision}
        if operation == "deregisterjobdefinition":
            for definition in self.job_definitions:
                if body["jobDefinition"] in (definition["jobDefinitionArn"],
                                             f"{definition['jobDefinitionName']}:{definition['revision']}"):
                    definition["status"] = "INACTIVE"
            return {}
        raise AwsError(404, "UnknownOperationException", f"{operation} is not supported by this fake")

    # --- S3 bucket configuration (REST-XML) --------------------------------------------------------------
    def s3(self, method, bucket, query, body):
        state = self.buckets.get(bucket)
        if method == "PUT" and not query:
            if state is not None:
                raise AwsError(409, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket "
                                                               "succeeded and you already own it.")
            region = "us-east-1"
            if body:
                constraint = ElementTree.fromstring(body).find(f"{{{S3_NS}}}LocationConstraint")
                region = constraint.text if constraint is not None else region
            self.buckets[bucket] = {"region": region, "block": None, "encryption": None, "lifecycle": None}
            return ""
        if state is None:
            raise AwsError(404, "NoSuchBucket", "The specified bucket does not exist")
        if method == "DELETE" and not query:
            del self.buckets[bucket]
            return ""
        kind = next(iter(query), "")
        absent = {"publicAccessBlock": "NoSuchPublicAccessBlockConfiguration",
                  "encryption": "ServerSideEncryptionConfigurationNotFoundError",
                  "lifecycle": "NoSuchLifecycleConfiguration"}
        if method == "GET" and kind == "location":
            region = "" if state["region"] == "us-east-1" else state["region"]
            return f'<LocationConstraint xmlns="{S3_NS}">{region}</LocationConstraint>'
        if kind in absent:
            key = {"publicAccessBlock": "block", "encryption": "encryption", "lifecycle": "lifecycle"}[kind]
            if method == "PUT":
                ElementTree.fromstring(body)  # must be well-formed
                state[key] = body
                return ""
            if method == "DELETE":
                state[key] = None
                return ""
            if state[key] is None:
                raise AwsError(404, absent[kind], f"The {kind} configuration was not found")
            return state[key]
        raise AwsError(501, "NotImplemented", f"{method} ?{kind} is not supported by this fake")


ACCOUNT_STATE = Account()

BATCH_OPERATIONS = {name.lower(): name for name in (
    "DescribeComputeEnvironments", "CreateComputeEnvironment", "UpdateComputeEnvironment", "DeleteComputeEnvironment",
    "DescribeJobQueues", "CreateJobQueue", "UpdateJobQueue", "DeleteJobQueue", "DescribeJobDefinitions",
    "RegisterJobDefinition", "DeregisterJobDefinition")}
S3_SUBRESOURCES = {"location": ("GetBucketLocation", None, None),
                   "publicAccessBlock": ("GetBucketPublicAccessBlock", "PutBucketPublicAccessBlock",
                                         "PutBucketPublicAccessBlock"),
                   "encryption": ("GetEncryptionConfiguration", "PutEncryptionConfiguration",
                                  "PutEncryptionConfiguration"),
                   "lifecycle": ("GetLifecycleConfiguration", "PutLifecycleConfiguration",
                                 "PutLifecycleConfiguration")}


def iam_action_of(service, method, url, headers, body):
    """The IAM action a request needs and the resource it acts on (None: not checked at resource level)."""
    if service in ("iam", "sts", "ec2"):
        return f"{service}:{dict(urllib.parse.parse_qsl(body)).get('Action', '')}", None
    if service == "ecr":
        request = json.loads(body or "{}")
        name = request.get("repositoryName") or next(iter(request.get("repositoryNames", [])), None)
        return (f"ecr:{headers.get('X-Amz-Target', '').split('.')[-1]}",
                f"arn:aws:ecr:eu-central-1:{ACCOUNT}:repository/{name}" if name else None)
    if service == "batch":
        operation = url.path.rstrip("/").rsplit("/", 1)[-1]
        return f"batch:{BATCH_OPERATIONS.get(operation, operation)}", None
    if service == "logs":
        name = json.loads(body or "{}").get("logGroupName")
        return (f"logs:{headers.get('X-Amz-Target', '').split('.')[-1]}",
                f"arn:aws:logs:eu-central-1:{ACCOUNT}:log-group:{name}" if name else None)
    if service == "s3":
        bucket = url.path.strip("/").split("/")[0]
        kind = next(iter(dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))), "")
        if kind in S3_SUBRESOURCES:
            action = S3_SUBRESOURCES[kind][{"GET": 0, "PUT": 1}.get(method, 2)]
        else:
            action = {"PUT": "CreateBucket", "DELETE": "DeleteBucket"}.get(method, "ListBucket")
        return f"s3:{action}", f"arn:aws:s3:::{bucket}"
    return f"{service}:unknown", None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type, headers=None):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def service(self):
        match = re.search(r"Credential=[^/]+/\d{8}/[^/]+/([^/]+)/aws4_request", self.headers.get("Authorization", ""))
        return match.group(1) if match else ""

    def access_key(self):
        match = re.search(r"Credential=([^/]+)/", self.headers.get("Authorization", ""))
        return match.group(1) if match else ""

    def do_GET(self):
        self.handle_any("GET")

    def do_PUT(self):
        self.handle_any("PUT")

    def do_POST(self):
        self.handle_any("POST")

    def do_DELETE(self):
        self.handle_any("DELETE")

    def do_HEAD(self):
        self.handle_any("HEAD")

    def handle_any(self, method):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/_fake/deny":
            request = json.loads(body)
            with ACCOUNT_STATE.lock:
                ACCOUNT_STATE.denied[request["principal"]] = set(request["actions"])
            return self.reply(200, "{}", "application/json")
        service = self.service()
        request_id = str(uuid.uuid4())
        try:
            with ACCOUNT_STATE.lock:
                ACCOUNT_STATE.authorize(self.access_key(), service, *iam_action_of(service, method, url, self.headers, body))
                if service in ("iam", "sts", "ec2"):
                    params = dict(urllib.parse.parse_qsl(body, keep_blank_values=True))
                    action = params.pop("Action", "")
                    params.pop("Version", None)
                    result = (ACCOUNT_STATE.sts(action, params, self.access_key()) if service == "sts"
                              else getattr(ACCOUNT_STATE, service)(action, params))
                    if service == "ec2":
                        xml = (f'<{action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">'
                               f"<requestId>{request_id}</requestId>{result}</{action}Response>")
                    else:
                        xml = (f"<{action}Response><{action}Result>{result}</{action}Result>"
                               f"<ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata>"
                               f"</{action}Response>")
                    return self.reply(200, xml, "text/xml")
                if service in ("ecr", "logs"):
                    operation = self.headers.get("X-Amz-Target", "").split(".")[-1]
                    answer = getattr(ACCOUNT_STATE, service)(operation, json.loads(body or "{}"))
                    return self.reply(200, json.dumps(answer), "application/x-amz-json-1.1")
                if service == "batch":
                    operation = url.path.rstrip("/").rsplit("/", 1)[-1]
                    answer = ACCOUNT_STATE.batch(operation, json.loads(body or "{}"))
                    return self.reply(200, json.dumps(answer), "application/json")
                if service == "s3":
                    bucket = url.path.strip("/").split("/")[0]
                    query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
                    return self.reply(200, ACCOUNT_STATE.s3(method, bucket, query, body), "application/xml")
                raise AwsError(400, "UnknownService", f"cannot tell the service from the request ({service!r})")
        except AwsError as error:
            self.reply_error(service, error, request_id)
        except (KeyError, ValueError, ElementTree.ParseError) as error:
            self.reply_error(service, AwsError(400, "ValidationException", f"malformed request: {error}"),
                             request_id)

    def reply_error(self, service, error, request_id):
        if service in ("iam", "sts"):
            xml = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{error.code}</Code>"
                   f"<Message>{escape(error.message)}</Message></Error><RequestId>{request_id}</RequestId>"
                   f"</ErrorResponse>")
            return self.reply(error.status, xml, "text/xml")
        if service == "ec2":
            xml = (f"<Response><Errors><Error><Code>{error.code}</Code><Message>{escape(error.message)}</Message>"
                   f"</Error></Errors><RequestID>{request_id}</RequestID></Response>")
            return self.reply(error.status, xml, "text/xml")
        if service == "s3":
            xml = (f"<Error><Code>{error.code}</Code><Message>{escape(error.message)}</Message>"
                   f"<RequestId>{request_id}</RequestId></Error>")
            return self.reply(error.status, xml, "application/xml")
        if service in ("ecr", "logs"):
            return self.reply(error.status, json.dumps({"__type": error.code, "message": error.message}),
                              "application/x-amz-json-1.1")
        return self.reply(error.status, json.dumps({"message": error.message}), "application/json",
                          {"x-amzn-ErrorType": error.code})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", required=True)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(args.port_file + ".tmp", "w") as out:
        out.write(str(server.server_address[1]))
    os.replace(args.port_file + ".tmp", args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
