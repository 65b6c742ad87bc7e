#!/usr/bin/env python3
"""Against a real Prometheus that scrapes a running orderwatch with the shipped configuration:
waits until the target is up and a few scrapes are in, then asks every query of every shipped
dashboard (variables filled in: all jobs and instances, a rate interval of 15 s) and requires
data from each; and requires every shipped rule group to evaluate without error.
usage: check_prometheus.py PROMETHEUS_URL DASHBOARD.json..."""

import json
import sys
import time
import urllib.parse
import urllib.request


# Prometheus is on loopback: never through a proxy, whatever http_proxy/no_proxy say.
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def api(base, path, **params):
    url = f"{base}/api/v1/{path}"
    if params:
        url += "?" + urllib.parse.urlencode(params)
    with DIRECT.open(url, timeout=10) as r:
        body = json.load(r)
    if body.get("status") != "success":
        raise RuntimeError(f"{path} {params}: {body}")
    return body["data"]


def fill(expr, variables):
    expr = expr.replace("$__rate_interval", "15s")
    for name, value in variables.items():
        expr = expr.replace("${" + name + "}", value).replace("$" + name, value)
    return expr


def main(argv):
    base = argv[1]
    deadline, first_up = time.time() + 60, None
    while True:  # the target up, and enough scrapes for rate() over 15 s
        try:
            targets = api(base, "targets")["activeTargets"]
            seen = targets
        except OSError as e:  # not answering yet; reported if it never does
            targets, seen = [], f"no answer from {base}: {e}"
        up = [t for t in targets if t["labels"].get("job") == "orderwatch" and t["health"] == "up"]
        if up:
            first_up = first_up or time.time()
            if time.time() - first_up > 8:
                break
        if time.time() > deadline:
            print(f"check_prometheus: the orderwatch target is not up: {seen}")
            return 1
        time.sleep(0.5)
    faults, asked = [], 0
    for path in argv[2:]:
        with open(path) as f:
            dash = json.load(f)
        variables = {"job": ".+", "instance": ".+"}
        for v in dash["templating"]["list"]:
            if v["type"] == "custom":
                variables[v["name"]] = v["current"]["value"]
        stack = list(dash["panels"])
        while stack:
            p = stack.pop()
            stack += p.get("panels", [])
            for t in p.get("targets", []):
                expr = fill(t["expr"], variables)
                asked += 1
                try:
                    result = api(base, "query", query=expr)["result"]
                except Exception as e:  # noqa: BLE001 - the fault is what is reported
                    faults.append(f"{path}: {p['title']!r}: {expr}: {e}")
                    continue
                if not result:
                    faults.append(f"{path}: {p['title']!r}: no data for {expr}")
    time.sleep(2)  # a rule evaluation after the calls
    groups = api(base, "rules")["groups"]
    for g in groups:
        for r in g["rules"]:
            if r.get("health") != "ok":
                faults.append(f"rule {r.get('name')}: {r.get('health')} {r.get('lastError', '')}")
    if not groups:
        faults.append("Prometheus loaded no rule group")
    # The recording rules the alerts stand on have data once calls were made.
    for record in ("orderwatch:grpc_server_fault_ratio:rate5m", "orderwatch:grpc_server_slow_ratio:rate5m",
                   "orderwatch:scheduler_due_jobs:max"):
        if not api(base, "query", query=record)["result"]:
            faults.append(f"recording rule {record} has no data")
    for f in faults:
        print(f)
    print(f"check_prometheus: {asked} dashboard queries, {len(groups)} rule groups, {len(faults)} faults",
          file=sys.stderr)
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
