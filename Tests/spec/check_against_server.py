#!/usr/bin/env python3
"""Checks openapi.yaml's hand-written constraints against a live server, value by value.

schemathesis draws values at random; this sends the edge cases on purpose (durations, blank
strings, action params, nulls, entity tags, `force`) and compares the server's answer with the
schema's verdict. A value the schema refuses must be refused by the server (else fuzzing finds
"negative data accepted"); where the schema is meant to be exact (entity tags, `force`) a value
it accepts must be accepted too. Documents the schema accepts may still be refused (a schema
cannot say everything the server checks: expressions, unique names, cycle >= 1s); those are
counted, not failed.

Usage: check_against_server.py BASE_URL [openapi.yaml]   (BASE_URL as scripts/with-server.sh exports it)
"""
import http.client
import json
import os
import sys
import urllib.parse

import jsonschema
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_examples import resolve  # noqa: E402

DURATIONS = [
    "1h", "90s", "1h30m", "1.5s", "1.s", ".5s", "00.5s", "1000ms", "999ms", "1s1ms", "+1h", "1µs", "1μs", "1us",
    "1ns", "0", "+0", "-0", "-0s", "-0.0h", "-.0s", "0s", "0.0s", "-1s", "-1ns", "", "1", "s", ".s", "1.2.3s",
    "1d", "1H", "1e3s", "1hs", "1m5", " 1h", "1h ", "\u0661s", "9999999999h", "1..5s", "..5s", "5m-1s", "-+1s",
    "++1s", "1 h", "1h-",
]
TEXTS = [" ", "\t\n", "\u3000", "\u00a0x", "\u0085", "\u200b", "\ufeff", "x", "\u2028\u2029"]
ENTITY_TAGS = [
    "*", " * ", '"a"', 'W/"a"', '""', '"a", W/"b"', ', "a",, ,"b",', '"!#$%&\'()*+,-./:;<=>?@[]^_`{|}~"',
    b'"\xc3\xa9"', b'"\xe9"', "", " ", ",", "abc", '"abc', 'abc"', 'w/"a"', "W/", 'W/ "a"', '"a" "b"', '"a"b',
    '*, "a"', "**", '"a b"', b'"a\x01"', b'"a\x7f"', b'\xcf\xb9', '"a";"b"', '"a\\"', "null", "0",
]
FORCE = ["true", "false", "", None, "1", "0", "TRUE", "yes", "true%20", "%74rue"]


def rule(**extra):
    r = {"name": "r", "on": "cycle", "match": "true", "actions": [{"type": "allow"}]}
    r.update(extra)
    return r


def main():
    base = urllib.parse.urlsplit(sys.argv[1])
    path = sys.argv[2] if len(sys.argv) > 2 else "openapi.yaml"
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    spec = resolve(doc, doc)
    schemas = spec["components"]["schemas"]
    token = os.environ.get("SCHEMATHESIS_TOKEN")
    failures, loose, checked = [], 0, 0

    def request(method, target, body=None, headers=()):
        conn = http.client.HTTPConnection(base.hostname, base.port, timeout=10)
        conn.putrequest(method, target, skip_accept_encoding=True)
        if token:
            conn.putheader("Authorization", f"Bearer {token}")
        for name, value in headers:
            conn.putheader(name, value)
        data = json.dumps(body).encode() if body is not None else b""
        conn.putheader("Content-Type", "application/json")
        conn.putheader("Content-Length", str(len(data)))
        conn.endheaders(data)
        response = conn.getresponse()
        status = response.status
        response.read()
        conn.close()
        return status

    def valid(schema, value):
        return jsonschema.Draft202012Validator(schema).is_valid(value)

    def compare(what, schema_ok, server_ok, exact):
        nonlocal loose, checked
        checked += 1
        if not schema_ok and server_ok:
            failures.append(f"{what}: the schema refuses it, the server accepts it")
        elif schema_ok and not server_ok:
            if exact:
                failures.append(f"{what}: the schema accepts it, the server refuses it")
            else:
                loose += 1

    def document(what, value):
        status = request("POST", "/v1/policies/validate", value)
        if status not in (200, 400, 422):
            failures.append(f"{what}: unexpected status {status}")
        compare(what, valid(schemas["PolicyDocument"], value), status == 200, exact=False)

    for d in DURATIONS:
        document(f"config.cycle {d!r}", {"version": 1, "config": {"cycle": d}, "rules": [rule()]})
        document(f"config.grace {d!r}", {"version": 1, "config": {"grace": d}, "rules": [rule()]})
    for t in TEXTS:
        document(f"webhook event {t!r}", {"version": 1, "rules": [rule(actions=[{"type": "webhook", "params": {"event": t}}])]})
        document(f"rule name {t!r}", {"version": 1, "rules": [rule(name=t)]})
    for params in [{"add": []}, {"add": None, "remove": ["x"]}, {"add": ["x"], "remove": None}, {"add": None}, {}, {"remove": [1]}]:
        document(f"tag params {params}", {"version": 1, "rules": [rule(actions=[{"type": "tag", "params": params}])]})
    for action in [{"type": "prune", "params": {"count": -1}}, {"type": "prune", "params": {"count": 2, "by": None}},
                   {"type": "prune_trust", "params": {"percent": 100.5, "min": 1}}, {"type": "log", "params": {"message": "m", "level": "debug"}},
                   {"type": "log"}, {"type": "allow", "params": None}, {"type": "fill", "params": {"count": 2**63}}]:
        document(f"action {action}", {"version": 1, "rules": [rule(actions=[action])]})
    for extra in [{"default_verdict": None}, {"fail_closed": None}, {"config": None}, {"default_verdict": "maybe"}, {"unknown": 1}]:
        document(f"document {extra}", {"version": 1, "rules": [rule()], **extra})

    stored = {"version": 1, "rules": [rule()]}
    if request("PUT", "/v1/networks/4242/policy", stored) not in (200, 201):
        failures.append("could not store a policy on network 4242")
    pattern_schema = schemas["ETagCondition"]
    for value in ENTITY_TAGS:
        text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
        raw = value if isinstance(value, bytes) else value.encode("utf-8")
        for name in ("If-Match", "If-None-Match"):
            status = request("PUT", "/v1/networks/4242/policy", stored, headers=[(name, raw)])
            if status not in (200, 400, 412):
                failures.append(f"{name}: {value!r}: unexpected status {status}")
            compare(f"{name}: {value!r}", valid(pattern_schema, text), status != 400, exact=True)

    force_schema = {"type": "string", "enum": ["true", "false"]}
    for value in FORCE:
        target = "/v1/reload" + ("?force" if value is None else f"?force={value}")
        status = request("POST", target)
        decoded = None if value is None else urllib.parse.unquote(value)
        compare(f"force {value!r}", decoded is not None and valid(force_schema, decoded), status == 200, exact=True)

    for f in failures:
        print("FAIL", f)
    print(f"{checked} values checked against the live server, {len(failures)} disagreements "
          f"({loose} documents the schema accepts and the server refuses for reasons a schema cannot state)")
    return 1 if failures or not checked else 0


if __name__ == "__main__":
    sys.exit(main())
