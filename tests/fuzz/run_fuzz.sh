#!/usr/bin/env bash
# run_fuzz.sh FUZZER SEED_CORPUS SECONDS: runs a libFuzzer target for SECONDS from the seed corpus
# (read only; what it finds goes to a temporary corpus) and fails on any crash, leak, sanitizer
# report or broken property. A failing input is kept and its path printed: copy it into the seed
# corpus once fixed, so it stays a regression test.
set -euo pipefail
fuzzer=$1 seeds=$2 seconds=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/orderwatch-fuzz.XXXXXX")
mkdir "$work/corpus"
status=0
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$work/" "$work/corpus" "$seeds" 2>"$work/log" || status=$?
grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$work/log" || true
if ((status != 0)); then
  tail -n 60 "$work/log"
  echo "run_fuzz: $(basename "$fuzzer") failed; inputs kept in $work" >&2
  exit 1
fi
rm -rf "$work"
