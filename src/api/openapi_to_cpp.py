#!/usr/bin/env python3
"""Build step: docs/openapi.yaml -> a C++ source holding the document as compact JSON (served at
GET /api/v1/openapi.json). Usage: openapi_to_cpp.py DOCUMENT.yaml OUTPUT.cpp. Needs python3-yaml."""
import json
import sys

import yaml

DELIMITER = "live2openapi"


def main() -> int:
    source, output = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as stream:
        document = yaml.safe_load(stream)
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    if f"){DELIMITER}\"" in text:
        sys.exit(f"{source}: the text contains the raw-string delimiter {DELIMITER}")
    with open(output, "w", encoding="utf-8") as stream:
        stream.write("// Generated from docs/openapi.yaml by src/api/openapi_to_cpp.py; do not edit.\n")
        stream.write('#include "api/openapi_document.h"\n\n')
        stream.write("namespace live2::api {\n\n")
        stream.write(f'std::string_view openapi_json() {{\n  return R"{DELIMITER}({text}){DELIMITER}";\n}}\n\n')
        stream.write("}  // namespace live2::api\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
