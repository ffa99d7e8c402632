#!/usr/bin/env python3
"""The dashboard's parameter table (web/src/lib/params.ts) against the contract (docs/openapi.yaml).

The submit form keeps labels, units and help texts by hand, but its ranges, defaults, modes, presets and elements
must be the document's: this check fails on any field the two disagree about, and on a document field the form lacks
(or the reverse), so a parameter added to the server cannot go missing from the form unnoticed.

Usage: check_web_params.py docs/openapi.yaml web/src/lib/params.ts
"""
import re
import sys

import yaml

# Fields the form does not offer on purpose, with the reason.
NOT_IN_FORM = {
    "SimulationSettings": {
        "composition": "its own editor (ELEMENTS)",
        "preset": "its own selector (PRESETS)",
        "energy_sources": "its own editor (ENERGY_SOURCE_FIELDS)",
        "reactions": "a checkbox",
        "thermostat": "constant-energy runs are for the API and the CLI",
    },
    "EnergySource": {"period_steps": "the older spelling of period"},
}


def form_fields(text, table):
    """{name: {defaultValue, min, max}} of one `export const TABLE: NumericField<...>[] = [...]` block."""
    block = re.search(r"export const %s\b[^=]*= \[(.*?)\n\];" % table, text, re.S)
    if not block:
        sys.exit("params.ts has no %s table" % table)
    fields = {}
    for entry in re.finditer(r"\{\s*name: \"(\w+)\"(.*?)\},?\n", block.group(1) + "\n", re.S):
        values = {}
        for key in ("defaultValue", "min", "max"):
            found = re.search(r"\b%s: (null|-?[\d_.e]+)" % key, entry.group(2))
            if not found:
                sys.exit("params.ts %s.%s has no %s" % (table, entry.group(1), key))
            values[key] = None if found.group(1) == "null" else float(found.group(1).replace("_", ""))
        fields[entry.group(1)] = values
    return fields


def string_list(text, table):
    block = re.search(r"export const %s\b[^=]*= (\[.*?\]|\{.*?\});" % table, text, re.S)
    if not block:
        sys.exit("params.ts has no %s" % table)
    return block.group(1)


def main():
    document = yaml.safe_load(open(sys.argv[1]))
    text = open(sys.argv[2]).read()
    schemas = document["components"]["schemas"]
    problems = []

    for schema_name, table in (("SimulationSettings", "CONFIG_FIELDS"), ("EnergySource", "ENERGY_SOURCE_FIELDS")):
        properties = schemas[schema_name]["properties"]
        form = form_fields(text, table)
        skipped = NOT_IN_FORM[schema_name]
        for name, schema in properties.items():
            if name in skipped:
                continue
            if name not in form:
                problems.append("%s.%s is in the document but not in the form's %s" % (schema_name, name, table))
                continue
            field = form[name]
            low = schema.get("minimum", schema.get("exclusiveMinimum"))
            # 64-bit seeds: the form leaves the range to the server.
            if low is not None and abs(low) < 2**53 and field["min"] != float(low):
                problems.append("%s.%s: form min %s, document %s" % (schema_name, name, field["min"], low))
            high = schema.get("maximum")
            if high is not None and abs(high) < 2**53 and field["max"] != float(high):
                problems.append("%s.%s: form max %s, document %s" % (schema_name, name, field["max"], high))
            if "default" in schema and field["defaultValue"] is not None and field["defaultValue"] != schema["default"]:
                problems.append("%s.%s: form default %s, document %s"
                                % (schema_name, name, field["defaultValue"], schema["default"]))
        for name in form:
            if name not in properties:
                problems.append("the form's %s.%s is not in the document's %s" % (table, name, schema_name))

    modes = re.findall(r'value: "(\w+)"', string_list(text, "MODES"))
    document_modes = sorted(schemas["SimulationConfig"]["properties"]["mode"]["enum"])
    if sorted(modes) != document_modes:
        problems.append("modes: form %s, document %s" % (sorted(modes), document_modes))
    presets = re.findall(r'value: "(\w+)"', string_list(text, "PRESETS"))
    document_presets = schemas["SimulationSettings"]["properties"]["preset"]["enum"]
    if sorted(presets) != sorted(document_presets):
        problems.append("presets: form %s, document %s" % (sorted(presets), sorted(document_presets)))
    elements = re.findall(r'"(\w+)"', string_list(text, "ELEMENTS"))
    document_elements = list(schemas["Composition"]["properties"])
    if sorted(elements) != sorted(document_elements):
        problems.append("elements: form %s, document %s" % (sorted(elements), sorted(document_elements)))

    for problem in problems:
        print(problem)
    if problems:
        sys.exit(1)
    print("web/src/lib/params.ts agrees with docs/openapi.yaml")


main()
