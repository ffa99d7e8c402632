#!/usr/bin/env python3
"""The contract check: every HTTP exchange the integration tests recorded (tests/support/api_exchange_recorder.h)
against docs/openapi.yaml.

Fails when
  (a) a recorded answer does not match the document: an undocumented status, a missing required header, a content
      type the operation does not declare, or a body (or an event's data) that does not validate against its schema;
      the request bodies of successful exchanges are validated against the operation's request schema as well, and
      each webhook delivery a test's receiver got against the document's `webhooks`;
  (b) a documented operation, or an explicitly documented status of one, was never exercised by any test
      (the 4XX/5XX ranges are not explicit statuses), or no webhook delivery was recorded;
  (c) the router registers a route the document lacks, or the document has an operation no route serves
      (routes are read from the Router::add calls in src/api).

Usage: check_exchanges.py DOCUMENT.yaml EXCHANGES_DIR API_SOURCE_DIR
Needs python3-yaml and python3-jsonschema (Debian packages).
"""
import copy
import json
import pathlib
import re
import sys
import urllib.parse

import jsonschema
import yaml

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
# Paths the server owns; any other GET path serves the dashboard, which is not part of the API document.
API_PREFIXES = ("/api/", "/files/")
API_PATHS = ("/metrics", "/health", "/ready")
# Statuses the HTTP server answers before routing (PipelineClientError and ServerError in the document).
REFUSED_BEFORE_ROUTING = (400, 413, 431, 501, 503)
ROUTE_CALL = re.compile(r'\.add\(\s*"([A-Z]+)"\s*,\s*"(/[^"]*)"')
MAX_REPORTED = 60


