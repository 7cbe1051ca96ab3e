#!/usr/bin/env python3
"""A stand-in for `policyd serve`, for testing the spec and its scripts only.

It speaks the contract of openapi.yaml closely enough that schemathesis run
against it exercises scripts/with-server.sh and scripts/schemathesis.sh without
a Swift build. It does not compile match expressions (any non-empty string is
accepted), keeps everything in memory and writes nothing to --data-dir.

    mock_policyd.py serve [--host H] [--port P] [--data-dir D] [--max-body-bytes N]
"""
import argparse
import hashlib
import json
import re
import sys
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

EVENTS = {"connect", "dial", "datagram", "cycle", "join", "leave"}
ACTIONS = {"allow", "deny", "evict", "tag", "evict_where", "prune", "fill",
           "prune_trust", "fill_trust", "webhook", "log"}
DURATION = re.compile(r"^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$")
NET = re.compile(r"^/v1/networks/([^/]*)/(runner|policy|reload|decisions|members|peers|cycle)$")
ROUTES = {"runner": {"GET"}, "policy": {"PUT", "GET", "DELETE"}, "reload": {"POST"},
          "decisions": {"POST"}, "members": {"PUT"}, "peers": {"GET"}, "cycle": {"POST"}}


def now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class APIError(Exception):
    def __init__(self, status, code, message, details=None):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def validate(doc):
    """Returns the problems of a policy document (structure only)."""
    if not isinstance(doc, dict):
        return [(None, "", "a policy document is a JSON object")]
    if doc.get("version") != 1 or not is_int(doc.get("version")):
        return [(None, "version", f"unsupported version {doc.get('version')} (want 1)")]
    problems = []
    if doc.get("default_verdict", "allow") not in ("allow", "deny"):
        problems.append((None, "default_verdict", "must be allow or deny"))
    if not isinstance(doc.get("fail_closed", True), bool):
        problems.append((None, "fail_closed", "must be a boolean"))
    rules = doc.get("rules")
    if not isinstance(rules, list) or not rules:
        problems.append((None, "rules", "at least one rule"))
        rules = []
    names = set()
    for i, rule in enumerate(rules):
        if not isinstance(rule, dict):
            problems.append((f"#{i}", "", "a rule is an object"))
            continue
        name = rule.get("name")
        label = name if isinstance(name, str) and name else f"#{i}"
        if not isinstance(name, str) or not name or name in names:
            problems.append((label, "name", "non-empty and unique"))
        else:
            names.add(name)
        if not isinstance(rule.get("on"), str) or rule["on"] not in EVENTS:
            problems.append((label, "on", "unknown event"))
        if not isinstance(rule.get("match"), str) or not rule["match"].strip():
            problems.append((label, "match", "non-empty expression"))
        actions = rule.get("actions")
        if not isinstance(actions, list) or not actions:
            problems.append((label, "actions", "at least one action"))
            actions = []
        for j, action in enumerate(actions):
            if not isinstance(action, dict) or not isinstance(action.get("type"), str) or action["type"] not in ACTIONS:
                problems.append((label, f"actions[{j}].type", "unknown action type"))
            elif "params" in action and not isinstance(action["params"], dict):
                problems.append((label, f"actions[{j}].params", "must be an object"))
    config = doc.get("config", {})
    if not isinstance(config, dict):
        problems.append((None, "config", "must be an object"))
        config = {}
    cycle = config.get("cycle")
    if cycle is not None and (not isinstance(cycle, str) or not DURATION.match(cycle)):
        problems.append((None, "config.cycle", "a duration of at least 1s"))
    if "grace" in config and not isinstance(config["grace"], str):
        problems.append((None, "config.grace", "a duration string"))
    mp = config.get("max_peers")
    if mp is not None and (not is_int(mp) or mp < 0):
        problems.append((None, "config.max_peers", "a non-negative integer"))
    return problems


class Runner:
    def __init__(self, nid, generation, doc, etag, peers):
        self.nid, self.generation, self.doc, self.etag = nid, generation, doc, etag
        self.peers = peers
        self.started_at = now()
        self.cycle_num = 0
        self.decisions = {"allow": 0, "deny": 0, "errors": 0}

    def status(self):
        config = self.doc.get("config") or {}
        return {"network_id": self.nid, "generation": self.generation, "state": "running",
                "etag": self.etag, "rules": len(self.doc["rules"]),
                "default_verdict": self.doc.get("default_verdict", "allow"),
                "fail_closed": self.doc.get("fail_closed", True), "cycle": config.get("cycle"),
                "max_peers": config.get("max_peers"), "started_at": self.started_at,
                "peers": len(self.peers), "cycle_num": self.cycle_num, "decisions": self.decisions}


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.store, self.runners, self.generations = {}, {}, {}

    def start(self, nid, doc):
        self.generations[nid] = self.generations.get(nid, 0) + 1
        old = self.runners.get(nid)
        canonical = json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()
        etag = '"' + hashlib.sha256(canonical).hexdigest()[:32] + '"'
        self.runners[nid] = Runner(nid, self.generations[nid], doc, etag, old.peers if old else {})
        return self.runners[nid]


