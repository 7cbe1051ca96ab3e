#!/usr/bin/env python3
"""Checks every example in openapi.yaml against the schema it illustrates.

openapi-spec-validator checks the document's structure, not that the examples
agree with the schemas; a wrong example would mislead readers and feed
schemathesis' examples phase bad data. Usage: check_examples.py [openapi.yaml]
"""
import json
import os
import sys

import jsonschema
import yaml


def resolve(doc, node, seen=()):
    """Inlines every local $ref (the spec has no recursive schemas)."""
    if isinstance(node, dict):
        if "$ref" in node and isinstance(node["$ref"], str):
            ref = node["$ref"]
            if ref in seen:
                raise ValueError(f"recursive $ref {ref}")
            target = doc
            for part in ref.lstrip("#/").split("/"):
                target = target[part]
            rest = {k: v for k, v in node.items() if k != "$ref"}
            resolved = resolve(doc, target, seen + (ref,))
            return {**resolved, **resolve(doc, rest, seen)} if rest else resolved
        return {k: resolve(doc, v, seen) for k, v in node.items()}
    if isinstance(node, list):
        return [resolve(doc, v, seen) for v in node]
    return node


def media_examples(media):
    if "example" in media:
        yield "example", media["example"]
    for name, ex in (media.get("examples") or {}).items():
        yield name, ex["value"]


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "openapi.yaml"
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    spec = resolve(doc, doc)
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    failures = checked = 0

    def check(where, schema, value):
        nonlocal failures, checked
        checked += 1
        errors = list(jsonschema.Draft202012Validator(schema, format_checker=checker).iter_errors(value))
        for e in errors:
            failures += 1
            print(f"FAIL {where}: {e.message} at {list(e.absolute_path)}")

    for p, item in spec["paths"].items():
        shared = item.get("parameters", [])
        for method, op in item.items():
            if method == "parameters":
                continue
            where = f"{method.upper()} {p}"
            for param in shared + op.get("parameters", []):
                if "example" in param:
                    check(f"{where} parameter {param['name']}", param["schema"], param["example"])
            for ctype, media in (op.get("requestBody") or {}).get("content", {}).items():
                for name, value in media_examples(media):
                    check(f"{where} request {ctype} {name}", media["schema"], value)
            for status, resp in op["responses"].items():
                for ctype, media in (resp.get("content") or {}).items():
                    for name, value in media_examples(media):
                        check(f"{where} {status} {ctype} {name}", media["schema"], value)
                for hname, header in (resp.get("headers") or {}).items():
                    if "example" in header:
                        check(f"{where} {status} header {hname}", header["schema"], header["example"])
    # The files scripts/schemathesis.sh seeds the server with.
    here = os.path.dirname(os.path.abspath(__file__))
    for name, schema, example in (
        ("policy-example.json", "PolicyDocument", "PolicyDocument"),
        ("members-example.json", "MembersRequest", None),
    ):
        with open(os.path.join(here, name), encoding="utf-8") as f:
            value = json.load(f)
        check(f"Tests/spec/{name}", spec["components"]["schemas"][schema], value)
        if example and value != spec["components"]["examples"][example]["value"]:
            failures += 1
            print(f"FAIL Tests/spec/{name} differs from components.examples.{example}")
    print(f"{checked} examples checked, {failures} problems")
    return 1 if failures or not checked else 0


if __name__ == "__main__":
    sys.exit(main())
