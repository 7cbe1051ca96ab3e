#!/usr/bin/env python3
"""Turns bench/run.sh's RESULT lines into the table; exits 1 when a correctness check failed.

Each endpoint ran once per round, each time followed by an nginx run. "x nginx" is the
median over the rounds of (policyd's requests/s / requests/s of the nginx run right after
it): pairing adjacent runs cancels most of the drift of a machine shared with other work.
"ratio range" is the lowest and highest of those paired ratios (the machine's noise).
"CPU us/req" is the server's own CPU time (user + system, every thread or worker) per
answered request during the run, from /proc: less sensitive to the neighbours than req/s;
"CPU x" is nginx's CPU per request over the endpoint's (1.00 = as cheap as nginx).
"""
import statistics
import sys

# The default configuration (what `make run` and the container serve) first, with the
# targets of issue 13; then the same reads on the tuned server (--log-level warning).
ENDPOINTS = [
    ("runner", "GET /v1/networks/1/runner (defaults)", 0.9),
    ("decisions", "POST /v1/networks/1/decisions (defaults)", 0.8),
    ("healthz", "GET /healthz (defaults)", None),
    ("put-policy", "PUT /v1/networks/{101..116}/policy (fsync)", None),
    ("runner-tuned", "GET .../runner, --log-level warning", None),
    ("decisions-tuned", "POST .../decisions, --log-level warning", None),
    # Every default and --etcd-endpoints: reads answer from the runners, never from etcd.
    ("runner-etcd", "GET .../runner, etcd store", None),
    ("decisions-etcd", "POST .../decisions, etcd store", None),
    # Older runs' labels (bench/out of earlier code): the second server logged every request.
    ("runner-info-log", "GET .../runner, --log-level info", None),
    ("decisions-info-log", "POST .../decisions, --log-level info", None),
]
STORM_P99_LIMIT = 1.5
# Baselines: nginx and bare libmicrohttpd (bench/mhd-static) answering a static body of a
# RunnerStatus's size, to GETs (plain.lua) and to the decisions' POSTs (decisions.lua: the
# same wrk script, the same request bytes, the same Lua call per request as policyd's run).
BASELINES = [
    ("nginx", "nginx static (RunnerStatus size)"),
    ("nginx-post", "nginx static, decisions' POSTs"),
    ("mhd", "libmicrohttpd static (bench/mhd-static)"),
    ("mhd-post", "libmicrohttpd static, decisions' POSTs"),
]
BASELINE_LABELS = {label for label, _ in BASELINES}


def paired(runs, label, baseline):
    """Ratios of each `label` run's req/s to the first `baseline` run after it (before the next endpoint's run)."""
    ratios = []
    for i, r in enumerate(runs):
        if r["label"] != label:
            continue
        for later in runs[i + 1 :]:
            if later["label"] == baseline:
                ratios.append(r["rps"] / later["rps"])
                break
            if later["label"] not in BASELINE_LABELS:
                break
    return ratios


def parse(path):
    runs = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) < 2 or parts[0] != "RESULT":
                continue
            fields = {"label": parts[1]}
            for item in parts[2:]:
                key, _, value = item.partition("=")
                fields[key] = float(value)
            runs.append(fields)
    return runs


def ms(us):
    return f"{us / 1000:.2f}"


def span(values, fmt):
    return f"{fmt(min(values))}-{fmt(max(values))}"


def cpu(rs):
    values = [r["cpu_ns_per_request"] / 1000 for r in rs if "cpu_ns_per_request" in r]
    return f"{statistics.median(values):.1f}" if values else ""


def cpu_ratio(rs):
    """nginx's CPU per request over this endpoint's: 0.5 means twice nginx's CPU per request."""
    values = [r["cpu_ns_per_request"] / 1000 for r in rs if r.get("cpu_ns_per_request")]
    return f"{NGINX_CPU[0] / statistics.median(values):.2f}" if values and NGINX_CPU else ""


NGINX_CPU = []