STATE = State()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "mock-policyd"

    def log_message(self, fmt, *args):
        sys.stderr.write("level=info msg=request " + (fmt % args) + "\n")

    def send(self, status, body=None, ctype="application/json", headers=()):
        data = b""
        if body is not None:
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", ctype)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def body(self):
        ctype = (self.headers.get("Content-Type") or "application/json").split(";")[0].strip().lower()
        if ctype != "application/json":
            raise APIError(415, "unsupported_media_type", "want application/json")
        try:
            return json.loads(self.raw)
        except ValueError as e:
            raise APIError(400, "invalid_json", str(e)) from None

    def __getattr__(self, name):
        # Every method reaches the router, which answers 405 for the unsupported ones.
        if name.startswith("do_"):
            return self.handle_any
        raise AttributeError(name)

    def handle_any(self):
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        try:
            if length < 0 or length > self.server.max_body:
                self.close_connection = True  # the body is not read
                raise APIError(413 if length > 0 else 400, "payload_too_large" if length > 0 else "bad_request",
                               "body too large" if length > 0 else "bad Content-Length")
            self.raw = self.rfile.read(length)
            try:
                self.route()
            except APIError:
                raise
            except Exception as e:  # a mock bug: answer as the real server would
                raise APIError(500, "internal", repr(e)) from None
        except APIError as e:
            err = {"code": e.code, "message": e.message}
            if e.details is not None:
                err["details"] = e.details
            self.send(e.status, {"error": err})

    def route(self):
        url = urlsplit(self.path)
        m, path = self.command, url.path
        fixed = {"/healthz": {"GET", "HEAD"}, "/readyz": {"GET", "HEAD"}, "/metrics": {"GET"},
                 "/v1/networks": {"GET"}, "/v1/reload": {"POST"}, "/v1/policies/validate": {"POST"}}
        match = NET.match(path)
        allowed = fixed.get(path) or (ROUTES[match.group(2)] if match else None)
        if allowed is None:
            raise APIError(404, "not_found", "no such path")
        if m not in allowed:
            self.send(405, {"error": {"code": "method_not_allowed", "message": "method not allowed"}},
                      headers=[("Allow", ", ".join(sorted(allowed)))])
            return
        if path == "/healthz":
            return self.send(200, {"status": "ok"})
        if path == "/readyz":
            return self.send(200, {"status": "ready", "networks": len(STATE.runners)})
        if path == "/metrics":
            return self.send(200, "# TYPE mock_up gauge\nmock_up 1\n", "text/plain; version=0.0.4")
        if path == "/v1/networks":
            with STATE.lock:
                return self.send(200, {"networks": [STATE.runners[k].status() for k in sorted(STATE.runners)]})
        if path == "/v1/reload":
            force = parse_qs(url.query).get("force", ["false"])[-1]
            if force not in ("true", "false"):
                raise APIError(400, "bad_request", "force must be true or false")
            return self.reload_all(force == "true")
        if path == "/v1/policies/validate":
            doc = self.body()
            problems = validate(doc)
            if problems:
                raise self.invalid(problems)
            return self.send(200, {"valid": True, "rules": len(doc["rules"])})
        raw = match.group(1)
        if not re.fullmatch(r"[0-9]{1,5}", raw) or not 1 <= int(raw) <= 65535:
            raise APIError(400, "bad_request", "network id must be an integer 1..65535")
        getattr(self, "net_" + match.group(2))(int(raw))

    @staticmethod
    def invalid(problems):
        details = [{"rule": r, "field": f, "message": msg} for r, f, msg in problems]
        return APIError(422, "invalid_policy", f"invalid policy: {len(details)} problems", details)

    def runner(self, nid):
        r = STATE.runners.get(nid)
        if r is None:
            raise APIError(404, "not_found", f"no runner for network {nid}")
        return r

    def net_runner(self, nid):
        with STATE.lock:
            self.send(200, self.runner(nid).status())

    def net_policy(self, nid):
        if self.command == "GET":
            with STATE.lock:
                doc = STATE.store.get(nid)
                if doc is None:
                    raise APIError(404, "not_found", f"no policy stored for network {nid}")
                return self.send(200, doc, headers=[("ETag", STATE.runners[nid].etag)])
        doc = self.body() if self.command == "PUT" else None
        if_match = self.headers.get("If-Match")
        with STATE.lock:
            stored = STATE.runners.get(nid)
            if if_match is not None and (stored is None or stored.etag != if_match):
                raise APIError(412, "precondition_failed", "ETag differs")
            if self.command == "DELETE":
                if nid not in STATE.store:
                    raise APIError(404, "not_found", f"no policy stored for network {nid}")
                del STATE.store[nid], STATE.runners[nid]
                return self.send(204)
            if self.headers.get("If-None-Match") == "*" and nid in STATE.store:
                raise APIError(412, "precondition_failed", "a policy is stored")
            problems = validate(doc)
            if problems:
                raise self.invalid(problems)
            first = nid not in STATE.store
            STATE.store[nid] = doc
            r = STATE.start(nid, doc)
            self.send(201 if first else 200, r.status(), headers=[("ETag", r.etag)])

    def net_reload(self, nid):
        with STATE.lock:
            if nid not in STATE.store:
                raise APIError(404, "not_found", f"no policy stored for network {nid}")
            self.send(200, STATE.start(nid, STATE.store[nid]).status())

    def reload_all(self, force):
        with STATE.lock:
            results = [{"network_id": nid, "action": "swapped" if force else "unchanged",
                        "generation": (STATE.start(nid, STATE.store[nid]) if force else STATE.runners[nid]).generation}
                       for nid in sorted(STATE.store)]
        self.send(200, {"results": results})

    def net_decisions(self, nid):
        req = self.body()
        if not isinstance(req, dict) or req.get("event") not in ("connect", "dial", "datagram"):
            raise APIError(400, "bad_request", "event must be connect, dial or datagram")
        limits = {"peer_id": 4294967295, "port": 65535, "size": None}
        for k, hi in limits.items():
            if k in req and (not is_int(req[k]) or req[k] < 0 or (hi is not None and req[k] > hi)):
                raise APIError(400, "bad_request", f"{k} out of range")
        for k in ("peer_tags", "local_tags"):
            if k in req and (not isinstance(req[k], list) or not all(isinstance(t, str) for t in req[k])):
                raise APIError(400, "bad_request", f"{k} must be an array of strings")
        if "sender_rating" in req and (not isinstance(req["sender_rating"], (int, float))
                                       or isinstance(req["sender_rating"], bool)):
            raise APIError(400, "bad_request", "sender_rating must be a number")
        if "direction" in req and not isinstance(req["direction"], str):
            raise APIError(400, "bad_request", "direction must be a string")
        with STATE.lock:
            r = self.runner(nid)
            verdict = r.doc.get("default_verdict", "allow")
            r.decisions[verdict] += 1
            self.send(200, {"network_id": nid, "generation": r.generation, "verdict": verdict,
                            "rule": "_default", "directives": []})

    def net_members(self, nid):
        req = self.body()
        members = req.get("members") if isinstance(req, dict) else None
        if not isinstance(members, list):
            raise APIError(400, "bad_request", "members must be an array")
        ids = []
        for m in members:
            pid = m.get("peer_id") if isinstance(m, dict) else None
            tags = m.get("tags", []) if isinstance(m, dict) else None
            if not is_int(pid) or not 1 <= pid <= 4294967295 or pid in ids:
                raise APIError(400, "bad_request", "peer ids are unique integers 1..4294967295")
            if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
                raise APIError(400, "bad_request", "tags must be an array of strings")
            ids.append(pid)
        with STATE.lock:
            r = self.runner(nid)
            joined = [p for p in ids if p not in r.peers]
            left = [p for p in r.peers if p not in ids]
            for p in left:
                del r.peers[p]
            for m in members:
                t = now()
                entry = r.peers.setdefault(m["peer_id"], {"added_at": t, "policy_tags": []})
                entry.update(last_seen=t, member_tags=m.get("tags", []))
            self.send(200, {"joined": joined, "left": left, "denied": [], "peers": len(r.peers)})

    def net_peers(self, nid):
        with STATE.lock:
            r = self.runner(nid)
            self.send(200, {"peers": [{"peer_id": p, **v} for p, v in r.peers.items()]})

    def net_cycle(self, nid):
        with STATE.lock:
            r = self.runner(nid)
            r.cycle_num += 1
            self.send(200, {"network_id": nid, "cycle_num": r.cycle_num, "peers": len(r.peers),
                            "evicted": 0, "pruned": 0, "tagged": 0, "emitted": []})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["serve"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--data-dir", default="./data")
    parser.add_argument("--max-body-bytes", type=int, default=1048576)
    args = parser.parse_args()
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.max_body = args.max_body_bytes
    print(f"level=info msg=listening host={args.host} port={server.server_address[1]}",
          file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


def _on_sigterm(*_):
    raise KeyboardInterrupt


if __name__ == "__main__":
    import signal
    signal.signal(signal.SIGTERM, _on_sigterm)
    main()
