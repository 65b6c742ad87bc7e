#!/usr/bin/env python3
"""Checks orderwatch's Grafana dashboards (deploy/grafana/dashboards/*.json) against the rules
of deploy/grafana/README.md and against a live scrape of the server:
  - each file is well-formed JSON with a pinned, unique uid, a title and the classic panel model;
  - its variables include a Prometheus `datasource` variable and `job` and `instance` query
    variables, and every panel and target takes its data source from ${datasource};
  - every panel (rows aside) has a description and a unit, and at least one query;
  - rate(), irate() and increase() use [$__rate_interval];
  - every selector of a raw metric is narrowed to the chosen jobs (job=~"$job");
  - every metric a query or variable selects is exported by the server (present in the scrape)
    or is Prometheus's own `up`.
usage: check_dashboards.py SCRAPE_FILE DASHBOARD.json...   (exit 1 and a list of faults if any)"""

import json
import re
import sys

import promql

PROMETHEUS_OWN = {"up"}


def check(path, dash, exported, uids):
    faults = []

    def fault(where, what):
        faults.append(f"{path}: {where}: {what}")

    for key in ("uid", "title", "panels", "templating", "schemaVersion"):
        if key not in dash:
            fault("dashboard", f"has no {key}")
    uid = dash.get("uid", "")
    if not re.fullmatch(r"[a-z0-9-]{1,40}", uid):
        fault("dashboard", f"uid {uid!r} is not a pinned short name")
    if uid in uids:
        fault("dashboard", f"uid {uid!r} is also used by {uids[uid]}")
    uids[uid] = path

    variables = {v.get("name"): v for v in dash.get("templating", {}).get("list", [])}
    ds = variables.get("datasource")
    if not ds or ds.get("type") != "datasource" or ds.get("query") != "prometheus":
        fault("variables", "no `datasource` variable of type datasource for prometheus")
    for name in ("job", "instance"):
        v = variables.get(name)
        if not v or v.get("type") != "query":
            fault("variables", f"no `{name}` query variable")
            continue
        if v.get("datasource", {}).get("uid") != "${datasource}":
            fault(f"variable {name}", "does not query ${datasource}")
        query = v.get("query")
        query = query.get("query", "") if isinstance(query, dict) else query or ""
        m = re.fullmatch(r"label_values\((.*),\s*\w+\)", query)
        if not m:
            fault(f"variable {name}", f"query {query!r} is not label_values(selector, label)")
        else:
            for metric in promql.metric_names(m.group(1)) - exported - PROMETHEUS_OWN:
                fault(f"variable {name}", f"{metric} is not exported by the server")

    def panels(items):
        for p in items:
            yield p
            yield from panels(p.get("panels", []))

    ids = set()
    for p in panels(dash.get("panels", [])):
        title = p.get("title", "")
        where = f"panel {title!r}"
        if p.get("id") in ids:
            fault(where, f"id {p.get('id')} is not unique")
        ids.add(p.get("id"))
        if "gridPos" not in p:
            fault(where, "has no gridPos")
        if p.get("type") == "row":
            continue
        if not title:
            fault(where, "has no title")
        if not p.get("description", "").strip():
            fault(where, "has no description")
        if not p.get("fieldConfig", {}).get("defaults", {}).get("unit"):
            fault(where, "has no unit")
        if p.get("datasource", {}).get("uid") != "${datasource}":
            fault(where, "does not take its data source from ${datasource}")
        targets = p.get("targets", [])
        if not targets:
            fault(where, "has no query")
        for t in targets:
            expr = t.get("expr", "")
            if t.get("datasource", {}).get("uid") != "${datasource}":
                fault(where, f"query {t.get('refId')} does not use ${{datasource}}")
            for fn, rng in re.findall(r"\b(rate|irate|increase)\s*\([^\[]*\[([^\]]*)\]", expr):
                if rng != "$__rate_interval":
                    fault(where, f"{fn}() over [{rng}], not [$__rate_interval]")
            for metric, matchers in promql.selectors(expr):
                if metric not in exported and metric not in PROMETHEUS_OWN:
                    fault(where, f"{metric} is not exported by the server")
                if 'job=~"$job"' not in matchers:
                    fault(where, f"{metric} is not narrowed to job=~\"$job\"")
    return faults


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1]) as f:
        exported = promql.scraped_names(f.read())
    faults, uids, checked = [], {}, 0
    for path in argv[2:]:
        try:
            with open(path) as f:
                dash = json.load(f)
        except (OSError, json.JSONDecodeError) as e:
            faults.append(f"{path}: not well-formed JSON: {e}")
            continue
        faults += check(path, dash, exported, uids)
        checked += 1
    for f in faults:
        print(f)
    print(f"check_dashboards: {checked} dashboards, {len(faults)} faults", file=sys.stderr)
    return 1 if faults or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