class Document:
    def __init__(self, path):
        with open(path, encoding="utf-8") as stream:
            self.root = yaml.safe_load(stream)
        self.operations = {}  # (METHOD, router pattern) -> (document path, operation)
        for doc_path, item in self.root["paths"].items():
            for method in METHODS:
                if method in item:
                    operation = item[method]
                    pattern = operation.get("x-router-pattern", doc_path)
                    self.operations[(method.upper(), pattern)] = (doc_path, operation)
        self._validators = {}

    def resolve(self, node):
        """Follows a local $ref (responses, headers and schemas may be references)."""
        while isinstance(node, dict) and "$ref" in node:
            node = self.pointer(node["$ref"])
        return node

    def pointer(self, ref):
        if not ref.startswith("#/"):
            raise ValueError(f"only local references are supported: {ref}")
        node = self.root
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def inline(self, node):
        """The schema with every $ref replaced by its target, so any jsonschema version validates it alone."""
        if isinstance(node, list):
            return [self.inline(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            target = self.inline(copy.deepcopy(self.pointer(node["$ref"])))
            rest = {key: self.inline(value) for key, value in node.items() if key != "$ref"}
            return {"allOf": [target], **rest} if rest else target
        return {key: self.inline(value) for key, value in node.items()}

    def validator(self, schema):
        key = json.dumps(schema, sort_keys=True)
        if key not in self._validators:
            self._validators[key] = jsonschema.Draft202012Validator(self.inline(schema))
        return self._validators[key]


def segments(path):
    return path.strip("/").split("/") if path != "/" else [""]


def matches(pattern, path):
    want, have = segments(pattern), segments(path)
    rest = want[-1].endswith("...}")
    if (len(have) < len(want)) if rest else (len(have) != len(want)):
        return False
    for index, expected in enumerate(want):
        if rest and index == len(want) - 1:
            return True
        if expected.startswith("{") and expected.endswith("}"):
            if not have[index]:
                return False
        elif expected != have[index]:
            return False
    return True


def router_routes(source_dir):
    routes = set()
    for source in sorted(pathlib.Path(source_dir).rglob("*.cpp")):
        for method, pattern in ROUTE_CALL.findall(source.read_text(encoding="utf-8")):
            routes.add((method, pattern))
    return routes


def load_exchanges(directory):
    exchanges = []
    for file in sorted(pathlib.Path(directory).glob("*.jsonl")):
        with open(file, encoding="utf-8", errors="surrogateescape") as stream:
            for number, line in enumerate(stream, 1):
                if line.strip():
                    exchange = json.loads(line)
                    exchange["origin"] = f"{file.name}:{number}"
                    exchanges.append(exchange)
    return exchanges


def media_type(content_type):
    return content_type.split(";")[0].strip().lower()


def pick_content(content, actual):
    if actual in content:
        return actual, content[actual]
    family = actual.split("/")[0] + "/*"
    for candidate in (family, "*/*"):
        if candidate in content:
            return candidate, content[candidate]
    return None, None


def schema_problems(document, schema, value, what):
    errors = sorted(document.validator(schema).iter_errors(value), key=lambda error: list(error.absolute_path))
    return [f"{what}: {'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}" for error in errors[:5]]


def event_data(body, stopped_early):
    """(event name, data) of the complete events of a text/event-stream body; the name is "message" if unset."""
    events = body.split("\n\n")
    if stopped_early or not body.endswith("\n\n"):
        events = events[:-1]  # the last one may be cut off
    for event in events:
        lines = event.split("\n")
        data = [line[len("data:"):].lstrip(" ") for line in lines if line.startswith("data:")]
        names = [line[len("event:"):].strip() for line in lines if line.startswith("event:")]
        if data:
            yield (names[-1] if names else "message"), "\n".join(data)


def check_response(document, spec, exchange):
    """Problems of one answer against one (resolved) response object."""
    problems = []
    headers = exchange["headers"]
    for name, header in (spec.get("headers") or {}).items():
        header = document.resolve(header)
        value = headers.get(name.lower())
        if value is None:
            if header.get("required"):
                problems.append(f"header {name} is missing")
            continue
        schema = header.get("schema", {})
        if document.resolve(schema).get("type") == "integer":
            try:
                value = int(value)
            except ValueError:
                problems.append(f"header {name} is not an integer: {value!r}")
                continue
        problems += schema_problems(document, schema, value, f"header {name}")

    content = spec.get("content")
    if not content:
        return problems
    actual = media_type(headers.get("content-type", ""))
    declared, media = pick_content(content, actual)
    if media is None:
        return problems + [f"content type {actual!r} is not one of {sorted(content)}"]
    body = exchange.get("body")
    if body is None or exchange["method"] == "HEAD" or exchange.get("transport_error"):
        return problems  # a file download (recorded by length only), or a body cut off by the transport
    if declared == "application/json":
        try:
            value = json.loads(body)
        except json.JSONDecodeError as error:
            return problems + [f"the body is not JSON: {error}"]
        problems += schema_problems(document, media.get("schema", {}), value, "body")
    elif "x-event-data-schema" in media or "x-event-schemas" in media:
        # x-event-schemas: a schema per event name (an undeclared name is a problem); else one for every event.
        by_name = media.get("x-event-schemas")
        for name, data in event_data(body, exchange.get("stopped_early", False)):
            try:
                value = json.loads(data)
            except json.JSONDecodeError as error:
                problems.append(f"an event's data is not JSON: {error}")
                continue
            if by_name is not None and name not in by_name:
                problems.append(f"event {name!r} is not declared in x-event-schemas")
                continue
            schema = by_name[name] if by_name is not None else media["x-event-data-schema"]
            problems += schema_problems(document, schema, value, f"{name} event data")
    return problems


def check_request(document, operation, exchange):
    body_spec = document.resolve(operation.get("requestBody"))
    if not body_spec or exchange.get("request_body") is None:
        return []
    actual = media_type(exchange.get("request_content_type", ""))
    _, media = pick_content(body_spec.get("content", {}), actual)
    if media is None:
        return [f"request content type {actual!r} is not declared"]
    try:
        value = json.loads(exchange["request_body"])
    except json.JSONDecodeError as error:
        return [f"the request body is not JSON: {error}"]
    return schema_problems(document, media.get("schema", {}), value, "request body")


def check_webhook(document, delivery):
    """A delivery against the document's one webhook: its header parameters and its body."""
    (operation,) = [item["post"] for item in document.root["webhooks"].values()]
    problems = []
    for parameter in map(document.resolve, operation.get("parameters", [])):
        value = delivery["headers"].get(parameter["name"].lower())
        if value is None:
            if parameter.get("required"):
                problems.append(f"header {parameter['name']} is missing")
            continue
        problems += schema_problems(document, parameter["schema"], value, f"header {parameter['name']}")
    exchange = {"request_body": delivery["request_body"], "request_content_type": delivery["headers"].get(
        "content-type", "")}
    return problems + check_request(document, operation, exchange)


def response_for(operation, status):
    responses = operation.get("responses", {})
    for key in (str(status), f"{str(status)[0]}XX", "default"):
        if key in responses:
            return key, responses[key]
    return None, None


def error_shape_problems(document, exchange, expected_status):
    problems = []
    if exchange["status"] != expected_status:
        problems.append(f"status {exchange['status']}, expected {expected_status}")
    spec = {"headers": {"X-Request-Id": {"$ref": "#/components/headers/XRequestId"}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    return problems + check_response(document, spec, exchange)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    document_path, exchanges_dir, source_dir = sys.argv[1:]
    document = Document(document_path)
    failures = []

    # (c) the router and the document list the same routes.
    routes = router_routes(source_dir)
    if not routes:
        failures.append(f"no Router::add calls found under {source_dir}")
    for method, pattern in sorted(routes - set(document.operations)):
        failures.append(f"route {method} {pattern} is registered in {source_dir} but not in the document")
    for method, pattern in sorted(set(document.operations) - routes):
        failures.append(f"the document has {method} {pattern} but no route serves it")

    # (a) every recorded answer matches the document.
    exchanges = load_exchanges(exchanges_dir)
    if not exchanges:
        failures.append(f"no exchanges were recorded in {exchanges_dir} (did the integration tests run?)")
    exercised = {}  # (METHOD, pattern) -> statuses seen
    skipped_dashboard = 0
    webhooks = 0
    for exchange in exchanges:
        if exchange.get("webhook"):
            webhooks += 1
            failures += [f"{exchange['origin']} webhook delivery: {problem}"
                         for problem in check_webhook(document, exchange)]
            continue
        path = urllib.parse.unquote(urllib.parse.urlsplit(exchange["target"]).path) if exchange["target"] else ""
        method = exchange["method"]
        where = f"{exchange['origin']} {method} {exchange['target'][:120]} -> {exchange['status']}"
        known = [key for key in document.operations if matches(key[1], path)]
        operation_key = next((key for key in known if key[0] == method), None)
        if operation_key is None and method == "HEAD" and exchange["status"] != 405:
            # HEAD answers like GET without a body (RFC 9110); it exercises nothing of its own.
            operation_key = next((key for key in known if key[0] == "GET"), None)
        if operation_key is not None:
            _, operation = document.operations[operation_key]
            if operation_key[0] == method:
                exercised.setdefault(operation_key, set()).add(exchange["status"])
            response_key, spec = response_for(operation, exchange["status"])
            if spec is None:
                failures.append(f"{where}: status {exchange['status']} is not documented for this operation")
                continue
            problems = check_response(document, document.resolve(spec), exchange)
            if 200 <= exchange["status"] < 300:
                problems += check_request(document, operation, exchange)
            if operation.get("operationId") == "getOpenApiDocument" and exchange.get("body") is not None:
                if json.loads(exchange["body"]) != document.root:
                    problems.append(f"the served document differs from {document_path}")
            failures += [f"{where} ({response_key}): {problem}" for problem in problems]
        elif exchange["status"] in REFUSED_BEFORE_ROUTING:
            # The HTTP server refused the bytes (malformed, framing, size, connection limit) before any route.
            spec = document.root["components"]["responses"]["ServerError" if exchange["status"] >= 500
                                                             else "PipelineClientError"]
            failures += [f"{where} (refused before routing): {problem}"
                         for problem in check_response(document, spec, exchange)]
        elif known:
            problems = error_shape_problems(document, exchange, 405)
            if "allow" not in exchange["headers"]:
                problems.append("a 405 without an Allow header")
            failures += [f"{where} (method not allowed): {problem}" for problem in problems]
        elif path.startswith(API_PREFIXES) or path in API_PATHS or method not in ("GET", "HEAD"):
            # An unknown path: the API's, or any method other than the dashboard's GET and HEAD.
            failures += [f"{where} (unknown path): {problem}"
                         for problem in error_shape_problems(document, exchange, 404)]
        else:
            skipped_dashboard += 1

    # (b) every operation and every explicitly documented status was exercised.
    untested = []
    for key, (doc_path, operation) in sorted(document.operations.items()):
        seen = exercised.get(key, set())
        if not seen:
            untested.append(f"{key[0]} {doc_path}: never exercised")
            continue
        for status in operation.get("responses", {}):
            if status.isdigit() and int(status) not in seen:
                untested.append(f"{key[0]} {doc_path}: documented status {status} never exercised")
    if document.root.get("webhooks") and not webhooks:
        untested.append("no webhook delivery was recorded")
    if untested:
        untested.append("(a partial ctest run exercises only part of the API: run the whole suite, or leave this "
                        "check out with `ctest -FC api_exchanges`)")
    failures += untested

    print(f"{len(exchanges) - webhooks} exchanges and {webhooks} webhook deliveries checked "
          f"({skipped_dashboard} dashboard exchanges skipped); "
          f"{len(exercised)} of {len(document.operations)} operations exercised")
    for key in sorted(document.operations):
        print(f"  {key[0]:5} {key[1]:40} {sorted(exercised.get(key, set()))}")
    if failures:
        print(f"\n{len(failures)} problems:")
        for failure in failures[:MAX_REPORTED]:
            print("  " + failure)
        if len(failures) > MAX_REPORTED:
            print(f"  ... and {len(failures) - MAX_REPORTED} more")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
