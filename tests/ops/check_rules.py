#!/usr/bin/env python3
"""Checks orderwatch's Prometheus rules (deploy/prometheus/rules/*.yml) beyond promtool:
  - every metric a rule selects is exported by the server (present in a live scrape), recorded
    by the shipped rules, or Prometheus's own `up`;
  - every alert has severity page or ticket, a summary, a description and a runbook_url
    docs/runbook.md#<its name in lower case>, and the runbook has that section;
  - every runbook section names an alert that exists (no stale sections).
usage: check_rules.py SCRAPE_FILE RUNBOOK.md RULES.yml...   (exit 1 and a list of faults if any)"""

import re
import sys

import yaml

import promql


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1]) as f:
        exported = promql.scraped_names(f.read())
    with open(argv[2]) as f:
        runbook = f.read()
    # "## OrderwatchInstanceDown" -> anchor "orderwatchinstancedown" (GitHub's rule for one word)
    sections = {h.strip().lower(): h.strip() for h in re.findall(r"^## (Orderwatch\w+)\s*$", runbook, re.M)}
    rules = []
    for path in argv[3:]:
        with open(path) as f:
            for group in yaml.safe_load(f)["groups"]:
                rules += [(path, r) for r in group["rules"]]
    recorded = {r["record"] for _, r in rules if "record" in r}
    faults, alerts = [], set()
    for path, r in rules:
        name = r.get("alert") or r.get("record")
        for metric in promql.metric_names(r["expr"]):
            if metric not in exported and metric not in recorded and metric != "up":
                faults.append(f"{path}: {name}: {metric} is neither exported nor recorded")
        if "alert" not in r:
            continue
        alerts.add(name.lower())
        if r.get("labels", {}).get("severity") not in ("page", "ticket"):
            faults.append(f"{path}: {name}: severity is not page or ticket")
        ann = r.get("annotations", {})
        for key in ("summary", "description"):
            if not ann.get(key, "").strip():
                faults.append(f"{path}: {name}: no {key}")
        if ann.get("runbook_url") != f"docs/runbook.md#{name.lower()}":
            faults.append(f"{path}: {name}: runbook_url is not docs/runbook.md#{name.lower()}")
        if name.lower() not in sections:
            faults.append(f"docs/runbook.md: no section '## {name}'")
    for anchor, heading in sections.items():
        if anchor not in alerts:
            faults.append(f"docs/runbook.md: section '## {heading}' names no alert")
    for f in faults:
        print(f)
    print(f"check_rules: {len(rules)} rules, {len(alerts)} alerts, {len(faults)} faults", file=sys.stderr)
    return 1 if faults or not alerts else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
