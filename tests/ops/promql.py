"""What the ops checks need to know of a PromQL expression: the metric names it selects and the
selectors it uses (names with their label matchers). Not a parser: it drops what cannot name a
metric (strings, label matchers, ranges, Grafana variables, grouping label lists, numbers) and
keeps the identifiers that are not functions, keywords or aggregations."""

import re

_KEYWORDS = {
    "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless",
    "bool", "offset", "inf", "nan", "atan2",
}
_IDENT = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")


def selectors(expr):
    """(name, matchers text) for every vector selector that names a metric."""
    out = []
    stripped = re.sub(r"\[[^\]]*\]", "", expr)
    stripped = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", stripped)
    i = 0
    while i < len(stripped):
        m = _IDENT.match(stripped, i)
        if not m or (i > 0 and (stripped[i - 1].isalnum() or stripped[i - 1] in "_:.$")):
            i += 1
            continue
        name, j = m.group(0), m.end()
        k = j
        while k < len(stripped) and stripped[k] == " ":
            k += 1
        if k < len(stripped) and stripped[k] == "(":
            i = k  # a function or aggregation
            continue
        matchers = ""
        if k < len(stripped) and stripped[k] == "{":
            end = stripped.index("}", k)
            matchers = stripped[k + 1:end]
            j = end + 1
        if name.lower() not in _KEYWORDS:
            out.append((name, matchers))
        i = j
    return out


def metric_names(expr):
    """The metric names an expression selects."""
    return {name for name, _ in selectors(expr)}


def scraped_names(text):
    """Sample names in a Prometheus text exposition (histograms as _bucket, _sum, _count)."""
    names = set()
    for line in text.splitlines():
        if line and not line.startswith("#"):
            names.add(_IDENT.match(line).group(0))
    return names