def main(path):
    runs = parse(path)
    nginx = [r for r in runs if r["label"] == "nginx"]
    if not nginx:
        print("no nginx runs: nothing to compare with", file=sys.stderr)
        return 1
    nginx_rps = statistics.median(r["rps"] for r in nginx)
    nginx_cpu = [r["cpu_ns_per_request"] / 1000 for r in nginx if r.get("cpu_ns_per_request")]
    if nginx_cpu:
        NGINX_CPU.append(statistics.median(nginx_cpu))
    failed = False
    all_errors = [0]
    summary = []  # (what, value, target, met) of issue 13's targets, printed last

    header = f"{'endpoint':44} {'req/s (median)':>14} {'min-max':>15} {'p50 ms':>7} {'p99 ms':>7} {'p99 min-max':>12} {'CPU us/req':>10} {'CPU x':>6} {'x nginx':>8} {'ratio range':>12}  target"
    print()
    print(header)
    print("-" * len(header))
    row = lambda name, rs, ratio, rrange, target: print(
        f"{name:44} {statistics.median(r['rps'] for r in rs):14.0f} {span([r['rps'] for r in rs], lambda v: f'{v:.0f}'):>15} "
        f"{ms(statistics.median(r['p50_us'] for r in rs)):>7} {ms(statistics.median(r['p99_us'] for r in rs)):>7} "
        f"{span([r['p99_us'] for r in rs], ms):>12} {cpu(rs):>10} {cpu_ratio(rs):>6} {ratio:>8} {rrange:>12}  {target}"
    )
    for label, name in BASELINES:
        rs = [r for r in runs if r["label"] == label]
        if not rs:
            continue
        # "x nginx" of the other baselines: their median req/s over nginx's.
        row(name, rs, "1.00" if label == "nginx" else f"{statistics.median(r['rps'] for r in rs) / nginx_rps:.2f}", "", "")
    for label, name, target in ENDPOINTS:
        rs = [r for r in runs if r["label"] == label]
        if not rs:
            continue
        ratios = paired(runs, label, "nginx")
        # Runs without an nginx run after them (the info-log ones) compare with nginx's median.
        ratio = statistics.median(ratios) if ratios else statistics.median(r["rps"] for r in rs) / nginx_rps
        rrange = span(ratios, lambda v: f"{v:.2f}") if ratios else ""
        verdict = ""
        if target is not None:
            verdict = f">= {target}: " + ("met" if ratio >= target else "MISSED")
            summary.append((f"{label} x nginx (defaults)", f"{ratio:.2f}", f">= {target}", ratio >= target))
        row(name, rs, f"{ratio:.2f}", rrange, verdict)
        errors = sum(r["non2xx"] + r["socket_errors"] for r in rs)
        all_errors[0] += errors
        if errors:
            print(f"  !! {label}: {errors:.0f} error answers or socket errors")
            failed = True

    comparisons = [
        ("runner", "mhd", "GET .../runner x libmicrohttpd's own static answer (GET)"),
        ("decisions", "nginx-post", "decisions x nginx's static answer to the same POSTs"),
        ("decisions", "mhd-post", "decisions x libmicrohttpd's own static answer to the same POSTs"),
    ]
    lines = []
    for label, baseline, text in comparisons:
        ratios = paired(runs, label, baseline)
        if ratios:
            lines.append(f"  {text:66} {statistics.median(ratios):.2f}  (range {span(ratios, lambda v: f'{v:.2f}')})")
    if lines:
        print()
        print("Against the same requests and against libmicrohttpd itself (median of paired runs):")
        print("\n".join(lines))

    etcd_lines = []
    for label, text in (("runner", "GET .../runner"), ("decisions", "POST .../decisions")):
        # The n-th etcd-store run ran right after the n-th file-store run (same round).
        files = [r for r in runs if r["label"] == label]
        etcds = [r for r in runs if r["label"] == f"{label}-etcd"]
        ratios = [e["rps"] / f["rps"] for f, e in zip(files, etcds)]
        if ratios:
            cpus = [e["cpu_ns_per_request"] / f["cpu_ns_per_request"] for f, e in zip(files, etcds) if f.get("cpu_ns_per_request") and e.get("cpu_ns_per_request")]
            cpu_text = f"  CPU per request {statistics.median(cpus):.2f}x" if cpus else ""
            etcd_lines.append(f"  {text:20} req/s {statistics.median(ratios):.2f}x (range {span(ratios, lambda v: f'{v:.2f}')}){cpu_text}")
    if etcd_lines:
        print()
        print("Reads with the policies in etcd (--etcd-endpoints) over the file store, paired per round (median):")
        print("\n".join(etcd_lines))

    quiet = [r for r in runs if r["label"] == "storm-quiet"]
    fire = [r for r in runs if r["label"] == "storm-fire"]
    writers = [r for r in runs if r["label"] == "storm-writer"]
    if quiet and fire:
        print()
        print("Reload under fire (defaults): decisions on 20 networks while a writer PUTs and reloads them")
        print("(alternating a policy that allows with rule \"a\" and one that denies with rule \"d\")")
        for name, rs in (("without the storm", quiet), ("during the storm", fire)):
            print(
                f"  {name:18} {statistics.median(r['rps'] for r in rs):8.0f} req/s  "
                f"p50 {ms(statistics.median(r['p50_us'] for r in rs))} ms  "
                f"p99 {ms(statistics.median(r['p99_us'] for r in rs))} ms (runs: {', '.join(ms(r['p99_us']) for r in rs)})"
            )
        # Each storm run follows a quiet run: the ratio is the median of those pairs' p99 ratios.
        pairs = [f["p99_us"] / q["p99_us"] for q, f in zip(quiet, fire)]
        p99_ratio = statistics.median(pairs)
        print(
            f"  p99 during / without: {p99_ratio:.2f} (median of {len(pairs)} pairs, range {span(pairs, lambda v: f'{v:.2f}')})"
            f"  (target <= {STORM_P99_LIMIT}: {'met' if p99_ratio <= STORM_P99_LIMIT else 'MISSED'})"
        )
        summary.append(
            (f"storm p99 / quiet p99 (median of {len(pairs)} pairs{', needs 3' if len(pairs) < 3 else ''})", f"{p99_ratio:.2f}", f"<= {STORM_P99_LIMIT}",
             p99_ratio <= STORM_P99_LIMIT and len(pairs) >= 3))
        checks = [
            ("decisions answered", sum(r.get("ok", 0) for r in quiet + fire), None),
            ("non-2xx answers", sum(r.get("bad_status", 0) + r.get("no_runner", 0) for r in quiet + fire), 0),
            ("answered without a runner (404)", sum(r.get("no_runner", 0) for r in quiet + fire), 0),
            ("verdict of neither policy", sum(r.get("wrong_verdict", 0) for r in quiet + fire), 0),
            ("socket errors", sum(r["socket_errors"] for r in quiet + fire), 0),
            ("swaps completed", sum(r.get("swaps", 0) for r in writers), None),
            ("writer requests failed", sum(r.get("writer_failures", 0) + r["socket_errors"] for r in writers), 0),
        ]
        if writers:
            print(
                f"  writer: {statistics.median(r['rps'] for r in writers):.0f} requests/s (PUT, reload, reload-all), "
                f"p99 {ms(statistics.median(r['p99_us'] for r in writers))} ms, max {ms(max(r['max_us'] for r in writers))} ms"
            )
        for name, value, must in checks:
            status = "" if must is None else ("ok" if value == must else "FAILED")
            print(f"  {name:34} {value:10.0f}  {status}")
            failed |= must is not None and value != must
            if must is not None:
                all_errors[0] += value
    summary.append(("errors (non-2xx, socket, 404, foreign verdicts)", f"{all_errors[0]:.0f}", "== 0", all_errors[0] == 0))
    print()
    print("Targets in the default configuration (issue 13):")
    for what, value, target, met in summary:
        print(f"  {what:50} {value:>8}  target {target:6}  {'met' if met else 'MISSED'}")
    print()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
