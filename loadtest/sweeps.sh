#!/usr/bin/env bash
# Shipment sweeps at scale in one command: a fresh redis-server (no persistence) and
# orderwatch-server on free loopback ports, redis-benchmark ZADD as the raw Redis reference (a
# due-queue insert), then orderwatch-sweep-load: warnings coming due at a set rate with nothing
# else watched, a million paid unshipped orders recorded and looked at once, Redis bytes per
# watched order, and the same warnings again with the million watched. Every command it runs
# is printed ("+ ...").
#
# Settings (environment):
#   BUILD_DIR   build tree holding services/server/orderwatch-server and
#               loadtest/orderwatch-sweep-load (default: <repo>/build)
#   WATCHED     paid unshipped orders kept watched (default 1000000)
#   DUE         orders coming due in each due phase (default 20000)
#   DUE_RATE    how many come due per second (default 2000)
#   KEEP=1      keep the temporary directory (logs, sink) after the run
set -euo pipefail

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
  exit 0
fi

here=$(cd "$(dirname "$0")" && pwd)
BUILD_DIR=${BUILD_DIR:-$here/../build}
WATCHED=${WATCHED:-1000000}
DUE=${DUE:-20000}
DUE_RATE=${DUE_RATE:-2000}
server_bin=$BUILD_DIR/services/server/orderwatch-server
load_bin=$BUILD_DIR/loadtest/orderwatch-sweep-load
for bin in "$server_bin" "$load_bin"; do
  if [[ ! -x $bin ]]; then
    echo "sweeps.sh: $bin is missing; build it: cmake --build $BUILD_DIR --target orderwatch-server orderwatch-sweep-load" >&2
    exit 1
  fi
done
for tool in redis-server redis-cli redis-benchmark ss awk; do
  command -v "$tool" >/dev/null || { echo "sweeps.sh: $tool is not installed" >&2; exit 1; }
done

# shellcheck source=loadtest/lib.sh
source "$here/lib.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/orderwatch-sweeps.XXXXXX")
pids=()

start_stack "$server_bin"
zadd_reference

load_cmd=("$load_bin" --addr="127.0.0.1:$grpc_port" --redis="127.0.0.1:$redis_port"
  --sink="$work/sink.jsonl" --watched="$WATCHED" --due="$DUE" --due-rate="$DUE_RATE" --json)
show "${load_cmd[@]}" >&2
status=0
result=$("${load_cmd[@]}") || status=$?
echo "$result"
[[ -n $result ]] || exit "$status"

field() { sed -E "s/.*\"$1\":([0-9.]+).*/\1/" <<<"$result"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
cat <<TABLE

| shipment sweeps, $(field watched) watched | measured | vs redis-benchmark ZADD ($ref_zadd/s) |
|---|---|---|
| paid orders recorded (created + paid via RecordBatch), first look included | $(field first_looks_per_s) orders/s | $(ratio "$(field first_looks_per_s)" "$ref_zadd") |
| warnings, nothing else watched ($(field due) due at $(field due_rate)/s) | $(field empty_per_s)/s; due to warehouse notice p50 $(field empty_p50_ms) ms, p99 $(field empty_p99_ms) ms | |
| warnings with $(field watched) watched | $(field loaded_per_s)/s; due to warehouse notice p50 $(field loaded_p50_ms) ms, p99 $(field loaded_p99_ms) ms | |
| Redis memory per watched order, order state included | $(field bytes_per_watched) B | |
TABLE
exit "$status"
