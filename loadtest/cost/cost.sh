#!/usr/bin/env bash
# Cost per call in one command: a fresh redis-server (append-only file, fsync every second) and
# orderwatch-server on free loopback ports, then orderwatch-cost: server CPU, Redis CPU and
# Redis round trips per call of each RPC at 10 k, 100 k and 1 M tracked orders (SIZES), with
# the server profiled by perf (cpu-clock samples, call graphs) the whole time; the profile's
# hottest functions are printed at the end. Every command it runs is printed ("+ ...").
#
# Settings (environment):
#   BUILD_DIR   build tree with services/server/orderwatch-server and
#               loadtest/cost/orderwatch-cost (default: <repo>/build)
#   SIZES       tracked orders at each measurement (default 10000,100000,1000000)
#   CALLS       calls per RPC and size (default 3000)
#   PROFILE=0   skip perf (default 1 when perf is installed: Debian's linux-perf)
#   KEEP=1      keep the temporary directory (logs, Redis, perf.data) after the run
set -euo pipefail

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
  exit 0
fi

here=$(cd "$(dirname "$0")" && pwd)
BUILD_DIR=${BUILD_DIR:-$here/../../build}
SIZES=${SIZES:-10000,100000,1000000}
CALLS=${CALLS:-3000}
PROFILE=${PROFILE:-1}
command -v perf >/dev/null || PROFILE=0
server_bin=$BUILD_DIR/services/server/orderwatch-server
cost_bin=$BUILD_DIR/loadtest/cost/orderwatch-cost
for bin in "$server_bin" "$cost_bin"; do
  if [[ ! -x $bin ]]; then
    echo "cost.sh: $bin is missing; build it: cmake --build $BUILD_DIR --target orderwatch-server orderwatch-cost" >&2
    exit 1
  fi
done

# shellcheck source=loadtest/lib.sh
source "$here/../lib.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/orderwatch-cost.XXXXXX")
pids=()
REDIS_AOF=1 start_stack "$server_bin"
sleep 2

if [[ $PROFILE == 1 ]]; then
  show perf record -F 499 -g -o "$work/perf.data" -p "$server_pid" >&2
  perf record -F 499 -g -o "$work/perf.data" -p "$server_pid" 2>"$work/perf.log" &
  perf_pid=$!
fi
cost=("$cost_bin" --addr="127.0.0.1:$grpc_port" --metrics="127.0.0.1:$metrics_port"
  --redis="127.0.0.1:$redis_port" --server-pid="$server_pid" --sizes="$SIZES" --calls="$CALLS")
show "${cost[@]}" >&2
"${cost[@]}"
if [[ $PROFILE == 1 ]]; then
  kill -INT "$perf_pid"
  wait "$perf_pid" || true
  echo
  echo "== the server's hottest functions (perf, self time, % of its samples)"
  perf report -i "$work/perf.data" --no-children --sort dso,symbol --stdio 2>/dev/null \
    >"$work/perf.txt" || true
  grep -E '^ +[0-9]' "$work/perf.txt" | sed 's/ \{2,\}/  /g' | cut -c1-150 | head -30 || true
fi
